package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"paniers/config"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"paniers/internal/access"
	"paniers/models"
	"paniers/planner/egalim"
)

// healthStore is what the health check reads; *models.Store satisfies it.
type healthStore interface {
	Ping(ctx context.Context) error
}

var _ healthStore = (*models.Store)(nil)

// Options configures the API. The zero value is usable: it logs nowhere,
// reads the system clock, works in config.DefaultTZ (Europe/Paris) and limits
// bodies to DefaultMaxBodyBytes.
type Options struct {
	// Logger receives one line per request and every internal error.
	Logger *slog.Logger
	// Now is the clock; cutoffs and rate limits follow it.
	Now func() time.Time
	// Location is the time zone in which cutoffs are shown.
	Location *time.Location
	// MaxBodyBytes bounds request bodies; larger ones get 413.
	MaxBodyBytes int64
	// TrustedProxies lists the proxies (addresses or CIDRs) whose
	// X-Forwarded-For is believed when finding a client's address for the
	// authentication rate limit; none by default.
	TrustedProxies []string
	// AuthFailBurst is how many failed authentications an address may make
	// in a row before getting 429; one more is allowed every AuthFailRefill.
	// Zero means the defaults (10, 6 s); a negative burst disables the limit.
	AuthFailBurst  int
	AuthFailRefill time.Duration
	// Limiter, when set, is the failure limiter to use instead of one made
	// from AuthFailBurst and AuthFailRefill: the pages share it, so a
	// guesser cannot double its tries by switching doors.
	Limiter *access.Limiter
	// LocalKm is how far from the hub (km, straight line) a producer
	// counts as local in the EGalim reports; 0 means egalim.DefaultLocalKm.
	LocalKm float64
	// Metrics is the Prometheus registry the API registers its metrics
	// with (metrics.go) and that GET /metrics serves to the coordinator;
	// nil makes one of the API's own.
	Metrics *prometheus.Registry
	// Jobs runs the plan path and the publication, and gives the documents'
	// input (see jobs.go); nil answers 503 on those routes.
	Jobs Jobs
}

// Defaults of the authentication failure limit (see access.Limiter).
const (
	authFailBurst  = access.DefaultBurst
	authFailRefill = access.DefaultRefill
)

// DefaultMaxBodyBytes is the default request body limit: 1 MiB, far above
// any real offer or order.
const DefaultMaxBodyBytes = 1 << 20

// Server is the HTTP API. Make one with New and serve its Handler.
type Server struct {
	store   Store
	opts    Options
	log     *slog.Logger
	now     func() time.Time
	loc     *time.Location
	limiter *access.Limiter
	tokens  *tokenCache
	engine  *gin.Engine
	metrics *httpMetrics
}

// New builds the API on a store. It never fails: bad options fall back to
// their defaults.
func New(st Store, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = config.DefaultLocation()
	}
	if !(opts.LocalKm > 0) {
		opts.LocalKm = egalim.DefaultLocalKm
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.AuthFailBurst == 0 {
		opts.AuthFailBurst = authFailBurst
	}
	if opts.AuthFailRefill <= 0 {
		opts.AuthFailRefill = authFailRefill
	}
	if opts.Limiter == nil {
		opts.Limiter = access.NewLimiter(opts.AuthFailBurst, opts.AuthFailRefill)
	}
	s := &Server{
		store:   st,
		opts:    opts,
		log:     opts.Logger,
		now:     opts.Now,
		loc:     opts.Location,
		limiter: opts.Limiter,
		tokens:  newTokenCache(tokenCacheTTL),
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	e.ContextWithFallback = true
	// gin trusts every proxy by default; nil trusts none, so a client cannot
	// dodge the rate limit by sending its own X-Forwarded-For.
	// Only X-Forwarded-For, and only from those proxies, names the client;
	// X-Real-IP is not read.
	e.RemoteIPHeaders = []string{"X-Forwarded-For"}
	if err := e.SetTrustedProxies(opts.TrustedProxies); err != nil {
		s.log.Warn("api: ignoring trusted proxies", "err", err)
		_ = e.SetTrustedProxies(nil)
	}
	if opts.Metrics == nil {
		opts.Metrics = prometheus.NewRegistry()
		s.opts.Metrics = opts.Metrics
	}
	var ms metricsStore
	if st != nil {
		ms = st
	}
	s.metrics = newHTTPMetrics(opts.Metrics, ms)
	e.Use(s.metrics.observe, s.baseMiddleware)
	e.NoRoute(func(c *gin.Context) {
		s.renderProblem(c, errKind(kindNotFound, textf("Aucune ressource à l'adresse %s.", "No resource at %s.", truncate(c.Request.URL.Path, 200))))
	})
	e.NoMethod(func(c *gin.Context) {
		s.renderProblem(c, errKind(kindMethodNotAllowed, textf("La méthode %s n'est pas acceptée ici.", "Method %s is not allowed here.", requestMethod(c.Request))))
	})
	s.engine = e
	s.routes()
	return s
}

// Handler returns the http.Handler serving the API.
func (s *Server) Handler() http.Handler { return s }

// ServeHTTP makes *Server an http.Handler itself. A HEAD request is served
// as the GET of its URL, with the same status and headers and no body
// (RFC 9110, 9.3.2).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodHead {
		s.engine.ServeHTTP(w, r)
		return
	}
	get := r.Clone(context.WithValue(r.Context(), headRequest{}, true))
	get.Method = http.MethodGet
	s.engine.ServeHTTP(bodiless{w}, get)
}

// headRequest marks, in a request's context, a HEAD served as a GET.
type headRequest struct{}

// requestMethod is the method the client sent: HEAD for a HEAD served as a
// GET.
func requestMethod(r *http.Request) string {
	if head, _ := r.Context().Value(headRequest{}).(bool); head {
		return http.MethodHead
	}
	return r.Method
}

// bodiless is the answer to a HEAD: headers and status go through, the
// body does not.
type bodiless struct{ http.ResponseWriter }

func (b bodiless) Write(p []byte) (int, error) { return len(p), nil }

// routes registers every route. Each file of the package that serves a
// group of resources has one register function; a new file adds its own to
// this list.
func (s *Server) routes() {
	s.engine.GET("/healthz", s.handle(s.healthz))
	s.engine.GET("/api/v1/openapi.json", s.openAPIDocument)
	s.engine.GET("/metrics", s.authenticate, s.requireRole(), metricsHandler(s.opts.Metrics))

	v1 := s.engine.Group("/api/v1", s.authenticate)
	for _, register := range []func(*gin.RouterGroup){
		s.registerMe,
		s.registerTokens,
		s.registerReference,
		s.registerWeeks,
		s.registerOffers,
		s.registerOrders,
		s.registerMealOrders,
		s.registerHouseholds,
		s.registerPickups,
		s.registerPortions,
		s.registerAvailability,
		s.registerGDPR,
		s.registerJobs,
		s.registerDeliveries,
		s.registerEgalim,
		s.registerManne,
	} {
		register(v1)
	}
}

// handle adapts a handler returning an error to gin: a non-nil error goes
// through writeError.
func (s *Server) handle(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.writeError(c, err)
		}
	}
}

// healthz answers 200 when the database answers, 503 otherwise.
func (s *Server) healthz(c *gin.Context) error {
	if err := s.store.Ping(c.Request.Context()); err != nil {
		s.log.ErrorContext(c.Request.Context(), "api: health check failed", "err", err)
		return errKind(kindUnavailable, text{FR: "La base de données ne répond pas.", EN: "The database does not answer."})
	}
	writeJSON(c, http.StatusOK, "application/json", map[string]string{"status": "ok"})
	return nil
}

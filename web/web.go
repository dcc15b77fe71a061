// Package web serves the pages people use paniers through: a farmer
// posting the week's harvest, a relay point's volunteer ticking households
// off at the counter, a school cook ordering meals, a driver following a
// round on a phone and ticking each stop delivered. Pages are rendered on
// the server with html/template from embedded files, work without
// JavaScript and load nothing from other sites.
//
// The pages are a second door to the API's paths: they call the same store
// functions (models), the same jobs (documents), and apply the same scope
// rules (internal/access). A person signs in with a one-time link (or by
// pasting a token) and gets a session cookie; see session.go.
//
// Each role's page is one file (farmer.go, relay.go, cook.go, driver.go)
// registering its routes in Site.routes; a later page (the coordinator's
// dashboard) adds its file and one line there, and a role's home in homes.
package web

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/jobs"
	"paniers/models"
	"paniers/planner"
	"paniers/planner/egalim"
	"paniers/planner/sheets"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Store is what the pages need from the database; *models.Store satisfies
// it (the methods are documented there).
type Store interface {
	LookupToken(ctx context.Context, clear string) (models.Token, error)
	LookupSession(ctx context.Context, clear string) (models.Token, models.Session, error)
	CreateSession(ctx context.Context, tokenID uint64) (string, models.Session, error)
	PeekSignInLink(ctx context.Context, clear string) (models.Token, error)
	RedeemSignInLink(ctx context.Context, clear string) (string, models.Session, models.Token, error)
	DeleteSession(ctx context.Context, clear string) error

	ListProducers(ctx context.Context, page models.Page) ([]models.Producer, error)
	GetProducer(ctx context.Context, id string) (models.Producer, error)
	ListProducts(ctx context.Context, page models.Page) ([]models.Product, error)
	ListSites(ctx context.Context, kind string, page models.Page) ([]models.Site, error)
	GetSite(ctx context.Context, id string) (models.Site, error)
	ListBasketTypes(ctx context.Context, page models.Page) ([]models.BasketType, error)

	ListWeeks(ctx context.Context, page models.Page) ([]models.Week, error)
	GetWeek(ctx context.Context, id string) (models.Week, error)
	Scenario(ctx context.Context, week string) (planner.Scenario, error)
	CurrentPlan(ctx context.Context, week string) (models.StoredPlan, error)
	ListPlans(ctx context.Context, week string, page models.Page) ([]models.StoredPlan, error)
	GetPlanInput(ctx context.Context, week string, version int) (models.PlanInput, error)
	GetPlanVersion(ctx context.Context, week string, version int) (models.StoredPlan, error)
	ListPlanInputs(ctx context.Context, week string, versions []int) (map[int]models.PlanInput, error)
	ListJobRuns(ctx context.Context, f models.JobRunFilter, page models.Page) ([]models.JobRun, error)

	ListOffers(ctx context.Context, week string, f models.OfferFilter, page models.Page) ([]models.Offer, error)
	CheckOffer(ctx context.Context, o models.Offer) error
	PutOffer(ctx context.Context, o *models.Offer) (bool, error)
	DeleteOffer(ctx context.Context, week, producer, product string) error

	ListHouseholds(ctx context.Context, site string, page models.Page) ([]models.Household, error)
	GetHousehold(ctx context.Context, id string) (models.Household, error)
	CreateHousehold(ctx context.Context, h *models.Household) error
	UpdateHousehold(ctx context.Context, h *models.Household) error

	ListOrders(ctx context.Context, week string, f models.OrderFilter, page models.Page) ([]models.Order, error)
	GetOrder(ctx context.Context, week, id string) (models.Order, error)
	CreateOrder(ctx context.Context, o *models.Order) error
	DeleteOrder(ctx context.Context, week, id string) error

	ListMealOrders(ctx context.Context, week string, f models.MealOrderFilter, page models.Page) ([]models.MealOrder, error)
	GetMealOrder(ctx context.Context, week, id string) (models.MealOrder, error)
	CreateMealOrder(ctx context.Context, m *models.MealOrder) error
	CheckMealOrder(ctx context.Context, m models.MealOrder) error
	DeleteMealOrder(ctx context.Context, week, id string) error
	MealProduce(ctx context.Context, m models.MealOrder) ([]planner.ProductQuantity, error)

	SetCollected(ctx context.Context, week, site, household string, collected bool) error
	Collected(ctx context.Context, week, site string) (map[string]time.Time, error)

	VisibleVersion(ctx context.Context, week string, version int, drafts bool) (int, error)
	ListPlanDocuments(ctx context.Context, week string, version int) ([]models.PlanDocument, error)

	jobs.EgalimSource
	catalogueStore
}

var _ Store = (*models.Store)(nil)

// Jobs gives the input the week's documents are rendered from
// (*jobs.Service satisfies it); the pages show documents on screen from it
// and link to the API's document routes for the files.
type Jobs interface {
	DocumentInput(ctx context.Context, week string, version int) (sheets.Input, models.StoredPlan, error)
	// PreviewWeek, PlanWeek and Publish are the API's jobs (api.Jobs),
	// run from the coordinator's week page.
	PreviewWeek(ctx context.Context, week string, seed int64) (planner.Plan, error)
	PlanWeek(ctx context.Context, week string, seed int64) (models.StoredPlan, error)
	Publish(ctx context.Context, week string) (models.StoredPlan, error)
}

// Options configures the pages. The zero value is usable.
type Options struct {
	Logger   *slog.Logger
	Now      func() time.Time
	Location *time.Location
	// Limiter is the failed sign-in limiter, shared with the API.
	Limiter *access.Limiter
	// LocalKm is how far from the hub (km, straight line) a producer is
	// local in the EGalim summary, as the API's; 0 means
	// egalim.DefaultLocalKm.
	LocalKm float64
	// TrustedProxies are believed for X-Forwarded-For (the limiter's
	// address) and X-Forwarded-Proto (Secure cookies), as in the API.
	TrustedProxies []string
	// TokensRevoked is called after the members page revokes a token: the
	// API's Server.ForgetTokens, so its token cache lets the token go at
	// once. Nil: nothing to tell.
	TokensRevoked func()
}

// Site is the pages' handler. Make one with New.
type Site struct {
	store   Store
	jobs    Jobs
	opts    Options
	log     *slog.Logger
	now     func() time.Time
	loc     *time.Location
	limiter *access.Limiter
	tmpl    map[string]*template.Template
	static  staticFiles
	engine  *gin.Engine
	handler http.Handler
}

// New builds the pages on a store and the jobs (nil: no documents). It
// fails only when a template does not parse, which a test catches.
func New(st Store, jobs Jobs, opts Options) (*Site, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Limiter == nil {
		opts.Limiter = access.NewLimiter(0, 0)
	}
	if !(opts.LocalKm > 0) {
		opts.LocalKm = egalim.DefaultLocalKm
	}
	s := &Site{store: st, jobs: jobs, opts: opts, log: opts.Logger, now: opts.Now, loc: opts.Location, limiter: opts.Limiter}
	var err error
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.tmpl, err = parseTemplates(s.static); err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	e.ContextWithFallback = true
	if err := e.SetTrustedProxies(opts.TrustedProxies); err != nil {
		return nil, fmt.Errorf("web: trusted proxies: %w", err)
	}
	e.Use(s.base)
	e.NoRoute(func(c *gin.Context) { s.notFound(c) })
	e.NoMethod(func(c *gin.Context) {
		s.problemPage(c, http.StatusMethodNotAllowed, text{FR: "Cette action n'existe pas ici.", EN: "This action does not exist here."})
	})
	s.engine = e
	s.routes()
	// Every unsafe request from another site is refused before any handler
	// runs (Sec-Fetch-Site, then Origin against Host): a form on another
	// site cannot post in a signed-in person's name.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOrigin))
	s.handler = cop.Handler(e)
	return s, nil
}

// Handler returns the http.Handler serving the pages.
func (s *Site) Handler() http.Handler { return s.handler }

// ServeHTTP makes *Site an http.Handler.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes registers every page. Each role's file has one register function.
func (s *Site) routes() {
	s.engine.GET("/static/:file", s.serveStatic)
	s.engine.HEAD("/static/:file", s.serveStatic)
	s.engine.GET("/", s.signedIn(s.home))
	for _, register := range []func(){
		s.registerSignIn,
		s.registerFarmer,
		s.registerRelay,
		s.registerCook,
		s.registerCoordinator,
		s.registerCatalogue,
		s.registerMembers,
		s.registerDriver,
	} {
		register()
	}
}

// homes is each role's page: where a sign-in leads.
var homes = map[string]string{
	models.RoleFarmer:      pathFarmer,
	models.RoleRelay:       pathRelay,
	models.RoleCook:        pathCook,
	models.RoleCoordinator: "/",
	models.RoleDriver:      pathDriver,
}

// home sends a person to their role's page; the coordinator, whose own
// pages come later, gets the list of everyone's pages.
func (s *Site) home(c *gin.Context, p access.Principal) error {
	if h := homes[p.Role]; h != "/" && h != "" {
		c.Redirect(http.StatusSeeOther, s.withLang(c, h))
		return nil
	}
	ctx := c.Request.Context()
	producers, err := s.store.ListProducers(ctx, models.Page{Limit: models.MaxLimit})
	if err != nil {
		return err
	}
	relays, err := s.store.ListSites(ctx, planner.KindRelay, models.Page{Limit: models.MaxLimit})
	if err != nil {
		return err
	}
	canteens, err := s.store.ListSites(ctx, planner.KindCanteen, models.Page{Limit: models.MaxLimit})
	if err != nil {
		return err
	}
	weeks, err := all(func(pp models.Page) ([]models.Week, error) { return s.store.ListWeeks(ctx, pp) })
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "coordinator", &coordinatorPage{
		page: s.newPage(c, p, text{FR: "Coordination", EN: "Coordination"}), Producers: producers, Relays: relays, Canteens: canteens, Weeks: weeks})
}

// coordinatorPage lists every farmer's, relay point's and canteen's page.
type coordinatorPage struct {
	*page
	Producers        []models.Producer
	Relays, Canteens []models.Site
	// Weeks link to the week page, the latest first in the template.
	Weeks []models.Week
}

// Mount serves the API and the pages from one address space: the API owns
// /api/ and /healthz, the pages everything else. The serve command and the
// tests build the service's handler through it.
func Mount(api http.Handler, pages *Site) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	mux.Handle("/healthz", api)
	mux.Handle("/metrics", api)
	mux.Handle("/", pages.Handler())
	return mux
}

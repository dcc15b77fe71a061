package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"text/tabwriter"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"paniers/api"
	"paniers/config"
	"paniers/internal/access"
	"paniers/jobs"
	"paniers/jobs/osrm"
	"paniers/models"
	"paniers/web"
)

// shutdownGrace is how long in-flight requests get to finish after SIGINT or
// SIGTERM before the server closes their connections.
const shutdownGrace = 10 * time.Second

// runServe runs the "serve" subcommand: it loads and checks the
// configuration, opens and migrates the database, loads the demo when asked,
// and serves HTTP until ctx is cancelled (SIGINT, SIGTERM), then shuts down
// gracefully. It returns 0 after a clean shutdown, 2 for a bad configuration
// and 1 for any other failure.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, rest, err := config.Load("serve", args, os.Getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "paniers serve: unexpected arguments %q\n", rest)
		return 2
	}
	log := newLogger(cfg, stderr)
	if err := serve(ctx, cfg, log, stdout, stderr); err != nil {
		log.Error("paniers serve: stopped", "err", err)
		return 1
	}
	return 0
}

// newLogger builds the structured logger of the configuration's level and
// format.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.Level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// jobDeps builds the jobs' dependencies from the configuration, the same for
// serve and plan --week: the store, the log, the documents' folder, where
// round sheets are printed (nil: the log only), the MANNE rate of lent
// gardens, and road distances from the OSRM server when PANIERS_OSRM_URL is
// set (great-circle estimates without, or when it fails).
func jobDeps(cfg config.Config, st *models.Store, log *slog.Logger, sheets io.Writer) (jobs.Deps, error) {
	d := jobs.Deps{Store: st, Log: log, OutDir: cfg.OutDir, Sheets: sheets, ManneRate: models.ManneRate(cfg.ManneRateMicro), Effort: cfg.RoutingEffort}
	if cfg.OSRMURL != "" {
		c, err := osrm.New(cfg.OSRMURL, osrm.WithLogger(log))
		if err != nil {
			return d, fmt.Errorf("PANIERS_OSRM_URL: %w", err)
		}
		d.Matrix = c.Matrix()
		log.Info("road distances from OSRM", "osrm_url", cfg.OSRMURL)
	}
	return d, nil
}

// serve opens the store, starts the weekly jobs' schedule and serves until
// ctx is done; logStream (where the logs go) also receives the round sheets
// printed when a week is published. The listening address
// is logged ("listening", addr=...), which is how tests started on port 0
// find it.
func serve(ctx context.Context, cfg config.Config, log *slog.Logger, stdout, logStream io.Writer) error {
	// Planning keeps the CPUs busy: a spare processor keeps requests quick.
	jobs.RoomForRequests()
	st, err := models.Open(ctx, cfg.DB, log, models.WithLocation(cfg.Location))
	if err != nil {
		return err
	}
	defer st.Close()
	backend := "sqlite"
	if st.IsPostgres() {
		backend = "postgres"
	}
	log.Info("database ready", "backend", backend, "db", redactDSN(cfg.DB))

	if cfg.Demo {
		loaded, err := st.LoadDemo(ctx)
		if err != nil {
			return err
		}
		if loaded {
			log.Info("demo territory loaded")
		} else {
			log.Info("database not empty: demo territory not loaded, demo tokens ensured")
		}
		printDemoTokens(stdout, cfg.Addr)
		log.Warn("demo tokens are public and for a demo only: never use --demo with real data")
	}
	if cfg.AdminToken != "" {
		if _, err := st.EnsureToken(ctx, cfg.AdminToken, models.RoleCoordinator, "", "admin (PANIERS_ADMIN_TOKEN)"); err != nil {
			return fmt.Errorf("PANIERS_ADMIN_TOKEN: %w", err)
		}
		log.Info("coordinator token from PANIERS_ADMIN_TOKEN ready")
	}

	// The weekly jobs: the API's plan and publish routes and the schedule run
	// the same functions with the same dependencies.
	// The round sheets are printed to the log stream as plain text, for an
	// operator watching it; JSON logs get them as records only.
	var sheets io.Writer
	if cfg.LogFormat == "text" {
		sheets = logStream
	}
	deps, err := jobDeps(cfg, st, log, sheets)
	if err != nil {
		return err
	}
	// One registry for the API's, the jobs' and the Go runtime's metrics.
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	deps.Metrics = jobs.NewMetrics(reg)
	svc := jobs.NewService(deps)
	sched, err := jobs.NewScheduler(svc.Deps(), jobs.Schedules{CloseOffers: cfg.CloseOffers, Plan: cfg.Plan, Publish: cfg.Publish})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	handler, err := newHandler(st, svc, cfg, log, reg)
	if err != nil {
		return err
	}
	if cfg.MetricsAddr != "" {
		// The scraper's own address: metrics without a token, nothing else.
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("listen %s: %w", cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
		log.Info("metrics listening", "addr", mln.Addr().String())
		go func() {
			if err := msrv.Serve(mln); !errors.Is(err, http.ErrServerClosed) {
				log.Error("metrics server stopped", "err", err)
			}
		}()
		defer msrv.Close()
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	log.Info("listening", "addr", ln.Addr().String())
	if cfg.Demo {
		if err := printDemoLinks(ctx, stdout, st, ln.Addr().String()); err != nil {
			return err
		}
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	sched.Start(ctx)
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	// Stop the schedule first: a running job is cancelled and its database
	// work rolled back, then requests in flight finish.
	if err := sched.Stop(sctx); err != nil {
		log.Error("jobs did not stop in time", "err", err)
	}
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped cleanly")
	return nil
}

// newHandler builds the HTTP handler: the API under /api/ (which also
// answers GET /healthz) and the pages under /, on the same store and jobs,
// in the configured time zone, sharing one failed sign-in limiter.
func newHandler(st *models.Store, svc *jobs.Service, cfg config.Config, log *slog.Logger, reg *prometheus.Registry) (http.Handler, error) {
	limiter := access.NewLimiter(0, 0)
	apiSrv := api.New(st, api.Options{Logger: log, Location: cfg.Location, Jobs: svc, LocalKm: cfg.LocalKm, TrustedProxies: cfg.TrustedProxies, Limiter: limiter, Metrics: reg})
	apiH := apiSrv.Handler()
	pages, err := web.New(st, svc, web.Options{Logger: log, Location: cfg.Location, TrustedProxies: cfg.TrustedProxies, Limiter: limiter, LocalKm: cfg.LocalKm,
		TokensRevoked: apiSrv.ForgetTokens})
	if err != nil {
		return nil, err
	}
	return web.Mount(apiH, pages), nil
}

// printDemoLinks prints a fresh one-time sign-in link for the first demo
// token of each role: open it in a browser to see that role's page.
func printDemoLinks(ctx context.Context, w io.Writer, st *models.Store, addr string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Demo sign-in links (one-time, valid 7 days; open one in a browser):")
	seen := map[string]bool{}
	for _, t := range models.DemoTokens() {
		if seen[t.Role] {
			continue
		}
		tok, err := st.LookupToken(ctx, t.Token)
		if err != nil {
			continue // its scope is not in this database
		}
		clear, _, err := st.CreateSignInLink(ctx, tok.ID)
		if err != nil {
			return err
		}
		seen[t.Role] = true
		fmt.Fprintf(tw, "%s\t%s\thttp://%s%s\n", t.Role, t.Name, localURL(addr), access.SignInPath+clear)
	}
	return tw.Flush()
}

// printDemoTokens prints the demo tokens, one per role and scope, for a
// newcomer to copy into curl.
func printDemoTokens(w io.Writer, addr string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Demo access tokens (public, demo only):")
	fmt.Fprintln(tw, "ROLE\tSCOPE\tTOKEN\tNAME")
	for _, t := range models.DemoTokens() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Role, t.Scope, t.Token, t.Name)
	}
	fmt.Fprintf(tw, "Try: curl -H 'Authorization: Bearer demo-coordinateur' http://%s/api/v1/weeks\n", localURL(addr))
	tw.Flush()
}

// localURL turns a listen address into a host:port to type in a browser.
func localURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// redactDSN hides a PostgreSQL password before the DSN is logged.
func redactDSN(dsn string) string {
	if !config.IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

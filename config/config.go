// Package config holds paniers' configuration: its defaults, loading from the
// environment and command-line flags, and validation at start with a message
// naming the bad value, so a misconfigured service stops before serving.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	// The time zone database is embedded, so that Europe/Paris and any
	// PANIERS_TZ load on a machine without one (a slim container image).
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
)

// DefaultTZ is the time zone of windows, dates and cutoffs when none is
// configured: the territory's.
const DefaultTZ = "Europe/Paris"

// DefaultLocation returns DefaultTZ loaded, the location the store and the
// API fall back to when given none. It cannot fail: the time zone database
// is embedded in the binary.
func DefaultLocation() *time.Location {
	loc, err := time.LoadLocation(DefaultTZ)
	if err != nil {
		panic("config: embedded time zone database: " + err.Error())
	}
	return loc
}

// Config is the whole configuration of the service. Fields are filled from
// Default, then the environment (PANIERS_*), then flags; Validate checks them
// and sets the derived fields (Location, Level).
type Config struct {
	Addr        string // PANIERS_ADDR, --addr: listen address
	DB          string // PANIERS_DB, --db: SQLite file, or a postgres:// URL
	TZ          string // PANIERS_TZ, --tz: time zone of windows and cutoffs
	AdminToken  string // PANIERS_ADMIN_TOKEN (environment only: flags show in ps)
	OutDir      string // PANIERS_OUT, --out: folder of the printed documents
	OSRMURL     string // PANIERS_OSRM_URL, --osrm-url: optional road router
	LogLevel    string // PANIERS_LOG_LEVEL, --log-level: debug, info, warn, error
	LogFormat   string // PANIERS_LOG_FORMAT, --log-format: text or json
	Demo        bool   // --demo: load the demo territory into an empty database
	CloseOffers string // PANIERS_SCHEDULE_CLOSE_OFFERS: cron spec of the job closing offers
	Plan        string // PANIERS_SCHEDULE_PLAN: cron spec of the planning job
	Publish     string // PANIERS_SCHEDULE_PUBLISH: cron spec of the publishing job
	LocalKM     string // PANIERS_LOCAL_KM, --local-km: a producer this close to the hub (km, straight line) is local in EGalim reports
	ManneRate   string // PANIERS_MANNE_RATE, --manne-rate: MANNE per euro of a lent garden's sales
	MetricsAddr string // PANIERS_METRICS_ADDR, --metrics-addr: when set, an address serving GET /metrics without a token, for a scraper
	Proxies     string // PANIERS_TRUSTED_PROXIES, --trusted-proxies: CIDRs (or addresses) of the reverse proxies whose X-Forwarded-For names the client; none by default
	Effort      string // PANIERS_ROUTING_EFFORT, --routing-effort: multiplies the rounds' search budget, 1 to MaxEffort

	// Location is TZ loaded, Level is LogLevel parsed, LocalKm is LocalKM
	// parsed, ManneRateMicro is ManneRate in millionths of a MANNE per euro
	// and TrustedProxies is Proxies split into CIDRs (a bare address as a
	// /32 or /128). Validate sets them.
	Location       *time.Location
	Level          slog.Level
	LocalKm        float64
	ManneRateMicro int64
	TrustedProxies []string
	// RoutingEffort is Effort parsed (planner.Options.Effort).
	RoutingEffort int
}

// MaxEffort bounds PANIERS_ROUTING_EFFORT: 64 times the default search is
// already an hour for a region's week.
const MaxEffort = 64

// ParseEffort reads a routing effort: a whole number from 1 to MaxEffort.
func ParseEffort(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > MaxEffort {
		return 0, fmt.Errorf("want a whole number from 1 to %d", MaxEffort)
	}
	return n, nil
}

// Default returns the configuration used when nothing is set: the service on
// :8080 with the SQLite file paniers.db, Paris time, offers closing on
// Wednesday 20:00, planning on Thursday 14:00 and publishing at 14:30, local
// producers within 50 km of the hub.
func Default() Config {
	return Config{
		Addr:        ":8080",
		DB:          "paniers.db",
		TZ:          DefaultTZ,
		OutDir:      "out",
		LogLevel:    "info",
		LogFormat:   "text",
		CloseOffers: "0 20 * * 3",
		Plan:        "0 14 * * 4",
		Publish:     "30 14 * * 4",
		LocalKM:     "50",
		Effort:      "1",
		ManneRate:   "1",
	}
}

// setting describes one configuration value: its environment variable, its
// flag (empty when there is none), its help text and where it lives.
type setting struct {
	env, flag, help string
	field           func(*Config) *string
}

var settings = []setting{
	{"PANIERS_ADDR", "addr", "listen address", func(c *Config) *string { return &c.Addr }},
	{"PANIERS_DB", "db", "SQLite file, or postgres:// URL", func(c *Config) *string { return &c.DB }},
	{"PANIERS_TZ", "tz", "time zone of windows, dates and cutoffs", func(c *Config) *string { return &c.TZ }},
	{"PANIERS_ADMIN_TOKEN", "", "", func(c *Config) *string { return &c.AdminToken }},
	{"PANIERS_OUT", "out", "folder of the printed documents", func(c *Config) *string { return &c.OutDir }},
	{"PANIERS_OSRM_URL", "osrm-url", "OSRM server for road distances (optional)", func(c *Config) *string { return &c.OSRMURL }},
	{"PANIERS_LOG_LEVEL", "log-level", "debug, info, warn or error", func(c *Config) *string { return &c.LogLevel }},
	{"PANIERS_LOG_FORMAT", "log-format", "text or json", func(c *Config) *string { return &c.LogFormat }},
	{"PANIERS_SCHEDULE_CLOSE_OFFERS", "schedule-close-offers", "cron spec of the job closing offers", func(c *Config) *string { return &c.CloseOffers }},
	{"PANIERS_SCHEDULE_PLAN", "schedule-plan", "cron spec of the planning job", func(c *Config) *string { return &c.Plan }},
	{"PANIERS_SCHEDULE_PUBLISH", "schedule-publish", "cron spec of the publishing job", func(c *Config) *string { return &c.Publish }},
	{"PANIERS_LOCAL_KM", "local-km", "EGalim reports: a producer within this many km of the hub is local", func(c *Config) *string { return &c.LocalKM }},
	{"PANIERS_ROUTING_EFFORT", "routing-effort", "multiplies the rounds' search budget (1 to 64): longer planning, rounds as short or shorter", func(c *Config) *string { return &c.Effort }},
	{"PANIERS_MANNE_RATE", "manne-rate", "MANNE credited per euro of a lent garden's sales (up to 6 decimals)", func(c *Config) *string { return &c.ManneRate }},
	{"PANIERS_METRICS_ADDR", "metrics-addr", "address serving /metrics without a token (optional; keep it private)", func(c *Config) *string { return &c.MetricsAddr }},
	{"PANIERS_TRUSTED_PROXIES", "trusted-proxies", "comma-separated CIDRs of the reverse proxies whose X-Forwarded-For names the client", func(c *Config) *string { return &c.Proxies }},
}

// Source records where each value came from, so an error names what the
// user wrote: the flag ("--tz") when given, else the environment variable.
type Source map[string]string

// Load builds the configuration of a subcommand: defaults, then the
// environment read through getenv, then the flags in args (parsed by a flag
// set named name, whose errors and help go to output). It returns the
// validated configuration and the arguments left after the flags. -h returns
// flag.ErrHelp.
func Load(name string, args []string, getenv func(string) string, output io.Writer) (Config, []string, error) {
	c := Default()
	src := Source{}
	c.FromEnv(getenv, src)
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(output)
	c.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return c, nil, err
	}
	fs.Visit(func(f *flag.Flag) { src["--"+f.Name] = "--" + f.Name })
	for _, s := range settings {
		if s.flag != "" && src["--"+s.flag] != "" {
			src[s.env] = "--" + s.flag
		}
	}
	if err := c.Validate(src); err != nil {
		return c, nil, err
	}
	return c, fs.Args(), nil
}

// FromEnv overrides c with the PANIERS_* variables that are set (not empty),
// and records them in src when src is not nil.
func (c *Config) FromEnv(getenv func(string) string, src Source) {
	for _, s := range settings {
		if v := getenv(s.env); v != "" {
			*s.field(c) = v
			if src != nil {
				src[s.env] = s.env
			}
		}
	}
}

// RegisterFlags declares the configuration's flags on fs, with c's current
// values as defaults. Subcommands add their own flags beside them.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	for _, s := range settings {
		if s.flag != "" {
			fs.StringVar(s.field(c), s.flag, *s.field(c), s.help+" ("+s.env+")")
		}
	}
	fs.BoolVar(&c.Demo, "demo", c.Demo, "load the demo territory into an empty database and print its tokens")
}

// Validate checks every value and sets Location and Level. Its error lists
// each bad value, one per line, as `config: PANIERS_TZ "Mars/Olympus":
// unknown time zone`; src (may be nil) names the flag when a value came from
// one.
func (c *Config) Validate(src Source) error {
	var errs []error
	bad := func(env, value, reason string) {
		name := env
		if src != nil && src[env] != "" {
			name = src[env]
		}
		if env == "PANIERS_ADMIN_TOKEN" {
			value = "…" // never print a secret
		}
		errs = append(errs, fmt.Errorf("config: %s %q: %s", name, value, reason))
	}

	if err := checkAddr(c.Addr); err != nil {
		bad("PANIERS_ADDR", c.Addr, err.Error())
	}
	if err := checkDB(c.DB); err != nil {
		bad("PANIERS_DB", c.DB, err.Error())
	}
	if loc, err := loadLocation(c.TZ); err != nil {
		bad("PANIERS_TZ", c.TZ, "unknown time zone")
	} else {
		c.Location = loc
	}
	if c.AdminToken != "" && (len(c.AdminToken) < 16 || strings.ContainsAny(c.AdminToken, " \t\r\n")) {
		bad("PANIERS_ADMIN_TOKEN", c.AdminToken, "want at least 16 characters and no spaces")
	}
	if strings.TrimSpace(c.OutDir) == "" {
		bad("PANIERS_OUT", c.OutDir, "empty folder name")
	}
	if c.OSRMURL != "" {
		if u, err := url.Parse(c.OSRMURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("PANIERS_OSRM_URL", c.OSRMURL, "want an http:// or https:// URL")
		}
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		bad("PANIERS_LOG_LEVEL", c.LogLevel, "want debug, info, warn or error")
	} else {
		c.Level = lvl
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("PANIERS_LOG_FORMAT", c.LogFormat, "want text or json")
	}
	if km, err := strconv.ParseFloat(strings.TrimSpace(c.LocalKM), 64); err != nil || !(km > 0) || km > 1000 {
		bad("PANIERS_LOCAL_KM", c.LocalKM, "want a distance in km, more than 0 and at most 1000")
	} else {
		c.LocalKm = km
	}
	if micro, err := parseRate(c.ManneRate); err != nil {
		bad("PANIERS_MANNE_RATE", c.ManneRate, err.Error())
	} else {
		c.ManneRateMicro = micro
	}
	if n, err := ParseEffort(c.Effort); err != nil {
		bad("PANIERS_ROUTING_EFFORT", c.Effort, err.Error())
	} else {
		c.RoutingEffort = n
	}
	if c.MetricsAddr != "" {
		if err := checkAddr(c.MetricsAddr); err != nil {
			bad("PANIERS_METRICS_ADDR", c.MetricsAddr, err.Error())
		}
	}
	if proxies, err := parseProxies(c.Proxies); err != nil {
		bad("PANIERS_TRUSTED_PROXIES", c.Proxies, err.Error())
	} else {
		c.TrustedProxies = proxies
	}
	for _, s := range []struct{ env, spec string }{
		{"PANIERS_SCHEDULE_CLOSE_OFFERS", c.CloseOffers},
		{"PANIERS_SCHEDULE_PLAN", c.Plan},
		{"PANIERS_SCHEDULE_PUBLISH", c.Publish},
	} {
		if _, err := ScheduleParser.Parse(s.spec); err != nil {
			bad(s.env, s.spec, "invalid cron spec: "+err.Error())
		}
	}
	return errors.Join(errs...)
}

// maxRateMicro bounds PANIERS_MANNE_RATE: 1,000 MANNE per euro.
const maxRateMicro = 1_000_000_000

// parseRate reads a positive decimal rate such as "1", "0.5" or "1.25" with
// at most six decimals, exactly, into millionths: a float would not give
// the same cents on every machine.
func parseRate(s string) (int64, error) {
	whole, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	digits := func(x string) bool {
		return !strings.ContainsFunc(x, func(r rune) bool { return r < '0' || r > '9' })
	}
	if whole == "" || len(whole) > 4 || len(frac) > 6 || !digits(whole) || !digits(frac) || (strings.Contains(s, ".") && frac == "") {
		return 0, errors.New("want a decimal number such as 1 or 0.5, with at most 6 decimals")
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64)
	}
	micro := w*1_000_000 + f
	if micro <= 0 || micro > maxRateMicro {
		return 0, errors.New("must be greater than 0 and at most 1000")
	}
	return micro, nil
}

// ScheduleParser reads the PANIERS_SCHEDULE_* specs, for Validate and the
// scheduler (jobs) alike: the five standard cron fields, with an optional
// first field of seconds ("*/5 * * * * *" every five seconds, for tests and
// demos), and descriptors such as @daily. CRON_TZ=... may prefix a spec;
// otherwise it runs in the configured time zone.
var ScheduleParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// parseProxies reads a list of CIDRs separated by commas or spaces; a bare
// address stands for itself alone (/32 or /128). Empty means none.
func parseProxies(list string) ([]string, error) {
	var out []string
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked().String())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8 or an address such as 192.0.2.1", f)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()).String())
	}
	return out, nil
}

// loadLocation loads a time zone, refusing the empty name and "Local", which
// time.LoadLocation accepts but which would make the service depend on the
// machine's settings.
func loadLocation(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, errors.New("config: time zone must be named")
	}
	return time.LoadLocation(name)
}

func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("want host:port or :port")
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return errors.New("port must be a number from 0 to 65535")
	}
	if strings.ContainsAny(host, " /") {
		return errors.New("invalid host")
	}
	return nil
}

// IsPostgres says whether a PANIERS_DB value selects PostgreSQL.
func IsPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

func checkDB(db string) error {
	switch {
	case strings.TrimSpace(db) == "":
		return errors.New("empty database name")
	case IsPostgres(db):
		u, err := url.Parse(db)
		if err != nil || u.Host == "" {
			return errors.New("invalid PostgreSQL URL")
		}
		return nil
	case strings.Contains(db, "://"):
		return errors.New("unsupported database URL: want a file path or postgres://")
	case db == ":memory:" || strings.Contains(db, "mode=memory"):
		return errors.New("an in-memory database would lose everything at stop: use a file")
	}
	return nil
}

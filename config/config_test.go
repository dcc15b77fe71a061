package config

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr []string // substrings of the error, one per bad value
		check   func(t *testing.T, c Config)
	}{
		{
			name: "defaults",
			check: func(t *testing.T, c Config) {
				d := Default()
				if c.Addr != ":8080" || c.DB != "paniers.db" || c.TZ != "Europe/Paris" || c.OutDir != "out" {
					t.Errorf("defaults: got %+v", c)
				}
				if c.CloseOffers != "0 20 * * 3" || c.Plan != "0 14 * * 4" || c.Publish != "30 14 * * 4" {
					t.Errorf("schedules: got %q %q %q", c.CloseOffers, c.Plan, c.Publish)
				}
				if c.Location == nil || c.Location.String() != "Europe/Paris" || c.Level != slog.LevelInfo || c.Demo || d.Demo {
					t.Errorf("derived: location %v level %v demo %v", c.Location, c.Level, c.Demo)
				}
			},
		},
		{
			name: "env",
			env: map[string]string{"PANIERS_ADDR": "127.0.0.1:9000", "PANIERS_DB": "postgres://u@db:5432/p?sslmode=disable",
				"PANIERS_TZ": "UTC", "PANIERS_ADMIN_TOKEN": "0123456789abcdef0123", "PANIERS_OUT": "/var/lib/paniers/out",
				"PANIERS_OSRM_URL": "http://osrm:5000", "PANIERS_LOG_LEVEL": "debug", "PANIERS_SCHEDULE_PLAN": "15 13 * * 4"},
			check: func(t *testing.T, c Config) {
				if c.Addr != "127.0.0.1:9000" || !IsPostgres(c.DB) || c.Location.String() != "UTC" || c.AdminToken != "0123456789abcdef0123" ||
					c.OutDir != "/var/lib/paniers/out" || c.OSRMURL != "http://osrm:5000" || c.Level != slog.LevelDebug || c.Plan != "15 13 * * 4" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "flags override env",
			env:  map[string]string{"PANIERS_ADDR": ":9000", "PANIERS_DB": "a.db"},
			args: []string{"--addr", "127.0.0.1:0", "--db", "b.db", "--demo", "rest"},
			check: func(t *testing.T, c Config) {
				if c.Addr != "127.0.0.1:0" || c.DB != "b.db" || !c.Demo {
					t.Errorf("got %+v", c)
				}
			},
		},
		{name: "bad tz from env", env: map[string]string{"PANIERS_TZ": "Mars/Olympus"}, wantErr: []string{`config: PANIERS_TZ "Mars/Olympus": unknown time zone`}},
		{name: "bad tz from flag", args: []string{"--tz", "Mars/Olympus"}, wantErr: []string{`config: --tz "Mars/Olympus": unknown time zone`}},
		{name: "local tz", env: map[string]string{"PANIERS_TZ": "Local"}, wantErr: []string{`PANIERS_TZ "Local": unknown time zone`}},
		{name: "addr without port", env: map[string]string{"PANIERS_ADDR": "localhost"}, wantErr: []string{`config: PANIERS_ADDR "localhost": want host:port`}},
		{name: "addr bad port", env: map[string]string{"PANIERS_ADDR": ":99999"}, wantErr: []string{`PANIERS_ADDR ":99999": port must be`}},
		{name: "db mysql", env: map[string]string{"PANIERS_DB": "mysql://x/y"}, wantErr: []string{`PANIERS_DB "mysql://x/y": unsupported database URL`}},
		{name: "db memory", env: map[string]string{"PANIERS_DB": ":memory:"}, wantErr: []string{`PANIERS_DB ":memory:": an in-memory database`}},
		{name: "db postgres without host", args: []string{"--db", "postgres://"}, wantErr: []string{`--db "postgres://": invalid PostgreSQL URL`}},
		{name: "short admin token, not printed", env: map[string]string{"PANIERS_ADMIN_TOKEN": "secret"}, wantErr: []string{`PANIERS_ADMIN_TOKEN "…": want at least 16`}},
		{name: "osrm not http", env: map[string]string{"PANIERS_OSRM_URL": "ftp://x"}, wantErr: []string{`PANIERS_OSRM_URL "ftp://x": want an http`}},
		{name: "log level", env: map[string]string{"PANIERS_LOG_LEVEL": "loud"}, wantErr: []string{`PANIERS_LOG_LEVEL "loud"`}},
		{name: "log format", env: map[string]string{"PANIERS_LOG_FORMAT": "xml"}, wantErr: []string{`PANIERS_LOG_FORMAT "xml"`}},
		{name: "bad cron", env: map[string]string{"PANIERS_SCHEDULE_CLOSE_OFFERS": "0 25 * * 3"}, wantErr: []string{`PANIERS_SCHEDULE_CLOSE_OFFERS "0 25 * * 3": invalid cron spec`}},
		{name: "cron seven fields refused", env: map[string]string{"PANIERS_SCHEDULE_PUBLISH": "0 0 30 14 * * 4"}, wantErr: []string{`PANIERS_SCHEDULE_PUBLISH "0 0 30 14 * * 4": invalid cron spec`}},
		{name: "cron seconds field accepted", env: map[string]string{"PANIERS_SCHEDULE_PLAN": "*/5 * * * * *"}},
		{name: "cron bad seconds refused", env: map[string]string{"PANIERS_SCHEDULE_PLAN": "61 * * * * *"}, wantErr: []string{`PANIERS_SCHEDULE_PLAN "61 * * * * *": invalid cron spec`}},
		{name: "cron descriptor accepted", env: map[string]string{"PANIERS_SCHEDULE_PLAN": "@weekly"}},
		{name: "manne rate default", check: func(t *testing.T, c Config) {
			if c.ManneRateMicro != 1_000_000 {
				t.Errorf("default rate %d millionths, want 1000000", c.ManneRateMicro)
			}
		}},
		{name: "manne rate decimals", env: map[string]string{"PANIERS_MANNE_RATE": "0.125"}, check: func(t *testing.T, c Config) {
			if c.ManneRateMicro != 125_000 {
				t.Errorf("rate 0.125 = %d millionths", c.ManneRateMicro)
			}
		}},
		{name: "manne rate flag", args: []string{"--manne-rate", "2"}, check: func(t *testing.T, c Config) {
			if c.ManneRateMicro != 2_000_000 {
				t.Errorf("rate 2 = %d millionths", c.ManneRateMicro)
			}
		}},
		{name: "manne rate zero", env: map[string]string{"PANIERS_MANNE_RATE": "0"}, wantErr: []string{`PANIERS_MANNE_RATE "0": must be greater than 0`}},
		{name: "manne rate negative", args: []string{"--manne-rate", "-1"}, wantErr: []string{`--manne-rate "-1": want a decimal`}},
		{name: "manne rate too precise", env: map[string]string{"PANIERS_MANNE_RATE": "0.1234567"}, wantErr: []string{`PANIERS_MANNE_RATE "0.1234567": want a decimal`}},
		{name: "manne rate exponent", env: map[string]string{"PANIERS_MANNE_RATE": "1e3"}, wantErr: []string{`PANIERS_MANNE_RATE "1e3": want a decimal`}},
		{name: "manne rate huge", env: map[string]string{"PANIERS_MANNE_RATE": "5000"}, wantErr: []string{`PANIERS_MANNE_RATE "5000": must be greater than 0 and at most 1000`}},
		{name: "empty out", args: []string{"--out", " "}, wantErr: []string{`--out " ": empty folder name`}},
		{name: "local km default", check: func(t *testing.T, c Config) {
			if c.LocalKm != 50 {
				t.Errorf("local km %v, want 50", c.LocalKm)
			}
		}},
		{name: "local km from env and flag", env: map[string]string{"PANIERS_LOCAL_KM": "80"}, args: []string{"--local-km", "30.5"}, check: func(t *testing.T, c Config) {
			if c.LocalKm != 30.5 {
				t.Errorf("local km %v, want 30.5", c.LocalKm)
			}
		}},
		{name: "local km zero", env: map[string]string{"PANIERS_LOCAL_KM": "0"}, wantErr: []string{`PANIERS_LOCAL_KM "0": want a distance`}},
		{name: "local km not a number", args: []string{"--local-km", "NaN"}, wantErr: []string{`--local-km "NaN": want a distance`}},
		{name: "local km too far", env: map[string]string{"PANIERS_LOCAL_KM": "5000"}, wantErr: []string{`PANIERS_LOCAL_KM "5000": want a distance`}},
		{name: "routing effort default", check: func(t *testing.T, c Config) {
			if c.RoutingEffort != 1 {
				t.Errorf("routing effort %d, want 1", c.RoutingEffort)
			}
		}},
		{name: "routing effort from env and flag", env: map[string]string{"PANIERS_ROUTING_EFFORT": "4"}, args: []string{"--routing-effort", "2"}, check: func(t *testing.T, c Config) {
			if c.RoutingEffort != 2 {
				t.Errorf("routing effort %d, want 2", c.RoutingEffort)
			}
		}},
		{name: "routing effort zero", env: map[string]string{"PANIERS_ROUTING_EFFORT": "0"}, wantErr: []string{`PANIERS_ROUTING_EFFORT "0": want a whole number from 1 to 64`}},
		{name: "routing effort too big", args: []string{"--routing-effort", "65"}, wantErr: []string{`--routing-effort "65": want a whole number`}},
		{name: "routing effort not a number", env: map[string]string{"PANIERS_ROUTING_EFFORT": "2.5"}, wantErr: []string{`PANIERS_ROUTING_EFFORT "2.5": want a whole number`}},
		{name: "metrics address", env: map[string]string{"PANIERS_METRICS_ADDR": "127.0.0.1:9090"}, check: func(t *testing.T, c Config) {
			if c.MetricsAddr != "127.0.0.1:9090" {
				t.Errorf("metrics address %q", c.MetricsAddr)
			}
		}},
		{name: "metrics address bad", args: []string{"--metrics-addr", "nine"}, wantErr: []string{`--metrics-addr "nine"`}},
		{name: "trusted proxies none by default", check: func(t *testing.T, c Config) {
			if len(c.TrustedProxies) != 0 {
				t.Errorf("trusted proxies %v, want none", c.TrustedProxies)
			}
		}},
		{name: "trusted proxies from env and flag", env: map[string]string{"PANIERS_TRUSTED_PROXIES": "10.0.0.0/8"}, args: []string{"--trusted-proxies", "10.1.2.3/8, 192.0.2.1,2001:db8::/32"}, check: func(t *testing.T, c Config) {
			if got := strings.Join(c.TrustedProxies, " "); got != "10.0.0.0/8 192.0.2.1/32 2001:db8::/32" {
				t.Errorf("trusted proxies %q", got)
			}
		}},
		{name: "trusted proxies bad", env: map[string]string{"PANIERS_TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}, wantErr: []string{`PANIERS_TRUSTED_PROXIES "10.0.0.0/8,proxy.local": "proxy.local" is not a CIDR`}},
		{name: "trusted proxies bad mask", args: []string{"--trusted-proxies", "10.0.0.0/33"}, wantErr: []string{`--trusted-proxies "10.0.0.0/33"`}},
		{
			name:    "every bad value named",
			env:     map[string]string{"PANIERS_TZ": "Nowhere", "PANIERS_ADDR": "x", "PANIERS_SCHEDULE_PLAN": "nope"},
			wantErr: []string{"PANIERS_TZ", "PANIERS_ADDR", "PANIERS_SCHEDULE_PLAN"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, rest, err := Load("serve", tc.args, envOf(tc.env), io.Discard)
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatalf("no error, want %q", tc.wantErr)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
				if n := strings.Count(err.Error(), "config: "); n != len(tc.wantErr) {
					t.Errorf("error %q names %d problems, want %d", err, n, len(tc.wantErr))
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
			if len(tc.args) > 0 && tc.args[len(tc.args)-1] == "rest" && (len(rest) != 1 || rest[0] != "rest") {
				t.Errorf("rest = %q", rest)
			}
		})
	}
}

func TestLoadHelpAndUnknownFlag(t *testing.T) {
	var out strings.Builder
	if _, _, err := Load("serve", []string{"-h"}, envOf(nil), &out); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: err = %v, want flag.ErrHelp", err)
	}
	if !strings.Contains(out.String(), "PANIERS_DB") {
		t.Errorf("help does not name the environment variables:\n%s", out.String())
	}
	if _, _, err := Load("serve", []string{"--nope"}, envOf(nil), io.Discard); err == nil {
		t.Error("unknown flag accepted")
	}
}

// TestDefaultLocation checks the fallback zone is Paris time, with its
// daylight saving: 12:00 UTC is 13:00 in winter and 14:00 in summer.
func TestDefaultLocation(t *testing.T) {
	loc := DefaultLocation()
	if loc.String() != DefaultTZ || Default().TZ != DefaultTZ {
		t.Fatalf("DefaultLocation = %s, Default().TZ = %s, want %s", loc, Default().TZ, DefaultTZ)
	}
	for _, c := range []struct {
		month time.Month
		hour  int
	}{{time.January, 13}, {time.July, 14}} {
		if h := time.Date(2026, c.month, 15, 12, 0, 0, 0, time.UTC).In(loc).Hour(); h != c.hour {
			t.Errorf("12:00 UTC on 15 %s is %d:00 in %s, want %d:00", c.month, h, loc, c.hour)
		}
	}
}

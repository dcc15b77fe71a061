package cli

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paniers/internal/testdb"
	"paniers/internal/testlog"
	"paniers/models"
)

// started is a running `paniers serve`.
type started struct {
	addr   string
	cancel context.CancelFunc
	done   chan int
	stdout *testlog.Buffer
	stderr *testlog.Buffer
}

// startServe runs `paniers serve` through run, as main does, on 127.0.0.1:0
// and waits until it logs the address it listens on.
func startServe(t *testing.T, args ...string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &started{cancel: cancel, done: make(chan int, 1), stdout: &testlog.Buffer{}, stderr: &testlog.Buffer{}}
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, args...)
	go func() { s.done <- run(ctx, args, s.stdout, s.stderr) }()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if addr, ok := s.stderr.ListenAddr(); ok {
			s.addr = addr
			return s
		}
		select {
		case code := <-s.done:
			cancel()
			t.Fatalf("serve exited with %d before listening:\n%s", code, s.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not log its address:\n%s", s.stderr.String())
	return nil
}

// stop cancels the server's context, as SIGINT does, and returns its exit
// code.
func (s *started) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		return code
	case <-time.After(15 * time.Second):
		t.Fatalf("serve did not stop:\n%s", s.stderr.String())
		return -1
	}
}

func getStatus(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestServeDemoHealthzAndCleanShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "paniers.db")
	const admin = "admin-token-for-the-test-0123"
	t.Setenv("PANIERS_ADMIN_TOKEN", admin)
	s := startServe(t, "--db", db, "--out", t.TempDir(), "--demo")
	if code := getStatus(t, "http://"+s.addr+"/healthz", ""); code != http.StatusOK {
		t.Errorf("GET /healthz = %d, want 200", code)
	}
	// The API is wired in: the demo and admin tokens open it, nothing else.
	for _, c := range []struct {
		path, token string
		want        int
	}{
		{"/api/v1/weeks", models.DemoCoordinatorToken, http.StatusOK},
		{"/api/v1/weeks", admin, http.StatusOK},
		{"/api/v1/weeks", "", http.StatusUnauthorized},
		{"/api/v1/weeks", "demo-nobody-at-all", http.StatusUnauthorized},
		{"/api/v1/producers", "demo-relais-loos", http.StatusOK},
	} {
		if code := getStatus(t, "http://"+s.addr+c.path, c.token); code != c.want {
			t.Errorf("GET %s with %q = %d, want %d", c.path, c.token, code, c.want)
		}
	}
	if code := s.stop(t); code != 0 {
		t.Fatalf("exit code %d after cancel, want 0:\n%s", code, s.stderr.String())
	}
	var msgs []string
	for _, r := range s.stderr.Records() {
		msgs = append(msgs, fmt.Sprint(r["msg"]))
	}
	jobsScheduled := 0
	for _, m := range msgs {
		if m == "job scheduled" {
			jobsScheduled++
		}
	}
	if jobsScheduled != 3 {
		t.Errorf("%d jobs scheduled, want 3 (close-offers, plan, publish)", jobsScheduled)
	}
	for _, want := range []string{"database ready", "demo territory loaded", "listening", "shutting down", "stopped cleanly"} {
		if !strings.Contains(strings.Join(msgs, "\n"), want) {
			t.Errorf("log lacks %q; got %q", want, msgs)
		}
	}
	out := s.stdout.String()
	for _, want := range []string{models.DemoCoordinatorToken, "demo-ferme-bois-loos", "demo-relais-loos", "demo-cantine-ferry", "demo only"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(s.stderr.String()+out, admin) {
		t.Error("the admin token was printed")
	}

	// The schema, the demo and the admin token survive a restart; the demo
	// is not loaded twice.
	s2 := startServe(t, "--db", db, "--out", t.TempDir(), "--demo")
	if code := getStatus(t, "http://"+s2.addr+"/healthz", ""); code != http.StatusOK {
		t.Errorf("GET /healthz after restart = %d, want 200", code)
	}
	if code := s2.stop(t); code != 0 {
		t.Fatalf("exit code %d after restart, want 0", code)
	}
	if strings.Contains(s2.stderr.String(), "demo territory loaded") {
		t.Error("demo loaded again into a database that holds it")
	}
	st, err := models.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tok, err := st.LookupToken(context.Background(), admin)
	if err != nil || tok.Role != models.RoleCoordinator {
		t.Errorf("admin token: %+v, %v; want a coordinator token", tok, err)
	}
	weeks, err := st.ListWeeks(context.Background(), models.Page{})
	if err != nil || len(weeks) != 1 {
		t.Errorf("weeks after restart: %v, %v", weeks, err)
	}
}

func TestServeRefusesBadConfiguration(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"time zone", map[string]string{"PANIERS_TZ": "Mars/Olympus"}, nil, `config: PANIERS_TZ "Mars/Olympus": unknown time zone`},
		{"cron", map[string]string{"PANIERS_SCHEDULE_PLAN": "every thursday"}, nil, `config: PANIERS_SCHEDULE_PLAN "every thursday": invalid cron spec`},
		{"address flag", nil, []string{"--addr", "nowhere"}, `config: --addr "nowhere"`},
		{"extra argument", nil, []string{"--db", "x.db", "surplus"}, `unexpected arguments ["surplus"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var stdout, stderr testlog.Buffer
			code := run(context.Background(), append([]string{"serve"}, tc.args...), &stdout, &stderr)
			if code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.want)
			}
		})
	}
}

func TestServeFailsOnUnusableDatabase(t *testing.T) {
	var stdout, stderr testlog.Buffer
	dir := t.TempDir() // a directory is not a database file
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--db", dir}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit code %d, want 1; stderr:\n%s", code, stderr.String())
	}
}

// TestServeOnPostgres runs the same start, demo, healthz and shutdown on
// PostgreSQL when PANIERS_TEST_PG names a server, in a fresh schema.
func TestServeOnPostgres(t *testing.T) {
	if os.Getenv(testdb.EnvPG) == "" {
		t.Skip("PANIERS_TEST_PG not set")
	}
	dsn := testdb.DSN(t) // a fresh schema on the server PANIERS_TEST_PG names
	s := startServe(t, "--db", dsn, "--out", t.TempDir(), "--demo")
	if code := getStatus(t, "http://"+s.addr+"/healthz", ""); code != http.StatusOK {
		t.Errorf("GET /healthz = %d, want 200", code)
	}
	if code := getStatus(t, "http://"+s.addr+"/api/v1/weeks", models.DemoCoordinatorToken); code != http.StatusOK {
		t.Errorf("GET /api/v1/weeks = %d, want 200", code)
	}
	if code := s.stop(t); code != 0 {
		t.Fatalf("exit code %d, want 0:\n%s", code, s.stderr.String())
	}
	if !strings.Contains(s.stderr.String(), `"backend":"postgres"`) {
		t.Errorf("log does not say postgres:\n%s", s.stderr.String())
	}
}

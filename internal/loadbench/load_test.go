// Package loadbench measures the real paniers binary under load, beside two
// baselines measured in the same run: a minimal gin + gorm + SQLite handler
// that decodes an offer and inserts it (WAL, one connection), and a bare gin
// handler. Every server is a process of its own on 127.0.0.1, the load comes
// from vegeta used as a library in the test process, and every attack lasts
// a fixed time, so a run stops by itself.
//
// Run it (it is not part of `go test ./...`, which runs no benchmark):
//
//	go test ./internal/loadbench -run '^$' -bench . -benchtime 1x
//
// PANIERS_LOAD_DURATION (default 5s) sets the length of each attack and
// PANIERS_LOAD_CONNECTIONS (default 64) the number of concurrent clients.
// PANIERS_LOAD_BINARY, when set, names a paniers binary to attack instead of
// the one built from this tree (an instrumented or older build, for a
// profile or an A/B comparison); it is started the same way.
package loadbench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TestMain lets the test binary double as a baseline server: started with
// PANIERS_LOADBENCH_BASELINE set, it serves that baseline instead of
// running tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv(envBaseline); mode != "" {
		os.Exit(serveBaseline(mode, os.Getenv(envBaselineDB)))
	}
	os.Exit(m.Run())
}

// Settings of a run.
func loadDuration(tb testing.TB) time.Duration {
	if s := os.Getenv("PANIERS_LOAD_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 || d > 10*time.Minute {
			tb.Fatalf("PANIERS_LOAD_DURATION %q: want a duration up to 10m", s)
		}
		return d
	}
	return 5 * time.Second
}

func loadConnections(tb testing.TB) int {
	if s := os.Getenv("PANIERS_LOAD_CONNECTIONS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 4096 {
			tb.Fatalf("PANIERS_LOAD_CONNECTIONS %q: want 1 to 4096", s)
		}
		return n
	}
	return 64
}

// server is a process under test, listening on 127.0.0.1.
type server struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:port
	stderr *lockedBuffer
	done   chan struct{}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 {
		// Keep the head (start-up lines) and drop the request log.
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var listenLine = regexp.MustCompile(`(?:msg=listening|"msg":"listening").*?addr"?[=:]"?(127\.0\.0\.1:[0-9]+)`)

// start runs cmd and waits for it to say where it listens: a log line
// `msg=listening addr=127.0.0.1:PORT` on stderr, or for the baselines the
// same on stdout.
func start(tb testing.TB, cmd *exec.Cmd) *server {
	tb.Helper()
	s := &server{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan struct{})}
	pr, pw := io.Pipe()
	cmd.Stderr = io.MultiWriter(s.stderr, pw)
	cmd.Stdout = io.MultiWriter(s.stderr, pw)
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go func() { cmd.Wait(); pw.Close(); close(s.done) }()
	tb.Cleanup(s.stop)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if m := listenLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		// The request log is kept (its head) in s.stderr, not parsed: the
		// load generator shares the machine with the server.
		io.Copy(io.Discard, pr)
	}()
	select {
	case addr := <-found:
		s.base = "http://" + addr
	case <-s.done:
		tb.Fatalf("%s exited before listening:\n%s", cmd.Path, s.stderr.String())
	case <-time.After(60 * time.Second):
		tb.Fatalf("%s did not listen within 60 s:\n%s", cmd.Path, s.stderr.String())
	}
	return s
}

// stop ends the process: SIGINT for a graceful shutdown, then SIGKILL.
func (s *server) stop() {
	if s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// buildOnce builds the paniers binary once per test process.
var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

func paniersBinary(tb testing.TB) string {
	tb.Helper()
	if bin := os.Getenv("PANIERS_LOAD_BINARY"); bin != "" {
		return bin
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "paniers-loadbench-")
		if err != nil {
			buildErr = err
			return
		}
		buildPath = filepath.Join(dir, "paniers")
		out, err := exec.Command("go", "build", "-o", buildPath, "paniers").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return buildPath
}

// startPaniers builds and starts `paniers serve --demo` on a fresh SQLite
// database, on 127.0.0.1 only.
func startPaniers(tb testing.TB) *server {
	tb.Helper()
	cmd := exec.Command(paniersBinary(tb), "serve", "--demo")
	dir := tb.TempDir()
	cmd.Env = append(os.Environ(),
		"PANIERS_ADDR=127.0.0.1:0",
		"PANIERS_DB="+filepath.Join(dir, "paniers.db"),
		"PANIERS_OUT="+filepath.Join(dir, "out"),
		"PANIERS_ADMIN_TOKEN=",
	)
	return start(tb, cmd)
}

// startBaseline starts the test binary as a baseline server.
func startBaseline(tb testing.TB, mode string) *server {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envBaseline+"="+mode, envBaselineDB+"="+filepath.Join(tb.TempDir(), "baseline.db"))
	return start(tb, cmd)
}

// getJSON reads a JSON answer from a running server.
func getJSON(tb testing.TB, url, token string, v any) {
	tb.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		tb.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
}

// demoWorld is what the offer targets need from the running demo.
type demoWorld struct {
	week      string
	producers []string
	products  []struct {
		ID   string  `json:"id"`
		Step float64 `json:"step"`
	}
}

func readDemo(tb testing.TB, base string) demoWorld {
	tb.Helper()
	const coord = "demo-coordinateur"
	var d demoWorld
	var weeks struct {
		Items []struct {
			ID            string `json:"id"`
			AcceptsOffers bool   `json:"accepts_offers"`
		} `json:"items"`
	}
	getJSON(tb, base+"/api/v1/weeks", coord, &weeks)
	for _, w := range weeks.Items {
		if w.AcceptsOffers {
			d.week = w.ID
		}
	}
	if d.week == "" {
		tb.Fatalf("no demo week accepts offers: %+v", weeks)
	}
	var producers struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	getJSON(tb, base+"/api/v1/producers?limit=200", coord, &producers)
	for _, p := range producers.Items {
		d.producers = append(d.producers, p.ID)
	}
	var products struct {
		Items []struct {
			ID   string  `json:"id"`
			Step float64 `json:"step"`
		} `json:"items"`
	}
	getJSON(tb, base+"/api/v1/products?limit=200", coord, &products)
	d.products = products.Items
	if len(d.producers) == 0 || len(d.products) == 0 {
		tb.Fatal("the demo has no producers or products")
	}
	return d
}

// offerTargets are posts of offers by every demo farmer (with its own
// token) for every product, with varying quantities on the product's step.
func offerTargets(d demoWorld, base string) []vegeta.Target {
	var out []vegeta.Target
	for i, p := range d.producers {
		for j, pr := range d.products {
			q := pr.Step * float64(10+(i*7+j*3)%90)
			body := fmt.Sprintf(`{"product": %q, "quantity": %s, "price_cents": %d}`, pr.ID, strconv.FormatFloat(q, 'f', -1, 64), 100+i*10+j)
			out = append(out, vegeta.Target{
				Method: "POST",
				URL:    base + "/api/v1/weeks/" + d.week + "/offers",
				Body:   []byte(body),
				Header: http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer demo-" + p}},
			})
		}
	}
	return out
}

// result is one attack's figures.
type result struct {
	name       string
	requests   uint64
	rate       float64 // successful answers per second
	p50, p99   time.Duration
	p999, max  time.Duration
	errors     int // non-2xx answers and transport errors
	codes      map[string]int
	firstError string
}

// attack sends targets round-robin with conns concurrent clients, as fast
// as the server answers, for d.
func attack(tb testing.TB, name string, targets []vegeta.Target, conns int, d time.Duration) result {
	tb.Helper()
	atk := vegeta.NewAttacker(
		vegeta.Connections(conns),
		vegeta.MaxConnections(conns),
		vegeta.Workers(uint64(conns)),
		vegeta.MaxWorkers(uint64(conns)),
		vegeta.KeepAlive(true),
		vegeta.Timeout(30*time.Second),
	)
	tr := vegeta.NewStaticTargeter(targets...)
	var m vegeta.Metrics
	first := ""
	for res := range atk.Attack(tr, vegeta.Rate{Freq: 0}, d, name) {
		m.Add(res)
		if first == "" && (res.Error != "" || res.Code < 200 || res.Code > 299) {
			first = fmt.Sprintf("%d %s %s", res.Code, res.Error, truncate(string(res.Body), 300))
		}
	}
	m.Close()
	r := result{name: name, requests: m.Requests, p50: m.Latencies.P50, p99: m.Latencies.P99,
		p999: m.Latencies.Quantile(0.999), max: m.Latencies.Max, codes: m.StatusCodes, firstError: first}
	for code, n := range m.StatusCodes {
		if c, _ := strconv.Atoi(code); c < 200 || c > 299 {
			r.errors += n
		}
	}
	if m.Duration > 0 {
		r.rate = float64(m.Requests-uint64(r.errors)) / (m.Duration + m.Wait).Seconds()
	}
	return r
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// report prints a result and records it as the benchmark's metrics.
func report(b *testing.B, r result) {
	b.ReportMetric(r.rate, "req/s")
	b.ReportMetric(float64(r.p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(r.p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(r.p999.Microseconds())/1000, "p999-ms")
	b.ReportMetric(float64(r.max.Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(r.errors), "errors")
	var codes []string
	for c, n := range r.codes {
		codes = append(codes, fmt.Sprintf("%s:%d", c, n))
	}
	sort.Strings(codes)
	b.Logf("%s: %d requests, %.0f req/s, p50 %v, p99 %v, p99.9 %v, max %v, %d errors, codes %v %s",
		r.name, r.requests, r.rate, r.p50, r.p99, r.p999, r.max, r.errors, codes, r.firstError)
}

// BenchmarkOfferPosts posts offers with 64 concurrent clients to the real
// binary, to the minimal gin + gorm + SQLite handler and to a bare gin
// handler, one after the other in the same run, and reports the service's
// rate as a fraction of the minimal handler's.
func BenchmarkOfferPosts(b *testing.B) {
	d, conns := loadDuration(b), loadConnections(b)
	srv := startPaniers(b)
	world := readDemo(b, srv.base)
	service := attack(b, "paniers", offerTargets(world, srv.base), conns, d)
	srv.stop()

	minimal := startBaseline(b, baselineGorm)
	gormRes := attack(b, "minimal gin+gorm+sqlite", offerTargets(world, minimal.base), conns, d)
	minimal.stop()

	bare := startBaseline(b, baselineBare)
	bareRes := attack(b, "bare gin", offerTargets(world, bare.base), conns, d)
	bare.stop()

	b.Run("service", func(b *testing.B) { report(b, service) })
	b.Run("minimal-gorm", func(b *testing.B) { report(b, gormRes) })
	b.Run("bare-gin", func(b *testing.B) { report(b, bareRes) })
	ratio := service.rate / gormRes.rate
	b.ReportMetric(100*ratio, "%-of-minimal")
	b.Logf("paniers: %.0f req/s (%.0f%% of the minimal handler's %.0f, bare gin %.0f); p99 %v; %d errors",
		service.rate, 100*ratio, gormRes.rate, bareRes.rate, service.p99, service.errors)
	if service.errors > 0 {
		b.Errorf("the service answered %d errors under load: %s", service.errors, service.firstError)
	}
}

// BenchmarkReads reads the week's scenario, plan and pick-up lists of the
// planned demo week with 64 concurrent clients (the plan and pick-up lists
// when the service has those routes).
func BenchmarkReads(b *testing.B) {
	d, conns := loadDuration(b), loadConnections(b)
	srv := startPaniers(b)
	world := readDemo(b, srv.base)
	const coord = "demo-coordinateur"
	hdr := http.Header{"Authorization": {"Bearer " + coord}}
	weekURL := srv.base + "/api/v1/weeks/" + world.week

	// Plan the week when the service can.
	req, _ := http.NewRequest("POST", weekURL+"/plan", nil)
	req.Header = hdr.Clone()
	planned := false
	if resp, err := http.DefaultClient.Do(req); err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		planned = resp.StatusCode < 300
		if !planned {
			b.Logf("POST plan: %d %s", resp.StatusCode, truncate(string(body), 200))
		}
	}
	reads := []struct {
		name    string
		targets func() []vegeta.Target
	}{
		{"scenario", func() []vegeta.Target {
			return []vegeta.Target{{Method: "GET", URL: weekURL + "/scenario", Header: hdr}}
		}},
		{"plan", func() []vegeta.Target {
			return []vegeta.Target{{Method: "GET", URL: weekURL + "/plan", Header: hdr}}
		}},
		{"pickup-lists", func() []vegeta.Target {
			var out []vegeta.Target
			var sites struct {
				Items []struct {
					ID string `json:"id"`
				} `json:"items"`
			}
			getJSON(b, srv.base+"/api/v1/sites?kind=relay&limit=200", coord, &sites)
			for _, s := range sites.Items {
				for _, format := range []string{"pdf", "csv"} {
					out = append(out, vegeta.Target{Method: "GET", URL: weekURL + "/documents/pickup-list/" + s.ID + "." + format,
						Header: http.Header{"Authorization": {"Bearer demo-" + s.ID}}})
				}
			}
			return out
		}},
	}
	for _, rd := range reads {
		b.Run(rd.name, func(b *testing.B) {
			if rd.name != "scenario" && !planned {
				b.Skip("the service does not plan weeks yet")
			}
			r := attack(b, rd.name, rd.targets(), conns, d)
			report(b, r)
			if r.errors > 0 {
				b.Errorf("%s: %d errors: %s", rd.name, r.errors, r.firstError)
			}
		})
	}
}

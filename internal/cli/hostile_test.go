package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"paniers/models"
)

// TestHostileClient starts the real binary on the demo data and sends it
// requests a careless or hostile client would send (PANIERS_PROBE_COUNT of
// them, 1,000 by default; the seed is logged and PANIERS_TEST_SEED replays
// a run): every documented route with every role's token, none, an unknown
// one and broken Authorization headers; wrong methods and HEAD; path
// parameters of other scopes, unknown ids, path traversal (document names
// included), control and bidi characters, huge and negative numbers;
// bodies from the fuzz seed corpora, mutated: wrong types, huge numbers,
// duplicate keys, invisible characters, truncated or deeply nested JSON,
// oversized bodies, other encodings and content types; and, at the end,
// concurrent duplicate posts under one Idempotency-Key. It checks every
// answer: no 5xx; every API refusal is application/problem+json with its
// type, title and status, and names the fields with a reason where a field
// is at fault (400, 409, 413, 415, 422); no household's name or contact
// reaches a token that may not see it; no internals (stack traces, SQL,
// file paths) in any body; the service is still healthy and never logged a
// panic.
func TestHostileClient(t *testing.T) {
	f := newBinaryFixture(t, "probes it")
	count := envInt(t, "PANIERS_PROBE_COUNT", 1000)
	t.Logf("%d requests", count)
	c := f.start()
	defer c.kill()
	p := newProbe(t, "http://"+c.addr, f.rng)
	p.learn()

	start := time.Now()
	reqs := make([]probeReq, count)
	for i := range reqs {
		reqs[i] = p.generate()
	}
	var wg sync.WaitGroup
	next := make(chan probeReq)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				p.send(r)
			}
		}()
	}
	for _, r := range reqs {
		next <- r
	}
	close(next)
	wg.Wait()
	p.idempotencyRaces()
	elapsed := time.Since(start)

	if code, _, _ := call(t, "GET", p.base+"/healthz", "", nil, nil); code != 200 {
		t.Errorf("after the probe /healthz answers %d", code)
	}
	if logs := c.logs.String(); strings.Contains(logs, "panic") {
		t.Errorf("the service logged a panic:\n%s", tail(logs, 3000))
	}
	p.report(elapsed)
}

func envInt(t *testing.T, name string, def int) int {
	raw := os.Getenv(name)
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: a whole number expected", name, raw)
	}
	return n
}

// probeToken is a caller: its Authorization header and what it may see.
type probeToken struct {
	name, header string
	role, scope  string
}

// probeReq is one request of the probe.
type probeReq struct {
	method, path string
	token        probeToken
	body         []byte
	header       map[string]string
	route        string // the documented route, for the figures
}

// probe is the hostile client and what it learnt of the demo.
type probe struct {
	t    *testing.T
	base string
	mu   sync.Mutex
	rng  *rand.Rand

	tokens []probeToken
	routes []probeRoute
	seeds  map[string][][]byte // corpus folder -> bodies
	values map[string][]string // path parameter -> own, other and unknown values
	weeks  []string
	// households: every demo household's site, name and contact, to
	// find personal data where it must not be; sent holds the names
	// the probe itself sends (a seed may name "Famille Durand").
	households []models.Household
	sent       map[string]bool
	// open is the week open to writes; delivery its delivery date.
	open, delivery string

	statuses map[int]int
	example  map[int]string // a request of each status, for the log
	byRoute  map[string]int
	failures []string
	failed   int
}

type probeRoute struct{ method, path string }

func newProbe(t *testing.T, base string, rng *rand.Rand) *probe {
	return &probe{t: t, base: base, rng: rng, seeds: map[string][][]byte{},
		values: map[string][]string{}, sent: map[string]bool{}, statuses: map[int]int{}, example: map[int]string{}, byRoute: map[string]int{}}
}

// learn reads the routes from the OpenAPI document, the bodies from the
// fuzz corpora, and the demo's ids and households through the API.
func (p *probe) learn() {
	t := p.t
	raw, err := os.ReadFile(filepath.Join("..", "..", "api", "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for path, ops := range doc.Paths {
		for m := range ops {
			if slices.Contains([]string{"get", "post", "put", "patch", "delete"}, m) {
				p.routes = append(p.routes, probeRoute{strings.ToUpper(m), path})
			}
		}
	}
	sort.Slice(p.routes, func(i, j int) bool { return p.routes[i].path+p.routes[i].method < p.routes[j].path+p.routes[j].method })
	p.learnSeeds()
	p.learnDemo()
}

// learnSeeds reads api/testdata/bodies/<folder>/*.json and remembers every
// name they send.
func (p *probe) learnSeeds() {
	dirs, err := os.ReadDir(filepath.Join("..", "..", "api", "testdata", "bodies"))
	if err != nil {
		p.t.Fatal(err)
	}
	names := regexp.MustCompile(`"name"\s*:\s*"((?:[^"\\]|\\.)*)"`)
	for _, d := range dirs {
		files, _ := filepath.Glob(filepath.Join("..", "..", "api", "testdata", "bodies", d.Name(), "*.json"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				p.t.Fatal(err)
			}
			p.seeds[d.Name()] = append(p.seeds[d.Name()], b)
			for _, m := range names.FindAllSubmatch(b, -1) {
				var s string
				if json.Unmarshal(append(append([]byte{'"'}, m[1]...), '"'), &s) == nil {
					p.sent[s] = true
				}
			}
		}
	}
}

// learnDemo lists the demo's tokens, ids and households, and plans and
// publishes the first week so that its documents exist.
func (p *probe) learnDemo() {
	t := p.t
	coord := models.DemoCoordinatorToken
	p.tokens = []probeToken{{name: "none"}, {name: "unknown", header: "Bearer demo-nobody"},
		{name: "basic", header: "Basic ZGVtbzpkZW1v"}, {name: "bearer-empty", header: "Bearer "},
		{name: "bearer-long", header: "Bearer " + strings.Repeat("x", 5000)}}
	for _, d := range models.DemoTokens() {
		p.tokens = append(p.tokens, probeToken{name: d.Token, header: "Bearer " + d.Token, role: d.Role, scope: d.Scope})
	}
	list := func(path string) []map[string]any {
		var page struct {
			Items []map[string]any `json:"items"`
		}
		if code, raw, _ := call(t, "GET", p.base+path, coord, nil, &page); code != 200 {
			t.Fatalf("GET %s: %d %s", path, code, raw)
		}
		return page.Items
	}
	ids := func(path string) []string {
		var out []string
		for _, it := range list(path + "?limit=200") {
			out = append(out, fmt.Sprint(it["id"]))
		}
		return out
	}
	p.weeks = ids("/api/v1/weeks")
	sites := list("/api/v1/sites?limit=200")
	for _, s := range sites {
		id := fmt.Sprint(s["id"])
		p.values["site"] = append(p.values["site"], id)
		if s["kind"] != "relay" {
			continue
		}
		for _, h := range list("/api/v1/sites/" + id + "/households?limit=200") {
			hh := models.Household{ID: fmt.Sprint(h["id"]), SiteID: id, Name: fmt.Sprint(h["name"]), Contact: fmt.Sprint(h["contact"])}
			p.households = append(p.households, hh)
			p.values["household"] = append(p.values["household"], hh.ID)
		}
	}
	p.values["producer"] = ids("/api/v1/producers")
	p.values["product"] = ids("/api/v1/products")
	p.values["basket"] = ids("/api/v1/basket-types")
	p.values["vehicle"] = ids("/api/v1/vehicles")
	p.values["week"] = p.weeks
	p.values["account"] = append([]string{models.AccountCollectif}, p.values["household"]...)
	p.values["transfer"] = []string{"1", "2", "3"}
	p.values["token"] = []string{"999999", "1"}
	p.values["age_group"] = []string{"maternelle", "elementaire", "adulte"}
	p.values["order"] = []string{"loos-fete", "nord-extra"}
	p.values["kind"] = []string{"pickup-list", "preparation-list", "delivery-note", "round-sheet", "invoice"}
	p.values["file"] = []string{"statement.pdf", "statement.csv", "relais-loos.pdf", "relais-loos.csv", "ferme-marais.pdf", "0.pdf", "0.txt"}
	for _, s := range sites {
		p.values["file"] = append(p.values["file"], fmt.Sprint(s["id"])+".pdf")
	}
	var wk struct {
		DeliveryDate string `json:"delivery_date"`
	}
	call(t, "GET", p.base+"/api/v1/weeks/"+p.weeks[0], coord, nil, &wk)
	p.delivery = wk.DeliveryDate
	if code, raw, _ := call(t, "POST", p.base+"/api/v1/weeks/"+p.weeks[0]+"/plan", coord, nil, nil); code != 201 && code != 200 {
		t.Fatalf("planning the demo week: %d %s", code, raw)
	}
	// The child's start-up catch-up may plan the same week meanwhile: the
	// service then answers 409 "re-planned during publication; publish
	// again", as it should. Do what it says, a few times.
	for attempt := 1; ; attempt++ {
		code, raw, _ := call(t, "POST", p.base+"/api/v1/weeks/"+p.weeks[0]+"/publish", coord, nil, nil)
		if code < 300 {
			break
		}
		if code != 409 || attempt == 10 {
			t.Fatalf("publishing the demo week (attempt %d): %d %s", attempt, code, raw)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(p.households) < 10 || len(p.weeks) == 0 {
		t.Fatalf("demo: %d households, %d weeks", len(p.households), len(p.weeks))
	}
	// The next week takes the writes.
	d, err := time.Parse("2006-01-02", p.delivery)
	if err != nil {
		t.Fatalf("delivery date %q: %v", p.delivery, err)
	}
	p.open = models.WeekID(d.AddDate(0, 0, 7))
	if code, raw, _ := call(t, "POST", p.base+"/api/v1/weeks", coord, map[string]string{"id": p.open}, nil); code != 201 {
		t.Fatalf("opening %s: %d %s", p.open, code, raw)
	}
	call(t, "GET", p.base+"/api/v1/weeks/"+p.open, coord, nil, &wk)
	p.delivery = wk.DeliveryDate
	p.values["week"] = append(p.values["week"], p.open, p.open)
}

// hostile are values no well-meaning client sends in a path or a query.
var hostile = []string{
	"../../../../etc/passwd", "..%2F..%2F..%2Fgo.mod", "%2e%2e%2f%2e%2e%2fapi%2fopenapi.go", "....//....//etc/passwd",
	"..\\..\\windows\\win.ini", "a%00b", "%00", "%ff%fe", "\u202egnp.exe", "zero\u200bwidth", "\u0007bell",
	"-1", "0", "9223372036854775808", "-9223372036854775809", "1e309", "NaN", "0x1f", "' OR 1=1 --",
	"<script>alert(1)</script>", "%s%s%n", "😀", "é", " ", strings.Repeat("a", 3000), "2026-W99", "2026-W00",
	"2026-w49", "W49", "CON", "index.json", ".env", "~", "$HOME", "${jndi:ldap://x}",
}

// pick returns a random element.
func pick[T any](p *probe, xs []T) T { return xs[p.rng.Intn(len(xs))] }

var paramRE = regexp.MustCompile(`\{([a-z_]+)\}`)

// generate makes one request.
func (p *probe) generate() probeReq {
	rt := pick(p, p.routes)
	tok := pick(p, p.tokens)
	if p.rng.Intn(3) == 0 {
		tok = p.tokens[5] // the coordinator, who gets past the scope checks
	}
	r := probeReq{method: rt.method, route: rt.method + " " + rt.path, token: tok, header: map[string]string{}}
	switch x := p.rng.Intn(20); {
	case x == 0:
		r.method = pick(p, []string{"PATCH", "DELETE", "PUT", "POST", "OPTIONS", "TRACE", "FOO"})
	case x == 1 && rt.method == "GET":
		r.method = "HEAD"
	}
	destructive := r.token.role == models.RoleCoordinator &&
		(strings.HasSuffix(rt.path, "/plan") && r.method == "POST" || strings.HasSuffix(rt.path, "/publish") ||
			strings.HasPrefix(rt.path, "/api/v1/tokens/{token}") && r.method == "DELETE")
	path := paramRE.ReplaceAllStringFunc(rt.path, func(m string) string {
		name := m[1 : len(m)-1]
		if destructive && (name == "week" || name == "token") || p.rng.Intn(6) == 0 || len(p.values[name]) == 0 {
			v := pick(p, hostile)
			if _, err := url.Parse("http://h/" + v); err != nil {
				v = url.PathEscape(v) // what a client library would send
			}
			return v
		}
		if name == "file" && p.rng.Intn(3) == 0 {
			return pick(p, []string{"../../../etc/passwd", "..%2f..%2fgo.mod", "%2e%2e%2fmain.go", "relais-loos.pdf%00.csv", ".index.json"})
		}
		if own := p.own(tok, name); len(own) > 0 && p.rng.Intn(2) == 0 {
			return url.PathEscape(pick(p, own))
		}
		return url.PathEscape(pick(p, p.values[name]))
	})
	r.path = path + p.query()
	if r.method != "GET" && r.method != "HEAD" && r.method != "DELETE" || p.rng.Intn(30) == 0 {
		r.body = p.body(rt)
		r.header["Content-Type"] = "application/json"
		p.mutateHeaders(&r)
	}
	if p.rng.Intn(4) == 0 {
		r.header["Idempotency-Key"] = fmt.Sprintf("probe-%d", p.rng.Intn(40))
	}
	if p.rng.Intn(10) == 0 {
		r.header["Accept-Language"] = pick(p, []string{"en", "de", "*", "fr;q=abc", strings.Repeat("en,", 500)})
	}
	return r
}

// own lists the values of a path parameter in the token's own scope.
func (p *probe) own(tok probeToken, name string) []string {
	switch {
	case tok.scope == "":
		return nil
	case name == "household" || name == "account":
		var out []string
		for _, h := range p.households {
			if h.SiteID == tok.scope {
				out = append(out, h.ID)
			}
		}
		return out
	case name == "site" && (tok.role == models.RoleRelay || tok.role == models.RoleCook),
		name == "producer" && tok.role == models.RoleFarmer, name == "vehicle" && tok.role == models.RoleDriver:
		return []string{tok.scope}
	}
	return nil
}

// query adds random query parameters, hostile or of other scopes.
func (p *probe) query() string {
	if p.rng.Intn(3) != 0 {
		return ""
	}
	keys := []string{"limit", "offset", "from", "to", "lang", "site", "household", "class", "seed", "version", "sep", "producer", "month", "status", "week", "job"}
	vals := []string{"-1", "0", "1", "200", "201", "99999999999999999999", "2026-01-01", "2026-13-45", "2026-02-30", "en", "xx",
		"relais-lens", "relais-loos", "relais-lens-f02", "basket", "extra", ";", "\t", "2026-12", "2026-W49", "1e3"}
	q := url.Values{}
	for range 1 + p.rng.Intn(3) {
		v := pick(p, vals)
		if p.rng.Intn(4) == 0 {
			v = pick(p, hostile)
		}
		q.Add(pick(p, keys), v)
	}
	return "?" + q.Encode()
}

// seedFolder is the corpus folder of a route's bodies.
func seedFolder(rt probeRoute) string {
	switch {
	case rt.method == "PATCH" && strings.HasPrefix(rt.path, "/api/v1/weeks/"):
		return "week-patch"
	case strings.HasPrefix(rt.path, "/api/v1/manne/transfers"):
		return "transfers"
	case strings.Contains(rt.path, "/meal-orders"):
		return "meal-orders"
	}
	parts := strings.Split(strings.TrimPrefix(rt.path, "/api/v1/"), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if !strings.HasPrefix(parts[i], "{") {
			return parts[i]
		}
	}
	return ""
}

// body is a seed body of the route (or of another), filled and mutated.
func (p *probe) body(rt probeRoute) []byte {
	seeds := p.seeds[seedFolder(rt)]
	if len(seeds) == 0 || p.rng.Intn(8) == 0 {
		var all [][]byte
		for _, s := range p.seeds {
			all = append(all, s...)
		}
		seeds = all
	}
	b := bytes.ReplaceAll(pick(p, seeds), []byte("{week}"), []byte(p.open))
	b = bytes.ReplaceAll(b, []byte("{delivery}"), []byte(p.delivery))
	return p.mutate(b)
}

// mutate spoils a body in one of the ways careless or hostile clients do.
func (p *probe) mutate(b []byte) []byte {
	var v map[string]any
	_ = json.Unmarshal(b, &v)
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	set := func(x any) []byte {
		if len(keys) == 0 {
			return b
		}
		v[pick(p, keys)] = x
		out, _ := json.Marshal(v)
		return out
	}
	switch p.rng.Intn(22) {
	case 0, 1, 2, 3:
		return b
	case 4:
		return set(pick(p, []any{"12", true, nil, []any{1, 2}, map[string]any{"a": 1}, 3.5, ""}))
	case 5:
		return set(pick(p, []any{1e308, -1e308, json.Number("9223372036854775808"), json.Number("-9223372036854775809"), json.Number("1e-400"), -1, 0, json.Number("-0")}))
	case 6:
		if len(keys) > 0 {
			k := pick(p, keys)
			return append([]byte(`{"`+k+`": 1, `), b[1:]...)
		}
	case 7:
		return set(pick(p, []string{"a\u0000b", "\u202eevil", "x\u200by", "\ufeffbom", "line\nbreak", "\u00ad", "\x7f", "\U000E0041"}))
	case 8:
		if len(b) > 2 {
			return b[:p.rng.Intn(len(b)-1)+1]
		}
	case 9:
		return []byte(strings.Repeat("[", 100000) + strings.Repeat("]", 100000))
	case 10:
		return set(strings.Repeat("é", 600000)) // 1.2 MB
	case 11:
		return []byte("product=pomme&quantity=2")
	case 12:
		return []byte{0xff, 0xfe, '{', '}', 0xc3}
	case 13:
		return append([]byte("\ufeff"), b...)
	case 14:
		return nil
	case 15:
		return []byte(pick(p, []string{`[]`, `"x"`, `42`, `null`, `true`, `[{}]`}))
	case 16:
		return set(map[string]any{"nested": strings.Repeat("x", 100)})
	case 17:
		if len(keys) > 0 {
			k := pick(p, keys)
			v["unknown_"+k] = v[k]
			out, _ := json.Marshal(v)
			return out
		}
	case 18:
		return set(pick(p, hostile))
	case 19:
		items := make([]any, 5000)
		for i := range items {
			items[i] = map[string]any{"age_group": "maternelle", "covers": 1}
		}
		return set(items)
	case 20:
		return set(pick(p, p.values["household"]))
	}
	return b
}

// mutateHeaders spoils a body's headers now and then.
func (p *probe) mutateHeaders(r *probeReq) {
	switch p.rng.Intn(14) {
	case 0:
		r.header["Content-Type"] = pick(p, []string{"text/plain", "application/xml", "application/x-www-form-urlencoded", "", "application/json; charset=latin1", "multipart/form-data; boundary=x"})
	case 1:
		var gz bytes.Buffer
		w := gzip.NewWriter(&gz)
		w.Write(r.body)
		w.Close()
		r.body = gz.Bytes()
		r.header["Content-Encoding"] = "gzip"
	case 2:
		r.header["Content-Encoding"] = pick(p, []string{"br", "deflate", "identity, gzip"})
	}
}

// send sends one request and checks its answer.
func (p *probe) send(r probeReq) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, p.base+r.path, body)
	if err != nil {
		p.t.Errorf("%s %q: %v", r.method, r.path, err)
		return
	}
	if r.token.header != "" {
		req.Header.Set("Authorization", r.token.header)
	}
	for k, v := range r.header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := probeClient.Do(req)
	if err != nil {
		p.fail(r, 0, fmt.Sprintf("no answer: %v", err))
		return
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	p.check(r, res, raw)
}

var probeClient = &http.Client{Timeout: 30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// internals are what a body must never hold: traces, SQL, paths.
var internals = []string{"goroutine ", ".go:", "runtime error", "panic", "sqlite", "SQLSTATE", "gorm", "/tmp/", "/work/", "/root/",
	"/home/", "no such table", "UNIQUE constraint", "FOREIGN KEY", "database is locked", "syntax error at", "pq: ", "invalid memory address"}

// check applies the properties to one answer.
func (p *probe) check(r probeReq, res *http.Response, raw []byte) {
	p.mu.Lock()
	p.statuses[res.StatusCode]++
	p.byRoute[r.route]++
	if _, ok := p.example[res.StatusCode]; !ok {
		p.example[res.StatusCode] = r.method + " " + truncStr(r.path, 100) + " as " + r.token.name
	}
	p.mu.Unlock()
	if res.StatusCode >= 500 {
		p.fail(r, res.StatusCode, "a 5xx: "+string(truncBytes(raw, 400)))
	}
	text := string(raw)
	if ct := res.Header.Get("Content-Type"); strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") {
		for _, bad := range internals {
			if strings.Contains(text, bad) {
				p.fail(r, res.StatusCode, fmt.Sprintf("body holds %q: %s", bad, truncBytes(raw, 400)))
			}
		}
	}
	p.checkPersonal(r, res.StatusCode, text)
	isAPI := strings.HasPrefix(r.path, "/api/") || r.path == "/metrics"
	if res.StatusCode < 400 || !isAPI {
		return
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		p.fail(r, res.StatusCode, fmt.Sprintf("content type %q: %s", ct, truncBytes(raw, 200)))
		return
	}
	if r.method == "HEAD" {
		return
	}
	var pr struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Errors []struct {
			Field  string `json:"field"`
			Reason string `json:"reason"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &pr); err != nil || pr.Type == "" || pr.Title == "" || pr.Status != res.StatusCode {
		p.fail(r, res.StatusCode, fmt.Sprintf("not a complete problem (%v): %s", err, truncBytes(raw, 300)))
		return
	}
	if slices.Contains([]int{400, 409, 413, 415, 422}, res.StatusCode) {
		if len(pr.Errors) == 0 {
			p.fail(r, res.StatusCode, "no field named: "+string(truncBytes(raw, 300)))
		}
		for _, e := range pr.Errors {
			if e.Field == "" || e.Reason == "" {
				p.fail(r, res.StatusCode, "a field error without field or reason: "+string(truncBytes(raw, 300)))
			}
		}
	}
}

// checkPersonal looks for households' names and contacts in an answer to a
// token that may not see them: only the coordinator and the household's
// relay manager may.
func (p *probe) checkPersonal(r probeReq, status int, body string) {
	if r.token.role == models.RoleCoordinator || body == "" {
		return
	}
	own := map[string]bool{}
	for _, h := range p.households {
		if r.token.role == models.RoleRelay && h.SiteID == r.token.scope {
			own[h.Name], own[h.Contact] = true, true
		}
	}
	for _, h := range p.households {
		if r.token.role == models.RoleRelay && h.SiteID == r.token.scope {
			continue
		}
		for _, s := range []string{h.Name, h.Contact} {
			if s != "" && len(s) > 4 && !own[s] && !p.sent[s] && strings.Contains(body, s) {
				p.fail(r, status, fmt.Sprintf("%q of %s (relay point %s) in the answer", s, h.ID, h.SiteID))
			}
		}
	}
}

func (p *probe) fail(r probeReq, status int, msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failed++
	if len(p.failures) < 30 {
		p.failures = append(p.failures, fmt.Sprintf("%s %s as %s (body %s) -> %d: %s", r.method, truncStr(r.path, 200), r.token.name, truncBytes(r.body, 120), status, msg))
	}
}

func truncBytes(b []byte, n int) []byte {
	if len(b) > n {
		return append(b[:n:n], "…"...)
	}
	return b
}

func truncStr(s string, n int) string { return string(truncBytes([]byte(s), n)) }

// report fails the test with the first failures and logs the figures.
func (p *probe) report(elapsed time.Duration) {
	var codes []string
	for code, n := range p.statuses {
		codes = append(codes, fmt.Sprintf("%d×%d", code, n))
	}
	sort.Strings(codes)
	total := 0
	for _, n := range p.statuses {
		total += n
	}
	p.t.Logf("%d requests over %d routes in %v: %s", total, len(p.byRoute), elapsed.Round(time.Millisecond), strings.Join(codes, " "))
	for _, code := range slices.Sorted(maps.Keys(p.example)) {
		p.t.Logf("  e.g. %d: %s", code, p.example[code])
	}
	if len(p.byRoute) < len(p.routes)*3/4 {
		p.t.Errorf("only %d of %d routes probed", len(p.byRoute), len(p.routes))
	}
	if p.failed > 0 {
		p.t.Errorf("%d failed answers; the first:\n%s", p.failed, strings.Join(p.failures, "\n"))
	}
}

// idempotencyRaces sends the same write under one Idempotency-Key from
// eight clients at once: a MANNE transfer and a relay order. Every answer
// is the same 201, and one write is stored; the key sent again with
// another body is refused, naming the key.
func (p *probe) idempotencyRaces() {
	t := p.t
	// A week of its own: the probe may have closed the open one (a
	// coordinator's PATCH).
	d, _ := time.Parse("2006-01-02", p.delivery)
	week := models.WeekID(d.AddDate(0, 0, 7))
	if code, raw, _ := call(t, "POST", p.base+"/api/v1/weeks", models.DemoCoordinatorToken, map[string]string{"id": week}, nil); code != 201 {
		t.Fatalf("opening %s: %d %s", week, code, raw)
	}
	home := ""
	for _, h := range p.households {
		if h.SiteID == "relais-loos" {
			home = h.ID
			break
		}
	}
	for _, tc := range []struct {
		name, path, token, body, other string
		count                          func() int
	}{
		{"transfer", "/api/v1/manne/transfers", models.DemoCoordinatorToken,
			`{"from": "collectif", "to": "` + home + `", "amount_cents": 123, "kind": "work", "memo": "race"}`,
			`{"from": "collectif", "to": "` + home + `", "amount_cents": 124, "kind": "work", "memo": "race"}`,
			func() int { return p.entries(home) }},
		{"order", "/api/v1/weeks/" + week + "/orders", "demo-relais-loos",
			`{"class": "extra", "product": "pomme", "quantity": 3}`, `{"class": "extra", "product": "pomme", "quantity": 4}`,
			func() int { return p.orders(week) }},
	} {
		before := tc.count()
		key := "race-" + tc.name
		answers := make([]string, 8)
		var wg sync.WaitGroup
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, raw, _ := p.callKey(tc.path, tc.token, key, tc.body)
				answers[i] = fmt.Sprintf("%d %s", code, raw)
			}()
		}
		wg.Wait()
		for _, a := range answers {
			if a != answers[0] || !strings.HasPrefix(a, "201 ") {
				t.Errorf("%s under one key from eight clients: %q, then %q", tc.name, answers[0], a)
				break
			}
		}
		if after := tc.count(); after != before+1 {
			t.Errorf("%s under one key from eight clients: %d stored, want 1", tc.name, after-before)
		}
		if code, raw, _ := p.callKey(tc.path, tc.token, key, tc.other); code != 422 || !strings.Contains(string(raw), "Idempotency-Key") {
			t.Errorf("%s: the key again with another body: %d %s, want 422 naming Idempotency-Key", tc.name, code, raw)
		}
	}
}

// callKey posts body with an Idempotency-Key.
func (p *probe) callKey(path, token, key, body string) (int, []byte, error) {
	req, _ := http.NewRequest("POST", p.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	res, err := probeClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	return res.StatusCode, raw, err
}

func (p *probe) entries(account string) int {
	var a struct {
		EntryCount int `json:"entry_count"`
	}
	call(p.t, "GET", p.base+"/api/v1/manne/accounts/"+account, models.DemoCoordinatorToken, nil, &a)
	return a.EntryCount
}

func (p *probe) orders(week string) int {
	n := 0
	for offset := 0; ; offset += 200 {
		var page struct {
			Items []json.RawMessage `json:"items"`
			Next  string            `json:"next"`
		}
		call(p.t, "GET", fmt.Sprintf("%s/api/v1/weeks/%s/orders?site=relais-loos&limit=200&offset=%d", p.base, week, offset), models.DemoCoordinatorToken, nil, &page)
		n += len(page.Items)
		if page.Next == "" {
			return n
		}
	}
}

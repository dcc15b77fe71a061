package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"paniers/models"
)

// These tests sweep the whole router rather than a hand-made list: every
// route gin knows, with its path parameters filled from the fixture, is sent
// by every scoped role, without a token and with an unknown token. A new
// route is covered the day it is registered; a new path parameter without
// fixture values fails the sweep until it gets some.

// sweepParams gives, for each path parameter name, the fixture values the
// sweep tries: records of the caller's own scope and of another, so a
// route that forgets a scope check shows up.
var sweepParams = map[string][]string{
	"week":      {openWeek, closedWeek},
	"site":      {"relais-centre", "relais-nord", "cantine-a", "cantine-b"},
	"household": {"famille-martin", "famille-nord"},
	"producer":  {"ferme-a", "ferme-b"},
	"product":   {"carotte", "pomme"},
	"order":     {"nord-extra", "centre-martin", "b-lundi"},
	"vehicle":   {"camion-1"},
	"basket":    {"moyen"},
	"age_group": {"maternelle"},
	"token":     {"999999"},
	"version":   {"1"},
	"format":    {"json", "csv", "txt", "pdf", "geojson"},
	"job":       {"close", "plan", "publish"},
	"kind":      {"pickup-list", "preparation-list", "delivery-note", "round-sheet", "packing-list"},
	"file":      {"relais-centre.pdf", "relais-centre.csv", "relais-nord.txt", "ferme-a.csv", "cantine-a.txt", "camion-1.geojson", "statement.pdf", "statement.csv"},
	"round":     {"1"},
	"stop":      {"1", "99"},
	"account":   {"famille-martin", "famille-nord", "collectif"},
	"transfer":  {"1", "999"},
}

// sweepQueries are appended to GET routes: filters naming another scope.
var sweepQueries = []string{"", "?site=relais-centre", "?site=relais-nord", "?household=famille-martin", "?producer=ferme-a", "?site=cantine-a"}

// personal is the fixture's personal data, by relay point: the names and
// contacts of its households. Only that relay point's manager and the
// coordinator may ever receive them.
var personal = map[string][]string{
	"relais-centre": {"Famille Martin", "06 00 00 00 01"},
	"relais-nord":   {"Famille Nord", "06 00 00 00 02"},
}

// callers of the sweep: every scoped token, no token and an unknown one.
// The coordinator may see everything and is left out.
var sweepCallers = []struct {
	name, token, relay string
}{
	{"farmer ferme-a", tokFarmerA, ""},
	{"farmer ferme-b", tokFarmerB, ""},
	{"relay relais-centre", tokRelayCentre, "relais-centre"},
	{"relay relais-nord", tokRelayNord, "relais-nord"},
	{"cook cantine-a", tokCookA, ""},
	{"cook cantine-b", tokCookB, ""},
	{"no token", "", ""},
	{"unknown token", tokUnknown, ""},
}

var routeParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// expandRoute fills a gin route's parameters with every combination of
// their sweep values.
func expandRoute(t *testing.T, path string) []string {
	t.Helper()
	out := []string{path}
	for _, m := range routeParam.FindAllStringSubmatch(path, -1) {
		values, ok := sweepParams[m[1]]
		if !ok {
			t.Fatalf("route %s: path parameter %q has no fixture values in sweepParams: add some", path, m[1])
		}
		var next []string
		for _, p := range out {
			for _, v := range values {
				next = append(next, strings.Replace(p, m[0], v, 1))
			}
		}
		out = next
	}
	return out
}

// sweepRequest sends one request through the real router from a given
// client address, checks it against the OpenAPI document and returns the
// answer.
func sweepRequest(t *testing.T, e *env, method, path, token string, body []byte, remote string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r := httptest.NewRequest(method, path, rd)
	r.RemoteAddr = remote
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, r)
	checkAgainstDocument(t, r, body, w)
	return w
}

// securityHeaders must be on every answer, errors included.
var securityHeaders = map[string]string{
	"X-Content-Type-Options":       "nosniff",
	"X-Frame-Options":              "DENY",
	"Referrer-Policy":              "no-referrer",
	"Content-Security-Policy":      "default-src 'none'; frame-ancestors 'none'",
	"Cross-Origin-Resource-Policy": "same-origin",
	"Cache-Control":                "no-store",
}

func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for k, want := range securityHeaders {
		if k == "Cache-Control" && strings.Contains(what, "/api/v1/openapi.json") {
			// The public document, the same for everyone, may be cached.
			continue
		}
		if got := h.Get(k); got != want {
			t.Errorf("%s: header %s = %q, want %q", what, k, got, want)
		}
	}
}

// TestPersonalDataSweep sends every route, with every fixture value of its
// path parameters and filters naming other scopes, as every scoped role,
// without a token and with an unknown one, and checks each answer: no
// household name or contact reaches anyone but the household's relay
// manager (the coordinator is the other who may); no answer is a 500; every
// error is problem+json; the security headers are always there. Writes are
// sent with an empty object, as a probing client would.
func TestPersonalDataSweep(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// An order on behalf of a household, so lists of orders have personal
	// links to leak.
	if err := e.st.CreateOrder(ctx, &models.Order{ID: "centre-martin", WeekID: openWeek, SiteID: "relais-centre", Class: "extra",
		ProductID: ptr("pomme"), Quantity: 2, HouseholdID: ptr("famille-martin")}); err != nil {
		t.Fatal(err)
	}
	routes := e.srv.engine.Routes()
	// When the service plans weeks, plan this one, so the plan and its
	// documents (pick-up lists name households) are swept too.
	for _, rt := range routes {
		if rt.Method == http.MethodPost && rt.Path == "/api/v1/weeks/:week/plan" {
			w := sweepRequest(t, e, "POST", "/api/v1/weeks/"+openWeek+"/plan", tokCoord, nil, "192.0.2.200:1")
			t.Logf("planning the week for the sweep: %d", w.Code)
		}
	}
	if len(routes) < 30 {
		t.Fatalf("only %d routes", len(routes))
	}
	sent := 0
	for i, rt := range routes {
		for _, path := range expandRoute(t, rt.Path) {
			queries := []string{""}
			if rt.Method == http.MethodGet {
				queries = sweepQueries
			}
			for _, q := range queries {
				for j, c := range sweepCallers {
					var body []byte
					switch rt.Method {
					case http.MethodPost, http.MethodPut, http.MethodPatch:
						body = []byte(`{}`)
					}
					// A client address per caller and route, so the failed
					// authentications of the sweep never reach the limit.
					remote := fmt.Sprintf("198.51.%d.%d:4000", i, j+1)
					w := sweepRequest(t, e, rt.Method, path+q, c.token, body, remote)
					sent++
					what := fmt.Sprintf("%s %s as %s", rt.Method, path+q, c.name)
					if w.Code >= 500 {
						t.Errorf("%s: status %d\n%s", what, w.Code, w.Body.String())
					}
					if w.Code >= 400 && w.Header().Get("Content-Type") != "application/problem+json" {
						t.Errorf("%s: error %d as %q, want application/problem+json", what, w.Code, w.Header().Get("Content-Type"))
					}
					if (c.token == "" || c.token == tokUnknown) && w.Code < 400 && !strings.HasPrefix(rt.Path, "/healthz") && rt.Path != "/api/v1/openapi.json" {
						t.Errorf("%s: status %d without a valid token", what, w.Code)
					}
					checkSecurityHeaders(t, what, w.Header())
					answer := w.Body.String()
					for _, vals := range w.Header() {
						answer += "\n" + strings.Join(vals, "\n")
					}
					for site, data := range personal {
						if site == c.relay {
							continue
						}
						for _, d := range data {
							if strings.Contains(answer, d) {
								t.Errorf("%s: answer %d holds personal data of %s (%q)", what, w.Code, site, d)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d routes, %d requests", len(routes), sent)
	// The request log never holds personal data either.
	for _, data := range personal {
		for _, d := range data {
			if strings.Contains(e.logs.String(), d) {
				t.Errorf("the log holds personal data %q", d)
			}
		}
	}
}

// TestScenarioHoldsNoPersonalData: the scenario, which leaves the service
// for the planner and is stored with every plan, carries the relay points'
// totals and never a household's name, contact or id.
func TestScenarioHoldsNoPersonalData(t *testing.T) {
	e := newEnv(t)
	if err := e.st.CreateOrder(context.Background(), &models.Order{ID: "centre-martin", WeekID: openWeek, SiteID: "relais-centre", Class: "extra",
		ProductID: ptr("pomme"), Quantity: 2, HouseholdID: ptr("famille-martin")}); err != nil {
		t.Fatal(err)
	}
	w := e.do(req{method: "GET", path: "/api/v1/weeks/" + openWeek + "/scenario", token: tokCoord}).expect(t, 200)
	body := w.Body.String()
	for _, data := range personal {
		for _, d := range data {
			if strings.Contains(body, d) {
				t.Errorf("scenario holds %q", d)
			}
		}
	}
	for _, id := range []string{"famille-martin", "famille-nord"} {
		if strings.Contains(body, id) {
			t.Errorf("scenario holds the household id %q", id)
		}
	}
	if !strings.Contains(body, `"basket:relais-centre:moyen"`) {
		t.Errorf("scenario lost the subscriptions' totals: %s", body)
	}
}

// TestTokensStoredHashed checks that the database holds the SHA-256 of each
// token and never the token itself, and that a token made by the API works
// once and stops working when revoked.
func TestTokensStoredHashed(t *testing.T) {
	e := newEnv(t)
	w := e.do(req{method: "POST", path: "/api/v1/tokens", token: tokCoord, body: `{"role": "relay", "scope": "relais-nord", "name": "nouveau"}`}).expect(t, 201)
	m := w.json(t)
	clear, _ := m["token"].(string)
	if !strings.HasPrefix(clear, models.TokenPrefix) || len(clear) < 40 {
		t.Fatalf("token %q: want a long %s... token", clear, models.TokenPrefix)
	}
	toks, err := e.st.ListTokens(context.Background(), models.Page{Limit: models.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tk := range toks {
		if len(tk.Hash) != 64 {
			t.Errorf("token %d: stored hash %q is not a hex SHA-256", tk.ID, tk.Hash)
		}
		for _, c := range []string{clear, tokCoord, tokFarmerA, tokRelayCentre} {
			if strings.Contains(tk.Hash, c) || strings.Contains(tk.Name, c) {
				t.Errorf("token %d stores a clear token", tk.ID)
			}
		}
		found = found || tk.Hash == models.HashToken(clear)
	}
	if !found {
		t.Error("the new token's hash is not stored")
	}
	e.do(req{method: "GET", path: "/api/v1/me", token: clear}).expect(t, 200)
	// A token differing in one character, or the hash itself, is refused.
	other := "A"
	if strings.HasSuffix(clear, other) {
		other = "B"
	}
	e.do(req{method: "GET", path: "/api/v1/me", token: clear[:len(clear)-1] + other}).expect(t, 401)
	e.do(req{method: "GET", path: "/api/v1/me", token: models.HashToken(clear)}).expect(t, 401)
	e.do(req{method: "DELETE", path: "/api/v1/tokens/" + m["id"].(string), token: tokCoord}).expect(t, 204)
	e.do(req{method: "GET", path: "/api/v1/me", token: clear}).expect(t, 401)
}

// TestAuthFailureRateLimit: after the burst of failed authentications from
// one address, that address gets 429 with a Retry-After in seconds for
// unknown tokens, while valid tokens and other addresses are unaffected; a
// forged X-Forwarded-For does not escape it (no proxy is trusted); once the
// wait is over the address may try again.
func TestAuthFailureRateLimit(t *testing.T) {
	e := newEnv(t)
	const attacker, other = "203.0.113.7:5555", "203.0.113.8:5555"
	send := func(token, remote string, header map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/v1/me", nil)
		r.RemoteAddr = remote
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		for k, v := range header {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(w, r)
		checkAgainstDocument(t, r, nil, w)
		return w
	}
	for i := 0; i < authFailBurst; i++ {
		if w := send(fmt.Sprintf("guess-%02d-xxxxxxxx", i), attacker, nil); w.Code != 401 {
			t.Fatalf("failure %d: status %d, want 401", i+1, w.Code)
		}
	}
	// The next unknown token from the address is slowed down (a valid one is
	// not: TestLimiterNeverRefusesValidTokens).
	for _, tc := range []struct {
		name, token string
		header      map[string]string
	}{
		{"unknown token", "guess-final-xxxxxxxx", nil},
		{"forged X-Forwarded-For", "guess-xff-xxxxxxxxx", map[string]string{"X-Forwarded-For": "192.0.2.99"}},
		{"forged X-Real-IP", "guess-xri-xxxxxxxxx", map[string]string{"X-Real-IP": "192.0.2.98"}},
	} {
		w := send(tc.token, attacker, tc.header)
		if w.Code != http.StatusTooManyRequests {
			t.Fatalf("%s: status %d, want 429\n%s", tc.name, w.Code, w.Body.String())
		}
		if w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: 429 as %q", tc.name, w.Header().Get("Content-Type"))
		}
		secs, err := strconv.Atoi(w.Header().Get("Retry-After"))
		if err != nil || secs < 1 || secs > int(authFailRefill/time.Second)+1 {
			t.Errorf("%s: Retry-After %q, want whole seconds between 1 and %v", tc.name, w.Header().Get("Retry-After"), authFailRefill)
		}
		checkSecurityHeaders(t, tc.name, w.Header())
	}
	if w := send(tokCoord, attacker, nil); w.Code != 200 {
		t.Errorf("valid token from the slowed address: status %d, want 200", w.Code)
	}
	if w := send(tokCoord, other, nil); w.Code != 200 {
		t.Errorf("another address: status %d, want 200", w.Code)
	}
	// After the announced wait, one more try is allowed.
	wait, _ := strconv.Atoi(send("guess-again-xxxxxxx", attacker, nil).Header().Get("Retry-After"))
	e.clock.Set(e.clock.Now().Add(time.Duration(wait) * time.Second))
	if w := send("guess-later-xxxxxxx", attacker, nil); w.Code != 401 {
		t.Errorf("after Retry-After: status %d, want 401", w.Code)
	}
	// Successful requests never count: a busy client is never slowed down.
	for i := 0; i < 5*authFailBurst; i++ {
		if w := send(tokFarmerA, other, nil); w.Code != 200 {
			t.Fatalf("success %d: status %d", i, w.Code)
		}
	}
}

// TestBodyLimitOnEveryRoute sends a body over the limit to every route that
// takes one (and to every other route too: a body nobody reads must not be
// accepted either when it declares its size): the answer is 413 before any
// handler runs, with the security headers, and nothing is stored.
func TestBodyLimitOnEveryRoute(t *testing.T) {
	e := newEnv(t)
	e.srv.limiter = nil
	big := append([]byte(`{"pad": "`), bytes.Repeat([]byte("x"), DefaultMaxBodyBytes)...)
	big = append(big, `"}`...)
	before := countRows(t, e)
	for _, rt := range e.srv.engine.Routes() {
		if rt.Method == http.MethodGet || rt.Method == http.MethodHead {
			continue
		}
		path := expandRoute(t, rt.Path)[0]
		w := sweepRequest(t, e, rt.Method, path, tokCoord, big, "192.0.2.10:1000")
		what := rt.Method + " " + path
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: status %d, want 413", what, w.Code)
			continue
		}
		if !strings.Contains(w.Body.String(), `"field":"body"`) {
			t.Errorf("%s: 413 does not name the body: %s", what, w.Body.String())
		}
		checkSecurityHeaders(t, what, w.Header())
	}
	if after := countRows(t, e); after != before {
		t.Errorf("oversized bodies changed the database: %s -> %s", before, after)
	}
}

// countRows summarises what the database holds, through the store.
func countRows(t *testing.T, e *env) string {
	t.Helper()
	ctx := context.Background()
	all := models.Page{Limit: models.MaxLimit}
	var out []string
	add := func(name string, n int, err error) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", name, n))
	}
	p, err := e.st.ListProducers(ctx, all)
	add("producers", len(p), err)
	pr, err := e.st.ListProducts(ctx, all)
	add("products", len(pr), err)
	s, err := e.st.ListSites(ctx, "", all)
	add("sites", len(s), err)
	tk, err := e.st.ListTokens(ctx, all)
	add("tokens", len(tk), err)
	for _, site := range []string{"relais-centre", "relais-nord"} {
		h, err := e.st.ListHouseholds(ctx, site, all)
		add("households "+site, len(h), err)
		b, _ := json.Marshal(h)
		out = append(out, string(b))
	}
	for _, wk := range []string{openWeek, closedWeek} {
		o, err := e.st.ListOffers(ctx, wk, models.OfferFilter{}, all)
		add("offers "+wk, len(o), err)
		b, _ := json.Marshal(o)
		out = append(out, string(b))
		or, err := e.st.ListOrders(ctx, wk, models.OrderFilter{}, all)
		add("orders "+wk, len(or), err)
		m, err := e.st.ListMealOrders(ctx, wk, models.MealOrderFilter{}, all)
		add("meal orders "+wk, len(m), err)
	}
	w, err := e.st.ListWeeks(ctx, all)
	add("weeks", len(w), err)
	b, _ := json.Marshal(w)
	out = append(out, string(b))
	return strings.Join(out, " ")
}

// TestSecurityHeadersOnEveryAnswer checks the headers on answers that do
// not come from a handler: unknown paths, wrong methods, and the public
// routes.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ method, path string }{
		{"GET", "/nowhere"},
		{"GET", "/api/v1/nowhere"},
		{"TRACE", "/api/v1/weeks"},
		{"DELETE", "/api/v1/weeks"},
		{"GET", "/healthz"},
		{"HEAD", "/healthz"},
		{"GET", "/api/v1/openapi.json"},
	} {
		r := httptest.NewRequest(tc.method, tc.path, nil)
		w := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(w, r)
		checkSecurityHeaders(t, tc.method+" "+tc.path, w.Header())
		if w.Code >= 400 && !slices.Contains([]string{"application/problem+json"}, w.Header().Get("Content-Type")) && tc.method != "HEAD" {
			t.Errorf("%s %s: error %d as %q", tc.method, tc.path, w.Code, w.Header().Get("Content-Type"))
		}
	}
}

// TestRevokedTokenStopsWorking: a token revoked through this server stops
// working at once; one revoked elsewhere (another instance on the same
// database) stops working once the token cache forgets it.
func TestRevokedTokenStopsWorking(t *testing.T) {
	e := newEnv(t)
	e.srv.tokens.ttl = 50 * time.Millisecond
	ctx := context.Background()
	secret, tok, err := e.st.CreateToken(ctx, models.RoleFarmer, "ferme-a", "autre instance")
	if err != nil {
		t.Fatal(err)
	}
	e.do(req{method: "GET", path: "/api/v1/me", token: secret}).expect(t, 200)
	if err := e.st.DeleteToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond)
	e.do(req{method: "GET", path: "/api/v1/me", token: secret}).expect(t, 401)
}

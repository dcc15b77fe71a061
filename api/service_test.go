package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"paniers/models"
)

// TestSecurityHeaders checks the headers of every kind of answer: a JSON
// resource, a problem, the public document and the health check.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, r := range []req{
		{method: "GET", path: "/api/v1/products", token: tokCookA},
		{method: "GET", path: "/api/v1/products"},
		{method: "GET", path: "/api/v1/vehicles", token: tokCookA},
		{method: "GET", path: "/healthz"},
		{method: "GET", path: "/api/v1/openapi.json"},
		{method: "GET", path: "/nowhere"},
	} {
		w := e.do(r)
		for h, want := range map[string]string{
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "no-referrer",
			"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
		} {
			if got := w.Header().Get(h); got != want {
				t.Errorf("%s %s: %s = %q, want %q", r.method, r.path, h, got, want)
			}
		}
		if r.path != "/api/v1/openapi.json" && w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: Cache-Control %q", r.method, r.path, w.Header().Get("Cache-Control"))
		}
		if w.Header().Get("X-Request-ID") == "" {
			t.Errorf("%s %s: no request id", r.method, r.path)
		}
	}
	// A sane request id is echoed, a hostile one replaced.
	w := e.do(req{method: "GET", path: "/healthz", header: map[string]string{"X-Request-ID": "abc-123"}})
	if w.Header().Get("X-Request-ID") != "abc-123" {
		t.Errorf("request id not echoed: %q", w.Header().Get("X-Request-ID"))
	}
	w = e.do(req{method: "GET", path: "/healthz", header: map[string]string{"X-Request-ID": "a\"b c<script>"}})
	if id := w.Header().Get("X-Request-ID"); strings.ContainsAny(id, "\" <") {
		t.Errorf("hostile request id echoed: %q", id)
	}
}

// TestLanguage checks that titles and reasons are French by default and
// English when asked, by query parameter or Accept-Language.
func TestLanguage(t *testing.T) {
	e := newEnv(t)
	body := `{"product": "carotte", "quantity": -1, "price_cents": 190}`
	for _, tc := range []struct {
		query, accept, title string
	}{
		{"", "", "Données invalides"},
		{"", "en", "Invalid data"},
		{"", "en-GB,en;q=0.9", "Invalid data"},
		{"", "fr-FR,fr;q=0.9,en;q=0.8", "Données invalides"},
		{"", "de-DE, en;q=0.5", "Invalid data"},
		{"", "de-DE", "Données invalides"},
		{"", "fr;q=0.2, en;q=0.7", "Invalid data"},
		{"?lang=en", "fr", "Invalid data"},
		{"?lang=fr", "en", "Données invalides"},
	} {
		w := e.do(req{method: "POST", path: "/api/v1/weeks/2026-W49/offers" + tc.query, token: tokFarmerA, body: body,
			header: map[string]string{"Accept-Language": tc.accept}}).expect(t, 422)
		m := w.json(t)
		if m["title"] != tc.title {
			t.Errorf("lang %q accept %q: title %q, want %q", tc.query, tc.accept, m["title"], tc.title)
		}
		reason := m["errors"].([]any)[0].(map[string]any)["reason"].(string)
		if english := strings.Contains(reason, "must"); english != (tc.title == "Invalid data") {
			t.Errorf("lang %q accept %q: reason %q in the wrong language", tc.query, tc.accept, reason)
		}
	}
}

// TestUnknownRoutesAndMethods answers problems for what does not exist.
func TestUnknownRoutesAndMethods(t *testing.T) {
	e := newEnv(t)
	e.do(req{method: "GET", path: "/api/v1/nothing", token: tokCoord}).expect(t, 404).problemFields(t)
	w := e.do(req{method: "DELETE", path: "/api/v1/weeks", token: tokCoord}).expect(t, 405)
	w.problemFields(t)
	if allow := w.Header().Get("Allow"); allow != "GET, POST" {
		t.Errorf("Allow %q", allow)
	}
	e.do(req{method: "GET", path: "/api/v1/products/mangue", token: tokCoord}).expect(t, 404)
	if f := e.do(req{method: "GET", path: "/api/v1/weeks/2030-W02", token: tokCoord}).expect(t, 404).problemFields(t); !contains(f, "week") {
		t.Errorf("404 fields %v", f)
	}
	if f := e.do(req{method: "GET", path: "/api/v1/weeks/2026-W49/orders/inconnue", token: tokCoord}).expect(t, 404).problemFields(t); !contains(f, "order") {
		t.Errorf("404 fields %v", f)
	}
}

// TestAuthentication covers the ways a token is missing or wrong.
func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	for _, h := range []string{"", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + tokUnknown, "bearer  " + strings.Repeat("x", 600), tokCoord} {
		w := e.do(req{method: "GET", path: "/api/v1/me", header: map[string]string{"Authorization": h}}).expect(t, 401)
		if !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%q: WWW-Authenticate %q", h, w.Header().Get("WWW-Authenticate"))
		}
		if f := w.problemFields(t); !contains(f, "Authorization") {
			t.Errorf("%q: fields %v", h, f)
		}
	}
	// The scheme is case-insensitive.
	e.do(req{method: "GET", path: "/api/v1/me", header: map[string]string{"Authorization": "bearer " + tokCoord}}).expect(t, 200)
	// A revoked token stops working at once.
	ctx := context.Background()
	clear, tok, err := e.st.CreateToken(ctx, models.RoleFarmer, "ferme-a", "revoked")
	if err != nil {
		t.Fatal(err)
	}
	e.do(req{method: "GET", path: "/api/v1/me", token: clear}).expect(t, 200)
	e.do(req{method: "DELETE", path: fmt.Sprintf("/api/v1/tokens/%d", tok.ID), token: tokCoord}).expect(t, 204)
	e.do(req{method: "GET", path: "/api/v1/me", token: clear}).expect(t, 401)
	// A token made through the API works with the role and scope asked.
	made := e.do(req{method: "POST", path: "/api/v1/tokens", token: tokCoord, body: `{"role": "cook", "scope": "cantine-b", "name": "Cuisine B"}`}).expect(t, 201).json(t)
	me := e.do(req{method: "GET", path: "/api/v1/me", token: made["token"].(string)}).expect(t, 200).json(t)
	if me["role"] != "cook" || me["scope"] != "cantine-b" || me["scope_kind"] != "canteen" {
		t.Errorf("me: %v", me)
	}
}

// TestFailedAuthenticationRateLimit slows an address down after repeated
// failures, with Retry-After, while other addresses and later tries pass.
func TestFailedAuthenticationRateLimit(t *testing.T) {
	e := newEnv(t)
	send := func(token, addr string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/v1/me", nil)
		r.RemoteAddr = addr
		r.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(w, r)
		return w
	}
	const attacker, neighbour = "198.51.100.7:5000", "198.51.100.8:5000"
	for i := range authFailBurst {
		if w := send(fmt.Sprintf("guess-%d", i), attacker); w.Code != 401 {
			t.Fatalf("failure %d: %d", i, w.Code)
		}
	}
	w := send("guess-last", attacker)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("after %d failures: %d Retry-After %q", authFailBurst, w.Code, w.Header().Get("Retry-After"))
	}
	// A good token passes: the limit slows the guessing of unknown tokens
	// only, so a guesser does not lock out the clients sharing its address.
	if w := send(tokCoord, attacker); w.Code != 200 {
		t.Errorf("good token while blocked: %d", w.Code)
	}
	// X-Forwarded-For from an untrusted client changes nothing.
	r := httptest.NewRequest("GET", "/api/v1/me", nil)
	r.RemoteAddr = attacker
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	r.Header.Set("Authorization", "Bearer guess")
	rw := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rw, r)
	if rw.Code != http.StatusTooManyRequests {
		t.Errorf("spoofed X-Forwarded-For: %d", rw.Code)
	}
	if w := send(tokCoord, neighbour); w.Code != 200 {
		t.Errorf("another address: %d", w.Code)
	}
	e.clock.Set(e.clock.Now().Add(authFailRefill + time.Second))
	if w := send("guess-after-wait", attacker); w.Code != 401 {
		t.Errorf("after waiting: %d", w.Code)
	}
}

// faultyStore wraps the real store to inject failures the database cannot
// be made to produce on demand: a panic and an unexpected error.
type faultyStore struct {
	*models.Store
}

func (f faultyStore) ListVehicles(context.Context, models.Page) ([]models.Vehicle, error) {
	panic("vehicle table on fire")
}

func (f faultyStore) ListProducts(context.Context, models.Page) ([]models.Product, error) {
	return nil, errors.New("disk /var/lib/paniers unreadable")
}

// TestInternalErrors answers 500 "Erreur interne" without details for a
// panic or an unexpected error, and logs the cause.
func TestInternalErrors(t *testing.T) {
	e := newEnv(t)
	e.srv = New(faultyStore{e.st}, Options{Logger: e.srv.log, Now: e.clock.Now, Location: e.loc})
	for _, path := range []string{"/api/v1/vehicles", "/api/v1/products"} {
		w := e.do(req{method: "GET", path: path, token: tokCoord}).expect(t, 500)
		m := w.json(t)
		if m["title"] != "Erreur interne" || strings.Contains(w.Body.String(), "fire") || strings.Contains(w.Body.String(), "/var/lib") {
			t.Errorf("%s: %s", path, w.Body.String())
		}
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "vehicle table on fire") || !strings.Contains(logs, "unreadable") {
		t.Errorf("causes not logged:\n%s", logs)
	}
	if strings.Contains(logs, tokCoord) {
		t.Error("the log shows a token")
	}
	// The service still answers after a panic.
	e.do(req{method: "GET", path: "/api/v1/me", token: tokCoord}).expect(t, 200)
}

// TestHealthz answers 503 when the database is gone.
func TestHealthz(t *testing.T) {
	e := newEnv(t)
	e.do(req{method: "GET", path: "/healthz"}).expect(t, 200)
	e.st.Close()
	e.do(req{method: "GET", path: "/healthz"}).expect(t, 503)
}

// TestPagination walks a list page by page through the next links.
func TestPagination(t *testing.T) {
	e := newEnv(t)
	for i := range 8 {
		e.do(req{method: "POST", path: "/api/v1/products", token: tokCoord,
			body: fmt.Sprintf(`{"id": "legume-%02d", "name": "Légume %d", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.1}`, i, i)}).expect(t, 201)
	}
	all := e.do(req{method: "GET", path: "/api/v1/products", token: tokCoord}).expect(t, 200).json(t)
	want := all["items"].([]any)
	if len(want) != 11 || all["next"] != nil {
		t.Fatalf("full list: %d items, next %v", len(want), all["next"])
	}
	var got []any
	next := "/api/v1/products?limit=3"
	pages := 0
	for next != "" {
		w := e.do(req{method: "GET", path: next, token: tokCoord}).expect(t, 200)
		page := w.json(t)
		got = append(got, page["items"].([]any)...)
		next, _ = page["next"].(string)
		if next != "" {
			u, err := url.Parse(next)
			if err != nil || u.Query().Get("limit") != "3" {
				t.Fatalf("next link %q", next)
			}
			if link := w.Header().Get("Link"); !strings.Contains(link, `rel="next"`) {
				t.Errorf("Link header %q", link)
			}
		}
		pages++
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
	}
	if pages != 4 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%d pages, items %v, want %v", pages, got, want)
	}
	// An offset past the end is an empty page, not an error.
	if items := e.do(req{method: "GET", path: "/api/v1/products?offset=500", token: tokCoord}).expect(t, 200).json(t)["items"].([]any); len(items) != 0 {
		t.Errorf("past the end: %v", items)
	}
}

// TestWeekAdministration creates a week with a calendar of its own and
// reads it back in the configured time zone.
func TestWeekAdministration(t *testing.T) {
	e := newEnv(t)
	w := e.do(req{method: "POST", path: "/api/v1/weeks", token: tokCoord, body: `{"id": "2026-W51",
		"offer_cutoff": "2026-12-09T18:00:00+01:00", "order_cutoff": "2026-12-10T09:30"}`}).expect(t, 201)
	if w.Header().Get("Location") != "/api/v1/weeks/2026-W51" {
		t.Errorf("Location %q", w.Header().Get("Location"))
	}
	got := e.do(req{method: "GET", path: "/api/v1/weeks/2026-W51", token: tokCookA}).expect(t, 200).json(t)
	if got["offer_cutoff"] != "2026-12-09T18:00:00+01:00" || got["order_cutoff"] != "2026-12-10T09:30:00+01:00" ||
		got["collection_date"] != "2026-12-14" || got["status"] != "open" {
		t.Errorf("week: %v", got)
	}
	e.do(req{method: "POST", path: "/api/v1/weeks", token: tokCoord, body: `{"id": "2026-W51"}`}).expect(t, 409)
	e.do(req{method: "PATCH", path: "/api/v1/weeks/2030-W01", token: tokCoord, body: `{"status": "closed"}`}).expect(t, 404)
	p := e.do(req{method: "PATCH", path: "/api/v1/weeks/2026-W51", token: tokCoord, body: `{"status": "published"}`}).expect(t, 200).json(t)
	if p["status"] != "published" || p["accepts_offers"] != false {
		t.Errorf("patched week: %v", p)
	}
	// Weeks by status.
	for status, want := range map[string]string{"published": "[2026-W51]", "open": "[2026-W48 2026-W49]", "planned": "[]"} {
		var ids []string
		for _, w := range e.do(req{method: "GET", path: "/api/v1/weeks?status=" + status, token: tokFarmerB}).expect(t, 200).json(t)["items"].([]any) {
			ids = append(ids, w.(map[string]any)["id"].(string))
		}
		if fmt.Sprint(ids) != want {
			t.Errorf("weeks %s: %v, want %s", status, ids, want)
		}
	}
	if f := e.do(req{method: "GET", path: "/api/v1/weeks?status=done", token: tokCoord}).expect(t, 400).problemFields(t); !contains(f, "status") {
		t.Errorf("fields %v", f)
	}
	// The portion table edit shows in the list.
	e.do(req{method: "PUT", path: "/api/v1/portions/senior/poireau", token: tokCoord, body: `{"grams": 110}`}).expect(t, 200)
	list := e.do(req{method: "GET", path: "/api/v1/portions", token: tokCookB}).expect(t, 200).json(t)
	if !strings.Contains(fmt.Sprint(list["items"]), "grams:110") {
		t.Errorf("portions: %v", list)
	}
}

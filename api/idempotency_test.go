package api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestIdempotency retries writes with an Idempotency-Key: the same key and
// body replay the first answer and create nothing; the same key with another
// body is refused; keys belong to their token; a refused write is not
// remembered.
func TestIdempotency(t *testing.T) {
	e := newEnv(t)
	const orders = "/api/v1/weeks/2026-W49/orders"
	key := func(k string) map[string]string { return map[string]string{"Idempotency-Key": k} }
	order := `{"class": "basket", "basket": "moyen", "count": 4}`

	first := e.do(req{method: "POST", path: orders, token: tokRelayCentre, body: order, header: key("k-1")}).expect(t, 201)
	if first.Header().Get("Idempotent-Replayed") != "" {
		t.Error("first answer marked as replayed")
	}
	id := first.json(t)["id"].(string)
	before := e.snapshot()
	// Whitespace and field order do not make another request.
	retry := e.do(req{method: "POST", path: orders, token: tokRelayCentre, body: `{ "count": 4, "basket": "moyen",  "class": "basket" }`, header: key("k-1")}).expect(t, 201)
	if retry.Header().Get("Idempotent-Replayed") != "true" || retry.Body.String() != first.Body.String() ||
		retry.Header().Get("Location") != first.Header().Get("Location") {
		t.Errorf("retry is not the first answer:\n%s\n%s", first.Body.String(), retry.Body.String())
	}
	e.unchanged(t, before, "a retried order")

	// Same key, other body: refused, nothing stored.
	w := e.do(req{method: "POST", path: orders, token: tokRelayCentre, body: `{"class": "basket", "basket": "moyen", "count": 5}`, header: key("k-1")}).expect(t, 422)
	if f := w.problemFields(t); !contains(f, "Idempotency-Key") {
		t.Errorf("fields %v", f)
	}
	e.unchanged(t, before, "a reused key")

	// Another token's key of the same name is its own.
	other := e.do(req{method: "POST", path: orders, token: tokRelayNord, body: order, header: key("k-1")}).expect(t, 201)
	if other.json(t)["id"] == id {
		t.Error("another token's request replayed the first one")
	}

	// A refused write is not remembered: the same key then succeeds.
	before = e.snapshot()
	e.do(req{method: "POST", path: orders, token: tokRelayCentre, body: `{"class": "basket", "basket": "geant", "count": 4}`, header: key("k-2")}).expect(t, 422)
	e.unchanged(t, before, "a refused write")
	e.do(req{method: "POST", path: orders, token: tokRelayCentre, body: `{"class": "basket", "basket": "moyen", "count": 1}`, header: key("k-2")}).expect(t, 201)

	// Offers and meal orders too.
	offer := `{"product": "carotte", "quantity": 30, "price_cents": 150}`
	e.do(req{method: "POST", path: "/api/v1/weeks/2026-W49/offers", token: tokFarmerA, body: offer, header: key("o-1")}).expect(t, 201)
	// Meanwhile the farmer corrects the offer without a key...
	e.do(req{method: "POST", path: "/api/v1/weeks/2026-W49/offers", token: tokFarmerA, body: `{"product": "carotte", "quantity": 35, "price_cents": 150}`}).expect(t, 200)
	// ...and a late retry of the first post replays its answer, writing nothing.
	before = e.snapshot()
	replayed := e.do(req{method: "POST", path: "/api/v1/weeks/2026-W49/offers", token: tokFarmerA, body: offer, header: key("o-1")}).expect(t, 201).json(t)
	if replayed["quantity"] != float64(30) {
		t.Errorf("replayed offer %v", replayed)
	}
	e.unchanged(t, before, "a late retry")

	meal := `{"date": "2026-12-01", "covers": [{"age_group": "maternelle", "covers": 20}], "dishes": [{"product": "carotte"}]}`
	a := e.do(req{method: "POST", path: "/api/v1/weeks/2026-W49/meal-orders", token: tokCookA, body: meal, header: key("m-1")}).expect(t, 201)
	before = e.snapshot()
	b := e.do(req{method: "POST", path: "/api/v1/weeks/2026-W49/meal-orders", token: tokCookA, body: meal, header: key("m-1")}).expect(t, 201)
	if a.Body.String() != b.Body.String() {
		t.Errorf("meal order retry differs")
	}
	e.unchanged(t, before, "a retried meal order")
	// The same key on another route is another request.
	e.do(req{method: "POST", path: "/api/v1/weeks/2026-W49/meal-orders", token: tokCookA, body: meal, header: key("k-1")}).expect(t, 201)
}

// TestIdempotencyConcurrentRetries fires one request with one key from
// several clients at once: exactly one order is created and every client
// gets the same answer.
func TestIdempotencyConcurrentRetries(t *testing.T) {
	e := newEnv(t)
	const n = 12
	body := `{"class": "extra", "product": "pomme", "quantity": 3}`
	var wg sync.WaitGroup
	answers := make([]*httptest.ResponseRecorder, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := httptest.NewRequest("POST", "/api/v1/weeks/2026-W49/orders", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Authorization", "Bearer "+tokRelayCentre)
			r.Header.Set("Idempotency-Key", "same-key")
			w := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(w, r)
			answers[i] = w
		}()
	}
	wg.Wait()
	for i, w := range answers {
		if w.Code != http.StatusCreated || !bytes.Equal(w.Body.Bytes(), answers[0].Body.Bytes()) {
			t.Errorf("client %d: %d %s, want the first answer %s", i, w.Code, w.Body.String(), answers[0].Body.String())
		}
	}
	items := e.do(req{method: "GET", path: "/api/v1/weeks/2026-W49/orders?site=relais-centre", token: tokCoord}).expect(t, 200).json(t)["items"].([]any)
	if len(items) != 1 {
		t.Errorf("%d orders created, want 1", len(items))
	}
}

package api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMalformedRequests sends hostile and mistaken requests, each of which
// must get a 4xx application/problem+json naming the offending field, and
// store nothing.
func TestMalformedRequests(t *testing.T) {
	e := newEnv(t)
	const offers = "/api/v1/weeks/2026-W49/offers"
	const orders = "/api/v1/weeks/2026-W49/orders"
	const meals = "/api/v1/weeks/2026-W49/meal-orders"
	offer := func(extra string) string {
		return `{"product": "carotte", "quantity": 12.5, "price_cents": 190` + extra + `}`
	}
	big := `{"product": "carotte", "quantity": 1, "price_cents": 1, "pad": "` + strings.Repeat("x", DefaultMaxBodyBytes) + `"}`
	cases := []struct {
		name   string
		r      req
		status int
		field  string
	}{
		// Syntax and shape of the body.
		{"truncated JSON", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "carotte",`}, 400, "body"},
		{"syntax error", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": carotte}`}, 400, "body"},
		{"trailing data", req{method: "POST", path: offers, token: tokFarmerA, body: offer("") + `{"x":1}`}, 400, "body"},
		{"array body", req{method: "POST", path: offers, token: tokFarmerA, body: `[` + offer("") + `]`}, 400, "body"},
		{"null body", req{method: "POST", path: offers, token: tokFarmerA, body: `null`}, 400, "body"},
		{"string body", req{method: "POST", path: offers, token: tokFarmerA, body: `"carotte"`}, 400, "body"},
		{"empty body", req{method: "POST", path: offers, token: tokFarmerA, body: ``, header: map[string]string{"Content-Type": "application/json"}}, 400, "body"},
		{"invalid UTF-8", req{method: "POST", path: offers, token: tokFarmerA, body: "{\"product\": \"car\xffotte\", \"quantity\": 1, \"price_cents\": 1}"}, 400, "body"},
		{"NaN literal", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "carotte", "quantity": NaN, "price_cents": 1}`}, 400, "body"},
		{"unknown field", req{method: "POST", path: offers, token: tokFarmerA, body: offer(`, "colour": "orange"`)}, 400, "colour"},
		{"nested unknown field", req{method: "POST", path: "/api/v1/basket-types", token: tokCoord, body: `{"id": "petit", "name": "Petit", "contents": [{"category": "legume", "kg": 2, "colour": "vert"}]}`}, 400, "contents[0].colour"},
		{"quantity as string", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "carotte", "quantity": "12", "price_cents": 190}`}, 400, "quantity"},
		{"price with decimals", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "carotte", "quantity": 12, "price_cents": 1.5}`}, 400, "price_cents"},
		{"quantity overflowing float64", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "carotte", "quantity": 1e400, "price_cents": 1}`}, 400, "quantity"},
		{"product as number", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": 7, "quantity": 1, "price_cents": 1}`}, 400, "product"},
		{"covers as object", req{method: "POST", path: meals, token: tokCookA, body: `{"date": "2026-12-01", "covers": {"maternelle": 20}, "dishes": [{"product": "carotte"}]}`}, 400, "covers"},
		{"window of three times", req{method: "POST", path: "/api/v1/producers", token: tokCoord, body: `{"id": "ferme-c", "name": "Ferme C", "lat": 50.4, "lon": 2.8, "window": ["08:00", "12:00", "13:00"]}`}, 400, "window"},
		// Headers and size.
		{"text/plain body", req{method: "POST", path: offers, token: tokFarmerA, body: offer(""), header: map[string]string{"Content-Type": "text/plain"}}, 415, "Content-Type"},
		{"no content type", req{method: "POST", path: offers, token: tokFarmerA, body: offer(""), header: map[string]string{"Content-Type": ""}}, 415, "Content-Type"},
		{"latin-1 charset", req{method: "POST", path: offers, token: tokFarmerA, body: offer(""), header: map[string]string{"Content-Type": "application/json; charset=iso-8859-1"}}, 415, "Content-Type"},
		{"oversized body", req{method: "POST", path: offers, token: tokFarmerA, body: big}, 413, "body"},
		{"Idempotency-Key too long", req{method: "POST", path: offers, token: tokFarmerA, body: offer(""), header: map[string]string{"Idempotency-Key": strings.Repeat("k", 300)}}, 400, "Idempotency-Key"},
		{"Idempotency-Key with spaces", req{method: "POST", path: offers, token: tokFarmerA, body: offer(""), header: map[string]string{"Idempotency-Key": "my key"}}, 400, "Idempotency-Key"},
		// Values.
		{"negative quantity", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "carotte", "quantity": -5, "price_cents": 190}`}, 422, "quantity"},
		{"zero quantity", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "carotte", "quantity": 0, "price_cents": 190}`}, 422, "quantity"},
		{"absurd quantity", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "carotte", "quantity": 5000000, "price_cents": 190}`}, 422, "quantity"},
		{"quantity off the product's step", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "poireau", "quantity": 2.5, "price_cents": 90}`}, 422, "quantity"},
		{"negative price", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "carotte", "quantity": 5, "price_cents": -1}`}, 422, "price_cents"},
		{"missing quantity", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "carotte", "price_cents": 190}`}, 422, "quantity"},
		{"null quantity", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "carotte", "quantity": null, "price_cents": 190}`}, 422, "quantity"},
		{"unknown product", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "mangue", "quantity": 5, "price_cents": 190}`}, 422, "product"},
		{"unknown producer", req{method: "POST", path: offers, token: tokCoord, body: `{"producer": "ferme-z", "product": "carotte", "quantity": 5, "price_cents": 190}`}, 422, "producer"},
		{"malformed product id", req{method: "POST", path: offers, token: tokFarmerA, body: `{"product": "Carotte Nantaise!", "quantity": 5, "price_cents": 190}`}, 422, "product"},
		{"unknown order class", req{method: "POST", path: orders, token: tokRelayCentre, body: `{"class": "gift", "product": "pomme", "quantity": 1}`}, 422, "class"},
		{"canteen order from a relay", req{method: "POST", path: orders, token: tokRelayCentre, body: `{"class": "canteen", "product": "pomme", "quantity": 1}`}, 422, "class"},
		{"basket order without count", req{method: "POST", path: orders, token: tokRelayCentre, body: `{"class": "basket", "basket": "moyen"}`}, 422, "count"},
		{"basket order of zero baskets", req{method: "POST", path: orders, token: tokRelayCentre, body: `{"class": "basket", "basket": "moyen", "count": 0}`}, 422, "count"},
		{"absurd basket count", req{method: "POST", path: orders, token: tokRelayCentre, body: `{"class": "basket", "basket": "moyen", "count": 1000000000}`}, 422, "count"},
		{"count overflowing int64", req{method: "POST", path: orders, token: tokRelayCentre, body: `{"class": "basket", "basket": "moyen", "count": 99999999999999999999}`}, 400, "count"},
		{"unknown basket type", req{method: "POST", path: orders, token: tokRelayCentre, body: `{"class": "basket", "basket": "geant", "count": 3}`}, 422, "basket"},
		{"extra with a basket field", req{method: "POST", path: orders, token: tokRelayCentre, body: `{"class": "extra", "product": "pomme", "quantity": 2, "basket": "moyen"}`}, 422, "basket"},
		{"malformed order id", req{method: "POST", path: orders, token: tokRelayCentre, body: `{"id": "Ma commande", "class": "extra", "product": "pomme", "quantity": 2}`}, 422, "id"},
		{"another relay's household", req{method: "POST", path: orders, token: tokRelayCentre, body: `{"class": "extra", "product": "pomme", "quantity": 2, "household": "famille-nord"}`}, 422, "household"},
		{"order for a canteen site", req{method: "POST", path: orders, token: tokCoord, body: `{"site": "cantine-a", "class": "extra", "product": "pomme", "quantity": 2}`}, 422, "site"},
		{"meal order without covers", req{method: "POST", path: meals, token: tokCookA, body: `{"date": "2026-12-01", "covers": [], "dishes": [{"product": "carotte"}]}`}, 422, "covers"},
		{"unknown age group", req{method: "POST", path: meals, token: tokCookA, body: `{"date": "2026-12-01", "covers": [{"age_group": "lycee", "covers": 30}], "dishes": [{"product": "carotte"}]}`}, 422, "covers[0].age_group"},
		{"negative covers", req{method: "POST", path: meals, token: tokCookA, body: `{"date": "2026-12-01", "covers": [{"age_group": "maternelle", "covers": -3}], "dishes": [{"product": "carotte"}]}`}, 422, "covers[0].covers"},
		{"meal date outside the week", req{method: "POST", path: meals, token: tokCookA, body: `{"date": "2027-03-01", "covers": [{"age_group": "maternelle", "covers": 30}], "dishes": [{"product": "carotte"}]}`}, 422, "date"},
		{"malformed meal date", req{method: "POST", path: meals, token: tokCookA, body: `{"date": "01/12/2026", "covers": [{"age_group": "maternelle", "covers": 30}], "dishes": [{"product": "carotte"}]}`}, 422, "date"},
		{"unknown dish product", req{method: "POST", path: meals, token: tokCookA, body: `{"date": "2026-12-01", "covers": [{"age_group": "maternelle", "covers": 30}], "dishes": [{"product": "mangue"}]}`}, 422, "dishes[0].product"},
		{"producer off the map", req{method: "POST", path: "/api/v1/producers", token: tokCoord, body: `{"id": "ferme-c", "name": "Ferme C", "lat": 200, "lon": 2.8, "window": ["08:00", "12:00"]}`}, 422, "lat"},
		{"window ending before it starts", req{method: "POST", path: "/api/v1/producers", token: tokCoord, body: `{"id": "ferme-c", "name": "Ferme C", "lat": 50.4, "lon": 2.8, "window": ["18:00", "13:00"]}`}, 422, "window"},
		{"window at 25:00", req{method: "POST", path: "/api/v1/sites", token: tokCoord, body: `{"id": "relais-x", "name": "X", "kind": "relay", "lat": 50.4, "lon": 2.8, "window": ["08:00", "25:00"]}`}, 422, "window[1]"},
		{"site of unknown kind", req{method: "POST", path: "/api/v1/sites", token: tokCoord, body: `{"id": "depot", "name": "Dépôt", "kind": "depot", "lat": 50.4, "lon": 2.8, "window": ["08:00", "12:00"]}`}, 422, "kind"},
		{"product step zero", req{method: "POST", path: "/api/v1/products", token: tokCoord, body: `{"id": "navet", "name": "Navets", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0}`}, 422, "step"},
		{"duplicate product id", req{method: "POST", path: "/api/v1/products", token: tokCoord, body: `{"id": "carotte", "name": "Carottes", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.1}`}, 409, "id"},
		{"vehicle of negative capacity", req{method: "POST", path: "/api/v1/vehicles", token: tokCoord, body: `{"id": "camion-2", "capacity_kg": -10, "shift": ["06:00", "18:00"]}`}, 422, "capacity_kg"},
		{"basket type without contents", req{method: "POST", path: "/api/v1/basket-types", token: tokCoord, body: `{"id": "vide", "name": "Vide", "contents": []}`}, 422, "contents"},
		{"token of unknown role", req{method: "POST", path: "/api/v1/tokens", token: tokCoord, body: `{"role": "admin", "scope": ""}`}, 422, "role"},
		{"farmer token for an unknown producer", req{method: "POST", path: "/api/v1/tokens", token: tokCoord, body: `{"role": "farmer", "scope": "ferme-z"}`}, 422, "scope"},
		{"relay token without a scope", req{method: "POST", path: "/api/v1/tokens", token: tokCoord, body: `{"role": "relay", "name": "Marie"}`}, 422, "scope"},
		{"week beyond W53", req{method: "POST", path: "/api/v1/weeks", token: tokCoord, body: `{"id": "2026-W60"}`}, 422, "id"},
		{"week with an unreadable cutoff", req{method: "POST", path: "/api/v1/weeks", token: tokCoord, body: `{"id": "2026-W50", "offer_cutoff": "mercredi soir"}`}, 422, "offer_cutoff"},
		{"week status unknown", req{method: "PATCH", path: "/api/v1/weeks/2026-W49", token: tokCoord, body: `{"status": "done"}`}, 422, "status"},
		{"household without a name", req{method: "POST", path: "/api/v1/sites/relais-centre/households", token: tokRelayCentre, body: `{"contact": "06"}`}, 422, "name"},
		{"household with 99 baskets", req{method: "POST", path: "/api/v1/sites/relais-centre/households", token: tokRelayCentre, body: `{"name": "Famille X", "basket": "moyen", "basket_count": 99}`}, 422, "basket_count"},
		{"portion of negative grams", req{method: "PUT", path: "/api/v1/portions/maternelle/carotte", token: tokCoord, body: `{"grams": -5}`}, 422, "grams"},
		{"portion of an unknown age group", req{method: "PUT", path: "/api/v1/portions/ado/carotte", token: tokCoord, body: `{"grams": 50}`}, 422, "age_group"},
		{"portion of an unknown product", req{method: "PUT", path: "/api/v1/portions/maternelle/mangue", token: tokCoord, body: `{"grams": 50}`}, 422, "product"},
		// Replacements and cancellations.
		{"PUT renaming a producer", req{method: "PUT", path: "/api/v1/producers/ferme-a", token: tokCoord, body: `{"id": "ferme-z", "name": "Ferme A", "lat": 50.47, "lon": 2.75, "window": ["13:00", "18:00"]}`}, 422, "id"},
		{"PUT of an unknown producer", req{method: "PUT", path: "/api/v1/producers/ferme-z", token: tokCoord, body: `{"name": "Ferme Z", "lat": 50.47, "lon": 2.75, "window": ["13:00", "18:00"]}`}, 404, "producer"},
		{"PUT changing a site's kind", req{method: "PUT", path: "/api/v1/sites/relais-centre", token: tokCoord, body: `{"name": "Relais", "kind": "canteen", "lat": 50.43, "lon": 2.83, "window": ["09:00", "16:00"]}`}, 422, "kind"},
		{"PUT vehicle without a shift", req{method: "PUT", path: "/api/v1/vehicles/camion-1", token: tokCoord, body: `{"capacity_kg": 700}`}, 422, "shift"},
		{"PUT household of another relay point", req{method: "PUT", path: "/api/v1/sites/relais-centre/households/famille-nord", token: tokCoord, body: `{"name": "Famille Nord"}`}, 404, "household"},
		{"PUT household with an unknown basket", req{method: "PUT", path: "/api/v1/sites/relais-centre/households/famille-martin", token: tokRelayCentre, body: `{"name": "Famille Martin", "basket": "geant"}`}, 422, "basket"},
		{"cancel an unknown order", req{method: "DELETE", path: "/api/v1/weeks/2026-W49/orders/inconnue", token: tokRelayCentre}, 404, "order"},
		{"cancel an unknown meal order", req{method: "DELETE", path: "/api/v1/weeks/2026-W49/meal-orders/inconnue", token: tokCookA}, 404, "order"},
		// Path and query parameters.
		{"malformed week id", req{method: "POST", path: "/api/v1/weeks/2026-49/offers", token: tokFarmerA, body: offer("")}, 400, "week"},
		{"week 53 of a 52-week year", req{method: "POST", path: "/api/v1/weeks/2027-W53/offers", token: tokFarmerA, body: offer("")}, 400, "week"},
		{"unknown week", req{method: "POST", path: "/api/v1/weeks/2031-W10/offers", token: tokFarmerA, body: offer("")}, 404, "week"},
		{"unknown week for an order", req{method: "POST", path: "/api/v1/weeks/2031-W10/orders", token: tokRelayCentre, body: `{"class": "extra", "product": "pomme", "quantity": 1}`}, 404, "week"},
		{"malformed site id in path", req{method: "POST", path: "/api/v1/sites/Relais%20Centre/households", token: tokCoord, body: `{"name": "Famille X"}`}, 400, "site"},
		{"limit zero", req{method: "GET", path: "/api/v1/products?limit=0", token: tokCoord}, 400, "limit"},
		{"limit too large", req{method: "GET", path: "/api/v1/products?limit=100000", token: tokCoord}, 400, "limit"},
		{"offset negative", req{method: "GET", path: "/api/v1/products?offset=-1", token: tokCoord}, 400, "offset"},
		{"limit not a number", req{method: "GET", path: "/api/v1/products?limit=ten", token: tokCoord}, 400, "limit"},
		{"unknown site kind filter", req{method: "GET", path: "/api/v1/sites?kind=depot", token: tokCoord}, 400, "kind"},
		{"malformed date filter", req{method: "GET", path: meals + "?date=demain", token: tokCoord}, 400, "date"},
		{"malformed token number", req{method: "DELETE", path: "/api/v1/tokens/abc", token: tokCoord}, 400, "token"},
	}
	if len(cases) < 30 {
		t.Fatalf("only %d malformed requests", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			w := e.do(tc.r)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d\n%s", w.Code, tc.status, w.Body.String())
			}
			fields := w.problemFields(t)
			if !contains(fields, tc.field) {
				t.Errorf("fields %v do not name %q\n%s", fields, tc.field, w.Body.String())
			}
			m := w.json(t)
			if m["status"] != float64(tc.status) || m["title"] == "" || m["type"] == "" {
				t.Errorf("incomplete problem: %v", m)
			}
			e.unchanged(t, before, tc.name)
		})
	}
}

// TestOversizedChunkedBody sends a body over the limit without a
// Content-Length, so only the reader's limit can stop it.
func TestOversizedChunkedBody(t *testing.T) {
	e := newEnv(t)
	before := e.snapshot()
	body := `{"product": "carotte", "quantity": 1, "price_cents": 1, "pad": "` + strings.Repeat("x", 2*DefaultMaxBodyBytes) + `"}`
	r := httptest.NewRequest("POST", "/api/v1/weeks/2026-W49/offers", bytes.NewReader([]byte(body)))
	r.ContentLength = -1
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+tokFarmerA)
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413: %s", w.Code, w.Body.String())
	}
	if !strings.Contains(w.Body.String(), `"field":"body"`) {
		t.Errorf("413 does not name the body: %s", w.Body.String())
	}
	e.unchanged(t, before, "an oversized chunked body")
}

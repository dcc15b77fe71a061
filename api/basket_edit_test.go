package api

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"paniers/planner"
)

// TestPortionAndBasketEdits changes a product's portions and a basket type's
// max_products and price through the real router: the next plan follows
// them, stored plans keep the scenario they were made from, the plan shows
// each basket's value beside its price, and bad values get a 4xx naming the
// field.
func TestPortionAndBasketEdits(t *testing.T) {
	e := newPlanEnv(t)
	ctx := context.Background()
	plan := "/api/v1/weeks/" + openWeek + "/plan"
	basketOf := func(p fullPlanBody) planner.BasketContents {
		t.Helper()
		for _, b := range p.Baskets {
			if b.Basket == "moyen" {
				return b
			}
		}
		t.Fatalf("plan v%d has no moyen basket: %+v", p.Version, p.Baskets)
		return planner.BasketContents{}
	}
	qty := func(b planner.BasketContents, product string) float64 {
		for _, c := range b.Contents {
			if c.Product == product {
				return c.Quantity
			}
		}
		return 0
	}

	v1 := decode[fullPlanBody](t, e.do(req{method: "POST", path: plan, token: tokCoord}).expect(t, http.StatusCreated))
	b1 := basketOf(v1)
	if b1.PriceCents != 1500 || b1.ValueCents <= 0 {
		t.Errorf("v1 basket value %d, price %d: want a value and the price 1500", b1.ValueCents, b1.PriceCents)
	}
	if qty(b1, "carotte") <= 0.5 {
		t.Fatalf("v1 holds %g kg of carrots; the test needs more than 0.5 to see basket_max", qty(b1, "carotte"))
	}

	got := decode[planner.Product](t, e.do(req{method: "PUT", path: "/api/v1/products/carotte", token: tokCoord,
		body: `{"name": "Carottes", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.1, "organic": true, "basket_min": 0.3, "basket_max": 0.5}`}).expect(t, http.StatusOK))
	if got.BasketMin != 0.3 || got.BasketMax != 0.5 {
		t.Errorf("PUT product answered %+v", got)
	}
	e.do(req{method: "PUT", path: "/api/v1/basket-types/moyen", token: tokCoord,
		body: `{"name": "Panier moyen", "price_cents": 1650, "contents": [{"category": "legume", "kg": 3, "min_products": 1, "max_products": 2}, {"category": "fruit", "kg": 1, "min_products": 1, "max_products": 1}]}`}).expect(t, http.StatusOK)
	bt := decode[basketTypeBody](t, e.do(req{method: "GET", path: "/api/v1/basket-types/moyen", token: tokRelayCentre}).expect(t, http.StatusOK))
	if bt.PriceCents != 1650 || len(bt.Contents) != 2 || bt.Contents[0].MaxProducts != 2 {
		t.Errorf("GET basket type after PUT: %+v", bt)
	}

	v2 := decode[fullPlanBody](t, e.do(req{method: "POST", path: plan, token: tokCoord}).expect(t, http.StatusCreated))
	b2 := basketOf(v2)
	if q := qty(b2, "carotte"); q > 0.5+1e-9 || q > 0 && q < 0.3-1e-9 {
		t.Errorf("v2 holds %g kg of carrots, outside the new portion 0.3..0.5", q)
	}
	if b2.PriceCents != 1650 || b2.ValueCents <= 0 {
		t.Errorf("v2 basket value %d, price %d; want a value and the new price 1650", b2.ValueCents, b2.PriceCents)
	}
	// The first version still shows what it planned, and its stored
	// scenario the old portions and price.
	again := decode[fullPlanBody](t, e.do(req{method: "GET", path: plan + "?version=1", token: tokCoord}).expect(t, http.StatusOK))
	if !slices.Equal(basketOf(again).Contents, b1.Contents) || basketOf(again).PriceCents != 1500 {
		t.Errorf("version 1 changed with the edits: %+v, was %+v", basketOf(again), b1)
	}
	in, err := e.st.GetPlanInput(ctx, openWeek, 1)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := in.ScenarioOf()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sc.Products {
		if p.ID == "carotte" && (p.BasketMin != 0.2 || p.BasketMax != 0) {
			t.Errorf("version 1's scenario has carrots %+v, want the default portion 0.2 and no basket_max", p)
		}
	}
	for _, b := range sc.BasketTypes {
		if b.ID == "moyen" && (b.PriceCents != 1500 || b.Contents[0].MaxProducts != 0) {
			t.Errorf("version 1's scenario has basket type %+v, want the old price and no max_products", b)
		}
	}

	for _, c := range []struct {
		name, method, path, token, body string
		status                          int
		field                           string
	}{
		{"basket_min not a multiple of the step", "PUT", "/api/v1/products/carotte", tokCoord,
			`{"name": "Carottes", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.1, "basket_min": 0.25}`, 422, "basket_min"},
		{"basket_min over basket_max", "PUT", "/api/v1/products/carotte", tokCoord,
			`{"name": "Carottes", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.1, "basket_min": 1, "basket_max": 0.5}`, 422, "basket_min"},
		{"negative basket_max", "PUT", "/api/v1/products/carotte", tokCoord,
			`{"name": "Carottes", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.1, "basket_max": -1}`, 422, "basket_max"},
		{"product renamed through its id", "PUT", "/api/v1/products/carotte", tokCoord,
			`{"id": "navet", "name": "Carottes", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.1}`, 422, "id"},
		{"unknown product", "PUT", "/api/v1/products/navet", tokCoord,
			`{"name": "Navets", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.1}`, 404, "product"},
		{"max_products under min_products", "PUT", "/api/v1/basket-types/moyen", tokCoord,
			`{"name": "Panier moyen", "contents": [{"category": "legume", "kg": 3, "min_products": 3, "max_products": 2}]}`, 422, "contents[0].max_products"},
		{"basket type without contents", "PUT", "/api/v1/basket-types/moyen", tokCoord, `{"name": "Panier moyen"}`, 422, "contents"},
		{"unknown basket type", "PUT", "/api/v1/basket-types/geant", tokCoord,
			`{"name": "Géant", "contents": [{"category": "legume", "kg": 9}]}`, 404, "basket"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(req{method: c.method, path: c.path, token: c.token, body: c.body}).expect(t, c.status)
			if fields := r.problemFields(t); !slices.Contains(fields, c.field) {
				t.Errorf("problem fields %q, want %q", fields, c.field)
			}
		})
	}
	// Refused edits changed nothing.
	if p := decode[planner.Product](t, e.do(req{method: "GET", path: "/api/v1/products/carotte", token: tokCoord})); p.BasketMin != 0.3 || p.BasketMax != 0.5 {
		t.Errorf("carrots after refused edits: %+v", p)
	}
}

package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"paniers/planner"
)

// TestWalkthroughs plays the README's four walkthroughs through the real
// router: a farmer posts an offer, a relay manager orders baskets, a cook
// orders maternelle meals, and the coordinator reads the week's scenario,
// which must hold exactly what the three posted, computed here by hand from
// the contract's rules rather than read back from the store.
func TestWalkthroughs(t *testing.T) {
	e := newEnv(t)

	// The farmer of ferme-a finds the open week and posts an offer.
	me := e.do(req{method: "GET", path: "/api/v1/me", token: tokFarmerA}).expect(t, 200).json(t)
	if me["role"] != "farmer" || me["scope"] != "ferme-a" {
		t.Fatalf("me: %v", me)
	}
	var week string
	for _, w := range e.do(req{method: "GET", path: "/api/v1/weeks", token: tokFarmerA}).expect(t, 200).json(t)["items"].([]any) {
		if w := w.(map[string]any); w["accepts_offers"] == true {
			week = w["id"].(string)
			break
		}
	}
	if week != openWeek {
		t.Fatalf("open week %q, want %s", week, openWeek)
	}
	offer := e.do(req{method: "POST", path: "/api/v1/weeks/" + week + "/offers", token: tokFarmerA,
		body: map[string]any{"product": "carotte", "quantity": 120, "price_cents": 190}}).expect(t, 201)
	if loc := offer.Header().Get("Location"); loc != "/api/v1/weeks/2026-W49/offers/ferme-a/carotte" {
		t.Errorf("Location %q", loc)
	}
	// A corrected harvest estimate replaces the offer.
	again := e.do(req{method: "POST", path: "/api/v1/weeks/" + week + "/offers", token: tokFarmerA,
		body: map[string]any{"producer": "ferme-a", "product": "carotte", "quantity": 150.5, "price_cents": 185}}).expect(t, 200).json(t)
	if again["quantity"] != 150.5 || again["price_cents"] != float64(185) {
		t.Errorf("replaced offer: %v", again)
	}
	got := e.do(req{method: "GET", path: "/api/v1/weeks/" + week + "/offers/ferme-a/carotte", token: tokFarmerA}).expect(t, 200).json(t)
	if got["quantity"] != 150.5 {
		t.Errorf("offer read back: %v", got)
	}

	// The relay manager of relais-centre orders 24 medium baskets (id
	// assigned by the server) and 6 kg of apples as extras (own id).
	baskets := e.do(req{method: "POST", path: "/api/v1/weeks/" + week + "/orders", token: tokRelayCentre,
		body: map[string]any{"class": "basket", "basket": "moyen", "count": 24}}).expect(t, 201).json(t)
	if id, _ := baskets["id"].(string); id == "" || baskets["site"] != "relais-centre" {
		t.Fatalf("basket order: %v", baskets)
	}
	e.do(req{method: "POST", path: "/api/v1/weeks/" + week + "/orders", token: tokRelayCentre,
		body: map[string]any{"id": "centre-pommes", "site": "relais-centre", "class": "extra", "product": "pomme", "quantity": 6}}).expect(t, 201)
	list := e.do(req{method: "GET", path: "/api/v1/weeks/" + week + "/orders", token: tokRelayCentre}).expect(t, 200).json(t)
	if n := len(list["items"].([]any)); n != 2 {
		t.Errorf("relay sees %d orders, want 2", n)
	}
	hh := e.do(req{method: "GET", path: "/api/v1/sites/relais-centre/households", token: tokRelayCentre}).expect(t, 200).json(t)
	if n := len(hh["items"].([]any)); n != 1 {
		t.Errorf("relay sees %d households, want 1", n)
	}

	// The cook of cantine-a orders Tuesday's meals: 120 maternelle covers
	// of carrots (the coordinator's portion, 70 g) and apples (the default
	// fruit portion for maternelle, 80 g); and Thursday's soup with a
	// portion of its own.
	meal := e.do(req{method: "POST", path: "/api/v1/weeks/" + week + "/meal-orders", token: tokCookA, body: map[string]any{
		"date": "2026-12-01", "note": "repas du mardi",
		"covers": []any{map[string]any{"age_group": "maternelle", "covers": 120}},
		"dishes": []any{map[string]any{"product": "carotte"}, map[string]any{"product": "pomme"}},
	}}).expect(t, 201).json(t)
	e.do(req{method: "GET", path: "/api/v1/weeks/" + week + "/meal-orders/" + meal["id"].(string), token: tokCookA}).expect(t, 200)
	e.do(req{method: "POST", path: "/api/v1/weeks/" + week + "/meal-orders", token: tokCookA, body: map[string]any{
		"id": "a-jeudi", "date": "2026-12-03",
		"covers": []any{map[string]any{"age_group": "maternelle", "covers": 33}, map[string]any{"age_group": "adulte", "covers": 4}},
		"dishes": []any{map[string]any{"product": "poireau", "portion_g": 45}},
	}}).expect(t, 201)

	// The coordinator reads the week's scenario.
	w := e.do(req{method: "GET", path: "/api/v1/weeks/" + week + "/scenario", token: tokCoord}).expect(t, 200)
	var sc planner.Scenario
	dec := json.NewDecoder(bytes.NewReader(w.Body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		t.Fatalf("scenario is not the contract's JSON: %v", err)
	}
	// Exactly the store's scenario, byte for byte.
	direct, err := e.st.Scenario(context.Background(), week)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(direct)
	if !bytes.Equal(bytes.TrimSpace(w.Body.Bytes()), want) {
		t.Errorf("API scenario differs from the store's:\n%s\n%s", w.Body.String(), want)
	}
	if sc.Week != week || sc.CollectionDate != "2026-11-30" || sc.DeliveryDate != "2026-12-01" || sc.Timezone != "Europe/Paris" {
		t.Errorf("scenario header: %+v", sc)
	}
	offers := map[string]planner.Offer{}
	for _, o := range sc.Offers {
		offers[o.Producer+"/"+o.Product] = o
	}
	if o := offers["ferme-a/carotte"]; o.Quantity != 150.5 || o.PriceCents != 185 {
		t.Errorf("offer in scenario: %+v", o)
	}
	orders := map[string]planner.Order{}
	for _, o := range sc.Orders {
		orders[o.ID] = o
	}
	ceilStep := func(q, step float64) float64 { return math.Ceil(q/step-1e-9) * step }
	checks := []struct {
		id    string
		class string
		want  float64 // quantity, or count for baskets
	}{
		// 120 covers x 70 g of carrots (coordinator's portion) = 8.4 kg.
		{"canteen:cantine-a:carotte", "canteen", ceilStep(120*70/1000.0, 0.1)},
		// 120 covers x 80 g of apples (default maternelle fruit) = 9.6 kg.
		{"canteen:cantine-a:pomme", "canteen", ceilStep(120*80/1000.0, 0.1)},
		// (33 + 4) covers x 45 g of leeks = 1.665 bunches of 1 kg, up to 2.
		{"canteen:cantine-a:poireau", "canteen", ceilStep(37*45/1000.0, 1)},
		// cantine-b's fixture order: 40 covers x 80 g of apples = 3.2 kg.
		{"canteen:cantine-b:pomme", "canteen", ceilStep(40*80/1000.0, 0.1)},
		// 24 ordered baskets plus the household's subscription of 1.
		{"basket:relais-centre:moyen", "basket", 25},
		// relais-nord has no basket order: its household's 2.
		{"basket:relais-nord:moyen", "basket", 2},
		{"centre-pommes", "extra", 6},
		{"nord-extra", "extra", 5},
	}
	for _, c := range checks {
		o, ok := orders[c.id]
		if !ok {
			t.Errorf("scenario lacks order %s: %+v", c.id, sc.Orders)
			continue
		}
		got := o.Quantity
		if c.class == "basket" {
			got = float64(o.Count)
		}
		if o.Class != c.class || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("order %s: class %s quantity/count %v, want %s %v", c.id, o.Class, got, c.class, c.want)
		}
	}
	if len(sc.Orders) != len(checks) {
		t.Errorf("scenario has %d orders, want %d: %+v", len(sc.Orders), len(checks), sc.Orders)
	}
	if len(sc.Vehicles) != 1 || len(sc.Sites) != 4 || len(sc.Producers) != 2 || len(sc.Products) != 3 || len(sc.BasketTypes) != 1 {
		t.Errorf("scenario catalogue: %d vehicles, %d sites, %d producers, %d products, %d basket types",
			len(sc.Vehicles), len(sc.Sites), len(sc.Producers), len(sc.Products), len(sc.BasketTypes))
	}
}

// TestScenarioUnknownWeek answers 404 naming the week, and 400 for a week
// id that cannot be one.
func TestScenarioUnknownWeek(t *testing.T) {
	e := newEnv(t)
	if f := e.do(req{method: "GET", path: "/api/v1/weeks/2030-W01/scenario", token: tokCoord}).expect(t, 404).problemFields(t); !contains(f, "week") {
		t.Errorf("fields %v", f)
	}
	if f := e.do(req{method: "GET", path: "/api/v1/weeks/W49/scenario", token: tokCoord}).expect(t, 400).problemFields(t); !contains(f, "week") {
		t.Errorf("fields %v", f)
	}
}

// TestCorrections shows the corrections a season needs reaching the
// scenario: a household changes its subscription, a relay manager cancels a
// mistaken order and a cook a meal order, the coordinator moves a farm's
// collection window.
func TestCorrections(t *testing.T) {
	e := newEnv(t)
	const week = "/api/v1/weeks/2026-W49"
	orderOf := func(id string) (planner.Order, bool) {
		var sc planner.Scenario
		if err := json.Unmarshal(e.do(req{method: "GET", path: week + "/scenario", token: tokCoord}).expect(t, 200).Body.Bytes(), &sc); err != nil {
			t.Fatal(err)
		}
		for _, o := range sc.Orders {
			if o.ID == id {
				return o, true
			}
		}
		return planner.Order{}, false
	}
	// The Martin family now takes three medium baskets.
	h := e.do(req{method: "PUT", path: "/api/v1/sites/relais-centre/households/famille-martin", token: tokRelayCentre,
		body: `{"name": "Famille Martin", "contact": "06 00 00 00 01", "basket": "moyen", "basket_count": 3}`}).expect(t, 200).json(t)
	if h["basket_count"] != float64(3) || h["id"] != "famille-martin" || h["site"] != "relais-centre" {
		t.Errorf("household: %v", h)
	}
	if o, _ := orderOf("basket:relais-centre:moyen"); o.Count != 3 {
		t.Errorf("relais-centre baskets %d, want 3", o.Count)
	}
	// A mistaken extra order is cancelled, and so is a meal order.
	e.do(req{method: "POST", path: week + "/orders", token: tokRelayCentre, body: `{"id": "erreur", "class": "extra", "product": "pomme", "quantity": 50}`}).expect(t, 201)
	if _, ok := orderOf("erreur"); !ok {
		t.Fatal("order not in the scenario")
	}
	e.do(req{method: "DELETE", path: week + "/orders/erreur", token: tokRelayCentre}).expect(t, 204)
	if _, ok := orderOf("erreur"); ok {
		t.Error("cancelled order still in the scenario")
	}
	e.do(req{method: "DELETE", path: week + "/orders/erreur", token: tokRelayCentre}).expect(t, 404)
	e.do(req{method: "DELETE", path: week + "/meal-orders/b-lundi", token: tokCookB}).expect(t, 204)
	if _, ok := orderOf("canteen:cantine-b:pomme"); ok {
		t.Error("cancelled meal order still in the scenario")
	}
	// The coordinator moves ferme-a's collection window.
	p := e.do(req{method: "PUT", path: "/api/v1/producers/ferme-a", token: tokCoord,
		body: `{"id": "ferme-a", "name": "Ferme A", "place": "Loos-en-Gohelle", "lat": 50.47, "lon": 2.75, "collect": true, "window": ["14:00", "17:30"], "service_min": 15}`}).expect(t, 200).json(t)
	got := e.do(req{method: "GET", path: "/api/v1/producers/ferme-a", token: tokFarmerA}).expect(t, 200).json(t)
	if fmt.Sprint(got["window"]) != "[14:00 17:30]" || got["service_min"] != float64(15) || fmt.Sprint(p) != fmt.Sprint(got) {
		t.Errorf("producer after PUT: %v, read back %v", p, got)
	}
}

// TestAvailability sums the week's offers per product, without producers
// or prices, for every role.
func TestAvailability(t *testing.T) {
	e := newEnv(t)
	const week = "/api/v1/weeks/2026-W49"
	// ferme-b's fixture offer: 80 kg of apples at 220 cents.
	e.do(req{method: "POST", path: week + "/offers", token: tokFarmerA, body: `{"product": "pomme", "quantity": 20.1, "price_cents": 200}`}).expect(t, 201)
	e.do(req{method: "POST", path: week + "/offers", token: tokFarmerA, body: `{"product": "carotte", "quantity": 0.2, "price_cents": 150}`}).expect(t, 201)
	e.do(req{method: "POST", path: week + "/offers", token: tokFarmerB, body: `{"product": "carotte", "quantity": 0.1, "price_cents": 150}`}).expect(t, 201)
	w := e.do(req{method: "GET", path: week + "/availability", token: tokRelayNord}).expect(t, 200)
	got := w.json(t)["items"].([]any)
	want := []string{"pomme fruit 100.1", "carotte legume 0.3"} // by category, then id
	if len(got) != 2 {
		t.Fatalf("availability: %v", got)
	}
	for i, it := range got {
		m := it.(map[string]any)
		if s := fmt.Sprintf("%v %v %v", m["product"], m["category"], m["quantity"]); s != want[i] {
			t.Errorf("item %d: %s, want %s", i, s, want[i])
		}
	}
	if strings.Contains(w.Body.String(), "ferme") || strings.Contains(w.Body.String(), "price") {
		t.Errorf("availability shows producers or prices: %s", w.Body.String())
	}
	e.do(req{method: "GET", path: "/api/v1/weeks/2030-W01/availability", token: tokCookA}).expect(t, 404)
}

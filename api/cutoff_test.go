package api

import (
	"strings"
	"testing"
	"time"
)

// TestCutoffs moves the clock across the open week's cutoffs (offers close
// Wednesday 2026-11-25 20:00, orders Thursday 2026-11-26 12:00, Paris
// time): writes are accepted up to the second before, and refused with a
// 409 saying what closed and when from the cutoff on, storing nothing.
func TestCutoffs(t *testing.T) {
	e := newEnv(t)
	offerCutoff := time.Date(2026, 11, 25, 20, 0, 0, 0, e.loc)
	orderCutoff := time.Date(2026, 11, 26, 12, 0, 0, 0, e.loc)
	const week = "/api/v1/weeks/2026-W49"
	postOffer := func(q float64) resp {
		return e.do(req{method: "POST", path: week + "/offers", token: tokFarmerA,
			body: map[string]any{"product": "carotte", "quantity": q, "price_cents": 190}})
	}
	postOrder := func() resp {
		return e.do(req{method: "POST", path: week + "/orders", token: tokRelayCentre,
			body: map[string]any{"class": "basket", "basket": "moyen", "count": 2}})
	}
	postMeal := func() resp {
		return e.do(req{method: "POST", path: week + "/meal-orders", token: tokCookA, body: map[string]any{
			"date": "2026-12-01", "covers": []any{map[string]any{"age_group": "maternelle", "covers": 20}},
			"dishes": []any{map[string]any{"product": "carotte"}}}})
	}
	// refused checks a 409 cutoff problem and that nothing changed.
	refused := func(t *testing.T, w resp, cutoff time.Time, what string) {
		t.Helper()
		w.expect(t, 409)
		if f := w.problemFields(t); !contains(f, "week") {
			t.Errorf("fields %v do not name the week", f)
		}
		m := w.json(t)
		if m["type"] != "urn:paniers:problem:cutoff-passed" || m["cutoff"] != cutoff.Format(time.RFC3339) || m["week"] != "2026-W49" {
			t.Errorf("problem: %v", m)
		}
		if d, _ := m["detail"].(string); !strings.Contains(d, what) || !strings.Contains(d, cutoff.Format("15:04")) {
			t.Errorf("detail %q does not say %q closed at %s", d, what, cutoff.Format("15:04"))
		}
	}

	e.clock.Set(offerCutoff.Add(-time.Second))
	postOffer(10).expect(t, 201)
	if w := e.do(req{method: "GET", path: week, token: tokFarmerA}).expect(t, 200).json(t); w["accepts_offers"] != true {
		t.Errorf("week before the cutoff: %v", w)
	}

	e.clock.Set(offerCutoff)
	before := e.snapshot()
	w := postOffer(20)
	refused(t, w, offerCutoff, "offres")
	if d := w.json(t)["detail"].(string); !strings.Contains(d, "mercredi 25 novembre 2026 à 20:00") {
		t.Errorf("French detail %q lacks the cutoff day", d)
	}
	e.do(req{method: "DELETE", path: week + "/offers/ferme-a/carotte", token: tokFarmerA}).expect(t, 409)
	e.unchanged(t, before, "offers after the cutoff")
	if w := e.do(req{method: "GET", path: week, token: tokFarmerA}).expect(t, 200).json(t); w["accepts_offers"] != false || w["accepts_orders"] != true {
		t.Errorf("week between the cutoffs: %v", w)
	}
	// In English on request.
	en := e.do(req{method: "POST", path: week + "/offers?lang=en", token: tokFarmerA,
		body: map[string]any{"product": "carotte", "quantity": 5, "price_cents": 190}}).expect(t, 409).json(t)
	if en["title"] != "Cutoff passed" || !strings.Contains(en["detail"].(string), "offers of week 2026-W49") {
		t.Errorf("English problem: %v", en)
	}

	// Orders and meal orders are still open until theirs.
	e.clock.Set(orderCutoff.Add(-time.Second))
	order := postOrder().expect(t, 201).json(t)["id"].(string)
	meal := postMeal().expect(t, 201).json(t)["id"].(string)

	e.clock.Set(orderCutoff.Add(time.Minute))
	before = e.snapshot()
	refused(t, postOrder(), orderCutoff, "commandes")
	refused(t, postMeal(), orderCutoff, "commandes de repas")
	refused(t, e.do(req{method: "DELETE", path: week + "/orders/" + order, token: tokRelayCentre}), orderCutoff, "commandes")
	refused(t, e.do(req{method: "DELETE", path: week + "/meal-orders/" + meal, token: tokCookA}), orderCutoff, "commandes de repas")
	e.unchanged(t, before, "orders after the cutoff")
}

// TestClosedWeek refuses writes to a week the coordinator closed, even
// before its cutoffs, and accepts them again once it is reopened.
func TestClosedWeek(t *testing.T) {
	e := newEnv(t)
	const week = "/api/v1/weeks/2026-W49"
	e.do(req{method: "PATCH", path: week, token: tokCoord, body: `{"status": "closed"}`}).expect(t, 200)
	before := e.snapshot()
	w := e.do(req{method: "POST", path: week + "/orders", token: tokRelayCentre,
		body: map[string]any{"class": "extra", "product": "pomme", "quantity": 1}}).expect(t, 409)
	if m := w.json(t); m["type"] != "urn:paniers:problem:week-closed" || m["week_status"] != "closed" {
		t.Errorf("problem: %v", m)
	}
	e.unchanged(t, before, "an order to a closed week")
	e.do(req{method: "PATCH", path: week, token: tokCoord, body: `{"status": "open"}`}).expect(t, 200)
	e.do(req{method: "POST", path: week + "/orders", token: tokRelayCentre,
		body: map[string]any{"class": "extra", "product": "pomme", "quantity": 1}}).expect(t, 201)
}

package api

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"paniers/models"
)

// allTokens are the fixture's tokens: the coordinator, and for each scoped
// role one token of the scope the requests below touch ("own") and one of
// another scope.
var allTokens = []string{tokCoord, tokFarmerA, tokFarmerB, tokRelayCentre, tokRelayNord, tokCookA, tokCookB}

// tokDriver2 is a driver of a vehicle the plan does not use; TestScopeTable
// makes it.
const tokDriver2 = "test-driver-camion-2"

// drivers are the drivers' tokens: camion-1's, every vehicle's, and
// camion-2's. A driver reads only what a row names in drivers.
var drivers = []string{tokDriver1, tokDriverAll, tokDriver2}

// addIdleCamion2 adds camion-2, which cannot serve anything (a one-minute
// shift), and tokDriver2, its driver: every round of the plan is then
// camion-1's, and camion-2's driver reads none.
func addIdleCamion2(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	if err := e.st.CreateVehicle(ctx, &models.Vehicle{ID: "camion-2", Name: "Camion 2", CapacityKg: 1, ShiftStart: "05:00", ShiftEnd: "05:01"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.EnsureToken(ctx, tokDriver2, models.RoleDriver, "camion-2", "driver camion-2"); err != nil {
		t.Fatal(err)
	}
}

// TestScopeTable sends every route as every role and scope, plus without a
// token and with an unknown one: the allowed callers succeed, every other
// token gets 403, a missing or unknown token 401. allowed nil means every
// token but the drivers', who succeed only where drivers names them. The
// table must cover every route of the router.
func TestScopeTable(t *testing.T) {
	e := newPlanEnv(t)
	e.srv.limiter = nil // this test fails authentication on purpose, many times
	ctx := context.Background()
	_, spare, err := e.st.CreateToken(ctx, models.RoleFarmer, "ferme-b", "spare")
	if err != nil {
		t.Fatal(err)
	}
	addIdleCamion2(t, e)
	putOffer := func() {
		if _, err := e.st.PutOffer(ctx, &models.Offer{WeekID: openWeek, ProducerID: "ferme-a", ProductID: "carotte", Quantity: 10, PriceCents: 100}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	uniq := func(prefix string) string { n++; return fmt.Sprintf("%s-%d", prefix, n) }
	fundMartin := func() {
		if _, err := e.st.PostTransfer(ctx, models.TransferInput{From: models.AccountCollectif, To: "famille-martin", AmountCents: 100, Kind: models.TransferWork}); err != nil {
			t.Fatal(err)
		}
	}
	meal := `{"site": "cantine-a", "date": "2026-12-02", "covers": [{"age_group": "maternelle", "covers": 30}], "dishes": [{"product": "carotte"}]}`
	type tcase struct {
		route   string // METHOD and documented path, for the coverage check
		path    string // the path sent
		body    func() string
		allowed []string // tokens that succeed; nil means every token but the drivers'
		drivers []string // drivers' tokens that succeed
		public  bool
		ok      []int
		setup   func()
		header  map[string]string
		// hidden are tokens answered 404 rather than 403: another relay
		// point's household looks as if it did not exist.
		hidden []string
	}
	coordOnly := []string{tokCoord}
	body := func(s string) func() string { return func() string { return s } }
	cases := []tcase{
		{route: "GET /healthz", path: "/healthz", public: true, ok: []int{200}},
		{route: "HEAD /healthz", path: "/healthz", public: true, ok: []int{200}},
		{route: "GET /api/v1/openapi.json", path: "/api/v1/openapi.json", public: true, ok: []int{200}},
		{route: "GET /api/v1/me", drivers: drivers, ok: []int{200}},
		{route: "GET /api/v1/tokens", allowed: coordOnly, ok: []int{200}},
		{route: "POST /api/v1/tokens", allowed: coordOnly, ok: []int{201}, body: body(`{"role": "farmer", "scope": "ferme-b", "name": "x"}`)},
		{route: "POST /api/v1/tokens/{token}/sign-in-links", path: "/api/v1/tokens/" + fmt.Sprint(spare.ID) + "/sign-in-links", allowed: coordOnly, ok: []int{201}},
		{route: "DELETE /api/v1/tokens/{token}", path: "/api/v1/tokens/" + fmt.Sprint(spare.ID), allowed: coordOnly, ok: []int{204}},
		{route: "GET /api/v1/producers", ok: []int{200}},
		{route: "POST /api/v1/producers", allowed: coordOnly, ok: []int{201}, body: func() string {
			return `{"id": "` + uniq("ferme") + `", "name": "F", "lat": 50.4, "lon": 2.8, "window": ["08:00", "12:00"]}`
		}},
		{route: "GET /api/v1/producers/{producer}", path: "/api/v1/producers/ferme-a", ok: []int{200}},
		{route: "PUT /api/v1/producers/{producer}", path: "/api/v1/producers/ferme-b", allowed: coordOnly, ok: []int{200},
			body: body(`{"name": "Ferme B", "place": "Grenay", "lat": 50.45, "lon": 2.74, "window": ["08:00", "12:30"]}`)},
		{route: "GET /api/v1/products", ok: []int{200}},
		{route: "POST /api/v1/products", allowed: coordOnly, ok: []int{201}, body: func() string {
			return `{"id": "` + uniq("navet") + `", "name": "Navets", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.1}`
		}},
		{route: "GET /api/v1/products/{product}", path: "/api/v1/products/carotte", ok: []int{200}},
		{route: "PUT /api/v1/products/{product}", path: "/api/v1/products/carotte", allowed: coordOnly, ok: []int{200},
			body: body(`{"name": "Carottes", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.1, "organic": true, "basket_min": 0.5, "basket_max": 1.5}`)},
		{route: "GET /api/v1/sites", ok: []int{200}},
		{route: "POST /api/v1/sites", allowed: coordOnly, ok: []int{201}, body: func() string {
			return `{"id": "` + uniq("relais") + `", "name": "R", "kind": "relay", "lat": 50.4, "lon": 2.8, "window": ["08:00", "12:00"]}`
		}},
		{route: "GET /api/v1/sites/{site}", path: "/api/v1/sites/relais-centre", ok: []int{200}},
		{route: "PUT /api/v1/sites/{site}", path: "/api/v1/sites/relais-nord", allowed: coordOnly, ok: []int{200},
			body: body(`{"id": "relais-nord", "name": "Relais nord", "kind": "relay", "lat": 50.46, "lon": 2.80, "window": ["09:00", "17:00"], "service_min": 12}`)},
		{route: "GET /api/v1/vehicles", allowed: coordOnly, ok: []int{200}},
		{route: "POST /api/v1/vehicles", allowed: coordOnly, ok: []int{201}, body: func() string {
			return `{"id": "` + uniq("camion") + `", "capacity_kg": 500, "shift": ["06:00", "18:00"]}`
		}},
		{route: "GET /api/v1/vehicles/{vehicle}", path: "/api/v1/vehicles/camion-1", allowed: coordOnly, ok: []int{200}},
		{route: "PUT /api/v1/vehicles/{vehicle}", path: "/api/v1/vehicles/camion-1", allowed: coordOnly, ok: []int{200},
			body: body(`{"name": "Camion 1", "capacity_kg": 750, "shift": ["06:00", "18:00"]}`)},
		{route: "GET /api/v1/basket-types", ok: []int{200}},
		{route: "POST /api/v1/basket-types", allowed: coordOnly, ok: []int{201}, body: func() string {
			return `{"id": "` + uniq("petit") + `", "name": "Petit", "contents": [{"category": "legume", "kg": 2}]}`
		}},
		{route: "GET /api/v1/basket-types/{basket}", path: "/api/v1/basket-types/moyen", ok: []int{200}},
		{route: "PUT /api/v1/basket-types/{basket}", path: "/api/v1/basket-types/moyen", allowed: coordOnly, ok: []int{200},
			body: body(`{"name": "Panier moyen", "price_cents": 1500, "contents": [{"category": "legume", "kg": 3, "min_products": 2, "max_products": 6}, {"category": "fruit", "kg": 1, "min_products": 1}]}`)},
		{route: "GET /api/v1/portions", ok: []int{200}},
		{route: "PUT /api/v1/portions/{age_group}/{product}", path: "/api/v1/portions/maternelle/poireau", allowed: coordOnly, ok: []int{200}, body: body(`{"grams": 50}`)},
		{route: "GET /api/v1/weeks", ok: []int{200}},
		{route: "POST /api/v1/weeks", allowed: coordOnly, ok: []int{201}, body: body(`{"id": "2026-W50"}`)},
		{route: "GET /api/v1/weeks/{week}", path: "/api/v1/weeks/2026-W49", ok: []int{200}},
		{route: "PATCH /api/v1/weeks/{week}", path: "/api/v1/weeks/2026-W49", allowed: coordOnly, ok: []int{200}, body: body(`{"status": "open"}`)},
		{route: "GET /api/v1/weeks/{week}/availability", path: "/api/v1/weeks/2026-W49/availability", ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/scenario", path: "/api/v1/weeks/2026-W49/scenario", allowed: coordOnly, ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/offers", path: "/api/v1/weeks/2026-W49/offers", allowed: []string{tokCoord, tokFarmerA, tokFarmerB}, ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/offers", path: "/api/v1/weeks/2026-W49/offers?producer=ferme-a", allowed: []string{tokCoord, tokFarmerA}, ok: []int{200}},
		{route: "POST /api/v1/weeks/{week}/offers", path: "/api/v1/weeks/2026-W49/offers", allowed: []string{tokCoord, tokFarmerA}, ok: []int{200, 201},
			body: body(`{"producer": "ferme-a", "product": "carotte", "quantity": 40, "price_cents": 190}`)},
		{route: "GET /api/v1/weeks/{week}/offers/{producer}/{product}", path: "/api/v1/weeks/2026-W49/offers/ferme-b/pomme", allowed: []string{tokCoord, tokFarmerB}, ok: []int{200}},
		{route: "DELETE /api/v1/weeks/{week}/offers/{producer}/{product}", path: "/api/v1/weeks/2026-W49/offers/ferme-a/carotte", allowed: []string{tokCoord, tokFarmerA}, ok: []int{204}, setup: putOffer},
		{route: "GET /api/v1/weeks/{week}/orders", path: "/api/v1/weeks/2026-W49/orders", allowed: []string{tokCoord, tokRelayCentre, tokRelayNord}, ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/orders", path: "/api/v1/weeks/2026-W49/orders?site=relais-nord", allowed: []string{tokCoord, tokRelayNord}, ok: []int{200}},
		{route: "POST /api/v1/weeks/{week}/orders", path: "/api/v1/weeks/2026-W49/orders", allowed: []string{tokCoord, tokRelayCentre}, ok: []int{201},
			body: body(`{"site": "relais-centre", "class": "extra", "product": "pomme", "quantity": 1}`)},
		{route: "GET /api/v1/weeks/{week}/orders/{order}", path: "/api/v1/weeks/2026-W49/orders/nord-extra", allowed: []string{tokCoord, tokRelayNord}, ok: []int{200}},
		{route: "DELETE /api/v1/weeks/{week}/orders/{order}", path: "/api/v1/weeks/2026-W49/orders/a-annuler", allowed: []string{tokCoord, tokRelayCentre}, ok: []int{204}, setup: func() {
			if _, err := e.st.GetOrder(ctx, openWeek, "a-annuler"); err == nil {
				return
			}
			if err := e.st.CreateOrder(ctx, &models.Order{ID: "a-annuler", WeekID: openWeek, SiteID: "relais-centre", Class: "extra", ProductID: ptr("pomme"), Quantity: 1}); err != nil {
				t.Fatal(err)
			}
		}},
		{route: "GET /api/v1/weeks/{week}/meal-orders", path: "/api/v1/weeks/2026-W49/meal-orders", allowed: []string{tokCoord, tokCookA, tokCookB}, ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/meal-orders", path: "/api/v1/weeks/2026-W49/meal-orders?site=cantine-b", allowed: []string{tokCoord, tokCookB}, ok: []int{200}},
		{route: "POST /api/v1/weeks/{week}/meal-orders", path: "/api/v1/weeks/2026-W49/meal-orders", allowed: []string{tokCoord, tokCookA}, ok: []int{201}, body: body(meal)},
		{route: "GET /api/v1/weeks/{week}/meal-orders/{order}", path: "/api/v1/weeks/2026-W49/meal-orders/b-lundi", allowed: []string{tokCoord, tokCookB}, ok: []int{200}},
		{route: "DELETE /api/v1/weeks/{week}/meal-orders/{order}", path: "/api/v1/weeks/2026-W49/meal-orders/repas-a-annuler", allowed: []string{tokCoord, tokCookA}, ok: []int{204}, setup: func() {
			if _, err := e.st.GetMealOrder(ctx, openWeek, "repas-a-annuler"); err == nil {
				return
			}
			if err := e.st.CreateMealOrder(ctx, &models.MealOrder{ID: "repas-a-annuler", WeekID: openWeek, SiteID: "cantine-a", Date: "2026-12-02",
				Covers: []models.MealCover{{AgeGroup: "maternelle", Covers: 10}}, Dishes: []models.MealDish{{ProductID: "carotte"}}}); err != nil {
				t.Fatal(err)
			}
		}},
		{route: "GET /api/v1/sites/{site}/households", path: "/api/v1/sites/relais-centre/households", allowed: []string{tokCoord, tokRelayCentre}, ok: []int{200}},
		{route: "POST /api/v1/sites/{site}/households", path: "/api/v1/sites/relais-centre/households", allowed: []string{tokCoord, tokRelayCentre}, ok: []int{201},
			body: body(`{"name": "Famille Durand", "contact": "06 11 22 33 44", "basket": "moyen", "basket_count": 1}`)},
		{route: "GET /api/v1/sites/{site}/pickups/{week}", path: "/api/v1/sites/relais-centre/pickups/2026-W49", allowed: []string{tokCoord, tokRelayCentre}, ok: []int{200}},
		{route: "PUT /api/v1/sites/{site}/pickups/{week}/{household}", path: "/api/v1/sites/relais-centre/pickups/2026-W49/famille-martin", allowed: []string{tokCoord, tokRelayCentre}, ok: []int{204}},
		{route: "DELETE /api/v1/sites/{site}/pickups/{week}/{household}", path: "/api/v1/sites/relais-centre/pickups/2026-W49/famille-martin", allowed: []string{tokCoord, tokRelayCentre}, ok: []int{204}},
		{route: "GET /api/v1/sites/{site}/households/{household}", path: "/api/v1/sites/relais-nord/households/famille-nord", allowed: []string{tokCoord, tokRelayNord}, ok: []int{200}},
		{route: "PUT /api/v1/sites/{site}/households/{household}", path: "/api/v1/sites/relais-centre/households/famille-martin", allowed: []string{tokCoord, tokRelayCentre}, ok: []int{200},
			body: body(`{"name": "Famille Martin", "contact": "06 00 00 00 09", "basket": "moyen", "basket_count": 2}`)},
		{route: "GET /api/v1/sites/{site}/households/{household}/export", path: "/api/v1/sites/relais-nord/households/famille-nord/export", allowed: coordOnly, ok: []int{200}},
		{route: "POST /api/v1/sites/{site}/households/{household}/erase", path: "/api/v1/sites/relais-centre/households/a-effacer/erase", allowed: coordOnly, ok: []int{200}, setup: func() {
			if _, err := e.st.GetHousehold(ctx, "a-effacer"); err == nil {
				return
			}
			if err := e.st.CreateHousehold(ctx, &models.Household{ID: "a-effacer", SiteID: "relais-centre", Name: "Famille à effacer"}); err != nil {
				t.Fatal(err)
			}
		}},
		// The weekly plan and its documents (jobs.go): the first rows make
		// and publish the plan the others read (drafts are the
		// coordinator's).
		{route: "POST /api/v1/weeks/{week}/plan", path: "/api/v1/weeks/2026-W49/plan", allowed: coordOnly, ok: []int{201}},
		{route: "GET /api/v1/weeks/{week}/plans", path: "/api/v1/weeks/2026-W49/plans", allowed: coordOnly, ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/plans/{version}/changes", path: "/api/v1/weeks/2026-W49/plans/1/changes", allowed: coordOnly, ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/rounds", path: "/api/v1/weeks/2026-W49/rounds", allowed: coordOnly, ok: []int{200}},
		{route: "POST /api/v1/weeks/{week}/publish", path: "/api/v1/weeks/2026-W49/publish", allowed: coordOnly, ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/plan", path: "/api/v1/weeks/2026-W49/plan", ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/documents", path: "/api/v1/weeks/2026-W49/documents", drivers: drivers, ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/documents/{kind}/{file}", path: "/api/v1/weeks/2026-W49/documents/round-sheet/0.pdf", allowed: coordOnly,
			drivers: []string{tokDriver1, tokDriverAll}, ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/documents/{kind}/{file}", path: "/api/v1/weeks/2026-W49/documents/packing-list/hub.csv", allowed: coordOnly, ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/documents/{kind}/{file}", path: "/api/v1/weeks/2026-W49/documents/pickup-list/relais-centre.csv", allowed: []string{tokCoord, tokRelayCentre}, ok: []int{200}},
		{route: "GET /api/v1/weeks/{week}/documents/{kind}/{file}", path: "/api/v1/weeks/2026-W49/documents/preparation-list/ferme-a.pdf", allowed: []string{tokCoord, tokFarmerA}, ok: []int{200}},
		// The drivers' ticks (deliveries.go): round 0 is camion-1's, so
		// camion-2's driver gets 403 like every other role.
		{route: "GET /api/v1/weeks/{week}/rounds/{round}/deliveries", path: "/api/v1/weeks/2026-W49/rounds/0/deliveries", allowed: coordOnly,
			drivers: []string{tokDriver1, tokDriverAll}, ok: []int{200}},
		{route: "PUT /api/v1/weeks/{week}/rounds/{round}/stops/{stop}/delivered", path: "/api/v1/weeks/2026-W49/rounds/0/stops/1/delivered?version=1", allowed: coordOnly,
			drivers: []string{tokDriver1, tokDriverAll}, ok: []int{200}},
		{route: "DELETE /api/v1/weeks/{week}/rounds/{round}/stops/{stop}/delivered", path: "/api/v1/weeks/2026-W49/rounds/0/stops/1/delivered?version=1", allowed: coordOnly,
			drivers: []string{tokDriver1, tokDriverAll}, ok: []int{204}},
		{route: "GET /api/v1/jobs", allowed: coordOnly, ok: []int{200}},
		{route: "GET /metrics", allowed: coordOnly, ok: []int{200}},
		// EGalim reports (egalim.go): the coordinator and the canteen's cook.
		{route: "GET /api/v1/sites/{site}/egalim", path: "/api/v1/sites/cantine-a/egalim?from=2026-01-01&to=2026-12-31", allowed: []string{tokCoord, tokCookA}, ok: []int{200}},
		{route: "GET /api/v1/sites/{site}/egalim/purchases.csv", path: "/api/v1/sites/cantine-b/egalim/purchases.csv?from=2026-01-01&to=2026-12-31", allowed: []string{tokCoord, tokCookB}, ok: []int{200}, setup: func() {
			site, err := e.st.GetSite(ctx, "cantine-b")
			if err != nil {
				t.Fatal(err)
			}
			site.Siret = "21620999900020"
			if err := e.st.UpdateSite(ctx, &site); err != nil {
				t.Fatal(err)
			}
		}},
		{route: "GET /api/v1/sites/{site}/egalim/report.pdf", path: "/api/v1/sites/cantine-a/egalim/report.pdf?from=2026-01-01&to=2026-12-31", allowed: []string{tokCoord, tokCookA}, ok: []int{200}},
		// The MANNE (manne.go): the first row's setup opens famille-martin's
		// account with transfer 1.
		{route: "POST /api/v1/manne/transfers", path: "/api/v1/manne/transfers", allowed: []string{tokCoord, tokRelayCentre}, ok: []int{201},
			header: map[string]string{"Idempotency-Key": "scope-basket"}, setup: fundMartin,
			body: body(`{"from": "famille-martin", "to": "collectif", "amount_cents": 50, "kind": "basket", "memo": "panier"}`)},
		{route: "POST /api/v1/manne/transfers", path: "/api/v1/manne/transfers", allowed: coordOnly, ok: []int{201},
			header: map[string]string{"Idempotency-Key": "scope-work"}, body: body(`{"from": "collectif", "to": "famille-nord", "amount_cents": 500, "kind": "work"}`)},
		{route: "GET /api/v1/manne/transfers/{transfer}", path: "/api/v1/manne/transfers/1", allowed: []string{tokCoord, tokRelayCentre}, ok: []int{200}},
		{route: "GET /api/v1/manne/accounts", allowed: coordOnly, ok: []int{200}},
		{route: "GET /api/v1/manne/accounts/{account}", path: "/api/v1/manne/accounts/famille-nord", allowed: []string{tokCoord, tokRelayNord}, hidden: []string{tokRelayCentre}, ok: []int{200}},
		{route: "GET /api/v1/manne/accounts/{account}", path: "/api/v1/manne/accounts/collectif", allowed: coordOnly, ok: []int{200}},
		{route: "GET /api/v1/manne/accounts/{account}/{file}", path: "/api/v1/manne/accounts/famille-martin/statement.pdf", allowed: []string{tokCoord, tokRelayCentre}, hidden: []string{tokRelayNord}, ok: []int{200}},
		{route: "GET /api/v1/manne/accounts/{account}/{file}", path: "/api/v1/manne/accounts/famille-nord/statement.csv?from=2026-01-01", allowed: []string{tokCoord, tokRelayNord}, hidden: []string{tokRelayCentre}, ok: []int{200}},
		{route: "GET /api/v1/manne/report", path: "/api/v1/manne/report?month=2026-11", allowed: coordOnly, ok: []int{200}},
		{route: "GET /api/v1/manne/report.csv", allowed: coordOnly, ok: []int{200}},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		method, docPath, _ := strings.Cut(tc.route, " ")
		path := tc.path
		if path == "" {
			path = docPath
		}
		covered[tc.route] = true
		callers := append(append([]string{"", tokUnknown}, allTokens...), drivers...)
		for _, tok := range callers {
			name := tok
			if name == "" {
				name = "no-token"
			}
			t.Run(tc.route+" "+path+" as "+name, func(t *testing.T) {
				if tc.setup != nil {
					tc.setup()
				}
				r := req{method: method, path: path, token: tok, header: tc.header}
				if tc.body != nil {
					r.body = tc.body()
				}
				w := e.do(r)
				var want []int
				switch {
				case tc.public || slices.Contains(tc.drivers, tok) ||
					(tok != "" && tok != tokUnknown && (tc.allowed == nil && !slices.Contains(drivers, tok) || slices.Contains(tc.allowed, tok))):
					want = tc.ok
				case tok == "" || tok == tokUnknown:
					want = []int{401}
				case slices.Contains(tc.hidden, tok):
					want = []int{404}
				default:
					want = []int{403}
				}
				if !slices.Contains(want, w.Code) {
					t.Fatalf("status %d, want %v\n%s", w.Code, want, w.Body.String())
				}
				if w.Code >= 400 {
					w.problemFields(t)
				}
			})
		}
	}
	var missing []string
	for _, r := range e.srv.engine.Routes() {
		key := r.Method + " " + ginParam.ReplaceAllString(r.Path, "{$1}")
		if !covered[key] {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("routes missing from the scope table: %v", missing)
	}
}

// TestListsStayInScope checks that a scoped token's lists hold only its own
// scope's records, so nothing leaks through a list.
func TestListsStayInScope(t *testing.T) {
	e := newEnv(t)
	e.do(req{method: "POST", path: "/api/v1/weeks/2026-W49/offers", token: tokFarmerA, body: `{"product": "carotte", "quantity": 50, "price_cents": 180}`}).expect(t, 201)
	e.do(req{method: "POST", path: "/api/v1/weeks/2026-W49/orders", token: tokRelayCentre, body: `{"class": "basket", "basket": "moyen", "count": 3}`}).expect(t, 201)
	e.do(req{method: "POST", path: "/api/v1/weeks/2026-W49/meal-orders", token: tokCookA,
		body: `{"date": "2026-12-01", "covers": [{"age_group": "maternelle", "covers": 30}], "dishes": [{"product": "carotte"}]}`}).expect(t, 201)
	for _, tc := range []struct {
		token, path, field, own string
	}{
		{tokFarmerA, "/api/v1/weeks/2026-W49/offers", "producer", "ferme-a"},
		{tokFarmerB, "/api/v1/weeks/2026-W49/offers", "producer", "ferme-b"},
		{tokRelayCentre, "/api/v1/weeks/2026-W49/orders", "site", "relais-centre"},
		{tokRelayNord, "/api/v1/weeks/2026-W49/orders", "site", "relais-nord"},
		{tokCookA, "/api/v1/weeks/2026-W49/meal-orders", "site", "cantine-a"},
		{tokCookB, "/api/v1/weeks/2026-W49/meal-orders", "site", "cantine-b"},
		{tokRelayCentre, "/api/v1/sites/relais-centre/households", "site", "relais-centre"},
	} {
		items := e.do(req{method: "GET", path: tc.path, token: tc.token}).expect(t, 200).json(t)["items"].([]any)
		if len(items) == 0 {
			t.Errorf("%s as %s: empty list, the test proves nothing", tc.path, tc.token)
		}
		for _, it := range items {
			if got := it.(map[string]any)[tc.field]; got != tc.own {
				t.Errorf("%s as %s: item of %s %v leaked", tc.path, tc.token, tc.field, got)
			}
		}
	}
	// The coordinator sees everyone's.
	items := e.do(req{method: "GET", path: "/api/v1/weeks/2026-W49/offers", token: tokCoord}).expect(t, 200).json(t)["items"].([]any)
	if len(items) != 2 {
		t.Errorf("coordinator sees %d offers, want 2", len(items))
	}
	// Households of another relay point are not found through one's own.
	e.do(req{method: "GET", path: "/api/v1/sites/relais-centre/households/famille-nord", token: tokCoord}).expect(t, 404)
	// No token list or answer ever shows a stored hash.
	w := e.do(req{method: "GET", path: "/api/v1/tokens", token: tokCoord}).expect(t, 200)
	if strings.Contains(w.Body.String(), models.HashToken(tokFarmerA)) || strings.Contains(w.Body.String(), tokFarmerA) {
		t.Errorf("token list shows a token or its hash: %s", w.Body.String())
	}
}

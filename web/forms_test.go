package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"paniers/models"
	"paniers/planner"
)

// Form-level tests: each form stores exactly what it says, refuses what the
// API refuses with the API's reasons, and is refused from another site.

// apiReasons posts a body to the API and returns the reasons of its
// problem's errors.
func apiReasons(t *testing.T, e *env, token, path, body string) []string {
	t.Helper()
	code, res := e.apiPost(t, token, path, body)
	if code < 400 {
		t.Fatalf("API accepted %s: %d %s", body, code, res)
	}
	var p struct {
		Errors []struct{ Field, Reason string }
	}
	if err := json.Unmarshal([]byte(res), &p); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Reason)
	}
	return out
}

// mustShow checks that a page holds each text (HTML-escaped as templates
// escape it).
func mustShow(t *testing.T, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(body, s) && !strings.Contains(body, html.EscapeString(s)) {
			t.Errorf("page lacks %q:\n%s", s, excerpt(body))
		}
	}
}

func offersOf(t *testing.T, e *env, week, producer string) map[string]models.Offer {
	t.Helper()
	rows, err := e.st.ListOffers(context.Background(), week, models.OfferFilter{ProducerID: producer}, models.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]models.Offer{}
	for _, o := range rows {
		out[o.ProductID] = o
	}
	return out
}

func TestOfferFormStoresWhatItSays(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-ferme-bois-loos", pathFarmer)
	page := b.get(pathFarmer)
	// Nothing posted for the open week yet: last week's offer is prefilled
	// and the button repeats it in one tap.
	last := offersOf(t, e, weekPast, "ferme-bois-loos")["carotte"]
	mustShow(t, page.Body, "Reprendre la semaine dernière", "€ / kg HT",
		`name="quantity.carotte" inputmode="decimal" autocomplete="off" value="`+inputNum(langFR, last.Quantity)+`"`,
		`name="price.carotte" inputmode="decimal" autocomplete="off" value="`+inputEuros(langFR, last.PriceCents)+`"`)
	res := b.follow(pathFarmer+"/offre", url.Values{"week": {weekOpen},
		"quantity.carotte": {"120"}, "price.carotte": {"1,90"},
		"quantity.poireau": {"80,5"}, "price.poireau": {"2.9"},
		"quantity.oeuf": {"1 200"}, "price.oeuf": {"0,35 €"},
		"quantity.navet": {""}, "price.navet": {"2,00"}})
	mustShow(t, res.Body, "Offre enregistrée : 120 kg de carottes à 1,90 € / kg HT", "80,5 kg de poireaux à 2,90 € / kg HT", "1 200 pièces d'œufs à 0,35 € / pièce HT")
	got := offersOf(t, e, weekOpen, "ferme-bois-loos")
	want := map[string]models.Offer{"carotte": {Quantity: 120, PriceCents: 190}, "poireau": {Quantity: 80.5, PriceCents: 290}, "oeuf": {Quantity: 1200, PriceCents: 35}}
	if len(got) != len(want) {
		t.Fatalf("stored %d offers, want %d: %+v", len(got), len(want), got)
	}
	for id, w := range want {
		if g := got[id]; g.Quantity != w.Quantity || g.PriceCents != w.PriceCents {
			t.Errorf("%s: stored %v at %d, want %v at %d", id, g.Quantity, g.PriceCents, w.Quantity, w.PriceCents)
		}
	}
	// Emptying a row withdraws that product's offer.
	b.follow(pathFarmer+"/offre", url.Values{"week": {weekOpen}, "quantity.carotte": {"120"}, "price.carotte": {"1,90"}})
	if got := offersOf(t, e, weekOpen, "ferme-bois-loos"); len(got) != 1 || got["carotte"].Quantity != 120 {
		t.Fatalf("after emptying rows: %+v", got)
	}
}

func TestOfferFormRefusesWhatTheAPIRefuses(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-ferme-bois-loos", pathFarmer)
	before := offersOf(t, e, weekOpen, "ferme-bois-loos")
	// 12,55 kg is not a multiple of the carrots' 0.1 kg step; a negative
	// price is out of range: the API gives the same reasons.
	reasons := apiReasons(t, e, "demo-ferme-bois-loos", "/api/v1/weeks/"+weekOpen+"/offers", `{"product":"carotte","quantity":12.55,"price_cents":190}`)
	reasons = append(reasons, apiReasons(t, e, "demo-ferme-bois-loos", "/api/v1/weeks/"+weekOpen+"/offers", `{"product":"poireau","quantity":3,"price_cents":-100}`)...)
	reasons = append(reasons, apiReasons(t, e, "demo-ferme-bois-loos", "/api/v1/weeks/"+weekOpen+"/offers", `{"product":"navet","quantity":3}`)...)
	res := b.post(pathFarmer+"/offre", url.Values{"week": {weekOpen},
		"quantity.carotte": {"12,55"}, "price.carotte": {"1,90"},
		"quantity.poireau": {"3"}, "price.poireau": {"-1"},
		"quantity.navet": {"3"}, "price.navet": {""},
		"quantity.oignon": {"douze"}, "price.oignon": {"2"},
		"quantity.pomme": {"10"}, "price.pomme": {"2"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad offer: %d", res.StatusCode)
	}
	mustShow(t, res.Body, reasons...)
	mustShow(t, res.Body, "Il y a un problème", `href="#f-quantity-carotte"`, `href="#f-price-navet"`, `href="#f-quantity-oignon"`,
		// Nothing typed is lost, the good row included.
		`value="12,55"`, `value="douze"`, `value="-1"`, `name="quantity.pomme" inputmode="decimal" autocomplete="off" value="10"`)
	if after := offersOf(t, e, weekOpen, "ferme-bois-loos"); len(after) != len(before) {
		t.Fatalf("a refused form stored %d offers (had %d)", len(after), len(before))
	}
	// The step as the farmer writes it: a French decimal comma, and the
	// unit in words ("pièces", not the catalogue's code).
	mustShow(t, res.Body, "doit être un multiple de 0,1 kg")
	eggs := b.post(pathFarmer+"/offre", url.Values{"week": {weekOpen}, "quantity.oeuf": {"2,5"}, "price.oeuf": {"0,30"}})
	mustShow(t, eggs.Body, "Œufs – quantité : doit être un multiple de 6 pièces")
	// English reasons with ?lang=en, as the API's.
	en := b.post(pathFarmer+"/offre?lang=en", url.Values{"week": {weekOpen}, "quantity.carotte": {"12.55"}, "price.carotte": {"1.90"}})
	mustShow(t, en.Body, `<html lang="en">`, "must be a multiple of 0.1 kg", "There is a problem")
	eggsEN := b.post(pathFarmer+"/offre?lang=en", url.Values{"week": {weekOpen}, "quantity.oeuf": {"2.5"}, "price.oeuf": {"0.30"}})
	mustShow(t, eggsEN.Body, "Œufs – quantity: must be a multiple of 6 pieces")
}

func TestOfferFormAfterTheCutoff(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-ferme-bois-loos", pathFarmer)
	w, _ := models.DefaultCalendar(weekOpen, e.loc)
	e.clock.Set(w.OfferCutoff.Add(1))
	res := b.post(pathFarmer+"/offre", url.Values{"week": {weekOpen}, "quantity.carotte": {"10"}, "price.carotte": {"1"}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("offer after the cutoff: %d", res.StatusCode)
	}
	mustShow(t, res.Body, "La date limite pour les offres de la semaine "+weekOpen+" est passée", `value="10"`)
	if got := offersOf(t, e, weekOpen, "ferme-bois-loos"); len(got) != 0 {
		t.Fatalf("stored after the cutoff: %+v", got)
	}
}

func TestFormsAreRefusedFromAnotherSite(t *testing.T) {
	e := newEnv(t)
	farmer := e.signIn(t, "demo-ferme-bois-loos", pathFarmer)
	relay := e.signIn(t, "demo-relais-loos", pathRelay)
	cook := e.signIn(t, "demo-cantine-ferry", pathCook)
	cases := []struct {
		b    *browser
		path string
		form url.Values
	}{
		{farmer, pathFarmer + "/offre", url.Values{"week": {weekOpen}, "quantity.carotte": {"10"}, "price.carotte": {"1"}}},
		{relay, pathRelay + "/extras", url.Values{"week": {weekOpen}, "product": {"oeuf"}, "quantity": {"12"}}},
		{relay, pathRelay + "/foyers", url.Values{"name": {"Famille Intrus"}}},
		{relay, pathPickup, url.Values{"week": {weekPast}, "household": {"relais-loos-f01"}, "collected": {"1"}}},
		{cook, pathCook + "/repas", url.Values{"week": {weekOpen}, "date": {"2026-12-08"}, "covers.maternelle": {"10"}, "dish": {"carotte"}}},
		{farmer, pathSignOut, nil},
	}
	for _, tc := range cases {
		for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "", "Origin", "https://evil.example"}} {
			res := tc.b.post(tc.path, tc.form, h...)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s with %v: %d, want 403", tc.path, h, res.StatusCode)
			}
		}
	}
	ctx := context.Background()
	if got := offersOf(t, e, weekOpen, "ferme-bois-loos"); len(got) != 0 {
		t.Errorf("cross-site offer stored: %+v", got)
	}
	if rows, _ := e.st.ListOrders(ctx, weekOpen, models.OrderFilter{SiteID: "relais-loos"}, models.Page{}); len(rows) != 0 {
		t.Errorf("cross-site extra stored: %+v", rows)
	}
	if rows, _ := e.st.ListMealOrders(ctx, weekOpen, models.MealOrderFilter{SiteID: "cantine-ferry"}, models.Page{}); len(rows) != 0 {
		t.Errorf("cross-site meal order stored")
	}
	if done, _ := e.st.Collected(ctx, weekPast, "relais-loos"); len(done) != 0 {
		t.Errorf("cross-site tick stored")
	}
	homes, _ := e.st.ListHouseholds(ctx, "relais-loos", models.Page{Limit: 500})
	for _, h := range homes {
		if h.Name == "Famille Intrus" {
			t.Errorf("cross-site household stored")
		}
	}
	if res := farmer.get(pathFarmer); res.StatusCode != 200 {
		t.Errorf("the cross-site sign-out signed out: %d", res.StatusCode)
	}
}

func TestScopeIsTheAPIs(t *testing.T) {
	e := newEnv(t)
	farmer := e.signIn(t, "demo-ferme-bois-loos", pathFarmer)
	relay := e.signIn(t, "demo-relais-loos", pathRelay)
	for _, tc := range []struct {
		b    *browser
		path string
	}{
		{farmer, pathFarmer + "?pour=ferme-terrils"},
		{farmer, pathRelay},
		{farmer, pathCook},
		{relay, pathRelay + "?pour=relais-lens"},
		{relay, pathFarmer},
		{relay, pathRelay + "/foyers/relais-lens-f01"},
	} {
		if res := tc.b.get(tc.path); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 403 or 404", tc.path, res.StatusCode)
		}
	}
	res := farmer.post(pathFarmer+"/offre", url.Values{"week": {weekOpen}, "pour": {"ferme-terrils"}, "quantity.carotte": {"10"}, "price.carotte": {"1"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("offer for another producer: %d", res.StatusCode)
	}
	if got := offersOf(t, e, weekOpen, "ferme-terrils"); len(got) != 0 {
		t.Errorf("stored for another producer")
	}
	// The coordinator sees anyone's page.
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	if res := coord.get(pathFarmer + "?pour=ferme-terrils"); res.StatusCode != 200 || !strings.Contains(res.Body, "Ferme des Terrils") {
		t.Errorf("coordinator on a farmer's page: %d", res.StatusCode)
	}
}

func TestExtraFormStoresWhatItSays(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-relais-loos", pathRelay)
	res := b.follow(pathRelay+"/extras", url.Values{"week": {weekOpen}, "product": {"oeuf"}, "quantity": {"24"}, "household": {"relais-loos-f02"}})
	mustShow(t, res.Body, "Extra enregistré : 24 pièces d'œufs pour Famille Lefebvre")
	res = b.follow(pathRelay+"/extras", url.Values{"week": {weekOpen}, "product": {"pomme"}, "quantity": {"2,5"}})
	mustShow(t, res.Body, "Extra enregistré : 2,5 kg de pommes pour le point relais")
	rows, err := e.st.ListOrders(context.Background(), weekOpen, models.OrderFilter{SiteID: "relais-loos"}, models.Page{})
	if err != nil || len(rows) != 2 {
		t.Fatalf("stored %d orders (%v)", len(rows), err)
	}
	for _, o := range rows {
		switch *o.ProductID {
		case "oeuf":
			if o.Quantity != 24 || o.HouseholdID == nil || *o.HouseholdID != "relais-loos-f02" || o.Class != planner.ClassExtra {
				t.Errorf("eggs stored as %+v", o)
			}
		case "pomme":
			if o.Quantity != 2.5 || o.HouseholdID != nil {
				t.Errorf("apples stored as %+v", o)
			}
		}
	}
	// Refused as the API refuses: a household of another relay point, a
	// quantity off the step, a missing product.
	reasons := apiReasons(t, e, "demo-relais-loos", "/api/v1/weeks/"+weekOpen+"/orders", `{"class":"extra","product":"oeuf","quantity":1.5,"household":"relais-lens-f01"}`)
	reasons = append(reasons, apiReasons(t, e, "demo-relais-loos", "/api/v1/weeks/"+weekOpen+"/orders", `{"class":"extra","quantity":2}`)...)
	res = b.post(pathRelay+"/extras", url.Values{"week": {weekOpen}, "product": {"oeuf"}, "quantity": {"1,5"}, "household": {"relais-lens-f01"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad extra: %d", res.StatusCode)
	}
	mustShow(t, res.Body, reasons[0], reasons[1], `value="1,5"`)
	// The quantity says its unit: the chosen product's once posted, and
	// a hint pointing at the units in the product list before.
	mustShow(t, res.Body, `<p class="hint" id="hint-f-quantity">En pièces.</p>`, `aria-describedby="hint-f-quantity err-f-quantity"`)
	mustShow(t, b.get(pathRelay).Body, "Œufs (pièces)", "Dans l&#39;unité du produit, indiquée entre parenthèses dans la liste", `aria-describedby="hint-f-quantity"`)
	res = b.post(pathRelay+"/extras", url.Values{"week": {weekOpen}, "quantity": {"2"}})
	mustShow(t, res.Body, reasons[2])
	if rows, _ := e.st.ListOrders(context.Background(), weekOpen, models.OrderFilter{SiteID: "relais-loos"}, models.Page{}); len(rows) != 2 {
		t.Fatalf("refused extras stored: %d orders", len(rows))
	}
}

func TestHouseholdFormsStoreWhatTheySay(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	b := e.signIn(t, "demo-relais-loos", pathRelay)
	res := b.follow(pathRelay+"/foyers", url.Values{"name": {"Famille Nowicki"}, "contact": {"06 12 34 56 78"}, "basket": {"grand"}, "basket_count": {"2"}})
	mustShow(t, res.Body, "Foyer enregistré : Famille Nowicki – Grand panier × 2.")
	var id string
	homes, _ := e.st.ListHouseholds(ctx, "relais-loos", models.Page{Limit: 500})
	for _, h := range homes {
		if h.Name == "Famille Nowicki" {
			id = h.ID
			if h.Contact != "06 12 34 56 78" || h.BasketTypeID == nil || *h.BasketTypeID != "grand" || h.BasketCount != 2 || h.Paused {
				t.Errorf("stored %+v", h)
			}
		}
	}
	if id == "" {
		t.Fatal("household not stored")
	}
	// Pause in one tap: the subscription is kept, no basket while paused.
	res = b.follow(pathRelay+"/foyers/"+id+"/pause", url.Values{"paused": {"1"}})
	mustShow(t, res.Body, "Foyer enregistré : Famille Nowicki – Grand panier × 2, en pause.")
	if h, _ := e.st.GetHousehold(ctx, id); !h.Paused || h.BasketCount != 2 {
		t.Errorf("after pause: %+v", h)
	}
	sc, err := e.st.Scenario(ctx, weekOpen)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range sc.Orders {
		if o.ID == models.BasketOrderPrefix+"relais-loos:grand" && o.Count != countSubscribed(t, e, "relais-loos", "grand") {
			t.Errorf("paused household counted: %d grand baskets", o.Count)
		}
	}
	// Change: an empty name is refused with the API's reason, the rest kept.
	res = b.post(pathRelay+"/foyers/"+id, url.Values{"name": {""}, "contact": {"nouveau@example.org"}, "basket": {"petit"}, "basket_count": {"1"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty name: %d", res.StatusCode)
	}
	mustShow(t, res.Body, models.ReasonRequired.FR, `value="nouveau@example.org"`)
	res = b.post(pathRelay+"/foyers/"+id, url.Values{"name": {"Famille Nowicki"}, "basket": {"grand"}, "basket_count": {"30"}})
	mustShow(t, res.Body, "doit être entre 1 et 20", `value="30"`)
	res = b.follow(pathRelay+"/foyers/"+id, url.Values{"name": {"Famille Nowicki-Duhamel"}, "contact": {""}, "basket": {"petit"}, "basket_count": {"1"}})
	mustShow(t, res.Body, "Foyer enregistré : Famille Nowicki-Duhamel – Petit panier × 1.")
	if h, _ := e.st.GetHousehold(ctx, id); h.Name != "Famille Nowicki-Duhamel" || h.Paused || *h.BasketTypeID != "petit" || h.Contact != "" {
		t.Errorf("after change: %+v", h)
	}
}

// countSubscribed counts the baskets of a type the relay point's active
// subscriptions take.
func countSubscribed(t *testing.T, e *env, site, basket string) int {
	homes, _ := e.st.ListHouseholds(context.Background(), site, models.Page{Limit: 500})
	n := 0
	for _, h := range homes {
		if h.BasketTypeID != nil && *h.BasketTypeID == basket && !h.Paused {
			n += h.BasketCount
		}
	}
	return n
}

func TestMealOrderFormStoresWhatItSays(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-cantine-ferry", pathCook)
	page := b.get(pathCook)
	// The usual covers are prefilled from the canteen's last order.
	mustShow(t, page.Body, `name="covers.maternelle" inputmode="numeric" autocomplete="off" value="108"`, `type="date"`)
	res := b.follow(pathCook+"/repas", url.Values{"week": {weekOpen}, "date": {"2026-12-08"},
		"covers.maternelle": {"110"}, "covers.adulte": {"9"}, "covers.elementaire": {""},
		"dish": {"carotte", "potimarron"}, "portion_g.potimarron": {"90"}})
	mustShow(t, res.Body, "Commande de repas enregistrée : mardi 8 décembre, 110 maternelle (3 à 6 ans), 9 adultes ; carottes, potimarrons (90 g par couvert)")
	rows, _ := e.st.ListMealOrders(context.Background(), weekOpen, models.MealOrderFilter{SiteID: "cantine-ferry"}, models.Page{})
	if len(rows) != 1 {
		t.Fatalf("%d meal orders stored", len(rows))
	}
	m := rows[0]
	if m.Date != "2026-12-08" || len(m.Covers) != 2 || len(m.Dishes) != 2 || m.Dishes[0].ProductID != "carotte" || m.Dishes[0].PortionG != nil ||
		m.Dishes[1].PortionG == nil || *m.Dishes[1].PortionG != 90 {
		t.Fatalf("stored %+v", m)
	}
	// The produce it turns into, in words: 119 covers of 90 g of
	// potimarron at 1.2 kg a piece is 8.925 pieces, 9 once rounded up.
	mustShow(t, res.Body, "Produits à livrer :", "9 pièces de potimarrons")
	// Refused as the API refuses: a date outside the week's meals.
	reasons := apiReasons(t, e, "demo-cantine-ferry", "/api/v1/weeks/"+weekOpen+"/meal-orders",
		`{"date":"2026-12-20","covers":[{"age_group":"maternelle","covers":10}],"dishes":[{"product":"carotte","portion_g":-5}]}`)
	res = b.post(pathCook+"/repas", url.Values{"week": {weekOpen}, "date": {"2026-12-20"}, "covers.maternelle": {"10"}, "dish": {"carotte"}, "portion_g.carotte": {"-5"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad meal order: %d", res.StatusCode)
	}
	mustShow(t, res.Body, reasons...)
	mustShow(t, res.Body, `value="2026-12-20"`, `value="-5"`)
	// Both mistakes at once, through both doors: the date and the portion.
	if !slices.ContainsFunc(reasons, func(r string) bool { return strings.Contains(r, "doit être entre") }) || len(reasons) < 2 {
		t.Errorf("API names %q, want the date and the portion", reasons)
	}
	res = b.post(pathCook+"/repas", url.Values{"week": {weekOpen}, "date": {"2026-12-20"}, "covers.maternelle": {"10"}, "dish": {"carotte"}, "portion_g.carotte": {"beaucoup"}})
	mustShow(t, res.Body, "Indiquez une portion en grammes", "doit être entre le mardi 8 décembre et le lundi 14 décembre", `value="beaucoup"`)
	// The week's meal days as the cook writes dates, not 2026-12-08.
	res = b.post(pathCook+"/repas", url.Values{"week": {weekOpen}, "date": {"2026-12-20"}, "covers.maternelle": {"10"}, "dish": {"carotte"}})
	mustShow(t, res.Body, "doit être entre le mardi 8 décembre et le lundi 14 décembre", `value="2026-12-20"`)
	res = b.post(pathCook+"/repas", url.Values{"week": {weekOpen}, "date": {"2026-12-09"}, "covers.maternelle": {"dix"}})
	mustShow(t, res.Body, "Indiquez un nombre entier de couverts", `value="dix"`)
	res = b.post(pathCook+"/repas", url.Values{"week": {weekOpen}, "date": {"2026-12-09"}, "covers.maternelle": {"10"}})
	mustShow(t, res.Body, "au moins un plat")
	if rows, _ := e.st.ListMealOrders(context.Background(), weekOpen, models.MealOrderFilter{SiteID: "cantine-ferry"}, models.Page{}); len(rows) != 1 {
		t.Fatalf("refused meal orders stored: %d", len(rows))
	}
}

func TestPickupChecklist(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-relais-loos", pathRelay)
	page := b.get(pathRelay)
	list := hrefs(page.Body, pathPickup)
	if len(list) != 1 {
		t.Fatalf("relay page links to %d checklists:\n%s", len(list), excerpt(page.Body))
	}
	res := b.get(list[0])
	if res.StatusCode != 200 {
		t.Fatalf("checklist: %d", res.StatusCode)
	}
	mustShow(t, res.Body, "Retrait du mardi 1er décembre", "Reste à venir : 18 / 18", "Famille Bernard")
	// The counter's bookmark, without a week, leads to the latest
	// published list, not to "not published yet".
	if bare := b.get(pathPickup); bare.StatusCode != http.StatusFound || bare.Header.Get("Location") != list[0] {
		t.Errorf("%s: %d to %q, want 302 to %q", pathPickup, bare.StatusCode, bare.Header.Get("Location"), list[0])
	}
	// Alphabetical.
	if strings.Index(res.Body, "Famille Bernard") > strings.Index(res.Body, "Famille Caron") {
		t.Error("households not in alphabetical order")
	}
	res = b.follow(pathPickup, url.Values{"week": {weekPast}, "household": {"relais-loos-f01"}, "collected": {"1"}, "q": {"mart"}})
	mustShow(t, res.Body, "Reste à venir : 17 / 18", `aria-pressed="true"`)
	if !strings.Contains(res.Body, `value="mart"`) {
		t.Error("the search was lost after a tick")
	}
	if done, _ := e.st.Collected(context.Background(), weekPast, "relais-loos"); len(done) != 1 {
		t.Errorf("ticks stored: %v", done)
	}
	res = b.follow(pathPickup, url.Values{"week": {weekPast}, "household": {"relais-loos-f01"}, "collected": {"0"}})
	mustShow(t, res.Body, "Reste à venir : 18 / 18")
	// The API's door to the same ticks.
	req, _ := http.NewRequest(http.MethodPut, e.srv.URL+"/api/v1/sites/relais-loos/pickups/"+weekPast+"/relais-loos-f02", nil)
	req.Header.Set("Authorization", "Bearer demo-relais-loos")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT pickup through the API: %v %v", res, err)
	}
	mustShow(t, b.get(list[0]).Body, "Reste à venir : 17 / 18")
	// Another relay point's household cannot be ticked.
	if res := b.post(pathPickup, url.Values{"week": {weekPast}, "household": {"relais-lens-f01"}, "collected": {"1"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("ticking another relay's household: %d", res.StatusCode)
	}
	// The search filters without JavaScript.
	res = b.get(list[0] + "&q=lefebvre")
	if strings.Count(res.Body, "<li id=\"h-") != 18 || strings.Count(res.Body, " hidden") < 16 {
		t.Errorf("search: %d rows, %d hidden", strings.Count(res.Body, "<li id=\"h-"), strings.Count(res.Body, " hidden"))
	}
}

func TestLanguageIsRemembered(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-ferme-bois-loos", pathFarmer)
	if res := b.get(pathFarmer); !strings.Contains(res.Body, `<html lang="fr">`) {
		t.Fatal("not French by default")
	}
	if res := b.get(pathFarmer + "?lang=en"); !strings.Contains(res.Body, `<html lang="en">`) || !strings.Contains(res.Body, "My offer") {
		t.Fatal("?lang=en is not English")
	}
	if res := b.get(pathFarmer); !strings.Contains(res.Body, `<html lang="en">`) {
		t.Fatal("the language choice is not remembered")
	}
}

// TestCancelOnlyOwnOrders: a relay manager cancels its own extra from the
// page, and neither it nor a cook can cancel another site's order: 403, and
// the order stays.
func TestCancelOnlyOwnOrders(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	loos := e.signIn(t, "demo-relais-loos", pathRelay)
	loos.follow(pathRelay+"/extras", url.Values{"week": {weekOpen}, "product": {"pomme"}, "quantity": {"2"}})
	rows, err := e.st.ListOrders(ctx, weekOpen, models.OrderFilter{SiteID: "relais-loos"}, models.Page{})
	if err != nil || len(rows) != 1 {
		t.Fatalf("stored %d orders (%v)", len(rows), err)
	}
	id := rows[0].ID

	lens := e.signIn(t, "demo-relais-lens", pathRelay)
	if res := lens.post(pathRelay+"/extras/"+id+"/annuler", url.Values{"week": {weekOpen}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("another relay point cancelling: %d, want 403", res.StatusCode)
	}
	cook := e.signIn(t, "demo-cantine-curie", pathCook)
	if res := cook.post(pathCook+"/repas/"+id+"/annuler", url.Values{"week": {weekOpen}}); res.StatusCode < 400 {
		t.Fatalf("a cook cancelling an extra as a meal order: %d", res.StatusCode)
	}
	if _, err := e.st.GetOrder(ctx, weekOpen, id); err != nil {
		t.Fatalf("a refused cancellation removed the order: %v", err)
	}

	loos.follow(pathRelay+"/extras/"+id+"/annuler", url.Values{"week": {weekOpen}})
	if _, err := e.st.GetOrder(ctx, weekOpen, id); err == nil {
		t.Fatal("the relay point's own cancellation left the order")
	}
}

// TestFarmerPageOnceClosed: once the week is planned and published, the
// farmer's task is the preparation list: it comes first, above the closed
// offer.
func TestFarmerPageOnceClosed(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-ferme-bois-loos", pathFarmer)
	b.follow(pathFarmer+"/offre", url.Values{"week": {weekOpen}, "quantity.carotte": {"120"}, "price.carotte": {"1,90"}})
	ctx := context.Background()
	if _, err := e.svc.PlanWeek(ctx, weekOpen, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Publish(ctx, weekOpen); err != nil {
		t.Fatal(err)
	}
	page := b.get(pathFarmer)
	// Closed because planned, before the cutoff: the cutoff's time, still
	// to come, would read as a mistake.
	mustShow(t, page.Body, "Les offres de cette semaine sont closes : la semaine est planifiée.", "Liste de préparation", "Semaine "+weekOpen)
	if strings.Contains(page.Body, "closes (") {
		t.Error("a planned week's offers are said closed at the cutoff to come")
	}
	prep, form := strings.Index(page.Body, "Liste de préparation"), strings.Index(page.Body, `name="quantity.carotte"`)
	if form < 0 || prep > form {
		t.Errorf("the preparation list (at %d) comes after the closed offer (at %d)", prep, form)
	}
	// While the week is open, the offer stays first.
	e2 := newEnv(t)
	open := e2.signIn(t, "demo-ferme-bois-loos", pathFarmer).get(pathFarmer)
	if p, f := strings.Index(open.Body, "Liste de préparation"), strings.Index(open.Body, `name="quantity.carotte"`); p < f {
		t.Errorf("open week: the preparation list (at %d) comes before the offer (at %d)", p, f)
	}
}

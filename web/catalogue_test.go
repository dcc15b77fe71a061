package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"paniers/models"
)

// apiReason is the reason a problem+json answer gives for a field.
func apiReason(t testing.TB, body, field string) string {
	t.Helper()
	var p struct {
		Errors []struct{ Field, Reason string }
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Reason
		}
	}
	t.Fatalf("no problem with %s in %s", field, body)
	return ""
}

var fieldErrRe = regexp.MustCompile(`(?s)<p class="field-error" id="([^"]+)"><span class="vh">[^<]*</span> ([^<]*)</p>`)

// fieldError is the message a page shows beside a field, "" when none.
func fieldError(body, field string) string {
	for _, m := range fieldErrRe.FindAllStringSubmatch(body, -1) {
		if m[1] == ErrID(field) {
			return html.UnescapeString(m[2])
		}
	}
	return ""
}

// kept checks that the field shows what was typed.
func kept(t *testing.T, body, field, typed string) {
	t.Helper()
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(FieldID(field)) + `" name="` + regexp.QuoteMeta(field) + `"[^>]*value="([^"]*)"`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		if sel := regexp.MustCompile(`(?s)<select id="` + regexp.QuoteMeta(FieldID(field)) + `".*?</select>`).FindString(body); sel != "" {
			if typed != "" && !strings.Contains(sel, `value="`+html.EscapeString(typed)+`" selected`) {
				t.Errorf("%s: %q not selected any more", field, typed)
			}
			return
		}
		t.Errorf("no field %s on the page", field)
		return
	}
	if got := html.UnescapeString(m[1]); got != typed {
		t.Errorf("%s shows %q, want %q as typed", field, got, typed)
	}
}

// productForm is a product's form as the page fills it.
func productFormOf(x models.Product) url.Values {
	f := url.Values{"name": {x.Name}, "category": {x.Category}, "unit": {x.Unit},
		"kg_per_unit": {inputNum(langFR, x.KgPerUnit)}, "step": {inputNum(langFR, x.Step)},
		"basket_min": {inputNum(langFR, x.BasketMin)}, "family": {""}}
	if x.BasketMax > 0 {
		f.Set("basket_max", inputNum(langFR, x.BasketMax))
	}
	if x.Organic {
		f.Set("organic", "1")
	}
	for _, l := range strings.Split(x.EgalimLabels, ",") {
		if l != "" && l != "BIO" {
			f.Add("egalim_labels", l)
		}
	}
	return f
}

func with(f url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// TestCatalogueScope: only the coordinator opens or posts the catalogue
// and the calendar; a refused post changes nothing.
func TestCatalogueScope(t *testing.T) {
	e := newEnv(t)
	anon := e.browser(t)
	if res := anon.get(pathCatalogue); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), pathSignIn) {
		t.Errorf("signed out: %d to %q, want the sign-in page", res.StatusCode, res.Header.Get("Location"))
	}
	before, _ := e.st.GetProduct(context.Background(), "carotte")
	for _, who := range []struct{ token, home string }{{"demo-ferme-bois-loos", pathFarmer}, {"demo-relais-loos", pathRelay}, {"demo-cantine-ferry", pathCook}} {
		b := e.signIn(t, who.token, who.home)
		for _, path := range []string{pathCatalogue, pathProducts + "/carotte", pathNewBasket, pathVehicles + "/camion-1", pathCalendar, pathCalendar + "/" + weekOpen} {
			if res := b.get(path); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", who.token, path, res.StatusCode)
			}
		}
		for _, path := range []string{pathProducts + "/carotte", pathProducts, pathProducts + "/carotte/portions", pathBaskets + "/petit", pathVehicles, pathCalendar, pathCalendar + "/" + weekOpen} {
			form := url.Values{"name": {"Pirate"}, "step": {"1"}, "id": {"2026-W52"}, "offer_cutoff": {"2026-12-01T10:00"}, "grams.maternelle": {"500"}}
			if res := b.post(path, form); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST %s: %d, want 403", who.token, path, res.StatusCode)
			}
		}
	}
	after, _ := e.st.GetProduct(context.Background(), "carotte")
	if after.Name != before.Name || after.Step != before.Step {
		t.Errorf("a refused post changed the product: %+v", after)
	}
	if _, err := e.st.GetWeek(context.Background(), "2026-W52"); err == nil {
		t.Errorf("a refused post created a week")
	}
	if rows, _ := e.st.ListPortions(context.Background()); len(rows) != 0 {
		t.Errorf("a refused post set portions: %+v", rows)
	}
}

// TestCataloguePage lists products with their portions, basket types with
// their prices and vehicles, each linked to its form, and says what a
// change affects.
func TestCataloguePage(t *testing.T) {
	e := newEnv(t)
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	res := coord.get(pathCatalogue)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("catalogue: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	mustShow(t, res.Body, "Carottes", "0,5 à 1,5 kg", "Œufs", "6 à 12 pièces", "BIO, FERMIER",
		"Grand panier</a> – 22,00 €", "légumes 4,5 kg (6 à 8 produits)", "Fourgon frigorifique 20 m³", "800 kg",
		"semaines pas encore planifiées (2026-W50)", "garde le scénario de son plan enregistré",
		`href="`+pathProducts+`/carotte"`, `href="`+pathBaskets+`/grand"`, `href="`+pathVehicles+`/camion-1"`, `href="`+pathNewProduct+`"`)
	en := coord.get(pathCatalogue + "?lang=en")
	mustShow(t, en.Body, "Grand panier</a> – €22.00", "0.5 to 1.5 kg", "weeks not yet planned (2026-W50)")
	if home := coord.get("/"); !strings.Contains(home.Body, `href="`+pathCatalogue+`"`) || !strings.Contains(home.Body, `href="`+pathCalendar+`"`) {
		t.Errorf("the coordinator's home does not link to the catalogue and the calendar")
	}
	for _, path := range []string{pathProducts + "/nope", pathBaskets + "/nope", pathVehicles + "/nope", pathProducts + "/Bad%20Id", pathCalendar + "/2031-W01", pathCalendar + "/bad"} {
		if res := coord.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
		}
	}
}

// TestProductForm changes a product's portions and adds one, reading back
// what is stored; each refused field comes back beside the field with the
// store's reason, what was typed kept, nothing stored.
func TestProductForm(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	carrot, _ := e.st.GetProduct(ctx, "carotte")
	form := productFormOf(carrot)
	page := coord.get(pathProducts + "/carotte")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("product page: %d", page.StatusCode)
	}
	for f, v := range map[string]string{"name": "Carottes", "step": "0,1", "basket_min": "0,5", "basket_max": "1,5"} {
		kept(t, page.Body, f, v)
	}
	mustShow(t, page.Body, "semaines pas encore planifiées")
	done := coord.follow(pathProducts+"/carotte", with(form, "basket_min", "0,6", "basket_max", "2"))
	mustShow(t, done.Body, "Produit enregistré : Carottes – légumes, pas de 0,1 kg, 0,6 à 2 kg par panier.")
	if got, _ := e.st.GetProduct(ctx, "carotte"); got.BasketMin != 0.6 || got.BasketMax != 2 || got.EgalimLabels != carrot.EgalimLabels {
		t.Errorf("stored %+v", got)
	}
	// An empty basket_max means no bound; an empty basket_min the default.
	coord.follow(pathProducts+"/carotte", with(form, "basket_min", "", "basket_max", ""))
	if got, _ := e.st.GetProduct(ctx, "carotte"); got.BasketMin != 0.2 || got.BasketMax != 0 {
		t.Errorf("defaults: stored %+v", got)
	}
	// A new product.
	added := coord.follow(pathProducts, url.Values{"id": {"radis"}, "name": {"Radis"}, "category": {"legume"}, "unit": {"botte"},
		"kg_per_unit": {"0,25"}, "step": {"1"}, "basket_min": {"1"}, "basket_max": {"2"}, "organic": {"1"}, "egalim_labels": {"HVE"}})
	mustShow(t, added.Body, "Produit enregistré : Radis")
	if got, err := e.st.GetProduct(ctx, "radis"); err != nil || got.EgalimLabels != "BIO,HVE" || got.Family == "" || !got.Organic {
		t.Errorf("added %+v, %v", got, err)
	}
	before, _ := e.st.GetProduct(ctx, "carotte")
	for _, tc := range []struct {
		name, field, value, reason string
		path                       string
		status                     int
	}{
		{"name empty", "name", "", "obligatoire", "", 422},
		{"name with a control character", "name", "Caro\u202ette", "caractère invisible", "", 422},
		{"category not an id", "category", "Légumes verts", "identifiant invalide", "", 422},
		{"unit empty", "unit", "", "obligatoire", "", 422},
		{"weight not a number", "kg_per_unit", "lourd", "Indiquez un nombre", "", 422},
		{"weight zero", "kg_per_unit", "0", "doit être > 0", "", 422},
		{"step empty", "step", "", "champ obligatoire", "", 422},
		{"step negative", "step", "-1", "doit être > 0", "", 422},
		{"basket_min zero", "basket_min", "0", "doit être > 0 (ou absent : valeur par défaut)", "", 422},
		{"basket_min off the step", "basket_min", "0,55", "n'est pas un multiple du pas", "", 422},
		{"basket_min above basket_max", "basket_min", "1,4", "dépasse basket_max", "", 422},
		{"basket_max zero", "basket_max", "0", "doit être > 0 (ou absent", "", 422},
		{"basket_max absurd", "basket_max", "1e9", "doit être > 0 et <=", "", 422},
		{"unknown label", "egalim_labels", "PIRATE", "label inconnu", "", 422},
		{"unknown family", "family", "CAVIAR", "famille inconnue", "", 422},
		{"new product, bad id", "id", "Radis Noir", "identifiant invalide", pathProducts, 422},
		{"new product, id taken", "id", "carotte", `"carotte" est déjà utilisé`, pathProducts, 409},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "" {
				path = pathProducts + "/carotte"
			}
			f := with(form, "basket_min", "0,5", "basket_max", "1,2", tc.field, tc.value)
			if tc.field == "egalim_labels" {
				f["egalim_labels"] = []string{"HVE", tc.value}
			}
			res := coord.post(path, f)
			if res.StatusCode != tc.status {
				t.Fatalf("%d, want %d\n%s", res.StatusCode, tc.status, excerpt(res.Body))
			}
			if msg := fieldError(res.Body, tc.field); !strings.Contains(msg, tc.reason) {
				t.Errorf("beside %s: %q, want %q", tc.field, msg, tc.reason)
			}
			mustShow(t, res.Body, "Il y a un problème", `href="#`+FieldID(tc.field)+`"`)
			if tc.field != "egalim_labels" && tc.field != "family" {
				kept(t, res.Body, tc.field, tc.value)
			}
			if tc.field != "basket_max" {
				kept(t, res.Body, "basket_max", "1,2")
			}
			if got, _ := e.st.GetProduct(ctx, "carotte"); got != before {
				t.Errorf("a refused form changed the product: %+v", got)
			}
		})
	}
}

// TestBasketForm: a price typed in euros is stored in cents; refused
// prices and rows come back beside their field, typed values kept.
func TestBasketForm(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	page := coord.get(pathBaskets + "/grand")
	kept(t, page.Body, "price", "22,00")
	kept(t, page.Body, "contents[2].kg", "0,36")
	kept(t, page.Body, "contents[3].kg", "") // an empty row to add one
	form := url.Values{"name": {"Grand panier"}, "price": {"24,50"},
		"contents[0].category": {"legume"}, "contents[0].kg": {"4,5"}, "contents[0].min_products": {"6"}, "contents[0].max_products": {"8"},
		"contents[1].category": {""}, "contents[1].kg": {""}, "contents[1].min_products": {""}, "contents[1].max_products": {""},
		"contents[2].category": {"fruit"}, "contents[2].kg": {"1,5"}, "contents[2].min_products": {"2"}, "contents[2].max_products": {""}}
	done := coord.follow(pathBaskets+"/grand", form)
	mustShow(t, done.Body, "Panier enregistré : Grand panier – 24,50 € ; légumes 4,5 kg (6 à 8 produits), fruits 1,5 kg (au moins 2 produit(s)).")
	b, _ := e.st.GetBasketType(ctx, "grand")
	if b.PriceCents != 2450 || len(b.Contents) != 2 || b.Contents[1].Category != "fruit" || b.Contents[1].MaxProducts != 0 {
		t.Errorf("stored %+v", b)
	}
	for _, tc := range []struct {
		name, field, value, reason string
		status                     int
	}{
		{"three decimals", "price", "22,001", "deux décimales au plus", 422},
		{"exponent", "price", "1e3", "deux décimales au plus", 422},
		{"both separators", "price", "1.000,50", "deux décimales au plus", 422},
		{"negative", "price", "-5,00", "doit être entre 0 et 100 000,00 €", 422},
		{"absurd", "price", "999999999", "doit être entre 0 et 100 000,00 €", 422},
		{"hostile", "price", "<script>alert(1)</script>", "deux décimales au plus", 422},
		{"empty price", "price", "", "champ obligatoire", 422},
		{"name empty", "name", "", "obligatoire", 422},
		{"kg missing", "contents[2].kg", "", "champ obligatoire", 422},
		{"kg zero", "contents[2].kg", "0", "doit être > 0", 422},
		{"min not a count", "contents[2].min_products", "deux", "nombre entier", 422},
		{"max below min", "contents[2].max_products", "1", "doit être au moins min_products (2)", 422},
		{"duplicate category", "contents[2].category", "legume", "catégorie en double", 422},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := coord.post(pathBaskets+"/grand", with(form, tc.field, tc.value))
			if res.StatusCode != tc.status {
				t.Fatalf("%d, want %d\n%s", res.StatusCode, tc.status, excerpt(res.Body))
			}
			if msg := fieldError(res.Body, tc.field); !strings.Contains(msg, tc.reason) {
				t.Errorf("beside %s: %q, want %q", tc.field, msg, tc.reason)
			}
			kept(t, res.Body, tc.field, tc.value)
			kept(t, res.Body, "contents[0].kg", "4,5")
			if got, _ := e.st.GetBasketType(ctx, "grand"); got.PriceCents != 2450 || len(got.Contents) != 2 {
				t.Errorf("a refused form changed the basket: %+v", got)
			}
		})
	}
	// Every row emptied: the store wants one category, said at the first.
	empty := with(form, "contents[0].category", "", "contents[0].kg", "", "contents[0].min_products", "", "contents[0].max_products", "",
		"contents[2].category", "", "contents[2].kg", "", "contents[2].min_products", "")
	res := coord.post(pathBaskets+"/grand", empty)
	if msg := fieldError(res.Body, "contents[0].category"); res.StatusCode != 422 || !strings.Contains(msg, "au moins une catégorie") {
		t.Errorf("no contents: %d, %q", res.StatusCode, msg)
	}
	// A new basket type.
	added := coord.follow(pathBaskets, url.Values{"id": {"solo"}, "name": {"Panier solo"}, "price": {"8"},
		"contents[0].category": {"legume"}, "contents[0].kg": {"1,5"}, "contents[0].min_products": {"2"}})
	mustShow(t, added.Body, "Panier enregistré : Panier solo – 8,00 €")
	if got, err := e.st.GetBasketType(ctx, "solo"); err != nil || got.PriceCents != 800 {
		t.Errorf("added %+v, %v", got, err)
	}
}

// TestVehicleForm changes and adds vehicles; refusals beside the field.
func TestVehicleForm(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	form := url.Values{"name": {"Fourgon 12 m³"}, "capacity_kg": {"650"}, "shift[0]": {"06:30"}, "shift[1]": {"17:00"}}
	done := coord.follow(pathVehicles+"/camion-2", form)
	mustShow(t, done.Body, "Véhicule enregistré : Fourgon 12 m³ – 650 kg, de 06:30 à 17:00.")
	if v, _ := e.st.GetVehicle(ctx, "camion-2"); v.CapacityKg != 650 || v.ShiftStart != "06:30" {
		t.Errorf("stored %+v", v)
	}
	for _, tc := range []struct{ field, value, reason string }{
		{"capacity_kg", "0", "doit être > 0"},
		{"capacity_kg", "90000", "doit être > 0 et <= 40 000"},
		{"capacity_kg", "beaucoup", "Indiquez un nombre"},
		{"capacity_kg", "", "champ obligatoire"},
		{"shift[0]", "25:00", "heure invalide"},
		{"shift[1]", "05:00", "le début doit précéder la fin"},
	} {
		res := coord.post(pathVehicles+"/camion-2", with(form, tc.field, tc.value))
		if res.StatusCode != 422 {
			t.Fatalf("%s=%q: %d\n%s", tc.field, tc.value, res.StatusCode, excerpt(res.Body))
		}
		if msg := fieldError(res.Body, tc.field); !strings.Contains(msg, tc.reason) {
			t.Errorf("%s=%q: beside it %q, want %q", tc.field, tc.value, msg, tc.reason)
		}
		kept(t, res.Body, tc.field, tc.value)
	}
	if v, _ := e.st.GetVehicle(ctx, "camion-2"); v.CapacityKg != 650 {
		t.Errorf("a refused form changed the vehicle: %+v", v)
	}
	added := coord.follow(pathVehicles, with(form, "id", "velo-cargo", "name", "Vélo cargo", "capacity_kg", "120"))
	mustShow(t, added.Body, "Véhicule enregistré : Vélo cargo – 120 kg")
	if res := coord.post(pathVehicles, with(form, "id", "camion-1")); res.StatusCode != http.StatusConflict || !strings.Contains(fieldError(res.Body, "id"), "déjà utilisé") {
		t.Errorf("id taken: %d %q", res.StatusCode, fieldError(res.Body, "id"))
	}
}

// TestCatalogueTwoDoors: the same invalid data sent to the API and typed
// into a page gets the same reason: both doors take one path.
func TestCatalogueTwoDoors(t *testing.T) {
	e := newEnv(t)
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	tok := models.DemoCoordinatorToken
	product := `{"name": "Carottes", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.1, "organic": true, %s}`
	carrot, _ := e.st.GetProduct(context.Background(), "carotte")
	pform := productFormOf(carrot)
	inEuros := map[string]string{"negative price": "doit être entre 0 et 100 000,00 €"}
	for _, tc := range []struct {
		name, method, apiPath, body string
		pagePath                    string
		form                        url.Values
		apiField, pageField         string
	}{
		{"portion given as zero", "PUT", "/api/v1/products/carotte", strings.Replace(product, "%s", `"basket_min": 0`, 1),
			pathProducts + "/carotte", with(pform, "basket_min", "0"), "basket_min", "basket_min"},
		{"portion above the maximum", "PUT", "/api/v1/products/carotte", strings.Replace(product, "%s", `"basket_min": 1.4, "basket_max": 1.2`, 1),
			pathProducts + "/carotte", with(pform, "basket_min", "1,4", "basket_max", "1,2"), "basket_min", "basket_min"},
		{"step off", "PUT", "/api/v1/products/carotte", strings.Replace(product, "%s", `"basket_min": 0.55`, 1),
			pathProducts + "/carotte", with(pform, "basket_min", "0,55"), "basket_min", "basket_min"},
		{"negative price", "PUT", "/api/v1/basket-types/petit", `{"name": "Petit panier", "price_cents": -500, "contents": [{"category": "legume", "kg": 2}]}`,
			pathBaskets + "/petit", url.Values{"name": {"Petit panier"}, "price": {"-5,00"}, "contents[0].category": {"legume"}, "contents[0].kg": {"2"}}, "price_cents", "price"},
		{"duplicate category", "PUT", "/api/v1/basket-types/petit", `{"name": "Petit panier", "price_cents": 1000, "contents": [{"category": "legume", "kg": 2}, {"category": "legume", "kg": 1}]}`,
			pathBaskets + "/petit", url.Values{"name": {"Petit panier"}, "price": {"10"}, "contents[0].category": {"legume"}, "contents[0].kg": {"2"}, "contents[1].category": {"legume"}, "contents[1].kg": {"1"}}, "contents[1].category", "contents[1].category"},
		{"vehicle capacity", "PUT", "/api/v1/vehicles/camion-1", `{"name": "Fourgon", "capacity_kg": 0, "shift": ["06:00", "18:00"]}`,
			pathVehicles + "/camion-1", url.Values{"name": {"Fourgon"}, "capacity_kg": {"0"}, "shift[0]": {"06:00"}, "shift[1]": {"18:00"}}, "capacity_kg", "capacity_kg"},
		{"vehicle hours", "PUT", "/api/v1/vehicles/camion-1", `{"name": "Fourgon", "capacity_kg": 800, "shift": ["18:00", "06:00"]}`,
			pathVehicles + "/camion-1", url.Values{"name": {"Fourgon"}, "capacity_kg": {"800"}, "shift[0]": {"18:00"}, "shift[1]": {"06:00"}}, "shift", "shift[1]"},
		{"orders close before offers", "PATCH", "/api/v1/weeks/" + weekOpen, `{"order_cutoff": "2026-12-01T10:00"}`,
			pathCalendar + "/" + weekOpen, url.Values{"order_cutoff": {"2026-12-01T10:00"}}, "order_cutoff", "order_cutoff"},
		{"delivery before collection", "PATCH", "/api/v1/weeks/" + weekOpen, `{"delivery_date": "2026-12-06"}`,
			pathCalendar + "/" + weekOpen, url.Values{"delivery_date": {"2026-12-06"}}, "delivery_date", "delivery_date"},
		{"not an ISO week", "POST", "/api/v1/weeks", `{"id": "2026-W60"}`, pathCalendar, url.Values{"id": {"2026-W60"}}, "id", "id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.apiJSON(t, tc.method, tok, tc.apiPath, tc.body)
			if status != 422 {
				t.Fatalf("API: %d %s", status, body)
			}
			want := apiReason(t, body, tc.apiField)
			form := tc.form
			if strings.HasPrefix(tc.pagePath, pathCalendar+"/") {
				form = weekForm(t, e, weekOpen, form)
			}
			res := coord.post(tc.pagePath, form)
			if res.StatusCode != 422 {
				t.Fatalf("page: %d\n%s", res.StatusCode, excerpt(res.Body))
			}
			got := fieldError(res.Body, tc.pageField)
			if euros, ok := inEuros[tc.name]; ok {
				// Same check, same limit; the API words it in price_cents,
				// the page in euros as they are typed.
				if got != euros || !strings.Contains(want, "100 000,00 €") {
					t.Errorf("page says %q beside %s, want %q; API says %q", got, tc.pageField, euros, want)
				}
				return
			}
			if got != want {
				t.Errorf("page says %q beside %s, API says %q", got, tc.pageField, want)
			}
		})
	}
}

// weekForm is the calendar form of a week as the page fills it, with
// some fields changed.
func weekForm(t *testing.T, e *env, week string, change url.Values) url.Values {
	t.Helper()
	w, err := e.st.GetWeek(context.Background(), week)
	if err != nil {
		t.Fatal(err)
	}
	f := url.Values{"status": {w.Status}, "collection_date": {w.CollectionDate}, "delivery_date": {w.DeliveryDate},
		"offer_cutoff": {localInput(w.OfferCutoff, e.loc)}, "order_cutoff": {localInput(w.OrderCutoff, e.loc)}}
	for k, v := range change {
		f[k] = v
	}
	return f
}

// TestCalendar shows the weeks in words in the collective's time zone,
// creates the next week with the usual calendar, moves an open week's
// cutoffs and refuses to move a published week's, as PATCH does.
func TestCalendar(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	res := coord.get(pathCalendar)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("calendar: %d", res.StatusCode)
	}
	mustShow(t, res.Body, "Semaine 2026-W50 – ouverte", "mercredi 2 décembre 2026, 20\u00a0h\u00a000", "jeudi 3 décembre 2026, 12\u00a0h\u00a000",
		"lundi 7 décembre 2026", "mardi 8 décembre 2026", "Semaine 2026-W49 – publiée", "Europe/Paris",
		`value="2026-W51"`, "offres jusqu'au mercredi 9 décembre 2026, 20\u00a0h\u00a000")
	// Time left to the cutoffs (the clock is at Thursday 26 November, 13:00).
	mustShow(t, res.Body, "(encore 6 j 7 h)", "(encore 6 j 23 h)", "(fermé)")
	if strings.Contains(res.Body, " left)") {
		t.Errorf("English words on the French page")
	}
	if i, j := strings.Index(res.Body, "2026-W50 – "), strings.Index(res.Body, "2026-W49 – "); i < 0 || j < i {
		t.Errorf("the latest week is not first")
	}

	done := coord.follow(pathCalendar, url.Values{"id": {"2026-W51"}})
	mustShow(t, done.Body, "Semaine 2026-W51 enregistrée (ouverte) : offres jusqu'au mercredi 9 décembre 2026, 20\u00a0h\u00a000")
	if w, err := e.st.GetWeek(ctx, "2026-W51"); err != nil || w.DeliveryDate != "2026-12-15" {
		t.Errorf("created %+v, %v", w, err)
	}
	if res := coord.post(pathCalendar, url.Values{"id": {"2026-W51"}}); res.StatusCode != http.StatusConflict || !strings.Contains(fieldError(res.Body, "id"), "déjà utilisé") {
		t.Errorf("week twice: %d %q", res.StatusCode, fieldError(res.Body, "id"))
	}
	if res := coord.post(pathCalendar, url.Values{"id": {"semaine 51"}}); res.StatusCode != 422 || !strings.Contains(fieldError(res.Body, "id"), "AAAA-Wss") {
		t.Errorf("bad id: %d %q", res.StatusCode, fieldError(res.Body, "id"))
	} else {
		kept(t, res.Body, "id", "semaine 51")
	}

	// Move the open week's offers earlier.
	moved := coord.follow(pathCalendar+"/"+weekOpen, weekForm(t, e, weekOpen, url.Values{"offer_cutoff": {"2026-12-01T18:00"}}))
	mustShow(t, moved.Body, "Semaine 2026-W50 enregistrée (ouverte) : offres jusqu'au mardi 1er décembre 2026, 18\u00a0h\u00a000")
	if w, _ := e.st.GetWeek(ctx, weekOpen); !w.OfferCutoff.Equal(time.Date(2026, 12, 1, 18, 0, 0, 0, e.loc)) {
		t.Errorf("stored offer cutoff %v", w.OfferCutoff)
	}
	for _, tc := range []struct{ field, value, reason string }{
		{"offer_cutoff", "", "champ obligatoire"},
		{"offer_cutoff", "mardi", "date et heure RFC 3339 attendues"},
		{"order_cutoff", "2026-12-07T08:00", "après le début du jour de collecte"},
		{"collection_date", "2026-02-30", "date invalide"},
		{"delivery_date", "2026-12-20", "plus de 7 jours après la collecte"},
		{"status", "finie", "doit être open, closed, planned ou published"},
	} {
		res := coord.post(pathCalendar+"/"+weekOpen, weekForm(t, e, weekOpen, url.Values{tc.field: {tc.value}}))
		if res.StatusCode != 422 {
			t.Fatalf("%s=%q: %d\n%s", tc.field, tc.value, res.StatusCode, excerpt(res.Body))
		}
		if msg := fieldError(res.Body, tc.field); !strings.Contains(msg, tc.reason) {
			t.Errorf("%s=%q: beside it %q, want %q", tc.field, tc.value, msg, tc.reason)
		}
		if tc.field != "status" {
			kept(t, res.Body, tc.field, tc.value)
		}
	}
	// The published week keeps its calendar, as PATCH answers.
	status, body := e.apiJSON(t, "PATCH", models.DemoCoordinatorToken, "/api/v1/weeks/"+weekPast, `{"offer_cutoff": "2026-11-24T20:00"}`)
	if status != http.StatusConflict {
		t.Fatalf("API: %d %s", status, body)
	}
	res = coord.post(pathCalendar+"/"+weekPast, weekForm(t, e, weekPast, url.Values{"offer_cutoff": {"2026-11-24T20:00"}}))
	if res.StatusCode != http.StatusConflict || !strings.Contains(fieldError(res.Body, "status"), "rouvrez-la d'abord") {
		t.Errorf("published week: %d %q", res.StatusCode, fieldError(res.Body, "status"))
	}
	kept(t, res.Body, "offer_cutoff", "2026-11-24T20:00")
	mustShow(t, coord.get(pathCalendar+"/"+weekPast).Body, "Cette semaine est planifiée")
	en := coord.get(pathCalendar + "?lang=en")
	mustShow(t, en.Body, "Week 2026-W50 – open", "Tuesday 1 December 2026, 18:00")
}

// TestPortionsForm sets a product's canteen portions from its page: the
// defaults are said, a changed value is stored through SetPortion, a
// refused one comes back beside its field with the API's reason and
// nothing stored.
func TestPortionsForm(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	page := coord.get(pathProducts + "/carotte")
	mustShow(t, page.Body, "Portions des cantines", "Par défaut : 60 g.", `action="`+pathProducts+`/carotte/portions"`)
	kept(t, page.Body, "grams.maternelle", "60")
	kept(t, page.Body, "grams.senior", "120")
	form := url.Values{"grams.maternelle": {"70"}, "grams.elementaire": {"90"}, "grams.adulte": {"150"}, "grams.senior": {"120"}}
	done := coord.follow(pathProducts+"/carotte/portions", form)
	mustShow(t, done.Body, "Portions des cantines enregistrées pour Carottes : maternelle 70 g, élémentaire 90 g, adultes 150 g, résidence seniors 120 g par couvert.")
	rows, _ := e.st.ListPortions(ctx)
	if len(rows) != 1 || rows[0].AgeGroup != models.AgeMaternelle || rows[0].Grams != 70 {
		t.Errorf("stored %+v, want only maternelle 70 g (the others are the defaults)", rows)
	}
	for _, tc := range []struct{ value, reason string }{
		{"beaucoup", "Indiquez un nombre"},
		{"0", "doit être > 0 et <= 2 000"},
		{"12,34", "doit être un multiple de 0,1 g"},
		{"", "champ obligatoire"}, // set: it cannot be emptied
	} {
		res := coord.post(pathProducts+"/carotte/portions", with(form, "grams.maternelle", tc.value, "grams.senior", "130"))
		if res.StatusCode != 422 {
			t.Fatalf("%q: %d", tc.value, res.StatusCode)
		}
		if msg := fieldError(res.Body, "grams.maternelle"); !strings.Contains(msg, tc.reason) {
			t.Errorf("%q: beside it %q, want %q", tc.value, msg, tc.reason)
		}
		kept(t, res.Body, "grams.maternelle", tc.value)
		kept(t, res.Body, "grams.senior", "130")
	}
	if rows, _ := e.st.ListPortions(ctx); len(rows) != 1 || rows[0].Grams != 70 {
		t.Errorf("a refused form stored portions: %+v", rows)
	}
	// The same reason as PUT /portions.
	status, body := e.apiJSON(t, "PUT", models.DemoCoordinatorToken, "/api/v1/portions/senior/carotte", `{"grams": 0}`)
	res := coord.post(pathProducts+"/carotte/portions", with(form, "grams.senior", "0"))
	if status != 422 || fieldError(res.Body, "grams.senior") != apiReason(t, body, "grams") {
		t.Errorf("page %q, API %d %s", fieldError(res.Body, "grams.senior"), status, body)
	}
}

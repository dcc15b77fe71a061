package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"

	"paniers/internal/testdoc"
	"paniers/models"
	"paniers/planner/egalim"
)

// newEgalimEnv is the plan fixture with a canteen order for cantine-a
// (carrots from ferme-a, organic; leeks from ferme-a; farm eggs from
// ferme-b, FERMIER but not organic), the canteens' SIRETs, and local meaning
// within 3.5 km of the hub: ferme-a (3.3 km) is local, ferme-b (3.8 km) is
// not.
func newEgalimEnv(t *testing.T) *env {
	t.Helper()
	e := newPlanEnv(t)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.st.CreateProduct(ctx, &models.Product{ID: "oeuf", Name: "Œufs fermiers", Unit: "pièce", KgPerUnit: 0.06, Category: "oeuf", Step: 1, EgalimLabels: "FERMIER"}))
	_, err := e.st.PutOffer(ctx, &models.Offer{WeekID: openWeek, ProducerID: "ferme-b", ProductID: "oeuf", Quantity: 500, PriceCents: 37})
	must(err)
	must(e.st.CreateMealOrder(ctx, &models.MealOrder{ID: "a-mardi", WeekID: openWeek, SiteID: "cantine-a", Date: "2026-12-01",
		Covers: []models.MealCover{{AgeGroup: "maternelle", Covers: 37}},
		Dishes: []models.MealDish{{ProductID: "carotte"}, {ProductID: "poireau", PortionG: ptr(83.0)}, {ProductID: "oeuf"}}}))
	e.srv = New(e.st, Options{Logger: e.srv.log, Now: e.clock.Now, Location: e.loc, Jobs: e.srv.opts.Jobs, LocalKm: 3.5})
	for id, siret := range map[string]string{"cantine-a": "21620999900012", "cantine-b": "21620999900020"} {
		site, err := e.st.GetSite(ctx, id)
		must(err)
		site.Siret = siret
		must(e.st.UpdateSite(ctx, &site))
	}
	return e
}

// cents parses a CSV amount in euros with a decimal point ("12.34").
func cents(t *testing.T, s string) int64 {
	t.Helper()
	whole, frac, ok := strings.Cut(s, ".")
	e, err1 := strconv.ParseInt(whole, 10, 64)
	c, err2 := strconv.ParseInt(frac, 10, 64)
	if !ok || len(frac) != 2 || err1 != nil || err2 != nil {
		t.Fatalf("amount %q: want euros with two decimals after a point", s)
	}
	return e*100 + c
}

func readCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, body)
	}
	return rows
}

const year = "from=2026-01-01&to=2026-12-31"

// TestEgalimReports walks the EGalim reports through the real router: a
// draft plan counts for nothing; once published, the figures, the
// purchase file and the summary match the canteen's delivery note of the
// same plan to the cent; the purchase file of the year passes ma-cantine's
// Table Schema.
func TestEgalimReports(t *testing.T) {
	e := newEgalimEnv(t)
	base := "/api/v1/sites/cantine-a/egalim"
	e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/plan", token: tokCoord}).expect(t, 201)

	// A draft plan is not a delivery.
	draft := decode[egalimBody](t, e.do(req{method: "GET", path: base + "?" + year, token: tokCookA}).expect(t, 200))
	if draft.PublishedWeeks != 0 || draft.TotalHTCents != 0 || draft.Lines != 0 || draft.EgalimShare != nil {
		t.Fatalf("draft counted: %+v", draft)
	}
	e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/publish", token: tokCoord}).expect(t, 200)

	// The delivery note of the published plan, in English for its labels.
	note := testdoc.ReadCSV(t, e.do(req{method: "GET", path: "/api/v1/weeks/" + openWeek + "/documents/delivery-note/cantine-a.csv?lang=en", token: tokCookA}).expect(t, 200).Body.Bytes(), ',')
	sec, amount, organic := testdoc.Col(t, note[0], "Section"), testdoc.Col(t, note[0], "Amount (€)"), testdoc.Col(t, note[0], "Organic")
	var noteTotal, noteOrganic int64 = -1, -1
	var noteLines []int64
	for _, r := range note[1:] {
		switch {
		case r[sec] == "line":
			noteLines = append(noteLines, cents(t, r[amount]))
		case r[sec] == "total" && r[organic] == "":
			noteTotal = cents(t, r[amount])
		case r[sec] == "total":
			noteOrganic = cents(t, r[amount])
		}
	}
	if len(noteLines) != 3 || noteTotal <= 0 || noteOrganic <= 0 || noteOrganic >= noteTotal {
		t.Fatalf("delivery note: lines %v, total %d, organic %d: the fixture proves nothing", noteLines, noteTotal, noteOrganic)
	}

	rep := decode[egalimBody](t, e.do(req{method: "GET", path: base + "?" + year, token: tokCookA}).expect(t, 200))
	if rep.TotalHTCents != noteTotal || rep.BioCents != noteOrganic {
		t.Errorf("report total %d bio %d, delivery note total %d organic %d", rep.TotalHTCents, rep.BioCents, noteTotal, noteOrganic)
	}
	// Eggs are FERMIER: EGalim is all but the leeks; local all but ferme-b's eggs.
	var eggs, leeks int64
	plan := decode[map[string]any](t, e.do(req{method: "GET", path: "/api/v1/weeks/" + openWeek + "/plan", token: tokCoord}).expect(t, 200))
	for _, a := range plan["allocations"].([]any) {
		a := a.(map[string]any)
		if !strings.HasPrefix(a["order"].(string), "canteen:cantine-a:") {
			continue
		}
		q := a["quantity"].(float64)
		switch a["product"] {
		case "oeuf":
			eggs += int64(q*37 + 0.5)
		case "poireau":
			leeks += int64(q*150 + 0.5)
		}
	}
	if eggs == 0 || leeks == 0 {
		t.Fatalf("plan allocates eggs %d, leeks %d cents to cantine-a", eggs, leeks)
	}
	if rep.EgalimCents != noteTotal-leeks || rep.LocalCents != noteTotal-eggs {
		t.Errorf("egalim %d (want %d), local %d (want %d)", rep.EgalimCents, noteTotal-leeks, rep.LocalCents, noteTotal-eggs)
	}
	wantShare := egalim.RoundShare(float64(rep.BioCents) / float64(rep.TotalHTCents))
	if rep.BioShare == nil || *rep.BioShare != wantShare || rep.EgalimMet != (rep.EgalimCents*2 >= rep.TotalHTCents) || rep.BioMet != (rep.BioCents*5 >= rep.TotalHTCents) {
		t.Errorf("shares: %+v", rep)
	}
	if rep.PublishedWeeks != 1 || rep.Lines != 3 || len(rep.ByWeek) != 1 || rep.ByWeek[0].TotalHTCents != noteTotal || len(rep.ByMonth) != 12 ||
		rep.ByMonth[11].TotalHTCents != noteTotal || rep.ByMonth[10].TotalHTCents != 0 || rep.Targets.EgalimShare != 0.5 || rep.Targets.BioShare != 0.2 {
		t.Errorf("groups: %+v", rep)
	}
	var famSum int64
	for _, f := range rep.ByFamily {
		famSum += f.TotalHTCents
	}
	if len(rep.ByFamily) != 2 || rep.ByFamily[0].Family != "FRUITS_ET_LEGUMES" || rep.ByFamily[1].Family != "PRODUITS_LAITIERS" || famSum != noteTotal {
		t.Errorf("families: %+v", rep.ByFamily)
	}

	// The year's purchase file: ma-cantine's schema accepts it, and it is
	// the note line by line.
	w := e.do(req{method: "GET", path: rep.PurchasesURL, token: tokCookA}).expect(t, 200)
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(w.Header().Get("Content-Disposition"), "egalim-achats-cantine-a-2026-01-01-2026-12-31.csv") {
		t.Errorf("purchase file headers: %v", w.Header())
	}
	body := w.Body.Bytes()
	if bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Error("purchase file starts with a byte order mark: ma-cantine reads its header as is")
	}
	rows := readCSV(t, body)
	if !slices.Equal(rows[0], egalim.PurchaseColumns) {
		t.Fatalf("header %q", rows[0])
	}
	if n, refused := tableSchema(t, body); len(refused) > 0 || n != len(noteLines) {
		t.Errorf("Table Schema: %d rows read (want %d), refused %q", n, len(noteLines), refused)
	}
	var fileLines []int64
	var fileTotal int64
	for _, r := range rows[1:] {
		c := cents(t, r[4])
		fileLines, fileTotal = append(fileLines, c), fileTotal+c
		if r[0] != "21620999900012" || r[3] != "2026-12-01" || r[8] != "OUI" {
			t.Errorf("row %q", r)
		}
		switch r[1] {
		case "Œufs fermiers":
			if r[5] != "PRODUITS_LAITIERS" || r[6] != "FERMIER" || r[9] != "NON" || r[10] != "" || r[11] != "" || r[2] != "Ferme B" {
				t.Errorf("eggs row %q", r)
			}
		case "Carottes":
			if r[5] != "FRUITS_ET_LEGUMES" || r[6] != "BIO" || r[9] != "OUI" || r[10] != "KM" || r[11] != "3.5" || r[2] != "Ferme A" {
				t.Errorf("carrots row %q", r)
			}
		}
	}
	slices.Sort(fileLines)
	slices.Sort(noteLines)
	if !slices.Equal(fileLines, noteLines) || fileTotal != noteTotal {
		t.Errorf("purchase file amounts %v (total %d), delivery note %v (total %d)", fileLines, fileTotal, noteLines, noteTotal)
	}

	// The summary for the town council: one page, the figures of the note.
	w = e.do(req{method: "GET", path: rep.ReportURL, token: tokCoord}).expect(t, 200)
	if w.Header().Get("Content-Type") != "application/pdf" {
		t.Errorf("report content type %q", w.Header().Get("Content-Type"))
	}
	txt := testdoc.PDFText(t, w.Body.Bytes())
	for _, want := range []string{"Bilan EGalim — Maternelle A", "du 1er janvier 2026 au 31 décembre 2026", "SIRET 216 209 999 00012", "décembre 2026", "novembre 2026", "janvier 2026",
		euroFR(noteTotal), euroFR(noteOrganic), "Par famille de produits", "Fruits et légumes", "page 1/1", "≥ 50 %", "≥ 20 %", "3,5 km", "au moins 50 % des achats"} {
		if !strings.Contains(txt, want) {
			t.Errorf("summary lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "page 2") || strings.Contains(txt, "%!") {
		t.Errorf("summary longer than a page:\n%s", txt)
	}
	en := testdoc.PDFText(t, e.do(req{method: "GET", path: rep.ReportURL + "&lang=en", token: tokCookA}).expect(t, 200).Body.Bytes())
	if !strings.Contains(en, "EGalim summary — Maternelle A") || !strings.Contains(en, "December 2026") {
		t.Errorf("English summary:\n%s", en)
	}
}

// euroFR prints cents as the French documents do, "12,34 €" (amounts here
// stay under a thousand euros).
func euroFR(c int64) string {
	return strings.Replace(egalim.Euros(c), ".", ",", 1) + " €"
}

// TestEgalimScopeAndErrors: another canteen's cook gets 403 on all three
// routes; a relay point or an unknown site is 404; bad periods are 400
// naming the parameter; without a SIRET the purchase file is 409 naming
// siret.
func TestEgalimScopeAndErrors(t *testing.T) {
	e := newEgalimEnv(t)
	for _, p := range []string{"", "/purchases.csv", "/report.pdf"} {
		for _, tok := range []string{tokCookB, tokRelayCentre, tokFarmerA} {
			e.do(req{method: "GET", path: "/api/v1/sites/cantine-a/egalim" + p + "?" + year, token: tok}).expect(t, 403)
		}
		e.do(req{method: "GET", path: "/api/v1/sites/cantine-a/egalim" + p + "?" + year}).expect(t, 401)
		e.do(req{method: "GET", path: "/api/v1/sites/relais-centre/egalim" + p + "?" + year, token: tokCoord}).expect(t, 404)
		e.do(req{method: "GET", path: "/api/v1/sites/cantine-z/egalim" + p + "?" + year, token: tokCoord}).expect(t, 404)
		e.do(req{method: "GET", path: "/api/v1/sites/cantine-a/egalim" + p + "?" + year, token: tokCookA}).expect(t, 200)
	}
	for q, field := range map[string]string{
		"":                                "from",
		"?from=2026-01-01":                "to",
		"?from=2026-13-01&to=2026-12-31":  "from",
		"?from=2026-01-01&to=31/12/2026":  "to",
		"?from=2026-12-31&to=2026-01-01":  "to",
		"?from=2025-01-01&to=2026-01-02":  "to",
		"?from=2026-01-01&to=2026-12-31x": "to",
		"?from=%00&to=2026-12-31":         "from",
	} {
		w := e.do(req{method: "GET", path: "/api/v1/sites/cantine-a/egalim" + q, token: tokCookA}).expect(t, 400)
		if f := w.problemFields(t); !slices.Contains(f, field) {
			t.Errorf("%q: fields %v, want %s", q, f, field)
		}
	}
	// A leap year's 366 days are one period.
	e.do(req{method: "GET", path: "/api/v1/sites/cantine-a/egalim?from=2028-01-01&to=2028-12-31", token: tokCookA}).expect(t, 200)
	site, err := e.st.GetSite(context.Background(), "cantine-b")
	if err != nil {
		t.Fatal(err)
	}
	site.Siret = ""
	if err := e.st.UpdateSite(context.Background(), &site); err != nil {
		t.Fatal(err)
	}
	w := e.do(req{method: "GET", path: "/api/v1/sites/cantine-b/egalim/purchases.csv?" + year, token: tokCookB}).expect(t, 409)
	if f := w.problemFields(t); !slices.Equal(f, []string{"siret"}) {
		t.Errorf("no SIRET: fields %v", f)
	}
}

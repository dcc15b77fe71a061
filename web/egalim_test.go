package web

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"paniers/planner/sheets"
)

// TestCookEgalimSummary: the cook's page shows the canteen's EGalim figures
// of the year, the API's own (the demo week is published), and its links
// give the purchase file and the summary with the session cookie; another
// canteen's files stay closed; a bad period is refused beside its field,
// what was typed kept.
func TestCookEgalimSummary(t *testing.T) {
	e := newEnv(t)
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/sites/cantine-ferry/egalim?from=2026-01-01&to=2026-12-31", nil)
	req.Header.Set("Authorization", "Bearer demo-cantine-ferry")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var rep struct {
		Total  int64 `json:"total_ht_cents"`
		Egalim int64 `json:"egalim_cents"`
		Bio    int64 `json:"bio_cents"`
		Weeks  int   `json:"published_weeks"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil || res.StatusCode != 200 || rep.Total <= 0 || rep.Weeks != 1 {
		t.Fatalf("API figures %d %+v %v: %s", res.StatusCode, rep, err, raw)
	}
	w := sheets.WordsFor("fr")
	b := e.signIn(t, "demo-cantine-ferry", pathCook)
	page := b.get(pathCook)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("cook page %d", page.StatusCode)
	}
	mustShow(t, page.Body, "Bilan EGalim", `value="2026-01-01"`, `value="2026-12-31"`, w.Money(rep.Total), w.Money(rep.Egalim), w.Money(rep.Bio),
		"1 semaine(s) publiée(s)", "Producteurs à moins de 50 km")
	var csvURL, pdfURL string
	for _, h := range hrefs(page.Body, "/api/v1/sites/cantine-ferry/egalim/") {
		switch {
		case strings.Contains(h, "purchases.csv"):
			csvURL = h
		case strings.Contains(h, "report.pdf"):
			pdfURL = h
		}
	}
	if csvURL == "" || pdfURL == "" {
		t.Fatalf("links: csv %q pdf %q", csvURL, pdfURL)
	}
	csv := b.get(csvURL)
	if csv.StatusCode != 200 || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(csv.Body, "siret,description,fournisseur,date,prix_ht") ||
		!strings.Contains(csv.Body, "21620999900012,") {
		t.Errorf("purchase file through the page's link: %d %q\n%.300s", csv.StatusCode, csv.Header.Get("Content-Type"), csv.Body)
	}
	if pdf := b.get(pdfURL); pdf.StatusCode != 200 || pdf.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("summary through the page's link: %d %q", pdf.StatusCode, pdf.Header.Get("Content-Type"))
	}
	if other := b.get(strings.Replace(csvURL, "cantine-ferry", "cantine-pasteur", 1)); other.StatusCode != http.StatusForbidden {
		t.Errorf("another canteen's purchase file: %d", other.StatusCode)
	}
	if other := b.get(pathCook + "?pour=cantine-pasteur"); other.StatusCode != http.StatusForbidden {
		t.Errorf("another canteen's page: %d", other.StatusCode)
	}
	bad := b.get(pathCook + "?du=2026-12-31&au=2026-01-01")
	if bad.StatusCode != http.StatusBadRequest {
		t.Errorf("bad period: %d", bad.StatusCode)
	}
	mustShow(t, bad.Body, `value="2026-12-31"`, `value="2026-01-01"`, "doit être le même jour que le début ou après", `aria-describedby="err-f-au"`)
	if strings.Contains(bad.Body, "/egalim/purchases.csv") {
		t.Error("a refused period still links to a purchase file")
	}
}

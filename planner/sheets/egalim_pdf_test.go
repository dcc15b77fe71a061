package sheets

import (
	"strings"
	"testing"

	"paniers/internal/testdoc"
	"paniers/planner/egalim"
)

// TestEgalimPDFOnePage: the fullest summary (13 months of a 366-day period,
// every family, long names) still fits one page, in both languages.
func TestEgalimPDFOnePage(t *testing.T) {
	var lines []egalim.Line
	for m, date := range []string{"2025-12-20", "2026-01-13", "2026-02-10", "2026-03-10", "2026-04-07", "2026-05-12", "2026-06-09",
		"2026-07-07", "2026-08-04", "2026-09-08", "2026-10-06", "2026-11-10", "2026-12-15"} {
		for i, f := range egalim.Families {
			lines = append(lines, egalim.Line{Date: date, Description: "Produit", Supplier: "Ferme", Family: f,
				AmountCents: int64(100000 + 137*m + 11*i), Labels: []string{egalim.LabelBio}, Local: i%2 == 0, Priced: i != 3})
		}
	}
	rep := egalim.Build(egalim.Canteen{ID: "cantine", Name: "Résidence autonomie Les Tilleuls de Loos-en-Gohelle, restaurant des résidents", Siret: "26620999800019"},
		"2025-12-16", "2026-12-16", 50, []egalim.Week{{ID: "2026-W01", DeliveryDate: "2026-01-01", Lines: lines}})
	for _, lang := range []string{"fr", "en"} {
		pdf, err := EgalimPDF(rep, lang)
		if err != nil {
			t.Fatal(err)
		}
		txt := testdoc.PDFText(t, pdf)
		if !strings.Contains(txt, "1/1") || strings.Contains(txt, "2/2") {
			t.Errorf("%s: not one page:\n%s", lang, txt)
		}
		for _, want := range []string{"266 209 998 00019", egalim.FamilyName(egalim.FamilyBoissons, lang), "50 %"} {
			if !strings.Contains(strings.ReplaceAll(txt, "50%", "50 %"), want) {
				t.Errorf("%s: lacks %q:\n%s", lang, want, txt)
			}
		}
		again, _ := EgalimPDF(rep, lang)
		if string(again) != string(pdf) {
			t.Errorf("%s: two renderings of one report differ", lang)
		}
	}
}

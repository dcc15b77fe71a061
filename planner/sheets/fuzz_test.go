package sheets

import (
	"testing"

	"paniers/planner"
)

// FuzzNames renders documents with arbitrary names and quantities: they must
// never panic, whatever the text or number. go test runs the seeds; run
// go test ./planner/sheets -fuzz FuzzNames -fuzztime 30s to search further.
func FuzzNames(f *testing.F) {
	for _, n := range hostile {
		f.Add(n, 1.5)
	}
	f.Add("\u202eRTL\u200b zero-width e\u0301", -3.0)
	f.Add("\uffff\ufffe\U0010ffff", 1e300)
	f.Add("", 0.0)
	base := fixture(f)
	f.Fuzz(func(t *testing.T, name string, q float64) {
		in := base
		in.Scenario.Products = append([]planner.Product(nil), base.Scenario.Products...)
		in.Scenario.Products[0].Name = name
		in.Households = map[string][]Household{"relais-centre": {{Name: name, Basket: "moyen", Count: 1,
			Extras: []planner.ProductQuantity{{Product: "carotte", Quantity: q}}}}}
		in.Addresses = map[string]string{"cantine-a": name, "hub": name}
		for _, r := range []struct{ kind, id, format string }{
			{KindPickupList, "relais-centre", FormatPDF},
			{KindPickupList, "relais-centre", FormatCSV},
			{KindRoundSheet, "1", FormatText},
			{KindRoundSheet, "1", FormatPDF},
			{KindRoundSheet, "1", FormatGeoJSON},
			{KindDeliveryNote, "cantine-a", FormatPDF},
		} {
			if _, err := Render(in, r.kind, r.id, r.format); err != nil {
				t.Errorf("%s %s: %v", r.kind, r.format, err)
			}
		}
	})
}

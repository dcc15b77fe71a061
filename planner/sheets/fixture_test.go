package sheets

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"paniers/planner"
)

// fixture loads the hand-made week in testdata: its scenario, its plan, and
// the addresses and households the service would add.
func fixture(t testing.TB) Input {
	t.Helper()
	var in Input
	read := func(name string, v any) {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	read("scenario.json", &in.Scenario)
	read("plan.json", &in.Plan)
	var extra struct {
		Addresses  map[string]string      `json:"addresses"`
		Households map[string][]Household `json:"households"`
	}
	read("extra.json", &extra)
	in.Addresses, in.Households = extra.Addresses, extra.Households
	return in
}

func shortfallFor(order, product string, ordered, allocated float64, reason string) planner.Shortfall {
	return planner.Shortfall{Order: order, Product: product, Ordered: &ordered, Allocated: &allocated, Reason: reason}
}

func unroutedSite(site, reason string) planner.Unrouted {
	return planner.Unrouted{Site: site, Reason: reason}
}

package sheets

import (
	"errors"
	"strings"
	"testing"
)

// TestRoundView checks the on-screen round against the figures the printed
// sheet is known to hold (TestRoundSheetText): the same stops in order, the
// same packages counted the same way, the same totals.
func TestRoundView(t *testing.T) {
	in := fixture(t)
	v, err := RoundView(in, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v.Title != "Tournée 2/2 · livraison · camion-1" || v.Collection || v.LongDate != "mardi 1er décembre 2026" {
		t.Errorf("head: %q, collection %v, %q", v.Title, v.Collection, v.LongDate)
	}
	if v.Totals != "2 arrêts · 71,1 kg · 16 colis · 11,4 km · 58 min" || v.BackLeg != "5,3 km · 8 min" {
		t.Errorf("totals %q, back %q", v.Totals, v.BackLeg)
	}
	if len(v.Stops) != 2 {
		t.Fatalf("%d stops", len(v.Stops))
	}
	s1, s2 := v.Stops[0], v.Stops[1]
	if s1.N != 1 || s1.Place.Name != "École maternelle Pasteur" || s1.Place.Address == "" || !s1.Place.Located || s1.Producer ||
		s1.WindowText != "07:00–09:00" || s1.Arrive != "06:51" || s1.Leg != "0,4 km · 1 min" {
		t.Errorf("stop 1: %+v", s1)
	}
	packs := func(s RoundStop) string {
		var b []string
		for _, p := range s.Packs {
			b = append(b, p.Label+" "+p.Quantity+" "+p.Units)
		}
		return strings.Join(b, " | ")
	}
	if got := packs(s2); got != "Panier moyen 10 paniers 10 colis | Sacs de suppléments (un par foyer) 3 sacs 3 colis" {
		t.Errorf("relay point's packages: %s", got)
	}
	if !strings.Contains(packs(s1), "Œufs frais 40 pièces 1 caisse") || s2.Units != "13 colis" {
		t.Errorf("canteen's packages: %s; relay point's units %q", packs(s1), s2.Units)
	}
	n := 0
	for _, p := range v.Load {
		n += p.Count
	}
	if n != 16 {
		t.Errorf("hub load: %d packages, want 16", n)
	}
	c, err := RoundView(in, 0)
	if err != nil || !c.Collection || len(c.Stops) == 0 || !c.Stops[0].Producer {
		t.Errorf("collection round: %+v, %v", c, err)
	}
	if _, err := RoundView(in, 2); !errors.Is(err, ErrNotFound) {
		t.Errorf("round 2 of 2: %v", err)
	}
	in.Lang = "en"
	if v, err := RoundView(in, 1); err != nil || !strings.HasPrefix(v.Title, "Round 2/2") || !strings.Contains(v.Totals, "packages") {
		t.Errorf("English: %q %q %v", v.Title, v.Totals, err)
	}
}

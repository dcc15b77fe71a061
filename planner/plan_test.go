package planner_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	. "paniers/planner"
	"paniers/planner/scengen"
)

func planJSON(t *testing.T, s Scenario, opt Options) []byte {
	t.Helper()
	p, err := PlanWeek(s, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDeterminism checks rule 9: the same scenario and seed give the same
// bytes. Another seed changes only rounding tie-breaks: in weeks without
// baskets (whose ties may shift what extras get), every class's fill rate
// and every product's canteen and extra totals stay the same.
func TestDeterminism(t *testing.T) {
	for i, f := range scengen.Families {
		s := scengen.Generate(scengen.Config{Seed: int64(i), Family: f, Producers: 15, Products: 12, Sites: 20, Orders: 150, BasketTypes: 2})
		a := planJSON(t, s, Options{NoRounds: true})
		b := planJSON(t, s, Options{NoRounds: true, Seed: 1})
		if !bytes.Equal(a, b) {
			t.Fatalf("%s: two runs with seed 1 differ", f)
		}
		if i < 2 {
			small := scengen.Generate(scengen.Config{Seed: int64(i), Family: f, Producers: 5, Products: 6, Sites: 6, Orders: 30})
			a, b = planJSON(t, small, Options{}), planJSON(t, small, Options{})
			if !bytes.Equal(a, b) {
				t.Fatalf("%s: two runs with rounds differ", f)
			}
		}
		s = scengen.Generate(scengen.Config{Seed: int64(i), Family: f, Producers: 15, Products: 12, Sites: 20, Orders: 150,
			Canteens: 0.4, Extras: 0.6})
		byClass := func(seed int64) (map[string]float64, map[string]float64) {
			p, err := PlanWeek(s, Options{NoRounds: true, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			class := map[string]string{}
			for _, o := range s.Orders {
				class[o.ID] = o.Class
			}
			totals := map[string]float64{}
			for _, al := range p.Allocations {
				if c := class[al.Order]; c != ClassBasket {
					totals[c+"/"+al.Product] += al.Quantity
				}
			}
			return p.Summary.FillRate, totals
		}
		r1, t1 := byClass(1)
		for _, seed := range []int64{2, 3, 99} {
			r2, t2 := byClass(seed)
			if fmt.Sprint(r1[ClassCanteen], r1[ClassExtra]) != fmt.Sprint(r2[ClassCanteen], r2[ClassExtra]) {
				t.Errorf("%s: seed %d changes the fill rates: %v vs %v", f, seed, r1, r2)
			}
			for k, v := range t1 {
				if d := v - t2[k]; d > 1e-6 || d < -1e-6 {
					t.Errorf("%s: seed %d changes the total of %s: %g vs %g", f, seed, k, v, t2[k])
				}
			}
		}
	}
}

// TestRoundingRotates checks that the step left over by rounding does not
// always go to the same order: three equal orders share 20 steps, so one of
// them gets a step less, and which one changes with the seed.
func TestRoundingRotates(t *testing.T) {
	s := tinyBase()
	s.Products = []Product{{ID: "p", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 1}}
	s.Producers = []Producer{{ID: "f", Lat: 50.4, Lon: 2.8}}
	s.Offers = []Offer{{Producer: "f", Product: "p", Quantity: 20}}
	for _, id := range []string{"a", "b", "c"} {
		s.Orders = append(s.Orders, Order{ID: id, Site: "cantine", Class: ClassCanteen, Product: "p", Quantity: 10})
	}
	short := map[string]int{}
	for seed := int64(1); seed <= 30; seed++ {
		p, err := PlanWeek(s, Options{NoRounds: true, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, a := range p.Allocations {
			got[a.Order] += a.Quantity
		}
		for id, q := range got {
			if q != 6 && q != 7 {
				t.Fatalf("seed %d: order %s gets %g, want 6 or 7", seed, id, q)
			}
			if q == 6 {
				short[id]++
			}
		}
	}
	for _, id := range []string{"a", "b", "c"} {
		if short[id] == 0 || short[id] == 30 {
			t.Errorf("order %s is the short one %d times in 30 seeds: rounding favours the same orders", id, short[id])
		}
	}
}

// TestReasons checks the shortfall and unsold reasons of the reference
// scenario in French (default) and English.
func TestReasons(t *testing.T) {
	s := readSmall(t)
	tests := []struct {
		lang  string
		order string // shortfall of this order (and category if basket)
		cat   string
		want  string
	}{
		{"", "o2", "", "offre insuffisante : 40 kg offerts, 45 kg demandés par les cantines"},
		{"fr", "o3", "", "offre insuffisante : 40 kg offerts, 45 kg demandés par les cantines"},
		{"en", "o2", "", "short supply: 40 kg offered, 45 kg ordered by the canteens"},
		{"fr", "o4", "fruit", "offre insuffisante en « fruit » : 8,5 kg disponibles après les cantines, 29 kg demandés par les paniers"},
		{"en", "o4", "fruit", `short supply in "fruit": 8.5 kg left after the canteens, 29 kg ordered by the baskets`},
		{"fr", "o7", "", "8,5 kg offerts, 7,8 kg pris d'abord par les cantines et les paniers, 5 kg demandés en extras"},
		{"en", "o7", "", "8.5 kg offered, 7.8 kg taken by canteens and baskets first, 5 kg ordered as extras"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.order, func(t *testing.T) {
			p, err := PlanWeek(s, Options{NoRounds: true, Lang: tt.lang})
			if err != nil {
				t.Fatal(err)
			}
			for _, sf := range p.Shortfalls {
				if sf.Order == tt.order && sf.Category == tt.cat {
					if !strings.Contains(sf.Reason, tt.want) {
						t.Errorf("reason %q, want %q", sf.Reason, tt.want)
					}
					return
				}
			}
			t.Errorf("no shortfall for %s %s in %+v", tt.order, tt.cat, p.Shortfalls)
		})
	}
	for _, l := range []string{"fr", "en"} {
		p, err := PlanWeek(s, Options{NoRounds: true, Lang: l})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range p.Unsold {
			if u.Reason == "" {
				t.Errorf("%s: unsold %+v has no reason", l, u)
			}
		}
	}
	// A product nobody offers.
	s.Orders = append(s.Orders, Order{ID: "o9", Site: "cantine-a", Class: ClassCanteen, Product: "salade", Quantity: 3})
	s.Offers = s.Offers[:4] // drop salade and fruit offers
	p, err := PlanWeek(s, Options{NoRounds: true})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, sf := range p.Shortfalls {
		if sf.Order == "o9" {
			found = strings.Contains(sf.Reason, "aucun producteur ne propose ce produit")
		}
	}
	if !found {
		t.Errorf("no 'aucune offre' reason for o9 in %+v", p.Shortfalls)
	}
}

// TestPlanWeekEmptyListsAreArrays checks that an empty plan prints [] and
// no fill rate for classes without orders.
func TestPlanWeekEmptyListsAreArrays(t *testing.T) {
	s := tinyBase()
	b := planJSON(t, s, Options{NoRounds: true})
	for _, k := range []string{"baskets", "allocations", "shortfalls", "unsold", "rounds", "unrouted"} {
		if !bytes.Contains(b, []byte(`"`+k+`":[]`)) {
			t.Errorf("%s is not [] in %s", k, b)
		}
	}
	if !bytes.Contains(b, []byte(`"fill_rate":{}`)) {
		t.Errorf("fill_rate should be empty: %s", b)
	}
}

// TestUnroutedSiteTakesNoPart plans with rounds a week where one site's
// window closes before any vehicle's shift starts and one producer's
// collection window is out of every shift: both are unrouted (rule 8), the
// site's orders are shortfalls with the reason, the producer's offers are
// unsold with it, and the rest of the plan still obeys the contract.
func TestUnroutedSiteTakesNoPart(t *testing.T) {
	s := readSmall(t)
	s.Sites[1].Window = Window{"03:00", "04:00"}     // relais-gare
	s.Producers[0].Window = Window{"20:00", "21:00"} // ferme-a
	p, err := PlanWeek(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, u := range p.Unrouted {
		out[u.Site+u.Producer] = u.Reason
	}
	if out["relais-gare"] == "" || out["ferme-a"] == "" {
		t.Fatalf("relais-gare and ferme-a should be unrouted: %+v", p.Unrouted)
	}
	if bad := verifyPlan(s, p); len(bad) > 0 {
		t.Fatalf("plan breaks the contract: %v", bad)
	}
	for _, sf := range p.Shortfalls {
		if (sf.Order == "o5" || sf.Order == "o7" || sf.Order == "o8") && !strings.Contains(sf.Reason, out["relais-gare"]) {
			t.Errorf("shortfall of %s does not give the unrouted reason: %q", sf.Order, sf.Reason)
		}
	}
	n := 0
	for _, u := range p.Unsold {
		if u.Producer == "ferme-a" {
			n++
			if !strings.Contains(u.Reason, out["ferme-a"]) {
				t.Errorf("unsold %+v does not give the unrouted reason", u)
			}
		}
	}
	if n != 2 {
		t.Errorf("ferme-a's two offers should be unsold, got %d entries", n)
	}
}

// TestWriteText checks the terminal summary in both languages.
func TestWriteText(t *testing.T) {
	s := readSmall(t)
	for _, tt := range []struct{ lang, want string }{
		{"fr", "Taux de service"}, {"en", "Fill rate"},
	} {
		p, err := PlanWeek(s, Options{NoRounds: true, Lang: tt.lang})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteText(&b, s, p, tt.lang); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, w := range []string{tt.want, "o2", "ferme-a", "moyen"} {
			if !strings.Contains(out, w) {
				t.Errorf("%s text lacks %q:\n%s", tt.lang, w, out)
			}
		}
	}
}

// TestUnorderedProductsAreExplained checks that produce nobody asks for is
// listed unsold with the "not ordered" reason, in both languages.
func TestUnorderedProductsAreExplained(t *testing.T) {
	s := scengen.Generate(scengen.Config{Seed: 4, Family: scengen.Unordered, Producers: 5, Products: 9, Sites: 5, Orders: 30})
	for _, tt := range []struct{ lang, want string }{{"fr", "non commandé"}, {"en", "not ordered"}} {
		p, err := PlanWeek(s, Options{NoRounds: true, Lang: tt.lang})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, u := range p.Unsold {
			if strings.Contains(u.Reason, tt.want) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: no unsold entry says %q: %+v", tt.lang, tt.want, p.Unsold)
		}
	}
}

package planner_test

// Optimality proofs on tiny scenarios: the planner's fairness levels and
// total allocated weight are compared with exact references computed here by
// exhaustive search over step multiples, never with the planner's own output.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	. "paniers/planner"
)

// leximinBest returns, by exhaustive search over every integer split of
// total with a_i <= caps_i, the ascending vector of ratios a_i/caps_i that is
// lexicographically greatest: the exact max-min fair split (the lowest ratio
// as high as it can be, then the next, and so on).
func leximinBest(total int, caps []int) []float64 {
	var best []float64
	a := make([]int, len(caps))
	var rec func(i, left int)
	rec = func(i, left int) {
		if i == len(caps) {
			if left != 0 {
				return
			}
			v := make([]float64, len(caps))
			for k := range caps {
				v[k] = float64(a[k]) / float64(caps[k])
			}
			sort.Float64s(v)
			if best == nil || lexGreater(v, best) {
				best = v
			}
			return
		}
		for x := 0; x <= caps[i] && x <= left; x++ {
			a[i] = x
			rec(i+1, left-x)
		}
	}
	rec(0, total)
	return best
}

func lexGreater(a, b []float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return a[i] > b[i]
		}
	}
	return false
}

// checkLevels compares a split (steps per claimant) with the exact
// reference: everything wanted is given, and the sorted ratio vector is the
// leximin optimum.
func checkLevels(t *testing.T, what string, total int, caps []int, got []float64) {
	t.Helper()
	gotTotal := 0.0
	v := make([]float64, len(got))
	for i, g := range got {
		gotTotal += g
		v[i] = g / float64(caps[i])
	}
	sort.Float64s(v)
	if math.Abs(gotTotal-float64(total)) > 1e-9 {
		t.Errorf("%s: %g steps given, %d are available and wanted", what, gotTotal, total)
	}
	want := leximinBest(total, caps)
	if lexGreater(want, v) || lexGreater(v, want) {
		t.Errorf("%s: fill ratios %v, the exact max-min fair split has %v (caps %v, %d steps)", what, v, want, caps, total)
	}
}

// tinyBase is a scenario frame with valid places and travel.
func tinyBase() Scenario {
	return Scenario{
		Week:   "2026-W49",
		Hub:    Hub{ID: "hub", Lat: 50.45, Lon: 2.79},
		Travel: Travel{DetourFactor: 1.3, SpeedKmh: 40},
		Sites: []Site{
			{ID: "cantine", Kind: KindCanteen, Lat: 50.46, Lon: 2.79, Window: Window{"07:00", "09:00"}},
			{ID: "relais", Kind: KindRelay, Lat: 50.43, Lon: 2.83, Window: Window{"09:00", "16:00"}},
		},
		Vehicles: []Vehicle{{ID: "v", CapacityKg: 800, Shift: Window{"06:00", "18:00"}}},
	}
}

// TestFairnessLevelsAreOptimal checks on hundreds of tiny one-product weeks
// that the canteens', the extras' and the producers' fill ratios are the
// exact max-min fair ones: the sorted ratio vector is lexicographically
// greatest among all integer splits of the same total (exhaustive search).
func TestFairnessLevelsAreOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	for c := range 400 {
		s := tinyBase()
		step := []float64{1, 0.1, 0.5}[c%3]
		s.Products = []Product{{ID: "p", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: step}}
		nProd := 1 + r.IntN(3)
		var caps0 []int
		supply := 0
		for i := range nProd {
			k := r.IntN(9)
			id := fmt.Sprintf("f%d", i)
			s.Producers = append(s.Producers, Producer{ID: id, Lat: 50.4, Lon: 2.8})
			s.Offers = append(s.Offers, Offer{Producer: id, Product: "p", Quantity: float64(k) * step})
			caps0 = append(caps0, k)
			supply += k
		}
		for i := range 1 + r.IntN(6) {
			class := ClassCanteen
			site := "cantine"
			if r.IntN(2) == 0 {
				class, site = ClassExtra, "relais"
			}
			k := 1 + r.IntN(7)
			id := fmt.Sprintf("o%d", i)
			s.Orders = append(s.Orders, Order{ID: id, Site: site, Class: class, Product: "p", Quantity: float64(k) * step})
		}
		p, err := PlanWeek(s, Options{NoRounds: true, Seed: int64(c)})
		if err != nil {
			t.Fatal(err)
		}
		if bad := verifyPlan(s, p); len(bad) > 0 {
			t.Fatalf("case %d breaks the contract: %v", c, bad)
		}
		gotOrder := map[string]float64{}
		gotProducer := map[string]float64{}
		for _, a := range p.Allocations {
			gotOrder[a.Order] += a.Quantity / step
			gotProducer[a.Producer] += a.Quantity / step
		}
		left := supply
		for _, class := range []string{ClassCanteen, ClassExtra} {
			var caps []int
			var got []float64
			sum := 0
			for _, o := range s.Orders {
				if o.Class == class {
					k := int(math.Round(o.Quantity / step))
					caps = append(caps, k)
					got = append(got, math.Round(gotOrder[o.ID]))
					sum += k
				}
			}
			total := min(left, sum)
			left -= total
			if len(caps) > 0 {
				checkLevels(t, fmt.Sprintf("case %d %s", c, class), total, caps, got)
			}
		}
		var caps []int
		var got []float64
		for i, k := range caps0 {
			if k > 0 {
				caps = append(caps, k)
				got = append(got, math.Round(gotProducer[fmt.Sprintf("f%d", i)]))
			}
		}
		if len(caps) > 0 {
			checkLevels(t, fmt.Sprintf("case %d producers", c), supply-left, caps, got)
		}
	}
}

// leximinOptimum returns, by exhaustive enumeration of every basket content
// of the category (each quantity 0 or within basket_min..basket_max, within
// the type's kg), the leximin-greatest share vector among the contents that
// obey rules 1 to 6 (checked by the verifier's own rules), and whether any
// content obeys them.
func leximinOptimum(c vCat) ([]float64, bool) {
	x := make([][]int64, len(c.types))
	for t := range x {
		x[t] = make([]int64, len(c.prods))
	}
	var best []float64
	found := false
	var rec func(t, j int, kg float64)
	rec = func(t, j int, kg float64) {
		if t == len(c.types) {
			if len(c.rules(x)) == 0 {
				if v := c.shares(x); !found || leximinGreater(v, best) {
					best, found = v, true
				}
			}
			return
		}
		if j == len(c.prods) {
			rec(t+1, 0, 0)
			return
		}
		rec(t, j+1, kg)
		p := c.prods[j]
		for k := p.lo; k <= p.hi && kg+float64(k)*p.w <= c.types[t].kg+1e-9; k++ {
			x[t][j] = k
			rec(t, j+1, kg+float64(k)*p.w)
		}
		x[t][j] = 0
	}
	rec(0, 0, 0)
	return best, found
}

// tinyBasketWeek builds a one-category week of a few products (some with
// basket_min and basket_max), canteen and extra orders, and one or two basket
// types (some with min_products and max_products).
func tinyBasketWeek(r *rand.Rand) Scenario {
	s := tinyBase()
	units := []struct {
		unit      string
		kgpu, stp float64
	}{{"kg", 1, 0.1}, {"piece", 0.3, 1}, {"piece", 0.5, 1}, {"botte", 0.4, 1}, {"kg", 1, 0.2}, {"piece", 1.2, 1}}
	for j := range 1 + r.IntN(3) {
		u := units[r.IntN(len(units))]
		id := fmt.Sprintf("p%d", j)
		pr := Product{ID: id, Unit: u.unit, KgPerUnit: u.kgpu, Category: "legume", Step: u.stp}
		if r.IntN(3) == 0 {
			pr.BasketMin = float64(1+r.IntN(3)) * u.stp
		}
		if r.IntN(3) == 0 {
			pr.BasketMax = math.Max(pr.BasketMin, float64(1+r.IntN(5))*u.stp)
		}
		s.Products = append(s.Products, pr)
		s.Producers = append(s.Producers, Producer{ID: "f" + id, Lat: 50.4, Lon: 2.8})
		s.Offers = append(s.Offers, Offer{Producer: "f" + id, Product: id, Quantity: float64(r.IntN(16)) * u.stp, PriceCents: 100})
		if r.IntN(3) == 0 {
			s.Orders = append(s.Orders, Order{ID: "c" + id, Site: "cantine", Class: ClassCanteen, Product: id, Quantity: float64(1+r.IntN(4)) * u.stp})
		}
		if r.IntN(2) == 0 {
			s.Orders = append(s.Orders, Order{ID: "e" + id, Site: "relais", Class: ClassExtra, Product: id, Quantity: float64(1+r.IntN(4)) * u.stp})
		}
	}
	for tt := range 1 + r.IntN(2) {
		cc := CategoryContent{Category: "legume", Kg: []float64{0.5, 0.8, 1.0, 1.2, 1.6}[r.IntN(5)], MinProducts: r.IntN(3)}
		if r.IntN(3) == 0 {
			cc.MaxProducts = max(cc.MinProducts, 1+r.IntN(2))
		}
		id := fmt.Sprintf("b%d", tt)
		s.BasketTypes = append(s.BasketTypes, BasketType{ID: id, Contents: []CategoryContent{cc}})
		s.Orders = append(s.Orders, Order{ID: "o" + id, Site: "relais", Class: ClassBasket, Basket: id, Count: 1 + r.IntN(4)})
	}
	return s
}

// TestBasketSharesAreLeximin checks on tiny basket weeks that the baskets'
// shares of the products are the leximin optimum over every content obeying
// rules 1 to 6, found by exhaustive enumeration (rule 10).
func TestBasketSharesAreLeximin(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 10))
	cases := 600
	if testing.Short() {
		cases = 150
	}
	for c := range cases {
		s := tinyBasketWeek(r)
		p, err := PlanWeek(s, Options{NoRounds: true, Seed: int64(c)})
		if err != nil {
			t.Fatal(err)
		}
		if bad := verifyPlan(s, p); len(bad) > 0 {
			t.Fatalf("case %d breaks the contract: %v\n%+v", c, bad, s)
		}
		cat := planCats(s, p)[0]
		want, ok := leximinOptimum(cat)
		if !ok {
			t.Fatalf("case %d: no basket contents obey the rules, yet the planner found %v (%+v)", c, p.Baskets, cat)
		}
		if got := cat.shares(cat.x); leximinGreater(want, got) || leximinGreater(got, want) {
			t.Errorf("case %d: shares %v, the leximin optimum is %v (baskets %+v, scenario %+v)", c, got, want, p.Baskets, s)
		}
	}
}

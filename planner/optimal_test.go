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

// basketCase is a tiny one-category week with baskets and extras.
type basketCase struct {
	w     []float64 // kg per step of each product
	left  []int     // steps of each product (no canteen)
	extra []int     // extra orders' steps per product
	n     []int     // basket count per type
	kg    []float64 // category kg per type
	min   []int     // min_products per type
}

// bestBasketWeight returns the greatest total weight (baskets plus extras)
// over every choice of basket contents that obeys rules 1, 2, 3, 5 and 6, by
// exhaustive search over step multiples.
func bestBasketWeight(bc basketCase) (float64, bool) {
	T, P := len(bc.n), len(bc.w)
	x := make([][]int, T)
	for t := range x {
		x[t] = make([]int, P)
	}
	var all [][][]int
	var rec func(t, j int, kg float64)
	rec = func(t, j int, kg float64) {
		if t == T {
			cp := make([][]int, T)
			for i := range x {
				cp[i] = append([]int{}, x[i]...)
			}
			all = append(all, cp)
			return
		}
		if j == P {
			rec(t+1, 0, 0)
			return
		}
		for k := 0; kg+float64(k)*bc.w[j] <= bc.kg[t]+1e-9; k++ {
			x[t][j] = k
			rec(t, j+1, kg+float64(k)*bc.w[j])
		}
		x[t][j] = 0
	}
	rec(0, 0, 0)
	used := func(c [][]int, j int) int {
		u := 0
		for t := range c {
			u += bc.n[t] * c[t][j]
		}
		return u
	}
	kgOf := func(c [][]int, t int) float64 {
		s := 0.0
		for j := range c[t] {
			s += float64(c[t][j]) * bc.w[j]
		}
		return s
	}
	distinct := func(c [][]int, t int) int {
		d := 0
		for _, v := range c[t] {
			if v > 0 {
				d++
			}
		}
		return d
	}
	var supplyOK [][][]int
	minFeasible := false
	for _, c := range all {
		ok := true
		for j := range P {
			ok = ok && used(c, j) <= bc.left[j]
		}
		if !ok {
			continue
		}
		supplyOK = append(supplyOK, c)
		m := true
		for t := range T {
			m = m && distinct(c, t) >= bc.min[t]
		}
		minFeasible = minFeasible || m
	}
	best, found := -1.0, false
	for _, c := range supplyOK {
		good := true
		for t := range T {
			if minFeasible && distinct(c, t) < bc.min[t] {
				good = false
			}
			for j := range P {
				if bc.kg[t]-kgOf(c, t) >= bc.w[j]-1e-9 && bc.left[j]-used(c, j) >= bc.n[t] {
					good = false // rule 2 and 6: a type could take one more step
				}
			}
		}
		for g := 0; g < T && good; g++ {
			for r := 0; r < T && good; r++ {
				rg, rr := kgOf(c, g)/bc.kg[g], kgOf(c, r)/bc.kg[r]
				if g == r || rg <= rr {
					continue
				}
				for j := range P {
					if c[g][j] == 0 || minFeasible && c[g][j] == 1 && distinct(c, g) <= bc.min[g] {
						continue
					}
					if bc.kg[r]-kgOf(c, r) < bc.w[j]-1e-9 || bc.left[j]-used(c, j)+bc.n[g] < bc.n[r] {
						continue
					}
					if rg-bc.w[j]/bc.kg[g] >= rr+bc.w[j]/bc.kg[r]-1e-9 {
						good = false // rule 3
					}
				}
			}
		}
		if !good {
			continue
		}
		total := 0.0
		for j := range P {
			u := used(c, j)
			total += float64(u+min(bc.extra[j], bc.left[j]-u)) * bc.w[j]
		}
		if total > best {
			best, found = total, true
		}
	}
	return best, found
}

// TestBasketWeightIsMaximal checks on tiny basket weeks that the planner
// allocates the greatest total weight rules 1 to 6 allow.
func TestBasketWeightIsMaximal(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	units := []struct {
		unit      string
		kgpu, stp float64
	}{{"kg", 1, 0.1}, {"piece", 0.3, 1}, {"piece", 0.5, 1}, {"botte", 0.4, 1}, {"kg", 1, 0.2}}
	worse := 0
	const cases = 300
	for c := range cases {
		s := tinyBase()
		bc := basketCase{}
		nP := 1 + r.IntN(3)
		for j := range nP {
			u := units[r.IntN(len(units))]
			id := fmt.Sprintf("p%d", j)
			s.Products = append(s.Products, Product{ID: id, Unit: u.unit, KgPerUnit: u.kgpu, Category: "legume", Step: u.stp})
			k := r.IntN(12)
			s.Producers = append(s.Producers, Producer{ID: "f" + id, Lat: 50.4, Lon: 2.8})
			s.Offers = append(s.Offers, Offer{Producer: "f" + id, Product: id, Quantity: float64(k) * u.stp})
			e := 0
			if r.IntN(2) == 0 {
				e = 1 + r.IntN(4)
				s.Orders = append(s.Orders, Order{ID: "e" + id, Site: "relais", Class: ClassExtra, Product: id, Quantity: float64(e) * u.stp})
			}
			bc.w = append(bc.w, u.kgpu*u.stp)
			bc.left = append(bc.left, k)
			bc.extra = append(bc.extra, e)
		}
		for tt := range 1 + r.IntN(2) {
			kg := []float64{0.5, 0.8, 1.0, 1.2}[r.IntN(4)]
			m := r.IntN(3)
			n := 1 + r.IntN(4)
			id := fmt.Sprintf("b%d", tt)
			s.BasketTypes = append(s.BasketTypes, BasketType{ID: id, Contents: []CategoryContent{{Category: "legume", Kg: kg, MinProducts: m}}})
			s.Orders = append(s.Orders, Order{ID: "o" + id, Site: "relais", Class: ClassBasket, Basket: id, Count: n})
			bc.n, bc.kg, bc.min = append(bc.n, n), append(bc.kg, kg), append(bc.min, m)
		}
		p, err := PlanWeek(s, Options{NoRounds: true, Seed: int64(c)})
		if err != nil {
			t.Fatal(err)
		}
		if bad := verifyPlan(s, p); len(bad) > 0 {
			t.Fatalf("case %d breaks the contract: %v\n%+v", c, bad, s)
		}
		kgpu := map[string]float64{}
		for _, pr := range s.Products {
			kgpu[pr.ID] = pr.KgPerUnit
		}
		got := 0.0
		for _, a := range p.Allocations {
			got += a.Quantity * kgpu[a.Product]
		}
		want, ok := bestBasketWeight(bc)
		if !ok {
			t.Fatalf("case %d: no basket contents obey the rules, yet the planner found %v", c, p.Baskets)
		}
		if got < want-1e-9 {
			worse++
			t.Errorf("case %d: planner allocates %.2f kg, the rules allow %.2f kg (%+v; baskets %+v)", c, got, want, bc, p.Baskets)
		}
		if got > want+1e-9 {
			t.Errorf("case %d: planner allocates %.2f kg, more than the exact best %.2f kg: the reference or the verifier is wrong", c, got, want)
		}
	}
}

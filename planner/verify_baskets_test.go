package planner_test

// This file is the independent verifier of the basket rules (2, 3, 5 and 6
// as far as baskets go, and 10), written from PLANNING.md alone. It shares no
// code with the composer: it rebuilds each category's contents, supply and
// portions from the scenario and the plan, checks them, and looks for a
// single swap in one basket type (one move of a product out, one move of
// another in) that gives contents still obeying rules 1 to 6 and fairer
// shares between products (rule 10 up to rounding).

import (
	"fmt"
	"math"
	"sort"

	. "paniers/planner"
)

// vProd is one product of a category as the verifier sees it.
type vProd struct {
	id      string
	w       float64 // kg per step
	lo, hi  int64   // basket_min, basket_max in steps
	avail   int64   // steps left after the canteens
	counted bool    // rule 10 counts it
}

// vType is one ordered basket type's share of a category.
type vType struct {
	id         string
	n          int64
	kg         float64
	minP, maxP int
}

// vCat is one category's basket problem and the plan's answer x[type][prod]
// in steps per basket.
type vCat struct {
	name       string
	prods      []vProd
	types      []vType
	x          [][]int64
	minApplies bool
}

// vPortion gives a product's basket_min and basket_max in steps, from the
// contract's text: basket_min defaults to the smallest multiple of step
// weighing at least 0.2 kg, basket_max to no bound.
func vPortion(pr Product) (int64, int64) {
	hi := int64(math.MaxInt32)
	if pr.BasketMax > 0 {
		hi = int64(math.Round(pr.BasketMax / pr.Step))
	}
	if pr.BasketMin > 0 {
		return int64(math.Round(pr.BasketMin / pr.Step)), hi
	}
	w := pr.Step * pr.KgPerUnit
	k := int64(1)
	for float64(k)*w < 0.2-1e-9 {
		k++
	}
	return min(k, hi), hi
}

// buildCats rebuilds every basket category of the plan. takeCanteen and
// takeBasket are the steps each class takes of each product; supply the
// steps offered by the producers taking part.
func buildCats(s Scenario, counts map[string]int64, content map[string]map[string]float64,
	supply, takeCanteen map[string]int64) []vCat {
	var cats []vCat
	for _, cat := range basketCategories(s) {
		c := vCat{name: cat}
		for _, pr := range s.Products {
			if pr.Category != cat {
				continue
			}
			lo, hi := vPortion(pr)
			c.prods = append(c.prods, vProd{id: pr.ID, w: pr.Step * pr.KgPerUnit, lo: lo, hi: hi,
				avail: supply[pr.ID] - takeCanteen[pr.ID]})
		}
		sort.Slice(c.prods, func(i, j int) bool { return c.prods[i].id < c.prods[j].id })
		for _, bt := range s.BasketTypes {
			for _, cc := range bt.Contents {
				if cc.Category != cat || counts[bt.ID] == 0 {
					continue
				}
				maxP := cc.MaxProducts
				if maxP <= 0 {
					maxP = len(c.prods)
				}
				c.types = append(c.types, vType{id: bt.ID, n: counts[bt.ID], kg: cc.Kg, minP: cc.MinProducts, maxP: maxP})
				row := make([]int64, len(c.prods))
				for j, pr := range c.prods {
					step := 0.0
					for _, q := range s.Products {
						if q.ID == pr.id {
							step = q.Step
						}
					}
					row[j] = int64(math.Round(content[bt.ID][pr.id] / step))
				}
				c.x = append(c.x, row)
			}
		}
		for j := range c.prods {
			p := &c.prods[j]
			for _, t := range c.types {
				if p.lo <= p.hi && p.avail >= t.n*p.lo && float64(p.lo)*p.w <= t.kg+1e-9 {
					p.counted = true
				}
			}
		}
		c.minApplies = vMinFeasible(c)
		cats = append(cats, c)
	}
	return cats
}

// vMinFeasible reports, by exhaustive search, whether the supply left after
// the canteens can give every type its min_products different products at
// once, count x basket_min of each, within its kg (rule 5).
func vMinFeasible(c vCat) bool {
	rest := make([]int64, len(c.prods))
	for j, p := range c.prods {
		rest[j] = p.avail
	}
	var try func(k int) bool
	try = func(k int) bool {
		if k == len(c.types) {
			return true
		}
		t := c.types[k]
		var sub func(from, chosen int, kg float64) bool
		sub = func(from, chosen int, kg float64) bool {
			if chosen == t.minP {
				return try(k + 1)
			}
			for j := from; j < len(c.prods); j++ {
				p := c.prods[j]
				if p.lo > p.hi || rest[j] < t.n*p.lo || kg+float64(p.lo)*p.w > t.kg+1e-9 {
					continue
				}
				rest[j] -= t.n * p.lo
				ok := sub(j+1, chosen+1, kg+float64(p.lo)*p.w)
				rest[j] += t.n * p.lo
				if ok {
					return true
				}
			}
			return false
		}
		return sub(0, 0, 0)
	}
	return try(0)
}

func (c vCat) kgOf(x [][]int64, t int) float64 {
	kg := 0.0
	for j, v := range x[t] {
		kg += float64(v) * c.prods[j].w
	}
	return kg
}

func (c vCat) distinctOf(x [][]int64, t int) int {
	d := 0
	for _, v := range x[t] {
		if v > 0 {
			d++
		}
	}
	return d
}

func (c vCat) leftOf(x [][]int64, j int) int64 {
	l := c.prods[j].avail
	for t, ty := range c.types {
		l -= ty.n * x[t][j]
	}
	return l
}

// vAdd is the size of one more move of product j in type t: its basket_min
// when t does not hold it, else one step; ok is false when the move breaks
// basket_max or max_products.
func (c vCat) vAdd(x [][]int64, t, j int) (int64, bool) {
	if x[t][j] == 0 {
		p := c.prods[j]
		return p.lo, p.lo <= p.hi && c.distinctOf(x, t) < c.types[t].maxP
	}
	return 1, x[t][j]+1 <= c.prods[j].hi
}

// vTake is the size of one move of product j out of type t: all of it at
// basket_min, else one step; ok is false when t does not hold it or the
// product leaving breaks a min_products that applies.
func (c vCat) vTake(x [][]int64, t, j int) (int64, bool) {
	v := x[t][j]
	if v == 0 {
		return 0, false
	}
	if v <= c.prods[j].lo {
		return v, !(c.minApplies && c.distinctOf(x, t) <= c.types[t].minP)
	}
	return 1, true
}

// rules checks contents x against rules 1 (supply), 2 and 6 (no type can take
// one more move), 3 (no unfair move between types) and 5 (portions, kg,
// max_products, min_products when it applies).
func (c vCat) rules(x [][]int64) []string {
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	for j, p := range c.prods {
		if c.leftOf(x, j) < 0 {
			fail("rule 1: baskets take more %s than is left after the canteens", p.id)
		}
	}
	for t, ty := range c.types {
		kg := c.kgOf(x, t)
		if kg > ty.kg+1e-6 {
			fail("rule 5: basket %s has %g kg of %s, at most %g", ty.id, kg, c.name, ty.kg)
		}
		d := c.distinctOf(x, t)
		if d > ty.maxP {
			fail("rule 5: basket %s has %d products of %s, max_products is %d", ty.id, d, c.name, ty.maxP)
		}
		if c.minApplies && d < ty.minP {
			fail("rule 5: basket %s has %d products of %s, the supply allows the minimum %d", ty.id, d, c.name, ty.minP)
		}
		for j, p := range c.prods {
			if v := x[t][j]; v != 0 && (v < p.lo || v > p.hi) {
				fail("rule 5: basket %s holds %d steps of %s, outside basket_min..basket_max %d..%d", ty.id, v, p.id, p.lo, p.hi)
			}
			if a, ok := c.vAdd(x, t, j); ok && float64(a)*p.w <= ty.kg-kg+1e-9 && c.leftOf(x, j) >= ty.n*a {
				fail("rule 2/6: basket %s (x%d) could take one more move (%d steps) of %s: %d steps left, %.3f kg free",
					ty.id, ty.n, a, p.id, c.leftOf(x, j), ty.kg-kg)
			}
		}
	}
	for g, gt := range c.types {
		for r, rt := range c.types {
			rg, rr := c.kgOf(x, g)/gt.kg, c.kgOf(x, r)/rt.kg
			if g == r || rg <= rr {
				continue
			}
			for j, p := range c.prods {
				tk, okT := c.vTake(x, g, j)
				ad, okA := c.vAdd(x, r, j)
				if !okT || !okA {
					continue
				}
				if float64(ad)*p.w > rt.kg-c.kgOf(x, r)+1e-9 || c.leftOf(x, j)+gt.n*tk < rt.n*ad {
					continue
				}
				if rg-float64(tk)*p.w/gt.kg >= rr+float64(ad)*p.w/rt.kg-1e-9 {
					fail("rule 3: moving %s from basket %s (%.4f) to %s (%.4f) is fairer", p.id, gt.id, rg, rt.id, rr)
				}
			}
		}
	}
	return bad
}

// shares is rule 10's vector: each counted product's share (baskets' steps /
// steps left after canteens), ascending.
func (c vCat) shares(x [][]int64) []float64 {
	var v []float64
	for j, p := range c.prods {
		if p.counted {
			v = append(v, float64(p.avail-c.leftOf(x, j))/float64(p.avail))
		}
	}
	sort.Float64s(v)
	return v
}

// leximinGreater reports whether a is lexicographically greater than b
// (both ascending, same length).
func leximinGreater(a, b []float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return a[i] > b[i]
		}
	}
	return false
}

// fairerSwap looks for one swap in one type that obeys rules 1 to 6 and gives
// leximin-greater shares, and describes it ("" when none).
func (c vCat) fairerSwap() string {
	base := c.shares(c.x)
	y := make([][]int64, len(c.x))
	for t := range c.x {
		y[t] = append([]int64(nil), c.x[t]...)
	}
	for t := range c.types {
		for a := range c.prods {
			tk, ok := c.vTake(c.x, t, a)
			if !ok {
				continue
			}
			for b := range c.prods {
				if b == a {
					continue
				}
				y[t][a] -= tk
				ad, ok := c.vAdd(y, t, b)
				if ok {
					y[t][b] += ad
					if len(c.rules(y)) == 0 && leximinGreater(c.shares(y), base) {
						return fmt.Sprintf("rule 10: in basket %s, %d steps of %s for %d of %s sell the %s products more alike (%v instead of %v)",
							c.types[t].id, ad, c.prods[b].id, tk, c.prods[a].id, c.name, c.shares(y), base)
					}
					y[t][b] -= ad
				}
				y[t][a] += tk
			}
		}
	}
	return ""
}

// verifyBaskets checks the plan's basket contents against rules 2, 3, 5, 6
// and 10, category by category.
func verifyBaskets(s Scenario, p Plan) []string {
	cats, extra := planCatsExtra(s, p)
	var bad []string
	for _, c := range cats {
		bad = append(bad, c.rules(c.x)...)
		for j, pr := range c.prods {
			for t, ty := range c.types {
				if _, short := c.shortOf(t, j); short && extra[pr.id] > 0 {
					bad = append(bad, fmt.Sprintf("rule 2: %s goes to extras while basket %s is short of it", pr.id, ty.id))
				}
			}
		}
		if why := c.fairerSwap(); why != "" {
			bad = append(bad, why)
		}
	}
	return bad
}

// planCats rebuilds the plan's basket categories.
func planCats(s Scenario, p Plan) []vCat {
	cats, _ := planCatsExtra(s, p)
	return cats
}

// planCatsExtra rebuilds the plan's basket categories and counts the steps
// extras take of each product.
func planCatsExtra(s Scenario, p Plan) ([]vCat, map[string]int64) {
	outSite, outProd := map[string]bool{}, map[string]bool{}
	for _, u := range p.Unrouted {
		if u.Site != "" {
			outSite[u.Site] = true
		}
		if u.Producer != "" {
			outProd[u.Producer] = true
		}
	}
	step := map[string]float64{}
	for _, pr := range s.Products {
		step[pr.ID] = pr.Step
	}
	supply := map[string]int64{}
	for _, of := range s.Offers {
		if !outProd[of.Producer] {
			supply[of.Product] += int64(math.Floor(of.Quantity/step[of.Product] + 1e-7))
		}
	}
	class := map[string]string{}
	counts := map[string]int64{}
	for _, o := range s.Orders {
		class[o.ID] = o.Class
		if o.Class == ClassBasket && !outSite[o.Site] {
			counts[o.Basket] += int64(o.Count)
		}
	}
	canteen, extra := map[string]int64{}, map[string]int64{}
	for _, a := range p.Allocations {
		switch class[a.Order] {
		case ClassCanteen:
			canteen[a.Product] += int64(math.Round(a.Quantity / step[a.Product]))
		case ClassExtra:
			extra[a.Product] += int64(math.Round(a.Quantity / step[a.Product]))
		}
	}
	content := map[string]map[string]float64{}
	for _, b := range p.Baskets {
		content[b.Basket] = map[string]float64{}
		for _, pq := range b.Contents {
			content[b.Basket][pq.Product] += pq.Quantity
		}
	}
	return buildCats(s, counts, content, supply, canteen), extra
}

// shortOf reports whether type t is short of product j (rule 2): one more
// move of it fits every basket and the supply left before extras has it.
func (c vCat) shortOf(t, j int) (int64, bool) {
	a, ok := c.vAdd(c.x, t, j)
	return a, ok && float64(a)*c.prods[j].w <= c.types[t].kg-c.kgOf(c.x, t)+1e-9 && c.leftOf(c.x, j) >= c.types[t].n*a
}

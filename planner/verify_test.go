package planner_test

// This file is an independent verifier of the planning contract's allocation
// rules (1 to 6, 8 and 9) and of the plan's completeness (shortfalls,
// unsold, summary). It is written from the text of PLANNING.md and shares no
// code with the allocator: it recounts everything from the scenario and the
// plan alone.

import (
	"fmt"
	"math"
	"sort"

	. "paniers/planner"
)

const vEps = 1e-6

// vSteps counts the whole steps in q, on its own (not the allocator's helper).
func vSteps(q, step float64) int64 {
	if q <= 0 {
		return 0
	}
	return int64(math.Floor(q/step + 1e-7))
}

// isMultiple reports whether q is a multiple of step within 1e-6.
func isMultiple(q, step float64) bool {
	k := math.Round(q / step)
	return math.Abs(q-k*step) <= vEps
}

// verifyPlan returns every rule the plan breaks, as readable lines.
func verifyPlan(s Scenario, p Plan) []string {
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }

	if p.Baskets == nil || p.Allocations == nil || p.Shortfalls == nil || p.Unsold == nil || p.Rounds == nil || p.Unrouted == nil {
		fail("a list of the plan is null instead of []")
	}
	prods := map[string]Product{}
	for _, pr := range s.Products {
		prods[pr.ID] = pr
	}
	orders := map[string]Order{}
	for _, o := range s.Orders {
		orders[o.ID] = o
	}
	types := map[string]BasketType{}
	for _, bt := range s.BasketTypes {
		types[bt.ID] = bt
	}
	offer := map[[2]string]float64{}
	for _, of := range s.Offers {
		offer[[2]string{of.Producer, of.Product}] += of.Quantity
	}
	outSite := map[string]string{}
	outProd := map[string]string{}
	for _, u := range p.Unrouted {
		if u.Site != "" {
			outSite[u.Site] = u.Reason
		}
		if u.Producer != "" {
			outProd[u.Producer] = u.Reason
		}
		if u.Reason == "" {
			fail("unrouted %+v has no reason", u)
		}
	}
	takesPart := func(o Order) bool { _, out := outSite[o.Site]; return !out }

	// Rule 1 and 8: every allocation is a step multiple, of an offered
	// product, to an order taking part, within offers and orders.
	soldBy := map[[2]string]float64{}    // producer, product
	gotBy := map[[2]string]float64{}     // order, product
	classTake := map[[2]string]float64{} // class, product
	for _, a := range p.Allocations {
		pr, okP := prods[a.Product]
		o, okO := orders[a.Order]
		if !okP || !okO {
			fail("allocation %+v names an unknown order or product", a)
			continue
		}
		if a.Quantity <= 0 || !isMultiple(a.Quantity, pr.Step) {
			fail("allocation %+v is not a positive multiple of step %g", a, pr.Step)
		}
		if _, ok := offer[[2]string{a.Producer, a.Product}]; !ok {
			fail("allocation %+v: the producer does not offer the product", a)
		}
		if _, out := outProd[a.Producer]; out {
			fail("allocation %+v comes from an unrouted producer", a)
		}
		if !takesPart(o) {
			fail("allocation %+v goes to an unrouted site", a)
		}
		if o.Class != ClassBasket && a.Product != o.Product {
			fail("allocation %+v: order %s asks for %s", a, o.ID, o.Product)
		}
		soldBy[[2]string{a.Producer, a.Product}] += a.Quantity
		gotBy[[2]string{a.Order, a.Product}] += a.Quantity
		classTake[[2]string{o.Class, a.Product}] += a.Quantity
	}
	for k, q := range soldBy {
		if q > offer[k]+vEps {
			fail("rule 1: %s sells %g of %s, offers %g", k[0], q, k[1], offer[k])
		}
	}
	for _, o := range s.Orders {
		if o.Class != ClassBasket && gotBy[[2]string{o.ID, o.Product}] > o.Quantity+vEps {
			fail("rule 1: order %s gets %g, ordered %g", o.ID, gotBy[[2]string{o.ID, o.Product}], o.Quantity)
		}
	}

	// Steps each producer can sell, and what is left of each product.
	capSteps := map[[2]string]int64{}
	supply := map[string]int64{}
	for k, q := range offer {
		if _, out := outProd[k[0]]; out {
			continue
		}
		capSteps[k] = vSteps(q, prods[k[1]].Step)
		supply[k[1]] += capSteps[k]
	}
	stepsOf := func(q float64, pid string) int64 { return int64(math.Round(q / prods[pid].Step)) }
	leftAfterCanteen := map[string]int64{}
	leftAfterBaskets := map[string]int64{}
	leftFinal := map[string]int64{}
	for pid := range prods {
		c := stepsOf(classTake[[2]string{ClassCanteen, pid}], pid)
		b := stepsOf(classTake[[2]string{ClassBasket, pid}], pid)
		e := stepsOf(classTake[[2]string{ClassExtra, pid}], pid)
		leftAfterCanteen[pid] = supply[pid] - c
		leftAfterBaskets[pid] = supply[pid] - c - b
		leftFinal[pid] = supply[pid] - c - b - e
	}

	// Rule 5: basket contents.
	counts := map[string]int64{}
	for _, o := range s.Orders {
		if o.Class == ClassBasket && takesPart(o) {
			counts[o.Basket] += int64(o.Count)
		}
	}
	content := map[string]map[string]float64{} // type -> product -> qty
	for _, b := range p.Baskets {
		bt, ok := types[b.Basket]
		if !ok {
			fail("basket contents for unknown type %s", b.Basket)
			continue
		}
		if content[b.Basket] != nil {
			fail("basket type %s listed twice", b.Basket)
		}
		content[b.Basket] = map[string]float64{}
		for _, pq := range b.Contents {
			pr, ok := prods[pq.Product]
			if !ok {
				fail("basket %s holds unknown product %s", b.Basket, pq.Product)
				continue
			}
			inType := false
			for _, cc := range bt.Contents {
				inType = inType || cc.Category == pr.Category
			}
			if !inType {
				fail("rule 5: basket %s holds %s of category %s it does not have", b.Basket, pq.Product, pr.Category)
			}
			if pq.Quantity <= 0 || !isMultiple(pq.Quantity, pr.Step) {
				fail("rule 5: basket %s holds %g of %s, not a positive multiple of %g", b.Basket, pq.Quantity, pq.Product, pr.Step)
			}
			content[b.Basket][pq.Product] += pq.Quantity
		}
	}
	for id, n := range counts {
		if n > 0 && content[id] == nil {
			fail("rule 5: basket type %s is ordered but has no contents entry", id)
		}
	}
	catKg := func(bt string, cat string) float64 {
		kg := 0.0
		for pid, q := range content[bt] {
			if prods[pid].Category == cat {
				kg += q * prods[pid].KgPerUnit
			}
		}
		return kg
	}
	// Basket orders get exactly count times the contents.
	for _, o := range s.Orders {
		if o.Class != ClassBasket || !takesPart(o) {
			continue
		}
		for pid := range prods {
			want := float64(o.Count) * content[o.Basket][pid]
			if got := gotBy[[2]string{o.ID, pid}]; math.Abs(got-want) > vEps {
				fail("rule 1: basket order %s gets %g of %s, count x contents is %g", o.ID, got, pid, want)
			}
		}
	}
	// Rule 2: priority, and rule 3: fair shortage, for product orders.
	for pid, pr := range prods {
		var canteenShort bool
		for _, o := range s.Orders {
			if o.Class == ClassCanteen && o.Product == pid && takesPart(o) &&
				gotBy[[2]string{o.ID, pid}] <= o.Quantity-pr.Step+vEps {
				canteenShort = true
			}
		}
		if canteenShort && (classTake[[2]string{ClassBasket, pid}] > 0 || classTake[[2]string{ClassExtra, pid}] > 0) {
			fail("rule 2: %s goes to baskets or extras while a canteen is short of it", pid)
		}
		for _, class := range []string{ClassCanteen, ClassExtra} {
			var list []Order
			for _, o := range s.Orders {
				if o.Class == class && o.Product == pid && takesPart(o) {
					list = append(list, o)
				}
			}
			for _, gi := range list {
				for _, ti := range list {
					g, t := gotBy[[2]string{gi.ID, pid}], gotBy[[2]string{ti.ID, pid}]
					if gi.ID == ti.ID || g/gi.Quantity <= t/ti.Quantity || t+pr.Step > ti.Quantity+vEps {
						continue
					}
					if (g-pr.Step)/gi.Quantity >= (t+pr.Step)/ti.Quantity-1e-12 {
						fail("rule 3: moving a step of %s from %s (%g/%g) to %s (%g/%g) is fairer",
							pid, gi.ID, g, gi.Quantity, ti.ID, t, ti.Quantity)
					}
				}
			}
		}
	}

	// Rule 4: fair sales among the producers taking part.
	byProduct := map[string][][2]string{}
	for k := range capSteps {
		byProduct[k[1]] = append(byProduct[k[1]], k)
	}
	for pid, list := range byProduct {
		for _, g := range list {
			for _, t := range list {
				cg, ct := capSteps[g], capSteps[t]
				if g == t || cg == 0 || ct == 0 {
					continue
				}
				sg, st := stepsOf(soldBy[g], pid), stepsOf(soldBy[t], pid)
				if st+1 > ct {
					continue
				}
				if float64(sg)/float64(cg) > float64(st)/float64(ct) &&
					float64(sg-1)/float64(cg) >= float64(st+1)/float64(ct)-1e-12 {
					fail("rule 4: %s sells %d/%d steps of %s, %s %d/%d", g[0], sg, cg, pid, t[0], st, ct)
				}
			}
		}
	}

	// Rule 6: nothing wasted.
	for pid, pr := range prods {
		if leftFinal[pid] < 1 {
			continue
		}
		for _, o := range s.Orders {
			if o.Class != ClassBasket && o.Product == pid && takesPart(o) &&
				gotBy[[2]string{o.ID, pid}]+pr.Step <= o.Quantity+vEps {
				fail("rule 6: %d steps of %s unsold while order %s could take one", leftFinal[pid], pid, o.ID)
			}
		}
	}

	// Rules 2, 3, 5, 6 and 10 for the basket contents.
	bad = append(bad, verifyBaskets(s, p)...)

	// Each basket's value: its type's allocations at their offers' prices,
	// per basket, rounded to the cent; its price: the type's.
	price := map[[2]string]int64{}
	for _, of := range s.Offers {
		price[[2]string{of.Producer, of.Product}] = of.PriceCents
	}
	worth := map[string]float64{}
	for _, a := range p.Allocations {
		if o := orders[a.Order]; o.Class == ClassBasket {
			worth[o.Basket] += a.Quantity * float64(price[[2]string{a.Producer, a.Product}])
		}
	}
	for _, b := range p.Baskets {
		if n := counts[b.Basket]; n > 0 && math.Abs(float64(b.ValueCents)-worth[b.Basket]/float64(n)) > 0.5+1e-6 {
			fail("basket %s is worth %d cents, its allocations give %.2f", b.Basket, b.ValueCents, worth[b.Basket]/float64(n))
		}
		if b.PriceCents != types[b.Basket].PriceCents {
			fail("basket %s has price %d, its type %d", b.Basket, b.PriceCents, types[b.Basket].PriceCents)
		}
	}

	// Shortfalls: exactly the orders and basket categories short by a step.
	type sfKey struct{ order, product, category string }
	listed := map[sfKey]Shortfall{}
	for _, sf := range p.Shortfalls {
		k := sfKey{sf.Order, sf.Product, sf.Category}
		if _, dup := listed[k]; dup {
			fail("shortfall %v listed twice", k)
		}
		listed[k] = sf
		if sf.Reason == "" {
			fail("shortfall %v has no reason", k)
		}
	}
	lightest := map[string]float64{}
	for _, pr := range s.Products {
		w := pr.Step * pr.KgPerUnit
		if l, ok := lightest[pr.Category]; !ok || w < l {
			lightest[pr.Category] = w
		}
	}
	for _, o := range s.Orders {
		if o.Class != ClassBasket {
			pr := prods[o.Product]
			got := gotBy[[2]string{o.ID, o.Product}]
			sf, ok := listed[sfKey{o.ID, o.Product, ""}]
			delete(listed, sfKey{o.ID, o.Product, ""})
			short := o.Quantity-got >= pr.Step-vEps
			switch {
			case short && !ok:
				fail("order %s is short (%g of %g) without a shortfall", o.ID, got, o.Quantity)
			case !short && ok:
				fail("order %s is not short but has a shortfall", o.ID)
			case ok && (sf.Ordered == nil || sf.Allocated == nil || math.Abs(*sf.Ordered-o.Quantity) > vEps || math.Abs(*sf.Allocated-got) > vEps):
				fail("shortfall of %s has wrong figures", o.ID)
			}
			continue
		}
		for _, cc := range types[o.Basket].Contents {
			have := 0.0
			if takesPart(o) {
				have = catKg(o.Basket, cc.Category)
			}
			step, known := lightest[cc.Category]
			gap := cc.Kg - have
			short := known && gap >= step-vEps || !known && gap > vEps
			k := sfKey{o.ID, "", cc.Category}
			sf, ok := listed[k]
			delete(listed, k)
			switch {
			case short && !ok:
				fail("basket order %s is short of %s (%g of %g kg) without a shortfall", o.ID, cc.Category, have, cc.Kg)
			case !short && ok:
				fail("basket order %s is not short of %s but has a shortfall", o.ID, cc.Category)
			case ok && (sf.OrderedKg == nil || sf.AllocatedKg == nil || sf.Basket != o.Basket ||
				math.Abs(*sf.OrderedKg-float64(o.Count)*cc.Kg) > vEps || math.Abs(*sf.AllocatedKg-float64(o.Count)*have) > vEps):
				fail("basket shortfall of %s/%s has wrong figures", o.ID, cc.Category)
			}
		}
	}
	for k := range listed {
		fail("shortfall %v matches no order", k)
	}

	// Unsold: every remainder of at least a step, with the right quantity.
	unsold := map[[2]string]float64{}
	for _, u := range p.Unsold {
		k := [2]string{u.Producer, u.Product}
		if _, dup := unsold[k]; dup {
			fail("unsold %v listed twice", k)
		}
		unsold[k] = u.Quantity
		if _, out := outProd[u.Producer]; out && u.Reason == "" {
			fail("unsold %v of an unrouted producer has no reason", k)
		}
	}
	for k, q := range offer {
		rest := q - soldBy[k]
		got, ok := unsold[k]
		delete(unsold, k)
		isRest := rest >= prods[k[1]].Step-vEps
		switch {
		case isRest && !ok:
			fail("%g of %s from %s unsold but not listed", rest, k[1], k[0])
		case !isRest && ok:
			fail("unsold %v listed but only %g is left", k, rest)
		case ok && math.Abs(got-rest) > vEps:
			fail("unsold %v is %g, should be %g", k, got, rest)
		}
	}
	for k := range unsold {
		fail("unsold %v matches no offer", k)
	}

	// Summary fill rates by weight.
	ordered := map[string]float64{}
	got := map[string]float64{}
	for _, o := range s.Orders {
		if o.Class == ClassBasket {
			for _, cc := range types[o.Basket].Contents {
				ordered[o.Class] += float64(o.Count) * cc.Kg
				if takesPart(o) {
					got[o.Class] += float64(o.Count) * catKg(o.Basket, cc.Category)
				}
			}
			continue
		}
		ordered[o.Class] += o.Quantity * prods[o.Product].KgPerUnit
		got[o.Class] += gotBy[[2]string{o.ID, o.Product}] * prods[o.Product].KgPerUnit
	}
	for _, class := range []string{ClassCanteen, ClassBasket, ClassExtra} {
		r, ok := p.Summary.FillRate[class]
		w, has := ordered[class]
		switch {
		case has && !ok:
			fail("fill rate of %s missing", class)
		case !has && ok:
			fail("fill rate of %s present without orders", class)
		case has && math.Abs(r-got[class]/w) > 1e-4:
			fail("fill rate of %s is %g, should be %g", class, r, got[class]/w)
		}
	}
	if len(p.Summary.FillRate) > len(ordered) {
		fail("fill rate has unknown classes: %v", p.Summary.FillRate)
	}
	sort.Strings(bad)
	return bad
}

// basketCategories lists the categories of the scenario's basket types.
func basketCategories(s Scenario) []string {
	seen := map[string]bool{}
	var out []string
	for _, bt := range s.BasketTypes {
		for _, cc := range bt.Contents {
			if !seen[cc.Category] {
				seen[cc.Category] = true
				out = append(out, cc.Category)
			}
		}
	}
	sort.Strings(out)
	return out
}

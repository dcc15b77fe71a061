package planner

import (
	"sort"
)

// exclusions are the sites and producers that take no part in the
// allocation (rule 8), each with the reason shown on its shortfalls and unsold.
type exclusions struct {
	sites     map[string]string
	producers map[string]string
}

// prodState is one product during an allocation, counted in steps.
type prodState struct {
	p      *Product
	w      float64 // kg in one step
	offers []offerState
	supply int64 // steps offered by the producers taking part
	left   int64 // steps not yet allocated

	canteenDemand, extraDemand int64 // steps ordered by orders taking part
	afterCanteen               int64 // steps left once canteens are served
	bmin, bmax                 int64 // basket_min and basket_max in steps
	// counted is true when some ordered basket type could hold the product
	// (count x basket_min left for it, within its kg): rule 10 counts it.
	counted       bool
	ordered       bool // some order (or basket category) wants it
	productOrders []*orderState
}

// offerState is one producer's offer of one product.
type offerState struct {
	producer string
	qty      float64
	cap      int64 // whole steps the producer can sell
	sold     int64
	key      uint64
	price    int64 // price_cents per unit
}

// orderState is a canteen or extra order during an allocation.
type orderState struct {
	o      *Order
	ps     *prodState
	demand int64 // whole steps ordered
	got    int64
	key    uint64
	excl   string // reason when its site takes no part
}

// basketState is a basket type with the orders taking part.
type basketState struct {
	bt     *BasketType
	count  int64 // baskets ordered by the orders taking part
	orders []*Order
	// per category, the steps of each product in one basket
	content map[string]map[string]int64
	kg      map[string]float64 // content kg per basket, per category
}

// allocation holds everything an allocation decided, before it is written
// out as a plan.
type allocation struct {
	s        *Scenario
	opt      Options
	ex       exclusions
	prods    map[string]*prodState
	prodIDs  []string
	orders   []*orderState // canteen and extra orders, by id
	baskets  map[string]*basketState
	basketID []string
	catInfo  map[string]*categoryInfo
}

// categoryInfo keeps what the basket phase saw of a category, for reasons.
type categoryInfo struct {
	availKg  float64 // weight left after canteens
	demandKg float64 // weight asked by the basket orders taking part
	minStep  float64 // lightest step of the category's products (0 if none)
	hasProd  bool
}

// allocate decides who gets what (rules 1 to 6): canteens first, then the
// basket contents, then extras, then the split of each product's sales among
// its producers. Sites and producers in ex take no part.
func allocate(s *Scenario, ex exclusions, opt Options) *allocation {
	a := &allocation{
		s: s, opt: opt, ex: ex,
		prods:   make(map[string]*prodState, len(s.Products)),
		baskets: make(map[string]*basketState, len(s.BasketTypes)),
		catInfo: map[string]*categoryInfo{},
	}
	for i := range s.Products {
		p := &s.Products[i]
		lo, hi := portionSteps(p)
		a.prods[p.ID] = &prodState{p: p, w: p.Step * p.KgPerUnit, bmin: lo, bmax: hi}
		a.prodIDs = append(a.prodIDs, p.ID)
		ci := a.category(p.Category)
		ci.hasProd = true
		if w := p.Step * p.KgPerUnit; ci.minStep == 0 || w < ci.minStep {
			ci.minStep = w
		}
	}
	sort.Strings(a.prodIDs)
	for i := range s.Offers {
		of := &s.Offers[i]
		ps := a.prods[of.Product]
		if _, out := ex.producers[of.Producer]; out {
			continue
		}
		c := toSteps(of.Quantity, ps.p.Step)
		ps.offers = append(ps.offers, offerState{
			producer: of.Producer, qty: of.Quantity, cap: c, price: of.PriceCents,
			key: tieKey(opt.Seed, s.Week, "producer", of.Producer, of.Product),
		})
		ps.supply += c
	}
	for _, ps := range a.prods {
		sort.Slice(ps.offers, func(i, j int) bool { return ps.offers[i].producer < ps.offers[j].producer })
		ps.left = ps.supply
	}
	for i := range s.BasketTypes {
		bt := &s.BasketTypes[i]
		a.baskets[bt.ID] = &basketState{bt: bt, content: map[string]map[string]int64{}, kg: map[string]float64{}}
		a.basketID = append(a.basketID, bt.ID)
		for _, cc := range bt.Contents {
			a.category(cc.Category)
		}
	}
	sort.Strings(a.basketID)
	basketCats := map[string]bool{} // categories some basket order asks for
	for i := range s.Orders {
		o := &s.Orders[i]
		reason, out := ex.sites[o.Site]
		switch o.Class {
		case ClassBasket:
			b := a.baskets[o.Basket]
			for _, cc := range b.bt.Contents {
				basketCats[cc.Category] = true
			}
			if !out {
				b.count += int64(o.Count)
				b.orders = append(b.orders, o)
			}
		default:
			ps := a.prods[o.Product]
			ps.ordered = true
			ord := &orderState{o: o, ps: ps, demand: toSteps(o.Quantity, ps.p.Step),
				key: tieKey(opt.Seed, s.Week, "order", o.ID)}
			if out {
				ord.excl = reason
				if ord.excl == "" {
					ord.excl = "-"
				}
			} else {
				ps.productOrders = append(ps.productOrders, ord)
				if o.Class == ClassCanteen {
					ps.canteenDemand += ord.demand
				} else {
					ps.extraDemand += ord.demand
				}
			}
			a.orders = append(a.orders, ord)
		}
	}
	for _, ps := range a.prods {
		if basketCats[ps.p.Category] {
			ps.ordered = true
		}
	}
	sort.Slice(a.orders, func(i, j int) bool { return a.orders[i].o.ID < a.orders[j].o.ID })
	for _, id := range a.prodIDs {
		ps := a.prods[id]
		sort.Slice(ps.productOrders, func(i, j int) bool { return ps.productOrders[i].o.ID < ps.productOrders[j].o.ID })
	}

	a.serveClass(ClassCanteen)
	for _, id := range a.prodIDs {
		a.prods[id].afterCanteen = a.prods[id].left
	}
	a.fillBaskets()
	a.serveClass(ClassExtra)
	a.splitProducers()
	return a
}

func (a *allocation) category(c string) *categoryInfo {
	ci := a.catInfo[c]
	if ci == nil {
		ci = &categoryInfo{}
		a.catInfo[c] = ci
	}
	return ci
}

// serveClass gives each product's remaining supply to the orders of one
// class that want it, at the same fill ratio (rules 2 and 3).
func (a *allocation) serveClass(class string) {
	for _, id := range a.prodIDs {
		ps := a.prods[id]
		var caps []int64
		var keys []uint64
		var idx []*orderState
		for _, ord := range ps.productOrders {
			if ord.o.Class != class {
				continue
			}
			caps = append(caps, ord.demand)
			keys = append(keys, ord.key)
			idx = append(idx, ord)
		}
		if len(idx) == 0 {
			continue
		}
		got := fairSplit(ps.left, caps, keys)
		for i, ord := range idx {
			ord.got = got[i]
			ps.left -= got[i]
		}
	}
}

// splitProducers shares each product's sales among its producers so that
// each sells the same share of its offer (rule 4).
func (a *allocation) splitProducers() {
	for _, id := range a.prodIDs {
		ps := a.prods[id]
		sold := ps.supply - ps.left
		caps := make([]int64, len(ps.offers))
		keys := make([]uint64, len(ps.offers))
		for i, of := range ps.offers {
			caps[i], keys[i] = of.cap, of.key
		}
		got := fairSplit(sold, caps, keys)
		for i := range ps.offers {
			ps.offers[i].sold = got[i]
		}
	}
}

// kgClose is the tolerance on weights (kg) compared in float.
const kgClose = 1e-9

// fillBaskets decides the basket contents category by category (rules 2, 3,
// 5, 6 and 10, see fillCategory).
func (a *allocation) fillBaskets() {
	cats := make([]string, 0, len(a.catInfo))
	for c := range a.catInfo {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		var prods []*prodState
		for _, id := range a.prodIDs {
			if ps := a.prods[id]; ps.p.Category == c {
				prods = append(prods, ps)
			}
		}
		var slots []*basketSlot
		for _, id := range a.basketID {
			b := a.baskets[id]
			if b.count == 0 {
				continue
			}
			for _, cc := range b.bt.Contents {
				if cc.Category != c {
					continue
				}
				maxP := cc.MaxProducts
				if maxP <= 0 || maxP > len(prods) {
					maxP = len(prods)
				}
				slots = append(slots, &basketSlot{
					b: b, n: b.count, kg: cc.Kg, min: cc.MinProducts, maxP: maxP,
					key: tieKey(a.opt.Seed, a.s.Week, "basket", id, c),
					x:   make([]int64, len(prods)),
				})
			}
		}
		ci := a.catInfo[c]
		for _, ps := range prods {
			ci.availKg += float64(ps.left) * ps.w
		}
		for _, t := range slots {
			ci.demandKg += float64(t.n) * t.kg
		}
		if len(slots) == 0 {
			continue
		}
		fillCategory(slots, prods)
		for _, t := range slots {
			m := map[string]int64{}
			kg := 0.0
			for i, v := range t.x {
				if v > 0 {
					m[prods[i].p.ID] = v
					kg += float64(v) * prods[i].w
				}
			}
			t.b.content[c] = m
			t.b.kg[c] = kg
		}
	}
}

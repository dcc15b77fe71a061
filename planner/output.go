package planner

import (
	"cmp"
	"math"
	"slices"
)

// write turns an allocation into the plan's allocation part: baskets,
// allocations, shortfalls, unsold and fill rates, each sorted so that the
// plan is the same byte for byte on every run (rule 9).
func (a *allocation) write() Plan {
	l := lang(a.opt)
	p := Plan{
		Week:       a.s.Week,
		Shortfalls: []Shortfall{},
		Rounds:     []Round{},
		Unrouted:   []Unrouted{},
		Summary:    Summary{FillRate: map[string]float64{}},
	}
	var value []float64
	p.Allocations, value = a.writeAllocations()
	p.Baskets = a.writeBaskets(value)
	ordered := map[string]float64{}
	allocated := map[string]float64{}
	p.Shortfalls = a.productShortfalls(l, p.Shortfalls, ordered, allocated)
	p.Shortfalls = a.basketShortfalls(l, p.Shortfalls, ordered, allocated)
	slices.SortFunc(p.Shortfalls, func(x, y Shortfall) int {
		return cmp.Or(cmp.Compare(x.Order, y.Order), cmp.Compare(x.Product, y.Product), cmp.Compare(x.Category, y.Category))
	})
	p.Unsold = a.writeUnsold(l)
	for class, w := range ordered {
		if w > 0 {
			p.Summary.FillRate[class] = clean(roundTo(allocated[class]/w, 4))
		}
	}
	return p
}

// writeBaskets lists the contents of every ordered type, with one basket's
// value (value[i] is what all baskets of a.basketID[i] are worth, in cents)
// and the type's price.
func (a *allocation) writeBaskets(value []float64) []BasketContents {
	out := []BasketContents{}
	for bi, id := range a.basketID {
		b := a.baskets[id]
		if b.count == 0 {
			continue
		}
		bc := BasketContents{Basket: id, Contents: []ProductQuantity{}, PriceCents: b.bt.PriceCents,
			ValueCents: int64(math.Round(value[bi] / float64(b.count)))}
		for _, pid := range a.prodIDs {
			ps := a.prods[pid]
			if n := b.content[ps.p.Category][pid]; n > 0 {
				bc.Contents = append(bc.Contents, ProductQuantity{Product: pid, Quantity: stepsQty(n, ps.p.Step)})
			}
		}
		out = append(out, bc)
	}
	return out
}

// writeAllocations hands each product's sales, producer by producer, to its
// orders in id order, and returns the lines sorted by order (then product,
// then producer) with the value in cents of what each basket type gets, by
// index in a.basketID.
func (a *allocation) writeAllocations() ([]Allocation, []float64) {
	type need struct {
		order string
		steps int64
		b     int // index in a.basketID of a basket order, else -1
	}
	value := make([]float64, len(a.basketID))
	// Allocations are gathered per order (orders by id, products by id,
	// producers by id within a product), so no sort of the whole list is
	// needed.
	rank := make(map[string]int, len(a.s.Orders))
	ids := make([]string, 0, len(a.s.Orders))
	for i := range a.s.Orders {
		ids = append(ids, a.s.Orders[i].ID)
	}
	slices.Sort(ids)
	for i, id := range ids {
		rank[id] = i
	}
	var lines []Allocation
	var lineRank []int32
	// Basket orders taking part, by id, to merge with each product's orders
	// (already by id) without sorting per product.
	type basketOrder struct {
		o *Order
		b int // index in a.basketID
	}
	var basketOrders []basketOrder
	for bi, bid := range a.basketID {
		for _, o := range a.baskets[bid].orders {
			basketOrders = append(basketOrders, basketOrder{o, bi})
		}
	}
	slices.SortFunc(basketOrders, func(x, y basketOrder) int { return cmp.Compare(x.o.ID, y.o.ID) })
	var needs []need
	perType := make([]int64, len(a.basketID))
	for _, pid := range a.prodIDs {
		ps := a.prods[pid]
		needs = needs[:0]
		inBaskets := false
		for bi, bid := range a.basketID {
			perType[bi] = a.baskets[bid].content[ps.p.Category][pid]
			inBaskets = inBaskets || perType[bi] > 0
		}
		bos := basketOrders
		if !inBaskets {
			bos = nil
		}
		po := ps.productOrders
		i := 0
		for _, bo := range bos {
			o := bo.o
			n := perType[bo.b]
			if n == 0 {
				continue
			}
			for ; i < len(po) && po[i].o.ID < o.ID; i++ {
				if po[i].got > 0 {
					needs = append(needs, need{po[i].o.ID, po[i].got, -1})
				}
			}
			needs = append(needs, need{o.ID, n * int64(o.Count), bo.b})
		}
		for ; i < len(po); i++ {
			if po[i].got > 0 {
				needs = append(needs, need{po[i].o.ID, po[i].got, -1})
			}
		}
		oi := 0
		for _, of := range ps.offers {
			left := of.sold
			for left > 0 && oi < len(needs) {
				take := min(left, needs[oi].steps)
				q := stepsQty(take, ps.p.Step)
				lines = append(lines, Allocation{Order: needs[oi].order, Producer: of.producer, Product: pid, Quantity: q})
				lineRank = append(lineRank, int32(rank[needs[oi].order]))
				if b := needs[oi].b; b >= 0 {
					value[b] += q * float64(of.price)
				}
				left -= take
				needs[oi].steps -= take
				if needs[oi].steps == 0 {
					oi++
				}
			}
		}
	}
	// A stable counting sort by order rank: lines of one order keep their
	// product, then producer, order.
	start := make([]int, len(ids)+1)
	for _, r := range lineRank {
		start[r+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	out := make([]Allocation, len(lines))
	for i, r := range lineRank {
		out[start[r]] = lines[i]
		start[r]++
	}
	return out, value
}

// productShortfalls appends the canteen and extra orders short by a step,
// with their reasons, and counts the classes' ordered and allocated kg.
func (a *allocation) productShortfalls(l string, out []Shortfall, ordered, allocated map[string]float64) []Shortfall {
	for _, ord := range a.orders {
		ps := ord.ps
		ordered[ord.o.Class] += ord.o.Quantity * ps.p.KgPerUnit
		allocated[ord.o.Class] += float64(ord.got) * ps.w
		if ord.demand-ord.got < 1 {
			continue
		}
		var why string
		switch {
		case ord.excl != "":
			why = reasonExcluded(l, ord.excl)
		case ps.supply == 0:
			why = reasonNoOffer(l)
		case ord.o.Class == ClassCanteen:
			why = reasonCanteenShort(l, offered(ps), float64(ps.canteenDemand)*ps.p.Step, ps.p.Unit)
		default:
			taken := float64(ps.supply-ps.afterCanteen) * ps.p.Step
			for _, bid := range a.basketID {
				b := a.baskets[bid]
				taken += float64(b.content[ps.p.Category][ps.p.ID]*b.count) * ps.p.Step
			}
			why = reasonExtraShort(l, offered(ps), taken, float64(ps.extraDemand)*ps.p.Step, ps.p.Unit)
		}
		want, got := clean(ord.o.Quantity), stepsQty(ord.got, ps.p.Step)
		out = append(out, Shortfall{
			Order: ord.o.ID, Product: ps.p.ID, Ordered: &want, Allocated: &got, Reason: why,
		})
	}
	return out
}

// basketShortfalls appends the basket orders' categories short by a step,
// with their reasons, and counts the basket class's ordered and allocated
// kg. The reason is the same for every order of a type and category (and
// exclusion), so it is written once.
func (a *allocation) basketShortfalls(l string, out []Shortfall, ordered, allocated map[string]float64) []Shortfall {
	reasons := map[[3]string]string{}
	for i := range a.s.Orders {
		o := &a.s.Orders[i]
		if o.Class != ClassBasket {
			continue
		}
		b := a.baskets[o.Basket]
		excl, out0 := a.ex.sites[o.Site]
		n := float64(o.Count)
		for _, cc := range b.bt.Contents {
			have := 0.0
			if !out0 {
				have = b.kg[cc.Category]
			}
			ordered[ClassBasket] += n * cc.Kg
			allocated[ClassBasket] += n * have
			ci := a.catInfo[cc.Category]
			gap := cc.Kg - have
			if ci.minStep > 0 && gap < ci.minStep-kgClose || ci.minStep == 0 && gap <= kgClose {
				continue
			}
			key := [3]string{b.bt.ID, cc.Category, ""}
			if out0 {
				key[2] = "out:" + excl
			}
			why, seen := reasons[key]
			switch {
			case seen:
			case out0:
				why = reasonExcluded(l, excl)
			case ci.availKg <= kgClose:
				why = reasonBasketNoProduct(l, cc.Category)
			case ci.availKg < ci.demandKg-kgClose:
				why = reasonBasketShort(l, cc.Category, ci.availKg, ci.demandKg)
			default:
				why = reasonBasketRounding(l, cc.Category, b.count, gap)
			}
			reasons[key] = why
			okg, akg := clean(n*cc.Kg), clean(n*have)
			out = append(out, Shortfall{
				Order: o.ID, Basket: b.bt.ID, Category: cc.Category,
				OrderedKg: &okg, AllocatedKg: &akg, Reason: why,
			})
		}
	}
	return out
}

// writeUnsold lists what each producer taking part did not sell, and the
// whole offer of a producer left out of the rounds, each with its reason.
func (a *allocation) writeUnsold(l string) []Unsold {
	out := []Unsold{}
	for i := range a.s.Offers {
		of := &a.s.Offers[i]
		ps := a.prods[of.Product]
		if excl, isOut := a.ex.producers[of.Producer]; isOut {
			if toSteps(of.Quantity, ps.p.Step) >= 1 {
				out = append(out, Unsold{Producer: of.Producer, Product: of.Product,
					Quantity: clean(of.Quantity), Reason: reasonExcluded(l, excl)})
			}
		}
	}
	for _, pid := range a.prodIDs {
		ps := a.prods[pid]
		for _, of := range ps.offers {
			rest := of.qty - float64(of.sold)*ps.p.Step
			if toSteps(rest, ps.p.Step) < 1 {
				continue
			}
			why := reasonDemandMet(l)
			switch {
			case !ps.ordered:
				why = reasonNobodyOrdered(l)
			case a.basketRoomFor(ps):
				why = reasonTooLittleForBaskets(l)
			}
			out = append(out, Unsold{Producer: of.producer, Product: pid,
				Quantity: clean(rest), Reason: why})
		}
	}
	slices.SortFunc(out, func(x, y Unsold) int {
		return cmp.Or(cmp.Compare(x.Producer, y.Producer), cmp.Compare(x.Product, y.Product))
	})
	return out
}

// offered is the quantity of a product its producers taking part offer.
func offered(ps *prodState) float64 {
	t := 0.0
	for _, of := range ps.offers {
		t += of.qty
	}
	return t
}

// basketRoomFor reports whether some ordered basket type still has room for
// one more move of the product (one step, or its basket_min when the type
// does not hold it yet) within its kg, basket_max and max_products, so that
// what is left is too little for all of its baskets.
func (a *allocation) basketRoomFor(ps *prodState) bool {
	for _, bid := range a.basketID {
		b := a.baskets[bid]
		if b.count == 0 {
			continue
		}
		for _, cc := range b.bt.Contents {
			if cc.Category != ps.p.Category {
				continue
			}
			held := b.content[cc.Category][ps.p.ID]
			add := int64(1)
			if held == 0 {
				add = ps.bmin
				if cc.MaxProducts > 0 && len(b.content[cc.Category]) >= cc.MaxProducts {
					continue
				}
			}
			if held+add <= ps.bmax && cc.Kg-b.kg[cc.Category] >= float64(add)*ps.w-kgClose {
				return true
			}
		}
	}
	return false
}

// roundTo rounds x to d decimals.
func roundTo(x float64, d int) float64 {
	f := 1.0
	for range d {
		f *= 10
	}
	return float64(int64(x*f+0.5)) / f
}

package routing

import (
	"math"
	"math/rand"
)

// lsRoute is a route under local search, with its prefix and suffix
// summaries for O(1) evaluation of moves that cut it in two places.
type lsRoute struct {
	nodes []int
	pre   []seg // pre[k]: depot then nodes[:k]; len(nodes)+1 entries
	suf   []seg // suf[k]: nodes[k:] without the depot; valid for k < len(nodes)
	sufD  []seg // sufD[k]: nodes[k:] then the route's own end depot
	cost  float64
	dist  float64
	// whenModified and whenSwapStar are move counters: the last change of
	// the route and its last SWAP* exploration.
	whenModified, whenSwapStar int
}

// localSearch is the education step of the genetic search: a granular
// local search (relocate, swap, 2-opt, 2-opt*, SWAP*) on penalised costs.
type localSearch struct {
	in     *instance
	dist   []float64 // in.dist
	size   int       // in.size
	rng    *rand.Rand
	pen    penalties
	routes []lsRoute
	route  []int // route slot per customer
	pos    []int // position in its route per customer
	tested []int // move counter at the last relocate/swap test per customer
	order  []int
	neigh  [][]int
	moves  int
	// stop, when set, aborts a run early (time limit, cancellation); the
	// routes stay valid, only less improved.
	stop func() bool
	// useBin allows moves into the bin of unassigned customers.
	useBin bool
	// scratch
	close        []bool
	bestU, bestV []*[3]insertion
	gainV        []float64
	// insCache caches, per customer and route, the three cheapest
	// insertions (SWAP*), valid while the route is unchanged.
	insCache [][]cachedInsertions // per route slot, allocated on first use
	gen      int                  // incremented by each load, to invalidate the cache
}

func newLocalSearch(in *instance, rng *rand.Rand) *localSearch {
	ls := &localSearch{in: in, rng: rng, dist: in.dist, size: in.size}
	ls.routes = make([]lsRoute, len(in.slotCap))
	ls.route = make([]int, in.size)
	ls.pos = make([]int, in.size)
	ls.tested = make([]int, in.size)
	ls.order = make([]int, in.n)
	for i := range ls.order {
		ls.order[i] = i + 1
	}
	ls.neigh = make([][]int, in.size)
	for i := 1; i <= in.n; i++ {
		ls.neigh[i] = append([]int(nil), in.neigh[i]...)
	}
	ls.close = make([]bool, len(in.slotCap))
	ls.insCache = make([][]cachedInsertions, len(in.slotCap))
	return ls
}

// update recomputes route k's summaries after a change.
func (ls *localSearch) update(k int) {
	in := ls.in
	r := &ls.routes[k]
	L := len(r.nodes)
	if cap(r.pre) < L+1 {
		r.pre = make([]seg, L+1, 2*L+2)
		r.suf = make([]seg, L+1, 2*L+2)
		r.sufD = make([]seg, L+1, 2*L+2)
	}
	r.pre, r.suf, r.sufD = r.pre[:L+1], r.suf[:L+1], r.sufD[:L+1]
	r.pre[0] = in.depotSeg(k)
	for i, c := range r.nodes {
		r.pre[i+1] = in.cat(r.pre[i], in.nodeSeg(c))
		ls.route[c], ls.pos[c] = k, i
	}
	r.sufD[L] = in.depotSeg(k)
	for i := L - 1; i >= 0; i-- {
		ns := in.nodeSeg(r.nodes[i])
		if i == L-1 {
			r.suf[i] = ns
		} else {
			r.suf[i] = in.cat(ns, r.suf[i+1])
		}
		r.sufD[i] = in.cat(ns, r.sufD[i+1])
	}
	whole := in.cat(r.pre[L], in.depotSeg(k))
	r.cost = in.cost(whole, k, ls.pen)
	r.dist = whole.dist
	if k == in.bin {
		r.dist = 0
	}
	r.whenModified = ls.moves
}

// load is the route's total demand.
func (r *lsRoute) load() float64 { return r.pre[len(r.nodes)].load }

// distFrom is the distance from position a (the end depot when a is past
// the last customer) to the end of the route.
func (r *lsRoute) distFrom(a int) float64 {
	if a >= len(r.nodes) {
		return 0
	}
	return r.dist - r.pre[a+1].dist
}

// plain reports whether moves between routes ku and kv can be evaluated
// from distances and loads alone: no time windows and no bin.
func (ls *localSearch) plain(ku, kv int) bool {
	return !ls.in.hasTW && ku != ls.in.bin && kv != ls.in.bin
}

// quick is the penalised cost of a route of slot k without time windows.
func (ls *localSearch) quick(k int, dist, load float64) float64 {
	return dist + ls.loadPenalty(k, load)
}

// builder concatenates pieces of routes into a candidate route of a slot.
type builder struct {
	ls *localSearch
	s  seg
}

func (ls *localSearch) start(k, upto int) builder {
	return builder{ls: ls, s: ls.routes[k].pre[upto]}
}

// node appends customer c.
func (b *builder) node(c int) { b.s = b.ls.in.cat(b.s, b.ls.in.nodeSeg(c)) }

// mid appends positions a..b (inclusive, forward) of route k; nothing when
// a > b.
func (b *builder) mid(k, a, bb int) {
	if a > bb {
		return
	}
	in := b.ls.in
	r := &b.ls.routes[k]
	if !in.hasTW {
		// Distances and loads of a forward piece follow from the prefixes.
		s := seg{first: r.nodes[a], last: r.nodes[bb], count: bb - a + 1,
			dist: r.pre[bb+1].dist - r.pre[a+1].dist,
			load: r.pre[bb+1].load - r.pre[a].load}
		b.s = in.cat(b.s, s)
		return
	}
	if bb == len(r.nodes)-1 {
		b.s = in.cat(b.s, r.suf[a])
		return
	}
	for i := a; i <= bb; i++ {
		b.s = in.cat(b.s, in.nodeSeg(r.nodes[i]))
	}
}

// rev appends positions bb down to a of route k.
func (b *builder) rev(k, a, bb int) {
	r := &b.ls.routes[k]
	for i := bb; i >= a; i-- {
		b.node(r.nodes[i])
	}
}

// tail appends route k from position a to its end, then the depot of slot
// into, and returns the penalised cost of the route in slot into.
func (b *builder) tail(k, a, into int) float64 {
	in := b.ls.in
	r := &b.ls.routes[k]
	if into == k || (in.homogeneous && into != in.bin && k != in.bin) {
		// The end depot's window is the same: one concatenation.
		b.s = in.cat(b.s, r.sufD[a])
		return in.cost(b.s, into, b.ls.pen)
	}
	if a < len(r.nodes) {
		b.s = in.cat(b.s, r.suf[a])
	}
	b.s = in.cat(b.s, in.depotSeg(into))
	return in.cost(b.s, into, b.ls.pen)
}

// load reads individual routes (per slot) into the local search.
func (ls *localSearch) load(routes [][]int, pen penalties) {
	ls.pen = pen
	ls.moves = 0
	ls.gen++
	for k := range ls.routes {
		ls.routes[k].nodes = append(ls.routes[k].nodes[:0], routes[k]...)
		ls.update(k)
		ls.routes[k].whenModified = -1
		ls.routes[k].whenSwapStar = -1
	}
	for i := range ls.tested {
		ls.tested[i] = -1
	}
}

// export writes the routes back, one per slot.
func (ls *localSearch) export(routes [][]int) {
	for k := range ls.routes {
		routes[k] = append(routes[k][:0], ls.routes[k].nodes...)
	}
}

// run improves the loaded routes until no move of the neighbourhoods
// improves the penalised cost.
func (ls *localSearch) run() {
	in := ls.in
	ls.rng.Shuffle(len(ls.order), func(i, j int) { ls.order[i], ls.order[j] = ls.order[j], ls.order[i] })
	for i := 1; i <= in.n; i++ {
		nb := ls.neigh[i]
		ls.rng.Shuffle(len(nb), func(a, b int) { nb[a], nb[b] = nb[b], nb[a] })
	}
	for loop := 0; ; loop++ {
		improved := false
		for _, u := range ls.order {
			if ls.stop != nil && ls.stop() {
				return
			}
			last := ls.tested[u]
			ls.tested[u] = ls.moves
			for _, v := range ls.neigh[u] {
				ru, rv := ls.route[u], ls.route[v]
				if rv == ls.in.bin && (!ls.useBin || ru == rv) {
					continue
				}
				if loop > 0 && max(ls.routes[ru].whenModified, ls.routes[rv].whenModified) <= last {
					continue
				}
				if ls.tryAll(u, rv, ls.pos[v]) {
					improved = true
					continue
				}
				// Insert at the start of v's route when v is first there.
				if ls.pos[v] == 0 && ls.tryAll(u, ls.route[v], -1) {
					improved = true
				}
			}
			if ls.useBin && ls.route[u] != ls.in.bin {
				// Leave u (and its successor) unassigned.
				ku, i := ls.route[u], ls.pos[u]
				if ls.relocate(ku, i, ls.in.bin, -1, 1, false) || ls.relocate(ku, i, ls.in.bin, -1, 2, false) {
					improved = true
				}
			}
			if loop > 0 {
				// Moves into an empty route.
				for k := range ls.routes[:ls.in.bin] {
					if len(ls.routes[k].nodes) == 0 {
						if ls.tryAll(u, k, -1) {
							improved = true
						}
						break
					}
				}
			}
		}
		if ls.swapStarPass(loop) {
			improved = true
		}
		if !improved && loop > 0 && !ls.reslot() {
			return
		}
	}
}

// reslot gives the routes to slots anew by an optimal assignment
// (slotting) and reports whether that lowered the penalised cost. A
// homogeneous fleet has nothing to gain.
func (ls *localSearch) reslot() bool {
	in := ls.in
	if in.homogeneous || len(in.kinds) < 2 {
		return false
	}
	var routes [][]int
	var from []int
	old := 0.0
	for k := range ls.routes[:in.bin] {
		if len(ls.routes[k].nodes) > 0 {
			routes = append(routes, ls.routes[k].nodes)
			from = append(from, k)
			old += ls.routes[k].cost
		}
	}
	slots, total := in.slotting(routes, ls.pen)
	if !improves(total, old) {
		return false
	}
	for _, k := range from {
		ls.routes[k].nodes = nil
	}
	for i, k := range slots {
		ls.routes[k].nodes = routes[i]
	}
	ls.moves++
	for k := range ls.routes[:in.bin] {
		ls.update(k)
	}
	return true
}

// tryAll tries the moves of u towards position j of route kv (j = -1: the
// start depot) and applies the first that improves.
func (ls *localSearch) tryAll(u, kv, j int) bool {
	ku, i := ls.route[u], ls.pos[u]
	if kv == ku && j == i {
		return false
	}
	return ls.relocate(ku, i, kv, j, 1, false) ||
		ls.relocate(ku, i, kv, j, 2, false) ||
		ls.relocate(ku, i, kv, j, 2, true) ||
		(j >= 0 && ls.swap(ku, i, kv, j, 1, 1)) ||
		(j >= 0 && ls.swap(ku, i, kv, j, 2, 1)) ||
		(j >= 0 && ls.swap(ku, i, kv, j, 2, 2)) ||
		ls.twoOpt(ku, i, kv, j) ||
		ls.twoOptReversed(ku, i, kv, j)
}

// at returns route k's customer at position i, or 0 (the depot) outside it.
func (ls *localSearch) at(k, i int) int {
	r := ls.routes[k].nodes
	if i < 0 || i >= len(r) {
		return 0
	}
	return r[i]
}

// d is the distance from a to b (the matrix is cached in the local search
// to spare an indirection in the hottest lookup).
func (ls *localSearch) d(a, b int) float64 { return ls.dist[a*ls.size+b] }

// improves reports whether a new cost is better than an old one by more
// than floating-point noise: huge penalties (fleet mode) make costs large,
// and rounding must not pass for an improvement, or moves would cycle.
func improves(newCost, oldCost float64) bool {
	return newCost < oldCost-1e-10*math.Max(1, math.Abs(oldCost))
}

// filter reports whether a move whose distance change is delta cannot
// improve, whatever it does to the penalties of routes ku and kv. Moves
// involving the bin are never filtered: their distance means nothing there.
func (ls *localSearch) filter(ku, kv int, delta float64) bool {
	if ku == ls.in.bin || kv == ls.in.bin {
		return false
	}
	return delta-ls.penaltyOf(ku)-ls.penaltyOf(kv) >= -eps
}

// penaltyOf is the part of route k's cost that is not distance.
func (ls *localSearch) penaltyOf(k int) float64 { return ls.routes[k].cost - ls.routes[k].dist }

// relocate moves the n (1 or 2) customers from position i of route ku to
// after position j of route kv, reversed when flip is set.
func (ls *localSearch) relocate(ku, i, kv, j, n int, flip bool) bool {
	U := ls.routes[ku].nodes
	if i+n > len(U) {
		return false
	}
	a, z := U[i], U[i+n-1] // first and last moved customers
	p, q := ls.at(ku, i-1), ls.at(ku, i+n)
	v, y := ls.at(kv, j), ls.at(kv, j+1)
	if ku == kv && j >= i-1 && j < i+n {
		// Already in place, or v is one of the moved customers; only the
		// flipped pair right after its predecessor is a real move.
		if !(flip && n == 2 && j == i-1) {
			return false
		}
	}
	first, lastc := a, z
	if flip {
		first, lastc = z, a
	}
	inner := 0.0
	if n == 2 {
		inner = ls.d(first, lastc) - ls.d(a, z)
	}
	var delta float64
	if ku == kv && j == i-1 {
		delta = ls.d(p, first) + inner + ls.d(lastc, q) - ls.d(p, a) - ls.d(z, q)
	} else {
		delta = ls.d(p, q) - ls.d(p, a) - ls.d(z, q) + ls.d(v, first) + inner + ls.d(lastc, y) - ls.d(v, y)
	}
	if ls.filter(ku, kv, delta) {
		return false
	}
	put := func(b *builder) {
		if flip {
			b.node(z)
			b.node(a)
		} else {
			b.node(a)
			if n == 2 {
				b.node(z)
			}
		}
	}
	var newU, newV float64
	switch {
	case ku != kv && ls.plain(ku, kv):
		moved := ls.in.demand[a]
		dU := ls.d(p, q) - ls.d(p, a) - ls.d(z, q)
		dV := ls.d(v, first) + ls.d(lastc, y) - ls.d(v, y)
		if n == 2 {
			moved += ls.in.demand[z]
			dU -= ls.d(a, z)
			dV += ls.d(first, lastc)
		}
		ru, rv := &ls.routes[ku], &ls.routes[kv]
		newU = ls.quick(ku, ru.dist+dU, ru.load()-moved)
		newV = ls.quick(kv, rv.dist+dV, rv.load()+moved)
	case ku != kv:
		bu := ls.start(ku, i)
		newU = bu.tail(ku, i+n, ku)
		if kv != ls.in.bin {
			// Route V costs at least its new distance: skip its exact
			// evaluation when that already rules the move out.
			dV := ls.d(v, first) + ls.d(lastc, y) - ls.d(v, y)
			if n == 2 {
				dV += ls.d(first, lastc)
			}
			if !improves(newU+ls.routes[kv].dist+dV, ls.routes[ku].cost+ls.routes[kv].cost) {
				return false
			}
		}
		bv := ls.start(kv, j+1)
		put(&bv)
		newV = bv.tail(kv, j+1, kv)
	case j < i:
		b := ls.start(ku, j+1)
		put(&b)
		b.mid(ku, j+1, i-1)
		newU = b.tail(ku, i+n, ku)
	default:
		b := ls.start(ku, i)
		b.mid(ku, i+n, j)
		put(&b)
		newU = b.tail(ku, j+1, ku)
	}
	old := ls.routes[ku].cost
	if kv != ku {
		old += ls.routes[kv].cost
	}
	if !improves(newU+newV, old) {
		return false
	}
	var mv [2]int
	moved := mv[:n]
	moved[0] = a
	if n == 2 {
		moved[1] = z
		if flip {
			moved[0], moved[1] = z, a
		}
	}
	if ku != kv {
		ls.routes[ku].nodes = splice(ls.routes[ku].nodes, i, n, nil)
		ls.routes[kv].nodes = splice(ls.routes[kv].nodes, j+1, 0, moved)
	} else {
		r := ls.routes[ku].nodes
		rest := splice(append([]int(nil), r...), i, n, nil)
		at := j + 1
		if j > i {
			at = j + 1 - n
		}
		ls.routes[ku].nodes = splice(rest, at, 0, moved)
	}
	ls.apply(ku, kv)
	return true
}

// splice removes del elements at i and inserts ins there, in place when
// the capacity allows (routes own their slices).
func splice(s []int, i, del int, ins []int) []int {
	old := len(s)
	switch {
	case len(ins) < del:
		copy(s[i+len(ins):], s[i+del:])
		s = s[:old-del+len(ins)]
	case len(ins) > del:
		for k := del; k < len(ins); k++ {
			s = append(s, 0)
		}
		copy(s[i+len(ins):], s[i+del:old])
	}
	copy(s[i:], ins)
	return s
}

// apply records a move on routes ku and kv.
func (ls *localSearch) apply(ku, kv int) {
	ls.moves++
	ls.update(ku)
	if kv != ku {
		ls.update(kv)
	}
}

// swap exchanges nu customers from position i of route ku with nv customers
// from position j of route kv (nu >= nv).
func (ls *localSearch) swap(ku, i, kv, j, nu, nv int) bool {
	U, V := ls.routes[ku].nodes, ls.routes[kv].nodes
	if i+nu > len(U) || j+nv > len(V) {
		return false
	}
	if ku == kv && !(i+nu <= j || j+nv <= i) {
		return false // overlapping blocks
	}
	ua, uz := U[i], U[i+nu-1]
	va, vz := V[j], V[j+nv-1]
	p, q := ls.at(ku, i-1), ls.at(ku, i+nu)
	pv, qv := ls.at(kv, j-1), ls.at(kv, j+nv)
	var delta float64
	if ku == kv && (i+nu == j || j+nv == i) {
		delta = -1 // adjacent blocks: evaluate exactly
	} else {
		delta = ls.d(p, va) + ls.d(vz, q) - ls.d(p, ua) - ls.d(uz, q) +
			ls.d(pv, ua) + ls.d(uz, qv) - ls.d(pv, va) - ls.d(vz, qv)
		if ls.filter(ku, kv, delta) {
			return false
		}
	}
	var newU, newV float64
	if ku != kv && ls.plain(ku, kv) {
		ru, rv := &ls.routes[ku], &ls.routes[kv]
		innerU := ru.pre[i+nu].dist - ru.pre[i+1].dist
		innerV := rv.pre[j+nv].dist - rv.pre[j+1].dist
		loadU := ru.pre[i+nu].load - ru.pre[i].load
		loadV := rv.pre[j+nv].load - rv.pre[j].load
		newU = ls.quick(ku, ru.dist-innerU+innerV+ls.d(p, va)+ls.d(vz, q)-ls.d(p, ua)-ls.d(uz, q), ru.load()-loadU+loadV)
		newV = ls.quick(kv, rv.dist-innerV+innerU+ls.d(pv, ua)+ls.d(uz, qv)-ls.d(pv, va)-ls.d(vz, qv), rv.load()-loadV+loadU)
	} else if ku != kv {
		bu := ls.start(ku, i)
		bu.mid(kv, j, j+nv-1)
		newU = bu.tail(ku, i+nu, ku)
		if ku != ls.in.bin && kv != ls.in.bin {
			rv := &ls.routes[kv]
			innerU := ls.routes[ku].pre[i+nu].dist - ls.routes[ku].pre[i+1].dist
			innerV := rv.pre[j+nv].dist - rv.pre[j+1].dist
			distV := rv.dist - innerV + innerU + ls.d(pv, ua) + ls.d(uz, qv) - ls.d(pv, va) - ls.d(vz, qv)
			if !improves(newU+distV, ls.routes[ku].cost+rv.cost) {
				return false
			}
		}
		bv := ls.start(kv, j)
		bv.mid(ku, i, i+nu-1)
		newV = bv.tail(kv, j+nv, kv)
	} else if i < j {
		b := ls.start(ku, i)
		b.mid(ku, j, j+nv-1)
		b.mid(ku, i+nu, j-1)
		b.mid(ku, i, i+nu-1)
		newU = b.tail(ku, j+nv, ku)
	} else {
		b := ls.start(ku, j)
		b.mid(ku, i, i+nu-1)
		b.mid(ku, j+nv, i-1)
		b.mid(ku, j, j+nv-1)
		newU = b.tail(ku, i+nu, ku)
	}
	old := ls.routes[ku].cost
	if kv != ku {
		old += ls.routes[kv].cost
	}
	if !improves(newU+newV, old) {
		return false
	}
	var bufU, bufV [2]int
	bu := append(bufU[:0], U[i:i+nu]...)
	bv := append(bufV[:0], V[j:j+nv]...)
	if ku != kv {
		ls.routes[ku].nodes = splice(U, i, nu, bv)
		ls.routes[kv].nodes = splice(V, j, nv, bu)
	} else {
		a, b, la, lb := i, j, bu, bv
		if j < i {
			a, b, la, lb = j, i, bv, bu
		}
		r := append([]int(nil), U[:a]...)
		r = append(r, lb...)
		r = append(r, U[a+len(la):b]...)
		r = append(r, la...)
		r = append(r, U[b+len(lb):]...)
		ls.routes[ku].nodes = r
	}
	ls.apply(ku, kv)
	return true
}

// twoOpt tries 2-opt within a route (reverse the path between u's successor
// and v) and 2-opt* between routes (exchange the tails after u and v).
func (ls *localSearch) twoOpt(ku, i, kv, j int) bool {
	if ku == ls.in.bin || kv == ls.in.bin {
		return false
	}
	U, V := ls.routes[ku].nodes, ls.routes[kv].nodes
	u, x := U[i], ls.at(ku, i+1)
	v, y := ls.at(kv, j), ls.at(kv, j+1)
	if ku == kv {
		if j <= i+1 {
			return false
		}
		// u -> v ... x -> y
		delta := ls.d(u, v) + ls.d(x, y) - ls.d(u, x) - ls.d(v, y)
		if !ls.in.symmetric {
			for a := i + 1; a < j; a++ {
				delta += ls.d(U[a+1], U[a]) - ls.d(U[a], U[a+1])
			}
		}
		if delta-ls.penaltyOf(ku) >= -eps {
			return false
		}
		var nu float64
		if ls.plain(ku, ku) {
			nu = ls.quick(ku, ls.routes[ku].dist+delta, ls.routes[ku].load())
		} else {
			b := ls.start(ku, i+1)
			b.rev(ku, i+1, j)
			nu = b.tail(ku, j+1, ku)
		}
		if !improves(nu, ls.routes[ku].cost) {
			return false
		}
		r := append([]int(nil), U...)
		for a, b := i+1, j; a < b; a, b = a+1, b-1 {
			r[a], r[b] = r[b], r[a]
		}
		ls.routes[ku].nodes = r
		ls.apply(ku, ku)
		return true
	}
	// u -> y and v -> x
	delta := ls.d(u, y) + ls.d(v, x) - ls.d(u, x) - ls.d(v, y)
	if delta-ls.penaltyOf(ku)-ls.penaltyOf(kv) >= -eps {
		return false
	}
	var newU, newV float64
	if ls.plain(ku, kv) {
		ru, rv := &ls.routes[ku], &ls.routes[kv]
		newU = ls.quick(ku, ru.pre[i+1].dist+ls.d(u, y)+rv.distFrom(j+1), ru.pre[i+1].load+rv.load()-rv.pre[j+1].load)
		newV = ls.quick(kv, rv.pre[j+1].dist+ls.d(v, x)+ru.distFrom(i+1), rv.pre[j+1].load+ru.load()-ru.pre[i+1].load)
	} else {
		bu := ls.start(ku, i+1)
		newU = bu.tail(kv, j+1, ku)
		bv := ls.start(kv, j+1)
		newV = bv.tail(ku, i+1, kv)
	}
	if !improves(newU+newV, ls.routes[ku].cost+ls.routes[kv].cost) {
		return false
	}
	nu := append(append([]int(nil), U[:i+1]...), V[j+1:]...)
	nv := append(append([]int(nil), V[:j+1]...), U[i+1:]...)
	ls.routes[ku].nodes, ls.routes[kv].nodes = nu, nv
	ls.apply(ku, kv)
	return true
}

// twoOptReversed is the other 2-opt* between routes (move 8 of Vidal
// 2022), for symmetric distances: u is joined to v and x to y, so u's route
// ends with v's route's start reversed, and v's route starts with u's
// route's end reversed.
func (ls *localSearch) twoOptReversed(ku, i, kv, j int) bool {
	if ku == kv || ku == ls.in.bin || kv == ls.in.bin || !ls.in.symmetric {
		return false
	}
	U := ls.routes[ku].nodes
	u, x := U[i], ls.at(ku, i+1)
	v, y := ls.at(kv, j), ls.at(kv, j+1)
	delta := ls.d(u, v) + ls.d(x, y) - ls.d(u, x) - ls.d(v, y)
	if ls.filter(ku, kv, delta) {
		return false
	}
	ru, rv := &ls.routes[ku], &ls.routes[kv]
	var newU, newV float64
	if ls.plain(ku, kv) {
		newU = ls.quick(ku, ru.pre[i+1].dist+ls.d(u, v)+rv.pre[j+1].dist, ru.pre[i+1].load+rv.pre[j+1].load)
		newV = ls.quick(kv, ru.distFrom(i+1)+ls.d(x, y)+rv.distFrom(j+1), ru.load()-ru.pre[i+1].load+rv.load()-rv.pre[j+1].load)
	} else {
		bu := ls.start(ku, i+1)
		bu.rev(kv, 0, j)
		newU = bu.tail(ku, len(U), ku)
		bv := ls.start(kv, 0)
		bv.rev(ku, i+1, len(U)-1)
		newV = bv.tail(kv, j+1, kv)
	}
	if !improves(newU+newV, ru.cost+rv.cost) {
		return false
	}
	V := rv.nodes
	nu := append([]int(nil), U[:i+1]...)
	for k := j; k >= 0; k-- {
		nu = append(nu, V[k])
	}
	nv := make([]int, 0, len(U)-i-1+len(V)-j-1)
	for k := len(U) - 1; k > i; k-- {
		nv = append(nv, U[k])
	}
	nv = append(nv, V[j+1:]...)
	ru.nodes, rv.nodes = nu, nv
	ls.apply(ku, kv)
	return true
}

// loadPenalty is the capacity part of the penalised cost of slot k at a load.
func (ls *localSearch) loadPenalty(k int, load float64) float64 {
	if x := load - ls.in.slotCap[k]; x > eps {
		return ls.pen.load * x
	}
	return 0
}

// swapStarPass runs SWAP* on every pair of routes that changed since the
// last pass and are close: a customer of one is among the few nearest of a
// customer of the other (what the polar sectors of Vidal 2022 capture when
// coordinates are known).
func (ls *localSearch) swapStarPass(loop int) bool {
	improved := false
	for ku := range ls.routes[:ls.in.bin] {
		if len(ls.routes[ku].nodes) == 0 {
			continue
		}
		if ls.stop != nil && ls.stop() {
			return improved
		}
		last := ls.routes[ku].whenSwapStar
		ls.routes[ku].whenSwapStar = ls.moves
		for k := range ls.close {
			ls.close[k] = false
		}
		for _, c := range ls.routes[ku].nodes {
			for _, w := range ls.in.nearest[c] {
				ls.close[ls.route[w]] = true
			}
		}
		for kv := ku + 1; kv < ls.in.bin; kv++ {
			if !ls.close[kv] || len(ls.routes[kv].nodes) == 0 {
				continue
			}
			if loop > 0 && max(ls.routes[ku].whenModified, ls.routes[kv].whenModified) <= last {
				continue
			}
			if ls.swapStar(ku, kv) {
				improved = true
			}
		}
	}
	return improved
}

// insertion is a place to insert a customer: after position pos (-1: the
// start depot) of a route, at a distance cost.
type insertion struct {
	cost float64
	pos  int
}

// top3 keeps the three cheapest insertions of c into route k.
func (ls *localSearch) top3(c, k int, out *[3]insertion) {
	out[0], out[1], out[2] = insertion{math.Inf(1), -2}, insertion{math.Inf(1), -2}, insertion{math.Inf(1), -2}
	r := ls.routes[k].nodes
	prev := 0
	for pos := -1; pos < len(r); pos++ {
		next := 0
		if pos+1 < len(r) {
			next = r[pos+1]
		}
		cost := ls.d(prev, c) + ls.d(c, next) - ls.d(prev, next)
		switch {
		case cost < out[0].cost:
			out[2], out[1], out[0] = out[1], out[0], insertion{cost, pos}
		case cost < out[1].cost:
			out[2], out[1] = out[1], insertion{cost, pos}
		case cost < out[2].cost:
			out[2] = insertion{cost, pos}
		}
		prev = next
	}
}

// cachedInsertions are the three cheapest insertions of a customer into a
// route, computed at a given route version.
type cachedInsertions struct {
	gen, stamp int
	ins        [3]insertion
}

// cachedTop3 returns the three cheapest insertions of c into route k,
// recomputing them only when route k changed.
func (ls *localSearch) cachedTop3(c, k int) *[3]insertion {
	if ls.insCache[k] == nil {
		ls.insCache[k] = make([]cachedInsertions, ls.in.size)
	}
	e := &ls.insCache[k][c]
	if e.gen != ls.gen || e.stamp != ls.routes[k].whenModified {
		ls.top3(c, k, &e.ins)
		e.gen, e.stamp = ls.gen, ls.routes[k].whenModified
	}
	return &e.ins
}

// cheapestWithout is the cheapest insertion of c into route k once the
// customer at position b is removed; pos = -3 means in b's place.
func (ls *localSearch) cheapestWithout(c, k, b int, best *[3]insertion) insertion {
	p, q := ls.at(k, b-1), ls.at(k, b+1)
	res := insertion{ls.d(p, c) + ls.d(c, q) - ls.d(p, q), -3}
	for _, ins := range best {
		if ins.pos == b-1 || ins.pos == b || ins.pos == -2 {
			continue
		}
		if ins.cost < res.cost {
			res = ins
		}
		break
	}
	return res
}

// swapStar applies the best exchange of one customer of route ku with one
// of route kv, each inserted at its best place in the other route (Vidal
// 2022), when it improves the penalised cost.
func (ls *localSearch) swapStar(ku, kv int) bool {
	U, V := ls.routes[ku].nodes, ls.routes[kv].nodes
	if cap(ls.bestU) < len(U) {
		ls.bestU = make([]*[3]insertion, len(U), 2*len(U))
	}
	if cap(ls.bestV) < len(V) {
		ls.bestV = make([]*[3]insertion, len(V), 2*len(V))
	}
	bestU, bestV := ls.bestU[:len(U)], ls.bestV[:len(V)]
	for a, u := range U {
		bestU[a] = ls.cachedTop3(u, kv)
	}
	for b, v := range V {
		bestV[b] = ls.cachedTop3(v, ku)
	}
	// Removal gains of V's customers, computed once.
	if cap(ls.gainV) < len(V) {
		ls.gainV = make([]float64, len(V), 2*len(V))
	}
	gainV := ls.gainV[:len(V)]
	for b, v := range V {
		p, q := ls.at(kv, b-1), ls.at(kv, b+1)
		gainV[b] = ls.d(p, v) + ls.d(v, q) - ls.d(p, q)
	}
	loadU := ls.routes[ku].pre[len(U)].load
	loadV := ls.routes[kv].pre[len(V)].load
	penU, penV := ls.loadPenalty(ku, loadU), ls.loadPenalty(kv, loadV)
	best := -eps
	ba, bb := -1, -1
	var insU, insV insertion
	for a, u := range U {
		p, q := ls.at(ku, a-1), ls.at(ku, a+1)
		gu := ls.d(p, u) + ls.d(u, q) - ls.d(p, q)
		du := ls.in.demand[u]
		for b, v := range V {
			base := -gu - gainV[b]
			if base-penU-penV >= best {
				continue // the penalties cannot fall by more than penU+penV
			}
			dv := ls.in.demand[v]
			base += ls.loadPenalty(ku, loadU-du+dv) - penU + ls.loadPenalty(kv, loadV-dv+du) - penV
			if base >= best {
				continue
			}
			iv := ls.cheapestWithout(u, kv, b, bestU[a])
			iu := ls.cheapestWithout(v, ku, a, bestV[b])
			if t := base + iv.cost + iu.cost; t < best {
				best, ba, bb, insU, insV = t, a, b, iu, iv
			}
		}
	}
	if ba < 0 {
		return false
	}
	newU := rebuild(U, ba, V[bb], insU.pos)
	newV := rebuild(V, bb, U[ba], insV.pos)
	in := ls.in
	cu := in.cost(in.routeSeg(ku, newU), ku, ls.pen)
	cv := in.cost(in.routeSeg(kv, newV), kv, ls.pen)
	if !improves(cu+cv, ls.routes[ku].cost+ls.routes[kv].cost) {
		return false
	}
	ls.routes[ku].nodes, ls.routes[kv].nodes = newU, newV
	ls.apply(ku, kv)
	return true
}

// rebuild returns r without its customer at rm and with c inserted after
// position after (-1: first; -3: in rm's place).
func rebuild(r []int, rm, c, after int) []int {
	out := make([]int, 0, len(r))
	if after == -1 {
		out = append(out, c)
	}
	for k, x := range r {
		if k == rm {
			if after == -3 {
				out = append(out, c)
			}
			continue
		}
		out = append(out, x)
		if k == after {
			out = append(out, c)
		}
	}
	return out
}

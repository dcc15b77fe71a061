package routing

import (
	"math"
	"sort"
)

// granularity is the number of nearest neighbours each customer's moves are
// tried with (Vidal 2022 uses 20 for the CVRP).
const granularity = 20

// nearestCount is the number of nearest customers that make two routes
// close enough to try SWAP* between them.
const nearestCount = 5

// instance is the search's view of a Problem: the customers some vehicle can
// serve on its own, renumbered 1..n, with flat matrices, and the route slots
// (vehicles) the search may fill.
type instance struct {
	n      int   // customers, numbered 1..n
	size   int   // n + 1, the row length of the flat matrices
	orig   []int // internal node -> Problem node (orig[0] = 0)
	dist   []float64
	tt     []float64 // travel times; the same slice as dist when Problem.Time is nil
	demand []float64
	serv   []float64
	ready  []float64
	due    []float64
	hasTW  bool
	// symmetric is true when dist and tt are symmetric, so reversing a path
	// keeps its length.
	symmetric bool

	// Route slots: slot k < bin is driven by Problem vehicle slotVeh[k].
	// Slot bin holds the customers left unassigned, each costing prize;
	// it is used only when the fleet cannot serve everyone.
	bin       int
	prize     float64
	slotVeh   []int
	slotCap   []float64
	slotStart []float64
	slotEnd   []float64
	// homogeneous is true when every slot has the same capacity and shift.
	homogeneous bool
	// kinds groups the slots of identical capacity and shift (slotKinds).
	kinds [][]int

	maxCap, totalDemand, maxDist float64
	// warpCut bounds the time warp of the routes the split considers: the
	// longest shift (infinite without time windows). A route late by more
	// than a whole shift is never worth its penalty, and cutting there
	// spares the split most of its work when loads are light.
	warpCut float64
	neigh   [][]int // correlated customers per customer
	nearest [][]int // the few nearest customers per customer
}

// newInstance builds the search instance from a valid problem; servable[c]
// tells which Problem customers are kept.
func newInstance(p *Problem, keep []int) *instance {
	in := &instance{n: len(keep), size: len(keep) + 1, hasTW: p.hasTime()}
	in.orig = append([]int{0}, keep...)
	N := in.size
	in.dist = make([]float64, N*N)
	in.tt = in.dist
	if p.Time != nil {
		in.tt = make([]float64, N*N)
	}
	in.demand = make([]float64, N)
	in.serv = make([]float64, N)
	in.ready = make([]float64, N)
	in.due = make([]float64, N)
	for i, oi := range in.orig {
		for j, oj := range in.orig {
			in.dist[i*N+j] = p.Dist[oi][oj]
			in.maxDist = math.Max(in.maxDist, p.Dist[oi][oj])
			if p.Time != nil {
				in.tt[i*N+j] = p.Time[oi][oj]
			}
		}
		in.demand[i] = p.Demand[oi]
		in.totalDemand += p.Demand[oi]
		in.serv[i] = p.service(oi)
		if in.hasTW {
			in.ready[i], in.due[i] = p.Ready[oi], p.Due[oi]
		} else {
			in.due[i] = math.Inf(1)
		}
	}
	in.symmetric = true
	for i := 0; i < N && in.symmetric; i++ {
		for j := 0; j < i; j++ {
			if in.dist[i*N+j] != in.dist[j*N+i] || in.tt[i*N+j] != in.tt[j*N+i] {
				in.symmetric = false
				break
			}
		}
	}
	in.chooseSlots(p)
	in.warpCut = math.Inf(1)
	if in.hasTW {
		in.warpCut = 0
		for k := range in.slotVeh {
			in.warpCut = math.Max(in.warpCut, in.slotEnd[k]-in.slotStart[k])
		}
	}
	// The bin: no capacity, no windows; serving one more customer is worth
	// more than any distance.
	in.bin = len(in.slotVeh)
	in.slotCap = append(in.slotCap, math.Inf(1))
	in.slotStart = append(in.slotStart, math.Inf(-1))
	in.slotEnd = append(in.slotEnd, math.Inf(1))
	in.prize = float64(in.n+len(in.slotVeh)+1)*math.Max(in.maxDist, 1) + 1
	in.kinds = in.slotKinds()
	in.buildNeighbours()
	return in
}

// chooseSlots picks the vehicles the search may use. Every vehicle is a slot,
// except that without time windows a homogeneous fleet larger than needed is
// cut to the bound Vidal's HGS uses (1.3 times the capacity bound, plus 3),
// and no more slots than customers are ever kept.
func (in *instance) chooseSlots(p *Problem) {
	order := make([]int, len(p.Vehicles))
	for i := range order {
		order[i] = i
	}
	// Larger vehicles with longer shifts first, so a cut keeps the best.
	sort.SliceStable(order, func(a, b int) bool {
		va, vb := p.Vehicles[order[a]], p.Vehicles[order[b]]
		if va.Capacity != vb.Capacity {
			return va.Capacity > vb.Capacity
		}
		sa, ea := p.shift(order[a])
		sb, eb := p.shift(order[b])
		return ea-sa > eb-sb
	})
	for _, v := range p.Vehicles {
		in.maxCap = math.Max(in.maxCap, v.Capacity)
	}
	limit := len(order)
	if !in.hasTW && in.maxCap > 0 {
		bound := int(math.Ceil(1.3*in.totalDemand/in.maxCap)) + 3
		if bound < limit {
			limit = bound
		}
	}
	if limit > in.n {
		limit = in.n
	}
	if limit < 1 {
		limit = 1
	}
	in.homogeneous = true
	for _, v := range order[:limit] {
		s, e := p.shift(v)
		in.slotVeh = append(in.slotVeh, v)
		in.slotCap = append(in.slotCap, p.Vehicles[v].Capacity)
		in.slotStart = append(in.slotStart, s)
		in.slotEnd = append(in.slotEnd, e)
		k := len(in.slotVeh) - 1
		if in.slotCap[k] != in.slotCap[0] || s != in.slotStart[0] || e != in.slotEnd[0] {
			in.homogeneous = false
		}
	}
}

// proximity is the correlation measure of Vidal et al. (2013) for time
// windows: distance plus a share of the waiting and the lateness that
// visiting j right after i implies. Without windows it is the distance.
func (in *instance) proximity(i, j int) float64 {
	d := in.dist[i*in.size+j]
	if !in.hasTW {
		return d
	}
	t := in.tt[i*in.size+j]
	wait := math.Max(0, in.ready[j]-in.serv[i]-t-in.due[i])
	late := math.Max(0, in.ready[i]+in.serv[i]+t-in.due[j])
	return d + 0.2*wait + late
}

// buildNeighbours fills the granular neighbour lists: each customer's
// closest customers by proximity, made symmetric as in HGS.
func (in *instance) buildNeighbours() {
	in.neigh = make([][]int, in.size)
	in.nearest = make([][]int, in.size)
	k := granularity
	if k > in.n-1 {
		k = in.n - 1
	}
	sets := make([]map[int]bool, in.size)
	for i := 1; i <= in.n; i++ {
		sets[i] = map[int]bool{}
	}
	cand := make([]int, 0, in.n)
	key := make([]float64, in.size)
	for i := 1; i <= in.n; i++ {
		cand = cand[:0]
		for j := 1; j <= in.n; j++ {
			if j != i {
				cand = append(cand, j)
				key[j] = math.Min(in.proximity(i, j), in.proximity(j, i))
			}
		}
		sort.SliceStable(cand, func(a, b int) bool { return key[cand[a]] < key[cand[b]] })
		for _, j := range cand[:k] {
			sets[i][j] = true
			sets[j][i] = true
		}
		in.nearest[i] = append([]int(nil), cand[:min(k, nearestCount)]...)
	}
	for i := 1; i <= in.n; i++ {
		for j := range sets[i] {
			in.neigh[i] = append(in.neigh[i], j)
		}
		sort.Ints(in.neigh[i])
	}
}

// seg summarises a sequence of visits for O(1) concatenation (Vidal et al.
// 2013): its distance and load, and for time windows its minimal duration,
// time warp, and the earliest and latest starts that achieve them.
type seg struct {
	first, last int
	count       int
	dist, load  float64
	dur, tw     float64
	early, late float64
}

// nodeSeg is the sequence made of customer c alone.
func (in *instance) nodeSeg(c int) seg {
	return seg{first: c, last: c, count: 1, load: in.demand[c], dur: in.serv[c], early: in.ready[c], late: in.due[c]}
}

// depotSeg is the depot visit at either end of a route of slot k.
func (in *instance) depotSeg(k int) seg {
	return seg{early: in.slotStart[k], late: in.slotEnd[k]}
}

// cat concatenates a then b.
func (in *instance) cat(a, b seg) seg {
	r := seg{first: a.first, last: b.last, count: a.count + b.count, dist: a.dist + b.dist + in.dist[a.last*in.size+b.first], load: a.load + b.load}
	if in.hasTW {
		// Plain comparisons: math.Max's NaN handling is measurably slower
		// in this, the hottest function.
		t := in.tt[a.last*in.size+b.first]
		delta := a.dur - a.tw + t
		dWT := b.early - delta - a.late
		if dWT < 0 {
			dWT = 0
		}
		dTW := a.early + delta - b.late
		if dTW < 0 {
			dTW = 0
		}
		r.dur = a.dur + b.dur + t + dWT
		r.tw = a.tw + b.tw + dTW
		r.early = b.early - delta
		if a.early > r.early {
			r.early = a.early
		}
		r.early -= dWT
		r.late = b.late - delta
		if a.late < r.late {
			r.late = a.late
		}
		r.late += dTW
	}
	return r
}

// penalties weigh constraint violations in the penalised cost.
type penalties struct {
	load, tw float64
}

// cost is the penalised cost of a whole route (depot to depot) in slot k;
// for the bin, the prize of its customers.
func (in *instance) cost(s seg, k int, pen penalties) float64 {
	if k == in.bin {
		return in.prize * float64(s.count)
	}
	c := s.dist
	if x := s.load - in.slotCap[k]; x > eps {
		c += pen.load * x
	}
	if s.tw > eps {
		c += pen.tw * s.tw
	}
	return c
}

// routeSeg computes the summary of a whole route of slot k.
func (in *instance) routeSeg(k int, nodes []int) seg {
	s := in.depotSeg(k)
	for _, c := range nodes {
		s = in.cat(s, in.nodeSeg(c))
	}
	return in.cat(s, in.depotSeg(k))
}

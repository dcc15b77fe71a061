package routing

import (
	"context"
	"math"
	"sort"
	"sync"
)

// Solve searches for a solution of p of least total distance, then least
// number of routes. It returns an error only when p is malformed (see
// Validate) or ctx is done before the search starts; a customer that no
// route can take is reported in Solution.Unassigned instead. Solve is
// anytime: when ctx is cancelled or the time limit is reached it returns
// the best solution found so far.
func Solve(ctx context.Context, p *Problem, opt Options) (Solution, error) {
	if err := p.Validate(); err != nil {
		return Solution{}, err
	}
	if err := ctx.Err(); err != nil {
		return Solution{}, err
	}
	st := newStopper(ctx, opt)
	keep, unservable := servable(p)
	if len(keep) == 0 {
		routes := make([][]int, len(p.Vehicles))
		return p.solution(routes, insertAll(p, routes, unservable)), nil
	}
	in := newInstance(p, keep)
	workers := max(opt.Workers, 1)
	results := make([]*individual, workers)
	var exch *exchange
	if workers > 1 && !opt.Independent {
		exch = &exchange{best: make([]*individual, workers)}
	}
	var progress func(*individual)
	if opt.Progress != nil {
		var mu sync.Mutex
		progress = func(ind *individual) {
			sol := in.finish(p, ind, unservable)
			mu.Lock()
			defer mu.Unlock()
			opt.Progress(sol)
		}
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			g := newGenetic(in, opt.Seed+int64(w))
			g.exch, g.id, g.progress = exch, w, progress
			g.run(st)
			if g.best != nil {
				results[w] = g.best
			} else {
				results[w] = g.bestAny
			}
		}(w)
	}
	wg.Wait()
	var best *individual
	for _, r := range results {
		if r == nil {
			continue
		}
		if best == nil || (r.feasible && !best.feasible) ||
			(r.feasible == best.feasible && (r.feasible && better(r, best) || !r.feasible && r.cost < best.cost-eps)) {
			best = r
		}
	}
	return in.finish(p, best, unservable), nil
}

// servable splits the customers into those some vehicle can serve alone
// and those none can (returned in the second list).
func servable(p *Problem) (keep, out []int) {
	type kind struct{ c, s, e float64 }
	var vehicles []int
	seen := map[kind]bool{}
	for v := range p.Vehicles {
		s, e := p.shift(v)
		k := kind{p.Vehicles[v].Capacity, s, e}
		if !seen[k] {
			seen[k] = true
			vehicles = append(vehicles, v)
		}
	}
	one := make([]int, 1)
	for c := 1; c < len(p.Dist); c++ {
		one[0] = c
		ok := false
		for _, v := range vehicles {
			if _, ok = p.schedule(v, one); ok {
				break
			}
		}
		if ok {
			keep = append(keep, c)
		} else {
			out = append(out, c)
		}
	}
	return keep, out
}

// finish turns the search's best individual into a feasible Solution:
// routes that break a constraint (only when no feasible solution was
// found, e.g. a fleet too small) lose customers until they hold, and the
// customers removed are inserted back where they fit.
func (in *instance) finish(p *Problem, best *individual, unservable []int) Solution {
	routes := make([][]int, len(p.Vehicles))
	if best == nil {
		for c := 1; c <= in.n; c++ {
			unservable = append(unservable, in.orig[c])
		}
		return p.solution(routes, insertAll(p, routes, unservable))
	}
	var removed []int
	for _, c := range best.routes[in.bin] {
		removed = append(removed, in.orig[c])
	}
	for k, r := range best.routes[:in.bin] {
		v := in.slotVeh[k]
		nodes := make([]int, len(r))
		for i, c := range r {
			nodes[i] = in.orig[c]
		}
		for len(nodes) > 0 {
			if _, ok := p.schedule(v, nodes); ok {
				break
			}
			i := in.worstVisit(p, k, nodes)
			removed = append(removed, nodes[i])
			nodes = append(nodes[:i], nodes[i+1:]...)
		}
		routes[v] = nodes
	}
	// The heaviest first: they are the hardest to place.
	sort.SliceStable(removed, func(a, b int) bool { return p.Demand[removed[a]] > p.Demand[removed[b]] })
	// A customer no vehicle serves alone may still fit between others when
	// travel times break the triangle inequality (road data do), and once
	// in, it may open a place for a removed one: all are tried together.
	left := insertAll(p, routes, append(removed, unservable...))
	mergeRoutes(p, routes)
	return p.solution(routes, left)
}

// mergeRoutes serves the secondary objective, fewer vehicles: two routes
// become one, driven by either vehicle, when one follows the other at no
// extra distance (customers at the same place, or on the way) and the
// merged route is feasible.
func mergeRoutes(p *Problem, routes [][]int) {
	dist := func(nodes []int) float64 {
		d, prev := 0.0, 0
		for _, c := range nodes {
			d += p.Dist[prev][c]
			prev = c
		}
		return d + p.Dist[prev][0]
	}
	for merged := true; merged; {
		merged = false
		for a := range routes {
			for b := range routes {
				if a == b || len(routes[a]) == 0 || len(routes[b]) == 0 {
					continue
				}
				both := append(append(make([]int, 0, len(routes[a])+len(routes[b])), routes[a]...), routes[b]...)
				if dist(both) > dist(routes[a])+dist(routes[b])+1e-9 {
					continue
				}
				for _, v := range []int{a, b} {
					if _, ok := p.schedule(v, both); ok {
						routes[a], routes[b] = nil, nil
						routes[v] = both
						merged = true
						break
					}
				}
			}
		}
	}
}

// insertAll inserts the customers, in the given order, each at its
// cheapest feasible place, as long as one more fits (an insertion may open
// a place for another), and returns those left out.
func insertAll(p *Problem, routes [][]int, cs []int) []int {
	for changed := true; changed && len(cs) > 0; {
		changed = false
		var left []int
		for _, c := range cs {
			if greedyInsert(p, routes, c) {
				changed = true
			} else {
				left = append(left, c)
			}
		}
		cs = left
	}
	return cs
}

// worstVisit picks the visit of a route (Problem nodes, vehicle of slot k)
// whose removal reduces the violations most, then saves the most distance.
func (in *instance) worstVisit(p *Problem, k int, nodes []int) int {
	v := in.slotVeh[k]
	bestI, bestViol, bestDist := 0, math.Inf(1), math.Inf(1)
	rest := make([]int, 0, len(nodes))
	for i := range nodes {
		rest = append(append(rest[:0], nodes[:i]...), nodes[i+1:]...)
		viol, dist := violation(p, v, rest)
		if viol < bestViol-eps || (viol <= bestViol+eps && dist < bestDist) {
			bestI, bestViol, bestDist = i, viol, dist
		}
	}
	return bestI
}

// violation measures how much a route of vehicle v breaks its constraints
// (load over capacity plus lateness, counted without time warp) and its
// distance.
func violation(p *Problem, v int, nodes []int) (viol, dist float64) {
	r, _ := p.schedule(v, nodes)
	load := 0.0
	for _, c := range nodes {
		load += p.Demand[c]
	}
	viol = math.Max(0, load-p.Vehicles[v].Capacity)
	if p.hasTime() {
		for i, c := range nodes {
			viol += math.Max(0, r.Arrive[i]-p.Due[c])
		}
		_, end := p.shift(v)
		viol += math.Max(0, r.Return-end)
	}
	return viol, r.Distance
}

// greedyInsert inserts customer c at its cheapest feasible position among
// the routes (indexed by vehicle) and reports whether one was found.
func greedyInsert(p *Problem, routes [][]int, c int) bool {
	best, bv, bpos := math.Inf(1), -1, -1
	buf := make([]int, 0, len(p.Dist))
	for v, r := range routes {
		for pos := 0; pos <= len(r); pos++ {
			prev, next := 0, 0
			if pos > 0 {
				prev = r[pos-1]
			}
			if pos < len(r) {
				next = r[pos]
			}
			delta := p.Dist[prev][c] + p.Dist[c][next] - p.Dist[prev][next]
			if delta >= best {
				continue
			}
			buf = append(append(append(buf[:0], r[:pos]...), c), r[pos:]...)
			if _, ok := p.schedule(v, buf); ok {
				best, bv, bpos = delta, v, pos
			}
		}
	}
	if bv < 0 {
		return false
	}
	r := routes[bv]
	routes[bv] = append(append(append(make([]int, 0, len(r)+1), r[:bpos]...), c), r[bpos:]...)
	return true
}

// solution builds the Solution of routes indexed by vehicle, with their
// timetables.
func (p *Problem) solution(routes [][]int, unassigned []int) Solution {
	var s Solution
	for v, r := range routes {
		if len(r) == 0 {
			continue
		}
		rt, _ := p.schedule(v, append([]int(nil), r...))
		s.Routes = append(s.Routes, rt)
		s.Cost += rt.Distance
	}
	s.Unassigned = append([]int(nil), unassigned...)
	sort.Ints(s.Unassigned)
	return s
}

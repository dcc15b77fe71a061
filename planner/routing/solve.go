package routing

import (
	"context"
	"math"
	"sort"
)

// Solve searches for a solution of p of least total distance, then least
// number of routes. It returns an error only when p is malformed (see
// Validate) or ctx is done before any solution is found; a customer that no
// route can take is reported in Solution.Unassigned instead.
func Solve(ctx context.Context, p *Problem, opt Options) (Solution, error) {
	if err := p.Validate(); err != nil {
		return Solution{}, err
	}
	if err := ctx.Err(); err != nil {
		return Solution{}, err
	}
	routes := make([][]int, len(p.Vehicles))
	var unassigned []int
	for c := 1; c < len(p.Dist); c++ {
		if !greedyInsert(p, routes, c) {
			unassigned = append(unassigned, c)
		}
	}
	return p.solution(routes, unassigned), nil
}

// greedyInsert inserts customer c at its cheapest feasible position among
// the routes (indexed by vehicle) and reports whether one was found.
func greedyInsert(p *Problem, routes [][]int, c int) bool {
	best, bv, bpos := math.Inf(1), -1, -1
	buf := make([]int, 0, len(p.Dist))
	for v, r := range routes {
		if len(r) == 0 && bv >= 0 && len(routes[bv]) == 0 && p.Vehicles[v] == p.Vehicles[bv] {
			continue // an identical empty vehicle was already tried
		}
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

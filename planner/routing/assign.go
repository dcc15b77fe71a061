package routing

import "math"

// With a heterogeneous fleet, which vehicle drives a route matters as much
// as the route: a van too small pays for its excess load, and when shifts
// are cut into parts of a day (a vehicle's morning and afternoon rounds),
// a route given to the wrong part pays for its lateness. The split and the
// local search build routes; slotting gives them to slots by an optimal
// assignment (routes x slots, least total penalised cost), which the split
// (heaviest route to the largest vehicle) and moves of one or two
// customers at a time cannot do.

// slotKinds groups the slots (the bin excluded) of identical capacity and
// shift: the cost of a route is the same in each slot of a kind.
func (in *instance) slotKinds() (kinds [][]int) {
	index := map[[3]float64]int{}
	for k := 0; k < in.bin; k++ {
		key := [3]float64{in.slotCap[k], in.slotStart[k], in.slotEnd[k]}
		i, ok := index[key]
		if !ok {
			i = len(kinds)
			index[key] = i
			kinds = append(kinds, nil)
		}
		kinds[i] = append(kinds[i], k)
	}
	return kinds
}

// slotting gives each route (customers in order) a distinct slot so that
// the routes' total penalised cost under pen is least, and returns the
// slots and that cost. There must be at most as many routes as slots.
func (in *instance) slotting(routes [][]int, pen penalties) ([]int, float64) {
	m := in.bin
	cost := make([][]float64, len(routes))
	for i, r := range routes {
		cost[i] = make([]float64, m)
		for _, kind := range in.kinds {
			c := in.cost(in.routeSeg(kind[0], r), kind[0], pen)
			for _, k := range kind {
				cost[i][k] = c
			}
		}
	}
	slots := hungarian(cost, m)
	total := 0.0
	for i, k := range slots {
		total += cost[i][k]
	}
	return slots, total
}

// hungarian solves the rectangular assignment problem: rows (len(cost) <=
// m) to distinct columns 0..m-1 at least total cost, by shortest
// augmenting paths with potentials (Kuhn-Munkres, O(rows^2 m)). Ties go
// the same way every time.
func hungarian(cost [][]float64, m int) []int {
	n := len(cost)
	u := make([]float64, n+1)
	v := make([]float64, m+1)
	p := make([]int, m+1) // p[j]: row (1-based) assigned to column j, 0 none
	way := make([]int, m+1)
	minv := make([]float64, m+1)
	used := make([]bool, m+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j], used[j] = math.Inf(1), false
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], math.Inf(1), 0
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				if cur := cost[i0-1][j-1] - u[i0] - v[j]; cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	rows := make([]int, n)
	for j := 1; j <= m; j++ {
		if p[j] != 0 {
			rows[p[j]-1] = j - 1
		}
	}
	return rows
}

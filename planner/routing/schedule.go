package routing

import (
	"fmt"
	"math"
	"sort"
)

// eps absorbs floating-point noise when comparing times and loads.
const eps = 1e-9

// schedule computes a route's distance and timetable for vehicle v and
// reports whether it is feasible (capacity, windows, shift). Times use the
// earliest departure that gives the shortest duration.
func (p *Problem) schedule(v int, nodes []int) (r Route, ok bool) {
	r = Route{Vehicle: v, Nodes: nodes, Arrive: make([]float64, len(nodes)), Start: make([]float64, len(nodes))}
	load := 0.0
	prev := 0
	for _, c := range nodes {
		r.Distance += p.Dist[prev][c]
		load += p.Demand[c]
		prev = c
	}
	r.Distance += p.Dist[prev][0]
	ok = load <= p.Vehicles[v].Capacity+eps
	start, end := p.shift(v)
	depart := start
	if p.hasTime() {
		depart = p.bestDeparture(start, end, nodes)
	}
	t := depart
	prev = 0
	for i, c := range nodes {
		t += p.travel(prev, c)
		r.Arrive[i] = t
		if p.hasTime() {
			if t > p.Due[c]+eps {
				ok = false
			}
			t = math.Max(t, p.Ready[c])
		}
		r.Start[i] = t
		t += p.service(c)
		prev = c
	}
	t += p.travel(prev, 0)
	r.Depart, r.Return = depart, t
	if t > end+eps {
		ok = false
	}
	return r, ok
}

// bestDeparture returns the earliest departure, no earlier than start, that
// gives the route its shortest duration: delaying the departure by d removes
// min(d, total waiting) of waiting and delays an arrival only by what the
// waits before it do not absorb (Savelsbergh's forward slack).
func (p *Problem) bestDeparture(start, end float64, nodes []int) float64 {
	t, wait := start, 0.0
	prev := 0
	slack := math.Inf(1)
	for _, c := range nodes {
		t += p.travel(prev, c)
		slack = math.Min(slack, wait+p.Due[c]-t)
		if t < p.Ready[c] {
			wait += p.Ready[c] - t
			t = p.Ready[c]
		}
		t += p.service(c)
		prev = c
	}
	t += p.travel(prev, 0)
	slack = math.Min(slack, wait+end-t)
	d := math.Min(slack, wait)
	if d <= 0 || math.IsInf(d, 0) || math.IsNaN(d) {
		return start
	}
	return start + d
}

// Check verifies a solution against the problem: every customer served once
// or listed as unassigned, at most one route per vehicle, capacities,
// windows, shifts, and the reported distances and cost. It returns nil or an
// error naming each violation.
func Check(p *Problem, s Solution) error {
	if err := p.Validate(); err != nil {
		return err
	}
	n := len(p.Dist) - 1
	seen := make([]int, n+1)
	used := make(map[int]bool)
	var errs []string
	total := 0.0
	for k, r := range s.Routes {
		if r.Vehicle < 0 || r.Vehicle >= len(p.Vehicles) {
			errs = append(errs, fmt.Sprintf("route %d: vehicle %d out of range", k, r.Vehicle))
			continue
		}
		if used[r.Vehicle] {
			errs = append(errs, fmt.Sprintf("route %d: vehicle %d drives two routes", k, r.Vehicle))
		}
		used[r.Vehicle] = true
		bad := false
		for _, c := range r.Nodes {
			if c < 1 || c > n {
				errs = append(errs, fmt.Sprintf("route %d: node %d is not a customer", k, c))
				bad = true
				continue
			}
			seen[c]++
		}
		if bad {
			continue
		}
		want, ok := p.schedule(r.Vehicle, r.Nodes)
		if !ok {
			errs = append(errs, fmt.Sprintf("route %d: breaks capacity, a window or the shift", k))
		}
		if math.Abs(want.Distance-r.Distance) > 1e-6*math.Max(1, want.Distance) {
			errs = append(errs, fmt.Sprintf("route %d: distance %v, want %v", k, r.Distance, want.Distance))
		}
		total += want.Distance
	}
	for _, c := range s.Unassigned {
		if c < 1 || c > n {
			errs = append(errs, fmt.Sprintf("unassigned node %d is not a customer", c))
			continue
		}
		seen[c]++
	}
	for c := 1; c <= n; c++ {
		if seen[c] != 1 {
			errs = append(errs, fmt.Sprintf("customer %d appears %d times", c, seen[c]))
		}
	}
	if math.Abs(total-s.Cost) > 1e-6*math.Max(1, total) {
		errs = append(errs, fmt.Sprintf("cost %v, want %v", s.Cost, total))
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return fmt.Errorf("routing: infeasible solution: %v", errs)
	}
	return nil
}

package routing

import (
	"fmt"
	"math"
	"math/rand"
	"sort"
	"testing"
)

// This file holds the tests' own view of the rules, written apart from the
// engine: an instance generator and an independent verifier.

// tol is the tolerance of the verifier's comparisons.
const tol = 1e-6

// gen describes a generated instance.
type gen struct {
	n          int
	vehicles   int
	capacity   float64 // base capacity; heterogeneous fleets vary around it
	hetero     bool
	windows    bool
	asymmetric bool
	timeMatrix bool // travel times differ from distances
	seed       int64
}

func (g gen) String() string {
	return fmt.Sprintf("n%d-v%d-cap%v-het%v-tw%v-asym%v-time%v-seed%d",
		g.n, g.vehicles, g.capacity, g.hetero, g.windows, g.asymmetric, g.timeMatrix, g.seed)
}

// build generates random points in a 100x100 square (depot in the middle),
// demands 1..10, and, with windows, a horizon of 1000, windows of random
// width around a reachable time, and service times 5..15.
func (g gen) build() *Problem {
	rng := rand.New(rand.NewSource(g.seed))
	N := g.n + 1
	xs, ys := make([]float64, N), make([]float64, N)
	xs[0], ys[0] = 50, 50
	for i := 1; i < N; i++ {
		xs[i], ys[i] = rng.Float64()*100, rng.Float64()*100
	}
	p := &Problem{Dist: make([][]float64, N), Demand: make([]float64, N)}
	for i := 0; i < N; i++ {
		p.Dist[i] = make([]float64, N)
		for j := 0; j < N; j++ {
			d := math.Hypot(xs[i]-xs[j], ys[i]-ys[j])
			if g.asymmetric && i < j {
				d *= 1.25
			}
			p.Dist[i][j] = d
		}
		if i > 0 {
			p.Demand[i] = float64(1 + rng.Intn(10))
		}
	}
	if g.timeMatrix {
		p.Time = make([][]float64, N)
		for i := range p.Time {
			p.Time[i] = make([]float64, N)
			for j := range p.Time[i] {
				p.Time[i][j] = p.Dist[i][j] * 1.5
			}
		}
	}
	if g.windows {
		p.Ready, p.Due, p.Service = make([]float64, N), make([]float64, N), make([]float64, N)
		p.Due[0] = 1000
		for i := 1; i < N; i++ {
			travel := p.Dist[0][i]
			if p.Time != nil {
				travel = p.Time[0][i]
			}
			mid := travel + rng.Float64()*(1000-2*travel-30)
			width := 20 + rng.Float64()*200
			p.Ready[i] = math.Max(0, mid-width/2)
			p.Due[i] = math.Max(p.Ready[i], mid+width/2)
			p.Service[i] = float64(5 + rng.Intn(11))
		}
	}
	for k := 0; k < g.vehicles; k++ {
		v := Vehicle{Capacity: g.capacity}
		if g.hetero {
			v.Capacity = g.capacity * (0.5 + float64(k%3)*0.5)
			if g.windows {
				v.Start = float64(k%2) * 100
				v.End = 1000 - float64(k%3)*150
			}
		}
		p.Vehicles = append(p.Vehicles, v)
	}
	return p
}

// verify checks a solution against the rules, independently of the
// engine's code: each customer once, served or unassigned; one route per
// vehicle at most; capacities; a timetable that follows the travel times,
// waits for windows, arrives before each due time and fits the shift;
// distances and cost exact; and no unassigned customer fits anywhere.
func verify(t *testing.T, p *Problem, s Solution) {
	t.Helper()
	n := len(p.Dist) - 1
	count := make([]int, n+1)
	if len(s.Routes) > len(p.Vehicles) {
		t.Errorf("%d routes for %d vehicles", len(s.Routes), len(p.Vehicles))
	}
	usedVeh := map[int]bool{}
	total := 0.0
	for k, r := range s.Routes {
		if r.Vehicle < 0 || r.Vehicle >= len(p.Vehicles) {
			t.Fatalf("route %d: vehicle %d out of range", k, r.Vehicle)
		}
		if usedVeh[r.Vehicle] {
			t.Errorf("route %d: vehicle %d used twice", k, r.Vehicle)
		}
		usedVeh[r.Vehicle] = true
		if len(r.Nodes) == 0 {
			t.Errorf("route %d is empty", k)
		}
		if err := routeOK(p, r); err != nil {
			t.Errorf("route %d (vehicle %d, %v): %v", k, r.Vehicle, r.Nodes, err)
		}
		for _, c := range r.Nodes {
			if c >= 1 && c <= n {
				count[c]++
			} else {
				t.Errorf("route %d: node %d is not a customer", k, c)
			}
		}
		total += r.Distance
	}
	if !sort.IntsAreSorted(s.Unassigned) {
		t.Errorf("unassigned %v not sorted", s.Unassigned)
	}
	for _, c := range s.Unassigned {
		if c < 1 || c > n {
			t.Fatalf("unassigned node %d is not a customer", c)
		}
		count[c]++
	}
	for c := 1; c <= n; c++ {
		if count[c] != 1 {
			t.Errorf("customer %d appears %d times", c, count[c])
		}
	}
	if math.Abs(total-s.Cost) > tol {
		t.Errorf("cost %v, routes sum to %v", s.Cost, total)
	}
	// Nothing left out that fits: no unassigned customer can be inserted
	// anywhere in a route or alone in an unused vehicle.
	for _, c := range s.Unassigned {
		for _, r := range s.Routes {
			for pos := 0; pos <= len(r.Nodes); pos++ {
				nodes := append(append(append([]int(nil), r.Nodes[:pos]...), c), r.Nodes[pos:]...)
				if feasibleRoute(p, r.Vehicle, nodes) {
					t.Errorf("unassigned customer %d fits in vehicle %d's route at %d", c, r.Vehicle, pos)
				}
			}
		}
		for v := range p.Vehicles {
			if !usedVeh[v] && feasibleRoute(p, v, []int{c}) {
				t.Errorf("unassigned customer %d fits alone in unused vehicle %d", c, v)
			}
		}
	}
}

// travelTime is the verifier's travel time.
func travelTime(p *Problem, i, j int) float64 {
	if p.Time != nil {
		return p.Time[i][j]
	}
	return p.Dist[i][j]
}

// window is the verifier's depot window for vehicle v.
func window(p *Problem, v int) (float64, float64) {
	if p.Ready == nil {
		return math.Inf(-1), math.Inf(1)
	}
	start, end := math.Max(p.Ready[0], p.Vehicles[v].Start), p.Due[0]
	if p.Vehicles[v].End != 0 {
		end = math.Min(end, p.Vehicles[v].End)
	}
	return start, end
}

// routeOK checks one reported route, its timetable included.
func routeOK(p *Problem, r Route) error {
	load, dist := 0.0, 0.0
	prev := 0
	for _, c := range r.Nodes {
		load += p.Demand[c]
		dist += p.Dist[prev][c]
		prev = c
	}
	dist += p.Dist[prev][0]
	if load > p.Vehicles[r.Vehicle].Capacity+tol {
		return fmt.Errorf("load %v over capacity %v", load, p.Vehicles[r.Vehicle].Capacity)
	}
	if math.Abs(dist-r.Distance) > tol {
		return fmt.Errorf("distance %v, want %v", r.Distance, dist)
	}
	if len(r.Arrive) != len(r.Nodes) || len(r.Start) != len(r.Nodes) {
		return fmt.Errorf("timetable has %d/%d entries for %d stops", len(r.Arrive), len(r.Start), len(r.Nodes))
	}
	start, end := window(p, r.Vehicle)
	if p.Ready != nil && r.Depart < start-tol {
		return fmt.Errorf("departs at %v before %v", r.Depart, start)
	}
	t := r.Depart
	prev = 0
	for i, c := range r.Nodes {
		t += travelTime(p, prev, c)
		if math.Abs(r.Arrive[i]-t) > tol {
			return fmt.Errorf("stop %d: arrival %v, want %v", c, r.Arrive[i], t)
		}
		if p.Ready != nil {
			if t > p.Due[c]+tol {
				return fmt.Errorf("stop %d: arrives at %v after due %v", c, t, p.Due[c])
			}
			t = math.Max(t, p.Ready[c])
		}
		if math.Abs(r.Start[i]-t) > tol {
			return fmt.Errorf("stop %d: start %v, want %v", c, r.Start[i], t)
		}
		if p.Service != nil {
			t += p.Service[c]
		}
		prev = c
	}
	t += travelTime(p, prev, 0)
	if math.Abs(r.Return-t) > tol {
		return fmt.Errorf("return %v, want %v", r.Return, t)
	}
	if t > end+tol {
		return fmt.Errorf("returns at %v after %v", t, end)
	}
	return nil
}

// feasibleRoute reports whether vehicle v can drive nodes in that order,
// leaving as early as it may (the earliest departure is always best for
// feasibility).
func feasibleRoute(p *Problem, v int, nodes []int) bool {
	start, _ := window(p, v)
	if p.Ready == nil {
		start = 0
	}
	r := Route{Vehicle: v, Nodes: nodes, Depart: start}
	t := start
	prev := 0
	for _, c := range nodes {
		r.Distance += p.Dist[prev][c]
		t += travelTime(p, prev, c)
		r.Arrive = append(r.Arrive, t)
		if p.Ready != nil {
			t = math.Max(t, p.Ready[c])
		}
		r.Start = append(r.Start, t)
		if p.Service != nil {
			t += p.Service[c]
		}
		prev = c
	}
	r.Distance += p.Dist[prev][0]
	r.Return = t + travelTime(p, prev, 0)
	return routeOK(p, r) == nil
}

// bruteForce returns the least number of unassigned customers and, for it,
// the least distance, by enumerating every route of every subset for
// every vehicle. For n up to 7 or so.
func bruteForce(p *Problem) (unassigned int, cost float64) {
	n := len(p.Dist) - 1
	full := 1 << n
	// best[v][S]: shortest feasible route of vehicle v over subset S.
	best := make([][]float64, len(p.Vehicles))
	for v := range p.Vehicles {
		best[v] = make([]float64, full)
		for S := range best[v] {
			best[v][S] = math.Inf(1)
		}
		best[v][0] = 0
		perm := make([]int, 0, n)
		var rec func(S int)
		rec = func(S int) {
			if len(perm) > 0 && feasibleRoute(p, v, perm) {
				d, prev := 0.0, 0
				for _, c := range perm {
					d += p.Dist[prev][c]
					prev = c
				}
				d += p.Dist[prev][0]
				best[v][S] = math.Min(best[v][S], d)
			}
			for c := 1; c <= n; c++ {
				if S&(1<<(c-1)) == 0 {
					perm = append(perm, c)
					rec(S | 1<<(c-1))
					perm = perm[:len(perm)-1]
				}
			}
		}
		rec(0)
	}
	// f[S]: least distance serving exactly S with the vehicles seen so far.
	f := make([]float64, full)
	for S := range f {
		f[S] = math.Inf(1)
	}
	f[0] = 0
	for v := range p.Vehicles {
		g := append([]float64(nil), f...)
		for S := 0; S < full; S++ {
			for T := S; T > 0; T = (T - 1) & S {
				if x := f[S&^T] + best[v][T]; x < g[S] {
					g[S] = x
				}
			}
		}
		f = g
	}
	unassigned, cost = n+1, 0
	for S := 0; S < full; S++ {
		if math.IsInf(f[S], 1) {
			continue
		}
		u := n - popcount(S)
		if u < unassigned || (u == unassigned && f[S] < cost) {
			unassigned, cost = u, f[S]
		}
	}
	return unassigned, cost
}

func popcount(x int) int {
	c := 0
	for ; x > 0; x &= x - 1 {
		c++
	}
	return c
}

package routing

import (
	"math"
	"math/rand"
	"slices"
	"testing"
)

// TestHungarian compares the assignment with brute force over every
// injective map of rows to columns, on small random matrices with ties.
func TestHungarian(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 500; trial++ {
		n := 1 + rng.Intn(5)
		m := n + rng.Intn(3)
		cost := make([][]float64, n)
		for i := range cost {
			cost[i] = make([]float64, m)
			for j := range cost[i] {
				cost[i][j] = float64(rng.Intn(20))
				if trial%3 == 0 {
					cost[i][j] += rng.Float64() * 1e6 // large, uneven costs
				}
			}
		}
		got := hungarian(cost, m)
		used := map[int]bool{}
		total := 0.0
		for i, j := range got {
			if j < 0 || j >= m || used[j] {
				t.Fatalf("trial %d: assignment %v is not injective into %d columns", trial, got, m)
			}
			used[j] = true
			total += cost[i][j]
		}
		if want := bruteAssign(cost, m, 0, make([]bool, m)); math.Abs(total-want) > 1e-6*math.Max(1, want) {
			t.Fatalf("trial %d: cost %v, optimum %v (%v)", trial, total, want, cost)
		}
	}
}

func bruteAssign(cost [][]float64, m, i int, used []bool) float64 {
	if i == len(cost) {
		return 0
	}
	best := math.Inf(1)
	for j := 0; j < m; j++ {
		if !used[j] {
			used[j] = true
			best = math.Min(best, cost[i][j]+bruteAssign(cost, m, i+1, used))
			used[j] = false
		}
	}
	return best
}

// partsProblem is a day cut into a morning and an afternoon part for each
// of two vans (four slots, as the planner offers a vehicle's shift cut in
// parts): two customers near the depot want the afternoon and carry more,
// two others want the morning.
func partsProblem() *Problem {
	xs := []float64{0, 10, 11, -10, -11}
	p := &Problem{Dist: make([][]float64, 5), Demand: []float64{0, 5, 4, 2, 2},
		Ready: []float64{0, 120, 120, 10, 10}, Due: []float64{200, 160, 160, 50, 50}}
	for i := range p.Dist {
		p.Dist[i] = make([]float64, 5)
		for j := range p.Dist[i] {
			p.Dist[i][j] = math.Abs(xs[i] - xs[j])
		}
	}
	for range 2 {
		p.Vehicles = append(p.Vehicles, Vehicle{Capacity: 10, Start: 0, End: 100}, Vehicle{Capacity: 10, Start: 100, End: 200})
	}
	return p
}

// TestSplitSlotsByTime checks that the split gives each route the slot
// its windows need, not the largest slot to the heaviest route: the
// afternoon customers in an afternoon part, the morning ones in a morning
// part, with no lateness.
func TestSplitSlotsByTime(t *testing.T) {
	p := partsProblem()
	in := newInstance(p, []int{1, 2, 3, 4})
	if in.homogeneous || len(in.kinds) != 2 {
		t.Fatalf("homogeneous %v, %d kinds of slot; want two kinds", in.homogeneous, len(in.kinds))
	}
	g := newGenetic(in, 1)
	ind := g.newIndividual()
	ind.giant = append(ind.giant, 1, 2, 3, 4)
	g.split(ind)
	g.evaluate(ind)
	if !ind.feasible || ind.warp > 0 {
		t.Fatalf("split routes %v: warp %v, excess %v", ind.routes, ind.warp, ind.excess)
	}
	for k, r := range ind.routes[:in.bin] {
		if len(r) == 0 {
			continue
		}
		afternoon := in.slotStart[k] >= 100
		if want := slices.Contains(r, 1); afternoon != want {
			t.Errorf("route %v in slot %d starting at %v", r, k, in.slotStart[k])
		}
	}
}

// TestReslot checks that the local search moves whole routes to the slots
// they fit when that lowers the penalised cost, and leaves them when not.
func TestReslot(t *testing.T) {
	p := partsProblem()
	in := newInstance(p, []int{1, 2, 3, 4})
	ls := newLocalSearch(in, rand.New(rand.NewSource(1)))
	morning, afternoon := -1, -1
	for k := 0; k < in.bin; k++ {
		if in.slotStart[k] >= 100 && afternoon < 0 {
			afternoon = k
		} else if in.slotStart[k] < 100 && morning < 0 {
			morning = k
		}
	}
	routes := make([][]int, len(in.slotCap))
	routes[morning], routes[afternoon] = []int{1, 2}, []int{3, 4} // the wrong way round
	pen := penalties{load: 1, tw: 1}
	ls.load(routes, pen)
	before := ls.routes[morning].cost + ls.routes[afternoon].cost
	if !ls.reslot() {
		t.Fatal("reslot kept the routes in slots where they are late")
	}
	ls.export(routes)
	total := 0.0
	for k, r := range routes[:in.bin] {
		if len(r) > 0 {
			s := in.routeSeg(k, r)
			if s.tw > 0 {
				t.Errorf("route %v late by %v in slot %d", r, s.tw, k)
			}
			total += in.cost(s, k, pen)
		}
	}
	if total >= before {
		t.Errorf("cost %v after reslot, %v before", total, before)
	}
	if ls.reslot() {
		t.Error("a second reslot found a better assignment than the optimal one")
	}
}

package routing

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSolveFeasible solves generated instances of every kind and checks
// each solution with the independent verifier.
func TestSolveFeasible(t *testing.T) {
	cases := []gen{
		{n: 30, vehicles: 30, capacity: 40, seed: 1},
		{n: 60, vehicles: 60, capacity: 50, asymmetric: true, seed: 2},
		{n: 40, vehicles: 12, capacity: 60, windows: true, seed: 3},
		{n: 40, vehicles: 12, capacity: 60, windows: true, timeMatrix: true, asymmetric: true, seed: 4},
		{n: 50, vehicles: 9, capacity: 60, windows: true, hetero: true, seed: 5},
		{n: 25, vehicles: 6, capacity: 40, hetero: true, seed: 6},
		{n: 1, vehicles: 1, capacity: 10, seed: 7},
		{n: 2, vehicles: 3, capacity: 10, windows: true, seed: 8},
	}
	for _, g := range cases {
		t.Run(g.String(), func(t *testing.T) {
			p := g.build()
			s, err := Solve(context.Background(), p, Options{Seed: 1, MaxIterations: 150})
			if err != nil {
				t.Fatal(err)
			}
			verify(t, p, s)
			if err := Check(p, s); err != nil {
				t.Errorf("Check rejects the solution: %v", err)
			}
			// The generator makes every customer servable by some vehicle
			// alone, and these fleets have room for everyone.
			if len(s.Unassigned) > 0 {
				t.Errorf("unassigned %v", s.Unassigned)
			}
		})
	}
}

// TestSolveOptimalTiny compares the engine with brute force on tiny
// instances, fleets too small included.
func TestSolveOptimalTiny(t *testing.T) {
	cases := []gen{
		{n: 6, vehicles: 2, capacity: 20, seed: 11},
		{n: 7, vehicles: 3, capacity: 15, asymmetric: true, seed: 12},
		{n: 6, vehicles: 2, capacity: 25, windows: true, seed: 13},
		{n: 7, vehicles: 3, capacity: 20, windows: true, timeMatrix: true, seed: 14},
		{n: 6, vehicles: 3, capacity: 12, windows: true, hetero: true, seed: 15},
		{n: 7, vehicles: 1, capacity: 15, seed: 16},               // fleet too small
		{n: 6, vehicles: 2, capacity: 8, windows: true, seed: 17}, // fleet too small
	}
	for _, g := range cases {
		t.Run(g.String(), func(t *testing.T) {
			p := g.build()
			wantU, wantCost := bruteForce(p)
			s, err := Solve(context.Background(), p, Options{Seed: 3, MaxIterations: 200})
			if err != nil {
				t.Fatal(err)
			}
			verify(t, p, s)
			if len(s.Unassigned) != wantU {
				t.Fatalf("%d unassigned, brute force leaves %d", len(s.Unassigned), wantU)
			}
			if s.Cost > wantCost+1e-6 {
				t.Errorf("cost %v, optimum %v", s.Cost, wantCost)
			}
			if s.Cost < wantCost-1e-6 {
				t.Errorf("cost %v below the optimum %v: the verifier or brute force is wrong", s.Cost, wantCost)
			}
		})
	}
}

// TestDeterministic runs the same seed twice with an iteration limit and
// one worker, and a different seed, expecting identical results for the
// same seed.
func TestDeterministic(t *testing.T) {
	for _, g := range []gen{
		{n: 50, vehicles: 50, capacity: 40, seed: 21},
		{n: 40, vehicles: 10, capacity: 60, windows: true, hetero: true, seed: 22},
	} {
		t.Run(g.String(), func(t *testing.T) {
			p := g.build()
			opt := Options{Seed: 7, MaxIterations: 150, Workers: 1}
			a, err := Solve(context.Background(), p, opt)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Solve(context.Background(), p, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("same seed, different solutions: %v vs %v", a.Cost, b.Cost)
			}
		})
	}
}

// TestIndependentWorkers checks that independent workers give the same
// solution on every run whatever the timing (iteration and patience
// budgets, two workers racing), that it is the better of the two workers'
// own solutions (ties to the lower seed), and that patience ends a search
// before its iteration bound.
func TestIndependentWorkers(t *testing.T) {
	p := gen{n: 60, vehicles: 12, capacity: 60, windows: true, hetero: true, seed: 23}.build()
	opt := Options{Seed: 5, MaxIterations: 120, Patience: 40, Workers: 2, Independent: true}
	first, err := Solve(context.Background(), p, opt)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := Solve(context.Background(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(first, again) {
			t.Fatalf("independent workers, different solutions: %v vs %v", first.Cost, again.Cost)
		}
	}
	var alone [2]Solution
	for w := range alone {
		o := opt
		o.Seed, o.Workers = opt.Seed+int64(w), 1
		if alone[w], err = Solve(context.Background(), p, o); err != nil {
			t.Fatal(err)
		}
	}
	want := alone[0]
	if alone[1].Cost < alone[0].Cost-1e-7 || alone[1].Cost <= alone[0].Cost+1e-7 && len(alone[1].Routes) < len(alone[0].Routes) {
		want = alone[1]
	}
	if !reflect.DeepEqual(first, want) {
		t.Errorf("two workers gave %v, the workers alone %v and %v", first.Cost, alone[0].Cost, alone[1].Cost)
	}
	if err := Check(p, first); err != nil {
		t.Error(err)
	}

	// Patience: a search that stops improving ends early, so a tiny
	// problem takes about the same time with a huge iteration bound.
	tiny := gen{n: 6, vehicles: 3, capacity: 40, seed: 24}.build()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	if _, err := Solve(ctx, tiny, Options{Seed: 1, MaxIterations: 1 << 30, Patience: 50}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("patience 50 on 6 customers took %v: the search did not stop", d)
	}
}

// TestLongerSearch checks that a search given more iterations and
// patience, with the same initial population, continues the same search:
// never worse.
func TestLongerSearch(t *testing.T) {
	for _, g := range []gen{
		{n: 50, vehicles: 10, capacity: 60, windows: true, seed: 26},
		{n: 60, vehicles: 60, capacity: 50, seed: 27},
	} {
		p := g.build()
		prev := math.Inf(1)
		for _, effort := range []int{1, 2, 4} {
			s, err := Solve(context.Background(), p, Options{Seed: 3, Workers: 2, Independent: true,
				MaxIterations: 40 * effort, Patience: 15 * effort, Population: 12})
			if err != nil {
				t.Fatal(err)
			}
			if s.Cost > prev+1e-9 {
				t.Errorf("%s: effort %d gives %v, more than %v with less", g, effort, s.Cost, prev)
			}
			prev = s.Cost
		}
	}
}

// TestClock runs a time limit on a clock of the caller's: a clock that
// runs ten times as fast as the wall clock ends a 2 s limit in about 0.2 s.
func TestClock(t *testing.T) {
	p := gen{n: 80, vehicles: 20, capacity: 50, windows: true, seed: 25}.build()
	origin := time.Now()
	fast := func() time.Duration { return 10 * time.Since(origin) }
	start := time.Now()
	s, err := Solve(context.Background(), p, Options{Seed: 1, TimeLimit: 2 * time.Second, Clock: fast})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("2 s on a clock ten times as fast took %v", d)
	}
	if err := Check(p, s); err != nil {
		t.Error(err)
	}
}

// TestUnassignable puts customers no vehicle can serve next to ordinary
// ones: too heavy for every vehicle, a window closing before any vehicle
// can arrive, one so far that no shift gets back in time.
func TestUnassignable(t *testing.T) {
	p := gen{n: 20, vehicles: 5, capacity: 50, windows: true, seed: 31}.build()
	p.Demand[3] = 51            // heavier than every vehicle
	p.Ready[7], p.Due[7] = 0, 0 // closed before anyone can arrive
	for i := range p.Dist {     // too far from everything to be back before 1000
		p.Dist[i][11], p.Dist[11][i] = 600, 600 // (travel time follows distance)
	}
	p.Dist[11][11] = 0
	p.Ready[11], p.Due[11] = 0, 1000
	s, err := Solve(context.Background(), p, Options{Seed: 1, MaxIterations: 200})
	if err != nil {
		t.Fatal(err)
	}
	verify(t, p, s)
	if !reflect.DeepEqual(s.Unassigned, []int{3, 7, 11}) {
		t.Errorf("unassigned %v, want [3 7 11]", s.Unassigned)
	}
}

// TestFleetTooSmall gives one small vehicle for many customers: it must
// serve as many as it can carry and the rest stay unassigned.
func TestFleetTooSmall(t *testing.T) {
	p := gen{n: 30, vehicles: 2, capacity: 10, seed: 41}.build()
	for c := 1; c <= 30; c++ {
		p.Demand[c] = 2
	}
	s, err := Solve(context.Background(), p, Options{Seed: 1, MaxIterations: 300})
	if err != nil {
		t.Fatal(err)
	}
	verify(t, p, s)
	if len(s.Unassigned) != 20 {
		t.Errorf("%d unassigned, want 20 (2 vehicles carry 5 customers each)", len(s.Unassigned))
	}
	if len(s.Routes) != 2 {
		t.Errorf("%d routes, want 2", len(s.Routes))
	}
}

// TestCancelAndTimeLimit checks that Solve stops on time and still returns
// a verified solution.
func TestCancelAndTimeLimit(t *testing.T) {
	p := gen{n: 150, vehicles: 40, capacity: 50, windows: true, seed: 51}.build()

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Solve(ctx, p, Options{}); err == nil {
		t.Error("cancelled context: no error")
	}

	for _, tc := range []struct {
		name  string
		limit time.Duration
		ctx   time.Duration
	}{
		{"time limit", 300 * time.Millisecond, 0},
		{"context deadline", 0, 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.ctx > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.ctx)
				defer cancel()
			}
			start := time.Now()
			s, err := Solve(ctx, p, Options{Seed: 1, TimeLimit: tc.limit, MaxIterations: 1 << 30, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if el := time.Since(start); el > 300*time.Millisecond+700*time.Millisecond {
				t.Errorf("took %v for a 300ms limit", el)
			}
			verify(t, p, s)
		})
	}
}

// TestValidate feeds malformed problems; each must be rejected with an
// error naming the field, without panicking, by Validate and by Solve.
func TestValidate(t *testing.T) {
	good := func() *Problem { return gen{n: 3, vehicles: 2, capacity: 10, windows: true, seed: 61}.build() }
	cases := []struct {
		name   string
		mutate func(p *Problem)
		want   string
	}{
		{"empty matrix", func(p *Problem) { p.Dist = nil }, "dist"},
		{"short row", func(p *Problem) { p.Dist[2] = p.Dist[2][:2] }, "dist: row 2"},
		{"NaN distance", func(p *Problem) { p.Dist[1][2] = math.NaN() }, "dist[1][2]"},
		{"infinite distance", func(p *Problem) { p.Dist[1][2] = math.Inf(1) }, "dist[1][2]"},
		{"negative distance", func(p *Problem) { p.Dist[2][1] = -1 }, "dist[2][1]"},
		{"huge distance", func(p *Problem) { p.Dist[0][1] = 1e300 }, "dist[0][1]"},
		{"huge window", func(p *Problem) { p.Due[1] = 1e300 }, "due[1]"},
		{"huge shift", func(p *Problem) { p.Vehicles[1].End = 1e300 }, "vehicles[1]"},
		{"time rows", func(p *Problem) { p.Time = p.Dist[:2] }, "time"},
		{"demand length", func(p *Problem) { p.Demand = p.Demand[:2] }, "demand"},
		{"negative demand", func(p *Problem) { p.Demand[2] = -3 }, "demand[2]"},
		{"depot demand", func(p *Problem) { p.Demand[0] = 1 }, "demand[0]"},
		{"NaN service", func(p *Problem) { p.Service[1] = math.NaN() }, "service[1]"},
		{"ready without due", func(p *Problem) { p.Due = nil }, "ready and due"},
		{"inverted window", func(p *Problem) { p.Ready[2], p.Due[2] = 50, 10 }, "node 2"},
		{"no vehicles", func(p *Problem) { p.Vehicles = nil }, "vehicles"},
		{"negative capacity", func(p *Problem) { p.Vehicles[1].Capacity = -5 }, "vehicles[1].capacity"},
		{"NaN capacity", func(p *Problem) { p.Vehicles[0].Capacity = math.NaN() }, "vehicles[0].capacity"},
		{"inverted shift", func(p *Problem) { p.Vehicles[0].Start, p.Vehicles[0].End = 500, 100 }, "vehicles[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := good()
			tc.mutate(p)
			err := p.Validate()
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "routing: ") {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
			if _, err := Solve(context.Background(), p, Options{MaxIterations: 10}); err == nil {
				t.Error("Solve accepted it")
			}
		})
	}
	var nilProblem *Problem
	if err := nilProblem.Validate(); err == nil {
		t.Error("nil problem accepted")
	}
	if err := good().Validate(); err != nil {
		t.Errorf("good problem rejected: %v", err)
	}
}

// TestNoCustomers solves a depot alone.
func TestNoCustomers(t *testing.T) {
	p := &Problem{Dist: [][]float64{{0}}, Demand: []float64{0}, Vehicles: []Vehicle{{Capacity: 1}}}
	s, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Routes) != 0 || s.Cost != 0 || len(s.Unassigned) != 0 {
		t.Errorf("got %+v", s)
	}
}

// TestFewerVehicles puts some customers, without demand, at the depot's
// place: they can join any route at no extra distance, so no route may be
// made of them alone (it would be a vehicle too many at equal distance).
func TestFewerVehicles(t *testing.T) {
	for seed := int64(71); seed < 76; seed++ {
		p := gen{n: 30, vehicles: 30, capacity: 30, seed: seed}.build()
		atDepot := map[int]bool{}
		for c := 1; c <= 30; c += 3 {
			atDepot[c] = true
			p.Demand[c] = 0
			for j := range p.Dist {
				p.Dist[c][j], p.Dist[j][c] = p.Dist[0][j], p.Dist[j][0]
			}
			p.Dist[c][0], p.Dist[0][c], p.Dist[c][c] = 0, 0, 0
		}
		for c := range atDepot {
			for d := range atDepot {
				p.Dist[c][d] = 0
			}
		}
		s, err := Solve(context.Background(), p, Options{Seed: seed, MaxIterations: 50})
		if err != nil {
			t.Fatal(err)
		}
		verify(t, p, s)
		for _, r := range s.Routes {
			alone := true
			for _, c := range r.Nodes {
				alone = alone && atDepot[c]
			}
			if alone {
				t.Errorf("seed %d: route %v holds only customers at the depot", seed, r.Nodes)
			}
		}
	}
}

// TestExtremeValues solves problems with huge and tiny magnitudes: the
// engine must not panic and must return a verified solution.
func TestExtremeValues(t *testing.T) {
	for _, scale := range []float64{1e-9, 1e12} {
		p := gen{n: 20, vehicles: 5, capacity: 40, windows: true, seed: 81}.build()
		for i := range p.Dist {
			for j := range p.Dist[i] {
				p.Dist[i][j] *= scale
			}
		}
		p.Time = nil // windows stay in the original unit: most become trivial or unreachable
		s, err := Solve(context.Background(), p, Options{Seed: 1, MaxIterations: 50})
		if err != nil {
			t.Fatal(err)
		}
		verify(t, p, s)
	}
}

// TestProgress checks the anytime hook: every reported solution is
// complete and no worse than the one before, the last is what Solve
// returns, and a shorter run of the same search (fewer iterations) ends
// on one of the solutions the longer run reported on its way.
func TestProgress(t *testing.T) {
	for _, g := range []gen{
		{n: 60, vehicles: 60, capacity: 50, seed: 31},
		{n: 40, vehicles: 10, capacity: 60, windows: true, hetero: true, seed: 32},
	} {
		t.Run(g.String(), func(t *testing.T) {
			p := g.build()
			var costs []float64
			opt := Options{Seed: 5, Workers: 1, MaxIterations: 300, Population: 12, Progress: func(s Solution) {
				if err := Check(p, s); err != nil || len(s.Unassigned) > 0 {
					t.Errorf("reported solution: %v, unassigned %v", err, s.Unassigned)
				}
				costs = append(costs, s.Cost)
			}}
			s, err := Solve(context.Background(), p, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(costs) < 2 {
				t.Fatalf("%d solutions reported", len(costs))
			}
			for i := 1; i < len(costs); i++ {
				if costs[i] > costs[i-1]+1e-9 {
					t.Errorf("reported cost %v after %v", costs[i], costs[i-1])
				}
			}
			if last := costs[len(costs)-1]; math.Abs(last-s.Cost) > 1e-9 {
				t.Errorf("last reported %v, Solve returns %v", last, s.Cost)
			}
			opt.MaxIterations, opt.Progress = 60, nil
			short, err := Solve(context.Background(), p, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(costs, func(c float64) bool { return math.Abs(c-short.Cost) < 1e-9 }) {
				t.Errorf("60 iterations end at %v, not among the costs reported by 300: %v", short.Cost, costs)
			}
		})
	}
}

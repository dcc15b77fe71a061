// Package routing solves capacitated vehicle routing problems with time windows,
// service times and a heterogeneous fleet from one depot. Standard library only.
//
// The engine is a hybrid genetic search (Vidal 2022, "Hybrid genetic search
// for the CVRP: open-source implementation and SWAP* neighborhood"; time
// windows with time-warp penalties and O(1) concatenation of route
// segments, Vidal et al. 2013). Offspring come from the ordered crossover of
// giant tours and an optimal split into routes; they are educated by a
// granular local search (relocate of one or two customers, swaps of one or
// two, 2-opt, both 2-opt* variants, SWAP*) on neighbour lists built from a
// distance-and-time proximity. Capacity and time windows are relaxed during
// the search with penalties that adapt to keep about a fifth of the
// offspring feasible; a population split into feasible and infeasible
// individuals is managed by cost and diversity (broken-pairs distance).
// With a heterogeneous fleet, or shifts cut into parts of a day, routes go
// to vehicles by an optimal assignment (least penalised cost), after each
// split and whenever the local search has nothing better to do.
// Several workers run in parallel on request and share their best solutions.
//
// The objective is the total distance, then the number of routes. A customer
// no vehicle can serve on its own (a demand larger than every capacity, a
// window no shift reaches) is reported in Solution.Unassigned. When the
// fleet looks too small for all customers (no feasible solution after the
// penalties had their chance), the search switches to a fleet mode in which
// a customer may be left out at a prize larger than any distance, so that as
// few customers as the search can find are left unassigned.
package routing

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Problem is one routing instance. Node 0 is the depot; nodes 1..n are
// customers. Time constraints (windows and shifts) apply only when Ready and
// Due are given.
type Problem struct {
	// Dist is the cost (distance) matrix, (n+1)x(n+1), non-negative; it may be
	// asymmetric. The objective is the sum of Dist over the driven arcs.
	Dist [][]float64
	// Time is the travel time matrix in the same unit as the windows and
	// service durations; nil means Dist.
	Time [][]float64
	// Demand per node; Demand[0] must be 0. One commodity: a route carries
	// either pickups or deliveries, so only the sum per route matters.
	Demand []float64
	// Service is the service duration per node; nil means 0. Service[0] must
	// be 0.
	Service []float64
	// Ready is the earliest service start per node; nil (together with Due)
	// means no time windows and no shifts.
	Ready []float64
	// Due is the latest arrival (and so the latest service start) per node.
	// Ready[0] and Due[0] are the depot's horizon: no route leaves before
	// Ready[0] nor returns after Due[0].
	Due []float64
	// Vehicles is the fleet; each vehicle drives at most one route. Its
	// length bounds the number of routes.
	Vehicles []Vehicle
}

// Vehicle is one vehicle of the fleet.
type Vehicle struct {
	// Capacity bounds the sum of the demands of the route's customers.
	Capacity float64
	// Start and End bound the vehicle's shift: it leaves the depot no earlier
	// than Start and is back no later than End. End == 0 means the shift has
	// no end beyond the depot's horizon. Used only with time windows.
	Start, End float64
}

// Options tunes a Solve call.
type Options struct {
	// Seed seeds the random generators.
	Seed int64
	// TimeLimit bounds the wall-clock time of the search; 0 means none.
	TimeLimit time.Duration
	// MaxIterations bounds the number of genetic iterations (offspring of a
	// crossover) of each worker, after an initial population of at most 48
	// individuals (a savings construction, then random ones; see
	// Population), fewer when MaxIterations is smaller; 0 means no
	// bound. With MaxIterations set and Workers == 1 (and no time limit
	// reached) the result depends only on the problem and the seed. When
	// neither TimeLimit nor MaxIterations is given, the search stops after
	// 2000 iterations without improvement.
	MaxIterations int
	// Workers is the number of searches run in parallel (with seeds Seed,
	// Seed+1, ...); they share their best solutions from time to time (an
	// island model) and the best result is kept. 0 means 1. With more than
	// one worker the result depends on timing, unless Independent is set.
	Workers int
	// Independent makes the workers share nothing: each runs its own search
	// and the best result is kept, ties going to the lowest seed. With
	// MaxIterations or Patience set (and no time limit reached) the result
	// then depends only on the problem, the seed and the number of workers,
	// whatever the timing.
	Independent bool
	// Population is the size of the initial population; 0 means 48. A
	// search that differs only by a larger MaxIterations or Patience then
	// continues the same search further, and its result is as good or
	// better (when it finds a feasible solution in the first half of
	// MaxIterations; after that a search may leave customers out).
	Population int
	// Patience stops a worker after this many iterations without a better
	// feasible solution, counted from its first feasible one; 0 means none
	// (but see MaxIterations).
	Patience int
	// Clock, when set, is the time source of TimeLimit instead of the wall
	// clock: any monotonic duration, such as the process's CPU time divided
	// by the workers, so that a benchmark's limit resists a loaded machine.
	Clock func() time.Duration
	// Progress, when set, is called with each new best feasible solution
	// of a worker (as Solve would return it), from the worker's goroutine,
	// one call at a time: an anytime curve can record when each was found.
	// A solution of fleet mode (the fleet too small) lists the customers
	// it leaves out in Unassigned. Progress does not change the search.
	Progress func(Solution)
}

// Route is one vehicle's route in a solution.
type Route struct {
	// Vehicle is the index into Problem.Vehicles.
	Vehicle int
	// Nodes are the customers in visiting order, depot excluded.
	Nodes []int
	// Distance is the sum of Dist over the route's arcs, depot to depot.
	Distance float64
	// Arrive and Start give, per node of Nodes, the arrival time and the
	// service start (later than the arrival when the vehicle waits for the
	// window to open). Without time windows, times start at 0.
	Arrive, Start []float64
	// Depart is the departure from the depot, chosen as early as possible
	// among the departures that make the route as short in time as it can be;
	// Return is the arrival back at the depot.
	Depart, Return float64
}

// Solution is the result of Solve.
type Solution struct {
	// Routes are the non-empty routes, at most one per vehicle.
	Routes []Route
	// Cost is the total distance of the routes.
	Cost float64
	// Unassigned are the customers left out, in increasing order: those no
	// vehicle can serve on its own and those the fleet has no room for.
	Unassigned []int
}

// maxValue bounds every number of a Problem: beyond it, sums of costs and
// the search's penalties could overflow. No distance, time or load of a
// real routing problem comes near it.
const maxValue = 1e15

// hasTime reports whether time windows and shifts apply.
func (p *Problem) hasTime() bool { return p.Ready != nil || p.Due != nil }

// travel returns the travel time from i to j.
func (p *Problem) travel(i, j int) float64 {
	if p.Time != nil {
		return p.Time[i][j]
	}
	return p.Dist[i][j]
}

// service returns the service duration at i.
func (p *Problem) service(i int) float64 {
	if p.Service != nil {
		return p.Service[i]
	}
	return 0
}

// shift returns the depot window a vehicle may use: the intersection of its
// shift and the depot's horizon.
func (p *Problem) shift(v int) (start, end float64) {
	start, end = math.Inf(-1), math.Inf(1)
	if !p.hasTime() {
		return 0, end
	}
	start, end = p.Ready[0], p.Due[0]
	veh := p.Vehicles[v]
	start = math.Max(start, veh.Start)
	if veh.End != 0 {
		end = math.Min(end, veh.End)
	}
	return start, end
}

// Validate checks the problem's shape and values. It returns nil or an error
// naming every problem found, so a caller can report them all at once.
func (p *Problem) Validate() error {
	if p == nil {
		return errors.New("routing: nil problem")
	}
	var errs []error
	bad := func(format string, args ...any) {
		if len(errs) < 20 {
			errs = append(errs, fmt.Errorf("routing: "+format, args...))
		}
	}
	n := len(p.Dist)
	if n == 0 {
		bad("dist: empty matrix, the depot (node 0) is required")
		return errors.Join(errs...)
	}
	matrix := func(name string, m [][]float64) {
		if len(m) != n {
			bad("%s: %d rows, want %d", name, len(m), n)
			return
		}
		for i, row := range m {
			if len(row) != n {
				bad("%s: row %d has %d entries, want %d", name, i, len(row), n)
				continue
			}
			for j, x := range row {
				if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || x > maxValue {
					bad("%s[%d][%d]: %v is not a non-negative number up to %g", name, i, j, x, maxValue)
				}
			}
		}
	}
	matrix("dist", p.Dist)
	if p.Time != nil {
		matrix("time", p.Time)
	}
	vector := func(name string, v []float64, optional bool) bool {
		if v == nil && optional {
			return false
		}
		if len(v) != n {
			bad("%s: %d entries, want %d (one per node)", name, len(v), n)
			return false
		}
		for i, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > maxValue {
				bad("%s[%d]: %v is not a number between -%g and %g", name, i, x, maxValue, maxValue)
			} else if x < 0 && name != "ready" && name != "due" {
				bad("%s[%d]: %v is negative", name, i, x)
			}
		}
		return true
	}
	if vector("demand", p.Demand, false) && p.Demand[0] != 0 {
		bad("demand[0]: %v, the depot has no demand", p.Demand[0])
	}
	if vector("service", p.Service, true) && p.Service[0] != 0 {
		bad("service[0]: %v, the depot has no service duration", p.Service[0])
	}
	if (p.Ready == nil) != (p.Due == nil) {
		bad("ready and due: give both time window vectors or neither")
	} else {
		okR := vector("ready", p.Ready, true)
		okD := vector("due", p.Due, true)
		if okR && okD {
			for i := range p.Ready {
				if p.Ready[i] > p.Due[i] {
					bad("node %d: window [%v, %v] ends before it starts", i, p.Ready[i], p.Due[i])
				}
			}
		}
	}
	if len(p.Vehicles) == 0 {
		bad("vehicles: empty fleet")
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && math.Abs(x) <= maxValue }
	for k, v := range p.Vehicles {
		if !finite(v.Capacity) || v.Capacity < 0 {
			bad("vehicles[%d].capacity: %v is not a non-negative number up to %g", k, v.Capacity, maxValue)
		}
		if !finite(v.Start) || !finite(v.End) {
			bad("vehicles[%d]: shift [%v, %v] is not within ±%g", k, v.Start, v.End, maxValue)
		} else if v.End != 0 && v.End < v.Start {
			bad("vehicles[%d]: shift [%v, %v] ends before it starts", k, v.Start, v.End)
		}
	}
	return errors.Join(errs...)
}

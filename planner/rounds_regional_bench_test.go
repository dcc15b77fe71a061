//go:build unix

package planner_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"paniers/planner"
	"paniers/planner/scengen"
)

// regionalWeek is the regional generated week of issue 17: 600 sites, 300
// producers, 120 products, 5,000 orders, 25 vans of 600 to 1,200 kg, mild
// shortage.
func regionalWeek() planner.Scenario {
	return scengen.Generate(scengen.Config{Seed: 1, Family: scengen.MildShortage, Producers: 300, Products: 120,
		Sites: 600, Orders: 5000, BasketTypes: 3, Vehicles: 25})
}

// BenchmarkPlanRegionalRounds plans the regional week with its rounds at
// efforts 1, 2 and 4 and plan seeds 1 to 5 (effort 1), reporting the
// total distance, the rounds and the process's CPU seconds per plan (the
// wall time on a loaded machine says little). Each plan takes tens of
// seconds of CPU: run one sub-benchmark at a time, for example
//
//	go test -run '^$' -bench 'PlanRegionalRounds/effort=1/seed=1$' -benchtime 1x -benchmem ./planner/
func BenchmarkPlanRegionalRounds(b *testing.B) {
	s := regionalWeek()
	run := func(b *testing.B, effort int, seed int64) {
		var p planner.Plan
		var cpu time.Duration
		for b.Loop() {
			c0 := processCPU()
			var err error
			if p, err = planner.PlanWeek(s, planner.Options{Seed: seed, Effort: effort}); err != nil {
				b.Fatal(err)
			}
			cpu += processCPU() - c0
		}
		b.ReportMetric(p.Summary.DistanceKm, "km")
		b.ReportMetric(float64(len(p.Rounds)), "rounds")
		b.ReportMetric(float64(len(p.Unrouted)), "unrouted")
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	}
	for _, effort := range []int{1, 2, 4} {
		for seed := int64(1); seed <= 5; seed++ {
			if effort > 1 && seed > 1 {
				break
			}
			b.Run(fmt.Sprintf("effort=%d/seed=%d", effort, seed), func(b *testing.B) { run(b, effort, seed) })
		}
	}
}

// processCPU is the CPU time the process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

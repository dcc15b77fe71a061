package planner_test

import (
	"fmt"
	"testing"

	"paniers/planner"
	"paniers/planner/scengen"
)

// BenchmarkPlanWeekRounds plans whole weeks, rounds included, at three
// sizes: a collective's week (30 sites), a small federation's (80) and a
// district's (200). Run with:
//
//	go test -run '^$' -bench PlanWeekRounds -benchtime 3x -benchmem ./planner/
func BenchmarkPlanWeekRounds(b *testing.B) {
	for _, sites := range []int{30, 80, 200} {
		s := scengen.Generate(scengen.Config{Seed: 78, Family: scengen.Ample, Producers: sites / 2, Products: 30,
			Sites: sites, Orders: 10 * sites, BasketTypes: 3, Vehicles: max(3, sites/13)})
		b.Run(fmt.Sprintf("sites=%d", sites), func(b *testing.B) {
			var p planner.Plan
			for b.Loop() {
				var err error
				if p, err = planner.PlanWeek(s, planner.Options{Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(p.Rounds)), "rounds")
			b.ReportMetric(float64(len(p.Unrouted)), "unrouted")
			b.ReportMetric(p.Summary.DistanceKm, "km")
		})
	}
}

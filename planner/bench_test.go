package planner_test

import (
	"testing"

	. "paniers/planner"
	"paniers/planner/scengen"
)

// BenchmarkAllocateRegional allocates a regional week (300 producers, 120
// products, 600 sites, 5,000 orders) without routing: validation,
// allocation and the written plan. Target: under 0.1 s and 100 MB per op.
func BenchmarkAllocateRegional(b *testing.B) {
	for _, f := range []scengen.Family{scengen.MildShortage, scengen.Ample, scengen.SevereShortage} {
		s := scengen.Regional(1, f)
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := PlanWeek(s, Options{NoRounds: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

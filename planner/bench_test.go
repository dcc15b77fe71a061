package planner_test

import (
	"bytes"
	"encoding/json"
	"io"
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

// BenchmarkPlanRegionalJSON is the same week, input and output included:
// reading and validating the scenario JSON, allocating, and writing the plan
// JSON (the shape of "paniers plan --no-rounds").
func BenchmarkPlanRegionalJSON(b *testing.B) {
	in, err := json.Marshal(scengen.Regional(1, scengen.MildShortage))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		s, err := ReadScenario(bytes.NewReader(in))
		if err != nil {
			b.Fatal(err)
		}
		p, err := PlanWeek(s, Options{NoRounds: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := json.NewEncoder(io.Discard).Encode(p); err != nil {
			b.Fatal(err)
		}
	}
}

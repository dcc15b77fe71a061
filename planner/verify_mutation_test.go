package planner_test

import (
	"os"
	"strings"
	"testing"

	. "paniers/planner"
)

func readSmall(t *testing.T) Scenario {
	t.Helper()
	f, err := os.Open("testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ReadScenario(f)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// clonePlan copies a plan deeply enough for the mutations below.
func clonePlan(p Plan) Plan {
	q := p
	q.Allocations = append([]Allocation{}, p.Allocations...)
	q.Shortfalls = append([]Shortfall{}, p.Shortfalls...)
	q.Unsold = append([]Unsold{}, p.Unsold...)
	q.Baskets = nil
	for _, b := range p.Baskets {
		b.Contents = append([]ProductQuantity{}, b.Contents...)
		q.Baskets = append(q.Baskets, b)
	}
	q.Summary.FillRate = map[string]float64{}
	for k, v := range p.Summary.FillRate {
		q.Summary.FillRate[k] = v
	}
	return q
}

func findAlloc(p Plan, order, product string) int {
	for i, a := range p.Allocations {
		if a.Order == order && a.Product == product {
			return i
		}
	}
	return -1
}

// TestVerifierCatchesBrokenPlans makes sure the verifier can fail: each
// mutation of a good plan breaks one rule and must be reported.
func TestVerifierCatchesBrokenPlans(t *testing.T) {
	s := readSmall(t)
	good, err := PlanWeek(s, Options{NoRounds: true})
	if err != nil {
		t.Fatal(err)
	}
	if bad := verifyPlan(s, good); len(bad) > 0 {
		t.Fatalf("the plan of testdata/small.json breaks the contract: %v", bad)
	}
	tests := []struct {
		name   string
		mutate func(p *Plan)
		want   string
	}{
		{"null list", func(p *Plan) { p.Rounds = nil }, "null"},
		{"over the order", func(p *Plan) { p.Allocations[findAlloc(*p, "o1", "carotte")].Quantity += 0.1 }, "rule 1"},
		{"not a step multiple", func(p *Plan) { p.Allocations[findAlloc(*p, "o6", "carotte")].Quantity -= 0.05 }, "multiple"},
		{"unfair canteens", func(p *Plan) {
			p.Allocations[findAlloc(*p, "o2", "pomme")].Quantity -= 1
			p.Allocations[findAlloc(*p, "o3", "pomme")].Quantity += 1
		}, "rule 3"},
		{"extras before a short canteen", func(p *Plan) {
			i := findAlloc(*p, "o2", "pomme")
			p.Allocations[i].Quantity -= 0.5
			p.Allocations = append(p.Allocations, Allocation{Order: "o7", Producer: p.Allocations[i].Producer, Product: "pomme", Quantity: 0.5})
		}, "rule 2"},
		{"unfair producers", func(p *Plan) {
			i := findAlloc(*p, "o6", "carotte")
			p.Allocations[i].Producer = "ferme-a"
		}, "rule 4"},
		{"shortfall dropped", func(p *Plan) { p.Shortfalls = p.Shortfalls[1:] }, "without a shortfall"},
		{"unsold dropped", func(p *Plan) { p.Unsold = p.Unsold[1:] }, "not listed"},
		{"wrong fill rate", func(p *Plan) { p.Summary.FillRate[ClassCanteen] += 0.01 }, "fill rate"},
		{"fill rate of a class without orders", func(p *Plan) { p.Summary.FillRate["other"] = 1 }, "unknown classes"},
		{"basket over its kg", func(p *Plan) {
			for i := range p.Baskets[0].Contents {
				p.Baskets[0].Contents[i].Quantity += 1
			}
		}, "rule 5"},
		{"carrots wasted", func(p *Plan) {
			i := findAlloc(*p, "o6", "carotte")
			p.Allocations[i].Quantity -= 1
		}, "rule 6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := clonePlan(good)
			tt.mutate(&p)
			bad := verifyPlan(s, p)
			if !strings.Contains(strings.Join(bad, "\n"), tt.want) {
				t.Errorf("verifier did not report %q; it said:\n%s", tt.want, strings.Join(bad, "\n"))
			}
		})
	}
}

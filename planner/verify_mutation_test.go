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

// TestVerifierCatchesBrokenBaskets makes sure the basket verifier can fail:
// each set of contents below breaks one basket rule and must be reported.
func TestVerifierCatchesBrokenBaskets(t *testing.T) {
	two := func() vCat {
		return vCat{name: "legume",
			prods: []vProd{{id: "a", w: 0.5, lo: 1, hi: 3, avail: 10, counted: true}, {id: "b", w: 0.5, lo: 1, hi: 3, avail: 10, counted: true}},
			types: []vType{{id: "t", n: 2, kg: 2, maxP: 2}}}
	}
	tests := []struct {
		name string
		edit func(c *vCat)
		x    [][]int64
		want string
	}{
		{"balanced contents pass", nil, [][]int64{{2, 2}}, ""},
		{"one product sold more (rule 10)", nil, [][]int64{{3, 1}}, "rule 10"},
		{"over basket_max", func(c *vCat) { c.prods[0].hi = 2 }, [][]int64{{3, 1}}, "basket_min..basket_max"},
		{"under basket_min", func(c *vCat) { c.prods[1].lo = 2 }, [][]int64{{3, 1}}, "basket_min..basket_max"},
		{"over max_products", func(c *vCat) { c.types[0].maxP = 1 }, [][]int64{{2, 2}}, "max_products"},
		{"a move still fits (rules 2 and 6)", nil, [][]int64{{2, 1}}, "one more move"},
		{"entering takes the whole basket_min", func(c *vCat) {
			c.prods[1].lo = 2
			c.types[0].kg = 2.5
		}, [][]int64{{3, 0}}, "one more move"},
		{"min_products broken", func(c *vCat) {
			c.types[0].minP = 2
			c.minApplies = true
		}, [][]int64{{3, 0}}, "minimum"},
		{"unfair between types (rule 3)", func(c *vCat) {
			c.prods[0].avail, c.prods[1].avail = 5, 4
			c.types = append(c.types, vType{id: "u", n: 1, kg: 2, maxP: 2})
		}, [][]int64{{2, 2}, {1, 0}}, "rule 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := two()
			if tt.edit != nil {
				tt.edit(&c)
			}
			c.x = tt.x
			got := strings.Join(append(c.rules(c.x), c.fairerSwap()), "\n")
			if tt.want == "" && strings.TrimSpace(got) != "" || !strings.Contains(got, tt.want) {
				t.Errorf("want %q, the verifier said:\n%s", tt.want, got)
			}
		})
	}
}

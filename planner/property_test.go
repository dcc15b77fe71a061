package planner_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	. "paniers/planner"
	"paniers/planner/scengen"
)

// smallConfig sizes a small generated scenario from its index, so that a run
// covers many shapes: few or many producers, products, sites and orders.
func smallConfig(i int, f scengen.Family) scengen.Config {
	return scengen.Config{
		Seed:        int64(1000 + i),
		Family:      f,
		Producers:   1 + i%4,
		Products:    2 + i%5,
		Sites:       1 + i%4,
		Orders:      1 + i%11,
		BasketTypes: i % 3,
		Vehicles:    1,
	}
}

// TestPlanObeysContractOnGeneratedScenarios runs the independent verifier on
// hundreds of small generated scenarios of every family, and a few medium
// ones, with and without a left-out site and producer (rule 8).
func TestPlanObeysContractOnGeneratedScenarios(t *testing.T) {
	small := 60
	if testing.Short() {
		small = 15
	}
	for _, f := range scengen.Families {
		for i := range small {
			s := scengen.Generate(smallConfig(i, f))
			checkScenario(t, fmt.Sprintf("%s/small-%d", f, i), s)
		}
		for i := range 2 {
			s := scengen.Generate(scengen.Config{Seed: int64(77 + i), Family: f, Producers: 20, Products: 15,
				Sites: 30, Orders: 200, BasketTypes: 3, Vehicles: 3})
			checkScenario(t, fmt.Sprintf("%s/medium-%d", f, i), s)
		}
	}
}

// withPortions gives a generated week portions as a coordinator would set
// them: every third product a basket_min of two to four steps, every fourth
// a basket_max, and every basket type's categories a max_products, so that
// the property tests cover rule 5's new bounds beside the defaults.
func withPortions(s Scenario) Scenario {
	s.Products = append([]Product(nil), s.Products...)
	for i := range s.Products {
		p := &s.Products[i]
		if i%3 == 0 {
			p.BasketMin = float64(2+i%3) * p.Step
		}
		if i%4 == 1 {
			p.BasketMax = math.Max(p.BasketMin, float64(3+i%5)*p.Step)
		}
	}
	s.BasketTypes = append([]BasketType(nil), s.BasketTypes...)
	for i := range s.BasketTypes {
		bt := &s.BasketTypes[i]
		bt.PriceCents = int64(1000 + 500*i)
		bt.Contents = append([]CategoryContent(nil), bt.Contents...)
		for j := range bt.Contents {
			bt.Contents[j].MaxProducts = max(bt.Contents[j].MinProducts, 2+(i+j)%4)
		}
	}
	return s
}

func checkScenario(t *testing.T, name string, s Scenario) {
	t.Helper()
	checkWeek(t, name, s)
	checkWeek(t, name+"/portions", withPortions(s))
}

func checkWeek(t *testing.T, name string, s Scenario) {
	t.Helper()
	if err := Validate(s); err != nil {
		t.Fatalf("%s: generated scenario is invalid: %v", name, err)
	}
	for _, seed := range []int64{1, 7} {
		p, err := PlanWeek(s, Options{Seed: seed, NoRounds: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if bad := verifyPlan(s, p); len(bad) > 0 {
			t.Errorf("%s seed %d breaks the contract:\n  %s", name, seed, strings.Join(bad, "\n  "))
		}
	}
	// Rule 8: leave out the first site and producer as if no round could
	// serve them; the verifier checks they take no part.
	if len(s.Sites) > 0 && len(s.Producers) > 0 {
		p := AllocateExcluding(s, map[string]string{s.Sites[0].ID: "fenêtre trop courte"},
			map[string]string{s.Producers[0].ID: "trop loin"}, Options{Seed: 1})
		p.Unrouted = []Unrouted{{Site: s.Sites[0].ID, Reason: "fenêtre trop courte"}, {Producer: s.Producers[0].ID, Reason: "trop loin"}}
		if bad := verifyPlan(s, p); len(bad) > 0 {
			t.Errorf("%s with exclusions breaks the contract:\n  %s", name, strings.Join(bad, "\n  "))
		}
	}
}

// TestRegionalPlansObeyContract runs the verifier on regional weeks (300
// producers, 120 products, 600 sites, 5,000 orders) of three families.
func TestRegionalPlansObeyContract(t *testing.T) {
	if testing.Short() {
		t.Skip("regional weeks in -short mode")
	}
	for _, f := range []scengen.Family{scengen.MildShortage, scengen.Ample, scengen.SevereShortage} {
		s := scengen.Regional(1, f)
		for _, w := range []Scenario{s, withPortions(s)} {
			p, err := PlanWeek(w, Options{NoRounds: true})
			if err != nil {
				t.Fatal(err)
			}
			if bad := verifyPlan(w, p); len(bad) > 0 {
				t.Errorf("regional %s week breaks the contract (%d problems), first: %s", f, len(bad), bad[0])
			}
		}
	}
}

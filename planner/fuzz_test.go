package planner_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	. "paniers/planner"
	"paniers/planner/scengen"
)

// FuzzReadScenario feeds arbitrary bytes to the JSON reader, the validator
// and the allocation (without rounds). Nothing may panic or hang; a scenario
// the reader accepts must plan, and the plan must obey the contract.
func FuzzReadScenario(f *testing.F) {
	small, err := os.ReadFile("testdata/small.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	for i, fam := range scengen.Families {
		b, err := json.Marshal(scengen.Generate(scengen.Config{Seed: int64(i), Family: fam, Orders: 6}))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"products":[{"id":"p","step":1e-300,"kg_per_unit":1e300}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadScenario(bytes.NewReader(data))
		if err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) && len(ve.Problems) == 0 {
				t.Fatalf("validation error without problems")
			}
			return
		}
		p, err := PlanWeek(s, Options{NoRounds: true})
		if err != nil {
			t.Fatalf("valid scenario does not plan: %v", err)
		}
		if len(s.Orders) <= 12 && len(s.Products) <= 8 {
			if bad := verifyPlan(s, p); len(bad) > 0 {
				t.Fatalf("plan breaks the contract: %v", bad)
			}
		}
		if _, err := json.Marshal(p); err != nil {
			t.Fatalf("plan does not marshal: %v", err)
		}
	})
}

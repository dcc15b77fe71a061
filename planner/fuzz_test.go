package planner_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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

// FuzzPlanTiny builds a tiny week from the fuzzer's bytes (products, offers,
// canteen, basket and extra orders, basket types) and checks the plan with
// the independent verifier: a structure-aware search for rule violations.
func FuzzPlanTiny(f *testing.F) {
	f.Add([]byte{3, 2, 7, 1, 9, 4, 2, 0, 5, 1, 8, 3, 3, 6, 2, 1, 0, 4})
	f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		next := fuzzBytes(data)
		s := tinyBase()
		units := []struct {
			kgpu, step float64
		}{{1, 0.1}, {0.3, 1}, {0.5, 1}, {0.4, 1}, {1, 0.2}, {1.2, 1}}
		cats := []string{"legume", "fruit"}
		nP := 1 + next()%4
		for j := range nP {
			u := units[next()%len(units)]
			id := fmt.Sprintf("p%d", j)
			pr := Product{ID: id, Unit: "u", KgPerUnit: u.kgpu, Category: cats[next()%2], Step: u.step}
			// Portions: none, a basket_min, a basket_max, or both.
			switch k := next() % 4; k {
			case 1, 3:
				pr.BasketMin = float64(1+next()%4) * u.step
				if k == 3 {
					pr.BasketMax = pr.BasketMin + float64(next()%4)*u.step
				}
			case 2:
				pr.BasketMax = float64(1+next()%5) * u.step
			}
			s.Products = append(s.Products, pr)
		}
		for i := range 1 + next()%3 {
			id := fmt.Sprintf("f%d", i)
			s.Producers = append(s.Producers, Producer{ID: id, Lat: 50.4, Lon: 2.8})
			for j, p := range s.Products {
				if q := next() % 16; q > 0 && (i+j+q)%3 != 0 {
					s.Offers = append(s.Offers, Offer{Producer: id, Product: p.ID, Quantity: float64(q) * p.Step, PriceCents: int64(50 + 10*q)})
				}
			}
		}
		for b := range next() % 3 {
			bt := BasketType{ID: fmt.Sprintf("b%d", b), PriceCents: int64(next() % 2 * 1500)}
			for c, cat := range cats {
				if next()%3 != 0 || c == 0 {
					cc := CategoryContent{Category: cat, Kg: 0.2 * float64(1+next()%8), MinProducts: next() % 3}
					if m := next() % 4; m > 0 {
						cc.MaxProducts = max(m, cc.MinProducts)
					}
					bt.Contents = append(bt.Contents, cc)
				}
			}
			s.BasketTypes = append(s.BasketTypes, bt)
		}
		for i := range next() % 8 {
			id := fmt.Sprintf("o%d", i)
			switch k := next() % 3; {
			case k == 1 && len(s.BasketTypes) > 0:
				s.Orders = append(s.Orders, Order{ID: id, Site: "relais", Class: ClassBasket,
					Basket: s.BasketTypes[next()%len(s.BasketTypes)].ID, Count: 1 + next()%5})
			default:
				p := s.Products[next()%len(s.Products)]
				class, site := ClassExtra, "relais"
				if k == 0 {
					class, site = ClassCanteen, "cantine"
				}
				s.Orders = append(s.Orders, Order{ID: id, Site: site, Class: class, Product: p.ID,
					Quantity: float64(1+next()%9) * p.Step})
			}
		}
		if err := Validate(s); err != nil {
			t.Skip()
		}
		p, err := PlanWeek(s, Options{NoRounds: true, Seed: int64(next())})
		if err != nil {
			t.Fatal(err)
		}
		if bad := verifyPlan(s, p); len(bad) > 0 {
			b, _ := json.Marshal(s)
			t.Fatalf("plan breaks the contract: %v\nscenario: %s", bad, b)
		}
	})
}

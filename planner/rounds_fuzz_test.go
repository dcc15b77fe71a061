package planner_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"paniers/planner"
)

// FuzzRounds builds a small week from the fuzzer's bytes (sites and
// producers placed around the hub with their windows and service times, a
// fleet of vans with capacities and shifts, orders, same-day or not) and
// checks its rounds with the independent verifier of rules 7 and 8: a
// structure-aware search for round violations. Run with
//
//	go test -run '^$' -fuzz FuzzRounds -fuzztime 60s ./planner/
func FuzzRounds(f *testing.F) {
	f.Add([]byte{2, 3, 1, 40, 8, 17, 200, 3, 9, 1, 4, 5, 70, 2, 33, 6, 90, 1})
	f.Add([]byte{0, 1, 0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5})
	f.Add([]byte{3, 4, 2, 255, 0, 128, 64, 32, 16, 8, 4, 2, 1, 250, 200, 150, 100, 50, 25})
	f.Fuzz(func(t *testing.T, data []byte) {
		next := fuzzBytes(data)
		clock := func(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }
		window := func(from, length int) planner.Window {
			a := min(from, 24*60)
			return planner.Window{clock(a), clock(min(a+length, 24*60))}
		}
		s := roundsBase()
		if next()%4 == 0 {
			s.CollectionDate = s.DeliveryDate
		}
		s.Vehicles = nil
		for i := range next() % 4 {
			s.Vehicles = append(s.Vehicles, planner.Vehicle{ID: fmt.Sprintf("van-%d", i),
				CapacityKg: float64(10 + 4*next()), Shift: window(5*60+4*next(), 60+5*next())})
		}
		s.Producers[0].Collect = next()%3 != 0
		s.Producers[0].Window = window(6*60+5*next(), 20+3*next())
		s.Producers[0].ServiceMin = float64(next()%30) / 2
		s.Offers[0].Quantity = float64(50 + 10*next())
		s.Sites = s.Sites[:0]
		s.Orders = s.Orders[:0]
		for i := range 1 + next()%5 {
			id := fmt.Sprintf("site-%d", i)
			kind := planner.KindRelay
			if next()%3 == 0 {
				kind = planner.KindCanteen
			}
			s.Sites = append(s.Sites, planner.Site{ID: id, Kind: kind,
				Lat: 50.4578 + float64(next()-128)/2000, Lon: 2.7917 + float64(next()-128)/1500,
				Window: window(6*60+4*next(), 10+4*next()), ServiceMin: float64(next() % 25)})
			class := planner.ClassExtra
			if kind == planner.KindCanteen {
				class = planner.ClassCanteen
			}
			product, q := "carotte", float64(1+next())
			if next()%2 == 0 {
				product, q = "courge", float64(1+next()%20)
			}
			s.Orders = append(s.Orders, planner.Order{ID: "o-" + id, Site: id, Class: class, Product: product, Quantity: q})
		}
		if err := planner.Validate(s); err != nil {
			t.Skip()
		}
		p, err := planner.PlanWeek(s, planner.Options{Seed: int64(next())})
		if err != nil {
			t.Fatal(err)
		}
		if bad := verifyRounds(s, p); len(bad) > 0 {
			b, _ := json.Marshal(s)
			t.Fatalf("rounds break rules 7-8:\n  %s\nscenario: %s", strings.Join(bad, "\n  "), b)
		}
	})
}

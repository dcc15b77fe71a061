package planner_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"paniers/planner"
	"paniers/planner/scengen"
)

// roundsVariant bends a generated scenario so that the rounds meet the hard
// cases of rules 7 and 8: loads heavier than the vans, short shifts, one van
// for many stops, tight windows, collections on the delivery day.
type roundsVariant struct {
	name  string
	apply func(s *planner.Scenario)
}

var roundsVariants = []roundsVariant{
	{"as generated", func(s *planner.Scenario) {}},
	{"small vans", func(s *planner.Scenario) {
		// Vans of 100 to 200 kg: heavy sites and producers are split, vans
		// drive several rounds.
		for i := range s.Vehicles {
			s.Vehicles[i].CapacityKg = float64(100 + 50*(i%3))
		}
	}},
	{"one short van", func(s *planner.Scenario) {
		s.Vehicles = []planner.Vehicle{{ID: "van", CapacityKg: 150, Shift: planner.Window{"07:30", "10:30"}}}
	}},
	{"same day", func(s *planner.Scenario) {
		s.CollectionDate = s.DeliveryDate
		for i := range s.Vehicles {
			s.Vehicles[i].CapacityKg = 120
		}
	}},
	{"tight windows", func(s *planner.Scenario) {
		for i := range s.Sites {
			if i%2 == 0 {
				s.Sites[i].Window = planner.Window{"06:00", "06:10"}
			}
		}
		for i := range s.Producers {
			s.Producers[i].Collect = true
			s.Producers[i].Window = planner.Window{"13:07", "13:41"}
			s.Producers[i].ServiceMin = 7.5
		}
	}},
	{"no vehicle", func(s *planner.Scenario) { s.Vehicles = nil }},
}

// TestRoundsObeyContractOnGeneratedScenarios plans generated scenarios of
// every family under every variant and checks rules 7 and 8 with the
// independent verifier, and rule 9 by planning twice.
func TestRoundsObeyContractOnGeneratedScenarios(t *testing.T) {
	count := 6
	if testing.Short() {
		count = 2
	}
	for _, f := range scengen.Families {
		for i := range count {
			cfg := scengen.Config{Seed: int64(500 + i), Family: f, Producers: 2 + i%5, Products: 3 + i%5,
				Sites: 2 + i%7, Orders: 4 + 3*i, BasketTypes: i % 3, Vehicles: 1 + i%3}
			for _, v := range roundsVariants {
				s := scengen.Generate(cfg)
				v.apply(&s)
				name := fmt.Sprintf("%s/%d/%s", f, i, v.name)
				p := planOrFail(t, name, s, planner.Options{Seed: int64(1 + i%2)})
				if bad := verifyRounds(s, p); len(bad) > 0 {
					t.Errorf("%s breaks rules 7-8:\n  %s", name, strings.Join(bad, "\n  "))
				}
				if i%4 == 0 {
					again := planOrFail(t, name, s, planner.Options{Seed: int64(1 + i%2)})
					if !bytes.Equal(mustJSON(t, p), mustJSON(t, again)) {
						t.Errorf("%s: two runs give different plans (rule 9)", name)
					}
				}
			}
		}
	}
}

func planOrFail(t *testing.T, name string, s planner.Scenario, opt planner.Options) planner.Plan {
	t.Helper()
	p, err := planner.PlanWeek(s, opt)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return p
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// base is a small week near Loos-en-Gohelle: one producer collected, one
// bringing its produce, a canteen and a relay point ordering carrots.
func roundsBase() planner.Scenario {
	return planner.Scenario{
		Week: "2026-W49", DeliveryDate: "2026-12-01", CollectionDate: "2026-11-30", Timezone: "Europe/Paris",
		Hub:    planner.Hub{ID: "hub", Name: "Plateforme", Lat: 50.4578, Lon: 2.7917},
		Travel: planner.Travel{DetourFactor: 1.3, SpeedKmh: 40},
		Products: []planner.Product{
			{ID: "carotte", Name: "Carottes", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1},
			{ID: "courge", Name: "Courges", Unit: "piece", KgPerUnit: 2.5, Category: "legume", Step: 1},
		},
		Producers: []planner.Producer{
			{ID: "ferme-a", Name: "Ferme A", Lat: 50.47, Lon: 2.75, Collect: true, Window: planner.Window{"13:00", "18:00"}, ServiceMin: 10},
			{ID: "ferme-b", Name: "Ferme B", Lat: 50.44, Lon: 2.80, Collect: false},
		},
		Offers: []planner.Offer{
			{Producer: "ferme-a", Product: "carotte", Quantity: 300, PriceCents: 190},
			{Producer: "ferme-b", Product: "courge", Quantity: 40, PriceCents: 300},
		},
		Sites: []planner.Site{
			{ID: "cantine-a", Name: "Maternelle A", Kind: planner.KindCanteen, Lat: 50.46, Lon: 2.79, Window: planner.Window{"07:00", "09:00"}, ServiceMin: 15},
			{ID: "relais-centre", Name: "Relais du centre", Kind: planner.KindRelay, Lat: 50.43, Lon: 2.83, Window: planner.Window{"09:00", "16:00"}, ServiceMin: 10},
		},
		Orders: []planner.Order{
			{ID: "o1", Site: "cantine-a", Class: planner.ClassCanteen, Product: "carotte", Quantity: 40},
			{ID: "o2", Site: "relais-centre", Class: planner.ClassExtra, Product: "carotte", Quantity: 30},
			{ID: "o3", Site: "relais-centre", Class: planner.ClassExtra, Product: "courge", Quantity: 10},
		},
		Vehicles: []planner.Vehicle{{ID: "camion-1", CapacityKg: 800, Shift: planner.Window{"06:00", "18:00"}}},
	}
}

// visits counts the stops of a site or producer over all rounds.
func visits(p planner.Plan, id string) int {
	n := 0
	for _, r := range p.Rounds {
		for _, st := range r.Stops {
			if st.Site == id || st.Producer == id {
				n++
			}
		}
	}
	return n
}

func unroutedReason(p planner.Plan, id string) string {
	for _, u := range p.Unrouted {
		if u.Site == id || u.Producer == id {
			return u.Reason
		}
	}
	return ""
}

// TestRoundsCases checks situations of rules 7 and 8 one by one, each with
// the verifier and with what the case is about.
func TestRoundsCases(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *planner.Scenario)
		lang   string
		check  func(t *testing.T, s planner.Scenario, p planner.Plan)
	}{
		{"basic", func(s *planner.Scenario) {}, "", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if len(p.Rounds) != 2 || len(p.Unrouted) != 0 {
				t.Fatalf("want one collection and one delivery round, got %d rounds, unrouted %v", len(p.Rounds), p.Unrouted)
			}
			if visits(p, "ferme-b") != 0 {
				t.Errorf("ferme-b brings its produce but is visited")
			}
			if p.Summary.VehiclesUsed != 1 {
				t.Errorf("vehicles_used %d", p.Summary.VehiclesUsed)
			}
		}},
		{"split load", func(s *planner.Scenario) {
			s.Offers[0].Quantity = 3000
			s.Orders[1].Quantity = 2000 // 2000 kg of carrots to the relay
			s.Vehicles = append(s.Vehicles, planner.Vehicle{ID: "camion-2", CapacityKg: 700, Shift: planner.Window{"06:00", "18:00"}})
		}, "", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if n := visits(p, "relais-centre"); n != 3 {
				t.Errorf("2025 kg with vans of 800 and 700 kg: %d visits, want 3", n)
			}
			if n := visits(p, "ferme-a"); n != 3 {
				t.Errorf("ferme-a sells 2040 kg: %d visits, want 3", n)
			}
		}},
		{"multi-trip", func(s *planner.Scenario) {
			s.Vehicles[0].CapacityKg = 60 // canteen 40 kg + relay 55 kg: two trips
		}, "", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if len(p.Unrouted) != 0 {
				t.Fatalf("unrouted %v", p.Unrouted)
			}
			deliveries := 0
			for _, r := range p.Rounds {
				if r.Kind == planner.RoundDelivery {
					deliveries++
				}
			}
			if deliveries != 2 {
				t.Errorf("%d delivery rounds, want two trips of the one van", deliveries)
			}
		}},
		{"window out of reach", func(s *planner.Scenario) {
			s.Sites[1].Lat, s.Sites[1].Lon = 50.95, 2.3 // about 70 km away
			s.Sites[1].Window = planner.Window{"06:00", "06:30"}
		}, "", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if r := unroutedReason(p, "relais-centre"); !strings.HasPrefix(r, "fenêtre hors d'atteinte") || !strings.Contains(r, "06:30") {
				t.Errorf("reason %q", r)
			}
			if visits(p, "relais-centre") != 0 || visits(p, "cantine-a") != 1 {
				t.Errorf("visits: relay %d, canteen %d", visits(p, "relais-centre"), visits(p, "cantine-a"))
			}
		}},
		{"window out of reach, in English", func(s *planner.Scenario) {
			s.Sites[1].Window = planner.Window{"05:00", "05:30"}
		}, "en", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if r := unroutedReason(p, "relais-centre"); !strings.HasPrefix(r, "window out of reach") {
				t.Errorf("reason %q", r)
			}
			for _, sf := range p.Shortfalls {
				if sf.Order == "o2" && !strings.Contains(sf.Reason, "window out of reach") {
					t.Errorf("shortfall of the unrouted site's order gives %q", sf.Reason)
				}
			}
		}},
		{"step heavier than any van", func(s *planner.Scenario) {
			s.Products[1].KgPerUnit = 900 // one squash weighs 900 kg
		}, "", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if r := unroutedReason(p, "relais-centre"); !strings.HasPrefix(r, "charge trop lourde") {
				t.Errorf("reason %q", r)
			}
			// The canteen is still served: only the relay is left out.
			if visits(p, "cantine-a") != 1 {
				t.Errorf("canteen not delivered")
			}
		}},
		{"fleet used up: lowest class first", func(s *planner.Scenario) {
			// One van, 60 kg: the canteen (40 kg) and the relay (55 kg)
			// cannot both be served within a 50-minute shift. The farm
			// brings its carrots.
			s.Producers[0].Collect = false
			s.Vehicles[0].CapacityKg = 60
			s.Vehicles[0].Shift = planner.Window{"06:50", "07:40"}
			s.Sites[1].Window = planner.Window{"07:00", "09:00"}
		}, "", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if visits(p, "cantine-a") != 1 {
				t.Errorf("the canteen must be served first")
			}
			if r := unroutedReason(p, "relais-centre"); !strings.HasPrefix(r, "flotte saturée") {
				t.Errorf("reason %q", r)
			}
		}},
		{"one van is enough", func(s *planner.Scenario) {
			// Three identical vans: the morning deliveries and the afternoon
			// collection fit one van's shift, so one van drives them all.
			s.Vehicles = []planner.Vehicle{
				{ID: "van-a", CapacityKg: 800, Shift: planner.Window{"06:00", "18:00"}},
				{ID: "van-b", CapacityKg: 800, Shift: planner.Window{"06:00", "18:00"}},
				{ID: "van-c", CapacityKg: 800, Shift: planner.Window{"06:00", "18:00"}},
			}
			s.CollectionDate = s.DeliveryDate
			s.Sites[1].Window = planner.Window{"09:00", "11:00"}
		}, "", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if p.Summary.VehiclesUsed != 1 || len(p.Rounds) < 2 {
				t.Errorf("%d rounds on %d vehicles, want one van for all", len(p.Rounds), p.Summary.VehiclesUsed)
			}
		}},
		{"astronomical van", func(s *planner.Scenario) { s.Vehicles[0].CapacityKg = 1e300 }, "", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if len(p.Rounds) != 2 || len(p.Unrouted) != 0 {
				t.Errorf("rounds %d, unrouted %v", len(p.Rounds), p.Unrouted)
			}
		}},
		{"speed close to zero", func(s *planner.Scenario) { s.Travel.SpeedKmh = 1e-300 }, "", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if len(p.Rounds) != 0 || len(p.Unrouted) != 3 {
				t.Fatalf("rounds %d, unrouted %v", len(p.Rounds), p.Unrouted)
			}
			for _, u := range p.Unrouted {
				if !strings.HasPrefix(u.Reason, "fenêtre hors d'atteinte") {
					t.Errorf("reason %q", u.Reason)
				}
			}
		}},
		{"detour overflowing", func(s *planner.Scenario) { s.Travel.DetourFactor = 1e308 }, "", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if len(p.Rounds) != 0 || len(p.Unrouted) != 3 {
				t.Fatalf("rounds %d, unrouted %v", len(p.Rounds), p.Unrouted)
			}
		}},
		{"no vehicle", func(s *planner.Scenario) { s.Vehicles = nil }, "en", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if len(p.Rounds) != 0 || len(p.Unrouted) != 3 {
				t.Errorf("rounds %d, unrouted %v", len(p.Rounds), p.Unrouted)
			}
			if p.Summary.DistanceKm != 0 || p.Summary.VehiclesUsed != 0 {
				t.Errorf("summary %+v", p.Summary)
			}
		}},
		{"same day", func(s *planner.Scenario) {
			s.CollectionDate = s.DeliveryDate
			s.Producers[0].Window = planner.Window{"08:00", "10:00"}
			s.Vehicles[0].Shift = planner.Window{"06:30", "12:00"}
		}, "", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if len(p.Rounds) < 2 || len(p.Unrouted) != 0 {
				t.Errorf("rounds %d, unrouted %v", len(p.Rounds), p.Unrouted)
			}
		}},
		{"windows on whole minutes only after rounding", func(s *planner.Scenario) {
			// Odd speeds and service times put exact times between minutes.
			s.Travel.SpeedKmh = 37.3
			s.Sites[0].ServiceMin = 7.7
			s.Sites[0].Window = planner.Window{"06:01", "06:03"}
			s.Vehicles[0].Shift = planner.Window{"06:00", "18:00"}
		}, "", func(t *testing.T, s planner.Scenario, p planner.Plan) {
			if visits(p, "cantine-a") != 1 {
				t.Errorf("canteen not visited: unrouted %v", p.Unrouted)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := roundsBase()
			tt.change(&s)
			p := planOrFail(t, tt.name, s, planner.Options{Lang: tt.lang})
			if bad := verifyRounds(s, p); len(bad) > 0 {
				t.Errorf("breaks rules 7-8:\n  %s", strings.Join(bad, "\n  "))
			}
			tt.check(t, s, p)
		})
	}
}

// TestRoundsTravelMatrix checks that rounds use Options.Matrix when given,
// and that a failing source fails the plan instead of giving rounds on
// made-up times.
func TestRoundsTravelMatrix(t *testing.T) {
	s := roundsBase()
	// A road network twice as long as the great circle, driven at 30 km/h.
	double := func(points []planner.LatLon, tr planner.Travel) ([][]float64, [][]float64, error) {
		d, _, err := planner.GreatCircleMatrix(points, planner.Travel{DetourFactor: 2 * tr.DetourFactor, SpeedKmh: tr.SpeedKmh})
		if err != nil {
			return nil, nil, err
		}
		m := make([][]float64, len(d))
		for i := range d {
			m[i] = make([]float64, len(d))
			for j := range d {
				m[i][j] = d[i][j] / 30 * 60
			}
		}
		return d, m, nil
	}
	p := planOrFail(t, "matrix", s, planner.Options{Matrix: double})
	road := func(lat1, lon1, lat2, lon2 float64) (float64, float64) {
		d := 2 * rvKm(s, lat1, lon1, lat2, lon2)
		return d, d / 30 * 60
	}
	if bad := verifyRoundsWith(s, p, road); len(bad) > 0 {
		t.Errorf("rounds do not follow the given matrix:\n  %s", strings.Join(bad, "\n  "))
	}
	plain := planOrFail(t, "plain", s, planner.Options{})
	if math.Abs(p.Summary.DistanceKm-2*plain.Summary.DistanceKm) > 0.2 {
		t.Errorf("distance %v with the matrix, %v without", p.Summary.DistanceKm, plain.Summary.DistanceKm)
	}

	broken := []struct {
		name string
		m    planner.TravelMatrix
		want string
	}{
		{"error", func([]planner.LatLon, planner.Travel) ([][]float64, [][]float64, error) {
			return nil, nil, errors.New("osrm: down")
		}, "osrm: down"},
		{"short", func(points []planner.LatLon, _ planner.Travel) ([][]float64, [][]float64, error) {
			return [][]float64{{0}}, [][]float64{{0}}, nil
		}, "rows"},
		{"negative", func(points []planner.LatLon, tr planner.Travel) ([][]float64, [][]float64, error) {
			d, m, _ := planner.GreatCircleMatrix(points, tr)
			m[0][1] = -3
			return d, m, nil
		}, "time[0][1] = -3 is not a non-negative number"},
	}
	for _, b := range broken {
		if _, err := planner.PlanWeek(s, planner.Options{Matrix: b.m}); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: err %v, want %q", b.name, err, b.want)
		}
	}
}

// TestRoundsVerifierCatchesBrokenRounds makes sure the verifier is not a
// test that cannot fail: each mutation of a good plan must be reported.
func TestRoundsVerifierCatchesBrokenRounds(t *testing.T) {
	s := roundsBase()
	s.Vehicles = append(s.Vehicles, planner.Vehicle{ID: "camion-2", CapacityKg: 50, Shift: planner.Window{"06:00", "18:00"}})
	good := planOrFail(t, "good", s, planner.Options{})
	if bad := verifyRounds(s, good); len(bad) > 0 {
		t.Fatalf("good plan rejected: %v", bad)
	}
	deliveryStop := func(p *planner.Plan) *planner.Stop {
		for i := range p.Rounds {
			if p.Rounds[i].Kind == planner.RoundDelivery {
				return &p.Rounds[i].Stops[0]
			}
		}
		t.Fatal("no delivery round")
		return nil
	}
	mutations := []struct {
		name   string
		mutate func(p *planner.Plan)
		want   string
	}{
		{"late arrival", func(p *planner.Plan) { deliveryStop(p).Arrive = "23:00" }, "after the window ends"},
		{"early start", func(p *planner.Plan) { deliveryStop(p).Start = "05:00" }, "before the window opens"},
		{"short stay", func(p *planner.Plan) {
			st := deliveryStop(p)
			st.Leave = st.Start
		}, "stays 0 min"},
		{"dropped delivery", func(p *planner.Plan) {
			st := deliveryStop(p)
			st.Deliver = st.Deliver[1:]
		}, "delivered"},
		{"more delivered", func(p *planner.Plan) { deliveryStop(p).Deliver[0].Quantity += 1 }, "delivered"},
		{"collected too little", func(p *planner.Plan) { p.Rounds[0].Stops[0].Collect[0].Quantity /= 2 }, "collected"},
		{"distance", func(p *planner.Plan) { p.Rounds[0].DistanceKm += 1 }, "distance_km"},
		{"summary distance", func(p *planner.Plan) { p.Summary.DistanceKm += 1 }, "summary distance_km"},
		{"vehicles used", func(p *planner.Plan) { p.Summary.VehiclesUsed = 5 }, "vehicles_used"},
		{"outside shift", func(p *planner.Plan) { p.Rounds[0].Return = "19:00" }, "outside the shift"},
		{"small van", func(p *planner.Plan) { p.Rounds[0].Vehicle = "camion-2" }, "capacity"},
		{"overlap", func(p *planner.Plan) {
			r := p.Rounds[len(p.Rounds)-1]
			p.Rounds = append(p.Rounds, r)
			p.Summary.DistanceKm += r.DistanceKm
		}, "overlap"},
		{"unvisited", func(p *planner.Plan) { p.Rounds = p.Rounds[:1] }, "no round visits it"},
		{"teleport", func(p *planner.Plan) { p.Rounds[0].Depart = p.Rounds[0].Stops[0].Arrive }, "travel takes"},
		{"unrouted but allocated", func(p *planner.Plan) {
			p.Unrouted = append(p.Unrouted, planner.Unrouted{Site: "cantine-a", Reason: "x"})
		}, "still receives"},
		{"unrouted without reason", func(p *planner.Plan) {
			p.Unrouted = append(p.Unrouted, planner.Unrouted{Producer: "ferme-b"})
		}, "no reason"},
	}
	for _, m := range mutations {
		p := cloneRoundsPlan(t, good)
		m.mutate(&p)
		bad := verifyRounds(s, p)
		if !strings.Contains(strings.Join(bad, "\n"), m.want) {
			t.Errorf("%s: verifier says %v, want a line with %q", m.name, bad, m.want)
		}
	}
}

func cloneRoundsPlan(t *testing.T, p planner.Plan) planner.Plan {
	t.Helper()
	var out planner.Plan
	if err := json.Unmarshal(mustJSON(t, p), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRoundsShortestTour compares the delivery round of one van with wide
// windows to the shortest tour found by trying every order of the stops,
// distances computed by the verifier's own haversine.
func TestRoundsShortestTour(t *testing.T) {
	s := roundsBase()
	s.Producers[0].Collect = false
	s.Offers[0].Quantity = 1000
	s.Orders = s.Orders[:0]
	s.Sites = s.Sites[:0]
	coords := [][2]float64{{50.43, 2.83}, {50.47, 2.70}, {50.40, 2.76}, {50.49, 2.81}, {50.44, 2.88}, {50.42, 2.72}}
	for i, c := range coords {
		id := fmt.Sprintf("relais-%d", i)
		s.Sites = append(s.Sites, planner.Site{ID: id, Kind: planner.KindRelay, Lat: c[0], Lon: c[1],
			Window: planner.Window{"08:00", "17:00"}, ServiceMin: 10})
		s.Orders = append(s.Orders, planner.Order{ID: "o" + id, Site: id, Class: planner.ClassExtra, Product: "carotte", Quantity: 10})
	}
	p := planOrFail(t, "tour", s, planner.Options{})
	if bad := verifyRounds(s, p); len(bad) > 0 {
		t.Fatalf("breaks rules 7-8:\n  %s", strings.Join(bad, "\n  "))
	}
	var deliveries []planner.Round
	for _, r := range p.Rounds {
		if r.Kind == planner.RoundDelivery {
			deliveries = append(deliveries, r)
		}
	}
	if len(deliveries) != 1 {
		t.Fatalf("%d delivery rounds, want one", len(deliveries))
	}
	// Every order of the six stops, hub to hub.
	best := math.Inf(1)
	perm := []int{0, 1, 2, 3, 4, 5}
	var try func(k int)
	try = func(k int) {
		if k == len(perm) {
			lat, lon, d := s.Hub.Lat, s.Hub.Lon, 0.0
			for _, i := range perm {
				d += rvKm(s, lat, lon, coords[i][0], coords[i][1])
				lat, lon = coords[i][0], coords[i][1]
			}
			best = math.Min(best, d+rvKm(s, lat, lon, s.Hub.Lat, s.Hub.Lon))
			return
		}
		for i := k; i < len(perm); i++ {
			perm[k], perm[i] = perm[i], perm[k]
			try(k + 1)
			perm[k], perm[i] = perm[i], perm[k]
		}
	}
	try(0)
	if got := deliveries[0].DistanceKm; got > best+0.05+1e-9 {
		t.Errorf("round of %v km, the shortest tour is %.3f km", got, best)
	}
}

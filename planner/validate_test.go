package planner_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	. "paniers/planner"
)

// TestValidateNamesEachProblem breaks a valid scenario in one way per case
// and checks that Validate names the field and the reason.
func TestValidateNamesEachProblem(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(s *Scenario)
		field  string
		reason string
	}{
		{"unknown product in an order", func(s *Scenario) { s.Orders[0].Product = "truffe" }, "orders[0].product", `unknown product "truffe"`},
		{"unknown site in an order", func(s *Scenario) { s.Orders[1].Site = "nulle-part" }, "orders[1].site", `unknown site "nulle-part"`},
		{"unknown basket type", func(s *Scenario) { s.Orders[3].Basket = "geant" }, "orders[3].basket", `unknown basket type "geant"`},
		{"unknown producer in an offer", func(s *Scenario) { s.Offers[2].Producer = "ferme-z" }, "offers[2].producer", `unknown producer "ferme-z"`},
		{"unknown product in an offer", func(s *Scenario) { s.Offers[2].Product = "truffe" }, "offers[2].product", `unknown product "truffe"`},
		{"negative order quantity", func(s *Scenario) { s.Orders[0].Quantity = -1 }, "orders[0].quantity", "greater than 0"},
		{"NaN offer quantity", func(s *Scenario) { s.Offers[0].Quantity = math.NaN() }, "offers[0].quantity", "finite"},
		{"infinite offer quantity", func(s *Scenario) { s.Offers[0].Quantity = math.Inf(1) }, "offers[0].quantity", "finite"},
		{"negative offer", func(s *Scenario) { s.Offers[1].Quantity = -3 }, "offers[1].quantity", "negative"},
		{"zero step", func(s *Scenario) { s.Products[0].Step = 0 }, "products[0].step", "greater than 0"},
		{"negative kg per unit", func(s *Scenario) { s.Products[1].KgPerUnit = -1 }, "products[1].kg_per_unit", "greater than 0"},
		{"duplicate order id", func(s *Scenario) { s.Orders[2].ID = s.Orders[0].ID }, "orders[2].id", "duplicate id"},
		{"duplicate product id", func(s *Scenario) { s.Products[1].ID = s.Products[0].ID }, "products[1].id", "duplicate id"},
		{"duplicate site id", func(s *Scenario) { s.Sites[1].ID = s.Sites[0].ID }, "sites[1].id", "duplicate id"},
		{"duplicate producer id", func(s *Scenario) { s.Producers[1].ID = s.Producers[0].ID }, "producers[1].id", "duplicate id"},
		{"duplicate basket type id", func(s *Scenario) { s.BasketTypes[1].ID = s.BasketTypes[0].ID }, "basket_types[1].id", "duplicate id"},
		{"duplicate vehicle id", func(s *Scenario) { s.Vehicles = append(s.Vehicles, s.Vehicles[0]) }, "vehicles[1].id", "duplicate id"},
		{"duplicate offer", func(s *Scenario) { s.Offers = append(s.Offers, s.Offers[0]) }, "offers[7]", "duplicate offer"},
		{"basket type without contents", func(s *Scenario) { s.BasketTypes[0].Contents = nil }, "basket_types[0].contents", "at least one category"},
		{"basket category twice", func(s *Scenario) {
			s.BasketTypes[0].Contents = append(s.BasketTypes[0].Contents, s.BasketTypes[0].Contents[0])
		}, "basket_types[0].contents[2].category", "listed twice"},
		{"zero category kg", func(s *Scenario) { s.BasketTypes[1].Contents[0].Kg = 0 }, "basket_types[1].contents[0].kg", "greater than 0"},
		{"negative min_products", func(s *Scenario) { s.BasketTypes[1].Contents[0].MinProducts = -1 }, "basket_types[1].contents[0].min_products", "negative"},
		{"bad class", func(s *Scenario) { s.Orders[0].Class = "vip" }, "orders[0].class", "not an order class"},
		{"bad site kind", func(s *Scenario) { s.Sites[0].Kind = "depot" }, "sites[0].kind", "not a site kind"},
		{"bad window format", func(s *Scenario) { s.Sites[0].Window[0] = "9h" }, "sites[0].window[0]", "not a time of day"},
		{"window hour out of range", func(s *Scenario) { s.Sites[0].Window[1] = "25:00" }, "sites[0].window[1]", "not a time of day"},
		{"window backwards", func(s *Scenario) { s.Sites[0].Window = Window{"16:00", "09:00"} }, "sites[0].window", "after it ends"},
		{"collecting producer without window", func(s *Scenario) { s.Producers[0].Window = Window{} }, "producers[0].window[0]", "not a time of day"},
		{"bad vehicle shift", func(s *Scenario) { s.Vehicles[0].Shift = Window{"18:00", "06:00"} }, "vehicles[0].shift", "after it ends"},
		{"zero vehicle capacity", func(s *Scenario) { s.Vehicles[0].CapacityKg = 0 }, "vehicles[0].capacity_kg", "greater than 0"},
		{"canteen order without product", func(s *Scenario) { s.Orders[0].Product = "" }, "orders[0].product", "is required"},
		{"basket order without count", func(s *Scenario) { s.Orders[3].Count = 0 }, "orders[3].count", "at least 1"},
		{"basket order with a product", func(s *Scenario) { s.Orders[3].Product = "carotte" }, "orders[3].product", "not a product"},
		{"extra order with a count", func(s *Scenario) { s.Orders[5].Count = 2 }, "orders[5].count", "only a basket order"},
		{"missing order id", func(s *Scenario) { s.Orders[0].ID = " " }, "orders[0].id", "is required"},
		{"latitude out of range", func(s *Scenario) { s.Sites[2].Lat = 91 }, "sites[2].lat", "between -90 and 90"},
		{"NaN longitude", func(s *Scenario) { s.Producers[1].Lon = math.NaN() }, "producers[1].lon", "finite"},
		{"zero speed", func(s *Scenario) { s.Travel.SpeedKmh = 0 }, "travel.speed_kmh", "greater than 0"},
		{"too many steps", func(s *Scenario) { s.Orders[0].Quantity = 1e12 }, "orders[0].quantity", "steps"},
		{"missing category", func(s *Scenario) { s.Products[2].Category = "" }, "products[2].category", "is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := readSmall(t)
			tt.break_(&s)
			err := Validate(s)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			for _, p := range ve.Problems {
				if p.Field == tt.field && strings.Contains(p.Reason.EN, tt.reason) {
					if p.Reason.FR == "" || p.Reason.FR == p.Reason.EN {
						t.Errorf("problem %s has no French reason", p.Field)
					}
					return
				}
			}
			t.Errorf("no problem %s: %q among %+v", tt.field, tt.reason, ve.Problems)
			if _, err := PlanWeek(s, Options{NoRounds: true}); err == nil {
				t.Errorf("PlanWeek accepted the broken scenario")
			}
		})
	}
}

// TestValidateListsEveryProblem checks that several problems are all named,
// in one error, and that PlanWeek refuses the scenario with it.
func TestValidateListsEveryProblem(t *testing.T) {
	s := readSmall(t)
	s.Orders[0].Product = "truffe"
	s.Orders[1].Quantity = -2
	s.BasketTypes[0].Contents = nil
	s.Products[0].Step = math.Inf(1)
	_, err := PlanWeek(s, Options{})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("PlanWeek = %v, want a *ValidationError", err)
	}
	want := []string{"orders[0].product", "orders[1].quantity", "basket_types[0].contents", "products[0].step"}
	got := map[string]bool{}
	for _, p := range ve.Problems {
		got[p.Field] = true
	}
	for _, f := range want {
		if !got[f] {
			t.Errorf("problem %s not named; got %v", f, ve.Problems)
		}
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error text does not name %s: %v", f, err)
		}
	}
	if !strings.HasPrefix(err.Error(), "planner: ") {
		t.Errorf("error %q does not start with its origin", err)
	}
}

// TestValidateAcceptsGood checks the reference scenario and every family of
// generated ones pass.
func TestValidateAcceptsGood(t *testing.T) {
	if err := Validate(readSmall(t)); err != nil {
		t.Fatal(err)
	}
}

// TestReadScenarioRejects checks the JSON reader's errors name the problem.
func TestReadScenarioRejects(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "empty input"},
		{"truncated", `{"week": "2026-W49", "products": [`, "truncated"},
		{"syntax", `{"week": 2026-W49}`, "malformed JSON"},
		{"wrong type", `{"week": "w", "orders": [{"id": "o1", "quantity": "beaucoup"}]}`, "orders.quantity"},
		{"trailing data", `{"week": "w"} {"week": "x"}`, "after the JSON object"},
		{"invalid scenario", `{"week": "w", "orders": [{"id": "o1", "site": "s", "class": "canteen", "product": "p", "quantity": 1}]}`, "orders[0].site"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadScenario(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadScenario = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

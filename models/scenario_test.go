package models_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"

	"paniers/models"
	"paniers/planner"
)

func TestCeilStep(t *testing.T) {
	tests := []struct{ q, step, want float64 }{
		{8.13, 0.1, 8.2},
		{9.5, 0.1, 9.5},
		{0.1 * 95, 0.1, 9.5}, // 9.500000000000002: float noise, not a step more
		{12.000001, 0.5, 12.5},
		{56.5, 1, 57},
		{57, 1, 57},
		{0, 0.1, 0},
		{0.01, 0.1, 0.1},
		{3.3, 0, 3.3}, // no step: unchanged
	}
	for _, tc := range tests {
		if got := models.CeilStep(tc.q, tc.step); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("CeilStep(%v, %v) = %v, want %v", tc.q, tc.step, got, tc.want)
		}
	}
}

// scenarioWorld fills the test world with a week of offers, subscriptions,
// basket, extra and meal orders, and one order in another week that must
// not show.
func scenarioWorld(t *testing.T, backend string) *models.Store {
	t.Helper()
	ctx := context.Background()
	st, _ := world(t, backend)
	for _, o := range []models.Offer{
		{ProducerID: "ferme-b", ProductID: "carotte", Quantity: 40, PriceCents: 170},
		{ProducerID: "ferme-a", ProductID: "oeuf", Quantity: 300, PriceCents: 35},
		{ProducerID: "ferme-a", ProductID: "carotte", Quantity: 120, PriceCents: 190},
	} {
		o.WeekID = testWeek
		if _, err := st.PutOffer(ctx, &o); err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range []models.Household{
		{ID: "h-1", SiteID: "relais-a", Name: "F1", BasketTypeID: str("moyen"), BasketCount: 1},
		{ID: "h-2", SiteID: "relais-a", Name: "F2", BasketTypeID: str("moyen"), BasketCount: 1},
		{ID: "h-3", SiteID: "relais-a", Name: "F3", BasketTypeID: str("moyen"), BasketCount: 2},
		{ID: "h-4", SiteID: "relais-a", Name: "F4", BasketTypeID: str("petit"), BasketCount: 1},
		{ID: "h-5", SiteID: "relais-a", Name: "F5"}, // extras only
		{ID: "h-6", SiteID: "relais-b", Name: "F6", BasketTypeID: str("petit"), BasketCount: 3},
	} {
		must(t, st.CreateHousehold(ctx, &h))
	}
	for _, o := range []models.Order{
		{ID: "z-last", SiteID: "relais-a", Class: planner.ClassExtra, ProductID: str("oeuf"), Quantity: 12, HouseholdID: str("h-5")},
		{ID: "a-first", SiteID: "relais-b", Class: planner.ClassExtra, ProductID: str("carotte"), Quantity: 6},
		{ID: "b-extra", SiteID: "relais-a", Class: planner.ClassBasket, BasketTypeID: str("moyen"), Count: 3},
	} {
		o.WeekID = testWeek
		must(t, st.CreateOrder(ctx, &o))
	}
	must(t, st.SetPortion(ctx, models.Portion{AgeGroup: models.AgeMaternelle, ProductID: "oeuf", Grams: 30}))
	for _, m := range []models.MealOrder{
		// Carrots: 113 x 60 g (maternelle default) + 9 x 150 g (adult default) = 8.13 kg.
		// Eggs: 113 x 30 g (coordinator's portion) / 60 g = 56.5 eggs, + 9 x 120 g / 60 g = 18.
		// Squash: 113 x 80 g + 9 x 200 g = 10.84 kg = 9.0333 squashes of 1.2 kg.
		{ID: "m-1", SiteID: "cantine-a", Date: "2026-12-01",
			Covers: []models.MealCover{{AgeGroup: models.AgeMaternelle, Covers: 113}, {AgeGroup: models.AgeAdulte, Covers: 9}},
			Dishes: []models.MealDish{{ProductID: "carotte"}, {ProductID: "oeuf"}, {ProductID: "potimarron"}}},
		// Carrots with the dish's own portion: 100 x 45 g = 4.5 kg.
		{ID: "m-2", SiteID: "cantine-a", Date: "2026-12-03",
			Covers: []models.MealCover{{AgeGroup: models.AgeMaternelle, Covers: 100}},
			Dishes: []models.MealDish{{ProductID: "carotte", PortionG: ptrF(45)}}},
	} {
		m.WeekID = testWeek
		must(t, st.CreateMealOrder(ctx, &m))
	}
	must(t, st.CreateWeek(ctx, &models.Week{ID: "2026-W50"}))
	must(t, st.CreateOrder(ctx, &models.Order{WeekID: "2026-W50", SiteID: "relais-a", Class: planner.ClassBasket, BasketTypeID: str("petit"), Count: 9}))
	return st
}

func TestScenario(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st := scenarioWorld(t, b)
			sc, err := st.Scenario(ctx, testWeek)
			if err != nil {
				t.Fatal(err)
			}
			if err := planner.Validate(sc); err != nil {
				t.Errorf("the scenario breaks the contract: %v", err)
			}
			if sc.Week != testWeek || sc.CollectionDate != "2026-11-30" || sc.DeliveryDate != "2026-12-01" || sc.Timezone != "Europe/Paris" {
				t.Errorf("header = %s %s %s %s", sc.Week, sc.CollectionDate, sc.DeliveryDate, sc.Timezone)
			}
			if sc.Hub != (planner.Hub{ID: "hub", Name: models.DefaultHub.Name, Lat: 50.4578, Lon: 2.7917}) || sc.Travel != (planner.Travel{DetourFactor: 1.3, SpeedKmh: 40}) {
				t.Errorf("hub %+v travel %+v", sc.Hub, sc.Travel)
			}
			want := []planner.Order{
				{ID: "canteen:cantine-a:carotte", Site: "cantine-a", Class: planner.ClassCanteen, Product: "carotte", Quantity: 12.7}, // 8.13 + 4.5 = 12.63, up to 12.7
				{ID: "canteen:cantine-a:oeuf", Site: "cantine-a", Class: planner.ClassCanteen, Product: "oeuf", Quantity: 75},         // 56.5 + 18 = 74.5, up to 75
				{ID: "canteen:cantine-a:potimarron", Site: "cantine-a", Class: planner.ClassCanteen, Product: "potimarron", Quantity: 10},
				{ID: "basket:relais-a:moyen", Site: "relais-a", Class: planner.ClassBasket, Basket: "moyen", Count: 7}, // 1 + 1 + 2 subscribed + 3 ordered
				{ID: "basket:relais-a:petit", Site: "relais-a", Class: planner.ClassBasket, Basket: "petit", Count: 1},
				{ID: "basket:relais-b:petit", Site: "relais-b", Class: planner.ClassBasket, Basket: "petit", Count: 3},
				{ID: "a-first", Site: "relais-b", Class: planner.ClassExtra, Product: "carotte", Quantity: 6},
				{ID: "z-last", Site: "relais-a", Class: planner.ClassExtra, Product: "oeuf", Quantity: 12},
			}
			if !reflect.DeepEqual(sc.Orders, want) {
				t.Errorf("orders:\n got %+v\nwant %+v", sc.Orders, want)
			}
			wantOffers := []planner.Offer{
				{Producer: "ferme-a", Product: "carotte", Quantity: 120, PriceCents: 190},
				{Producer: "ferme-a", Product: "oeuf", Quantity: 300, PriceCents: 35},
				{Producer: "ferme-b", Product: "carotte", Quantity: 40, PriceCents: 170},
			}
			if !reflect.DeepEqual(sc.Offers, wantOffers) {
				t.Errorf("offers = %+v", sc.Offers)
			}
			if len(sc.Products) != 4 || sc.Products[1] != (planner.Product{ID: "oeuf", Name: "Œufs", Unit: "pièce", KgPerUnit: 0.06, Category: "oeuf", Step: 1, Organic: true, BasketMin: 4}) {
				t.Errorf("products = %+v", sc.Products)
			}
			if len(sc.Producers) != 2 || sc.Producers[0].Window != (planner.Window{"13:00", "18:00"}) || !sc.Producers[0].Collect || sc.Producers[1].Collect {
				t.Errorf("producers = %+v", sc.Producers)
			}
			if len(sc.Sites) != 3 || sc.Sites[0].ID != "cantine-a" || sc.Sites[0].Kind != planner.KindCanteen || sc.Sites[0].ServiceMin != 15 {
				t.Errorf("sites = %+v", sc.Sites)
			}
			if len(sc.BasketTypes) != 2 || sc.BasketTypes[0].ID != "moyen" || sc.BasketTypes[0].Contents[1] != (planner.CategoryContent{Category: "fruit", Kg: 1, MinProducts: 1}) {
				t.Errorf("basket types = %+v", sc.BasketTypes)
			}
			if len(sc.Vehicles) != 1 || sc.Vehicles[0] != (planner.Vehicle{ID: "camion-1", CapacityKg: 800, Shift: planner.Window{"06:00", "18:00"}}) {
				t.Errorf("vehicles = %+v", sc.Vehicles)
			}

			// Deterministic, and in the contract's JSON.
			b1, _ := json.Marshal(sc)
			sc2, err := st.Scenario(ctx, testWeek)
			if err != nil {
				t.Fatal(err)
			}
			b2, _ := json.Marshal(sc2)
			if !bytes.Equal(b1, b2) {
				t.Error("two exports of the same week differ")
			}
			var raw map[string]any
			if err := json.Unmarshal(b1, &raw); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"week", "delivery_date", "collection_date", "timezone", "hub", "travel", "products", "producers", "offers", "sites", "basket_types", "orders", "vehicles"} {
				if _, ok := raw[k]; !ok {
					t.Errorf("scenario JSON lacks %q", k)
				}
			}
			order0 := raw["orders"].([]any)[3].(map[string]any)
			if _, ok := order0["quantity"]; ok || order0["basket"] != "moyen" || order0["count"] != 7.0 {
				t.Errorf("basket order JSON = %v", order0)
			}
		})
	}
}

func TestScenarioEmptyAndMissingWeek(t *testing.T) {
	ctx := context.Background()
	st, _ := world(t, "sqlite")
	if _, err := st.Scenario(ctx, "2030-W01"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("missing week: %v, want ErrNotFound", err)
	}
	sc, err := st.Scenario(ctx, testWeek)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(sc)
	var raw map[string]any
	json.Unmarshal(b, &raw)
	if raw["orders"] == nil || raw["offers"] == nil {
		t.Errorf("empty week: orders and offers must be [] not null: %s", b)
	}
}

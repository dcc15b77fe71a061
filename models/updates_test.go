package models_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"paniers/models"
	"paniers/planner"
)

func TestUpdates(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, clock := world(t, b)

			p, _ := st.GetProducer(ctx, "ferme-a")
			created := p.CreatedAt
			p.Name, p.Collect, p.WindowEnd = "Ferme A (nouvelle)", false, "17:00"
			must(t, st.UpdateProducer(ctx, &p))
			got, _ := st.GetProducer(ctx, "ferme-a")
			if got.Name != "Ferme A (nouvelle)" || got.Collect || got.WindowEnd != "17:00" || !got.CreatedAt.Equal(created) {
				t.Errorf("updated producer = %+v", got)
			}
			missing := models.Producer{ID: "ferme-z", Name: "Z", Lat: 50, Lon: 2, WindowStart: "08:00", WindowEnd: "09:00"}
			if err := st.UpdateProducer(ctx, &missing); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("update a missing producer: %v, want ErrNotFound", err)
			}
			if _, err := st.GetProducer(ctx, "ferme-z"); !errors.Is(err, models.ErrNotFound) {
				t.Error("updating a missing producer created it")
			}

			site, _ := st.GetSite(ctx, "relais-a")
			site.Kind = planner.KindCanteen
			if got := fieldsOf(t, st.UpdateSite(ctx, &site)); !slices.Equal(got, []string{"kind"}) {
				t.Errorf("kind change: fields %q", got)
			}
			site.Kind, site.WindowStart = planner.KindRelay, "08:30"
			must(t, st.UpdateSite(ctx, &site))

			v := models.Vehicle{ID: "camion-1", CapacityKg: 750, ShiftStart: "05:30", ShiftEnd: "18:00"}
			must(t, st.UpdateVehicle(ctx, &v))
			if gv, _ := st.GetVehicle(ctx, "camion-1"); gv.CapacityKg != 750 {
				t.Errorf("vehicle = %+v", gv)
			}

			h := models.Household{ID: "h-1", SiteID: "relais-a", Name: "F1", BasketTypeID: str("moyen"), BasketCount: 2}
			must(t, st.CreateHousehold(ctx, &h))
			h.BasketTypeID, h.BasketCount = nil, 0
			must(t, st.UpdateHousehold(ctx, &h))
			sc, _ := st.Scenario(ctx, testWeek)
			if len(sc.Orders) != 0 {
				t.Errorf("cancelled subscription still ordered: %+v", sc.Orders)
			}
			h.SiteID = "cantine-a"
			if got := fieldsOf(t, st.UpdateHousehold(ctx, &h)); !slices.Equal(got, []string{"site"}) {
				t.Errorf("household moved to a canteen: fields %q", got)
			}

			o := models.Order{WeekID: testWeek, SiteID: "relais-a", Class: planner.ClassExtra, ProductID: str("carotte"), Quantity: 2}
			must(t, st.CreateOrder(ctx, &o))
			m := models.MealOrder{WeekID: testWeek, SiteID: "cantine-a", Date: "2026-12-01", Covers: []models.MealCover{{AgeGroup: models.AgeMaternelle, Covers: 10}}, Dishes: []models.MealDish{{ProductID: "carotte"}}}
			must(t, st.CreateMealOrder(ctx, &m))
			o2 := models.Order{WeekID: testWeek, SiteID: "relais-a", Class: planner.ClassExtra, ProductID: str("carotte"), Quantity: 3}
			must(t, st.CreateOrder(ctx, &o2))

			must(t, st.DeleteOrder(ctx, testWeek, o.ID))
			must(t, st.DeleteMealOrder(ctx, testWeek, m.ID))
			if err := st.DeleteOrder(ctx, testWeek, o.ID); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("second DeleteOrder: %v", err)
			}
			if _, err := st.GetMealOrder(ctx, testWeek, m.ID); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("meal order after delete: %v", err)
			}
			clock.t = clock.t.AddDate(0, 0, 3) // after the order cutoff
			if err := st.DeleteOrder(ctx, testWeek, o2.ID); !errors.Is(err, models.ErrClosed) {
				t.Errorf("DeleteOrder after the cutoff: %v, want ErrClosed", err)
			}
			sc, _ = st.Scenario(ctx, testWeek)
			if len(sc.Orders) != 1 || sc.Orders[0].ID != o2.ID {
				t.Errorf("orders after deletes: %+v", sc.Orders)
			}
		})
	}
}

// TestUpdatePortions changes a product's portions and a basket type's
// max_products and price: the next scenario export carries them, a plan
// input stored before keeps the scenario it was made from, and bad values
// are refused naming the field.
func TestUpdatePortions(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := world(t, b)
			before, err := st.Scenario(ctx, testWeek)
			if err != nil {
				t.Fatal(err)
			}
			js, err := json.Marshal(before)
			if err != nil {
				t.Fatal(err)
			}
			in := models.PlanInput{Seed: 1, Scenario: string(js), Addresses: "{}"}
			if _, err := st.SavePlanVersion(ctx, testWeek, planner.Plan{Week: testWeek}, in, nil); err != nil {
				t.Fatal(err)
			}

			p, _ := st.GetProduct(ctx, "carotte")
			p.BasketMin, p.BasketMax = 0.5, 1.5
			must(t, st.UpdateProduct(ctx, &p))
			bt, _ := st.GetBasketType(ctx, "moyen")
			bt.PriceCents = 1650
			bt.Contents[0].MaxProducts = 5
			must(t, st.UpdateBasketType(ctx, &bt))

			after, _ := st.Scenario(ctx, testWeek)
			if pr := productOf(after, "carotte"); pr.BasketMin != 0.5 || pr.BasketMax != 1.5 {
				t.Errorf("exported carrots %+v, want portions 0.5..1.5", pr)
			}
			for _, x := range after.BasketTypes {
				if x.ID == "moyen" && (x.PriceCents != 1650 || x.Contents[0].MaxProducts != 5) {
					t.Errorf("exported basket type %+v, want price 1650 and max_products 5", x)
				}
			}
			cur, err := st.CurrentPlan(ctx, testWeek)
			if err != nil {
				t.Fatal(err)
			}
			kept, err := st.GetPlanInput(ctx, testWeek, cur.Version)
			if err != nil {
				t.Fatal(err)
			}
			old, err := kept.ScenarioOf()
			if err != nil {
				t.Fatal(err)
			}
			if pr := productOf(old, "carotte"); pr.BasketMin != productOf(before, "carotte").BasketMin || pr.BasketMax != 0 {
				t.Errorf("the stored plan's scenario changed with the product: %+v", pr)
			}

			// A zero basket_min takes the default of the (new) step.
			p.Step, p.BasketMin, p.BasketMax = 0.5, 0, 0
			must(t, st.UpdateProduct(ctx, &p))
			if got, _ := st.GetProduct(ctx, "carotte"); got.BasketMin != 0.5 {
				t.Errorf("default basket_min at step 0.5 = %g, want 0.5", got.BasketMin)
			}
			p.BasketMin, p.BasketMax = 1.5, 1
			if got := fieldsOf(t, st.UpdateProduct(ctx, &p)); !slices.Equal(got, []string{"basket_min"}) {
				t.Errorf("basket_min over basket_max: fields %q", got)
			}
			bt.Contents[0].MaxProducts = -2
			if got := fieldsOf(t, st.UpdateBasketType(ctx, &bt)); !slices.Equal(got, []string{"contents[0].max_products"}) {
				t.Errorf("negative max_products: fields %q", got)
			}
			missing := models.BasketType{ID: "geant", Name: "Géant", Contents: []models.BasketContent{{Category: "legume", Kg: 9}}}
			if err := st.UpdateBasketType(ctx, &missing); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("update a missing basket type: %v, want ErrNotFound", err)
			}
			if got, _ := st.GetBasketType(ctx, "moyen"); got.Contents[0].MaxProducts != 5 || len(got.Contents) != len(bt.Contents) {
				t.Errorf("a refused update changed the basket type: %+v", got)
			}
		})
	}
}

func productOf(s planner.Scenario, id string) planner.Product {
	for _, p := range s.Products {
		if p.ID == id {
			return p
		}
	}
	return planner.Product{}
}

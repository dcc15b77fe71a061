package models_test

import (
	"context"
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

package models_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"paniers/models"
	"paniers/planner"
)

func TestCatalogueValidation(t *testing.T) {
	ctx := context.Background()
	st, _ := world(t, "sqlite")
	okProducer := models.Producer{ID: "ferme-z", Name: "Z", Lat: 50, Lon: 2, WindowStart: "08:00", WindowEnd: "12:00"}
	tests := []struct {
		name   string
		create func() error
		fields []string // nil: must succeed
	}{
		{"producer ok", func() error { p := okProducer; return st.CreateProducer(ctx, &p) }, nil},
		{"producer bad id and window", func() error {
			p := okProducer
			p.ID, p.WindowStart, p.WindowEnd = "Ferme Z", "12:00", "08:00"
			return st.CreateProducer(ctx, &p)
		}, []string{"id", "window"}},
		{"producer bad coordinates and kind", func() error {
			p := okProducer
			p.ID, p.Lat, p.Lon, p.Kind, p.ServiceMin = "ferme-y", 91, math.NaN(), "factory", -1
			return st.CreateProducer(ctx, &p)
		}, []string{"kind", "lat", "lon", "service_min"}},
		{"producer bad clock", func() error {
			p := okProducer
			p.ID, p.WindowStart = "ferme-x", "8h00"
			return st.CreateProducer(ctx, &p)
		}, []string{"window[0]"}},
		{"product zero step and weight", func() error {
			return st.CreateProduct(ctx, &models.Product{ID: "navet", Name: "Navets", Unit: "kg", Category: "legume"})
		}, []string{"kg_per_unit", "step"}},
		{"product missing name and unit", func() error {
			return st.CreateProduct(ctx, &models.Product{ID: "navet", KgPerUnit: 1, Step: 0.1, Category: "legume"})
		}, []string{"name", "unit"}},
		{"product portions not multiples of the step", func() error {
			return st.CreateProduct(ctx, &models.Product{ID: "navet", Name: "Navets", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.5, BasketMin: 0.7, BasketMax: 1.2})
		}, []string{"basket_min", "basket_max"}},
		{"product basket_min over basket_max", func() error {
			return st.CreateProduct(ctx, &models.Product{ID: "navet", Name: "Navets", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1, BasketMin: 1, BasketMax: 0.5})
		}, []string{"basket_min"}},
		{"product negative portions", func() error {
			return st.CreateProduct(ctx, &models.Product{ID: "navet", Name: "Navets", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1, BasketMin: -0.5, BasketMax: -1})
		}, []string{"basket_min", "basket_max"}},
		{"basket type max_products under min_products", func() error {
			return st.CreateBasketType(ctx, &models.BasketType{ID: "serre", Name: "Serré", Contents: []models.BasketContent{{Category: "legume", Kg: 1, MinProducts: 3, MaxProducts: 2}, {Category: "fruit", Kg: 1, MaxProducts: -1}}})
		}, []string{"contents[0].max_products", "contents[1].max_products"}},
		{"site bad kind", func() error {
			return st.CreateSite(ctx, &models.Site{ID: "depot", Name: "Dépôt", Kind: "depot", Lat: 50, Lon: 2, WindowStart: "08:00", WindowEnd: "09:00"})
		}, []string{"kind"}},
		{"vehicle zero capacity", func() error {
			return st.CreateVehicle(ctx, &models.Vehicle{ID: "velo", ShiftStart: "06:00", ShiftEnd: "05:00"})
		}, []string{"capacity_kg", "shift"}},
		{"basket type empty", func() error { return st.CreateBasketType(ctx, &models.BasketType{ID: "vide", Name: "Vide"}) }, []string{"contents"}},
		{"basket type duplicate category", func() error {
			return st.CreateBasketType(ctx, &models.BasketType{ID: "double", Name: "Double", Contents: []models.BasketContent{{Category: "legume", Kg: 1}, {Category: "legume", Kg: 2, MinProducts: -1}}})
		}, []string{"contents[1].category", "contents[1].min_products"}},
		{"household at a canteen", func() error {
			return st.CreateHousehold(ctx, &models.Household{SiteID: "cantine-a", Name: "Famille X"})
		}, []string{"site"}},
		{"household unknown basket and site", func() error {
			return st.CreateHousehold(ctx, &models.Household{SiteID: "relais-z", Name: "Famille X", BasketTypeID: str("geant"), BasketCount: 1})
		}, []string{"site", "basket"}},
		{"household count without basket", func() error {
			return st.CreateHousehold(ctx, &models.Household{SiteID: "relais-a", Name: "Famille X", BasketCount: 2})
		}, []string{"basket_count"}},
		{"household too many baskets", func() error {
			return st.CreateHousehold(ctx, &models.Household{SiteID: "relais-a", Name: "Famille X", BasketTypeID: str("moyen"), BasketCount: 21})
		}, []string{"basket_count"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.create()
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			got := fieldsOf(t, err)
			if !slices.Equal(got, tc.fields) {
				t.Errorf("fields = %q, want %q (%v)", got, tc.fields, err)
			}
		})
	}
}

func TestCatalogueGetConflictNotFound(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := world(t, b)
			dup := []struct {
				name string
				err  error
			}{
				{"producer", st.CreateProducer(ctx, &models.Producer{ID: "ferme-a", Name: "Autre", Lat: 50, Lon: 2, WindowStart: "08:00", WindowEnd: "09:00"})},
				{"product", st.CreateProduct(ctx, &models.Product{ID: "carotte", Name: "C", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 1})},
				{"site", st.CreateSite(ctx, &models.Site{ID: "relais-a", Name: "R", Kind: planner.KindRelay, Lat: 50, Lon: 2, WindowStart: "08:00", WindowEnd: "09:00"})},
				{"vehicle", st.CreateVehicle(ctx, &models.Vehicle{ID: "camion-1", CapacityKg: 1, ShiftStart: "06:00", ShiftEnd: "07:00"})},
				{"basket type", st.CreateBasketType(ctx, &models.BasketType{ID: "moyen", Name: "M", Contents: []models.BasketContent{{Category: "legume", Kg: 1}}})},
				{"week", st.CreateWeek(ctx, &models.Week{ID: testWeek})},
			}
			for _, d := range dup {
				if !errors.Is(d.err, models.ErrConflict) {
					t.Errorf("duplicate %s: err = %v, want ErrConflict", d.name, d.err)
				}
			}
			// The failed basket type left the original contents alone.
			bt, err := st.GetBasketType(ctx, "moyen")
			if err != nil || len(bt.Contents) != 2 || bt.Contents[0].Category != "legume" || bt.Contents[1].Category != "fruit" {
				t.Errorf("basket type moyen = %+v, %v", bt, err)
			}
			missing := map[string]func() error{
				"producer": func() error { _, err := st.GetProducer(ctx, "ferme-z"); return err },
				"product":  func() error { _, err := st.GetProduct(ctx, "navet"); return err },
				"site":     func() error { _, err := st.GetSite(ctx, "relais-z"); return err },
				"vehicle":  func() error { _, err := st.GetVehicle(ctx, "camion-9"); return err },
				"week":     func() error { _, err := st.GetWeek(ctx, "2026-W50"); return err },
				"offers of a missing week": func() error {
					_, err := st.ListOffers(ctx, "2026-W50", models.OfferFilter{}, models.Page{})
					return err
				},
				"households of a missing site": func() error { _, err := st.ListHouseholds(ctx, "relais-z", models.Page{}); return err },
				"plan":                         func() error { _, err := st.CurrentPlan(ctx, testWeek); return err },
				"order":                        func() error { _, err := st.GetOrder(ctx, testWeek, "o-1"); return err },
				"token":                        func() error { _, err := st.LookupToken(ctx, "pn_nothing"); return err },
			}
			for name, call := range missing {
				if err := call(); !errors.Is(err, models.ErrNotFound) {
					t.Errorf("%s: err = %v, want ErrNotFound", name, err)
				}
			}
			p, err := st.GetProducer(ctx, "ferme-a")
			if err != nil || p.Name != "Ferme A" || p.WindowStart != "13:00" || !p.Collect || p.Kind != models.ProducerFarm {
				t.Errorf("GetProducer = %+v, %v", p, err)
			}
		})
	}
}

func TestPagination(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := world(t, b)
			// 4 products in the world, plus 9: 13, ids sort as carotte, legume-01..09, oeuf, potimarron, safran.
			for i := 9; i >= 1; i-- {
				must(t, st.CreateProduct(ctx, &models.Product{ID: fmt.Sprintf("legume-%02d", i), Name: "L", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1}))
			}
			var all []string
			for off := 0; ; off += 5 {
				page, err := st.ListProducts(ctx, models.Page{Limit: 5, Offset: off})
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range page {
					all = append(all, p.ID)
				}
				if len(page) < 5 {
					break
				}
			}
			if len(all) != 13 || !slices.IsSorted(all) || all[0] != "carotte" || all[12] != "safran" {
				t.Errorf("pages gave %q", all)
			}
			for _, tc := range []struct {
				page models.Page
				want int
			}{
				{models.Page{}, 13},                      // default limit 50
				{models.Page{Limit: 100000}, 13},         // cut to MaxLimit
				{models.Page{Limit: 3, Offset: 12}, 1},   // last partial page
				{models.Page{Limit: 3, Offset: 100}, 0},  // beyond the end: empty, not an error
				{models.Page{Limit: -1, Offset: -5}, 13}, // nonsense normalized
			} {
				got, err := st.ListProducts(ctx, tc.page)
				if err != nil || len(got) != tc.want || got == nil {
					t.Errorf("ListProducts(%+v) = %d items (nil %v), %v; want %d", tc.page, len(got), got == nil, err, tc.want)
				}
			}
			relays, err := st.ListSites(ctx, planner.KindRelay, models.Page{})
			if err != nil || len(relays) != 2 {
				t.Errorf("relay sites: %d, %v", len(relays), err)
			}
		})
	}
}

func TestPortions(t *testing.T) {
	ctx := context.Background()
	st, _ := world(t, "sqlite")
	if g, ok := models.DefaultPortionG(models.AgeMaternelle, "carotte", "legume"); !ok || g != 60 {
		t.Errorf("default maternelle carrot portion = %v, %v; want 60 g", g, ok)
	}
	if _, ok := models.DefaultPortionG(models.AgeMaternelle, "safran", "epice"); ok {
		t.Error("a default portion of saffron")
	}
	must(t, st.SetPortion(ctx, models.Portion{AgeGroup: models.AgeMaternelle, ProductID: "carotte", Grams: 70}))
	must(t, st.SetPortion(ctx, models.Portion{AgeGroup: models.AgeMaternelle, ProductID: "carotte", Grams: 55}))
	ps, err := st.ListPortions(ctx)
	if err != nil || len(ps) != 1 || ps[0].Grams != 55 {
		t.Errorf("portions = %+v, %v; want one of 55 g", ps, err)
	}
	for _, bad := range []struct {
		p      models.Portion
		fields []string
	}{
		{models.Portion{AgeGroup: "bebe", ProductID: "carotte", Grams: 10}, []string{"age_group"}},
		{models.Portion{AgeGroup: models.AgeAdulte, ProductID: "carotte", Grams: 0}, []string{"grams"}},
		{models.Portion{AgeGroup: models.AgeAdulte, ProductID: "truffe", Grams: 10}, []string{"product_id"}},
	} {
		if got := fieldsOf(t, st.SetPortion(ctx, bad.p)); !slices.Equal(got, bad.fields) {
			t.Errorf("SetPortion(%+v): fields %q, want %q", bad.p, got, bad.fields)
		}
	}
}

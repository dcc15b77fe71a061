package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"paniers/models"
	"paniers/planner"
)

// The small world of the store tests: week 2026-W49 (offers close on
// Wednesday 25 November 20:00, orders on Thursday 26 November 12:00, Paris),
// three products, two producers, two relay points, a canteen, a basket type.
const testWeek = "2026-W49"

// beforeCutoffs is a time when both the offers and the orders of testWeek
// are open.
var beforeCutoffs = time.Date(2026, 11, 24, 10, 0, 0, 0, paris)

func str(s string) *string { return &s }

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// world opens a store on backend with the test world, its clock at
// beforeCutoffs.
func world(t testing.TB, backend string) (*models.Store, *testClock) {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{t: beforeCutoffs}
	st := openStore(t, backend, clock)
	for _, p := range []models.Product{
		{ID: "carotte", Name: "Carottes", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1, Organic: true},
		{ID: "oeuf", Name: "Œufs", Unit: "pièce", KgPerUnit: 0.06, Category: "oeuf", Step: 1, Organic: true},
		{ID: "potimarron", Name: "Potimarrons", Unit: "pièce", KgPerUnit: 1.2, Category: "legume", Step: 1},
		{ID: "safran", Name: "Safran", Unit: "g", KgPerUnit: 0.001, Category: "epice", Step: 1},
	} {
		must(t, st.CreateProduct(ctx, &p))
	}
	for _, p := range []models.Producer{
		{ID: "ferme-a", Name: "Ferme A", Lat: 50.47, Lon: 2.75, Collect: true, WindowStart: "13:00", WindowEnd: "18:00", ServiceMin: 10},
		{ID: "ferme-b", Name: "Ferme B", Lat: 50.49, Lon: 2.81, Collect: false, WindowStart: "09:00", WindowEnd: "12:00", ServiceMin: 5},
	} {
		must(t, st.CreateProducer(ctx, &p))
	}
	for _, s := range []models.Site{
		{ID: "relais-a", Name: "Relais A", Kind: planner.KindRelay, Lat: 50.43, Lon: 2.83, WindowStart: "09:00", WindowEnd: "16:00", ServiceMin: 10},
		{ID: "relais-b", Name: "Relais B", Kind: planner.KindRelay, Lat: 50.44, Lon: 2.90, WindowStart: "10:00", WindowEnd: "15:00", ServiceMin: 10},
		{ID: "cantine-a", Name: "Maternelle A", Kind: planner.KindCanteen, Lat: 50.46, Lon: 2.79, WindowStart: "07:00", WindowEnd: "09:00", ServiceMin: 15},
	} {
		must(t, st.CreateSite(ctx, &s))
	}
	must(t, st.CreateVehicle(ctx, &models.Vehicle{ID: "camion-1", CapacityKg: 800, ShiftStart: "06:00", ShiftEnd: "18:00"}))
	for _, b := range []models.BasketType{
		{ID: "moyen", Name: "Panier moyen", Contents: []models.BasketContent{{Category: "legume", Kg: 3, MinProducts: 4}, {Category: "fruit", Kg: 1, MinProducts: 1}}},
		{ID: "petit", Name: "Petit panier", Contents: []models.BasketContent{{Category: "legume", Kg: 2, MinProducts: 3}}},
	} {
		must(t, st.CreateBasketType(ctx, &b))
	}
	must(t, st.CreateWeek(ctx, &models.Week{ID: testWeek}))
	return st, clock
}

// fieldsOf returns the fields named by a *ValidationError, or fails.
func fieldsOf(t testing.TB, err error) []string {
	t.Helper()
	var v *models.ValidationError
	if !errors.As(err, &v) || !errors.Is(err, models.ErrInvalid) {
		t.Fatalf("err = %v, want a *ValidationError", err)
	}
	var fs []string
	for _, p := range v.Problems {
		if p.Reason.FR == "" || p.Reason.EN == "" {
			t.Errorf("field %s: empty reason", p.Field)
		}
		fs = append(fs, p.Field)
	}
	return fs
}

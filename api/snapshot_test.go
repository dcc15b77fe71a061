package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"paniers/models"
)

// snapshot is what the database holds, read through the store: row counts
// per kind and a hash of every week's scenario and of the households, so a
// test can assert that a refused request stored nothing (nor changed
// anything).
type snapshot map[string]string

func (e *env) snapshot() snapshot {
	e.t.Helper()
	ctx := context.Background()
	st := e.st
	all := models.Page{Limit: models.MaxLimit}
	out := snapshot{}
	count := func(name string, n int, err error) {
		e.t.Helper()
		if err != nil {
			e.t.Fatalf("snapshot %s: %v", name, err)
		}
		out[name] = fmt.Sprint(n)
	}
	hash := func(name string, v any) {
		e.t.Helper()
		b, err := json.Marshal(v)
		if err != nil {
			e.t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		out[name] = hex.EncodeToString(sum[:8])
	}
	producers, err := st.ListProducers(ctx, all)
	count("producers", len(producers), err)
	hash("producers", producers)
	products, err := st.ListProducts(ctx, all)
	count("products", len(products), err)
	sites, err := st.ListSites(ctx, "", all)
	count("sites", len(sites), err)
	hash("sites", sites)
	vehicles, err := st.ListVehicles(ctx, all)
	count("vehicles", len(vehicles), err)
	hash("vehicles", vehicles)
	baskets, err := st.ListBasketTypes(ctx, all)
	count("basket types", len(baskets), err)
	hash("basket types", baskets)
	tokens, err := st.ListTokens(ctx, all)
	count("tokens", len(tokens), err)
	portions, err := st.ListPortions(ctx)
	count("portions", len(portions), err)
	hash("portions", portions)
	for _, s := range sites {
		if s.Kind != "relay" {
			continue
		}
		hh, err := st.ListHouseholds(ctx, s.ID, all)
		count("households "+s.ID, len(hh), err)
		hash("households "+s.ID, hh)
	}
	weeks, err := st.ListWeeks(ctx, all)
	count("weeks", len(weeks), err)
	hash("weeks", weeks)
	for _, w := range weeks {
		offers, err := st.ListOffers(ctx, w.ID, models.OfferFilter{}, all)
		count("offers "+w.ID, len(offers), err)
		orders, err := st.ListOrders(ctx, w.ID, models.OrderFilter{}, all)
		count("orders "+w.ID, len(orders), err)
		meals, err := st.ListMealOrders(ctx, w.ID, models.MealOrderFilter{}, all)
		count("meal orders "+w.ID, len(meals), err)
		sc, err := st.Scenario(ctx, w.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		hash("scenario "+w.ID, sc)
	}
	return out
}

// diff lists what changed between two snapshots.
func (a snapshot) diff(b snapshot) string {
	keys := slices.Sorted(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	var out []string
	for _, k := range keys {
		if a[k] != b[k] {
			out = append(out, fmt.Sprintf("%s: %s -> %s", k, a[k], b[k]))
		}
	}
	return strings.Join(out, "; ")
}

// unchanged fails the test when the database changed since before.
func (e *env) unchanged(t *testing.T, before snapshot, what string) {
	t.Helper()
	if d := before.diff(e.snapshot()); d != "" {
		t.Errorf("%s changed the database: %s", what, d)
	}
}

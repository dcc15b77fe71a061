package models_test

import (
	"context"
	"testing"
	"time"

	"paniers/planner"
)

// TestDemoWeekBaskets plans the demo week and checks that its baskets are
// what a careful coordinator would hand out: real portions (each quantity
// within the product's basket_min and basket_max), the large basket with at
// least six different vegetables and none over 45 % of their weight, every
// type with its min_products, a value beside its price, and offers 10 to 30 %
// above what is ordered.
func TestDemoWeekBaskets(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, paris)}
	st := openStore(t, "sqlite", clock)
	if _, err := st.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	sc, err := st.Scenario(ctx, "2026-W50")
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.PlanWeek(sc, planner.Options{NoRounds: true})
	if err != nil {
		t.Fatal(err)
	}
	prods := map[string]planner.Product{}
	for _, pr := range sc.Products {
		prods[pr.ID] = pr
	}
	types := map[string]planner.BasketType{}
	for _, bt := range sc.BasketTypes {
		types[bt.ID] = bt
	}
	offered, ordered := 0.0, 0.0
	for _, o := range sc.Offers {
		offered += o.Quantity * prods[o.Product].KgPerUnit
	}
	for _, o := range sc.Orders {
		if o.Class != planner.ClassBasket {
			ordered += o.Quantity * prods[o.Product].KgPerUnit
			continue
		}
		for _, cc := range types[o.Basket].Contents {
			ordered += float64(o.Count) * cc.Kg
		}
	}
	if r := offered / ordered; r < 1.1 || r > 1.3 {
		t.Errorf("the demo offers %.0f kg for %.0f kg ordered (%.0f %% more), want 10 to 30 %% more", offered, ordered, 100*(r-1))
	}
	if len(p.Baskets) != 3 {
		t.Fatalf("baskets %+v, want petit, moyen and grand", p.Baskets)
	}
	for _, b := range p.Baskets {
		kg, n := map[string]float64{}, map[string]int{}
		heaviest := map[string]float64{}
		for _, c := range b.Contents {
			pr := prods[c.Product]
			if c.Quantity < pr.BasketMin-1e-9 || pr.BasketMax > 0 && c.Quantity > pr.BasketMax+1e-9 {
				t.Errorf("%s holds %g %s of %s, outside its portion %g..%g", b.Basket, c.Quantity, pr.Unit, pr.ID, pr.BasketMin, pr.BasketMax)
			}
			w := c.Quantity * pr.KgPerUnit
			kg[pr.Category] += w
			n[pr.Category]++
			heaviest[pr.Category] = max(heaviest[pr.Category], w)
		}
		for _, cc := range types[b.Basket].Contents {
			if n[cc.Category] < cc.MinProducts {
				t.Errorf("%s has %d products of %s, want at least %d", b.Basket, n[cc.Category], cc.Category, cc.MinProducts)
			}
		}
		if b.Basket == "grand" {
			if n["legume"] < 6 {
				t.Errorf("the large basket has %d different vegetables, want at least 6: %+v", n["legume"], b.Contents)
			}
			if heaviest["legume"] > 0.45*kg["legume"] {
				t.Errorf("one vegetable weighs %.2f of the large basket's %.2f kg of vegetables, over 45 %%", heaviest["legume"], kg["legume"])
			}
		}
		if b.ValueCents <= 0 || b.PriceCents != types[b.Basket].PriceCents {
			t.Errorf("%s: value %d, price %d; want a value and the type's price %d", b.Basket, b.ValueCents, b.PriceCents, types[b.Basket].PriceCents)
		}
	}
}

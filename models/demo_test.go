package models_test

import (
	"context"
	"testing"
	"time"

	"paniers/models"
	"paniers/planner"
)

func TestLoadDemo(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			// Thursday 26 November 2026, 09:00: the offers of 2026-W49 closed
			// the evening before, so the demo week is 2026-W50.
			clock := &testClock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, paris)}
			st := openStore(t, b, clock)
			loaded, err := st.LoadDemo(ctx)
			if err != nil || !loaded {
				t.Fatalf("LoadDemo = %v, %v; want true, nil", loaded, err)
			}
			weeks, err := st.ListWeeks(ctx, models.Page{})
			if err != nil || len(weeks) != 1 || weeks[0].ID != "2026-W50" || weeks[0].Status != models.WeekOpen {
				t.Fatalf("weeks = %+v, %v; want one open 2026-W50", weeks, err)
			}
			sc1, err := st.Scenario(ctx, "2026-W50")
			if err != nil {
				t.Fatalf("scenario: %v", err)
			}
			// The planner accepts it as it is.
			if err := planner.Validate(sc1); err != nil {
				t.Errorf("the demo scenario breaks the contract: %v", err)
			}
			// Two vans reach every site and farm of the territory, Dunkerque
			// included, within their shifts and the sites' windows.
			plan, err := planner.PlanWeek(sc1, planner.Options{})
			if err != nil {
				t.Fatalf("planning the demo week: %v", err)
			}
			if len(plan.Unrouted) > 0 {
				t.Errorf("the demo week leaves sites or farms unserved: %+v", plan.Unrouted)
			}
			counts := map[string]int{}
			for _, s := range sc1.Sites {
				counts[s.Kind]++
			}
			if counts[planner.KindRelay] != 12 || counts[planner.KindCanteen] != 5 || len(sc1.Producers) != 9 || len(sc1.Vehicles) != 2 {
				t.Errorf("demo territory: %v sites, %d producers, %d vehicles", counts, len(sc1.Producers), len(sc1.Vehicles))
			}
			classes := map[string]int{}
			for _, o := range sc1.Orders {
				classes[o.Class]++
			}
			if classes[planner.ClassCanteen] == 0 || classes[planner.ClassBasket] == 0 || classes[planner.ClassExtra] == 0 {
				t.Errorf("demo orders by class: %v", classes)
			}

			// Loading again changes nothing.
			loaded, err = st.LoadDemo(ctx)
			if err != nil || loaded {
				t.Fatalf("second LoadDemo = %v, %v; want false, nil", loaded, err)
			}
			sc2, err := st.Scenario(ctx, "2026-W50")
			if err != nil {
				t.Fatal(err)
			}
			if len(sc2.Orders) != len(sc1.Orders) || len(sc2.Offers) != len(sc1.Offers) {
				t.Errorf("second load changed the week: %d/%d orders, %d/%d offers", len(sc2.Orders), len(sc1.Orders), len(sc2.Offers), len(sc1.Offers))
			}
			for _, d := range models.DemoTokens() {
				tok, err := st.LookupToken(ctx, d.Token)
				if err != nil || tok.Role != d.Role || tok.Scope != d.Scope {
					t.Errorf("demo token %s: %+v, %v", d.Token, tok, err)
				}
			}
		})
	}
}

func TestLoadDemoLeavesRealDatabaseAlone(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, "sqlite", &testClock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, paris)})
	if err := st.CreateProducer(ctx, &models.Producer{ID: "ferme-reelle", Name: "Ferme réelle", Lat: 50.4, Lon: 2.8, WindowStart: "08:00", WindowEnd: "12:00"}); err != nil {
		t.Fatal(err)
	}
	loaded, err := st.LoadDemo(ctx)
	if err != nil || loaded {
		t.Fatalf("LoadDemo on a real database = %v, %v; want false, nil", loaded, err)
	}
	if _, err := st.LookupToken(ctx, models.DemoCoordinatorToken); err == nil {
		t.Error("a public demo coordinator token was added to a real database")
	}
}

package jobs_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"paniers/internal/testdb"
	"paniers/jobs"
	"paniers/models"
	"paniers/planner"
)

func fp(x float64) *float64 { return &x }

// basePlanState is a small week: two orders, one basket type, one round.
func basePlanState() jobs.PlanState {
	return jobs.PlanState{
		HasScenario: true,
		Scenario: planner.Scenario{
			Offers: []planner.Offer{{Producer: "ferme-a", Product: "carotte", Quantity: 100}, {Producer: "ferme-b", Product: "poireau", Quantity: 20}},
			Orders: []planner.Order{
				{ID: "basket:relais-lens:moyen", Site: "relais-lens", Class: planner.ClassBasket, Basket: "moyen", Count: 10},
				{ID: "x1", Site: "relais-lens", Class: planner.ClassExtra, Product: "poireau", Quantity: 5},
				{ID: "c1", Site: "cantine-a", Class: planner.ClassCanteen, Product: "carotte", Quantity: 8},
			},
		},
		Plan: planner.Plan{
			Baskets: []planner.BasketContents{{Basket: "moyen", ValueCents: 1200, Contents: []planner.ProductQuantity{{Product: "carotte", Quantity: 1}, {Product: "poireau", Quantity: 0.5}}}},
			Allocations: []planner.Allocation{
				{Order: "basket:relais-lens:moyen", Producer: "ferme-a", Product: "carotte", Quantity: 10},
				{Order: "basket:relais-lens:moyen", Producer: "ferme-b", Product: "poireau", Quantity: 5},
				{Order: "x1", Producer: "ferme-b", Product: "poireau", Quantity: 5},
				{Order: "c1", Producer: "ferme-a", Product: "carotte", Quantity: 8},
			},
			Shortfalls: []planner.Shortfall{},
			Rounds:     []planner.Round{{Vehicle: "camion-1", DistanceKm: 42.5}},
			Summary:    planner.Summary{FillRate: map[string]float64{planner.ClassCanteen: 1, planner.ClassBasket: 1, planner.ClassExtra: 1}, DistanceKm: 42.5},
		},
	}
}

// emptyChanges is a Changes with every list empty, as PlanChanges makes it
// for two equal versions of basePlanState.
func emptyChanges(version int) jobs.Changes {
	return jobs.Changes{Version: version, Base: version - 1, Allocated: []jobs.QuantityChange{}, Baskets: []jobs.BasketChange{},
		FillRates:          []jobs.RateChange{{Class: "canteen", Before: fp(1), After: fp(1)}, {Class: "basket", Before: fp(1), After: fp(1)}, {Class: "extra", Before: fp(1), After: fp(1)}},
		ShortfallsAppeared: []jobs.ShortfallChange{}, ShortfallsResolved: []jobs.ShortfallChange{},
		Rounds:         jobs.RoundsChange{Before: 1, After: 1, KmBefore: 42.5, KmAfter: 42.5},
		InputsCompared: true, OrdersAdded: []planner.Order{}, OrdersRemoved: []planner.Order{}, OrdersChanged: []jobs.OrderChange{}, OffersChanged: []jobs.OfferChange{}}
}

// TestPlanChanges: each kind of change between two versions is reported,
// and only that one.
func TestPlanChanges(t *testing.T) {
	cases := []struct {
		name   string
		change func(s *jobs.PlanState)
		want   func(c *jobs.Changes)
		empty  bool
	}{
		{name: "nothing changed", change: func(*jobs.PlanState) {}, want: func(*jobs.Changes) {}, empty: true},
		{name: "one allocation smaller, a shortfall appears",
			change: func(s *jobs.PlanState) {
				s.Plan.Allocations[3].Quantity = 6
				s.Plan.Shortfalls = []planner.Shortfall{{Order: "c1", Product: "carotte", Ordered: fp(8), Allocated: fp(6), Reason: "offre insuffisante"}}
				s.Plan.Summary.FillRate[planner.ClassCanteen] = 0.75
			},
			want: func(c *jobs.Changes) {
				c.Allocated = []jobs.QuantityChange{{Product: "carotte", Before: 18, After: 16}}
				c.ShortfallsAppeared = []jobs.ShortfallChange{{Site: "cantine-a", Shortfall: planner.Shortfall{Order: "c1", Product: "carotte", Ordered: fp(8), Allocated: fp(6), Reason: "offre insuffisante"}}}
				c.FillRates[0].After = fp(0.75)
			}},
		{name: "a shortfall resolved",
			change: func(s *jobs.PlanState) { s.Plan.Shortfalls = nil },
			want: func(c *jobs.Changes) {
				c.ShortfallsResolved = []jobs.ShortfallChange{{Site: "relais-lens", Shortfall: planner.Shortfall{Order: "x1", Product: "poireau", Ordered: fp(6), Allocated: fp(5), Reason: "r"}}}
			}},
		{name: "basket contents and value",
			change: func(s *jobs.PlanState) {
				s.Plan.Baskets[0].Contents = []planner.ProductQuantity{{Product: "carotte", Quantity: 1}, {Product: "pomme", Quantity: 0.3}}
				s.Plan.Baskets[0].ValueCents = 1150
			},
			want: func(c *jobs.Changes) {
				c.Baskets = []jobs.BasketChange{{Basket: "moyen", ValueBefore: 1200, ValueAfter: 1150,
					Contents: []jobs.QuantityChange{{Product: "poireau", Before: 0.5, After: 0}, {Product: "pomme", Before: 0, After: 0.3}}}}
			}},
		{name: "a new basket type",
			change: func(s *jobs.PlanState) {
				s.Plan.Baskets = append(s.Plan.Baskets, planner.BasketContents{Basket: "petit", ValueCents: 800, Contents: []planner.ProductQuantity{{Product: "carotte", Quantity: 0.5}}})
			},
			want: func(c *jobs.Changes) {
				c.Baskets = []jobs.BasketChange{{Basket: "petit", ValueAfter: 800, Contents: []jobs.QuantityChange{{Product: "carotte", Before: 0, After: 0.5}}}}
			}},
		{name: "rounds: one more, longer",
			change: func(s *jobs.PlanState) {
				s.Plan.Rounds = append(s.Plan.Rounds, planner.Round{Vehicle: "camion-2", DistanceKm: 10.25})
			},
			want: func(c *jobs.Changes) {
				c.Rounds = jobs.RoundsChange{Before: 1, After: 2, KmBefore: 42.5, KmAfter: 52.75}
			}},
		{name: "households subscribe, an extra removed, an order added",
			change: func(s *jobs.PlanState) {
				s.Scenario.Orders[0].Count = 12
				s.Scenario.Orders = append(s.Scenario.Orders[:1], s.Scenario.Orders[2],
					planner.Order{ID: "x2", Site: "relais-loos", Class: planner.ClassExtra, Product: "oeuf", Quantity: 12})
			},
			want: func(c *jobs.Changes) {
				c.OrdersChanged = []jobs.OrderChange{{Order: "basket:relais-lens:moyen", Site: "relais-lens", Class: "basket", Basket: "moyen", Before: 10, After: 12}}
				c.OrdersRemoved = []planner.Order{{ID: "x1", Site: "relais-lens", Class: planner.ClassExtra, Product: "poireau", Quantity: 5}}
				c.OrdersAdded = []planner.Order{{ID: "x2", Site: "relais-loos", Class: planner.ClassExtra, Product: "oeuf", Quantity: 12}}
			}},
		{name: "offers: one changed, one withdrawn, one new",
			change: func(s *jobs.PlanState) {
				s.Scenario.Offers = []planner.Offer{{Producer: "ferme-a", Product: "carotte", Quantity: 80}, {Producer: "ferme-c", Product: "oeuf", Quantity: 60}}
			},
			want: func(c *jobs.Changes) {
				c.OffersChanged = []jobs.OfferChange{{Producer: "ferme-a", Product: "carotte", Before: 100, After: 80},
					{Producer: "ferme-b", Product: "poireau", Before: 20, After: 0}, {Producer: "ferme-c", Product: "oeuf", Before: 0, After: 60}}
			}},
		{name: "a class without orders any more",
			change: func(s *jobs.PlanState) { delete(s.Plan.Summary.FillRate, planner.ClassExtra) },
			want:   func(c *jobs.Changes) { c.FillRates[2].After = nil }},
		{name: "no stored scenario: orders not compared",
			change: func(s *jobs.PlanState) { s.HasScenario = false; s.Scenario = planner.Scenario{} },
			want:   func(c *jobs.Changes) { c.InputsCompared = false }, empty: true},
		{name: "float noise is no change",
			change: func(s *jobs.PlanState) {
				s.Plan.Allocations[0].Quantity = 0.1 + 0.2
				s.Plan.Allocations = append(s.Plan.Allocations, planner.Allocation{Order: "c1", Producer: "ferme-a", Product: "carotte", Quantity: 9.7})
			},
			want: func(*jobs.Changes) {}, empty: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base, cur := basePlanState(), basePlanState()
			if tc.name == "a shortfall resolved" {
				base.Plan.Shortfalls = []planner.Shortfall{{Order: "x1", Product: "poireau", Ordered: fp(6), Allocated: fp(5), Reason: "r"}}
			}
			tc.change(&cur)
			got := jobs.PlanChanges(4, base, cur)
			want := emptyChanges(4)
			tc.want(&want)
			if !reflect.DeepEqual(got, want) {
				g, _ := json.MarshalIndent(got, "", " ")
				w, _ := json.MarshalIndent(want, "", " ")
				t.Errorf("changes:\n%s\nwant:\n%s", g, w)
			}
			if got.Empty() != tc.empty {
				t.Errorf("Empty() = %v, want %v", got.Empty(), tc.empty)
			}
		})
	}
}

// TestVersionChangesFromTheStore: the demo week planned twice, with an
// offer changed in between, reads back as the second version's changes;
// the first version compares with nothing.
func TestVersionChangesFromTheStore(t *testing.T) {
	f := newFixture(t, testdb.Backend())
	ctx := context.Background()
	if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.SetWeekStatus(ctx, f.week, models.WeekOpen); err != nil {
		t.Fatal(err)
	}
	offers, err := f.st.ListOffers(ctx, f.week, models.OfferFilter{}, models.Page{Limit: 1})
	if err != nil || len(offers) == 0 {
		t.Fatalf("offers: %v %v", offers, err)
	}
	o := offers[0]
	before := o.Quantity
	o.Quantity = 0.5 * before
	if _, err := f.st.PutOffer(ctx, &o); err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
		t.Fatal(err)
	}
	got, err := jobs.VersionChanges(ctx, f.st, f.week, []int{2, 1})
	if err != nil {
		t.Fatal(err)
	}
	if c := got[1]; c.Base != 0 || !c.Empty() {
		t.Errorf("version 1: %+v, want nothing to compare", c)
	}
	c := got[2]
	want := []jobs.OfferChange{{Producer: o.ProducerID, Product: o.ProductID, Before: before, After: o.Quantity}}
	if c.Base != 1 || !c.InputsCompared || !reflect.DeepEqual(c.OffersChanged, want) {
		t.Errorf("version 2: base %d, compared %v, offers %+v; want %+v", c.Base, c.InputsCompared, c.OffersChanged, want)
	}
	if len(c.OrdersAdded)+len(c.OrdersRemoved)+len(c.OrdersChanged) != 0 {
		t.Errorf("orders changed without an order changing: %+v %+v %+v", c.OrdersAdded, c.OrdersRemoved, c.OrdersChanged)
	}
	if _, err := jobs.VersionChanges(ctx, f.st, f.week, []int{3}); err == nil {
		t.Error("version 3 does not exist: no error")
	}
}

// TestTriggerRecorded: a run and the version it stores say what started
// them: the API by default through the service, the page when it says so,
// the command when the function is called directly.
func TestTriggerRecorded(t *testing.T) {
	f := newFixture(t, testdb.Backend())
	ctx := context.Background()
	svc := jobs.NewService(f.deps)
	if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PlanWeek(ctx, f.week, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PlanWeek(jobs.WithTrigger(ctx, jobs.TriggerPage), f.week, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(jobs.WithTrigger(ctx, jobs.TriggerPage), f.week); err != nil {
		t.Fatal(err)
	}
	want := []string{jobs.TriggerPage, jobs.TriggerAPI, jobs.TriggerCLI}
	for i, r := range f.runs(jobs.JobPlan) {
		if r.Trigger != want[i] {
			t.Errorf("plan run %d: trigger %q, want %q", r.ID, r.Trigger, want[i])
		}
	}
	if r := f.runs(jobs.JobPublish); len(r) != 1 || r[0].Trigger != jobs.TriggerPage {
		t.Errorf("publish runs %+v, want one from the page", r)
	}
	ins, err := f.st.ListPlanInputs(ctx, f.week, []int{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	for v, w := range map[int]struct {
		trigger string
		seed    int64
	}{1: {jobs.TriggerCLI, 1}, 2: {jobs.TriggerAPI, 2}, 3: {jobs.TriggerPage, 3}} {
		if in := ins[v]; in.Trigger != w.trigger || in.Seed != w.seed || in.Scenario != "" {
			t.Errorf("version %d: trigger %q seed %d (scenario %d bytes), want %q seed %d without the scenario", v, in.Trigger, in.Seed, len(in.Scenario), w.trigger, w.seed)
		}
	}
}

// TestFailureWordsRecorded: planning a week that does not exist fails,
// and the run keeps the failure in French beside the technical error.
func TestFailureWordsRecorded(t *testing.T) {
	f := newFixture(t, testdb.Backend())
	if _, err := jobs.PlanWeek(context.Background(), f.deps, "2031-W01", 1); err == nil {
		t.Fatal("planning an unknown week: no error")
	}
	runs := f.runs(jobs.JobPlan)
	if len(runs) != 1 || runs[0].Outcome != models.JobFailed || runs[0].ErrorFR == "" || runs[0].Error == runs[0].ErrorFR {
		t.Fatalf("runs %+v", runs)
	}
	if fr, ok := jobs.RunMessage(runs[0], "fr"); !ok || fr != runs[0].ErrorFR {
		t.Errorf("in French: %q %v", fr, ok)
	}
}

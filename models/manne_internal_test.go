package models

import (
	"context"
	"strings"
	"testing"

	"paniers/planner"
)

// TestPublishCreditsFailTogether makes the garden credit fail inside the
// publication (a trigger refuses the transfer's insert): the publication is
// rolled back with it, and once the trigger is gone the next publication
// writes both.
func TestPublishCreditsFailTogether(t *testing.T) {
	ctx := context.Background()
	st := openInternal(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.CreateSite(ctx, &Site{ID: "relais", Name: "Relais", Kind: planner.KindRelay, Lat: 50.4, Lon: 2.8, WindowStart: "09:00", WindowEnd: "12:00"}))
	must(st.CreateHousehold(ctx, &Household{ID: "martin", SiteID: "relais", Name: "Martin"}))
	lender := "martin"
	must(st.CreateProducer(ctx, &Producer{ID: "jardin", Name: "Jardin", Kind: ProducerGarden, Lat: 50.4, Lon: 2.8,
		WindowStart: "09:00", WindowEnd: "12:00", LenderID: &lender}))
	must(st.CreateProduct(ctx, &Product{ID: "carotte", Name: "Carottes", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1}))
	week := "2099-W10"
	must(st.CreateWeek(ctx, &Week{ID: week}))
	if _, err := st.PutOffer(ctx, &Offer{WeekID: week, ProducerID: "jardin", ProductID: "carotte", Quantity: 10, PriceCents: 300}); err != nil {
		t.Fatal(err)
	}
	sp, err := st.SavePlanVersion(ctx, week, planner.Plan{Week: week, Allocations: []planner.Allocation{{Order: "o", Producer: "jardin", Product: "carotte", Quantity: 4}}}, PlanInput{}, nil)
	must(err)
	must(st.w.Exec(`CREATE TRIGGER refuse_transfers BEFORE INSERT ON manne_transfers BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`).Error)

	if _, _, err := st.PublishVersion(ctx, week, sp.Version, DefaultManneRate); err == nil || !strings.Contains(err.Error(), "refused by the test") {
		t.Fatalf("publication with a failing credit: err = %v", err)
	}
	cur, err := st.CurrentPlan(ctx, week)
	must(err)
	w, err := st.GetWeek(ctx, week)
	must(err)
	if cur.Published || w.Status == WeekPublished {
		t.Fatalf("publication committed without its credit: plan published %v, week %s", cur.Published, w.Status)
	}
	var accounts int64
	must(st.r.Model(&ManneAccount{}).Where("balance_cents <> 0").Count(&accounts).Error)
	if accounts != 0 {
		t.Fatalf("%d balances moved by a rolled-back publication", accounts)
	}

	must(st.w.Exec(`DROP TRIGGER refuse_transfers`).Error)
	_, credits, err := st.PublishVersion(ctx, week, sp.Version, DefaultManneRate)
	must(err)
	if len(credits) != 1 || credits[0].Transfer.AmountCents != 1200 {
		t.Fatalf("credits = %+v", credits)
	}
	cur, _ = st.CurrentPlan(ctx, week)
	if !cur.Published {
		t.Fatal("plan not published")
	}
}

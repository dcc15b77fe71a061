package jobs_test

import (
	"context"
	"testing"
	"time"

	"paniers/jobs"
	"paniers/models"
)

// zero does not bound a period.
var zero time.Time

// TestPublishCreditsLentGardens publishes the demo week: each lent garden
// credits its lender with what it sold at Deps.ManneRate, once; publishing
// again credits nothing.
func TestPublishCreditsLentGardens(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			f := newFixture(t, b)
			ctx := context.Background()
			f.clock.Set(afterOrders)
			f.deps.ManneRate = 2_000_000 // 2 MANNE per euro
			if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
				t.Fatal(err)
			}
			res, err := jobs.Publish(ctx, f.deps, f.week)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Credits) == 0 {
				t.Fatal("the demo's lent gardens earned nothing")
			}
			for _, c := range res.Credits {
				if c.Transfer.Kind != models.TransferGarden || c.Transfer.AmountCents != 2*c.ValueCents || c.ValueCents <= 0 {
					t.Errorf("credit %+v, want a garden transfer of twice its value", c)
				}
				a, err := f.st.GetAccount(ctx, c.Lender)
				if err != nil || a.BalanceCents < c.Transfer.AmountCents {
					t.Errorf("lender %s: %+v, %v", c.Lender, a, err)
				}
			}
			again, err := jobs.Publish(ctx, f.deps, f.week)
			if err != nil || len(again.Credits) != 0 {
				t.Fatalf("publishing again credited %+v, %v", again.Credits, err)
			}
			rep, err := f.st.ManneReport(ctx, zero, zero)
			if err != nil || !rep.Balanced() {
				t.Fatalf("report %+v, %v", rep, err)
			}
		})
	}
}

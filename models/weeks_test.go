package models_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"paniers/models"
	"paniers/planner"
)

func TestDefaultCalendar(t *testing.T) {
	tests := []struct {
		id                       string
		collection, delivery     string
		offerCutoff, orderCutoff time.Time
	}{
		// The contract's example week.
		{"2026-W49", "2026-11-30", "2026-12-01", time.Date(2026, 11, 25, 20, 0, 0, 0, paris), time.Date(2026, 11, 26, 12, 0, 0, 0, paris)},
		// Week 1 of 2027 starts on Monday 4 January; its cutoffs fall in 2026.
		{"2027-W01", "2027-01-04", "2027-01-05", time.Date(2026, 12, 30, 20, 0, 0, 0, paris), time.Date(2026, 12, 31, 12, 0, 0, 0, paris)},
		// 2026 has 53 ISO weeks.
		{"2026-W53", "2026-12-28", "2026-12-29", time.Date(2026, 12, 23, 20, 0, 0, 0, paris), time.Date(2026, 12, 24, 12, 0, 0, 0, paris)},
		// Summer time: 20:00 in Paris is 18:00 UTC.
		{"2026-W27", "2026-06-29", "2026-06-30", time.Date(2026, 6, 24, 18, 0, 0, 0, time.UTC), time.Date(2026, 6, 25, 10, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		w, err := models.DefaultCalendar(tc.id, paris)
		if err != nil {
			t.Errorf("%s: %v", tc.id, err)
			continue
		}
		if w.CollectionDate != tc.collection || w.DeliveryDate != tc.delivery || !w.OfferCutoff.Equal(tc.offerCutoff) || !w.OrderCutoff.Equal(tc.orderCutoff) || w.Status != models.WeekOpen {
			t.Errorf("%s: got %+v", tc.id, w)
		}
		del, _ := models.ParseDate(w.DeliveryDate)
		if got := models.WeekID(del); got != tc.id {
			t.Errorf("WeekID(%s) = %s, want %s", w.DeliveryDate, got, tc.id)
		}
	}
	for _, bad := range []string{"2025-W53", "2026-W00", "2026-W54", "2026W49", "26-W49", "2026-w49", "2026-W4x", "", "1999-W10", "2026-W+9", "+026-W09", "2026-W 9"} {
		if _, err := models.DefaultCalendar(bad, paris); err == nil {
			t.Errorf("DefaultCalendar(%q) accepted", bad)
		}
	}
	if got := models.WeekID(time.Date(2027, 1, 2, 12, 0, 0, 0, paris)); got != "2026-W53" {
		t.Errorf("WeekID(2027-01-02) = %s, want 2026-W53", got)
	}
}

func TestNextOpenWeek(t *testing.T) {
	tests := []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 11, 25, 19, 59, 0, 0, paris), "2026-W49"}, // just before W49's offers close
		{time.Date(2026, 11, 25, 20, 0, 0, 0, paris), "2026-W50"},  // at the cutoff: the next week
		{time.Date(2026, 11, 30, 8, 0, 0, 0, paris), "2026-W50"},   // Monday of W49
		{time.Date(2026, 12, 31, 8, 0, 0, 0, paris), "2027-W02"},   // across the year
	}
	for _, tc := range tests {
		if got := models.NextOpenWeek(tc.now, paris); got != tc.want {
			t.Errorf("NextOpenWeek(%v) = %s, want %s", tc.now, got, tc.want)
		}
	}
}

func TestCreateWeekValidation(t *testing.T) {
	ctx := context.Background()
	st, _ := world(t, "sqlite")
	tests := []struct {
		name   string
		week   models.Week
		fields []string
	}{
		{"bad id", models.Week{ID: "2026-49"}, []string{"id"}},
		{"bad status", models.Week{ID: "2026-W50", Status: "archived"}, []string{"status"}},
		{"bad dates", models.Week{ID: "2026-W50", CollectionDate: "07/12/2026", DeliveryDate: "2026-13-01"}, []string{"collection_date", "delivery_date"}},
		{"delivery before collection", models.Week{ID: "2026-W50", CollectionDate: "2026-12-08", DeliveryDate: "2026-12-07"}, []string{"delivery_date"}},
		{"orders close before offers", models.Week{ID: "2026-W50", OfferCutoff: time.Date(2026, 12, 3, 12, 0, 0, 0, paris), OrderCutoff: time.Date(2026, 12, 2, 12, 0, 0, 0, paris)}, []string{"order_cutoff"}},
		{"orders close after collection starts", models.Week{ID: "2026-W50", OrderCutoff: time.Date(2026, 12, 7, 6, 0, 0, 0, paris)}, []string{"order_cutoff"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.week
			if got := fieldsOf(t, st.CreateWeek(ctx, &w)); !slices.Equal(got, tc.fields) {
				t.Errorf("fields %q, want %q", got, tc.fields)
			}
		})
	}
	w, created, err := st.EnsureWeek(ctx, "2026-W50")
	if err != nil || !created || w.DeliveryDate != "2026-12-08" {
		t.Fatalf("EnsureWeek = %+v, %v, %v", w, created, err)
	}
	if _, created, err = st.EnsureWeek(ctx, "2026-W50"); err != nil || created {
		t.Errorf("EnsureWeek again: created %v, %v", created, err)
	}
	if _, err := st.SetWeekStatus(ctx, "2026-W50", "done"); !errors.Is(err, models.ErrInvalid) {
		t.Errorf("SetWeekStatus(done) = %v, want ErrInvalid", err)
	}
	if _, err := st.SetWeekStatus(ctx, "2030-W01", models.WeekClosed); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("SetWeekStatus of a missing week = %v, want ErrNotFound", err)
	}
	open, err := st.ListWeeksByStatus(ctx, models.WeekOpen, models.Page{})
	if err != nil || len(open) != 2 || open[0].ID != testWeek {
		t.Errorf("open weeks = %+v, %v", open, err)
	}
}

// TestCutoffs posts each kind of write at instants around its cutoff and in
// each week status.
func TestCutoffs(t *testing.T) {
	offerCutoff := time.Date(2026, 11, 25, 20, 0, 0, 0, paris)
	orderCutoff := time.Date(2026, 11, 26, 12, 0, 0, 0, paris)
	second := time.Second
	tests := []struct {
		name   string
		now    time.Time
		status string
		kind   string
		closed bool
		cutoff time.Time
	}{
		{"offer before cutoff", offerCutoff.Add(-second), models.WeekOpen, models.KindOffers, false, offerCutoff},
		{"offer at cutoff", offerCutoff, models.WeekOpen, models.KindOffers, true, offerCutoff},
		{"offer after cutoff", offerCutoff.Add(time.Hour), models.WeekOpen, models.KindOffers, true, offerCutoff},
		{"order after the offers closed", offerCutoff.Add(time.Hour), models.WeekOpen, models.KindOrders, false, orderCutoff},
		{"order at cutoff", orderCutoff, models.WeekOpen, models.KindOrders, true, orderCutoff},
		{"meal order before cutoff", orderCutoff.Add(-second), models.WeekOpen, models.KindMealOrders, false, orderCutoff},
		{"meal order after cutoff", orderCutoff.Add(second), models.WeekOpen, models.KindMealOrders, true, orderCutoff},
		{"offer in a closed week", beforeCutoffs, models.WeekClosed, models.KindOffers, true, offerCutoff},
		{"order in a planned week", beforeCutoffs, models.WeekPlanned, models.KindOrders, true, orderCutoff},
		{"meal order in a published week", beforeCutoffs, models.WeekPublished, models.KindMealOrders, true, orderCutoff},
	}
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, clock := world(t, b)
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					if _, err := st.SetWeekStatus(ctx, testWeek, tc.status); err != nil {
						t.Fatal(err)
					}
					clock.t = tc.now
					var err error
					switch tc.kind {
					case models.KindOffers:
						_, err = st.PutOffer(ctx, &models.Offer{WeekID: testWeek, ProducerID: "ferme-a", ProductID: "carotte", Quantity: 10, PriceCents: 180})
					case models.KindOrders:
						err = st.CreateOrder(ctx, &models.Order{WeekID: testWeek, SiteID: "relais-a", Class: planner.ClassExtra, ProductID: str("carotte"), Quantity: 2})
					case models.KindMealOrders:
						err = st.CreateMealOrder(ctx, &models.MealOrder{WeekID: testWeek, SiteID: "cantine-a", Date: "2026-12-01",
							Covers: []models.MealCover{{AgeGroup: models.AgeMaternelle, Covers: 50}}, Dishes: []models.MealDish{{ProductID: "carotte"}}})
					}
					if !tc.closed {
						if err != nil {
							t.Fatalf("refused: %v", err)
						}
						return
					}
					var ce *models.ClosedError
					if !errors.As(err, &ce) || !errors.Is(err, models.ErrClosed) {
						t.Fatalf("err = %v, want *ClosedError", err)
					}
					if ce.Week != testWeek || ce.Kind != tc.kind || !ce.Cutoff.Equal(tc.cutoff) || ce.Status != tc.status {
						t.Errorf("ClosedError = %+v, want kind %s cutoff %v status %s", ce, tc.kind, tc.cutoff, tc.status)
					}
				})
			}
			// Nothing refused was stored: one offer, one order, one meal order.
			clock.t = beforeCutoffs
			offers, _ := st.ListOffers(ctx, testWeek, models.OfferFilter{}, models.Page{})
			orders, _ := st.ListOrders(ctx, testWeek, models.OrderFilter{}, models.Page{})
			meals, _ := st.ListMealOrders(ctx, testWeek, models.MealOrderFilter{}, models.Page{})
			if len(offers) != 1 || len(orders) != 1 || len(meals) != 1 {
				t.Errorf("stored %d offers, %d orders, %d meal orders; want 1 each", len(offers), len(orders), len(meals))
			}
		})
	}
}

// TestPatchWeek moves a week's calendar by the rules of CreateWeek, refuses
// it once the week is planned (unless reopened in the same change) and
// stores nothing refused.
func TestPatchWeek(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := world(t, b)
			ptr := func(s string) *string { return &s }
			at := func(t time.Time) *time.Time { return &t }
			before, err := st.GetWeek(ctx, testWeek)
			if err != nil {
				t.Fatal(err)
			}
			offer := time.Date(2026, 11, 24, 18, 0, 0, 0, paris)
			w, err := st.PatchWeek(ctx, testWeek, models.WeekChange{OfferCutoff: at(offer), DeliveryDate: ptr("2026-12-02")})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := st.GetWeek(ctx, testWeek)
			if !got.OfferCutoff.Equal(offer) || got.DeliveryDate != "2026-12-02" || !got.OrderCutoff.Equal(before.OrderCutoff) || got.Status != before.Status || !w.OfferCutoff.Equal(offer) {
				t.Errorf("after the change: %+v (returned %+v)", got, w)
			}
			bad := []struct {
				name  string
				ch    models.WeekChange
				field string
			}{
				{"orders before offers", models.WeekChange{OrderCutoff: at(offer.Add(-time.Hour))}, "order_cutoff"},
				{"orders on collection day", models.WeekChange{OrderCutoff: at(time.Date(2026, 11, 30, 6, 0, 0, 0, paris))}, "order_cutoff"},
				{"delivery before collection", models.WeekChange{DeliveryDate: ptr("2026-11-29")}, "delivery_date"},
				{"no date", models.WeekChange{CollectionDate: ptr("")}, "collection_date"},
				{"zero cutoff", models.WeekChange{OfferCutoff: &time.Time{}}, "offer_cutoff"},
				{"unknown status", models.WeekChange{Status: ptr("done")}, "status"},
			}
			for _, tc := range bad {
				_, err := st.PatchWeek(ctx, testWeek, tc.ch)
				var invalid *models.ValidationError
				if !errors.As(err, &invalid) || invalid.Problems[0].Field != tc.field {
					t.Errorf("%s: %v, want a problem with %s", tc.name, err, tc.field)
				}
			}
			if now, _ := st.GetWeek(ctx, testWeek); !now.OfferCutoff.Equal(offer) || now.DeliveryDate != "2026-12-02" {
				t.Errorf("a refused change was stored: %+v", now)
			}
			// A planned week keeps its calendar; reopening it in the same
			// change lets it move.
			if _, err := st.SetWeekStatus(ctx, testWeek, models.WeekPlanned); err != nil {
				t.Fatal(err)
			}
			_, err = st.PatchWeek(ctx, testWeek, models.WeekChange{OfferCutoff: at(offer.Add(time.Hour))})
			var closed *models.ClosedError
			if !errors.As(err, &closed) || closed.Kind != models.KindCalendar || closed.Status != models.WeekPlanned {
				t.Errorf("calendar of a planned week: %v, want *ClosedError of kind calendar", err)
			}
			if w, err := st.PatchWeek(ctx, testWeek, models.WeekChange{Status: ptr(models.WeekOpen), OfferCutoff: at(offer.Add(time.Hour))}); err != nil || w.Status != models.WeekOpen {
				t.Errorf("reopen and move: %+v, %v", w, err)
			}
			if _, err := st.PatchWeek(ctx, "2030-W01", models.WeekChange{DeliveryDate: ptr("2030-01-02")}); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("missing week: %v, want ErrNotFound", err)
			}
		})
	}
}

func TestParseInstant(t *testing.T) {
	want := time.Date(2026, 11, 25, 20, 0, 0, 0, paris)
	for _, in := range []string{"2026-11-25T20:00:00+01:00", "2026-11-25T19:00:00Z", "2026-11-25T20:00:00", "2026-11-25T20:00"} {
		if got, err := models.ParseInstant(in, paris); err != nil || !got.Equal(want) {
			t.Errorf("ParseInstant(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "25/11/2026 20:00", "2026-11-25", "2026-11-25T25:00", "2026-13-01T10:00", "demain"} {
		if _, err := models.ParseInstant(in, paris); err == nil {
			t.Errorf("ParseInstant(%q) accepted", in)
		}
	}
}

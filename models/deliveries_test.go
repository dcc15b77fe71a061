package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"paniers/models"
	"paniers/planner"
)

// TestSetDelivered follows a driver's ticks through the week: nothing on a
// draft, ticks and undo on the published version, the scope check before
// any write, and after a new version is published the old ticks stay with
// their version and a tick naming the old version is refused (its stop
// numbers may name other places now), never applied to the new one.
func TestSetDelivered(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, clock := world(t, b)
			round := func(vehicle string, sites ...string) planner.Round {
				rd := planner.Round{Vehicle: vehicle, Kind: planner.RoundDelivery, Date: "2026-12-01", Depart: "06:30", Return: "09:00"}
				for _, s := range sites {
					rd.Stops = append(rd.Stops, planner.Stop{Site: s, Arrive: "07:00", Start: "07:00", Leave: "07:10"})
				}
				return rd
			}
			v1 := planner.Plan{Week: testWeek, Rounds: []planner.Round{round("camion-1", "cantine-a", "relais-a"), round("camion-2", "relais-b")}}
			if _, err := st.SavePlanVersion(ctx, testWeek, v1, models.PlanInput{}, nil); err != nil {
				t.Fatal(err)
			}
			ref := models.StopRef{Week: testWeek, Version: 1, Round: 0, Stop: 2}
			if _, err := st.SetDelivered(ctx, ref, true, nil); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("tick on a draft: %v, want not found", err)
			}
			if _, _, err := st.PublishVersion(ctx, testWeek, 1, models.DefaultManneRate); err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 12, 1, 7, 12, 0, 0, paris)
			clock.t = at
			d, err := st.SetDelivered(ctx, ref, true, nil)
			if err != nil || d.PlaceID != "relais-a" || d.Vehicle != "camion-1" || !d.DeliveredAt.Equal(at) {
				t.Fatalf("tick: %+v, %v", d, err)
			}
			clock.t = at.Add(time.Hour)
			if d, err := st.SetDelivered(ctx, ref, true, nil); err != nil || !d.DeliveredAt.Equal(at) {
				t.Errorf("second tick: %+v, %v; want the first time kept", d, err)
			}
			// The scope check runs on the round, before any write.
			errScope := errors.New("not this vehicle")
			only := func(v string) func(planner.Round) error {
				return func(rd planner.Round) error {
					if rd.Vehicle != v {
						return errScope
					}
					return nil
				}
			}
			if _, err := st.SetDelivered(ctx, models.StopRef{Week: testWeek, Version: 1, Round: 1, Stop: 1}, true, only("camion-1")); !errors.Is(err, errScope) {
				t.Errorf("another vehicle's round: %v", err)
			}
			for _, bad := range []models.StopRef{
				{Week: testWeek, Version: 1, Round: 2, Stop: 1}, {Week: testWeek, Version: 1, Round: -1, Stop: 1},
				{Week: testWeek, Version: 1, Round: 0, Stop: 3}, {Week: testWeek, Version: 1, Round: 0, Stop: 0},
				{Week: testWeek, Version: 9, Round: 0, Stop: 1}, {Week: "2026-W51", Version: 1, Round: 0, Stop: 1},
			} {
				if _, err := st.SetDelivered(ctx, bad, true, nil); !errors.Is(err, models.ErrNotFound) {
					t.Errorf("%+v: %v, want not found", bad, err)
				}
			}
			rows, err := st.Deliveries(ctx, testWeek)
			if err != nil || len(rows) != 1 || rows[0].Stop != 2 {
				t.Fatalf("deliveries: %+v, %v", rows, err)
			}
			// Undo, and undo again.
			for range 2 {
				if _, err := st.SetDelivered(ctx, ref, false, nil); err != nil {
					t.Fatal(err)
				}
			}
			if rows, _ := st.Deliveries(ctx, testWeek); len(rows) != 0 {
				t.Errorf("after undo: %+v", rows)
			}
			must(t, func() error { _, err := st.SetDelivered(ctx, ref, true, nil); return err }())

			// A re-plan is a draft: ticks still go to version 1.
			v2 := planner.Plan{Week: testWeek, Rounds: []planner.Round{round("camion-1", "relais-a", "cantine-a")}}
			if _, err := st.SavePlanVersion(ctx, testWeek, v2, models.PlanInput{}, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := st.SetDelivered(ctx, models.StopRef{Week: testWeek, Version: 1, Round: 0, Stop: 1}, true, nil); err != nil {
				t.Errorf("tick on the published version beside a draft: %v", err)
			}
			if _, err := st.SetDelivered(ctx, models.StopRef{Week: testWeek, Version: 2, Round: 0, Stop: 1}, true, nil); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("tick on the draft: %v", err)
			}
			// Version 2 published: stop 2 is now the canteen. A tick sent
			// from a page of version 1 is refused, not put on the canteen.
			if _, _, err := st.PublishVersion(ctx, testWeek, 2, models.DefaultManneRate); err != nil {
				t.Fatal(err)
			}
			_, err = st.SetDelivered(ctx, ref, false, nil)
			var stale *models.StaleVersionError
			if !errors.As(err, &stale) || stale.Published != 2 || !errors.Is(err, models.ErrConflict) {
				t.Errorf("tick on version 1 after version 2: %v", err)
			}
			rows, _ = st.Deliveries(ctx, testWeek)
			if len(rows) != 2 || rows[0].Version != 1 || rows[1].Version != 1 {
				t.Errorf("ticks after version 2: %+v; want version 1's two, untouched", rows)
			}
			if d, err := st.SetDelivered(ctx, models.StopRef{Week: testWeek, Version: 2, Round: 0, Stop: 2}, true, nil); err != nil || d.PlaceID != "cantine-a" {
				t.Errorf("tick on version 2: %+v, %v", d, err)
			}
		})
	}
}

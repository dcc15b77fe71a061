package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"paniers/models"
	"paniers/planner"
)

func TestSavePlanVersions(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := world(t, b)
			plan := planner.Plan{Week: testWeek, Summary: planner.Summary{DistanceKm: 12.5, VehiclesUsed: 1}}
			v1, err := st.SavePlanVersion(ctx, testWeek, plan, models.PlanInput{}, nil)
			if err != nil || v1.Version != 1 || !v1.Current {
				t.Fatalf("v1 = %+v, %v", v1, err)
			}
			plan.Summary.DistanceKm = 11
			v2, err := st.SavePlanVersion(ctx, testWeek, plan, models.PlanInput{}, nil)
			if err != nil || v2.Version != 2 {
				t.Fatalf("v2 = %+v, %v", v2, err)
			}
			cur, err := st.CurrentPlan(ctx, testWeek)
			if err != nil || cur.Version != 2 {
				t.Fatalf("current = %+v, %v", cur, err)
			}
			p, err := cur.Plan()
			if err != nil || p.Summary.DistanceKm != 11 || p.Week != testWeek {
				t.Errorf("decoded plan = %+v, %v", p, err)
			}
			old, err := st.GetPlanVersion(ctx, testWeek, 1)
			if err != nil || old.Current {
				t.Errorf("v1 after v2 = %+v, %v; want not current", old, err)
			}
			w, _ := st.GetWeek(ctx, testWeek)
			if w.Status != models.WeekPlanned {
				t.Errorf("week status %s after SavePlanVersion, want planned", w.Status)
			}
			list, err := st.ListPlans(ctx, testWeek, models.Page{})
			if err != nil || len(list) != 2 || list[0].Version != 2 || list[0].JSON != "" {
				t.Errorf("ListPlans = %+v, %v; want v2, v1 without JSON", list, err)
			}
			pub, _, err := st.PublishVersion(ctx, testWeek, 2, models.DefaultManneRate)
			if err != nil || !pub.Published || pub.Version != 2 || pub.PublishedAt == nil {
				t.Errorf("PublishVersion = %+v, %v", pub, err)
			}
			w, _ = st.GetWeek(ctx, testWeek)
			if w.Status != models.WeekPublished {
				t.Errorf("week status %s after PublishVersion, want published", w.Status)
			}

			// Refusals store nothing.
			if _, err := st.SavePlanVersion(ctx, testWeek, planner.Plan{Week: "2026-W50"}, models.PlanInput{}, nil); !errors.Is(err, models.ErrInvalid) {
				t.Errorf("plan of another week: %v, want ErrInvalid", err)
			}
			if _, err := st.SavePlanVersion(ctx, "2030-W01", planner.Plan{Week: "2030-W01"}, models.PlanInput{}, nil); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("plan of a missing week: %v, want ErrNotFound", err)
			}
			if _, _, err := st.PublishVersion(ctx, "2030-W01", 1, models.DefaultManneRate); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("publish a missing week: %v, want ErrNotFound", err)
			}
			if _, err := st.GetPlanVersion(ctx, testWeek, 3); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("v3: %v, want ErrNotFound", err)
			}
		})
	}
}

// TestSavePlanConcurrent saves versions from several goroutines while
// readers ask for the current plan: versions are 1..n without a gap or a
// double, exactly one is current at the end, and no reader ever finds no
// current plan once the first is saved (the replacement is one transaction).
func TestSavePlanConcurrent(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := world(t, b)
			if _, err := st.SavePlanVersion(ctx, testWeek, planner.Plan{Week: testWeek}, models.PlanInput{}, nil); err != nil {
				t.Fatal(err)
			}
			const writers, each = 4, 5
			var missing, reads atomic.Int64
			stop := make(chan struct{})
			var rw sync.WaitGroup
			for r := 0; r < 2; r++ {
				rw.Add(1)
				go func() {
					defer rw.Done()
					for {
						select {
						case <-stop:
							return
						default:
						}
						if _, err := st.CurrentPlan(ctx, testWeek); err != nil {
							missing.Add(1)
						}
						reads.Add(1)
					}
				}()
			}
			var ww sync.WaitGroup
			errs := make(chan error, writers*each)
			for w := 0; w < writers; w++ {
				ww.Add(1)
				go func(w int) {
					defer ww.Done()
					for i := 0; i < each; i++ {
						p := planner.Plan{Week: testWeek, Unrouted: []planner.Unrouted{{Site: fmt.Sprintf("w%d-%d", w, i), Reason: "test"}}}
						if _, err := st.SavePlanVersion(ctx, testWeek, p, models.PlanInput{}, nil); err != nil {
							errs <- err
						}
					}
				}(w)
			}
			ww.Wait()
			close(stop)
			rw.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("SavePlanVersion: %v", err)
			}
			if missing.Load() > 0 {
				t.Errorf("%d of %d reads found no current plan", missing.Load(), reads.Load())
			}
			list, err := st.ListPlans(ctx, testWeek, models.Page{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			n := 1 + writers*each
			current := 0
			for i, p := range list {
				if p.Version != n-i {
					t.Errorf("version %d at position %d, want %d", p.Version, i, n-i)
				}
				if p.Current {
					current++
				}
			}
			if len(list) != n || current != 1 || !list[0].Current {
				t.Errorf("%d versions, %d current (latest current: %v); want %d, 1, true", len(list), current, len(list) > 0 && list[0].Current, n)
			}
		})
	}
}

func TestJobRuns(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, clock := world(t, b)
			r1, err := st.StartJobRun(ctx, "plan", testWeek, "api")
			if err != nil || r1.Outcome != models.JobRunning || r1.EndedAt != nil {
				t.Fatalf("start = %+v, %v", r1, err)
			}
			clock.t = clock.t.Add(90e9)
			f1, err := st.FinishJobRun(ctx, r1.ID, models.JobFailed, errors.New("planner: no vehicle"))
			if err != nil || f1.Outcome != models.JobFailed || f1.Error != "planner: no vehicle" || f1.EndedAt == nil || f1.EndedAt.Sub(f1.StartedAt) != 90e9 {
				t.Fatalf("finish = %+v, %v", f1, err)
			}
			r2, _ := st.StartJobRun(ctx, "plan", testWeek, "api")
			if _, err := st.FinishJobRun(ctx, r2.ID, models.JobOK, nil); err != nil {
				t.Fatal(err)
			}
			r3, _ := st.StartJobRun(ctx, "close-offers", testWeek, "schedule")
			runs, err := st.ListJobRuns(ctx, models.JobRunFilter{Job: "plan"}, models.Page{})
			if err != nil || len(runs) != 2 || runs[0].ID != r2.ID || runs[0].Outcome != models.JobOK {
				t.Errorf("plan runs = %+v, %v; want latest first", runs, err)
			}
			all, _ := st.ListJobRuns(ctx, models.JobRunFilter{Week: testWeek}, models.Page{})
			if len(all) != 3 || all[0].ID != r3.ID {
				t.Errorf("all runs = %+v", all)
			}
			if _, err := st.FinishJobRun(ctx, 9999, models.JobOK, nil); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("finish unknown run: %v, want ErrNotFound", err)
			}
			if _, err := st.FinishJobRun(ctx, r3.ID, "meh", nil); err == nil {
				t.Error("outcome meh accepted")
			}
		})
	}
}

func TestTokens(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := world(t, b)
			clear, tok, err := st.CreateToken(ctx, models.RoleFarmer, "ferme-a", "Ferme A")
			if err != nil || len(clear) < 40 || clear[:3] != models.TokenPrefix || tok.Hash != models.HashToken(clear) || tok.Hash == clear {
				t.Fatalf("CreateToken = %q, %+v, %v", clear, tok, err)
			}
			clear2, _, err := st.CreateToken(ctx, models.RoleFarmer, "ferme-a", "Ferme A bis")
			if err != nil || clear2 == clear {
				t.Errorf("second token %q equals the first or failed: %v", clear2, err)
			}
			got, err := st.LookupToken(ctx, clear)
			if err != nil || got.ID != tok.ID || got.Role != models.RoleFarmer || got.Scope != "ferme-a" {
				t.Errorf("LookupToken = %+v, %v", got, err)
			}
			if _, err := st.LookupToken(ctx, clear+"x"); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("wrong token: %v, want ErrNotFound", err)
			}
			for _, bad := range []struct {
				role, scope string
				fields      []string
			}{
				{models.RoleFarmer, "ferme-z", []string{"scope"}},
				{models.RoleRelay, "cantine-a", []string{"scope"}},
				{models.RoleCook, "relais-a", []string{"scope"}},
				{models.RoleCook, "", []string{"scope"}},
				{models.RoleCoordinator, "ferme-a", []string{"scope"}},
				{"admin", "", []string{"role"}},
			} {
				_, _, err := st.CreateToken(ctx, bad.role, bad.scope, "x")
				if got := fieldsOf(t, err); len(got) != 1 || got[0] != bad.fields[0] {
					t.Errorf("token %s/%s: fields %q", bad.role, bad.scope, got)
				}
			}
			// EnsureToken is idempotent for the same role and scope, a conflict
			// otherwise.
			e1, err := st.EnsureToken(ctx, "a-long-admin-token", models.RoleCoordinator, "", "admin")
			if err != nil {
				t.Fatal(err)
			}
			e2, err := st.EnsureToken(ctx, "a-long-admin-token", models.RoleCoordinator, "", "admin")
			if err != nil || e2.ID != e1.ID {
				t.Errorf("EnsureToken again = %+v, %v", e2, err)
			}
			if _, err := st.EnsureToken(ctx, "a-long-admin-token", models.RoleRelay, "relais-a", "x"); !errors.Is(err, models.ErrConflict) {
				t.Errorf("EnsureToken with another role: %v, want ErrConflict", err)
			}
			if _, err := st.EnsureToken(ctx, "short", models.RoleCoordinator, "", "x"); !errors.Is(err, models.ErrInvalid) {
				t.Errorf("short token: %v, want ErrInvalid", err)
			}
			toks, err := st.ListTokens(ctx, models.Page{})
			if err != nil || len(toks) != 3 {
				t.Errorf("ListTokens = %d, %v", len(toks), err)
			}
			must(t, st.DeleteToken(ctx, tok.ID))
			if _, err := st.LookupToken(ctx, clear); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("revoked token still found: %v", err)
			}
			if err := st.DeleteToken(ctx, tok.ID); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("second DeleteToken: %v, want ErrNotFound", err)
			}
		})
	}
}

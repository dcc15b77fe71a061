package jobs_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"paniers/jobs"
	"paniers/models"
	"paniers/planner"
)

// weekly are the default schedules.
var weekly = jobs.Schedules{CloseOffers: "0 20 * * 3", Plan: "0 14 * * 4", Publish: "30 14 * * 4"}

func TestCatchUpRunsMissedJobsOnce(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := context.Background()
	// The service was down from before Wednesday's close of offers until
	// Thursday 16:00: all three jobs were missed.
	f.clock.Set(time.Date(2026, 11, 26, 16, 0, 0, 0, paris))
	s, err := jobs.NewScheduler(f.deps, weekly)
	if err != nil {
		t.Fatal(err)
	}
	s.CatchUp(ctx)
	if got := strings.Count(f.logs.String(), "catch-up: missed run"); got != 3 {
		t.Errorf("%d catch-ups logged, want 3:\n%s", got, f.logs.String())
	}
	for _, job := range []string{jobs.JobCloseOffers, jobs.JobPlan, jobs.JobPublish} {
		runs := f.runs(job)
		if len(runs) != 1 || runs[0].Outcome != models.JobOK || runs[0].Week != f.week {
			t.Errorf("%s: runs %+v, want one ok run for %s", job, runs, f.week)
		}
		claims, err := f.st.ListJobClaims(ctx, job, 0)
		if err != nil || len(claims) != 1 || !claims[0].CatchUp || claims[0].Outcome != models.JobOK {
			t.Errorf("%s: claims %+v, %v", job, claims, err)
		}
	}
	if f.status() != models.WeekPublished {
		t.Errorf("after catching up the week is %s, want published", f.status())
	}
	if _, err := f.st.GetWeek(ctx, "2026-W50"); err != nil {
		t.Errorf("closing offers did not open the next week: %v", err)
	}
	// Started again: every job has succeeded since its last scheduled time.
	before := f.logs.String()
	s.CatchUp(ctx)
	if strings.Count(f.logs.String(), "catch-up: missed run") != 3 || len(f.runs(jobs.JobPlan)) != 1 {
		t.Errorf("caught up again:\n%s", strings.TrimPrefix(f.logs.String(), before))
	}
}

func TestCatchUpCountsOnlySuccessSinceTheScheduledTime(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := context.Background()
	// A plan run at 13:00 does not stand for the 14:00 run.
	f.clock.Set(time.Date(2026, 11, 26, 13, 0, 0, 0, paris))
	if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(time.Date(2026, 11, 26, 16, 0, 0, 0, paris))
	s, err := jobs.NewScheduler(f.deps, jobs.Schedules{Plan: weekly.Plan})
	if err != nil {
		t.Fatal(err)
	}
	s.CatchUp(ctx)
	runs := f.runs(jobs.JobPlan) // latest first
	if len(runs) != 2 || runs[0].Outcome != models.JobSkipped || runs[0].Week != "" {
		t.Fatalf("runs %+v: want the catch-up recorded as skipped (the week is already planned)", runs)
	}
	if !strings.Contains(f.logs.String(), "catch-up: missed run") {
		t.Error("catch-up not logged")
	}
	cur, err := f.st.CurrentPlan(ctx, f.week)
	if err != nil || cur.Version != 1 {
		t.Errorf("the catch-up re-planned a planned week: v%d, %v", cur.Version, err)
	}
	// A failed run is not a success either.
	f.clock.Set(time.Date(2026, 12, 3, 16, 0, 0, 0, paris))
	if _, err := jobs.PlanWeek(ctx, f.deps, "2026-W20", 1); err == nil {
		t.Fatal("planning an unknown week succeeded")
	}
	s.CatchUp(ctx)
	if runs := f.runs(jobs.JobPlan); len(runs) != 4 || runs[0].Outcome != models.JobSkipped {
		t.Errorf("after a failure, runs %+v: want a new catch-up run", runs)
	}
}

func TestNewSchedulerRefusesBadSpecs(t *testing.T) {
	f := newFixture(t, "sqlite")
	for _, spec := range []string{"0 25 * * 4", "every thursday", "0 0 0 14 * * 4"} {
		if _, err := jobs.NewScheduler(f.deps, jobs.Schedules{Plan: spec}); err == nil || !strings.Contains(err.Error(), "PANIERS_SCHEDULE_PLAN") {
			t.Errorf("%q: %v", spec, err)
		}
	}
	if _, err := jobs.NewScheduler(jobs.Deps{}, weekly); err == nil {
		t.Error("a scheduler without a store")
	}
}

// TestThreeInstancesOneRunPerScheduledTime runs three schedulers, each with
// its own store on one shared database, with the plan job every second: each
// scheduled time is run by exactly one of them, and the week is planned once.
//
// Two clocks meet here. Cron fires on the real clock, so the scheduled runs'
// times are real ones; the store, the calendar and the start-up catch-up
// read the fixture's clock, Thursday 26 November 2026 14:00 in Paris, so
// the catch-up (if one instance gets to claim it) is for that time.
func TestThreeInstancesOneRunPerScheduledTime(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			f := newFixture(t, b)
			ctx := context.Background()
			// The coordinator closed the week's orders: it is due for the
			// plan job whatever the date.
			if _, err := f.st.SetWeekStatus(ctx, f.week, models.WeekClosed); err != nil {
				t.Fatal(err)
			}
			f.clock.Set(time.Date(2026, 11, 26, 14, 0, 0, 0, paris))
			catchUpDue := f.clock.Now().Unix()
			var scheds []*jobs.Scheduler
			for i, name := range []string{"a", "b", "c"} {
				st := f.st
				if i > 0 {
					st = f.open()
				}
				d := f.depsFor(st, "instance-"+name)
				s, err := jobs.NewScheduler(d, jobs.Schedules{Plan: "* * * * * *"})
				if err != nil {
					t.Fatal(err)
				}
				scheds = append(scheds, s)
			}
			start := time.Now()
			for _, s := range scheds {
				s.Start(ctx)
			}
			// Wait until three scheduled times have run to their end (the
			// plan itself, a few seconds under the race detector on a busy
			// machine, keeps the next ones away while it runs), then stop
			// the schedules between two runs: Stop cancels a run in
			// flight, as a shutdown must, and that run would fail.
			const want = 3
			var claims []models.JobClaim
			for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(100 * time.Millisecond) {
				var err error
				if claims, err = f.st.ListJobClaims(ctx, jobs.JobPlan, 0); err != nil {
					t.Fatal(err)
				}
				ended := 0
				for _, c := range claims {
					if !c.CatchUp && c.Outcome != "" {
						ended++
					}
				}
				if ended >= want {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d of %d scheduled times ended in %v: claims %+v", ended, want, time.Since(start).Round(time.Second), claims)
				}
			}
			var wg sync.WaitGroup
			for _, s := range scheds {
				wg.Add(1)
				go func(s *jobs.Scheduler) {
					defer wg.Done()
					sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
					defer cancel()
					if err := s.Drain(sctx); err != nil {
						t.Error(err)
					}
					if err := s.Stop(sctx); err != nil {
						t.Error(err)
					}
				}(s)
			}
			wg.Wait()

			claims, err := f.st.ListJobClaims(ctx, jobs.JobPlan, 0)
			if err != nil {
				t.Fatal(err)
			}
			runs := f.runs(jobs.JobPlan)
			slices.Reverse(runs) // oldest first, like the claims
			if len(runs) != len(claims) {
				t.Fatalf("%d runs recorded for %d scheduled times:\nruns %+v\nclaims %+v", len(runs), len(claims), runs, claims)
			}
			holders := map[string]bool{}
			scheduled := 0
			for i, c := range claims {
				holders[c.Holder] = true
				due := time.Unix(c.Due, 0)
				switch {
				case c.Outcome != models.JobOK:
					t.Errorf("claim %+v: want ok", c)
				case c.CatchUp && c.Due != catchUpDue:
					t.Errorf("catch-up claim %+v: want due %v, the last time before the store's clock", c, time.Unix(catchUpDue, 0))
				case !c.CatchUp && due.Before(start.Truncate(time.Second)):
					t.Errorf("claim %+v: scheduled before the schedulers started (%v)", c, start)
				}
				if !c.CatchUp {
					scheduled++
				}
				if i > 0 && c.Due <= claims[i-1].Due {
					t.Errorf("claims not ordered by scheduled time: %+v", claims)
				}
			}
			if scheduled < want {
				t.Errorf("%d scheduled times claimed, want at least %d", scheduled, want)
			}
			planned := 0
			for _, r := range runs {
				switch {
				case r.Outcome == models.JobOK && r.Week == f.week:
					planned++
				case r.Outcome == models.JobSkipped && r.Week == "":
				default:
					t.Errorf("run %+v", r)
				}
			}
			if planned != 1 {
				t.Errorf("the week was planned %d times, want once", planned)
			}
			versions, err := f.st.ListPlans(ctx, f.week, models.Page{})
			if err != nil || len(versions) != 1 {
				t.Errorf("%d plan versions, %v; want 1", len(versions), err)
			}
			t.Logf("%d times claimed (%d scheduled), run by %d instances", len(claims), scheduled, len(holders))
		})
	}
}

func TestClaimJob(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			f := newFixture(t, b)
			ctx := context.Background()
			other := f.open()
			due := time.Date(2026, 11, 26, 14, 0, 0, 0, paris)
			next := due.Add(time.Hour)
			claim := func(st *models.Store, at time.Time, holder string, catchUp bool) bool {
				t.Helper()
				ok, err := st.ClaimJob(ctx, jobs.JobPlan, at, holder, time.Minute, catchUp)
				if err != nil {
					t.Fatal(err)
				}
				return ok
			}
			f.clock.Set(due)
			if !claim(f.st, due, "a", false) {
				t.Fatal("first claim refused")
			}
			if claim(other, due, "b", false) || claim(other, due, "b", true) {
				t.Fatal("a running claim taken by another instance")
			}
			if claim(other, next, "b", false) {
				t.Fatal("the next time claimed while the job still runs elsewhere")
			}
			// The holder dies: once its claim expires, a catch-up takes the
			// same time over, a scheduled run does not.
			f.clock.Set(due.Add(2 * time.Minute))
			if claim(other, due, "b", false) {
				t.Fatal("a scheduled run re-ran a claimed time")
			}
			if !claim(other, due, "b", true) {
				t.Fatal("a catch-up could not take over an expired claim")
			}
			if ok, err := f.st.ExtendJobClaim(ctx, jobs.JobPlan, due, "a", time.Minute); err != nil || ok {
				t.Fatalf("the dead holder extended a claim it lost: %v, %v", ok, err)
			}
			if err := other.FinishJobClaim(ctx, jobs.JobPlan, due, "b", models.JobFailed); err != nil {
				t.Fatal(err)
			}
			// A failed time is caught up again, a successful one never.
			if !claim(f.st, due, "a", true) {
				t.Fatal("a failed time could not be caught up")
			}
			if err := f.st.FinishJobClaim(ctx, jobs.JobPlan, due, "a", models.JobOK); err != nil {
				t.Fatal(err)
			}
			if claim(other, due, "b", true) {
				t.Fatal("a successful time was caught up again")
			}
			if !claim(other, next, "b", false) {
				t.Fatal("the next time could not be claimed")
			}
			if err := other.FinishJobClaim(ctx, jobs.JobPlan, next, "b", "maybe"); err == nil {
				t.Fatal("unknown outcome accepted")
			}
		})
	}
}

// TestPanicIsRecordedAndRecovered makes the plan job panic (its road router
// does): cron.Recover keeps the process alive, the run is recorded failed
// with the panic, and its scheduled time may be caught up again.
func TestPanicIsRecordedAndRecovered(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := context.Background()
	f.clock.Set(time.Date(2026, 11, 26, 16, 0, 0, 0, paris))
	d := f.deps
	d.Matrix = func([]planner.LatLon, planner.Travel) ([][]float64, [][]float64, error) {
		panic("road router exploded")
	}
	s, err := jobs.NewScheduler(d, jobs.Schedules{Plan: weekly.Plan})
	if err != nil {
		t.Fatal(err)
	}
	s.CatchUp(ctx) // runs through the cron chain: Recover, SkipIfStillRunning
	runs := f.runs(jobs.JobPlan)
	if len(runs) != 1 || runs[0].Outcome != models.JobFailed || !strings.Contains(runs[0].Error, "road router exploded") {
		t.Fatalf("runs %+v", runs)
	}
	if !strings.Contains(f.logs.String(), "cron: panic") {
		t.Errorf("the panic is not logged:\n%s", f.logs.String())
	}
	claims, _ := f.st.ListJobClaims(ctx, jobs.JobPlan, 0)
	if len(claims) != 1 || claims[0].Outcome != models.JobFailed {
		t.Errorf("claims %+v", claims)
	}
	if _, err := f.st.CurrentPlan(ctx, f.week); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a plan was stored by a run that panicked: %v", err)
	}
	// Fixed, the next start catches the failed time up.
	s2, err := jobs.NewScheduler(f.deps, jobs.Schedules{Plan: weekly.Plan})
	if err != nil {
		t.Fatal(err)
	}
	s2.CatchUp(ctx)
	if cur, err := f.st.CurrentPlan(ctx, f.week); err != nil || cur.Version != 1 {
		t.Errorf("after the fix: v%d, %v", cur.Version, err)
	}
}

// TestStartMarksInterruptedRunsFailed: a run left "running" by a process
// that died is marked failed when a scheduler starts, once it is older than
// a claim could last.
func TestStartMarksInterruptedRunsFailed(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := context.Background()
	old, err := f.st.StartJobRun(ctx, jobs.JobPlan, f.week, jobs.TriggerSchedule)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Set(demoStart.Add(2 * time.Hour))
	fresh, err := f.st.StartJobRun(ctx, jobs.JobPublish, f.week, jobs.TriggerSchedule)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jobs.NewScheduler(f.deps, jobs.Schedules{})
	if err != nil {
		t.Fatal(err)
	}
	s.Start(ctx)
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id   uint64
		want string
	}{{old.ID, models.JobFailed}, {fresh.ID, models.JobRunning}} {
		runs, _ := f.st.ListJobRuns(ctx, models.JobRunFilter{}, models.Page{})
		for _, r := range runs {
			if r.ID == c.id && r.Outcome != c.want {
				t.Errorf("run %d (%s): %s, want %s", r.ID, r.Job, r.Outcome, c.want)
			}
			if fr, _ := jobs.RunMessage(r, "fr"); r.ID == old.ID && (r.Error != jobs.FailInterrupted || fr != "interrompu : le service s'est arrêté pendant l'exécution") {
				t.Errorf("interrupted run's error %q (in French %q)", r.Error, fr)
			}
		}
	}
}

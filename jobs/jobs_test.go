package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"paniers/config"
	"paniers/jobs"
	"paniers/models"
	"paniers/planner"
	"paniers/planner/sheets"
)

func TestPlanWeekVersionsAndReplan(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			f := newFixture(t, b)
			ctx := context.Background()
			f.clock.Set(afterOrders)

			r1, err := jobs.PlanWeek(ctx, f.deps, f.week, 0)
			if err != nil {
				t.Fatalf("plan: %v", err)
			}
			if r1.Stored.Version != 1 || !r1.Closed || r1.Hashed != 0 {
				t.Fatalf("first plan: version %d, closed %v, %d documents hashed before any publication", r1.Stored.Version, r1.Closed, r1.Hashed)
			}
			if got := f.status(); got != models.WeekPlanned {
				t.Errorf("status after plan %q, want planned", got)
			}
			if len(r1.Plan.Rounds) == 0 || len(r1.Plan.Allocations) == 0 {
				t.Fatalf("demo plan without rounds or allocations: %+v", r1.Plan.Summary)
			}

			// Planning again is safe: a new version, the same plan for the
			// same data and seed, and it is the current one.
			r2, err := jobs.PlanWeek(ctx, f.deps, f.week, 1)
			if err != nil {
				t.Fatalf("re-plan: %v", err)
			}
			if r2.Stored.Version != 2 || r2.Closed {
				t.Fatalf("re-plan: version %d, closed %v", r2.Stored.Version, r2.Closed)
			}
			if r1.Stored.JSON != r2.Stored.JSON {
				t.Error("same data and seed gave another plan")
			}
			cur, err := f.st.CurrentPlan(ctx, f.week)
			if err != nil || cur.Version != 2 {
				t.Fatalf("current plan v%d, %v; want v2", cur.Version, err)
			}
			for _, v := range []int{1, 2} {
				in, err := f.st.GetPlanInput(ctx, f.week, v)
				if err != nil {
					t.Fatalf("input of v%d: %v", v, err)
				}
				sc, err := in.ScenarioOf()
				if err != nil || sc.Week != f.week || len(sc.Orders) == 0 {
					t.Fatalf("scenario of v%d: week %q, %d orders, %v", v, sc.Week, len(sc.Orders), err)
				}
				// The stored scenario and seed give the stored plan again.
				again, err := planner.PlanWeek(sc, planner.Options{Seed: in.Seed})
				if err != nil {
					t.Fatal(err)
				}
				b, _ := json.Marshal(again)
				if string(b) != r1.Stored.JSON {
					t.Errorf("v%d: the stored input does not give the stored plan", v)
				}
				docs, err := f.st.ListPlanDocuments(ctx, f.week, v)
				if err != nil || len(docs) != 0 {
					t.Fatalf("v%d: %d document hashes before any publication, %v", v, len(docs), err)
				}
			}
			// No published version yet: nothing counts as changed.
			base, changed, err := f.st.ChangedDocuments(ctx, f.week, 2)
			if err != nil || base != 0 || len(changed) != 0 {
				t.Errorf("changed before any publication: base %d, %d changed, %v", base, len(changed), err)
			}
			// A different seed is a different version, still consistent.
			r3, err := jobs.PlanWeek(ctx, f.deps, f.week, 7)
			if err != nil || r3.Stored.Version != 3 {
				t.Fatalf("seed 7: v%d, %v", r3.Stored.Version, err)
			}
			runs := f.runs(jobs.JobPlan)
			if len(runs) != 3 {
				t.Fatalf("%d plan runs recorded, want 3", len(runs))
			}
			for _, r := range runs {
				if r.Outcome != models.JobOK || r.Week != f.week || r.EndedAt == nil || r.EndedAt.Before(r.StartedAt) {
					t.Errorf("run %+v", r)
				}
			}
		})
	}
}

func TestPlanWeekFailures(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := context.Background()
	_, err := jobs.PlanWeek(ctx, f.deps, "2026-W30", 1)
	if !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown week: %v, want not found", err)
	}
	runs := f.runs(jobs.JobPlan)
	if len(runs) != 1 || runs[0].Outcome != models.JobFailed || !strings.Contains(runs[0].Error, "not found") {
		t.Fatalf("failed run not recorded as such: %+v", runs)
	}
	if _, err := jobs.Publish(ctx, f.deps, f.week); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("publishing a week without plan: %v, want not found", err)
	}
	if _, err := jobs.CloseOffers(ctx, f.deps, f.week); err == nil || !strings.Contains(err.Error(), "not yet") {
		t.Fatalf("closing offers before the cutoff: %v", err)
	}
}

func TestCloseOffersOpensNextWeek(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := context.Background()
	f.clock.Set(afterOffers)
	res, err := jobs.CloseOffers(ctx, f.deps, f.week)
	if err != nil {
		t.Fatal(err)
	}
	if res.Next != "2026-W50" || !res.NextCreated || res.Offers == 0 || res.Producers == 0 || !(res.Kg > 0) {
		t.Fatalf("result %+v", res)
	}
	next, err := f.st.GetWeek(ctx, "2026-W50")
	if err != nil || next.Status != models.WeekOpen || !next.OfferCutoff.After(afterOffers) {
		t.Fatalf("next week %+v, %v", next, err)
	}
	if f.status() != models.WeekOpen {
		t.Errorf("closing offers changed the status to %s: orders are still open", f.status())
	}
	// Once done, the week is no longer due for close-offers.
	due, err := jobs.DueWeeks(ctx, f.deps, jobs.JobCloseOffers, afterOffers)
	if err != nil || slices.Contains(due, f.week) {
		t.Fatalf("due after closing: %v, %v", due, err)
	}
}

func TestDueWeeks(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := context.Background()
	type step struct {
		name   string
		at     time.Time
		before func()
		job    string
		want   []string
	}
	for _, s := range []step{
		{"offers open: nothing to close", demoStart, nil, jobs.JobCloseOffers, nil},
		{"offers closed", afterOffers, nil, jobs.JobCloseOffers, []string{f.week}},
		{"orders still open: nothing to plan", afterOffers, nil, jobs.JobPlan, nil},
		{"nothing planned: nothing to publish", afterOrders, nil, jobs.JobPublish, nil},
		{"orders closed: plan", afterOrders, nil, jobs.JobPlan, []string{f.week}},
		{"closed by the coordinator before the cutoff: plan", afterOffers, func() {
			if _, err := f.st.SetWeekStatus(ctx, f.week, models.WeekClosed); err != nil {
				t.Fatal(err)
			}
		}, jobs.JobPlan, []string{f.week}},
		{"planned: not planned again", afterOrders, func() {
			f.clock.Set(afterOrders)
			if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
				t.Fatal(err)
			}
		}, jobs.JobPlan, nil},
		{"planned: publish", afterOrders, nil, jobs.JobPublish, []string{f.week}},
		{"published: nothing to publish", afterOrders, func() {
			if _, err := jobs.Publish(ctx, f.deps, f.week); err != nil {
				t.Fatal(err)
			}
		}, jobs.JobPublish, nil},
		{"re-planned after publication: publish again", afterOrders, func() {
			if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
				t.Fatal(err)
			}
		}, jobs.JobPublish, []string{f.week}},
		{"delivered: left alone", afterDeliver, func() { f.clock.Set(afterDeliver) }, jobs.JobPublish, nil},
	} {
		if s.before != nil {
			s.before()
		}
		got, err := jobs.DueWeeks(ctx, f.deps, s.job, s.at)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if !slices.Equal(got, s.want) {
			t.Errorf("%s: %s due %v, want %v", s.name, s.job, got, s.want)
		}
	}
	if _, err := jobs.DueWeeks(ctx, f.deps, "nap", afterOrders); err == nil {
		t.Error("unknown job accepted")
	}
}

func TestLastTick(t *testing.T) {
	now := time.Date(2026, 11, 26, 15, 0, 0, 0, paris) // a Thursday
	for _, c := range []struct {
		spec string
		want time.Time
	}{
		{"0 14 * * 4", time.Date(2026, 11, 26, 14, 0, 0, 0, paris)},
		{"0 16 * * 4", time.Date(2026, 11, 19, 16, 0, 0, 0, paris)},
		{"0 15 * * 4", now}, // at now counts
		{"0 20 * * 3", time.Date(2026, 11, 25, 20, 0, 0, 0, paris)},
		{"*/10 * * * * *", now},
		{"7 * * * * *", time.Date(2026, 11, 26, 14, 59, 7, 0, paris)},
		{"0 0 1 1 *", time.Date(2026, 1, 1, 0, 0, 0, 0, paris)},
	} {
		sched, err := config.ScheduleParser.Parse("CRON_TZ=Europe/Paris " + c.spec)
		if err != nil {
			t.Fatalf("%s: %v", c.spec, err)
		}
		got, ok := jobs.LastTick(sched, now)
		if !ok || !got.Equal(c.want) {
			t.Errorf("%s: last tick %v (%v), want %v", c.spec, got, ok, c.want)
		}
	}
	never, _ := config.ScheduleParser.Parse("0 0 30 2 *")
	if got, ok := jobs.LastTick(never, now); ok {
		t.Errorf("30 February ticked at %v", got)
	}
}

func TestPublishWritesFolderAndMarksChanges(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			f := newFixture(t, b)
			ctx := context.Background()
			f.clock.Set(afterOrders)
			var printed bytes.Buffer
			f.deps.Sheets = &printed
			if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
				t.Fatal(err)
			}
			p1, err := jobs.Publish(ctx, f.deps, f.week)
			if err != nil {
				t.Fatalf("publish: %v", err)
			}
			if f.status() != models.WeekPublished || !p1.Stored.Published || p1.Base != 0 {
				t.Fatalf("after publication: status %s, published %v, base %d", f.status(), p1.Stored.Published, p1.Base)
			}
			dir := filepath.Join(f.deps.OutDir, f.week)
			v1 := readFolder(t, dir)
			m1 := readManifest(t, dir)
			if hashes, err := f.st.ListPlanDocuments(ctx, f.week, 1); err != nil || len(hashes) != len(m1.Documents) {
				t.Fatalf("published v1: %d document hashes, %v; want %d", len(hashes), err, len(m1.Documents))
			}
			if m1.Version != 1 || len(m1.Documents) == 0 || len(v1) != len(m1.Documents)+1 {
				t.Fatalf("manifest v%d with %d documents, %d files", m1.Version, len(m1.Documents), len(v1))
			}
			kinds := map[string]bool{}
			for _, e := range m1.Documents {
				kinds[e.Kind] = true
				if e.Changed {
					t.Errorf("%s marked changed at the first publication", e.File)
				}
				if len(v1[e.File]) == 0 {
					t.Errorf("%s empty or missing", e.File)
				}
			}
			for _, k := range []string{sheets.KindRoundSheet, sheets.KindPickupList, sheets.KindPreparationList, sheets.KindDeliveryNote} {
				if !kinds[k] {
					t.Errorf("no %s published", k)
				}
			}
			if !strings.Contains(printed.String(), "FEUILLE DE ROUTE") || !strings.Contains(f.logs.String(), "msg=\"round sheet\"") {
				t.Error("round sheets not printed to the log")
			}
			for name := range v1 {
				if strings.Contains(name, ".tmp-") {
					t.Errorf("temporary file left: %s", name)
				}
			}

			// A new subscriber at one relay point changes the week: the
			// re-plan is version 2, and publishing it marks exactly the
			// documents whose bytes changed.
			home := models.Household{SiteID: "relais-loos", Name: "Famille Nouvelle", BasketTypeID: ptr("grand"), BasketCount: 3}
			if err := f.st.CreateHousehold(ctx, &home); err != nil {
				t.Fatal(err)
			}
			r2, err := jobs.PlanWeek(ctx, f.deps, f.week, 1)
			if err != nil || r2.Stored.Version != 2 || r2.Hashed == 0 {
				t.Fatalf("re-plan after publication: v%d, %d documents hashed, %v", r2.Stored.Version, r2.Hashed, err)
			}
			if f.status() != models.WeekPlanned {
				t.Errorf("status after re-plan %s, want planned", f.status())
			}
			p2, err := jobs.Publish(ctx, f.deps, f.week)
			if err != nil || p2.Base != 1 || p2.Stored.Version != 2 {
				t.Fatalf("second publication: v%d base %d, %v", p2.Stored.Version, p2.Base, err)
			}
			v2 := readFolder(t, dir)
			m2 := readManifest(t, dir)
			nChanged, nSame := 0, 0
			for _, e := range m2.Documents {
				old, existed := v1[e.File]
				differs := !existed || !bytes.Equal(old, v2[e.File])
				if e.Changed != differs {
					t.Errorf("%s: changed %v, but its bytes differ: %v", e.File, e.Changed, differs)
				}
				if e.Changed {
					nChanged++
				} else {
					nSame++
				}
			}
			if nChanged == 0 || nSame == 0 {
				t.Errorf("%d changed and %d unchanged documents: the test shows nothing", nChanged, nSame)
			}
			pickup := false
			for _, e := range m2.Documents {
				if e.Kind == sheets.KindPickupList && e.For == "relais-loos" && e.Changed {
					pickup = true
				}
			}
			if !pickup {
				t.Error("the pick-up list of relais-loos is not marked changed")
			}
			for name := range v1 {
				if _, ok := v2[name]; !ok && !slices.ContainsFunc(m2.Documents, func(e jobs.ManifestEntry) bool { return e.File == name }) {
					continue // removed because the new version lacks it: fine
				}
			}
			for name := range v2 {
				if name != jobs.ManifestName && !slices.ContainsFunc(m2.Documents, func(e jobs.ManifestEntry) bool { return e.File == name }) {
					t.Errorf("stale file %s kept", name)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func readFolder(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func readManifest(t *testing.T, dir string) jobs.Manifest {
	t.Helper()
	var m jobs.Manifest
	b, err := os.ReadFile(filepath.Join(dir, jobs.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRepublishAfterErasure: the published pick-up list names a household;
// once the household is erased, publishing the week again rewrites the
// file without its name, and the week's totals do not move.
func TestRepublishAfterErasure(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := context.Background()
	f.clock.Set(afterOrders)
	if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
		t.Fatal(err)
	}
	homes, err := f.st.ListHouseholds(ctx, "relais-grenay", models.Page{})
	if err != nil || len(homes) == 0 {
		t.Fatalf("households: %v, %v", homes, err)
	}
	name := homes[0].Name
	pickup := func() (file string, body []byte) {
		t.Helper()
		res, err := jobs.Publish(ctx, f.deps, f.week)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range res.Documents {
			if e.Kind == sheets.KindPickupList && e.For == "relais-grenay" && e.Format == sheets.FormatCSV {
				b, err := os.ReadFile(filepath.Join(res.Dir, e.File))
				if err != nil {
					t.Fatal(err)
				}
				return e.File, b
			}
		}
		t.Fatal("no pick-up list of relais-grenay published")
		return "", nil
	}
	_, before := pickup()
	if !bytes.Contains(before, []byte(name)) {
		t.Fatalf("the pick-up list does not name %q", name)
	}
	if _, err := f.st.EraseHousehold(ctx, homes[0].ID); err != nil {
		t.Fatal(err)
	}
	_, after := pickup()
	if bytes.Contains(after, []byte(name)) {
		t.Errorf("%q still in the republished pick-up list", name)
	}
	if total(before) == "" || total(before) != total(after) {
		t.Errorf("totals moved:\n%s\n---\n%s", total(before), total(after))
	}
}

// total is the total lines of a pick-up list in CSV.
func total(b []byte) string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "total,") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

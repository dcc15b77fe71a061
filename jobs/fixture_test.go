package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"paniers/internal/testclock"
	"paniers/internal/testdb"
	"paniers/internal/testlog"
	"paniers/jobs"
	"paniers/models"
)

// backends lists the database the tests run on: SQLite, or PostgreSQL when
// PANIERS_TEST_PG holds a URL (.ci/run runs the suite once on each).
func backends() []string { return []string{testdb.Backend()} }

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// fixture is a store with the demo territory, its clock and the jobs'
// dependencies writing to a temp folder.
type fixture struct {
	t     testing.TB
	dsn   string
	clock *testclock.Clock
	st    *models.Store
	deps  jobs.Deps
	logs  *testlog.Buffer
	week  string
	cal   models.Week
}

// Times of the fixture's week, 2026-W49 under the default calendar.
var (
	demoStart    = time.Date(2026, 11, 20, 10, 0, 0, 0, paris) // Friday before: offers open
	afterOffers  = time.Date(2026, 11, 25, 20, 30, 0, 0, paris)
	afterOrders  = time.Date(2026, 11, 26, 14, 0, 0, 0, paris) // Thursday, plan time
	afterDeliver = time.Date(2026, 12, 2, 9, 0, 0, 0, paris)
)

// newFixture opens a fresh database (see backends; backend only names the
// subtest) with the demo territory.
func newFixture(t testing.TB, backend string) *fixture {
	t.Helper()
	f := &fixture{t: t, dsn: testdb.DSN(t), clock: testclock.New(demoStart), logs: &testlog.Buffer{}}
	f.st = f.open()
	loaded, err := f.st.LoadDemo(context.Background())
	if err != nil || !loaded {
		t.Fatalf("demo: loaded %v, %v", loaded, err)
	}
	f.week = models.NextOpenWeek(demoStart, paris)
	if f.week != "2026-W49" {
		t.Fatalf("demo week %s, want 2026-W49", f.week)
	}
	f.cal, err = f.st.GetWeek(context.Background(), f.week)
	if err != nil {
		t.Fatal(err)
	}
	f.deps = f.depsFor(f.st, "test-instance")
	return f
}

// open opens one more store on the fixture's database.
func (f *fixture) open() *models.Store {
	f.t.Helper()
	st, err := models.Open(context.Background(), f.dsn, nil, models.WithClock(f.clock.Now), models.WithLocation(paris))
	if err != nil {
		f.t.Fatalf("open: %v", err)
	}
	f.t.Cleanup(func() { st.Close() })
	return st
}

func (f *fixture) depsFor(st *models.Store, instance string) jobs.Deps {
	return jobs.Deps{
		Store:    st,
		Log:      slog.New(slog.NewTextHandler(io.MultiWriter(f.logs), &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:      f.clock.Now,
		OutDir:   filepath.Join(f.t.TempDir(), "out"),
		Instance: instance,
	}
}

// runs returns every recorded run of a job, latest first.
func (f *fixture) runs(job string) []models.JobRun {
	f.t.Helper()
	runs, err := f.st.ListJobRuns(context.Background(), models.JobRunFilter{Job: job}, models.Page{Limit: models.MaxLimit})
	if err != nil {
		f.t.Fatal(err)
	}
	return runs
}

func (f *fixture) status() string {
	f.t.Helper()
	w, err := f.st.GetWeek(context.Background(), f.week)
	if err != nil {
		f.t.Fatal(err)
	}
	return w.Status
}

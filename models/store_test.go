package models_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"paniers/internal/testdb"
	"paniers/models"
)

// backends lists the databases the store tests run on: SQLite always,
// PostgreSQL when PANIERS_TEST_PG holds a URL.
func backends() []string {
	b := []string{"sqlite"}
	if os.Getenv(testdb.EnvPG) != "" {
		b = append(b, "postgres")
	}
	return b
}

// testClock is a settable clock.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time { return c.t }

// paris is the collective's time zone.
var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// openStore opens a fresh store on backend (see testDSN).
func openStore(t testing.TB, backend string, clock *testClock) *models.Store {
	t.Helper()
	st, err := models.Open(context.Background(), testDSN(t, backend), nil, models.WithClock(clock.now), models.WithLocation(paris))
	if err != nil {
		t.Fatalf("open %s: %v", backend, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// testDSN names a fresh, empty database on backend: an SQLite file in
// t.TempDir(), or a new PostgreSQL schema dropped at the end of the test.
func testDSN(t testing.TB, backend string) string {
	t.Helper()
	var dsn string
	switch backend {
	case "sqlite":
		dsn = filepath.Join(t.TempDir(), "paniers.db")
	case "postgres":
		dsn = testdb.DSN(t) // PANIERS_TEST_PG is set: a fresh schema
	default:
		t.Fatalf("unknown backend %q", backend)
	}
	return dsn
}

func TestOpenMigrateTwice(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			clock := &testClock{t: time.Date(2026, 11, 20, 10, 0, 0, 0, paris)}
			st := openStore(t, b, clock)
			ctx := context.Background()
			if err := st.Migrate(ctx); err != nil {
				t.Fatalf("second migrate: %v", err)
			}
			if err := st.Ping(ctx); err != nil {
				t.Fatalf("ping: %v", err)
			}
		})
	}
}

// TestOpenConcurrently starts three stores at once on one empty database, as
// three instances behind a load balancer do: all migrate and answer.
func TestOpenConcurrently(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			dsn := testDSN(t, b)
			var wg sync.WaitGroup
			errs := make([]error, 3)
			for i := range errs {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					st, err := models.Open(context.Background(), dsn, nil)
					if err == nil {
						err = st.Ping(context.Background())
						st.Close()
					}
					errs[i] = err
				}(i)
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("instance %d: %v", i, err)
				}
			}
		})
	}
}

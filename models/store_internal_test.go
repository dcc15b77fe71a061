package models

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
)

func openInternal(t *testing.T) *Store {
	t.Helper()
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "p.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestSQLiteSettings checks the pragmas each connection runs with, on the
// writer and on the readers.
func TestSQLiteSettings(t *testing.T) {
	st := openInternal(t)
	for _, c := range []struct {
		db     *gorm.DB
		pragma string
		want   string
	}{
		{st.w, "journal_mode", "wal"},
		{st.w, "foreign_keys", "1"},
		{st.w, "busy_timeout", "5000"},
		{st.w, "synchronous", "1"}, // NORMAL
		{st.r, "journal_mode", "wal"},
		{st.r, "foreign_keys", "1"},
		{st.r, "busy_timeout", "5000"},
		{st.r, "query_only", "1"},
		{st.w, "query_only", "0"},
	} {
		var got string
		if err := c.db.Raw("PRAGMA " + c.pragma).Scan(&got).Error; err != nil {
			t.Fatalf("PRAGMA %s: %v", c.pragma, err)
		}
		if strings.ToLower(got) != c.want {
			t.Errorf("PRAGMA %s = %q, want %q", c.pragma, got, c.want)
		}
	}
	wdb, _ := st.w.DB()
	if max := wdb.Stats().MaxOpenConnections; max != 1 {
		t.Errorf("writer pool allows %d connections, want 1", max)
	}
	if err := st.r.Exec("CREATE TABLE nope (x int)").Error; err == nil {
		t.Error("a reader connection wrote")
	}
}

// TestForeignKeysInDatabase bypasses the store's checks: the database itself
// refuses rows pointing nowhere.
func TestForeignKeysInDatabase(t *testing.T) {
	st := openInternal(t)
	err := st.w.Create(&Offer{WeekID: "2026-W49", ProducerID: "nobody", ProductID: "nothing", Quantity: 1}).Error
	if !errors.Is(err, gorm.ErrForeignKeyViolated) {
		t.Errorf("offer without week, producer, product: %v, want a foreign key violation", err)
	}
	err = st.w.Create(&Household{ID: "h", SiteID: "nowhere", Name: "x"}).Error
	if !errors.Is(err, gorm.ErrForeignKeyViolated) {
		t.Errorf("household without site: %v, want a foreign key violation", err)
	}
}

// TestReadsDuringWrite holds the writer in a long transaction and checks
// that reads still answer (WAL), and that the write transaction is not seen
// before it commits.
func TestReadsDuringWrite(t *testing.T) {
	st := openInternal(t)
	ctx := context.Background()
	if err := st.CreateProduct(ctx, &Product{ID: "carotte", Name: "C", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1}); err != nil {
		t.Fatal(err)
	}
	inTx := make(chan struct{})
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		st.tx(ctx, func(t2 *Store) error {
			t2.w.Create(&Product{ID: "navet", Name: "N", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1})
			close(inTx)
			<-release
			return nil
		})
	}()
	<-inTx
	rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	ps, err := st.ListProducts(rctx, Page{})
	if err != nil || len(ps) != 1 {
		t.Errorf("read during a write transaction = %d products, %v; want 1 (the uncommitted one unseen)", len(ps), err)
	}
	close(release)
	wg.Wait()
	ps, _ = st.ListProducts(ctx, Page{})
	if len(ps) != 2 {
		t.Errorf("%d products after commit, want 2", len(ps))
	}
}

func TestTokensStoredHashed(t *testing.T) {
	st := openInternal(t)
	ctx := context.Background()
	clear, _, err := st.CreateToken(ctx, RoleCoordinator, "", "admin")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	st.r.Raw("SELECT * FROM tokens").Scan(&rows)
	for _, r := range rows {
		for k, v := range r {
			if s, ok := v.(string); ok && strings.Contains(s, clear) {
				t.Errorf("column %s holds the clear token", k)
			}
		}
	}
}

func TestOpenRefusesMemory(t *testing.T) {
	for _, dsn := range []string{":memory:", "file::memory:?mode=memory", ""} {
		if _, err := Open(context.Background(), dsn, nil); err == nil {
			t.Errorf("Open(%q) accepted an in-memory database", dsn)
		}
	}
}

// BenchmarkBaselineInsert is the floor PutOffer is compared with: one gorm
// insert per operation on the same single writer, from 64 goroutines, with no
// transaction, no validation and no cutoff check.
//
//	go test -run XXX -bench 'BaselineInsert|PutOffer' -benchmem -benchtime 5000x ./models/
func BenchmarkBaselineInsert(b *testing.B) {
	st, err := Open(context.Background(), filepath.Join(b.TempDir(), "p.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	b.SetParallelism(32)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := st.w.WithContext(ctx).Create(&JobRun{Job: "bench", Week: "2026-W49", Outcome: JobOK}).Error; err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "posts/s")
}

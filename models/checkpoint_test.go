package models_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"paniers/models"
)

// TestWALStaysBounded writes offers while readers never stop reading, the
// load under which SQLite can never rewind the log by itself: the log must
// stay bounded meanwhile and be emptied soon after, while the readers go on.
func TestWALStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes for a few seconds")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "paniers.db")
	clock := &testClock{t: beforeCutoffs}
	st, err := models.Open(ctx, db, nil, models.WithClock(clock.now), models.WithLocation(paris))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	must(t, st.CreateProduct(ctx, &models.Product{ID: "carotte", Name: "Carottes", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1}))
	must(t, st.CreateProducer(ctx, &models.Producer{ID: "ferme-a", Name: "A", Lat: 50, Lon: 2.8, WindowStart: "08:00", WindowEnd: "12:00"}))
	must(t, st.CreateWeek(ctx, &models.Week{ID: testWeek}))

	walSize := func() int64 {
		fi, err := os.Stat(db + "-wal")
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	var stopReads, stopWrites atomic.Bool
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stopReads.Load() {
				if _, err := st.ListOffers(ctx, testWeek, models.OfferFilter{}, models.Page{}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	var writes sync.WaitGroup
	writes.Add(1)
	go func() {
		defer writes.Done()
		for i := 0; !stopWrites.Load(); i++ {
			o := models.Offer{WeekID: testWeek, ProducerID: "ferme-a", ProductID: "carotte", Quantity: float64(1 + i%1000), PriceCents: 100}
			if _, err := st.PutOffer(ctx, &o); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	// While writes and reads go on, the log stays bounded (the checkpoint
	// empties it past walForceFrames even though the readers never leave it).
	var grown int64
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		grown = max(grown, walSize())
	}
	stopWrites.Store(true)
	writes.Wait()
	// The readers go on; the log must be emptied within a few
	// checkpoints.
	deadline := time.Now().Add(5 * time.Second)
	for walSize() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	final := walSize()
	stopReads.Store(true)
	wg.Wait()
	t.Logf("log of %d bytes at most while writing, %d bytes after", grown, final)
	if bound := int64(64 << 20); grown > bound {
		t.Errorf("the write-ahead log reached %d bytes while writing, over %d", grown, bound)
	}
	if final > 0 {
		t.Errorf("the write-ahead log still holds %d bytes with readers running", final)
	}
}

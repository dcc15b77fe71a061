package models_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"paniers/models"
)

// TestPutOfferConcurrent posts the same offer and distinct offers from many
// goroutines: none fails, and each (producer, product) keeps one offer.
func TestPutOfferConcurrent(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := world(t, b)
			var wg sync.WaitGroup
			errs := make(chan error, 32)
			for i := 0; i < 16; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					prod := []string{"carotte", "oeuf"}[i%2]
					o := models.Offer{WeekID: testWeek, ProducerID: "ferme-a", ProductID: prod, Quantity: float64(10 + i), PriceCents: 100}
					if _, err := st.PutOffer(ctx, &o); err != nil {
						errs <- err
					}
				}(i)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("concurrent PutOffer: %v", err)
			}
			offers, err := st.ListOffers(ctx, testWeek, models.OfferFilter{}, models.Page{})
			if err != nil || len(offers) != 2 {
				t.Errorf("offers = %+v, %v; want 2", offers, err)
			}
		})
	}
}

// BenchmarkPutOffer measures offer posts through the store on SQLite, from
// 64 goroutines (the load of issue 5), each post a replacement of one of 200
// offers.
//
//	go test -run XXX -bench PutOffer -benchmem -benchtime 2000x ./models/
func BenchmarkPutOffer(b *testing.B) {
	ctx := context.Background()
	st, clock := world(b, "sqlite")
	clock.t = beforeCutoffs
	for i := 0; i < 100; i++ {
		must(b, st.CreateProducer(ctx, &models.Producer{ID: fmt.Sprintf("p-%03d", i), Name: "P", Lat: 50, Lon: 2.8, WindowStart: "08:00", WindowEnd: "12:00"}))
	}
	var n atomic.Int64
	b.SetParallelism(32) // 2 cores x 32 = 64 goroutines here
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			o := models.Offer{WeekID: testWeek, ProducerID: fmt.Sprintf("p-%03d", i%100), ProductID: []string{"carotte", "oeuf"}[i%2], Quantity: float64(i % 500), PriceCents: 100}
			if o.Quantity == 0 {
				o.Quantity = 1
			}
			if _, err := st.PutOffer(ctx, &o); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "posts/s")
}

// BenchmarkScenarioDemo measures the export of the demo week's scenario.
//
//	go test -run XXX -bench ScenarioDemo -benchmem ./models/
func BenchmarkScenarioDemo(b *testing.B) {
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, paris)}
	st := openStore(b, "sqlite", clock)
	if _, err := st.LoadDemo(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := st.Scenario(ctx, "2026-W50"); err != nil {
			b.Fatal(err)
		}
	}
}

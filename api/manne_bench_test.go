package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"paniers/internal/testdb"
	"paniers/models"
)

// BenchmarkManneTransfers posts MANNE transfers through the real router
// (authentication, strict decoding, idempotency record, ledger transaction)
// from 32 concurrent clients on the demo territory: each client pays a
// basket from its own household's account (the relay manager's token) or,
// one time in four, credits it for work (the coordinator's), each with a
// fresh Idempotency-Key. transfers/s is the throughput; on SQLite every
// transfer is one write transaction on the single writer.
func BenchmarkManneTransfers(b *testing.B) {
	loc, _ := time.LoadLocation("Europe/Paris")
	now := func() time.Time { return fuzzClock }
	ctx := context.Background()
	st, err := models.Open(ctx, testdb.DSN(b), nil, models.WithClock(now), models.WithLocation(loc))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.LoadDemo(ctx); err != nil {
		b.Fatal(err)
	}
	homes, err := st.ListHouseholds(ctx, "relais-loos", models.Page{Limit: 32})
	if err != nil || len(homes) < 16 {
		b.Fatalf("households %d, %v", len(homes), err)
	}
	for _, h := range homes {
		if _, err := st.PostTransfer(ctx, models.TransferInput{From: models.AccountCollectif, To: h.ID, AmountCents: models.MaxTransferCents, Kind: models.TransferWork}); err != nil {
			b.Fatal(err)
		}
	}
	srv := New(st, Options{Now: now, Location: loc}).Handler()
	var n, client atomic.Int64
	const clients = 32
	b.SetParallelism((clients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		home := homes[int(client.Add(1))%len(homes)].ID
		for pb.Next() {
			i := n.Add(1)
			body, token := fmt.Sprintf(`{"from": %q, "to": "collectif", "amount_cents": %d, "kind": "basket", "memo": "panier"}`, home, 100+i%900), "demo-relais-loos"
			if i%4 == 0 {
				body, token = fmt.Sprintf(`{"from": "collectif", "to": %q, "amount_cents": 500, "kind": "work"}`, home), models.DemoCoordinatorToken
			}
			r := httptest.NewRequest("POST", "/api/v1/manne/transfers", bytes.NewReader([]byte(body)))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%d", i))
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code != 201 {
				b.Errorf("status %d: %s", w.Code, w.Body.String())
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "transfers/s")
	b.StopTimer()
	rep, err := st.ManneReport(ctx, time.Time{}, time.Time{})
	if err != nil || !rep.Balanced() {
		b.Fatalf("ledger after the benchmark: %+v, %v", rep, err)
	}
}

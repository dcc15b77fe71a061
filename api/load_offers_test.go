package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"paniers/internal/testdb"
	"paniers/models"
)

// BenchmarkPostOffer posts offers through the real router to the store on
// SQLite, from parallel goroutines, in process: the service's hot path
// without the network, for profiling (-cpuprofile). The load benchmark of
// the real binary is internal/loadbench.
//
//	go test ./api -run '^$' -bench PostOffer -benchmem -cpu 2 -cpuprofile /tmp/cpu.out
func BenchmarkPostOffer(b *testing.B) {
	loc, _ := time.LoadLocation("Europe/Paris")
	now := func() time.Time { return fuzzClock }
	st, err := models.Open(context.Background(), testdb.DSN(b), nil, models.WithClock(now), models.WithLocation(loc))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.LoadDemo(context.Background()); err != nil {
		b.Fatal(err)
	}
	weeks, err := st.ListWeeks(context.Background(), models.Page{Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	week := weeks[0].ID
	srv := New(st, Options{Now: now, Location: loc}).Handler()
	products := []string{"carotte", "poireau", "pomme", "navet", "panais", "betterave", "celeri", "oignon"}
	farms := []string{"ferme-marais", "ferme-plaine", "ferme-terrils", "ferme-bois-loos"}
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			farm := farms[i%int64(len(farms))]
			body := fmt.Sprintf(`{"product": %q, "quantity": %d, "price_cents": 150}`, products[i%int64(len(products))], 10+i%50)
			r := httptest.NewRequest("POST", "/api/v1/weeks/"+week+"/offers", bytes.NewReader([]byte(body)))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Authorization", "Bearer demo-"+farm)
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code != 200 && w.Code != 201 {
				b.Fatalf("%d %s", w.Code, w.Body.String())
			}
		}
	})
}

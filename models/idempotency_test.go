package models_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"paniers/models"
	"paniers/planner"
)

// orderWrite is an idempotent write creating one extra order, answering the
// order's id as its body.
func orderWrite(calls *int, mu *sync.Mutex) func(ctx context.Context, t models.IdemWriter) (models.IdemResponse, error) {
	return func(ctx context.Context, t models.IdemWriter) (models.IdemResponse, error) {
		mu.Lock()
		*calls++
		mu.Unlock()
		o := models.Order{WeekID: testWeek, SiteID: "relais-a", Class: planner.ClassExtra, ProductID: str("carotte"), Quantity: 1}
		if err := t.CreateOrder(ctx, &o); err != nil {
			return models.IdemResponse{}, err
		}
		b, _ := json.Marshal(map[string]string{"id": o.ID})
		return models.IdemResponse{Status: 201, Body: b}, nil
	}
}

func countOrders(t *testing.T, st *models.Store) int {
	t.Helper()
	os, err := st.ListOrders(context.Background(), testWeek, models.OrderFilter{}, models.Page{Limit: models.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return len(os)
}

func TestIdempotent(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, clock := world(t, b)
			var mu sync.Mutex
			calls := 0
			k := models.IdemKey{Key: "abc-123", Scope: "token-1", Route: "POST /api/v1/weeks/{week}/orders", RequestHash: "h1"}

			r1, replayed, err := st.Idempotent(ctx, k, orderWrite(&calls, &mu))
			if err != nil || replayed || r1.Status != 201 {
				t.Fatalf("first = %+v, %v, %v", r1, replayed, err)
			}
			r2, replayed, err := st.Idempotent(ctx, k, orderWrite(&calls, &mu))
			if err != nil || !replayed || string(r2.Body) != string(r1.Body) || r2.Status != 201 {
				t.Fatalf("retry = %+v, %v, %v; want the first response replayed", r2, replayed, err)
			}
			if calls != 1 || countOrders(t, st) != 1 {
				t.Errorf("write ran %d times, %d orders; want 1, 1", calls, countOrders(t, st))
			}

			// The same key with another body is a conflict; in another scope or
			// route it is another key.
			k2 := k
			k2.RequestHash = "h2"
			if _, _, err := st.Idempotent(ctx, k2, orderWrite(&calls, &mu)); !errors.Is(err, models.ErrConflict) {
				t.Errorf("reused key: %v, want ErrConflict", err)
			}
			k3 := k
			k3.Scope = "token-2"
			if _, replayed, err := st.Idempotent(ctx, k3, orderWrite(&calls, &mu)); err != nil || replayed {
				t.Errorf("other scope: replayed %v, %v", replayed, err)
			}

			// A refused write stores nothing: after the cutoff the retry is
			// judged again, and refused again.
			clock.t = clock.t.AddDate(0, 1, 0)
			k4 := models.IdemKey{Key: "late", Scope: "token-1", Route: k.Route, RequestHash: "h"}
			for i := 0; i < 2; i++ {
				if _, _, err := st.Idempotent(ctx, k4, orderWrite(&calls, &mu)); !errors.Is(err, models.ErrClosed) {
					t.Errorf("late write %d: %v, want ErrClosed", i, err)
				}
			}

			// Bad keys.
			for _, bad := range []string{"", "with space", "é", string(make([]byte, 256))} {
				kb := k
				kb.Key = bad
				if _, _, err := st.Idempotent(ctx, kb, orderWrite(&calls, &mu)); !errors.Is(err, models.ErrInvalid) {
					t.Errorf("key %q: %v, want ErrInvalid", bad, err)
				}
			}
		})
	}
}

// TestIdempotentAtomic checks that the write and the key commit together: a
// write that creates an order and then fails leaves neither the order nor the
// key, and concurrent requests with one key create one order.
func TestIdempotentAtomic(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := world(t, b)
			boom := errors.New("boom after the insert")
			k := models.IdemKey{Key: "k1", Scope: "s", Route: "r", RequestHash: "h"}
			_, _, err := st.Idempotent(ctx, k, func(ctx context.Context, t models.IdemWriter) (models.IdemResponse, error) {
				o := models.Order{WeekID: testWeek, SiteID: "relais-a", Class: planner.ClassExtra, ProductID: str("carotte"), Quantity: 1}
				if err := t.CreateOrder(ctx, &o); err != nil {
					return models.IdemResponse{}, err
				}
				return models.IdemResponse{}, boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("err = %v, want boom", err)
			}
			if n := countOrders(t, st); n != 0 {
				t.Fatalf("%d orders after a failed idempotent write, want 0", n)
			}

			var mu sync.Mutex
			calls := 0
			const clients = 16
			bodies := make([]string, clients)
			errs := make([]error, clients)
			var wg sync.WaitGroup
			for i := 0; i < clients; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					r, _, err := st.Idempotent(ctx, k, orderWrite(&calls, &mu))
					bodies[i], errs[i] = string(r.Body), err
				}(i)
			}
			wg.Wait()
			for i := range errs {
				if errs[i] != nil {
					t.Errorf("client %d: %v", i, errs[i])
				}
				if bodies[i] != bodies[0] {
					t.Errorf("client %d got %s, client 0 %s", i, bodies[i], bodies[0])
				}
			}
			if n := countOrders(t, st); n != 1 {
				t.Errorf("%d concurrent requests with one key made %d orders, want 1 (write ran %d times)", clients, n, calls)
			}
		})
	}
}

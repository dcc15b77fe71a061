package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"paniers/models"
)

// TestConcurrentWritersLoseNothing posts relay orders, meal orders and
// offers from many goroutines at once through the real router, the writes
// contending for the database (SQLite's single writer, or PostgreSQL under
// PANIERS_TEST_PG): every write is acknowledged (no SQLITE_BUSY, no 5xx),
// every acknowledged write is stored as answered, and nothing else is.
func TestConcurrentWritersLoseNothing(t *testing.T) {
	e := newEnv(t)
	const writers, each = 16, 20
	type ack struct {
		kind, id string
		body     map[string]any
	}
	var (
		mu     sync.Mutex
		acks   []ack
		failed []string
	)
	post := func(path, token, body string) (int, map[string]any) {
		r := httptest.NewRequest("POST", path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(w, r)
		var m map[string]any
		json.Unmarshal(w.Body.Bytes(), &m)
		if w.Code != 201 {
			mu.Lock()
			failed = append(failed, fmt.Sprintf("POST %s: %d %s", path, w.Code, w.Body.String()))
			mu.Unlock()
		}
		return w.Code, m
	}
	week := "/api/v1/weeks/" + openWeek
	var wg sync.WaitGroup
	for g := 0; g < writers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			relay, cook := tokRelayCentre, tokCookA
			if g%2 == 1 {
				relay, cook = tokRelayNord, tokCookB
			}
			for i := 0; i < each; i++ {
				id := fmt.Sprintf("w%02d-%02d", g, i)
				if code, m := post(week+"/orders", relay, fmt.Sprintf(`{"id": %q, "class": "extra", "product": "pomme", "quantity": %d}`, "o"+id, 1+i%7)); code == 201 {
					mu.Lock()
					acks = append(acks, ack{"order", "o" + id, m})
					mu.Unlock()
				}
				if code, m := post(week+"/meal-orders", cook, fmt.Sprintf(`{"id": %q, "date": "2026-12-01", "covers": [{"age_group": "maternelle", "covers": %d}], "dishes": [{"product": "carotte"}, {"product": "pomme", "portion_g": 90}]}`, "m"+id, 10+i)); code == 201 {
					mu.Lock()
					acks = append(acks, ack{"meal", "m" + id, m})
					mu.Unlock()
				}
			}
		}()
	}
	// Offers of both farmers, replacing each other's quantities in turn.
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, product := tokFarmerA, []string{"carotte", "poireau"}[g%2]
			if g >= 2 {
				tok = tokFarmerB
			}
			for i := 0; i < each; i++ {
				r := httptest.NewRequest("POST", week+"/offers", strings.NewReader(fmt.Sprintf(`{"product": %q, "quantity": %d, "price_cents": 100}`, product, 1+i)))
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("Authorization", "Bearer "+tok)
				w := httptest.NewRecorder()
				e.srv.Handler().ServeHTTP(w, r)
				if w.Code != 200 && w.Code != 201 {
					mu.Lock()
					failed = append(failed, fmt.Sprintf("offer: %d %s", w.Code, w.Body.String()))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for _, f := range failed {
		t.Error(f)
	}
	if want := 2 * writers * each; len(acks) != want {
		t.Fatalf("%d writes acknowledged, want %d", len(acks), want)
	}
	// Everything acknowledged reads back as answered.
	for _, a := range acks {
		path := week + "/orders/" + a.id
		tok := tokCoord
		if a.kind == "meal" {
			path = week + "/meal-orders/" + a.id
		}
		w := e.do(req{method: "GET", path: path, token: tok}).expect(t, 200)
		want, _ := json.Marshal(a.body)
		var got any
		json.Unmarshal(w.Body.Bytes(), &got)
		gotJSON, _ := json.Marshal(got)
		if !bytes.Equal(want, gotJSON) {
			t.Errorf("%s %s: answered %s, stored %s", a.kind, a.id, want, gotJSON)
		}
	}
	// And nothing else was stored.
	ctx := context.Background()
	orders, err := e.st.ListOrders(ctx, openWeek, models.OrderFilter{}, models.Page{Limit: models.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	meals, err := e.st.ListMealOrders(ctx, openWeek, models.MealOrderFilter{}, models.Page{Limit: models.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range orders {
		if strings.HasPrefix(o.ID, "ow") {
			n++
		}
	}
	for _, m := range meals {
		if strings.HasPrefix(m.ID, "mw") {
			n++
			if len(m.Covers) != 1 || len(m.Dishes) != 2 {
				t.Errorf("meal order %s: %d covers, %d dishes", m.ID, len(m.Covers), len(m.Dishes))
			}
		}
	}
	if n != len(acks) {
		t.Errorf("%d test writes stored, %d acknowledged", n, len(acks))
	}
	offers, err := e.st.ListOffers(ctx, openWeek, models.OfferFilter{}, models.Page{Limit: models.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(offers) != 5 { // the fixture's, and one per farmer and product
		t.Errorf("%d offers, want 5 (one per producer and product): %+v", len(offers), offers)
	}
}

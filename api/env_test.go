package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"paniers/internal/testclock"
	"paniers/internal/testdb"
	"paniers/jobs"
	"paniers/models"
)

// env is one end-to-end test setup: a real store on a temp SQLite file with
// the fixture territory, the real router, a settable clock and a token per
// role and scope.
type env struct {
	t     *testing.T
	st    *models.Store
	srv   *Server
	loc   *time.Location
	clock *testclock.Clock
	logs  *bytes.Buffer
}

// Fixture tokens, by name.
const (
	tokCoord       = "test-coordinator-token"
	tokFarmerA     = "test-farmer-ferme-a"
	tokFarmerB     = "test-farmer-ferme-b"
	tokRelayCentre = "test-relay-relais-centre"
	tokRelayNord   = "test-relay-relais-nord"
	tokCookA       = "test-cook-cantine-a"
	tokCookB       = "test-cook-cantine-b"
	tokDriver1     = "test-driver-camion-1"
	tokDriverAll   = "test-driver-every-vehicle"
	tokUnknown     = "test-unknown-token-000"
)

// Fixture weeks: W49 is open at the fixture clock, W48's cutoffs have passed.
const (
	openWeek   = "2026-W49"
	closedWeek = "2026-W48"
)

func paris(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// newEnv opens a fresh store and loads the fixture territory through the
// store's own methods.
func newEnv(t *testing.T) *env {
	t.Helper()
	loc := paris(t)
	e := &env{t: t, loc: loc, clock: testclock.New(time.Date(2026, 11, 20, 10, 0, 0, 0, loc)), logs: &bytes.Buffer{}}
	ctx := context.Background()
	st, err := models.Open(ctx, testdb.DSN(t), nil,
		models.WithClock(e.clock.Now), models.WithLocation(loc))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.st = st
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: e.logs}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	e.srv = New(st, Options{Logger: logger, Now: e.clock.Now, Location: loc, Jobs: jobs.NewService(jobs.Deps{Store: st, Now: e.clock.Now})})
	e.fixtures(ctx)
	return e
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func ptr[T any](v T) *T { return &v }

// fixtures loads a small territory: two farms, three products, two relay
// points, two canteens, a van, a basket type, a household, an open week and
// a closed one, and one token per role and scope.
func (e *env) fixtures(ctx context.Context) {
	t, st := e.t, e.st
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []models.Producer{
		{ID: "ferme-a", Name: "Ferme A", Place: "Loos-en-Gohelle", Lat: 50.47, Lon: 2.75, Collect: true, WindowStart: "13:00", WindowEnd: "18:00", ServiceMin: 10},
		{ID: "ferme-b", Name: "Ferme B", Place: "Grenay", Lat: 50.45, Lon: 2.74, Collect: false, WindowStart: "08:00", WindowEnd: "12:00", ServiceMin: 10},
	} {
		must(st.CreateProducer(ctx, &p))
	}
	for _, p := range []models.Product{
		{ID: "carotte", Name: "Carottes", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1, Organic: true},
		{ID: "poireau", Name: "Poireaux", Unit: "botte", KgPerUnit: 1, Category: "legume", Step: 1},
		{ID: "pomme", Name: "Pommes", Unit: "kg", KgPerUnit: 1, Category: "fruit", Step: 0.1},
	} {
		must(st.CreateProduct(ctx, &p))
	}
	for _, s := range []models.Site{
		{ID: "relais-centre", Name: "Relais du centre", Kind: "relay", Lat: 50.43, Lon: 2.83, WindowStart: "09:00", WindowEnd: "16:00", ServiceMin: 10},
		{ID: "relais-nord", Name: "Relais nord", Kind: "relay", Lat: 50.46, Lon: 2.80, WindowStart: "09:00", WindowEnd: "16:00", ServiceMin: 10},
		{ID: "cantine-a", Name: "Maternelle A", Kind: "canteen", Lat: 50.46, Lon: 2.79, WindowStart: "07:00", WindowEnd: "09:00", ServiceMin: 15},
		{ID: "cantine-b", Name: "Maternelle B", Kind: "canteen", Lat: 50.45, Lon: 2.78, WindowStart: "07:00", WindowEnd: "09:00", ServiceMin: 15},
	} {
		must(st.CreateSite(ctx, &s))
	}
	must(st.CreateVehicle(ctx, &models.Vehicle{ID: "camion-1", Name: "Camion 1", CapacityKg: 800, ShiftStart: "06:00", ShiftEnd: "18:00"}))
	must(st.CreateBasketType(ctx, &models.BasketType{ID: "moyen", Name: "Panier moyen", PriceCents: 1500, Contents: []models.BasketContent{
		{Category: "legume", Kg: 3, MinProducts: 2}, {Category: "fruit", Kg: 1, MinProducts: 1}}}))
	must(st.CreateHousehold(ctx, &models.Household{ID: "famille-martin", SiteID: "relais-centre", Name: "Famille Martin", Contact: "06 00 00 00 01", BasketTypeID: ptr("moyen"), BasketCount: 1}))
	must(st.CreateHousehold(ctx, &models.Household{ID: "famille-nord", SiteID: "relais-nord", Name: "Famille Nord", Contact: "06 00 00 00 02", BasketTypeID: ptr("moyen"), BasketCount: 2}))
	for _, id := range []string{closedWeek, openWeek} {
		must(st.CreateWeek(ctx, &models.Week{ID: id}))
	}
	must(st.SetPortion(ctx, models.Portion{AgeGroup: "maternelle", ProductID: "carotte", Grams: 70}))
	for _, tk := range []struct{ clear, role, scope string }{
		{tokCoord, models.RoleCoordinator, ""},
		{tokFarmerA, models.RoleFarmer, "ferme-a"},
		{tokFarmerB, models.RoleFarmer, "ferme-b"},
		{tokRelayCentre, models.RoleRelay, "relais-centre"},
		{tokRelayNord, models.RoleRelay, "relais-nord"},
		{tokCookA, models.RoleCook, "cantine-a"},
		{tokCookB, models.RoleCook, "cantine-b"},
		{tokDriver1, models.RoleDriver, "camion-1"},
		{tokDriverAll, models.RoleDriver, ""},
	} {
		_, err := st.EnsureToken(ctx, tk.clear, tk.role, tk.scope, tk.role+" "+tk.scope)
		must(err)
	}
	// A first offer and orders in the open week, so lists are not empty.
	_, err := st.PutOffer(ctx, &models.Offer{WeekID: openWeek, ProducerID: "ferme-b", ProductID: "pomme", Quantity: 80, PriceCents: 220})
	must(err)
	must(st.CreateOrder(ctx, &models.Order{ID: "nord-extra", WeekID: openWeek, SiteID: "relais-nord", Class: "extra", ProductID: ptr("pomme"), Quantity: 5}))
	must(st.CreateMealOrder(ctx, &models.MealOrder{ID: "b-lundi", WeekID: openWeek, SiteID: "cantine-b", Date: "2026-12-01",
		Covers: []models.MealCover{{AgeGroup: "maternelle", Covers: 40}}, Dishes: []models.MealDish{{ProductID: "pomme"}}}))
}

// req is one request of a test.
type req struct {
	method, path, token string
	body                any               // marshalled to JSON unless a string or []byte (sent as is)
	header              map[string]string // extra headers; Content-Type defaults to application/json with a body
}

// resp is a recorded answer.
type resp struct {
	*httptest.ResponseRecorder
	req *http.Request
}

// do sends a request through the real router and checks the answer against
// the OpenAPI document.
func (e *env) do(r req) resp {
	e.t.Helper()
	var body io.Reader
	var raw []byte
	switch b := r.body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.t.Fatal(err)
		}
	}
	if raw != nil {
		body = bytes.NewReader(raw)
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	if raw != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		if v == "" {
			hr.Header.Del(k)
		} else {
			hr.Header.Set(k, v)
		}
	}
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, hr)
	out := resp{ResponseRecorder: w, req: hr}
	checkAgainstDocument(e.t, hr, raw, w)
	return out
}

// json decodes the answer's body.
func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body.Bytes(), &m); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %v\n%s", r.req.Method, r.req.URL, err, r.Body.String())
	}
	return m
}

// problemFields returns the "errors" fields of a problem answer, checking
// it is application/problem+json.
func (r resp) problemFields(t *testing.T) []string {
	t.Helper()
	if ct := r.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("%s %s: content type %q, want application/problem+json\n%s", r.req.Method, r.req.URL, ct, r.Body.String())
	}
	m := r.json(t)
	var fields []string
	errs, _ := m["errors"].([]any)
	for _, x := range errs {
		f, _ := x.(map[string]any)
		fields = append(fields, f["field"].(string))
		if reason, _ := f["reason"].(string); reason == "" {
			t.Errorf("%s %s: field %v without a reason", r.req.Method, r.req.URL, f["field"])
		}
	}
	return fields
}

func (r resp) expect(t *testing.T, status int) resp {
	t.Helper()
	if r.Code != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.req.Method, r.req.URL, r.Code, status, r.Body.String())
	}
	return r
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s || strings.HasPrefix(x, s+".") || strings.HasPrefix(x, s+"[") {
			return true
		}
	}
	return false
}

package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"paniers/internal/testdb"
	"paniers/models"
	"paniers/planner"
)

// Fuzz targets, one per JSON body the API accepts, each sending its bodies
// through the real router to a store holding the demo territory (SQLite in
// a temp directory, or PostgreSQL under PANIERS_TEST_PG). Each target's seed
// corpus is the files of testdata/bodies/<route>/ (valid bodies and near
// misses), plus what the fuzzing engine saved under testdata/fuzz/<Target>.
// The property, for every input:
//
//   - the answer is never a 5xx (a panic would be one: the middleware
//     recovers it) and always matches the OpenAPI document;
//   - a refusal is application/problem+json with its status, a type, a
//     title, and for 400, 409, 413, 415 and 422 the offending fields, each
//     with a reason;
//   - an acceptance (2xx) is really stored: reading the resource back gives
//     the answer, and the week's scenario is still exported and still valid
//     for the planner (nothing accepted breaks the weekly plan).
//
// Run one for a while with, for example:
//
//	go test ./api -run '^$' -fuzz '^FuzzOfferBody$' -fuzztime 60s

// fuzzClock is the demo's clock: a Monday when the demo week is open.
var fuzzClock = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// fuzzEnv is one store with the demo territory and the router on it, shared
// by the inputs of one fuzz target.
type fuzzEnv struct {
	st       *models.Store
	srv      *Server
	week     models.Week
	coord    string
	scoped   map[string]string // role -> a demo token of that role
	mu       sync.Mutex
	replacer *strings.Replacer
}

func newFuzzEnv(f *testing.F) *fuzzEnv {
	f.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		f.Fatal(err)
	}
	now := func() time.Time { return fuzzClock }
	st, err := models.Open(context.Background(), testdb.DSN(f), nil, models.WithClock(now), models.WithLocation(loc))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	if _, err := st.LoadDemo(context.Background()); err != nil {
		f.Fatal(err)
	}
	weeks, err := st.ListWeeks(context.Background(), models.Page{Limit: 10})
	if err != nil || len(weeks) != 1 {
		f.Fatalf("demo weeks %v: %v", weeks, err)
	}
	e := &fuzzEnv{st: st, week: weeks[0], coord: models.DemoCoordinatorToken, scoped: map[string]string{}}
	e.srv = New(st, Options{Now: now, Location: loc, AuthFailBurst: -1})
	for _, tk := range models.DemoTokens() {
		if _, ok := e.scoped[tk.Role]; !ok && tk.Role != models.RoleCoordinator {
			e.scoped[tk.Role] = tk.Token
		}
	}
	e.replacer = strings.NewReplacer("{week}", e.week.ID, "{delivery}", e.week.DeliveryDate)
	return e
}

// fuzzRoute is one route taking a JSON body.
type fuzzRoute struct {
	method, path string // path may hold {week}
	seeds        string // folder of testdata/bodies
	role         string // the scoped role that may also send it, "" for the coordinator only
	keyed        bool   // sent with an Idempotency-Key (a hash of the body), which the route requires
}

// send sends one request through the router and checks it against the
// OpenAPI document.
func (e *fuzzEnv) send(t *testing.T, method, path, token string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	return e.sendKeyed(t, method, path, token, body, false)
}

// sendKeyed is send, with an Idempotency-Key made from the body when keyed.
func (e *fuzzEnv) sendKeyed(t *testing.T, method, path, token string, body []byte, keyed bool) *httptest.ResponseRecorder {
	t.Helper()
	var r *http.Request
	if body == nil {
		r = httptest.NewRequest(method, path, nil)
	} else {
		r = httptest.NewRequest(method, path, bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	r.Header.Set("Authorization", "Bearer "+token)
	if keyed {
		sum := sha256.Sum256(body)
		r.Header.Set("Idempotency-Key", hex.EncodeToString(sum[:]))
	}
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, r)
	if err := validateExchange(r, body, w); err != nil {
		t.Fatal(err)
	}
	return w
}

// fuzzBody runs the property on one route.
func fuzzBody(f *testing.F, route fuzzRoute, verify func(t *testing.T, e *fuzzEnv, body []byte, w *httptest.ResponseRecorder)) {
	e := newFuzzEnv(f)
	seeds, _ := filepath.Glob(filepath.Join("testdata", "bodies", route.seeds, "*.json"))
	if len(seeds) == 0 {
		f.Fatalf("no seeds in testdata/bodies/%s", route.seeds)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		b = []byte(e.replacer.Replace(string(b)))
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	path := e.replacer.Replace(route.path)
	tokens := []string{e.coord}
	if route.role != "" {
		tokens = append(tokens, e.scoped[route.role])
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		// One input at a time: the checks read back what an input wrote.
		e.mu.Lock()
		defer e.mu.Unlock()
		for _, tok := range tokens {
			w := e.sendKeyed(t, route.method, path, tok, body, route.keyed)
			checkAnswer(t, route, body, w)
			if w.Code < 300 {
				verify(t, e, body, w)
				e.checkScenario(t, body)
			}
		}
	})
}

// fieldsRequired lists the statuses whose problem must name fields.
var fieldsRequired = []int{400, 409, 413, 415, 422}

// checkAnswer checks the status and, for a refusal, the problem.
func checkAnswer(t *testing.T, route fuzzRoute, body []byte, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 || w.Code < 200 {
		t.Fatalf("%s %s %q: status %d\n%s", route.method, route.path, body, w.Code, w.Body.String())
	}
	if w.Code < 400 {
		return
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("%q: %d as %q", body, w.Code, ct)
	}
	var p struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Errors []struct {
			Field  string `json:"field"`
			Reason string `json:"reason"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("%q: problem is not JSON: %v\n%s", body, err, w.Body.String())
	}
	if p.Status != w.Code || p.Title == "" || !strings.HasPrefix(p.Type, problemTypeBase) {
		t.Fatalf("%q: incomplete problem %+v", body, p)
	}
	if slices.Contains(fieldsRequired, w.Code) {
		if len(p.Errors) == 0 {
			t.Fatalf("%q: %d names no field: %s", body, w.Code, w.Body.String())
		}
		for _, fe := range p.Errors {
			if fe.Field == "" || fe.Reason == "" {
				t.Fatalf("%q: field without a name or reason: %s", body, w.Body.String())
			}
		}
	}
}

// checkScenario checks that the week's scenario, after an accepted write,
// is still exported and valid for the planner.
func (e *fuzzEnv) checkScenario(t *testing.T, body []byte) {
	t.Helper()
	w := e.send(t, "GET", "/api/v1/weeks/"+e.week.ID+"/scenario", e.coord, nil)
	if w.Code != 200 {
		t.Fatalf("after accepting %q, the scenario answers %d: %s", body, w.Code, w.Body.String())
	}
	sc, err := planner.ReadScenario(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatalf("after accepting %q, the scenario is refused by the planner: %v", body, err)
	}
	// Every offered or ordered quantity is a whole number of steps, one at
	// least (no speck such as 1e-7 or 5e-324).
	step := map[string]float64{}
	for _, p := range sc.Products {
		step[p.ID] = p.Step
	}
	onSteps := func(what string, product string, q float64) {
		st := step[product]
		if st <= 0 {
			return
		}
		if n := math.Round(q / st); n < 1 || math.Abs(n*st-q) > 1e-9*q {
			t.Fatalf("after accepting %q, %s of %v %s is not a whole number of steps of %v", body, what, q, product, st)
		}
	}
	for _, o := range sc.Offers {
		onSteps("an offer", o.Product, o.Quantity)
	}
	for _, o := range sc.Orders {
		if o.Class == planner.ClassExtra {
			onSteps("an extra order", o.Product, o.Quantity)
		}
	}
	// No invisible or control character reaches what is planned and printed.
	var tree any
	if err := json.Unmarshal(w.Body.Bytes(), &tree); err != nil {
		t.Fatal(err)
	}
	var texts func(v any)
	texts = func(v any) {
		switch x := v.(type) {
		case string:
			if strings.IndexFunc(x, models.InvisibleRune) >= 0 {
				t.Fatalf("after accepting %q, the scenario holds %q", body, x)
			}
		case []any:
			for _, e := range x {
				texts(e)
			}
		case map[string]any:
			for _, e := range x {
				texts(e)
			}
		}
	}
	texts(tree)
}

// readBack checks that GET Location answers what the write answered.
func readBack(t *testing.T, e *fuzzEnv, body []byte, w *httptest.ResponseRecorder) {
	t.Helper()
	loc := w.Header().Get("Location")
	if loc == "" {
		t.Fatalf("%q: %d without a Location", body, w.Code)
	}
	g := e.send(t, "GET", loc, e.coord, nil)
	if g.Code != 200 {
		t.Fatalf("%q: accepted (%d) but GET %s answers %d: %s", body, w.Code, loc, g.Code, g.Body.String())
	}
	sameJSON(t, body, w.Body.Bytes(), g.Body.Bytes())
}

// sameJSON fails unless two JSON documents are equal.
func sameJSON(t *testing.T, body, answered, stored []byte) {
	t.Helper()
	var a, b any
	if err := json.Unmarshal(answered, &a); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	if err := json.Unmarshal(stored, &b); err != nil {
		t.Fatalf("stored resource is not JSON: %v", err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("%q: the answer and what is stored differ:\nanswer %s\nstored %s", body, answered, stored)
	}
}

func FuzzTokenBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "POST", path: "/api/v1/tokens", seeds: "tokens"}, func(t *testing.T, e *fuzzEnv, body []byte, w *httptest.ResponseRecorder) {
		var tok tokenBody
		if err := json.Unmarshal(w.Body.Bytes(), &tok); err != nil || tok.Token == "" {
			t.Fatalf("%q: token answer %s", body, w.Body.String())
		}
		me := e.send(t, "GET", "/api/v1/me", tok.Token, nil)
		var m meBody
		if me.Code != 200 || json.Unmarshal(me.Body.Bytes(), &m) != nil || m.Role != tok.Role || m.Scope != tok.Scope || m.TokenID != tok.ID {
			t.Fatalf("%q: the new token answers %d %s", body, me.Code, me.Body.String())
		}
	})
}

func FuzzProducerBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "POST", path: "/api/v1/producers", seeds: "producers"}, readBack)
}

func FuzzProductBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "POST", path: "/api/v1/products", seeds: "products"}, readBack)
}

func FuzzSiteBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "POST", path: "/api/v1/sites", seeds: "sites"}, readBack)
}

func FuzzVehicleBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "POST", path: "/api/v1/vehicles", seeds: "vehicles"}, readBack)
}

func FuzzBasketTypeBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "POST", path: "/api/v1/basket-types", seeds: "basket-types"}, readBack)
}

func FuzzHouseholdBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "POST", path: "/api/v1/sites/relais-loos/households", seeds: "households", role: models.RoleRelay}, readBack)
}

func FuzzWeekBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "POST", path: "/api/v1/weeks", seeds: "weeks"}, readBack)
}

func FuzzWeekPatchBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "PATCH", path: "/api/v1/weeks/{week}", seeds: "week-patch"}, func(t *testing.T, e *fuzzEnv, body []byte, w *httptest.ResponseRecorder) {
		g := e.send(t, "GET", "/api/v1/weeks/"+e.week.ID, e.coord, nil)
		sameJSON(t, body, w.Body.Bytes(), g.Body.Bytes())
		// Reopen the week, so the next input starts from the same state.
		if r := e.send(t, "PATCH", "/api/v1/weeks/"+e.week.ID, e.coord, []byte(`{"status": "open"}`)); r.Code != 200 {
			t.Fatalf("reopening: %d %s", r.Code, r.Body.String())
		}
	})
}

func FuzzPortionBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "PUT", path: "/api/v1/portions/maternelle/carotte", seeds: "portions"}, func(t *testing.T, e *fuzzEnv, body []byte, w *httptest.ResponseRecorder) {
		var put portionBody
		if err := json.Unmarshal(w.Body.Bytes(), &put); err != nil {
			t.Fatal(err)
		}
		var list portionsBody
		g := e.send(t, "GET", "/api/v1/portions", e.coord, nil)
		if err := json.Unmarshal(g.Body.Bytes(), &list); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(list.Items, put) {
			t.Fatalf("%q: portion %+v answered but not listed: %s", body, put, g.Body.String())
		}
	})
}

func FuzzOfferBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "POST", path: "/api/v1/weeks/{week}/offers", seeds: "offers", role: models.RoleFarmer}, readBack)
}

func FuzzOrderBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "POST", path: "/api/v1/weeks/{week}/orders", seeds: "orders", role: models.RoleRelay}, readBack)
}

// FuzzTransferBody posts MANNE transfers: an accepted one is read back at
// its Location, and the ledger still sums to zero with no household below
// zero.
func FuzzTransferBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "POST", path: "/api/v1/manne/transfers", seeds: "transfers", role: models.RoleRelay, keyed: true},
		func(t *testing.T, e *fuzzEnv, body []byte, w *httptest.ResponseRecorder) {
			readBack(t, e, body, w)
			rep, err := e.st.ManneReport(context.Background(), time.Time{}, time.Time{})
			if err != nil || !rep.Balanced() {
				t.Fatalf("after accepting %q, the ledger's check fails: %+v, %v", body, rep, err)
			}
		})
}

func FuzzMealOrderBody(f *testing.F) {
	fuzzBody(f, fuzzRoute{method: "POST", path: "/api/v1/weeks/{week}/meal-orders", seeds: "meal-orders", role: models.RoleCook}, readBack)
}

// Replacements (PUT, reference.go and households.go) are read back at
// their own path.
func readBackAt(path string) func(t *testing.T, e *fuzzEnv, body []byte, w *httptest.ResponseRecorder) {
	return func(t *testing.T, e *fuzzEnv, body []byte, w *httptest.ResponseRecorder) {
		t.Helper()
		g := e.send(t, "GET", path, e.coord, nil)
		if g.Code != 200 {
			t.Fatalf("%q: accepted (%d) but GET %s answers %d: %s", body, w.Code, path, g.Code, g.Body.String())
		}
		sameJSON(t, body, w.Body.Bytes(), g.Body.Bytes())
	}
}

func FuzzProducerPutBody(f *testing.F) {
	const path = "/api/v1/producers/ferme-marais"
	fuzzBody(f, fuzzRoute{method: "PUT", path: path, seeds: "producers"}, readBackAt(path))
}

func FuzzProductPutBody(f *testing.F) {
	const path = "/api/v1/products/poireau"
	fuzzBody(f, fuzzRoute{method: "PUT", path: path, seeds: "products"}, readBackAt(path))
}

func FuzzBasketTypePutBody(f *testing.F) {
	const path = "/api/v1/basket-types/moyen"
	fuzzBody(f, fuzzRoute{method: "PUT", path: path, seeds: "basket-types"}, readBackAt(path))
}

func FuzzSitePutBody(f *testing.F) {
	const path = "/api/v1/sites/relais-loos"
	fuzzBody(f, fuzzRoute{method: "PUT", path: path, seeds: "sites"}, readBackAt(path))
}

func FuzzVehiclePutBody(f *testing.F) {
	const path = "/api/v1/vehicles/camion-2"
	fuzzBody(f, fuzzRoute{method: "PUT", path: path, seeds: "vehicles"}, readBackAt(path))
}

func FuzzHouseholdPutBody(f *testing.F) {
	const path = "/api/v1/sites/relais-loos/households/relais-loos-f01"
	fuzzBody(f, fuzzRoute{method: "PUT", path: path, seeds: "households", role: models.RoleRelay}, readBackAt(path))
}

// bodyFuzzTargets maps every route that reads a JSON body to its fuzz
// target above; bodyless lists the write routes that read none.
var (
	bodyFuzzTargets = map[string]string{
		"POST /api/v1/tokens":                           "FuzzTokenBody",
		"POST /api/v1/producers":                        "FuzzProducerBody",
		"POST /api/v1/products":                         "FuzzProductBody",
		"POST /api/v1/sites":                            "FuzzSiteBody",
		"POST /api/v1/vehicles":                         "FuzzVehicleBody",
		"POST /api/v1/basket-types":                     "FuzzBasketTypeBody",
		"POST /api/v1/sites/:site/households":           "FuzzHouseholdBody",
		"POST /api/v1/weeks":                            "FuzzWeekBody",
		"PATCH /api/v1/weeks/:week":                     "FuzzWeekPatchBody",
		"PUT /api/v1/portions/:age_group/:product":      "FuzzPortionBody",
		"POST /api/v1/weeks/:week/offers":               "FuzzOfferBody",
		"POST /api/v1/weeks/:week/orders":               "FuzzOrderBody",
		"POST /api/v1/weeks/:week/meal-orders":          "FuzzMealOrderBody",
		"POST /api/v1/manne/transfers":                  "FuzzTransferBody",
		"PUT /api/v1/producers/:producer":               "FuzzProducerPutBody",
		"PUT /api/v1/sites/:site":                       "FuzzSitePutBody",
		"PUT /api/v1/products/:product":                 "FuzzProductPutBody",
		"PUT /api/v1/basket-types/:basket":              "FuzzBasketTypePutBody",
		"PUT /api/v1/vehicles/:vehicle":                 "FuzzVehiclePutBody",
		"PUT /api/v1/sites/:site/households/:household": "FuzzHouseholdPutBody",
	}
	bodyless = []string{
		"DELETE /api/v1/tokens/:token",
		"POST /api/v1/tokens/:token/sign-in-links",
		"PUT /api/v1/sites/:site/pickups/:week/:household",
		"DELETE /api/v1/sites/:site/pickups/:week/:household",
		"PUT /api/v1/weeks/:week/rounds/:round/stops/:stop/delivered",
		"DELETE /api/v1/weeks/:week/rounds/:round/stops/:stop/delivered",
		"DELETE /api/v1/weeks/:week/offers/:producer/:product",
		"DELETE /api/v1/weeks/:week/orders/:order",
		"DELETE /api/v1/weeks/:week/meal-orders/:order",
		"POST /api/v1/sites/:site/households/:household/erase",
		"POST /api/v1/weeks/:week/plan",
		"POST /api/v1/weeks/:week/publish",
	}
)

// TestEveryBodyIsFuzzed fails when a route that takes a body has no fuzz
// target: add one above (and seeds in testdata/bodies), or list the route
// in bodyless when it reads no body.
func TestEveryBodyIsFuzzed(t *testing.T) {
	srv := New(nil, Options{})
	for _, r := range srv.engine.Routes() {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			continue
		}
		key := r.Method + " " + r.Path
		if _, ok := bodyFuzzTargets[key]; !ok && !slices.Contains(bodyless, key) {
			t.Errorf("route %s has no body fuzz target (api/fuzz_bodies_test.go)", key)
		}
	}
}

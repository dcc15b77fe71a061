package osrm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"paniers/planner"
)

// standIn answers like osrm-routed's table service as its HTTP API documents
// it: GET /table/v1/{profile}/{lon},{lat};...?annotations=duration,distance
// [&sources=i;j][&destinations=k;l], "durations" in seconds and "distances"
// in metres (both with one decimal, as OSRM rounds them), errors as
// {"code": ..., "message": ...} with HTTP 400, and TooBig past its
// --max-table-size (sources x destinations). Its roads are 1.25 times the
// great circle, driven at 54 km/h.
type standIn struct {
	maxTable int
	requests atomic.Int64
	// noRoute makes the pair (source, destination) unreachable (null).
	noRoute [2]int
}

func (s *standIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	fail := func(code, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"code":%q,"message":%q}`, code, msg)
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/table/v1/")
	if !ok || r.Method != http.MethodGet {
		fail("InvalidUrl", "URL string malformed close to position 1")
		return
	}
	_, coords, ok := strings.Cut(rest, "/")
	if !ok {
		fail("InvalidUrl", "no coordinates")
		return
	}
	var pts [][2]float64
	for _, c := range strings.Split(coords, ";") {
		lon, lat, ok := strings.Cut(c, ",")
		x, err1 := strconv.ParseFloat(lon, 64)
		y, err2 := strconv.ParseFloat(lat, 64)
		if !ok || err1 != nil || err2 != nil || y < -90 || y > 90 || x < -180 || x > 180 {
			fail("InvalidQuery", "Query string malformed close to position "+c)
			return
		}
		pts = append(pts, [2]float64{y, x})
	}
	// OSRM separates list items with ';', which net/url's query parser
	// refuses, so the raw query is split by hand as the server does.
	query := map[string]string{}
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		query[k] = v
	}
	if query["annotations"] != "duration,distance" {
		fail("InvalidOptions", "want annotations=duration,distance in this stand-in")
		return
	}
	indexes := func(name string) ([]int, bool) {
		v := query[name]
		if v == "" {
			out := make([]int, len(pts))
			for i := range out {
				out[i] = i
			}
			return out, true
		}
		var out []int
		for _, f := range strings.Split(v, ";") {
			i, err := strconv.Atoi(f)
			if err != nil || i < 0 || i >= len(pts) {
				return nil, false
			}
			out = append(out, i)
		}
		return out, true
	}
	src, ok1 := indexes("sources")
	dst, ok2 := indexes("destinations")
	if !ok1 || !ok2 {
		fail("InvalidOptions", "sources or destinations out of range")
		return
	}
	if s.maxTable > 0 && len(src)*len(dst) > s.maxTable*s.maxTable {
		fail("TooBig", "Too many table coordinates")
		return
	}
	durations := make([][]*float64, len(src))
	distances := make([][]*float64, len(src))
	for a, i := range src {
		durations[a] = make([]*float64, len(dst))
		distances[a] = make([]*float64, len(dst))
		for b, j := range dst {
			if s.noRoute != [2]int{} && pts[i] == pts[s.noRoute[0]] && pts[j] == pts[s.noRoute[1]] {
				continue
			}
			m := roadMetres(pts[i][0], pts[i][1], pts[j][0], pts[j][1])
			d := math.Round(m*10) / 10
			t := math.Round(m/15*10) / 10 // 54 km/h = 15 m/s
			distances[a][b], durations[a][b] = &d, &t
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"code": "Ok", "durations": durations, "distances": distances,
		"sources": []any{}, "destinations": []any{}})
}

// roadMetres is the stand-in's road length: 1.25 times the great circle.
func roadMetres(lat1, lon1, lat2, lon2 float64) float64 {
	r := math.Pi / 180
	h := math.Pow(math.Sin((lat2-lat1)*r/2), 2) + math.Cos(lat1*r)*math.Cos(lat2*r)*math.Pow(math.Sin((lon2-lon1)*r/2), 2)
	return 1.25 * 2 * 6371000 * math.Asin(math.Sqrt(h))
}

// lensPoints are n points around Lens.
func lensPoints(n int) []planner.LatLon {
	pts := make([]planner.LatLon, n)
	for i := range pts {
		pts[i] = planner.LatLon{Lat: 50.40 + 0.013*float64(i%7), Lon: 2.70 + 0.021*float64(i%11)}
	}
	return pts
}

func TestTableMatchesServer(t *testing.T) {
	for _, n := range []int{1, 2, 7, 23} {
		for _, block := range []int{4, 100} {
			t.Run(fmt.Sprintf("n=%d/block=%d", n, block), func(t *testing.T) {
				si := &standIn{maxTable: block}
				srv := httptest.NewServer(si)
				defer srv.Close()
				c, err := New(srv.URL+"/", WithMaxTableSize(block))
				if err != nil {
					t.Fatal(err)
				}
				pts := lensPoints(n)
				dist, minutes, err := c.Table(t.Context(), pts)
				if err != nil {
					t.Fatal(err)
				}
				for i := range pts {
					for j := range pts {
						m := roadMetres(pts[i].Lat, pts[i].Lon, pts[j].Lat, pts[j].Lon)
						if i == j {
							m = 0
						}
						if math.Abs(dist[i][j]-m/1000) > 1e-4 || math.Abs(minutes[i][j]-m/15/60) > 1e-3 {
							t.Fatalf("[%d][%d]: %v km %v min, want %v km %v min", i, j, dist[i][j], minutes[i][j], m/1000, m/15/60)
						}
					}
				}
				blocks := (n + block - 1) / block
				want := int64(blocks * blocks)
				if n <= 1 {
					want = 0
				}
				if got := si.requests.Load(); got != want {
					t.Errorf("%d requests, want %d", got, want)
				}
			})
		}
	}
}

func TestMatrixFallsBackWithWarning(t *testing.T) {
	pts := lensPoints(5)
	travel := planner.Travel{DetourFactor: 1.3, SpeedKmh: 40}
	wantD, wantM, _ := planner.GreatCircleMatrix(pts, travel)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(time.Minute):
		case <-r.Context().Done():
		}
	})
	tests := []struct {
		name    string
		handler http.Handler
		opts    []Option
		want    string
	}{
		{"server error", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}), nil, "HTTP 500"},
		{"too big", &standIn{maxTable: 2}, []Option{WithMaxTableSize(50)}, "TooBig: Too many table coordinates"},
		{"no route", &standIn{noRoute: [2]int{1, 3}}, nil, "no route from point 1 to point 3"},
		{"not json", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>") }), nil, "malformed answer"},
		{"short rows", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"code":"Ok","durations":[[0]],"distances":[[0]]}`)
		}), nil, "1 rows of durations, want 5"},
		{"negative", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			row := "[0,-1,0,0,0]"
			rows := strings.Repeat(row+",", 4) + row
			fmt.Fprintf(w, `{"code":"Ok","durations":[%s],"distances":[%s]}`, rows, rows)
		}), nil, "durations from point 0 to point 1 is -1"},
		{"error code with 200", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"code":"NoSegment","message":"Could not find a matching segment for coordinate 3"}`)
		}), nil, "NoSegment: Could not find a matching segment"},
		{"timeout", slow, []Option{WithTimeout(100 * time.Millisecond)}, "deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			var logs bytes.Buffer
			opts := append([]Option{WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))}, tt.opts...)
			c, err := New(srv.URL, opts...)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			if _, _, err := c.Table(ctx, pts); err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(tt.want, "TooBig: ")) && tt.name != "timeout" {
				t.Errorf("Table: error %v, want %q", err, tt.want)
			}
			d, m, err := c.Matrix()(pts, travel)
			if err != nil {
				t.Fatalf("Matrix: %v, want the great-circle fallback", err)
			}
			for i := range pts {
				for j := range pts {
					if d[i][j] != wantD[i][j] || m[i][j] != wantM[i][j] {
						t.Fatalf("[%d][%d]: %v km %v min, want the great-circle %v km %v min", i, j, d[i][j], m[i][j], wantD[i][j], wantM[i][j])
					}
				}
			}
			out := logs.String()
			if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "great-circle") || !strings.Contains(out, tt.want) {
				t.Errorf("log %q, want a warning with %q", out, tt.want)
			}
		})
	}
	// A server that is gone: connection refused.
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	var logs bytes.Buffer
	c, _ := New(url, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if _, _, err := c.Matrix()(pts, travel); err != nil || !strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("unreachable server: err %v, log %q", err, logs.String())
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		url  string
		opts []Option
		want string
	}{
		{"localhost:5000", nil, "want http:// or https://"},
		{"ftp://osrm", nil, "want http:// or https://"},
		{"http://", nil, "with a host"},
		{"http://osrm?x=1", nil, "no query"},
		{"http://osrm", []Option{WithMaxTableSize(1)}, "max table size 1"},
		{"http://osrm", []Option{WithProfile("car/../x")}, "profile"},
		{"http://osrm", []Option{WithTimeout(0)}, "timeout"},
	}
	for _, tt := range tests {
		if _, err := New(tt.url, tt.opts...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%q): %v, want %q", tt.url, err, tt.want)
		}
	}
	c, err := New("http://osrm")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Table(context.Background(), []planner.LatLon{{Lat: 91, Lon: 0}, {}}); err == nil || !strings.Contains(err.Error(), "point 0") {
		t.Errorf("bad latitude: %v", err)
	}
}

// TestPlanWithRoadDistances plans a small week with the client against the
// stand-in: the rounds' distances are the stand-in's road distances.
func TestPlanWithRoadDistances(t *testing.T) {
	srv := httptest.NewServer(&standIn{maxTable: 100})
	defer srv.Close()
	c, err := New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	s := planner.Scenario{
		Week: "2026-W49", DeliveryDate: "2026-12-01", CollectionDate: "2026-11-30", Timezone: "Europe/Paris",
		Hub:      planner.Hub{ID: "hub", Lat: 50.4578, Lon: 2.7917},
		Travel:   planner.Travel{DetourFactor: 1.3, SpeedKmh: 40},
		Products: []planner.Product{{ID: "carotte", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1}},
		Producers: []planner.Producer{{ID: "ferme-a", Lat: 50.47, Lon: 2.75, Collect: true,
			Window: planner.Window{"13:00", "18:00"}, ServiceMin: 10}},
		Offers: []planner.Offer{{Producer: "ferme-a", Product: "carotte", Quantity: 100}},
		Sites: []planner.Site{
			{ID: "relais-a", Kind: planner.KindRelay, Lat: 50.43, Lon: 2.83, Window: planner.Window{"09:00", "16:00"}, ServiceMin: 10},
			{ID: "relais-b", Kind: planner.KindRelay, Lat: 50.42, Lon: 2.76, Window: planner.Window{"09:00", "16:00"}, ServiceMin: 10},
		},
		Orders: []planner.Order{
			{ID: "o1", Site: "relais-a", Class: planner.ClassExtra, Product: "carotte", Quantity: 20},
			{ID: "o2", Site: "relais-b", Class: planner.ClassExtra, Product: "carotte", Quantity: 30},
		},
		Vehicles: []planner.Vehicle{{ID: "camion-1", CapacityKg: 800, Shift: planner.Window{"06:00", "18:00"}}},
	}
	p, err := planner.PlanWeek(s, planner.Options{Matrix: c.Matrix()})
	if err != nil {
		t.Fatal(err)
	}
	where := map[string][2]float64{"ferme-a": {50.47, 2.75}, "relais-a": {50.43, 2.83}, "relais-b": {50.42, 2.76}}
	if len(p.Rounds) != 2 {
		t.Fatalf("%d rounds, want 2", len(p.Rounds))
	}
	for _, r := range p.Rounds {
		lat, lon, m := s.Hub.Lat, s.Hub.Lon, 0.0
		for _, st := range r.Stops {
			at := where[st.Site+st.Producer]
			m += roadMetres(lat, lon, at[0], at[1])
			lat, lon = at[0], at[1]
		}
		m += roadMetres(lat, lon, s.Hub.Lat, s.Hub.Lon)
		if math.Abs(r.DistanceKm-m/1000) > 0.051 {
			t.Errorf("%s round: %v km, the road is %.3f km", r.Kind, r.DistanceKm, m/1000)
		}
	}
}

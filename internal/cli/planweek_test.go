package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"paniers/jobs"
	"paniers/models"
	"paniers/planner"
)

// call sends one API request and decodes a JSON answer into out (when not
// nil); it returns the status and the raw body.
func call(t *testing.T, method, url, token string, body any, out any) (int, []byte, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, url, err, raw)
		}
	}
	return resp.StatusCode, raw, resp.Header
}

type weekList struct {
	Items []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"items"`
}

type docList struct {
	Version int `json:"version"`
	Items   []struct {
		Kind, For, Format, URL string
		FileName               string `json:"file_name"`
		Changed                bool
	} `json:"items"`
}

// TestServeRunsTheWeekEndToEnd starts the service as main does, on the demo
// territory with the plan and publication scheduled every two seconds: once
// the coordinator closes the week's orders, the schedule plans and publishes
// it by itself, and every document of the week is served and written out.
func TestServeRunsTheWeekEndToEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "paniers.db")
	out := t.TempDir()
	t.Setenv("PANIERS_SCHEDULE_PLAN", "*/2 * * * * *")
	t.Setenv("PANIERS_SCHEDULE_PUBLISH", "1-59/2 * * * * *")
	s := startServe(t, "--db", db, "--out", out, "--demo")
	t.Cleanup(s.cancel)
	base := "http://" + s.addr + "/api/v1"
	coord := models.DemoCoordinatorToken

	var weeks weekList
	if code, raw, _ := call(t, "GET", base+"/weeks", coord, nil, &weeks); code != 200 || len(weeks.Items) != 1 {
		t.Fatalf("weeks: %d %s", code, raw)
	}
	week := weeks.Items[0].ID
	// Orders are open: the schedule leaves the week alone.
	time.Sleep(2500 * time.Millisecond)
	if code, raw, _ := call(t, "GET", base+"/weeks/"+week+"/plan", coord, nil, nil); code != 404 {
		t.Fatalf("planned while orders were open: %d %s", code, raw)
	}
	// The coordinator closes orders; the next scheduled runs plan and
	// publish the week.
	if code, raw, _ := call(t, "PATCH", base+"/weeks/"+week, coord, map[string]string{"status": "closed"}, nil); code != 200 {
		t.Fatalf("closing the week: %d %s", code, raw)
	}
	deadline := time.Now().Add(60 * time.Second)
	status := ""
	for time.Now().Before(deadline) && status != models.WeekPublished {
		var w struct{ Status string }
		call(t, "GET", base+"/weeks/"+week, coord, nil, &w)
		status = w.Status
		time.Sleep(200 * time.Millisecond)
	}
	if status != models.WeekPublished {
		t.Fatalf("week %s still %q after 60 s:\n%s", week, status, tail(s.stderr.String(), 4000))
	}

	var runs struct {
		Items []struct{ Job, Week, Outcome, Error string } `json:"items"`
	}
	call(t, "GET", base+"/jobs?week="+week+"&limit=200", coord, nil, &runs)
	ok := map[string]int{}
	for _, r := range runs.Items {
		if r.Outcome == models.JobOK {
			ok[r.Job]++
		}
	}
	if ok[jobs.JobPlan] != 1 || ok[jobs.JobPublish] != 1 {
		t.Errorf("runs for %s: %+v; want one plan and one publish (the week is not planned twice)", week, runs.Items)
	}

	// Every document of the week, as the coordinator sees the list.
	var docs docList
	if code, raw, _ := call(t, "GET", base+"/weeks/"+week+"/documents", coord, nil, &docs); code != 200 || len(docs.Items) == 0 {
		t.Fatalf("documents: %d %s", code, raw)
	}
	manifest := jobs.Manifest{}
	mb, err := os.ReadFile(filepath.Join(out, week, jobs.ManifestName))
	if err != nil || json.Unmarshal(mb, &manifest) != nil || manifest.Version != docs.Version {
		t.Fatalf("manifest of the published folder: v%d, %v", manifest.Version, err)
	}
	types := map[string]string{"txt": "text/plain; charset=utf-8", "pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}
	kinds := map[string]int{}
	for _, d := range docs.Items {
		code, body, h := call(t, "GET", "http://"+s.addr+d.URL, coord, nil, nil)
		if code != 200 || len(body) == 0 {
			t.Errorf("%s: %d, %d bytes", d.URL, code, len(body))
			continue
		}
		if ct := h.Get("Content-Type"); ct != types[d.Format] {
			t.Errorf("%s: content type %q", d.URL, ct)
		}
		if !strings.Contains(h.Get("Content-Disposition"), d.FileName) {
			t.Errorf("%s: Content-Disposition %q", d.URL, h.Get("Content-Disposition"))
		}
		switch d.Format {
		case "pdf":
			if !bytes.HasPrefix(body, []byte("%PDF-")) {
				t.Errorf("%s: not a PDF", d.URL)
			}
			if d.Kind == "pickup-list" {
				// The list names the relay point's households.
				var homes struct{ Items []struct{ Name string } }
				call(t, "GET", base+"/sites/"+d.For+"/households?limit=200", coord, nil, &homes)
				if text, ok := pdfText(t, body); ok && len(homes.Items) > 0 && !strings.Contains(text, homes.Items[0].Name) {
					t.Errorf("%s: %q not in its text:\n%s", d.URL, homes.Items[0].Name, text)
				}
			}
		case "geojson":
			var g struct{ Type string }
			if json.Unmarshal(body, &g) != nil || g.Type != "FeatureCollection" {
				t.Errorf("%s: not a GeoJSON feature collection", d.URL)
			}
		}
		// The published file is the same document.
		if file, err := os.ReadFile(filepath.Join(out, week, d.FileName)); err != nil || !bytes.Equal(file, body) {
			t.Errorf("%s: published file differs from the served document (%v)", d.FileName, err)
		}
		kinds[d.Kind]++
	}
	for _, k := range []string{"round-sheet", "pickup-list", "preparation-list", "delivery-note", "packing-list"} {
		if kinds[k] == 0 {
			t.Errorf("no %s in the week's documents", k)
		}
	}
	// A relay point's manager sees its own pick-up list only.
	var mine docList
	call(t, "GET", base+"/weeks/"+week+"/documents", "demo-relais-loos", nil, &mine)
	if len(mine.Items) == 0 {
		t.Error("relais-loos sees no document")
	}
	for _, d := range mine.Items {
		if d.Kind != "pickup-list" || d.For != "relais-loos" {
			t.Errorf("relais-loos sees %s %s", d.Kind, d.For)
		}
	}
	// A driver reads the round sheets of its vehicle only: between them,
	// the demo's two drivers read every round sheet once.
	driven := 0
	for _, v := range []string{"camion-1", "camion-2"} {
		var drv docList
		call(t, "GET", base+"/weeks/"+week+"/documents", "demo-"+v, nil, &drv)
		for _, d := range drv.Items {
			if d.Kind != "round-sheet" || !strings.Contains(d.FileName, "_"+v+"_") {
				t.Errorf("driver of %s sees %s %s (%s)", v, d.Kind, d.For, d.FileName)
			}
			if code, _, _ := call(t, "GET", "http://"+s.addr+d.URL, "demo-"+v, nil, nil); code != 200 {
				t.Errorf("driver of %s: %s: %d", v, d.URL, code)
			}
			driven++
		}
	}
	if driven != kinds["round-sheet"] {
		t.Errorf("the drivers read %d round sheet documents, the week has %d", driven, kinds["round-sheet"])
	}
	for _, d := range docs.Items {
		if d.Kind == "round-sheet" && !strings.Contains(d.FileName, "_camion-2_") {
			if code, _, _ := call(t, "GET", "http://"+s.addr+d.URL, "demo-camion-2", nil, nil); code != 403 {
				t.Errorf("driver of camion-2 reads %s: %d, want 403", d.URL, code)
			}
			break
		}
	}
	// The round sheets were printed to the log when the week was published.
	printed := 0
	for _, r := range s.stderr.Records() {
		if r["msg"] == "round sheet" && strings.Contains(fmt.Sprint(r["text"]), "FEUILLE DE ROUTE") {
			printed++
		}
	}
	if printed != kinds["round-sheet"]/4 {
		t.Errorf("%d round sheets printed to the log, want %d", printed, kinds["round-sheet"]/4)
	}
	if code := s.stop(t); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// pdfText extracts a PDF's text with pdftotext; ok is false when the tool
// is missing (.ci/run installs it).
func pdfText(t *testing.T, pdf []byte) (string, bool) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", false
	}
	cmd := exec.Command(bin, "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Errorf("pdftotext: %v", err)
		return "", false
	}
	return string(out), true
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// demoDatabase makes an SQLite file holding the demo territory and returns
// it with the demo week.
func demoDatabase(t *testing.T) (db, week string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "paniers.db")
	ctx := context.Background()
	st, err := models.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	weeks, err := st.ListWeeks(ctx, models.Page{})
	if err != nil || len(weeks) != 1 {
		t.Fatalf("demo weeks %v, %v", weeks, err)
	}
	return db, weeks[0].ID
}

// TestPlanCommandOnTheDatabase runs `paniers plan --week` on the configured
// database: the same plan path, stored as a new version each time.
func TestPlanCommandOnTheDatabase(t *testing.T) {
	ctx := context.Background()
	db, week := demoDatabase(t)
	t.Setenv("PANIERS_DB", db)
	t.Setenv("PANIERS_OUT", t.TempDir())

	for v := 1; v <= 2; v++ {
		var stdout, stderr bytes.Buffer
		if code := run(ctx, []string{"plan", "--week", week, "--seed", "3"}, &stdout, &stderr); code != 0 {
			t.Fatalf("plan --week: exit %d\n%s", code, stderr.String())
		}
		var p planner.Plan
		if err := json.Unmarshal(stdout.Bytes(), &p); err != nil || p.Week != week || len(p.Rounds) == 0 {
			t.Fatalf("printed plan: week %q, %d rounds, %v", p.Week, len(p.Rounds), err)
		}
		if !strings.Contains(stderr.String(), fmt.Sprintf("version %d", v)) {
			t.Errorf("run %d: %s", v, stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"plan", "--week", week, "--format", "text"}, &stdout, &stderr); code != 0 || stdout.Len() == 0 {
		t.Fatalf("text: exit %d\n%s", code, stderr.String())
	}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"plan", "--week", "2026-W99"}, 2},
		{[]string{"plan", "--week", week, "--no-rounds"}, 2},
		{[]string{"plan", "--week", "2030-W10"}, 1},
	} {
		var o, e bytes.Buffer
		if code := run(ctx, c.args, &o, &e); code != c.code {
			t.Errorf("%v: exit %d, want %d\n%s", c.args, code, c.code, e.String())
		}
	}
	st, err := models.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cur, err := st.CurrentPlan(ctx, week)
	if err != nil || cur.Version != 3 {
		t.Fatalf("current plan v%d, %v; want v3", cur.Version, err)
	}
	runs, _ := st.ListJobRuns(ctx, models.JobRunFilter{Job: jobs.JobPlan, Week: week}, models.Page{})
	if len(runs) != 3 {
		t.Errorf("%d plan runs recorded, want 3", len(runs))
	}
}

// TestPlanCommandDryRunAndLanguage plans the demo week from the database
// with --dry-run (nothing stored, the week left open, the plan printed) and
// in English: the reasons that come from the planner, stored in French,
// come out in English, and no French is left in the text.
func TestPlanCommandDryRunAndLanguage(t *testing.T) {
	ctx := context.Background()
	db, week := demoDatabase(t)
	t.Setenv("PANIERS_DB", db)
	t.Setenv("PANIERS_OUT", t.TempDir())
	st, err := models.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"plan", "--week", week, "--dry-run"}, &stdout, &stderr); code != 0 {
		t.Fatalf("--dry-run: exit %d\n%s", code, stderr.String())
	}
	var p planner.Plan
	if err := json.Unmarshal(stdout.Bytes(), &p); err != nil || p.Week != week || len(p.Rounds) == 0 {
		t.Fatalf("--dry-run plan: week %q, %d rounds, %v", p.Week, len(p.Rounds), err)
	}
	if !strings.Contains(stderr.String(), "nothing stored") || strings.Contains(stderr.String(), "stored as version") {
		t.Errorf("--dry-run says: %s", stderr.String())
	}
	if _, err := st.CurrentPlan(ctx, week); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("--dry-run stored a plan: %v", err)
	}
	if w, err := st.GetWeek(ctx, week); err != nil || w.Status != models.WeekOpen {
		t.Errorf("--dry-run: week %q, %v; want it still open", w.Status, err)
	}
	if runs, _ := st.ListJobRuns(ctx, models.JobRunFilter{Week: week}, models.Page{}); len(runs) != 0 {
		t.Errorf("--dry-run recorded %d runs", len(runs))
	}

	french := []string{"offre insuffisante", "excédent", "aucune", "commandes", "pièce", "Manques", " : "}
	for _, args := range [][]string{
		{"plan", "--week", week, "--lang", "en", "--format", "text"},
		{"plan", "--week", week, "--lang", "en", "--format", "text", "--dry-run"},
	} {
		stdout.Reset()
		stderr.Reset()
		if code := run(ctx, args, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, stderr.String())
		}
		text := stdout.String()
		for _, w := range french {
			if strings.Contains(text, w) {
				t.Errorf("%v: French %q in the English text", args, w)
			}
		}
		if !strings.Contains(text, "Shortfalls") || !strings.Contains(text, "Unsold") {
			t.Errorf("%v: not the English summary:\n%s", args, text)
		}
	}
	// The stored version keeps the service's French; only the output is English.
	cur, err := st.CurrentPlan(ctx, week)
	if err != nil || cur.Version != 1 {
		t.Fatalf("current plan v%d, %v; want v1 (one plan without --dry-run)", cur.Version, err)
	}
	stdout.Reset()
	if code := run(ctx, []string{"plan", "--week", week, "--lang", "en"}, &stdout, &stderr); code != 0 {
		t.Fatal(stderr.String())
	}
	var en planner.Plan
	if err := json.Unmarshal(stdout.Bytes(), &en); err != nil {
		t.Fatal(err)
	}
	reasons := 0
	for _, u := range en.Unsold {
		if u.Reason != "" {
			reasons++
		}
		for _, w := range french {
			if strings.Contains(u.Reason, w) {
				t.Errorf("JSON in English: unsold reason %q", u.Reason)
			}
		}
	}
	for _, s := range en.Shortfalls {
		reasons++
		for _, w := range french {
			if strings.Contains(s.Reason, w) {
				t.Errorf("JSON in English: shortfall reason %q", s.Reason)
			}
		}
	}
	if reasons == 0 {
		t.Error("the demo week's plan has no reason to translate: the test checks nothing")
	}
}

// TestKillWhilePlanning kills the service (SIGKILL, a real child process) at
// random moments while plans of the week are computed and written, restarts
// it, and checks each time that the week has the old plan or the new one,
// whole: versions without gaps, exactly one current (the latest), its JSON
// complete, its input stored with it, and the stored
// input giving that very JSON again. An acknowledged plan is never lost.
func TestKillWhilePlanning(t *testing.T) {
	f := newBinaryFixture(t, "kills it")
	f.db = filepath.Join(t.TempDir(), "paniers.db") // checkPlans reads the SQLite file
	db, rng := f.db, f.rng

	c := f.start()
	var weeks weekList
	call(t, "GET", "http://"+c.addr+"/api/v1/weeks", models.DemoCoordinatorToken, nil, &weeks)
	week := weeks.Items[0].ID
	// One plan first, timed: there is an old plan to keep, and the kills
	// are spread over the time plans take on this machine.
	began := time.Now()
	if code, raw, _ := call(t, "POST", "http://"+c.addr+"/api/v1/weeks/"+week+"/plan", models.DemoCoordinatorToken, nil, nil); code != http.StatusCreated {
		t.Fatalf("first plan: %d %s", code, raw)
	}
	took := time.Since(began)
	acked := 1 // the highest version the service acknowledged
	for i := 1; i <= 5; i++ {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for k := 0; k < 3; k++ {
			wg.Add(1)
			go func(seed int) {
				defer wg.Done()
				req, _ := http.NewRequest("POST", fmt.Sprintf("http://%s/api/v1/weeks/%s/plan?seed=%d", c.addr, week, seed), nil)
				req.Header.Set("Authorization", "Bearer "+models.DemoCoordinatorToken)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return // killed under it
				}
				defer resp.Body.Close()
				var p struct{ Version int }
				if resp.StatusCode == http.StatusCreated && json.NewDecoder(resp.Body).Decode(&p) == nil {
					mu.Lock()
					acked = max(acked, p.Version)
					mu.Unlock()
				}
			}(10*i + k)
		}
		// Three plans in flight take about three times one: kill, up to
		// a little later, so some complete and some are cut.
		delay := time.Duration(rng.Int63n(int64(4 * took)))
		time.Sleep(delay)
		c.kill()
		wg.Wait()
		n := checkPlans(t, db, week, acked)
		t.Logf("killed after %v: %d versions stored, %d acknowledged", delay, n, acked)
		c = f.start()
	}
	// The restarted service still plans.
	code, raw, _ := call(t, "POST", "http://"+c.addr+"/api/v1/weeks/"+week+"/plan", models.DemoCoordinatorToken, nil, nil)
	if code != http.StatusCreated {
		t.Errorf("planning after the kills: %d %s", code, raw)
	}
	c.kill()
	checkPlans(t, db, week, acked+1)
}

// checkPlans opens the database left by a killed service and checks the
// week's plan versions.
func checkPlans(t *testing.T, db, week string, acked int) int {
	t.Helper()
	ctx := context.Background()
	st, err := models.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	versions, err := st.ListPlans(ctx, week, models.Page{Limit: models.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) < acked {
		t.Fatalf("%d versions stored, but version %d was acknowledged", len(versions), acked)
	}
	if len(versions) == 0 {
		return 0 // killed before the first plan was written: no plan, not half of one
	}
	current := 0
	for i, v := range versions { // latest first
		if v.Version != len(versions)-i {
			t.Fatalf("versions %v are not 1..n", versions)
		}
		if v.Current {
			current++
			if i != 0 {
				t.Errorf("v%d is current, but v%d is newer", v.Version, versions[0].Version)
			}
		}
		if _, err := st.GetPlanInput(ctx, week, v.Version); err != nil {
			t.Errorf("v%d has no input: %v", v.Version, err)
		}
	}
	if current != 1 {
		t.Fatalf("%d current versions", current)
	}
	cur, err := st.CurrentPlan(ctx, week)
	if err != nil {
		t.Fatal(err)
	}
	var p planner.Plan
	if err := json.Unmarshal([]byte(cur.JSON), &p); err != nil || p.Week != week {
		t.Fatalf("current plan v%d: week %q, %v", cur.Version, p.Week, err)
	}
	in, err := st.GetPlanInput(ctx, week, cur.Version)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := in.ScenarioOf()
	if err != nil {
		t.Fatal(err)
	}
	again, err := planner.PlanWeek(sc, planner.Options{Seed: in.Seed})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(again)
	if string(b) != cur.JSON {
		t.Errorf("current plan v%d is not the plan of its stored input and seed %d", cur.Version, in.Seed)
	}
	w, err := st.GetWeek(ctx, week)
	if err != nil || w.Status != models.WeekPlanned {
		t.Errorf("week status %q with a stored plan, %v", w.Status, err)
	}
	return len(versions)
}

// osrmStandIn answers the OSRM table service for the wiring test: roads are
// twice the great circle, driven at 36 km/h; it counts its requests.
type osrmStandIn struct {
	mu       sync.Mutex
	requests int
}

func (o *osrmStandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	o.requests++
	o.mu.Unlock()
	rest, _ := strings.CutPrefix(r.URL.Path, "/table/v1/")
	_, coords, _ := strings.Cut(rest, "/")
	var pts []planner.LatLon
	for _, c := range strings.Split(coords, ";") {
		var p planner.LatLon
		if _, err := fmt.Sscanf(strings.Replace(c, ",", " ", 1), "%g %g", &p.Lon, &p.Lat); err != nil {
			http.Error(w, `{"code":"InvalidQuery"}`, http.StatusBadRequest)
			return
		}
		pts = append(pts, p)
	}
	pick := func(name string) []int {
		var out []int
		for _, kv := range strings.Split(r.URL.RawQuery, "&") {
			if v, ok := strings.CutPrefix(kv, name+"="); ok && v != "" {
				for _, f := range strings.Split(v, ";") {
					var i int
					fmt.Sscan(f, &i)
					out = append(out, i)
				}
				return out
			}
		}
		for i := range pts {
			out = append(out, i)
		}
		return out
	}
	src, dst := pick("sources"), pick("destinations")
	dist := make([][]float64, len(src))
	dur := make([][]float64, len(src))
	for a, i := range src {
		dist[a], dur[a] = make([]float64, len(dst)), make([]float64, len(dst))
		for b, j := range dst {
			m := 2 * 1000 * planner.Haversine(pts[i], pts[j])
			dist[a][b], dur[a][b] = m, m/10
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"code": "Ok", "distances": dist, "durations": dur})
}

// TestPlanWithRoadDistances shows PANIERS_OSRM_URL wired into the plan
// path: the rounds are planned on the server's road distances.
func TestPlanWithRoadDistances(t *testing.T) {
	ctx := context.Background()
	db, week := demoDatabase(t)
	osrm := &osrmStandIn{}
	srv := httptest.NewServer(osrm)
	defer srv.Close()
	t.Setenv("PANIERS_DB", db)
	t.Setenv("PANIERS_OUT", t.TempDir())

	plan := func() planner.Plan {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(ctx, []string{"plan", "--week", week}, &stdout, &stderr); code != 0 {
			t.Fatalf("plan: exit %d\n%s", code, stderr.String())
		}
		if strings.Contains(stderr.String(), "great-circle") {
			t.Errorf("fell back to great-circle distances:\n%s", stderr.String())
		}
		var p planner.Plan
		if err := json.Unmarshal(stdout.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	air := plan()
	t.Setenv("PANIERS_OSRM_URL", srv.URL)
	road := plan()
	if osrm.requests == 0 {
		t.Fatal("the OSRM server was not asked")
	}
	// Roads twice the great circle instead of 1.3 times: every round is
	// longer.
	if !(road.Summary.DistanceKm > air.Summary.DistanceKm*1.2) {
		t.Errorf("distance with roads %.1f km, with the great circle %.1f km", road.Summary.DistanceKm, air.Summary.DistanceKm)
	}
}

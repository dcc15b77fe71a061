package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"paniers/models"
)

// weekStatus reads a week's stored status and plan versions.
func weekStatus(t *testing.T, e *env, week string) (string, int) {
	t.Helper()
	ctx := context.Background()
	w, err := e.st.GetWeek(ctx, week)
	if err != nil {
		t.Fatal(err)
	}
	plans, err := e.st.ListPlans(ctx, week, models.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return w.Status, len(plans)
}

// TestWeekPage: the published demo week shows supply against demand as a
// chart and a table, the plan's fill rates, shortfalls, baskets and the
// rounds on a map, one line per round.
func TestWeekPage(t *testing.T) {
	e := newEnv(t)
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	res := coord.get(pathCoordWeek + weekPast)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("week page: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	mustShow(t, res.Body, "Offre et demande", `<title id="chart-title">`, "Taux de service", "Paniers", "Tournées",
		"Carte des tournées", "Plan, version 1 – publiée", "La version 1 est déjà publiée.")
	plan, err := e.st.CurrentPlan(context.Background(), weekPast)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Plan()
	if err != nil {
		t.Fatal(err)
	}
	lines := regexp.MustCompile(`<polyline data-round="\d+"`).FindAllString(res.Body, -1)
	if len(lines) != len(p.Rounds) || len(p.Rounds) == 0 {
		t.Errorf("%d round lines on the map, plan has %d rounds", len(lines), len(p.Rounds))
	}
	stops := 0
	for _, r := range p.Rounds {
		stops += len(r.Stops)
	}
	if n := strings.Count(res.Body, "<circle data-stop-round="); n != stops {
		t.Errorf("%d dots, want %d stops", n, stops)
	}
	if n := strings.Count(res.Body, `<li id="round-`); n != len(p.Rounds) {
		t.Errorf("%d rounds listed, want %d", n, len(p.Rounds))
	}
	for _, sf := range p.Shortfalls {
		mustShow(t, res.Body, sf.Reason)
	}
	for _, action := range []string{"/apercu", "/planifier", "/publier"} {
		if !strings.Contains(res.Body, `action="`+pathCoordWeek+weekPast+action+`"`) {
			t.Errorf("no form posting to %s", action)
		}
	}
	// English.
	en := coord.get(pathCoordWeek + weekPast + "?lang=en")
	mustShow(t, en.Body, "Supply and demand", "Fill rates", "Map of the rounds")
	// The coordinator's home links to it.
	if home := coord.get("/"); !strings.Contains(home.Body, `href="`+pathCoordWeek+weekPast+`"`) {
		t.Errorf("home does not link to the week page")
	}
	if res := coord.get(pathCoordWeek + "2031-W01"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown week: %d, want 404", res.StatusCode)
	}
}

// TestWeekActions: preview leaves the open week alone, plan stores a
// version and closes it, publish publishes; a farmer and a cross-site post
// are refused, changing nothing.
func TestWeekActions(t *testing.T) {
	e := newEnv(t)
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	base := pathCoordWeek + weekOpen

	farmer := e.signIn(t, "demo-ferme-bois-loos", pathFarmer)
	for _, a := range []string{"", "/apercu", "/planifier", "/publier"} {
		var res response
		if a == "" {
			res = farmer.get(base)
		} else {
			res = farmer.post(base+a, url.Values{})
		}
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("farmer %s: %d, want 403", base+a, res.StatusCode)
		}
	}
	for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "", "Origin", "https://evil.example"}} {
		if res := coord.post(base+"/planifier", url.Values{}, h...); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site plan %v: %d, want 403", h, res.StatusCode)
		}
	}
	if st, n := weekStatus(t, e, weekOpen); st != models.WeekOpen || n != 0 {
		t.Fatalf("after refused posts: %s with %d versions", st, n)
	}

	res := coord.post(base+"/apercu", url.Values{})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	mustShow(t, res.Body, "Aperçu du plan (non enregistré)", "Rien n'est enregistré, la semaine reste ouverte.")
	if st, n := weekStatus(t, e, weekOpen); st != models.WeekOpen || n != 0 {
		t.Errorf("after preview: %s with %d versions, want open with none", st, n)
	}
	mustShow(t, res.Body, "la semaine reste ouverte aux offres et aux commandes")

	res = coord.follow(base+"/planifier", url.Values{})
	mustShow(t, res.Body, "Plan enregistré : version 1.", "Plan, version 1 – brouillon")
	if st, n := weekStatus(t, e, weekOpen); st != models.WeekPlanned || n != 1 {
		t.Errorf("after plan: %s with %d versions, want planned with 1", st, n)
	}
	mustShow(t, res.Body, "Publier la version 1 envoie les listes à ")
	if strings.Contains(res.Body, "reste ouverte") {
		t.Errorf("planned week still says it stays open:\n%s", excerpt(res.Body))
	}
	mustShow(t, res.Body, "Recalcule le plan à partir des données enregistrées, sans rien enregistrer ni modifier")
	res = coord.post(base+"/apercu", url.Values{})
	mustShow(t, res.Body, "Aperçu du plan (non enregistré)", "Rien n'est enregistré ni modifié.")
	if strings.Contains(res.Body, "reste ouverte") {
		t.Errorf("preview of a planned week says it stays open")
	}
	if st, n := weekStatus(t, e, weekOpen); st != models.WeekPlanned || n != 1 {
		t.Errorf("after preview of planned week: %s with %d versions", st, n)
	}

	res = coord.follow(base+"/publier", url.Values{})
	mustShow(t, res.Body, "Version 1 publiée", "Plan, version 1 – publiée")
	if st, _ := weekStatus(t, e, weekOpen); st != models.WeekPublished {
		t.Errorf("after publish: %s, want published", st)
	}
	if sp, err := e.st.CurrentPlan(context.Background(), weekOpen); err != nil || !sp.Published {
		t.Errorf("current plan after publish: %+v, %v", sp, err)
	}
	en := coord.get(base + "?lang=en")
	mustShow(t, en.Body, "Recomputes the plan from the stored data, storing and changing nothing")
}

// BenchmarkWeekPage renders the coordinator's week page on the demo's
// published week, through the whole handler:
//
//	go test ./web -run '^$' -bench WeekPage -benchmem -count 5
//
// The goal is under 100 ms.
func BenchmarkWeekPage(b *testing.B) {
	e := newEnv(b)
	benchWeekPage(b, e, weekPast)
}

// BenchmarkWeekPageVersions renders the week page of a week planned six
// times: five versions listed, each compared with the one before (six
// plans and scenarios read and decoded):
//
//	go test ./web -run '^$' -bench WeekPageVersions -benchmem -count 5
func BenchmarkWeekPageVersions(b *testing.B) {
	e := newEnv(b)
	for i := range 6 {
		if _, err := e.svc.PlanWeek(context.Background(), weekOpen, int64(i+1)); err != nil {
			b.Fatal(err)
		}
	}
	benchWeekPage(b, e, weekOpen)
}

func benchWeekPage(b *testing.B, e *env, week string) {
	h := e.site.Handler()
	ck := e.sessionCookie(b, models.DemoCoordinatorToken)
	req := httptest.NewRequest(http.MethodGet, pathCoordWeek+week, nil)
	req.AddCookie(ck)
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d", w.Code)
		}
	}
}

// TestWeekPageWeight: the week page of the demo, published (chart, plan,
// map, versions) and as a preview of the open week, weighs under 150 KB
// of HTML, and under 170 KB with the stylesheet and script it loads
// (uncompressed):
//
//	go test ./web -run WeekPageWeight -v
func TestWeekPageWeight(t *testing.T) {
	e := newEnv(t)
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	const htmlLimit, totalLimit = 150 << 10, 170 << 10
	for _, p := range []struct {
		name string
		get  func() response
	}{
		{"published", func() response { return coord.get(pathCoordWeek + weekPast) }},
		{"preview", func() response { return coord.post(pathCoordWeek+weekPast+"/apercu", url.Values{}) }},
	} {
		res := p.get()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p.name, res.StatusCode)
		}
		total := len(res.Body)
		for _, m := range assetRe.FindAllStringSubmatch(res.Body, -1) {
			total += len(coord.get(m[1]).Body)
		}
		t.Logf("week page, %s: %d bytes of HTML, %d with what it loads", p.name, len(res.Body), total)
		if len(res.Body) > htmlLimit || total > totalLimit {
			t.Errorf("week page, %s: %d bytes of HTML (limit %d), %d in all (limit %d)", p.name, len(res.Body), htmlLimit, total, totalLimit)
		}
	}
}

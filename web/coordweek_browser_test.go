package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"paniers/models"
)

const desktopWidth, desktopHeight = 1280, 900

// chartTextPx is the smallest rendered size, in CSS pixels, of the supply
// chart's text: its font size times the SVG's scale on screen.
func chartTextPx(b *tab) float64 {
	return evaluate[float64](b, `Math.min(...Array.from(document.querySelectorAll("svg.bars text")).map(t =>
		parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))`)
}

// TestBrowserCoordinatorWeek is the coordinator's week on the demo, as the
// issue's "done when" says, at phone width and on a desktop: signed in,
// the coordinator sees supply against demand (chart text at least 12 px),
// previews without closing anything (the week stays open), plans, sees
// the rounds on the map and every shortfall with its reason, plans again
// and sees the versions with what changed, publishes, and opens the job
// history. axe-core finds no serious violation on any page.
func TestBrowserCoordinatorWeek(t *testing.T) {
	e := newDemoEnv(t)
	ctx := context.Background()
	// A relay point orders more apples than the farms offer: the plan
	// will have shortfalls to explain.
	status, body := e.apiPost(t, "demo-relais-lens", "/api/v1/weeks/"+weekPast+"/orders",
		`{"site": "relais-lens", "class": "extra", "product": "pomme", "quantity": 200}`)
	if status != 201 {
		t.Fatalf("extra order: %d %s", status, body)
	}
	apples := jsonField(t, body, "id")
	b := newTab(t)
	week := pathCoordWeek + weekPast
	b.open(e.link(t, models.DemoCoordinatorToken))
	if u := b.url(); u != "/" {
		t.Fatalf("the sign-in link led to %s", u)
	}
	b.open(e.srv.URL + week)
	b.mustSee("Offre et demande", "Encore attendus", "statut : ouverte", "Aperçu du plan", "Planifier", "Pommes – manque")
	if n := evaluate[int](b, `document.querySelectorAll("svg.bars rect.supply").length`); n == 0 {
		t.Fatal("no supply bar")
	}
	if px := chartTextPx(b); px < 12 {
		t.Errorf("chart text %.1f px at %d px, want 12 or more", px, phoneWidth)
	} else {
		t.Logf("chart text %.1f px at %d px", px, phoneWidth)
	}
	b.check("week page, open")
	b.screenshot("week-supply")

	// Preview: a plan on screen, nothing stored, the week still open.
	b.submit(`button[formaction$="/apercu"]`)
	b.mustSee("Aperçu du plan (non enregistré)", "Rien n'est enregistré, la semaine reste ouverte.", "statut : ouverte", "Taux de service")
	if st, n := weekStatus(t, e, weekPast); st != models.WeekOpen || n != 0 {
		t.Fatalf("after the preview: %s with %d versions, want open with none", st, n)
	}
	b.check("week page, preview")
	b.screenshot("week-preview")

	// Plan: version 1, the rounds on the map, every shortfall explained.
	b.submit(`form.plan-form button.primary`)
	b.mustSee("Plan enregistré : version 1.", "Plan, version 1 – brouillon", "Tournée 1")
	sp, err := e.st.CurrentPlan(ctx, weekPast)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := sp.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if n := evaluate[int](b, `document.querySelectorAll("svg.routes polyline[data-round]").length`); n != len(plan.Rounds) || n == 0 {
		t.Errorf("%d rounds on the map, the plan has %d", n, len(plan.Rounds))
	}
	rows := evaluate[[]string](b, `Array.from(document.querySelectorAll("section[aria-labelledby=h-plan] table tbody tr")).map(r => r.cells[3].innerText.trim())`)
	t.Logf("%d rounds, %d shortfalls", len(plan.Rounds), len(plan.Shortfalls))
	if len(rows) != len(plan.Shortfalls) || len(rows) == 0 {
		t.Errorf("%d shortfalls shown, the plan has %d", len(rows), len(plan.Shortfalls))
	}
	for i, reason := range rows {
		if reason == "" || reason != plan.Shortfalls[i].Reason {
			t.Errorf("shortfall %d: reason %q on the page, %q in the plan", i, reason, plan.Shortfalls[i].Reason)
		}
	}
	b.check("week page, planned")
	b.screenshot("coordinator-week")

	// The coordinator reopens orders, the relay point withdraws its
	// apples, and the week is planned again with another seed (advanced
	// options): the versions say what changed.
	if status, body := e.apiJSON(t, http.MethodPatch, models.DemoCoordinatorToken, "/api/v1/weeks/"+weekPast, `{"status": "open"}`); status != 200 {
		t.Fatalf("reopening: %d %s", status, body)
	}
	if status, body := e.apiJSON(t, http.MethodDelete, "demo-relais-lens", "/api/v1/weeks/"+weekPast+"/orders/"+apples, ""); status != 204 {
		t.Fatalf("withdrawing the apples: %d %s", status, body)
	}
	b.open(e.srv.URL + week)
	b.do("open the advanced options", chromedp.Click(chromedp.CSS(`form.plan-form summary`), chromedp.NodeVisible))
	b.set(`#f-seed`, "2")
	b.submit(`form.plan-form button.primary`)
	b.mustSee("Plan enregistré : version 2.", "Versions du plan", "Version 2 – actuelle – brouillon", "graine 2", "Version 1 – brouillon",
		"Première version de la semaine : rien à comparer.")
	v2 := evaluate[string](b, `document.querySelector("#version-2").innerText`)
	for _, want := range []string{"lancée par : page de la semaine", "Manques résolus", "Quantités allouées", "Pommes : ", "retirée : Relais de Lens"} {
		if !strings.Contains(v2, want) {
			t.Errorf("version 2 does not say %q:\n%s", want, v2)
		}
	}
	b.do("scroll to the versions", chromedp.ScrollIntoView(chromedp.CSS(`#h-versions`)))
	b.check("week page, two versions")
	b.screenshot("week-versions")

	// Publish.
	b.submit(`form[action$="/publier"] button`)
	b.mustSee("Version 2 publiée", "Plan, version 2 – publiée")
	if st, _ := weekStatus(t, e, weekPast); st != models.WeekPublished {
		t.Errorf("after publishing: %s", st)
	}
	b.check("week page, published")

	// The job history, from the week page.
	b.submit(`a[href="/coordination/travaux?semaine=` + weekPast + `"]`)
	b.mustSee("Historique des travaux", "Planification", "Publication", "réussi", "page de la semaine")
	if n := evaluate[int](b, `document.querySelectorAll("ol.runs > li").length`); n != 3 {
		t.Errorf("%d runs listed for the week, want 2 plans and 1 publication", n)
	}
	b.check("job history")
	b.screenshot("jobs-history")

	// A desktop.
	b.do("desktop", chromedp.EmulateViewport(desktopWidth, desktopHeight))
	b.checkAt("job history, desktop", desktopWidth)
	b.screenshot("jobs-desktop")
	b.open(e.srv.URL + week)
	if px := chartTextPx(b); px < 12 {
		t.Errorf("chart text %.1f px at %d px, want 12 or more", px, desktopWidth)
	} else {
		t.Logf("chart text %.1f px at %d px", px, desktopWidth)
	}
	b.checkAt("week page, desktop", desktopWidth)
	b.screenshot("week-desktop")
}

package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"paniers/jobs"
	"paniers/models"
)

// TestWeekVersions: the open week planned from the page, an offer added,
// planned again with seed 7: the versions list says each version's
// trigger and seed and what the second changed (the offer, the quantities
// allocated), the same changes the API's route computes.
func TestWeekVersions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	base := pathCoordWeek + weekOpen
	carrots := "carotte"
	if err := e.st.CreateOrder(ctx, &models.Order{ID: "loos-carottes", WeekID: weekOpen, SiteID: "relais-loos", Class: "extra", ProductID: &carrots, Quantity: 2}); err != nil {
		t.Fatal(err)
	}
	res := coord.follow(base+"/planifier", url.Values{})
	mustShow(t, res.Body, "Versions du plan", "Version 1 – actuelle – brouillon", "lancée par : page de la semaine · graine 1",
		"Première version de la semaine : rien à comparer.")
	if _, err := e.st.SetWeekStatus(ctx, weekOpen, models.WeekOpen); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.PutOffer(ctx, &models.Offer{WeekID: weekOpen, ProducerID: "ferme-bois-loos", ProductID: "carotte", Quantity: 50, PriceCents: 180}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.DeleteOrder(ctx, weekOpen, "loos-carottes"); err != nil {
		t.Fatal(err)
	}
	res = coord.follow(base+"/planifier", url.Values{"seed": {"7"}})
	mustShow(t, res.Body, "Plan enregistré : version 2.", "Version 2 – actuelle – brouillon", "lancée par : page de la semaine · graine 7",
		"Offres", "Ferme du Bois de Loos – Carottes : 0 kg → 50 kg", "Quantités allouées", "Carottes : 0 kg → ",
		"Commandes", "retirée : Relais de Loos – Maison des associations – Extras : 2 kg de carottes", "Tournées", "0 → 2 tournées",
		"Manques résolus", "Relais de Loos – Maison des associations – Carottes", "Contenu des paniers", "Grand panier : valeur 0,00 € → 1,98 € ; Carottes 0 kg → 1,1 kg")
	if strings.Contains(res.Body, "Version 1 – actuelle") {
		t.Error("version 1 still said current")
	}
	changes, err := jobs.VersionChanges(ctx, e.st, weekOpen, []int{2})
	if err != nil {
		t.Fatal(err)
	}
	c := changes[2]
	if len(c.ShortfallsResolved) == 0 {
		t.Fatalf("removing the unserved extra resolved no shortfall: %+v", c)
	}
	resolved := regexp.MustCompile(`<dt>Manques résolus</dt>((?:<dd>[^<]*</dd>)*)`).FindStringSubmatch(res.Body)
	if resolved == nil || strings.Count(resolved[1], "<dd>") != len(c.ShortfallsResolved) {
		t.Errorf("resolved shortfalls listed %v, want %d", resolved, len(c.ShortfallsResolved))
	}
	in, err := e.st.GetPlanInput(ctx, weekOpen, 2)
	if err != nil || in.Seed != 7 || in.Trigger != jobs.TriggerPage {
		t.Errorf("version 2 input: seed %d trigger %q, %v; want 7 from the page", in.Seed, in.Trigger, err)
	}
	en := coord.get(base + "?lang=en")
	mustShow(t, en.Body, "Plan versions", "started by: week page · seed 7", "Offers", "Quantities allocated")
}

// TestWeekVersionsPaged: past five versions, the older ones are a link
// away and the link lists them.
func TestWeekVersionsPaged(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i := 0; i < 6; i++ {
		if _, err := e.svc.PlanWeek(ctx, weekOpen, int64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	res := coord.get(pathCoordWeek + weekOpen)
	if n := strings.Count(res.Body, `<li id="version-`); n != versionsShown {
		t.Errorf("%d versions listed, want %d", n, versionsShown)
	}
	mustShow(t, res.Body, "6 versions en tout.", "lancée par : API", "Versions plus anciennes")
	older := hrefs(res.Body, pathCoordWeek+weekOpen+"?avant=")
	if len(older) != 1 {
		t.Fatalf("older link %v", older)
	}
	res = coord.get(strings.SplitN(older[0], "#", 2)[0])
	if !strings.Contains(res.Body, `<li id="version-1"`) || strings.Contains(res.Body, `<li id="version-2"`) {
		t.Errorf("older page does not list version 1 alone:\n%s", excerpt(res.Body))
	}
	mustShow(t, res.Body, "Versions les plus récentes")
	for _, q := range []string{"?avant=1", "?avant=99", "?avant=-2", "?avant=x"} {
		res := coord.get(pathCoordWeek + weekOpen + q)
		if !strings.Contains(res.Body, `<li id="version-6"`) {
			t.Errorf("%s: the latest versions are not listed", q)
		}
	}
}

// TestWeekSeed: the plan form's seed is checked as the API's ?seed=: a
// wrong one comes back beside the field, typed as it was, storing
// nothing; a good one plans with it, previews too.
func TestWeekSeed(t *testing.T) {
	e := newEnv(t)
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	base := pathCoordWeek + weekOpen
	for _, bad := range []string{"abc", "0", "-3", "1.5", "99999999999999999999"} {
		for _, action := range []string{"/planifier", "/apercu"} {
			res := coord.post(base+action, url.Values{"seed": {bad}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("seed %q %s: %d, want 422", bad, action, res.StatusCode)
			}
			_, apiBody := e.apiPost(t, models.DemoCoordinatorToken, "/api/v1/weeks/"+weekOpen+"/plan?preview=true&seed="+url.QueryEscape(bad), "")
			reason := regexp.MustCompile(`"reason":"([^"]*(?:\\"[^"]*)*)"`).FindStringSubmatch(apiBody)
			if reason == nil {
				t.Fatalf("API answer without a reason: %s", apiBody)
			}
			mustShow(t, res.Body, `id="err-f-seed"`, `aria-invalid="true"`, `value="`+bad+`"`, "Il y a un problème", "Graine")
			want := fmt.Sprintf("entier positif attendu (reçu %q)", bad)
			mustShow(t, res.Body, want)
			if !strings.Contains(apiBody, strings.ReplaceAll(want, `"`, `\"`)) {
				t.Errorf("the API says %s, the page %q", apiBody, want)
			}
		}
	}
	if st, n := weekStatus(t, e, weekOpen); st != models.WeekOpen || n != 0 {
		t.Fatalf("after refused seeds: %s with %d versions", st, n)
	}
	res := coord.post(base+"/apercu", url.Values{"seed": {"3"}})
	mustShow(t, res.Body, "Aperçu du plan (non enregistré)", `value="3"`)
	res = coord.follow(base+"/planifier", url.Values{"seed": {" 3 "}})
	mustShow(t, res.Body, "graine 3")
}

// TestJobsPage: the history lists the runs the latest first, with their
// outcome, what started them and their message in the reader's language;
// filters narrow it, a wrong filter is said, pages follow; only the
// coordinator opens it.
func TestJobsPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	mustShow(t, coord.get("/").Body, `href="`+pathCoordJobs+`"`)
	coord.follow(pathCoordWeek+weekOpen+"/planifier", url.Values{})
	skipped, err := e.st.StartJobRun(ctx, jobs.JobPublish, "", jobs.TriggerSchedule)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.FinishJobRun(ctx, skipped.ID, models.JobSkipped, fmt.Errorf("%s", jobs.SkipNoWeek)); err != nil {
		t.Fatal(err)
	}
	failed, err := e.st.StartJobRun(ctx, jobs.JobPlan, weekPast, jobs.TriggerCatchUp)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(e.clock.Now().Add(2500 * time.Millisecond))
	if _, err := e.st.FinishJobRun(ctx, failed.ID, models.JobFailed, fmt.Errorf("planner: vehicle camion-1: no shift")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.PlanWeek(ctx, "2031-W01", 1); err == nil {
		t.Fatal("planning an unknown week: no error")
	}
	res := coord.get(pathCoordJobs + "?semaine=2031-W01")
	mustShow(t, res.Body, "introuvable (semaine 2031-W01 ou son plan)", "échoué", "API")
	if strings.Contains(res.Body, "Message technique") {
		t.Error("a failure with French words is shown as a technical message")
	}
	res = coord.get(pathCoordJobs + "?travail=plan&issue=failed&semaine=" + weekPast)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("history: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	res = coord.get(pathCoordJobs)
	ids := regexp.MustCompile(`<li id="run-(\d+)"`).FindAllStringSubmatch(res.Body, -1)
	all, err := e.st.ListJobRuns(ctx, models.JobRunFilter{}, models.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i := range all {
		if len(ids) != len(all) || ids[i][1] != fmt.Sprint(all[i].ID) {
			t.Fatalf("rows %v, want %d runs, the latest (%d) first", ids, len(all), all[0].ID)
		}
	}
	mustShow(t, res.Body, "Historique des travaux", "rattrapage au démarrage", "planning automatique", "page de la semaine",
		"rien à faire", "aucune semaine à traiter", "échoué", "2,5 s", "Message technique, en anglais :",
		`<span lang="en">planner: vehicle camion-1: no shift</span>`, "Publication", "Planification", `href="/coordination/semaine/`+weekOpen+`"`)

	res = coord.get(pathCoordJobs + "?issue=failed")
	if rows := strings.Count(res.Body, `<li id="run-`); rows != 2 || strings.Contains(res.Body, `data-outcome="ok"`) {
		t.Errorf("failed runs: %d rows, want 2", rows)
	}
	res = coord.get(pathCoordJobs + "?semaine=" + weekOpen + "&travail=plan")
	if rows := strings.Count(res.Body, `<li id="run-`); rows != 1 {
		t.Errorf("plan runs of %s: %d rows, want 1", weekOpen, rows)
	}
	res = coord.get(pathCoordJobs + "?semaine=2031-W02")
	mustShow(t, res.Body, "Aucune exécution ne correspond à ces filtres.")
	for _, bad := range []string{"?issue=done", "?semaine=W49", "?travail=dance", "?page=0"} {
		res := coord.get(pathCoordJobs + bad)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "Il y a un problème") || !strings.Contains(res.Body, `<ol class="runs"`) {
			t.Errorf("%s: %d, want 400 with the problem and the runs", bad, res.StatusCode)
		}
	}
	// Pages of 30, the latest first.
	for i := 0; i < jobRunsShown; i++ {
		r, err := e.st.StartJobRun(ctx, jobs.JobCloseOffers, weekOpen, jobs.TriggerSchedule)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.st.FinishJobRun(ctx, r.ID, models.JobOK, nil); err != nil {
			t.Fatal(err)
		}
	}
	res = coord.get(pathCoordJobs)
	next := hrefs(res.Body, pathCoordJobs+"?page=2")
	if strings.Count(res.Body, `<li id="run-`) != jobRunsShown || len(next) != 1 {
		t.Fatalf("first page: %d rows, next %v", strings.Count(res.Body, `<li id="run-`), next)
	}
	res = coord.get(next[0])
	if !strings.Contains(res.Body, fmt.Sprintf(`<li id="run-%d"`, failed.ID)) || !strings.Contains(res.Body, `rel="prev"`) {
		t.Errorf("page 2 lacks the older runs")
	}
	en := coord.get(pathCoordJobs + "?lang=en&page=2")
	mustShow(t, en.Body, "Job history", "catch-up at start", "no week due", "nothing to do", "week page")
	farmer := e.signIn(t, "demo-ferme-bois-loos", pathFarmer)
	if res := farmer.get(pathCoordJobs); res.StatusCode != http.StatusForbidden {
		t.Errorf("farmer: %d, want 403", res.StatusCode)
	}
}

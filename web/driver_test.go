package web

import (
	"context"
	"html"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"paniers/models"
	"paniers/planner"
	"paniers/planner/sheets"
)

// roundOf finds the index of the first round of vehicle in the week's
// published plan, and its round and stops.
func (e *env) roundOf(t *testing.T, week, vehicle string) (int, sheets.RoundPage) {
	t.Helper()
	in := e.published(t, week)
	for i, rd := range in.Plan.Rounds {
		if rd.Vehicle == vehicle && len(rd.Stops) > 1 {
			rv, err := sheets.RoundView(in, i)
			if err != nil {
				t.Fatal(err)
			}
			return i, rv
		}
	}
	t.Fatalf("week %s has no round of %s with two stops", week, vehicle)
	return 0, sheets.RoundPage{}
}

// rounds are the rounds of the week's published plan.
func (e *env) rounds(t *testing.T, week string) []planner.Round {
	t.Helper()
	return e.published(t, week).Plan.Rounds
}

// published is the documents' input of the week's latest published
// version.
func (e *env) published(t *testing.T, week string) sheets.Input {
	t.Helper()
	ctx := context.Background()
	v, err := e.st.VisibleVersion(ctx, week, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	in, _, err := e.svc.DocumentInput(ctx, week, v)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

var stopRe = regexp.MustCompile(`<li id="arret-(\d+)" class="stop( done)?">`)

// doneStops lists the stops a round page shows ticked.
func doneStops(body string) []string {
	var out []string
	for _, m := range stopRe.FindAllStringSubmatch(body, -1) {
		if m[2] != "" {
			out = append(out, m[1])
		}
	}
	return out
}

// TestDriverPages follows camion-1's driver through the pages: its home
// lists its vehicle's published rounds only; a round shows each stop in
// order with its address, a geo: link, window, arrival and packages as the
// round sheet counts them; a tick is a form post that survives a reload
// and is undone the same way. camion-1's driver cannot see or tick
// camion-2's rounds, an unknown stop is 404, a draft week is 404.
func TestDriverPages(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-camion-1", pathDriver)
	round, rv := e.roundOf(t, weekPast, "camion-1")
	path := roundPath(weekPast, round)

	home := b.get(pathDriver)
	if home.StatusCode != 200 || !strings.Contains(home.Body, "Fourgon frigorifique 20 m³") || !strings.Contains(home.Body, `href="`+path+`"`) {
		t.Fatalf("home: %d\n%s", home.StatusCode, excerpt(home.Body))
	}
	rounds := e.rounds(t, weekPast)
	links := hrefs(home.Body, pathDriverRound)
	mine := 0
	for _, rd := range rounds {
		if rd.Vehicle == "camion-1" {
			mine++
		}
	}
	if len(links) != mine || mine == len(rounds) {
		t.Errorf("home links %v: want camion-1's %d rounds of %d", links, mine, len(rounds))
	}
	for _, l := range links {
		i, err := strconv.Atoi(l[strings.LastIndexByte(l, '/')+1:])
		if err != nil || i >= len(rounds) || rounds[i].Vehicle != "camion-1" {
			t.Errorf("home links %s, not a round of camion-1", l)
		}
	}

	page := b.get(path)
	if page.StatusCode != 200 {
		t.Fatalf("round page: %d\n%s", page.StatusCode, excerpt(page.Body))
	}
	last := 0
	for _, st := range rv.Stops {
		at := strings.Index(page.Body, `id="arret-`+strconv.Itoa(st.N)+`"`)
		if at < last {
			t.Errorf("stop %d is not in order", st.N)
		}
		last = at
		for _, want := range []string{st.Place.Name, st.WindowText, st.Arrive, st.Units} {
			if !strings.Contains(page.Body[at:], html.EscapeString(want)) {
				t.Errorf("stop %d lacks %q", st.N, want)
			}
		}
		for _, p := range st.Packs {
			if !strings.Contains(page.Body[at:], html.EscapeString(p.Quantity)+"</span> "+html.EscapeString(p.Label)) {
				t.Errorf("stop %d lacks the package %q %q", st.N, p.Quantity, p.Label)
			}
		}
	}
	if !strings.Contains(page.Body, `href="geo:`) || strings.Contains(page.Body, "ZgotmplZ") {
		t.Errorf("no geo: link, or an escaped one:\n%s", excerpt(page.Body))
	}
	if got := doneStops(page.Body); len(got) != 0 {
		t.Errorf("ticked before any tick: %v", got)
	}

	// Tick stop 2: the page says so, and a reload (another browser of the
	// same driver, even) shows it ticked.
	form := url.Values{"version": {"1"}, "stop": {"2"}, "delivered": {"1"}}
	res := b.post(path, form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "#arret-2") {
		t.Fatalf("tick: %d %q\n%s", res.StatusCode, res.Header.Get("Location"), excerpt(res.Body))
	}
	after := b.get(res.Header.Get("Location"))
	verb := " : livré à "
	if rv.Collection {
		verb = " : collecté à "
	}
	if !strings.Contains(after.Body, html.EscapeString("Arrêt 2, "+rv.Stops[1].Place.Name+verb)) {
		t.Errorf("no notice after the tick:\n%s", excerpt(after.Body))
	}
	other := e.signIn(t, "demo-camion-1", pathDriver)
	if got := doneStops(other.get(path).Body); strings.Join(got, ",") != "2" {
		t.Errorf("after a reload, ticked stops %v, want [2]", got)
	}
	if rows, _ := e.st.Deliveries(context.Background(), weekPast); len(rows) != 1 || rows[0].Stop != 2 || rows[0].Round != round {
		t.Errorf("stored ticks: %+v", rows)
	}
	// Undo.
	form.Set("delivered", "0")
	if after := b.follow(path, form); len(doneStops(after.Body)) != 0 || !strings.Contains(after.Body, "coche annulée") {
		t.Errorf("after undo: %v\n%s", doneStops(after.Body), excerpt(after.Body))
	}

	// Not camion-2's rounds, not an unknown stop, not a draft.
	r2, _ := e.roundOf(t, weekPast, "camion-2")
	if res := b.get(roundPath(weekPast, r2)); res.StatusCode != http.StatusForbidden {
		t.Errorf("camion-2's round as camion-1: %d", res.StatusCode)
	}
	if res := b.post(roundPath(weekPast, r2), url.Values{"version": {"1"}, "stop": {"1"}, "delivered": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("ticking camion-2's round as camion-1: %d", res.StatusCode)
	}
	for _, f := range []url.Values{{"version": {"1"}, "stop": {"99"}, "delivered": {"1"}}, {"version": {"1"}, "stop": {"x"}}, {"version": {"9"}, "stop": {"1"}, "delivered": {"1"}}} {
		if res := b.post(path, f); res.StatusCode != http.StatusNotFound {
			t.Errorf("tick %v: %d, want 404", f, res.StatusCode)
		}
	}
	for _, p := range []string{roundPath(weekPast, 99), pathDriverRound + weekPast + "/x", pathDriverRound + "2026-W99/0", roundPath(weekOpen, 0)} {
		if res := b.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}
	if rows, _ := e.st.Deliveries(context.Background(), weekPast); len(rows) != 0 {
		t.Errorf("refused ticks stored: %+v", rows)
	}
	// The other roles' pages are not the driver's.
	for _, p := range []string{pathFarmer, pathRelay, pathCook} {
		if res := b.get(p); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s as a driver: %d", p, res.StatusCode)
		}
	}
	// camion-2's driver sees its own rounds, not camion-1's.
	b2 := e.signIn(t, "demo-camion-2", pathDriver)
	if h := b2.get(pathDriver).Body; strings.Contains(h, `href="`+path+`"`) || !strings.Contains(h, `href="`+roundPath(weekPast, r2)+`"`) {
		t.Errorf("camion-2's home:\n%s", excerpt(h))
	}
	if res := b2.get(path); res.StatusCode != http.StatusForbidden {
		t.Errorf("camion-1's round as camion-2: %d", res.StatusCode)
	}
}

// TestDriverDraftsInvisible: a week planned but not published has no round
// for drivers; once published, its rounds appear.
func TestDriverDraftsInvisible(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// Every published week out of the way: W49's plan is re-planned as a
	// draft, which drivers never see; they keep the published version.
	if _, err := e.svc.PlanWeek(ctx, weekOpen, 1); err != nil {
		t.Fatal(err)
	}
	b := e.signIn(t, "demo-camion-1", pathDriver)
	if res := b.get(roundPath(weekOpen, 0)); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "pas publiée") {
		t.Errorf("draft round: %d", res.StatusCode)
	}
	if strings.Contains(b.get(pathDriver).Body, weekOpen) {
		t.Errorf("the home shows the draft week")
	}
	if _, err := e.svc.Publish(ctx, weekOpen); err != nil {
		t.Fatal(err)
	}
	if res := b.get(pathDriver); !strings.Contains(res.Body, "Semaine "+weekOpen) {
		t.Errorf("published week missing from home:\n%s", excerpt(res.Body))
	}
}

// TestDriverNewVersion: a tick sent from a page of version 1 after
// version 2 is published is refused (409) and the driver sees the new
// round, told why; version 1's ticks are shown beside the same places as
// "to check", never as ticks of version 2.
func TestDriverNewVersion(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	b := e.signIn(t, "demo-camion-1", pathDriver)
	round, rv := e.roundOf(t, weekPast, "camion-1")
	path := roundPath(weekPast, round)
	b.follow(path, url.Values{"version": {"1"}, "stop": {"1"}, "delivered": {"1"}})
	// The coordinator changes the week and publishes version 2.
	if _, err := e.st.SetWeekStatus(ctx, weekPast, models.WeekOpen); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.PlanWeek(ctx, weekPast, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Publish(ctx, weekPast); err != nil {
		t.Fatal(err)
	}
	res := b.post(path, url.Values{"version": {"1"}, "stop": {"2"}, "delivered": {"1"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "version 2") || !strings.Contains(res.Body, "n&#39;a pas été enregistrée") {
		t.Fatalf("stale tick: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	rows, _ := e.st.Deliveries(ctx, weekPast)
	if len(rows) != 1 || rows[0].Version != 1 || rows[0].Stop != 1 {
		t.Errorf("ticks after the stale one: %+v", rows)
	}
	page := b.get(path)
	if got := doneStops(page.Body); len(got) != 0 {
		t.Errorf("version 2 shows ticks %v of version 1", got)
	}
	if strings.Contains(page.Body, `name="version" value="1"`) || !strings.Contains(page.Body, `name="version" value="2"`) {
		t.Errorf("version 2's page posts another version")
	}
	// The new round still calls at version 1's first stop: it is marked
	// to check, not ticked.
	at := strings.Index(page.Body, "</span>"+html.EscapeString(rv.Stops[0].Place.Name)+"</h3>")
	if at < 0 {
		t.Fatalf("version 2's round does not call at %s: the test proves nothing", rv.Stops[0].Place.Name)
	}
	if next := strings.Index(page.Body[at:], "</form>"); !strings.Contains(page.Body[at:at+next], "Coché sur la version précédente à 13:00") ||
		!strings.Contains(page.Body, "Les coches de la version précédente ne sont pas reportées") {
		t.Errorf("version 1's tick at %s is not shown to check:\n%s", rv.Stops[0].Place.Name, excerpt(page.Body[at:]))
	}
}

// TestGeoHref: the maps link carries the position and the name, nothing a
// name could smuggle into the page, and nothing without a position.
func TestGeoHref(t *testing.T) {
	got := string(geoHref(sheets.RoundPlace{Name: `Relais "A" & <b>(nord)</b>`, Lat: 50.43, Lon: 2.83, Located: true}))
	want := `href="geo:50.43,2.83?q=50.43,2.83(Relais%20%22A%22%20%26%20%3Cb%3E%28nord%29%3C%2Fb%3E)"`
	if got != want {
		t.Errorf("geoHref = %s\nwant      %s", got, want)
	}
	for _, pl := range []sheets.RoundPlace{{Name: "x"}, {Name: "x", Lat: math.NaN(), Located: true}, {Name: "x", Lat: 91, Located: true}} {
		if g := geoHref(pl); g != "" {
			t.Errorf("%+v: %s, want none", pl, g)
		}
	}
}

// TestDriverChoosesVehicle: a driver of every vehicle (and the
// coordinator) first chooses the vehicle, then gets its rounds; in English
// with the language switch.
func TestDriverChoosesVehicle(t *testing.T) {
	e := newEnv(t)
	if _, err := e.st.EnsureToken(context.Background(), "test-driver-all", models.RoleDriver, "", "Remplaçant"); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"test-driver-all", models.DemoCoordinatorToken} {
		home := pathDriver
		if tok == models.DemoCoordinatorToken {
			home = "/"
		}
		b := e.signIn(t, tok, home)
		choose := b.get(pathDriver)
		if choose.StatusCode != 200 || !strings.Contains(choose.Body, "Quel véhicule conduisez-vous ?") ||
			!strings.Contains(choose.Body, "Fourgon 12 m³") || len(hrefs(choose.Body, pathDriverRound)) != 0 {
			t.Fatalf("%s: chooser %d\n%s", tok, choose.StatusCode, excerpt(choose.Body))
		}
		list := b.get(pathDriver + "?vehicule=camion-2&lang=en")
		links := hrefs(list.Body, pathDriverRound)
		if len(links) == 0 || !strings.Contains(list.Body, "My rounds") || !strings.Contains(list.Body, "Choose another vehicle") {
			t.Fatalf("%s: camion-2's rounds:\n%s", tok, excerpt(list.Body))
		}
		rounds := e.rounds(t, weekPast)
		for _, l := range links {
			i, _ := strconv.Atoi(l[strings.LastIndexByte(l, '/')+1:])
			if rounds[i].Vehicle != "camion-2" {
				t.Errorf("%s: camion-2's list links round %d of %s", tok, i, rounds[i].Vehicle)
			}
		}
		page := b.get(links[0])
		if page.StatusCode != 200 || !strings.Contains(page.Body, "Open in the maps app") || !strings.Contains(page.Body, "Back to my rounds") {
			t.Errorf("%s: round page in English: %d\n%s", tok, page.StatusCode, excerpt(page.Body))
		}
		if res := b.follow(links[0], url.Values{"version": {"1"}, "stop": {"1"}, "delivered": {"1"}}); len(doneStops(res.Body)) != 1 {
			t.Errorf("%s: tick not shown", tok)
		}
		b.follow(links[0], url.Values{"version": {"1"}, "stop": {"1"}, "delivered": {"0"}})
	}
}

// TestDriverLatestWeek: when neither this week nor the next is published
// (the demo read a year later), the home shows the latest published week,
// saying so.
func TestDriverLatestWeek(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-camion-1", pathDriver)
	if h := b.get(pathDriver).Body; strings.Contains(h, "voici la dernière semaine publiée") || !strings.Contains(h, "Semaine "+weekPast) {
		t.Errorf("home in week 48:\n%s", excerpt(h))
	}
	e.clock.Set(e.clock.Now().AddDate(1, 0, 0))
	b = e.signIn(t, "demo-camion-1", pathDriver) // the session has expired
	if h := b.get(pathDriver).Body; !strings.Contains(h, "voici la dernière semaine publiée") || !strings.Contains(h, "Semaine "+weekPast) {
		t.Errorf("home a year later:\n%s", excerpt(h))
	}
}

// republish stores and publishes a new version of the week's plan made
// from the published one by change, with the same input.
func (e *env) republish(t *testing.T, week string, change func(*planner.Plan)) int {
	t.Helper()
	ctx := context.Background()
	v, err := e.st.VisibleVersion(ctx, week, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := e.st.CurrentPlan(ctx, week)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := sp.Plan()
	if err != nil {
		t.Fatal(err)
	}
	change(&plan)
	in, err := e.st.GetPlanInput(ctx, week, v)
	if err != nil {
		t.Fatal(err)
	}
	next, err := e.st.SavePlanVersion(ctx, week, plan, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.st.PublishVersion(ctx, week, next.Version, models.DefaultManneRate); err != nil {
		t.Fatal(err)
	}
	return next.Version
}

// TestDriverStopsReordered: version 2 visits camion-1's stops in the
// reverse order, and version 3 swaps the rounds so that camion-1's round
// number is camion-2's. A tick of version 1's first stop never becomes a
// tick of version 2's first stop (another place); the old tick is shown
// at its place, to check; a tick sent from a page of an older version is
// refused, with the new round when it is still camion-1's, with a page
// saying why when the number now names camion-2's round.
func TestDriverStopsReordered(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	b := e.signIn(t, "demo-camion-1", pathDriver)
	round, rv := e.roundOf(t, weekPast, "camion-1")
	path := roundPath(weekPast, round)
	first, lastN := rv.Stops[0].Place, len(rv.Stops)
	b.follow(path, url.Values{"version": {"1"}, "stop": {"1"}, "delivered": {"1"}})

	v2 := e.republish(t, weekPast, func(p *planner.Plan) { slices.Reverse(p.Rounds[round].Stops) })
	page := b.get(path)
	if got := doneStops(page.Body); len(got) != 0 {
		t.Errorf("version %d shows ticks %v", v2, got)
	}
	at := strings.Index(page.Body, `id="arret-`+strconv.Itoa(lastN)+`"`)
	if at < 0 || !strings.Contains(page.Body[at:], html.EscapeString(first.Name)) || !strings.Contains(page.Body[at:], "Coché sur la version précédente") {
		t.Errorf("version 1's tick at %s is not shown at stop %d of version %d", first.Name, lastN, v2)
	}
	if strings.Count(page.Body, "Coché sur la version précédente") != 1 {
		t.Errorf("the old tick is shown %d times", strings.Count(page.Body, "Coché sur la version précédente"))
	}
	// A tick from version 1's page, for its stop 2: refused, the new round
	// shown with the reason.
	res := b.post(path, url.Values{"version": {"1"}, "stop": {"2"}, "delivered": {"1"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "error-summary") || !strings.Contains(res.Body, `name="version" value="`+strconv.Itoa(v2)+`"`) {
		t.Errorf("stale tick, same vehicle: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	// Version 3: camion-1's round number now names camion-2's round.
	other, _ := e.roundOf(t, weekPast, "camion-2")
	v3 := e.republish(t, weekPast, func(p *planner.Plan) { p.Rounds[round], p.Rounds[other] = p.Rounds[other], p.Rounds[round] })
	res = b.post(path, url.Values{"version": {strconv.Itoa(v2)}, "stop": {"1"}, "delivered": {"1"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "version "+strconv.Itoa(v3)) || strings.Contains(res.Body, `name="stop"`) {
		t.Errorf("stale tick, the number now another vehicle's: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	if res := b.get(path); res.StatusCode != http.StatusForbidden {
		t.Errorf("camion-2's round under camion-1's old number: %d", res.StatusCode)
	}
	if !strings.Contains(b.get(pathDriver).Body, `href="`+roundPath(weekPast, other)+`"`) {
		t.Errorf("the home does not lead to camion-1's round under its new number %d", other)
	}
	rows, _ := e.st.Deliveries(ctx, weekPast)
	if len(rows) != 1 || rows[0].Version != 1 || rows[0].PlaceID != first.ID {
		t.Errorf("stored ticks: %+v; want version 1's only", rows)
	}
}

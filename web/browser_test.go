package web

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The browser tests drive each role's main flow in a real headless
// Chromium at a phone's width (390 px), as a person would: open the
// sign-in link, fill the form, submit, read what was stored. On every page
// they check that nothing scrolls sideways and that axe-core finds no
// serious or critical accessibility violation.
//
// Chromium: PANIERS_CHROMIUM, else chromium on PATH (Debian's package);
// axe-core: PANIERS_AXE, else .cache/npm/axe-core/node_modules/axe-core/
// axe.min.js at the repository's root or in $HOME/.cache/paniers. .ci/run
// installs both.
// Without them the tests skip, unless CI is set: then they fail.
//
// PANIERS_SCREENSHOTS=1 refreshes docs/screenshots/ (each role's page at
// phone width), shown in the README.

const phoneWidth, phoneHeight = 390, 844

// chromiumPath finds the browser, or skips (fails under CI).
func chromiumPath(t *testing.T) string {
	if p := os.Getenv("PANIERS_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is missing (CI is set): .ci/run installs it")
	}
	t.Skip("chromium is missing: install Debian's chromium to run the browser tests")
	return ""
}

// axeSource reads axe-core, or skips (fails under CI).
func axeSource(t *testing.T) string {
	var cands []string
	if p := os.Getenv("PANIERS_AXE"); p != "" {
		cands = append(cands, p)
	}
	cands = append(cands, filepath.Join("..", ".cache", "npm", "axe-core", "node_modules", "axe-core", "axe.min.js"))
	if home, err := os.UserHomeDir(); err == nil {
		cands = append(cands, filepath.Join(home, ".cache", "paniers", "npm", "axe-core", "node_modules", "axe-core", "axe.min.js"))
	}
	for _, p := range cands {
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("axe-core is missing (CI is set; looked in %v): .ci/run installs it", cands)
	}
	t.Skipf("axe-core is missing (looked in %v): npm install axe-core into .cache/", cands)
	return ""
}

// tab is one browser tab at phone size.
type tab struct {
	t   *testing.T
	ctx context.Context
	axe string
}

func newTab(t *testing.T) *tab {
	path := chromiumPath(t)
	axe := axeSource(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(phoneWidth, phoneHeight),
		// A French phone: the pages negotiate the language.
		chromedp.Flag("accept-lang", "fr-FR,fr"),
		chromedp.Flag("lang", "fr-FR"),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	// The first run starts the browser: no timeout on it.
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(phoneWidth, phoneHeight),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			// axe-core is injected by the test, not served by paniers: the
			// pages' Content-Security-Policy would (rightly) refuse it.
			_, err := cdp.Call(ctx, tg, cdppage.SetBypassCSP, cdppage.SetBypassCSPParams{Enabled: true})
			return err
		}),
	); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return &tab{t: t, ctx: ctx, axe: axe}
}

// do runs steps with a timeout.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func evaluate[T any](b *tab, expr string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		b.t.Fatalf("evaluate %.60s: %v", expr, err)
	}
	return v
}

// text is the visible text of the page's main element.
func (b *tab) text() string {
	return evaluate[string](b, `document.querySelector("main").innerText`)
}

// mustSee checks the page says each text.
func (b *tab) mustSee(texts ...string) {
	b.t.Helper()
	got := b.text()
	for _, s := range texts {
		if !strings.Contains(got, s) {
			b.t.Errorf("page %s does not say %q; it says:\n%.2000s", b.url(), s, got)
		}
	}
}

func (b *tab) url() string { return evaluate[string](b, `location.pathname + location.search`) }

// check verifies the page in view: nothing scrolls sideways at 390 px,
// and axe-core finds no serious or critical violation.
func (b *tab) check(name string) { b.t.Helper(); b.checkAt(name, phoneWidth) }

// checkAt is check with the viewport width the tab was set to.
func (b *tab) checkAt(name string, width int) {
	b.t.Helper()
	sw := evaluate[int](b, `document.documentElement.scrollWidth`)
	if sw > width {
		wide := evaluate[string](b, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > `+fmt.Sprint(width)+`).slice(0, 5).map(e => e.tagName + "." + e.className).join(", ")`)
		b.t.Errorf("%s: the page is %d px wide at %d px: it scrolls sideways (%s)", name, sw, width, wide)
	}
	// The header's links and buttons (language, sign out) are tapped on
	// a phone too: 44 px at least, as every other target.
	if small := evaluate[string](b, `Array.from(document.querySelectorAll("header.top a, header.top button")).filter(e => {
		const r = e.getBoundingClientRect(); return r.height < 44 || r.width < 44 }).map(e => e.textContent.trim().slice(0, 30)).join(" | ")`); small != "" {
		b.t.Errorf("%s: header targets under 44 px: %s", name, small)
	}
	evaluate[chromedp.Void](b, b.axe)
	raw := evaluate[string](b, `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
		 .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))))`, chromedp.EvalAwaitPromise)
	var violations []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	if err := json.Unmarshal([]byte(raw), &violations); err != nil {
		b.t.Fatalf("%s: axe result %q: %v", name, raw, err)
	}
	for _, v := range violations {
		b.t.Errorf("%s: axe %s (%s): %s at %v", name, v.ID, v.Impact, v.Help, v.Nodes)
	}
}

// screenshot saves the page at phone width in docs/screenshots/ when
// PANIERS_SCREENSHOTS is set.
func (b *tab) screenshot(name string) {
	if os.Getenv("PANIERS_SCREENSHOTS") == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// screenshotView saves only what a phone shows at first (390 × 844), for a
// page too long to picture whole.
func (b *tab) screenshotView(name string) {
	if os.Getenv("PANIERS_SCREENSHOTS") == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "screenshots", name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// submit clicks a button and waits for the next page.
func (b *tab) submit(sel string) {
	b.t.Helper()
	evaluate[float64](b, `window.__paniersPage = Math.random()`)
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	// Wait for the next page: the marker is gone once it has loaded. The
	// evaluation fails while the navigation is under way; try again.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__paniersPage === undefined && document.readyState === "complete"`))
		cancel()
		if err == nil && done {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("click %s: no new page within 30 s", sel)
}

func (b *tab) open(u string) {
	b.t.Helper()
	b.do("open "+u, chromedp.Navigate(u))
}

func (b *tab) set(sel, value string) {
	b.t.Helper()
	b.do("set "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

func TestBrowserFarmer(t *testing.T) {
	e := newEnv(t)
	b := newTab(t)
	b.open(e.srv.URL + pathSignIn)
	b.check("sign-in page")
	b.screenshot("signin")
	b.open(e.link(t, "demo-ferme-bois-loos"))
	if u := b.url(); u != pathFarmer {
		t.Fatalf("the sign-in link led to %s", u)
	}
	b.mustSee("Mon offre", "pour proposer", "Reprendre la semaine dernière", "Liste de préparation")
	b.check("farmer page")
	b.screenshot("farmer")
	// A usual week, a little bigger: change two fields, one tap.
	b.set(`#f-quantity-carotte`, "130")
	b.set(`#f-price-carotte`, "1,95")
	b.submit(`form.offer button.primary`)
	b.mustSee("Offre enregistrée : 130 kg de carottes à 1,95 € / kg HT", "poireaux")
	b.check("farmer page after saving")
	// A typing error: the summary at the top, the message beside the
	// field, the value kept.
	b.set(`#f-quantity-poireau`, "12,55")
	b.submit(`form.offer button.primary`)
	b.mustSee("Il y a un problème", "doit être un multiple de 0,1 kg")
	if v := evaluate[string](b, `document.querySelector("#f-quantity-poireau").value`); v != "12,55" {
		t.Errorf("typed value lost: %q", v)
	}
	if f := evaluate[string](b, `document.activeElement.id`); f != "error-summary" {
		t.Errorf("focus on %q, want the error summary", f)
	}
	b.check("farmer page with errors")
	// The preparation list opens in the signed-in browser.
	pdf := evaluate[string](b, `(document.querySelector("a[href*='preparation-list'][href$='.pdf'], a[href*='preparation-list'][href*='.pdf?']") || {}).href || ""`)
	if pdf == "" {
		t.Fatal("no preparation list PDF link")
	}
	status := evaluate[int](b, `fetch(`+jsString(pdf)+`).then(r => r.status)`, chromedp.EvalAwaitPromise)
	if status != 200 {
		t.Errorf("the preparation list from the page: %d", status)
	}
	// English, remembered.
	b.open(e.srv.URL + pathFarmer + "?lang=en")
	b.mustSee("My offer", "Preparation list")
	b.open(e.srv.URL + pathFarmer)
	if l := evaluate[string](b, `document.documentElement.lang`); l != "en" {
		t.Errorf("lang %q after ?lang=en, want en remembered", l)
	}
	b.check("farmer page in English")
}

func TestBrowserRelay(t *testing.T) {
	e := newEnv(t)
	b := newTab(t)
	b.open(e.link(t, "demo-relais-loos"))
	b.mustSee("Retrait du mardi 1er décembre", "Extras de la semaine", "Foyers et abonnements")
	b.check("relay page")
	b.screenshot("relay")
	// The pick-up card opens on its title, no empty band above it.
	if gap := evaluate[float64](b, `document.querySelector("#pickup-title").getBoundingClientRect().top - document.querySelector("#pickup-title").closest(".card").getBoundingClientRect().top`); gap > 20 {
		t.Errorf("pick-up card: its title starts %.0f px below the card's top", gap)
	}
	// A household's two buttons, "Modifier" (a link) and "Mettre en
	// pause" (a form), read as one row: the same height, the words centred.
	if d := evaluate[string](b, `(() => { const a = document.querySelector(".households .actions a.button"), f = document.querySelector(".households .actions button");
		const ra = a.getBoundingClientRect(), rf = f.getBoundingClientRect(), range = document.createRange(); range.selectNodeContents(a.firstChild);
		const t = range.getBoundingClientRect(), gap = (t.top - ra.top) - (ra.bottom - t.bottom);
		return Math.abs(ra.height - rf.height) > 2 || Math.abs(gap) > 4 ? "link " + ra.height + " px, button " + rf.height + " px, text off centre by " + gap : "" })()`); d != "" {
		t.Errorf("household actions: %s", d)
	}
	b.do("choose eggs", chromedp.SetValue(chromedp.CSS(`#f-product`), "oeuf"), chromedp.SetValue(chromedp.CSS(`#f-household`), "relais-loos-f03"))
	b.set(`#f-quantity`, "12")
	b.submit(`form[action="/relais/extras"] button.primary`)
	b.mustSee("Extra enregistré : 12 pièces d'œufs pour Famille Dubois")
	// The counter.
	b.open(e.srv.URL + pathPickup + "?semaine=" + weekPast)
	b.mustSee("Reste à venir : 18 / 18")
	b.check("pick-up checklist")
	b.screenshot("pickup")
	b.submit(`#h-relais-loos-f01 button.tick`)
	b.mustSee("Reste à venir : 17 / 18")
	if p := evaluate[string](b, `document.querySelector("#h-relais-loos-f01 button.tick").getAttribute("aria-pressed")`); p != "true" {
		t.Errorf("ticked box aria-pressed=%q", p)
	}
	// The search box filters as one types (and, without JavaScript, on
	// submit; see TestPickupChecklist).
	b.do("type a name", chromedp.SendKeys(chromedp.CSS(`#f-q`), "dubo"))
	if n := evaluate[int](b, `document.querySelectorAll(".pickup li:not([hidden])").length`); n != 1 {
		t.Errorf("%d households shown for «dubo», want 1", n)
	}
	b.check("pick-up checklist, searching")
	// Pause a subscription in one tap.
	b.open(e.srv.URL + pathRelay)
	b.submit(`form[action="/relais/foyers/relais-loos-f01/pause"] button`)
	b.mustSee("Foyer enregistré : Famille Martin – Panier moyen × 1, en pause.")
	b.check("relay page after a change")
	// The household form.
	b.open(e.srv.URL + pathRelay + "/foyers/relais-loos-f02")
	b.check("household page")
	// The pause box beside its long label keeps its size (28 px).
	if w := evaluate[float64](b, `document.querySelector("#f-paused").getBoundingClientRect().width`); w < 27 {
		t.Errorf("the pause checkbox is %.0f px wide", w)
	}
}

func TestBrowserCook(t *testing.T) {
	e := newEnv(t)
	b := newTab(t)
	b.open(e.link(t, "demo-cantine-ferry"))
	b.mustSee("Bon de livraison", "Part bio en valeur : ", "Commander les repas")
	b.check("cook page")
	b.screenshot("cook")
	b.set(`#f-date`, "2026-12-10")
	b.set(`#f-covers-maternelle`, "105")
	b.do("tick dishes", chromedp.Click(chromedp.CSS(`#f-dish-carotte`)), chromedp.Click(chromedp.CSS(`#f-dish-pomme`)))
	b.submit(`form[action="/cantine/repas"] button.primary`)
	b.mustSee("Commande de repas enregistrée : jeudi 10 décembre, 105 maternelle", "Produits à livrer")
	b.check("cook page after ordering")
}

// TestBrowserMembers: the coordinator opens the members page, adds a new
// farm with its farmer (a mistake first, told beside the field), gets the
// farmer's sign-in link to copy, and the link opens the farmer's page.
func TestBrowserMembers(t *testing.T) {
	e := newEnv(t)
	b := newTab(t)
	b.open(e.link(t, "demo-coordinateur"))
	b.open(e.srv.URL + pathMembers)
	b.mustSee("Fermes", "Points relais", "Cantines", "Véhicules et chauffeurs", "Ferme du Bois de Loos (démo)", "Connecté sur 1 appareil")
	b.check("members page")
	b.screenshotView("members-list")
	b.submit(`a[href="/coordination/membres/nouvelle-ferme"]`)
	b.set(`#f-name`, "Ferme de l'Étang")
	b.set(`#f-person`, "Jeanne Lefebvre")
	b.set(`#f-place`, "Liévin")
	b.set(`#f-lat`, "50,4231")
	b.set(`#f-lon`, "deux")
	b.check("new farm form")
	b.submit(`form[action$="/nouvelle-ferme"] button.primary`)
	b.mustSee("Il y a un problème", "Indiquez la longitude en degrés décimaux")
	if v := evaluate[string](b, `document.querySelector("#f-lat").value`); v != "50,4231" {
		t.Errorf("typed latitude lost: %q", v)
	}
	b.check("new farm form with errors")
	b.screenshot("members-farm-errors")
	b.set(`#f-lon`, "2,7788")
	b.submit(`form[action$="/nouvelle-ferme"] button.primary`)
	b.mustSee("Ferme enregistrée : Ferme de l'Étang, avec l'accès de Jeanne Lefebvre.", "Envoyez-le par SMS ou par e-mail", "7 jours")
	link := evaluate[string](b, `document.querySelector("#f-link").value`)
	if !strings.HasPrefix(link, e.srv.URL+"/connexion/pl_") {
		t.Fatalf("the link shown: %q", link)
	}
	if ro := evaluate[bool](b, `document.querySelector("#f-link").readOnly`); !ro {
		t.Errorf("the link's field is not read-only")
	}
	b.check("new farmer's sign-in link")
	b.screenshot("members-link")
	// The farmer's phone: the link opens the farm's page.
	phone := newTab(t)
	phone.open(link)
	if u := phone.url(); u != pathFarmer {
		t.Fatalf("the new farmer's link led to %s", u)
	}
	phone.mustSee("Mon offre")
	if who := evaluate[string](phone, `(document.querySelector(".who") || {}).innerText || ""`); !strings.Contains(who, "Ferme de l'Étang") {
		t.Errorf("the farmer's page is for %q", who)
	}
	// Back on the members page, the farmer is signed in.
	b.open(e.srv.URL + pathMembers + "#p-ferme-de-l-etang")
	if got := evaluate[string](b, `document.querySelector("#p-ferme-de-l-etang").innerText`); !strings.Contains(got, "Jeanne Lefebvre") || !strings.Contains(got, "Connecté sur 1 appareil") {
		t.Errorf("the farm's card says %q", got)
	}
}

// TestBrowserCatalogue: the coordinator changes a product's portions and
// a basket's price from the catalogue, sees a refused price beside its
// field with what was typed kept, and moves a week's cutoff on the
// calendar; the tables stay usable at 390 px (they scroll inside their
// captioned region, the page does not).
func TestBrowserCatalogue(t *testing.T) {
	e := newEnv(t)
	b := newTab(t)
	b.open(e.link(t, "demo-coordinateur"))
	b.open(e.srv.URL + pathCatalogue)
	b.mustSee("Produits", "Types de panier", "Véhicules", "Grand panier – 22,00 €", "semaines pas encore planifiées")
	// The products table keeps its columns and scrolls inside its region.
	if w := evaluate[int](b, `document.querySelector(".table-wrap").scrollWidth > document.querySelector(".table-wrap").clientWidth ? 1 : 0`); w != 1 {
		t.Errorf("the products table does not scroll inside its region at %d px", phoneWidth)
	}
	// No header is cut inside a word ("Catégo/rie"): a word of a th keeps
	// to one line.
	if cut := evaluate[string](b, `Array.from(document.querySelectorAll("th")).flatMap(th => {
		const out = [], w = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
		for (let n; (n = w.nextNode());) for (const m of n.data.matchAll(/\S+/g)) {
			const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
			if (new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size > 1) out.push(m[0]);
		}
		return out;
	}).join(" | ")`); cut != "" {
		t.Errorf("table headers cut inside a word at %d px: %s", phoneWidth, cut)
	}
	b.check("catalogue")
	b.screenshot("catalogue")
	b.submit(`a[href="` + pathProducts + `/carotte"]`)
	b.mustSee("Portion minimale par panier", "Vide : sans maximum.")
	b.check("product form")
	b.screenshot("catalogue-product")
	b.set(`#f-basket_max`, "2")
	b.submit(`form button.primary`)
	b.mustSee("Produit enregistré : Carottes – légumes, pas de 0,1 kg, 0,5 à 2 kg par panier.")
	b.submit(`a[href="` + pathBaskets + `/grand"]`)
	b.set(`#f-price`, "22,001")
	b.submit(`form button.primary`)
	b.mustSee("Il y a un problème", "Indiquez un prix en euros avec deux décimales au plus")
	if v := evaluate[string](b, `document.querySelector("#f-price").value`); v != "22,001" {
		t.Errorf("typed price lost: %q", v)
	}
	b.check("basket form with an error")
	b.screenshot("catalogue-basket-error")
	b.set(`#f-price`, "24,50")
	b.submit(`form button.primary`)
	b.mustSee("Panier enregistré : Grand panier – 24,50 €")
	// The calendar.
	b.open(e.srv.URL + pathCalendar)
	b.mustSee("Semaine 2026-W50 – ouverte", "mercredi 2 décembre 2026, 20\u00a0h\u00a000", "Créer la semaine suivante")
	b.check("calendar")
	b.screenshot("calendar")
	b.submit(`a[href="` + pathCalendar + `/` + weekOpen + `"]`)
	b.check("week's calendar form")
	b.screenshot("calendar-week")
	b.set(`#f-offer_cutoff`, "2026-12-01T18:00")
	b.submit(`form button.primary`)
	b.mustSee("offres jusqu'au mardi 1er décembre 2026, 18\u00a0h\u00a000")
	b.submit(`form[action="` + pathCalendar + `"] button.primary`)
	b.mustSee("Semaine 2026-W51 enregistrée (ouverte)")
	b.check("calendar after creating a week")
}

func jsString(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestBrowserDriver: camion-1's driver opens the sign-in link on the
// published demo week, opens a round on the phone and ticks the first
// stop; every button is a big enough target.
func TestBrowserDriver(t *testing.T) {
	e := newEnv(t)
	b := newTab(t)
	b.open(e.link(t, "demo-camion-1"))
	if u := b.url(); u != pathDriver {
		t.Fatalf("the sign-in link led to %s", u)
	}
	b.mustSee("Mes tournées", "Semaine "+weekPast, "arrêts")
	b.check("driver's home")
	b.screenshot("driver-home")
	b.submit(`a.round[data-kind=delivery]`)
	b.mustSee("Ouvrir dans l'appli de cartes", "Créneau", "Arrivée prévue", "Reste :", "À décharger", "paniers")
	b.check("driver's round")
	total := evaluate[int](b, `document.querySelectorAll("ol.stops > li").length`)
	b.submit(`#arret-1 button.deliver`)
	b.mustSee("Arrêt 1, ", " : livré à ", fmt.Sprintf("Reste : %d / %d arrêts", total-1, total))
	if n := evaluate[int](b, `document.querySelectorAll("ol.stops > li.done").length`); n != 1 {
		t.Errorf("%d stops ticked on screen, want 1", n)
	}
	if h := evaluate[string](b, `location.hash`); h != "#arret-1" {
		t.Errorf("after the tick the page is at %q, want the stop", h)
	}
	small := evaluate[string](b, `Array.from(document.querySelectorAll("main button, main a.button, main a.round")).filter(e => {
		const r = e.getBoundingClientRect(); return r.height < 44 || r.width < 44 }).map(e => e.textContent.trim().slice(0, 30)).join(" | ")`)
	if small != "" {
		t.Errorf("tap targets under 44 px: %s", small)
	}
	if g := evaluate[string](b, `(document.querySelector("a.maps") || {}).href || ""`); !strings.HasPrefix(g, "geo:") || !strings.Contains(g, "?q=") {
		t.Errorf("maps link %q", g)
	}
	b.check("driver's round after a tick")
	b.screenshot("driver-round")
	// Undo, in English.
	b.open(e.srv.URL + b.url() + "&lang=en")
	b.mustSee("Open in the maps app", "Undo the tick")
	b.submit(`#arret-1 button.undo`)
	b.mustSee("tick undone", fmt.Sprintf("Left: %d / %d stops", total, total))
	b.check("driver's round in English")
}

package web

import (
	"bytes"
	"context"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"paniers/internal/access"
	"paniers/models"
)

// linkRe finds a sign-in link shown on a page.
var linkRe = regexp.MustCompile(`<textarea id="f-link"[^>]*>(https?://[^<]+` + regexp.QuoteMeta(access.SignInPath) + `pl_[^<]+)</textarea>`)

// shownLink is the sign-in link a page shows, or "".
func shownLink(body string) string {
	if m := linkRe.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// code is a sign-in link's secret part.
func code(link string) string { return link[strings.LastIndex(link, "/")+1:] }

var keyRe = regexp.MustCompile(`name="key" value="([^"]+)"`)

// formKeyIn is the first idempotency key of a page's forms.
func formKeyIn(t *testing.T, body string) string {
	t.Helper()
	m := keyRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form key on the page:\n%s", excerpt(body))
	}
	return m[1]
}

// tokenNamed finds a stored token by name.
func tokenNamed(t *testing.T, e *env, name string) models.Token {
	t.Helper()
	toks, err := e.st.ListTokens(context.Background(), models.Page{Limit: models.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks {
		if tok.Name == name {
			return tok
		}
	}
	t.Fatalf("no token named %q", name)
	return models.Token{}
}

func tokenPath(tok models.Token, action string) string {
	return pathMembers + "/acces/" + strconv.FormatUint(tok.ID, 10) + "/" + action
}

// TestMembersScope: only the coordinator reaches the members pages; anyone
// else gets 403 and a post from another site is refused, changing nothing.
func TestMembersScope(t *testing.T) {
	e := newEnv(t)
	farmerTok := e.token(t, "demo-ferme-bois-loos")
	before, _ := e.st.ListTokens(context.Background(), models.Page{Limit: models.MaxLimit})
	for _, who := range []struct{ token, home string }{
		{"demo-ferme-bois-loos", pathFarmer}, {"demo-relais-loos", pathRelay}, {"demo-cantine-ferry", pathCook},
	} {
		b := e.signIn(t, who.token, who.home)
		for _, path := range []string{pathMembers, pathMembers + "/nouvelle-ferme", pathMembers + "/nouvel-acces", tokenPath(farmerTok, "revoquer")} {
			if res := b.get(path); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", who.token, path, res.StatusCode)
			}
		}
		for _, post := range []struct {
			path string
			form url.Values
		}{
			{tokenPath(farmerTok, "lien"), url.Values{}},
			{tokenPath(farmerTok, "revoquer"), url.Values{}},
			{pathMembers + "/nouvel-acces", url.Values{"for": {"coordinator:"}, "name": {"Moi"}}},
			{pathMembers + "/nouvelle-ferme", url.Values{"name": {"Ferme Pirate"}, "lat": {"50"}, "lon": {"2"}, "window_start": {"08:00"}, "window_end": {"12:00"}, "service_min": {"10"}}},
		} {
			res := b.post(post.path, post.form)
			if res.StatusCode != http.StatusForbidden || shownLink(res.Body) != "" {
				t.Errorf("%s POST %s: %d, want 403 and no link", who.token, post.path, res.StatusCode)
			}
		}
	}
	// Not signed in: the sign-in page, coming back here.
	anon := e.browser(t)
	if res := anon.get(pathMembers); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), pathSignIn+"?next=") {
		t.Errorf("anonymous: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "", "Origin", "https://evil.example"}} {
		if res := coord.post(tokenPath(farmerTok, "revoquer"), url.Values{}, h...); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site revoke %v: %d, want 403", h, res.StatusCode)
		}
		if res := coord.post(tokenPath(farmerTok, "lien"), url.Values{}, h...); res.StatusCode != http.StatusForbidden || shownLink(res.Body) != "" {
			t.Errorf("cross-site link %v: %d, want 403", h, res.StatusCode)
		}
	}
	after, _ := e.st.ListTokens(context.Background(), models.Page{Limit: models.MaxLimit})
	if len(after) != len(before) {
		t.Errorf("%d tokens after refused posts, want %d", len(after), len(before))
	}
	if uses, _ := e.st.TokenUses(context.Background()); uses[farmerTok.ID].Links != 0 {
		t.Errorf("a refused post made a link: %+v", uses[farmerTok.ID])
	}
}

// TestMembersPage: every place with its people, each person's use, the
// coordinator's own access marked; English too.
func TestMembersPage(t *testing.T) {
	e := newEnv(t)
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	if home := coord.get("/"); !strings.Contains(home.Body, `href="`+pathMembers+`"`) {
		t.Errorf("the coordinator's home does not link to the members page")
	}
	res := coord.get(pathMembers)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("members page: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	mustShow(t, res.Body, "Fermes", "Points relais", "Cantines", "Véhicules et chauffeurs", "Coordination",
		"Ferme du Bois de Loos (démo)", "Loos-en-Gohelle · identifiant ferme-bois-loos", "Connecté sur 1 appareil", "Connecté nulle part", `<span class="tag">vous</span>`)
	toks, _ := e.st.ListTokens(context.Background(), models.Page{Limit: models.MaxLimit})
	for _, tok := range toks {
		if !strings.Contains(res.Body, `id="t-`+strconv.FormatUint(tok.ID, 10)+`"`) {
			t.Errorf("token %d (%s) not listed", tok.ID, tok.Name)
		}
		if !strings.Contains(res.Body, `action="`+tokenPath(tok, "lien")+`"`) || !strings.Contains(res.Body, `href="`+tokenPath(tok, "revoquer")+`"`) {
			t.Errorf("token %d has no link or revoke action", tok.ID)
		}
	}
	if n := strings.Count(res.Body, `<span class="tag">vous</span>`); n != 1 {
		t.Errorf("%d accesses marked as the coordinator's own, want 1", n)
	}
	// A farm's card holds its farmer.
	farm := res.Body[strings.Index(res.Body, `id="p-ferme-bois-loos"`):]
	farm = farm[:strings.Index(farm[1:], `class="card"`)+1]
	if !strings.Contains(farm, "Ferme du Bois de Loos (démo)") {
		t.Errorf("the farm's card lacks its farmer:\n%s", farm)
	}
	en := coord.get(pathMembers + "?lang=en")
	mustShow(t, en.Body, "Farms", "Relay points", "Vehicles and drivers", "New sign-in link", "Not signed in anywhere")
}

// TestMembersLinkShownOnce: a new sign-in link is shown once, uncached,
// never in an address or the log; the same form sent again (a reload)
// shows none and makes none; the link signs the person in once.
func TestMembersLinkShownOnce(t *testing.T) {
	e := newEnv(t)
	var logs bytes.Buffer
	e.site.log = slog.New(slog.NewTextHandler(&logs, nil))
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	tok := e.token(t, "demo-relais-loos")
	page := coord.get(pathMembers)
	row := page.Body[strings.Index(page.Body, `id="t-`+strconv.FormatUint(tok.ID, 10)+`"`):]
	key := formKeyIn(t, row)

	res := coord.post(tokenPath(tok, "lien"), url.Values{"key": {key}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("new link: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	link := shownLink(res.Body)
	if link == "" || !strings.HasPrefix(link, e.srv.URL+access.SignInPath) {
		t.Fatalf("no sign-in link shown:\n%s", excerpt(res.Body))
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	if res.Header.Get("Location") != "" {
		t.Errorf("the answer redirects to %q", res.Header.Get("Location"))
	}
	mustShow(t, res.Body, "Envoyez-le par SMS ou par e-mail. Il marche une seule fois, pendant 7 jours", "readonly", "Relais")
	if strings.Count(res.Body, code(link)) != 1 {
		t.Errorf("the link's code appears %d times on the page, want once", strings.Count(res.Body, code(link)))
	}
	if strings.Contains(logs.String(), code(link)) {
		t.Errorf("the link's code is in the log:\n%s", logs.String())
	}
	// A reload sends the same form again: no link shown, none made.
	uses, _ := e.st.TokenUses(context.Background())
	again := coord.post(tokenPath(tok, "lien"), url.Values{"key": {key}})
	if again.StatusCode != http.StatusConflict || shownLink(again.Body) != "" || strings.Contains(again.Body, code(link)) {
		t.Fatalf("the form sent again: %d, link shown %q", again.StatusCode, shownLink(again.Body))
	}
	mustShow(t, again.Body, "a été affiché une fois et ne s'affiche plus", "Faire un nouveau lien")
	if now, _ := e.st.TokenUses(context.Background()); now[tok.ID].Links != uses[tok.ID].Links {
		t.Errorf("the form sent again made a link: %d waiting, was %d", now[tok.ID].Links, uses[tok.ID].Links)
	}
	// The page sent again offers a new form, which makes a new link.
	if fresh := coord.post(tokenPath(tok, "lien"), url.Values{"key": {formKeyIn(t, again.Body)}}); fresh.StatusCode != http.StatusCreated || shownLink(fresh.Body) == "" || shownLink(fresh.Body) == link {
		t.Errorf("a new form: %d, link %q", fresh.StatusCode, shownLink(fresh.Body))
	}
	// The link signs the relay manager in, once.
	relay := e.browser(t)
	if r := relay.get(link); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != pathRelay {
		t.Fatalf("the link: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := e.browser(t).get(link); r.StatusCode != http.StatusNotFound {
		t.Errorf("the link opened twice: %d, want 404", r.StatusCode)
	}
	// A key that is not one of ours is replaced, not refused.
	for _, k := range []string{"web-a b", "web-\u00e9", "web-" + strings.Repeat("a", 100), "autre"} {
		if r := coord.post(tokenPath(tok, "lien"), url.Values{"key": {k}}); r.StatusCode != http.StatusCreated || shownLink(r.Body) == "" {
			t.Errorf("key %q: %d", k, r.StatusCode)
		}
	}
	// An unknown access.
	for _, id := range []string{"999999", "abc", "0"} {
		if r := coord.post(pathMembers+"/acces/"+id+"/lien", url.Values{}); r.StatusCode != http.StatusNotFound {
			t.Errorf("link for access %s: %d, want 404", id, r.StatusCode)
		}
	}
}

// TestMembersRevoke: revoking an access ends its sessions at once (the
// person's next page is the sign-in page) and voids its links; the
// coordinator's own access asks for a ticked box, and revoking it signs
// them out.
func TestMembersRevoke(t *testing.T) {
	e := newEnv(t)
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	farmer := e.signIn(t, "demo-ferme-terrils", pathFarmer)
	tok := e.token(t, "demo-ferme-terrils")
	pending := e.link(t, "demo-ferme-terrils")
	// The farmer's token works on the API (and is now in its cache).
	if code, body := e.apiGet(t, "demo-ferme-terrils", "/api/v1/me"); code != http.StatusOK {
		t.Fatalf("the farmer's token on the API: %d %s", code, body)
	}
	if res := farmer.get(pathFarmer); res.StatusCode != http.StatusOK {
		t.Fatalf("farmer before: %d", res.StatusCode)
	}
	confirm := coord.get(tokenPath(tok, "revoquer"))
	if confirm.StatusCode != http.StatusOK {
		t.Fatalf("confirmation: %d\n%s", confirm.StatusCode, excerpt(confirm.Body))
	}
	mustShow(t, confirm.Body, "Révoquer l'accès de Ferme des Terrils (démo)", "ses sessions se ferment tout de suite", "Connecté sur 1 appareil")
	if strings.Contains(confirm.Body, "C'est votre propre accès") || strings.Contains(confirm.Body, `name="self"`) {
		t.Errorf("another's access is told as one's own")
	}
	// The confirmation page changes nothing.
	if res := farmer.get(pathFarmer); res.StatusCode != http.StatusOK {
		t.Fatalf("farmer after the confirmation page: %d", res.StatusCode)
	}
	res := coord.post(tokenPath(tok, "revoquer"), url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	done := coord.get(res.Header.Get("Location"))
	mustShow(t, done.Body, "Accès révoqué : Ferme des Terrils (démo). Ses sessions sont fermées")
	if r := farmer.get(pathFarmer); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), pathSignIn) {
		t.Errorf("the farmer's next page: %d to %q, want the sign-in page", r.StatusCode, r.Header.Get("Location"))
	}
	if r := e.browser(t).get(pending); r.StatusCode != http.StatusNotFound {
		t.Errorf("a link of the revoked access: %d, want 404", r.StatusCode)
	}
	if code, _ := e.apiGet(t, "demo-ferme-terrils", "/api/v1/me"); code != http.StatusUnauthorized {
		t.Errorf("the revoked token on the API at once: %d, want 401", code)
	}
	if r := coord.get(tokenPath(tok, "revoquer")); r.StatusCode != http.StatusNotFound {
		t.Errorf("a revoked access's page: %d, want 404", r.StatusCode)
	}
	// A forged notice for an access that still exists says nothing.
	other := e.token(t, "demo-ferme-plaine")
	if r := coord.get(pathMembers + "?fait=revoque&id=" + strconv.FormatUint(other.ID, 10) + "&nom=Ferme+de+la+Plaine"); strings.Contains(r.Body, "Accès révoqué") {
		t.Errorf("a notice for an access not revoked")
	}

	// One's own access: a warning, and a box to tick.
	self := e.token(t, models.DemoCoordinatorToken)
	confirm = coord.get(tokenPath(self, "revoquer"))
	mustShow(t, confirm.Body, "C'est votre propre accès", "vous serez déconnecté tout de suite", `name="self"`)
	res = coord.post(tokenPath(self, "revoquer"), url.Values{})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("own access without the box: %d, want 422", res.StatusCode)
	}
	mustShow(t, res.Body, "Il y a un problème", "Cochez la case pour confirmer", `aria-invalid="true"`)
	if _, err := e.st.GetToken(context.Background(), self.ID); err != nil {
		t.Fatalf("own access revoked without the box: %v", err)
	}
	if r := coord.get(pathMembers); r.StatusCode != http.StatusOK {
		t.Fatalf("still signed in: %d", r.StatusCode)
	}
	res = coord.post(tokenPath(self, "revoquer"), url.Values{"self": {"yes"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), pathSignIn) {
		t.Fatalf("own access revoked: %d to %q, want the sign-in page", res.StatusCode, res.Header.Get("Location"))
	}
	if r := coord.get(pathMembers); r.StatusCode != http.StatusSeeOther {
		t.Errorf("after revoking one's own access: %d, want the sign-in page", r.StatusCode)
	}
}

// TestMembersLastCoordinator: the only coordinator access left is said so
// on its confirmation page.
func TestMembersLastCoordinator(t *testing.T) {
	e := newEnv(t)
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	self := e.token(t, models.DemoCoordinatorToken)
	mustShow(t, coord.get(tokenPath(self, "revoquer")).Body, "C'est le dernier accès de coordination")
	if _, err := e.st.Invite(context.Background(), models.RoleCoordinator, "", "Deuxième"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(coord.get(tokenPath(self, "revoquer")).Body, "dernier accès de coordination") {
		t.Errorf("a second coordinator exists, yet the last one is announced")
	}
}

// farmForm is a valid new farm form.
func newFarmForm(key string) url.Values {
	return url.Values{"key": {key}, "name": {"Ferme de l'Étang"}, "person": {"Jeanne Lefebvre"}, "place": {"Liévin"},
		"address": {"Rue de l'Étang, 62800 Liévin"}, "lat": {"50,4231"}, "lon": {"2,7788"}, "collect": {"yes"},
		"window_start": {"13:00"}, "window_end": {"16:00"}, "service_min": {"15"}}
}

// TestMembersNewFarmer: the coordinator adds a farm; refused fields come
// back beside the fields with what was typed, storing nothing; then the
// farm, its farmer's access and the first link are made together, the
// farmer signs in with the link and posts an offer.
func TestMembersNewFarmer(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	form := coord.get(pathMembers + "/nouvelle-ferme")
	if form.StatusCode != http.StatusOK {
		t.Fatalf("form: %d", form.StatusCode)
	}
	mustShow(t, form.Body, `type="time"`, `inputmode="decimal"`, `value="13:00"`, `name="collect" value="yes" checked`)
	key := formKeyIn(t, form.Body)

	bad := newFarmForm(key)
	bad.Set("name", "")
	bad.Set("lat", "cinquante")
	bad.Set("window_end", "12:00")
	bad.Set("person", "Jeanne\u202eLefebvre")
	bad.Del("collect")
	res := coord.post(pathMembers+"/nouvelle-ferme", bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad farm: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	mustShow(t, res.Body, "Il y a un problème", "Indiquez le nom de la ferme", "Indiquez la latitude en degrés décimaux",
		`value="cinquante"`, `value="Rue de l&#39;Étang, 62800 Liévin"`, `value="12:00"`, `href="#f-lat"`)
	if strings.Contains(res.Body, `name="collect" value="yes" checked`) {
		t.Errorf("the unticked box came back ticked")
	}
	if shownLink(res.Body) != "" {
		t.Errorf("a refused farm shows a link")
	}
	// The store's own reasons, as the API gives them.
	bad = newFarmForm(key)
	bad.Set("window_end", "12:00")
	bad.Set("person", "Jeanne\u202eLefebvre")
	res = coord.post(pathMembers+"/nouvelle-ferme", bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad window: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	mustShow(t, res.Body, "le début doit précéder la fin", "caractère invisible ou de contrôle", `id="err-f-window_start"`, `id="err-f-person"`)
	if _, err := e.st.GetProducer(ctx, "ferme-de-l-etang"); err == nil {
		t.Fatal("a refused farm was stored")
	}
	// The same form key, corrected: the farm.
	res = coord.post(pathMembers+"/nouvelle-ferme", newFarmForm(key))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("new farm: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	mustShow(t, res.Body, "Ferme enregistrée : Ferme de l'Étang, avec l'accès de Jeanne Lefebvre.", "Lien de connexion de Jeanne Lefebvre")
	link := shownLink(res.Body)
	if link == "" {
		t.Fatalf("no link shown:\n%s", excerpt(res.Body))
	}
	p, err := e.st.GetProducer(ctx, "ferme-de-l-etang")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Ferme de l'Étang" || p.Lat != 50.4231 || p.Lon != 2.7788 || !p.Collect || p.WindowStart != "13:00" || p.WindowEnd != "16:00" || p.ServiceMin != 15 || p.Place != "Liévin" {
		t.Errorf("stored %+v", p)
	}
	if tok := tokenNamed(t, e, "Jeanne Lefebvre"); tok.Role != models.RoleFarmer || tok.Scope != "ferme-de-l-etang" {
		t.Errorf("token %+v", tok)
	}
	// A reload: nothing new, no link.
	again := coord.post(pathMembers+"/nouvelle-ferme", newFarmForm(key))
	if again.StatusCode != http.StatusConflict || shownLink(again.Body) != "" {
		t.Errorf("the farm form sent again: %d, link %q", again.StatusCode, shownLink(again.Body))
	}
	// A new form for the same farm: the id is taken, said beside it.
	dup := coord.post(pathMembers+"/nouvelle-ferme", newFarmForm(formKeyIn(t, form.Body)+"x"))
	if dup.StatusCode != http.StatusConflict {
		t.Fatalf("same farm again: %d\n%s", dup.StatusCode, excerpt(dup.Body))
	}
	mustShow(t, dup.Body, "Une ferme porte déjà l'identifiant ferme-de-l-etang", `value="ferme-de-l-etang"`)
	// The members page lists the farm with its farmer.
	mustShow(t, coord.get(pathMembers).Body, `id="p-ferme-de-l-etang"`, "Jeanne Lefebvre")

	// The new farmer opens the link on their phone and posts an offer.
	farmer := e.browser(t)
	if r := farmer.get(link); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != pathFarmer {
		t.Fatalf("the farmer's link: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	page := farmer.get(pathFarmer)
	mustShow(t, page.Body, "Ferme de l'Étang", "Mon offre")
	done := farmer.follow(pathFarmer+"/offre", url.Values{"week": {weekOpen}, "quantity.carotte": {"40"}, "price.carotte": {"1,80"}})
	mustShow(t, done.Body, "Offre enregistrée : 40 kg de carottes à 1,80 € / kg HT")
	if got := offersOf(t, e, weekOpen, "ferme-de-l-etang"); got["carotte"].Quantity != 40 || got["carotte"].PriceCents != 180 {
		t.Errorf("stored offers %+v", got)
	}
}

// TestMembersNewAccess: someone's access to an existing place, with its
// first link; a missing or unknown place is told beside the field.
func TestMembersNewAccess(t *testing.T) {
	e := newEnv(t)
	coord := e.signIn(t, models.DemoCoordinatorToken, "/")
	form := coord.get(pathMembers + "/nouvel-acces?pour=" + url.QueryEscape("cook:cantine-ferry"))
	if form.StatusCode != http.StatusOK {
		t.Fatalf("form: %d", form.StatusCode)
	}
	mustShow(t, form.Body, `<option value="cook:cantine-ferry" selected>`, `<optgroup label="Véhicules et chauffeurs">`, `<option value="coordinator:">`)
	key := formKeyIn(t, form.Body)
	for _, c := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"key": {key}, "name": {"Paul"}}, "Choisissez la ferme, le site"},
		{url.Values{"key": {key}, "for": {"relay:nulle-part"}, "name": {"Paul"}}, "site inconnu"},
		{url.Values{"key": {key}, "for": {"cook:relais-loos"}, "name": {"Paul"}}, "ce site n'est pas une cantine"},
		{url.Values{"key": {key}, "for": {"admin:"}, "name": {"Paul"}}, "doit être coordinator"},
		{url.Values{"key": {key}, "for": {"cook:cantine-ferry"}, "name": {strings.Repeat("x", 201)}}, "trop long"},
	} {
		res := coord.post(pathMembers+"/nouvel-acces", c.form)
		if res.StatusCode != http.StatusUnprocessableEntity || shownLink(res.Body) != "" {
			t.Errorf("%v: %d, want 422 without a link", c.form, res.StatusCode)
			continue
		}
		mustShow(t, res.Body, "Il y a un problème", c.field, `value="`+c.form.Get("name")+`"`)
	}
	res := coord.post(pathMembers+"/nouvel-acces", url.Values{"key": {key}, "for": {"cook:cantine-ferry"}, "name": {"Paul (second de cuisine)"}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("new access: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	link := shownLink(res.Body)
	mustShow(t, res.Body, "Accès créé : Paul (second de cuisine) – ")
	if tok := tokenNamed(t, e, "Paul (second de cuisine)"); tok.Role != models.RoleCook || tok.Scope != "cantine-ferry" {
		t.Errorf("token %+v", tok)
	}
	if r := e.browser(t).get(link); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != pathCook {
		t.Errorf("the cook's link: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	// A driver of every vehicle.
	res = coord.post(pathMembers+"/nouvel-acces", url.Values{"key": {"web-driver"}, "for": {"driver:"}, "name": {"Karim"}})
	if res.StatusCode != http.StatusCreated || shownLink(res.Body) == "" {
		t.Errorf("driver access: %d", res.StatusCode)
	}
}

// TestFarmFormReading: ids made from names, times as people type them.
func TestFarmFormReading(t *testing.T) {
	for in, want := range map[string]string{
		"Ferme de l'Étang": "ferme-de-l-etang", "  Les Jardins d'Œuvre !! ": "les-jardins-d-oeuvre",
		"Chez Müller & fils": "chez-muller-fils", "***": "", strings.Repeat("a", 80): strings.Repeat("a", 64),
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"13:00": "13:00", "13h": "13:00", "13h30": "13:30", "9:30": "09:30", "13.30": "13:30", "13 h 30": "13:30",
		"": "", "midi": "midi", "13h3": "13h3", "1300": "1300", "-1:30": "-1:30",
	} {
		if got := clockInput(in); got != want {
			t.Errorf("clockInput(%q) = %q, want %q", in, got, want)
		}
	}
}

package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"paniers/internal/access"
	"paniers/models"
)

func TestSignInLinkOpensSessionOnce(t *testing.T) {
	e := newEnv(t)
	link := e.link(t, "demo-ferme-bois-loos")
	b := e.browser(t)
	res := b.get(link)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != pathFarmer {
		t.Fatalf("link: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	var ck *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == access.SessionCookie {
			ck = c
		}
	}
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.MaxAge != int(models.SessionTTL.Seconds()) || ck.Secure {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, 90 days, not Secure over plain HTTP", ck)
	}
	if page := b.get(pathFarmer); page.StatusCode != 200 || !strings.Contains(page.Body, "Ferme du Bois de Loos") {
		t.Fatalf("farmer page after sign-in: %d", page.StatusCode)
	}
	// One time only: a second browser opening the same link gets nothing.
	other := e.browser(t)
	if res := other.get(link); res.StatusCode != http.StatusNotFound || len(res.Cookies()) > 0 {
		t.Fatalf("second use of a link: %d, cookies %v", res.StatusCode, res.Cookies())
	}
	// The session is stored hashed: its clear value is nowhere in the table.
	var n int64
	if _, err := e.st.LookupToken(context.Background(), ck.Value); err == nil {
		t.Fatal("the session value works as a token")
	}
	_ = n
}

func TestSignInPrefetchDoesNotUseTheLink(t *testing.T) {
	e := newEnv(t)
	link := e.link(t, "demo-relais-loos")
	b := e.browser(t)
	req, _ := http.NewRequest(http.MethodGet, link, nil)
	req.Header.Set("Sec-Purpose", "prefetch")
	if res := b.do(req); res.StatusCode != http.StatusNoContent {
		t.Fatalf("prefetch: %d", res.StatusCode)
	}
	if res := b.get(link); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != pathRelay {
		t.Fatalf("link after a prefetch: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestSignInWithPastedToken(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	if res := b.get(pathCook); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), pathSignIn+"?next=") {
		t.Fatalf("signed-out cook page: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	res := b.post(pathSignIn, url.Values{"token": {"demo-cantine-ferry"}, "next": {pathCook}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != pathCook {
		t.Fatalf("pasted token: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if page := b.get(pathCook); page.StatusCode != 200 || !strings.Contains(page.Body, "Jules Ferry") {
		t.Fatalf("cook page: %d", page.StatusCode)
	}
	// An open redirect is refused: next stays on this site.
	res = e.browser(t).post(pathSignIn, url.Values{"token": {"demo-cantine-ferry"}, "next": {"//evil.example/"}})
	if res.Header.Get("Location") != pathCook {
		t.Fatalf("next=//evil.example/ led to %q", res.Header.Get("Location"))
	}
	// A wrong token: the message beside the field, the API's words, and
	// the token not shown again.
	res = e.browser(t).post(pathSignIn, url.Values{"token": {"pn_wrong-token-value"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "jeton d&#39;accès inconnu ou révoqué") || strings.Contains(res.Body, "pn_wrong-token-value") {
		t.Fatalf("wrong token: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
}

// TestSignInLimiter: failures through the pasted token, the sign-in link
// and the API's bearer token empty one bucket per address; then failures
// at any door get 429.
func TestSignInLimiter(t *testing.T) {
	e := newEnv(t) // 5 failures allowed
	b := e.browser(t)
	for i := 0; i < 2; i++ {
		b.post(pathSignIn, url.Values{"token": {"wrong-token-" + string(rune('a'+i))}})
	}
	for i := 0; i < 2; i++ {
		b.get(access.SignInPath + "pl_unknown" + string(rune('a'+i)))
	}
	if code, _ := e.apiPost(t, "wrong-bearer", "/api/v1/weeks", "{}"); code != http.StatusUnauthorized {
		t.Fatalf("bad bearer: %d", code)
	}
	res := b.post(pathSignIn, url.Values{"token": {"wrong-token-z"}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("a 6th bad token: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if res := b.get(access.SignInPath + "pl_unknownz"); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a 6th bad link: %d", res.StatusCode)
	}
	if code, _ := e.apiPost(t, "wrong-bearer", "/api/v1/weeks", "{}"); code != http.StatusTooManyRequests {
		t.Fatalf("a 6th bad bearer: %d", code)
	}
	// Only failures are limited: a good token and a good link still work.
	if res := b.post(pathSignIn, url.Values{"token": {"demo-coordinateur"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a good token after the failures: %d", res.StatusCode)
	}
	if res := e.browser(t).get(e.link(t, "demo-coordinateur")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a good link after the failures: %d", res.StatusCode)
	}
}

func TestSignOutIsAPostAndEndsTheSession(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-relais-loos", pathRelay)
	if res := b.get(pathSignOut); res.StatusCode == http.StatusSeeOther || res.StatusCode == 200 {
		t.Fatalf("GET %s: %d, want no sign-out by a link", pathSignOut, res.StatusCode)
	}
	if res := b.get(pathRelay); res.StatusCode != 200 {
		t.Fatalf("still signed in after GET: %d", res.StatusCode)
	}
	var old string
	u, _ := url.Parse(e.srv.URL)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == access.SessionCookie {
			old = c.Value
		}
	}
	if res := b.post(pathSignOut, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.StatusCode)
	}
	if res := b.get(pathRelay); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after sign-out: %d", res.StatusCode)
	}
	if _, _, err := e.st.LookupSession(context.Background(), old); err == nil {
		t.Fatal("the session outlives the sign-out")
	}
}

func TestRevokingTheTokenEndsItsSessions(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-cantine-pasteur", pathCook)
	pending := e.link(t, "demo-cantine-pasteur")
	if err := e.st.DeleteToken(context.Background(), e.token(t, "demo-cantine-pasteur").ID); err != nil {
		t.Fatal(err)
	}
	if res := b.get(pathCook); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after revocation: %d, want the sign-in page", res.StatusCode)
	}
	if res := e.browser(t).get(pending); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a link of a revoked token: %d", res.StatusCode)
	}
}

// TestTokensAnswerSignInURL: POST /api/v1/tokens answers a sign_in_url
// that opens the new person's page; the coordinator can make a fresh one.
func TestTokensAnswerSignInURL(t *testing.T) {
	e := newEnv(t)
	code, body := e.apiPost(t, models.DemoCoordinatorToken, "/api/v1/tokens", `{"role":"farmer","scope":"ferme-marais","name":"Paul"}`)
	if code != http.StatusCreated {
		t.Fatalf("create token: %d %s", code, body)
	}
	link := jsonField(t, body, "sign_in_url")
	if !strings.HasPrefix(link, e.srv.URL+access.SignInPath) {
		t.Fatalf("sign_in_url %q", link)
	}
	b := e.browser(t)
	if res := b.get(link); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != pathFarmer {
		t.Fatalf("sign_in_url: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := b.get(pathFarmer); !strings.Contains(res.Body, "Ferme du Marais") {
		t.Fatal("the link did not open the new farmer's page")
	}
	id := jsonField(t, body, "id")
	code, body = e.apiPost(t, models.DemoCoordinatorToken, "/api/v1/tokens/"+id+"/sign-in-links", "")
	if code != http.StatusCreated || !strings.HasPrefix(jsonField(t, body, "sign_in_url"), e.srv.URL+access.SignInPath) {
		t.Fatalf("fresh link: %d %s", code, body)
	}
	if code, _ := e.apiPost(t, "demo-ferme-marais", "/api/v1/tokens/"+id+"/sign-in-links", ""); code != http.StatusForbidden {
		t.Fatalf("a farmer making links: %d", code)
	}
	if code, _ := e.apiPost(t, models.DemoCoordinatorToken, "/api/v1/tokens/999999/sign-in-links", ""); code != http.StatusNotFound {
		t.Fatalf("link for a missing token: %d", code)
	}
}

// TestDocumentsOpenWithTheSession: every document link on a page works in
// the signed-in browser; another's document does not.
func TestDocumentsOpenWithTheSession(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-ferme-bois-loos", pathFarmer)
	page := b.get(pathFarmer)
	links := hrefs(page.Body, "/api/v1/")
	if len(links) == 0 {
		t.Fatalf("no document link on the farmer's page:\n%s", excerpt(page.Body))
	}
	for _, l := range links {
		res := b.get(l)
		if res.StatusCode != 200 || res.Header.Get("Content-Disposition") == "" {
			t.Errorf("GET %s with the session: %d", l, res.StatusCode)
		}
	}
	other := access.DocumentPath(weekPast, "preparation-list", "ferme-terrils", "pdf")
	if res := b.get(other); res.StatusCode != http.StatusForbidden {
		t.Errorf("another farmer's list with the session: %d", res.StatusCode)
	}
	if res := e.browser(t).get(links[0]); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a document without a session: %d", res.StatusCode)
	}
	// The cookie opens documents only, and never a write.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/weeks/"+weekOpen+"/offers", nil)
	if res := b.do(req); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("offers with the session cookie: %d, want 401", res.StatusCode)
	}
}

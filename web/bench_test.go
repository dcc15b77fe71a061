package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"paniers/internal/access"
)

// rolePages are the pages a signed-in person opens, by the demo token that
// opens them.
var rolePages = []struct{ name, token, path string }{
	{"farmer", "demo-ferme-bois-loos", pathFarmer},
	{"relay", "demo-relais-loos", pathRelay},
	{"pickup", "demo-relais-loos", pathPickup + "?semaine=" + weekPast},
	{"cook", "demo-cantine-ferry", pathCook},
	{"household", "demo-relais-loos", pathRelay + "/foyers/relais-loos-f02"},
	{"driver", "demo-camion-1", pathDriver},
	// Round 2 of the demo week is camion-1's delivery round, its longest.
	{"round", "demo-camion-1", pathDriverRound + weekPast + "/2"},
	{"members", "demo-coordinateur", pathMembers},
}

// sessionCookie opens a session for a demo token, as a sign-in link does.
func (e *env) sessionCookie(tb testing.TB, token string) *http.Cookie {
	tb.Helper()
	b := e.browser(tb)
	res := b.get(e.link(tb, token))
	for _, c := range res.Cookies() {
		if c.Name == access.SessionCookie {
			return c
		}
	}
	tb.Fatalf("no session for %s", token)
	return nil
}

// BenchmarkPages renders each role's page on the demo, through the whole
// handler (session lookup, store reads, template), in process:
//
//	go test ./web -run '^$' -bench Pages -benchmem -count 5
//
// The goal is under 50 ms a page.
func BenchmarkPages(b *testing.B) {
	e := newEnv(b)
	h := e.site.Handler()
	for _, p := range rolePages {
		ck := e.sessionCookie(b, p.token)
		b.Run(p.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, p.path, nil)
			req.AddCookie(ck)
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", p.path, w.Code)
				}
			}
		})
	}
}

var (
	assetRe = regexp.MustCompile(`(?:href|src)="(/static/[^"?]+)[^"]*"`)
	offSite = regexp.MustCompile(`(?:href|src|action)="(?:[a-z]+:)?//`)
)

// TestPageWeight: every page, with the stylesheet and script it loads,
// weighs under 100 KB (uncompressed: a weak connection may not compress).
func TestPageWeight(t *testing.T) {
	e := newEnv(t)
	const limit = 100 << 10
	pages := append([]struct{ name, token, path string }{{"signin", "", pathSignIn}}, rolePages...)
	for _, p := range pages {
		b := e.browser(t)
		if p.token != "" {
			u := mustURL(e.srv.URL)
			b.jar.SetCookies(u, []*http.Cookie{e.sessionCookie(t, p.token)})
		}
		res := b.get(p.path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", p.path, res.StatusCode)
		}
		total := len(res.Body)
		var loaded []string
		for _, m := range assetRe.FindAllStringSubmatch(res.Body, -1) {
			a := b.get(m[1])
			if a.StatusCode != 200 {
				t.Errorf("%s loads %s: %d", p.name, m[1], a.StatusCode)
			}
			total += len(a.Body)
			loaded = append(loaded, m[1])
		}
		if offSite.MatchString(res.Body) {
			t.Errorf("%s loads or links to another site: %s", p.name, offSite.FindString(res.Body))
		}
		t.Logf("%-9s %6d bytes with %v", p.name, total, loaded)
		if total > limit {
			t.Errorf("%s weighs %d bytes with what it loads, over %d", p.name, total, limit)
		}
	}
}

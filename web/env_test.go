package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"paniers/api"
	"paniers/internal/access"
	"paniers/internal/testclock"
	"paniers/internal/testdb"
	"paniers/jobs"
	"paniers/models"
)

// env is the whole service on the demo territory, served over real HTTP as
// `paniers serve --demo` serves it: the API and the pages through Mount, on
// one store and one jobs service, sharing one limiter. The demo week
// (2026-W49) is planned and published; the next one (2026-W50) is open.
type env struct {
	t       *testing.T
	st      *models.Store
	svc     *jobs.Service
	site    *Site
	clock   *testclock.Clock
	srv     *httptest.Server
	limiter *access.Limiter
	loc     *time.Location
}

const (
	weekPast = "2026-W49"
	weekOpen = "2026-W50"
)

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvAt(t, true)
}

// newDemoEnv is the demo as `serve --demo` starts it on Monday 23
// November 2026: the demo week (2026-W49) open, no plan yet; 2026-W50
// open too.
func newDemoEnv(t testing.TB) *env {
	t.Helper()
	return newEnvAt(t, false)
}

// newEnvAt builds the env; planned plans and publishes the demo week on
// the Thursday after its order cutoff.
func newEnvAt(t testing.TB, planned bool) *env {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database")
	}
	clock := testclock.New(time.Date(2026, 11, 23, 10, 0, 0, 0, loc))
	ctx := context.Background()
	st, err := models.Open(ctx, testdb.DSN(t), nil, models.WithClock(clock.Now), models.WithLocation(loc))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	svc := jobs.NewService(jobs.Deps{Store: st})
	if planned {
		clock.Set(time.Date(2026, 11, 26, 13, 0, 0, 0, loc))
		if _, err := svc.PlanWeek(ctx, weekPast, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, weekPast); err != nil {
			t.Fatal(err)
		}
	}
	w, err := models.DefaultCalendar(weekOpen, loc)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateWeek(ctx, &w); err != nil {
		t.Fatal(err)
	}
	limiter := access.NewLimiter(5, time.Minute)
	apiSrv := api.New(st, api.Options{Now: clock.Now, Location: loc, Jobs: svc, Limiter: limiter})
	apiH := apiSrv.Handler()
	site, err := New(st, svc, Options{Now: clock.Now, Location: loc, Limiter: limiter, TokensRevoked: apiSrv.ForgetTokens})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Mount(apiH, site))
	t.Cleanup(srv.Close)
	tt, _ := t.(*testing.T)
	return &env{t: tt, st: st, svc: svc, site: site, clock: clock, srv: srv, limiter: limiter, loc: loc}
}

// token returns the stored token of a demo token's clear value.
func (e *env) token(t testing.TB, clear string) models.Token {
	t.Helper()
	tok, err := e.st.LookupToken(context.Background(), clear)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// link makes a fresh sign-in link for a demo token.
func (e *env) link(t testing.TB, clear string) string {
	t.Helper()
	code, _, err := e.st.CreateSignInLink(context.Background(), e.token(t, clear).ID)
	if err != nil {
		t.Fatal(err)
	}
	return e.srv.URL + access.SignInPath + code
}

// browser is an HTTP client with its own cookies, as one browser.
type browser struct {
	t   testing.TB
	e   *env
	c   *http.Client
	jar *cookiejar.Jar
}

func (e *env) browser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, e: e, jar: jar, c: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn opens a sign-in link for a demo token and checks it leads to want.
func (e *env) signIn(t testing.TB, clear, want string) *browser {
	t.Helper()
	b := e.browser(t)
	res := b.get(e.link(t, clear))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("sign-in link: %d to %q, want 303 to %q", res.StatusCode, res.Header.Get("Location"), want)
	}
	return b
}

// response is an answer with its body read.
type response struct {
	*http.Response
	Body string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{res, string(body)}
}

func (b *browser) get(u string) response {
	b.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = b.e.srv.URL + u
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}

// post sends a form as a browser on the same site does (Origin and
// Sec-Fetch-Site), headers overriding.
func (b *browser) post(path string, form url.Values, headers ...string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

// follow posts and follows the 303 to the page that says what was stored.
func (b *browser) follow(path string, form url.Values) response {
	b.t.Helper()
	res := b.post(path, form)
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("POST %s: %d, want 303; body:\n%s", path, res.StatusCode, excerpt(res.Body))
	}
	return b.get(res.Header.Get("Location"))
}

// excerpt is the part of a page worth printing in a failure: the error
// summary and notices, else the start of main.
func excerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000]
	}
	return body
}

// apiPost posts JSON to the API with a bearer token.
func (e *env) apiPost(t testing.TB, token, path, body string) (int, string) {
	t.Helper()
	return e.apiJSON(t, http.MethodPost, token, path, body)
}

// apiJSON sends a request with a JSON body (none when empty) to the API
// with a bearer token.
func (e *env) apiJSON(t testing.TB, method, token, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.apiDo(t, token, req)
}

// apiGet reads the API with a bearer token.
func (e *env) apiGet(t testing.TB, token, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	return e.apiDo(t, token, req)
}

func (e *env) apiDo(t testing.TB, token string, req *http.Request) (int, string) {
	t.Helper()
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

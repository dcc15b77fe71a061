package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/internal/i18n"
	"paniers/internal/i18n/accept"

	"paniers/internal/access"
	"paniers/models"
)

// Signing in. A person gets a one-time link from the coordinator
// (POST /api/v1/tokens answers sign_in_url; `serve --demo` prints one per
// role). Opening it (GET /connexion/{code}) uses it up, opens a session
// (a random value in an HttpOnly, SameSite=Lax cookie, Secure over HTTPS,
// stored hashed, valid 90 days) and redirects to the person's page. The
// sign-in page (/connexion) also takes a pasted token. Signing out is a
// POST to /deconnexion. Every failure counts in the limiter the API uses
// for bad bearer tokens; past its burst, failures get 429 (a good token or
// link still works, as in the API).

// Paths of the sign-in pages.
const (
	pathSignIn  = "/connexion"
	pathSignOut = "/deconnexion"
)

// Cookie names and context keys.
const (
	cookieLang   = "paniers_lang"
	ctxLang      = "paniers.web.lang"
	ctxPrincipal = "paniers.web.principal"
	langFR       = i18n.FR
	langEN       = i18n.EN
)

func (s *Site) registerSignIn() {
	s.engine.GET(pathSignIn, s.handle(s.signInPage))
	s.engine.POST(pathSignIn, s.handle(s.signInToken))
	s.engine.GET(access.SignInPath+":code", s.handle(s.signInLink))
	s.engine.HEAD(access.SignInPath+":code", func(c *gin.Context) { c.Status(http.StatusOK) })
	s.engine.POST(pathSignOut, s.handle(s.signOut))
}

// negotiate picks the page's language: ?lang=, then the remembered choice
// (cookie), then Accept-Language as the API reads it (accept.Language),
// then French.
func negotiate(r *http.Request) string {
	switch q := r.URL.Query().Get("lang"); q {
	case langFR, langEN:
		return q
	}
	if ck, err := r.Cookie(cookieLang); err == nil && (ck.Value == langFR || ck.Value == langEN) {
		return ck.Value
	}
	return accept.Language(r.Header.Get("Accept-Language"))
}

func language(c *gin.Context) string {
	if l, ok := c.Get(ctxLang); ok {
		return l.(string)
	}
	return negotiate(c.Request)
}

func principalOf(c *gin.Context) (access.Principal, bool) {
	v, ok := c.Get(ctxPrincipal)
	if !ok {
		return access.Principal{}, false
	}
	return v.(access.Principal), true
}

// handle adapts a handler returning an error.
func (s *Site) handle(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.fail(c, err)
		}
	}
}

// signedIn runs h for a signed-in person; anyone else is sent to the
// sign-in page, which comes back here afterwards.
func (s *Site) signedIn(h func(*gin.Context, access.Principal) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, err := s.session(c)
		if errors.Is(err, models.ErrNotFound) {
			next := c.Request.URL.RequestURI()
			if c.Request.Method != http.MethodGet {
				next = c.Request.URL.Path
			}
			c.Redirect(http.StatusSeeOther, pathSignIn+"?next="+urlQueryEscape(next))
			c.Abort()
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Set(ctxPrincipal, p)
		if err := h(c, p); err != nil {
			s.fail(c, err)
		}
	}
}

// session reads the session cookie: ErrNotFound when there is none or it
// is unknown, expired or revoked.
func (s *Site) session(c *gin.Context) (access.Principal, error) {
	ck, err := c.Request.Cookie(access.SessionCookie)
	if err != nil || ck.Value == "" || len(ck.Value) > 200 {
		return access.Principal{}, models.ErrNotFound
	}
	tok, _, err := s.store.LookupSession(c.Request.Context(), ck.Value)
	if err != nil {
		return access.Principal{}, err
	}
	return access.Of(tok), nil
}

// setSession gives the browser its session cookie.
func (s *Site) setSession(c *gin.Context, clear string) {
	http.SetCookie(c.Writer, &http.Cookie{Name: access.SessionCookie, Value: clear, Path: "/",
		MaxAge: int(models.SessionTTL.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
}

// signInData is the sign-in page.
type signInData struct {
	*page
	Next    string
	Expired bool
}

func (s *Site) signInPage(c *gin.Context) error {
	return s.renderSignIn(c, http.StatusOK, nil, false)
}

func (s *Site) renderSignIn(c *gin.Context, status int, errs *formErrors, expired bool) error {
	pg := s.newPage(c, access.Principal{}, text{FR: "Se connecter", EN: "Sign in"})
	if errs != nil {
		pg.Errors = errs
	}
	if c.Query("fait") == "deconnexion" {
		pg.Notice = append(pg.Notice, pg.T("Vous êtes déconnecté.", "You are signed out."))
	}
	return s.render(c, status, "signin", &signInData{page: pg, Next: localNext(c.Query("next"), c.PostForm("next")), Expired: expired})
}

// localNext keeps a return address only when it stays on this site.
func localNext(vals ...string) string {
	for _, v := range vals {
		if strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") && !strings.HasPrefix(v, "/\\") && !strings.HasPrefix(v, pathSignIn) {
			return v
		}
	}
	return ""
}

// refused counts a failed sign-in from the client's address; when the
// address has failed too often it answers 429 and reports true.
func (s *Site) refused(c *gin.Context) bool {
	wait := s.limiter.Failed(c.ClientIP(), s.now())
	if wait <= 0 {
		return false
	}
	secs := access.RetrySeconds(wait)
	c.Header("Retry-After", strconv.Itoa(secs))
	s.problemPage(c, http.StatusTooManyRequests, text{
		FR: "Trop d'essais de connexion depuis cette adresse : réessayez dans " + strconv.Itoa(secs) + " s.",
		EN: "Too many sign-in attempts from this address: try again in " + strconv.Itoa(secs) + " s."})
	return true
}

// signInToken signs in with a pasted token.
func (s *Site) signInToken(c *gin.Context) error {
	clear := strings.TrimSpace(c.PostForm("token"))
	errs := newFormErrors(c)
	if clear == "" {
		errs.Add("token", models.ReasonRequired)
		return s.renderSignIn(c, http.StatusUnprocessableEntity, errs, false)
	}
	tok, err := s.store.LookupToken(c.Request.Context(), clear)
	if errors.Is(err, models.ErrNotFound) || len(clear) > 512 {
		if s.refused(c) {
			return nil
		}
		errs.Add("token", text{FR: "jeton d'accès inconnu ou révoqué", EN: "unknown or revoked access token"})
		errs.keep("token", "") // a wrong token is not shown again
		return s.renderSignIn(c, http.StatusUnprocessableEntity, errs, false)
	}
	if err != nil {
		return err
	}
	secret, _, err := s.store.CreateSession(c.Request.Context(), tok.ID)
	if err != nil {
		return err
	}
	s.setSession(c, secret)
	s.redirectHome(c, tok.Role, c.PostForm("next"))
	return nil
}

// signInLink opens a session with a one-time link. A link previewer
// announcing a prefetch does not use it up.
func (s *Site) signInLink(c *gin.Context) error {
	code := c.Param("code")
	if p := c.GetHeader("Sec-Purpose") + c.GetHeader("Purpose"); strings.Contains(p, "prefetch") {
		c.Status(http.StatusNoContent)
		return nil
	}
	if !strings.HasPrefix(code, models.SignInPrefix) || len(code) > 200 {
		if s.refused(c) {
			return nil
		}
		return s.renderSignIn(c, http.StatusNotFound, nil, true)
	}
	secret, _, tok, err := s.store.RedeemSignInLink(c.Request.Context(), code)
	if errors.Is(err, models.ErrNotFound) {
		if s.refused(c) {
			return nil
		}
		return s.renderSignIn(c, http.StatusNotFound, nil, true)
	}
	if err != nil {
		return err
	}
	s.setSession(c, secret)
	s.redirectHome(c, tok.Role, c.Query("next"))
	return nil
}

// redirectHome sends a newly signed-in person to where they were going, or
// to their role's page.
func (s *Site) redirectHome(c *gin.Context, role, next string) {
	to := localNext(next)
	if to == "" {
		to = homes[role]
	}
	c.Redirect(http.StatusSeeOther, to)
}

// signOut ends the session and forgets the cookie.
func (s *Site) signOut(c *gin.Context) error {
	if ck, err := c.Request.Cookie(access.SessionCookie); err == nil && ck.Value != "" {
		if err := s.store.DeleteSession(c.Request.Context(), ck.Value); err != nil {
			return err
		}
	}
	s.forgetSession(c)
	return nil
}

// forgetSession drops the browser's session cookie and sends it to the
// sign-in page, saying it is signed out.
func (s *Site) forgetSession(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: access.SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
	c.Redirect(http.StatusSeeOther, pathSignIn+"?fait=deconnexion")
}

// withLang keeps an explicit ?lang= on a redirect.
func (s *Site) withLang(c *gin.Context, to string) string {
	if l := c.Query("lang"); l == langEN || l == langFR {
		if strings.Contains(to, "?") {
			return to + "&lang=" + l
		}
		return to + "?lang=" + l
	}
	return to
}

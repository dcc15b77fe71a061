package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/internal/i18n"
	"paniers/models"
	"paniers/planner/sheets"
)

// text is a piece of page text in French and English.
type text = i18n.Text

// page is what every page's template receives: the language, who is
// signed in, the title, the notice of what a post stored, and the form's
// errors. Each page's data embeds it.
type page struct {
	Lang      string
	Title     string
	Principal access.Principal
	SignedIn  bool
	// Who names the signed-in person's producer or site.
	Who string
	// Path is the page's path, for the language switch.
	Path, Query string
	// Notice says what a post stored, in words.
	Notice []string
	Errors *formErrors
	// For is the producer or site a coordinator acts for (?pour=).
	For string
	css string
	js  string
	w   sheets.Words
}

// newPage starts a page's data.
func (s *Site) newPage(c *gin.Context, p access.Principal, title text) *page {
	lang := language(c)
	pg := &page{Lang: lang, Title: title.In(lang), Principal: p, SignedIn: p.Role != "",
		Path: c.Request.URL.Path, Errors: &formErrors{lang: lang},
		css: s.static.url("paniers.css"), js: s.static.url("paniers.js"), w: sheets.WordsFor(lang)}
	q := c.Request.URL.Query()
	q.Del("lang")
	pg.Query = q.Encode()
	return pg
}

// T picks the page's language of a French and an English text.
func (p *page) T(fr, en string) string { return text{FR: fr, EN: en}.In(p.Lang) }

// CSS and JS are the versioned URLs of the stylesheet and script.
func (p *page) CSS() string { return p.css }
func (p *page) JS() string  { return p.js }

// SwitchURL is this page in the other language.
func (p *page) SwitchURL() string {
	q, _ := url.ParseQuery(p.Query)
	if p.Lang == langEN {
		q.Set("lang", langFR)
	} else {
		q.Set("lang", langEN)
	}
	return p.Path + "?" + q.Encode()
}

// URL builds a link within the pages, keeping a coordinator's ?pour=.
func (p *page) URL(base string, kv ...string) string {
	q := url.Values{}
	if p.For != "" {
		q.Set("pour", p.For)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}

// Num, Money, Qty, Unit, Date print as the documents do.
func (p *page) Num(x float64) string              { return p.w.Num(x) }
func (p *page) Money(cents int64) string          { return p.w.Money(cents) }
func (p *page) Manne(cents int64) string          { return p.w.Manne(cents) }
func (p *page) Qty(q float64, unit string) string { return p.w.Quantity(q, unit) }
func (p *page) Unit(unit string) string           { return p.w.Unit(unit, 2) }
func (p *page) UnitOne(unit string) string        { return p.w.Unit(unit, 1) }
func (p *page) Date(d string) string              { return p.w.DayMonth(d) }

// Of is " de carottes", " d'oignons" (French elision) or " of onions".
func (p *page) Of(name string) string {
	name = strings.ToLower(name)
	if p.Lang == langEN {
		return " of " + name
	}
	if r := []rune(name); len(r) > 0 && strings.ContainsRune("aeiouyàâéèêëîïôœù", r[0]) {
		return " d'" + name
	}
	return " de " + name
}

// Input is the value to show in a field: what was typed when the form came
// back with errors, else the stored value.
func (p *page) Input(field, stored string) string {
	if v, ok := p.Errors.typed(field); ok {
		return v
	}
	return stored
}

// Err is the message beside a field, empty when none.
func (p *page) Err(field string) string { return p.Errors.Get(field) }

// Checked is "checked" for a box ticked by what was typed, else stored.
func (p *page) Checked(field, value string, stored bool) bool {
	if p.Errors.posted() {
		return p.Errors.hasValue(field, value)
	}
	return stored
}

// ErrID is the id of a field's error message, for aria-describedby.
func ErrID(field string) string { return "err-" + FieldID(field) }

// FieldID turns a form field name into an element id ("quantity.carotte"
// becomes "f-quantity-carotte").
func FieldID(field string) string {
	return "f-" + strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(field)
}

// staticFiles are the embedded stylesheet and script with their content
// hashes: their URLs carry the hash, so a browser may keep them a year and
// still gets a new version at once.
type staticFiles map[string]staticFile

type staticFile struct {
	body        []byte
	hash        string
	contentType string
}

func loadStatic() (staticFiles, error) {
	out := staticFiles{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[path.Base(p)] = staticFile{body: b, hash: hex.EncodeToString(sum[:6]), contentType: mime.TypeByExtension(path.Ext(p))}
		return nil
	})
	return out, err
}

func (f staticFiles) url(name string) string { return "/static/" + name + "?v=" + f[name].hash }

// Size is the bytes of a static file, for the page weight test.
func (f staticFiles) size(name string) int { return len(f[name].body) }

func (s *Site) serveStatic(c *gin.Context) {
	f, ok := s.static[c.Param("file")]
	if !ok {
		s.notFound(c)
		return
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Type", f.contentType)
	c.Data(http.StatusOK, f.contentType, f.body)
}

// parseTemplates parses each page with the layout.
func parseTemplates(st staticFiles) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"fieldID": FieldID,
		"errID":   ErrID,
		"join":    strings.Join,
		"upper":   strings.ToUpper,
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		out[base] = t
	}
	return out, nil
}

// render writes a page: the template's output is buffered, so a template
// error becomes a clean 500 instead of half a page.
func (s *Site) render(c *gin.Context, status int, name string, data any) error {
	t, ok := s.tmpl[name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return fmt.Errorf("web: rendering %s: %w", name, err)
	}
	c.Header("Content-Language", language(c))
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// problemPage shows a short page saying what went wrong.
func (s *Site) problemPage(c *gin.Context, status int, msg text) {
	p, _ := principalOf(c)
	pg := s.newPage(c, p, text{FR: "Un problème", EN: "A problem"})
	if err := s.render(c, status, "problem", &problemData{page: pg, Status: status, Message: msg.In(pg.Lang)}); err != nil {
		c.String(status, msg.In(pg.Lang))
	}
	c.Abort()
}

type problemData struct {
	*page
	Status  int
	Message string
}

func (s *Site) notFound(c *gin.Context) {
	s.problemPage(c, http.StatusNotFound, text{FR: "Cette page n'existe pas.", EN: "This page does not exist."})
}

// crossOrigin answers a post from another site: 403, nothing changed.
func (s *Site) crossOrigin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusForbidden)
	if negotiate(r) == langEN {
		fmt.Fprintln(w, "Refused: this form was sent from another site.")
		return
	}
	fmt.Fprintln(w, "Refusé : ce formulaire a été envoyé depuis un autre site.")
}

// fail shows an error that a handler returned: a closed week, a missing
// record or the scope are told in words; anything else is logged and shown
// as an internal error.
func (s *Site) fail(c *gin.Context, err error) {
	var closed *models.ClosedError
	switch {
	case errors.Is(err, errChoose):
		// A coordinator opened a role's page without saying whose.
		c.Redirect(http.StatusSeeOther, "/")
		c.Abort()
	case errors.Is(err, errForbidden):
		s.problemPage(c, http.StatusForbidden, text{FR: "Cette page n'est pas la vôtre : elle appartient à un autre producteur ou site.", EN: "This page is not yours: it belongs to another producer or site."})
	case errors.As(err, &closed):
		s.problemPage(c, http.StatusConflict, closedText(closed, s.loc))
	case errors.Is(err, models.ErrNotFound):
		s.notFound(c)
	default:
		s.log.ErrorContext(c.Request.Context(), "web: internal error", "method", c.Request.Method, "route", c.FullPath(), "err", err)
		s.problemPage(c, http.StatusInternalServerError, text{FR: "Une erreur interne est survenue : réessayez dans un moment.", EN: "An internal error occurred: try again in a moment."})
	}
}

var (
	errForbidden = errors.New("web: outside the principal's scope")
	errChoose    = errors.New("web: the coordinator must choose whose page")
)

// securityHeaders are set on every page: the pages load only their own
// stylesheet and script, are never framed and keep no cache of personal
// data.
var securityHeaders = map[string]string{
	"Content-Security-Policy":      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	"X-Content-Type-Options":       "nosniff",
	"X-Frame-Options":              "DENY",
	"Referrer-Policy":              "no-referrer",
	"Cross-Origin-Resource-Policy": "same-origin",
	"Cache-Control":                "no-store",
	"Vary":                         "Cookie, Accept-Language",
}

// base sets the language (and remembers a ?lang= choice), the security
// headers, recovers from panics and logs the request without its query
// (a sign-in link's path is a secret, so its route template is logged).
func (s *Site) base(c *gin.Context) {
	start := s.now()
	h := c.Writer.Header()
	for k, v := range securityHeaders {
		h.Set(k, v)
	}
	lang := negotiate(c.Request)
	if q := c.Query("lang"); q == langEN || q == langFR {
		http.SetCookie(c.Writer, &http.Cookie{Name: cookieLang, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
	}
	c.Set(ctxLang, lang)
	defer func() {
		if rec := recover(); rec != nil {
			s.log.ErrorContext(c.Request.Context(), "web: panic", "route", c.FullPath(), "panic", fmt.Sprint(rec))
			if !c.Writer.Written() {
				s.problemPage(c, http.StatusInternalServerError, text{FR: "Une erreur interne est survenue.", EN: "An internal error occurred."})
			}
			c.Abort()
		}
		route := c.FullPath()
		if route == "" {
			route = "(no route)"
		}
		level := slog.LevelInfo
		if c.Writer.Status() >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(c.Request.Context(), level, "page request",
			slog.String("method", c.Request.Method), slog.String("route", route), slog.Int("status", c.Writer.Status()),
			slog.Int("bytes", c.Writer.Size()), slog.Float64("duration_ms", float64(s.now().Sub(start).Microseconds())/1000))
	}()
	c.Next()
}

// secure says whether the request came over HTTPS (directly, or through a
// trusted proxy saying so), and so whether cookies get the Secure flag.
func (s *Site) secure(c *gin.Context) bool {
	if c.Request.TLS != nil {
		return true
	}
	return len(s.opts.TrustedProxies) > 0 && c.ClientIP() != c.RemoteIP() && strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https")
}

// timeLeft says how long until t: "1 j 6 h", "3 h 20 min", "12 min".
func timeLeft(lang string, d time.Duration) string {
	if d < time.Minute {
		return text{FR: "moins d'une minute", EN: "less than a minute"}.In(lang)
	}
	days := int(d / (24 * time.Hour))
	hours := int(d % (24 * time.Hour) / time.Hour)
	mins := int(d % time.Hour / time.Minute)
	day := text{FR: "j", EN: "d"}.In(lang)
	switch {
	case days > 0:
		return fmt.Sprintf("%d %s %d h", days, day, hours)
	case hours > 0:
		return fmt.Sprintf("%d h %d min", hours, mins)
	}
	return fmt.Sprintf("%d min", mins)
}

var textf = i18n.Textf

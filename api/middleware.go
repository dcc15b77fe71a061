package api

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"paniers/internal/i18n"
	"paniers/internal/i18n/accept"

	"github.com/gin-gonic/gin"
)

// Languages the API answers in.
const (
	langFR = i18n.FR
	langEN = i18n.EN
)

// Context keys set by the middleware.
const (
	ctxLang      = "paniers.lang"
	ctxRequestID = "paniers.request_id"
	ctxPrincipal = "paniers.principal"
)

// language returns the language negotiated for the request ("fr" or "en").
func language(c *gin.Context) string {
	if l, ok := c.Get(ctxLang); ok {
		return l.(string)
	}
	return negotiateLanguage(c.Request)
}

// negotiateLanguage picks the answer's language: ?lang=en|fr wins, then
// Accept-Language as the pages read it (accept.Language), then French.
func negotiateLanguage(r *http.Request) string {
	switch strings.ToLower(r.URL.Query().Get("lang")) {
	case langEN:
		return langEN
	case langFR:
		return langFR
	}
	return accept.Language(r.Header.Get("Accept-Language"))
}

// requestID returns the request's id (from X-Request-ID when the caller or a
// proxy set a sane one, else generated).
func requestID(c *gin.Context) string {
	return c.GetString(ctxRequestID)
}

// newRequestID returns 16 random hex digits.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validRequestID accepts short printable ids, so a caller cannot inject
// anything into the logs through the header.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// writeJSON writes v as JSON with a content type. Encoding errors cannot
// happen with our response types; if one did, the client gets a 500 and the
// log says why.
func writeJSON(c *gin.Context, status int, contentType string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		slog.Default().Error("api: encoding response", "err", err)
		c.Data(http.StatusInternalServerError, "application/problem+json",
			[]byte(`{"type":"urn:paniers:problem:internal","title":"Erreur interne","status":500}`+"\n"))
		return
	}
	c.Data(status, contentType, buf.Bytes())
}

// securityHeaderValues are set on every answer. The keys are already in
// canonical form and the values are built once, so that setting them costs
// no allocation per request. The slices are shared between answers: each
// has length and capacity one, so a later Header().Add copies it, and
// Header().Set replaces it; nothing may write into one.
var securityHeaderValues = []struct {
	key   string
	value []string
}{
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Referrer-Policy", []string{"no-referrer"}},
	{"Content-Security-Policy", []string{"default-src 'none'; frame-ancestors 'none'"}},
	{"Cross-Origin-Resource-Policy", []string{"same-origin"}},
	// Answers may carry personal data or a token: no cache keeps them.
	{"Cache-Control", []string{"no-store"}},
	{"Vary", []string{"Accept-Language, Authorization"}},
}

// baseMiddleware sets the request id, the language, the security headers,
// the body size limit, logs the request and recovers from panics. It runs
// first on every route.
func (s *Server) baseMiddleware(c *gin.Context) {
	start := s.now()
	id := c.GetHeader("X-Request-ID")
	if !validRequestID(id) {
		id = newRequestID()
	}
	c.Set(ctxRequestID, id)
	c.Set(ctxLang, negotiateLanguage(c.Request))

	h := c.Writer.Header()
	h["X-Request-Id"] = []string{id}
	for _, kv := range securityHeaderValues {
		h[kv.key] = kv.value
	}

	if c.Request.Body != nil && c.Request.Body != http.NoBody {
		if c.Request.ContentLength > s.opts.MaxBodyBytes {
			s.renderProblem(c, errTooLarge(s.opts.MaxBodyBytes))
		} else {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.opts.MaxBodyBytes)
		}
	}

	defer func() {
		if rec := recover(); rec != nil {
			s.log.ErrorContext(c.Request.Context(), "api: panic", "method", c.Request.Method,
				"route", c.FullPath(), "request_id", id, "panic", fmt.Sprint(rec))
			if !c.Writer.Written() {
				s.renderProblem(c, &Error{Kind: kindInternal})
			}
			c.Abort()
		}
		s.logRequest(c, start, id)
	}()
	if !c.IsAborted() {
		c.Next()
	}
}

// logRequest writes one structured line per request. It logs the route's
// template ("/api/v1/sites/:site/households/:household"), not the path: a
// path may name a household, and the log must hold no personal data; the
// week, which says which cycle a request touched, is added when the route has
// one. Neither the query string nor the Authorization header is logged.
func (s *Server) logRequest(c *gin.Context, start time.Time, id string) {
	status := c.Writer.Status()
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	ctx := c.Request.Context()
	if !s.log.Enabled(ctx, level) {
		return
	}
	route := c.FullPath()
	if route == "" {
		route = "(no route)"
	}
	// Typed attributes in a fixed array: no value is boxed into an
	// interface and the slice stays on the stack.
	var buf [11]slog.Attr
	attrs := append(buf[:0],
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Int("bytes", c.Writer.Size()),
		slog.Float64("duration_ms", float64(s.now().Sub(start).Microseconds())/1000),
		slog.String("request_id", id),
		slog.String("remote", c.ClientIP()),
	)
	if week := c.Param("week"); week != "" {
		attrs = append(attrs, slog.String("week", truncate(week, 16)))
	}
	if p, ok := principalOf(c); ok {
		attrs = append(attrs, slog.String("role", p.Role), slog.String("scope", p.Scope), slog.String("token", p.TokenID))
	}
	s.log.LogAttrs(ctx, level, "http request", attrs...)
}

// errTooLarge is the 413 problem for a body over the limit.
func errTooLarge(limit int64) *Error {
	return &Error{
		Kind:   kindTooLarge,
		Detail: textf("Le corps de la requête dépasse %d octets.", "The request body exceeds %d bytes.", limit),
		Fields: []FieldError{{Field: "body", Reason: textf("plus de %d octets", "more than %d bytes", limit)}},
	}
}

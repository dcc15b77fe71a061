package api

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
)

// Principal is who a request acts as (see access.Principal, whose methods
// are the scope rules the API and the pages share).
type Principal = access.Principal

// principalOf returns the request's principal, set by the auth middleware.
func principalOf(c *gin.Context) (Principal, bool) {
	v, ok := c.Get(ctxPrincipal)
	if !ok {
		return Principal{}, false
	}
	return v.(Principal), true
}

// mustPrincipal returns the principal of an authenticated route.
func mustPrincipal(c *gin.Context) Principal {
	p, _ := principalOf(c)
	return p
}

// sameHash compares two hex hashes in constant time.
func sameHash(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// bearerToken extracts the token of an "Authorization: Bearer ..." header.
func bearerToken(header string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	if tok == "" || len(tok) > 512 {
		return "", false
	}
	return tok, true
}

// errUnauthorized is the 401 problem; the WWW-Authenticate header tells the
// client which scheme to use (RFC 6750).
func errUnauthorized(detail text, invalid bool) *Error {
	challenge := `Bearer realm="paniers"`
	if invalid {
		challenge += `, error="invalid_token"`
	}
	return &Error{
		Kind:   kindUnauthorized,
		Detail: detail,
		Fields: []FieldError{{Field: "Authorization", Reason: detail}},
		Header: map[string]string{"WWW-Authenticate": challenge},
	}
}

// authenticate is the middleware of every /api/v1 route but the OpenAPI
// document. Three things might happen: the token is valid, the principal
// is set and the request goes on; the token is missing, malformed or
// unknown, 401 (see refuseCredential); or the client address has failed
// too often, 429 with Retry-After. A valid token is never slowed down, so
// that one guesser cannot lock out everyone who shares its address (all the
// clients of a proxy).
func (s *Server) authenticate(c *gin.Context) {
	clear, ok := bearerToken(c.GetHeader("Authorization"))
	if !ok && c.GetHeader("Authorization") == "" && cookieRoute(c) {
		if ck, err := c.Request.Cookie(access.SessionCookie); err == nil && ck.Value != "" {
			s.authenticateSession(c, ck.Value)
			return
		}
	}
	if !ok {
		e := errUnauthorized(text{FR: "jeton d'accès manquant : en-tête « Authorization: Bearer <jeton> » attendu",
			EN: "missing access token: header \"Authorization: Bearer <token>\" expected"}, false)
		if c.GetHeader("Authorization") == "" {
			// No credential at all is not a guess: nothing to count.
			s.renderProblem(c, e)
			return
		}
		s.refuseCredential(c, e)
		return
	}
	// The store looks the token up by its SHA-256, so the comparison that
	// finds it leaks nothing about the clear token; the final check compares
	// the hashes in constant time all the same.
	hash := models.HashToken(clear)
	tok, err := s.lookupToken(c.Request.Context(), clear, hash)
	if err != nil || !sameHash(tok.Hash, hash) {
		if err != nil && s.storeError(err) == nil {
			// Not a plain "not found": the database failed.
			s.writeError(c, err)
			return
		}
		s.refuseCredential(c, errUnauthorized(text{FR: "jeton d'accès inconnu ou révoqué", EN: "unknown or revoked access token"}, true))
		return
	}
	c.Set(ctxPrincipal, access.Of(tok))
	if tok.Role == models.RoleDriver && !driverRoutes[c.Request.Method+" "+c.FullPath()] {
		s.renderProblem(c, errForbidden)
		return
	}
	c.Next()
}

// driverRoutes are the only routes a driver's token opens: who am I, the
// week's documents, of which access.Principal.MayReadIn and the
// published-only rule (models.SeesDrafts) leave it the published round
// sheets of its vehicle, and the ticks of those rounds' stops
// (deliveries.go, access.Principal.MayTick).
var driverRoutes = map[string]bool{
	"GET /api/v1/me":                                                 true,
	"GET /api/v1/weeks/:week/documents":                              true,
	"GET /api/v1/weeks/:week/documents/:kind/:file":                  true,
	"GET /api/v1/weeks/:week/rounds/:round/deliveries":               true,
	"PUT /api/v1/weeks/:week/rounds/:round/stops/:stop/delivered":    true,
	"DELETE /api/v1/weeks/:week/rounds/:round/stops/:stop/delivered": true,
}

// cookieRoutes are the routes a signed-in browser reaches with its session
// cookie instead of a bearer token: the documents the pages link to (the
// week's documents, a canteen's EGalim purchase file and summary). Only
// GET and HEAD, which change nothing, so a cross-site request can read
// nothing (SameSite=Lax keeps the cookie off cross-site subrequests) and
// write nothing.
var cookieRoutes = map[string]bool{
	"/api/v1/weeks/:week/documents":             true,
	"/api/v1/weeks/:week/documents/:kind/:file": true,
	"/api/v1/sites/:site/egalim/purchases.csv":  true,
	"/api/v1/sites/:site/egalim/report.pdf":     true,
}

func cookieRoute(c *gin.Context) bool {
	m := c.Request.Method
	return (m == http.MethodGet || m == http.MethodHead) && cookieRoutes[c.FullPath()]
}

// authenticateSession authenticates a document request by the pages'
// session cookie: an unknown, expired or revoked session is refused and
// counted as a failure, like a bad token.
func (s *Server) authenticateSession(c *gin.Context, clear string) {
	tok, _, err := s.store.LookupSession(c.Request.Context(), clear)
	if err != nil {
		if s.storeError(err) == nil {
			s.writeError(c, err)
			return
		}
		s.refuseCredential(c, errUnauthorized(text{FR: "session inconnue, expirée ou révoquée : reconnectez-vous", EN: "unknown, expired or revoked session: sign in again"}, true))
		return
	}
	c.Set(ctxPrincipal, access.Of(tok))
	c.Next()
}

// refuseCredential answers a credential that names no one (a token, or any
// other secret a client presents): unauthorized, and one more failure
// counted for the client's address; or, when that address has failed the
// whole burst, 429 with Retry-After in seconds, not counted. Every way in
// that checks a secret calls it on failure, and only on failure: a success
// neither waits nor resets the count.
func (s *Server) refuseCredential(c *gin.Context, unauthorized *Error) {
	wait := s.limiter.Failed(c.ClientIP(), s.now())
	if wait <= 0 {
		s.renderProblem(c, unauthorized)
		return
	}
	secs := access.RetrySeconds(wait)
	e := errKind(kindTooManyRequests, textf("Trop d'échecs d'authentification depuis cette adresse : réessayez dans %d s.",
		"Too many failed authentications from this address: retry in %d s.", secs))
	e.Header = map[string]string{"Retry-After": strconv.Itoa(secs)}
	s.renderProblem(c, e)
}

// requireRole lets only the listed roles through (403 for the others); the
// coordinator always passes.
func (s *Server) requireRole(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if mustPrincipal(c).Is(roles...) {
			c.Next()
			return
		}
		s.renderProblem(c, errForbidden)
	}
}

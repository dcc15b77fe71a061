package api

import (
	"crypto/subtle"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/models"
)

// Principal is who a request acts as: the role and scope of its token. Scope
// is the producer id of a farmer, the relay point id of a relay manager, the
// canteen id of a cook, and empty for the coordinator.
type Principal struct {
	TokenID string `json:"token_id"`
	Role    string `json:"role"`
	Scope   string `json:"scope,omitempty"`
	Name    string `json:"name,omitempty"`
}

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

// isCoordinator reports whether p may do everything.
func (p Principal) isCoordinator() bool { return p.Role == models.RoleCoordinator }

// ownsProducer reports whether p acts for a producer: the coordinator, or
// that producer's farmer.
func (p Principal) ownsProducer(id string) bool {
	return p.isCoordinator() || p.Role == models.RoleFarmer && p.Scope == id
}

// ownsSite reports whether p acts for a site: the coordinator, the relay
// point's manager or the canteen's cook.
func (p Principal) ownsSite(id string) bool {
	return p.isCoordinator() || (p.Role == models.RoleRelay || p.Role == models.RoleCook) && p.Scope == id
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
	c.Set(ctxPrincipal, Principal{
		TokenID: strconv.FormatUint(tok.ID, 10),
		Role:    tok.Role,
		Scope:   tok.Scope,
		Name:    tok.Name,
	})
	c.Next()
}

// refuseCredential answers a credential that names no one (a token, or any
// other secret a client presents): unauthorized, and one more failure
// counted for the client's address; or, when that address has failed the
// whole burst, 429 with Retry-After in seconds, not counted. Every way in
// that checks a secret calls it on failure, and only on failure: a success
// neither waits nor resets the count.
func (s *Server) refuseCredential(c *gin.Context, unauthorized *Error) {
	wait := s.limiter.failed(c.ClientIP(), s.now())
	if wait <= 0 {
		s.renderProblem(c, unauthorized)
		return
	}
	secs := int(math.Ceil(wait.Seconds()))
	e := errKind(kindTooManyRequests, textf("Trop d'échecs d'authentification depuis cette adresse : réessayez dans %d s.",
		"Too many failed authentications from this address: retry in %d s.", secs))
	e.Header = map[string]string{"Retry-After": strconv.Itoa(secs)}
	s.renderProblem(c, e)
}

// requireRole lets only the listed roles through (403 for the others); the
// coordinator always passes.
func (s *Server) requireRole(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := mustPrincipal(c)
		if p.isCoordinator() {
			c.Next()
			return
		}
		for _, r := range roles {
			if p.Role == r {
				c.Next()
				return
			}
		}
		s.renderProblem(c, errForbidden)
	}
}

// failureLimiter slows down clients that fail authentication: each address
// has a bucket of authFailBurst failures, refilled by one every
// authFailRefill; while the bucket is empty the address's failures get 429
// instead of 401. Successful requests cost nothing and reset nothing.
type failureLimiter struct {
	mu      sync.Mutex
	burst   float64
	refill  time.Duration
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// Defaults of the failure limiter: ten failures in a row, then one more try
// every six seconds.
const (
	authFailBurst   = 10
	authFailRefill  = 6 * time.Second
	limiterMaxAddrs = 100000
)

func newFailureLimiter(burst int, refill time.Duration) *failureLimiter {
	return &failureLimiter{burst: float64(burst), refill: refill, buckets: map[string]*bucket{}}
}

// level returns an address's bucket refilled up to now (nil when full).
func (l *failureLimiter) level(ip string, now time.Time) *bucket {
	b := l.buckets[ip]
	if b == nil {
		return nil
	}
	b.tokens += float64(now.Sub(b.last)) / float64(l.refill)
	b.last = now
	if b.tokens >= l.burst {
		delete(l.buckets, ip)
		return nil
	}
	return b
}

// failed records a failed authentication from an address, unless the
// address has none left, and returns how long it must then wait: zero when
// the failure was counted (answer 401), else the time until its next try
// (answer 429).
func (l *failureLimiter) failed(ip string, now time.Time) time.Duration {
	if l == nil || l.burst <= 0 {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.level(ip, now)
	if b == nil {
		if len(l.buckets) >= limiterMaxAddrs {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[ip] = b
	}
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) * float64(l.refill))
	}
	b.tokens--
	return 0
}

// sweep forgets addresses whose bucket is full again, so the map stays
// bounded under a spray of addresses.
func (l *failureLimiter) sweep(now time.Time) {
	for ip := range l.buckets {
		l.level(ip, now)
	}
	if len(l.buckets) >= limiterMaxAddrs {
		// Still full of blocked addresses: start afresh rather than grow.
		clear(l.buckets)
	}
}

package api

import (
	"context"
	"sync"
	"time"

	"paniers/models"
)

// tokenLookup is what authentication reads; *models.Store satisfies it.
type tokenLookup interface {
	LookupToken(ctx context.Context, clear string) (models.Token, error)
	// LookupSession authenticates the pages' session cookie on the
	// document routes (see cookieRoutes).
	LookupSession(ctx context.Context, clear string) (models.Token, models.Session, error)
}

var _ tokenLookup = (*models.Store)(nil)

// tokenCache remembers, for a short time, the tokens that authenticated
// requests: under load every request would otherwise read its token from
// the database, and that read was a sixth of an offer post's time. It is
// keyed by the token's SHA-256 (the clear token is never kept), holds only
// tokens that exist (unknown tokens always reach the database and the
// failure limiter), and forgets everything when a token is revoked through
// this server. A token revoked through another instance (several instances
// on one PostgreSQL) stays usable there for at most tokenCacheTTL.
type tokenCache struct {
	mu      sync.RWMutex
	ttl     time.Duration
	entries map[string]cachedToken
}

type cachedToken struct {
	tok     models.Token
	expires time.Time
}

// Bounds of the cache: a revocation takes effect everywhere within
// tokenCacheTTL; past tokenCacheMax tokens the cache starts afresh.
const (
	tokenCacheTTL = 2 * time.Second
	tokenCacheMax = 10000
)

func newTokenCache(ttl time.Duration) *tokenCache {
	return &tokenCache{ttl: ttl, entries: map[string]cachedToken{}}
}

// lookupToken returns the token whose clear value is secret, from the cache
// when it was read less than the TTL ago, else from the store. hash is
// models.HashToken(secret), computed once by the caller, which also needs it.
func (s *Server) lookupToken(ctx context.Context, secret, hash string) (models.Token, error) {
	c := s.tokens
	if c == nil || c.ttl <= 0 {
		return s.store.LookupToken(ctx, secret)
	}
	now := time.Now()
	c.mu.RLock()
	e, ok := c.entries[hash]
	c.mu.RUnlock()
	if ok && now.Before(e.expires) {
		return e.tok, nil
	}
	tok, err := s.store.LookupToken(ctx, secret)
	if err != nil {
		return tok, err
	}
	c.mu.Lock()
	if len(c.entries) >= tokenCacheMax {
		clear(c.entries)
	}
	c.entries[hash] = cachedToken{tok: tok, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return tok, nil
}

// ForgetTokens empties the token cache: the pages call it after revoking a
// token (web.Options.TokensRevoked), so that the token stops working on
// this server's API at once, as after DELETE /api/v1/tokens/{token}.
func (s *Server) ForgetTokens() { s.forgetTokens() }

// forgetTokens empties the cache, after a revocation.
func (s *Server) forgetTokens() {
	if c := s.tokens; c != nil {
		c.mu.Lock()
		clear(c.entries)
		c.mu.Unlock()
	}
}

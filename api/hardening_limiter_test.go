package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// sendFrom sends GET /api/v1/me with token (none when empty) from the
// connection's address remote, with extra headers.
func sendFrom(srv http.Handler, token, remote string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", "/api/v1/me", nil)
	r.RemoteAddr = remote
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	return w
}

// TestLimiterNeverRefusesValidTokens: an address that failed the whole
// burst still serves valid tokens (behind a proxy every client shares it),
// and those successes do not reset the count of failures.
func TestLimiterNeverRefusesValidTokens(t *testing.T) {
	e := newEnv(t)
	const shared = "203.0.113.50:4000"
	for i := 0; i < authFailBurst; i++ {
		if w := sendFrom(e.srv, fmt.Sprintf("guess-%02d-xxxxxxxx", i), shared, nil); w.Code != 401 {
			t.Fatalf("failure %d: %d", i+1, w.Code)
		}
	}
	if w := sendFrom(e.srv, "guess-blocked-xxxxx", shared, nil); w.Code != http.StatusTooManyRequests {
		t.Fatalf("unknown token after the burst: %d, want 429", w.Code)
	}
	for i := 0; i < 3; i++ {
		for _, tok := range []string{tokCoord, tokFarmerA, tokRelayCentre} {
			if w := sendFrom(e.srv, tok, shared, nil); w.Code != 200 {
				t.Fatalf("valid token %s from the blocked address: %d, want 200\n%s", tok, w.Code, w.Body.String())
			}
		}
	}
	if w := sendFrom(e.srv, "guess-after-valid-x", shared, nil); w.Code != http.StatusTooManyRequests {
		t.Errorf("unknown token after valid ones: %d, want 429 (successes must not reset the count)", w.Code)
	}
}

// TestTrustedProxyTellsClientsApart: behind a trusted proxy, the client's
// address comes from X-Forwarded-For, so one guesser behind the proxy does
// not slow down another client; an untrusted peer's X-Forwarded-For (or
// X-Real-IP) is ignored.
func TestTrustedProxyTellsClientsApart(t *testing.T) {
	e := newEnv(t)
	srv := New(e.st, Options{Now: e.clock.Now, Location: e.loc, TrustedProxies: []string{"10.0.0.0/8"}})
	const proxy = "10.1.2.3:443"
	guesser := map[string]string{"X-Forwarded-For": "198.51.100.1"}
	for i := 0; i < authFailBurst; i++ {
		sendFrom(srv, fmt.Sprintf("guess-%02d-xxxxxxxx", i), proxy, guesser)
	}
	if w := sendFrom(srv, "guess-blocked-xxxxx", proxy, guesser); w.Code != http.StatusTooManyRequests {
		t.Fatalf("the guesser behind the proxy: %d, want 429", w.Code)
	}
	if w := sendFrom(srv, "unknown-but-other-x", proxy, map[string]string{"X-Forwarded-For": "198.51.100.2"}); w.Code != 401 {
		t.Errorf("another client behind the proxy: %d, want 401 (not slowed down)", w.Code)
	}
	// Not from the proxy: the forwarded headers are the client's own
	// words, and the connection's address counts.
	const direct = "192.0.2.77:5000"
	for i := 0; i < authFailBurst; i++ {
		sendFrom(srv, fmt.Sprintf("guess-%02d-xxxxxxxx", i), direct, map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", 100+i)})
	}
	for _, h := range []map[string]string{{"X-Forwarded-For": "198.51.100.200"}, {"X-Real-IP": "198.51.100.201"}} {
		if w := sendFrom(srv, "guess-spoofed-xxxxx", direct, h); w.Code != http.StatusTooManyRequests {
			t.Errorf("spoofed %v from an untrusted peer: %d, want 429", h, w.Code)
		}
	}
	// X-Real-IP from the trusted proxy is not believed: only
	// X-Forwarded-For is, so without it the proxy's address counts.
	for i := 0; i < authFailBurst; i++ {
		sendFrom(srv, fmt.Sprintf("guess-%02d-xxxxxxxx", i), "10.9.9.9:443", map[string]string{"X-Real-IP": fmt.Sprintf("198.51.100.%d", 150+i)})
	}
	if w := sendFrom(srv, "guess-real-ip-xxxxx", "10.9.9.9:443", map[string]string{"X-Real-IP": "198.51.100.99"}); w.Code != http.StatusTooManyRequests {
		t.Errorf("X-Real-IP changed the client's address: %d, want 429", w.Code)
	}
}

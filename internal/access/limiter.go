package access

import (
	"math"
	"sync"
	"time"
)

// Limiter slows down clients that fail to authenticate, whatever the door
// (a bearer token, a pasted token, a sign-in link): each address has a
// bucket of burst failures, refilled by one every refill; while the bucket
// is empty the address's failures get 429 instead of 401. Successful
// requests cost nothing and reset nothing. One
// Limiter serves the API and the pages, so a guesser cannot double its
// tries by switching doors. It is safe for concurrent use; a nil *Limiter
// or a burst <= 0 limits nothing.
type Limiter struct {
	mu      sync.Mutex
	burst   float64
	refill  time.Duration
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// Defaults of the limiter: ten failures in a row, then one more try every
// six seconds.
const (
	DefaultBurst    = 10
	DefaultRefill   = 6 * time.Second
	limiterMaxAddrs = 100000
)

// NewLimiter makes a limiter allowing burst failures in a row, then one
// every refill. Zero values mean the defaults; a negative burst disables
// the limit.
func NewLimiter(burst int, refill time.Duration) *Limiter {
	if burst == 0 {
		burst = DefaultBurst
	}
	if refill <= 0 {
		refill = DefaultRefill
	}
	return &Limiter{burst: float64(burst), refill: refill, buckets: map[string]*bucket{}}
}

// level returns an address's bucket refilled up to now (nil when full).
func (l *Limiter) level(ip string, now time.Time) *bucket {
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

// Failed records a failed authentication from an address, unless the
// address has none left, and returns how long it must then wait: zero when
// the failure was counted (refuse it as a bad credential), else the time
// until its next try (answer 429). Successful authentications are never
// refused: only failures are limited.
func (l *Limiter) Failed(ip string, now time.Time) time.Duration {
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
func (l *Limiter) sweep(now time.Time) {
	for ip := range l.buckets {
		l.level(ip, now)
	}
	if len(l.buckets) >= limiterMaxAddrs {
		// Still full of blocked addresses: start afresh rather than grow.
		clear(l.buckets)
	}
}

// RetrySeconds is a wait rounded up to whole seconds, for Retry-After.
func RetrySeconds(wait time.Duration) int { return int(math.Ceil(wait.Seconds())) }

// Package testclock is the settable clock of the tests that drive the store,
// the API and the jobs through time (cutoffs, schedules, rate limits): one
// value whose Now is passed where the code takes a clock, moved by Set from
// the test while handlers and jobs read it from their own goroutines.
package testclock

import (
	"sync"
	"time"
)

// Clock is a time that only moves when Set. It is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a clock showing t.
func New(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time; pass it as the code's `now func() time.Time`.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

package demo

import (
	"sync"
	"time"
)

// Clock is the store's clock while the demo loads. LoadOpenings sets it to
// moments of the demo's past, so that applications, moves, interviews and
// messages happen through the services on the days they did; between
// those moments, and once loading is over, it reads the present.
//
// The store reads its clock once per transaction, so a server that loads
// the demo before it serves any request never sees a shifted time.
type Clock struct {
	mu      sync.Mutex
	present func() time.Time
	at      time.Time
}

// NewClock returns a clock that reads present (time.Now when nil) until
// the demo sets it.
func NewClock(present func() time.Time) *Clock {
	if present == nil {
		present = time.Now
	}
	return &Clock{present: present}
}

// Now returns the moment the demo is loading, or else the present. Pass
// the method value as the store's clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() {
		return c.at
	}
	return c.present()
}

// Present returns the real time, whatever moment the demo is loading.
func (c *Clock) Present() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.present()
}

// set makes the clock say t; the zero time returns it to the present.
func (c *Clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = t
}

package web

import (
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// rateLimiter is a token bucket per client address. Each address may spend
// burst tokens at once, and earns them back at rate per second. Buckets
// that have filled up again are forgotten, so memory grows with the number
// of recently active addresses only.
type rateLimiter struct {
	rate  float64
	burst float64
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// sweepEvery is how often full buckets are forgotten, and sweepAbove the
// number of buckets that forces a sweep sooner.
const (
	sweepEvery = time.Minute
	sweepAbove = 10_000
)

// newRateLimiter returns a limiter of perMinute requests a minute with the
// burst, or nil (no limit) when perMinute is negative. Zero values take
// the defaults: 10 a minute, 5 at once.
func newRateLimiter(perMinute, burst int, now func() time.Time) *rateLimiter {
	switch {
	case perMinute < 0:
		return nil
	case perMinute == 0:
		perMinute = 10
	}
	if burst <= 0 {
		burst = 5
	}
	return &rateLimiter{
		rate:    float64(perMinute) / 60,
		burst:   float64(burst),
		now:     now,
		buckets: map[string]*bucket{},
	}
}

// allow spends a token of key's bucket. When none is left it returns false
// and how long until one is.
func (l *rateLimiter) allow(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = l.refill(b, now)
	b.last = now
	if b.tokens < 1 {
		wait := time.Duration(math.Ceil((1 - b.tokens) / l.rate * float64(time.Second)))
		return false, wait
	}
	b.tokens--
	return true, 0
}

// refill is the bucket's tokens at now.
func (l *rateLimiter) refill(b *bucket, now time.Time) float64 {
	elapsed := now.Sub(b.last).Seconds()
	if elapsed < 0 {
		elapsed = 0
	}
	return math.Min(l.burst, b.tokens+elapsed*l.rate)
}

// sweep forgets the buckets that are full again; the caller holds mu.
func (l *rateLimiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < sweepEvery && len(l.buckets) < sweepAbove {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if l.refill(b, now) >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// clientAddress is the address a request is limited by: the connection's
// peer, or, behind a reverse proxy, the last address the proxy appended to
// X-Forwarded-For (earlier entries are whatever the client claimed). IPv6
// addresses count by their /64 network, which one household or server
// usually holds whole.
func clientAddress(r *http.Request, behindProxy bool) string {
	host := r.RemoteAddr
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if behindProxy {
		if fwd := lastForwarded(r.Header.Values("X-Forwarded-For")); fwd != "" {
			host = fwd
		}
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip4 := ip.To4(); ip4 != nil {
		return ip4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// lastForwarded returns the last entry of X-Forwarded-For when it is an
// address. Only that entry was written by our proxy; when it is not an
// address, nothing before it can be trusted either.
func lastForwarded(values []string) string {
	if len(values) == 0 {
		return ""
	}
	last := values[len(values)-1]
	last = strings.TrimSpace(last[strings.LastIndexByte(last, ',')+1:])
	if net.ParseIP(last) == nil {
		return ""
	}
	return last
}

package web

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestRateLimiter(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	t.Run("AllowsTheBurstThenRefills", func(t *testing.T) {
		l := newRateLimiter(6, 2, clock) // One token every 10 seconds.
		for i := 0; i < 2; i++ {
			if ok, _ := l.allow("a"); !ok {
				t.Fatalf("request %d of the burst refused", i+1)
			}
		}
		ok, wait := l.allow("a")
		if ok || wait != 10*time.Second {
			t.Errorf("past the burst: ok %v, wait %v; want refused, 10s", ok, wait)
		}
		if ok, _ := l.allow("b"); !ok {
			t.Error("another address shares the first one's bucket")
		}
		now = now.Add(10 * time.Second)
		if ok, _ := l.allow("a"); !ok {
			t.Error("a token earned back was refused")
		}
		if ok, _ := l.allow("a"); ok {
			t.Error("more tokens than were earned back")
		}
	})
	t.Run("ForgetsFullBuckets", func(t *testing.T) {
		l := newRateLimiter(60, 1, clock)
		l.allow("a")
		now = now.Add(2 * sweepEvery)
		l.allow("b")
		if _, ok := l.buckets["a"]; ok {
			t.Error("a full bucket was kept")
		}
	})
	t.Run("NegativeRateTurnsTheLimitOff", func(t *testing.T) {
		l := newRateLimiter(-1, 0, clock)
		for i := 0; i < 100; i++ {
			if ok, _ := l.allow("a"); !ok {
				t.Fatal("a disabled limiter refused a request")
			}
		}
	})
}

func TestClientAddress(t *testing.T) {
	for _, tc := range []struct {
		name, remote, forwarded string
		proxy                   bool
		want                    string
	}{
		{"PeerAddress", "192.0.2.1:5000", "", false, "192.0.2.1"},
		{"ForwardedIgnoredWithoutProxy", "192.0.2.1:5000", "203.0.113.9", false, "192.0.2.1"},
		{"LastForwardedBehindProxy", "10.0.0.1:5000", "198.51.100.7, 203.0.113.9", true, "203.0.113.9"},
		{"GarbageForwardedFallsBack", "10.0.0.1:5000", "203.0.113.9, nonsense", true, "10.0.0.1"},
		{"IPv6ByNetwork", "[2001:db8:1:2:3:4:5:6]:443", "", false, "2001:db8:1:2::/64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/jobs/1/apply", nil)
			r.RemoteAddr = tc.remote
			if tc.forwarded != "" {
				r.Header.Set("X-Forwarded-For", tc.forwarded)
			}
			if got := clientAddress(r, tc.proxy); got != tc.want {
				t.Errorf("clientAddress = %q, want %q", got, tc.want)
			}
		})
	}
}

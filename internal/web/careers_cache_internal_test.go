package web

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hireloop/internal/jobboard"
)

// testClock is a settable clock for the cache's own tests.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestCache(size int) (*pageCache, *testClock) {
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	return newPageCache(2*time.Second, size, clock.now), clock
}

// render returns a load function that counts its calls.
func render(calls *atomic.Int32, key, body string) func(time.Time) (*cachedPage, error) {
	return func(at time.Time) (*cachedPage, error) {
		calls.Add(1)
		return newCachedPage(key, at, []byte(body)), nil
	}
}

func TestPageCache(t *testing.T) {
	ctx := context.Background()

	t.Run("RendersOnceForRequestsThatArriveTogether", func(t *testing.T) {
		c, _ := newTestCache(8)
		const requests = 8
		var calls, arrived atomic.Int32
		load := func(at time.Time) (*cachedPage, error) {
			calls.Add(1)
			// Hold the rendering until every other request has asked and
			// had time to find it under way.
			for arrived.Load() < requests-1 {
				runtime.Gosched()
			}
			time.Sleep(20 * time.Millisecond)
			return newCachedPage("all", at, []byte("<p>jobs</p>")), nil
		}
		var wg sync.WaitGroup
		got := make([]*cachedPage, requests)
		wg.Go(func() { got[0], _ = c.get(ctx, "all", load) })
		for calls.Load() == 0 {
			runtime.Gosched()
		}
		for i := 1; i < requests; i++ {
			wg.Go(func() {
				arrived.Add(1)
				got[i], _ = c.get(ctx, "all", load)
			})
		}
		wg.Wait()
		if n := calls.Load(); n != 1 {
			t.Errorf("rendered %d times, want once", n)
		}
		for i, p := range got {
			if p == nil || string(p.body) != "<p>jobs</p>" {
				t.Errorf("request %d got %v, want the one rendering", i, p)
			}
		}
	})

	t.Run("RendersAgainAfterTheTTL", func(t *testing.T) {
		c, clock := newTestCache(8)
		var calls atomic.Int32
		_, _ = c.get(ctx, "all", render(&calls, "all", "first"))
		clock.advance(time.Second)
		p, _ := c.get(ctx, "all", render(&calls, "all", "second"))
		if string(p.body) != "first" {
			t.Errorf("within the TTL got %q, want the cached %q", p.body, "first")
		}
		clock.advance(time.Second)
		p, _ = c.get(ctx, "all", render(&calls, "all", "second"))
		if string(p.body) != "second" || calls.Load() != 2 {
			t.Errorf("at the TTL got %q after %d renderings, want a new one", p.body, calls.Load())
		}
	})

	t.Run("AnswersWithTheStalePageWhileTheNextRenders", func(t *testing.T) {
		c, clock := newTestCache(8)
		var calls atomic.Int32
		_, _ = c.get(ctx, "all", render(&calls, "all", "first"))
		clock.advance(2 * time.Second)
		started, release := make(chan struct{}), make(chan struct{})
		done := make(chan *cachedPage)
		go func() {
			p, _ := c.get(ctx, "all", func(at time.Time) (*cachedPage, error) {
				close(started)
				<-release
				return newCachedPage("all", at, []byte("second")), nil
			})
			done <- p
		}()
		<-started
		p, _ := c.get(ctx, "all", render(&calls, "all", "unexpected"))
		if p == nil || string(p.body) != "first" || calls.Load() != 1 {
			t.Errorf("during the rendering got %v after %d renderings, want the stale page at once", p, calls.Load())
		}
		close(release)
		if p := <-done; string(p.body) != "second" {
			t.Errorf("the rendering request got %q, want its own page", p.body)
		}
		if p, _ := c.get(ctx, "all", render(&calls, "all", "unexpected")); string(p.body) != "second" {
			t.Errorf("after the rendering got %q, want the new page", p.body)
		}
	})

	t.Run("KeepsNeitherErrorsNorRefusedPages", func(t *testing.T) {
		c, _ := newTestCache(8)
		boom := errors.New("store down")
		p, err := c.get(ctx, "all", func(time.Time) (*cachedPage, error) { return nil, boom })
		if p != nil || !errors.Is(err, boom) {
			t.Fatalf("get = %v, %v; want nil and the load's error", p, err)
		}
		_, _ = c.get(ctx, "all", func(time.Time) (*cachedPage, error) { return nil, nil })
		var calls atomic.Int32
		p, _ = c.get(ctx, "all", render(&calls, "all", "ok"))
		if calls.Load() != 1 || string(p.body) != "ok" {
			t.Error("a failed rendering was kept in place of a new one")
		}
	})

	t.Run("DropsTheLeastRecentlyUsedWhenFull", func(t *testing.T) {
		c, _ := newTestCache(3)
		var calls atomic.Int32
		for i := range 3 {
			key := strconv.Itoa(i)
			_, _ = c.get(ctx, key, render(&calls, key, key))
		}
		_, _ = c.get(ctx, "0", render(&calls, "0", "0")) // 1 is now the least recent
		_, _ = c.get(ctx, "3", render(&calls, "3", "3"))
		if len(c.entries) != 3 || c.order.Len() != 3 {
			t.Fatalf("cache holds %d pages (%d in order), want 3", len(c.entries), c.order.Len())
		}
		for key, want := range map[string]bool{"0": true, "1": false, "2": true, "3": true} {
			if _, ok := c.entries[key]; ok != want {
				t.Errorf("page %s kept = %t, want %t", key, ok, want)
			}
		}
	})

	t.Run("DropsStalePagesWhenAdding", func(t *testing.T) {
		c, clock := newTestCache(8)
		var calls atomic.Int32
		_, _ = c.get(ctx, "old", render(&calls, "old", "old"))
		clock.advance(time.Minute)
		_, _ = c.get(ctx, "new", render(&calls, "new", "new"))
		if _, ok := c.entries["old"]; ok || len(c.entries) != 1 {
			t.Errorf("a stale page is still held (%d pages)", len(c.entries))
		}
	})

	t.Run("ARenderingThatPanicsReleasesTheWaiters", func(t *testing.T) {
		c, _ := newTestCache(8)
		func() {
			defer func() { _ = recover() }()
			_, _ = c.get(ctx, "all", func(time.Time) (*cachedPage, error) { panic("template bug") })
		}()
		var calls atomic.Int32
		done := make(chan struct{})
		go func() {
			_, _ = c.get(ctx, "all", render(&calls, "all", "ok"))
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("a request still waits for a rendering that panicked")
		}
	})
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                     false,
		"gzip":                 true,
		"GZIP":                 true,
		"br, gzip, deflate":    true,
		"gzip;q=0.5":           true,
		"gzip;q=0":             false,
		"gzip; q=0.0, br":      false,
		"*":                    true,
		"*;q=0":                false,
		"gzip;q=0, *":          false,
		"identity":             false,
		"deflate, br":          false,
		"x-gzip":               true,
		"gzip;level=9;q=0.001": true,
	} {
		if got := jobboard.AcceptsGzip(header); got != want {
			t.Errorf("AcceptsGzip(%q) = %t, want %t", header, got, want)
		}
	}
}

func TestMatchesETag(t *testing.T) {
	p := newCachedPage("all", time.Now(), []byte("<p>jobs</p>"))
	for header, want := range map[string]bool{
		"":                        false,
		p.etag:                    true,
		p.gzETag:                  true,
		"W/" + p.etag:             true,
		`"nope", ` + p.etag:       true,
		`"nope"`:                  false,
		"*":                       true,
		p.etag[1 : len(p.etag)-1]: false,
	} {
		if got := matchesETag(header, p); got != want {
			t.Errorf("matchesETag(%q) = %t, want %t", header, got, want)
		}
	}
}

package web

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/jobboard"
)

// The job list is the page a careers site is asked for most, by people and
// by crawlers, and reading every open opening for each request does not
// scale. So the anonymous rendering of its common variants (all jobs, one
// department's jobs) is kept for jobListTTL: one request renders, the
// others served meanwhile reuse the bytes, gzip-compressed once. A job a
// recruiter opens, edits or closes shows on the list within jobListTTL,
// browser caches included, as max-age is what is left of that time.
//
// Only pages that carry nothing personal are cached: a signed-in visitor, or
// one with a message waiting in the session, gets a fresh rendering, so one
// person's name never reaches another through the cache.

// jobListTTL is how long a rendered job list is reused; the job board API
// keeps its answers as long (boardCacheTTL).
const jobListTTL = 2 * time.Second

// maxCachedPages bounds the cache: the variants worth keeping are one per
// department, and a crawler trying department ids cannot make it grow.
const maxCachedPages = 256

// cachedPage is one rendered page, plain and gzip-compressed.
type cachedPage struct {
	key string
	// at is when the rendering began, so the TTL bounds the age of the data.
	at   time.Time
	body []byte
	gz   []byte
	// etag and gzETag name the two encodings; both derive from body.
	etag, gzETag string
}

func newCachedPage(key string, at time.Time, body []byte) *cachedPage {
	p := &cachedPage{key: key, at: at, body: body}
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:12])
	p.etag, p.gzETag = `"`+tag+`"`, `"`+tag+`-gzip"`
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(body); err == nil && zw.Close() == nil && buf.Len() < len(body) {
		p.gz = buf.Bytes()
	}
	return p
}

// pageCache keeps rendered pages by key for a TTL, dropping the least
// recently used beyond its size. When a page is missing or stale, one
// request renders it; the others asking for the same key meanwhile get the
// stale page if there is one, and otherwise wait for that rendering
// instead of repeating it, so a busy list never stalls every visitor.
type pageCache struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu      sync.Mutex
	entries map[string]*list.Element // of *cachedPage
	order   *list.List               // most recently used first
	loading map[string]*pageLoad
}

// pageLoad is a rendering under way; done closes when page is set.
type pageLoad struct {
	done chan struct{}
	page *cachedPage
}

func newPageCache(ttl time.Duration, size int, now func() time.Time) *pageCache {
	return &pageCache{ttl: ttl, max: size, now: now,
		entries: map[string]*list.Element{}, order: list.New(), loading: map[string]*pageLoad{}}
}

// fresh reports whether p may still be served at now.
func (c *pageCache) fresh(p *cachedPage, now time.Time) bool {
	age := now.Sub(p.at)
	return age >= 0 && age < c.ttl
}

// get returns the page cached under key, rendering it with load when it is
// missing or stale. load returns nil for an answer that must not be kept
// (an error page); get then returns nil and an error from load, and
// requests that waited for it get nil and render for themselves.
func (c *pageCache) get(ctx context.Context, key string, load func(at time.Time) (*cachedPage, error)) (*cachedPage, error) {
	c.mu.Lock()
	now := c.now()
	var stale *cachedPage
	if e, ok := c.entries[key]; ok {
		p := e.Value.(*cachedPage)
		if c.fresh(p, now) {
			c.order.MoveToFront(e)
			c.mu.Unlock()
			return p, nil
		}
		stale = p
	}
	if l, ok := c.loading[key]; ok {
		c.mu.Unlock()
		if stale != nil {
			// The next rendering is under way; this request is answered
			// with the last one (max-age 0) rather than waiting for it.
			return stale, nil
		}
		select {
		case <-l.done:
			return l.page, nil
		case <-ctx.Done():
			return nil, nil
		}
	}
	l := &pageLoad{done: make(chan struct{})}
	c.loading[key] = l
	c.mu.Unlock()

	// The deferred clean-up runs even if load panics, so that no request
	// waits for a rendering that will never come.
	defer func() {
		c.mu.Lock()
		delete(c.loading, key)
		if l.page != nil {
			c.add(l.page)
		}
		c.mu.Unlock()
		close(l.done)
	}()
	p, err := load(now)
	if err != nil {
		return nil, err
	}
	l.page = p
	return p, nil
}

// add stores p, first dropping stale pages and then, while the cache is
// full, the least recently used. The caller holds c.mu.
func (c *pageCache) add(p *cachedPage) {
	now := c.now()
	if e, ok := c.entries[p.key]; ok {
		c.order.Remove(e)
		delete(c.entries, p.key)
	}
	for key, e := range c.entries {
		if !c.fresh(e.Value.(*cachedPage), now) {
			c.order.Remove(e)
			delete(c.entries, key)
		}
	}
	for len(c.entries) >= c.max && c.order.Len() > 0 {
		e := c.order.Back()
		c.order.Remove(e)
		delete(c.entries, e.Value.(*cachedPage).key)
	}
	c.entries[p.key] = c.order.PushFront(p)
}

// serve answers with p: gzip-compressed when the client accepts it, and
// 304 Not Modified when the client already holds this version.
func (c *pageCache) serve(w http.ResponseWriter, r *http.Request, p *cachedPage) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	maxAge := max(int((c.ttl-c.now().Sub(p.at))/time.Second), 0)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(maxAge))
	// Cookie, because a signed-in visitor gets another page at this address.
	h.Set("Vary", "Accept-Encoding, Cookie")
	body, etag := p.body, p.etag
	if p.gz != nil && jobboard.AcceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag = p.gz, p.gzETag
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	if matchesETag(r.Header.Get("If-None-Match"), p) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// matchesETag reads If-None-Match with the weak comparison it calls for;
// both encodings of a page are the same version of it.
func matchesETag(header string, p *cachedPage) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == p.etag || tag == p.gzETag {
			return true
		}
	}
	return false
}

// pageRecorder captures a rendering so it can be cached before it is sent.
type pageRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (p *pageRecorder) Header() http.Header { return p.header }

func (p *pageRecorder) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return p.body.Write(b)
}

func (p *pageRecorder) WriteHeader(status int) {
	if p.status == 0 {
		p.status = status
	}
}

// jobListKey says under which key the job list for r may be cached: only
// for a visitor who is not signed in and has no message waiting, and only
// for the whole list or one department's. ok is false for every other
// request, which gets a fresh rendering.
func (s *Server) jobListKey(r *http.Request, f jobFilter) (key string, ok bool) {
	if hiring.ActorFromContext(r.Context()) != nil || s.flashPending(r) {
		return "", false
	}
	switch {
	case !f.any():
		return "all", true
	case f.q == "" && f.location == "" && f.remote == "":
		return "department=" + strconv.FormatInt(*f.department, 10), true
	}
	return "", false
}

// flashPending reports whether the session holds a message for the next
// page; a request without a session has none.
func (s *Server) flashPending(r *http.Request) (pending bool) {
	if s.sessions == nil {
		return false
	}
	defer func() {
		if recover() != nil {
			pending = false
		}
	}()
	return s.sessions.Exists(r.Context(), flashKey)
}

// maxCachedOpenings bounds the openings kept for the job pages.
const maxCachedOpenings = 1024

// openingCache keeps the openings the public reads (a job page, its
// application form and confirmation) for jobListTTL, so that a popular job
// or a wave of applications reads the opening once per TTL rather than on
// every request. Applying never trusts it: the store checks the opening
// again in the transaction that takes the application, so a job closed a
// moment ago takes no more. The openings are shared between requests and
// must not be changed.
type openingCache struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu    sync.Mutex
	items map[int64]cachedOpening
}

type cachedOpening struct {
	o  *hiring.Opening
	at time.Time
}

func newOpeningCache(ttl time.Duration, size int, now func() time.Time) *openingCache {
	return &openingCache{ttl: ttl, max: size, now: now, items: map[int64]cachedOpening{}}
}

// get returns the opening with id when it was read less than the TTL ago.
func (c *openingCache) get(id int64) *hiring.Opening {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.items[id]
	if age := c.now().Sub(it.at); !ok || age < 0 || age >= c.ttl {
		return nil
	}
	return it.o
}

// put keeps o as read at at; a full cache is emptied first, which costs
// one read per opening in use and keeps the code simple.
func (c *openingCache) put(o *hiring.Opening, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= c.max {
		clear(c.items)
	}
	c.items[o.ID] = cachedOpening{o: o, at: at}
}

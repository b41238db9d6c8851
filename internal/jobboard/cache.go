package jobboard

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Reading the board.
//
// Every read route shows the board as one read of the store: the open
// openings and the departments. With Handler.CacheTTL set, that read is
// reused for the TTL, and so is each answer made from it, so that a busy
// careers site or aggregator costs one store read per TTL rather than one
// per request; Greenhouse's own board API is cached in the same way. An
// application may take its job's questions from the cache, but whether the
// job still takes applications is always checked in the store, in the
// application's transaction, so a job closed a moment ago takes no more.

// snapshot is one read of the board and the answers encoded from it.
type snapshot struct {
	board *board
	at    time.Time

	mu      sync.Mutex
	answers map[string]*answer
}

// answer is one route's answer made from a snapshot. The first request for
// it encodes it; requests that arrive meanwhile wait for that encoding
// instead of repeating it, so that a new snapshot under load costs one
// encoding per answer, not one per waiting client.
type answer struct {
	once sync.Once
	enc  *encoded
	err  error
}

// encoded is one answer's JSON and, for clients that take it, the same
// answer gzip-compressed: a list of 500 jobs shrinks about tenfold, which
// is most of the cost of sending it.
type encoded struct {
	data []byte
	// gz holds data and the newline writeEncoded ends it with; nil when
	// compressing saves nothing.
	gz []byte
}

func newEncoded(data []byte) *encoded {
	e := &encoded{data: data}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(data)
	_, _ = zw.Write([]byte("\n"))
	if zw.Close() == nil && buf.Len() < len(data) {
		e.gz = buf.Bytes()
	}
	return e
}

// answer returns the answer under key, adding an empty one to fill.
func (s *snapshot) answer(key string) *answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.answers[key]
	if !ok {
		a = &answer{}
		s.answers[key] = a
	}
	return a
}

// forget drops a failed answer, so that errors are never kept.
func (s *snapshot) forget(key string, a *answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.answers[key] == a {
		delete(s.answers, key)
	}
}

// snapshotCache holds the current snapshot. When it has expired, one
// request reads the store for the next; requests that arrive meanwhile are
// answered from the expired one rather than waiting, so a busy board never
// stalls every client for a read. Only when there is no snapshot at all do
// they wait for the read.
type snapshotCache struct {
	mu      sync.Mutex
	current *snapshot
	// loading is closed when the read under way ends; nil when none is.
	loading chan struct{}
}

// readBoard returns the board, from the cache when it is fresh, and the
// snapshot to cache answers in (nil when nothing is cached).
func (h *Handler) readBoard(ctx context.Context) (*board, *snapshot, error) {
	if h.CacheTTL <= 0 {
		b, err := h.loadBoard(ctx)
		return b, nil, err
	}
	for {
		h.cache.mu.Lock()
		now := h.now()
		s := h.cache.current
		if s != nil && now.Sub(s.at) < h.CacheTTL && !now.Before(s.at) {
			h.cache.mu.Unlock()
			return s.board, s, nil
		}
		if wait := h.cache.loading; wait != nil {
			h.cache.mu.Unlock()
			if s != nil {
				return s.board, s, nil
			}
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			}
		}
		h.cache.loading = make(chan struct{})
		h.cache.mu.Unlock()
		return h.loadSnapshot(ctx, now)
	}
}

// loadSnapshot reads the board for the cache. Its clean-up runs even if
// the read panics, so that no request waits for a read that never ends.
func (h *Handler) loadSnapshot(ctx context.Context, at time.Time) (b *board, s *snapshot, err error) {
	defer func() {
		h.cache.mu.Lock()
		if s != nil {
			h.cache.current = s
		}
		close(h.cache.loading)
		h.cache.loading = nil
		h.cache.mu.Unlock()
	}()
	if b, err = h.loadBoard(ctx); err != nil {
		return nil, nil, err
	}
	return b, &snapshot{board: b, at: at, answers: map[string]*answer{}}, nil
}

// respond answers a read route with what build makes from the board,
// encoded once per snapshot under key. Errors, such as not found, are
// never cached.
func (h *Handler) respond(w http.ResponseWriter, r *http.Request, key string, build func(b *board) (any, error)) error {
	if err := h.checkBoard(r); err != nil {
		return err
	}
	if err := checkCallback(r); err != nil {
		return err
	}
	b, snap, err := h.readBoard(r.Context())
	if err != nil {
		return err
	}
	if snap == nil {
		data, err := encode(b, build)
		if err != nil {
			return err
		}
		writeEncoded(w, r, data)
		return nil
	}
	a := snap.answer(key)
	a.once.Do(func() {
		var data []byte
		if data, a.err = encode(b, build); a.err == nil {
			a.enc = newEncoded(data)
		}
	})
	if a.err != nil || a.enc == nil {
		snap.forget(key, a)
		if a.err == nil {
			return errors.New("jobboard: encoding an answer failed")
		}
		return a.err
	}
	writeCached(w, r, a.enc)
	return nil
}

func encode(b *board, build func(b *board) (any, error)) ([]byte, error) {
	v, err := build(b)
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// writeCached answers with a cached answer, compressed when the client
// accepts gzip and asks for no JSONP callback (the callback varies by
// request, so that answer is wrapped afresh each time).
func writeCached(w http.ResponseWriter, r *http.Request, e *encoded) {
	w.Header().Add("Vary", "Accept-Encoding")
	if e.gz == nil || r.URL.Query().Get("callback") != "" || !AcceptsGzip(r.Header.Get("Accept-Encoding")) {
		writeEncoded(w, r, e.data)
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(len(e.gz)))
	_, _ = w.Write(e.gz)
}

// AcceptsGzip reads an Accept-Encoding header: gzip (or *) listed without
// a zero quality. The careers pages' cache uses it too.
func AcceptsGzip(header string) bool {
	ok := false
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		refused := false
		for param := range strings.SplitSeq(params, ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(param), "=")
			if q, err := strconv.ParseFloat(strings.TrimSpace(value), 64); strings.EqualFold(name, "q") && err == nil && q == 0 {
				refused = true
			}
		}
		if coding != "*" {
			return !refused // an explicit gzip entry overrides *
		}
		ok = !refused
	}
	return ok
}

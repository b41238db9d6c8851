package jobboard

import (
	"context"
	"encoding/json"
	"net/http"
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
// application is always checked against the store, never the cache, so a
// job closed a moment ago takes no more applications.

// snapshot is one read of the board and the answers encoded from it.
type snapshot struct {
	board *board
	at    time.Time

	mu      sync.Mutex
	encoded map[string][]byte
}

func (s *snapshot) get(key string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.encoded[key]
}

func (s *snapshot) put(key string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.encoded[key] = data
}

// snapshotCache holds the current snapshot; one request at a time reads
// the store when it has expired, and the others wait for its read.
type snapshotCache struct {
	mu      sync.Mutex
	current *snapshot
}

// readBoard returns the board, from the cache when it is fresh, and the
// snapshot to cache answers in (nil when nothing is cached).
func (h *Handler) readBoard(ctx context.Context) (*board, *snapshot, error) {
	if h.CacheTTL <= 0 {
		b, err := h.loadBoard(ctx)
		return b, nil, err
	}
	h.cache.mu.Lock()
	defer h.cache.mu.Unlock()
	now := h.now()
	if s := h.cache.current; s != nil && now.Sub(s.at) < h.CacheTTL && !now.Before(s.at) {
		return s.board, s, nil
	}
	b, err := h.loadBoard(ctx)
	if err != nil {
		return nil, nil, err
	}
	h.cache.current = &snapshot{board: b, at: now, encoded: map[string][]byte{}}
	return b, h.cache.current, nil
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
	if snap != nil {
		if data := snap.get(key); data != nil {
			writeEncoded(w, r, data)
			return nil
		}
	}
	v, err := build(b)
	if err != nil {
		return err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if snap != nil {
		snap.put(key, data)
	}
	writeEncoded(w, r, data)
	return nil
}

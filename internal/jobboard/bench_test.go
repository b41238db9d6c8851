package jobboard_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
)

// BenchmarkListJobs measures GET /jobs on a board of 500 open openings,
// reading the store on every request and with the board cached:
//
//	go test -run '^$' -bench ListJobs ./internal/jobboard/
func BenchmarkListJobs(b *testing.B) {
	db := hiringtest.MustOpenStore(b, "sqlite")
	for i := range 500 {
		hiringtest.MustOpenOpening(b, db, hiring.NewOpening{Title: fmt.Sprintf("Engineer %03d", i),
			Locations: []hiring.Location{{Name: []string{"Berlin", "Lisbon", "Remote"}[i%3], Remote: i%3 == 2}}})
	}
	for _, bc := range []struct {
		name string
		ttl  time.Duration
	}{{"store", 0}, {"cached", time.Second}} {
		for _, target := range []string{path("/jobs"), path("/jobs?content=true")} {
			b.Run(bc.name+target[len(path("")):], func(b *testing.B) {
				h := newHandler(b, db)
				h.CacheTTL = bc.ttl
				req := httptest.NewRequest(http.MethodGet, target, nil)
				for b.Loop() {
					w := &discardWriter{header: http.Header{}}
					h.ServeHTTP(w, req)
					if w.status != http.StatusOK && w.status != 0 {
						b.Fatalf("status %d", w.status)
					}
				}
			})
		}
	}
}

// discardWriter is a ResponseWriter that keeps nothing, so that a benchmark
// measures the handler and not a recorder's buffer.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

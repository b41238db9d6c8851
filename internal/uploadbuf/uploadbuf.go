// Package uploadbuf keeps the buffers that uploaded files are read into, so
// that a busy careers site or job board does not allocate (and clear, and
// collect) a resume's size of memory for each application.
package uploadbuf

import (
	"bytes"
	"io"
	"sync"
)

var pool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooled is the largest buffer kept for reuse; a rare larger upload's
// buffer is left to the collector.
const maxPooled = 1 << 20

// Set holds the buffers one request has read its files into. Its zero
// value is ready to use.
type Set struct {
	bufs []*bytes.Buffer
}

// Read reads r, up to limit bytes, into a pooled buffer and returns the
// bytes read, which stay valid until Release.
func (s *Set) Read(r io.Reader, limit int64) ([]byte, error) {
	b := pool.Get().(*bytes.Buffer)
	b.Reset()
	s.bufs = append(s.bufs, b)
	_, err := b.ReadFrom(io.LimitReader(r, limit))
	return b.Bytes(), err
}

// Release gives the buffers back, once nothing reads the bytes that Read
// returned.
func (s *Set) Release() {
	for _, b := range s.bufs {
		if b.Cap() <= maxPooled {
			pool.Put(b)
		}
	}
	s.bufs = nil
}

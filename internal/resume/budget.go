package resume

import (
	"context"
	"errors"
	"io"
)

// errTooMuchData reports that a file expands past Limits.MaxUncompressed.
var errTooMuchData = errors.New("resume: file expands past the uncompressed limit")

// budget counts the bytes a file may expand to across all of its parts, so a
// small file cannot make the reader allocate without bound.
type budget struct {
	left int64
}

func (b *budget) take(n int) error {
	b.left -= int64(n)
	if b.left < 0 {
		return errTooMuchData
	}
	return nil
}

// readAllBudget reads r to the end in chunks, charging each chunk to b and
// checking ctx between chunks, so neither a decompression bomb nor a slow
// stream outlives the limits. A reader that fails part-way returns what it
// produced together with the error.
func readAllBudget(ctx context.Context, r io.Reader, b *budget) ([]byte, error) {
	const chunk = 32 << 10
	var out []byte
	for {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if cap(out)-len(out) < chunk {
			grown := make([]byte, len(out), 2*cap(out)+chunk)
			copy(grown, out)
			out = grown
		}
		n, err := r.Read(out[len(out) : len(out)+chunk])
		out = out[:len(out)+n]
		if berr := b.take(n); berr != nil {
			return out, berr
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

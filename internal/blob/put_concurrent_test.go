package blob_test

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"testing"

	"hireloop/internal/blob"
)

// Puts into one folder at the same time share its syncs; each must still
// return only with its whole blob in place, readable under its key.
func TestPutConcurrently(t *testing.T) {
	d, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	content := func(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 300<<10+i) }
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = d.Put(t.Context(), fmt.Sprintf("files/2026/11/blob-%d", i), bytes.NewReader(content(i)))
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("put %d: %v", i, errs[i])
			continue
		}
		rc, err := d.Open(t.Context(), fmt.Sprintf("files/2026/11/blob-%d", i))
		if err != nil {
			t.Errorf("open %d: %v", i, err)
			continue
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, content(i)) {
			t.Errorf("blob %d: %d bytes (%v), want %d bytes as written", i, len(got), err, len(content(i)))
		}
	}
}

package store_test

import (
	"fmt"
	"io"
	"sync"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// Applications sent at the same moment are each stored whole, or refused
// with nothing of them kept, whatever the others sharing their commit do.
func TestApplyConcurrently(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		blobs := hiringtest.MustNewBlobStore(t)
		apps := store.NewApplicationService(db, blobs, store.ApplyRules{})
		files := store.NewFileService(db, blobs)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})

		// 24 people apply once each, and one person sends the same
		// application 8 times: only one of those can be taken.
		var inputs []hiring.ApplyInput
		for i := range 24 {
			inputs = append(inputs, hiringtest.SampleApplication(o, fmt.Sprintf("person%d@example.org", i)))
		}
		for range 8 {
			inputs = append(inputs, hiringtest.SampleApplication(o, "eager@example.org"))
		}
		results := make([]*hiring.ApplyResult, len(inputs))
		errs := make([]error, len(inputs))
		var wg sync.WaitGroup
		for i, in := range inputs {
			wg.Go(func() { results[i], errs[i] = apps.Apply(t.Context(), in) })
		}
		wg.Wait()

		eager := 0
		for i, err := range errs {
			email := inputs[i].Email
			switch {
			case err == nil && email == "eager@example.org":
				eager++
			case err == nil:
			case email == "eager@example.org" && hiring.ErrorCode(err) == hiring.ECONFLICT:
				continue
			default:
				t.Errorf("apply as %s: %v", email, err)
				continue
			}
			// What was acknowledged is there, resume included.
			a, err := apps.FindApplicationByID(t.Context(), results[i].Application.ID)
			if err != nil {
				t.Errorf("application of %s: %v", email, err)
				continue
			}
			_, rc, err := files.OpenFile(t.Context(), *a.ResumeFileID)
			if err != nil {
				t.Errorf("resume of %s: %v", email, err)
				continue
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || len(b) == 0 {
				t.Errorf("resume of %s: %d bytes, %v", email, len(b), err)
			}
		}
		if eager != 1 {
			t.Errorf("eager@example.org has %d applications taken, want 1", eager)
		}
		_, total, err := apps.FindApplications(t.Context(), hiring.ApplicationFilter{OpeningID: &o.ID})
		if err != nil || total != 25 {
			t.Errorf("applications stored = %d (%v), want 25", total, err)
		}
		// The refused ones left no file behind.
		if keys := blobKeys(t, blobs); len(keys) != 25 {
			t.Errorf("blobs = %d, want 25 (one resume per stored application)", len(keys))
		}
	})
}

package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// Applying answers with the application as it is stored, and with the
// reply date a full recomputation from the stored facts gives, for a new
// candidate and for one who applied before (whose country is kept).
func TestApplyAnswersWithWhatItStored(t *testing.T) {
	start := time.Date(2026, time.April, 2, 16, 30, 0, 0, time.UTC) // Thursday before Good Friday.
	hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		ctx := context.Background()
		apps := store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{})
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		for i, email := range []string{"hanna@example.com", "hanna@example.com"} {
			if i == 1 {
				o = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
				clock.Advance(time.Hour)
			}
			in := hiringtest.SampleApplication(o, email)
			in.Location = "Hamburg, Germany"
			res, err := apps.Apply(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			stored, err := apps.FindApplicationByID(ctx, res.Application.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(stored, res.Application); diff != "" {
				t.Errorf("application %d: Apply answered (+) what is not stored (-):\n%s", i+1, diff)
			}
			replies := store.NewReplyService(db)
			got, err := replies.HearBackBy(ctx, res.Application.ID)
			if err != nil {
				t.Fatal(err)
			}
			want, err := store.RefreshHearBack(ctx, db, res.Application.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || want == nil || !got.Equal(*want) {
				t.Fatalf("application %d: reply date at apply %v, recomputed %v", i+1, got, want)
			}
			// Five German business days from Thursday 2 April 2026 skip
			// Good Friday, the weekend and Easter Monday.
			if d := got.Format("2006-01-02"); d != "2026-04-13" {
				t.Errorf("application %d: reply due %s, want 2026-04-13", i+1, d)
			}
		}
	})
}

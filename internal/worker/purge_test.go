package worker_test

import (
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/worker"
)

// The worker deletes applications past their retention period once per
// PurgeInterval of its own clock.
func TestWorkerPurgesExpiredDataHourly(t *testing.T) {
	hiringtest.EnginesWithClock(t, testStart, func(t *testing.T, db *store.DB, storeClock *hiringtest.Clock) {
		blobs := hiringtest.MustNewBlobStore(t)
		apps := store.NewApplicationService(db, blobs, store.ApplyRules{RetentionMonths: 1})
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		res, err := apps.Apply(t.Context(), hiringtest.SampleApplication(o, "gone@example.org"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := apps.SetApplicationStatus(t.Context(), res.Application.ID,
			hiring.StatusChange{Status: hiring.ApplicationRejected}); err != nil {
			t.Fatal(err)
		}

		workerClock := hiringtest.NewClock(testStart)
		w := worker.New(worker.Config{
			Outbox:        store.NewOutboxService(db),
			Files:         store.NewFileService(db, blobs),
			Retention:     store.NewRetentionService(db, blobs),
			PurgeInterval: time.Hour,
			Now:           workerClock.Now,
		})
		pass := func() worker.Report {
			t.Helper()
			r, err := w.Pass(t.Context())
			if err != nil {
				t.Fatalf("pass: %v", err)
			}
			return r
		}
		if r := pass(); r.Purged != 0 {
			t.Errorf("first pass purged %d applications before any expired", r.Purged)
		}
		storeClock.Advance(62 * 24 * time.Hour)
		workerClock.Advance(30 * time.Minute)
		if r := pass(); r.Purged != 0 {
			t.Errorf("a pass within the hour purged %d applications", r.Purged)
		}
		if _, err := apps.FindApplicationByID(t.Context(), res.Application.ID); err != nil {
			t.Fatalf("the application went before the purge was due: %v", err)
		}
		workerClock.Advance(30 * time.Minute)
		if r := pass(); r.Purged != 1 {
			t.Errorf("the pass an hour later purged %d applications, want 1", r.Purged)
		}
		if _, err := apps.FindApplicationByID(t.Context(), res.Application.ID); hiring.ErrorCode(err) != hiring.ENOTFOUND {
			t.Errorf("the expired application is still there (%v)", err)
		}
		entries, _, err := store.NewAuditService(db).FindAuditEntries(t.Context(), hiring.AuditFilter{Entity: "retention"})
		if err != nil || len(entries) != 1 {
			t.Fatalf("%d purge entries in the audit log (%v), want 1", len(entries), err)
		}
		if want := "retention period passed; applications deleted: 1, candidates deleted: 1"; entries[0].Detail != want {
			t.Errorf("audit detail %q, want %q", entries[0].Detail, want)
		}
	})
}

package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"hireloop/internal/blob"
	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestPurgeExpired(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		blobs := hiringtest.MustNewBlobStore(t)
		apps := store.NewApplicationService(db, blobs, store.ApplyRules{RetentionMonths: 12})
		files := store.NewFileService(db, blobs)
		pipeline := store.NewPipelineService(db, store.PipelineOptions{})
		questions := append(hiringtest.SampleQuestions(),
			hiring.Question{Label: "Your portfolio", Type: hiring.FileQuestion, Required: true})
		data := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Questions: questions,
			Teams: []hiring.TeamVacancies{{Count: 2}}})
		other := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Analytics Engineer"})
		apply := func(o *hiring.Opening, email string) *hiring.Application {
			t.Helper()
			return mustApply(t, apps, hiringtest.SampleApplication(o, email)).Application
		}
		reject := func(a *hiring.Application) {
			t.Helper()
			if _, err := pipeline.Reject(t.Context(), a.ID, hiring.RejectInput{Reason: hiring.RejectExperience, Note: "other strengths"}, 1); err != nil {
				t.Fatalf("reject %d: %v", a.ID, err)
			}
		}

		rejected := apply(data, "rejected@example.org")
		reject(rejected)
		withdrawn := apply(data, "withdrawn@example.org")
		mustSetStatus(t, apps, withdrawn.ID, hiring.ApplicationWithdrawn)
		active := apply(data, "active@example.org")
		hired := apply(data, "hired@example.org")
		mustSetStatus(t, apps, hired.ID, hiring.ApplicationHired)
		// One person: a closed application that expires and a live one.
		twiceLive := apply(other, "twice@example.org")
		twiceOld := apply(data, "twice@example.org")
		reject(twiceOld)

		clock.Advance(13 * 30 * 24 * time.Hour)
		recent := apply(other, "recent@example.org")
		reject(recent)

		resume, err := files.FindFileByID(t.Context(), *rejected.ResumeFileID)
		if err != nil {
			t.Fatal(err)
		}
		var answerFile *int64
		for _, a := range rejected.Answers {
			if a.FileID != nil {
				answerFile = a.FileID
			}
		}
		if answerFile == nil {
			t.Fatal("the application has no uploaded answer")
		}
		if n := countRows(t, db, "application_events", rejected.ID); n == 0 {
			t.Fatal("the rejection recorded no event")
		}

		purge := store.NewRetentionService(db, blobs)
		purge.SetBatchSize(2)
		gotApps, gotCands, err := purge.PurgeExpired(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if gotApps != 3 || gotCands != 2 {
			t.Errorf("purged %d applications and %d candidates, want 3 and 2", gotApps, gotCands)
		}

		t.Run("DeletesExpiredClosedApplications", func(t *testing.T) {
			for _, a := range []*hiring.Application{rejected, withdrawn, twiceOld} {
				_, err := apps.FindApplicationByID(t.Context(), a.ID)
				wantCode(t, err, hiring.ENOTFOUND)
				if n := countRows(t, db, "application_events", a.ID); n != 0 {
					t.Errorf("application %d keeps %d events", a.ID, n)
				}
			}
		})
		t.Run("DeletesTheirFiles", func(t *testing.T) {
			for _, id := range []int64{resume.ID, *answerFile} {
				_, err := files.FindFileByID(t.Context(), id)
				wantCode(t, err, hiring.ENOTFOUND)
			}
			if _, err := blobs.Open(t.Context(), resume.Key); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("the resume is still stored (%v)", err)
			}
		})
		t.Run("DeletesCandidatesWithoutApplications", func(t *testing.T) {
			for _, a := range []*hiring.Application{rejected, withdrawn} {
				_, err := store.NewCandidateService(db).FindCandidateByID(t.Context(), a.CandidateID)
				wantCode(t, err, hiring.ENOTFOUND)
			}
			_, n, err := store.NewCandidateService(db).SearchCandidates(t.Context(), hiring.CandidateSearch{Query: "withdrawn"})
			if err != nil || n != 0 {
				t.Errorf("a search for a deleted candidate found %d (%v)", n, err)
			}
		})
		t.Run("KeepsActiveHiredAndUnexpired", func(t *testing.T) {
			for _, a := range []*hiring.Application{active, hired, recent, twiceLive} {
				got, err := apps.FindApplicationByID(t.Context(), a.ID)
				if err != nil {
					t.Fatalf("application of %s: %v", a.Candidate.Email, err)
				}
				if got.ResumeFileID == nil {
					t.Fatalf("application of %s lost its resume", a.Candidate.Email)
				}
				if _, rc, err := files.OpenFile(t.Context(), *got.ResumeFileID); err != nil {
					t.Errorf("resume of %s: %v", a.Candidate.Email, err)
				} else {
					rc.Close()
				}
			}
			c, err := store.NewCandidateService(db).FindCandidateByID(t.Context(), twiceLive.CandidateID)
			if err != nil || c.Email != "twice@example.org" {
				t.Errorf("the candidate with a live application: %+v, %v", c, err)
			}
		})
		t.Run("LeavesNoPersonalDataInEmailOrAudit", func(t *testing.T) {
			msgs, _, err := store.NewOutboxService(db).FindMessages(t.Context(), hiring.MessageFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				if m.To == "rejected@example.org" || m.To == "withdrawn@example.org" || strings.Contains(m.TextBody, "withdrawn@example.org") {
					t.Errorf("message %d to %q is still readable", m.ID, m.To)
				}
			}
			entries, _ := mustAudit(t, db, hiring.AuditFilter{Limit: 500})
			var purges []string
			for _, e := range entries {
				if strings.Contains(e.Detail, "rejected@example.org") || strings.Contains(e.Detail, "withdrawn@example.org") {
					t.Errorf("audit entry %d names a deleted candidate: %s", e.ID, e.Detail)
				}
				if e.Action == "purge" {
					purges = append(purges, e.Detail)
				}
			}
			want := []string{
				"retention period passed; applications deleted: 1, candidates deleted: 0",
				"retention period passed; applications deleted: 2, candidates deleted: 2",
			}
			if strings.Join(purges, "\n") != strings.Join(want, "\n") {
				t.Errorf("purge entries, newest first:\n%s\nwant:\n%s", strings.Join(purges, "\n"), strings.Join(want, "\n"))
			}
		})
		t.Run("RunsAgainWithoutChange", func(t *testing.T) {
			_, before := mustAudit(t, db, hiring.AuditFilter{})
			a, c, err := purge.PurgeExpired(t.Context())
			if err != nil || a != 0 || c != 0 {
				t.Errorf("second purge: %d applications, %d candidates, %v; want nothing", a, c, err)
			}
			if _, after := mustAudit(t, db, hiring.AuditFilter{}); after != before {
				t.Errorf("a purge that deleted nothing wrote %d audit entries", after-before)
			}
		})
	})
}

// countRows counts the rows of table that belong to an application.
func countRows(t *testing.T, db *store.DB, table string, appID int64) int {
	t.Helper()
	q := "SELECT COUNT(*) FROM " + table + " WHERE application_id = $1"
	if db.Engine() == "sqlite" {
		q = strings.Replace(q, "$1", "?", 1)
	}
	var n int
	if err := db.SQL().QueryRowContext(t.Context(), q, appID).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

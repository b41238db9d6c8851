package store_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"hireloop/internal/blob"
	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// blobKeys lists every blob in the store.
func blobKeys(t *testing.T, b blob.Store) []string {
	t.Helper()
	var keys []string
	if err := b.Walk(t.Context(), func(i blob.Info) error {
		keys = append(keys, i.Key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return keys
}

func mustApply(t *testing.T, apps *store.ApplicationService, in hiring.ApplyInput) *hiring.ApplyResult {
	t.Helper()
	res, err := apps.Apply(t.Context(), in)
	if err != nil {
		t.Fatalf("apply as %s to %d: %v", in.Email, in.OpeningID, err)
	}
	return res
}

func mustSetStatus(t *testing.T, apps *store.ApplicationService, id int64, s hiring.ApplicationStatus) *hiring.Application {
	t.Helper()
	a, err := apps.SetApplicationStatus(t.Context(), id, hiring.StatusChange{Status: s})
	if err != nil {
		t.Fatalf("set application %d %s: %v", id, s, err)
	}
	return a
}

func TestApply(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		blobs := hiringtest.MustNewBlobStore(t)
		apps := store.NewApplicationService(db, blobs, store.ApplyRules{})
		coordinator, _ := hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{
			Questions: hiringtest.SampleQuestions(), CoordinatorID: &coordinator.ID})

		t.Run("StoresApplicationResumeAndConfirmation", func(t *testing.T) {
			in := hiringtest.SampleApplication(o, "Lee@Example.org")
			in.AdjustmentRequest = "Please send questions in writing before the call."
			res := mustApply(t, apps, in)
			a := res.Application
			if a.Status != hiring.ApplicationActive || a.Stage != hiring.StageApplied || a.Source != hiring.SourceCareersSite {
				t.Errorf("status %s stage %s source %s", a.Status, a.Stage, a.Source)
			}
			if !a.ConsentAt.Equal(start) || !a.RetainUntil.Equal(start.AddDate(2, 0, 0)) {
				t.Errorf("consent %v retain until %v, want %v and two years later", a.ConsentAt, a.RetainUntil, start)
			}
			if res.Candidate.Email != "lee@example.org" || a.Candidate.Name != "Robin Example" {
				t.Errorf("candidate %+v", res.Candidate)
			}
			if len(a.Answers) != 2 || a.Answers[1].Value != "yes" || a.OpeningTitle != o.Title || a.RequisitionID != o.RequisitionID {
				t.Errorf("answers %+v title %q req %q", a.Answers, a.OpeningTitle, a.RequisitionID)
			}
			files := store.NewFileService(db, blobs)
			f, rc, err := files.OpenFile(t.Context(), *a.ResumeFileID)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(rc)
			rc.Close()
			if !strings.HasPrefix(string(body), "Robin Example. Data engineer.") || f.Size != int64(len(body)) ||
				f.TextStatus != hiring.TextPending || f.Name != "resume.txt" || len(f.SHA256) != 64 {
				t.Errorf("file %+v body %q", f, body)
			}
			msgs, _, err := store.NewOutboxService(db).FindMessages(t.Context(), hiring.MessageFilter{ApplicationID: &a.ID})
			if err != nil {
				t.Fatal(err)
			}
			var to []string
			for _, m := range msgs {
				to = append(to, m.To)
			}
			if len(msgs) != 2 || to[1] != "lee@example.org" || to[0] != coordinator.Email {
				t.Fatalf("messages to %v, want the candidate and the coordinator", to)
			}
			if !strings.Contains(msgs[1].TextBody, o.Title) || !strings.Contains(msgs[1].TextBody, "request for adjustments") {
				t.Errorf("confirmation:\n%s", msgs[1].TextBody)
			}
			if !strings.Contains(msgs[0].TextBody, "Please send questions in writing") {
				t.Errorf("adjustment notice:\n%s", msgs[0].TextBody)
			}
		})
		t.Run("GuideTokenFindsTheApplicationOnce", func(t *testing.T) {
			res := mustApply(t, apps, hiringtest.SampleApplication(o, "guide@example.org"))
			got, err := apps.FindApplicationByGuideToken(t.Context(), res.GuideToken)
			if err != nil || got.ID != res.Application.ID {
				t.Fatalf("by token: %v %v", got, err)
			}
			_, err = apps.FindApplicationByGuideToken(t.Context(), strings.Repeat("A", len(res.GuideToken)))
			wantCode(t, err, hiring.ENOTFOUND)
		})
		t.Run("OneCandidatePerEmailInAnyCase", func(t *testing.T) {
			other := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
			a := mustApply(t, apps, hiringtest.SampleApplication(o, "Sam.Case@Example.org"))
			in := hiringtest.SampleApplication(other, "  sam.case@EXAMPLE.org ")
			in.Name = "Sam Case"
			b := mustApply(t, apps, in)
			if a.Candidate.ID != b.Candidate.ID {
				t.Errorf("candidates %d and %d, want one", a.Candidate.ID, b.Candidate.ID)
			}
			if b.Candidate.Email != "sam.case@example.org" || b.Candidate.Name != "Sam Case" {
				t.Errorf("candidate %+v, want the lower-case email and the newer name", b.Candidate)
			}
		})
		t.Run("SameJobTwiceIsRefused", func(t *testing.T) {
			mustApply(t, apps, hiringtest.SampleApplication(o, "twice@example.org"))
			_, err := apps.Apply(t.Context(), hiringtest.SampleApplication(o, "twice@example.org"))
			wantCode(t, err, hiring.ECONFLICT)
			if msg := hiring.ErrorFields(err)["email"]; !strings.Contains(msg, "2 March 2026") {
				t.Errorf("message %q, want the date of the first application", msg)
			}
		})
		t.Run("RequiredQuestionNamesItsField", func(t *testing.T) {
			in := hiringtest.SampleApplication(o, "quiet@example.org")
			in.Answers = in.Answers[1:]
			_, err := apps.Apply(t.Context(), in)
			wantField(t, err, "question_1")
		})
		t.Run("AnswerOutsideTheOptionsNamesItsField", func(t *testing.T) {
			in := hiringtest.SampleApplication(o, "options@example.org")
			in.Answers = append(in.Answers, hiring.AnswerInput{QuestionID: 3, Values: []string{"Oracle"}})
			_, err := apps.Apply(t.Context(), in)
			wantField(t, err, "question_3")
		})
		for _, tc := range []struct {
			name  string
			edit  func(*hiring.ApplyInput)
			field string
		}{
			{"MissingConsent", func(in *hiring.ApplyInput) { in.Consent = false }, "consent"},
			{"BadEmail", func(in *hiring.ApplyInput) { in.Email = "not an email" }, "email"},
			{"EmailWithoutDomain", func(in *hiring.ApplyInput) { in.Email = "ana@localhost" }, "email"},
			{"MissingName", func(in *hiring.ApplyInput) { in.Name = " " }, "name"},
			{"ScriptLink", func(in *hiring.ApplyInput) { in.Links = []string{"javascript:alert(1)"} }, "links"},
			{"NameNotUTF8", func(in *hiring.ApplyInput) { in.Name = "Ana \xff" }, "name"},
			{"HugeCoverLetter", func(in *hiring.ApplyInput) { in.CoverLetter = strings.Repeat("x", hiring.MaxTextLen+1) }, "cover_letter"},
			{"UnknownSelfIDAnswer", func(in *hiring.ApplyInput) { in.SelfID = &hiring.SelfID{Gender: "robot"} }, "self_id.gender"},
		} {
			t.Run("Refuses"+tc.name, func(t *testing.T) {
				in := hiringtest.SampleApplication(o, "refused@example.org")
				tc.edit(&in)
				_, err := apps.Apply(t.Context(), in)
				wantField(t, err, tc.field)
			})
		}
		t.Run("RefusesEmptyAndOversizeResumesAndKeepsNoBlob", func(t *testing.T) {
			before := len(blobKeys(t, blobs))
			in := hiringtest.SampleApplication(o, "files@example.org")
			in.Resume.Content = strings.NewReader("")
			_, err := apps.Apply(t.Context(), in)
			wantField(t, err, "resume")
			in = hiringtest.SampleApplication(o, "files@example.org")
			in.Resume.Content = bytes.NewReader(make([]byte, hiring.MaxUploadBytes+1))
			_, err = apps.Apply(t.Context(), in)
			wantCode(t, err, hiring.ETOOLARGE)
			if hiring.ErrorFields(err)["resume"] == "" {
				t.Errorf("fields = %v, want resume", hiring.ErrorFields(err))
			}
			if after := len(blobKeys(t, blobs)); after != before {
				t.Errorf("blobs %d then %d, want no new blob", before, after)
			}
		})
		t.Run("DraftIsNotFoundAndClosedIsRefused", func(t *testing.T) {
			draft := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{})
			_, err := apps.Apply(t.Context(), hiringtest.SampleApplication(draft, "early@example.org"))
			wantCode(t, err, hiring.ENOTFOUND)
			closed := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
			if _, err := store.NewOpeningService(db).SetOpeningStatus(t.Context(), closed.ID, hiring.OpeningClosed); err != nil {
				t.Fatal(err)
			}
			_, err = apps.Apply(t.Context(), hiringtest.SampleApplication(closed, "late@example.org"))
			wantCode(t, err, hiring.ECONFLICT)
		})
	})
}

func TestApplyLimits(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		blobs := hiringtest.MustNewBlobStore(t)
		apps := store.NewApplicationService(db, blobs, store.ApplyRules{})
		var openings []*hiring.Opening
		for range 4 {
			openings = append(openings, hiringtest.MustOpenOpening(t, db, hiring.NewOpening{}))
		}

		t.Run("FourthActiveApplicationIsRefused", func(t *testing.T) {
			var first *hiring.ApplyResult
			for _, o := range openings[:3] {
				res := mustApply(t, apps, hiringtest.SampleApplication(o, "busy@example.org"))
				if first == nil {
					first = res
				}
			}
			blobsBefore := len(blobKeys(t, blobs))
			_, err := apps.Apply(t.Context(), hiringtest.SampleApplication(openings[3], "BUSY@example.org"))
			wantCode(t, err, hiring.ECONFLICT)
			if msg := hiring.ErrorFields(err)["email"]; !strings.Contains(msg, "3 open applications") {
				t.Errorf("message %q, want it to say 3 open applications", msg)
			}
			// The resume was stored before the transaction failed, then removed.
			if got := len(blobKeys(t, blobs)); got != blobsBefore {
				t.Errorf("blobs %d after a refused application, want %d", got, blobsBefore)
			}
			// Once one is withdrawn, the fourth is taken.
			mustSetStatus(t, apps, first.Application.ID, hiring.ApplicationWithdrawn)
			mustApply(t, apps, hiringtest.SampleApplication(openings[3], "busy@example.org"))
		})
		t.Run("LimitIsConfigurable", func(t *testing.T) {
			one := store.NewApplicationService(db, blobs, store.ApplyRules{MaxActive: 1})
			mustApply(t, one, hiringtest.SampleApplication(openings[0], "single@example.org"))
			_, err := one.Apply(t.Context(), hiringtest.SampleApplication(openings[1], "single@example.org"))
			wantCode(t, err, hiring.ECONFLICT)
		})
		t.Run("ReapplyingWithinSixMonthsOfRejectionIsRefusedWithTheDate", func(t *testing.T) {
			res := mustApply(t, apps, hiringtest.SampleApplication(openings[0], "again@example.org"))
			mustSetStatus(t, apps, res.Application.ID, hiring.ApplicationRejected)
			clock.Advance(24 * time.Hour) // rejected on 2 March, now 3 March
			_, err := apps.Apply(t.Context(), hiringtest.SampleApplication(openings[1], "again@example.org"))
			wantCode(t, err, hiring.ECONFLICT)
			if msg := hiring.ErrorFields(err)["email"]; !strings.Contains(msg, "from 2 September 2026") {
				t.Errorf("message %q, want the date they may apply again", msg)
			}
			other := mustImport(t, db, family("ops.md", "Support Engineer", []string{"Support"}, "Support Engineer")).Family
			elsewhere := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{RoleID: other.Roles[0].ID})
			mustApply(t, apps, hiringtest.SampleApplication(elsewhere, "again@example.org"))
			clock.Advance(183 * 24 * time.Hour)
			mustApply(t, apps, hiringtest.SampleApplication(openings[1], "again@example.org"))
		})
	})
}

func TestApplyIdempotency(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		blobs := hiringtest.MustNewBlobStore(t)
		apps := store.NewApplicationService(db, blobs, store.ApplyRules{})
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})

		in := hiringtest.SampleApplication(o, "double@example.org")
		in.IdempotencyKey = "form-7f3a"
		first := mustApply(t, apps, in)
		blobsAfterFirst := len(blobKeys(t, blobs))

		again := hiringtest.SampleApplication(o, "Double@example.org")
		again.IdempotencyKey = "form-7f3a"
		second := mustApply(t, apps, again)
		if !second.Replayed || second.Application.ID != first.Application.ID || second.GuideToken != "" {
			t.Errorf("second submit: replayed %v id %d token %q; want a replay of %d without a token",
				second.Replayed, second.Application.ID, second.GuideToken, first.Application.ID)
		}
		if got := len(blobKeys(t, blobs)); got != blobsAfterFirst {
			t.Errorf("blobs %d after a double submit, want %d", got, blobsAfterFirst)
		}
		_, total, err := apps.FindApplications(t.Context(), hiring.ApplicationFilter{OpeningID: &o.ID})
		if err != nil || total != 1 {
			t.Errorf("applications = %d (%v), want 1", total, err)
		}
		msgs, _, _ := store.NewOutboxService(db).FindMessages(t.Context(), hiring.MessageFilter{})
		if len(msgs) != 1 {
			t.Errorf("messages = %d, want one confirmation", len(msgs))
		}
	})
}

// countingBlobs is a blob store whose deletes are counted, to see what Apply
// cleans up.
type countingBlobs struct {
	blob.Store
	deleted []string
}

func (c *countingBlobs) Delete(ctx context.Context, key string) error {
	c.deleted = append(c.deleted, key)
	return c.Store.Delete(ctx, key)
}

func TestApplyLeavesNoBlobWhenTheTransactionFails(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		blobs := &countingBlobs{Store: hiringtest.MustNewBlobStore(t)}
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Questions: []hiring.Question{
			{Label: "Portfolio", Type: hiring.FileQuestion, Required: true}}})
		// The confirmation cannot be queued (its subject is empty), so the
		// transaction fails after both files were stored.
		apps := store.NewApplicationService(db, blobs, store.ApplyRules{
			Confirm: func(hiring.Confirmation) hiring.MessageDraft { return hiring.MessageDraft{To: "x@example.org"} }})
		in := hiringtest.SampleApplication(o, "crash@example.org")
		if _, err := apps.Apply(t.Context(), in); err == nil {
			t.Fatal("Apply succeeded; want the failing confirmation to abort it")
		}
		if len(blobs.deleted) != 2 {
			t.Errorf("deleted %v, want the resume and the portfolio", blobs.deleted)
		}
		if keys := blobKeys(t, blobs); len(keys) != 0 {
			t.Errorf("blobs left: %v", keys)
		}
		_, total, _ := store.NewCandidateService(db).SearchCandidates(t.Context(), hiring.CandidateSearch{})
		if total != 0 {
			t.Errorf("candidates = %d, want none after a failed application", total)
		}
	})
}

func TestSweepOrphanFiles(t *testing.T) {
	t.Parallel()
	hiringtest.EnginesWithClock(t, time.Now(), func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		blobs := hiringtest.MustNewBlobStore(t)
		files := store.NewFileService(db, blobs)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		res := mustApply(t, store.NewApplicationService(db, blobs, store.ApplyRules{}), hiringtest.SampleApplication(o, "kept@example.org"))
		// What a crash between the blob write and the commit leaves.
		if _, err := blobs.Put(t.Context(), "files/2026/01/orphan", strings.NewReader("no row")); err != nil {
			t.Fatal(err)
		}
		t.Run("YoungOrphanStays", func(t *testing.T) {
			n, err := files.SweepOrphanFiles(t.Context())
			if err != nil || n != 0 {
				t.Errorf("swept %d (%v), want 0", n, err)
			}
		})
		t.Run("OldOrphanGoesAndRecordedFilesStay", func(t *testing.T) {
			clock.Advance(2 * time.Hour)
			n, err := files.SweepOrphanFiles(t.Context())
			if err != nil || n != 1 {
				t.Errorf("swept %d (%v), want 1", n, err)
			}
			if _, err := blobs.Open(t.Context(), "files/2026/01/orphan"); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("orphan still there: %v", err)
			}
			_, rc, err := files.OpenFile(t.Context(), *res.Application.ResumeFileID)
			if err != nil {
				t.Fatalf("resume gone: %v", err)
			}
			rc.Close()
		})
	})
}

func TestSetApplicationStatus(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		apps := store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{})
		openings := store.NewOpeningService(db)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Teams: []hiring.TeamVacancies{{Team: "Plan", Count: 1}}})
		a := mustApply(t, apps, hiringtest.SampleApplication(o, "hire@example.org")).Application

		t.Run("HireFillsAVacancy", func(t *testing.T) {
			got := mustSetStatus(t, apps, a.ID, hiring.ApplicationHired)
			if got.HiredAt == nil || got.VacancyID == nil {
				t.Fatalf("hired %v vacancy %v", got.HiredAt, got.VacancyID)
			}
			full, _ := openings.FindOpeningByID(t.Context(), o.ID)
			if full.Vacancies[0].Status != hiring.VacancyFilled || full.Vacancies[0].ID != *got.VacancyID {
				t.Errorf("vacancy %+v", full.Vacancies[0])
			}
		})
		t.Run("HireIsFinal", func(t *testing.T) {
			_, err := apps.SetApplicationStatus(t.Context(), a.ID, hiring.StatusChange{Status: hiring.ApplicationActive})
			wantField(t, err, "status")
		})
		t.Run("NoSeatLeftRefusesAHire", func(t *testing.T) {
			b := mustApply(t, apps, hiringtest.SampleApplication(o, "second@example.org")).Application
			_, err := apps.SetApplicationStatus(t.Context(), b.ID, hiring.StatusChange{Status: hiring.ApplicationHired})
			wantField(t, err, "vacancy_id")
		})
		t.Run("FilledSeatsKeepTheirTeam", func(t *testing.T) {
			teams := []hiring.TeamVacancies{{Team: "Create", Count: 1}}
			_, err := openings.UpdateOpening(t.Context(), o.ID, hiring.OpeningUpdate{Teams: &teams})
			wantField(t, err, "teams")
		})
		t.Run("RejectionCanBeUndone", func(t *testing.T) {
			c := mustApply(t, apps, hiringtest.SampleApplication(o, "undo@example.org")).Application
			got := mustSetStatus(t, apps, c.ID, hiring.ApplicationRejected)
			if got.RejectedAt == nil {
				t.Error("rejected_at not set")
			}
			got = mustSetStatus(t, apps, c.ID, hiring.ApplicationActive)
			if got.RejectedAt != nil || got.Status != hiring.ApplicationActive {
				t.Errorf("after undo: %s rejected %v", got.Status, got.RejectedAt)
			}
			entries, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "application", EntityID: &c.ID})
			if len(entries) != 2 {
				t.Errorf("audit entries = %d, want 2", len(entries))
			}
		})
	})
}

func TestFindApplications(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		apps := store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{})
		a := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		b := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		for _, email := range []string{"one@example.org", "two@example.org", "three@example.org"} {
			mustApply(t, apps, hiringtest.SampleApplication(a, email))
		}
		x := mustApply(t, apps, hiringtest.SampleApplication(b, "one@example.org"))
		mustSetStatus(t, apps, x.Application.ID, hiring.ApplicationRejected)

		got, total, err := apps.FindApplications(t.Context(), hiring.ApplicationFilter{OpeningID: &a.ID, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if total != 3 || len(got) != 2 || got[0].Candidate.Email != "three@example.org" {
			t.Errorf("inbox: total %d, first %v; want 3 newest first", total, got)
		}
		rejected := hiring.ApplicationRejected
		_, total, _ = apps.FindApplications(t.Context(), hiring.ApplicationFilter{Status: &rejected})
		if total != 1 {
			t.Errorf("rejected = %d, want 1", total)
		}
		_, total, _ = apps.FindApplications(t.Context(), hiring.ApplicationFilter{CandidateID: &x.Candidate.ID})
		if total != 2 {
			t.Errorf("applications of one candidate = %d, want 2", total)
		}
	})
}

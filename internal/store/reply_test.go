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

// replyFixture is an open opening with the backend loop, a recruiter
// acting in ctx, and the services that keep reply dates.
type replyFixture struct {
	*pipelineFixture
	apps    *store.ApplicationService
	replies *store.ReplyService
}

func newReplyFixture(t *testing.T, db *store.DB) *replyFixture {
	t.Helper()
	return &replyFixture{
		pipelineFixture: newPipelineFixture(t, db, store.PipelineOptions{}),
		apps:            store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{}),
		replies:         store.NewReplyService(db),
	}
}

// apply applies as email from location and returns the application.
func (f *replyFixture) apply(t *testing.T, email, location string) *hiring.Application {
	t.Helper()
	in := hiringtest.SampleApplication(f.opening, email)
	in.Location = location
	res, err := f.apps.Apply(context.Background(), in)
	if err != nil {
		t.Fatalf("apply as %s: %v", email, err)
	}
	return res.Application
}

// place gives the application's candidate a country and time zone.
func (f *replyFixture) place(t *testing.T, a *hiring.Application, country, zone string) {
	t.Helper()
	if err := store.SetCandidatePlace(context.Background(), f.db, a.CandidateID, country, zone); err != nil {
		t.Fatalf("set place of candidate %d: %v", a.CandidateID, err)
	}
}

func (f *replyFixture) interview(t *testing.T, a *hiring.Application, end time.Time) {
	t.Helper()
	if err := store.RecordInterview(context.Background(), f.db, a.ID, end); err != nil {
		t.Fatalf("record interview of %d: %v", a.ID, err)
	}
}

// due returns the application's reply date, or fails when none is owed.
func (f *replyFixture) due(t *testing.T, appID int64) time.Time {
	t.Helper()
	d, err := f.replies.HearBackBy(context.Background(), appID)
	if err != nil {
		t.Fatalf("reply date of %d: %v", appID, err)
	}
	if d == nil {
		t.Fatalf("application %d is owed no reply", appID)
	}
	return *d
}

func (f *replyFixture) noDue(t *testing.T, appID int64) {
	t.Helper()
	d, err := f.replies.HearBackBy(context.Background(), appID)
	if err != nil {
		t.Fatalf("reply date of %d: %v", appID, err)
	}
	if d != nil {
		t.Fatalf("application %d is owed a reply by %v, want none", appID, d)
	}
}

func (f *replyFixture) stats(t *testing.T) hiring.ReplyStats {
	t.Helper()
	st, err := f.replies.ReplyStats(context.Background(), f.opening.ID)
	if err != nil {
		t.Fatalf("reply stats: %v", err)
	}
	return *st
}

func (f *replyFixture) owed(t *testing.T, filter hiring.ReplyFilter) ([]int64, int) {
	t.Helper()
	rows, total, err := f.replies.FindOwedReplies(context.Background(), filter)
	if err != nil {
		t.Fatalf("find owed replies: %v", err)
	}
	ids := []int64{}
	for _, r := range rows {
		ids = append(ids, r.ApplicationID)
	}
	return ids, total
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func wantDue(t *testing.T, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("hear back by %s, want %s", got.Format(time.RFC3339), want.Format(time.RFC3339))
	}
}

func TestReplyDates(t *testing.T) {
	t.Parallel()

	t.Run("AfterApplyingSkipsTheWeekend", func(t *testing.T) {
		t.Parallel()
		// Thursday 5 March 2026: five business days on is the next Thursday.
		hiringtest.EnginesWithClock(t, utc("2026-03-05T10:00:00Z"), func(t *testing.T, db *store.DB, _ *hiringtest.Clock) {
			f := newReplyFixture(t, db)
			a := f.apply(t, "ada@example.com", "Lisbon")
			wantDue(t, f.due(t, a.ID), utc("2026-03-12T23:59:59Z"))
		})
	})

	t.Run("InterviewEndingFridayIsDueWednesday", func(t *testing.T) {
		t.Parallel()
		hiringtest.EnginesWithClock(t, utc("2026-03-02T09:00:00Z"), func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
			f := newReplyFixture(t, db)
			a := f.apply(t, "ada@example.com", "")
			clock.Advance(4*24*time.Hour + 6*time.Hour)
			f.interview(t, a, utc("2026-03-06T15:00:00Z"))
			wantDue(t, f.due(t, a.ID), utc("2026-03-11T23:59:59Z"))
		})
	})

	t.Run("CandidatesHolidaysCountElseTheCompanys", func(t *testing.T) {
		t.Parallel()
		// Good Friday (3 April 2026) and Easter Monday (6 April) are
		// holidays in Germany, not in Japan.
		hiringtest.EnginesWithClock(t, utc("2026-03-30T09:00:00Z"), func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
			f := newReplyFixture(t, db)
			german := f.apply(t, "de@example.com", "Berlin, Germany")
			japanese := f.apply(t, "jp@example.com", "Remote - Japan")
			unknown := f.apply(t, "xx@example.com", "Atlantis")
			for _, c := range []struct {
				a    *hiring.Application
				want string
			}{{german, "DE"}, {japanese, "JP"}, {unknown, ""}} {
				got, err := store.CandidateCountry(context.Background(), db, c.a.CandidateID)
				if err != nil || got != c.want {
					t.Errorf("country of %s = %q, %v; want %q", c.a.Candidate.Email, got, err, c.want)
				}
			}
			clock.Advance(3*24*time.Hour + 6*time.Hour)
			end := utc("2026-04-02T15:00:00Z")
			for _, a := range []*hiring.Application{german, japanese, unknown} {
				f.interview(t, a, end)
			}
			wantDue(t, f.due(t, german.ID), utc("2026-04-09T23:59:59Z"))
			wantDue(t, f.due(t, japanese.ID), utc("2026-04-07T23:59:59Z"))
			wantDue(t, f.due(t, unknown.ID), utc("2026-04-07T23:59:59Z"))

			// A company in Germany: the candidate without a country follows
			// its calendar from the next change on; the Japanese one keeps
			// theirs.
			if err := store.NewSettingsService(db).UpdateSettings(context.Background(),
				hiring.Settings{CompanyCountry: "de"}); err != nil {
				t.Fatal(err)
			}
			for _, a := range []*hiring.Application{japanese, unknown} {
				f.interview(t, a, end)
			}
			wantDue(t, f.due(t, japanese.ID), utc("2026-04-07T23:59:59Z"))
			wantDue(t, f.due(t, unknown.ID), utc("2026-04-09T23:59:59Z"))
		})
	})

	t.Run("LateEveningInterviewCountsInTheCandidatesZone", func(t *testing.T) {
		t.Parallel()
		hiringtest.EnginesWithClock(t, utc("2026-03-02T09:00:00Z"), func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
			f := newReplyFixture(t, db)
			inUTC := f.apply(t, "utc@example.com", "")
			inTokyo := f.apply(t, "tokyo@example.com", "")
			f.place(t, inTokyo, "JP", "Asia/Tokyo")
			clock.Advance(4 * 24 * time.Hour)
			// Thursday 23:30 UTC is Friday 08:30 in Tokyo.
			end := utc("2026-03-05T23:30:00Z")
			f.interview(t, inUTC, end)
			f.interview(t, inTokyo, end)
			wantDue(t, f.due(t, inUTC.ID), utc("2026-03-10T23:59:59Z"))
			tokyo := f.due(t, inTokyo.ID)
			wantDue(t, tokyo, utc("2026-03-11T14:59:59Z"))
			if got := tokyo.Format("2006-01-02 15:04 MST"); got != "2026-03-11 23:59 JST" {
				t.Errorf("Tokyo date shown as %s, want 2026-03-11 23:59 JST", got)
			}
		})
	})

	t.Run("AMoveMeetsTheReplyOnTime", func(t *testing.T) {
		t.Parallel()
		hiringtest.EnginesWithClock(t, utc("2026-03-02T09:00:00Z"), func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
			f := newReplyFixture(t, db)
			a := f.apply(t, "ada@example.com", "")
			other := f.apply(t, "bob@example.com", "")
			clock.Advance(2 * 24 * time.Hour)
			f.mustAdvance(t, f.mustProgress(t, a.ID), hiring.AdvanceOptions{Force: true})
			// Told where they stand, with no interview yet: nothing is owed.
			f.noDue(t, a.ID)
			if diff := cmp.Diff(hiring.ReplyStats{OpeningID: f.opening.ID, OnTime: 1, Total: 1}, f.stats(t)); diff != "" {
				t.Errorf("stats (-want +got):\n%s", diff)
			}
			ids, total := f.owed(t, hiring.ReplyFilter{})
			if diff := cmp.Diff([]int64{other.ID}, ids); diff != "" || total != 1 {
				t.Errorf("owed (-want +got):\n%s total %d", diff, total)
			}
		})
	})

	t.Run("ALateReplyCountsAsLate", func(t *testing.T) {
		t.Parallel()
		hiringtest.EnginesWithClock(t, utc("2026-03-02T09:00:00Z"), func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
			f := newReplyFixture(t, db)
			late := f.apply(t, "late@example.com", "")
			clock.Advance(3 * 24 * time.Hour)
			soon := f.apply(t, "soon@example.com", "")
			// Due Monday 9 March; on Tuesday the first is a day overdue, the
			// second due in two days.
			clock.Advance(5*24*time.Hour + time.Hour)
			for _, c := range []struct {
				due  hiring.ReplyDue
				want []int64
			}{{"", []int64{late.ID, soon.ID}}, {hiring.ReplyDueNow, []int64{late.ID}}, {hiring.ReplyOverdue, []int64{late.ID}}} {
				ids, total := f.owed(t, hiring.ReplyFilter{Due: c.due, OpeningID: &f.opening.ID})
				if diff := cmp.Diff(c.want, ids); diff != "" || total != len(c.want) {
					t.Errorf("owed %q (-want +got):\n%s total %d", c.due, diff, total)
				}
			}
			if got := f.stats(t); got.Overdue != 1 {
				t.Errorf("overdue = %d, want 1", got.Overdue)
			}
			if _, err := f.pipeline.Reject(f.ctx, late.ID, hiring.RejectInput{Reason: hiring.RejectExperience},
				f.mustProgress(t, late.ID).Version); err != nil {
				t.Fatalf("reject: %v", err)
			}
			f.noDue(t, late.ID)
			if diff := cmp.Diff(hiring.ReplyStats{OpeningID: f.opening.ID, OnTime: 0, Total: 1}, f.stats(t)); diff != "" {
				t.Errorf("stats (-want +got):\n%s", diff)
			}
		})
	})

	t.Run("ReferenceChecksAreUpdatedWeekly", func(t *testing.T) {
		t.Parallel()
		// Monday 2 March 2026.
		hiringtest.EnginesWithClock(t, utc("2026-03-02T09:00:00Z"), func(t *testing.T, db *store.DB, _ *hiringtest.Clock) {
			f := newReplyFixture(t, db)
			a := f.apply(t, "ada@example.com", "")
			stage := f.stage(t, "Team interviews and references")
			p, err := f.pipeline.MoveTo(f.ctx, a.ID, stage.ID, f.mustProgress(t, a.ID).Version, "")
			if err != nil {
				t.Fatalf("move: %v", err)
			}
			wantDue(t, f.due(t, a.ID), utc("2026-03-09T23:59:59Z"))
			var refs int64
			for _, st := range stage.Steps {
				if st.Kind == "references" {
					refs = st.ID
				}
			}
			f.mustStep(t, a.ID, refs, hiring.StepDone)
			f.noDue(t, a.ID)
			if _, err := f.pipeline.Withdraw(f.ctx, a.ID, p.Version+1, "", true); err != nil {
				t.Fatalf("withdraw: %v", err)
			}
			f.noDue(t, a.ID)
		})
	})
}

func TestSeededApplicationsOweReplies(t *testing.T) {
	t.Parallel()
	hiringtest.EnginesWithClock(t, utc("2026-03-04T10:00:00Z"), func(t *testing.T, db *store.DB, _ *hiringtest.Clock) {
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		if _, err := db.SeedCandidates(context.Background(), store.SeedOptions{Candidates: 1000, OpeningIDs: []int64{o.ID}, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		replies := store.NewReplyService(db)
		for _, c := range []struct {
			due  hiring.ReplyDue
			want int
		}{{"", 1000}, {hiring.ReplyDueNow, 100}, {hiring.ReplyOverdue, 20}} {
			rows, total, err := replies.FindOwedReplies(context.Background(), hiring.ReplyFilter{Due: c.due, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if total != c.want || len(rows) != 10 {
				t.Errorf("%q: %d rows of %d, want 10 of %d", c.due, len(rows), total, c.want)
			}
			for i := 1; i < len(rows); i++ {
				if rows[i].HearBackBy.Before(rows[i-1].HearBackBy) {
					t.Errorf("%q: row %d is due before the one above it", c.due, i)
				}
			}
		}
	})
}

// The queue names the stage an application is in, as the board does: one
// not moved yet is in its plan's first stage.
func TestOwedRepliesNameTheStage(t *testing.T) {
	t.Parallel()
	hiringtest.EnginesWithClock(t, utc("2026-03-04T10:00:00Z"), func(t *testing.T, db *store.DB, _ *hiringtest.Clock) {
		f := newReplyFixture(t, db)
		a := f.apply(t, "stage@example.com", "")
		stage := func() string {
			t.Helper()
			rows, _, err := f.replies.FindOwedReplies(context.Background(), hiring.ReplyFilter{Limit: 10})
			if err != nil || len(rows) != 1 {
				t.Fatalf("%d rows, %v; want the one application", len(rows), err)
			}
			return rows[0].Stage
		}
		if got := stage(); got != "Application review" {
			t.Errorf("a new application is in %q, want the plan's first stage", got)
		}
		if _, err := f.pipeline.Advance(f.ctx, a.ID, 1, hiring.AdvanceOptions{Force: true}); err != nil {
			t.Fatal(err)
		}
		// The move told the candidate; the screening call owes a reply again.
		f.interview(t, a, utc("2026-03-04T10:30:00Z"))
		if got := stage(); got != "Screening call" {
			t.Errorf("after advancing it is in %q, want Screening call", got)
		}
	})
}

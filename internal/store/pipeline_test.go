package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// pipelineFixture is an open opening with the backend loop and a recruiter
// acting in ctx.
type pipelineFixture struct {
	db        *store.DB
	pipeline  *store.PipelineService
	opening   *hiring.Opening
	plan      *hiring.InterviewPlan
	recruiter *hiring.User
	ctx       context.Context
}

func newPipelineFixture(t *testing.T, db *store.DB, opts store.PipelineOptions) *pipelineFixture {
	t.Helper()
	recruiter, _ := hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
	o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Teams: []hiring.TeamVacancies{{Team: "Plan", Count: 2}}})
	return &pipelineFixture{
		db:        db,
		pipeline:  store.NewPipelineService(db, opts),
		opening:   o,
		plan:      hiringtest.MustApplyTemplate(t, db, o.ID, hiringtest.BackendTemplate),
		recruiter: recruiter,
		ctx:       hiring.NewContextWithActor(t.Context(), recruiter),
	}
}

func (f *pipelineFixture) stage(t *testing.T, name string) *hiring.PlanStage {
	t.Helper()
	return hiringtest.StageNamed(t, f.plan, name)
}

func (f *pipelineFixture) mustProgress(t *testing.T, appID int64) *hiring.Progress {
	t.Helper()
	p, err := f.pipeline.Progress(f.ctx, appID)
	if err != nil {
		t.Fatalf("progress of %d: %v", appID, err)
	}
	return p
}

func (f *pipelineFixture) mustAdvance(t *testing.T, p *hiring.Progress, opt hiring.AdvanceOptions) *hiring.Progress {
	t.Helper()
	next, err := f.pipeline.Advance(f.ctx, p.Application.ID, p.Version, opt)
	if err != nil {
		t.Fatalf("advance from %q: %v", p.Stage.Name, err)
	}
	return next
}

func (f *pipelineFixture) mustStep(t *testing.T, appID, stepID int64, s hiring.StepStatus) *hiring.Progress {
	t.Helper()
	p, err := f.pipeline.CompleteStep(f.ctx, appID, stepID, s)
	if err != nil {
		t.Fatalf("step %d %s: %v", stepID, s, err)
	}
	return p
}

func TestPipelineBackendLoop(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newPipelineFixture(t, db, store.PipelineOptions{})

		t.Run("AnyOrderStageWaitsForAllThreeSteps", func(t *testing.T) {
			a := hiringtest.MustApplication(t, db, f.opening, "loop@example.org")
			p := f.mustProgress(t, a.ID)
			if p.Stage.Name != "Application review" || p.Version != 1 {
				t.Fatalf("a new application is in %q at version %d", p.Stage.Name, p.Version)
			}
			// Application review, screen and panel each need their step done.
			for _, want := range []string{"Screening call", "Management panel", "Team interviews and references"} {
				_, err := f.pipeline.Advance(f.ctx, a.ID, p.Version, hiring.AdvanceOptions{})
				wantCode(t, err, hiring.ECONFLICT)
				p = f.mustStep(t, a.ID, p.Stage.Steps[0].ID, hiring.StepDone)
				p = f.mustAdvance(t, p, hiring.AdvanceOptions{})
				if p.Stage.Name != want {
					t.Fatalf("advanced to %q, want %q", p.Stage.Name, want)
				}
			}
			steps := p.Stage.Steps
			// References first, then the technical interview, then the
			// behavioral one: the stage holds until the last is done.
			for i, idx := range []int{2, 1, 0} {
				_, err := f.pipeline.Advance(f.ctx, a.ID, p.Version, hiring.AdvanceOptions{})
				wantCode(t, err, hiring.ECONFLICT)
				if msg := hiring.ErrorMessage(err); !strings.Contains(msg, steps[0].Name) || strings.Contains(msg, steps[2].Name) != (i == 0) {
					t.Errorf("refusal %d names the wrong steps: %q", i, msg)
				}
				p = f.mustStep(t, a.ID, steps[idx].ID, hiring.StepDone)
			}
			p = f.mustAdvance(t, p, hiring.AdvanceOptions{})
			if p.Stage.Name != "VP of Engineering" {
				t.Fatalf("after the three steps: %q", p.Stage.Name)
			}
			p = f.mustStep(t, a.ID, p.Stage.Steps[0].ID, hiring.StepDone)
			p = f.mustAdvance(t, p, hiring.AdvanceOptions{})
			if p.Stage.Name != "CEO" {
				t.Fatalf("after the VP: %q", p.Stage.Name)
			}
			// The CEO stage is optional: nothing holds the candidate there.
			p = f.mustAdvance(t, p, hiring.AdvanceOptions{})
			if p.Stage.Name != "Offer" {
				t.Fatalf("after the CEO stage: %q", p.Stage.Name)
			}
			_, err := f.pipeline.Advance(f.ctx, a.ID, p.Version, hiring.AdvanceOptions{Force: true})
			wantCode(t, err, hiring.ECONFLICT)
		})
		t.Run("OptionalCEOStageCanBePassedOver", func(t *testing.T) {
			a := hiringtest.MustApplication(t, db, f.opening, "skipceo@example.org")
			p, err := f.pipeline.MoveTo(f.ctx, a.ID, f.stage(t, "VP of Engineering").ID, 1, "")
			if err != nil {
				t.Fatal(err)
			}
			p = f.mustStep(t, a.ID, p.Stage.Steps[0].ID, hiring.StepDone)
			p = f.mustAdvance(t, p, hiring.AdvanceOptions{SkipOptional: true})
			if p.Stage.Name != "Offer" {
				t.Fatalf("with SkipOptional: %q, want Offer", p.Stage.Name)
			}
			events, err := f.pipeline.Timeline(f.ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if last := events[len(events)-1]; !strings.Contains(last.Detail, "passed over CEO") {
				t.Errorf("last event detail = %q, want the stage passed over", last.Detail)
			}
		})
		t.Run("SkippedAndNoShowSteps", func(t *testing.T) {
			a := hiringtest.MustApplication(t, db, f.opening, "noshow@example.org")
			trio := f.stage(t, "Team interviews and references")
			p, err := f.pipeline.MoveTo(f.ctx, a.ID, trio.ID, 1, "fast track")
			if err != nil {
				t.Fatal(err)
			}
			f.mustStep(t, a.ID, trio.Steps[0].ID, hiring.StepDone)
			f.mustStep(t, a.ID, trio.Steps[1].ID, hiring.StepNoShow)
			p = f.mustStep(t, a.ID, trio.Steps[2].ID, hiring.StepSkipped)
			if got := hiring.StepNames(p.Unfinished()); got != trio.Steps[1].Name {
				t.Errorf("unfinished = %q, want the no-show", got)
			}
			p = f.mustAdvance(t, p, hiring.AdvanceOptions{Force: true, Note: "strong references"})
			if p.Stage.Name != "VP of Engineering" {
				t.Errorf("forced advance went to %q", p.Stage.Name)
			}
			events, _ := f.pipeline.Timeline(f.ctx, a.ID)
			last := events[len(events)-1]
			if last.Note != "strong references" || !strings.Contains(last.Detail, "before finishing "+trio.Steps[1].Name) {
				t.Errorf("forced advance recorded as %+v", last)
			}
		})
		t.Run("MoveToAnyStage", func(t *testing.T) {
			a := hiringtest.MustApplication(t, db, f.opening, "move@example.org")
			offer := f.stage(t, "Offer")
			p, err := f.pipeline.MoveTo(f.ctx, a.ID, offer.ID, 1, "")
			if err != nil || p.Stage.ID != offer.ID || p.Version != 2 || p.Application.Stage != "Offer" {
				t.Fatalf("move to offer: %+v %v", p, err)
			}
			back, err := f.pipeline.MoveTo(f.ctx, a.ID, f.stage(t, "Screening call").ID, p.Version, "")
			if err != nil || back.Stage.Name != "Screening call" {
				t.Fatalf("move back: %v", err)
			}
			same, err := f.pipeline.MoveTo(f.ctx, a.ID, back.Stage.ID, back.Version, "")
			if err != nil || same.Version != back.Version {
				t.Errorf("moving to the same stage changed the version: %v %v", same, err)
			}
			other := hiringtest.MustTemplate(t, db, hiringtest.InfrastructureTemplate)
			_, err = f.pipeline.MoveTo(f.ctx, a.ID, other.Stages[1].ID, back.Version, "")
			wantField(t, err, "stage_id")
			_, err = f.pipeline.MoveTo(f.ctx, 987654, offer.ID, 1, "")
			wantCode(t, err, hiring.ENOTFOUND)
			_, err = f.pipeline.MoveTo(f.ctx, a.ID, offer.ID, 0, "")
			wantField(t, err, "version")
			_, err = f.pipeline.MoveTo(f.ctx, a.ID, offer.ID, back.Version, strings.Repeat("n", hiring.MaxNoteLen+1))
			wantField(t, err, "note")
		})
		t.Run("StepOutsideThePlanIsRefused", func(t *testing.T) {
			a := hiringtest.MustApplication(t, db, f.opening, "step@example.org")
			other := hiringtest.MustTemplate(t, db, hiringtest.InfrastructureTemplate)
			_, err := f.pipeline.CompleteStep(f.ctx, a.ID, other.Stages[0].Steps[0].ID, hiring.StepDone)
			wantField(t, err, "step_id")
			_, err = f.pipeline.CompleteStep(f.ctx, a.ID, f.plan.Stages[0].Steps[0].ID, "finished")
			wantField(t, err, "status")
		})
		t.Run("OpeningWithoutPlan", func(t *testing.T) {
			o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
			a := hiringtest.MustApplication(t, db, o, "noplan@example.org")
			_, err := f.pipeline.Advance(f.ctx, a.ID, 1, hiring.AdvanceOptions{})
			wantCode(t, err, hiring.ECONFLICT)
			b, err := f.pipeline.Board(f.ctx, hiring.BoardFilter{OpeningID: o.ID})
			if err != nil || len(b.Columns) != 1 || b.Columns[0].Count != 1 || b.Columns[0].Cards[0].ApplicationID != a.ID {
				t.Errorf("board of an opening without a plan: %+v %v", b, err)
			}
		})
	})
}

// fakeInterviews reports a number of upcoming interviews for some
// applications, as the scheduler will.
type fakeInterviews struct {
	mu     sync.Mutex
	soon   map[int64]int
	within []time.Duration
}

func (f *fakeInterviews) UpcomingInterviews(_ context.Context, appID int64, within time.Duration) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.within = append(f.within, within)
	return f.soon[appID], nil
}

func TestPipelineRejectWithdrawHire(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		interviews := &fakeInterviews{soon: map[int64]int{}}
		f := newPipelineFixture(t, db, store.PipelineOptions{Interviews: interviews})
		outbox := store.NewOutboxService(db)
		messages := func(t *testing.T, appID int64) []*hiring.Message {
			t.Helper()
			ms, _, err := outbox.FindMessages(t.Context(), hiring.MessageFilter{ApplicationID: &appID})
			if err != nil {
				t.Fatal(err)
			}
			return ms
		}
		msg := hiring.DefaultRejectMessage()

		t.Run("RejectWithAScheduledMessage", func(t *testing.T) {
			a := hiringtest.MustApplication(t, db, f.opening, "later@example.org")
			sendAt := clock.Now().Add(26 * time.Hour)
			p, err := f.pipeline.Reject(f.ctx, a.ID, hiring.RejectInput{Reason: hiring.RejectExperience, Note: "needs Rails",
				Message: &msg, SendAt: &sendAt}, 1)
			if err != nil {
				t.Fatal(err)
			}
			if p.Application.Status != hiring.ApplicationRejected || p.Application.RejectedAt == nil || p.Version != 2 {
				t.Errorf("after reject: status %s version %d", p.Application.Status, p.Version)
			}
			ms := messages(t, a.ID)
			rejection := ms[0]
			if len(ms) != 2 || !rejection.NextAttemptAt.Equal(sendAt) || rejection.Status != hiring.MessageQueued {
				t.Fatalf("rejection message %+v, want one queued for %v", rejection, sendAt)
			}
			if rejection.To != "later@example.org" || rejection.Subject != "Your application for "+f.opening.Title ||
				!strings.HasPrefix(rejection.TextBody, "Hello Robin Example,") {
				t.Errorf("message to %q subject %q body %q", rejection.To, rejection.Subject, rejection.TextBody)
			}
			// The worker does not see it before its time.
			due, err := outbox.ClaimDueMessages(t.Context(), 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range due {
				if m.ID == rejection.ID {
					t.Error("the scheduled message was claimed before its time")
				}
			}
			_, err = f.pipeline.Advance(f.ctx, a.ID, p.Version, hiring.AdvanceOptions{})
			wantCode(t, err, hiring.ECONFLICT)
		})
		t.Run("RejectRefusesATimeInThePast", func(t *testing.T) {
			a := hiringtest.MustApplication(t, db, f.opening, "past@example.org")
			past := clock.Now().Add(-time.Hour)
			_, err := f.pipeline.Reject(f.ctx, a.ID, hiring.RejectInput{Reason: hiring.RejectExperience, Message: &msg, SendAt: &past}, 1)
			wantField(t, err, "send_at")
			if p := f.mustProgress(t, a.ID); p.Application.Status != hiring.ApplicationActive || len(messages(t, a.ID)) != 1 {
				t.Error("a refused rejection changed the application or queued a message")
			}
		})
		t.Run("AnInterviewWithin24HoursNeedsADecision", func(t *testing.T) {
			a := hiringtest.MustApplication(t, db, f.opening, "soon@example.org")
			interviews.mu.Lock()
			interviews.soon[a.ID] = 1
			interviews.mu.Unlock()
			in := hiring.RejectInput{Reason: hiring.RejectInterviews, Message: &msg}
			_, err := f.pipeline.Reject(f.ctx, a.ID, in, 1)
			wantCode(t, err, hiring.ECONFLICT)
			if _, ok := hiring.ErrorFields(err)["keep_upcoming_interviews"]; !ok {
				t.Errorf("fields = %v", hiring.ErrorFields(err))
			}
			if interviews.within[len(interviews.within)-1] != 24*time.Hour {
				t.Errorf("asked about %v ahead, want 24h", interviews.within)
			}
			keep := true
			in.KeepUpcomingInterviews = &keep
			if _, err := f.pipeline.Reject(f.ctx, a.ID, in, 1); err != nil {
				t.Fatal(err)
			}
			events, _ := f.pipeline.Timeline(f.ctx, a.ID)
			if last := events[len(events)-1]; !strings.Contains(last.Detail, "kept") || last.Reason != string(hiring.RejectInterviews) {
				t.Errorf("rejection event %+v", last)
			}
		})
		t.Run("BulkRejectWithOneMessage", func(t *testing.T) {
			var ids []int64
			for i := range 3 {
				ids = append(ids, hiringtest.MustApplication(t, db, f.opening, fmt.Sprintf("bulk%d@example.org", i)).ID)
			}
			p := f.mustProgress(t, ids[1])
			if _, err := f.pipeline.Withdraw(f.ctx, ids[1], p.Version, "", true); err != nil {
				t.Fatal(err)
			}
			soon := hiringtest.MustApplication(t, db, f.opening, "bulksoon@example.org").ID
			interviews.mu.Lock()
			interviews.soon[soon] = 2
			interviews.mu.Unlock()
			res, err := f.pipeline.BulkReject(f.ctx, append(ids, soon, 987654, ids[0]),
				hiring.RejectInput{Reason: hiring.RejectPositionClosed, Message: &msg})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]int64{ids[0], ids[2]}, res.Rejected); diff != "" {
				t.Errorf("rejected (-want +got):\n%s", diff)
			}
			if len(res.Skipped) != 3 || !strings.Contains(res.Skipped[ids[1]], "withdrawn") ||
				!strings.Contains(res.Skipped[soon], "2 interviews") || res.Skipped[987654] == "" {
				t.Errorf("skipped = %v", res.Skipped)
			}
			for _, id := range []int64{ids[0], ids[2]} {
				ms := messages(t, id)
				if len(ms) != 2 || !strings.Contains(ms[0].Subject, f.opening.Title) {
					t.Errorf("application %d messages %d", id, len(ms))
				}
			}
			_, err = f.pipeline.BulkReject(f.ctx, nil, hiring.RejectInput{Reason: hiring.RejectOther, Note: "x"})
			wantField(t, err, "ids")
			_, err = f.pipeline.BulkReject(f.ctx, make([]int64, hiring.MaxBulk+1), hiring.RejectInput{Reason: hiring.RejectOther, Note: "x"})
			wantField(t, err, "ids")
		})
		t.Run("WithdrawByTheCandidate", func(t *testing.T) {
			a := hiringtest.MustApplication(t, db, f.opening, "withdraw@example.org")
			p, err := f.pipeline.Withdraw(f.ctx, a.ID, 1, "took another job", true)
			if err != nil {
				t.Fatal(err)
			}
			if p.Application.Status != hiring.ApplicationWithdrawn || p.Application.WithdrawnAt == nil {
				t.Errorf("status %s", p.Application.Status)
			}
			events, _ := f.pipeline.Timeline(f.ctx, a.ID)
			last := events[len(events)-1]
			if last.Kind != hiring.EventWithdrawn || last.Actor != hiring.CandidateActor || last.ActorID != nil || last.Note != "took another job" {
				t.Errorf("withdrawal event %+v", last)
			}
			_, err = f.pipeline.Withdraw(f.ctx, a.ID, p.Version, "", false)
			wantCode(t, err, hiring.ECONFLICT)
		})
		t.Run("HireFillsAVacancy", func(t *testing.T) {
			a := hiringtest.MustApplication(t, db, f.opening, "hire@example.org")
			p, err := f.pipeline.MoveTo(f.ctx, a.ID, f.stage(t, "Offer").ID, 1, "")
			if err != nil {
				t.Fatal(err)
			}
			p, err = f.pipeline.Hire(f.ctx, a.ID, nil, p.Version)
			if err != nil {
				t.Fatal(err)
			}
			o, err := store.NewOpeningService(db).FindOpeningByID(t.Context(), f.opening.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p.Application.Status != hiring.ApplicationHired || p.Application.VacancyID == nil ||
				*p.Application.VacancyID != o.Vacancies[0].ID || o.Vacancies[0].Status != hiring.VacancyFilled {
				t.Errorf("hire: status %s vacancy %v, seats %+v", p.Application.Status, p.Application.VacancyID, o.Vacancies[0])
			}
			b := hiringtest.MustApplication(t, db, f.opening, "hire2@example.org")
			_, err = f.pipeline.Hire(f.ctx, b.ID, &o.Vacancies[0].ID, 1)
			wantField(t, err, "vacancy_id")
		})
	})
}

func TestPipelineTimeline(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newPipelineFixture(t, db, store.PipelineOptions{})
		coordinator, _ := hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
		asCoordinator := hiring.NewContextWithActor(t.Context(), coordinator)
		a := hiringtest.MustApplication(t, db, f.opening, "timeline@example.org")

		clock.Advance(time.Hour)
		p := f.mustStep(t, a.ID, f.plan.Stages[0].Steps[0].ID, hiring.StepDone)
		clock.Advance(time.Hour)
		p = f.mustAdvance(t, p, hiring.AdvanceOptions{Note: "good answers"})
		clock.Advance(24 * time.Hour)
		p, err := f.pipeline.MoveTo(asCoordinator, a.ID, f.stage(t, "Management panel").ID, p.Version, "screen waived")
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
		msg := hiring.DefaultRejectMessage()
		if _, err := f.pipeline.Reject(asCoordinator, a.ID, hiring.RejectInput{Reason: hiring.RejectOtherCandidate, Message: &msg}, p.Version); err != nil {
			t.Fatal(err)
		}

		events, err := f.pipeline.Timeline(t.Context(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			Kind     hiring.EventKind
			Actor    string
			From, To string
			Note     string
			At       time.Time
		}
		var got []row
		for _, e := range events {
			got = append(got, row{e.Kind, e.Actor, e.FromStage, e.ToStage, e.Note, e.CreatedAt})
		}
		want := []row{
			{hiring.EventApplied, hiring.CandidateActor, "", "", "", start},
			{hiring.EventStep, f.recruiter.Name, "", "", "", start.Add(time.Hour)},
			{hiring.EventAdvanced, f.recruiter.Name, "Application review", "Screening call", "good answers", start.Add(2 * time.Hour)},
			{hiring.EventMoved, coordinator.Name, "Screening call", "Management panel", "screen waived", start.Add(26 * time.Hour)},
			{hiring.EventRejected, coordinator.Name, "Management panel", "", "", start.Add(27 * time.Hour)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("timeline (-want +got):\n%s", diff)
		}
		if *events[3].ActorID != coordinator.ID || events[1].Detail != "Application review: To do -> Done" {
			t.Errorf("actor id %v detail %q", events[3].ActorID, events[1].Detail)
		}
		entries, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "application", EntityID: &a.ID})
		if len(entries) != 4 || entries[0].Action != "reject" || entries[0].ActorLabel != coordinator.Email {
			t.Errorf("audit entries %d, newest %+v", len(entries), entries[0])
		}
		_, err = f.pipeline.Timeline(t.Context(), 987654)
		wantCode(t, err, hiring.ENOTFOUND)
	})
}

func TestPipelineConcurrentMoves(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newPipelineFixture(t, db, store.PipelineOptions{})
		for round := range 5 {
			a := hiringtest.MustApplication(t, db, f.opening, fmt.Sprintf("race%d@example.org", round))
			targets := []*hiring.PlanStage{f.stage(t, "Screening call"), f.stage(t, "Management panel")}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, g := range targets {
				wg.Go(func() {
					_, errs[i] = f.pipeline.MoveTo(f.ctx, a.ID, g.ID, 1, "")
				})
			}
			wg.Wait()
			won := -1
			for i, err := range errs {
				if err == nil {
					if won >= 0 {
						t.Fatalf("round %d: both moves succeeded", round)
					}
					won = i
				}
			}
			if won < 0 {
				t.Fatalf("round %d: no move succeeded: %v", round, errs)
			}
			lost := errs[1-won]
			var vc *hiring.VersionConflict
			if !errors.As(lost, &vc) || hiring.ErrorCode(lost) != hiring.ECONFLICT || hiring.ErrorMessage(lost) != hiring.StaleVersionMessage {
				t.Fatalf("round %d: the other move got %v, want a version conflict", round, lost)
			}
			if vc.Current.Version != 2 || vc.Current.Stage.ID != targets[won].ID {
				t.Errorf("round %d: conflict shows version %d in %q, want the winner's move", round, vc.Current.Version, vc.Current.Stage.Name)
			}
			events, _ := f.pipeline.Timeline(t.Context(), a.ID)
			if len(events) != 2 {
				t.Errorf("round %d: %d events, want applied and one move", round, len(events))
			}
		}
		t.Run("AStageIsNotRemovedWhileAnApplicationMovesIntoIt", func(t *testing.T) {
			plans := store.NewInterviewPlanService(db)
			for round := range 5 {
				o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
				p := hiringtest.MustApplyTemplate(t, db, o.ID, hiringtest.BackendTemplate)
				a := hiringtest.MustApplication(t, db, o, fmt.Sprintf("removed%d@example.org", round))
				panel := hiringtest.StageNamed(t, p, "Management panel")
				// Placed in a stage the edit keeps, so that only the plan's
				// lock keeps the move and the edit apart.
				if _, err := f.pipeline.MoveTo(f.ctx, a.ID, hiringtest.StageNamed(t, p, "Screening call").ID, 1, ""); err != nil {
					t.Fatal(err)
				}
				var without []hiring.StageInput
				for _, s := range p.Inputs() {
					if s.ID != panel.ID {
						without = append(without, s)
					}
				}
				var moveErr, editErr error
				var wg sync.WaitGroup
				wg.Go(func() { _, moveErr = f.pipeline.MoveTo(f.ctx, a.ID, panel.ID, 2, "") })
				wg.Go(func() { _, editErr = plans.UpdatePlan(f.ctx, o.ID, hiring.PlanUpdate{Stages: without}) })
				wg.Wait()
				switch {
				case moveErr == nil && editErr == nil:
					t.Fatalf("round %d: the stage was removed with an application moved into it", round)
				case moveErr == nil:
					wantCode(t, editErr, hiring.ECONFLICT)
				case editErr == nil:
					wantField(t, moveErr, "stage_id")
				default:
					t.Fatalf("round %d: both failed: move %v, edit %v", round, moveErr, editErr)
				}
				if pr := f.mustProgress(t, a.ID); pr.Stage == nil || (moveErr == nil) != (pr.Stage.ID == panel.ID) {
					t.Errorf("round %d: the application ended in %v", round, pr.Stage)
				}
			}
		})
		t.Run("AStepRecordedMeanwhileMakesAMoveStale", func(t *testing.T) {
			a := hiringtest.MustApplication(t, db, f.opening, "stale@example.org")
			seen := f.mustProgress(t, a.ID)
			f.mustStep(t, a.ID, seen.Stage.Steps[0].ID, hiring.StepScheduled)
			_, err := f.pipeline.Advance(f.ctx, a.ID, seen.Version, hiring.AdvanceOptions{Force: true})
			var vc *hiring.VersionConflict
			if !errors.As(err, &vc) || vc.Current.StepStatus(seen.Stage.Steps[0].ID) != hiring.StepScheduled {
				t.Errorf("advance from a stale view: %v", err)
			}
		})
	})
}

func TestPipelineBoard(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newPipelineFixture(t, db, store.PipelineOptions{})
		screen, trio := f.stage(t, "Screening call"), f.stage(t, "Team interviews and references")
		// Applications arrive an hour apart; some are moved later, so their
		// wait in the stage starts later than their application.
		apply := func(name string) *hiring.Application {
			clock.Advance(time.Hour)
			return hiringtest.MustApplication(t, db, f.opening, name+"@example.org")
		}
		a1, a2, a3, a4, a5 := apply("a1"), apply("a2"), apply("a3"), apply("a4"), apply("a5")
		move := func(a *hiring.Application, g *hiring.PlanStage) {
			clock.Advance(time.Hour)
			p := f.mustProgress(t, a.ID)
			if _, err := f.pipeline.MoveTo(f.ctx, a.ID, g.ID, p.Version, ""); err != nil {
				t.Fatal(err)
			}
		}
		move(a4, screen)
		move(a1, screen)
		move(a2, trio)
		move(a3, trio)
		f.mustStep(t, a3.ID, trio.Steps[1].ID, hiring.StepDone)
		f.mustStep(t, a3.ID, trio.Steps[2].ID, hiring.StepSkipped)
		gone := apply("gone")
		if _, err := f.pipeline.Withdraw(f.ctx, gone.ID, 1, "", true); err != nil {
			t.Fatal(err)
		}

		b, err := f.pipeline.Board(f.ctx, hiring.BoardFilter{OpeningID: f.opening.ID})
		if err != nil {
			t.Fatal(err)
		}
		type col struct {
			Name  string
			Count int
			Cards []int64
		}
		var got []col
		for _, c := range b.Columns {
			cc := col{Name: c.Name, Count: c.Count}
			for _, card := range c.Cards {
				cc.Cards = append(cc.Cards, card.ApplicationID)
			}
			got = append(got, cc)
		}
		want := []col{
			{"Application review", 1, []int64{a5.ID}},
			{"Screening call", 2, []int64{a4.ID, a1.ID}},
			{"Management panel", 0, nil},
			{"Team interviews and references", 2, []int64{a2.ID, a3.ID}},
			{"VP of Engineering", 0, nil},
			{"CEO", 0, nil},
			{"Offer", 0, nil},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("board (-want +got):\n%s", diff)
		}
		if b.Total != 5 {
			t.Errorf("total = %d, want 5 active", b.Total)
		}
		card := b.Columns[3].Cards[1]
		if card.StepsDone != 2 || card.StepsRequired != 3 || card.CandidateName != "Robin Example" || card.Version != 4 {
			t.Errorf("card %+v, want 2 of 3 steps done at version 4", card)
		}
		if first := b.Columns[1].Cards[0]; !first.InStageSince.Equal(start.Add(6*time.Hour)) || !first.AppliedAt.Equal(start.Add(4*time.Hour)) {
			t.Errorf("card times %v %v", first.InStageSince, first.AppliedAt)
		}

		t.Run("PagesThroughOneColumn", func(t *testing.T) {
			b, err := f.pipeline.Board(f.ctx, hiring.BoardFilter{OpeningID: f.opening.ID, StageID: &screen.ID, PerColumn: 1, Offset: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Columns) != 1 || b.Columns[0].Count != 2 || len(b.Columns[0].Cards) != 1 || b.Columns[0].Cards[0].ApplicationID != a1.ID {
				t.Errorf("second page of the screen column: %+v", b.Columns)
			}
			b, err = f.pipeline.Board(f.ctx, hiring.BoardFilter{OpeningID: f.opening.ID, StageID: &screen.ID, Offset: 10})
			if err != nil || b.Columns[0].Count != 2 || len(b.Columns[0].Cards) != 0 {
				t.Errorf("a page past the end: %+v %v", b, err)
			}
		})
		t.Run("RefusesBadFilters", func(t *testing.T) {
			_, err := f.pipeline.Board(f.ctx, hiring.BoardFilter{OpeningID: f.opening.ID, PerColumn: -1})
			wantField(t, err, "per_column")
			_, err = f.pipeline.Board(f.ctx, hiring.BoardFilter{OpeningID: f.opening.ID, Offset: 5})
			wantField(t, err, "offset")
			bogus := int64(987654)
			_, err = f.pipeline.Board(f.ctx, hiring.BoardFilter{OpeningID: f.opening.ID, StageID: &bogus})
			wantField(t, err, "stage_id")
			_, err = f.pipeline.Board(f.ctx, hiring.BoardFilter{OpeningID: 987654})
			wantCode(t, err, hiring.ENOTFOUND)
		})
	})
}

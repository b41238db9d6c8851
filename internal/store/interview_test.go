package store_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	eical "github.com/emersion/go-ical"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// interviewStart is when the store's clock starts: Monday 2 March 2026,
// 09:00 UTC, four weeks before Europe/Berlin moves its clocks forward.
var interviewStart = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// interviewFixture is an opening with the backend loop, a recruiter acting
// in ctx, two interviewers and an application that asked for adjustments.
type interviewFixture struct {
	db         *store.DB
	clock      *hiringtest.Clock
	interviews *store.InterviewService
	pipeline   *store.PipelineService
	outbox     *store.OutboxService
	opening    *hiring.Opening
	plan       *hiring.InterviewPlan
	recruiter  *hiring.User
	ada, ben   *hiring.User
	app        *hiring.Application
	ctx        context.Context
}

func newInterviewFixture(t *testing.T, db *store.DB, clock *hiringtest.Clock) *interviewFixture {
	t.Helper()
	f := &interviewFixture{db: db, clock: clock, outbox: store.NewOutboxService(db)}
	f.recruiter, _ = hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
	f.ada, _ = hiringtest.MustCreateUser(t, db, hiring.RoleInterviewer)
	f.ben, _ = hiringtest.MustCreateUser(t, db, hiring.RoleInterviewer)
	f.interviews = store.NewInterviewService(db, store.InterviewOptions{CompanyName: "Larkspur"})
	f.pipeline = store.NewPipelineService(db, store.PipelineOptions{Interviews: f.interviews})
	f.opening = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
	f.plan = hiringtest.MustApplyTemplate(t, db, f.opening.ID, hiringtest.BackendTemplate)
	f.app = f.apply(t, "candidate-"+strconv.Itoa(int(clock.Now().Unix()%1000))+"@example.org", "Please use captions in video calls.")
	f.ctx = hiring.NewContextWithActor(t.Context(), f.recruiter)
	return f
}

// apply sends an application to the fixture's opening.
func (f *interviewFixture) apply(t *testing.T, email, adjustments string) *hiring.Application {
	t.Helper()
	in := hiringtest.SampleApplication(f.opening, email)
	in.AdjustmentRequest = adjustments
	res, err := store.NewApplicationService(f.db, hiringtest.MustNewBlobStore(t), store.ApplyRules{}).Apply(context.Background(), in)
	if err != nil {
		t.Fatalf("apply as %s: %v", email, err)
	}
	return res.Application
}

// step returns the plan's step with the name.
func (f *interviewFixture) step(t *testing.T, name string) *hiring.PlanStep {
	t.Helper()
	for _, g := range f.plan.Stages {
		for _, s := range g.Steps {
			if s.Name == name {
				return s
			}
		}
	}
	t.Fatalf("no step %q", name)
	return nil
}

const technical = "Technical interview with a team manager"

// input is a valid interview of the technical step, Monday 30 March 2026
// at 10:00 in Berlin, with both interviewers.
func (f *interviewFixture) input(t *testing.T) hiring.InterviewInput {
	id := f.step(t, technical).ID
	return hiring.InterviewInput{StepID: &id, LocalStart: "2026-03-30T10:00", TimeZone: "Europe/Berlin",
		InterviewerIDs: []int64{f.ada.ID, f.ben.ID}, VideoURL: "https://meet.example.com/larkspur-tech"}
}

func (f *interviewFixture) mustSchedule(t *testing.T, appID int64, in hiring.InterviewInput) *hiring.Interview {
	t.Helper()
	iv, err := f.interviews.ScheduleInterview(f.ctx, appID, in)
	if err != nil {
		t.Fatalf("schedule: %v", err)
	}
	return iv
}

// messages returns the outbox messages about an interview, oldest first.
func (f *interviewFixture) messages(t *testing.T, interviewID int64) []*hiring.Message {
	t.Helper()
	msgs, _, err := f.outbox.FindMessages(context.Background(), hiring.MessageFilter{Limit: 500})
	if err != nil {
		t.Fatalf("find messages: %v", err)
	}
	var out []*hiring.Message
	for _, m := range msgs {
		if m.InterviewID != nil && *m.InterviewID == interviewID {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b *hiring.Message) int { return int(a.ID - b.ID) })
	return out
}

// invite is what a calendar client reads from an invitation.
type invite struct {
	Method, UID string
	Sequence    int
	Start, End  time.Time
	Attendees   []string
}

// mustParseInvite reads an invitation with golang-ical and with
// emersion/go-ical and fails unless both read the same.
func mustParseInvite(t *testing.T, cal string) invite {
	t.Helper()
	var a invite
	c, err := ics.ParseCalendar(strings.NewReader(cal))
	if err != nil {
		t.Fatalf("golang-ical cannot read the invitation: %v\n%s", err, cal)
	}
	for _, p := range c.CalendarProperties {
		if p.IANAToken == string(ics.PropertyMethod) {
			a.Method = p.Value
		}
	}
	if len(c.Events()) != 1 {
		t.Fatalf("golang-ical reads %d events", len(c.Events()))
	}
	ev := c.Events()[0]
	a.UID = ev.GetProperty(ics.ComponentPropertyUniqueId).Value
	if a.Sequence, err = strconv.Atoi(ev.GetProperty(ics.ComponentPropertySequence).Value); err != nil {
		t.Fatalf("sequence: %v", err)
	}
	if a.Start, err = ev.GetStartAt(); err != nil {
		t.Fatalf("golang-ical start: %v", err)
	}
	if a.End, err = ev.GetEndAt(); err != nil {
		t.Fatalf("golang-ical end: %v", err)
	}
	for _, at := range ev.Attendees() {
		a.Attendees = append(a.Attendees, strings.ToLower(at.Email()))
	}

	var e invite
	ec, err := eical.NewDecoder(bytes.NewReader([]byte(cal))).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot read the invitation: %v\n%s", err, cal)
	}
	e.Method = ec.Props.Get(eical.PropMethod).Value
	if len(ec.Events()) != 1 {
		t.Fatalf("go-ical reads %d events", len(ec.Events()))
	}
	eev := ec.Events()[0]
	e.UID = eev.Props.Get(eical.PropUID).Value
	if e.Sequence, err = eev.Props.Get(eical.PropSequence).Int(); err != nil {
		t.Fatalf("sequence: %v", err)
	}
	if e.Start, err = eev.DateTimeStart(nil); err != nil {
		t.Fatalf("go-ical start: %v", err)
	}
	if e.End, err = eev.DateTimeEnd(nil); err != nil {
		t.Fatalf("go-ical end: %v", err)
	}
	for _, at := range eev.Props.Values(eical.PropAttendee) {
		e.Attendees = append(e.Attendees, strings.ToLower(strings.TrimPrefix(at.Value, "mailto:")))
	}
	if !a.Start.Equal(e.Start) || !a.End.Equal(e.End) {
		t.Fatalf("the parsers disagree on the time: %s–%s and %s–%s", a.Start, a.End, e.Start, e.End)
	}
	a.Start, a.End = a.Start.UTC(), a.End.UTC()
	e.Start, e.End = e.Start.UTC(), e.End.UTC()
	if a.Method != e.Method || a.UID != e.UID || a.Sequence != e.Sequence || !slices.Equal(a.Attendees, e.Attendees) {
		t.Fatalf("the parsers disagree:\n%+v\n%+v", a, e)
	}
	return a
}

// byKind keeps the messages of a kind and status.
func byKind(msgs []*hiring.Message, kind hiring.MessageKind, status hiring.MessageStatus) []*hiring.Message {
	var out []*hiring.Message
	for _, m := range msgs {
		if m.Kind == kind && m.Status == status {
			out = append(out, m)
		}
	}
	return out
}

func recipients(msgs []*hiring.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.To)
	}
	slices.Sort(out)
	return out
}

func sorted(s ...string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestScheduleInterviewRefusesBadInput(t *testing.T) {
	t.Parallel()
	hiringtest.EnginesWithClock(t, interviewStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newInterviewFixture(t, db, clock)
		other := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		otherPlan := hiringtest.MustApplyTemplate(t, db, other.ID, hiringtest.BackendTemplate)
		references := f.step(t, "Reference checks").ID
		cases := []struct {
			name   string
			change func(in *hiring.InterviewInput)
			field  string
		}{
			{"StartInThePast", func(in *hiring.InterviewInput) { in.LocalStart = "2026-03-01T10:00" }, "starts_at"},
			{"NoStart", func(in *hiring.InterviewInput) { in.LocalStart = "" }, "starts_at"},
			{"UnreadableStart", func(in *hiring.InterviewInput) { in.LocalStart = "next Tuesday" }, "starts_at"},
			{"NoTimeZone", func(in *hiring.InterviewInput) { in.TimeZone = "" }, "time_zone"},
			{"LocalTimeZone", func(in *hiring.InterviewInput) { in.TimeZone = "Local" }, "time_zone"},
			{"UnknownTimeZone", func(in *hiring.InterviewInput) { in.TimeZone = "Mars/Olympus_Mons" }, "time_zone"},
			{"TooLong", func(in *hiring.InterviewInput) { in.Minutes = 1441 }, "minutes"},
			{"NegativeLength", func(in *hiring.InterviewInput) { in.Minutes = -30 }, "minutes"},
			{"NoLengthForAStepWithout", func(in *hiring.InterviewInput) { in.StepID = &references }, "minutes"},
			{"NoInterviewer", func(in *hiring.InterviewInput) { in.InterviewerIDs = nil }, "interviewer_ids"},
			{"UnknownInterviewer", func(in *hiring.InterviewInput) { in.InterviewerIDs = []int64{f.ada.ID, 987654} }, "interviewer_ids"},
			{"VideoLinkNotWeb", func(in *hiring.InterviewInput) { in.VideoURL = "javascript:alert(1)" }, "video_url"},
			{"VideoLinkWithoutHost", func(in *hiring.InterviewInput) { in.VideoURL = "https://" }, "video_url"},
			{"ShortNoticeWithoutReason", func(in *hiring.InterviewInput) { in.LocalStart = "2026-03-03T11:00" }, "short_notice_reason"},
			{"NoStep", func(in *hiring.InterviewInput) { in.StepID = nil }, "step_id"},
			{"StepOfAnotherPlan", func(in *hiring.InterviewInput) { in.StepID = &otherPlan.Stages[1].Steps[0].ID }, "step_id"},
			{"TimeTheClocksSkip", func(in *hiring.InterviewInput) { in.LocalStart = "2026-03-29T02:30" }, "starts_at"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := f.input(t)
				c.change(&in)
				_, err := f.interviews.ScheduleInterview(f.ctx, f.app.ID, in)
				wantField(t, err, c.field)
			})
		}
		t.Run("SkippedTimeIsExplained", func(t *testing.T) {
			in := f.input(t)
			in.LocalStart = "2026-03-29T02:30"
			_, err := f.interviews.ScheduleInterview(f.ctx, f.app.ID, in)
			if msg := hiring.ErrorFields(err)["starts_at"]; !strings.Contains(msg, "does not exist in Europe/Berlin") {
				t.Errorf("message %q does not say the time does not exist", msg)
			}
		})
		t.Run("NothingWritten", func(t *testing.T) {
			ivs, n, err := f.interviews.FindInterviews(f.ctx, hiring.InterviewFilter{ApplicationID: &f.app.ID})
			if err != nil || n != 0 || len(ivs) != 0 {
				t.Fatalf("refused input left %d interviews (%v)", n, err)
			}
			msgs, _, _ := f.outbox.FindMessages(f.ctx, hiring.MessageFilter{ApplicationID: &f.app.ID, Limit: 100})
			for _, m := range msgs {
				if m.Kind != hiring.KindConfirmation && m.Kind != "" {
					t.Errorf("refused input queued a %s message", m.Kind)
				}
			}
		})
		t.Run("ShortNoticeWithReason", func(t *testing.T) {
			in := f.input(t)
			in.LocalStart = "2026-03-03T11:00"
			in.ShortNoticeReason = "The candidate leaves for a month on Thursday."
			iv := f.mustSchedule(t, f.apply(t, "short-notice@example.org", "").ID, in)
			if iv.ShortNoticeReason != in.ShortNoticeReason {
				t.Errorf("reason %q", iv.ShortNoticeReason)
			}
		})
		t.Run("LengthFromTheStep", func(t *testing.T) {
			iv := f.mustSchedule(t, f.apply(t, "length@example.org", "").ID, f.input(t))
			if iv.Minutes() != 60 {
				t.Errorf("lasts %d minutes, want the step's 60", iv.Minutes())
			}
		})
		t.Run("InactiveApplication", func(t *testing.T) {
			a := f.apply(t, "withdrawn@example.org", "")
			p, err := f.pipeline.Progress(f.ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.pipeline.Withdraw(f.ctx, a.ID, p.Version, "", false); err != nil {
				t.Fatal(err)
			}
			_, err = f.interviews.ScheduleInterview(f.ctx, a.ID, f.input(t))
			wantCode(t, err, hiring.ECONFLICT)
		})
	})
}

func TestInterviewInvitationsFollowTheInterview(t *testing.T) {
	t.Parallel()
	hiringtest.EnginesWithClock(t, interviewStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newInterviewFixture(t, db, clock)
		cara, _ := hiringtest.MustCreateUser(t, db, hiring.RoleHiringManager)
		candidate := f.app.Candidate.Email

		// Berlin has moved to summer time on 29 March: 10:00 is 08:00 UTC.
		iv := f.mustSchedule(t, f.app.ID, f.input(t))
		start := time.Date(2026, time.March, 30, 8, 0, 0, 0, time.UTC)
		if !iv.StartsAt.Equal(start) || !iv.EndsAt.Equal(start.Add(time.Hour)) {
			t.Fatalf("interview at %s–%s, want %s for one hour", iv.StartsAt, iv.EndsAt, start)
		}
		if !strings.HasSuffix(iv.UID, "@hireloop") || iv.Sequence != 0 || iv.Status != hiring.InterviewScheduled {
			t.Fatalf("new interview: uid %q, sequence %d, status %s", iv.UID, iv.Sequence, iv.Status)
		}

		t.Run("Scheduled", func(t *testing.T) {
			p, err := f.pipeline.Progress(f.ctx, f.app.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.StepStatus(*iv.StepID); got != hiring.StepScheduled {
				t.Errorf("step is %s, want scheduled", got)
			}
			tl, err := f.pipeline.Timeline(f.ctx, f.app.ID)
			if err != nil {
				t.Fatal(err)
			}
			last := tl[len(tl)-1]
			if last.Kind != hiring.EventInterviewScheduled || !strings.Contains(last.Detail, "Monday 30 March 2026, 10:00–11:00 (Europe/Berlin)") {
				t.Errorf("timeline ends with %s %q", last.Kind, last.Detail)
			}
			msgs := f.messages(t, iv.ID)
			invites := byKind(msgs, hiring.KindInvitation, hiring.MessageQueued)
			if diff := recipients(invites); !slices.Equal(diff, sorted(candidate, f.ada.Email, f.ben.Email)) {
				t.Fatalf("invitations to %v", diff)
			}
			for _, m := range invites {
				if m.CalendarMethod != "REQUEST" {
					t.Errorf("invitation to %s has method %q", m.To, m.CalendarMethod)
				}
				got := mustParseInvite(t, m.Calendar)
				if got.Method != "REQUEST" || got.UID != iv.UID || got.Sequence != 0 || !got.Start.Equal(start) || !got.End.Equal(start.Add(time.Hour)) {
					t.Errorf("invitation to %s reads %+v", m.To, got)
				}
				if !slices.Equal(sorted(got.Attendees...), sorted(candidate, f.ada.Email, f.ben.Email)) {
					t.Errorf("invitation to %s invites %v", m.To, got.Attendees)
				}
				if !strings.Contains(m.TextBody, "Monday 30 March 2026, 10:00–11:00 (Europe/Berlin)") ||
					!strings.Contains(m.TextBody, "https://meet.example.com/larkspur-tech") {
					t.Errorf("invitation to %s does not say when and where:\n%s", m.To, m.TextBody)
				}
			}
			reminders := byKind(msgs, hiring.KindAdjustmentReminder, hiring.MessageQueued)
			if !slices.Equal(recipients(reminders), sorted(f.ada.Email, f.ben.Email)) {
				t.Fatalf("reminders to %v", recipients(reminders))
			}
			for _, m := range reminders {
				if !m.NextAttemptAt.Equal(start.Add(-24 * time.Hour)) {
					t.Errorf("reminder to %s is due %s, want a day before the interview", m.To, m.NextAttemptAt)
				}
				if !strings.Contains(m.TextBody, "captions") {
					t.Errorf("reminder does not repeat the adjustments:\n%s", m.TextBody)
				}
			}
		})

		t.Run("ReplyDateFollowsTheInterview", func(t *testing.T) {
			b, err := f.pipeline.Board(f.ctx, hiring.BoardFilter{OpeningID: f.opening.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range b.Columns {
				for _, card := range c.Cards {
					if card.ApplicationID == f.app.ID && (card.HearBackBy == nil || card.HearBackBy.Before(iv.EndsAt)) {
						t.Errorf("reply owed by %v, before the interview ends at %s", card.HearBackBy, iv.EndsAt)
					}
				}
			}
		})

		var moved *hiring.Interview
		t.Run("Rescheduled", func(t *testing.T) {
			in := f.input(t)
			in.LocalStart, in.TimeZone = "2026-04-02T15:00", "America/New_York"
			in.InterviewerIDs = []int64{f.ada.ID, cara.ID}
			_, err := f.interviews.RescheduleInterview(f.ctx, iv.ID, in, iv.Version+1)
			var conflict *hiring.InterviewConflict
			if !errors.As(err, &conflict) || conflict.Current.Version != iv.Version {
				t.Fatalf("a stale version: %v", err)
			}
			moved, err = f.interviews.RescheduleInterview(f.ctx, iv.ID, in, iv.Version)
			if err != nil {
				t.Fatal(err)
			}
			newStart := time.Date(2026, time.April, 2, 19, 0, 0, 0, time.UTC) // New York is on summer time.
			if !moved.StartsAt.Equal(newStart) || moved.Sequence != 1 || moved.UID != iv.UID {
				t.Fatalf("moved to %s, sequence %d, uid %q", moved.StartsAt, moved.Sequence, moved.UID)
			}
			msgs := f.messages(t, iv.ID)
			if old := byKind(msgs, hiring.KindAdjustmentReminder, hiring.MessageCancelled); !slices.Equal(recipients(old), sorted(f.ada.Email, f.ben.Email)) {
				t.Errorf("cancelled reminders: %v", recipients(old))
			}
			reminders := byKind(msgs, hiring.KindAdjustmentReminder, hiring.MessageQueued)
			if !slices.Equal(recipients(reminders), sorted(f.ada.Email, cara.Email)) {
				t.Fatalf("new reminders to %v", recipients(reminders))
			}
			for _, m := range reminders {
				if !m.NextAttemptAt.Equal(newStart.Add(-24 * time.Hour)) {
					t.Errorf("reminder due %s", m.NextAttemptAt)
				}
			}
			updates := byKind(msgs, hiring.KindInvitation, hiring.MessageQueued)
			if !slices.Equal(recipients(updates), sorted(candidate, f.ada.Email, cara.Email)) {
				t.Fatalf("updated invitations to %v", recipients(updates))
			}
			for _, m := range updates {
				got := mustParseInvite(t, m.Calendar)
				if got.Method != "REQUEST" || got.UID != iv.UID || got.Sequence != 1 || !got.Start.Equal(newStart) {
					t.Errorf("update to %s reads %+v", m.To, got)
				}
			}
			off := byKind(msgs, hiring.KindCancellation, hiring.MessageQueued)
			if len(off) != 1 || off[0].To != f.ben.Email {
				t.Fatalf("cancellations to %v, want the interviewer taken off", recipients(off))
			}
			if got := mustParseInvite(t, off[0].Calendar); got.Method != "CANCEL" || got.UID != iv.UID || got.Sequence != 1 {
				t.Errorf("cancellation reads %+v", got)
			}
		})

		t.Run("Cancelled", func(t *testing.T) {
			if moved == nil {
				t.Fatal("the reschedule failed")
			}
			_, err := f.interviews.CancelInterview(f.ctx, iv.ID, "The team is at an offsite.", iv.Version)
			wantCode(t, err, hiring.ECONFLICT)
			done, err := f.interviews.CancelInterview(f.ctx, iv.ID, "The team is at an offsite.", moved.Version)
			if err != nil {
				t.Fatal(err)
			}
			if done.Status != hiring.InterviewCancelled || done.Sequence != 2 || done.CancelledAt == nil {
				t.Fatalf("cancelled interview: %s, sequence %d", done.Status, done.Sequence)
			}
			msgs := f.messages(t, iv.ID)
			if n := len(byKind(msgs, hiring.KindAdjustmentReminder, hiring.MessageQueued)); n != 0 {
				t.Errorf("%d reminders still queued", n)
			}
			var cancels []*hiring.Message
			for _, m := range byKind(msgs, hiring.KindCancellation, hiring.MessageQueued) {
				if got := mustParseInvite(t, m.Calendar); got.Sequence == 2 {
					if got.Method != "CANCEL" || got.UID != iv.UID {
						t.Errorf("cancellation reads %+v", got)
					}
					cancels = append(cancels, m)
				}
			}
			if !slices.Equal(recipients(cancels), sorted(candidate, f.ada.Email, cara.Email)) {
				t.Fatalf("cancellations to %v", recipients(cancels))
			}
			p, err := f.pipeline.Progress(f.ctx, f.app.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.StepStatus(*iv.StepID); got != hiring.StepPending {
				t.Errorf("step is %s after the cancellation, want pending", got)
			}
			b, err := f.interviews.InvitationICS(f.ctx, iv.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := mustParseInvite(t, string(b)); got.Method != "CANCEL" || got.Sequence != 2 || got.UID != iv.UID {
				t.Errorf("download reads %+v", got)
			}
			_, err = f.interviews.RescheduleInterview(f.ctx, iv.ID, f.input(t), done.Version)
			wantCode(t, err, hiring.ECONFLICT)
		})
	})
}

func TestInterviewOverlapNeedsConfirmation(t *testing.T) {
	t.Parallel()
	hiringtest.EnginesWithClock(t, interviewStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newInterviewFixture(t, db, clock)
		f.mustSchedule(t, f.app.ID, f.input(t))
		other := f.apply(t, "second@example.org", "")

		in := f.input(t)
		in.LocalStart = "2026-03-30T10:30"
		in.InterviewerIDs = []int64{f.ben.ID}
		_, err := f.interviews.ScheduleInterview(f.ctx, other.ID, in)
		wantCode(t, err, hiring.ECONFLICT)
		msg := hiring.ErrorFields(err)["accept_overlap"]
		if !strings.Contains(msg, f.ben.Name) || !strings.Contains(msg, "10:00–11:00 (Europe/Berlin)") {
			t.Errorf("warning %q does not name the interviewer and the other interview's time", msg)
		}

		in.LocalStart = "2026-03-30T11:00" // Right after: no overlap.
		f.mustSchedule(t, other.ID, in)

		in.LocalStart = "2026-03-30T10:30"
		in.AcceptOverlap = true
		f.mustSchedule(t, f.apply(t, "third@example.org", "").ID, in)
	})
}

func TestInterviewOutcome(t *testing.T) {
	t.Parallel()
	hiringtest.EnginesWithClock(t, interviewStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newInterviewFixture(t, db, clock)
		iv := f.mustSchedule(t, f.app.ID, f.input(t))
		second := f.apply(t, "second@example.org", "")
		in := f.input(t)
		in.LocalStart = "2026-03-31T10:00"
		absent := f.mustSchedule(t, second.ID, in)

		asAda := hiring.NewContextWithActor(t.Context(), f.ada)
		_, err := f.interviews.RecordInterviewOutcome(asAda, iv.ID, hiring.InterviewDone)
		wantCode(t, err, hiring.ECONFLICT)

		clock.Advance(iv.StartsAt.Sub(clock.Now()) + 30*time.Minute)
		stranger, _ := hiringtest.MustCreateUser(t, db, hiring.RoleInterviewer)
		_, err = f.interviews.RecordInterviewOutcome(hiring.NewContextWithActor(t.Context(), stranger), iv.ID, hiring.InterviewDone)
		wantCode(t, err, hiring.EFORBIDDEN)
		_, err = f.interviews.RecordInterviewOutcome(asAda, iv.ID, hiring.InterviewCancelled)
		wantField(t, err, "status")

		got, err := f.interviews.RecordInterviewOutcome(asAda, iv.ID, hiring.InterviewDone)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != hiring.InterviewDone {
			t.Errorf("status %s", got.Status)
		}
		p, err := f.pipeline.Progress(f.ctx, f.app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s := p.StepStatus(*iv.StepID); s != hiring.StepDone {
			t.Errorf("step is %s, want done", s)
		}

		clock.Advance(24 * time.Hour)
		if _, err := f.interviews.RecordInterviewOutcome(f.ctx, absent.ID, hiring.InterviewNoShow); err != nil {
			t.Fatal(err)
		}
		p, err = f.pipeline.Progress(f.ctx, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s := p.StepStatus(*absent.StepID); s != hiring.StepNoShow {
			t.Errorf("step is %s, want no_show", s)
		}
	})
}

func TestRejectionAsksAboutInterviewsSoon(t *testing.T) {
	t.Parallel()
	hiringtest.EnginesWithClock(t, interviewStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newInterviewFixture(t, db, clock)
		soon := func(t *testing.T, app *hiring.Application) (*hiring.Interview, *hiring.Interview) {
			in := f.input(t)
			in.LocalStart = "2026-03-02T20:00" // 10 hours from now in Berlin (UTC+1).
			in.ShortNoticeReason = "The candidate asked for this evening."
			in.AcceptOverlap = true
			first := f.mustSchedule(t, app.ID, in)
			in.LocalStart, in.ShortNoticeReason = "2026-03-20T10:00", ""
			in.InterviewerIDs = []int64{f.ben.ID}
			return first, f.mustSchedule(t, app.ID, in)
		}
		reject := func(t *testing.T, app *hiring.Application, keep *bool) error {
			p, err := f.pipeline.Progress(f.ctx, app.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.pipeline.Reject(f.ctx, app.ID, hiring.RejectInput{Reason: hiring.RejectExperience, KeepUpcomingInterviews: keep}, p.Version)
			return err
		}
		status := func(t *testing.T, id int64) hiring.InterviewStatus {
			iv, err := f.interviews.FindInterviewByID(f.ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return iv.Status
		}

		t.Run("Asks", func(t *testing.T) {
			n, err := f.interviews.UpcomingInterviews(f.ctx, f.app.ID, hiring.KeepInterviewWindow)
			if err != nil || n != 0 {
				t.Fatalf("upcoming before scheduling: %d, %v", n, err)
			}
			near, _ := soon(t, f.app)
			err = reject(t, f.app, nil)
			wantCode(t, err, hiring.ECONFLICT)
			if _, ok := hiring.ErrorFields(err)["keep_upcoming_interviews"]; !ok {
				t.Errorf("the refusal does not ask about the interview: %v", err)
			}
			if status(t, near.ID) != hiring.InterviewScheduled {
				t.Error("the refused rejection touched the interview")
			}
		})
		t.Run("Cancel", func(t *testing.T) {
			near, later := soon(t, f.apply(t, "cancel@example.org", ""))
			app := near.ApplicationID
			if err := reject(t, &hiring.Application{ID: app}, new(false)); err != nil {
				t.Fatal(err)
			}
			if status(t, near.ID) != hiring.InterviewCancelled || status(t, later.ID) != hiring.InterviewCancelled {
				t.Fatalf("after the rejection: %s and %s, want both cancelled", status(t, near.ID), status(t, later.ID))
			}
			cancels := byKind(f.messages(t, near.ID), hiring.KindCancellation, hiring.MessageQueued)
			if len(cancels) != 3 {
				t.Fatalf("%d cancellations, want the candidate and two interviewers", len(cancels))
			}
			if got := mustParseInvite(t, cancels[0].Calendar); got.Method != "CANCEL" || got.Sequence != 1 {
				t.Errorf("cancellation reads %+v", got)
			}
		})
		t.Run("Keep", func(t *testing.T) {
			near, later := soon(t, f.apply(t, "keep@example.org", ""))
			if err := reject(t, &hiring.Application{ID: near.ApplicationID}, new(true)); err != nil {
				t.Fatal(err)
			}
			if status(t, near.ID) != hiring.InterviewScheduled {
				t.Errorf("the interview in 10 hours is %s, want kept", status(t, near.ID))
			}
			if status(t, later.ID) != hiring.InterviewCancelled {
				t.Errorf("the interview in three weeks is %s, want cancelled", status(t, later.ID))
			}
		})
		t.Run("Withdrawal", func(t *testing.T) {
			near, later := soon(t, f.apply(t, "withdraw@example.org", ""))
			p, err := f.pipeline.Progress(f.ctx, near.ApplicationID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.pipeline.Withdraw(f.ctx, near.ApplicationID, p.Version, "took another offer", true); err != nil {
				t.Fatal(err)
			}
			if status(t, near.ID) != hiring.InterviewCancelled || status(t, later.ID) != hiring.InterviewCancelled {
				t.Fatalf("after the withdrawal: %s and %s, want both cancelled", status(t, near.ID), status(t, later.ID))
			}
			if n := len(byKind(f.messages(t, later.ID), hiring.KindCancellation, hiring.MessageQueued)); n != 2 {
				t.Errorf("%d cancellations of the later interview, want the candidate and its interviewer", n)
			}
		})
	})
}

package demo

import (
	"context"
	"fmt"
	"time"

	"hireloop/internal/deadline"
	"hireloop/internal/hiring"
)

// The demo's history.
//
// Each demo application has a story: when the candidate applied and what
// happened since, told as calls to the same services a recruiter's clicks
// make. Moments are days before or after today (midnight UTC of the day
// the demo loads) and an hour of that day, so the history lands the same
// way relative to any start: the store's clock is set to each moment of the
// past before its change is made, and interviews are put in the calendar
// while their start is still ahead, then recorded as done once it is past.

// moment is a day relative to today and an hour of it, in UTC.
type moment struct{ day, hour int }

// at is the moment of day d (negative: in the past) at hour h.
func at(d, h int) moment { return moment{d, h} }

// story is what happened to one application.
type story struct {
	applied moment
	play    func(r *run)
}

// run plays one story. The first error stops it; later calls do nothing.
type run struct {
	ctx   context.Context
	h     Hiring
	team  demoTeam
	today time.Time
	app   *hiring.Application
	zone  string
	err   error
}

// time returns the instant of m.
func (r *run) time(m moment) time.Time {
	return r.today.AddDate(0, 0, m.day).Add(time.Duration(m.hour) * time.Hour)
}

// on sets the store's clock to m for the next change.
func (r *run) on(m moment) { r.h.Clock.set(r.time(m)) }

func (r *run) fail(what string, err error) {
	if r.err == nil && err != nil {
		r.err = fmt.Errorf("demo application %d (%s): %s: %w", r.app.ID, r.app.Candidate.Email, what, err)
	}
}

// progress returns where the application stands, or nil after an error.
func (r *run) progress() *hiring.Progress {
	if r.err != nil {
		return nil
	}
	p, err := r.h.Pipeline.Progress(r.ctx, r.app.ID)
	r.fail("read progress", err)
	return p
}

// advance moves the application to the next stage on m, passing over
// stages whose steps are all optional. Steps of the stage that are not
// interviews and are still open, such as the application review, are
// marked done first; an interview still open is an error in the story.
func (r *run) advance(m moment) {
	p := r.progress()
	if p == nil {
		return
	}
	r.on(m)
	for _, st := range p.Unfinished() {
		if st.Kind.IsInterview() {
			continue
		}
		_, err := r.h.Pipeline.CompleteStep(r.ctx, r.app.ID, st.ID, hiring.StepDone)
		r.fail("mark "+st.Name, err)
	}
	if p = r.progress(); p == nil {
		return
	}
	_, err := r.h.Pipeline.Advance(r.ctx, r.app.ID, p.Version, hiring.AdvanceOptions{SkipOptional: true})
	r.fail("advance", err)
}

// step returns the step of the current stage of the kind, or its first
// interview step when kind is "".
func (r *run) step(kind hiring.StepKind) *hiring.PlanStep {
	p := r.progress()
	if p == nil {
		return nil
	}
	if p.Stage == nil {
		r.fail("find a step", fmt.Errorf("the application has no stage"))
		return nil
	}
	for _, st := range p.Stage.Steps {
		if st.Kind == kind || (kind == "" && st.Kind.IsInterview()) {
			return st
		}
	}
	r.fail("find a step", fmt.Errorf("stage %q has no %q step", p.Stage.Name, kind))
	return nil
}

// interview puts the step of the kind in the calendar on booked, to start
// at start, with the people named; its length is the step's.
func (r *run) interview(booked moment, kind hiring.StepKind, start moment, who ...*int64) *hiring.Interview {
	return r.interviewAt(booked, kind, r.time(start), who...)
}

func (r *run) interviewAt(booked moment, kind hiring.StepKind, start time.Time, who ...*int64) *hiring.Interview {
	st := r.step(kind)
	if st == nil {
		return nil
	}
	in := hiring.InterviewInput{StepID: &st.ID, StartsAt: start, TimeZone: r.zone,
		VideoURL: fmt.Sprintf("https://meet.larkspur.example/%d-%d", r.app.ID, st.ID)}
	if st.Minutes == 0 {
		in.Minutes = 45
	}
	for _, id := range who {
		if id != nil {
			in.InterviewerIDs = append(in.InterviewerIDs, *id)
		}
	}
	r.on(booked)
	iv, err := r.h.Interviews.ScheduleInterview(r.ctx, r.app.ID, in)
	r.fail("schedule "+st.Name, err)
	return iv
}

// done records that the interview took place, half an hour after it
// ended.
func (r *run) done(iv *hiring.Interview) {
	if r.err != nil || iv == nil {
		return
	}
	r.h.Clock.set(iv.EndsAt.Add(30 * time.Minute))
	_, err := r.h.Interviews.RecordInterviewOutcome(r.ctx, iv.ID, hiring.InterviewDone)
	r.fail("record "+iv.StepName, err)
}

// finish marks the step of the kind in the current stage as status on m.
func (r *run) finish(m moment, kind hiring.StepKind, status hiring.StepStatus) {
	st := r.step(kind)
	if st == nil {
		return
	}
	r.on(m)
	_, err := r.h.Pipeline.CompleteStep(r.ctx, r.app.ID, st.ID, status)
	r.fail("mark "+st.Name, err)
}

// message sends the candidate a message on m.
func (r *run) message(m moment, kind hiring.MessageKind, subject, body string) {
	if r.err != nil {
		return
	}
	r.on(m)
	_, err := r.h.Messages.SendToCandidate(r.ctx, r.app.ID, hiring.SendInput{Kind: kind, Language: "en", Subject: subject, Body: body})
	r.fail("send a message", err)
}

// reject turns the application down on m with a message.
func (r *run) reject(m moment, reason hiring.RejectReason, note string, msg hiring.RejectMessage) {
	p := r.progress()
	if p == nil {
		return
	}
	r.on(m)
	_, err := r.h.Pipeline.Reject(r.ctx, r.app.ID, hiring.RejectInput{Reason: reason, Note: note, Message: &msg}, p.Version)
	r.fail("reject", err)
}

// withdraw records on m that the candidate withdrew.
func (r *run) withdraw(m moment, note string) {
	p := r.progress()
	if p == nil {
		return
	}
	r.on(m)
	_, err := r.h.Pipeline.Withdraw(r.ctx, r.app.ID, p.Version, note, true)
	r.fail("withdraw", err)
}

// dueToday returns the day (counted back from today, as moments count)
// on which an interview makes the candidate of country owed a reply by
// the end of today, under the default reply policy; ok is false when no
// such day exists, as when today is not a business day. The day is three
// to eight days back, after the candidate moved on and at least 48 hours
// after the interview was booked.
func dueToday(today time.Time, country string) (int, bool) {
	cal, ok := deadline.ForCountry(country)
	if !ok {
		cal = deadline.Weekdays()
	}
	for d := 3; d <= 8; d++ {
		ended := today.AddDate(0, 0, -d).Add(14 * time.Hour)
		due := deadline.AddBusinessDays(cal, ended, deadline.DefaultAfterInterviewDays, time.UTC)
		if y, m, dd := due.Date(); time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Equal(today) {
			return -d, true
		}
	}
	return 0, false
}

// Messages of the demo's history, in the company's own words.
var (
	offerMessage = [2]string{"Next step: your offer",
		"Hello Amara,\n\nThank you for the time you gave us over the last weeks. Everyone you met would like to work with you, " +
			"so we are preparing an offer. Your recruiter will send it within two business days and then set up a call to go through it.\n\n" +
			"Tomás, for Larkspur Labs"}
	referenceUpdate = [2]string{"Your references",
		"Hello Mei,\n\nA short update: we have spoken with two of your referees and are waiting to hear from the third. " +
			"We will write again within a week, sooner if we have news.\n\nTomás, for Larkspur Labs"}
	rejection = hiring.RejectMessage{Subject: "Your application for Frontend Engineer",
		Body: "Hello Diego,\n\nThank you for applying to Larkspur Labs. We read your application carefully and decided not to " +
			"move forward: for this role we need several years of building and testing large interfaces in a team. " +
			"We would be glad to hear from you again when you have that experience.\n\nTomás, for Larkspur Labs"}
)

// stories are the demo's applications by requisition and email. An
// application without a story was made on the day the demo loads.
func stories(team demoTeam, today time.Time) map[string]story {
	recruiter, manager, interviewer, vp := team.recruiter, team.manager, team.interviewer, team.admin
	due, dueOK := dueToday(today, "NL")
	return map[string]story{
		// At the offer stage of the backend loop, after its team stage
		// was done in another order than the plan lists.
		"1001 amara.eze@example.com": {at(-26, 8), func(r *run) {
			r.advance(at(-25, 10))
			r.done(r.interview(at(-25, 10), hiring.StepScreen, at(-22, 9), recruiter))
			r.advance(at(-21, 10))
			r.done(r.interview(at(-21, 10), hiring.StepPanel, at(-18, 9), manager, interviewer))
			r.advance(at(-17, 10))
			technical := r.interview(at(-17, 11), hiring.StepTechnical, at(-14, 9), interviewer)
			behavioral := r.interview(at(-16, 11), hiring.StepHiringManager, at(-11, 9), manager)
			r.done(technical)
			r.finish(at(-12, 15), hiring.StepReferences, hiring.StepDone)
			r.done(behavioral)
			r.advance(at(-10, 10))
			r.done(r.interview(at(-10, 10), hiring.StepLeadership, at(-6, 9), vp))
			r.advance(at(-4, 10))
			r.message(at(-4, 11), hiring.KindOfferStage, offerMessage[0], offerMessage[1])
		}},
		"1003 amara.eze@example.com": {at(-2, 16), nil},
		// In the backend loop's team stage: one interview done, one
		// coming, references being checked.
		"1001 jonas.lindgren@example.com": {at(-20, 8), func(r *run) {
			r.advance(at(-19, 9))
			r.done(r.interview(at(-19, 9), hiring.StepScreen, at(-16, 11), recruiter))
			r.advance(at(-15, 9))
			r.done(r.interview(at(-15, 9), hiring.StepPanel, at(-12, 11), manager, interviewer))
			r.advance(at(-11, 9))
			r.done(r.interview(at(-11, 10), hiring.StepHiringManager, at(-7, 11), manager))
			r.interview(at(-2, 10), hiring.StepTechnical, at(2, 11), interviewer)
		}},
		// The panel is tomorrow; she asked for captions.
		"1002 priyanka.desai@example.com": {at(-14, 9), func(r *run) {
			r.advance(at(-13, 10))
			r.done(r.interview(at(-13, 10), hiring.StepScreen, at(-10, 13), recruiter))
			r.advance(at(-9, 10))
			r.interview(at(-3, 10), hiring.StepPanel, at(1, 13), manager, interviewer)
		}},
		// Nobody has answered for two weeks: overdue.
		"1002 tomasz.wojcik@example.com": {at(-15, 9), nil},
		// Technical interview done nine days ago, no word since: overdue.
		"1005 tomasz.wojcik@example.com": {at(-16, 9), func(r *run) {
			r.advance(at(-15, 10))
			r.done(r.interview(at(-15, 10), hiring.StepScreen, at(-12, 15), recruiter))
			r.advance(at(-11, 9))
			r.done(r.interview(at(-11, 9), hiring.StepTechnical, at(-9, 15), interviewer))
		}},
		// Screening call in three days.
		"1004 grace.mensah@example.com": {at(-6, 14), func(r *run) {
			r.advance(at(-4, 9))
			r.interview(at(-4, 9), hiring.StepScreen, at(3, 10), recruiter)
		}},
		"1004 diego.ramirez@example.com": {at(-12, 16), func(r *run) {
			r.reject(at(-9, 10), hiring.RejectExperience, "Not enough experience with large interfaces yet.", rejection)
		}},
		// Through the whole infrastructure loop; references under way.
		"1005 mei.tanaka@example.com": {at(-40, 9), func(r *run) {
			r.advance(at(-39, 9))
			r.done(r.interview(at(-39, 9), hiring.StepScreen, at(-36, 8), recruiter))
			r.advance(at(-35, 9))
			r.done(r.interview(at(-35, 9), hiring.StepTechnical, at(-31, 8), interviewer))
			r.advance(at(-30, 9))
			r.done(r.interview(at(-30, 9), hiring.StepHiringManager, at(-27, 8), manager))
			r.advance(at(-26, 9))
			r.done(r.interview(at(-26, 9), hiring.StepPeer, at(-23, 8), interviewer))
			r.advance(at(-22, 9))
			r.done(r.interview(at(-22, 9), hiring.StepLeadership, at(-19, 8), vp))
			r.advance(at(-17, 9))
			r.message(at(-5, 11), hiring.KindMessageToCandidate, referenceUpdate[0], referenceUpdate[1])
		}},
		"1007 olusegun.bakare@example.com": {at(-9, 10), func(r *run) {
			r.done(r.interview(at(-8, 9), "", at(-5, 12), recruiter))
		}},
		"1007 sofia.costa@example.com": {at(-11, 9), func(r *run) {
			r.withdraw(at(-6, 15), "Accepted another offer and thanked the team.")
		}},
		"1008 sofia.costa@example.com": {at(-3, 9), nil},
		// Owed a reply by the end of today, when today is a business day.
		"1008 henrik.sorensen@example.com": {at(-12, 9), func(r *run) {
			when := at(-4, 13)
			if dueOK {
				when = at(due, 13)
			}
			r.done(r.interview(at(-11, 9), "", when, manager))
		}},
		"1010 lucia.fernandez@example.com": {at(-1, 15), nil},
		"1011 marcus.webb@example.com": {at(-7, 9), func(r *run) {
			r.done(r.interview(at(-6, 9), "", at(-3, 17), recruiter))
		}},
	}
}

// zones are the time zones the demo's candidates are interviewed in.
var zones = map[string]string{
	"amara.eze@example.com":       "Africa/Lagos",
	"jonas.lindgren@example.com":  "Europe/Stockholm",
	"priyanka.desai@example.com":  "Europe/Berlin",
	"tomasz.wojcik@example.com":   "Europe/Warsaw",
	"grace.mensah@example.com":    "America/Toronto",
	"mei.tanaka@example.com":      "Asia/Tokyo",
	"olusegun.bakare@example.com": "Europe/Lisbon",
	"henrik.sorensen@example.com": "Europe/Amsterdam",
	"marcus.webb@example.com":     "America/Denver",
	"lucia.fernandez@example.com": "Europe/Madrid",
	"sofia.costa@example.com":     "Europe/Lisbon",
	"diego.ramirez@example.com":   "America/Chicago",
}

// profiles are what candidates see of the demo accounts who interview
// them, by email.
var profiles = map[string]hiring.UserProfile{
	"admin@larkspur.example":       {JobTitle: "VP of Engineering", ProfileURL: "https://gitlab.com/noor-okafor-demo"},
	"recruiter@larkspur.example":   {JobTitle: "Senior Technical Recruiter", ProfileURL: "https://gitlab.com/tomas-lindqvist-demo"},
	"manager@larkspur.example":     {JobTitle: "Engineering Manager, Search", ProfileURL: "https://gitlab.com/priya-raman-demo"},
	"interviewer@larkspur.example": {JobTitle: "Staff Backend Engineer", ProfileURL: "https://gitlab.com/jun-takahashi-demo"},
}

// setProfiles gives the demo accounts their job titles and profile links.
func setProfiles(ctx context.Context, h Hiring) error {
	if h.Profiles == nil {
		return nil
	}
	for _, a := range Accounts() {
		u, err := h.Users.FindUserByEmail(ctx, a.Email)
		if hiring.ErrorCode(err) == hiring.ENOTFOUND {
			continue
		} else if err != nil {
			return fmt.Errorf("find demo user %s: %w", a.Email, err)
		}
		if err := h.Profiles.SetUserProfile(ctx, u.ID, profiles[a.Email]); err != nil {
			return fmt.Errorf("set profile of demo user %s: %w", a.Email, err)
		}
	}
	return nil
}

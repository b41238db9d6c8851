package hiring

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Interviews.
//
// An interview is one step of an application's plan put in the calendar:
// a start, an end, the time zone people entered it in, the interviewers,
// and a video link or a place. The candidate and each interviewer receive
// an iCalendar invitation that keeps one UID for the life of the
// interview; every change sent to them raises its SEQUENCE, and a
// cancellation is sent as METHOD:CANCEL.

// InterviewStatus is where an interview stands.
type InterviewStatus string

// Interview statuses. A scheduled interview becomes done or no_show when
// an interviewer records it, or cancelled.
const (
	InterviewScheduled InterviewStatus = "scheduled"
	InterviewDone      InterviewStatus = "done"
	InterviewCancelled InterviewStatus = "cancelled"
	InterviewNoShow    InterviewStatus = "no_show"
)

// Valid reports whether s is a known status.
func (s InterviewStatus) Valid() bool {
	switch s {
	case InterviewScheduled, InterviewDone, InterviewCancelled, InterviewNoShow:
		return true
	}
	return false
}

// Label is the status as people read it.
func (s InterviewStatus) Label() string {
	switch s {
	case InterviewScheduled:
		return "Scheduled"
	case InterviewDone:
		return "Done"
	case InterviewCancelled:
		return "Cancelled"
	case InterviewNoShow:
		return "Candidate did not attend"
	}
	return string(s)
}

// Scheduling rules from the process.
const (
	// ShortNotice is how far ahead an interview must be scheduled unless a
	// reason is given.
	ShortNotice = 48 * time.Hour
	// AdjustmentReminderLead is how long before an interview its
	// interviewers are reminded of the candidate's adjustments.
	AdjustmentReminderLead = 24 * time.Hour
)

// Interviewer is a person on an interview, as the candidate may see them.
type Interviewer struct {
	UserID     int64  `json:"user_id"`
	Name       string `json:"name"`
	Email      string `json:"email,omitempty"`
	JobTitle   string `json:"job_title"`
	ProfileURL string `json:"profile_url"`
}

// Interview is a step of an application's plan in the calendar.
type Interview struct {
	ID            int64 `json:"id"`
	ApplicationID int64 `json:"application_id"`
	OpeningID     int64 `json:"opening_id"`
	// CandidateName is who is interviewed, filled in by finders.
	CandidateName string `json:"candidate_name"`
	StepID        *int64 `json:"step_id"`
	// StepName is kept with the interview so it reads right after the plan
	// changed.
	StepName string          `json:"step_name"`
	Status   InterviewStatus `json:"status"`
	// StartsAt and EndsAt are instants; TimeZone is the IANA zone they are
	// shown in.
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	TimeZone string    `json:"time_zone"`
	Location string    `json:"location"`
	VideoURL string    `json:"video_url"`
	// ShortNoticeReason says why the interview was scheduled less than
	// ShortNotice ahead.
	ShortNoticeReason string         `json:"short_notice_reason"`
	Interviewers      []*Interviewer `json:"interviewers"`
	// UID and Sequence identify the invitation in calendar clients.
	UID         string     `json:"uid"`
	Sequence    int        `json:"sequence"`
	Version     int        `json:"version"`
	CreatedBy   *int64     `json:"created_by"`
	CancelledAt *time.Time `json:"cancelled_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// InterviewInput is an interview as a coordinator schedules or reschedules
// it. Start is read in TimeZone when it has no zone of its own.
type InterviewInput struct {
	StepID         *int64    `json:"step_id"`
	StartsAt       time.Time `json:"starts_at"`
	TimeZone       string    `json:"time_zone"`
	Minutes        int       `json:"minutes"`
	InterviewerIDs []int64   `json:"interviewer_ids"`
	Location       string    `json:"location"`
	VideoURL       string    `json:"video_url"`
	// ShortNoticeReason is required when the interview starts less than
	// ShortNotice from now.
	ShortNoticeReason string `json:"short_notice_reason"`
	// LocalStart, when set, is the start as a wall-clock time in TimeZone
	// (LocalTimeLayout) and replaces StartsAt; a time the clocks skip is
	// refused.
	LocalStart string `json:"local_start,omitempty"`
	// AcceptOverlap confirms scheduling although an interviewer has another
	// interview at that time; without it the overlap is refused with a
	// warning that names the interviewer.
	AcceptOverlap bool `json:"accept_overlap"`
}

// InterviewFilter chooses interviews.
type InterviewFilter struct {
	ApplicationID *int64
	OpeningID     *int64
	// InterviewerID keeps the interviews a person sits on.
	InterviewerID *int64
	Status        *InterviewStatus
	// From and To bound the start time.
	From, To *time.Time
	Offset   int
	Limit    int
}

// InterviewService schedules interviews and sends their invitations
// through the outbox, in the same transaction as the change.
type InterviewService interface {
	// ScheduleInterview puts a step of the application in the calendar and
	// queues the invitations.
	ScheduleInterview(ctx context.Context, appID int64, in InterviewInput) (*Interview, error)
	// RescheduleInterview changes time, people or place, raises the
	// sequence and queues updated invitations (and cancellations for
	// interviewers taken off). version is the interview's version as seen.
	RescheduleInterview(ctx context.Context, id int64, in InterviewInput, version int) (*Interview, error)
	// CancelInterview cancels the interview and queues METHOD:CANCEL to
	// everyone invited.
	CancelInterview(ctx context.Context, id int64, reason string, version int) (*Interview, error)
	// RecordInterviewOutcome marks a past interview done or no_show.
	RecordInterviewOutcome(ctx context.Context, id int64, status InterviewStatus) (*Interview, error)
	FindInterviewByID(ctx context.Context, id int64) (*Interview, error)
	FindInterviews(ctx context.Context, f InterviewFilter) ([]*Interview, int, error)
	// InvitationICS returns the interview's current invitation (or its
	// cancellation) as an iCalendar object, for downloads.
	InvitationICS(ctx context.Context, id int64) ([]byte, error)
}

// Limits of an interview's fields.
const (
	MaxInterviewMinutes = 24 * 60
	MaxInterviewers     = 20
	// LocalTimeLayout is how a wall-clock start is written in a zone:
	// what a date and a time control send together.
	LocalTimeLayout = "2006-01-02T15:04"
)

// Timeline kinds of interviews.
const (
	EventInterviewScheduled   EventKind = "interview_scheduled"
	EventInterviewRescheduled EventKind = "interview_rescheduled"
	EventInterviewCancelled   EventKind = "interview_cancelled"
	EventInterviewDone        EventKind = "interview_done"
	EventInterviewNoShow      EventKind = "interview_no_show"
)

// LoadZone loads an IANA time zone by name for an interview. It refuses
// the empty name and "Local", which time.LoadLocation accepts but which
// mean UTC or the server's zone rather than the interview's.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" || strings.ContainsAny(name, " \\") || strings.HasPrefix(name, "/") ||
		strings.Contains(name, "..") {
		return nil, fmt.Errorf("%q is not an IANA time zone", name)
	}
	return time.LoadLocation(name)
}

// WallTime reads a wall-clock time such as "2026-03-29T02:30" in loc. A
// time that does not exist there, because the clocks go forward over it,
// is refused with a message that says so; a time that happens twice, as
// the clocks go back, is the first of the two.
func WallTime(local string, loc *time.Location) (time.Time, string) {
	w, err := time.Parse(LocalTimeLayout, strings.TrimSpace(local))
	if err != nil {
		return time.Time{}, "Enter a date and a time such as 2030-01-31 and 09:30."
	}
	t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), 0, 0, loc)
	if t.Year() != w.Year() || t.Month() != w.Month() || t.Day() != w.Day() || t.Hour() != w.Hour() || t.Minute() != w.Minute() {
		return time.Time{}, fmt.Sprintf("%s does not exist in %s: the clocks go forward at that moment. Choose another time.",
			w.Format("2 January 2006 15:04"), loc.String())
	}
	return t, ""
}

// Normalize trims an interview's text, drops repeated interviewers and
// reads its start: LocalStart, when given, is a wall-clock time in
// TimeZone (see WallTime). It checks what needs nothing but the input and
// records each problem under its field; the store checks the rest (the
// step, the people, the time against now).
func (in *InterviewInput) Normalize(v Validation) *time.Location {
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	in.Location = strings.TrimSpace(in.Location)
	in.VideoURL = strings.TrimSpace(in.VideoURL)
	in.ShortNoticeReason = strings.TrimSpace(in.ShortNoticeReason)
	in.LocalStart = strings.TrimSpace(in.LocalStart)
	loc, err := LoadZone(in.TimeZone)
	if err != nil {
		v.Add("time_zone", "Choose a time zone such as Europe/Berlin or America/New_York.")
		loc = nil
	}
	switch {
	case in.LocalStart != "" && loc != nil:
		t, msg := WallTime(in.LocalStart, loc)
		if msg != "" {
			v.Add("starts_at", msg)
		} else {
			in.StartsAt = t
		}
	case in.LocalStart != "":
		if _, err := time.Parse(LocalTimeLayout, in.LocalStart); err != nil {
			v.Add("starts_at", "Enter a date and a time such as 2030-01-31 and 09:30.")
		}
	case in.StartsAt.IsZero():
		v.Add("starts_at", "Choose when the interview starts.")
	}
	if in.Minutes < 0 || in.Minutes > MaxInterviewMinutes {
		v.Add("minutes", fmt.Sprintf("Enter a duration from 1 to %d minutes.", MaxInterviewMinutes))
	}
	checkString(v, "location", in.Location, false, MaxItemLen)
	checkString(v, "short_notice_reason", in.ShortNoticeReason, false, MaxNoteLen)
	if in.VideoURL != "" {
		u, err := url.Parse(in.VideoURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(in.VideoURL) > MaxItemLen ||
			strings.ContainsFunc(in.VideoURL, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '"' || r == '<' || r == '>' }) {
			v.Add("video_url", "Enter a full address starting with https://.")
		}
	}
	seen := map[int64]bool{}
	ids := in.InterviewerIDs[:0:0]
	for _, id := range in.InterviewerIDs {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	in.InterviewerIDs = ids
	switch {
	case len(ids) == 0:
		v.Add("interviewer_ids", "Choose at least one interviewer.")
	case len(ids) > MaxInterviewers:
		v.Add("interviewer_ids", fmt.Sprintf("Choose at most %d interviewers.", MaxInterviewers))
	}
	return loc
}

// Local is the interview's start in its own zone.
func (iv *Interview) Local() time.Time {
	if loc, err := LoadZone(iv.TimeZone); err == nil {
		return iv.StartsAt.In(loc)
	}
	return iv.StartsAt.UTC()
}

// LocalEnd is the interview's end in its own zone.
func (iv *Interview) LocalEnd() time.Time {
	if loc, err := LoadZone(iv.TimeZone); err == nil {
		return iv.EndsAt.In(loc)
	}
	return iv.EndsAt.UTC()
}

// Minutes is the interview's length.
func (iv *Interview) Minutes() int { return int(iv.EndsAt.Sub(iv.StartsAt) / time.Minute) }

// When says when the interview is, in its own zone, as people read it:
// "Tuesday 3 March 2026, 10:00–11:00 (Europe/Berlin)".
func (iv *Interview) When() string {
	s, e := iv.Local(), iv.LocalEnd()
	end := e.Format("15:04")
	if e.YearDay() != s.YearDay() || e.Year() != s.Year() {
		end = e.Format("Monday 2 January 2006, 15:04")
	}
	return fmt.Sprintf("%s–%s (%s)", s.Format("Monday 2 January 2006, 15:04"), end, iv.TimeZone)
}

// HasInterviewer reports whether the user sits on the interview.
func (iv *Interview) HasInterviewer(userID int64) bool {
	for _, p := range iv.Interviewers {
		if p.UserID == userID {
			return true
		}
	}
	return false
}

// Started reports whether the interview has begun at now.
func (iv *Interview) Started(now time.Time) bool { return !now.Before(iv.StartsAt) }

// StaleInterviewMessage is what a person is told when someone else changed
// the interview first.
const StaleInterviewMessage = "Someone else changed this interview a moment ago; here it is as it is now."

// InterviewConflict is the error of a change made from an out-of-date view
// of an interview. Its code is ECONFLICT, and Current is the interview as
// it is now.
type InterviewConflict struct {
	Current *Interview
}

// Error implements the error interface.
func (e *InterviewConflict) Error() string { return e.Unwrap().Error() }

// Unwrap returns the coded error, so that ErrorCode and ErrorMessage read
// it like any other conflict.
func (e *InterviewConflict) Unwrap() error {
	return &Error{Code: ECONFLICT, Message: StaleInterviewMessage,
		Fields: map[string]string{"version": StaleInterviewMessage}}
}

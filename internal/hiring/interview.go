package hiring

import (
	"context"
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
	ID            int64  `json:"id"`
	ApplicationID int64  `json:"application_id"`
	OpeningID     int64  `json:"opening_id"`
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

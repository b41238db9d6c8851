package hiring

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The pipeline.
//
// An active application sits in one stage of its opening's plan. A new
// application has not been placed yet and counts as being in the first
// stage; the store keeps the stage's id and, for display and older
// listings, its name in Application.Stage.
//
// Every change to an application through the pipeline raises its version
// and names the version the person saw. When two recruiters move the same
// application at once, the first change wins and the second is refused
// with a *VersionConflict carrying the application's current state, so the
// second person sees what happened instead of undoing it. Each change is
// recorded as an Event in the same transaction: the timeline shows who did
// what and when.

// StepStatus is how far an application is with one step of the plan.
type StepStatus string

// Step statuses. A step without a record is pending. Done and skipped
// finish a step; a no-show does not, since the step has still to happen.
const (
	StepPending   StepStatus = "pending"
	StepScheduled StepStatus = "scheduled"
	StepDone      StepStatus = "done"
	StepSkipped   StepStatus = "skipped"
	StepNoShow    StepStatus = "no_show"
)

// StepStatuses lists every status in the order forms show them.
var StepStatuses = []StepStatus{StepPending, StepScheduled, StepDone, StepSkipped, StepNoShow}

// Valid reports whether s is a known status.
func (s StepStatus) Valid() bool {
	for _, k := range StepStatuses {
		if s == k {
			return true
		}
	}
	return false
}

// Finished reports whether the step needs nothing more before the
// candidate may move on.
func (s StepStatus) Finished() bool { return s == StepDone || s == StepSkipped }

// Label is the status as people read it.
func (s StepStatus) Label() string {
	switch s {
	case StepPending:
		return "To do"
	case StepScheduled:
		return "Scheduled"
	case StepDone:
		return "Done"
	case StepSkipped:
		return "Skipped"
	case StepNoShow:
		return "No-show"
	}
	return string(s)
}

// StepProgress is an application's record of one step.
type StepProgress struct {
	StepID    int64      `json:"step_id"`
	Status    StepStatus `json:"status"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Progress is where an application stands in its opening's plan.
type Progress struct {
	Application *Application `json:"application"`
	// Version counts the application's changes; a pipeline change names
	// the version the person saw.
	Version int `json:"version"`
	// Plan is the opening's plan, nil when it has none yet.
	Plan *InterviewPlan `json:"plan"`
	// Stage is the application's stage in Plan, nil without a plan.
	Stage *PlanStage `json:"stage"`
	// InStageSince is when the application entered its stage; an
	// application never moved has been there since it was made.
	InStageSince time.Time `json:"in_stage_since"`
	// Steps holds the records of the plan's steps, by step id; a step with
	// no record is pending.
	Steps map[int64]StepProgress `json:"steps"`
}

// StepStatus returns the application's status for a step.
func (p *Progress) StepStatus(stepID int64) StepStatus {
	if sp, ok := p.Steps[stepID]; ok {
		return sp.Status
	}
	return StepPending
}

// Unfinished returns the required steps of the current stage that are not
// finished yet; the application may advance when there are none.
func (p *Progress) Unfinished() []*PlanStep {
	if p.Stage == nil {
		return nil
	}
	var out []*PlanStep
	for _, st := range p.Stage.Steps {
		if !st.Optional && !p.StepStatus(st.ID).Finished() {
			out = append(out, st)
		}
	}
	return out
}

// StepNames joins the names of steps for a message: "A, B and C".
func StepNames(steps []*PlanStep) string {
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = s.Name
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// StaleVersionMessage is what a person is told when someone else changed
// the application first.
const StaleVersionMessage = "Someone else changed this application a moment ago; here is its current state."

// VersionConflict is the error of a change made from an out-of-date view.
// Its code is ECONFLICT, and Current is the application as it is now, so
// the person can look again and decide.
type VersionConflict struct {
	Current *Progress
}

// Error implements the error interface.
func (e *VersionConflict) Error() string { return e.Unwrap().Error() }

// Unwrap returns the coded error, so that ErrorCode and ErrorMessage read
// a VersionConflict like any other conflict.
func (e *VersionConflict) Unwrap() error {
	return &Error{Code: ECONFLICT, Message: StaleVersionMessage,
		Fields: map[string]string{"version": StaleVersionMessage}}
}

// EventKind says what happened to an application.
type EventKind string

// Event kinds. Applied is not stored: the timeline makes it from the
// application itself.
const (
	EventApplied   EventKind = "applied"
	EventAdvanced  EventKind = "advanced"
	EventMoved     EventKind = "moved"
	EventStep      EventKind = "step"
	EventRejected  EventKind = "rejected"
	EventWithdrawn EventKind = "withdrawn"
	EventHired     EventKind = "hired"
)

// Label is the kind as a timeline shows it.
func (k EventKind) Label() string {
	switch k {
	case EventApplied:
		return "Applied"
	case EventAdvanced:
		return "Moved forward"
	case EventMoved:
		return "Moved"
	case EventStep:
		return "Step updated"
	case EventRejected:
		return "Rejected"
	case EventWithdrawn:
		return "Withdrew"
	case EventHired:
		return "Hired"
	case EventMessage:
		return "Message to the candidate"
	case EventAdjustmentRequested:
		return "Asked for adjustments"
	case EventCandidateMessage:
		return "Message from the candidate"
	case EventInterviewScheduled:
		return "Interview scheduled"
	case EventInterviewRescheduled:
		return "Interview rescheduled"
	case EventInterviewCancelled:
		return "Interview cancelled"
	case EventInterviewDone:
		return "Interview took place"
	case EventInterviewNoShow:
		return "Candidate did not attend"
	}
	return string(k)
}

// Event is one entry of an application's timeline.
type Event struct {
	ID            int64     `json:"id"`
	ApplicationID int64     `json:"application_id"`
	Kind          EventKind `json:"kind"`
	// ActorID is the user who made the change; nil for the candidate and
	// for the command line.
	ActorID *int64 `json:"actor_id"`
	// Actor names who made the change as people read it.
	Actor     string `json:"actor"`
	FromStage string `json:"from_stage"`
	ToStage   string `json:"to_stage"`
	// Reason is a RejectReason for a rejection.
	Reason string `json:"reason"`
	// Note is what the person wrote with the change.
	Note string `json:"note"`
	// Detail is the rest: the step and its status, the message sent.
	Detail    string    `json:"detail"`
	CreatedAt time.Time `json:"created_at"`
}

// CandidateActor is the Actor of changes the candidate made, such as
// withdrawing from the Guide.
const CandidateActor = "the candidate"

// RejectReason says why an application was rejected; reports count them.
type RejectReason string

// Reasons for rejecting.
const (
	RejectRequirements   RejectReason = "requirements"
	RejectExperience     RejectReason = "experience"
	RejectInterviews     RejectReason = "interviews"
	RejectCompensation   RejectReason = "compensation"
	RejectLocation       RejectReason = "location"
	RejectOtherCandidate RejectReason = "other_candidate"
	RejectPositionClosed RejectReason = "position_closed"
	RejectUnresponsive   RejectReason = "unresponsive"
	RejectDuplicate      RejectReason = "duplicate"
	RejectOther          RejectReason = "other"
)

// RejectReasons lists every reason in the order forms show them.
var RejectReasons = []RejectReason{RejectRequirements, RejectExperience, RejectInterviews,
	RejectCompensation, RejectLocation, RejectOtherCandidate, RejectPositionClosed,
	RejectUnresponsive, RejectDuplicate, RejectOther}

// Valid reports whether r is a known reason.
func (r RejectReason) Valid() bool {
	for _, k := range RejectReasons {
		if r == k {
			return true
		}
	}
	return false
}

// Label is the reason as people read it.
func (r RejectReason) Label() string {
	switch r {
	case RejectRequirements:
		return "Does not meet the requirements"
	case RejectExperience:
		return "Not enough relevant experience"
	case RejectInterviews:
		return "Feedback from the interviews"
	case RejectCompensation:
		return "Compensation expectations do not match"
	case RejectLocation:
		return "Cannot work from a place we hire in"
	case RejectOtherCandidate:
		return "Another candidate was chosen"
	case RejectPositionClosed:
		return "The position was closed or filled"
	case RejectUnresponsive:
		return "The candidate stopped responding"
	case RejectDuplicate:
		return "Duplicate application"
	case RejectOther:
		return "Other (see the note)"
	}
	return string(r)
}

// Placeholders a rejection message may hold; each is replaced for every
// candidate, so one message serves a bulk rejection.
const (
	PlaceholderCandidateName = "{{candidate_name}}"
	PlaceholderJobTitle      = "{{job_title}}"
)

// RejectMessage is the message a rejected candidate receives.
type RejectMessage struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// DefaultRejectMessage is a kind rejection a recruiter may start from.
func DefaultRejectMessage() RejectMessage {
	return RejectMessage{
		Subject: "Your application for " + PlaceholderJobTitle,
		Body: "Hello " + PlaceholderCandidateName + ",\n\n" +
			"Thank you for the time you gave to your application for " + PlaceholderJobTitle + ". " +
			"We have decided not to go further with it. This was not an easy decision, " +
			"and we are grateful for your interest.\n\n" +
			"You are welcome to apply for other roles with us; for this role, you may apply again in six months.\n",
	}
}

// Expand fills the placeholders for one candidate and opening.
func (m RejectMessage) Expand(candidateName, jobTitle string) RejectMessage {
	r := strings.NewReplacer(PlaceholderCandidateName, candidateName, PlaceholderJobTitle, jobTitle)
	return RejectMessage{Subject: oneLine(r.Replace(m.Subject)), Body: r.Replace(m.Body)}
}

// Limits on pipeline changes.
const (
	MaxNoteLen = 5000
	// MaxBulk bounds one bulk rejection.
	MaxBulk = 500
	// MaxSendDelay is how far ahead a rejection message may be scheduled.
	MaxSendDelay = 30 * 24 * time.Hour
	// KeepInterviewWindow is how close an interview must be for a
	// rejection to ask whether it is kept.
	KeepInterviewWindow = 24 * time.Hour
)

// RejectInput is a rejection as a recruiter makes it.
type RejectInput struct {
	Reason RejectReason `json:"reason"`
	// Note is for the hiring team; it is required with RejectOther.
	Note string `json:"note"`
	// Message is sent to the candidate; nil sends nothing.
	Message *RejectMessage `json:"message"`
	// SendAt schedules the message; nil sends it now.
	SendAt *time.Time `json:"send_at"`
	// KeepUpcomingInterviews is the coordinator's decision about an
	// interview less than KeepInterviewWindow away: true keeps it (the
	// candidate may use it for questions), false lets the scheduler cancel
	// it. Nil means no decision, and the rejection is refused while such
	// an interview exists, so none is cancelled without someone choosing.
	KeepUpcomingInterviews *bool `json:"keep_upcoming_interviews"`
}

// Validate checks a rejection except its send time, which depends on the
// moment it is made (see CheckSendAt).
func (in *RejectInput) Validate() error {
	v := Validation{}
	in.Note = strings.TrimSpace(in.Note)
	if !in.Reason.Valid() {
		v.Add("reason", "Choose a reason from the list.")
	}
	checkString(v, "note", in.Note, in.Reason == RejectOther, MaxNoteLen)
	if in.Message != nil {
		in.Message.Subject = strings.TrimSpace(in.Message.Subject)
		checkString(v, "subject", in.Message.Subject, true, MaxSubjectLen)
		if strings.ContainsAny(in.Message.Subject, "\r\n") {
			v.Add("subject", "A subject is one line.")
		}
		checkString(v, "message", in.Message.Body, true, MaxDescriptionLen)
	} else if in.SendAt != nil {
		v.Add("send_at", "There is no message to send.")
	}
	return v.Err()
}

// CheckSendAt checks a scheduled send time against now: not in the past,
// not more than MaxSendDelay ahead.
func CheckSendAt(sendAt *time.Time, now time.Time) error {
	if sendAt == nil {
		return nil
	}
	v := Validation{}
	if sendAt.Before(now) {
		v.Add("send_at", "This time has passed; choose a later one, or send the message now.")
	} else if sendAt.Sub(now) > MaxSendDelay {
		v.Add("send_at", fmt.Sprintf("Choose a time within the next %d days.", int(MaxSendDelay/(24*time.Hour))))
	}
	return v.Err()
}

// AdvanceOptions changes how an application advances.
type AdvanceOptions struct {
	// Force moves on although required steps of the stage are not
	// finished; the timeline records which.
	Force bool `json:"force"`
	// SkipOptional passes over following stages whose steps are all
	// optional.
	SkipOptional bool `json:"skip_optional"`
	// Note is recorded with the move.
	Note string `json:"note"`
}

// BulkRejectResult says what a bulk rejection did.
type BulkRejectResult struct {
	// Rejected are the applications rejected, in the order given.
	Rejected []int64 `json:"rejected"`
	// Skipped are the applications left alone, each with the reason.
	Skipped map[int64]string `json:"skipped"`
}

// UpcomingInterviews is what the pipeline asks the interview scheduler
// before a rejection: how many interviews of the application start within
// the window from now. A pipeline without one finds none.
type UpcomingInterviews interface {
	UpcomingInterviews(ctx context.Context, applicationID int64, within time.Duration) (int, error)
}

// Board is an opening's pipeline at a glance: one column per stage.
type Board struct {
	OpeningID int64 `json:"opening_id"`
	// Plan is nil when the opening has none; the board then has one column
	// holding every active application.
	Plan    *InterviewPlan `json:"plan"`
	Columns []*BoardColumn `json:"columns"`
	// Total counts the active applications.
	Total int `json:"total"`
}

// BoardColumn is one stage of a board.
type BoardColumn struct {
	// Stage is nil for the single column of an opening without a plan.
	Stage *PlanStage `json:"stage"`
	Name  string     `json:"name"`
	// Count is the number of active applications in the stage; Cards may
	// hold fewer (see BoardFilter).
	Count int          `json:"count"`
	Cards []*BoardCard `json:"cards"`
}

// BoardCard is an application on a board.
type BoardCard struct {
	ApplicationID int64  `json:"application_id"`
	CandidateID   int64  `json:"candidate_id"`
	CandidateName string `json:"candidate_name"`
	Source        Source `json:"source"`
	Version       int    `json:"version"`
	// InStageSince orders a column: whoever has waited longest comes first.
	InStageSince time.Time `json:"in_stage_since"`
	AppliedAt    time.Time `json:"applied_at"`
	// StepsDone of StepsRequired required steps of the stage are finished.
	StepsDone     int `json:"steps_done"`
	StepsRequired int `json:"steps_required"`
	// HearBackBy is the end of the day by which the candidate is owed a
	// reply, in their time zone; nil when none is owed.
	HearBackBy *time.Time `json:"hear_back_by"`
}

// BoardFilter chooses what a board holds.
type BoardFilter struct {
	OpeningID int64
	// PerColumn bounds the cards of each column; 0 means 50.
	PerColumn int
	// StageID, when set, returns that column alone, from Offset on, to page
	// through a long column.
	StageID *int64
	Offset  int
}

// Board limits.
const (
	DefaultBoardCards = 50
	MaxBoardCards     = 500
)

// PipelineService moves applications through their opening's plan. Each
// change takes the version the person saw and returns a *VersionConflict
// when the application changed since.
type PipelineService interface {
	// Progress returns where the application stands.
	Progress(ctx context.Context, appID int64) (*Progress, error)
	// Advance moves the application to the next stage, refused while
	// required steps of its stage are unfinished unless opt.Force.
	Advance(ctx context.Context, appID int64, version int, opt AdvanceOptions) (*Progress, error)
	// MoveTo moves the application to any stage of the plan.
	MoveTo(ctx context.Context, appID, stageID int64, version int, note string) (*Progress, error)
	// CompleteStep records the application's status for a step of the plan.
	CompleteStep(ctx context.Context, appID, stepID int64, status StepStatus) (*Progress, error)
	// Reject rejects the application and queues the message, if any.
	Reject(ctx context.Context, appID int64, in RejectInput, version int) (*Progress, error)
	// BulkReject rejects every active application of ids with one
	// message; the others are skipped and said why.
	BulkReject(ctx context.Context, ids []int64, in RejectInput) (*BulkRejectResult, error)
	// Withdraw records that the candidate withdrew. byCandidate marks a
	// withdrawal the candidate made themselves; the opening's recruiter is
	// then told, with the note, in the same transaction.
	Withdraw(ctx context.Context, appID int64, version int, note string, byCandidate bool) (*Progress, error)
	// Hire fills a seat of the opening: the vacancy named, or the first
	// open one when vacancyID is nil.
	Hire(ctx context.Context, appID int64, vacancyID *int64, version int) (*Progress, error)
	// Timeline returns every event of the application, oldest first,
	// starting with its application.
	Timeline(ctx context.Context, appID int64) ([]*Event, error)
	// Board returns the opening's active applications by stage, each
	// column with its count and the longest waiting first.
	Board(ctx context.Context, f BoardFilter) (*Board, error)
}

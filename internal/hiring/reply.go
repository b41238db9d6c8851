package hiring

import (
	"context"
	"fmt"
	"time"
)

// Replies owed to candidates.
//
// Every active application is owed a reply by a date, its "hear back by":
// a few business days after applying or after an interview, and at least
// weekly while references are checked. Telling the candidate something
// meets the reply, and whether it came on time is recorded per opening.

// ReplyDue narrows the replies owed by how close their date is.
type ReplyDue string

// Values of ReplyDue: "" lists every reply owed.
const (
	// ReplyDueNow is a reply whose date is today or already past.
	ReplyDueNow ReplyDue = "due"
	// ReplyOverdue is a reply whose date has passed.
	ReplyOverdue ReplyDue = "overdue"
)

// Valid reports whether d is a known filter value ("" included).
func (d ReplyDue) Valid() bool { return d == "" || d == ReplyDueNow || d == ReplyOverdue }

// OwedReply is one active application waiting for a reply.
type OwedReply struct {
	ApplicationID int64  `json:"application_id"`
	CandidateID   int64  `json:"candidate_id"`
	CandidateName string `json:"candidate_name"`
	OpeningID     int64  `json:"opening_id"`
	OpeningTitle  string `json:"opening_title"`
	Stage         string `json:"stage"`
	// HearBackBy is the end of the due day, in the candidate's time zone
	// when it is known (else UTC), so that its date is the candidate's.
	HearBackBy time.Time `json:"hear_back_by"`
}

// ReplyFilter narrows the list of replies owed.
type ReplyFilter struct {
	OpeningID *int64
	// OwnerID keeps the openings whose recruiter or hiring manager is this
	// user.
	OwnerID *int64
	Due     ReplyDue
	Offset  int
	Limit   int
}

// ReplyStats tells how an opening keeps its promises to reply.
type ReplyStats struct {
	OpeningID int64 `json:"opening_id"`
	// OnTime of Total replies made so far came by their date.
	OnTime int `json:"on_time"`
	Total  int `json:"total"`
	// Overdue counts active applications whose reply date has passed.
	Overdue int `json:"overdue"`
}

// ReplyService lists the replies owed and how openings keep them.
type ReplyService interface {
	// FindOwedReplies returns a page of replies owed, earliest date first,
	// and their total.
	FindOwedReplies(ctx context.Context, f ReplyFilter) ([]*OwedReply, int, error)
	// ReplyStats returns an opening's share of replies on time and the
	// count overdue.
	ReplyStats(ctx context.Context, openingID int64) (*ReplyStats, error)
	// HearBackBy returns the reply date of an application, nil when no
	// reply is owed; see OwedReply.HearBackBy.
	HearBackBy(ctx context.Context, applicationID int64) (*time.Time, error)
}

// ReplyDueIn says in words when a reply date falls, seen at now: "due
// today", "due tomorrow", "due in 4 days", "1 day overdue". due is the end
// of the due day, so a day is counted in the candidate's own calendar: the
// reply is due today while now is within the 24 hours before due.
func ReplyDueIn(due, now time.Time) string {
	d := due.Sub(now)
	switch {
	case d < 0:
		n := int((-d-time.Nanosecond)/(24*time.Hour)) + 1
		if n == 1 {
			return "1 day overdue"
		}
		return fmt.Sprintf("%d days overdue", n)
	case d < 24*time.Hour:
		return "due today"
	case d < 48*time.Hour:
		return "due tomorrow"
	}
	return fmt.Sprintf("due in %d days", int(d/(24*time.Hour)))
}

// ReplyIsOverdue reports whether the reply date due has passed at now.
func ReplyIsOverdue(due, now time.Time) bool { return now.After(due) }

// ReplyReminder is what a reminder to reply is written from.
type ReplyReminder struct {
	ApplicationID int64
	CandidateName string
	OpeningTitle  string
	RequisitionID string
	// To is the person who owes the reply.
	To string
	// HearBackBy is the end of the due day in the candidate's time zone.
	HearBackBy time.Time
	// OnTheDay is true on the due day, false one business day before.
	OnTheDay bool
	// Link is the full address of the application's page, or "".
	Link string
}

// ComposeReplyReminder writes the email that reminds the owner of an
// opening that a candidate is owed a reply.
func ComposeReplyReminder(r ReplyReminder) MessageDraft {
	day := r.HearBackBy.Format("Monday 2 January 2006")
	subject, when, kind := "Reply due next business day: ", day+", the next business day", "before"
	if r.OnTheDay {
		subject, when, kind = "Reply due today: ", "today, "+day, "day"
	}
	text := fmt.Sprintf("%s, who applied for %s (requisition %s), is to hear from us by the end of %s.\n\n"+
		"Send them an update, or move them on to their next stage, before then.\n",
		r.CandidateName, r.OpeningTitle, r.RequisitionID, when)
	if r.Link != "" {
		text += "\nThe application: " + r.Link + "\n"
	}
	id := r.ApplicationID
	return MessageDraft{
		ApplicationID: &id,
		To:            r.To,
		Subject:       subject + oneLine(r.CandidateName) + " for " + oneLine(r.OpeningTitle),
		TextBody:      text,
		Kind:          KindReplyReminder,
		DedupeKey:     fmt.Sprintf("reply:%d:%s:%s", r.ApplicationID, r.HearBackBy.Format("2006-01-02"), kind),
	}
}

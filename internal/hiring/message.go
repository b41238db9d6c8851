package hiring

import (
	"context"
	"fmt"
	"html"
	"strings"
	"time"
)

// The outbox.
//
// Email is not sent inside the change that causes it: the message is
// written to the outbox in the same transaction, and a worker sends it
// afterwards. So a confirmation exists exactly when its application does,
// and a mail server that is down delays mail without losing it.

// MessageStatus is where a message is in the outbox.
type MessageStatus string

// Message statuses: queued messages wait to be sent (again); failed ones
// gave up after MaxMessageAttempts or a permanent error.
const (
	MessageQueued MessageStatus = "queued"
	MessageSent   MessageStatus = "sent"
	MessageFailed MessageStatus = "failed"
	// MessageCancelled was withdrawn before it was sent, such as the
	// reminder of an interview that moved.
	MessageCancelled MessageStatus = "cancelled"
)

// MessageKind says what a message is; an application's outbox shows it and
// templates are chosen by it.
type MessageKind string

// Kinds of message hireloop sends.
const (
	KindConfirmation       MessageKind = "confirmation"
	KindAdjustmentNotice   MessageKind = "adjustment_notice"
	KindRejection          MessageKind = "rejection"
	KindMovingForward      MessageKind = "moving_forward"
	KindScheduling         MessageKind = "scheduling"
	KindInvitation         MessageKind = "invitation"
	KindCancellation       MessageKind = "cancellation"
	KindAdjustmentReminder MessageKind = "adjustment_reminder"
	KindReplyReminder      MessageKind = "reply_reminder"
	KindOfferStage         MessageKind = "offer_stage"
	KindCandidateMessage   MessageKind = "candidate_message"
	KindMessageToCandidate MessageKind = "message"
	KindWithdrawalNotice   MessageKind = "withdrawal_notice"
)

// MaxMessageAttempts is how often a message is tried before it fails.
const MaxMessageAttempts = 8

// MaxSubjectLen bounds a subject line, long enough for two names and a title.
const MaxSubjectLen = 1000

// MessageDraft is an email to be sent.
type MessageDraft struct {
	ApplicationID *int64
	To            string
	Subject       string
	TextBody      string
	// HTMLBody is optional; when set it must be safe HTML.
	HTMLBody string
	// Kind says what the message is; "" for other mail.
	Kind MessageKind
	// InterviewID ties the message to an interview, so that rescheduling
	// or cancelling it can cancel what is still queued.
	InterviewID *int64
	// Calendar is an iCalendar object sent as text/calendar with
	// CalendarMethod (REQUEST or CANCEL); empty for plain mail.
	Calendar       string
	CalendarMethod string
	// DedupeKey, when set, queues the message at most once: a second draft
	// with the same key is dropped without error.
	DedupeKey string
	// SendAt delays the message; nil sends it as soon as possible.
	SendAt *time.Time
}

// Validate checks a draft before it is queued.
func (d *MessageDraft) Validate() error {
	v := Validation{}
	d.To = strings.TrimSpace(d.To)
	if msg := CheckEmail(NormalizeEmail(d.To)); msg != "" {
		v.Add("to", msg)
	}
	checkString(v, "subject", d.Subject, true, MaxSubjectLen)
	if strings.ContainsAny(d.Subject, "\r\n") {
		v.Add("subject", "A subject is one line.")
	}
	checkString(v, "text_body", d.TextBody, true, MaxDescriptionLen)
	checkString(v, "html_body", d.HTMLBody, false, MaxDescriptionLen)
	if (d.Calendar == "") != (d.CalendarMethod == "") {
		v.Add("calendar_method", "A calendar needs its method, and a method its calendar.")
	}
	if d.CalendarMethod != "" && d.CalendarMethod != "REQUEST" && d.CalendarMethod != "CANCEL" {
		v.Add("calendar_method", "The calendar method is REQUEST or CANCEL.")
	}
	checkString(v, "dedupe_key", d.DedupeKey, false, 200)
	return v.Err()
}

// Message is an email in the outbox.
type Message struct {
	ID            int64       `json:"id"`
	ApplicationID *int64      `json:"application_id"`
	To            string      `json:"to"`
	Subject       string      `json:"subject"`
	TextBody      string      `json:"text_body"`
	HTMLBody      string      `json:"html_body"`
	Kind          MessageKind `json:"kind"`
	InterviewID   *int64      `json:"interview_id"`
	// Calendar and CalendarMethod carry an invitation; see MessageDraft.
	Calendar       string        `json:"calendar,omitempty"`
	CalendarMethod string        `json:"calendar_method,omitempty"`
	Status         MessageStatus `json:"status"`
	Attempts       int           `json:"attempts"`
	LastError      string        `json:"last_error"`
	NextAttemptAt  time.Time     `json:"next_attempt_at"`
	SentAt         *time.Time    `json:"sent_at"`
	CreatedAt      time.Time     `json:"created_at"`
}

// MessageFilter narrows an outbox listing.
type MessageFilter struct {
	ApplicationID *int64
	Status        *MessageStatus
	Offset        int
	Limit         int
}

// OutboxService queues email and hands it to senders.
type OutboxService interface {
	EnqueueMessage(ctx context.Context, d MessageDraft) (*Message, error)
	// ClaimDueMessages returns up to limit queued messages that are due and
	// leases them to the caller for a few minutes: no other claimer gets
	// them meanwhile, and a sender that dies lets them fall due again.
	ClaimDueMessages(ctx context.Context, limit int) ([]*Message, error)
	MarkSent(ctx context.Context, id int64) error
	// MarkFailed records a failed attempt; the message is tried again later,
	// unless permanent or out of attempts.
	MarkFailed(ctx context.Context, id int64, reason string, permanent bool) error
	FindMessages(ctx context.Context, filter MessageFilter) ([]*Message, int, error)
}

// Confirmation is what a confirmation email is written from.
type Confirmation struct {
	Candidate   *Candidate
	Opening     *Opening
	Application *Application
	// GuideToken is the secret of the private link.
	GuideToken string
}

// ComposeConfirmation writes the email that confirms an application. guideURL
// is the full address of the candidate's private page, or "" when unknown.
// Every value is escaped in the HTML part.
func ComposeConfirmation(c Confirmation, guideURL string) MessageDraft {
	name := c.Candidate.Name
	title := c.Opening.Title
	var t strings.Builder
	fmt.Fprintf(&t, "Hello %s,\n\nThank you for applying for %s (requisition %s). We have received your application",
		name, title, c.Opening.RequisitionID)
	if c.Application.ResumeFileID != nil {
		t.WriteString(" and your resume")
	}
	t.WriteString(".\n\n")
	if strings.TrimSpace(c.Application.AdjustmentRequest) != "" {
		t.WriteString("We have received your request for adjustments; our coordinator will reply within 24 hours.\n\n")
	}
	if guideURL != "" {
		fmt.Fprintf(&t, "You can follow your application at this private link, meant for you only:\n%s\n\n", guideURL)
	}
	fmt.Fprintf(&t, "We keep your data until %s unless you ask us to delete it sooner.\n",
		c.Application.RetainUntil.Format("2 January 2006"))
	text := t.String()
	htmlBody := "<p>" + strings.ReplaceAll(html.EscapeString(strings.TrimSpace(text)), "\n\n", "</p>\n<p>") + "</p>\n"
	htmlBody = strings.ReplaceAll(htmlBody, "\n", "<br>\n")
	if guideURL != "" {
		esc := html.EscapeString(guideURL)
		htmlBody = strings.Replace(htmlBody, esc, `<a href="`+esc+`">`+esc+`</a>`, 1)
	}
	return MessageDraft{
		ApplicationID: &c.Application.ID,
		To:            c.Candidate.Email,
		Subject:       "We received your application: " + oneLine(title),
		TextBody:      text,
		HTMLBody:      htmlBody,
		Kind:          KindConfirmation,
	}
}

// ComposeAdjustmentNotice writes the email that routes a candidate's request
// for adjustments to the person who coordinates the opening.
func ComposeAdjustmentNotice(c Confirmation, to string) MessageDraft {
	text := fmt.Sprintf("%s (%s) applied for %s (requisition %s) and asked for adjustments:\n\n%s\n\n"+
		"Please acknowledge the request to the candidate within 24 hours.\n",
		c.Candidate.Name, c.Candidate.Email, c.Opening.Title, c.Opening.RequisitionID,
		strings.TrimSpace(c.Application.AdjustmentRequest))
	return MessageDraft{
		ApplicationID: &c.Application.ID,
		To:            to,
		Subject:       "Adjustment request: " + oneLine(c.Candidate.Name) + " for " + oneLine(c.Opening.Title),
		TextBody:      text,
		Kind:          KindAdjustmentNotice,
	}
}

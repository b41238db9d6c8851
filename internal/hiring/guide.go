package hiring

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The candidate's Guide.
//
// Every application has a private link, the Guide, that its candidate
// reaches from the emails hireloop sends, without an account. Only a hash
// of the link's secret is stored. A link works until the application's
// retention date (applications.guide_expires_at, which follows
// retain_until while it is empty), and no longer than GuideDaysAfterEnd
// days after the application was withdrawn, rejected or hired. A recruiter
// may revoke a link, and may send the candidate a new one, which replaces
// the old. A link that does not work is answered like one that never
// existed.

// Limits of the Guide.
const (
	// GuideDaysAfterEnd is how long a link keeps working after its
	// application ended, unless the store is told otherwise.
	GuideDaysAfterEnd = 90
	// MaxGuideTextLen bounds one adjustment request or message a candidate
	// writes on the Guide.
	MaxGuideTextLen = 2000
	// MaxAdjustmentTotalLen bounds an application's adjustment requests
	// taken together; past it the candidate writes to the recruiter.
	MaxAdjustmentTotalLen = 20000
)

// Message kinds of the Guide.
const (
	// KindGuideLink carries a new private link to the candidate.
	KindGuideLink MessageKind = "guide_link"
	// KindAdjustmentAck acknowledges a request for adjustments.
	KindAdjustmentAck MessageKind = "adjustment_ack"
)

// Timeline events of the Guide; the candidate is their actor.
const (
	EventAdjustmentRequested EventKind = "adjustment_requested"
	EventCandidateMessage    EventKind = "candidate_message"
)

// Guide is what a working private link opens: the application and what
// the candidate is owed.
type Guide struct {
	Application *Application
	// HearBackBy is the end of the day by which the candidate hears from
	// the company; nil when no reply is owed.
	HearBackBy *time.Time
	// TimeZone is the candidate's IANA zone, "" when unknown.
	TimeZone string
	// ExpiresAt is when the link stops working.
	ExpiresAt time.Time
}

// GuideService serves the candidate's Guide and keeps its links. The
// methods that take an application id act for the candidate; the web layer
// calls them only after FindGuide accepted the link.
type GuideService interface {
	// FindGuide returns the Guide of a private link. A link that is
	// malformed, unknown, expired or revoked returns ENOTFOUND, the same in
	// every case.
	FindGuide(ctx context.Context, token string) (*Guide, error)
	// RequestAdjustment adds the candidate's request to the application's
	// adjustment request, records it on the timeline, tells whoever
	// coordinates the opening and acknowledges it to the candidate.
	RequestAdjustment(ctx context.Context, appID int64, text string) error
	// SendCandidateMessage records the candidate's message on the timeline
	// and emails it to the opening's recruiter. It does not meet the reply
	// the candidate is owed: the candidate is the one writing.
	SendCandidateMessage(ctx context.Context, appID int64, text string) error
	// IssueGuideLink gives the application a new private link, which stops
	// the old one, and emails it to the candidate.
	IssueGuideLink(ctx context.Context, appID int64) error
	// RevokeGuideLink stops the application's private link.
	RevokeGuideLink(ctx context.Context, appID int64) error
	// ResendGuideLinks emails a new link for each active application of the
	// address, within its retention date; a link a recruiter revoked stays
	// revoked. It says nothing about whether the address is known.
	ResendGuideLinks(ctx context.Context, email string) error
}

// CheckGuideText trims and checks what a candidate wrote on the Guide;
// field names the form field for the message.
func CheckGuideText(field, text string) (string, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	v := Validation{}
	switch {
	case text == "":
		v.Add(field, "Write a few words first.")
	case strings.ContainsRune(text, 0):
		v.Add(field, "This contains characters that are not readable text.")
	default:
		checkString(v, field, text, true, MaxGuideTextLen)
	}
	return text, v.Err()
}

// GuideMail is what the Guide's emails are written from.
type GuideMail struct {
	Candidate *Candidate
	// Title and RequisitionID name the opening.
	Title         string
	RequisitionID string
	ApplicationID int64
	// Text is what the candidate wrote.
	Text string
	// GuideURL is the candidate's private link, for mail to the candidate.
	GuideURL string
}

// ComposeGuideLink writes the email that carries a new private link.
func ComposeGuideLink(m GuideMail) MessageDraft {
	text := fmt.Sprintf("Hello %s,\n\nHere is a new private link to follow your application for %s (requisition %s):\n%s\n\n"+
		"Earlier links to this application no longer work. The link is meant for you only; please do not share it.\n",
		m.Candidate.Name, m.Title, m.RequisitionID, m.GuideURL)
	return MessageDraft{ApplicationID: &m.ApplicationID, To: m.Candidate.Email, Kind: KindGuideLink,
		Subject: "Your private link: " + oneLine(m.Title), TextBody: text}
}

// ComposeAdjustmentRequest writes the email that routes a request made on
// the Guide to the person who coordinates the opening.
func ComposeAdjustmentRequest(m GuideMail, to string) MessageDraft {
	text := fmt.Sprintf("%s (%s), who applied for %s (requisition %s), asked for adjustments:\n\n%s\n\n"+
		"Please acknowledge the request to the candidate within 24 hours.\n",
		m.Candidate.Name, m.Candidate.Email, m.Title, m.RequisitionID, m.Text)
	return MessageDraft{ApplicationID: &m.ApplicationID, To: to, Kind: KindAdjustmentNotice,
		Subject: "Adjustment request: " + oneLine(m.Candidate.Name) + " for " + oneLine(m.Title), TextBody: text}
}

// ComposeAdjustmentAck writes the acknowledgement the candidate receives
// for a request made on the Guide.
func ComposeAdjustmentAck(m GuideMail) MessageDraft {
	text := fmt.Sprintf("Hello %s,\n\nWe received your request for adjustments for your application for %s:\n\n%s\n\n"+
		"Our coordinator will reply within 24 hours, and your interviewers will be reminded of it before each interview.\n",
		m.Candidate.Name, m.Title, m.Text)
	if m.GuideURL != "" {
		text += "\nYour application: " + m.GuideURL + "\n"
	}
	return MessageDraft{ApplicationID: &m.ApplicationID, To: m.Candidate.Email, Kind: KindAdjustmentAck,
		Subject: "We received your request for adjustments", TextBody: text}
}

// ComposeCandidateMessage writes the email that brings a candidate's
// message to the recruiter.
func ComposeCandidateMessage(m GuideMail, to string) MessageDraft {
	text := fmt.Sprintf("%s (%s), who applied for %s (requisition %s), wrote:\n\n%s\n\n"+
		"The message is on the application's timeline.\n",
		m.Candidate.Name, m.Candidate.Email, m.Title, m.RequisitionID, m.Text)
	return MessageDraft{ApplicationID: &m.ApplicationID, To: to, Kind: KindCandidateMessage,
		Subject: "Message from " + oneLine(m.Candidate.Name) + " about " + oneLine(m.Title), TextBody: text}
}

// ComposeWithdrawalNotice writes the email that tells the recruiter the
// candidate withdrew.
func ComposeWithdrawalNotice(m GuideMail, to string) MessageDraft {
	text := fmt.Sprintf("%s (%s) withdrew their application for %s (requisition %s).\n",
		m.Candidate.Name, m.Candidate.Email, m.Title, m.RequisitionID)
	if m.Text != "" {
		text += "\nTheir note:\n\n" + m.Text + "\n"
	}
	return MessageDraft{ApplicationID: &m.ApplicationID, To: to, Kind: KindWithdrawalNotice,
		Subject: oneLine(m.Candidate.Name) + " withdrew from " + oneLine(m.Title), TextBody: text,
		DedupeKey: fmt.Sprintf("withdrawal-notice:%d", m.ApplicationID)}
}

package hiring

import (
	"fmt"
	"strings"
)

// Messages about interviews.
//
// An interview sends three kinds of email: the invitation (again when it
// changes), the cancellation, and, when the candidate asked for
// adjustments, a reminder to each interviewer a day before. These are the
// built-in texts; each is plain text, and the calendar invitation travels
// with the email as a separate part.

// InterviewMail is what the messages of one interview are written from.
type InterviewMail struct {
	Interview      *Interview
	CandidateName  string
	CandidateEmail string
	OpeningTitle   string
	// CompanyName signs the candidate's messages; "" leaves it out.
	CompanyName string
	// Adjustments is what the candidate asked for to take part on equal
	// terms; "" when nothing.
	Adjustments string
}

// Summary is the calendar title of the interview for its audience.
func (m InterviewMail) Summary(forCandidate bool) string {
	iv := m.Interview
	if forCandidate {
		s := iv.StepName + ": " + m.OpeningTitle
		if m.CompanyName != "" {
			s += " at " + m.CompanyName
		}
		return oneLine(s)
	}
	return oneLine(iv.StepName + " with " + m.CandidateName + " (" + m.OpeningTitle + ")")
}

// Details lists when, how long, where and with whom, one line each.
func (m InterviewMail) Details() string {
	iv := m.Interview
	var b strings.Builder
	fmt.Fprintf(&b, "When: %s\n", iv.When())
	fmt.Fprintf(&b, "Duration: %d minutes\n", iv.Minutes())
	if iv.VideoURL != "" {
		fmt.Fprintf(&b, "Video call: %s\n", iv.VideoURL)
	}
	if iv.Location != "" {
		fmt.Fprintf(&b, "Place: %s\n", iv.Location)
	}
	if len(iv.Interviewers) > 0 {
		b.WriteString("Interviewers:\n")
		for _, p := range iv.Interviewers {
			line := "- " + p.Name
			if p.JobTitle != "" {
				line += ", " + p.JobTitle
			}
			if p.ProfileURL != "" {
				line += " (" + p.ProfileURL + ")"
			}
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func (m InterviewMail) signature() string {
	if m.CompanyName == "" {
		return "Kind regards,\nThe hiring team\n"
	}
	return "Kind regards,\nThe hiring team at " + m.CompanyName + "\n"
}

// ComposeInvitation writes the invitation to one person: the candidate
// when forCandidate, otherwise an interviewer. updated says the interview
// was invited to before and has changed.
func ComposeInvitation(m InterviewMail, to string, forCandidate, updated bool) MessageDraft {
	iv := m.Interview
	var b strings.Builder
	subject := "Interview invitation: "
	if updated {
		subject = "Updated interview: "
	}
	if forCandidate {
		fmt.Fprintf(&b, "Hello %s,\n\n", m.CandidateName)
		if updated {
			fmt.Fprintf(&b, "Your %s for %s has changed. Here are the new details.\n\n", iv.StepName, m.OpeningTitle)
		} else {
			fmt.Fprintf(&b, "We would like to invite you to the %s for %s.\n\n", iv.StepName, m.OpeningTitle)
		}
		b.WriteString(m.Details())
		b.WriteString("\nThe invitation is attached for your calendar. If the time does not suit you, or if you need " +
			"any adjustments to take part, reply to this email.\n\n")
		b.WriteString(m.signature())
	} else {
		fmt.Fprintf(&b, "Hello,\n\nYou are interviewing %s for %s: %s.\n\n", m.CandidateName, m.OpeningTitle, iv.StepName)
		if updated {
			b.WriteString("The interview has changed. Here are the new details.\n\n")
		}
		b.WriteString(m.Details())
		if strings.TrimSpace(m.Adjustments) != "" {
			b.WriteString("\nThe candidate asked for adjustments; please read them before the interview:\n" +
				strings.TrimSpace(m.Adjustments) + "\n")
		}
	}
	return MessageDraft{
		ApplicationID: &iv.ApplicationID,
		To:            to,
		Subject:       oneLine(subject + m.Summary(forCandidate)),
		TextBody:      b.String(),
		Kind:          KindInvitation,
		InterviewID:   &iv.ID,
	}
}

// ComposeInterviewCancellation writes the notice that an interview is off,
// or that an interviewer is no longer on it when removed.
func ComposeInterviewCancellation(m InterviewMail, to string, forCandidate, removed bool, reason string) MessageDraft {
	iv := m.Interview
	var b strings.Builder
	if forCandidate {
		fmt.Fprintf(&b, "Hello %s,\n\nYour %s for %s on %s is cancelled.\n", m.CandidateName, iv.StepName, m.OpeningTitle, iv.When())
		if r := strings.TrimSpace(reason); r != "" {
			fmt.Fprintf(&b, "\n%s\n", r)
		}
		b.WriteString("\nWe will be in touch about what comes next.\n\n")
		b.WriteString(m.signature())
	} else {
		if removed {
			fmt.Fprintf(&b, "Hello,\n\nYou are no longer on the %s with %s (%s) on %s.\n",
				iv.StepName, m.CandidateName, m.OpeningTitle, iv.When())
		} else {
			fmt.Fprintf(&b, "Hello,\n\nThe %s with %s (%s) on %s is cancelled.\n", iv.StepName, m.CandidateName, m.OpeningTitle, iv.When())
			if r := strings.TrimSpace(reason); r != "" {
				fmt.Fprintf(&b, "\nReason: %s\n", r)
			}
		}
	}
	return MessageDraft{
		ApplicationID: &iv.ApplicationID,
		To:            to,
		Subject:       oneLine("Cancelled: " + m.Summary(forCandidate)),
		TextBody:      b.String(),
		Kind:          KindCancellation,
		InterviewID:   &iv.ID,
	}
}

// ComposeAdjustmentReminder writes the reminder to an interviewer of the
// adjustments the candidate asked for.
func ComposeAdjustmentReminder(m InterviewMail, to string) MessageDraft {
	iv := m.Interview
	text := fmt.Sprintf("Hello,\n\nTomorrow you interview %s for %s: %s, %s.\n\n"+
		"The candidate asked for these adjustments; please make sure they are in place:\n\n%s\n",
		m.CandidateName, m.OpeningTitle, iv.StepName, iv.When(), strings.TrimSpace(m.Adjustments))
	return MessageDraft{
		ApplicationID: &iv.ApplicationID,
		To:            to,
		Subject:       oneLine("Adjustments for your interview with " + m.CandidateName),
		TextBody:      text,
		Kind:          KindAdjustmentReminder,
		InterviewID:   &iv.ID,
	}
}

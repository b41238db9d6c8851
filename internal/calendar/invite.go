// Package calendar writes interview invitations as iCalendar (RFC 5545)
// objects with iTIP methods (RFC 5546), so that they open in any calendar
// client: REQUEST to invite or reschedule, CANCEL to call an interview off.
package calendar

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"hireloop/internal/hiring"
)

// Methods and statuses of an invitation.
const (
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"

	StatusConfirmed = "CONFIRMED"
	StatusCancelled = "CANCELLED"

	RoleRequired = "REQ-PARTICIPANT"
	RoleOptional = "OPT-PARTICIPANT"
)

// Limits of an invitation's fields. They keep one invitation to a size any
// mail system and calendar client accepts.
const (
	MaxUIDLen         = 255
	MaxSummaryLen     = hiring.MaxTitleLen
	MaxDescriptionLen = hiring.MaxTextLen
	MaxLocationLen    = hiring.MaxItemLen
	MaxURLLen         = hiring.MaxItemLen
	MaxNameLen        = hiring.MaxTitleLen
	MaxAttendees      = 100
	MaxDuration       = 24 * time.Hour
	minYear, maxYear  = 1970, 9998
)

// Attendee is one person on an invitation.
type Attendee struct {
	Name  string
	Email string
	// Role is RoleRequired or RoleOptional; "" means RoleRequired.
	Role string
}

// Invite is one interview as a calendar invitation. Calendar clients match
// updates to the event they already hold by UID and keep the one with the
// highest Sequence, so a reschedule or a cancellation must reuse the UID
// and raise the Sequence.
type Invite struct {
	// UID is stable for the life of the interview, e.g. "interview-42@jobs.example.com".
	UID string
	// Sequence is 0 for the first invitation and raised on every change.
	Sequence int
	// Method is MethodRequest or MethodCancel.
	Method                              string
	Summary, Description, Location, URL string
	// Start is the instant the interview begins; the invitation shows it
	// in the zone TZID.
	Start    time.Time
	Duration time.Duration
	// TZID is the IANA zone of the interview, e.g. "Europe/Berlin"; "UTC"
	// writes times in UTC without a zone definition.
	TZID      string
	Organizer Attendee
	Attendees []Attendee
	// Created is when the interview was first scheduled; optional.
	Created time.Time
	// Stamp is when this invitation was made; clients use it to order
	// invitations with the same Sequence.
	Stamp time.Time
	// Status is StatusConfirmed or StatusCancelled; "" means the one that
	// goes with Method.
	Status string
}

var tzidPattern = regexp.MustCompile(`^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$`)

// Validate checks and normalises the invitation (trimmed text, lower-case
// email addresses, upper-case method, status and roles, defaults filled in).
// It returns an EINVALID *hiring.Error naming every wrong field.
func (inv *Invite) Validate() error {
	v := hiring.Validation{}
	if inv == nil {
		v.Add("invite", "The invitation is missing.")
		return v.Err()
	}
	inv.UID = strings.TrimSpace(inv.UID)
	checkLine(v, "uid", inv.UID, true, MaxUIDLen)
	if inv.Sequence < 0 {
		v.Add("sequence", "The sequence cannot be negative.")
	}

	inv.Method = strings.ToUpper(strings.TrimSpace(inv.Method))
	inv.Status = strings.ToUpper(strings.TrimSpace(inv.Status))
	switch inv.Method {
	case MethodRequest:
		if inv.Status == "" {
			inv.Status = StatusConfirmed
		}
		v.Check(inv.Status == StatusConfirmed, "status", "An invitation to attend is confirmed; send a cancellation to cancel.")
	case MethodCancel:
		if inv.Status == "" {
			inv.Status = StatusCancelled
		}
		v.Check(inv.Status == StatusCancelled, "status", "A cancellation has the status cancelled.")
	default:
		v.Add("method", "Choose REQUEST or CANCEL.")
	}

	inv.Summary = strings.TrimSpace(inv.Summary)
	checkText(v, "summary", inv.Summary, true, MaxSummaryLen)
	inv.Description = strings.TrimSpace(inv.Description)
	checkText(v, "description", inv.Description, false, MaxDescriptionLen)
	inv.Location = strings.TrimSpace(inv.Location)
	checkText(v, "location", inv.Location, false, MaxLocationLen)
	inv.URL = strings.TrimSpace(inv.URL)
	if inv.URL != "" && !validURL(inv.URL) {
		v.Add("url", "Enter a full address starting with https://.")
	}

	inv.TZID = strings.TrimSpace(inv.TZID)
	loc, err := loadZone(inv.TZID)
	if err != nil {
		v.Add("tzid", "Choose a time zone such as Europe/Berlin.")
	}
	if inv.Start.IsZero() {
		v.Add("start", "The start time is required.")
	} else if loc != nil {
		if y := inv.Start.In(loc).Year(); y < minYear || y > maxYear {
			v.Add("start", fmt.Sprintf("Choose a start between the years %d and %d.", minYear, maxYear))
		}
	}
	if inv.Duration <= 0 || inv.Duration > MaxDuration {
		v.Add("duration", "Enter a duration longer than zero and at most 24 hours.")
	}
	if inv.Stamp.IsZero() {
		v.Add("stamp", "The time the invitation was made is required.")
	}

	checkAttendee(v, "organizer", &inv.Organizer)
	if len(inv.Attendees) == 0 {
		v.Add("attendees", "Invite at least one person.")
	} else if len(inv.Attendees) > MaxAttendees {
		v.Add("attendees", fmt.Sprintf("Invite at most %d people.", MaxAttendees))
	}
	seen := map[string]bool{}
	for i := range inv.Attendees {
		a := &inv.Attendees[i]
		field := fmt.Sprintf("attendees[%d]", i)
		checkAttendee(v, field, a)
		if a.Role == "" {
			a.Role = RoleRequired
		}
		if a.Role != RoleRequired && a.Role != RoleOptional {
			v.Add(field+".role", "Choose required or optional.")
		}
		if seen[a.Email] {
			v.Add(field+".email", "This person is already invited.")
		}
		seen[a.Email] = true
	}
	return v.Err()
}

func checkAttendee(v hiring.Validation, field string, a *Attendee) {
	a.Name = strings.TrimSpace(a.Name)
	a.Email = hiring.NormalizeEmail(a.Email)
	a.Role = strings.ToUpper(strings.TrimSpace(a.Role))
	checkLine(v, field+".name", a.Name, false, MaxNameLen)
	if msg := hiring.CheckEmail(a.Email); msg != "" {
		v.Add(field+".email", msg)
	}
}

// checkText accepts any readable text, line breaks included.
func checkText(v hiring.Validation, field, s string, required bool, max int) {
	switch {
	case !utf8.ValidString(s):
		v.Add(field, "This contains characters that are not readable text.")
	case required && s == "":
		v.Add(field, "This field is required.")
	case len(s) > max:
		v.Add(field, "This is too long.")
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }):
		v.Add(field, "This contains a character that is not allowed.")
	}
}

// checkLine accepts readable text on one line.
func checkLine(v hiring.Validation, field, s string, required bool, max int) {
	checkText(v, field, s, required, max)
	if strings.ContainsFunc(s, unicode.IsControl) {
		v.Add(field, "This must be on one line.")
	}
}

func validURL(s string) bool {
	if len(s) > MaxURLLen || !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r == 0x7f || r == '"' || r == '<' || r == '>'
	}) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// loadZone loads an IANA time zone by name. It refuses "Local" and the empty
// name, which time.LoadLocation accepts but which mean the server's zone or
// UTC rather than the interview's.
func loadZone(tzid string) (*time.Location, error) {
	if tzid == "Local" || !tzidPattern.MatchString(tzid) {
		return nil, fmt.Errorf("calendar: %q is not an IANA time zone name", tzid)
	}
	return time.LoadLocation(tzid)
}

package deadline

import (
	"fmt"
	"time"

	"hireloop/internal/hiring"
)

// Facts are what HearBackBy needs to know about one active application.
// Pointers are nil when the event has not happened.
type Facts struct {
	// AppliedAt is when the application arrived.
	AppliedAt time.Time
	// LastInterviewEnd is the end of the most recent interview that took place.
	LastInterviewEnd *time.Time
	// InReferenceChecks is true while the candidate's references are checked.
	InReferenceChecks bool
	// LastUpdateAt is the last time the candidate was told something: a
	// message sent, or a move to another stage. It meets any reply owed for
	// earlier events.
	LastUpdateAt *time.Time
	// Country is the candidate's ISO 3166-1 alpha-2 country, or "" when
	// unknown; its public holidays are the ones that count.
	Country string
}

// Rules are the company's promises about replies. The zero value of a field
// means its default, so Rules{} is the standard policy.
type Rules struct {
	// AfterApplyDays is the number of business days to answer a new
	// application that has had no interview yet (default 5).
	AfterApplyDays int
	// AfterInterviewDays is the number of business days to answer after an
	// interview (default 3).
	AfterInterviewDays int
	// ReferenceUpdateEvery is how often a candidate in reference checks hears
	// from the company (default a week). It counts whole calendar days, so a
	// daylight-saving change never moves the due date.
	ReferenceUpdateEvery time.Duration
}

// Defaults and bounds of Rules. The bounds keep a mistyped setting from
// silently promising replies months away.
const (
	DefaultAfterApplyDays       = 5
	DefaultAfterInterviewDays   = 3
	DefaultReferenceUpdateEvery = 7 * 24 * time.Hour
	MaxRuleDays                 = 30
)

// Validate checks rules entered by an administrator, naming each wrong
// field. Zero values are accepted: they mean the defaults.
func (r Rules) Validate() error {
	v := hiring.Validation{}
	days := fmt.Sprintf("Enter a number of business days from 1 to %d.", MaxRuleDays)
	v.Check(r.AfterApplyDays >= 0 && r.AfterApplyDays <= MaxRuleDays, "after_apply_days", days)
	v.Check(r.AfterInterviewDays >= 0 && r.AfterInterviewDays <= MaxRuleDays, "after_interview_days", days)
	v.Check(r.ReferenceUpdateEvery == 0 ||
		r.ReferenceUpdateEvery >= 24*time.Hour && r.ReferenceUpdateEvery <= MaxRuleDays*24*time.Hour,
		"reference_update_every", fmt.Sprintf("Enter a period from 1 to %d days.", MaxRuleDays))
	return v.Err()
}

// withDefaults replaces zero and out-of-range values by the defaults, so
// that HearBackBy is defined for any Rules.
func (r Rules) withDefaults() Rules {
	if r.AfterApplyDays <= 0 || r.AfterApplyDays > MaxRuleDays {
		r.AfterApplyDays = DefaultAfterApplyDays
	}
	if r.AfterInterviewDays <= 0 || r.AfterInterviewDays > MaxRuleDays {
		r.AfterInterviewDays = DefaultAfterInterviewDays
	}
	if r.ReferenceUpdateEvery < 24*time.Hour || r.ReferenceUpdateEvery > MaxRuleDays*24*time.Hour {
		r.ReferenceUpdateEvery = DefaultReferenceUpdateEvery
	}
	return r
}

// HearBackBy returns the end of the day by which the candidate must hear
// from the company, or the zero time when no reply is owed.
//
// Three promises can be open at once, and the earliest open one wins:
//   - after an interview, a reply within AfterInterviewDays business days of
//     its end, unless the candidate was updated after it ended;
//   - while references are checked, an update at least every
//     ReferenceUpdateEvery after the last contact (the last update, the last
//     interview, or the application), moved to the next business day when it
//     falls on a day off;
//   - before any interview, a reply within AfterApplyDays business days of
//     applying, unless the candidate was updated since.
//
// Business days follow the public holidays of f.Country when hireloop knows
// them, else those of company (nil means Monday to Friday). Days are read in
// loc, which should be the candidate's time zone, or the company's when the
// candidate's is unknown (nil means UTC): an interview ending on Thursday at
// 23:30 UTC ends on Friday in Tokyo, and the deadline follows the Tokyo
// date. An interview ending on a Saturday or a holiday counts from that day,
// so it is due on the same day as one that ended the business day before.
func HearBackBy(f Facts, r Rules, company Calendar, loc *time.Location) time.Time {
	r = r.withDefaults()
	cal := company
	if c, ok := ForCountry(f.Country); ok {
		cal = c
	}
	answered := func(event time.Time) bool {
		return f.LastUpdateAt != nil && !f.LastUpdateAt.Before(event)
	}

	var due time.Time
	earliest := func(t time.Time) {
		if due.IsZero() || t.Before(due) {
			due = t
		}
	}
	if f.LastInterviewEnd != nil {
		if !answered(*f.LastInterviewEnd) {
			earliest(AddBusinessDays(cal, *f.LastInterviewEnd, r.AfterInterviewDays, loc))
		}
	} else if !answered(f.AppliedAt) {
		earliest(AddBusinessDays(cal, f.AppliedAt, r.AfterApplyDays, loc))
	}
	if f.InReferenceChecks {
		since := f.AppliedAt
		for _, t := range []*time.Time{f.LastUpdateAt, f.LastInterviewEnd} {
			if t != nil && t.After(since) {
				since = *t
			}
		}
		earliest(AddBusinessDays(cal, addDays(since, int(r.ReferenceUpdateEvery/(24*time.Hour)), loc), 0, loc))
	}
	return due
}

// addDays returns noon of the date days after t's date in loc.
func addDays(t time.Time, days int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return day(y, m, d, days, loc)
}

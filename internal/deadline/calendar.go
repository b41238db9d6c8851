// Package deadline does business-day arithmetic and computes the "hear back
// by" date that hireloop promises every candidate. Everything here is a pure
// function of its arguments: the current time is always passed in, never
// read from a clock, so weekends, holidays and time zones are testable.
package deadline

import (
	"strings"
	"time"

	"github.com/rickar/cal/v2"
)

// Calendar tells which days are business days. Reply deadlines count only
// business days, so a promise made on a Friday is not broken over a weekend
// or a public holiday.
type Calendar interface {
	// IsBusinessDay reports whether the calendar date of day, read in day's
	// own location, is a working day.
	IsBusinessDay(day time.Time) bool
	// Name is a short label for people, such as "Germany", shown beside a
	// deadline so that its date can be understood.
	Name() string
}

// weekdays is the calendar of last resort: Monday to Friday, no holidays.
type weekdays struct{}

func (weekdays) IsBusinessDay(day time.Time) bool {
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

func (weekdays) Name() string { return "Monday to Friday" }

// holidays is a Monday-to-Friday calendar minus a country's public
// holidays. Each region has its own list; a day is off when it is a holiday
// in every region (a country with one national list has one region).
type holidays struct {
	name    string
	regions []*cal.Calendar
}

func (h *holidays) IsBusinessDay(day time.Time) bool {
	if !(weekdays{}).IsBusinessDay(day) {
		return false
	}
	for _, r := range h.regions {
		// A holiday counts on its own date and on the weekday it is observed
		// on when it falls on a weekend (for example a Monday substitute).
		if actual, observed, _ := r.IsHoliday(day); !actual && !observed {
			return true
		}
	}
	return false
}

func (h *holidays) Name() string { return h.name }

// ForCountry returns the business-day calendar of a country given by its ISO
// 3166-1 alpha-2 code (any case; "UK" is read as "GB"). It reports false for
// a country whose public holidays hireloop does not know, so that the caller
// can fall back to the company's calendar. Every day in the country's
// standard holiday list counts as a day off, including the few that are
// customary rather than statutory (Christmas Eve in Sweden and Finland).
func ForCountry(code string) (Calendar, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "UK" {
		code = "GB"
	}
	c, ok := countries[code]
	if !ok {
		return nil, false
	}
	h := &holidays{name: c.name}
	for _, hs := range c.regions {
		h.regions = append(h.regions, &cal.Calendar{Name: code, Holidays: hs, Cacheable: true})
	}
	return h, true
}

// Company returns the company's calendar: the public holidays of the
// country the company is based in, or plain Monday to Friday when that
// country is not known. It never returns nil, because every deadline needs
// some calendar.
func Company(code string) Calendar {
	if c, ok := ForCountry(code); ok {
		return c
	}
	return weekdays{}
}

// Weekdays returns a calendar of Monday to Friday without holidays.
func Weekdays() Calendar { return weekdays{} }

package deadline

import "time"

// maxDaysOff bounds a run of consecutive days off. A calendar is an open
// interface; one that never has a business day would otherwise make the
// arithmetic below loop for ever, so after this many days off in a row the
// next day is counted regardless.
const maxDaysOff = 366

// EndOfDay returns the last second (23:59:59) of t's calendar date in loc.
// Deadlines are whole days: a reply sent at any time on the due date is on
// time. A nil loc means UTC.
func EndOfDay(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 23, 59, 59, 0, loc)
}

// day returns noon of the date y-m-d plus offset days in loc. Noon keeps
// the date stable across daylight-saving changes, which happen at night.
func day(y int, m time.Month, d, offset int, loc *time.Location) time.Time {
	return time.Date(y, m, d+offset, 12, 0, 0, 0, loc)
}

// AddBusinessDays returns the end (23:59:59 in loc) of the n-th business day
// after from's date in loc. The day of from itself never counts, whether it
// is a business day or not: an interview ending on a Friday afternoon plus 3
// is the following Wednesday, and so is one ending on the Saturday. A
// negative n counts back the same way (-1 is the previous business day,
// useful for reminders). n == 0 is the end of from's date when that is a
// business day, else the end of the next business day. A nil cal means
// Monday to Friday; a nil loc means UTC.
func AddBusinessDays(cal Calendar, from time.Time, n int, loc *time.Location) time.Time {
	cal, loc = orDefaults(cal, loc)
	y, m, d := from.In(loc).Date()
	if n == 0 {
		off := 0
		for off < maxDaysOff && !cal.IsBusinessDay(day(y, m, d, off, loc)) {
			off++
		}
		return EndOfDay(day(y, m, d, off, loc), loc)
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	off, daysOff := 0, 0
	for counted := 0; counted < n; {
		off += step
		if cal.IsBusinessDay(day(y, m, d, off, loc)) || daysOff >= maxDaysOff {
			counted++
			daysOff = 0
		} else {
			daysOff++
		}
	}
	return EndOfDay(day(y, m, d, off, loc), loc)
}

// BusinessDaysBetween counts the business days after from's date up to and
// including to's date, both read in loc. It is the inverse of
// AddBusinessDays for n > 0 (the n-th business day after from is n business
// days after it) and is negative when to's date is before from's, so
// BusinessDaysBetween(due, now) reads as "business days late" when positive.
// A nil cal means Monday to Friday; a nil loc means UTC.
func BusinessDaysBetween(cal Calendar, from, to time.Time, loc *time.Location) int {
	cal, loc = orDefaults(cal, loc)
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	fy, fm, fd := from.In(loc).Date()
	ty, tm, td := to.In(loc).Date()
	last := time.Date(ty, tm, td, 12, 0, 0, 0, loc)
	n := 0
	for off := 1; ; off++ {
		d := day(fy, fm, fd, off, loc)
		if d.After(last) {
			break
		}
		if cal.IsBusinessDay(d) {
			n++
		}
	}
	return sign * n
}

func orDefaults(cal Calendar, loc *time.Location) (Calendar, *time.Location) {
	if cal == nil {
		cal = weekdays{}
	}
	if loc == nil {
		loc = time.UTC
	}
	return cal, loc
}

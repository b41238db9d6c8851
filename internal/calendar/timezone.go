package calendar

import (
	"fmt"
	"slices"
	"time"
)

// observance is one STANDARD or DAYLIGHT part of a VTIMEZONE: from onset
// on, the zone is offset `to` seconds east of UTC.
type observance struct {
	daylight bool
	// onset is the wall-clock time of the change, read in the offset before
	// it, as RFC 5545 wants it; it is stored as a time in UTC for its fields.
	onset    time.Time
	from, to int
	name     string
	// rrule repeats the onset every year; "" for a single onset.
	rrule string
}

// transition is one change of a zone's offset, name or daylight-saving flag.
type transition struct {
	at       time.Time
	from, to int
	name     string
	dst      bool
}

// maxTransitions bounds the scan of one zone over three years; real zones
// change at most a few times a year.
const maxTransitions = 64

// zoneObservances describes loc around the instant `around`, from the start
// of the year before it to the end of the year after, using Go's time zone
// data. When every change in that span repeats yearly on a rule like "last
// Sunday of March", each kind of change is written once with an RRULE, as
// calendar clients expect; otherwise every change is written as its own
// observance, which is exact for the span.
func zoneObservances(loc *time.Location, around time.Time) []observance {
	year := around.In(loc).Year()
	spanStart := time.Date(year-1, 1, 1, 0, 0, 0, 0, loc)
	spanEnd := time.Date(year+2, 1, 1, 0, 0, 0, 0, loc)

	var ts []transition
	for t := spanStart; len(ts) < maxTransitions; {
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(spanEnd) || !end.After(t) {
			break
		}
		fromName, from := t.Zone()
		name, to := end.Zone()
		if from != to || fromName != name || t.IsDST() != end.IsDST() {
			dst := end.IsDST()
			// Some zones (Europe/Dublin) mark winter time as the
			// daylight-saving one; clients expect DAYLIGHT to be the
			// observance that moves clocks forward, so follow the offsets.
			if dst != t.IsDST() && dst == (to < from) {
				dst = !dst
			}
			ts = append(ts, transition{at: end, from: from, to: to, name: name, dst: dst})
		}
		t = end
	}

	if len(ts) == 0 {
		name, off := spanStart.Zone()
		return []observance{{
			onset: wall(spanStart, off), from: off, to: off, name: name,
		}}
	}
	if obs, ok := yearlyObservances(ts, year-1, year+1); ok {
		return obs
	}
	name, off := spanStart.Zone()
	obs := []observance{{daylight: spanStart.IsDST(), onset: wall(spanStart, off), from: off, to: off, name: name}}
	for _, t := range ts {
		obs = append(obs, observance{daylight: t.dst, onset: wall(t.at, t.from), from: t.from, to: t.to, name: t.name})
	}
	return obs
}

// wall returns the wall-clock reading of t at offset seconds east of UTC.
func wall(t time.Time, offset int) time.Time {
	w := t.In(time.FixedZone("", offset))
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.UTC)
}

// ruleKey groups the changes that a single yearly rule could describe.
type ruleKey struct {
	dst      bool
	from, to int
	name     string
	month    time.Month
	weekday  time.Weekday
	clock    time.Duration
}

// yearlyObservances describes ts with one RRULE per kind of change, and
// reports false when some change does not happen exactly once a year in
// every year firstYear..lastYear on an "n-th (or last) weekday of the month"
// rule.
func yearlyObservances(ts []transition, firstYear, lastYear int) ([]observance, bool) {
	groups := map[ruleKey][]time.Time{}
	var keys []ruleKey
	for _, t := range ts {
		w := wall(t.at, t.from)
		k := ruleKey{t.dst, t.from, t.to, t.name, w.Month(), w.Weekday(), w.Sub(w.Truncate(24 * time.Hour))}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], w)
	}
	var obs []observance
	for _, k := range keys {
		onsets := groups[k]
		if len(onsets) != lastYear-firstYear+1 {
			return nil, false
		}
		byday, ok := weekdayRule(onsets, firstYear)
		if !ok {
			return nil, false
		}
		obs = append(obs, observance{
			daylight: k.dst, onset: onsets[0], from: k.from, to: k.to, name: k.name,
			rrule: fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%s", int(k.month), byday),
		})
	}
	slices.SortFunc(obs, func(a, b observance) int { return a.onset.Compare(b.onset) })
	return obs, true
}

var weekdayCodes = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// weekdayRule finds a BYDAY value ("2SU", "-1SU") that yields every onset,
// one per year from firstYear on, all in the same month on the same weekday.
func weekdayRule(onsets []time.Time, firstYear int) (string, bool) {
	first := onsets[0]
	var candidates []int
	if first.Day()+7 > daysIn(first.Year(), first.Month()) {
		candidates = append(candidates, -1)
	}
	if first.Day() <= 28 {
		candidates = append(candidates, (first.Day()-1)/7+1)
	}
	for _, n := range candidates {
		fits := true
		for i, o := range onsets {
			if o.Year() != firstYear+i || o.Day() != nthWeekday(o.Year(), o.Month(), o.Weekday(), n) {
				fits = false
				break
			}
		}
		if fits {
			return fmt.Sprintf("%d%s", n, weekdayCodes[first.Weekday()]), true
		}
	}
	return "", false
}

func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// nthWeekday returns the day of the month of the n-th weekday wd (n == -1:
// the last one).
func nthWeekday(year int, month time.Month, wd time.Weekday, n int) int {
	if n < 0 {
		last := daysIn(year, month)
		lastWd := time.Date(year, month, last, 0, 0, 0, 0, time.UTC).Weekday()
		return last - (int(lastWd)-int(wd)+7)%7
	}
	firstWd := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC).Weekday()
	return 1 + (int(wd)-int(firstWd)+7)%7 + 7*(n-1)
}

// formatOffset writes an offset as RFC 5545 UTC-OFFSET: +HHMM or +HHMMSS.
func formatOffset(seconds int) string {
	sign := '+'
	if seconds < 0 {
		sign, seconds = '-', -seconds
	}
	h, m, s := seconds/3600, seconds/60%60, seconds%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}

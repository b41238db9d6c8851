package calendar_test

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	eical "github.com/emersion/go-ical"

	"hireloop/internal/calendar"
)

// parsed is what a calendar client would read from an invitation. Each
// test reads it with two independent parsers and expects both to agree.
type parsed struct {
	Method, UID, Status, Summary, Description, Location, URL string
	Sequence                                                 int
	Start, End                                               time.Time
	StartTZID                                                string
	Organizer                                                person
	Attendees                                                []person
}

type person struct {
	Email, Name, Role, PartStat, RSVP string
}

func MustLoadLocation(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load time zone %s: %v", name, err)
	}
	return loc
}

func MustBytes(tb testing.TB, inv calendar.Invite) []byte {
	tb.Helper()
	b, err := inv.Bytes()
	if err != nil {
		tb.Fatalf("Bytes: %v", err)
	}
	return b
}

// MustParseBoth parses b with golang-ical and with emersion/go-ical, fails
// the test if either refuses it or if they read it differently, and returns
// the reading.
func MustParseBoth(tb testing.TB, b []byte) parsed {
	tb.Helper()
	a, err := parseArran(b)
	if err != nil {
		tb.Fatalf("golang-ical cannot read the invitation: %v\n%s", err, b)
	}
	e, err := parseEmersion(b)
	if err != nil {
		tb.Fatalf("go-ical cannot read the invitation: %v\n%s", err, b)
	}
	if !a.Start.Equal(e.Start) || !a.End.Equal(e.End) {
		tb.Fatalf("parsers disagree on times: golang-ical %s–%s, go-ical %s–%s", a.Start, a.End, e.Start, e.End)
	}
	a.Start, a.End = e.Start, e.End
	if fmt.Sprint(a) != fmt.Sprint(e) {
		tb.Fatalf("parsers disagree:\ngolang-ical %+v\ngo-ical     %+v\n%s", a, e, b)
	}
	return e
}

func parseArran(b []byte) (p parsed, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	cal, err := ics.ParseCalendar(bytes.NewReader(b))
	if err != nil {
		return p, err
	}
	for _, cp := range cal.CalendarProperties {
		if cp.IANAToken == string(ics.PropertyMethod) {
			p.Method = cp.Value
		}
	}
	events := cal.Events()
	if len(events) != 1 {
		return p, fmt.Errorf("%d events, want 1", len(events))
	}
	ev := events[0]
	value := func(prop ics.ComponentProperty) string {
		if v := ev.GetProperty(prop); v != nil {
			return v.Value
		}
		return ""
	}
	p.UID = value(ics.ComponentPropertyUniqueId)
	p.Status = value(ics.ComponentPropertyStatus)
	p.Summary = value(ics.ComponentPropertySummary)
	p.Description = value(ics.ComponentPropertyDescription)
	p.Location = value(ics.ComponentPropertyLocation)
	p.URL = value(ics.ComponentPropertyUrl)
	if p.Sequence, err = strconv.Atoi(value(ics.ComponentPropertySequence)); err != nil {
		return p, fmt.Errorf("sequence: %w", err)
	}
	if p.Start, err = ev.GetStartAt(); err != nil {
		return p, fmt.Errorf("start: %w", err)
	}
	if p.End, err = ev.GetEndAt(); err != nil {
		return p, fmt.Errorf("end: %w", err)
	}
	if tz := ev.GetProperty(ics.ComponentPropertyDtStart).ICalParameters["TZID"]; len(tz) > 0 {
		p.StartTZID = tz[0]
	}
	first := func(params map[string][]string, name string) string {
		if v := params[name]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	org := ev.GetProperty(ics.ComponentPropertyOrganizer)
	if org == nil {
		return p, fmt.Errorf("no organizer")
	}
	p.Organizer = person{Email: strings.TrimPrefix(org.Value, "mailto:"), Name: first(org.ICalParameters, "CN")}
	for _, a := range ev.Attendees() {
		p.Attendees = append(p.Attendees, person{
			Email: a.Email(), Name: first(a.ICalParameters, "CN"), Role: first(a.ICalParameters, "ROLE"),
			PartStat: first(a.ICalParameters, "PARTSTAT"), RSVP: first(a.ICalParameters, "RSVP"),
		})
	}
	return p, nil
}

func parseEmersion(b []byte) (p parsed, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	cal, err := eical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		return p, err
	}
	p.Method = cal.Props.Get(eical.PropMethod).Value
	events := cal.Events()
	if len(events) != 1 {
		return p, fmt.Errorf("%d events, want 1", len(events))
	}
	ev := events[0]
	text := func(name string) string {
		v, terr := ev.Props.Text(name)
		if terr != nil && err == nil {
			err = fmt.Errorf("%s: %w", name, terr)
		}
		return v
	}
	p.UID = text(eical.PropUID)
	p.Status = text(eical.PropStatus)
	p.Summary = text(eical.PropSummary)
	p.Description = text(eical.PropDescription)
	p.Location = text(eical.PropLocation)
	if u := ev.Props.Get(eical.PropURL); u != nil {
		p.URL = u.Value
	}
	if err != nil {
		return p, err
	}
	if p.Sequence, err = ev.Props.Get(eical.PropSequence).Int(); err != nil {
		return p, fmt.Errorf("sequence: %w", err)
	}
	if p.Start, err = ev.DateTimeStart(nil); err != nil {
		return p, fmt.Errorf("start: %w", err)
	}
	if p.End, err = ev.DateTimeEnd(nil); err != nil {
		return p, fmt.Errorf("end: %w", err)
	}
	p.StartTZID = ev.Props.Get(eical.PropDateTimeStart).Params.Get(eical.PropTimezoneID)
	org := ev.Props.Get(eical.PropOrganizer)
	if org == nil {
		return p, fmt.Errorf("no organizer")
	}
	p.Organizer = person{Email: strings.TrimPrefix(org.Value, "mailto:"), Name: org.Params.Get(eical.ParamCommonName)}
	for _, a := range ev.Props.Values(eical.PropAttendee) {
		p.Attendees = append(p.Attendees, person{
			Email: strings.TrimPrefix(a.Value, "mailto:"), Name: a.Params.Get(eical.ParamCommonName),
			Role: a.Params.Get(eical.ParamRole), PartStat: a.Params.Get(eical.ParamParticipationStatus), RSVP: a.Params.Get(eical.ParamRSVP),
		})
	}
	return p, nil
}

// MustReadZone reads the VTIMEZONE named tzid in b the way a client that
// ignores zone names must: it expands the observances' onsets and yearly
// rules. The returned function gives the offset in effect at a local
// reading (its fields only; its location is ignored).
func MustReadZone(tb testing.TB, b []byte, tzid string) func(local time.Time) int {
	tb.Helper()
	cal, err := eical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		tb.Fatalf("decode: %v", err)
	}
	type onset struct {
		at time.Time // instant of the change
		to int
	}
	var onsets []onset
	found := false
	for _, tz := range cal.Children {
		if tz.Name != eical.CompTimezone || tz.Props.Get(eical.PropTimezoneID).Value != tzid {
			continue
		}
		found = true
		for _, o := range tz.Children {
			from := mustOffset(tb, o.Props.Get(eical.PropTimezoneOffsetFrom).Value)
			to := mustOffset(tb, o.Props.Get(eical.PropTimezoneOffsetTo).Value)
			start, err := o.Props.DateTime(eical.PropDateTimeStart, time.UTC)
			if err != nil {
				tb.Fatalf("observance start: %v", err)
			}
			walls := []time.Time{start}
			set, err := o.RecurrenceSet(time.UTC)
			if err != nil {
				tb.Fatalf("observance rule: %v", err)
			}
			if set != nil {
				walls = set.Between(start, start.AddDate(20, 0, 0), true)
			}
			for _, w := range walls {
				onsets = append(onsets, onset{at: w.Add(-time.Duration(from) * time.Second), to: to})
			}
		}
	}
	if !found {
		tb.Fatalf("no VTIMEZONE %s in\n%s", tzid, b)
	}
	slices.SortFunc(onsets, func(a, b onset) int { return a.at.Compare(b.at) })
	return func(local time.Time) int {
		tb.Helper()
		wall := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(), 0, time.UTC)
		offset, ok := 0, false
		for _, o := range onsets {
			if !o.at.After(wall.Add(-time.Duration(o.to) * time.Second)) {
				offset, ok = o.to, true
			}
		}
		if !ok {
			tb.Fatalf("VTIMEZONE %s does not cover %s", tzid, wall.Format("2006-01-02 15:04"))
		}
		return offset
	}
}

func mustOffset(tb testing.TB, s string) int {
	tb.Helper()
	if len(s) != 5 && len(s) != 7 || s[0] != '+' && s[0] != '-' {
		tb.Fatalf("malformed UTC offset %q", s)
	}
	n := func(i int) int {
		v, err := strconv.Atoi(s[i : i+2])
		if err != nil {
			tb.Fatalf("malformed UTC offset %q", s)
		}
		return v
	}
	secs := n(1)*3600 + n(3)*60
	if len(s) == 7 {
		secs += n(5)
	}
	if s[0] == '-' {
		secs = -secs
	}
	return secs
}

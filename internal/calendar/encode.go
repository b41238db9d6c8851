package calendar

import (
	"strconv"
	"time"
)

// ProductID names hireloop as the maker of its invitations.
const ProductID = "-//hireloop//EN"

const (
	localFormat = "20060102T150405"
	utcFormat   = "20060102T150405Z"
)

// Bytes validates (and so normalises) the invitation and writes it as an
// iCalendar object, ready to attach to an email as text/calendar with the
// same method.
//
// Times are written in the interview's zone with a VTIMEZONE built from
// Go's time zone data for the years around the interview, so that clients
// which ignore the zone name (and read only the VTIMEZONE) still show the
// right instant. DTSTAMP and CREATED are in UTC. A time that falls in the
// repeated hour when clocks go back cannot be named unambiguously by its
// local reading; it is written in UTC instead.
func (inv *Invite) Bytes() ([]byte, error) {
	if err := inv.Validate(); err != nil {
		return nil, err
	}
	var loc *time.Location
	if inv.TZID != "UTC" {
		// Validate has loaded the zone already; this cannot fail.
		loc, _ = loadZone(inv.TZID)
	}

	w := &contentWriter{}
	w.prop("BEGIN", "VCALENDAR")
	w.text("PRODID", ProductID)
	w.prop("VERSION", "2.0")
	w.prop("CALSCALE", "GREGORIAN")
	w.prop("METHOD", inv.Method)
	if loc != nil {
		writeTimezone(w, inv.TZID, loc, inv.Start)
	}

	w.prop("BEGIN", "VEVENT")
	w.text("UID", inv.UID)
	w.prop("SEQUENCE", strconv.Itoa(inv.Sequence))
	w.prop("DTSTAMP", inv.Stamp.UTC().Format(utcFormat))
	if !inv.Created.IsZero() {
		w.prop("CREATED", inv.Created.UTC().Format(utcFormat))
	}
	writeTime(w, "DTSTART", inv.Start, inv.TZID, loc)
	writeTime(w, "DTEND", inv.Start.Add(inv.Duration), inv.TZID, loc)
	w.text("SUMMARY", inv.Summary)
	if inv.Description != "" {
		w.text("DESCRIPTION", inv.Description)
	}
	if inv.Location != "" {
		w.text("LOCATION", inv.Location)
	}
	if inv.URL != "" {
		w.prop("URL", inv.URL)
	}
	w.prop("ORGANIZER", "mailto:"+inv.Organizer.Email, nameParam(inv.Organizer)...)
	for _, a := range inv.Attendees {
		params := append(nameParam(a), param{name: "ROLE", value: a.Role})
		if inv.Method == MethodRequest {
			params = append(params,
				param{name: "PARTSTAT", value: "NEEDS-ACTION"},
				param{name: "RSVP", value: "TRUE"})
		}
		w.prop("ATTENDEE", "mailto:"+a.Email, params...)
	}
	w.prop("STATUS", inv.Status)
	w.prop("TRANSP", "OPAQUE")
	w.prop("END", "VEVENT")
	w.prop("END", "VCALENDAR")
	return w.buf.Bytes(), nil
}

func nameParam(a Attendee) []param {
	if a.Name == "" {
		return nil
	}
	return []param{{name: "CN", value: a.Name, quoted: true}}
}

// writeTime writes a date-time in the event's zone, or in UTC when the zone
// is UTC or the local reading is ambiguous.
func writeTime(w *contentWriter, name string, t time.Time, tzid string, loc *time.Location) {
	if loc != nil && !ambiguous(t, loc) {
		w.prop(name, t.In(loc).Format(localFormat), param{name: "TZID", value: tzid})
		return
	}
	w.prop(name, t.UTC().Format(utcFormat))
}

// ambiguous reports whether t's local reading in loc also names another
// instant, as in the hour repeated when clocks go back. RFC 5545 reads such
// a time as its first occurrence while Go's time.Date may pick the second,
// so neither can be trusted with it.
func ambiguous(t time.Time, loc *time.Location) bool {
	local := t.In(loc)
	_, off := local.Zone()
	start, end := local.ZoneBounds()
	var neighbours []time.Time
	if !start.IsZero() {
		neighbours = append(neighbours, start.Add(-time.Second))
	}
	if !end.IsZero() {
		neighbours = append(neighbours, end)
	}
	reading := local.Format(localFormat)
	for _, n := range neighbours {
		if _, other := n.Zone(); other != off {
			if t.Add(time.Duration(off-other)*time.Second).In(loc).Format(localFormat) == reading {
				return true
			}
		}
	}
	return false
}

func writeTimezone(w *contentWriter, tzid string, loc *time.Location, around time.Time) {
	w.prop("BEGIN", "VTIMEZONE")
	w.text("TZID", tzid)
	for _, o := range zoneObservances(loc, around) {
		kind := "STANDARD"
		if o.daylight {
			kind = "DAYLIGHT"
		}
		w.prop("BEGIN", kind)
		w.prop("DTSTART", o.onset.Format(localFormat))
		if o.rrule != "" {
			w.prop("RRULE", o.rrule)
		}
		w.prop("TZOFFSETFROM", formatOffset(o.from))
		w.prop("TZOFFSETTO", formatOffset(o.to))
		if o.name != "" {
			w.text("TZNAME", o.name)
		}
		w.prop("END", kind)
	}
	w.prop("END", "VTIMEZONE")
}

package calendar_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/calendar"
	"hireloop/internal/hiring"
)

// FuzzBytes checks that whatever an invitation holds, Validate refuses it
// with field messages or Bytes writes something both parsers read back to
// the same values.
func FuzzBytes(f *testing.F) {
	f.Add("interview-1@example.com", "Interview, part 2; Zoë", "Line one\r\nline two \\ end", "Room 1, Berlin", "O'Brien, Pat", "pat@example.com", "Europe/Berlin", int64(1743298200), 60, 0, false)
	f.Add("x", "a", "", "", "", "a@b.co", "UTC", int64(0), 1, 3, true)
	f.Add("long", strings.Repeat("ö", 99), strings.Repeat("日本語, ", 300), strings.Repeat("x;", 500), `Bob "B" \ Q`, "b@c.de", "America/New_York", int64(1762088400), 24*60, 7, false)
	f.Add("tz", "s", "d", "l", "n", "n@e.io", "Africa/Casablanca", int64(1740290400), 45, 1, false)
	f.Add("tz", "s", "d", "l", "n", "n@e.io", "Mars/Base", int64(1740290400), 45, 1, false)
	f.Fuzz(func(t *testing.T, uid, summary, description, location, name, email, tzid string, start int64, minutes, sequence int, cancel bool) {
		inv := calendar.Invite{
			UID: uid, Sequence: sequence, Method: calendar.MethodRequest,
			Summary: summary, Description: description, Location: location,
			Start: time.Unix(start, 0), Duration: time.Duration(minutes) * time.Minute, TZID: tzid,
			Organizer: calendar.Attendee{Name: name, Email: "org@example.com"},
			Attendees: []calendar.Attendee{{Name: name, Email: email}},
			Stamp:     time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		}
		if cancel {
			inv.Method = calendar.MethodCancel
		}
		b, err := inv.Bytes()
		if err != nil {
			if hiring.ErrorCode(err) != hiring.EINVALID || len(hiring.ErrorFields(err)) == 0 {
				t.Fatalf("Bytes refused the invitation without naming a field: %v", err)
			}
			return
		}
		checkLines(t, b)
		got := MustParseBoth(t, b)
		lines := strings.NewReplacer("\r\n", "\n", "\r", "\n")
		params := strings.NewReplacer(`"`, "'", `\`, "/")
		want := parsed{
			Method: inv.Method, UID: inv.UID, Status: inv.Status, Sequence: inv.Sequence,
			Summary: lines.Replace(inv.Summary), Description: lines.Replace(inv.Description), Location: lines.Replace(inv.Location),
			Start: inv.Start, End: inv.Start.Add(inv.Duration),
			Organizer: person{Name: params.Replace(inv.Organizer.Name), Email: inv.Organizer.Email},
			Attendees: []person{{Name: params.Replace(inv.Attendees[0].Name), Email: inv.Attendees[0].Email, Role: "REQ-PARTICIPANT"}},
		}
		if inv.Method == calendar.MethodRequest {
			want.Attendees[0].PartStat, want.Attendees[0].RSVP = "NEEDS-ACTION", "TRUE"
		}
		want.StartTZID = got.StartTZID // UTC or zone, checked in TestInstants
		if !got.Start.Equal(want.Start) || !got.End.Equal(want.End) {
			t.Fatalf("times read back as %s–%s, want %s–%s", got.Start, got.End, want.Start, want.End)
		}
		if diff := cmp.Diff(want, got, timeEqual); diff != "" {
			t.Fatalf("read back (-want +got):\n%s\n%s", diff, b)
		}
	})
}

package calendar_test

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/calendar"
	"hireloop/internal/hiring"
)

// newInvite returns a valid invitation to a technical interview in Berlin.
func newInvite(tb testing.TB) calendar.Invite {
	tb.Helper()
	berlin := MustLoadLocation(tb, "Europe/Berlin")
	return calendar.Invite{
		UID:         "interview-42@jobs.example.com",
		Method:      calendar.MethodRequest,
		Summary:     "Technical interview: Site Reliability Engineer",
		Description: "Ninety minutes with two engineers.",
		Location:    "Video call",
		URL:         "https://meet.example.com/abc-defg-hij",
		Start:       time.Date(2025, 6, 17, 14, 0, 0, 0, berlin),
		Duration:    90 * time.Minute,
		TZID:        "Europe/Berlin",
		Organizer:   calendar.Attendee{Name: "Rita Recruiter", Email: "rita@example.com"},
		Attendees: []calendar.Attendee{
			{Name: "Zoë Candidate", Email: "zoe@example.org", Role: calendar.RoleRequired},
			{Name: "Ian Interviewer", Email: "ian@example.com", Role: calendar.RoleOptional},
		},
		Created: time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC),
		Stamp:   time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC),
	}
}

func TestRequestRescheduleCancel(t *testing.T) {
	berlin := MustLoadLocation(t, "Europe/Berlin")
	inv := newInvite(t)
	request := MustParseBoth(t, MustBytes(t, inv))

	inv.Sequence++
	inv.Start = time.Date(2025, 6, 19, 10, 30, 0, 0, berlin)
	inv.Stamp = inv.Stamp.Add(48 * time.Hour)
	reschedule := MustParseBoth(t, MustBytes(t, inv))

	inv.Sequence++
	inv.Method = calendar.MethodCancel
	inv.Status = ""
	inv.Stamp = inv.Stamp.Add(24 * time.Hour)
	cancel := MustParseBoth(t, MustBytes(t, inv))

	t.Run("RequestInvitesEveryoneToReply", func(t *testing.T) {
		want := parsed{
			Method: "REQUEST", UID: "interview-42@jobs.example.com", Status: "CONFIRMED", Sequence: 0,
			Summary: "Technical interview: Site Reliability Engineer", Description: "Ninety minutes with two engineers.",
			Location: "Video call", URL: "https://meet.example.com/abc-defg-hij",
			Start: time.Date(2025, 6, 17, 12, 0, 0, 0, time.UTC), End: time.Date(2025, 6, 17, 13, 30, 0, 0, time.UTC),
			StartTZID: "Europe/Berlin",
			Organizer: person{Email: "rita@example.com", Name: "Rita Recruiter"},
			Attendees: []person{
				{Email: "zoe@example.org", Name: "Zoë Candidate", Role: "REQ-PARTICIPANT", PartStat: "NEEDS-ACTION", RSVP: "TRUE"},
				{Email: "ian@example.com", Name: "Ian Interviewer", Role: "OPT-PARTICIPANT", PartStat: "NEEDS-ACTION", RSVP: "TRUE"},
			},
		}
		if diff := cmp.Diff(want, request, timeEqual); diff != "" {
			t.Errorf("request (-want +got):\n%s", diff)
		}
	})
	t.Run("RescheduleKeepsUIDAndRaisesSequence", func(t *testing.T) {
		if reschedule.UID != request.UID || reschedule.Sequence != request.Sequence+1 || reschedule.Method != "REQUEST" {
			t.Errorf("reschedule UID %q sequence %d method %s; want UID %q sequence %d REQUEST",
				reschedule.UID, reschedule.Sequence, reschedule.Method, request.UID, request.Sequence+1)
		}
		if want := time.Date(2025, 6, 19, 8, 30, 0, 0, time.UTC); !reschedule.Start.Equal(want) {
			t.Errorf("rescheduled start %s, want %s", reschedule.Start, want)
		}
	})
	t.Run("CancelKeepsUIDWithHigherSequence", func(t *testing.T) {
		if cancel.UID != request.UID || cancel.Sequence != reschedule.Sequence+1 {
			t.Errorf("cancel UID %q sequence %d; want UID %q sequence %d", cancel.UID, cancel.Sequence, request.UID, reschedule.Sequence+1)
		}
		if cancel.Method != "CANCEL" || cancel.Status != "CANCELLED" {
			t.Errorf("cancel method %s status %s; want CANCEL and CANCELLED", cancel.Method, cancel.Status)
		}
		for _, a := range cancel.Attendees {
			if a.RSVP != "" || a.PartStat != "" {
				t.Errorf("cancel asks %s for a reply (RSVP %q, PARTSTAT %q)", a.Email, a.RSVP, a.PartStat)
			}
		}
		if len(cancel.Attendees) != 2 {
			t.Errorf("cancel names %d attendees, want both", len(cancel.Attendees))
		}
	})
}

var timeEqual = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

func TestInstants(t *testing.T) {
	berlin := MustLoadLocation(t, "Europe/Berlin")
	newYork := MustLoadLocation(t, "America/New_York")
	utc := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, time.UTC) }
	tests := []struct {
		name      string
		tzid      string
		start     time.Time
		duration  time.Duration
		wantStart time.Time
		wantEnd   time.Time
		wantLocal string // DTSTART as written
	}{
		// Clocks in Berlin go forward on Sunday 30 March 2025 at 02:00.
		{"BerlinBeforeDaylightSaving", "Europe/Berlin", time.Date(2025, 3, 28, 10, 0, 0, 0, berlin), time.Hour,
			utc(2025, 3, 28, 9, 0), utc(2025, 3, 28, 10, 0), "DTSTART;TZID=Europe/Berlin:20250328T100000"},
		{"BerlinAfterDaylightSaving", "Europe/Berlin", time.Date(2025, 3, 31, 10, 0, 0, 0, berlin), time.Hour,
			utc(2025, 3, 31, 8, 0), utc(2025, 3, 31, 9, 0), "DTSTART;TZID=Europe/Berlin:20250331T100000"},
		{"BerlinAcrossTheChangeLastsOneHour", "Europe/Berlin", time.Date(2025, 3, 30, 1, 30, 0, 0, berlin), time.Hour,
			utc(2025, 3, 30, 0, 30), utc(2025, 3, 30, 1, 30), "DTSTART;TZID=Europe/Berlin:20250330T013000"},
		{"BerlinAfterClocksGoBack", "Europe/Berlin", time.Date(2025, 10, 27, 9, 0, 0, 0, berlin), time.Hour,
			utc(2025, 10, 27, 8, 0), utc(2025, 10, 27, 9, 0), "DTSTART;TZID=Europe/Berlin:20251027T090000"},
		// New York moves to daylight-saving time on 9 March 2025.
		{"NewYorkBeforeDaylightSaving", "America/New_York", time.Date(2025, 3, 7, 10, 0, 0, 0, newYork), 30 * time.Minute,
			utc(2025, 3, 7, 15, 0), utc(2025, 3, 7, 15, 30), "DTSTART;TZID=America/New_York:20250307T100000"},
		{"NewYorkAfterDaylightSaving", "America/New_York", time.Date(2025, 3, 10, 10, 0, 0, 0, newYork), 30 * time.Minute,
			utc(2025, 3, 10, 14, 0), utc(2025, 3, 10, 14, 30), "DTSTART;TZID=America/New_York:20250310T100000"},
		{"UTCIsWrittenWithZ", "UTC", utc(2025, 3, 10, 14, 0), time.Hour,
			utc(2025, 3, 10, 14, 0), utc(2025, 3, 10, 15, 0), "DTSTART:20250310T140000Z"},
		{"StartGivenInAnotherZoneIsShownInTheInterviewZone", "America/New_York", utc(2025, 7, 1, 14, 0), time.Hour,
			utc(2025, 7, 1, 14, 0), utc(2025, 7, 1, 15, 0), "DTSTART;TZID=America/New_York:20250701T100000"},
		// 02:30 on 26 October 2025 happens twice in Berlin; the second one
		// cannot be named by its local reading.
		{"SecondOfTheRepeatedHourIsWrittenInUTC", "Europe/Berlin", utc(2025, 10, 26, 1, 30), time.Hour,
			utc(2025, 10, 26, 1, 30), utc(2025, 10, 26, 2, 30), "DTSTART:20251026T013000Z"},
		{"FirstOfTheRepeatedHourIsWrittenInUTC", "Europe/Berlin", utc(2025, 10, 26, 0, 30), time.Hour,
			utc(2025, 10, 26, 0, 30), utc(2025, 10, 26, 1, 30), "DTSTART:20251026T003000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := newInvite(t)
			inv.TZID, inv.Start, inv.Duration = tt.tzid, tt.start, tt.duration
			b := MustBytes(t, inv)
			got := MustParseBoth(t, b)
			if !got.Start.Equal(tt.wantStart) || !got.End.Equal(tt.wantEnd) {
				t.Errorf("parsed %s–%s, want %s–%s", got.Start.UTC(), got.End.UTC(), tt.wantStart, tt.wantEnd)
			}
			if !bytes.Contains(b, []byte("\r\n"+tt.wantLocal+"\r\n")) {
				t.Errorf("no line %q in\n%s", tt.wantLocal, b)
			}
			hasZone := bytes.Contains(b, []byte("BEGIN:VTIMEZONE"))
			if hasZone != (tt.tzid != "UTC") {
				t.Errorf("VTIMEZONE present %v for %s", hasZone, tt.tzid)
			}
			if got.StartTZID != "" {
				// A client that reads only the VTIMEZONE must find the same instant.
				loc := MustLoadLocation(t, tt.tzid)
				local := tt.wantStart.In(loc)
				off := MustReadZone(t, b, tt.tzid)(local)
				if _, want := local.Zone(); off != want {
					t.Errorf("VTIMEZONE gives offset %d at %s, want %d", off, local, want)
				}
			}
		})
	}
}

func TestEndInTheRepeatedHourIsWrittenInUTC(t *testing.T) {
	inv := newInvite(t)
	inv.Start = time.Date(2025, 10, 25, 23, 30, 0, 0, time.UTC) // 01:30 summer time in Berlin
	inv.Duration = time.Hour                                    // ends at the first 02:30
	b := MustBytes(t, inv)
	if want := "\r\nDTEND:20251026T003000Z\r\n"; !bytes.Contains(b, []byte(want)) {
		t.Errorf("no line %q in\n%s", strings.TrimSpace(want), b)
	}
}

func TestTimezoneDefinitionMatchesZoneData(t *testing.T) {
	zones := []string{
		"Europe/Berlin", "America/New_York", "Europe/London", "Europe/Dublin", "Australia/Sydney",
		"Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "America/Santiago", "Asia/Jerusalem",
		"Africa/Casablanca", "America/Sao_Paulo", "Asia/Tokyo", "Asia/Kolkata", "Etc/GMT+5", "Pacific/Apia",
	}
	for _, zone := range zones {
		for _, year := range []int{2019, 2025, 2030} {
			loc := MustLoadLocation(t, zone)
			inv := newInvite(t)
			inv.TZID = zone
			inv.Start = time.Date(year, 7, 1, 12, 0, 0, 0, loc)
			offsetAt := MustReadZone(t, MustBytes(t, inv), zone)
			// Every day of the year at 06:00 and 12:00, far from the hours
			// when clocks change.
			for d := time.Date(year, 1, 1, 6, 0, 0, 0, loc); d.Year() == year; d = d.AddDate(0, 0, 1) {
				for _, hour := range []int{6, 12} {
					local := time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, loc)
					_, want := local.Zone()
					if got := offsetAt(local); got != want {
						t.Fatalf("%s %d: VTIMEZONE gives offset %d at %s, zone data %d", zone, year, got, local, want)
					}
				}
			}
		}
	}
}

func TestTextRoundTrips(t *testing.T) {
	inv := newInvite(t)
	inv.Summary = "Interview, part 2; with Zoë — bring \\ notes"
	inv.Description = "Agenda:\r\n1. Intro, 5 min; 2. Design\n3. Questions: yours\r\n\tIndented; ✓ 日本語"
	inv.Location = "Room 3, Floor 2; Müllerstraße 1, Berlin"
	got := MustParseBoth(t, MustBytes(t, inv))
	want := map[string]string{
		"summary":     inv.Summary,
		"description": "Agenda:\n1. Intro, 5 min; 2. Design\n3. Questions: yours\n\tIndented; ✓ 日本語",
		"location":    inv.Location,
	}
	gotText := map[string]string{"summary": got.Summary, "description": got.Description, "location": got.Location}
	if diff := cmp.Diff(want, gotText); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

func TestNamesInParameters(t *testing.T) {
	tests := []struct {
		name, give, want string
	}{
		{"CommaAndApostropheKept", "O'Brien, Pat", "O'Brien, Pat"},
		{"SemicolonAndColonKept", "Dr. Who; Time: Lord", "Dr. Who; Time: Lord"},
		{"NonASCIIKept", "Zoë Ågren-Łukasz 田中", "Zoë Ågren-Łukasz 田中"},
		{"DoubleQuoteBecomesApostrophe", `Bob "The Builder"`, "Bob 'The Builder'"},
		{"BackslashBecomesSlash", `Domain\user`, "Domain/user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := newInvite(t)
			inv.Organizer.Name = tt.give
			inv.Attendees[0].Name = tt.give
			got := MustParseBoth(t, MustBytes(t, inv))
			if got.Organizer.Name != tt.want || got.Attendees[0].Name != tt.want {
				t.Errorf("names read back as %q and %q, want %q", got.Organizer.Name, got.Attendees[0].Name, tt.want)
			}
		})
	}
	t.Run("NoNameMeansNoCN", func(t *testing.T) {
		inv := newInvite(t)
		inv.Attendees[0].Name = ""
		b := MustBytes(t, inv)
		if bytes.Contains(b, []byte("ATTENDEE;CN=\"\"")) {
			t.Errorf("empty CN written:\n%s", b)
		}
		if got := MustParseBoth(t, b); got.Attendees[0].Email != "zoe@example.org" || got.Attendees[0].Name != "" {
			t.Errorf("attendee read back as %+v", got.Attendees[0])
		}
	})
}

// checkLines asserts the RFC 5545 line format: CRLF ends, at most 75 octets,
// no UTF-8 sequence split between lines.
func checkLines(tb testing.TB, b []byte) {
	tb.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		tb.Errorf("does not end with CRLF")
	}
	if n := bytes.Count(b, []byte("\n")); n != bytes.Count(b, []byte("\r\n")) || n != bytes.Count(b, []byte("\r")) {
		tb.Errorf("line ends are not all CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if len(line) > 75 {
			tb.Errorf("line %d has %d octets: %q", i+1, len(line), line)
		}
		if !utf8.ValidString(line) {
			tb.Errorf("line %d splits a character: %q", i+1, line)
		}
	}
}

func TestLongLinesAreFolded(t *testing.T) {
	inv := newInvite(t)
	inv.Summary = strings.Repeat("Zoë’s interview, ", 9)
	inv.Description = strings.Repeat("Ünïcödé; text, with commas — and more 日本語. ", 40)
	inv.URL = "https://meet.example.com/" + strings.Repeat("a", 150) + "?pwd=" + strings.Repeat("b", 50)
	inv.Attendees[0].Name = strings.Repeat("Zoë ", 40)
	b := MustBytes(t, inv)
	checkLines(t, b)
	if !bytes.Contains(b, []byte("\r\n ")) {
		t.Fatalf("nothing folded:\n%s", b)
	}
	got := MustParseBoth(t, b)
	if got.Summary != strings.TrimSpace(inv.Summary) || got.Description != strings.TrimSpace(inv.Description) || got.URL != inv.URL {
		t.Errorf("folded text did not read back:\nsummary %q\ndescription %q\nurl %q", got.Summary, got.Description, got.URL)
	}
	if want := strings.TrimSpace(inv.Attendees[0].Name); got.Attendees[0].Name != want {
		t.Errorf("folded name read back as %q, want %q", got.Attendees[0].Name, want)
	}
}

func TestHeader(t *testing.T) {
	b := MustBytes(t, newInvite(t))
	checkLines(t, b)
	for _, line := range []string{
		"BEGIN:VCALENDAR", "PRODID:-//hireloop//EN", "VERSION:2.0", "METHOD:REQUEST",
		"BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "BEGIN:DAYLIGHT", "BEGIN:STANDARD",
		"DTSTAMP:20250601T090000Z", "CREATED:20250601T090000Z", "UID:interview-42@jobs.example.com",
		"SEQUENCE:0", "STATUS:CONFIRMED", "END:VCALENDAR",
	} {
		if !bytes.Contains(b, []byte(line+"\r\n")) {
			t.Errorf("no line %q in\n%s", line, b)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*calendar.Invite)
		field  string
	}{
		{"UnknownZone", func(i *calendar.Invite) { i.TZID = "Mars/Olympus_Mons" }, "tzid"},
		{"EmptyZone", func(i *calendar.Invite) { i.TZID = "" }, "tzid"},
		{"ServerLocalZone", func(i *calendar.Invite) { i.TZID = "Local" }, "tzid"},
		{"ZoneThatIsAPath", func(i *calendar.Invite) { i.TZID = "../../etc/passwd" }, "tzid"},
		{"ZoneWithQuote", func(i *calendar.Invite) { i.TZID = `Europe/Berlin"` }, "tzid"},
		{"MissingUID", func(i *calendar.Invite) { i.UID = " " }, "uid"},
		{"UIDOnTwoLines", func(i *calendar.Invite) { i.UID = "a\nb@example.com" }, "uid"},
		{"NegativeSequence", func(i *calendar.Invite) { i.Sequence = -1 }, "sequence"},
		{"UnknownMethod", func(i *calendar.Invite) { i.Method = "PUBLISH" }, "method"},
		{"RequestMarkedCancelled", func(i *calendar.Invite) { i.Status = "CANCELLED" }, "status"},
		{"CancelMarkedConfirmed", func(i *calendar.Invite) { i.Method, i.Status = "CANCEL", "CONFIRMED" }, "status"},
		{"MissingSummary", func(i *calendar.Invite) { i.Summary = "" }, "summary"},
		{"SummaryTooLong", func(i *calendar.Invite) { i.Summary = strings.Repeat("x", 201) }, "summary"},
		{"SummaryNotText", func(i *calendar.Invite) { i.Summary = "bad \xff byte" }, "summary"},
		{"DescriptionWithControlCharacter", func(i *calendar.Invite) { i.Description = "bell\a" }, "description"},
		{"URLNotWeb", func(i *calendar.Invite) { i.URL = "javascript:alert(1)" }, "url"},
		{"URLRelative", func(i *calendar.Invite) { i.URL = "/meet/1" }, "url"},
		{"URLWithSpace", func(i *calendar.Invite) { i.URL = "https://example.com/a b" }, "url"},
		{"ZeroStart", func(i *calendar.Invite) { i.Start = time.Time{} }, "start"},
		{"StartBeyondYear9998", func(i *calendar.Invite) { i.Start = time.Date(9999, 6, 1, 0, 0, 0, 0, time.UTC) }, "start"},
		{"ZeroDuration", func(i *calendar.Invite) { i.Duration = 0 }, "duration"},
		{"DurationOverADay", func(i *calendar.Invite) { i.Duration = 25 * time.Hour }, "duration"},
		{"ZeroStamp", func(i *calendar.Invite) { i.Stamp = time.Time{} }, "stamp"},
		{"OrganizerWithoutEmail", func(i *calendar.Invite) { i.Organizer.Email = "" }, "organizer.email"},
		{"OrganizerNameOnTwoLines", func(i *calendar.Invite) { i.Organizer.Name = "Rita\nRecruiter" }, "organizer.name"},
		{"NoAttendees", func(i *calendar.Invite) { i.Attendees = nil }, "attendees"},
		{"AttendeeEmailWithName", func(i *calendar.Invite) { i.Attendees[1].Email = "Ian <ian@example.com>" }, "attendees[1].email"},
		{"AttendeeUnknownRole", func(i *calendar.Invite) { i.Attendees[0].Role = "CHAIR" }, "attendees[0].role"},
		{"AttendeeTwice", func(i *calendar.Invite) { i.Attendees[1].Email = "ZOE@example.org" }, "attendees[1].email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := newInvite(t)
			tt.change(&inv)
			err := inv.Validate()
			if hiring.ErrorCode(err) != hiring.EINVALID || hiring.ErrorFields(err)[tt.field] == "" {
				t.Fatalf("Validate = %v (fields %v), want a message for %s", err, hiring.ErrorFields(err), tt.field)
			}
			if b, err := inv.Bytes(); err == nil || b != nil {
				t.Errorf("Bytes wrote %d bytes despite the wrong %s", len(b), tt.field)
			}
		})
	}
	t.Run("NamesEveryWrongField", func(t *testing.T) {
		inv := calendar.Invite{Attendees: []calendar.Attendee{{Email: "x"}}}
		fields := hiring.ErrorFields(inv.Validate())
		for _, f := range []string{"uid", "method", "summary", "tzid", "start", "duration", "stamp", "organizer.email", "attendees[0].email"} {
			if fields[f] == "" {
				t.Errorf("no message for %s; got %v", f, fields)
			}
		}
	})
	t.Run("NilInviteIsAnError", func(t *testing.T) {
		var inv *calendar.Invite
		if _, err := inv.Bytes(); hiring.ErrorCode(err) != hiring.EINVALID {
			t.Errorf("Bytes on nil = %v, want an invalid-input error", err)
		}
	})
}

func TestValidateNormalises(t *testing.T) {
	inv := newInvite(t)
	inv.Method = " cancel "
	inv.Status = ""
	inv.TZID = " Europe/Berlin "
	inv.Organizer.Email = " Rita@Example.COM "
	inv.Attendees[0].Role = ""
	inv.Attendees[1].Role = "opt-participant"
	if err := inv.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	got := []string{inv.Method, inv.Status, inv.TZID, inv.Organizer.Email, inv.Attendees[0].Role, inv.Attendees[1].Role}
	want := []string{"CANCEL", "CANCELLED", "Europe/Berlin", "rita@example.com", "REQ-PARTICIPANT", "OPT-PARTICIPANT"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("normalised (-want +got):\n%s", diff)
	}
}

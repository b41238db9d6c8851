package mail_test

import (
	"testing"
	"time"

	"hireloop/internal/mail"
	"hireloop/internal/mail/mailtest"
)

// sendDate is the fixed clock of the test senders.
var sendDate = time.Date(2026, time.March, 3, 9, 30, 0, 0, time.FixedZone("CET", 3600))

// testConfig reaches srv in clear text. The timeout is long on purpose: a
// test that passes must not owe it to a timeout.
func testConfig(srv *mailtest.Server) mail.Config {
	return mail.Config{
		Host:    srv.Host(),
		Port:    srv.Port(),
		From:    "hireloop <jobs@hireloop.test>",
		TLS:     mail.TLSNone,
		Timeout: time.Minute,
		Now:     func() time.Time { return sendDate },
	}
}

func MustSender(tb testing.TB, cfg mail.Config) *mail.SMTPSender {
	tb.Helper()
	s, err := mail.NewSMTPSender(cfg)
	if err != nil {
		tb.Fatalf("NewSMTPSender: %v", err)
	}
	return s
}

// MustReceiveOne waits for the first message on srv.
func MustReceiveOne(tb testing.TB, srv *mailtest.Server) mailtest.Received {
	tb.Helper()
	got := srv.WaitFor(tb, 1, 10*time.Second)[0]
	if got.ParseErr != nil {
		tb.Fatalf("received message does not parse: %v\n%s", got.ParseErr, got.Raw)
	}
	return got
}

func plainMessage() *mail.Message {
	return &mail.Message{
		To:        "candidate@example.com",
		ToName:    "Sam Candidate",
		Subject:   "We received your application",
		Text:      "Hello Sam,\n\nthank you for applying.\n",
		MessageID: "outbox-1",
	}
}

// invite is a minimal iCalendar invitation, enough to check how it travels;
// producing real invitations is another package's job.
const invite = "BEGIN:VCALENDAR\r\n" +
	"VERSION:2.0\r\n" +
	"PRODID:-//hireloop//test//EN\r\n" +
	"METHOD:REQUEST\r\n" +
	"BEGIN:VEVENT\r\n" +
	"UID:interview-7@hireloop.test\r\n" +
	"SEQUENCE:0\r\n" +
	"DTSTAMP:20260303T083000Z\r\n" +
	"DTSTART:20260310T140000Z\r\n" +
	"DTEND:20260310T150000Z\r\n" +
	"SUMMARY:Technical interview\r\n" +
	"ORGANIZER:mailto:jobs@hireloop.test\r\n" +
	"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:candidate@example.com\r\n" +
	"END:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

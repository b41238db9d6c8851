package mail_test

import (
	"bytes"
	"context"
	"errors"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/mail"
	"hireloop/internal/mail/mailtest"
)

func TestSendDeliversMessage(t *testing.T) {
	t.Run("PlainTextWithEnvelopeAndHeaders", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		if err := s.Send(context.Background(), plainMessage()); err != nil {
			t.Fatalf("Send: %v", err)
		}
		got := MustReceiveOne(t, srv)

		if got.From != "jobs@hireloop.test" {
			t.Errorf("envelope from = %q, want jobs@hireloop.test", got.From)
		}
		if diff := cmp.Diff([]string{"candidate@example.com"}, got.To); diff != "" {
			t.Errorf("envelope recipients (-want +got):\n%s", diff)
		}
		wantFrom := []*netmail.Address{{Name: "hireloop", Address: "jobs@hireloop.test"}}
		if diff := cmp.Diff(wantFrom, got.AddressList("From")); diff != "" {
			t.Errorf("From header (-want +got):\n%s", diff)
		}
		wantTo := []*netmail.Address{{Name: "Sam Candidate", Address: "candidate@example.com"}}
		if diff := cmp.Diff(wantTo, got.AddressList("To")); diff != "" {
			t.Errorf("To header (-want +got):\n%s", diff)
		}
		if got.Subject != "We received your application" {
			t.Errorf("Subject = %q", got.Subject)
		}
		if got.MessageID != "<outbox-1@hireloop.test>" {
			t.Errorf("Message-ID = %q, want the caller's id on the sender's domain", got.MessageID)
		}
		date, err := got.Header.Date()
		if err != nil {
			t.Fatalf("Date header: %v", err)
		}
		if !date.Equal(sendDate) {
			t.Errorf("Date = %v, want the sender's clock %v", date, sendDate)
		}
		if got.Text != "Hello Sam,\n\nthank you for applying.\n" {
			t.Errorf("text body = %q", got.Text)
		}
		if got.HTML != "" || len(got.Parts) != 1 {
			t.Errorf("a text-only message has %d parts and HTML %q, want one text part", len(got.Parts), got.HTML)
		}
	})

	t.Run("UnicodeSubjectAndNameRoundTrip", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		m := plainMessage()
		m.ToName = "Zoë Ångström"
		m.Subject = "Zoë, your interview — Mittwoch 14:00 ✓"
		m.Text = "Grüße, Zoë! 面接の日程\n"
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send: %v", err)
		}
		got := MustReceiveOne(t, srv)
		if got.Subject != m.Subject {
			t.Errorf("Subject = %q, want %q", got.Subject, m.Subject)
		}
		if to := got.AddressList("To"); len(to) != 1 || to[0].Name != "Zoë Ångström" {
			t.Errorf("To header = %v, want the name Zoë Ångström", to)
		}
		if got.Text != m.Text {
			t.Errorf("text body = %q, want %q", got.Text, m.Text)
		}
		header, _, _ := bytes.Cut(got.Raw, []byte("\r\n\r\n"))
		for _, b := range header {
			if b >= 0x80 {
				t.Fatalf("header carries raw non-ASCII bytes instead of RFC 2047 words:\n%s", header)
			}
		}
	})

	t.Run("HTMLAsAlternative", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		m := plainMessage()
		m.HTML = "<p>Hello Sam,</p><p>thank you for applying.</p>"
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send: %v", err)
		}
		got := MustReceiveOne(t, srv)
		if !strings.HasPrefix(got.Header.Get("Content-Type"), "multipart/alternative") {
			t.Errorf("Content-Type = %q, want multipart/alternative", got.Header.Get("Content-Type"))
		}
		if got.Text != m.Text {
			t.Errorf("text body = %q, want %q", got.Text, m.Text)
		}
		if got.HTML != m.HTML {
			t.Errorf("HTML body = %q, want %q", got.HTML, m.HTML)
		}
	})

	t.Run("CalendarInvitationInlineAndAttached", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		m := plainMessage()
		m.Subject = "Invitation: technical interview"
		m.HTML = "<p>See you on Tuesday.</p>"
		m.Calendar = &mail.Calendar{Method: "REQUEST", Data: []byte(invite)}
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send: %v", err)
		}
		got := MustReceiveOne(t, srv)

		cals := got.PartsOf("text/calendar")
		if len(cals) != 2 {
			t.Fatalf("found %d text/calendar parts, want an inline one and an attachment", len(cals))
		}
		var inline, attached int
		for _, p := range cals {
			if p.Params["method"] != "REQUEST" {
				t.Errorf("calendar part method = %q, want REQUEST (header %q)", p.Params["method"], p.Header.Get("Content-Type"))
			}
			if !strings.EqualFold(p.Params["charset"], "utf-8") {
				t.Errorf("calendar part charset = %q, want UTF-8", p.Params["charset"])
			}
			if string(p.Body) != invite {
				t.Errorf("calendar part body differs from what was sent:\n%q", p.Body)
			}
			switch p.Disposition {
			case "attachment":
				attached++
				if p.Filename != "invite.ics" {
					t.Errorf("attachment file name = %q, want invite.ics", p.Filename)
				}
			case "":
				inline++
			}
		}
		if inline != 1 || attached != 1 {
			t.Errorf("inline calendar parts = %d, attached = %d, want 1 and 1", inline, attached)
		}
		if got.Text != m.Text || got.HTML != m.HTML {
			t.Errorf("text %q and HTML %q should travel beside the invitation", got.Text, got.HTML)
		}
	})

	t.Run("AttachmentsKeepNameTypeAndBytes", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		m := plainMessage()
		pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0, 0xff, 0x80, '\r', '\n'}, 300)...)
		m.Attachments = []mail.Attachment{
			{Filename: "Lebenslauf Zoë.pdf", ContentType: "application/pdf", Data: pdf},
			{Filename: "notes.txt", Data: []byte("plain notes\n")},
		}
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send: %v", err)
		}
		got := MustReceiveOne(t, srv)
		atts := got.Attachments()
		if len(atts) != 2 {
			t.Fatalf("found %d attachments, want 2", len(atts))
		}
		if atts[0].Filename != "Lebenslauf Zoë.pdf" || atts[0].MediaType != "application/pdf" || !bytes.Equal(atts[0].Body, pdf) {
			t.Errorf("first attachment = %q %q (%d bytes), want the PDF unchanged", atts[0].Filename, atts[0].MediaType, len(atts[0].Body))
		}
		if atts[1].Filename != "notes.txt" || atts[1].MediaType != "text/plain" || string(atts[1].Body) != "plain notes\n" {
			t.Errorf("second attachment = %q %q %q, want notes.txt as text/plain", atts[1].Filename, atts[1].MediaType, atts[1].Body)
		}
		if got.Text != m.Text {
			t.Errorf("text body = %q, want %q", got.Text, m.Text)
		}
	})

	t.Run("ExtraHeadersAndReplyTo", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		m := plainMessage()
		m.ReplyTo = "recruiter@hireloop.test"
		m.Headers = map[string]string{
			"X-Hireloop-Application": "app-17",
			"List-Unsubscribe":       "<https://jobs.hireloop.test/u/abc>",
		}
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send: %v", err)
		}
		got := MustReceiveOne(t, srv)
		if v := got.Header.Get("X-Hireloop-Application"); v != "app-17" {
			t.Errorf("X-Hireloop-Application = %q", v)
		}
		if v := got.Header.Get("List-Unsubscribe"); v != "<https://jobs.hireloop.test/u/abc>" {
			t.Errorf("List-Unsubscribe = %q", v)
		}
		if rt := got.AddressList("Reply-To"); len(rt) != 1 || rt[0].Address != "recruiter@hireloop.test" {
			t.Errorf("Reply-To = %v", rt)
		}
	})

	t.Run("MessageIDForms", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		ids := []string{"outbox-9", "<outbox-10@mail.hireloop.test>", ""}
		for _, id := range ids {
			m := plainMessage()
			m.MessageID = id
			if err := s.Send(context.Background(), m); err != nil {
				t.Fatalf("Send with id %q: %v", id, err)
			}
		}
		got := srv.WaitFor(t, 3, 10*time.Second)
		if got[0].MessageID != "<outbox-9@hireloop.test>" {
			t.Errorf("bare id became %q, want it on the sender's domain", got[0].MessageID)
		}
		if got[1].MessageID != "<outbox-10@mail.hireloop.test>" {
			t.Errorf("full id became %q, want it unchanged", got[1].MessageID)
		}
		if !strings.HasPrefix(got[2].MessageID, "<") || !strings.HasSuffix(got[2].MessageID, "@hireloop.test>") || len(got[2].MessageID) < 20 {
			t.Errorf("generated id = %q, want a random id on the sender's domain", got[2].MessageID)
		}
	})
}

func TestValidateRefusesBadMessages(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *mail.Message)
		want   string
	}{
		{"EmptyRecipient", func(m *mail.Message) { m.To = "" }, "recipient address is empty"},
		{"RecipientWithoutDomain", func(m *mail.Message) { m.To = "sam@" }, `recipient address "sam@"`},
		{"RecipientWithName", func(m *mail.Message) { m.To = "Sam <sam@example.com>" }, "recipient address"},
		{"TwoRecipients", func(m *mail.Message) { m.To = "a@example.com, b@example.com" }, "recipient address"},
		{"BadReplyTo", func(m *mail.Message) { m.ReplyTo = "nobody" }, "reply-to address"},
		{"NameWithNewline", func(m *mail.Message) { m.ToName = "Sam\r\nBcc: x@example.com" }, "recipient name must be a single line"},
		{"EmptySubject", func(m *mail.Message) { m.Subject = "  " }, "subject is empty"},
		{"SubjectWithNewline", func(m *mail.Message) { m.Subject = "Hi\nBcc: x@example.com" }, "subject must be a single line"},
		{"EmptyText", func(m *mail.Message) { m.Text = "" }, "text body is empty"},
		{"TextNotUTF8", func(m *mail.Message) { m.Text = "caf\xe9" }, "not valid UTF-8"},
		{"MessageIDWithSpace", func(m *mail.Message) { m.MessageID = "out box@hireloop.test" }, "message ID"},
		{"MessageIDTwoAts", func(m *mail.Message) { m.MessageID = "a@b@c" }, "message ID"},
		{"ReservedHeader", func(m *mail.Message) { m.Headers = map[string]string{"bcc": "x@example.com"} }, `header "bcc" is set by the message itself`},
		{"HeaderNameWithColon", func(m *mail.Message) { m.Headers = map[string]string{"X-A:B": "1"} }, "header name"},
		{"HeaderValueWithNewline", func(m *mail.Message) { m.Headers = map[string]string{"X-A": "1\r\nBcc: x@example.com"} }, "single line"},
		{"AttachmentWithoutName", func(m *mail.Message) { m.Attachments = []mail.Attachment{{Data: []byte("x")}} }, "attachment 1 has no file name"},
		{"EmptyAttachment", func(m *mail.Message) { m.Attachments = []mail.Attachment{{Filename: "cv.pdf"}} }, `attachment "cv.pdf" is empty`},
		{"AttachmentBadType", func(m *mail.Message) {
			m.Attachments = []mail.Attachment{{Filename: "cv.pdf", ContentType: "pdf please", Data: []byte("x")}}
		}, "invalid content type"},
		{"CalendarWithoutMethod", func(m *mail.Message) { m.Calendar = &mail.Calendar{Data: []byte(invite)} }, "calendar method is empty"},
		{"CalendarLowercaseMethod", func(m *mail.Message) { m.Calendar = &mail.Calendar{Method: "request", Data: []byte(invite)} }, "not an iTIP method"},
		{"CalendarNotICS", func(m *mail.Message) { m.Calendar = &mail.Calendar{Method: "REQUEST", Data: []byte("hello")} }, "BEGIN:VCALENDAR"},
		{"CalendarMethodMismatch", func(m *mail.Message) { m.Calendar = &mail.Calendar{Method: "CANCEL", Data: []byte(invite)} }, "does not match METHOD:REQUEST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := plainMessage()
			tt.change(m)
			err := m.Validate()
			if err == nil {
				t.Fatal("Validate accepted the message")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to mention %q", err, tt.want)
			}
			if !errors.Is(err, mail.ErrInvalid) || !mail.Permanent(err) {
				t.Errorf("error %q should wrap ErrInvalid and be permanent", err)
			}
		})
	}

	t.Run("NilMessage", func(t *testing.T) {
		var m *mail.Message
		if err := m.Validate(); err == nil || !mail.Permanent(err) {
			t.Errorf("Validate(nil) = %v, want a permanent error", err)
		}
	})

	t.Run("InvalidMessageNeverReachesServer", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		m := plainMessage()
		m.To = "not an address"
		err := s.Send(context.Background(), m)
		if !mail.Permanent(err) || !errors.Is(err, mail.ErrInvalid) {
			t.Errorf("Send = %v, want a permanent ErrInvalid", err)
		}
		if n := srv.Connections(); n != 0 {
			t.Errorf("server saw %d connections for an invalid message, want 0", n)
		}
	})
}

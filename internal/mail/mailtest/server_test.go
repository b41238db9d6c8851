package mailtest_test

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/mail/mailtest"
)

// A message written by hand, so the parser is checked against something
// other than the sender it serves.
const handWritten = "From: Hiring <jobs@hireloop.test>\r\n" +
	"To: =?UTF-8?q?Zo=C3=AB?= <zoe@example.com>\r\n" +
	"Subject: =?UTF-8?b?w4RuZGVydW5n?=\r\n" +
	"Message-ID: <m1@hireloop.test>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=OUTER\r\n" +
	"\r\n" +
	"--OUTER\r\n" +
	"Content-Type: multipart/alternative; boundary=INNER\r\n" +
	"\r\n" +
	"--INNER\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Gr=C3=BC=C3=9Fe\r\n" +
	"--INNER\r\n" +
	"Content-Type: text/html; charset=UTF-8\r\n" +
	"\r\n" +
	"<p>Hi</p>\r\n" +
	"--INNER--\r\n" +
	"--OUTER\r\n" +
	"Content-Type: application/pdf; name=\"cv.pdf\"\r\n" +
	"Content-Disposition: attachment; filename=\"=?UTF-8?q?Lebenslauf_Zo=C3=AB.pdf?=\"\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"JVBERi0x\r\n" +
	"LjQK\r\n" +
	"--OUTER--\r\n"

func send(addr, to, body string) error {
	return smtp.SendMail(addr, nil, "jobs@hireloop.test", []string{to}, []byte(body))
}

func TestServerRecordsParsedMessages(t *testing.T) {
	srv := mailtest.Start(t)
	if err := send(srv.Addr(), "zoe@example.com", handWritten); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
	got := srv.WaitFor(t, 1, 10*time.Second)[0]
	if got.ParseErr != nil {
		t.Fatalf("ParseErr: %v", got.ParseErr)
	}
	if got.From != "jobs@hireloop.test" || !cmp.Equal(got.To, []string{"zoe@example.com"}) {
		t.Errorf("envelope = %q -> %q", got.From, got.To)
	}
	if got.Subject != "Änderung" || got.MessageID != "<m1@hireloop.test>" {
		t.Errorf("Subject = %q, Message-ID = %q", got.Subject, got.MessageID)
	}
	if to := got.AddressList("To"); len(to) != 1 || to[0].Name != "Zoë" {
		t.Errorf("To = %v", to)
	}
	if got.Text != "Grüße" || got.HTML != "<p>Hi</p>" {
		t.Errorf("Text = %q, HTML = %q", got.Text, got.HTML)
	}
	atts := got.Attachments()
	if len(atts) != 1 || atts[0].Filename != "Lebenslauf Zoë.pdf" || string(atts[0].Body) != "%PDF-1.4\n" {
		t.Errorf("attachments = %+v", atts)
	}
	if got.Raw == nil || !strings.Contains(string(got.Raw), "boundary=OUTER") {
		t.Error("Raw does not hold the message as sent")
	}
}

func TestServerFailsOnRequest(t *testing.T) {
	const msg = "Subject: hi\r\n\r\nhello\r\n"

	t.Run("RejectNextThenAccept", func(t *testing.T) {
		srv := mailtest.Start(t)
		srv.RejectNext(1, 451)
		var reply *textproto.Error
		if err := send(srv.Addr(), "a@example.com", msg); !errors.As(err, &reply) || reply.Code != 451 {
			t.Fatalf("first send = %v, want a 451 reply", err)
		}
		if err := send(srv.Addr(), "a@example.com", msg); err != nil {
			t.Fatalf("second send: %v", err)
		}
		if n, a := len(srv.Messages()), srv.Attempts(); n != 1 || a != 2 {
			t.Errorf("messages = %d, attempts = %d; want 1 and 2", n, a)
		}
	})

	t.Run("RefuseRecipient", func(t *testing.T) {
		srv := mailtest.Start(t)
		srv.RefuseRecipient("gone@example.com", 550)
		var reply *textproto.Error
		if err := send(srv.Addr(), "gone@example.com", msg); !errors.As(err, &reply) || reply.Code != 550 {
			t.Fatalf("send = %v, want a 550 reply", err)
		}
		if err := send(srv.Addr(), "here@example.com", msg); err != nil {
			t.Fatalf("send to another address: %v", err)
		}
	})

	t.Run("DropNext", func(t *testing.T) {
		srv := mailtest.Start(t)
		srv.DropNext(1)
		if err := send(srv.Addr(), "a@example.com", msg); err == nil {
			t.Fatal("send succeeded although the server dropped the connection")
		}
		if len(srv.Messages()) != 0 {
			t.Error("a dropped message was recorded")
		}
	})

	t.Run("StallNextHoldsUntilClose", func(t *testing.T) {
		srv := mailtest.Start(t)
		arrived := srv.StallNext(1)
		done := make(chan error, 1)
		go func() { done <- send(srv.Addr(), "a@example.com", msg) }()
		<-arrived
		select {
		case err := <-done:
			t.Fatalf("send returned while held: %v", err)
		default:
		}
		srv.Close()
		if err := <-done; err == nil {
			t.Error("a held message was accepted when the server closed")
		}
	})

	t.Run("AuthRequired", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.WithAuth("hireloop", "pw"))
		var reply *textproto.Error
		if err := send(srv.Addr(), "a@example.com", msg); !errors.As(err, &reply) || reply.Code != 530 {
			t.Fatalf("send without AUTH = %v, want a 530 reply", err)
		}
		auth := smtp.PlainAuth("", "hireloop", "pw", "127.0.0.1")
		if err := smtp.SendMail(srv.Addr(), auth, "jobs@hireloop.test", []string{"a@example.com"}, []byte(msg)); err != nil {
			t.Fatalf("send with AUTH: %v", err)
		}
		if got := srv.WaitFor(t, 1, 10*time.Second); got[0].AuthUser != "hireloop" {
			t.Errorf("AuthUser = %q", got[0].AuthUser)
		}
	})
}

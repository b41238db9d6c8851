package mail_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"hireloop/internal/mail"
	"hireloop/internal/mail/mailtest"
)

// MustClosedPort returns a loopback port on which nothing listens.
func MustClosedPort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listen: %v", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		tb.Fatalf("close: %v", err)
	}
	return port
}

func sendCode(err error) int {
	var e *mail.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return -1
}

func TestSendClassifiesFailures(t *testing.T) {
	t.Run("TemporaryRefusalIsNotPermanentAndRetrySucceeds", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		srv.RejectNext(1, 451)

		err := s.Send(context.Background(), plainMessage())
		if err == nil {
			t.Fatal("Send succeeded although the server refused with 451")
		}
		if mail.Permanent(err) || sendCode(err) != 451 {
			t.Errorf("error %q: permanent = %v, code = %d; want temporary 451", err, mail.Permanent(err), sendCode(err))
		}
		if err := s.Send(context.Background(), plainMessage()); err != nil {
			t.Fatalf("retry: %v", err)
		}
		got := srv.WaitFor(t, 1, 10*time.Second)
		if len(got) != 1 || got[0].MessageID != "<outbox-1@hireloop.test>" {
			t.Errorf("after the retry the server holds %d messages, want the one with the stable Message-ID", len(got))
		}
		if srv.Attempts() != 2 {
			t.Errorf("server saw %d attempts, want 2", srv.Attempts())
		}
	})

	t.Run("PermanentRefusalIsPermanent", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		srv.RejectNext(1, 554)
		err := s.Send(context.Background(), plainMessage())
		if !mail.Permanent(err) || sendCode(err) != 554 {
			t.Errorf("error %v: permanent = %v, code = %d; want permanent 554", err, mail.Permanent(err), sendCode(err))
		}
	})

	t.Run("UnknownRecipientIsPermanent", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		srv.RefuseRecipient("candidate@example.com", 550)
		err := s.Send(context.Background(), plainMessage())
		if !mail.Permanent(err) || sendCode(err) != 550 {
			t.Errorf("error %v: permanent = %v, code = %d; want permanent 550", err, mail.Permanent(err), sendCode(err))
		}
		if err != nil && !strings.Contains(err.Error(), "candidate@example.com") {
			t.Errorf("error %q should name the recipient", err)
		}
	})

	t.Run("FullMailboxIsTemporary", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		srv.RefuseRecipient("candidate@example.com", 452)
		err := s.Send(context.Background(), plainMessage())
		if err == nil || mail.Permanent(err) {
			t.Errorf("error %v, want a temporary failure", err)
		}
	})

	t.Run("DroppedConnectionIsTemporary", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		srv.DropNext(1)
		err := s.Send(context.Background(), plainMessage())
		if err == nil || mail.Permanent(err) {
			t.Errorf("error %v, want a temporary failure", err)
		}
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("server recorded %d messages, want none", n)
		}
	})

	t.Run("ConnectionRefusedIsTemporary", func(t *testing.T) {
		cfg := mail.Config{Host: "127.0.0.1", Port: MustClosedPort(t), From: "jobs@hireloop.test", TLS: mail.TLSNone}
		s := MustSender(t, cfg)
		err := s.Send(context.Background(), plainMessage())
		if err == nil || mail.Permanent(err) {
			t.Fatalf("error %v, want a temporary failure", err)
		}
		if want := fmt.Sprintf("127.0.0.1:%d", cfg.Port); !strings.Contains(err.Error(), want) {
			t.Errorf("error %q should name the server %s", err, want)
		}
	})

	t.Run("AuthenticationRequiredIsTemporary", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.WithAuth("hireloop", "correct-horse"))
		s := MustSender(t, testConfig(srv))
		err := s.Send(context.Background(), plainMessage())
		if err == nil || mail.Permanent(err) {
			t.Errorf("error %v, want a temporary failure: the configuration lacks credentials, the message is fine", err)
		}
	})

	t.Run("StartTLSMissingIsTemporary", func(t *testing.T) {
		srv := mailtest.Start(t)
		cfg := testConfig(srv)
		cfg.TLS = mail.TLSStartTLS
		err := MustSender(t, cfg).Send(context.Background(), plainMessage())
		if err == nil || mail.Permanent(err) {
			t.Errorf("error %v, want a temporary failure", err)
		}
		if len(srv.Messages()) != 0 {
			t.Error("message was sent in clear text although STARTTLS was required")
		}
	})
}

func TestSendNeverRevealsPassword(t *testing.T) {
	const password = "Tr0ub4dor&3-not-for-logs"
	srv := mailtest.Start(t, mailtest.WithAuth("hireloop", "the-right-one"))

	wrong := testConfig(srv)
	wrong.Username, wrong.Password = "hireloop", password
	down := wrong
	down.Port = MustClosedPort(t)
	clearText := wrong
	clearText.Host = "smtp.example.com"

	var texts []string
	for _, cfg := range []mail.Config{wrong, down} {
		err := MustSender(t, cfg).Send(context.Background(), plainMessage())
		if err == nil {
			t.Fatalf("Send to %s succeeded with a wrong password", cfg.Host)
		}
		texts = append(texts, err.Error(), fmt.Sprintf("%+v", err))
	}
	_, err := mail.NewSMTPSender(clearText)
	if err == nil {
		t.Fatal("NewSMTPSender accepted a password for a remote server without TLS")
	}
	texts = append(texts, err.Error(), wrong.String(), fmt.Sprintf("%v %+v", wrong, wrong))

	for _, text := range texts {
		if strings.Contains(text, password) {
			t.Errorf("text reveals the password: %s", text)
		}
	}
	if !strings.Contains(texts[0], "535") {
		t.Errorf("wrong password error %q should carry the server's 535 reply", texts[0])
	}
}

func TestSendAuthenticatesAndEncrypts(t *testing.T) {
	tests := []struct {
		name string
		opts []mailtest.Option
		tls  string
	}{
		{"PlainAuthOnLoopback", []mailtest.Option{mailtest.WithAuth("hireloop", "s3cret")}, mail.TLSNone},
		{"STARTTLSWithAuth", []mailtest.Option{mailtest.WithSTARTTLS(), mailtest.WithAuth("hireloop", "s3cret")}, mail.TLSStartTLS},
		{"ImplicitTLSWithAuth", []mailtest.Option{mailtest.WithImplicitTLS(), mailtest.WithAuth("hireloop", "s3cret")}, mail.TLSImplicit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.Start(t, tt.opts...)
			cfg := testConfig(srv)
			cfg.TLS = tt.tls
			cfg.TLSConfig = srv.ClientTLSConfig()
			cfg.Username, cfg.Password = "hireloop", "s3cret"
			if err := MustSender(t, cfg).Send(context.Background(), plainMessage()); err != nil {
				t.Fatalf("Send: %v", err)
			}
			if got := MustReceiveOne(t, srv); got.AuthUser != "hireloop" {
				t.Errorf("server saw user %q, want hireloop", got.AuthUser)
			}
		})
	}

	t.Run("UntrustedCertificateIsRefused", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.WithImplicitTLS())
		cfg := testConfig(srv)
		cfg.TLS = mail.TLSImplicit
		err := MustSender(t, cfg).Send(context.Background(), plainMessage())
		if err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("error %v, want a certificate failure", err)
		}
		if len(srv.Messages()) != 0 {
			t.Error("message was sent to a server with an untrusted certificate")
		}
	})
}

func TestSendStopsOnContext(t *testing.T) {
	t.Run("CancelDuringConversation", func(t *testing.T) {
		srv := mailtest.Start(t)
		cfg := testConfig(srv)
		cfg.Timeout = time.Hour // only the cancellation can end this send
		s := MustSender(t, cfg)
		arrived := srv.StallNext(1)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()

		done := make(chan error, 1)
		go func() { done <- s.Send(ctx, plainMessage()) }()
		select {
		case <-arrived:
		case err := <-done:
			t.Fatalf("Send returned before the server held the message: %v", err)
		}
		cancel()
		var err error
		select {
		case err = <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("Send still runs 30s after its context was cancelled")
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Send = %v, want context.Canceled", err)
		}
		if mail.Permanent(err) {
			t.Errorf("a cancelled send is permanent: %v", err)
		}
	})

	t.Run("AlreadyCancelledDoesNotConnect", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := s.Send(ctx, plainMessage())
		if !errors.Is(err, context.Canceled) || mail.Permanent(err) {
			t.Errorf("Send = %v, want a temporary context.Canceled", err)
		}
		if n := srv.Connections(); n != 0 {
			t.Errorf("server saw %d connections, want 0", n)
		}
	})
}

func TestSendConcurrently(t *testing.T) {
	srv := mailtest.Start(t)
	s := MustSender(t, testConfig(srv))
	msgs := batchOf(40)
	errs := make(chan error, len(msgs))
	for _, m := range msgs {
		go func() { errs <- s.Send(context.Background(), m) }()
	}
	for range msgs {
		if err := <-errs; err != nil {
			t.Errorf("Send: %v", err)
		}
	}
	got := srv.WaitFor(t, len(msgs), 10*time.Second)
	seen := make(map[string]bool)
	for _, r := range got {
		seen[r.MessageID] = true
	}
	if len(seen) != len(msgs) {
		t.Errorf("server holds %d distinct messages, want %d", len(seen), len(msgs))
	}
}

func batchOf(n int) []*mail.Message {
	msgs := make([]*mail.Message, n)
	for i := range msgs {
		msgs[i] = &mail.Message{
			To:        fmt.Sprintf("candidate%d@example.com", i),
			ToName:    fmt.Sprintf("Candidate %d", i),
			Subject:   fmt.Sprintf("Update on application %d", i),
			Text:      "Hello,\n\nyour application moves to the next stage.\n",
			HTML:      "<p>Hello,</p><p>your application moves to the next stage.</p>",
			MessageID: fmt.Sprintf("outbox-%d", i),
		}
	}
	return msgs
}

func TestSendBatch(t *testing.T) {
	t.Run("FiveHundredOverOneConnection", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		msgs := batchOf(500)
		for i, err := range s.SendBatch(context.Background(), msgs) {
			if err != nil {
				t.Fatalf("message %d: %v", i, err)
			}
		}
		got := srv.WaitFor(t, 500, 10*time.Second)
		if len(got) != 500 {
			t.Fatalf("server holds %d messages, want 500", len(got))
		}
		for i, r := range got {
			if want := fmt.Sprintf("<outbox-%d@hireloop.test>", i); r.MessageID != want || r.To[0] != msgs[i].To {
				t.Fatalf("message %d is %s to %v, want %s to %s", i, r.MessageID, r.To, want, msgs[i].To)
			}
		}
		if n := srv.Connections(); n != 1 {
			t.Errorf("batch used %d connections, want 1", n)
		}
	})

	t.Run("RefusalsDoNotStopTheOthers", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		msgs := batchOf(5)
		msgs[1].To = "broken"
		srv.RefuseRecipient(msgs[2].To, 550)
		srv.RefuseRecipient(msgs[3].To, 451)

		errs := s.SendBatch(context.Background(), msgs)
		wantPermanent := []bool{false, true, true, false, false}
		wantFailed := []bool{false, true, true, true, false}
		for i, err := range errs {
			if (err != nil) != wantFailed[i] || mail.Permanent(err) != wantPermanent[i] {
				t.Errorf("message %d: error %v, want failed=%v permanent=%v", i, err, wantFailed[i], wantPermanent[i])
			}
		}
		got := srv.WaitFor(t, 2, 10*time.Second)
		if len(got) != 2 || got[0].To[0] != msgs[0].To || got[1].To[0] != msgs[4].To {
			t.Errorf("server holds %d messages, want messages 0 and 4", len(got))
		}
	})

	t.Run("LostConnectionFailsTheRestTemporarily", func(t *testing.T) {
		srv := mailtest.Start(t)
		s := MustSender(t, testConfig(srv))
		srv.DropNext(1)
		errs := s.SendBatch(context.Background(), batchOf(3))
		for i, err := range errs {
			if err == nil || mail.Permanent(err) {
				t.Errorf("message %d: error %v, want a temporary failure", i, err)
			}
		}
		if errs[1] != nil && !strings.Contains(errs[1].Error(), "not sent") {
			t.Errorf("message 1 error %q should say it was not sent", errs[1])
		}
		if n := srv.Attempts(); n != 1 {
			t.Errorf("server saw %d attempts, want 1: the batch must stop once the connection is lost", n)
		}
	})

	t.Run("EmptyBatch", func(t *testing.T) {
		srv := mailtest.Start(t)
		if errs := MustSender(t, testConfig(srv)).SendBatch(context.Background(), nil); len(errs) != 0 {
			t.Errorf("SendBatch(nil) = %v", errs)
		}
		if n := srv.Connections(); n != 0 {
			t.Errorf("an empty batch opened %d connections", n)
		}
	})
}

// BenchmarkSendBatch measures delivery to the in-process server in batches
// of 100 over one connection each, as a queue with a backlog would send.
func BenchmarkSendBatch(b *testing.B) {
	srv := mailtest.Start(b)
	s := MustSender(b, testConfig(srv))
	msgs := batchOf(100)
	ctx := context.Background()
	sent := 0
	for b.Loop() {
		for i, err := range s.SendBatch(ctx, msgs) {
			if err != nil {
				b.Fatalf("message %d: %v", i, err)
			}
		}
		sent += len(msgs)
	}
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkSend measures one connection per message, the slow path a queue
// takes when it sends messages one by one.
func BenchmarkSend(b *testing.B) {
	srv := mailtest.Start(b)
	s := MustSender(b, testConfig(srv))
	m := batchOf(1)[0]
	ctx := context.Background()
	sent := 0
	for b.Loop() {
		if err := s.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
		sent++
	}
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "msgs/s")
}

package worker_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/mail"
	"hireloop/internal/mail/mailtest"
	"hireloop/internal/store"
	"hireloop/internal/worker"
)

// testStart is when the store's clock starts in the tests.
var testStart = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// MustSender returns a sender that reaches srv in clear text. Its timeout is
// long so that a passing test never owes it to a timeout.
func MustSender(tb testing.TB, srv *mailtest.Server) *mail.SMTPSender {
	tb.Helper()
	s, err := mail.NewSMTPSender(mail.Config{
		Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSNone,
		From: "Larkspur Careers <jobs@larkspur.test>", Timeout: time.Minute,
	})
	if err != nil {
		tb.Fatalf("NewSMTPSender: %v", err)
	}
	return s
}

// newWorker returns a worker on db that polls often, as tests want.
func newWorker(db *store.DB, sender mail.Sender, files *store.FileService) *worker.Worker {
	return worker.New(worker.Config{
		Outbox:       store.NewOutboxService(db),
		Files:        files,
		Sender:       sender,
		PollInterval: 5 * time.Millisecond,
		Concurrency:  3,
		BatchSize:    7,
	})
}

// MustEnqueue queues n messages to distinct addresses and returns their ids
// in order.
func MustEnqueue(tb testing.TB, outbox hiring.OutboxService, n int) []int64 {
	tb.Helper()
	ids := make([]int64, n)
	for i := range n {
		m, err := outbox.EnqueueMessage(context.Background(), hiring.MessageDraft{
			To:       fmt.Sprintf("candidate%d@example.com", i),
			Subject:  fmt.Sprintf("We received your application %d", i),
			TextBody: fmt.Sprintf("Hello candidate %d,\n\nthank you for applying.\n", i),
			HTMLBody: fmt.Sprintf("<p>Hello candidate %d,</p>", i),
		})
		if err != nil {
			tb.Fatalf("enqueue message %d: %v", i, err)
		}
		ids[i] = m.ID
	}
	return ids
}

// MustMessage returns one outbox message by id.
func MustMessage(tb testing.TB, outbox hiring.OutboxService, id int64) *hiring.Message {
	tb.Helper()
	msgs, _, err := outbox.FindMessages(context.Background(), hiring.MessageFilter{Limit: 500})
	if err != nil {
		tb.Fatalf("find messages: %v", err)
	}
	for _, m := range msgs {
		if m.ID == id {
			return m
		}
	}
	tb.Fatalf("message %d is not in the outbox", id)
	return nil
}

// MustPass runs one pass of w and fails the test on an error.
func MustPass(tb testing.TB, w *worker.Worker) worker.Report {
	tb.Helper()
	r, err := w.Pass(context.Background())
	if err != nil {
		tb.Fatalf("Pass: %v", err)
	}
	return r
}

// waitUntil polls cond until it holds, failing the test after a generous
// deadline; the deadline only stops a broken test from hanging.
func waitUntil(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("gave up waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// countByMessageID counts deliveries per Message-ID.
func countByMessageID(got []mailtest.Received) map[string]int {
	n := map[string]int{}
	for _, r := range got {
		n[r.MessageID]++
	}
	return n
}

// MustDOCX returns a Word document with one paragraph per line.
func MustDOCX(tb testing.TB, lines ...string) []byte {
	tb.Helper()
	var body strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&body, `<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, l)
	}
	parts := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			body.String() + `</w:body></w:document>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		f, err := zw.Create(p.name)
		if err == nil {
			_, err = f.Write([]byte(p.data))
		}
		if err != nil {
			tb.Fatalf("MustDOCX: %v", err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatalf("MustDOCX: %v", err)
	}
	return buf.Bytes()
}

// MustApplyWithResume takes an application to a new open opening with the
// given resume bytes and returns the resume's file id.
func MustApplyWithResume(tb testing.TB, db *store.DB, apps *store.ApplicationService, o *hiring.Opening, email, name string, data []byte) int64 {
	tb.Helper()
	in := hiringtest.SampleApplication(o, email)
	in.Resume = &hiring.Upload{Name: name, Content: bytes.NewReader(data)}
	res, err := apps.Apply(context.Background(), in)
	if err != nil {
		tb.Fatalf("apply with %s: %v", name, err)
	}
	if res.Application.ResumeFileID == nil {
		tb.Fatalf("application with %s has no resume", name)
	}
	return *res.Application.ResumeFileID
}

package worker_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/mail/mailtest"
	"hireloop/internal/store"
)

// TestWorkerDeliversTemplateMessage writes a message from the German
// rejection template, sends it through the message service and checks
// that the worker delivers it to a real SMTP server as written.
func TestWorkerDeliversTemplateMessage(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		files := store.NewFileService(db, hiringtest.MustNewBlobStore(t))
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		app := hiringtest.MustApplication(t, db, o, "jana@example.com")
		if _, err := db.SQL().ExecContext(t.Context(), "UPDATE candidates SET language = 'de' WHERE id = "+
			strconv.FormatInt(app.CandidateID, 10)); err != nil {
			t.Fatal(err)
		}
		templates := store.NewTemplateService(db, store.TemplateOptions{CompanyName: "Larkspur"})
		m, err := templates.RenderForApplication(t.Context(), app.ID, hiring.TemplateRejection, "")
		if err != nil {
			t.Fatal(err)
		}
		if m.Language != "de" {
			t.Fatalf("rendered in %q, want the candidate's German", m.Language)
		}
		queued, err := store.NewMessageService(db).SendToCandidate(t.Context(), app.ID, hiring.SendInput{
			Kind: hiring.KindRejection, Language: m.Language, Subject: m.Subject, Body: m.Body})
		if err != nil {
			t.Fatal(err)
		}

		w := newWorker(db, MustSender(t, srv), files)
		MustPass(t, w)
		got := srv.WaitFor(t, 2, 20*time.Second) // the confirmation, then the rejection
		var delivered *mailtest.Received
		for i := range got {
			if got[i].Subject == m.Subject {
				delivered = &got[i]
			}
		}
		if delivered == nil {
			t.Fatalf("no delivery with the subject %q among %d", m.Subject, len(got))
		}
		if !strings.Contains(delivered.Text, "Guten Tag Robin Example") || !strings.Contains(delivered.Text, o.Title) {
			t.Errorf("text part %q, want the German rejection for Robin", delivered.Text)
		}
		if !strings.Contains(delivered.HTML, "Larkspur") {
			t.Errorf("HTML part %q lacks the company", delivered.HTML)
		}
		if s := MustMessage(t, store.NewOutboxService(db), queued.ID).Status; s != hiring.MessageSent {
			t.Errorf("status %s after delivery, want sent", s)
		}
	})
}

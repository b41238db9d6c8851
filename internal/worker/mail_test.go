package worker_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/mail"
	"hireloop/internal/mail/mailtest"
	"hireloop/internal/store"
	"hireloop/internal/worker"
)

func TestWorkerDeliversConfirmationExactlyOnce(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		files := store.NewFileService(db, hiringtest.MustNewBlobStore(t))
		apps := store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{})
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		res, err := apps.Apply(t.Context(), hiringtest.SampleApplication(o, "Robin@Example.com"))
		if err != nil {
			t.Fatal(err)
		}
		outbox := store.NewOutboxService(db)
		msgs, _, err := outbox.FindMessages(t.Context(), hiring.MessageFilter{ApplicationID: &res.Application.ID})
		if err != nil || len(msgs) != 1 {
			t.Fatalf("confirmation in the outbox: %d messages, err %v; want 1", len(msgs), err)
		}
		queued := msgs[0]

		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- newWorker(db, MustSender(t, srv), files).Run(ctx) }()
		got := srv.WaitFor(t, 1, 20*time.Second)[0]
		waitUntil(t, "the confirmation is recorded as sent", func() bool {
			return MustMessage(t, outbox, queued.ID).Status == hiring.MessageSent
		})
		// Give the running worker many more passes to send it again.
		time.Sleep(100 * time.Millisecond)
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v, want nil after its context ends", err)
		}

		t.Run("ReachesTheCandidate", func(t *testing.T) {
			if got.ParseErr != nil {
				t.Fatalf("the email does not parse: %v", got.ParseErr)
			}
			if len(got.To) != 1 || got.To[0] != "robin@example.com" {
				t.Errorf("delivered to %v, want robin@example.com", got.To)
			}
			if got.Subject != queued.Subject {
				t.Errorf("subject %q, want %q", got.Subject, queued.Subject)
			}
			if !strings.Contains(got.Text, o.Title) || got.HTML == "" {
				t.Errorf("text part %q lacks the job title %q, or the HTML part is missing", got.Text, o.Title)
			}
			if want := "<" + worker.MessageID(queued) + "@larkspur.test>"; got.MessageID != want {
				t.Errorf("Message-ID %s, want %s", got.MessageID, want)
			}
		})
		t.Run("IsSentOnce", func(t *testing.T) {
			if n := len(srv.Messages()); n != 1 {
				t.Errorf("%d deliveries, want 1", n)
			}
			m := MustMessage(t, outbox, queued.ID)
			if m.Attempts != 1 || m.SentAt == nil || m.LastError != "" {
				t.Errorf("outbox row after sending: attempts %d, sent_at %v, last_error %q; want 1 attempt, a time, no error",
					m.Attempts, m.SentAt, m.LastError)
			}
		})
	})
}

func TestWorkerRetriesAfterTemporaryRefusal(t *testing.T) {
	t.Parallel()
	hiringtest.EnginesWithClock(t, testStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		srv := mailtest.Start(t)
		outbox := store.NewOutboxService(db)
		w := newWorker(db, MustSender(t, srv), store.NewFileService(db, hiringtest.MustNewBlobStore(t)))
		id := MustEnqueue(t, outbox, 1)[0]
		srv.RejectNext(1, 451)

		if r := MustPass(t, w); r.Retrying != 1 || r.Sent != 0 {
			t.Fatalf("first pass: %+v, want one message to retry", r)
		}
		m := MustMessage(t, outbox, id)
		if m.Status != hiring.MessageQueued || m.Attempts != 1 || !strings.Contains(m.LastError, "451") {
			t.Errorf("after a 451: status %s, attempts %d, last_error %q; want queued, 1, the 451 reply",
				m.Status, m.Attempts, m.LastError)
		}
		if !m.NextAttemptAt.After(clock.Now()) {
			t.Errorf("next attempt at %v, want after now (%v)", m.NextAttemptAt, clock.Now())
		}

		t.Run("WaitsForTheBackoff", func(t *testing.T) {
			if r := MustPass(t, w); r.Sent+r.Retrying != 0 {
				t.Errorf("pass before the backoff ended: %+v, want nothing tried", r)
			}
			if n := srv.Attempts(); n != 1 {
				t.Errorf("server saw %d attempts, want 1", n)
			}
		})
		t.Run("DeliversOnceDue", func(t *testing.T) {
			clock.Advance(m.NextAttemptAt.Sub(clock.Now()) + time.Second)
			if r := MustPass(t, w); r.Sent != 1 {
				t.Fatalf("pass after the backoff: %+v, want one sent", r)
			}
			if n := len(srv.Messages()); n != 1 {
				t.Errorf("%d messages delivered, want 1", n)
			}
			m := MustMessage(t, outbox, id)
			if m.Status != hiring.MessageSent || m.Attempts != 2 {
				t.Errorf("status %s after %d attempts, want sent after 2", m.Status, m.Attempts)
			}
		})
	})
}

func TestWorkerGivesUpOnRefusedRecipient(t *testing.T) {
	t.Parallel()
	hiringtest.EnginesWithClock(t, testStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		srv := mailtest.Start(t)
		outbox := store.NewOutboxService(db)
		w := newWorker(db, MustSender(t, srv), store.NewFileService(db, hiringtest.MustNewBlobStore(t)))
		ids := MustEnqueue(t, outbox, 2)
		srv.RefuseRecipient("candidate0@example.com", 550)

		if r := MustPass(t, w); r.Failed != 1 || r.Sent != 1 {
			t.Fatalf("pass: %+v, want one failed and one sent", r)
		}
		refused := MustMessage(t, outbox, ids[0])
		if refused.Status != hiring.MessageFailed || !strings.Contains(refused.LastError, "550") {
			t.Errorf("refused message: status %s, last_error %q; want failed with the 550 reply", refused.Status, refused.LastError)
		}
		clock.Advance(48 * time.Hour)
		if r := MustPass(t, w); r.Sent+r.Retrying+r.Failed != 0 {
			t.Errorf("pass two days later: %+v, want nothing tried again", r)
		}
		got := srv.Messages()
		if len(got) != 1 || got[0].To[0] != "candidate1@example.com" {
			t.Errorf("delivered %d messages (%v), want only the one to candidate1", len(got), got)
		}
	})
}

// stopAfter is a sender that ends the worker's context after n deliveries,
// as a shutdown in the middle of a backlog would.
type stopAfter struct {
	mail.Sender
	n      int64
	sent   atomic.Int64
	cancel context.CancelFunc
}

func (s *stopAfter) Send(ctx context.Context, m *mail.Message) error {
	err := s.Sender.Send(ctx, m)
	if err == nil && s.sent.Add(1) == s.n {
		s.cancel()
	}
	return err
}

func TestWorkerStoppedMidwayDeliversTheRestOnRestart(t *testing.T) {
	t.Parallel()
	hiringtest.EnginesWithClock(t, testStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		srv := mailtest.Start(t)
		outbox := store.NewOutboxService(db)
		files := store.NewFileService(db, hiringtest.MustNewBlobStore(t))
		const total = 30
		MustEnqueue(t, outbox, total)

		ctx, cancel := context.WithCancel(t.Context())
		first := &stopAfter{Sender: MustSender(t, srv), n: 5, cancel: cancel}
		if err := newWorker(db, first, files).Run(ctx); err != nil {
			t.Fatalf("Run = %v", err)
		}
		stoppedAt := len(srv.Messages())
		if stoppedAt < 5 || stoppedAt >= total {
			t.Fatalf("the first worker delivered %d of %d before stopping; the test wants it stopped midway", stoppedAt, total)
		}
		queued := hiring.MessageQueued
		_, left, err := outbox.FindMessages(t.Context(), hiring.MessageFilter{Status: &queued})
		if err != nil {
			t.Fatal(err)
		}
		if left != total-stoppedAt {
			t.Errorf("after a clean stop %d messages are queued and %d delivered; want every claimed one finished (%d queued)",
				left, stoppedAt, total-stoppedAt)
		}

		// A worker that dies holding messages: they are leased, not lost.
		held, err := outbox.ClaimDueMessages(t.Context(), 3)
		if err != nil || len(held) != 3 {
			t.Fatalf("claim as a dying worker would: %d, %v", len(held), err)
		}

		second := newWorker(db, MustSender(t, srv), files)
		for r := MustPass(t, second); r.Sent > 0; r = MustPass(t, second) {
		}
		if got, want := len(srv.Messages()), total-3; got != want {
			t.Errorf("before the lease ends %d delivered, want %d (all but the held ones)", got, want)
		}
		clock.Advance(store.ClaimLease + time.Second)
		for r := MustPass(t, second); r.Sent > 0; r = MustPass(t, second) {
		}

		got := srv.Messages()
		counts := countByMessageID(got)
		if len(got) != total || len(counts) != total {
			t.Errorf("%d deliveries of %d distinct messages, want %d of %d", len(got), len(counts), total, total)
		}
		for id, n := range counts {
			if n != 1 {
				t.Errorf("%s delivered %d times", id, n)
			}
		}
	})
}

func TestWorkersSharingADatabaseNeverSendTwice(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		outbox := store.NewOutboxService(db)
		files := store.NewFileService(db, hiringtest.MustNewBlobStore(t))
		const total = 150
		MustEnqueue(t, outbox, total)

		ctx, cancel := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		for range 3 {
			w := newWorker(db, MustSender(t, srv), files)
			wg.Go(func() {
				if err := w.Run(ctx); err != nil {
					t.Errorf("Run = %v", err)
				}
			})
		}
		srv.WaitFor(t, total, 60*time.Second)
		sent := hiring.MessageSent
		waitUntil(t, "every message is recorded as sent", func() bool {
			_, n, err := outbox.FindMessages(t.Context(), hiring.MessageFilter{Status: &sent})
			return err == nil && n == total
		})
		time.Sleep(50 * time.Millisecond)
		cancel()
		wg.Wait()

		got := srv.Messages()
		counts := countByMessageID(got)
		if len(got) != total || len(counts) != total || srv.Attempts() != total {
			t.Errorf("%d deliveries (%d attempts) of %d distinct messages, want %d of %d",
				len(got), srv.Attempts(), len(counts), total, total)
		}
	})
}

func TestWorkerWithoutMailLeavesMessagesQueued(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		outbox := store.NewOutboxService(db)
		id := MustEnqueue(t, outbox, 1)[0]
		w := newWorker(db, nil, store.NewFileService(db, hiringtest.MustNewBlobStore(t)))
		for range 3 {
			MustPass(t, w)
		}
		m := MustMessage(t, outbox, id)
		if m.Status != hiring.MessageQueued || m.Attempts != 0 {
			t.Errorf("status %s after %d attempts, want queued and untouched", m.Status, m.Attempts)
		}
	})
}

func TestWorkerStopsWaitingForAStuckMailServer(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		outbox := store.NewOutboxService(db)
		id := MustEnqueue(t, outbox, 1)[0]
		arrived := srv.StallNext(1)
		w := worker.New(worker.Config{
			Outbox:       outbox,
			Files:        store.NewFileService(db, hiringtest.MustNewBlobStore(t)),
			Sender:       MustSender(t, srv),
			PollInterval: 5 * time.Millisecond,
			DrainTimeout: 100 * time.Millisecond,
		})
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		<-arrived
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v, want nil", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("Run kept waiting for the stuck server after its drain timeout")
		}
		m := MustMessage(t, outbox, id)
		if m.Status != hiring.MessageQueued || m.LastError == "" {
			t.Errorf("status %s, last_error %q; want queued with the failed attempt recorded, not left leased",
				m.Status, m.LastError)
		}
	})
}

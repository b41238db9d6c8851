package store_test

import (
	"sort"
	"sync"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func mustEnqueue(t *testing.T, outbox *store.OutboxService, to string) *hiring.Message {
	t.Helper()
	m, err := outbox.EnqueueMessage(t.Context(), hiring.MessageDraft{To: to, Subject: "Hello", TextBody: "Body"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestOutboxClaimIsExclusive(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		outbox := store.NewOutboxService(db)
		const total, workers = 200, 4
		for range total {
			mustEnqueue(t, outbox, "reader@example.org")
		}
		var (
			mu     sync.Mutex
			seen   = map[int64]int{}
			wg     sync.WaitGroup
			errs   []error
			counts [workers]int
			ready  = make(chan struct{})
		)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-ready
				for {
					msgs, err := outbox.ClaimDueMessages(t.Context(), 2)
					if err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
						return
					}
					if len(msgs) == 0 {
						return
					}
					mu.Lock()
					for _, m := range msgs {
						seen[m.ID]++
						counts[w]++
					}
					mu.Unlock()
				}
			}()
		}
		close(ready)
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("claim errors: %v", errs)
		}
		if len(seen) != total {
			t.Errorf("claimed %d distinct messages, want %d", len(seen), total)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("message %d claimed %d times", id, n)
			}
		}
		t.Logf("claims per worker: %v", counts)
	})
}

func TestOutboxDelivery(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		outbox := store.NewOutboxService(db)
		claim := func(t *testing.T) []int64 {
			t.Helper()
			msgs, err := outbox.ClaimDueMessages(t.Context(), 10)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, m := range msgs {
				ids = append(ids, m.ID)
			}
			sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
			return ids
		}
		a := mustEnqueue(t, outbox, "a@example.org")
		b := mustEnqueue(t, outbox, "b@example.org")
		if got := claim(t); len(got) != 2 {
			t.Fatalf("claimed %v, want both", got)
		}
		t.Run("ClaimedMessagesAreLeased", func(t *testing.T) {
			if got := claim(t); len(got) != 0 {
				t.Errorf("claimed %v again at once", got)
			}
		})
		t.Run("SentStaysSent", func(t *testing.T) {
			if err := outbox.MarkSent(t.Context(), a.ID); err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Hour)
			if got := claim(t); len(got) != 1 || got[0] != b.ID {
				t.Errorf("claimed %v, want only the unsent message (lease ran out)", got)
			}
		})
		t.Run("FailureWaitsLongerEachTime", func(t *testing.T) {
			if err := outbox.MarkFailed(t.Context(), b.ID, "421 try later", false); err != nil {
				t.Fatal(err)
			}
			msgs, _, _ := outbox.FindMessages(t.Context(), hiring.MessageFilter{})
			m := msgs[0]
			// Two attempts so far: the retry comes two minutes later.
			if m.Status != hiring.MessageQueued || m.Attempts != 2 || m.LastError != "421 try later" ||
				!m.NextAttemptAt.Equal(clock.Now().Add(2*time.Minute)) {
				t.Errorf("message %+v", m)
			}
			clock.Advance(time.Minute)
			if got := claim(t); len(got) != 0 {
				t.Errorf("claimed %v before its retry time", got)
			}
			clock.Advance(time.Minute)
			if got := claim(t); len(got) != 1 {
				t.Errorf("claimed %v at its retry time, want it", got)
			}
		})
		t.Run("PermanentFailureStops", func(t *testing.T) {
			if err := outbox.MarkFailed(t.Context(), b.ID, "550 no such user", true); err != nil {
				t.Fatal(err)
			}
			clock.Advance(24 * time.Hour)
			if got := claim(t); len(got) != 0 {
				t.Errorf("claimed %v after a permanent failure", got)
			}
			failed := hiring.MessageFailed
			_, n, _ := outbox.FindMessages(t.Context(), hiring.MessageFilter{Status: &failed})
			if n != 1 {
				t.Errorf("failed messages = %d, want 1", n)
			}
		})
		t.Run("RefusesBadDrafts", func(t *testing.T) {
			_, err := outbox.EnqueueMessage(t.Context(), hiring.MessageDraft{To: "nobody", Subject: "x", TextBody: "y"})
			wantField(t, err, "to")
			_, err = outbox.EnqueueMessage(t.Context(), hiring.MessageDraft{To: "a@example.org", Subject: "x\r\nBcc: all@example.org", TextBody: "y"})
			wantField(t, err, "subject")
		})
		t.Run("UnknownMessageIsNotFound", func(t *testing.T) {
			wantCode(t, outbox.MarkSent(t.Context(), 999999), hiring.ENOTFOUND)
		})
	})
}

package worker_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/worker"
)

// replyReminders returns the reply reminders queued, as "to subject" lines.
func replyReminders(t *testing.T, db *store.DB) []string {
	t.Helper()
	msgs, _, err := store.NewOutboxService(db).FindMessages(t.Context(), hiring.MessageFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for i := len(msgs) - 1; i >= 0; i-- {
		if m := msgs[i]; m.Kind == hiring.KindReplyReminder {
			out = append(out, m.To+" "+m.Subject)
		}
	}
	return out
}

func TestWorkerRemindsOfRepliesOnceTheDayBeforeAndOnTheDay(t *testing.T) {
	// Monday 2 March 2026: an application is owed a reply by the end of
	// Monday 9 March, so its owner hears on Friday 6 and on Monday 9.
	hiringtest.EnginesWithClock(t, testStart, func(t *testing.T, db *store.DB, storeClock *hiringtest.Clock) {
		recruiter, _ := hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
		manager, _ := hiringtest.MustCreateUser(t, db, hiring.RoleHiringManager)
		admin, _ := hiringtest.MustCreateUser(t, db, hiring.RoleAdmin)
		withRecruiter := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{RecruiterID: &recruiter.ID, HiringManagerID: &manager.ID})
		withManager := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{HiringManagerID: &manager.ID})
		withNobody := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		a := hiringtest.MustApplication(t, db, withRecruiter, "ada@example.com")
		hiringtest.MustApplication(t, db, withManager, "bo@example.com")
		hiringtest.MustApplication(t, db, withNobody, "cy@example.com")

		workerClock := hiringtest.NewClock(testStart)
		newReminder := func() *worker.Worker {
			return worker.New(worker.Config{
				Outbox:        store.NewOutboxService(db),
				Files:         store.NewFileService(db, hiringtest.MustNewBlobStore(t)),
				Replies:       store.NewReplyService(db),
				ReplyInterval: 15 * time.Minute,
				BaseURL:       "https://jobs.example.com/",
				Now:           workerClock.Now,
			})
		}
		// Two workers, as on two servers, each passing twice.
		workers := []*worker.Worker{newReminder(), newReminder()}
		passes := func() {
			t.Helper()
			var wg sync.WaitGroup
			for _, w := range workers {
				wg.Go(func() {
					for range 2 {
						if _, err := w.Pass(t.Context()); err != nil {
							t.Error(err)
						}
						workerClock.Advance(20 * time.Minute)
					}
				})
			}
			wg.Wait()
		}
		advance := func(d time.Duration) {
			storeClock.Advance(d)
			workerClock.Advance(d)
		}

		advance(3 * 24 * time.Hour) // Thursday 5 March
		passes()
		if got := replyReminders(t, db); len(got) != 0 {
			t.Fatalf("reminders on Thursday: %q", got)
		}

		advance(24 * time.Hour) // Friday 6 March
		passes()
		subject := func(to *hiring.User, when, title string) string {
			return to.Email + " Reply due " + when + ": Robin Example for " + title
		}
		before := []string{
			subject(recruiter, "next business day", withRecruiter.Title),
			subject(manager, "next business day", withManager.Title),
			subject(admin, "next business day", withNobody.Title),
		}
		if diff := cmp.Diff(before, replyReminders(t, db)); diff != "" {
			t.Fatalf("reminders on Friday (-want +got):\n%s", diff)
		}

		advance(24 * time.Hour) // Saturday 7 March
		passes()
		if got := replyReminders(t, db); len(got) != 3 {
			t.Fatalf("reminders on Saturday: %q", got)
		}

		advance(2 * 24 * time.Hour) // Monday 9 March
		passes()
		want := append(before,
			subject(recruiter, "today", withRecruiter.Title),
			subject(manager, "today", withManager.Title),
			subject(admin, "today", withNobody.Title))
		if diff := cmp.Diff(want, replyReminders(t, db)); diff != "" {
			t.Fatalf("reminders on Monday (-want +got):\n%s", diff)
		}

		msgs, _, err := store.NewOutboxService(db).FindMessages(t.Context(), hiring.MessageFilter{ApplicationID: &a.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Kind == hiring.KindReplyReminder && !strings.Contains(m.TextBody, "https://jobs.example.com/applications/"+strconv.FormatInt(a.ID, 10)) {
				t.Errorf("reminder without the application's link:\n%s", m.TextBody)
			}
		}
	})
}

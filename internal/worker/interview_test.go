package worker_test

import (
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/mail/mailtest"
	"hireloop/internal/store"
)

// TestWorkerSendsInterviewInvitationAsCalendar schedules an interview and
// lets the worker deliver it: the candidate's email carries the invitation
// as a text/calendar part that calendar clients act on.
func TestWorkerSendsInterviewInvitationAsCalendar(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		recruiter, _ := hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
		interviewer, _ := hiringtest.MustCreateUser(t, db, hiring.RoleInterviewer)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		plan := hiringtest.MustApplyTemplate(t, db, o.ID, hiringtest.BackendTemplate)
		a := hiringtest.MustApplication(t, db, o, "invited@example.com")
		step := plan.Stages[1].Steps[0]
		ctx := hiring.NewContextWithActor(t.Context(), recruiter)
		iv, err := store.NewInterviewService(db, store.InterviewOptions{CompanyName: "Larkspur"}).ScheduleInterview(ctx, a.ID,
			hiring.InterviewInput{StepID: &step.ID, StartsAt: time.Now().Add(72 * time.Hour).Truncate(time.Minute),
				TimeZone: "Europe/Lisbon", InterviewerIDs: []int64{interviewer.ID}, VideoURL: "https://meet.example.com/screen"})
		if err != nil {
			t.Fatal(err)
		}

		w := newWorker(db, MustSender(t, srv), store.NewFileService(db, hiringtest.MustNewBlobStore(t)))
		MustPass(t, w)
		got := srv.WaitFor(t, 3, 20*time.Second) // Confirmation, and the invitations of the candidate and the interviewer.
		var invitation *mailtest.Received
		for i := range got {
			if len(got[i].To) == 1 && got[i].To[0] == "invited@example.com" && strings.HasPrefix(got[i].Subject, "Interview invitation") {
				invitation = &got[i]
			}
		}
		if invitation == nil {
			t.Fatalf("no invitation reached the candidate among %d emails", len(got))
		}
		if invitation.ParseErr != nil {
			t.Fatalf("the invitation does not parse: %v", invitation.ParseErr)
		}
		parts := invitation.PartsOf("text/calendar")
		if len(parts) == 0 {
			t.Fatalf("the invitation has no text/calendar part")
		}
		p := parts[0]
		if !strings.EqualFold(p.Params["method"], "REQUEST") {
			t.Errorf("text/calendar method=%q, want REQUEST", p.Params["method"])
		}
		body := string(p.Body)
		if !strings.Contains(body, "METHOD:REQUEST") || !strings.Contains(body, "UID:"+iv.UID) {
			t.Errorf("calendar part lacks the method or the interview's UID:\n%s", body)
		}
		if !strings.Contains(invitation.Text, "https://meet.example.com/screen") {
			t.Errorf("the text does not give the video link:\n%s", invitation.Text)
		}
	})
}

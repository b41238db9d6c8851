package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// replyRows reads the rows of the replies page as "candidate | opening |
// due" lines.
func replyRows(t *testing.T, res *response) []string {
	t.Helper()
	res.wantStatus(t, http.StatusOK)
	d := res.doc(t)
	checkAccessible(t, res.Request.URL.Path, d)
	rows := []string{}
	d.Find("table tbody tr").Each(func(_ int, tr *goquery.Selection) {
		cells := tr.Find("td")
		rows = append(rows, strings.Join(strings.Fields(cells.Eq(0).Text()), " ")+" | "+
			strings.Join(strings.Fields(cells.Eq(1).Text()), " ")+" | "+
			strings.Join(strings.Fields(cells.Eq(3).Text()), " "))
	})
	return rows
}

func TestRepliesPage(t *testing.T) {
	// Monday 2 March 2026.
	hiringtest.EnginesWithClock(t, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		e := mustEnv(t, db, func(d *web.Deps) { d.Now = clock.Now })
		recruiter := e.mustSignIn(hiring.RoleRecruiter)
		manager := e.mustSignIn(hiring.RoleHiringManager)
		interviewer := e.mustSignIn(hiring.RoleInterviewer)
		mine := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Gardener of Pipelines", HiringManagerID: &manager.user.ID})
		theirs := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Keeper of Queues"})
		early := hiringtest.MustApplication(t, db, mine, "ada@example.com")
		clock.Advance(3 * 24 * time.Hour) // Thursday 5 March
		hiringtest.MustApplication(t, db, theirs, "bo@example.com")
		// Tuesday 10 March: the first reply was due on Monday 9, the second
		// is due on Thursday 12.
		clock.Advance(5*24*time.Hour + time.Hour)

		all := []string{
			"Robin Example | Gardener of Pipelines | Mon 9 Mar 2026 1 day overdue",
			"Robin Example | Keeper of Queues | Thu 12 Mar 2026 due in 2 days",
		}
		if diff := cmp.Diff(all, replyRows(t, recruiter.get("/replies?due=all"))); diff != "" {
			t.Errorf("recruiter's list (-want +got):\n%s", diff)
		}
		// At first the page shows the work of the day.
		if diff := cmp.Diff(all[:1], replyRows(t, recruiter.get("/replies"))); diff != "" {
			t.Errorf("recruiter's first view (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(all[:1], replyRows(t, recruiter.get("/replies?due=overdue"))); diff != "" {
			t.Errorf("overdue (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(all[1:], replyRows(t, recruiter.get("/replies?due=all&opening="+itoa(theirs.ID)))); diff != "" {
			t.Errorf("one opening (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(all[:1], replyRows(t, manager.get("/replies?due=all"))); diff != "" {
			t.Errorf("hiring manager's list (-want +got):\n%s", diff)
		}
		manager.get("/replies?opening="+itoa(theirs.ID)).wantStatus(t, http.StatusForbidden)
		interviewer.get("/replies").wantStatus(t, http.StatusForbidden)
		if res := e.anonymous().get("/replies"); res.StatusCode != http.StatusSeeOther ||
			!strings.HasPrefix(res.Header.Get("Location"), "/signin") {
			t.Errorf("signed out: status %d to %q, want the sign-in page", res.StatusCode, res.Header.Get("Location"))
		}
		bad := recruiter.get("/replies?due=soon")
		if bad.StatusCode < 400 || bad.StatusCode >= 500 || !strings.Contains(bad.body, "Choose due or overdue") {
			t.Errorf("bad filter: status %d, body lacks the reason", bad.StatusCode)
		}

		// Wednesday 11 March: the second reply is due tomorrow.
		clock.Advance(24 * time.Hour)
		if diff := cmp.Diff([]string{"Robin Example | Keeper of Queues | Thu 12 Mar 2026 due tomorrow"},
			replyRows(t, recruiter.get("/replies?due=all&opening="+itoa(theirs.ID)))); diff != "" {
			t.Errorf("due tomorrow (-want +got):\n%s", diff)
		}

		// The opening, its board and the application show the promise.
		for path, want := range map[string]string{
			"/openings/" + itoa(mine.ID):               "No replies made yet; 1 overdue.",
			"/openings/" + itoa(mine.ID) + "/pipeline": "Hear back by Mon 9 Mar 2026 (2 days overdue)",
			"/applications/" + itoa(early.ID):          "Hear back by Mon 9 Mar 2026 (2 days overdue)",
		} {
			res := recruiter.get(path)
			res.wantStatus(t, http.StatusOK)
			if got := strings.Join(strings.Fields(res.doc(t).Find("main").Text()), " "); !strings.Contains(got, want) {
				t.Errorf("%s lacks %q:\n%s", path, want, got)
			}
		}

		// A late rejection is a reply, and a late one.
		p, err := e.deps.Pipeline.Progress(t.Context(), early.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.deps.Pipeline.Reject(t.Context(), early.ID, hiring.RejectInput{Reason: hiring.RejectExperience}, p.Version); err != nil {
			t.Fatal(err)
		}
		res := recruiter.get("/openings/" + itoa(mine.ID) + "/pipeline")
		res.wantStatus(t, http.StatusOK)
		if got, want := strings.Join(strings.Fields(res.doc(t).Find(".reply-stats").Text()), " "),
			"0 of 1 reply on time; none overdue. See who is owed a reply"; got != want {
			t.Errorf("board says %q, want %q", got, want)
		}
	})
}

func TestSettingsKeepTheReplyPolicy(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		admin := e.mustSignIn(hiring.RoleAdmin)
		d := admin.get("/admin/settings").doc(t)
		for name, want := range map[string]string{"after_apply_days": "5", "after_interview_days": "3", "reference_update_every": "7"} {
			if got, _ := d.Find(`input[name="` + name + `"]`).Attr("value"); got != want {
				t.Errorf("%s shows %q, want the default %q", name, got, want)
			}
		}

		res := admin.postForm("/admin/settings", url.Values{"company_country": {"Atlantis"}, "after_apply_days": {"45"},
			"after_interview_days": {"two"}, "reference_update_every": {"7"}})
		if res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Fatalf("bad settings: status %d", res.StatusCode)
		}
		d = res.doc(t)
		for _, name := range []string{"company_country", "after_apply_days", "after_interview_days"} {
			if msg := strings.TrimSpace(d.Find("#" + name + "-error").Text()); msg == "" {
				t.Errorf("no message beside %s", name)
			}
		}
		if got, _ := d.Find(`input[name="after_interview_days"]`).Attr("value"); got != "two" {
			t.Errorf("the form lost what was typed: %q", got)
		}

		admin.postForm("/admin/settings", url.Values{"company_country": {"jp"}, "after_apply_days": {"4"},
			"after_interview_days": {"2"}, "reference_update_every": {"5"}}).wantStatus(t, http.StatusSeeOther)
		st, err := store.NewSettingsService(db).GetSettings(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want := hiring.Settings{CompanyCountry: "JP", AfterApplyDays: 4, AfterInterviewDays: 2, ReferenceUpdateDays: 5}
		if diff := cmp.Diff(want, *st); diff != "" {
			t.Errorf("settings (-want +got):\n%s", diff)
		}
	})
}

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// interviewPageURL keeps the interview pages out of the page walk: each
// needs an interview the visitor sits on, and the tests below visit them.
func (e *env) interviewPageURL(rt web.Route) (path string, ok, handled bool) {
	if strings.HasPrefix(rt.Path, "/interviews/{id}") {
		return "", false, true
	}
	return "", false, false
}

// mustInterviewFor schedules an interview a week ahead for a new
// application to a new opening led by manager, with the users as
// interviewers, and returns it.
func (e *env) mustInterviewFor(tb testing.TB, manager *hiring.User, users ...*hiring.User) *hiring.Interview {
	tb.Helper()
	o, res := e.mustApplied(tb, manager)
	plan := hiringtest.MustApplyTemplate(tb, e.db, o.ID, hiringtest.BackendTemplate)
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	step := plan.Stages[1].Steps[0]
	iv, err := e.deps.Interviews.ScheduleInterview(context.Background(), res.Application.ID, hiring.InterviewInput{
		StepID: &step.ID, StartsAt: time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute), TimeZone: "Europe/Berlin",
		InterviewerIDs: ids, AcceptOverlap: true})
	if err != nil {
		tb.Fatalf("schedule: %v", err)
	}
	return iv
}

// mustStartInterview moves an interview into the past hour, as if its time
// had come; no form may schedule one there.
func (e *env) mustStartInterview(tb testing.TB, id int64) {
	tb.Helper()
	const layout = "2006-01-02T15:04:05.000000Z"
	start := time.Now().UTC().Add(-30 * time.Minute).Truncate(time.Second)
	if _, err := e.db.SQL().Exec("UPDATE interviews SET starts_at = $1, ends_at = $2 WHERE id = $3",
		start.Format(layout), start.Add(time.Hour).Format(layout), id); err != nil {
		tb.Fatalf("move interview %d: %v", id, err)
	}
}

// interviewValues is a valid schedule or reschedule form for a time a
// week or more ahead in Berlin, with the users as interviewers.
func interviewValues(days int, users ...*hiring.User) url.Values {
	loc, _ := time.LoadLocation("Europe/Berlin")
	day := time.Now().In(loc).AddDate(0, 0, days)
	v := url.Values{"date": {day.Format("2006-01-02")}, "time": {"10:00"}, "time_zone": {"Europe/Berlin"},
		"minutes": {"45"}, "video_url": {"https://meet.example.com/larkspur"}, "accept_overlap": {"on"}}
	for _, u := range users {
		v.Add("interviewer_ids", itoa(u.ID))
	}
	return v
}

// interviewForm is a valid schedule form for the application at path.
func (e *env) interviewForm(t *testing.T, p *hiring.Progress) url.Values {
	t.Helper()
	u, _ := hiringtest.MustCreateUser(t, e.db, hiring.RoleInterviewer)
	v := interviewValues(7+int(sequence.Add(1)%30), u)
	v.Set("step_id", itoa(p.Plan.Stages[1].Steps[0].ID))
	return v
}

// requestInterviewRoute sends a valid request to a route of one interview,
// which c's user sits on (and leads the opening of, when a hiring
// manager), so that an interviewer may see it and record how it went but
// not change it; handled is false for other routes.
func (e *env) requestInterviewRoute(t *testing.T, c *client, rt web.Route) (*response, bool) {
	t.Helper()
	if rt.API || !strings.HasPrefix(rt.Path, "/interviews/{id}") {
		return nil, false
	}
	u := c.user
	if u == nil {
		u, _ = hiringtest.MustCreateUser(t, e.db, hiring.RoleInterviewer)
	}
	var manager *hiring.User
	if u.Role == hiring.RoleHiringManager {
		manager = u
	}
	iv := e.mustInterviewFor(t, manager, u)
	path := strings.Replace(rt.Path, "{id}", itoa(iv.ID), 1)
	version := strconv.Itoa(iv.Version)
	switch rt.Path {
	case "/interviews/{id}", "/interviews/{id}/invite.ics":
		return c.get(path), true
	case "/interviews/{id}/reschedule":
		v := interviewValues(9, u)
		v.Set("version", version)
		return c.postForm(path, v), true
	case "/interviews/{id}/cancel":
		return c.postForm(path, url.Values{"version": {version}, "reason": {"The panel moved."}}), true
	case "/interviews/{id}/outcome":
		e.mustStartInterview(t, iv.ID)
		return c.postForm(path, url.Values{"status": {"done"}}), true
	}
	t.Fatalf("no request for %s %s; teach requestInterviewRoute", rt.Method, rt.Path)
	return nil, true
}

func TestScheduleInterviewThroughTheForm(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		ada, _ := hiringtest.MustCreateUser(t, db, hiring.RoleInterviewer)
		_, plan, apps := e.mustPipeline(t, 2)
		step := plan.Stages[1].Steps[0]
		newPath := "/applications/" + itoa(apps[0].ID) + "/interviews/new"

		t.Run("FormStartsFromTheStep", func(t *testing.T) {
			res := c.get(newPath + "?step=" + itoa(step.ID))
			res.wantStatus(t, http.StatusOK)
			d := res.doc(t)
			checkAccessible(t, newPath, d)
			if v := d.Find("#step_id option[selected]").AttrOr("value", ""); v != itoa(step.ID) {
				t.Errorf("step %q chosen, want %d", v, step.ID)
			}
			if v := d.Find("#minutes").AttrOr("value", ""); v != "30" {
				t.Errorf("duration %q, want the step's 30 minutes", v)
			}
			if v := d.Find("#time_zone option[selected]").AttrOr("value", ""); v != "UTC" {
				t.Errorf("time zone %q, want UTC before any interview", v)
			}
			if d.Find(`input[name="interviewer_ids"][value="`+itoa(ada.ID)+`"]`).Length() != 1 {
				t.Error("the interviewer is not offered")
			}
			if d.Find("#accept_overlap").Length() != 0 {
				t.Error("the overlap box shows before any warning")
			}
		})

		t.Run("BadInputKeepsTheForm", func(t *testing.T) {
			v := url.Values{"step_id": {itoa(step.ID)}, "date": {""}, "time": {"10:00"}, "time_zone": {"Mars/Base"},
				"minutes": {"30"}, "location": {"Room Tulip"}, "video_url": {"ftp://files.example.com"}}
			res := c.postForm(newPath, v)
			res.wantStatus(t, http.StatusBadRequest)
			d := res.doc(t)
			checkAccessible(t, newPath, d)
			for _, field := range []string{"starts_at", "time_zone", "interviewer_ids", "video_url"} {
				if d.Find("#"+field+"-error").Length() != 1 {
					t.Errorf("no message next to %s", field)
				}
			}
			if got := d.Find("#location").AttrOr("value", ""); got != "Room Tulip" {
				t.Errorf("the place typed is lost: %q", got)
			}
			if got := d.Find("#video_url").AttrOr("value", ""); got != "ftp://files.example.com" {
				t.Errorf("the link typed is lost: %q", got)
			}
		})

		t.Run("SkippedLocalTime", func(t *testing.T) {
			v := interviewValues(0, ada)
			v.Set("step_id", itoa(step.ID))
			v.Set("date", "2035-03-25") // Berlin moves its clocks from 02:00 to 03:00.
			v.Set("time", "02:30")
			res := c.postForm(newPath, v)
			res.wantStatus(t, http.StatusBadRequest)
			if msg := res.doc(t).Find("#starts_at-error").Text(); !strings.Contains(msg, "does not exist in Europe/Berlin") {
				t.Errorf("message %q", msg)
			}
		})

		var ivPath string
		t.Run("Schedules", func(t *testing.T) {
			v := interviewValues(7, ada)
			v.Del("accept_overlap")
			v.Set("step_id", itoa(step.ID))
			res := c.postForm(newPath, v)
			res.wantStatus(t, http.StatusSeeOther)
			ivPath = res.Header.Get("Location")
			if !strings.HasPrefix(ivPath, "/interviews/") {
				t.Fatalf("redirected to %q", ivPath)
			}
			page := c.get(ivPath)
			page.wantStatus(t, http.StatusOK)
			d := page.doc(t)
			checkAccessible(t, ivPath, d)
			if when := d.Find("dl.facts time").Text(); !strings.Contains(when, "10:00–10:45 (Europe/Berlin)") {
				t.Errorf("the page shows %q, want the time in Berlin", when)
			}
			app := c.get("/applications/" + itoa(apps[0].ID))
			app.wantStatus(t, http.StatusOK)
			ad := app.doc(t)
			if ad.Find(`section a[href="`+ivPath+`"]`).Length() != 1 {
				t.Error("the application page does not list the interview")
			}
			if !strings.Contains(ad.Find("ul.interviews").Text(), "(Europe/Berlin)") {
				t.Error("the application page does not show the interview's zone")
			}
			next := c.get("/applications/" + itoa(apps[1].ID) + "/interviews/new").doc(t)
			if v := next.Find("#time_zone option[selected]").AttrOr("value", ""); v != "Europe/Berlin" {
				t.Errorf("the next form starts in %q, want the zone last used", v)
			}
		})

		t.Run("OverlapAsksToConfirm", func(t *testing.T) {
			v := interviewValues(7, ada)
			v.Del("accept_overlap")
			v.Set("step_id", itoa(step.ID))
			v.Set("time", "10:30")
			path := "/applications/" + itoa(apps[1].ID) + "/interviews/new"
			res := c.postForm(path, v)
			res.wantStatus(t, http.StatusConflict)
			d := res.doc(t)
			checkAccessible(t, path, d)
			if d.Find("#accept_overlap").Length() != 1 {
				t.Fatal("no box to schedule anyway")
			}
			if msg := d.Find("#accept_overlap-error").Text(); !strings.Contains(msg, ada.Name) || !strings.Contains(msg, "10:00–10:45") {
				t.Errorf("warning %q does not name the interviewer and the time", msg)
			}
			v.Set("accept_overlap", "on")
			c.postForm(path, v).wantStatus(t, http.StatusSeeOther)
		})

		t.Run("InvitationDownload", func(t *testing.T) {
			res := c.get(ivPath + "/invite.ics")
			res.wantStatus(t, http.StatusOK)
			if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
				t.Errorf("Content-Disposition %q", cd)
			}
			if !strings.Contains(res.body, "METHOD:REQUEST") || !strings.Contains(res.body, "SEQUENCE:0") {
				t.Errorf("invitation:\n%s", res.body)
			}
		})

		t.Run("RescheduleAndCancel", func(t *testing.T) {
			d := c.get(ivPath).doc(t)
			hidden := formValues(t, d, ivPath+"/reschedule")
			v := interviewValues(8, ada)
			v.Set("version", hidden.Get("version"))
			v.Set("time", "14:00")
			res := c.postForm(ivPath+"/reschedule", v)
			res.wantStatus(t, http.StatusSeeOther)
			if ics := c.get(ivPath + "/invite.ics").body; !strings.Contains(ics, "SEQUENCE:1") {
				t.Errorf("after the reschedule:\n%s", ics)
			}
			// The old page's version is stale now.
			stale := c.postForm(ivPath+"/cancel", url.Values{"version": {hidden.Get("version")}, "reason": {"x"}})
			stale.wantStatus(t, http.StatusConflict)

			cur := formValues(t, c.get(ivPath).doc(t), ivPath+"/cancel")
			c.postForm(ivPath+"/cancel", url.Values{"version": {cur.Get("version")}, "reason": {"The team is away."}}).
				wantStatus(t, http.StatusSeeOther)
			if ics := c.get(ivPath + "/invite.ics").body; !strings.Contains(ics, "METHOD:CANCEL") || !strings.Contains(ics, "SEQUENCE:2") {
				t.Errorf("after the cancellation:\n%s", ics)
			}
			if c.get(ivPath).doc(t).Find(`form[action="`+ivPath+`/reschedule"]`).Length() != 0 {
				t.Error("a cancelled interview still offers to reschedule")
			}
		})

		t.Run("OtherHiringManagerIsRefused", func(t *testing.T) {
			m := e.mustSignIn(hiring.RoleHiringManager)
			m.get(newPath).wantStatus(t, http.StatusForbidden)
			m.get(ivPath).wantStatus(t, http.StatusForbidden)
			m.get(ivPath+"/invite.ics").wantStatus(t, http.StatusForbidden)
		})
	})
}

func TestInterviewerSeesOwnInterviews(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleInterviewer)
		other := e.mustSignIn(hiring.RoleInterviewer)
		iv := e.mustInterviewFor(t, nil, c.user)
		path := "/interviews/" + itoa(iv.ID)

		res := c.get(path)
		res.wantStatus(t, http.StatusOK)
		d := res.doc(t)
		checkAccessible(t, path, d)
		if d.Find(`form[action="`+path+`/reschedule"]`).Length() != 0 || d.Find(`form[action="`+path+`/cancel"]`).Length() != 0 {
			t.Error("an interviewer is offered to reschedule or cancel")
		}
		if d.Find(`form[action="`+path+`/outcome"]`).Length() != 0 {
			t.Error("the outcome buttons show before the interview started")
		}
		c.postForm(path+"/reschedule", interviewValues(9, c.user)).wantStatus(t, http.StatusForbidden)
		early := c.postForm(path+"/outcome", url.Values{"status": {"done"}})
		early.wantStatus(t, http.StatusConflict)
		if !strings.Contains(early.body, "has not started yet") {
			t.Error("the refusal does not say the interview has not started")
		}

		other.get(path).wantStatus(t, http.StatusForbidden)
		other.postForm(path+"/outcome", url.Values{"status": {"done"}}).wantStatus(t, http.StatusForbidden)

		mine := c.get("/interviews")
		mine.wantStatus(t, http.StatusOK)
		checkAccessible(t, "/interviews", mine.doc(t))
		if mine.doc(t).Find(`#upcoming ~ ul a[href="`+path+`"]`).Length() != 1 {
			t.Error("My interviews does not list the interview as upcoming")
		}
		if strings.Contains(other.get("/interviews").body, `href="`+path+`"`) {
			t.Error("another interviewer's list shows the interview")
		}

		e.mustStartInterview(t, iv.ID)
		d = c.get(path).doc(t)
		if d.Find(`form[action="`+path+`/outcome"] button[value="no_show"]`).Length() != 1 {
			t.Fatal("no outcome buttons once the interview started")
		}
		c.postForm(path+"/outcome", url.Values{"status": {"no_show"}}).wantStatus(t, http.StatusSeeOther)
		got, err := e.deps.Interviews.FindInterviewByID(context.Background(), iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != hiring.InterviewNoShow {
			t.Errorf("status %s, want no_show", got.Status)
		}
	})
}

func TestRejectionFormAsksAboutInterviewSoon(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		ada, _ := hiringtest.MustCreateUser(t, db, hiring.RoleInterviewer)
		_, plan, apps := e.mustPipeline(t, 1)
		step := plan.Stages[1].Steps[0]
		iv, err := e.deps.Interviews.ScheduleInterview(context.Background(), apps[0].ID, hiring.InterviewInput{
			StepID: &step.ID, StartsAt: time.Now().Add(10 * time.Hour).Truncate(time.Minute), TimeZone: "UTC",
			InterviewerIDs: []int64{ada.ID}, ShortNoticeReason: "The candidate travels next week."})
		if err != nil {
			t.Fatal(err)
		}
		path := "/applications/" + itoa(apps[0].ID)
		v := rejectValues()
		v.Set("version", strconv.Itoa(e.mustProgress(t, apps[0].ID).Version))
		res := c.postForm(path+"/reject", v)
		res.wantStatus(t, http.StatusConflict)
		d := res.doc(t)
		checkAccessible(t, path, d)
		if msg := d.Find("#keep_upcoming_interviews-error").Text(); !strings.Contains(msg, "less than 24 hours away") {
			t.Fatalf("the form does not ask about the interview next to its choice: %q", msg)
		}
		if got, _ := e.deps.Interviews.FindInterviewByID(context.Background(), iv.ID); got.Status != hiring.InterviewScheduled {
			t.Fatalf("the refused rejection changed the interview to %s", got.Status)
		}
		v.Set("keep_upcoming_interviews", "keep")
		c.postForm(path+"/reject", v).wantStatus(t, http.StatusSeeOther)
		got, err := e.deps.Interviews.FindInterviewByID(context.Background(), iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != hiring.InterviewScheduled {
			t.Errorf("the interview kept as a Q&A is %s", got.Status)
		}
	})
}

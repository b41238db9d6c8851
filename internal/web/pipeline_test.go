package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// isPipelineForm reports the routes that change an application or an
// opening's plan through the pipeline.
func (e *env) isPipelineForm(rt web.Route) bool {
	if rt.Method != http.MethodPost || rt.API {
		return false
	}
	return strings.HasPrefix(rt.Path, "/applications/") || rt.Path == "/openings/{id}/plan" ||
		rt.Path == "/openings/{id}/pipeline/reject"
}

// pathID reads the id that follows the first part of a filled-in path.
func pathID(tb testing.TB, path string) int64 {
	tb.Helper()
	parts := strings.Split(path, "/")
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		tb.Fatalf("no id in %s", path)
	}
	return id
}

// rejectValues is a valid rejection form that sends the default message now.
func rejectValues() url.Values {
	m := hiring.DefaultRejectMessage()
	return url.Values{"reason": {string(hiring.RejectExperience)}, "note": {"Not enough time on call rotations."},
		"send_message": {"on"}, "subject": {m.Subject}, "message": {m.Body}}
}

// pipelineForm makes a valid form for a pipeline route at path, giving
// the opening the backend plan first when the route needs one.
func (e *env) pipelineForm(t *testing.T, rt web.Route, path string) url.Values {
	t.Helper()
	ctx := context.Background()
	id := pathID(t, path)
	switch rt.Path {
	case "/openings/{id}/plan":
		return url.Values{"plan": {"template:" + itoa(hiringtest.MustTemplate(t, e.db, hiringtest.BackendTemplate).ID)}}
	case "/openings/{id}/pipeline/reject":
		apps, _, err := e.deps.Applications.FindApplications(ctx, hiring.ApplicationFilter{OpeningID: &id, Limit: 10})
		if err != nil || len(apps) == 0 {
			t.Fatalf("find applications of opening %d: %v (%d)", id, err, len(apps))
		}
		v := rejectValues()
		for _, a := range apps {
			v.Add("ids", itoa(a.ID))
		}
		return v
	}
	p := e.mustProgress(t, id)
	if p.Plan == nil {
		hiringtest.MustApplyTemplate(t, e.db, p.Application.OpeningID, hiringtest.BackendTemplate)
		p = e.mustProgress(t, id)
	}
	v := url.Values{"version": {strconv.Itoa(p.Version)}}
	switch rt.Path {
	case "/applications/{id}/advance":
		v.Set("force", "on")
	case "/applications/{id}/move":
		v.Set("stage_id", itoa(p.Plan.Stages[len(p.Plan.Stages)-1].ID))
	case "/applications/{id}/step":
		v = url.Values{"step_id": {itoa(p.Stage.Steps[0].ID)}, "status": {"done"}}
	case "/applications/{id}/reject":
		for k, vals := range rejectValues() {
			v[k] = vals
		}
	case "/applications/{id}/withdraw", "/applications/{id}/hire":
	case "/applications/{id}/guide/link", "/applications/{id}/guide/revoke":
		v = url.Values{}
	case "/applications/{id}/interviews/new":
		v = e.interviewForm(t, p)
	case "/applications/{id}/messages":
		v = url.Values{"template": {"message"}, "subject": {"A short update"}, "body": {"Hello, we are still reading."}}
	default:
		t.Fatalf("no form for %s; teach pipelineForm", rt.Path)
	}
	return v
}

func (e *env) mustProgress(tb testing.TB, appID int64) *hiring.Progress {
	tb.Helper()
	p, err := e.deps.Pipeline.Progress(context.Background(), appID)
	if err != nil {
		tb.Fatalf("progress of application %d: %v", appID, err)
	}
	return p
}

// formValues reads the hidden fields of the page's form posting to action.
func formValues(tb testing.TB, d *goquery.Document, action string) url.Values {
	tb.Helper()
	f := d.Find(`form[action="` + action + `"]`).First()
	if f.Length() == 0 {
		tb.Fatalf("no form posting to %s", action)
	}
	v := url.Values{}
	f.Find(`input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		v.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	return v
}

// mustPipeline is an open opening with the backend plan and n applications.
func (e *env) mustPipeline(tb testing.TB, n int) (*hiring.Opening, *hiring.InterviewPlan, []*hiring.Application) {
	tb.Helper()
	o, first := e.mustApplied(tb, nil)
	plan := hiringtest.MustApplyTemplate(tb, e.db, o.ID, hiringtest.BackendTemplate)
	apps := []*hiring.Application{first.Application}
	for len(apps) < n {
		apps = append(apps, e.mustApply(tb, o).Application)
	}
	return o, plan, apps
}

func TestPipelineBoard(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)

		t.Run("ShowsEveryStageWithCountsAndCards", func(t *testing.T) {
			o, plan, apps := e.mustPipeline(t, 3)
			p := e.mustProgress(t, apps[2].ID)
			second := plan.Stages[1]
			if _, err := e.deps.Pipeline.MoveTo(context.Background(), apps[2].ID, second.ID, p.Version, ""); err != nil {
				t.Fatal(err)
			}
			path := "/openings/" + itoa(o.ID) + "/pipeline"
			res := c.get(path)
			res.wantStatus(t, http.StatusOK)
			d := res.doc(t)
			checkAccessible(t, path, d)
			sections := d.Find("section.board-column")
			if sections.Length() != len(plan.Stages) {
				t.Fatalf("%d columns, want one per stage (%d)", sections.Length(), len(plan.Stages))
			}
			wantCounts := map[string]int{plan.Stages[0].Name: 2, second.Name: 1}
			sections.Each(func(i int, s *goquery.Selection) {
				h := s.Find("h2").Text()
				if !strings.HasPrefix(h, plan.Stages[i].Name) {
					t.Errorf("column %d is %q, want %q", i, h, plan.Stages[i].Name)
				}
				want := wantCounts[plan.Stages[i].Name]
				if !strings.Contains(h, "("+strconv.Itoa(want)+")") {
					t.Errorf("column %q: heading %q, want the count %d", plan.Stages[i].Name, h, want)
				}
				if n := s.Find("li.card").Length(); n != want {
					t.Errorf("column %q: %d cards, want %d", plan.Stages[i].Name, n, want)
				}
			})
			card := sections.Eq(1).Find("li.card")
			if href := card.Find("a").AttrOr("href", ""); href != "/applications/"+itoa(apps[2].ID) {
				t.Errorf("the card links to %q", href)
			}
			if w := card.Find(".waiting").Text(); !strings.HasPrefix(w, "waiting ") {
				t.Errorf("the card says %q, want how long it has waited", w)
			}
			if !strings.Contains(e.get(c, "/openings/"+itoa(o.ID)), `href="/openings/`+itoa(o.ID)+`/pipeline"`) {
				t.Error("the opening page does not link to its pipeline")
			}
		})

		t.Run("OpeningWithoutPlanOffersTemplates", func(t *testing.T) {
			o, _ := e.mustApplied(t, nil)
			path := "/openings/" + itoa(o.ID) + "/pipeline"
			d := c.get(path).doc(t)
			opt := d.Find(`select#plan option[value^="template:"]`)
			if opt.Length() < 2 {
				t.Fatalf("%d templates offered, want the two shipped", opt.Length())
			}
			c.postForm("/openings/"+itoa(o.ID)+"/plan", url.Values{"plan": {"template:999999"}}).wantStatus(t, http.StatusBadRequest)
			backend := hiringtest.MustTemplate(t, db, hiringtest.BackendTemplate)
			res := c.postForm("/openings/"+itoa(o.ID)+"/plan", url.Values{"plan": {"template:" + itoa(backend.ID)}})
			res.wantStatus(t, http.StatusSeeOther)
			d = c.get(path).doc(t)
			if n := d.Find("section.board-column").Length(); n != len(backend.Stages) {
				t.Errorf("%d columns after choosing the backend plan, want %d", n, len(backend.Stages))
			}
			if d.Find("select#plan").Length() != 0 {
				t.Error("the board still offers a plan")
			}
		})

		t.Run("BulkRejectRejectsTheTickedOnly", func(t *testing.T) {
			o, _, apps := e.mustPipeline(t, 3)
			_, _, others := e.mustPipeline(t, 1)
			v := rejectValues()
			v["ids"] = []string{itoa(apps[0].ID), itoa(apps[1].ID), itoa(others[0].ID)}
			res := c.postForm("/openings/"+itoa(o.ID)+"/pipeline/reject", v)
			res.wantStatus(t, http.StatusSeeOther)
			for i, a := range append(apps, others[0]) {
				want := hiring.ApplicationRejected
				if i >= 2 {
					want = hiring.ApplicationActive
				}
				if got := e.mustProgress(t, a.ID).Application.Status; got != want {
					t.Errorf("application %d is %s, want %s", i, got, want)
				}
			}
			d := c.get("/openings/" + itoa(o.ID) + "/pipeline").doc(t)
			if n := d.Find("li.card").Length(); n != 1 {
				t.Errorf("%d cards after rejecting two of three", n)
			}
			msgs, _, err := e.deps.Outbox.FindMessages(context.Background(), hiring.MessageFilter{ApplicationID: &apps[0].ID})
			if err != nil {
				t.Fatal(err)
			}
			if !hasSubject(msgs, "Your application for "+o.Title) {
				t.Errorf("no rejection message queued for the first application: %+v", msgs)
			}
		})

		t.Run("BulkRejectWithoutTicksIsExplained", func(t *testing.T) {
			o, _, _ := e.mustPipeline(t, 1)
			res := c.postForm("/openings/"+itoa(o.ID)+"/pipeline/reject", rejectValues())
			res.wantStatus(t, http.StatusBadRequest)
			if !strings.Contains(res.doc(t).Find(".error-summary").Text(), "Tick at least one application") {
				t.Errorf("no message about ticking applications\n%s", res.body)
			}
		})
	})
}

func hasSubject(msgs []*hiring.Message, subject string) bool {
	for _, m := range msgs {
		if m.Subject == subject {
			return true
		}
	}
	return false
}

// get fetches a page as c and returns its body, failing on an error.
func (e *env) get(c *client, path string) string {
	e.t.Helper()
	res := c.get(path)
	res.wantStatus(e.t, http.StatusOK)
	return res.body
}

// TestAdvanceThroughBackendLoop takes a candidate from the first stage of
// the backend loop to its last with the page's forms alone, finishing
// every step of each stage first, including the stage whose steps happen
// in any order.
func TestAdvanceThroughBackendLoop(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		_, plan, apps := e.mustPipeline(t, 1)
		app := "/applications/" + itoa(apps[0].ID)
		sawAnyOrder := false
		for i, stage := range plan.Stages {
			res := c.get(app)
			res.wantStatus(t, http.StatusOK)
			d := res.doc(t)
			checkAccessible(t, app, d)
			if got := d.Find("h2#steps").Text(); got != "Steps of "+stage.Name {
				t.Fatalf("stage %d: the page shows %q, want the steps of %q", i, got, stage.Name)
			}
			required := 0
			for _, st := range stage.Steps {
				if !st.Optional {
					required++
				}
			}
			if required > 1 {
				sawAnyOrder = true
				if !strings.Contains(d.Text(), "any order") {
					t.Errorf("stage %q does not say its steps happen in any order", stage.Name)
				}
				// Moving on with a step left is refused and says which.
				v := formValues(t, d, app+"/advance")
				res := c.postForm(app+"/advance", v)
				res.wantStatus(t, http.StatusConflict)
				if !strings.Contains(res.doc(t).Find(".error-summary").Text(), "Finish") {
					t.Errorf("advancing too early: no message\n%s", res.body)
				}
			}
			// The steps are finished in reverse order, to show that the
			// order does not matter.
			for j := len(stage.Steps) - 1; j >= 0; j-- {
				st := stage.Steps[j]
				if st.Optional {
					continue
				}
				res := c.postForm(app+"/step", url.Values{"step_id": {itoa(st.ID)}, "status": {"done"}})
				res.wantStatus(t, http.StatusSeeOther)
			}
			d = c.get(app).doc(t)
			d.Find("li.step").Each(func(_ int, s *goquery.Selection) {
				if !strings.Contains(s.Text(), "(optional)") && s.Find(".step-status").Text() != "Done" {
					t.Errorf("stage %q: step %q is %q after marking it done", stage.Name, s.Find(".step-name").Text(), s.Find(".step-status").Text())
				}
			})
			if i == len(plan.Stages)-1 {
				break
			}
			res = c.postForm(app+"/advance", formValues(t, d, app+"/advance"))
			res.wantStatus(t, http.StatusSeeOther)
		}
		if !sawAnyOrder {
			t.Error("the backend loop has no stage with several required steps")
		}
		last := plan.Stages[len(plan.Stages)-1]
		if got := e.mustProgress(t, apps[0].ID).Stage.Name; got != last.Name {
			t.Errorf("the candidate is in %q, want the last stage %q", got, last.Name)
		}
		d := c.get(app).doc(t)
		moves := d.Find("ol.timeline li.event-advanced").Length()
		if moves != len(plan.Stages)-1 {
			t.Errorf("the timeline shows %d moves forward, want %d", moves, len(plan.Stages)-1)
		}
		if ev := d.Find("ol.timeline li.event-advanced").First().Text(); !strings.Contains(ev, "By ") || !strings.Contains(ev, plan.Stages[1].Name) {
			t.Errorf("the first move does not say who moved the candidate where: %q", ev)
		}
	})
}

func TestApplicationChanges(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		first := e.mustSignIn(hiring.RoleRecruiter)
		second := e.mustSignIn(hiring.RoleRecruiter)

		t.Run("StaleVersionIsRefusedWithCurrentState", func(t *testing.T) {
			_, plan, apps := e.mustPipeline(t, 1)
			app := "/applications/" + itoa(apps[0].ID)
			seen := first.get(app).doc(t)
			other := second.get(app).doc(t)
			v := formValues(t, other, app+"/move")
			v.Set("stage_id", itoa(plan.Stages[2].ID))
			second.postForm(app+"/move", v).wantStatus(t, http.StatusSeeOther)

			v = formValues(t, seen, app+"/move")
			v.Set("stage_id", itoa(plan.Stages[1].ID))
			res := first.postForm(app+"/move", v)
			res.wantStatus(t, http.StatusConflict)
			d := res.doc(t)
			if got := d.Find(".error-summary p").Text(); got != hiring.StaleVersionMessage {
				t.Errorf("message %q, want %q", got, hiring.StaleVersionMessage)
			}
			if got := d.Find("h2#steps").Text(); got != "Steps of "+plan.Stages[2].Name {
				t.Errorf("the refused page shows %q, want the current stage %q", got, plan.Stages[2].Name)
			}
			if got := e.mustProgress(t, apps[0].ID).Stage.ID; got != plan.Stages[2].ID {
				t.Errorf("the stale move overwrote the other one")
			}
		})

		t.Run("RejectSchedulesTheMessage", func(t *testing.T) {
			o, _, apps := e.mustPipeline(t, 1)
			app := "/applications/" + itoa(apps[0].ID)
			d := first.get(app).doc(t)
			if got := d.Find("textarea#message").Text(); !strings.Contains(got, "Hello Robin,") {
				t.Errorf("the message is not prefilled from the rejection template: %q", got)
			}
			sendAt := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Minute)
			v := formValues(t, d, app+"/reject")
			for k, vals := range rejectValues() {
				v[k] = vals
			}
			v.Set("send_at", sendAt.Format("2006-01-02T15:04"))
			first.postForm(app+"/reject", v).wantStatus(t, http.StatusSeeOther)

			if got := e.mustProgress(t, apps[0].ID).Application.Status; got != hiring.ApplicationRejected {
				t.Fatalf("status %s, want rejected", got)
			}
			msgs, _, err := e.deps.Outbox.FindMessages(context.Background(), hiring.MessageFilter{ApplicationID: &apps[0].ID})
			if err != nil {
				t.Fatal(err)
			}
			var found *hiring.Message
			for _, m := range msgs {
				if m.Subject == "Your application for "+o.Title {
					found = m
				}
			}
			if found == nil {
				t.Fatalf("no rejection message queued: %+v", msgs)
			}
			if !found.NextAttemptAt.Equal(sendAt) {
				t.Errorf("the message is due at %v, want %v", found.NextAttemptAt, sendAt)
			}
			tl := first.get(app).doc(t).Find("ol.timeline li.event-rejected").Text()
			for _, want := range []string{hiring.RejectExperience.Label(), "Not enough time on call rotations.", "scheduled for"} {
				if !strings.Contains(tl, want) {
					t.Errorf("the timeline's rejection does not say %q: %q", want, tl)
				}
			}
		})

		t.Run("RejectWithBadInputComesBackFilledIn", func(t *testing.T) {
			_, _, apps := e.mustPipeline(t, 1)
			app := "/applications/" + itoa(apps[0].ID)
			v := formValues(t, first.get(app).doc(t), app+"/reject")
			for k, vals := range rejectValues() {
				v[k] = vals
			}
			v.Set("reason", "")
			v.Set("send_at", "yesterday")
			res := first.postForm(app+"/reject", v)
			res.wantStatus(t, http.StatusBadRequest)
			d := res.doc(t)
			for _, id := range []string{"reason", "send_at"} {
				if inv, _ := d.Find("#" + id).Attr("aria-invalid"); inv != "true" {
					t.Errorf("field %s is not marked invalid", id)
				}
			}
			if got := d.Find("#note").Text(); got != "Not enough time on call rotations." {
				t.Errorf("the note came back as %q", got)
			}
			if got := e.mustProgress(t, apps[0].ID).Application.Status; got != hiring.ApplicationActive {
				t.Errorf("status %s after a refused rejection", got)
			}
		})

		t.Run("WithdrawAndHire", func(t *testing.T) {
			_, _, apps := e.mustPipeline(t, 2)
			for i, action := range []string{"withdraw", "hire"} {
				app := "/applications/" + itoa(apps[i].ID)
				first.postForm(app+"/"+action, formValues(t, first.get(app).doc(t), app+"/"+action)).wantStatus(t, http.StatusSeeOther)
			}
			if got := e.mustProgress(t, apps[0].ID).Application.Status; got != hiring.ApplicationWithdrawn {
				t.Errorf("status %s, want withdrawn", got)
			}
			if got := e.mustProgress(t, apps[1].ID).Application.Status; got != hiring.ApplicationHired {
				t.Errorf("status %s, want hired", got)
			}
			d := first.get("/applications/" + itoa(apps[1].ID)).doc(t)
			if d.Find(`form[action$="/advance"]`).Length() != 0 {
				t.Error("a hired application still offers to move forward")
			}
			if d.Find("ol.timeline li.event-hired").Length() != 1 {
				t.Error("the timeline does not show the hire")
			}
		})

		t.Run("BadVersionIsRefused", func(t *testing.T) {
			_, _, apps := e.mustPipeline(t, 1)
			app := "/applications/" + itoa(apps[0].ID)
			first.postForm(app+"/advance", url.Values{"version": {"soon"}}).wantStatus(t, http.StatusBadRequest)
			first.get("/applications/999999").wantStatus(t, http.StatusNotFound)
		})
	})
}

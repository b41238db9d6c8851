package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// loopEnv is an API server with two openings: X, led by a hiring manager,
// holding application A, on which an interviewer is scheduled; and Y, led
// by another manager, holding application B.
type loopEnv struct {
	*apiEnv
	x, y                        *hiring.Opening
	a, b                        *hiring.Application
	plan                        *hiring.InterviewPlan
	interview                   *hiring.Interview
	recruiter, manager, viewer  string
	interviewerUser, managerUsr *hiring.User
}

func mustLoopEnv(t *testing.T, db *store.DB) *loopEnv {
	t.Helper()
	e := &loopEnv{apiEnv: mustAPIEnv(t, db)}
	ctx := context.Background()
	e.recruiter = e.editor
	var other *hiring.User
	e.managerUsr, e.manager = mustUserToken(t, db, hiring.RoleHiringManager)
	other, _ = mustUserToken(t, db, hiring.RoleHiringManager)
	e.interviewerUser, e.viewer = mustUserToken(t, db, hiring.RoleInterviewer)
	e.x = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{HiringManagerID: &e.managerUsr.ID})
	e.y = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{HiringManagerID: &other.ID})
	e.plan = hiringtest.MustApplyTemplate(t, db, e.x.ID, hiringtest.BackendTemplate)
	hiringtest.MustApplyTemplate(t, db, e.y.ID, hiringtest.BackendTemplate)
	e.a = hiringtest.MustApplication(t, db, e.x, "a-"+e.x.RequisitionID+"@example.com")
	e.b = hiringtest.MustApplication(t, db, e.y, "b-"+e.y.RequisitionID+"@example.com")
	var step *hiring.PlanStep
	for _, g := range e.plan.Stages {
		for _, st := range g.Steps {
			if step == nil && st.Kind.IsInterview() {
				step = st
			}
		}
	}
	admin, _ := hiringtest.MustCreateUser(t, db, hiring.RoleAdmin)
	iv, err := store.NewInterviewService(db, store.InterviewOptions{}).ScheduleInterview(
		hiring.NewContextWithActor(ctx, admin), e.a.ID, hiring.InterviewInput{
			StepID: &step.ID, StartsAt: time.Now().Add(96 * time.Hour).Truncate(time.Minute), TimeZone: "Europe/Berlin",
			Minutes: 45, InterviewerIDs: []int64{e.interviewerUser.ID}, VideoURL: "https://meet.example.com/a"})
	if err != nil {
		t.Fatalf("schedule: %v", err)
	}
	e.interview = iv
	return e
}

func mustUserToken(t *testing.T, db *store.DB, role hiring.UserRole) (*hiring.User, string) {
	t.Helper()
	u, _ := hiringtest.MustCreateUser(t, db, role)
	secret, _, err := store.NewUserService(db).CreateToken(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return u, secret
}

func (e *loopEnv) getAs(token, path string) reply { return e.do(http.MethodGet, path, token, "", nil) }

func (e *loopEnv) postAs(token, path, body string) reply {
	return e.do(http.MethodPost, path, token, "application/json", strings.NewReader(body))
}

// detail is the answer about one application.
type detail struct {
	ID         int64      `json:"id"`
	Status     string     `json:"status"`
	Stage      string     `json:"stage"`
	StageID    *int64     `json:"stage_id"`
	Version    int        `json:"version"`
	HearBackBy *time.Time `json:"hear_back_by"`
	Access     string     `json:"access"`
	Stages     []struct {
		ID      int64 `json:"id"`
		Current bool  `json:"current"`
		Steps   []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		} `json:"steps"`
	} `json:"stages"`
}

func TestApplicationsThroughTheAPI(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustLoopEnv(t, db)
		appPath := "/api/v1/applications/" + itoa(e.a.ID)

		t.Run("DetailHasStageVersionReplyAndSteps", func(t *testing.T) {
			d := decode[struct{ Data detail }](t, e.getAs(e.recruiter, appPath)).Data
			if d.StageID == nil || *d.StageID != e.plan.First().ID || d.Stage != e.plan.First().Name {
				t.Errorf("stage %v %q, want the first stage %d %q", d.StageID, d.Stage, e.plan.First().ID, e.plan.First().Name)
			}
			if d.Version < 1 || d.Access != "team" || d.HearBackBy == nil {
				t.Errorf("version %d, access %q, hear_back_by %v", d.Version, d.Access, d.HearBackBy)
			}
			if len(d.Stages) != len(e.plan.Stages) || !d.Stages[0].Current {
				t.Errorf("%d stages, first current %v; want %d with the first current", len(d.Stages), len(d.Stages) > 0 && d.Stages[0].Current, len(e.plan.Stages))
			}
			scheduled := false
			for _, g := range d.Stages {
				for _, st := range g.Steps {
					if e.interview.StepID != nil && st.ID == *e.interview.StepID {
						scheduled = st.Status == "scheduled"
					}
				}
			}
			if !scheduled {
				t.Error("the step of the scheduled interview is not shown as scheduled")
			}
		})

		t.Run("ListFiltersAndPages", func(t *testing.T) {
			second := hiringtest.MustApplication(t, db, e.x, "second-"+e.x.RequisitionID+"@example.com")
			l := decode[list[detail]](t, e.getAs(e.recruiter, "/api/v1/applications?opening="+itoa(e.x.ID)+"&limit=1"))
			if l.Meta.Total != 2 || len(l.Data) != 1 || l.Data[0].ID != second.ID {
				t.Errorf("total %d, %d rows, first %v; want 2, 1, the newest", l.Meta.Total, len(l.Data), l.Data)
			}
			byID := decode[list[detail]](t, e.getAs(e.recruiter, "/api/v1/applications?opening="+itoa(e.x.ID)+"&stage="+itoa(e.plan.First().ID)))
			byName := decode[list[detail]](t, e.getAs(e.recruiter, "/api/v1/applications?opening="+itoa(e.x.ID)+"&stage="+
				strings.ReplaceAll(e.plan.First().Name, " ", "+")))
			if byID.Meta.Total != 2 || byName.Meta.Total != 2 {
				t.Errorf("first stage by id %d, by name %d; want 2 each", byID.Meta.Total, byName.Meta.Total)
			}
			last := e.plan.Stages[len(e.plan.Stages)-1]
			if n := decode[list[detail]](t, e.getAs(e.recruiter, "/api/v1/applications?stage="+itoa(last.ID))).Meta.Total; n != 0 {
				t.Errorf("%d applications in the last stage, want 0", n)
			}
			// The reply owed after applying is days away: due today is
			// nothing, and nothing is overdue yet.
			for _, reply := range []string{"due", "overdue"} {
				if n := decode[list[detail]](t, e.getAs(e.recruiter, "/api/v1/applications?reply="+reply)).Meta.Total; n != 0 {
					t.Errorf("reply=%s: %d applications, want 0", reply, n)
				}
			}
			e.getAs(e.recruiter, "/api/v1/applications?reply=soon").wantError(t, http.StatusBadRequest, "invalid", "reply")
			e.getAs(e.recruiter, "/api/v1/applications?stage=-3").wantError(t, http.StatusBadRequest, "invalid", "stage")
		})

		t.Run("EachUserListsWhatTheyMaySee", func(t *testing.T) {
			ids := func(token string) map[int64]bool {
				out := map[int64]bool{}
				for _, d := range decode[list[detail]](t, e.getAs(token, "/api/v1/applications?limit=200")).Data {
					out[d.ID] = true
				}
				return out
			}
			if got := ids(e.recruiter); !got[e.a.ID] || !got[e.b.ID] {
				t.Errorf("the recruiter lists %v, want A and B", got)
			}
			if got := ids(e.manager); !got[e.a.ID] || got[e.b.ID] {
				t.Errorf("the manager of X lists %v, want A and not B", got)
			}
			if got := ids(e.viewer); len(got) != 1 || !got[e.a.ID] {
				t.Errorf("the interviewer lists %v, want A alone", got)
			}
		})

		t.Run("InterviewerSeesButCannotChange", func(t *testing.T) {
			d := decode[struct{ Data detail }](t, e.getAs(e.viewer, appPath)).Data
			if d.Access != "interview" {
				t.Errorf("access %q, want interview", d.Access)
			}
			if r := e.getAs(e.viewer, appPath+"/timeline"); r.status != http.StatusOK {
				t.Errorf("timeline: status %d", r.status)
			}
			e.postAs(e.viewer, appPath+"/moves", `{"to":"next","version":1,"force":true}`).wantError(t, http.StatusForbidden, "forbidden", "")
			e.postAs(e.viewer, appPath+"/rejections", `{"reason":"experience","version":1}`).wantError(t, http.StatusForbidden, "forbidden", "")
			e.getAs(e.viewer, appPath+"/messages").wantError(t, http.StatusForbidden, "forbidden", "")
			e.getAs(e.viewer, "/api/v1/applications/"+itoa(e.b.ID)).wantError(t, http.StatusForbidden, "forbidden", "")
			e.getAs(e.manager, "/api/v1/applications/"+itoa(e.b.ID)).wantError(t, http.StatusForbidden, "forbidden", "")
			if r := e.getAs(e.viewer, "/api/v1/interviews/"+itoa(e.interview.ID)+"/invite.ics"); r.status != http.StatusOK ||
				!strings.HasPrefix(r.header.Get("Content-Type"), "text/calendar") || !strings.Contains(string(r.body), "BEGIN:VCALENDAR") {
				t.Errorf("invite.ics: status %d, type %q", r.status, r.header.Get("Content-Type"))
			}
		})

		t.Run("MovesWithVersions", func(t *testing.T) {
			d := decode[struct{ Data detail }](t, e.getAs(e.manager, appPath)).Data
			moved := decode[struct{ Data detail }](t, e.postAs(e.manager, appPath+"/moves",
				`{"to":"next","version":`+itoa(int64(d.Version))+`,"force":true,"note":"Strong review."}`)).Data
			if moved.StageID == nil || *moved.StageID != e.plan.Stages[1].ID || moved.Version <= d.Version {
				t.Fatalf("after the move: stage %v version %d; want stage %d and a higher version", moved.StageID, moved.Version, e.plan.Stages[1].ID)
			}
			stale := e.postAs(e.recruiter, appPath+"/moves", `{"to":`+itoa(e.plan.First().ID)+`,"version":`+itoa(int64(d.Version))+`}`)
			stale.wantError(t, http.StatusConflict, "conflict", "version")
			var body struct {
				Current detail `json:"current"`
			}
			if err := json.Unmarshal(stale.body, &body); err != nil || body.Current.Version != moved.Version {
				t.Errorf("the conflict carries version %d, want the current %d (%v)", body.Current.Version, moved.Version, err)
			}
			e.postAs(e.recruiter, appPath+"/moves", `{"to":"back","version":1}`).wantError(t, http.StatusBadRequest, "invalid", "to")
			e.postAs(e.recruiter, appPath+"/moves", `{"to":"next"}`).wantError(t, http.StatusBadRequest, "invalid", "version")
			e.postAs(e.recruiter, appPath+"/moves", `{"to":"next","version":1,"speed":2}`).wantError(t, http.StatusBadRequest, "invalid", "speed")
			step := e.plan.Stages[1].Steps[0]
			after := decode[struct{ Data detail }](t, e.postAs(e.recruiter, appPath+"/steps/"+itoa(step.ID), `{"status":"done"}`)).Data
			if after.Version <= moved.Version {
				t.Errorf("recording a step left the version at %d", after.Version)
			}
			e.postAs(e.recruiter, appPath+"/steps/"+itoa(step.ID), `{"status":"finished"}`).wantError(t, http.StatusBadRequest, "invalid", "status")
			tl := decode[struct{ Data []hiring.Event }](t, e.getAs(e.recruiter, appPath+"/timeline")).Data
			if len(tl) < 3 || tl[0].Kind != hiring.EventApplied {
				t.Fatalf("timeline %+v, want applied first and the move and step after", tl)
			}
			if !strings.Contains(string(e.getAs(e.recruiter, appPath+"/timeline").body), "Strong review.") {
				t.Error("the note of the move is not on the timeline")
			}
		})

		t.Run("RejectionsAndMessages", func(t *testing.T) {
			c := hiringtest.MustApplication(t, db, e.x, "c-"+e.x.RequisitionID+"@example.com")
			path := "/api/v1/applications/" + itoa(c.ID)
			e.postAs(e.recruiter, path+"/rejections", `{"reason":"experience","version":1,"message":{"subject":"","body":"Hello"}}`).
				wantError(t, http.StatusBadRequest, "invalid", "message.subject")
			e.postAs(e.recruiter, path+"/rejections", `{"reason":"experience","version":1,"message":{"subject":"Hi","body":"Hello"},"send_at":"2001-01-01T00:00:00Z"}`).
				wantError(t, http.StatusBadRequest, "invalid", "send_at")
			d := decode[struct{ Data detail }](t, e.getAs(e.recruiter, path)).Data
			rej := decode[struct{ Data detail }](t, e.postAs(e.recruiter, path+"/rejections",
				`{"reason":"experience","version":`+itoa(int64(d.Version))+`,"message":{"subject":"About {{job_title}}","body":"Dear {{candidate_name}}, thank you."}}`)).Data
			if rej.Status != "rejected" {
				t.Errorf("status %q, want rejected", rej.Status)
			}
			ms := decode[list[hiring.Message]](t, e.getAs(e.manager, path+"/messages"))
			found := false
			for _, m := range ms.Data {
				if strings.HasPrefix(m.Subject, "About ") && !strings.Contains(m.Subject, "{{") {
					found = true
				}
			}
			if !found || ms.Meta.Total != len(ms.Data) {
				t.Errorf("messages %+v: no rejection with its placeholders filled in", ms.Data)
			}

			d1 := hiringtest.MustApplication(t, db, e.x, "d1-"+e.x.RequisitionID+"@example.com")
			res := decode[struct{ Data hiring.BulkRejectResult }](t, e.postAs(e.manager, "/api/v1/rejections",
				`{"reason":"other_candidate","application_ids":[`+itoa(d1.ID)+`,`+itoa(e.b.ID)+`,999999]}`)).Data
			if len(res.Rejected) != 1 || res.Rejected[0] != d1.ID || res.Skipped[e.b.ID] == "" || res.Skipped[999999] == "" {
				t.Errorf("bulk: %+v; want D rejected, B (another's) and an unknown id skipped", res)
			}
			if got := decode[struct{ Data detail }](t, e.getAs(e.recruiter, "/api/v1/applications/"+itoa(e.b.ID))).Data.Status; got != "active" {
				t.Errorf("B is %s after another manager's bulk rejection", got)
			}
			e.postAs(e.recruiter, "/api/v1/rejections", `{"reason":"other_candidate","application_ids":[]}`).
				wantError(t, http.StatusBadRequest, "invalid", "application_ids")
		})

		t.Run("WithdrawalAndHire", func(t *testing.T) {
			w := hiringtest.MustApplication(t, db, e.x, "w-"+e.x.RequisitionID+"@example.com")
			wd := decode[struct{ Data detail }](t, e.postAs(e.recruiter, "/api/v1/applications/"+itoa(w.ID)+"/withdrawal",
				`{"version":`+itoa(int64(decode[struct{ Data detail }](t, e.getAs(e.recruiter, "/api/v1/applications/"+itoa(w.ID))).Data.Version))+`,"note":"Took another job."}`)).Data
			if wd.Status != "withdrawn" {
				t.Errorf("status %q, want withdrawn", wd.Status)
			}
			h := hiringtest.MustApplication(t, db, e.x, "h-"+e.x.RequisitionID+"@example.com")
			hp := "/api/v1/applications/" + itoa(h.ID)
			hd := decode[struct{ Data detail }](t, e.postAs(e.manager, hp+"/hire",
				`{"version":`+itoa(int64(decode[struct{ Data detail }](t, e.getAs(e.recruiter, hp)).Data.Version))+`}`)).Data
			if hd.Status != "hired" {
				t.Errorf("status %q, want hired", hd.Status)
			}
			e.postAs(e.recruiter, hp+"/hire", `{"version":1}`).wantError(t, http.StatusConflict, "conflict", "")
		})
	})
}

func TestPlansThroughTheAPI(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustLoopEnv(t, db)
		tpls := decode[list[hiring.InterviewPlan]](t, e.getAs(e.manager, "/api/v1/plan-templates"))
		if len(tpls.Data) < 2 || tpls.Meta.Total != len(tpls.Data) {
			t.Fatalf("%d templates, want the shipped ones", len(tpls.Data))
		}
		infra := hiringtest.MustTemplate(t, db, hiringtest.InfrastructureTemplate)
		got := decode[struct{ Data hiring.InterviewPlan }](t, e.getAs(e.manager, "/api/v1/plan-templates/"+itoa(infra.ID))).Data
		if got.Name != infra.Name || len(got.Stages) != len(infra.Stages) {
			t.Errorf("template %q with %d stages, want %q with %d", got.Name, len(got.Stages), infra.Name, len(infra.Stages))
		}
		e.getAs(e.viewer, "/api/v1/plan-templates").wantError(t, http.StatusForbidden, "forbidden", "")
		e.getAs(e.manager, "/api/v1/plan-templates/999999").wantError(t, http.StatusNotFound, "not_found", "")

		planPath := "/api/v1/openings/" + itoa(e.x.ID) + "/plan"
		plan := decode[struct{ Data hiring.InterviewPlan }](t, e.getAs(e.manager, planPath)).Data
		if plan.ID != e.plan.ID {
			t.Errorf("plan %d, want %d", plan.ID, e.plan.ID)
		}
		e.getAs(e.manager, "/api/v1/openings/"+itoa(e.y.ID)+"/plan").wantError(t, http.StatusForbidden, "forbidden", "")

		put := func(token, path, body string) reply {
			return e.do(http.MethodPut, path, token, "application/json", strings.NewReader(body))
		}
		// Applications sit in the first stage, so the plan may be replaced
		// by a copy of a template.
		copied := decode[struct{ Data hiring.InterviewPlan }](t, put(e.manager, planPath, `{"template_id":`+itoa(infra.ID)+`}`)).Data
		if copied.TemplateID == nil || *copied.TemplateID != infra.ID {
			t.Errorf("template_id %v, want %d", copied.TemplateID, infra.ID)
		}
		// Writing the plan out: keep the first stage (where A sits),
		// drop the others, add one.
		first := copied.Stages[0]
		body := `{"name":"Short loop","stages":[{"id":` + itoa(first.ID) + `,"name":"First look","steps":[{"id":` +
			itoa(first.Steps[0].ID) + `,"kind":"` + string(first.Steps[0].Kind) + `"}]},{"name":"Call","steps":[{"kind":"screen","minutes":30}]}]}`
		short := decode[struct{ Data hiring.InterviewPlan }](t, put(e.recruiter, planPath, body)).Data
		if short.Name != "Short loop" || len(short.Stages) != 2 || short.Stages[0].ID != first.ID || short.Stages[1].Steps[0].Name != "Screening call" {
			t.Errorf("plan %+v", short)
		}
		// Dropping the stage that holds A is refused, and nothing changes.
		put(e.recruiter, planPath, `{"stages":[{"name":"Call","steps":[{"kind":"screen"}]}]}`).
			wantError(t, http.StatusConflict, "conflict", "stages")
		if after := decode[struct{ Data hiring.InterviewPlan }](t, e.getAs(e.recruiter, planPath)).Data; len(after.Stages) != 2 {
			t.Errorf("a refused change left %d stages", len(after.Stages))
		}
		put(e.recruiter, planPath, `{"stages":[{"name":"","steps":[]}]}`).wantError(t, http.StatusBadRequest, "invalid", "stages[0].name")
		put(e.recruiter, planPath, `{"template_id":999999}`).wantError(t, http.StatusBadRequest, "invalid", "template_id")
		put(e.recruiter, planPath, `{}`).wantError(t, http.StatusBadRequest, "invalid", "stages")
		put(e.viewer, planPath, `{"template_id":`+itoa(infra.ID)+`}`).wantError(t, http.StatusForbidden, "forbidden", "")

		// An opening without a plan gets the stages written out.
		z := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		made := decode[struct{ Data hiring.InterviewPlan }](t, put(e.recruiter, "/api/v1/openings/"+itoa(z.ID)+"/plan",
			`{"stages":[{"name":"Review","steps":[{"kind":"application_review"}]}]}`)).Data
		if len(made.Stages) != 1 || made.OpeningID == nil || *made.OpeningID != z.ID {
			t.Errorf("new plan %+v", made)
		}
	})
}

func TestInterviewsThroughTheAPI(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustLoopEnv(t, db)
		ivPath := "/api/v1/interviews/" + itoa(e.interview.ID)
		if l := decode[list[hiring.Interview]](t, e.getAs(e.viewer, "/api/v1/interviews")); l.Meta.Total != 1 || l.Data[0].ID != e.interview.ID {
			t.Errorf("the interviewer lists %+v, want their one interview", l.Data)
		}
		if l := decode[list[hiring.Interview]](t, e.getAs(e.recruiter, "/api/v1/interviews?opening="+itoa(e.y.ID))); l.Meta.Total != 0 {
			t.Errorf("%d interviews for Y, want 0", l.Meta.Total)
		}
		e.getAs(e.viewer, "/api/v1/interviews?opening="+itoa(e.y.ID)).wantError(t, http.StatusForbidden, "forbidden", "")
		e.getAs(e.viewer, "/api/v1/interviews?interviewer="+itoa(e.managerUsr.ID)).wantError(t, http.StatusForbidden, "forbidden", "")
		e.getAs(e.recruiter, "/api/v1/interviews?from=tomorrow").wantError(t, http.StatusBadRequest, "invalid", "from")
		got := decode[struct{ Data hiring.Interview }](t, e.getAs(e.manager, ivPath)).Data
		if got.UID == "" || len(got.Interviewers) != 1 || got.Interviewers[0].UserID != e.interviewerUser.ID {
			t.Errorf("interview %+v", got)
		}

		step := e.plan.Stages[0].Steps[0]
		start := time.Now().Add(120 * time.Hour).UTC().Truncate(time.Minute).Format(time.RFC3339)
		created := e.postAs(e.manager, "/api/v1/applications/"+itoa(e.a.ID)+"/interviews",
			`{"step_id":`+itoa(step.ID)+`,"starts_at":"`+start+`","time_zone":"Europe/Berlin","minutes":30,"interviewer_ids":[`+itoa(e.managerUsr.ID)+`]}`)
		if created.status != http.StatusCreated {
			t.Fatalf("schedule: status %d\n%s", created.status, created.body)
		}
		var iv struct{ Data hiring.Interview }
		if err := json.Unmarshal(created.body, &iv); err != nil {
			t.Fatal(err)
		}
		e.postAs(e.viewer, "/api/v1/applications/"+itoa(e.a.ID)+"/interviews", `{}`).wantError(t, http.StatusForbidden, "forbidden", "")
		e.postAs(e.manager, "/api/v1/applications/"+itoa(e.a.ID)+"/interviews", `{"starts_at":"soon"}`).wantError(t, http.StatusBadRequest, "invalid", "starts_at")

		later := time.Now().Add(150 * time.Hour).UTC().Truncate(time.Minute).Format(time.RFC3339)
		moved := decode[struct{ Data hiring.Interview }](t, e.postAs(e.manager, "/api/v1/interviews/"+itoa(iv.Data.ID)+"/reschedule",
			`{"starts_at":"`+later+`","time_zone":"Europe/Berlin","minutes":30,"interviewer_ids":[`+itoa(e.managerUsr.ID)+`],"version":`+itoa(int64(iv.Data.Version))+`}`)).Data
		if moved.Sequence <= iv.Data.Sequence || moved.UID != iv.Data.UID {
			t.Errorf("sequence %d → %d, uid %q → %q; want a higher sequence and the same uid", iv.Data.Sequence, moved.Sequence, iv.Data.UID, moved.UID)
		}
		e.postAs(e.manager, "/api/v1/interviews/"+itoa(iv.Data.ID)+"/cancel", `{"reason":"Moved"}`).wantError(t, http.StatusBadRequest, "invalid", "version")
		e.postAs(e.viewer, "/api/v1/interviews/"+itoa(iv.Data.ID)+"/cancel", `{"version":1}`).wantError(t, http.StatusForbidden, "forbidden", "")
		cancelled := decode[struct{ Data hiring.Interview }](t, e.postAs(e.manager, "/api/v1/interviews/"+itoa(iv.Data.ID)+"/cancel",
			`{"reason":"The candidate asked to move it.","version":`+itoa(int64(moved.Version))+`}`)).Data
		if cancelled.Status != hiring.InterviewCancelled {
			t.Errorf("status %q, want cancelled", cancelled.Status)
		}
		ics := e.getAs(e.manager, "/api/v1/interviews/"+itoa(iv.Data.ID)+"/invite.ics")
		if ics.status != http.StatusOK || !strings.Contains(string(ics.body), "METHOD:CANCEL") {
			t.Errorf("the cancelled interview's calendar: status %d\n%s", ics.status, ics.body)
		}
		e.postAs(e.viewer, ivPath+"/outcome", `{"status":"finished"}`).wantError(t, http.StatusBadRequest, "invalid", "status")
	})
}

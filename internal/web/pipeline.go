package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// sendAtLayout is what a datetime-local control sends; the forms say the
// time is UTC, as every time hireloop shows is.
const sendAtLayout = "2006-01-02T15:04"

// boardPage is an opening's pipeline: a section per stage, the longest
// waiting first, with one form to reject the cards ticked.
type boardPage struct {
	layout
	Opening *hiring.Opening
	Board   *hiring.Board
	Columns []boardColumnView
	// Plans offers the templates (and the role's plan) to an opening
	// without a plan.
	Plans  []option
	Reject *form
	// Replies tells how the opening keeps its promises to reply.
	Replies *hiring.ReplyStats
}

// boardColumnView is a column with the words its cards show.
type boardColumnView struct {
	*hiring.BoardColumn
	// Anchor is the id of the column's heading.
	Anchor string
	Cards  []boardCardView
	More   int
}

// boardCardView is a card with how long it has waited.
type boardCardView struct {
	*hiring.BoardCard
	Waiting string
	// Reply is the date by which the candidate is owed a reply.
	Reply *replyView
}

// rejectFields are the fields of a rejection, on the board and on an
// application; send_at is laid out by hand as a datetime-local control.
func rejectFields() []fieldSpec {
	reasons := []option{{"", "Choose a reason"}}
	for _, r := range hiring.RejectReasons {
		reasons = append(reasons, option{string(r), r.Label()})
	}
	return []fieldSpec{
		{Name: "reason", Label: "Reason", Kind: kindSelect, Required: true, Options: reasons},
		{Name: "note", Label: "Note for the hiring team", Hint: "Required when the reason is “Other”.",
			Kind: kindTextarea, Rows: 3, MaxLen: hiring.MaxNoteLen},
		{Name: "send_message", Label: "Send the candidate this message", Kind: kindCheckbox},
		{Name: "subject", Label: "Subject", MaxLen: hiring.MaxSubjectLen},
		{Name: "message", Label: "Message to the candidate", Kind: kindTextarea, Rows: 8,
			Hint: hiring.PlaceholderCandidateName + " and " + hiring.PlaceholderJobTitle + " are filled in for each candidate."},
		{Name: "send_at", Label: "Send at (UTC)", Hint: "Leave empty to send now."},
		{Name: "keep_upcoming_interviews", Label: "Interviews in the next 24 hours", Kind: kindSelect,
			Hint: "Later interviews are cancelled with the rejection.", Options: []option{
				{"", "Ask me if there are any"}, {"keep", "Keep them: the candidate may use them for questions"},
				{"cancel", "Cancel them and tell everyone invited"}}},
	}
}

// newRejectForm is the rejection form as first shown: the default message,
// to be sent now.
func newRejectForm() *form {
	m := hiring.DefaultRejectMessage()
	return newForm(rejectFields(), url.Values{"send_message": {"on"}, "subject": {m.Subject}, "message": {m.Body}})
}

// parseReject reads a rejection form; its errors are field messages.
func parseReject(vals url.Values, now time.Time) (hiring.RejectInput, error) {
	in := hiring.RejectInput{Reason: hiring.RejectReason(vals.Get("reason")), Note: vals.Get("note")}
	v := hiring.Validation{}
	switch vals.Get("keep_upcoming_interviews") {
	case "keep":
		in.KeepUpcomingInterviews = new(true)
	case "cancel":
		in.KeepUpcomingInterviews = new(false)
	}
	if vals.Get("send_message") != "" {
		in.Message = &hiring.RejectMessage{Subject: vals.Get("subject"), Body: vals.Get("message")}
		if s := strings.TrimSpace(vals.Get("send_at")); s != "" {
			t, err := time.ParseInLocation(sendAtLayout, s, time.UTC)
			if err != nil {
				v.Add("send_at", "Write a date and time such as 2030-01-31T09:00.")
			} else {
				in.SendAt = &t
			}
		}
	}
	if err := in.Validate(); err != nil {
		for k, msg := range hiring.ErrorFields(err) {
			v.Add(k, msg)
		}
	}
	if in.SendAt != nil {
		if err := hiring.CheckSendAt(in.SendAt, now); err != nil {
			for k, msg := range hiring.ErrorFields(err) {
				v.Add(k, msg)
			}
		}
	}
	return in, v.Err()
}

// waiting says how long a card has sat in its stage.
func waiting(since, now time.Time) string {
	d := now.Sub(since)
	switch {
	case d < time.Hour:
		return "waiting less than an hour"
	case d < 24*time.Hour:
		return "waiting " + plural(int(d/time.Hour), "hour", "hours")
	}
	return "waiting " + plural(int(d/(24*time.Hour)), "day", "days")
}

func (s *Server) handleBoard(w http.ResponseWriter, r *http.Request) error {
	o, err := s.teamOpeningFor(r)
	if err != nil {
		return err
	}
	return s.renderBoard(w, r, http.StatusOK, o, newRejectForm())
}

// renderBoard shows the opening's board with the rejection form f.
func (s *Server) renderBoard(w http.ResponseWriter, r *http.Request, status int, o *hiring.Opening, f *form) error {
	ctx := r.Context()
	b, err := s.pipeline.Board(ctx, hiring.BoardFilter{OpeningID: o.ID})
	if err != nil {
		return err
	}
	p := &boardPage{layout: layout{Title: "Pipeline of " + o.Title}, Opening: o, Board: b, Reject: f}
	now := s.now()
	for i, c := range b.Columns {
		cv := boardColumnView{BoardColumn: c, Anchor: fmt.Sprintf("stage-%d", i+1), More: c.Count - len(c.Cards)}
		for _, card := range c.Cards {
			cv.Cards = append(cv.Cards, boardCardView{BoardCard: card, Waiting: waiting(card.InStageSince, now),
				Reply: newReplyView(card.HearBackBy, now)})
		}
		p.Columns = append(p.Columns, cv)
	}
	if p.Replies, err = s.replyStats(ctx, o.ID); err != nil {
		return err
	}
	if b.Plan == nil {
		templates, err := s.interviewPlans.FindTemplates(ctx)
		if err != nil {
			return err
		}
		if o.Role != nil && hiring.PlanFromRole(o.Role) != nil {
			p.Plans = append(p.Plans, option{"role", "The hiring process of the role’s page"})
		}
		for _, t := range templates {
			p.Plans = append(p.Plans, option{"template:" + itoa(t.ID), "Template: " + t.Name})
		}
	}
	s.render(w, r, status, "board", p)
	return nil
}

// handleOpeningPlanApply gives an opening a plan: a copy of a template or
// the one made from its role's page.
func (s *Server) handleOpeningPlanApply(w http.ResponseWriter, r *http.Request) error {
	o, err := s.openingFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	choice := r.PostForm.Get("plan")
	var plan *hiring.InterviewPlan
	switch {
	case choice == "role":
		plan, err = s.interviewPlans.ApplyRolePlan(r.Context(), o.ID)
	case strings.HasPrefix(choice, "template:"):
		id, perr := strconv.ParseInt(strings.TrimPrefix(choice, "template:"), 10, 64)
		if perr != nil || id < 1 {
			return choosePlanError()
		}
		plan, err = s.interviewPlans.ApplyTemplate(r.Context(), o.ID, id)
		if hiring.ErrorCode(err) == hiring.ENOTFOUND {
			return choosePlanError()
		}
	default:
		return choosePlanError()
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/openings/"+itoa(o.ID)+"/pipeline",
		fmt.Sprintf("The opening now follows “%s”, with %s.", plan.Name, plural(len(plan.Stages), "stage", "stages")))
}

func choosePlanError() error {
	return &hiring.Error{Code: hiring.EINVALID, Message: "plan: Choose a plan from the list.",
		Fields: map[string]string{"plan": "Choose a plan from the list."}}
}

// handleBulkReject rejects the applications ticked on the board with one
// message. Ids that are not applications to this opening are skipped, so a
// hiring manager cannot reach another opening's candidates through it.
func (s *Server) handleBulkReject(w http.ResponseWriter, r *http.Request) error {
	o, err := s.teamOpeningFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	in, verr := parseReject(r.PostForm, s.now())
	var ids []int64
	skipped := 0
	for _, raw := range r.PostForm["ids"] {
		id, perr := strconv.ParseInt(raw, 10, 64)
		if perr != nil || id < 1 {
			skipped++
			continue
		}
		a, ferr := s.applications.FindApplicationByID(ctx, id)
		if hiring.ErrorCode(ferr) == hiring.ENOTFOUND || (ferr == nil && a.OpeningID != o.ID) {
			skipped++
			continue
		} else if ferr != nil {
			return ferr
		}
		ids = append(ids, id)
	}
	var res *hiring.BulkRejectResult
	err = verr
	if err == nil && len(ids) == 0 {
		err = hiring.Errorf(hiring.EINVALID, "Tick at least one application to reject.")
	}
	if err == nil {
		res, err = s.pipeline.BulkReject(ctx, ids, in)
	}
	if err != nil {
		if hiring.ErrorCode(err) != hiring.EINVALID {
			return err
		}
		f := newForm(rejectFields(), r.PostForm)
		f.setError(err)
		return s.renderBoard(w, r, http.StatusBadRequest, o, f)
	}
	flash := plural(len(res.Rejected), "application", "applications") + " rejected."
	if n := skipped + len(res.Skipped); n > 0 {
		flash += " " + plural(n, "application was", "applications were") +
			" left alone: no longer active, or not an application to this opening."
	}
	return s.redirect(w, r, "/openings/"+itoa(o.ID)+"/pipeline", flash)
}

// applicationPage shows an application's place in the plan, the forms
// that move it, and its timeline.
type applicationPage struct {
	layout
	Progress *hiring.Progress
	Opening  *hiring.Opening
	// Message explains why the last change was refused.
	Message  string
	Steps    []stepView
	Stages   []option
	Reject   *form
	Timeline []eventView
	Active   bool
	CanHire  bool
	Waiting  string
	// Reply is the date by which the candidate is owed a reply.
	Reply *replyView
	// Interviews lists the application's interviews with links to
	// schedule its steps.
	Interviews *applicationInterviews
	// CanChange shows the links and forms of the hiring team (messages,
	// the pipeline); CanSeeOpening the links to the opening's page; and
	// CanSendLink the forms of the candidate's private link.
	CanChange, CanSeeOpening, CanSendLink bool
}

// eventView is a timeline entry with its reason as people read it.
type eventView struct {
	*hiring.Event
	ReasonLabel string
}

// stepView is a step of the current stage with the application's status.
type stepView struct {
	*hiring.PlanStep
	Status hiring.StepStatus
}

// applicationFor finds the application of the {id} in the path with its
// opening, if the acting user may change it (see hiring.AccessToApplication).
func (s *Server) applicationFor(r *http.Request) (*hiring.Progress, *hiring.Opening, error) {
	return s.applicationAccessFor(r, true)
}

// applicationAccessFor finds the application of the {id} in the path with
// its opening, if the acting user may see it; with change, only if they may
// change it.
func (s *Server) applicationAccessFor(r *http.Request, change bool) (*hiring.Progress, *hiring.Opening, error) {
	id, err := api.PathID(r)
	if err != nil {
		return nil, nil, err
	}
	if _, _, _, err := s.api.ApplicationFor(r.Context(), id, change); err != nil {
		return nil, nil, err
	}
	p, err := s.pipeline.Progress(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.openings.FindOpeningByID(r.Context(), p.Application.OpeningID)
	if err != nil {
		return nil, nil, err
	}
	return p, o, nil
}

func (s *Server) handleApplication(w http.ResponseWriter, r *http.Request) error {
	p, o, err := s.applicationAccessFor(r, false)
	if err != nil {
		return err
	}
	return s.renderApplication(w, r, http.StatusOK, p, o, "", s.rejectFormFor(r, p))
}

// renderApplication shows the application page; msg says why a change was
// refused and f is the rejection form as typed.
func (s *Server) renderApplication(w http.ResponseWriter, r *http.Request, status int, p *hiring.Progress,
	o *hiring.Opening, msg string, f *form) error {
	a := p.Application
	tl, err := s.pipeline.Timeline(r.Context(), a.ID)
	if err != nil {
		return err
	}
	name := "Candidate " + itoa(a.CandidateID)
	if a.Candidate != nil && a.Candidate.Name != "" {
		name = a.Candidate.Name
	}
	pg := &applicationPage{layout: layout{Title: name + " for " + o.Title}, Progress: p, Opening: o, Message: msg,
		Reject: f, Active: a.Status == hiring.ApplicationActive}
	for _, ev := range tl {
		v := eventView{Event: ev}
		if ev.Reason != "" {
			v.ReasonLabel = hiring.RejectReason(ev.Reason).Label()
		}
		pg.Timeline = append(pg.Timeline, v)
	}
	if p.Stage != nil {
		for _, st := range p.Stage.Steps {
			pg.Steps = append(pg.Steps, stepView{PlanStep: st, Status: p.StepStatus(st.ID)})
		}
	}
	if p.Plan != nil {
		for _, g := range p.Plan.Stages {
			pg.Stages = append(pg.Stages, option{itoa(g.ID), g.Name})
		}
	}
	for _, v := range o.Vacancies {
		if v.Status == hiring.VacancyOpen {
			pg.CanHire = true
		}
	}
	if pg.Active {
		pg.Waiting = waiting(p.InStageSince, s.now())
	}
	// An interviewer sees the application without the forms that change it.
	if acc, err := s.api.AccessTo(r.Context(), a, o); err != nil {
		return err
	} else if !acc.CanChange() {
		pg.Active, pg.CanHire = false, false
	} else {
		u := hiring.ActorFromContext(r.Context())
		pg.CanChange, pg.CanSeeOpening = true, hiring.CanManageOpening(u, o)
		pg.CanSendLink = u.Role.CanSeeOpenings()
	}
	if pg.Reply, err = s.replyDate(r.Context(), a.ID); err != nil {
		return err
	}
	if pg.Interviews, err = s.interviewSection(r, p, pg.Active); err != nil {
		return err
	}
	s.render(w, r, status, "application", pg)
	return nil
}

// formVersion reads the version a form was rendered with.
func formVersion(vals url.Values) (int, error) {
	v, err := strconv.Atoi(vals.Get("version"))
	if err != nil || v < 0 {
		return 0, &hiring.Error{Code: hiring.EINVALID, Message: "version: This form is out of date; reload the page.",
			Fields: map[string]string{"version": "This form is out of date; reload the page."}}
	}
	return v, nil
}

// pipelineChange runs one change to the application of the path from a
// posted form. A change refused for a stale version shows the application
// as it is now with 409; one refused for its input shows the page with the
// message; success goes back to the application with flash.
func (s *Server) pipelineChange(w http.ResponseWriter, r *http.Request,
	change func(p *hiring.Progress, vals url.Values) (string, error)) error {
	p, o, err := s.applicationFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	flash, err := change(p, r.PostForm)
	if err == nil {
		return s.redirect(w, r, "/applications/"+itoa(p.Application.ID), flash)
	}
	var vc *hiring.VersionConflict
	if errors.As(err, &vc) && vc.Current != nil {
		return s.renderApplication(w, r, http.StatusConflict, vc.Current, o, hiring.StaleVersionMessage, newRejectForm())
	}
	code := hiring.ErrorCode(err)
	if code != hiring.EINVALID && code != hiring.ECONFLICT {
		return err
	}
	// Only the rejection form has fields to mark; the other forms are a
	// button or two, and their message goes at the top of the page.
	f, msg := newRejectForm(), ""
	if r.URL.Path == "/applications/"+itoa(p.Application.ID)+"/reject" {
		f = newForm(rejectFields(), r.PostForm)
		f.setError(err)
		msg, f.Message = f.Message, ""
		if msg == "" {
			msg = "The rejection was not made; see the form below."
		}
	} else {
		top := newForm(nil, nil)
		top.setError(err)
		msg = top.Message
	}
	if cur, perr := s.pipeline.Progress(r.Context(), p.Application.ID); perr == nil {
		p = cur
	}
	return s.renderApplication(w, r, api.Status(err), p, o, msg, f)
}

func (s *Server) handleAdvance(w http.ResponseWriter, r *http.Request) error {
	return s.pipelineChange(w, r, func(p *hiring.Progress, vals url.Values) (string, error) {
		version, err := formVersion(vals)
		if err != nil {
			return "", err
		}
		next, err := s.pipeline.Advance(r.Context(), p.Application.ID, version,
			hiring.AdvanceOptions{Force: vals.Get("force") != "", Note: vals.Get("note")})
		if err != nil {
			return "", err
		}
		return "Moved forward to " + next.Stage.Name + ".", nil
	})
}

func (s *Server) handleMove(w http.ResponseWriter, r *http.Request) error {
	return s.pipelineChange(w, r, func(p *hiring.Progress, vals url.Values) (string, error) {
		version, err := formVersion(vals)
		if err != nil {
			return "", err
		}
		stageID, err := strconv.ParseInt(vals.Get("stage_id"), 10, 64)
		if err != nil {
			return "", &hiring.Error{Code: hiring.EINVALID, Message: "stage_id: Choose a stage from the list.",
				Fields: map[string]string{"stage_id": "Choose a stage from the list."}}
		}
		next, err := s.pipeline.MoveTo(r.Context(), p.Application.ID, stageID, version, vals.Get("note"))
		if err != nil {
			return "", err
		}
		return "Moved to " + next.Stage.Name + ".", nil
	})
}

// handleStep records a step's status. It carries no version: a step's
// status is a fact someone reports, and recording it raises the version so
// that a move made from an older page is refused.
func (s *Server) handleStep(w http.ResponseWriter, r *http.Request) error {
	return s.pipelineChange(w, r, func(p *hiring.Progress, vals url.Values) (string, error) {
		stepID, err := strconv.ParseInt(vals.Get("step_id"), 10, 64)
		if err != nil {
			return "", &hiring.Error{Code: hiring.EINVALID, Message: "step_id: Choose a step of the plan.",
				Fields: map[string]string{"step_id": "Choose a step of the plan."}}
		}
		status := hiring.StepStatus(vals.Get("status"))
		next, err := s.pipeline.CompleteStep(r.Context(), p.Application.ID, stepID, status)
		if err != nil {
			return "", err
		}
		name := "The step"
		if next.Plan != nil {
			if g := next.Plan.StageOf(stepID); g != nil {
				name = g.Step(stepID).Name
			}
		}
		return name + ": " + status.Label() + ".", nil
	})
}

func (s *Server) handleReject(w http.ResponseWriter, r *http.Request) error {
	return s.pipelineChange(w, r, func(p *hiring.Progress, vals url.Values) (string, error) {
		version, err := formVersion(vals)
		if err != nil {
			return "", err
		}
		in, err := parseReject(vals, s.now())
		if err != nil {
			return "", err
		}
		if _, err := s.pipeline.Reject(r.Context(), p.Application.ID, in, version); err != nil {
			return "", err
		}
		switch {
		case in.Message == nil:
			return "Application rejected; no message was sent.", nil
		case in.SendAt != nil:
			return "Application rejected; the message will be sent on " + formatDateTime(in.SendAt) + ".", nil
		}
		return "Application rejected; the message is on its way.", nil
	})
}

func (s *Server) handleWithdraw(w http.ResponseWriter, r *http.Request) error {
	return s.pipelineChange(w, r, func(p *hiring.Progress, vals url.Values) (string, error) {
		version, err := formVersion(vals)
		if err != nil {
			return "", err
		}
		if _, err := s.pipeline.Withdraw(r.Context(), p.Application.ID, version, vals.Get("withdraw_note"), false); err != nil {
			return "", err
		}
		return "The application is marked as withdrawn.", nil
	})
}

func (s *Server) handleHire(w http.ResponseWriter, r *http.Request) error {
	return s.pipelineChange(w, r, func(p *hiring.Progress, vals url.Values) (string, error) {
		version, err := formVersion(vals)
		if err != nil {
			return "", err
		}
		if _, err := s.pipeline.Hire(r.Context(), p.Application.ID, nil, version); err != nil {
			return "", err
		}
		return "Hired. A seat of the opening is filled.", nil
	})
}

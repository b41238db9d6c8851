package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hireloop/internal/hiring"
)

// ListApplications answers GET /api/v1/applications, newest first,
// filtered by opening, candidate, status, stage (an id or a name) and
// reply (due: the day a reply is due has begun in the candidate's time
// zone, or passed; overdue: the reply date has passed). Users who do not run hiring get the applications of the openings
// whose hiring team names them and those they interview.
func (h *Handler) ListApplications(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := hiring.ApplicationFilter{
		OpeningID:   q.id("opening"),
		CandidateID: q.id("candidate"),
		Status:      q.applicationStatus("status"),
	}
	if s := q.text("stage"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			if n < 1 {
				q.v.Add("stage", "Name a stage by its id or its name.")
			}
			f.StageID = &n
		} else {
			f.Stage = s
		}
	}
	switch reply := q.values.Get("reply"); reply {
	case "":
	case "due":
		// A stored reply date is the end of the due day in the candidate's
		// time zone, so the day has begun when that end is less than a day
		// away: the same meaning as the owed-a-reply page.
		by := h.now().UTC().Add(24*time.Hour - time.Nanosecond)
		f.ReplyDueBy = &by
	case "overdue":
		now := h.now().UTC().Add(-time.Nanosecond)
		f.ReplyDueBy = &now
	default:
		q.v.Add("reply", "Choose due or overdue.")
	}
	f.Offset, f.Limit = q.page()
	if err := q.err(); err != nil {
		return err
	}
	if u := hiring.ActorFromContext(r.Context()); !u.Role.CanManageOpenings() {
		f.VisibleTo = &u.ID
	}
	// With an opening, a stage name means the stage of its plan, where
	// applications not placed yet count as being in the first stage.
	if f.Stage != "" && f.OpeningID != nil {
		p, err := h.InterviewPlans.FindPlan(r.Context(), *f.OpeningID)
		if err != nil && hiring.ErrorCode(err) != hiring.ENOTFOUND {
			return err
		}
		if p != nil {
			for _, g := range p.Stages {
				if strings.EqualFold(g.Name, f.Stage) {
					f.StageID, f.Stage = &g.ID, ""
					break
				}
			}
		}
	}
	apps, total, err := h.Applications.FindApplications(r.Context(), f)
	if err != nil {
		return err
	}
	if apps == nil {
		apps = []*hiring.Application{}
	}
	for _, a := range apps {
		fillApplication(a)
	}
	return list(w, apps, total, f.Offset, f.Limit)
}

// ApplicationDetail is an application with its place in the plan: the
// stage, the version a change must name, the reply owed, and the status of
// every step.
type ApplicationDetail struct {
	*hiring.Application
	StageID      *int64     `json:"stage_id"`
	Version      int        `json:"version"`
	HearBackBy   *time.Time `json:"hear_back_by"`
	InStageSince time.Time  `json:"in_stage_since"`
	// Stages is the opening's plan with the application's status of each
	// step; empty when the opening has no plan.
	Stages []StageProgress `json:"stages"`
	// Access says what the acting user may do: "team" sees and changes,
	// "interview" only sees.
	Access string `json:"access"`
}

// StageProgress is a stage of the plan with the application's steps.
type StageProgress struct {
	ID      int64          `json:"id"`
	Name    string         `json:"name"`
	Current bool           `json:"current"`
	Steps   []StepProgress `json:"steps"`
}

// StepProgress is a step of the plan with the application's status.
type StepProgress struct {
	ID       int64             `json:"id"`
	Name     string            `json:"name"`
	Kind     hiring.StepKind   `json:"kind"`
	Optional bool              `json:"optional"`
	Status   hiring.StepStatus `json:"status"`
}

// detail makes the answer for an application from its progress.
func (h *Handler) detail(r *http.Request, p *hiring.Progress, acc hiring.ApplicationAccess) (*ApplicationDetail, error) {
	a := p.Application
	fillApplication(a)
	d := &ApplicationDetail{Application: a, Version: p.Version, InStageSince: p.InStageSince, Stages: []StageProgress{},
		Access: "interview"}
	if acc.CanChange() {
		d.Access = "team"
	}
	if p.Stage != nil {
		d.StageID = &p.Stage.ID
		a.Stage = p.Stage.Name
	}
	if p.Plan != nil {
		for _, g := range p.Plan.Stages {
			sp := StageProgress{ID: g.ID, Name: g.Name, Current: p.Stage != nil && p.Stage.ID == g.ID, Steps: []StepProgress{}}
			for _, st := range g.Steps {
				sp.Steps = append(sp.Steps, StepProgress{ID: st.ID, Name: st.Name, Kind: st.Kind,
					Optional: st.Optional, Status: p.StepStatus(st.ID)})
			}
			d.Stages = append(d.Stages, sp)
		}
	}
	if h.Facts != nil {
		var err error
		if d.HearBackBy, err = h.Facts.HearBackBy(r.Context(), a.ID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// GetApplication answers GET /api/v1/applications/{id}.
func (h *Handler) GetApplication(w http.ResponseWriter, r *http.Request) error {
	a, _, acc, err := h.applicationOf(r, false)
	if err != nil {
		return err
	}
	p, err := h.Pipeline.Progress(r.Context(), a.ID)
	if err != nil {
		return err
	}
	d, err := h.detail(r, p, acc)
	if err != nil {
		return err
	}
	return ok(w, d)
}

// ApplicationTimeline answers GET /api/v1/applications/{id}/timeline:
// every event, oldest first.
func (h *Handler) ApplicationTimeline(w http.ResponseWriter, r *http.Request) error {
	a, _, _, err := h.applicationOf(r, false)
	if err != nil {
		return err
	}
	evs, err := h.Pipeline.Timeline(r.Context(), a.ID)
	if err != nil {
		return err
	}
	if evs == nil {
		evs = []*hiring.Event{}
	}
	return ok(w, evs)
}

// changed answers a pipeline change: the application as it is now, or for
// a stale version 409 with the current state, so the client can look
// again and decide.
func (h *Handler) changed(w http.ResponseWriter, r *http.Request, p *hiring.Progress, err error) error {
	var vc *hiring.VersionConflict
	if errors.As(err, &vc) && vc.Current != nil {
		d, derr := h.detail(r, vc.Current, hiring.TeamAccess)
		if derr != nil {
			return derr
		}
		writeJSON(w, http.StatusConflict, conflictBody{
			Error: ErrorDetail{Code: hiring.ECONFLICT, Message: hiring.StaleVersionMessage, Field: "version",
				Fields: map[string]string{"version": hiring.StaleVersionMessage}},
			Current: d,
		})
		return nil
	}
	if err != nil {
		return err
	}
	d, err := h.detail(r, p, hiring.TeamAccess)
	if err != nil {
		return err
	}
	return ok(w, d)
}

// conflictBody is the answer to a change made from a stale version.
type conflictBody struct {
	Error   ErrorDetail        `json:"error"`
	Current *ApplicationDetail `json:"current"`
}

// requireVersion checks that a change names the version it was made from.
func requireVersion(v *int) (int, error) {
	if v == nil || *v < 0 {
		msg := "Send the version of the application you saw, from its last answer."
		return 0, &hiring.Error{Code: hiring.EINVALID, Message: "version: " + msg, Fields: map[string]string{"version": msg}}
	}
	return *v, nil
}

// moveBody is the body of POST /api/v1/applications/{id}/moves.
type moveBody struct {
	// To is "next" or the id of a stage of the plan.
	To      json.RawMessage `json:"to"`
	Version *int            `json:"version"`
	Note    string          `json:"note"`
	Force   bool            `json:"force"`
}

// MoveApplication answers POST /api/v1/applications/{id}/moves: to the
// next stage (refused while required steps are unfinished, unless force)
// or to any stage of the plan.
func (h *Handler) MoveApplication(w http.ResponseWriter, r *http.Request) error {
	a, _, _, err := h.applicationOf(r, true)
	if err != nil {
		return err
	}
	var b moveBody
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	version, err := requireVersion(b.Version)
	if err != nil {
		return err
	}
	to := bytes.TrimSpace(b.To)
	var p *hiring.Progress
	var stageID int64
	switch {
	case string(to) == `"next"`:
		p, err = h.Pipeline.Advance(r.Context(), a.ID, version, hiring.AdvanceOptions{Force: b.Force, Note: b.Note})
	case json.Unmarshal(to, &stageID) == nil && stageID > 0:
		p, err = h.Pipeline.MoveTo(r.Context(), a.ID, stageID, version, b.Note)
	default:
		msg := `Send "next" or the id of a stage of the plan.`
		return &hiring.Error{Code: hiring.EINVALID, Message: "to: " + msg, Fields: map[string]string{"to": msg}}
	}
	return h.changed(w, r, p, err)
}

// CompleteStep answers POST /api/v1/applications/{id}/steps/{step_id}
// with {"status": ...}: the application's status for one step.
func (h *Handler) CompleteStep(w http.ResponseWriter, r *http.Request) error {
	a, _, _, err := h.applicationOf(r, true)
	if err != nil {
		return err
	}
	stepID, err := strconv.ParseInt(r.PathValue("step_id"), 10, 64)
	if err != nil || stepID < 1 {
		return &hiring.Error{Code: hiring.EINVALID, Message: "step_id: Must be a positive whole number.",
			Fields: map[string]string{"step_id": "Must be a positive whole number."}}
	}
	var b struct {
		Status hiring.StepStatus `json:"status"`
	}
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	if !b.Status.Valid() {
		msg := "Choose one of: pending, scheduled, done, skipped, no_show."
		return &hiring.Error{Code: hiring.EINVALID, Message: "status: " + msg, Fields: map[string]string{"status": msg}}
	}
	p, err := h.Pipeline.CompleteStep(r.Context(), a.ID, stepID, b.Status)
	return h.changed(w, r, p, err)
}

// rejectBody is the body of a rejection.
type rejectBody struct {
	hiring.RejectInput
	Version *int `json:"version"`
}

// checkReject validates a rejection, naming the fields as the body has
// them (message.subject, message.body).
func (h *Handler) checkReject(in *hiring.RejectInput) error {
	err := in.Validate()
	if err == nil {
		err = hiring.CheckSendAt(in.SendAt, h.now())
	}
	if err == nil {
		return nil
	}
	fields := hiring.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	v := hiring.Validation{}
	for k, msg := range fields {
		switch k {
		case "subject":
			k = "message.subject"
		case "message":
			k = "message.body"
		}
		v.Add(k, msg)
	}
	return v.Err()
}

// RejectApplication answers POST /api/v1/applications/{id}/rejections.
func (h *Handler) RejectApplication(w http.ResponseWriter, r *http.Request) error {
	a, _, _, err := h.applicationOf(r, true)
	if err != nil {
		return err
	}
	var b rejectBody
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	version, err := requireVersion(b.Version)
	if err != nil {
		return err
	}
	if err := h.checkReject(&b.RejectInput); err != nil {
		return err
	}
	p, err := h.Pipeline.Reject(r.Context(), a.ID, b.RejectInput, version)
	return h.changed(w, r, p, err)
}

// bulkRejectBody is the body of POST /api/v1/rejections.
type bulkRejectBody struct {
	hiring.RejectInput
	ApplicationIDs []int64 `json:"application_ids"`
}

// BulkReject answers POST /api/v1/rejections: one message to every
// application named. Applications the acting user may not change are
// skipped like those no longer active, without saying more.
func (h *Handler) BulkReject(w http.ResponseWriter, r *http.Request) error {
	var b bulkRejectBody
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	if len(b.ApplicationIDs) == 0 || len(b.ApplicationIDs) > hiring.MaxBulk {
		msg := "Name from 1 to " + strconv.Itoa(hiring.MaxBulk) + " applications."
		return &hiring.Error{Code: hiring.EINVALID, Message: "application_ids: " + msg,
			Fields: map[string]string{"application_ids": msg}}
	}
	if err := h.checkReject(&b.RejectInput); err != nil {
		return err
	}
	var ids []int64
	skipped := map[int64]string{}
	for _, id := range b.ApplicationIDs {
		if _, _, _, err := h.ApplicationFor(r.Context(), id, true); err != nil {
			switch hiring.ErrorCode(err) {
			case hiring.ENOTFOUND, hiring.EFORBIDDEN:
				skipped[id] = "No application you may change has this id."
				continue
			}
			return err
		}
		ids = append(ids, id)
	}
	res := &hiring.BulkRejectResult{Rejected: []int64{}, Skipped: map[int64]string{}}
	if len(ids) > 0 {
		var err error
		if res, err = h.Pipeline.BulkReject(r.Context(), ids, b.RejectInput); err != nil {
			return err
		}
		if res.Rejected == nil {
			res.Rejected = []int64{}
		}
		if res.Skipped == nil {
			res.Skipped = map[int64]string{}
		}
	}
	for id, why := range skipped {
		res.Skipped[id] = why
	}
	return ok(w, res)
}

// WithdrawApplication answers POST /api/v1/applications/{id}/withdrawal:
// the candidate withdrew, as the team was told.
func (h *Handler) WithdrawApplication(w http.ResponseWriter, r *http.Request) error {
	a, _, _, err := h.applicationOf(r, true)
	if err != nil {
		return err
	}
	var b struct {
		Version *int   `json:"version"`
		Note    string `json:"note"`
	}
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	version, err := requireVersion(b.Version)
	if err != nil {
		return err
	}
	p, err := h.Pipeline.Withdraw(r.Context(), a.ID, version, b.Note, false)
	return h.changed(w, r, p, err)
}

// HireApplication answers POST /api/v1/applications/{id}/hire: the
// candidate fills the seat named, or the opening's first open one.
func (h *Handler) HireApplication(w http.ResponseWriter, r *http.Request) error {
	a, _, _, err := h.applicationOf(r, true)
	if err != nil {
		return err
	}
	var b struct {
		Version   *int   `json:"version"`
		VacancyID *int64 `json:"vacancy_id"`
	}
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	version, err := requireVersion(b.Version)
	if err != nil {
		return err
	}
	p, err := h.Pipeline.Hire(r.Context(), a.ID, b.VacancyID, version)
	return h.changed(w, r, p, err)
}

// ApplicationMessages answers GET /api/v1/applications/{id}/messages: the
// email hireloop sent or will send the candidate about the application,
// newest first. Interviewers do not see it.
func (h *Handler) ApplicationMessages(w http.ResponseWriter, r *http.Request) error {
	a, _, _, err := h.applicationOf(r, true)
	if err != nil {
		return err
	}
	q := newQuery(r)
	f := hiring.MessageFilter{ApplicationID: &a.ID}
	f.Offset, f.Limit = q.page()
	if err := q.err(); err != nil {
		return err
	}
	ms, total, err := h.Outbox.FindMessages(r.Context(), f)
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []*hiring.Message{}
	}
	return list(w, ms, total, f.Offset, f.Limit)
}

// SendMessage answers POST /api/v1/applications/{id}/messages: a message
// to the candidate, sent now or at send_at, which counts as the reply they
// are owed. kind defaults to message_to_candidate.
func (h *Handler) SendMessage(w http.ResponseWriter, r *http.Request) error {
	a, _, _, err := h.applicationOf(r, true)
	if err != nil {
		return err
	}
	var in hiring.SendInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Kind == "" {
		in.Kind = hiring.KindMessageToCandidate
	}
	if err := in.Validate(); err != nil {
		return err
	}
	if err := hiring.CheckSendAt(in.SendAt, h.now()); err != nil {
		return err
	}
	m, err := h.Messages.SendToCandidate(r.Context(), a.ID, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, Envelope{Data: m})
	return nil
}

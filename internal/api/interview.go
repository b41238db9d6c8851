package api

import (
	"net/http"
	"strconv"
	"time"

	"hireloop/internal/hiring"
)

// ListInterviews answers GET /api/v1/interviews, by start time, filtered
// by application, opening, interviewer, status and a range of start times
// (from, to: RFC 3339). Users who do not run hiring name an application or
// an opening they may see, or get the interviews they sit on.
func (h *Handler) ListInterviews(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := hiring.InterviewFilter{
		ApplicationID: q.id("application"),
		OpeningID:     q.id("opening"),
		InterviewerID: q.id("interviewer"),
		Status:        q.interviewStatus("status"),
		From:          q.instant("from"),
		To:            q.instant("to"),
	}
	f.Offset, f.Limit = q.page()
	if err := q.err(); err != nil {
		return err
	}
	ctx := r.Context()
	u := hiring.ActorFromContext(ctx)
	if !u.Role.CanManageOpenings() {
		switch {
		case f.ApplicationID != nil:
			if _, _, _, err := h.ApplicationFor(ctx, *f.ApplicationID, false); err != nil {
				return err
			}
		case f.OpeningID != nil:
			if _, err := h.teamOpeningFor(ctx, *f.OpeningID); err != nil {
				return err
			}
		case f.InterviewerID != nil && *f.InterviewerID != u.ID:
			return hiring.Errorf(hiring.EFORBIDDEN, "Name an application or opening you may see to list other people’s interviews.")
		default:
			f.InterviewerID = &u.ID
		}
	}
	ivs, total, err := h.Interviews.FindInterviews(ctx, f)
	if err != nil {
		return err
	}
	if ivs == nil {
		ivs = []*hiring.Interview{}
	}
	for _, iv := range ivs {
		fillInterview(iv)
	}
	return list(w, ivs, total, f.Offset, f.Limit)
}

// interviewFor finds the interview of the {id} in the path, if the acting
// user may see its application; with change, only if they may change it.
func (h *Handler) interviewFor(r *http.Request, change bool) (*hiring.Interview, error) {
	id, err := PathID(r)
	if err != nil {
		return nil, err
	}
	iv, err := h.Interviews.FindInterviewByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if _, _, _, err := h.ApplicationFor(r.Context(), iv.ApplicationID, change); err != nil {
		return nil, err
	}
	return iv, nil
}

// GetInterview answers GET /api/v1/interviews/{id}.
func (h *Handler) GetInterview(w http.ResponseWriter, r *http.Request) error {
	iv, err := h.interviewFor(r, false)
	if err != nil {
		return err
	}
	fillInterview(iv)
	return ok(w, iv)
}

// InterviewICS answers GET /api/v1/interviews/{id}/invite.ics: the
// interview's current invitation, or its cancellation, as iCalendar.
func (h *Handler) InterviewICS(w http.ResponseWriter, r *http.Request) error {
	iv, err := h.interviewFor(r, false)
	if err != nil {
		return err
	}
	b, err := h.Interviews.InvitationICS(r.Context(), iv.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="interview-`+itoaID(iv.ID)+`.ics"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(b)
	return nil
}

// ScheduleInterview answers POST /api/v1/applications/{id}/interviews with
// an InterviewInput: 201 with the interview, whose invitations are queued.
func (h *Handler) ScheduleInterview(w http.ResponseWriter, r *http.Request) error {
	a, _, _, err := h.applicationOf(r, true)
	if err != nil {
		return err
	}
	var in hiring.InterviewInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	iv, err := h.Interviews.ScheduleInterview(r.Context(), a.ID, in)
	if err != nil {
		return err
	}
	fillInterview(iv)
	writeJSON(w, http.StatusCreated, Envelope{Data: iv})
	return nil
}

// RescheduleInterview answers POST /api/v1/interviews/{id}/reschedule with
// an InterviewInput and the version of the interview as seen.
func (h *Handler) RescheduleInterview(w http.ResponseWriter, r *http.Request) error {
	iv, err := h.interviewFor(r, true)
	if err != nil {
		return err
	}
	var b struct {
		hiring.InterviewInput
		Version *int `json:"version"`
	}
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	version, err := requireInterviewVersion(b.Version)
	if err != nil {
		return err
	}
	if iv, err = h.Interviews.RescheduleInterview(r.Context(), iv.ID, b.InterviewInput, version); err != nil {
		return err
	}
	fillInterview(iv)
	return ok(w, iv)
}

// CancelInterview answers POST /api/v1/interviews/{id}/cancel with a
// reason and the version of the interview as seen.
func (h *Handler) CancelInterview(w http.ResponseWriter, r *http.Request) error {
	iv, err := h.interviewFor(r, true)
	if err != nil {
		return err
	}
	var b struct {
		Reason  string `json:"reason"`
		Version *int   `json:"version"`
	}
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	version, err := requireInterviewVersion(b.Version)
	if err != nil {
		return err
	}
	if iv, err = h.Interviews.CancelInterview(r.Context(), iv.ID, b.Reason, version); err != nil {
		return err
	}
	fillInterview(iv)
	return ok(w, iv)
}

// RecordInterviewOutcome answers POST /api/v1/interviews/{id}/outcome with
// {"status": "done"|"no_show"}. The hiring team and the interview's own
// interviewers may record it.
func (h *Handler) RecordInterviewOutcome(w http.ResponseWriter, r *http.Request) error {
	iv, err := h.interviewFor(r, false)
	if err != nil {
		return err
	}
	if !sitsOn(hiring.ActorFromContext(r.Context()), iv) {
		if _, _, _, err := h.ApplicationFor(r.Context(), iv.ApplicationID, true); err != nil {
			return err
		}
	}
	var b struct {
		Status hiring.InterviewStatus `json:"status"`
	}
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	if b.Status != hiring.InterviewDone && b.Status != hiring.InterviewNoShow {
		msg := "Choose done or no_show."
		return &hiring.Error{Code: hiring.EINVALID, Message: "status: " + msg, Fields: map[string]string{"status": msg}}
	}
	if iv, err = h.Interviews.RecordInterviewOutcome(r.Context(), iv.ID, b.Status); err != nil {
		return err
	}
	fillInterview(iv)
	return ok(w, iv)
}

// sitsOn reports whether u is one of the interview's interviewers.
func sitsOn(u *hiring.User, iv *hiring.Interview) bool {
	if u == nil {
		return false
	}
	for _, p := range iv.Interviewers {
		if p != nil && p.UserID == u.ID {
			return true
		}
	}
	return false
}

func requireInterviewVersion(v *int) (int, error) {
	if v == nil || *v < 1 {
		msg := "Send the version of the interview you saw, from its last answer."
		return 0, &hiring.Error{Code: hiring.EINVALID, Message: "version: " + msg, Fields: map[string]string{"version": msg}}
	}
	return *v, nil
}

// fillInterview turns absent lists into empty ones.
func fillInterview(iv *hiring.Interview) {
	if iv.Interviewers == nil {
		iv.Interviewers = []*hiring.Interviewer{}
	}
}

// interviewStatus reads an optional interview status.
func (q *query) interviewStatus(name string) *hiring.InterviewStatus {
	s := hiring.InterviewStatus(q.values.Get(name))
	if s == "" {
		return nil
	}
	if !s.Valid() {
		q.v.Add(name, "Choose one of: scheduled, done, cancelled, no_show.")
		return nil
	}
	return &s
}

// instant reads an optional RFC 3339 time.
func (q *query) instant(name string) *time.Time {
	s := q.values.Get(name)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		q.v.Add(name, "Write a time such as 2030-01-31T09:00:00Z.")
		return nil
	}
	t = t.UTC()
	return &t
}

func itoaID(id int64) string { return strconv.FormatInt(id, 10) }

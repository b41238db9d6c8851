package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// Interviews: scheduling a step of an application, the interview's page
// with its reschedule, cancel and outcome forms, its invitation as a
// download, and the signed-in person's own interviews.
//
// Recruiters and admins may do everything; a hiring manager and the
// people an opening names on its hiring team may for that opening; an
// interviewer sees only the interviews they sit on and records how those
// went.

// lastZoneKey keeps, in the session, the time zone a person last
// scheduled in, so the next form starts with it.
const lastZoneKey = "interview_zone"

// commonZones are offered in the time zone list; any other IANA zone can
// be typed in.
var commonZones = []string{
	"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Amsterdam", "Europe/Berlin", "Europe/Madrid",
	"Europe/Paris", "Europe/Rome", "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens", "Europe/Kyiv",
	"Europe/Istanbul", "Africa/Lagos", "Africa/Nairobi", "Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata",
	"Asia/Singapore", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
	"America/Sao_Paulo", "America/Halifax", "America/New_York", "America/Chicago", "America/Denver",
	"America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
}

// interviewFields are the fields of the schedule and reschedule forms, in
// their order, for messages and the error summary. The date and time,
// the time zone and the interviewers are laid out by hand.
func interviewFields() []fieldSpec {
	return []fieldSpec{
		{Name: "step_id", Label: "Step", Kind: kindSelect, Required: true},
		{Name: "starts_at", Label: "Date and time", Required: true},
		{Name: "time_zone", Label: "Time zone", Required: true},
		{Name: "minutes", Label: "Duration in minutes", Hint: "Leave empty to use the step’s duration.", InputMode: "numeric"},
		{Name: "interviewer_ids", Label: "Interviewers", Required: true},
		{Name: "location", Label: "Place", Hint: "An office and room, if the interview is in person.", MaxLen: hiring.MaxItemLen},
		{Name: "video_url", Label: "Video link", Hint: "A full address starting with https://.", MaxLen: hiring.MaxItemLen, InputMode: "url"},
		{Name: "short_notice_reason", Label: "Why at short notice", Kind: kindTextarea, Rows: 2, MaxLen: hiring.MaxNoteLen,
			Hint: "Required when the interview starts less than 48 hours from now."},
		{Name: "accept_overlap", Label: "Schedule anyway, although an interviewer has another interview then", Kind: kindCheckbox},
	}
}

// interviewForm is a schedule or reschedule form as typed.
type interviewForm struct {
	*form
	// Date and Time are the start as typed, in Zone.
	Date, Time string
	Zone       string
	// ZoneOther is a zone typed in rather than chosen.
	ZoneOther string
	Zones     []option
	// People are the users who can be chosen, with those chosen ticked.
	People []personOption
	// Steps are the plan's steps, for the schedule form.
	Steps []option
	// Overlap shows the "schedule anyway" box: the last try was warned.
	Overlap bool
}

// personOption is one user in the list of interviewers.
type personOption struct {
	ID      int64
	Label   string
	Checked bool
}

// newInterviewForm builds the form from submitted values.
func (s *Server) newInterviewForm(r *http.Request, vals url.Values) (*interviewForm, error) {
	f := &interviewForm{form: newForm(interviewFields(), vals), Date: vals.Get("date"), Time: vals.Get("time"),
		Zone: vals.Get("time_zone"), ZoneOther: vals.Get("time_zone_other")}
	users, err := s.users.FindUsers(r.Context())
	if err != nil {
		return nil, err
	}
	chosen := vals["interviewer_ids"]
	for _, u := range users {
		label := u.Name
		if label == "" {
			label = u.Email
		}
		label += " (" + u.Role.Label() + ")"
		f.People = append(f.People, personOption{ID: u.ID, Label: label, Checked: slices.Contains(chosen, itoa(u.ID))})
	}
	f.setZones()
	return f, nil
}

// setZones lists the common zones, with the chosen one first when it is
// not among them.
func (f *interviewForm) setZones() {
	if f.Zone != "" && !slices.Contains(commonZones, f.Zone) {
		f.Zones = append(f.Zones, option{f.Zone, f.Zone})
	}
	for _, z := range commonZones {
		f.Zones = append(f.Zones, option{z, strings.ReplaceAll(z, "_", " ")})
	}
}

// setError records err on the form; an overlap shows the box to confirm.
func (f *interviewForm) setError(err error) {
	f.form.setError(err)
	if _, ok := hiring.ErrorFields(err)["accept_overlap"]; ok {
		f.Overlap = true
	}
}

// parseInterview reads a schedule or reschedule form.
func parseInterview(vals url.Values) (hiring.InterviewInput, error) {
	v := hiring.Validation{}
	in := hiring.InterviewInput{
		TimeZone: strings.TrimSpace(vals.Get("time_zone")), Location: vals.Get("location"), VideoURL: vals.Get("video_url"),
		ShortNoticeReason: vals.Get("short_notice_reason"), AcceptOverlap: vals.Get("accept_overlap") != "",
	}
	if other := strings.TrimSpace(vals.Get("time_zone_other")); other != "" {
		in.TimeZone = other
	}
	if raw := vals.Get("step_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id < 1 {
			v.Add("step_id", "Choose a step from the list.")
		} else {
			in.StepID = &id
		}
	}
	date, clock := strings.TrimSpace(vals.Get("date")), strings.TrimSpace(vals.Get("time"))
	if date == "" || clock == "" {
		v.Add("starts_at", "Enter the date and the time the interview starts.")
	} else {
		in.LocalStart = date + "T" + clock
	}
	if raw := strings.TrimSpace(vals.Get("minutes")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			v.Add("minutes", "Enter a duration from 1 to 1440 minutes.")
		} else {
			in.Minutes = n
		}
	}
	for _, raw := range vals["interviewer_ids"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id < 1 {
			v.Add("interviewer_ids", "Choose interviewers from the list.")
			continue
		}
		in.InterviewerIDs = append(in.InterviewerIDs, id)
	}
	// The rest is checked by the service; its messages join these.
	check := in
	check.Normalize(v)
	return in, v.Err()
}

// requireInterviews answers when the server runs without interviews.
func (s *Server) requireInterviews() error {
	if s.interviews == nil {
		return hiring.Errorf(hiring.ENOTFOUND, "Interviews are not available on this server.")
	}
	return nil
}

// interviewNewPage is the form that schedules a step of an application.
type interviewNewPage struct {
	layout
	Progress *hiring.Progress
	Opening  *hiring.Opening
	Form     *interviewForm
}

func (s *Server) handleInterviewNew(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireInterviews(); err != nil {
		return err
	}
	p, o, err := s.applicationFor(r)
	if err != nil {
		return err
	}
	vals := url.Values{"step_id": {r.URL.Query().Get("step")}, "time_zone": {"UTC"}}
	if z := s.sessions.GetString(r.Context(), lastZoneKey); z != "" {
		vals.Set("time_zone", z)
	}
	if p.Plan != nil {
		if id, err := strconv.ParseInt(vals.Get("step_id"), 10, 64); err == nil {
			if g := p.Plan.StageOf(id); g != nil {
				if st := g.Step(id); st != nil {
					for _, u := range st.InterviewerIDs {
						vals.Add("interviewer_ids", itoa(u))
					}
					if st.Minutes > 0 {
						vals.Set("minutes", strconv.Itoa(st.Minutes))
					}
				}
			}
		}
	}
	f, err := s.newInterviewForm(r, vals)
	if err != nil {
		return err
	}
	return s.renderInterviewNew(w, r, http.StatusOK, p, o, f)
}

func (s *Server) renderInterviewNew(w http.ResponseWriter, r *http.Request, status int, p *hiring.Progress,
	o *hiring.Opening, f *interviewForm) error {
	if p.Plan != nil {
		f.Steps = append(f.Steps, option{"", "Choose a step"})
		for _, g := range p.Plan.Stages {
			for _, st := range g.Steps {
				label := st.Name
				if st.Name != g.Name {
					label = g.Name + ": " + st.Name
				}
				f.Steps = append(f.Steps, option{itoa(st.ID), label})
			}
		}
	}
	name := "the candidate"
	if c := p.Application.Candidate; c != nil && c.Name != "" {
		name = c.Name
	}
	s.render(w, r, status, "interview_new", &interviewNewPage{
		layout: layout{Title: "Schedule an interview with " + name}, Progress: p, Opening: o, Form: f})
	return nil
}

func (s *Server) handleInterviewCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireInterviews(); err != nil {
		return err
	}
	p, o, err := s.applicationFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	in, err := parseInterview(r.PostForm)
	var iv *hiring.Interview
	if err == nil {
		iv, err = s.interviews.ScheduleInterview(r.Context(), p.Application.ID, in)
	}
	if err != nil {
		code := hiring.ErrorCode(err)
		if code != hiring.EINVALID && code != hiring.ECONFLICT {
			return err
		}
		f, ferr := s.newInterviewForm(r, r.PostForm)
		if ferr != nil {
			return ferr
		}
		f.setError(err)
		return s.renderInterviewNew(w, r, api.Status(err), p, o, f)
	}
	s.sessions.Put(r.Context(), lastZoneKey, iv.TimeZone)
	return s.redirect(w, r, "/interviews/"+itoa(iv.ID),
		"Interview scheduled for "+iv.When()+". The invitations are on their way.")
}

// interviewAccess is what the signed-in person may do with an interview.
type interviewAccess struct {
	// Manage allows rescheduling and cancelling; Record allows recording
	// how it went.
	Manage, Record bool
}

// interviewFor finds the interview of the {id} in the path, with its
// application, if the signed-in person may see it.
func (s *Server) interviewFor(r *http.Request) (*hiring.Interview, *hiring.Progress, *hiring.Opening, interviewAccess, error) {
	var acc interviewAccess
	if err := s.requireInterviews(); err != nil {
		return nil, nil, nil, acc, err
	}
	id, err := api.PathID(r)
	if err != nil {
		return nil, nil, nil, acc, err
	}
	ctx := r.Context()
	iv, err := s.interviews.FindInterviewByID(ctx, id)
	if err != nil {
		return nil, nil, nil, acc, err
	}
	o, err := s.openings.FindOpeningByID(ctx, iv.OpeningID)
	if err != nil {
		return nil, nil, nil, acc, err
	}
	u := hiring.ActorFromContext(ctx)
	acc.Manage = hiring.CanWorkOnApplications(u, o)
	acc.Record = acc.Manage || (u != nil && iv.HasInterviewer(u.ID))
	if !acc.Record {
		return nil, nil, nil, acc, hiring.Errorf(hiring.EFORBIDDEN, "Only the interviewers, the hiring manager and recruiters can see this interview.")
	}
	p, err := s.pipeline.Progress(ctx, iv.ApplicationID)
	if err != nil {
		return nil, nil, nil, acc, err
	}
	return iv, p, o, acc, nil
}

// interviewPage shows one interview with the forms that change it.
type interviewPage struct {
	layout
	Interview *hiring.Interview
	Progress  *hiring.Progress
	Opening   *hiring.Opening
	Access    interviewAccess
	// Message says why the last change was refused.
	Message    string
	Reschedule *interviewForm
	Cancel     *form
	Started    bool
	Scheduled  bool
}

func cancelFields() []fieldSpec {
	return []fieldSpec{{Name: "reason", Label: "Reason", Hint: "Sent to the candidate and the interviewers.",
		Kind: kindTextarea, Rows: 2, MaxLen: hiring.MaxNoteLen}}
}

// rescheduleValues fills the reschedule form with the interview as it is.
func rescheduleValues(iv *hiring.Interview) url.Values {
	local := iv.Local()
	vals := url.Values{"date": {local.Format("2006-01-02")}, "time": {local.Format("15:04")}, "time_zone": {iv.TimeZone},
		"minutes": {strconv.Itoa(iv.Minutes())}, "location": {iv.Location}, "video_url": {iv.VideoURL},
		"short_notice_reason": {iv.ShortNoticeReason}}
	for _, p := range iv.Interviewers {
		vals.Add("interviewer_ids", itoa(p.UserID))
	}
	return vals
}

func (s *Server) handleInterview(w http.ResponseWriter, r *http.Request) error {
	iv, p, o, acc, err := s.interviewFor(r)
	if err != nil {
		return err
	}
	return s.renderInterview(w, r, http.StatusOK, iv, p, o, acc, "", nil, nil)
}

// renderInterview shows the interview page; msg says why a change was
// refused, and re and cancel are the forms as typed (nil: as the
// interview is).
func (s *Server) renderInterview(w http.ResponseWriter, r *http.Request, status int, iv *hiring.Interview,
	p *hiring.Progress, o *hiring.Opening, acc interviewAccess, msg string, re *interviewForm, cancel *form) error {
	if re == nil && acc.Manage {
		var err error
		if re, err = s.newInterviewForm(r, rescheduleValues(iv)); err != nil {
			return err
		}
	}
	if cancel == nil {
		cancel = newForm(cancelFields(), nil)
	}
	name := "the candidate"
	if c := p.Application.Candidate; c != nil && c.Name != "" {
		name = c.Name
	}
	s.render(w, r, status, "interview_show", &interviewPage{
		layout:    layout{Title: iv.StepName + " with " + name},
		Interview: iv, Progress: p, Opening: o, Access: acc, Message: msg, Reschedule: re, Cancel: cancel,
		Started: iv.Started(s.now()), Scheduled: iv.Status == hiring.InterviewScheduled,
	})
	return nil
}

// interviewChange runs a change from the interview page. A stale version
// shows the interview as it is now; refused input shows the page with the
// form as typed.
func (s *Server) interviewChange(w http.ResponseWriter, r *http.Request, manage bool,
	change func(iv *hiring.Interview, vals url.Values) (*hiring.Interview, string, error),
	refused func(err error) (*interviewForm, *form, error)) error {
	iv, p, o, acc, err := s.interviewFor(r)
	if err != nil {
		return err
	}
	if manage && !acc.Manage {
		return hiring.Errorf(hiring.EFORBIDDEN, "Only recruiters, admins and the opening’s hiring manager can change this interview.")
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	next, flash, err := change(iv, r.PostForm)
	if err == nil {
		return s.redirect(w, r, "/interviews/"+itoa(next.ID), flash)
	}
	var ic *hiring.InterviewConflict
	if errors.As(err, &ic) && ic.Current != nil {
		return s.renderInterview(w, r, http.StatusConflict, ic.Current, p, o, acc, hiring.StaleInterviewMessage, nil, nil)
	}
	code := hiring.ErrorCode(err)
	if code != hiring.EINVALID && code != hiring.ECONFLICT {
		return err
	}
	re, cancel, ferr := refused(err)
	if ferr != nil {
		return ferr
	}
	msg := ""
	if re == nil && cancel == nil {
		top := newForm(nil, nil)
		top.setError(err)
		msg = top.Message
	}
	if cur, ferr := s.interviews.FindInterviewByID(r.Context(), iv.ID); ferr == nil {
		iv = cur
	}
	return s.renderInterview(w, r, api.Status(err), iv, p, o, acc, msg, re, cancel)
}

func (s *Server) handleInterviewReschedule(w http.ResponseWriter, r *http.Request) error {
	return s.interviewChange(w, r, true, func(iv *hiring.Interview, vals url.Values) (*hiring.Interview, string, error) {
		version, err := formVersion(vals)
		if err != nil {
			return nil, "", err
		}
		in, err := parseInterview(vals)
		if err != nil {
			return nil, "", err
		}
		next, err := s.interviews.RescheduleInterview(r.Context(), iv.ID, in, version)
		if err != nil {
			return nil, "", err
		}
		return next, "Interview moved to " + next.When() + ". Everyone invited has the update.", nil
	}, func(err error) (*interviewForm, *form, error) {
		f, ferr := s.newInterviewForm(r, r.PostForm)
		if ferr != nil {
			return nil, nil, ferr
		}
		f.setError(err)
		return f, nil, nil
	})
}

func (s *Server) handleInterviewCancel(w http.ResponseWriter, r *http.Request) error {
	return s.interviewChange(w, r, true, func(iv *hiring.Interview, vals url.Values) (*hiring.Interview, string, error) {
		version, err := formVersion(vals)
		if err != nil {
			return nil, "", err
		}
		next, err := s.interviews.CancelInterview(r.Context(), iv.ID, vals.Get("reason"), version)
		if err != nil {
			return nil, "", err
		}
		return next, "Interview cancelled. The candidate and the interviewers are told.", nil
	}, func(err error) (*interviewForm, *form, error) {
		if _, ok := hiring.ErrorFields(err)["reason"]; !ok {
			return nil, nil, nil
		}
		f := newForm(cancelFields(), r.PostForm)
		f.setError(err)
		return nil, f, nil
	})
}

func (s *Server) handleInterviewOutcome(w http.ResponseWriter, r *http.Request) error {
	return s.interviewChange(w, r, false, func(iv *hiring.Interview, vals url.Values) (*hiring.Interview, string, error) {
		status := hiring.InterviewStatus(vals.Get("status"))
		next, err := s.interviews.RecordInterviewOutcome(r.Context(), iv.ID, status)
		if err != nil {
			return nil, "", err
		}
		return next, "Recorded: " + next.Status.Label() + ".", nil
	}, func(error) (*interviewForm, *form, error) { return nil, nil, nil })
}

// handleInterviewICS downloads the interview's current invitation.
func (s *Server) handleInterviewICS(w http.ResponseWriter, r *http.Request) error {
	iv, _, _, _, err := s.interviewFor(r)
	if err != nil {
		return err
	}
	b, err := s.interviews.InvitationICS(r.Context(), iv.ID)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="interview-`+itoa(iv.ID)+`.ics"`)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	_, err = w.Write(b)
	return err
}

// myInterviewsPage lists the interviews the signed-in person sits on.
type myInterviewsPage struct {
	layout
	Upcoming []*hiring.Interview
	Past     []*hiring.Interview
}

// maxMyInterviews bounds the list of one person's interviews.
const maxMyInterviews = 200

func (s *Server) handleMyInterviews(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireInterviews(); err != nil {
		return err
	}
	u := hiring.ActorFromContext(r.Context())
	ivs, _, err := s.interviews.FindInterviews(r.Context(), hiring.InterviewFilter{InterviewerID: &u.ID, Limit: maxMyInterviews})
	if err != nil {
		return err
	}
	pg := &myInterviewsPage{layout: layout{Title: "My interviews"}}
	now := s.now()
	for _, iv := range ivs {
		if iv.Status == hiring.InterviewScheduled && iv.EndsAt.After(now) {
			pg.Upcoming = append(pg.Upcoming, iv)
		} else {
			pg.Past = append(pg.Past, iv)
		}
	}
	slices.Reverse(pg.Past)
	s.render(w, r, http.StatusOK, "interview_list", pg)
	return nil
}

// applicationInterviews is the interviews section of an application page.
type applicationInterviews struct {
	ApplicationID int64
	Interviews    []*hiring.Interview
	// Steps are the current stage's steps, each with a link to schedule it.
	Steps []*hiring.PlanStep
	// CanSchedule is false for applications that left the pipeline.
	CanSchedule bool
}

// interviewSection gathers the interviews section of an application page;
// nil when the server runs without interviews. canChange says whether the
// person may schedule for the application.
func (s *Server) interviewSection(r *http.Request, p *hiring.Progress, canChange bool) (*applicationInterviews, error) {
	if s.interviews == nil {
		return nil, nil
	}
	id := p.Application.ID
	ivs, _, err := s.interviews.FindInterviews(r.Context(), hiring.InterviewFilter{ApplicationID: &id, Limit: maxMyInterviews})
	if err != nil {
		return nil, err
	}
	sec := &applicationInterviews{ApplicationID: id, Interviews: ivs,
		CanSchedule: canChange && p.Application.Status == hiring.ApplicationActive && p.Plan != nil}
	if sec.CanSchedule && p.Stage != nil {
		sec.Steps = p.Stage.Steps
	}
	return sec, nil
}

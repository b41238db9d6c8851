package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"hireloop/internal/calendar"
	"hireloop/internal/hiring"
)

// InterviewService puts the steps of applications in the calendar.
//
// Every change runs in one transaction that locks the opening's plan and
// the application (in the pipeline's order, so the two never wait on each
// other in a circle), then the interview. In that transaction it writes
// the interview, sets the application's step, records the timeline event,
// queues the invitations, cancellations and reminders in the outbox, and
// moves the date by which the candidate hears back. An invitation keeps
// the interview's UID; every change sent to people raises its SEQUENCE.
type InterviewService struct {
	db   *DB
	opts InterviewOptions
}

var (
	_ hiring.InterviewService   = (*InterviewService)(nil)
	_ hiring.UpcomingInterviews = (*InterviewService)(nil)
)

// InterviewOptions are what invitations say about the company.
type InterviewOptions struct {
	// CompanyName signs the candidate's messages and names the company in
	// calendar titles; "" leaves it out.
	CompanyName string
	// OrganizerEmail organises invitations of openings that name no
	// coordinator, recruiter or hiring manager, when nobody is signed in.
	OrganizerEmail string
}

// NewInterviewService returns an InterviewService on db.
func NewInterviewService(db *DB, opts InterviewOptions) *InterviewService {
	return &InterviewService{db: db, opts: opts}
}

// Audit log name of interviews.
const actionInterview = "interview"

// uidDomain ends every invitation's UID.
const uidDomain = "@hireloop"

const interviewColumns = `i.id, i.application_id, a.opening_id, c.name, i.step_id, i.step_name, i.status, i.starts_at,
	i.ends_at, i.time_zone, i.location, i.video_url, i.short_notice_reason, i.uid, i.sequence, i.version,
	i.created_by, i.cancelled_at, i.created_at, i.updated_at`

const interviewFrom = ` FROM interviews i JOIN applications a ON a.id = i.application_id
	JOIN candidates c ON c.id = a.candidate_id`

func scanInterview(sc interface{ Scan(...any) error }) (*hiring.Interview, error) {
	iv := &hiring.Interview{Interviewers: []*hiring.Interviewer{}}
	err := sc.Scan(&iv.ID, &iv.ApplicationID, &iv.OpeningID, &iv.CandidateName, &iv.StepID, &iv.StepName, &iv.Status,
		timeColumn{&iv.StartsAt}, timeColumn{&iv.EndsAt}, &iv.TimeZone, &iv.Location, &iv.VideoURL,
		&iv.ShortNoticeReason, &iv.UID, &iv.Sequence, &iv.Version, &iv.CreatedBy, nullTimeColumn{&iv.CancelledAt},
		timeColumn{&iv.CreatedAt}, timeColumn{&iv.UpdatedAt})
	return iv, err
}

// findInterview reads one interview with its interviewers.
func findInterview(ctx context.Context, r runner, id int64) (*hiring.Interview, error) {
	iv, err := scanInterview(r.queryRow(ctx, "SELECT "+interviewColumns+interviewFrom+" WHERE i.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Interview")
	} else if err != nil {
		return nil, fmt.Errorf("find interview %d: %w", id, err)
	}
	if err := loadInterviewers(ctx, r, []*hiring.Interview{iv}); err != nil {
		return nil, err
	}
	return iv, nil
}

// loadInterviewers fills in the people on each interview, by name.
func loadInterviewers(ctx context.Context, r runner, ivs []*hiring.Interview) error {
	if len(ivs) == 0 {
		return nil
	}
	byID := map[int64]*hiring.Interview{}
	args := make([]any, len(ivs))
	for i, iv := range ivs {
		byID[iv.ID] = iv
		args[i] = iv.ID
	}
	rows, err := r.query(ctx, `SELECT ii.interview_id, u.id, u.name, u.email, u.job_title, u.profile_url
		FROM interview_interviewers ii JOIN users u ON u.id = ii.user_id
		WHERE ii.interview_id IN (`+placeholders(len(args))+`) ORDER BY u.name, u.id`, args...)
	if err != nil {
		return fmt.Errorf("find interviewers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ivID int64
		p := &hiring.Interviewer{}
		if err := rows.Scan(&ivID, &p.UserID, &p.Name, &p.Email, &p.JobTitle, &p.ProfileURL); err != nil {
			return fmt.Errorf("read interviewer: %w", err)
		}
		if p.Name == "" {
			p.Name = p.Email
		}
		byID[ivID].Interviewers = append(byID[ivID].Interviewers, p)
	}
	return rows.Err()
}

// FindInterviewByID returns an interview with its interviewers.
func (s *InterviewService) FindInterviewByID(ctx context.Context, id int64) (*hiring.Interview, error) {
	return findInterview(ctx, s.db.reader(), id)
}

// FindInterviews returns the interviews that match f, earliest first, and
// how many match in all.
func (s *InterviewService) FindInterviews(ctx context.Context, f hiring.InterviewFilter) ([]*hiring.Interview, int, error) {
	offset, limit, err := pageBounds(f.Offset, f.Limit)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if f.ApplicationID != nil {
		w.add("i.application_id = ?", *f.ApplicationID)
	}
	if f.OpeningID != nil {
		w.add("a.opening_id = ?", *f.OpeningID)
	}
	if f.InterviewerID != nil {
		w.add("i.id IN (SELECT interview_id FROM interview_interviewers WHERE user_id = ?)", *f.InterviewerID)
	}
	if f.Status != nil {
		w.add("i.status = ?", string(*f.Status))
	}
	if f.From != nil {
		w.add("i.starts_at >= ?", *f.From)
	}
	if f.To != nil {
		w.add("i.starts_at < ?", *f.To)
	}
	r := s.db.reader()
	total, err := r.count(ctx, "SELECT COUNT(*)"+interviewFrom+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count interviews: %w", err)
	}
	rows, err := r.query(ctx, "SELECT "+interviewColumns+interviewFrom+w.String()+
		" ORDER BY i.starts_at, i.id LIMIT ? OFFSET ?", append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find interviews: %w", err)
	}
	defer rows.Close()
	out := []*hiring.Interview{}
	for rows.Next() {
		iv, err := scanInterview(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("read interview: %w", err)
		}
		out = append(out, iv)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find interviews: %w", err)
	}
	rows.Close()
	if err := loadInterviewers(ctx, r, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// UpcomingInterviews counts the application's scheduled interviews that
// have not ended and start within the window from now.
func (s *InterviewService) UpcomingInterviews(ctx context.Context, appID int64, within time.Duration) (int, error) {
	now := s.db.now().UTC()
	return s.db.reader().count(ctx, `SELECT COUNT(*) FROM interviews
		WHERE application_id = ? AND status = 'scheduled' AND ends_at > ? AND starts_at < ?`,
		appID, now, now.Add(within))
}

// ScheduleInterview puts a step of the application's plan in the calendar
// and queues the invitations.
func (s *InterviewService) ScheduleInterview(ctx context.Context, appID int64, in hiring.InterviewInput) (*hiring.Interview, error) {
	v := hiring.Validation{}
	in.Normalize(v)
	var out *hiring.Interview
	err := s.db.transact(ctx, func(t *tx) error {
		p, err := lockProgress(ctx, t, appID, anyVersion)
		if err != nil {
			return err
		}
		if err := requireActive(p); err != nil {
			return err
		}
		var step *hiring.PlanStep
		switch {
		case in.StepID == nil:
			v.Add("step_id", "Choose the step of the plan this interview is for.")
		case p.Plan == nil || p.Plan.StageOf(*in.StepID) == nil:
			v.Add("step_id", "This step is not part of the opening's plan.")
		default:
			step = p.Plan.StageOf(*in.StepID).Step(*in.StepID)
		}
		if in.Minutes == 0 && step != nil && step.Minutes > 0 {
			in.Minutes = step.Minutes
		}
		checkSchedule(t, &in, v)
		people, err := findPeople(ctx, t.runner, in.InterviewerIDs, v)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := checkOverlap(ctx, t, &in, 0, people); err != nil {
			return err
		}
		uid, err := newInterviewUID()
		if err != nil {
			return err
		}
		var createdBy *int64
		if u := hiring.ActorFromContext(ctx); u != nil {
			createdBy = &u.ID
		}
		start := in.StartsAt.UTC().Truncate(time.Second)
		id, err := t.insert(ctx, `INSERT INTO interviews (application_id, step_id, step_name, status, starts_at, ends_at,
			time_zone, location, video_url, short_notice_reason, uid, sequence, version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?, ?, ?)`,
			appID, step.ID, step.Name, string(hiring.InterviewScheduled), start, start.Add(time.Duration(in.Minutes)*time.Minute),
			in.TimeZone, in.Location, in.VideoURL, in.ShortNoticeReason, uid, createdBy, t.now, t.now)
		if err != nil {
			return fmt.Errorf("insert interview: %w", err)
		}
		if err := setInterviewers(ctx, t, id, in.InterviewerIDs); err != nil {
			return err
		}
		if err := setStepStatus(ctx, t, appID, step.ID, hiring.StepScheduled); err != nil {
			return err
		}
		iv, err := findInterview(ctx, t.runner, id)
		if err != nil {
			return err
		}
		if err := recordChange(ctx, t, p, &event{kind: hiring.EventInterviewScheduled, msg: describeInterview(iv)}); err != nil {
			return err
		}
		m, err := s.mailFor(ctx, t.runner, iv, p.Application)
		if err != nil {
			return err
		}
		if err := s.invite(ctx, t, m, iv.Interviewers, false); err != nil {
			return err
		}
		if err := queueReminders(ctx, t, m); err != nil {
			return err
		}
		if err := noteUpdate(ctx, t, appID); err != nil {
			return err
		}
		out = iv
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkSchedule checks an interview's length and start against the store's
// clock: not in the past, and less than hiring.ShortNotice ahead only with
// a reason.
func checkSchedule(t *tx, in *hiring.InterviewInput, v hiring.Validation) {
	if in.Minutes < 1 || in.Minutes > hiring.MaxInterviewMinutes {
		v.Add("minutes", fmt.Sprintf("Enter a duration from 1 to %d minutes.", hiring.MaxInterviewMinutes))
	}
	if in.StartsAt.IsZero() {
		return
	}
	if y := in.StartsAt.UTC().Year(); y < 2000 || y > 9000 {
		v.Add("starts_at", "Choose a date in the coming months.")
		return
	}
	switch {
	case in.StartsAt.Before(t.now):
		v.Add("starts_at", "This time has passed; choose a later one.")
	case in.StartsAt.Sub(t.now) < hiring.ShortNotice && in.ShortNoticeReason == "":
		v.Add("short_notice_reason", fmt.Sprintf("The interview starts in less than %d hours; say why it cannot be later.",
			int(hiring.ShortNotice/time.Hour)))
	}
}

// findPeople reads the users with the ids, in the order given, and records
// a message on interviewer_ids when one does not exist.
func findPeople(ctx context.Context, r runner, ids []int64, v hiring.Validation) ([]*hiring.Interviewer, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := r.query(ctx, "SELECT id, name, email, job_title, profile_url FROM users WHERE id IN ("+
		placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, fmt.Errorf("find interviewers: %w", err)
	}
	defer rows.Close()
	found := map[int64]*hiring.Interviewer{}
	for rows.Next() {
		p := &hiring.Interviewer{}
		if err := rows.Scan(&p.UserID, &p.Name, &p.Email, &p.JobTitle, &p.ProfileURL); err != nil {
			return nil, fmt.Errorf("read interviewer: %w", err)
		}
		if p.Name == "" {
			p.Name = p.Email
		}
		found[p.UserID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find interviewers: %w", err)
	}
	var out []*hiring.Interviewer
	for _, id := range ids {
		if p := found[id]; p != nil {
			out = append(out, p)
		} else {
			v.Add("interviewer_ids", "Choose interviewers from the list of users.")
		}
	}
	return out, nil
}

// checkOverlap refuses an interview at a time one of its interviewers has
// another scheduled, unless the scheduler accepted the overlap. self is the
// interview being moved, 0 for a new one.
func checkOverlap(ctx context.Context, t *tx, in *hiring.InterviewInput, self int64, people []*hiring.Interviewer) error {
	if in.AcceptOverlap || len(people) == 0 {
		return nil
	}
	start := in.StartsAt.UTC()
	end := start.Add(time.Duration(in.Minutes) * time.Minute)
	args := []any{self, end, start}
	names := map[int64]string{}
	for _, p := range people {
		args = append(args, p.UserID)
		names[p.UserID] = p.Name
	}
	rows, err := t.query(ctx, `SELECT ii.user_id, i.id, i.starts_at, i.ends_at, i.time_zone
		FROM interviews i JOIN interview_interviewers ii ON ii.interview_id = i.id
		WHERE i.status = 'scheduled' AND i.id <> ? AND i.starts_at < ? AND i.ends_at > ?
		AND ii.user_id IN (`+placeholders(len(people))+`) ORDER BY i.starts_at, ii.user_id LIMIT 5`, args...)
	if err != nil {
		return fmt.Errorf("find overlapping interviews: %w", err)
	}
	defer rows.Close()
	var clashes []string
	for rows.Next() {
		var userID int64
		other := &hiring.Interview{}
		if err := rows.Scan(&userID, &other.ID, timeColumn{&other.StartsAt}, timeColumn{&other.EndsAt}, &other.TimeZone); err != nil {
			return fmt.Errorf("read overlapping interview: %w", err)
		}
		clashes = append(clashes, fmt.Sprintf("%s has another interview on %s", names[userID], other.When()))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find overlapping interviews: %w", err)
	}
	if len(clashes) == 0 {
		return nil
	}
	msg := strings.Join(clashes, "; ") + ". Choose another time, or schedule anyway."
	return &hiring.Error{Code: hiring.ECONFLICT, Message: msg, Fields: map[string]string{"accept_overlap": msg}}
}

// newInterviewUID makes an invitation's UID, unique for ever.
func newInterviewUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("interview uid: %w", err)
	}
	return hex.EncodeToString(b[:]) + uidDomain, nil
}

// setInterviewers replaces the people on an interview.
func setInterviewers(ctx context.Context, t *tx, id int64, userIDs []int64) error {
	if _, err := t.exec(ctx, "DELETE FROM interview_interviewers WHERE interview_id = ?", id); err != nil {
		return fmt.Errorf("clear interviewers of interview %d: %w", id, err)
	}
	for _, u := range userIDs {
		if _, err := t.exec(ctx, "INSERT INTO interview_interviewers (interview_id, user_id) VALUES (?, ?)", id, u); err != nil {
			return fmt.Errorf("add interviewer %d to interview %d: %w", u, id, err)
		}
	}
	return nil
}

// setStepStatus records an application's status for one step.
func setStepStatus(ctx context.Context, t *tx, appID, stepID int64, status hiring.StepStatus) error {
	if _, err := t.exec(ctx, `INSERT INTO application_steps (application_id, step_id, status, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (application_id, step_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
		appID, stepID, string(status), t.now); err != nil {
		return fmt.Errorf("record step %d of application %d: %w", stepID, appID, err)
	}
	return nil
}

// describeInterview is the timeline's line about an interview.
func describeInterview(iv *hiring.Interview) string {
	names := make([]string, len(iv.Interviewers))
	for i, p := range iv.Interviewers {
		names[i] = p.Name
	}
	return fmt.Sprintf("%s on %s with %s", iv.StepName, iv.When(), strings.Join(names, ", "))
}

// interviewMail is what the messages of an interview are written from,
// with the organizer of its invitations.
type interviewMail struct {
	hiring.InterviewMail
	organizer calendar.Attendee
}

// mailFor gathers what the interview's messages say. The organizer is the
// person who coordinates the opening (else its recruiter, its hiring
// manager, the person scheduling, the configured address, or the first
// interviewer).
func (s *InterviewService) mailFor(ctx context.Context, t runner, iv *hiring.Interview, a *hiring.Application) (*interviewMail, error) {
	m := &interviewMail{InterviewMail: hiring.InterviewMail{Interview: iv, CandidateName: a.Candidate.Name,
		CandidateEmail: a.Candidate.Email, OpeningTitle: a.OpeningTitle, CompanyName: s.opts.CompanyName,
		Adjustments: strings.TrimSpace(a.AdjustmentRequest)}}
	if m.CandidateName == "" {
		m.CandidateName = a.Candidate.Email
	}
	var coordinator, recruiter, manager *int64
	if err := t.queryRow(ctx, "SELECT coordinator_id, recruiter_id, hiring_manager_id FROM openings WHERE id = ?", a.OpeningID).
		Scan(&coordinator, &recruiter, &manager); err != nil {
		return nil, fmt.Errorf("find organizer of opening %d: %w", a.OpeningID, err)
	}
	ids := []*int64{coordinator, recruiter, manager}
	if u := hiring.ActorFromContext(ctx); u != nil {
		ids = append(ids, &u.ID)
	}
	for _, id := range ids {
		if id == nil {
			continue
		}
		var name, email string
		err := t.queryRow(ctx, "SELECT name, email FROM users WHERE id = ?", *id).Scan(&name, &email)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("find organizer: %w", err)
		}
		m.organizer = calendar.Attendee{Name: organizerName(name, s.opts.CompanyName), Email: email}
		return m, nil
	}
	switch {
	case s.opts.OrganizerEmail != "":
		m.organizer = calendar.Attendee{Name: organizerName("", s.opts.CompanyName), Email: s.opts.OrganizerEmail}
	case len(iv.Interviewers) > 0:
		p := iv.Interviewers[0]
		m.organizer = calendar.Attendee{Name: p.Name, Email: p.Email}
	}
	return m, nil
}

func organizerName(person, company string) string {
	switch {
	case person != "" && company != "":
		return person + " (" + company + ")"
	case person != "":
		return person
	}
	return company
}

// invitation writes the interview's calendar object as one of its
// recipients reads it.
func (m *interviewMail) invitation(method string, forCandidate bool, stamp time.Time) ([]byte, error) {
	iv := m.Interview
	inv := calendar.Invite{
		UID: iv.UID, Sequence: iv.Sequence, Method: method,
		Summary: m.Summary(forCandidate), Description: strings.TrimSpace(m.Details()),
		Location: iv.Location, URL: iv.VideoURL,
		Start: iv.StartsAt, Duration: iv.EndsAt.Sub(iv.StartsAt), TZID: iv.TimeZone,
		Organizer: m.organizer, Created: iv.CreatedAt, Stamp: stamp,
	}
	if inv.Location == "" && iv.VideoURL != "" {
		inv.Location = iv.VideoURL
	}
	inv.Attendees = append(inv.Attendees, calendar.Attendee{Name: m.CandidateName, Email: m.CandidateEmail})
	for _, p := range iv.Interviewers {
		if hiring.NormalizeEmail(p.Email) == hiring.NormalizeEmail(m.CandidateEmail) {
			continue
		}
		inv.Attendees = append(inv.Attendees, calendar.Attendee{Name: p.Name, Email: p.Email})
	}
	b, err := inv.Bytes()
	if err != nil {
		return nil, fmt.Errorf("invitation of interview %d: %w", iv.ID, err)
	}
	return b, nil
}

// invite queues REQUEST invitations to the candidate and each interviewer,
// and CANCEL to the people in removed who are no longer on it.
func (s *InterviewService) invite(ctx context.Context, t *tx, m *interviewMail, removed []*hiring.Interviewer, updated bool) error {
	for _, to := range m.recipients() {
		cal, err := m.invitation(calendar.MethodRequest, to.candidate, t.now)
		if err != nil {
			return err
		}
		d := hiring.ComposeInvitation(m.InterviewMail, to.email, to.candidate, updated)
		d.Calendar, d.CalendarMethod = string(cal), calendar.MethodRequest
		if _, err := enqueueMessage(ctx, t, d); err != nil {
			return err
		}
	}
	for _, p := range removed {
		if m.Interview.HasInterviewer(p.UserID) {
			continue
		}
		cal, err := m.invitation(calendar.MethodCancel, false, t.now)
		if err != nil {
			return err
		}
		d := hiring.ComposeInterviewCancellation(m.InterviewMail, p.Email, false, true, "")
		d.Calendar, d.CalendarMethod = string(cal), calendar.MethodCancel
		if _, err := enqueueMessage(ctx, t, d); err != nil {
			return err
		}
	}
	return nil
}

// cancellations queues METHOD:CANCEL to the candidate and every
// interviewer.
func (s *InterviewService) cancellations(ctx context.Context, t *tx, m *interviewMail, reason string) error {
	for _, to := range m.recipients() {
		cal, err := m.invitation(calendar.MethodCancel, to.candidate, t.now)
		if err != nil {
			return err
		}
		d := hiring.ComposeInterviewCancellation(m.InterviewMail, to.email, to.candidate, false, reason)
		d.Calendar, d.CalendarMethod = string(cal), calendar.MethodCancel
		if _, err := enqueueMessage(ctx, t, d); err != nil {
			return err
		}
	}
	return nil
}

type recipient struct {
	email     string
	candidate bool
}

// recipients are the candidate, then each interviewer.
func (m *interviewMail) recipients() []recipient {
	out := []recipient{{m.CandidateEmail, true}}
	for _, p := range m.Interview.Interviewers {
		out = append(out, recipient{p.Email, false})
	}
	return out
}

// queueReminders queues, when the candidate asked for adjustments, a
// reminder to each interviewer hiring.AdjustmentReminderLead before the
// interview (at once when it is closer).
func queueReminders(ctx context.Context, t *tx, m *interviewMail) error {
	if m.Adjustments == "" {
		return nil
	}
	iv := m.Interview
	at := iv.StartsAt.Add(-hiring.AdjustmentReminderLead)
	for _, p := range iv.Interviewers {
		d := hiring.ComposeAdjustmentReminder(m.InterviewMail, p.Email)
		d.SendAt = &at
		d.DedupeKey = fmt.Sprintf("adjust:%d:%d:%d", iv.ID, iv.Sequence, p.UserID)
		if _, err := enqueueMessage(ctx, t, d); err != nil {
			return err
		}
	}
	return nil
}

// lockInterview locks an interview's application (and plan, in the
// pipeline's order), then the interview, and reads both. version is the
// interview's version as the person saw it, or anyVersion.
func lockInterview(ctx context.Context, t *tx, id int64, version int) (*hiring.Interview, *hiring.Progress, error) {
	var appID int64
	err := t.queryRow(ctx, "SELECT application_id FROM interviews WHERE id = ?", id).Scan(&appID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("Interview")
	} else if err != nil {
		return nil, nil, fmt.Errorf("find interview %d: %w", id, err)
	}
	p, err := lockProgress(ctx, t, appID, anyVersion)
	if err != nil {
		return nil, nil, err
	}
	if err := t.lockRow(ctx, "interviews", id); err != nil {
		return nil, nil, err
	}
	iv, err := findInterview(ctx, t.runner, id)
	if err != nil {
		return nil, nil, err
	}
	if version != anyVersion && iv.Version != version {
		return nil, nil, &hiring.InterviewConflict{Current: iv}
	}
	return iv, p, nil
}

// requireScheduled refuses changes to an interview that is over.
func requireScheduled(iv *hiring.Interview) error {
	if iv.Status != hiring.InterviewScheduled {
		return fieldError(hiring.ECONFLICT, "status",
			fmt.Sprintf("This interview is %s; schedule a new one instead.", strings.ToLower(iv.Status.Label())))
	}
	return nil
}

func checkVersion(version int) error {
	if version <= 0 {
		return fieldError(hiring.EINVALID, "version", "Reload the interview: the request did not say which version of it you saw.")
	}
	return nil
}

// RescheduleInterview changes an interview's time, people or place. The
// step stays; a zero Minutes keeps the length.
func (s *InterviewService) RescheduleInterview(ctx context.Context, id int64, in hiring.InterviewInput, version int) (*hiring.Interview, error) {
	if err := checkVersion(version); err != nil {
		return nil, err
	}
	v := hiring.Validation{}
	in.Normalize(v)
	var out *hiring.Interview
	err := s.db.transact(ctx, func(t *tx) error {
		old, p, err := lockInterview(ctx, t, id, version)
		if err != nil {
			return err
		}
		if err := requireScheduled(old); err != nil {
			return err
		}
		if in.Minutes == 0 {
			in.Minutes = old.Minutes()
		}
		checkSchedule(t, &in, v)
		people, err := findPeople(ctx, t.runner, in.InterviewerIDs, v)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := checkOverlap(ctx, t, &in, id, people); err != nil {
			return err
		}
		start := in.StartsAt.UTC().Truncate(time.Second)
		if _, err := t.exec(ctx, `UPDATE interviews SET starts_at = ?, ends_at = ?, time_zone = ?, location = ?, video_url = ?,
			short_notice_reason = ?, sequence = sequence + 1, version = version + 1, updated_at = ? WHERE id = ?`,
			start, start.Add(time.Duration(in.Minutes)*time.Minute), in.TimeZone, in.Location, in.VideoURL,
			in.ShortNoticeReason, t.now, id); err != nil {
			return fmt.Errorf("reschedule interview %d: %w", id, err)
		}
		if err := setInterviewers(ctx, t, id, in.InterviewerIDs); err != nil {
			return err
		}
		if err := cancelInterviewMessages(ctx, t, id, hiring.KindInvitation, hiring.KindAdjustmentReminder); err != nil {
			return err
		}
		iv, err := findInterview(ctx, t.runner, id)
		if err != nil {
			return err
		}
		msg := describeInterview(iv) + "; was " + old.When()
		if err := recordChange(ctx, t, p, &event{kind: hiring.EventInterviewRescheduled, msg: msg}); err != nil {
			return err
		}
		m, err := s.mailFor(ctx, t.runner, iv, p.Application)
		if err != nil {
			return err
		}
		if err := s.invite(ctx, t, m, old.Interviewers, true); err != nil {
			return err
		}
		if err := queueReminders(ctx, t, m); err != nil {
			return err
		}
		if err := noteUpdate(ctx, t, iv.ApplicationID); err != nil {
			return err
		}
		out = iv
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CancelInterview calls an interview off: everyone invited receives a
// cancellation, what is still queued about it is withdrawn, and its step
// is pending again unless another interview holds it.
func (s *InterviewService) CancelInterview(ctx context.Context, id int64, reason string, version int) (*hiring.Interview, error) {
	if err := checkVersion(version); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	v := hiring.Validation{}
	if len(reason) > hiring.MaxNoteLen {
		v.Add("reason", "This is too long.")
	} else if strings.ContainsRune(reason, 0) {
		v.Add("reason", "This contains characters that are not readable text.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *hiring.Interview
	err := s.db.transact(ctx, func(t *tx) error {
		iv, p, err := lockInterview(ctx, t, id, version)
		if err != nil {
			return err
		}
		if err := requireScheduled(iv); err != nil {
			return err
		}
		if err := s.cancel(ctx, t, iv, p.Application, reason); err != nil {
			return err
		}
		msg := iv.StepName + " on " + iv.When()
		if reason != "" {
			msg += ": " + reason
		}
		out, err = recordInterviewChange(ctx, t, p, iv, &event{kind: hiring.EventInterviewCancelled, msg: msg})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// cancel marks a locked interview cancelled and queues its cancellations.
func (s *InterviewService) cancel(ctx context.Context, t *tx, iv *hiring.Interview, a *hiring.Application, reason string) error {
	if _, err := t.exec(ctx, `UPDATE interviews SET status = ?, cancelled_at = ?, sequence = sequence + 1,
		version = version + 1, updated_at = ? WHERE id = ?`, string(hiring.InterviewCancelled), t.now, t.now, iv.ID); err != nil {
		return fmt.Errorf("cancel interview %d: %w", iv.ID, err)
	}
	if err := cancelInterviewMessages(ctx, t, iv.ID); err != nil {
		return err
	}
	iv.Status = hiring.InterviewCancelled
	iv.Sequence++
	m, err := s.mailFor(ctx, t.runner, iv, a)
	if err != nil {
		return err
	}
	if err := s.cancellations(ctx, t, m, reason); err != nil {
		return err
	}
	if iv.StepID == nil {
		return nil
	}
	// The step is pending again unless another interview still holds it.
	n, err := t.count(ctx, `SELECT COUNT(*) FROM interviews WHERE application_id = ? AND step_id = ? AND status = 'scheduled'`,
		iv.ApplicationID, *iv.StepID)
	if err != nil {
		return fmt.Errorf("count interviews of step %d: %w", *iv.StepID, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := t.exec(ctx, `UPDATE application_steps SET status = ?, updated_at = ?
		WHERE application_id = ? AND step_id = ? AND status = ?`,
		string(hiring.StepPending), t.now, iv.ApplicationID, *iv.StepID, string(hiring.StepScheduled)); err != nil {
		return fmt.Errorf("reopen step %d of application %d: %w", *iv.StepID, iv.ApplicationID, err)
	}
	return nil
}

// cancelOnRejection cancels the scheduled interviews of a rejected
// application that have not ended. Those starting within
// hiring.KeepInterviewWindow are kept unless keep is false: the candidate
// may use them for their questions, and none is cancelled without someone
// deciding.
func cancelOnRejection(ctx context.Context, t *tx, a *hiring.Application, keep *bool, opts InterviewOptions) (int, error) {
	ids, err := queryIDs(ctx, t.runner, `SELECT id FROM interviews WHERE application_id = ? AND status = 'scheduled'
		AND ends_at > ? ORDER BY starts_at, id`, a.ID, t.now)
	if err != nil {
		return 0, fmt.Errorf("find interviews of application %d: %w", a.ID, err)
	}
	s := &InterviewService{opts: opts}
	n := 0
	for _, id := range ids {
		if err := t.lockRow(ctx, "interviews", id); err != nil {
			return 0, err
		}
		iv, err := findInterview(ctx, t.runner, id)
		if err != nil {
			return 0, err
		}
		soon := iv.StartsAt.Before(t.now.Add(hiring.KeepInterviewWindow))
		if soon && (keep == nil || *keep) {
			continue
		}
		if err := s.cancel(ctx, t, iv, a, ""); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// RecordInterviewOutcome records that an interview took place (done) or
// that the candidate did not come (no_show), once it has started, and
// marks its step the same. An interviewer on it, the opening's hiring
// team, a recruiter or an admin may record it.
func (s *InterviewService) RecordInterviewOutcome(ctx context.Context, id int64, status hiring.InterviewStatus) (*hiring.Interview, error) {
	if status != hiring.InterviewDone && status != hiring.InterviewNoShow {
		return nil, fieldError(hiring.EINVALID, "status", "Choose done or no-show.")
	}
	var out *hiring.Interview
	err := s.db.transact(ctx, func(t *tx) error {
		iv, p, err := lockInterview(ctx, t, id, anyVersion)
		if err != nil {
			return err
		}
		if u := hiring.ActorFromContext(ctx); u != nil && !iv.HasInterviewer(u.ID) {
			o := &hiring.Opening{ID: iv.OpeningID}
			if err := t.queryRow(ctx, "SELECT hiring_manager_id, recruiter_id, coordinator_id FROM openings WHERE id = ?",
				iv.OpeningID).Scan(&o.HiringManagerID, &o.RecruiterID, &o.CoordinatorID); err != nil {
				return fmt.Errorf("find opening %d: %w", iv.OpeningID, err)
			}
			if !hiring.CanWorkOnApplications(u, o) {
				return hiring.Errorf(hiring.EFORBIDDEN, "Only the interviewers, the hiring manager and recruiters can record how an interview went.")
			}
		}
		if iv.Status == hiring.InterviewCancelled {
			return fieldError(hiring.ECONFLICT, "status", "This interview was cancelled.")
		}
		if !iv.Started(t.now) {
			return fieldError(hiring.ECONFLICT, "status", "This interview has not started yet; record how it went once it has begun.")
		}
		if iv.Status == status {
			out = iv
			return nil
		}
		if _, err := t.exec(ctx, "UPDATE interviews SET status = ?, version = version + 1, updated_at = ? WHERE id = ?",
			string(status), t.now, id); err != nil {
			return fmt.Errorf("record outcome of interview %d: %w", id, err)
		}
		if err := cancelInterviewMessages(ctx, t, id, hiring.KindAdjustmentReminder); err != nil {
			return err
		}
		kind, step := hiring.EventInterviewDone, hiring.StepDone
		if status == hiring.InterviewNoShow {
			kind, step = hiring.EventInterviewNoShow, hiring.StepNoShow
		}
		if iv.StepID != nil && p.Application.Status == hiring.ApplicationActive && p.Plan != nil && p.Plan.StageOf(*iv.StepID) != nil {
			if err := setStepStatus(ctx, t, iv.ApplicationID, *iv.StepID, step); err != nil {
				return err
			}
		}
		out, err = recordInterviewChange(ctx, t, p, iv, &event{kind: kind, msg: iv.StepName + " on " + iv.When()})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// InvitationICS returns the interview's invitation as it stands: a
// REQUEST while it is on, a CANCEL once cancelled.
func (s *InterviewService) InvitationICS(ctx context.Context, id int64) ([]byte, error) {
	r := s.db.reader()
	iv, err := findInterview(ctx, r, id)
	if err != nil {
		return nil, err
	}
	a, err := findApplication(ctx, r, "a.id = ?", iv.ApplicationID)
	if err != nil {
		return nil, err
	}
	m, err := s.mailFor(ctx, r, iv, a)
	if err != nil {
		return nil, err
	}
	method := calendar.MethodRequest
	if iv.Status == hiring.InterviewCancelled {
		method = calendar.MethodCancel
	}
	out, err := m.invitation(method, false, iv.UpdatedAt)
	return out, err
}

// recordInterviewChange ends a change to an interview that settles it
// (cancelled, done, no-show): the timeline gets ev, the reply date is
// computed again, and the interview is read back as it now is.
func recordInterviewChange(ctx context.Context, t *tx, p *hiring.Progress, iv *hiring.Interview, ev *event) (*hiring.Interview, error) {
	if err := recordChange(ctx, t, p, ev); err != nil {
		return nil, err
	}
	if err := refreshHearBack(ctx, t, iv.ApplicationID); err != nil {
		return nil, err
	}
	return findInterview(ctx, t.runner, iv.ID)
}

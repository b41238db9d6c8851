package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"hireloop/internal/hiring"
)

// PipelineService moves applications through their openings' plans.
//
// Every change runs in one transaction that locks the application's row,
// reads its state, checks the version the person saw, makes the change,
// raises the version, and records an event and an audit entry. Two people
// moving one application at once therefore take turns: the second finds a
// new version and gets a *hiring.VersionConflict with the current state.
//
// An application without a stage (new, or its plan was replaced) is in
// the first stage of its opening's plan; the board and Progress show it
// there, and its first move places it for good.
type PipelineService struct {
	db         *DB
	interviews hiring.UpcomingInterviews
	mail       InterviewOptions
}

var _ hiring.PipelineService = (*PipelineService)(nil)

// PipelineOptions holds what the pipeline may ask other parts of hireloop.
type PipelineOptions struct {
	// Interviews tells a rejection about interviews starting soon, so that
	// none less than hiring.KeepInterviewWindow away is cancelled without
	// someone deciding. Nil means there are no interviews to ask about.
	Interviews hiring.UpcomingInterviews
	// InterviewMail is what cancellations sent on a rejection or a
	// withdrawal say about the company.
	InterviewMail InterviewOptions
}

// NewPipelineService returns a PipelineService on db.
func NewPipelineService(db *DB, opts PipelineOptions) *PipelineService {
	return &PipelineService{db: db, interviews: opts.Interviews, mail: opts.InterviewMail}
}

// Audit log actions of the pipeline.
const (
	actionMove     = "move"
	actionStep     = "step"
	actionReject   = "reject"
	actionWithdraw = "withdraw"
	actionHire     = "hire"
)

// anyVersion skips the version check, for changes that cannot undo
// another person's work (recording a step's status).
const anyVersion = -1

// loadProgress reads an application's state in its opening's plan.
func loadProgress(ctx context.Context, r runner, appID int64) (*hiring.Progress, error) {
	a, err := findApplication(ctx, r, "a.id = ?", appID)
	if err != nil {
		return nil, err
	}
	p := &hiring.Progress{Application: a, Steps: map[int64]hiring.StepProgress{}}
	var (
		stageID *int64
		entered *time.Time
	)
	if err := r.queryRow(ctx, "SELECT version, stage_id, stage_entered_at FROM applications WHERE id = ?", appID).
		Scan(&p.Version, &stageID, nullTimeColumn{&entered}); err != nil {
		return nil, fmt.Errorf("read stage of application %d: %w", appID, err)
	}
	p.InStageSince = a.CreatedAt
	if entered != nil {
		p.InStageSince = *entered
	}
	p.Plan, err = findPlan(ctx, r, "Interview plan", "p.opening_id = ?", a.OpeningID)
	switch {
	case hiring.ErrorCode(err) == hiring.ENOTFOUND:
		p.Plan = nil
	case err != nil:
		return nil, err
	default:
		if stageID != nil {
			p.Stage = p.Plan.Stage(*stageID)
		}
		if p.Stage == nil {
			p.Stage = p.Plan.First()
		}
	}
	rows, err := r.query(ctx, "SELECT step_id, status, updated_at FROM application_steps WHERE application_id = ?", appID)
	if err != nil {
		return nil, fmt.Errorf("read steps of application %d: %w", appID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var sp hiring.StepProgress
		if err := rows.Scan(&sp.StepID, &sp.Status, timeColumn{&sp.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("read step of application %d: %w", appID, err)
		}
		p.Steps[sp.StepID] = sp
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read steps of application %d: %w", appID, err)
	}
	return p, nil
}

// Progress returns where an application stands in its opening's plan.
func (s *PipelineService) Progress(ctx context.Context, appID int64) (*hiring.Progress, error) {
	return loadProgress(ctx, s.db.reader(), appID)
}

// event is what one change records on the timeline.
type event struct {
	kind              hiring.EventKind
	from, to          string
	reason, note, msg string
	// byCandidate records the candidate as the actor, whoever is signed in.
	byCandidate bool
}

// change runs fn on an application's state under the rules every change
// follows (see PipelineService). fn returns the event to record, or nil
// when nothing changed.
func (s *PipelineService) change(ctx context.Context, appID int64, version int,
	fn func(t *tx, p *hiring.Progress) (*event, error)) (*hiring.Progress, error) {
	if version != anyVersion && version <= 0 {
		return nil, fieldError(hiring.EINVALID, "version", "Reload the application: the request did not say which version of it you saw.")
	}
	var out *hiring.Progress
	err := s.db.transact(ctx, func(t *tx) error {
		p, err := lockProgress(ctx, t, appID, version)
		if err != nil {
			return err
		}
		ev, err := fn(t, p)
		if err != nil {
			return err
		}
		if ev == nil {
			out = p
			return nil
		}
		if err := recordChange(ctx, t, p, ev); err != nil {
			return err
		}
		out, err = loadProgress(ctx, t.runner, appID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lockProgress locks an application and reads its state, refusing it when
// its version is not the one expected.
//
// It first locks the opening's plan. Plan edits lock the plan before the
// applications they count or rename, so taking the locks in the same order
// means the two never wait on each other in a circle, and a stage cannot
// be removed while an application moves into it.
func lockProgress(ctx context.Context, t *tx, appID int64, version int) (*hiring.Progress, error) {
	var openingID int64
	err := t.queryRow(ctx, "SELECT opening_id FROM applications WHERE id = ?", appID).Scan(&openingID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Application")
	} else if err != nil {
		return nil, fmt.Errorf("find application %d: %w", appID, err)
	}
	if _, err := t.exec(ctx, "UPDATE interview_plans SET id = id WHERE opening_id = ?", openingID); err != nil {
		return nil, fmt.Errorf("lock plan of opening %d: %w", openingID, err)
	}
	if err := t.lockRow(ctx, "applications", appID); err != nil {
		return nil, err
	}
	p, err := loadProgress(ctx, t.runner, appID)
	if err != nil {
		return nil, err
	}
	if version != anyVersion && p.Version != version {
		return nil, &hiring.VersionConflict{Current: p}
	}
	return p, nil
}

// recordChange raises the version and writes the event and audit entry.
func recordChange(ctx context.Context, t *tx, p *hiring.Progress, ev *event) error {
	a := p.Application
	if _, err := t.exec(ctx, "UPDATE applications SET version = version + 1, updated_at = ? WHERE id = ?", t.now, a.ID); err != nil {
		return fmt.Errorf("update application %d: %w", a.ID, err)
	}
	var actorID *int64
	label := commandLineActor
	if u := hiring.ActorFromContext(ctx); u != nil {
		actorID, label = &u.ID, u.Name
		if label == "" {
			label = u.Email
		}
	}
	if ev.byCandidate {
		actorID, label = nil, hiring.CandidateActor
	}
	if _, err := t.exec(ctx, `INSERT INTO application_events (application_id, kind, actor_id, actor_label,
		from_stage, to_stage, reason, note, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, string(ev.kind), actorID, label, ev.from, ev.to, ev.reason, ev.note, ev.msg, t.now); err != nil {
		return fmt.Errorf("record event of application %d: %w", a.ID, err)
	}
	detail := fmt.Sprintf("%s for %s: %s", a.Candidate.Email, a.RequisitionID, ev.kind)
	if ev.to != "" {
		detail += fmt.Sprintf(" %q -> %q", ev.from, ev.to)
	}
	if ev.msg != "" {
		detail += "; " + ev.msg
	}
	action := map[hiring.EventKind]string{hiring.EventAdvanced: actionMove, hiring.EventMoved: actionMove,
		hiring.EventStep: actionStep, hiring.EventRejected: actionReject, hiring.EventWithdrawn: actionWithdraw,
		hiring.EventHired: actionHire, hiring.EventInterviewScheduled: actionInterview,
		hiring.EventInterviewRescheduled: actionInterview, hiring.EventInterviewCancelled: actionInterview,
		hiring.EventInterviewDone: actionInterview, hiring.EventInterviewNoShow: actionInterview}[ev.kind]
	return writeAudit(ctx, t, action, entityApplication, a.ID, detail)
}

// requireActive refuses changes to an application that left the pipeline.
func requireActive(p *hiring.Progress) error {
	if s := p.Application.Status; s != hiring.ApplicationActive {
		return fieldError(hiring.ECONFLICT, "status", fmt.Sprintf("This application is %s; it no longer moves through the plan.", s))
	}
	return nil
}

// requirePlan refuses moves in an opening without a plan.
func requirePlan(p *hiring.Progress) error {
	if p.Plan == nil || p.Stage == nil {
		return hiring.Errorf(hiring.ECONFLICT, "This opening has no interview plan yet; choose a template for it first.")
	}
	return nil
}

// setStage puts the application in a stage from now on.
func setStage(ctx context.Context, t *tx, appID int64, g *hiring.PlanStage) error {
	_, err := t.exec(ctx, "UPDATE applications SET stage_id = ?, stage = ?, stage_entered_at = ? WHERE id = ?",
		g.ID, g.Name, t.now, appID)
	if err != nil {
		return fmt.Errorf("move application %d: %w", appID, err)
	}
	return nil
}

// cleanNote trims a note and checks that it is readable text of a sane
// length.
func cleanNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	v := hiring.Validation{}
	if len(note) > hiring.MaxNoteLen {
		v.Add("note", "This is too long.")
	} else if strings.ContainsRune(note, 0) || !utf8.ValidString(note) {
		v.Add("note", "This contains characters that are not readable text.")
	}
	return note, v.Err()
}

// Advance moves an application to the next stage of the plan.
func (s *PipelineService) Advance(ctx context.Context, appID int64, version int, opt hiring.AdvanceOptions) (*hiring.Progress, error) {
	note, err := cleanNote(opt.Note)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, appID, version, func(t *tx, p *hiring.Progress) (*event, error) {
		if err := requireActive(p); err != nil {
			return nil, err
		}
		if err := requirePlan(p); err != nil {
			return nil, err
		}
		unfinished := p.Unfinished()
		if len(unfinished) > 0 && !opt.Force {
			msg := fmt.Sprintf("Finish %s first, or move on anyway.", hiring.StepNames(unfinished))
			return nil, &hiring.Error{Code: hiring.ECONFLICT, Message: msg, Fields: map[string]string{"steps": msg}}
		}
		next := p.Plan.Next(p.Stage.ID, opt.SkipOptional)
		if next == nil {
			return nil, hiring.Errorf(hiring.ECONFLICT, "This is the last stage of the plan; hire the candidate or reject the application.")
		}
		if err := setStage(ctx, t, appID, next); err != nil {
			return nil, err
		}
		// A move tells the candidate where they stand: it meets the reply
		// owed.
		if err := noteUpdate(ctx, t, appID); err != nil {
			return nil, err
		}
		ev := &event{kind: hiring.EventAdvanced, from: p.Stage.Name, to: next.Name, note: note}
		var parts []string
		if len(unfinished) > 0 {
			parts = append(parts, "moved on before finishing "+hiring.StepNames(unfinished))
		}
		if skipped := stagesBetween(p.Plan, p.Stage, next); len(skipped) > 0 {
			parts = append(parts, "passed over "+strings.Join(skipped, ", "))
		}
		ev.msg = strings.Join(parts, "; ")
		return ev, nil
	})
}

// stagesBetween names the stages after from and before to.
func stagesBetween(plan *hiring.InterviewPlan, from, to *hiring.PlanStage) []string {
	var out []string
	in := false
	for _, g := range plan.Stages {
		switch {
		case g.ID == from.ID:
			in = true
		case g.ID == to.ID:
			return out
		case in:
			out = append(out, g.Name)
		}
	}
	return out
}

// MoveTo moves an application to any stage of its opening's plan.
func (s *PipelineService) MoveTo(ctx context.Context, appID, stageID int64, version int, note string) (*hiring.Progress, error) {
	note, err := cleanNote(note)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, appID, version, func(t *tx, p *hiring.Progress) (*event, error) {
		if err := requireActive(p); err != nil {
			return nil, err
		}
		if err := requirePlan(p); err != nil {
			return nil, err
		}
		target := p.Plan.Stage(stageID)
		if target == nil {
			return nil, fieldError(hiring.EINVALID, "stage_id", "This stage is not part of the opening's plan.")
		}
		if target.ID == p.Stage.ID {
			return nil, nil
		}
		if err := setStage(ctx, t, appID, target); err != nil {
			return nil, err
		}
		if err := noteUpdate(ctx, t, appID); err != nil {
			return nil, err
		}
		return &event{kind: hiring.EventMoved, from: p.Stage.Name, to: target.Name, note: note}, nil
	})
}

// CompleteStep records an application's status for one step of the plan.
// It needs no version: a step's status is a fact someone reports, and it
// raises the version so that a move made from an older view is refused.
func (s *PipelineService) CompleteStep(ctx context.Context, appID, stepID int64, status hiring.StepStatus) (*hiring.Progress, error) {
	if !status.Valid() {
		return nil, fieldError(hiring.EINVALID, "status", "Choose one of: pending, scheduled, done, skipped, no_show.")
	}
	return s.change(ctx, appID, anyVersion, func(t *tx, p *hiring.Progress) (*event, error) {
		if err := requireActive(p); err != nil {
			return nil, err
		}
		if err := requirePlan(p); err != nil {
			return nil, err
		}
		stage := p.Plan.StageOf(stepID)
		if stage == nil {
			return nil, fieldError(hiring.EINVALID, "step_id", "This step is not part of the opening's plan.")
		}
		old := p.StepStatus(stepID)
		if old == status {
			return nil, nil
		}
		if _, err := t.exec(ctx, `INSERT INTO application_steps (application_id, step_id, status, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (application_id, step_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
			appID, stepID, string(status), t.now); err != nil {
			return nil, fmt.Errorf("record step %d of application %d: %w", stepID, appID, err)
		}
		// Finishing reference checks ends their weekly updates.
		if err := refreshHearBack(ctx, t, appID); err != nil {
			return nil, err
		}
		name := stage.Step(stepID).Name
		if name != stage.Name {
			name += " (" + stage.Name + ")"
		}
		return &event{kind: hiring.EventStep, msg: fmt.Sprintf("%s: %s -> %s", name, old.Label(), status.Label())}, nil
	})
}

// Reject rejects an application and queues its message.
func (s *PipelineService) Reject(ctx context.Context, appID int64, in hiring.RejectInput, version int) (*hiring.Progress, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkInterviews(ctx, appID, in); err != nil {
		return nil, err
	}
	return s.change(ctx, appID, version, func(t *tx, p *hiring.Progress) (*event, error) {
		return reject(ctx, t, p, in, s.mail)
	})
}

// checkInterviews refuses a rejection that would cancel an interview
// starting soon while nobody has decided about it.
func (s *PipelineService) checkInterviews(ctx context.Context, appID int64, in hiring.RejectInput) error {
	if s.interviews == nil || in.KeepUpcomingInterviews != nil {
		return nil
	}
	n, err := s.interviews.UpcomingInterviews(ctx, appID, hiring.KeepInterviewWindow)
	if err != nil {
		return fmt.Errorf("find upcoming interviews of application %d: %w", appID, err)
	}
	if n == 0 {
		return nil
	}
	what := "an interview"
	if n > 1 {
		what = fmt.Sprintf("%d interviews", n)
	}
	msg := fmt.Sprintf("This candidate has %s less than 24 hours away. Choose whether to keep it, so they may still use it "+
		"for their questions, or to cancel it.", what)
	return fieldError(hiring.ECONFLICT, "keep_upcoming_interviews", msg)
}

// reject rejects the application of p inside t.
func reject(ctx context.Context, t *tx, p *hiring.Progress, in hiring.RejectInput, mail InterviewOptions) (*event, error) {
	if err := requireActive(p); err != nil {
		return nil, err
	}
	if err := hiring.CheckSendAt(in.SendAt, t.now); err != nil {
		return nil, err
	}
	a := p.Application
	if _, err := t.exec(ctx, "UPDATE applications SET status = ?, rejected_at = ? WHERE id = ?",
		string(hiring.ApplicationRejected), t.now, a.ID); err != nil {
		return nil, fmt.Errorf("reject application %d: %w", a.ID, err)
	}
	ev := &event{kind: hiring.EventRejected, from: stageName(p), reason: string(in.Reason), note: in.Note}
	var parts []string
	if in.Message != nil {
		m := in.Message.Expand(a.Candidate.Name, a.OpeningTitle)
		if _, err := enqueueMessage(ctx, t, hiring.MessageDraft{ApplicationID: &a.ID, To: a.Candidate.Email,
			Subject: m.Subject, TextBody: m.Body, Kind: hiring.KindRejection, SendAt: in.SendAt}); err != nil {
			return nil, err
		}
		if in.SendAt != nil {
			parts = append(parts, "message to the candidate scheduled for "+in.SendAt.UTC().Format("2 January 2006 15:04 UTC"))
		} else {
			parts = append(parts, "message to the candidate queued")
		}
	}
	// The rejection is the reply owed, made when its message goes out.
	repliedAt := t.now
	if in.Message != nil && in.SendAt != nil {
		repliedAt = in.SendAt.UTC()
	}
	if err := noteUpdateAt(ctx, t, a.ID, repliedAt); err != nil {
		return nil, err
	}
	cancelled, err := cancelOnRejection(ctx, t, a, in.KeepUpcomingInterviews, mail)
	if err != nil {
		return nil, err
	}
	if cancelled > 0 {
		parts = append(parts, fmt.Sprintf("%d interviews cancelled", cancelled))
	}
	if in.KeepUpcomingInterviews != nil {
		if *in.KeepUpcomingInterviews {
			parts = append(parts, "interviews in the next 24 hours are kept")
		} else {
			parts = append(parts, "interviews in the next 24 hours are to be cancelled")
		}
	}
	ev.msg = strings.Join(parts, "; ")
	return ev, nil
}

func stageName(p *hiring.Progress) string {
	if p.Stage != nil {
		return p.Stage.Name
	}
	return p.Application.Stage
}

// BulkReject rejects several applications with one message, in one
// transaction. Applications that are not active, do not exist or have an
// interview soon with no decision about it are skipped and said why.
func (s *PipelineService) BulkReject(ctx context.Context, ids []int64, in hiring.RejectInput) (*hiring.BulkRejectResult, error) {
	if len(ids) == 0 {
		return nil, fieldError(hiring.EINVALID, "ids", "Choose at least one application.")
	}
	if len(ids) > hiring.MaxBulk {
		return nil, fieldError(hiring.EINVALID, "ids", fmt.Sprintf("Reject at most %d applications at a time.", hiring.MaxBulk))
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	res := &hiring.BulkRejectResult{Rejected: []int64{}, Skipped: map[int64]string{}}
	var todo []int64
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if err := s.checkInterviews(ctx, id, in); hiring.ErrorCode(err) == hiring.ECONFLICT {
			res.Skipped[id] = hiring.ErrorMessage(err)
			continue
		} else if err != nil {
			return nil, err
		}
		todo = append(todo, id)
	}
	err := s.db.transact(ctx, func(t *tx) error {
		res.Rejected = res.Rejected[:0]
		for _, id := range todo {
			delete(res.Skipped, id)
			p, err := lockProgress(ctx, t, id, anyVersion)
			if hiring.ErrorCode(err) == hiring.ENOTFOUND {
				res.Skipped[id] = "Application not found."
				continue
			} else if err != nil {
				return err
			}
			ev, err := reject(ctx, t, p, in, s.mail)
			if code := hiring.ErrorCode(err); code == hiring.ECONFLICT {
				res.Skipped[id] = hiring.ErrorMessage(err)
				continue
			} else if err != nil {
				return err
			}
			if err := recordChange(ctx, t, p, ev); err != nil {
				return err
			}
			res.Rejected = append(res.Rejected, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Withdraw records that the candidate withdrew.
func (s *PipelineService) Withdraw(ctx context.Context, appID int64, version int, note string, fromCandidate bool) (*hiring.Progress, error) {
	note, err := cleanNote(note)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, appID, version, func(t *tx, p *hiring.Progress) (*event, error) {
		if err := requireActive(p); err != nil {
			return nil, err
		}
		if _, err := t.exec(ctx, "UPDATE applications SET status = ?, withdrawn_at = ? WHERE id = ?",
			string(hiring.ApplicationWithdrawn), t.now, appID); err != nil {
			return nil, fmt.Errorf("withdraw application %d: %w", appID, err)
		}
		// The candidate is no longer coming: every interview that has not
		// ended is cancelled, and its people are told.
		cancel := false
		cancelled, err := cancelOnRejection(ctx, t, p.Application, &cancel, s.mail)
		if err != nil {
			return nil, err
		}
		if err := refreshHearBack(ctx, t, appID); err != nil {
			return nil, err
		}
		if fromCandidate {
			if err := queueWithdrawalNotice(ctx, t, p.Application, note); err != nil {
				return nil, err
			}
		}
		ev := &event{kind: hiring.EventWithdrawn, from: stageName(p), note: note, byCandidate: fromCandidate}
		if cancelled > 0 {
			ev.msg = fmt.Sprintf("%d interviews cancelled", cancelled)
		}
		return ev, nil
	})
}

// Hire records the hire and fills a seat of the opening.
func (s *PipelineService) Hire(ctx context.Context, appID int64, vacancyID *int64, version int) (*hiring.Progress, error) {
	return s.change(ctx, appID, version, func(t *tx, p *hiring.Progress) (*event, error) {
		if err := requireActive(p); err != nil {
			return nil, err
		}
		vacancy, err := fillVacancy(ctx, t, p.Application.OpeningID, vacancyID)
		if err != nil {
			return nil, err
		}
		var code string
		if err := t.queryRow(ctx, "SELECT code FROM vacancies WHERE id = ?", vacancy).Scan(&code); err != nil {
			return nil, fmt.Errorf("find vacancy %d: %w", vacancy, err)
		}
		if _, err := t.exec(ctx, "UPDATE applications SET status = ?, hired_at = ?, vacancy_id = ? WHERE id = ?",
			string(hiring.ApplicationHired), t.now, vacancy, appID); err != nil {
			return nil, fmt.Errorf("hire application %d: %w", appID, err)
		}
		if err := refreshHearBack(ctx, t, appID); err != nil {
			return nil, err
		}
		return &event{kind: hiring.EventHired, from: stageName(p), msg: "filled vacancy " + code}, nil
	})
}

// Timeline returns the application's events, oldest first, after the
// application itself.
func (s *PipelineService) Timeline(ctx context.Context, appID int64) ([]*hiring.Event, error) {
	r := s.db.reader()
	a, err := findApplication(ctx, r, "a.id = ?", appID)
	if err != nil {
		return nil, err
	}
	out := []*hiring.Event{{ApplicationID: a.ID, Kind: hiring.EventApplied, Actor: hiring.CandidateActor,
		Detail: "Source: " + strings.ReplaceAll(string(a.Source), "_", " "), CreatedAt: a.CreatedAt}}
	if a.Source == hiring.SourceSourced || a.Source == hiring.SourceAgency || a.Source == hiring.SourceReferral {
		out[0].Actor = ""
	}
	rows, err := r.query(ctx, `SELECT id, application_id, kind, actor_id, actor_label, from_stage, to_stage, reason, note,
		detail, created_at FROM application_events WHERE application_id = ? ORDER BY created_at, id`, appID)
	if err != nil {
		return nil, fmt.Errorf("find events of application %d: %w", appID, err)
	}
	defer rows.Close()
	for rows.Next() {
		e := &hiring.Event{}
		if err := rows.Scan(&e.ID, &e.ApplicationID, &e.Kind, &e.ActorID, &e.Actor, &e.FromStage, &e.ToStage,
			&e.Reason, &e.Note, &e.Detail, timeColumn{&e.CreatedAt}); err != nil {
			return nil, fmt.Errorf("read event: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find events of application %d: %w", appID, err)
	}
	return out, nil
}

// Board returns an opening's active applications by stage: a grouped
// count per stage, then one query made of one ordered, limited read per
// stage, which the board index answers without looking at the rest of a
// stage's applications. Applications not placed yet are read with the first
// stage and merged into its column.
func (s *PipelineService) Board(ctx context.Context, f hiring.BoardFilter) (*hiring.Board, error) {
	v := hiring.Validation{}
	v.Check(f.PerColumn >= 0 && f.PerColumn <= hiring.MaxBoardCards, "per_column",
		fmt.Sprintf("Show from 1 to %d cards per column.", hiring.MaxBoardCards))
	v.Check(f.Offset >= 0 && f.Offset <= maxBoardOffset, "offset", fmt.Sprintf("Offset goes from 0 to %d.", maxBoardOffset))
	v.Check(f.Offset == 0 || f.StageID != nil, "offset", "Page through one stage at a time.")
	if err := v.Err(); err != nil {
		return nil, err
	}
	per := f.PerColumn
	if per == 0 {
		per = hiring.DefaultBoardCards
	}
	r := s.db.reader()
	if _, err := findOpening(ctx, r, f.OpeningID); err != nil {
		return nil, err
	}
	b := &hiring.Board{OpeningID: f.OpeningID, Columns: []*hiring.BoardColumn{}}
	plan, err := findPlan(ctx, r, "Interview plan", "p.opening_id = ?", f.OpeningID)
	switch {
	case hiring.ErrorCode(err) == hiring.ENOTFOUND:
		if f.StageID != nil {
			return nil, fieldError(hiring.EINVALID, "stage_id", "This opening has no interview plan, so it has no stages yet.")
		}
		b.Columns = append(b.Columns, &hiring.BoardColumn{Name: "Applied", Cards: []*hiring.BoardCard{}})
	case err != nil:
		return nil, err
	default:
		b.Plan = plan
		for _, g := range plan.Stages {
			if f.StageID == nil || *f.StageID == g.ID {
				b.Columns = append(b.Columns, &hiring.BoardColumn{Stage: g, Name: g.Name, Cards: []*hiring.BoardCard{}})
			}
		}
		if len(b.Columns) == 0 {
			return nil, fieldError(hiring.EINVALID, "stage_id", "This stage is not part of the opening's plan.")
		}
	}
	if err := boardCounts(ctx, r, f.OpeningID, b); err != nil {
		return nil, err
	}
	if err := boardCards(ctx, r, b, f.Offset, per); err != nil {
		return nil, err
	}
	return b, nil
}

// maxBoardOffset bounds paging through a column; a column is read up to
// its offset.
const maxBoardOffset = 100_000

// boardCounts counts the active applications of each stage. Those not
// placed yet count in the first stage, or in the one column of an opening
// without a plan.
func boardCounts(ctx context.Context, r runner, openingID int64, b *hiring.Board) error {
	rows, err := r.query(ctx, `SELECT stage_id, COUNT(*) FROM applications
		WHERE opening_id = ? AND status = 'active' GROUP BY stage_id`, openingID)
	if err != nil {
		return fmt.Errorf("count board of opening %d: %w", openingID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id *int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return fmt.Errorf("count board: %w", err)
		}
		b.Total += n
		if c := boardColumn(b, id); c != nil {
			c.Count += n
		}
	}
	return rows.Err()
}

// boardColumn returns the column of applications in a stage, or nil when
// the board does not show it.
func boardColumn(b *hiring.Board, stageID *int64) *hiring.BoardColumn {
	if b.Plan == nil {
		return b.Columns[0]
	}
	if stageID == nil {
		stageID = &b.Plan.First().ID
	}
	for _, c := range b.Columns {
		if c.Stage.ID == *stageID {
			return c
		}
	}
	return nil
}

// boardCards reads offset+per cards of each column, longest waiting first,
// and keeps per of them from offset on. The reads are written to match the
// board index: opening, stage, then time in stage.
func boardCards(ctx context.Context, r runner, b *hiring.Board, offset, per int) error {
	const read = `SELECT * FROM (SELECT a.id, a.candidate_id, a.source, a.version, a.stage_id,
		COALESCE(a.stage_entered_at, a.created_at) AS entered, a.created_at, a.hear_back_by, %d AS col
		FROM applications a WHERE a.opening_id = ? AND a.status = 'active'%s
		ORDER BY COALESCE(a.stage_entered_at, a.created_at), a.id LIMIT ?) r%d`
	var reads []string
	var args []any
	first := int64(0)
	if b.Plan != nil {
		first = b.Plan.First().ID
	}
	for i, c := range b.Columns {
		switch {
		case c.Stage == nil:
			reads = append(reads, fmt.Sprintf(read, i, "", len(reads)))
			args = append(args, b.OpeningID, offset+per)
		default:
			reads = append(reads, fmt.Sprintf(read, i, " AND a.stage_id = ?", len(reads)))
			args = append(args, b.OpeningID, c.Stage.ID, offset+per)
			if c.Stage.ID == first {
				reads = append(reads, fmt.Sprintf(read, i, " AND a.stage_id IS NULL", len(reads)))
				args = append(args, b.OpeningID, offset+per)
			}
		}
	}
	rows, err := r.query(ctx, `SELECT u.id, u.candidate_id, c.name, u.source, u.version, u.col, u.entered, u.created_at,
		u.hear_back_by, c.time_zone, (SELECT COUNT(*) FROM application_steps x JOIN plan_steps ps ON ps.id = x.step_id
			WHERE x.application_id = u.id AND ps.stage_id = COALESCE(u.stage_id, ?) AND NOT ps.optional
			AND x.status IN ('done', 'skipped'))
		FROM (`+strings.Join(reads, " UNION ALL ")+`) u JOIN candidates c ON c.id = u.candidate_id
		ORDER BY u.col, u.entered, u.id`, append([]any{first}, args...)...)
	if err != nil {
		return fmt.Errorf("read board of opening %d: %w", b.OpeningID, err)
	}
	defer rows.Close()
	seen := make([]int, len(b.Columns))
	for rows.Next() {
		c := &hiring.BoardCard{}
		var (
			col  int
			zone string
		)
		if err := rows.Scan(&c.ApplicationID, &c.CandidateID, &c.CandidateName, &c.Source, &c.Version, &col,
			timeColumn{&c.InStageSince}, timeColumn{&c.AppliedAt}, nullTimeColumn{&c.HearBackBy}, &zone, &c.StepsDone); err != nil {
			return fmt.Errorf("read board card: %w", err)
		}
		if c.HearBackBy != nil {
			d := c.HearBackBy.In(zoneOf(zone))
			c.HearBackBy = &d
		}
		if col < 0 || col >= len(b.Columns) {
			continue
		}
		seen[col]++
		column := b.Columns[col]
		if seen[col] <= offset || len(column.Cards) >= per {
			continue
		}
		if column.Stage != nil {
			for _, st := range column.Stage.Steps {
				if !st.Optional {
					c.StepsRequired++
				}
			}
		}
		column.Cards = append(column.Cards, c)
	}
	return rows.Err()
}

package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"hireloop/internal/blob"
	"hireloop/internal/hiring"
)

// ApplyRules are the limits on applying. Zero values take the defaults of
// package hiring; a negative value turns a rule off.
type ApplyRules struct {
	// MaxActive is how many active applications one person may have.
	MaxActive int
	// ReapplyMonths is how long after a rejection a person may not apply
	// for the same role again.
	ReapplyMonths int
	// RetentionMonths is how long data is kept after consent.
	RetentionMonths int
	// Confirm writes the confirmation email; nil writes
	// hiring.ComposeConfirmation without a link.
	Confirm func(hiring.Confirmation) hiring.MessageDraft
}

// ApplicationService takes applications and changes their status.
//
// Apply is the one door through which applications come in, and it never
// acknowledges what it has not stored. Its steps, in order:
//  1. check the input, the opening and the answers, without writing;
//  2. write each uploaded file to blob storage durably (see FileService);
//  3. in one transaction: find or create the candidate by email (locking
//     the row, so one person's applications are checked one at a time),
//     apply the rules, record files, application, self-identification,
//     search document and confirmation email;
//  4. return only after the commit; on any failure, delete the blobs.
//
// A crash before the commit leaves orphan blobs that nothing refers to and
// that SweepOrphanFiles removes; a crash after it leaves the complete
// application. No state exists in which an application lacks its files.
type ApplicationService struct {
	db    *DB
	blobs blob.Store
	rules ApplyRules
}

var _ hiring.ApplicationService = (*ApplicationService)(nil)

// NewApplicationService returns an ApplicationService that keeps uploads in
// blobs and applies rules.
func NewApplicationService(db *DB, blobs blob.Store, rules ApplyRules) *ApplicationService {
	if rules.MaxActive == 0 {
		rules.MaxActive = hiring.DefaultMaxActiveApplications
	}
	if rules.ReapplyMonths == 0 {
		rules.ReapplyMonths = hiring.DefaultReapplyMonths
	}
	if rules.RetentionMonths <= 0 {
		rules.RetentionMonths = hiring.DefaultRetentionMonths
	}
	if rules.Confirm == nil {
		rules.Confirm = func(c hiring.Confirmation) hiring.MessageDraft { return hiring.ComposeConfirmation(c, "") }
	}
	return &ApplicationService{db: db, blobs: blobs, rules: rules}
}

// Audit log name of applications.
const entityApplication = "application"

// guideTokenLen is the length of a guide token: 32 random bytes, base64url.
const guideTokenLen = 43

const applicationColumns = `a.id, a.candidate_id, a.opening_id, o.title, o.requisition_id, a.status, a.stage,
	a.source, a.cover_letter, a.answers, a.resume_file_id, a.adjustment_request, a.consent_at,
	a.retain_until, a.vacancy_id, a.rejected_at, a.withdrawn_at, a.hired_at, a.created_at, a.updated_at, ` + candidateColumns

const applicationFrom = ` FROM applications a JOIN candidates c ON c.id = a.candidate_id
	JOIN openings o ON o.id = a.opening_id`

func scanApplication(sc interface{ Scan(...any) error }) (*hiring.Application, error) {
	a := &hiring.Application{}
	var answers string
	c, err := scanCandidate(rowPrefix{sc, []any{&a.ID, &a.CandidateID, &a.OpeningID, &a.OpeningTitle,
		&a.RequisitionID, &a.Status, &a.Stage, &a.Source, &a.CoverLetter, &answers, &a.ResumeFileID,
		&a.AdjustmentRequest, timeColumn{&a.ConsentAt}, timeColumn{&a.RetainUntil}, &a.VacancyID,
		nullTimeColumn{&a.RejectedAt}, nullTimeColumn{&a.WithdrawnAt}, nullTimeColumn{&a.HiredAt},
		timeColumn{&a.CreatedAt}, timeColumn{&a.UpdatedAt}}})
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(answers), &a.Answers); err != nil {
		return nil, fmt.Errorf("application %d: read answers: %w", a.ID, err)
	}
	if a.Answers == nil {
		a.Answers = []hiring.Answer{}
	}
	a.Candidate = c
	return a, nil
}

// rowPrefix scans leading columns into prefix and passes the rest on, so a
// row can be read by two scanners in turn.
type rowPrefix struct {
	sc     interface{ Scan(...any) error }
	prefix []any
}

func (p rowPrefix) Scan(dest ...any) error { return p.sc.Scan(append(p.prefix, dest...)...) }

func findApplication(ctx context.Context, r runner, cond string, arg any) (*hiring.Application, error) {
	a, err := scanApplication(r.queryRow(ctx, "SELECT "+applicationColumns+applicationFrom+" WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Application")
	} else if err != nil {
		return nil, fmt.Errorf("find application: %w", err)
	}
	return a, nil
}

// FindApplicationByID returns an application with its candidate.
func (s *ApplicationService) FindApplicationByID(ctx context.Context, id int64) (*hiring.Application, error) {
	return findApplication(ctx, s.db.reader(), "a.id = ?", id)
}

// FindApplicationByGuideToken returns the application of a private link.
func (s *ApplicationService) FindApplicationByGuideToken(ctx context.Context, token string) (*hiring.Application, error) {
	if len(token) != guideTokenLen {
		return nil, notFound("Application")
	}
	return findApplication(ctx, s.db.reader(), "a.guide_token_hash = ?", hashSecret(token))
}

// FindApplications returns a page of applications, newest first, with
// their candidates, and the total count.
func (s *ApplicationService) FindApplications(ctx context.Context, f hiring.ApplicationFilter) ([]*hiring.Application, int, error) {
	offset, limit, err := pageBounds(f.Offset, f.Limit)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if f.OpeningID != nil {
		w.add("a.opening_id = ?", *f.OpeningID)
	}
	if f.CandidateID != nil {
		w.add("a.candidate_id = ?", *f.CandidateID)
	}
	if f.Status != nil {
		w.add("a.status = ?", string(*f.Status))
	}
	if f.Stage != "" {
		w.add("a.stage = ?", f.Stage)
	}
	addAccessFilters(w, f)
	r := s.db.reader()
	total, err := r.count(ctx, "SELECT COUNT(*) FROM applications a"+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count applications: %w", err)
	}
	rows, err := r.query(ctx, "SELECT "+applicationColumns+applicationFrom+w.String()+" ORDER BY a.id DESC LIMIT ? OFFSET ?",
		append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find applications: %w", err)
	}
	defer rows.Close()
	out := []*hiring.Application{}
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("read application: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find applications: %w", err)
	}
	return out, total, nil
}

// openForApplications refuses openings that take no applications. A draft
// is not found, as it is not published.
func openForApplications(o *hiring.Opening) error {
	switch o.Status {
	case hiring.OpeningOpen:
		return nil
	case hiring.OpeningDraft:
		return hiring.Errorf(hiring.ENOTFOUND, "Job not found.")
	}
	return hiring.Errorf(hiring.ECONFLICT, "This job is closed and takes no more applications.")
}

// Apply takes an application whole or not at all; see ApplicationService.
func (s *ApplicationService) Apply(ctx context.Context, in hiring.ApplyInput) (*hiring.ApplyResult, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	r := s.db.reader()
	o, err := findOpening(ctx, r, in.OpeningID)
	if hiring.ErrorCode(err) == hiring.ENOTFOUND {
		return nil, hiring.Errorf(hiring.ENOTFOUND, "Job not found.")
	} else if err != nil {
		return nil, err
	}
	if err := openForApplications(o); err != nil {
		return nil, err
	}
	if err := hiring.ValidateAnswers(o.Questions, in.Answers); err != nil {
		return nil, err
	}
	// A repeated submit is answered before any file is written.
	if in.IdempotencyKey != "" {
		if res, err := findReplay(ctx, r, in); res != nil || err != nil {
			return res, err
		}
	}

	var stored []*storedBlob
	keep := false
	defer func() {
		if keep {
			return
		}
		for _, b := range stored {
			if err := s.blobs.Delete(context.WithoutCancel(ctx), b.key); err != nil {
				s.db.logger.Warn("delete blob of a failed application; the sweeper will remove it",
					"key", b.key, "err", err)
			}
		}
	}()
	now := s.db.now()
	var resume *storedBlob
	if in.Resume != nil {
		if resume, err = putUpload(ctx, s.blobs, now, in.Resume, "resume"); err != nil {
			return nil, err
		}
		stored = append(stored, resume)
	}
	answerFiles := map[int64]*storedBlob{}
	for _, a := range in.Answers {
		if a.File == nil {
			continue
		}
		b, err := putUpload(ctx, s.blobs, now, a.File, hiring.QuestionField(a.QuestionID))
		if err != nil {
			return nil, err
		}
		stored = append(stored, b)
		answerFiles[a.QuestionID] = b
	}
	secret, err := newSecret()
	if err != nil {
		return nil, err
	}

	// The files are stored; the transaction now runs to its end even when
	// the client goes away, so that a commit the database made is never
	// mistaken for a failure whose files are then deleted. Applications
	// arriving together may share one commit (see DB.transactGrouped);
	// each is still answered only after it.
	ctx = context.WithoutCancel(ctx)
	var res *hiring.ApplyResult
	err = s.db.transactGrouped(ctx, func(t *tx) error {
		res = nil
		// The opening was read above; only whether it still takes
		// applications can have changed since, and that is checked again
		// here, where it counts.
		var status string
		if err := t.queryRow(ctx, "SELECT status FROM openings WHERE id = ?", in.OpeningID).Scan(&status); errors.Is(err, sql.ErrNoRows) {
			return hiring.Errorf(hiring.ENOTFOUND, "Job not found.")
		} else if err != nil {
			return fmt.Errorf("find opening %d: %w", in.OpeningID, err)
		}
		o.Status = hiring.OpeningStatus(status)
		if err := openForApplications(o); err != nil {
			return err
		}
		cand, place, err := upsertCandidate(ctx, t, &in)
		if err != nil {
			return err
		}
		if in.IdempotencyKey != "" {
			if res, err = findReplay(ctx, t.runner, in); res != nil || err != nil {
				return err
			}
		}
		if err := s.checkRules(ctx, t, cand, o); err != nil {
			return err
		}
		hearBack, err := s.db.newApplicationHearBack(ctx, t, place.country, place.zone)
		if err != nil {
			return err
		}
		app, err := s.insertApplication(ctx, t, &in, cand, o, hearBack, secret, resume, answerFiles)
		if err != nil {
			return err
		}
		if in.SelfID != nil {
			if err := insertSelfID(ctx, t, o.ID, in.SelfID); err != nil {
				return err
			}
		}
		if err := indexCandidateAs(ctx, t.runner, cand.ID, cand.Name, cand.Email, !place.isNew); err != nil {
			return err
		}
		conf := hiring.Confirmation{Candidate: cand, Opening: o, Application: app, GuideToken: secret}
		if err := s.enqueueNotices(ctx, t, conf); err != nil {
			return err
		}
		res = &hiring.ApplyResult{Application: app, Candidate: cand, GuideToken: secret}
		return nil
	})
	if err != nil && s.db.dialect.isUniqueViolation(err) && in.IdempotencyKey != "" {
		// Two submits with one key raced past the checks; the other won,
		// unless its commit failed too.
		if res, replayErr := findReplay(ctx, r, in); res != nil || replayErr != nil {
			return res, replayErr
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	keep = !res.Replayed
	return res, nil
}

// findReplay returns the application an idempotency key already made, as a
// replayed result, or nil.
func findReplay(ctx context.Context, r runner, in hiring.ApplyInput) (*hiring.ApplyResult, error) {
	var id int64
	err := r.queryRow(ctx, `SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidate_id
		WHERE c.email = ? AND a.opening_id = ? AND a.idempotency_key = ?`,
		in.Email, in.OpeningID, in.IdempotencyKey).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find repeated application: %w", err)
	}
	app, err := findApplication(ctx, r, "a.id = ?", id)
	if err != nil {
		return nil, err
	}
	return &hiring.ApplyResult{Application: app, Candidate: app.Candidate, Replayed: true}, nil
}

// checkRules enforces the limits on applying, for a candidate whose row
// the transaction has locked.
func (s *ApplicationService) checkRules(ctx context.Context, t *tx, c *hiring.Candidate, o *hiring.Opening) error {
	var (
		active, here int
		applied      time.Time
		rejected     *time.Time
	)
	// One query answers every rule, so that applying costs one round trip
	// here, not two.
	err := t.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN opening_id = ? THEN 1 ELSE 0 END), 0),
		(SELECT MAX(r.rejected_at) FROM applications r JOIN openings ro ON ro.id = r.opening_id
			WHERE r.candidate_id = ? AND ro.role_id = ? AND r.status = ?)
		FROM applications WHERE candidate_id = ? AND status = ?`,
		o.ID, c.ID, o.RoleID, string(hiring.ApplicationRejected), c.ID, string(hiring.ApplicationActive)).
		Scan(&active, &here, nullTimeColumn{&rejected})
	if err != nil {
		return fmt.Errorf("count active applications: %w", err)
	}
	if here > 0 {
		if err := t.queryRow(ctx, "SELECT created_at FROM applications WHERE candidate_id = ? AND opening_id = ? AND status = ?",
			c.ID, o.ID, string(hiring.ApplicationActive)).Scan(timeColumn{&applied}); err != nil {
			return fmt.Errorf("find active application: %w", err)
		}
		return fieldError(hiring.ECONFLICT, "email", fmt.Sprintf(
			"You already applied for this job on %s; that application is still open.", applied.Format("2 January 2006")))
	}
	if s.rules.MaxActive > 0 && active >= s.rules.MaxActive {
		return fieldError(hiring.ECONFLICT, "email", fmt.Sprintf(
			"You already have %d open applications, the most we take at a time. "+
				"You can apply again once one of them is decided or withdrawn.", active))
	}
	if s.rules.ReapplyMonths > 0 && rejected != nil {
		again := rejected.AddDate(0, s.rules.ReapplyMonths, 0)
		if t.now.Before(again) {
			return fieldError(hiring.ECONFLICT, "email", fmt.Sprintf(
				"You applied for this role recently. You may apply for it again from %s.", again.Format("2 January 2006")))
		}
	}
	return nil
}

// insertApplication records the files and the application.
func (s *ApplicationService) insertApplication(ctx context.Context, t *tx, in *hiring.ApplyInput, c *hiring.Candidate,
	o *hiring.Opening, hearBack *time.Time, secret string, resume *storedBlob, answerFiles map[int64]*storedBlob) (*hiring.Application, error) {
	var resumeID *int64
	if resume != nil {
		id, err := insertFile(ctx, t, resume)
		if err != nil {
			return nil, err
		}
		resumeID = &id
	}
	answers := make([]hiring.Answer, 0, len(in.Answers))
	for _, a := range in.Answers {
		ans := hiring.Answer{QuestionID: a.QuestionID, Value: a.Value, Values: a.Values}
		if b := answerFiles[a.QuestionID]; b != nil {
			id, err := insertFile(ctx, t, b)
			if err != nil {
				return nil, err
			}
			ans.FileID = &id
		}
		if ans.Value == "" && len(ans.Values) == 0 && ans.FileID == nil {
			continue
		}
		answers = append(answers, ans)
	}
	answersJSON, err := json.Marshal(answers)
	if err != nil {
		return nil, fmt.Errorf("encode answers: %w", err)
	}
	retain := t.now.AddDate(0, s.rules.RetentionMonths, 0)
	id, err := t.insert(ctx, `INSERT INTO applications (candidate_id, opening_id, status, stage, source,
		cover_letter, answers, resume_file_id, adjustment_request, consent_at, retain_until,
		guide_token_hash, idempotency_key, hear_back_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, in.OpeningID, string(hiring.ApplicationActive), hiring.StageApplied, string(in.Source),
		in.CoverLetter, string(answersJSON), resumeID, in.AdjustmentRequest, t.now, retain,
		hashSecret(secret), in.IdempotencyKey, hearBack, t.now, t.now)
	if err != nil {
		return nil, fmt.Errorf("record application: %w", err)
	}
	// The row holds exactly what was just written; reading it back would
	// cost a round trip for nothing. Stored times keep microseconds, as
	// t.now does.
	return &hiring.Application{
		ID: id, CandidateID: c.ID, Candidate: c, OpeningID: o.ID, OpeningTitle: o.Title,
		RequisitionID: o.RequisitionID, Status: hiring.ApplicationActive, Stage: hiring.StageApplied,
		Source: in.Source, CoverLetter: in.CoverLetter, Answers: answers, ResumeFileID: resumeID,
		AdjustmentRequest: in.AdjustmentRequest, ConsentAt: t.now, RetainUntil: retain.UTC().Truncate(time.Microsecond),
		CreatedAt: t.now, UpdatedAt: t.now,
	}, nil
}

// enqueueNotices queues the candidate's confirmation and, when they asked
// for adjustments, a notice to whoever coordinates the opening.
func (s *ApplicationService) enqueueNotices(ctx context.Context, t *tx, c hiring.Confirmation) error {
	if _, err := enqueueMessage(ctx, t, s.rules.Confirm(c)); err != nil {
		return err
	}
	if c.Application.AdjustmentRequest == "" {
		return nil
	}
	for _, id := range []*int64{c.Opening.CoordinatorID, c.Opening.RecruiterID, c.Opening.HiringManagerID} {
		if id == nil {
			continue
		}
		var email string
		err := t.queryRow(ctx, "SELECT email FROM users WHERE id = ?", *id).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return fmt.Errorf("find coordinator: %w", err)
		}
		_, err = enqueueMessage(ctx, t, hiring.ComposeAdjustmentNotice(c, email))
		return err
	}
	return nil
}

// insertSelfID stores voluntary answers with nothing that leads back to the
// person: a random key and the day, not the time.
func insertSelfID(ctx context.Context, t *tx, openingID int64, s *hiring.SelfID) error {
	var rnd [16]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return fmt.Errorf("self-identification key: %w", err)
	}
	day := t.now.Truncate(24 * time.Hour)
	_, err := t.exec(ctx, `INSERT INTO self_identifications (id, opening_id, gender, ethnicity, veteran, disability, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, hex.EncodeToString(rnd[:]), openingID, s.Gender, s.Ethnicity, s.Veteran, s.Disability, day)
	if err != nil {
		return fmt.Errorf("record self-identification: %w", err)
	}
	return nil
}

// SetApplicationStatus rejects, withdraws, hires or reactivates an
// application. A hire fills a vacancy of the opening: the one named, or the
// lowest-numbered open one.
func (s *ApplicationService) SetApplicationStatus(ctx context.Context, id int64, ch hiring.StatusChange) (*hiring.Application, error) {
	if !ch.Status.Valid() {
		return nil, fieldError(hiring.EINVALID, "status", "Choose one of: active, rejected, withdrawn, hired.")
	}
	var out *hiring.Application
	err := s.db.transact(ctx, func(t *tx) error {
		if err := t.lockRow(ctx, "applications", id); err != nil {
			return err
		}
		a, err := findApplication(ctx, t.runner, "a.id = ?", id)
		if err != nil {
			return err
		}
		if a.Status == ch.Status {
			out = a
			return nil
		}
		if !a.Status.CanMoveTo(ch.Status) {
			return fieldError(hiring.EINVALID, "status",
				fmt.Sprintf("An application that is %s cannot become %s.", a.Status, ch.Status))
		}
		var q string
		args := []any{string(ch.Status)}
		switch ch.Status {
		case hiring.ApplicationRejected:
			q, args = "rejected_at = ?", append(args, t.now)
		case hiring.ApplicationWithdrawn:
			q, args = "withdrawn_at = ?", append(args, t.now)
		case hiring.ApplicationActive:
			q = "rejected_at = NULL, withdrawn_at = NULL"
		case hiring.ApplicationHired:
			vacancy, err := fillVacancy(ctx, t, a.OpeningID, ch.VacancyID)
			if err != nil {
				return err
			}
			q, args = "hired_at = ?, vacancy_id = ?", append(args, t.now, vacancy)
		}
		_, err = t.exec(ctx, "UPDATE applications SET status = ?, "+q+", updated_at = ? WHERE id = ?",
			append(args, t.now, id)...)
		if t.d.isUniqueViolation(err) {
			return fieldError(hiring.ECONFLICT, "status", "The candidate already has an active application for this job.")
		} else if err != nil {
			return fmt.Errorf("set status of application %d: %w", id, err)
		}
		// A reactivated application is owed a reply again; a closed one
		// owes none.
		if err := refreshHearBack(ctx, t, id); err != nil {
			return err
		}
		detail := fmt.Sprintf("%s for %s: %s -> %s", a.Candidate.Email, a.RequisitionID, a.Status, ch.Status)
		if err := writeAudit(ctx, t, actionStatus, entityApplication, id, detail); err != nil {
			return err
		}
		out, err = findApplication(ctx, t.runner, "a.id = ?", id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// fillVacancy marks a seat of the opening filled and returns its id.
func fillVacancy(ctx context.Context, t *tx, openingID int64, want *int64) (int64, error) {
	var id int64
	var err error
	if want != nil {
		err = t.queryRow(ctx, "SELECT id FROM vacancies WHERE id = ? AND opening_id = ? AND status = ?",
			*want, openingID, string(hiring.VacancyOpen)).Scan(&id)
	} else {
		err = t.queryRow(ctx, "SELECT id FROM vacancies WHERE opening_id = ? AND status = ? ORDER BY number LIMIT 1",
			openingID, string(hiring.VacancyOpen)).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		if want != nil {
			return 0, fieldError(hiring.EINVALID, "vacancy_id", "Choose an open vacancy of this opening.")
		}
		return 0, fieldError(hiring.EINVALID, "vacancy_id", "This opening has no open vacancy left; add one to a team first.")
	} else if err != nil {
		return 0, fmt.Errorf("find vacancy: %w", err)
	}
	if _, err := t.exec(ctx, "UPDATE vacancies SET status = ?, filled_at = ? WHERE id = ?",
		string(hiring.VacancyFilled), t.now, id); err != nil {
		return 0, fmt.Errorf("fill vacancy %d: %w", id, err)
	}
	return id, nil
}

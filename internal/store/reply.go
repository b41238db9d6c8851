package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"hireloop/internal/deadline"
	"hireloop/internal/hiring"
)

// Replies owed to candidates.
//
// Every active application stores the day by which its candidate must hear
// from the company (applications.hear_back_by). It is a function of facts
// kept in the database: when they applied, the end of their latest
// interview that is scheduled or took place, whether their references are
// being checked, and the last time they were told something. Whatever
// changes one of those facts calls refreshHearBack in the same
// transaction; telling the candidate something calls noteUpdate, which
// also records whether the reply came on time.
//
// A stored date is the end of the due day in the candidate's time zone
// (UTC when unknown), so "due" and "overdue" are plain comparisons with
// the current instant, which the partial indexes on hear_back_by answer.

// replyFacts is what the reply date of one application depends on, read
// in one query.
type replyFacts struct {
	deadline.Facts
	status      string
	candidateID int64
	location    string
	zone        string
}

// hearBackFacts reads what the deadline of one application depends on.
// References are being checked while the application's stage holds a
// reference step that is neither done nor skipped.
func hearBackFacts(ctx context.Context, r runner, appID int64) (*replyFacts, error) {
	f := &replyFacts{}
	var refs int
	err := r.queryRow(ctx, `SELECT a.status, a.created_at, a.last_update_at, c.id, c.country, c.location, c.time_zone,
		(SELECT MAX(i.ends_at) FROM interviews i WHERE i.application_id = a.id AND i.status IN ('scheduled', 'done')),
		(SELECT COUNT(*) FROM plan_steps p
			LEFT JOIN application_steps s ON s.step_id = p.id AND s.application_id = a.id
			WHERE p.stage_id = a.stage_id AND p.kind = 'references'
				AND COALESCE(s.status, 'pending') NOT IN ('done', 'skipped'))
		FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.id = ?`, appID).
		Scan(&f.status, timeColumn{&f.AppliedAt}, nullTimeColumn{&f.LastUpdateAt}, &f.candidateID, &f.Country,
			&f.location, &f.zone, nullTimeColumn{&f.LastInterviewEnd}, &refs)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Application")
	} else if err != nil {
		return nil, fmt.Errorf("read application %d for its reply date: %w", appID, err)
	}
	f.InReferenceChecks = refs > 0
	return f, nil
}

// zoneOf returns the location of an IANA zone name, UTC when it is empty
// or unknown.
func zoneOf(name string) *time.Location {
	if name != "" {
		if l, err := time.LoadLocation(name); err == nil {
			return l
		}
	}
	return time.UTC
}

// refreshHearBack recomputes the application's reply date from its facts:
// NULL when the application is no longer active. A candidate whose country
// is not known yet gets the one their location names, if any, so that
// their public holidays count from the start.
func refreshHearBack(ctx context.Context, t *tx, appID int64) error {
	f, err := hearBackFacts(ctx, t.runner, appID)
	if err != nil {
		return err
	}
	var due *time.Time
	if f.status == string(hiring.ApplicationActive) {
		if f.Country == "" {
			if code := deadline.CountryFromLocation(f.location); code != "" {
				if _, err := t.exec(ctx, "UPDATE candidates SET country = ? WHERE id = ?", code, f.candidateID); err != nil {
					return fmt.Errorf("record country of candidate %d: %w", f.candidateID, err)
				}
				f.Country = code
			}
		}
		rules, company, err := loadReplyPolicy(ctx, t.runner)
		if err != nil {
			return err
		}
		if d := deadline.HearBackBy(f.Facts, rules, company, zoneOf(f.zone)); !d.IsZero() {
			due = &d
		}
	}
	if _, err := t.exec(ctx, "UPDATE applications SET hear_back_by = ? WHERE id = ?", due, appID); err != nil {
		return fmt.Errorf("store reply date of application %d: %w", appID, err)
	}
	return nil
}

// noteUpdate records that the candidate was told something at t.now: the
// reply owed, if any, is met (and counted as on time or late), and the
// next reply date follows from the facts.
func noteUpdate(ctx context.Context, t *tx, appID int64) error {
	return noteUpdateAt(ctx, t, appID, t.now)
}

// noteUpdateAt is noteUpdate for a message that reaches the candidate at
// a later time, such as a rejection scheduled to be sent tomorrow: the
// reply counts as made when it is sent.
func noteUpdateAt(ctx context.Context, t *tx, appID int64, at time.Time) error {
	if at.Before(t.now) {
		at = t.now
	}
	var (
		due       *time.Time
		openingID int64
	)
	if err := t.queryRow(ctx, "SELECT hear_back_by, opening_id FROM applications WHERE id = ?", appID).
		Scan(nullTimeColumn{&due}, &openingID); err != nil {
		return fmt.Errorf("read reply date of application %d: %w", appID, err)
	}
	if due != nil {
		if _, err := t.exec(ctx, `INSERT INTO reply_records (application_id, opening_id, due_at, replied_at, on_time)
			VALUES (?, ?, ?, ?, ?)`, appID, openingID, *due, at, !at.After(*due)); err != nil {
			return fmt.Errorf("record reply to application %d: %w", appID, err)
		}
	}
	if _, err := t.exec(ctx, "UPDATE applications SET last_update_at = ? WHERE id = ?", at, appID); err != nil {
		return fmt.Errorf("record update of application %d: %w", appID, err)
	}
	return refreshHearBack(ctx, t, appID)
}

// policyCache holds the reply policy read last, for applications: they
// come in bursts and each needs it. A change made through this process
// clears it; one made by another process shows within policyTTL.
type policyCache struct {
	mu      sync.Mutex
	rules   deadline.Rules
	company deadline.Calendar
	readAt  time.Time
}

// policyTTL bounds how long another process's change of the reply policy
// may go unseen by new applications.
const policyTTL = 2 * time.Second

// replyPolicy returns the reply policy, read through r at most every
// policyTTL.
func (db *DB) replyPolicy(ctx context.Context, r runner) (deadline.Rules, deadline.Calendar, error) {
	db.policy.mu.Lock()
	defer db.policy.mu.Unlock()
	if !db.policy.readAt.IsZero() && time.Since(db.policy.readAt) < policyTTL {
		return db.policy.rules, db.policy.company, nil
	}
	rules, company, err := loadReplyPolicy(ctx, r)
	if err != nil {
		return rules, company, err
	}
	db.policy.rules, db.policy.company, db.policy.readAt = rules, company, time.Now()
	return rules, company, nil
}

// forgetReplyPolicy makes the next application read the policy afresh.
func (db *DB) forgetReplyPolicy() {
	db.policy.mu.Lock()
	db.policy.readAt = time.Time{}
	db.policy.mu.Unlock()
}

// newApplicationHearBack is the reply date of an application made now by
// a candidate whose country and time zone are known: what refreshHearBack
// would store, computed without reading back what the transaction wrote.
// A new application has had no interview and no update, and has not
// reached reference checks.
func (db *DB) newApplicationHearBack(ctx context.Context, t *tx, country, zone string) (*time.Time, error) {
	rules, company, err := db.replyPolicy(ctx, t.runner)
	if err != nil {
		return nil, err
	}
	due := deadline.HearBackBy(deadline.Facts{AppliedAt: t.now, Country: country}, rules, company, zoneOf(zone))
	if due.IsZero() {
		return nil, nil
	}
	return &due, nil
}

// loadReplyPolicy returns the company's reply rules and calendar, read
// from the settings in one small query (their keys are the primary key).
func loadReplyPolicy(ctx context.Context, r runner) (deadline.Rules, deadline.Calendar, error) {
	rows, err := r.query(ctx, "SELECT key, value FROM settings WHERE key IN (?, ?, ?, ?)",
		keyCompanyCountry, keyAfterApplyDays, keyAfterInterviewDays, keyReferenceUpdateDays)
	if err != nil {
		return deadline.Rules{}, nil, fmt.Errorf("read reply policy: %w", err)
	}
	defer rows.Close()
	s := &hiring.Settings{}
	for rows.Next() {
		var key, value string
		if err := rows.Scan(&key, &value); err != nil {
			return deadline.Rules{}, nil, fmt.Errorf("read reply policy: %w", err)
		}
		if err := setSetting(s, key, value); err != nil {
			return deadline.Rules{}, nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return deadline.Rules{}, nil, fmt.Errorf("read reply policy: %w", err)
	}
	return replyRules(s), deadline.Company(s.CompanyCountry), nil
}

// ReplyService lists the replies owed to candidates and how openings keep
// them.
type ReplyService struct {
	db *DB
}

var _ hiring.ReplyService = (*ReplyService)(nil)

// NewReplyService returns a ReplyService on db.
func NewReplyService(db *DB) *ReplyService { return &ReplyService{db: db} }

// replyWhere adds the conditions of a reply listing to w, at now. The
// first two are the predicate of the partial indexes on hear_back_by.
func replyWhere(w *where, f hiring.ReplyFilter, now time.Time) error {
	if !f.Due.Valid() {
		return fieldError(hiring.EINVALID, "reply", "Choose due or overdue, or leave it empty.")
	}
	w.add("a.status = 'active'")
	w.add("a.hear_back_by IS NOT NULL")
	switch f.Due {
	case hiring.ReplyDueNow:
		// The stored date is the end of the due day: the day has begun
		// when that end is less than a day away.
		w.add("a.hear_back_by < ?", now.Add(24*time.Hour))
	case hiring.ReplyOverdue:
		w.add("a.hear_back_by < ?", now)
	}
	if f.OpeningID != nil {
		w.add("a.opening_id = ?", *f.OpeningID)
	}
	if f.OwnerID != nil {
		w.add("a.opening_id IN (SELECT o2.id FROM openings o2 WHERE o2.recruiter_id = ? OR o2.hiring_manager_id = ?)",
			*f.OwnerID, *f.OwnerID)
	}
	return nil
}

// FindOwedReplies returns a page of the replies owed, earliest first: the
// page is read along the reply-date index and stops after its rows; the
// total counts the index entries in range.
func (s *ReplyService) FindOwedReplies(ctx context.Context, f hiring.ReplyFilter) ([]*hiring.OwedReply, int, error) {
	offset, limit, err := pageBounds(f.Offset, f.Limit)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if err := replyWhere(w, f, s.db.now()); err != nil {
		return nil, 0, err
	}
	r := s.db.reader()
	total, err := r.count(ctx, "SELECT COUNT(*) FROM applications a"+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count replies owed: %w", err)
	}
	out := []*hiring.OwedReply{}
	if total == 0 || offset >= total {
		return out, total, nil
	}
	// An application not yet placed in its plan is in the plan's first
	// stage, as the board shows it.
	rows, err := r.query(ctx, `SELECT a.id, a.candidate_id, c.name, a.opening_id, o.title,
			COALESCE((SELECT g.name FROM plan_stages g WHERE g.id = a.stage_id),
				(SELECT g.name FROM plan_stages g JOIN interview_plans p ON p.id = g.plan_id
					WHERE p.opening_id = a.opening_id ORDER BY g.position LIMIT 1), a.stage),
			a.hear_back_by, c.time_zone
		FROM (SELECT a.id, a.candidate_id, a.opening_id, a.stage, a.stage_id, a.hear_back_by FROM applications a`+w.String()+`
			ORDER BY a.hear_back_by, a.id LIMIT ? OFFSET ?) a
		JOIN candidates c ON c.id = a.candidate_id JOIN openings o ON o.id = a.opening_id
		ORDER BY a.hear_back_by, a.id`, append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find replies owed: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		o := &hiring.OwedReply{}
		var zone string
		if err := rows.Scan(&o.ApplicationID, &o.CandidateID, &o.CandidateName, &o.OpeningID, &o.OpeningTitle,
			&o.Stage, timeColumn{&o.HearBackBy}, &zone); err != nil {
			return nil, 0, fmt.Errorf("read reply owed: %w", err)
		}
		o.HearBackBy = o.HearBackBy.In(zoneOf(zone))
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find replies owed: %w", err)
	}
	return out, total, nil
}

// ReplyStats returns an opening's replies on time and those overdue now.
func (s *ReplyService) ReplyStats(ctx context.Context, openingID int64) (*hiring.ReplyStats, error) {
	r := s.db.reader()
	if _, err := findOpening(ctx, r, openingID); err != nil {
		return nil, err
	}
	st := &hiring.ReplyStats{OpeningID: openingID}
	if err := r.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN on_time THEN 1 ELSE 0 END), 0)
		FROM reply_records WHERE opening_id = ?`, openingID).Scan(&st.Total, &st.OnTime); err != nil {
		return nil, fmt.Errorf("count replies of opening %d: %w", openingID, err)
	}
	var err error
	st.Overdue, err = r.count(ctx, `SELECT COUNT(*) FROM applications a
		WHERE a.opening_id = ? AND a.status = 'active' AND a.hear_back_by IS NOT NULL AND a.hear_back_by < ?`,
		openingID, s.db.now())
	if err != nil {
		return nil, fmt.Errorf("count replies overdue of opening %d: %w", openingID, err)
	}
	return st, nil
}

// HearBackBy returns an application's reply date in its candidate's time
// zone, nil when none is owed.
func (s *ReplyService) HearBackBy(ctx context.Context, appID int64) (*time.Time, error) {
	var (
		due  *time.Time
		zone string
	)
	err := s.db.reader().queryRow(ctx, `SELECT a.hear_back_by, c.time_zone FROM applications a
		JOIN candidates c ON c.id = a.candidate_id WHERE a.id = ?`, appID).Scan(nullTimeColumn{&due}, &zone)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Application")
	} else if err != nil {
		return nil, fmt.Errorf("read reply date of application %d: %w", appID, err)
	}
	if due != nil {
		d := due.In(zoneOf(zone))
		due = &d
	}
	return due, nil
}

// reminderWindow bounds how far ahead a reply date may lie for its owner
// to be reminded today: the business day before it can be several days
// earlier across a weekend and a run of holidays.
const reminderWindow = 10 * 24 * time.Hour

// QueueReplyReminders queues the reminders due at the store's now: to the
// owner of each opening whose candidate is owed a reply by the end of the
// next business day, and again on the day itself. The owner is the
// opening's recruiter, else its hiring manager, else the first admin.
// Each reminder has a dedupe key of its application, date and kind, so
// running this again, or on two workers at once, queues it once. link
// gives the full address of an application's page.
func (s *ReplyService) QueueReplyReminders(ctx context.Context, link func(appID int64) string) (int, error) {
	now := s.db.now().UTC()
	r := s.db.reader()
	_, company, err := loadReplyPolicy(ctx, r)
	if err != nil {
		return 0, err
	}
	var admin string
	if err := r.queryRow(ctx, "SELECT email FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").Scan(&admin); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("find an admin: %w", err)
	}
	rows, err := r.query(ctx, `SELECT a.id, a.hear_back_by, c.name, c.country, c.time_zone, o.title, o.requisition_id,
		COALESCE(ru.email, hm.email, '')
		FROM applications a JOIN candidates c ON c.id = a.candidate_id JOIN openings o ON o.id = a.opening_id
		LEFT JOIN users ru ON ru.id = o.recruiter_id LEFT JOIN users hm ON hm.id = o.hiring_manager_id
		WHERE a.status = 'active' AND a.hear_back_by IS NOT NULL AND a.hear_back_by >= ? AND a.hear_back_by < ?
		ORDER BY a.hear_back_by, a.id`, now, now.Add(reminderWindow))
	if err != nil {
		return 0, fmt.Errorf("find replies to remind of: %w", err)
	}
	var todo []hiring.ReplyReminder
	for rows.Next() {
		var (
			rem           hiring.ReplyReminder
			country, zone string
		)
		if err := rows.Scan(&rem.ApplicationID, timeColumn{&rem.HearBackBy}, &rem.CandidateName, &country, &zone,
			&rem.OpeningTitle, &rem.RequisitionID, &rem.To); err != nil {
			rows.Close()
			return 0, fmt.Errorf("read reply to remind of: %w", err)
		}
		loc := zoneOf(zone)
		rem.HearBackBy = rem.HearBackBy.In(loc)
		cal := company
		if c, ok := deadline.ForCountry(country); ok {
			cal = c
		}
		switch {
		case rem.HearBackBy.Sub(now) < 24*time.Hour:
			rem.OnTheDay = true
		default:
			// The business day before the due date, as the candidate's
			// calendar counts: today, if now is within it.
			before := deadline.AddBusinessDays(cal, rem.HearBackBy, -1, loc)
			if before.Sub(now) >= 24*time.Hour || before.Before(now) {
				continue
			}
		}
		if rem.To == "" {
			rem.To = admin
		}
		if rem.To == "" {
			continue
		}
		if link != nil {
			rem.Link = link(rem.ApplicationID)
		}
		todo = append(todo, rem)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("find replies to remind of: %w", err)
	}
	queued := 0
	for _, rem := range todo {
		var id int64
		err := s.db.transact(ctx, func(t *tx) error {
			var err error
			id, err = enqueueMessage(ctx, t, hiring.ComposeReplyReminder(rem))
			return err
		})
		switch {
		case err != nil && s.db.dialect.isUniqueViolation(err):
			// Another worker queued it between the check and the insert.
		case err != nil:
			return queued, fmt.Errorf("queue reply reminder of application %d: %w", rem.ApplicationID, err)
		case id != 0:
			queued++
		}
	}
	return queued, nil
}

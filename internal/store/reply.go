package store

import (
	"context"
	"fmt"
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

// hearBackFacts reads what the deadline of one application depends on.
func hearBackFacts(ctx context.Context, r runner, appID int64) (f deadline.Facts, status string, zone string, err error) {
	var (
		lastUpdate *time.Time
		stageID    *int64
	)
	err = r.queryRow(ctx, `SELECT a.status, a.created_at, a.last_update_at, a.stage_id, c.country, c.time_zone
		FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.id = ?`, appID).
		Scan(&status, timeColumn{&f.AppliedAt}, nullTimeColumn{&lastUpdate}, &stageID, &f.Country, &zone)
	if err != nil {
		return f, "", "", fmt.Errorf("read application %d for its reply date: %w", appID, err)
	}
	f.LastUpdateAt = lastUpdate
	var end *time.Time
	if err := r.queryRow(ctx, `SELECT MAX(ends_at) FROM interviews
		WHERE application_id = ? AND status IN ('scheduled', 'done')`, appID).Scan(nullTimeColumn{&end}); err != nil {
		return f, "", "", fmt.Errorf("read interviews of application %d: %w", appID, err)
	}
	f.LastInterviewEnd = end
	// References are being checked while the application's stage holds a
	// reference step that is neither done nor skipped.
	if stageID != nil {
		n, err := r.count(ctx, `SELECT COUNT(*) FROM plan_steps p
			LEFT JOIN application_steps s ON s.step_id = p.id AND s.application_id = ?
			WHERE p.stage_id = ? AND p.kind = 'references'
				AND COALESCE(s.status, 'pending') NOT IN ('done', 'skipped')`, appID, *stageID)
		if err != nil {
			return f, "", "", fmt.Errorf("read reference checks of application %d: %w", appID, err)
		}
		f.InReferenceChecks = n > 0
	}
	return f, status, zone, nil
}

// refreshHearBack recomputes the application's reply date from its facts:
// NULL when the application is no longer active.
func refreshHearBack(ctx context.Context, t *tx, appID int64) error {
	rules, company, err := loadReplyPolicy(ctx, t.runner)
	if err != nil {
		return err
	}
	f, status, zone, err := hearBackFacts(ctx, t.runner, appID)
	if err != nil {
		return err
	}
	var due *time.Time
	if status == string(hiring.ApplicationActive) {
		loc := time.UTC
		if zone != "" {
			if l, err := time.LoadLocation(zone); err == nil {
				loc = l
			}
		}
		if d := deadline.HearBackBy(f, rules, company, loc); !d.IsZero() {
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
			VALUES (?, ?, ?, ?, ?)`, appID, openingID, *due, t.now, !t.now.After(*due)); err != nil {
			return fmt.Errorf("record reply to application %d: %w", appID, err)
		}
	}
	if _, err := t.exec(ctx, "UPDATE applications SET last_update_at = ? WHERE id = ?", t.now, appID); err != nil {
		return fmt.Errorf("record update of application %d: %w", appID, err)
	}
	return refreshHearBack(ctx, t, appID)
}

// loadReplyPolicy returns the company's reply rules and calendar.
func loadReplyPolicy(ctx context.Context, r runner) (deadline.Rules, deadline.Calendar, error) {
	return deadline.Rules{}, deadline.Weekdays(), nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hireloop/internal/hiring"
)

// AccessService reads the facts that decide who may see an application
// beyond the user's role and the opening's hiring team (see
// hiring.AccessToApplication), and the date by which an application is owed
// a reply, which the API shows with it.
type AccessService struct {
	db *DB
}

var _ hiring.AccessFacts = (*AccessService)(nil)

// NewAccessService returns an AccessService on db.
func NewAccessService(db *DB) *AccessService { return &AccessService{db: db} }

// interviewingCond holds when the user (first argument) sits on an
// interview of application a that was not cancelled.
const interviewingCond = `EXISTS (SELECT 1 FROM interviews i
	JOIN interview_interviewers ii ON ii.interview_id = i.id
	WHERE i.application_id = a.id AND ii.user_id = ? AND i.status <> 'cancelled')`

// Interviewing reports whether the user sits on an interview of the
// application that was not cancelled.
func (s *AccessService) Interviewing(ctx context.Context, userID, applicationID int64) (bool, error) {
	n, err := s.db.reader().count(ctx, "SELECT COUNT(*) FROM applications a WHERE a.id = ? AND "+interviewingCond,
		applicationID, userID)
	if err != nil {
		return false, fmt.Errorf("find interviews of user %d on application %d: %w", userID, applicationID, err)
	}
	return n > 0, nil
}

// HearBackBy returns when the candidate of an application is owed a reply,
// nil when no reply is owed.
func (s *AccessService) HearBackBy(ctx context.Context, applicationID int64) (*time.Time, error) {
	var due *time.Time
	err := s.db.reader().queryRow(ctx, "SELECT hear_back_by FROM applications WHERE id = ?", applicationID).
		Scan(nullTimeColumn{&due})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Application")
	} else if err != nil {
		return nil, fmt.Errorf("read reply date of application %d: %w", applicationID, err)
	}
	return due, nil
}

// addAccessFilters adds the conditions of an application filter that the
// pipeline, the reply rules and access add to the basic ones.
func addAccessFilters(w *where, f hiring.ApplicationFilter) {
	if f.StageID != nil {
		// An application not placed yet sits in the first stage of its
		// opening's plan.
		w.add(`(a.stage_id = ? OR (a.stage_id IS NULL AND ? IN (SELECT g.id FROM plan_stages g
			JOIN interview_plans p ON p.id = g.plan_id
			WHERE p.opening_id = a.opening_id AND g.position =
				(SELECT MIN(g2.position) FROM plan_stages g2 WHERE g2.plan_id = p.id))))`, *f.StageID, *f.StageID)
	}
	if f.ReplyDueBy != nil {
		w.add("a.status = ? AND a.hear_back_by IS NOT NULL AND a.hear_back_by <= ?",
			string(hiring.ApplicationActive), *f.ReplyDueBy)
	}
	if f.VisibleTo != nil {
		u := *f.VisibleTo
		w.add(`(a.opening_id IN (SELECT o2.id FROM openings o2
			WHERE o2.hiring_manager_id = ? OR o2.recruiter_id = ? OR o2.coordinator_id = ?) OR `+interviewingCond+`)`,
			u, u, u, u)
	}
}

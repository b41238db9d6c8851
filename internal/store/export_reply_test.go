package store

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// interviewSeq makes the iCalendar UIDs of recorded interviews unique.
var interviewSeq atomic.Int64

// RecordInterview adds an interview of the application that took place
// and ended at end, and refreshes its reply date, as scheduling does.
func RecordInterview(ctx context.Context, db *DB, appID int64, end time.Time) error {
	return db.transact(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO interviews (application_id, step_name, status, starts_at, ends_at, time_zone,
			uid, created_at, updated_at) VALUES (?, 'Interview', 'done', ?, ?, 'UTC', ?, ?, ?)`,
			appID, end.Add(-time.Hour), end, fmt.Sprintf("recorded-%d@hireloop.test", interviewSeq.Add(1)), t.now, t.now); err != nil {
			return err
		}
		return refreshHearBack(ctx, t, appID)
	})
}

// SetCandidatePlace sets a candidate's country and time zone.
func SetCandidatePlace(ctx context.Context, db *DB, candidateID int64, country, zone string) error {
	_, err := db.sql.ExecContext(ctx, db.dialect.rebind("UPDATE candidates SET country = ?, time_zone = ? WHERE id = ?"),
		country, zone, candidateID)
	return err
}

// CandidateCountry returns the country stored for a candidate.
func CandidateCountry(ctx context.Context, db *DB, candidateID int64) (string, error) {
	var c string
	err := db.reader().queryRow(ctx, "SELECT country FROM candidates WHERE id = ?", candidateID).Scan(&c)
	return c, err
}

// GatherStatistics brings the planner's statistics of applications up to
// date after a bulk load, as PostgreSQL's autovacuum and SQLite's
// optimize would in time.
func GatherStatistics(ctx context.Context, db *DB) error {
	q := "PRAGMA optimize"
	if db.Engine() == "postgres" {
		q = "VACUUM ANALYZE applications"
	}
	_, err := db.sql.ExecContext(ctx, q)
	return err
}

// RefreshHearBack recomputes an application's reply date from its facts,
// as every change but applying does, and returns it.
func RefreshHearBack(ctx context.Context, db *DB, appID int64) (*time.Time, error) {
	var due *time.Time
	err := db.transact(ctx, func(t *tx) error {
		if err := refreshHearBack(ctx, t, appID); err != nil {
			return err
		}
		return t.queryRow(ctx, "SELECT hear_back_by FROM applications WHERE id = ?", appID).Scan(nullTimeColumn{&due})
	})
	return due, err
}

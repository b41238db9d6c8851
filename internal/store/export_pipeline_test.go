package store

import (
	"context"
	"fmt"
	"time"
)

// SpreadOverStages makes a busy pipeline for benchmarks: it puts the
// opening's active applications in the stages in turn, each entering its
// stage at its own moment after start, and records a finished step for
// every third one. It then gathers the planner's statistics.
func SpreadOverStages(ctx context.Context, db *DB, openingID int64, stages, steps []int64, start time.Time) error {
	if len(stages) == 0 || len(stages) != len(steps) {
		return fmt.Errorf("give one step per stage")
	}
	err := db.transact(ctx, func(t *tx) error {
		rows, err := t.query(ctx, "SELECT id FROM applications WHERE opening_id = ? AND status = 'active' ORDER BY id", openingID)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, id := range ids {
			k := i % len(stages)
			entered := start.Add(time.Duration((i*7919)%100_000) * time.Minute)
			if _, err := t.exec(ctx, "UPDATE applications SET stage_id = ?, stage_entered_at = ? WHERE id = ?",
				stages[k], entered, id); err != nil {
				return err
			}
			if i%3 == 0 {
				if _, err := t.exec(ctx, "INSERT INTO application_steps (application_id, step_id, status, updated_at) VALUES (?, ?, 'done', ?)",
					id, steps[k], entered); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("spread over stages: %w", err)
	}
	_, err = db.sql.ExecContext(ctx, "ANALYZE")
	return err
}

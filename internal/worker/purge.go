package worker

import (
	"context"
	"time"
)

// DefaultPurgeInterval is how often a worker deletes the data whose
// retention period has passed.
const DefaultPurgeInterval = time.Hour

// Retention deletes applicants' data whose retention period has passed.
// A purge must be safe to run again and on several workers at once: the
// data it deletes is found afresh in the database each time, so a purge
// cut short by a restart is finished by the next.
type Retention interface {
	// PurgeExpired deletes what has expired and returns how many
	// applications and candidates it deleted.
	PurgeExpired(ctx context.Context) (applications, candidates int, err error)
}

// purgeIfDue runs the retention purge when PurgeInterval has passed since
// the last one began; the first pass of a worker always runs it. A purge
// that fails is tried again at the next interval, as a later purge
// deletes whatever an earlier one left. The purge stops with ctx: each of
// its batches is one transaction, so one cut short leaves nothing
// half-deleted.
func (w *Worker) purgeIfDue(ctx context.Context) (Report, error) {
	var r Report
	if w.cfg.Retention == nil {
		return r, nil
	}
	now := w.now()
	if !w.lastPurge.IsZero() && now.Sub(w.lastPurge) < w.cfg.PurgeInterval {
		return r, nil
	}
	w.lastPurge = now
	apps, cands, err := w.cfg.Retention.PurgeExpired(ctx)
	r.Purged = apps
	if apps > 0 || cands > 0 {
		w.log.Info("deleted data past its retention period", "applications", apps, "candidates", cands)
	}
	if err != nil {
		return r, errorf("purge expired data: %w", err)
	}
	return r, nil
}

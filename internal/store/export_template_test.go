package store

import (
	"context"
	"time"
)

// SetCandidateLanguage sets the language and time zone a candidate's
// messages are written in.
func SetCandidateLanguage(ctx context.Context, db *DB, candidateID int64, lang, zone string) error {
	return db.transact(ctx, func(t *tx) error {
		_, err := t.exec(ctx, "UPDATE candidates SET language = ?, time_zone = ? WHERE id = ?", lang, zone, candidateID)
		return err
	})
}

// ReplyState reads an application's reply date, the last time its
// candidate was told something, and how many replies were recorded.
func ReplyState(ctx context.Context, db *DB, appID int64) (hearBack, lastUpdate *time.Time, replies int, err error) {
	r := db.reader()
	if err = r.queryRow(ctx, "SELECT hear_back_by, last_update_at FROM applications WHERE id = ?", appID).
		Scan(nullTimeColumn{&hearBack}, nullTimeColumn{&lastUpdate}); err != nil {
		return
	}
	replies, err = r.count(ctx, "SELECT COUNT(*) FROM reply_records WHERE application_id = ?", appID)
	return
}

// SetHearBackBy records that a reply is owed to the application by due.
func SetHearBackBy(ctx context.Context, db *DB, appID int64, due time.Time) error {
	return db.transact(ctx, func(t *tx) error {
		_, err := t.exec(ctx, "UPDATE applications SET hear_back_by = ? WHERE id = ?", due.UTC(), appID)
		return err
	})
}

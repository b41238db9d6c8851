package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"hireloop/internal/blob"
	"hireloop/internal/hiring"
)

// RetentionService deletes applicants' data once the period they consented
// to has passed (applications.retain_until, set from --retention-months
// when they apply).
//
// Only closed applications go: rejected and withdrawn ones. Active
// applications are still being decided, and hired ones belong to people
// who now work here. With an application go its answers, events, steps,
// interviews and uploaded files; the email sent about it keeps its dates
// and status but loses its recipient, subject and text, and email still
// queued for it is dropped. Audit entries about it keep what was done and
// when, without the candidate's email. A candidate left without any
// application goes too, with their search document. Self-identification
// rows were never linked to a person and stay for aggregate reports.
type RetentionService struct {
	db    *DB
	blobs blob.Store
	batch int
}

// NewRetentionService returns a RetentionService on db whose files are in
// blobs.
func NewRetentionService(db *DB, blobs blob.Store) *RetentionService {
	return &RetentionService{db: db, blobs: blobs, batch: purgeBatchSize}
}

// purgeBatchSize is how many applications one transaction deletes, so a
// large backlog never holds the write lock for long.
const purgeBatchSize = 200

// Audit log names of a purge.
const (
	actionPurge  = "purge"
	entityPurged = "retention"
)

// purgedDetail replaces the detail of audit entries about a deleted
// application, which name the candidate.
const purgedDetail = "(removed after the retention period)"

// SetBatchSize changes how many applications one transaction deletes; n
// below 1 keeps the default.
func (s *RetentionService) SetBatchSize(n int) {
	if n >= 1 {
		s.batch = n
	}
}

// PurgeExpired deletes every closed application whose retention period
// has passed, and the candidates it leaves without any, in batches of one
// transaction each, and returns how many of both it deleted. Each batch
// records its counts in the audit log, and nothing else about whom it
// deleted. Running it again, or on several workers at once, deletes
// nothing twice.
//
// Files are deleted from storage after their records are committed away;
// one that cannot be deleted then is left to SweepOrphanFiles, and its
// error is returned after the remaining batches have run.
func (s *RetentionService) PurgeExpired(ctx context.Context) (applications, candidates int, err error) {
	var blobErrs []error
	for ctx.Err() == nil {
		b, err := s.purgeBatch(ctx)
		if err != nil {
			return applications, candidates, fmt.Errorf("purge expired applications: %w", err)
		}
		applications += b.applications
		candidates += b.candidates
		for _, key := range b.keys {
			if err := s.blobs.Delete(context.WithoutCancel(ctx), key); err != nil {
				blobErrs = append(blobErrs, fmt.Errorf("delete file %s: %w", key, err))
			}
		}
		if b.selected < s.batch {
			break
		}
	}
	return applications, candidates, errors.Join(blobErrs...)
}

// purgedBatch is what one transaction of a purge did.
type purgedBatch struct {
	selected, applications, candidates int
	// keys are the storage keys of the files whose records it deleted.
	keys []string
}

// purgeBatch deletes up to s.batch expired applications in one
// transaction. On PostgreSQL it skips applications another purge holds.
func (s *RetentionService) purgeBatch(ctx context.Context) (purgedBatch, error) {
	var out purgedBatch
	err := s.db.transact(ctx, func(t *tx) error {
		out = purgedBatch{}
		apps, err := expiredApplications(ctx, t, s.batch)
		if err != nil || len(apps) == 0 {
			return err
		}
		out.selected = len(apps)
		appIDs := make([]int64, 0, len(apps))
		var fileIDs, candIDs []int64
		seen := map[int64]bool{}
		for _, a := range apps {
			appIDs = append(appIDs, a.id)
			fileIDs = append(fileIDs, a.fileIDs...)
			if !seen[a.candidateID] {
				seen[a.candidateID] = true
				candIDs = append(candIDs, a.candidateID)
			}
		}
		// Candidates are locked before their applications go, so one who
		// applies again meanwhile is either seen below or waits for the
		// purge to finish and is then recorded afresh.
		sort.Slice(candIDs, func(i, j int) bool { return candIDs[i] < candIDs[j] })
		if _, err := t.exec(ctx, "UPDATE candidates SET id = id WHERE id IN ("+placeholders(len(candIDs))+")",
			int64Args(candIDs)...); err != nil {
			return fmt.Errorf("lock candidates: %w", err)
		}
		if err := forgetApplications(ctx, t, appIDs); err != nil {
			return err
		}
		res, err := t.exec(ctx, "DELETE FROM applications WHERE id IN ("+placeholders(len(appIDs))+")", int64Args(appIDs)...)
		if err != nil {
			return fmt.Errorf("delete applications: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("delete applications: %w", err)
		}
		out.applications = int(n)
		if out.keys, err = deleteUnusedFiles(ctx, t, fileIDs); err != nil {
			return err
		}
		if out.candidates, err = deleteLoneCandidates(ctx, t, candIDs); err != nil {
			return err
		}
		if out.applications == 0 {
			return nil
		}
		return writeAudit(ctx, t, actionPurge, entityPurged, 0, fmt.Sprintf(
			"retention period passed; applications deleted: %d, candidates deleted: %d",
			out.applications, out.candidates))
	})
	return out, err
}

// expiredApplication is what a purge needs of an application.
type expiredApplication struct {
	id, candidateID int64
	fileIDs         []int64
}

// expiredApplications returns up to limit closed applications whose
// retain_until has passed, oldest first, locking them on PostgreSQL.
func expiredApplications(ctx context.Context, t *tx, limit int) ([]expiredApplication, error) {
	rows, err := t.query(ctx, `SELECT id, candidate_id, resume_file_id, answers FROM applications
		WHERE status IN (?, ?) AND retain_until < ? ORDER BY id LIMIT ?`+t.d.skipLocked(),
		string(hiring.ApplicationRejected), string(hiring.ApplicationWithdrawn), t.now, limit)
	if err != nil {
		return nil, fmt.Errorf("find expired applications: %w", err)
	}
	defer rows.Close()
	var out []expiredApplication
	for rows.Next() {
		var (
			a       expiredApplication
			resume  *int64
			answers string
		)
		if err := rows.Scan(&a.id, &a.candidateID, &resume, &answers); err != nil {
			return nil, fmt.Errorf("read expired application: %w", err)
		}
		if resume != nil {
			a.fileIDs = append(a.fileIDs, *resume)
		}
		var ans []hiring.Answer
		if err := json.Unmarshal([]byte(answers), &ans); err != nil {
			return nil, fmt.Errorf("application %d: read answers: %w", a.id, err)
		}
		for _, x := range ans {
			if x.FileID != nil {
				a.fileIDs = append(a.fileIDs, *x.FileID)
			}
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find expired applications: %w", err)
	}
	return out, nil
}

// forgetApplications removes what outlives an application's row and names
// its candidate: the content of its email and the details of its audit
// entries. Its events, steps and interviews go with the row, by foreign
// key.
func forgetApplications(ctx context.Context, t *tx, ids []int64) error {
	in := " IN (" + placeholders(len(ids)) + ")"
	args := int64Args(ids)
	if _, err := t.exec(ctx, "DELETE FROM outbox WHERE status = ? AND application_id"+in,
		append([]any{string(hiring.MessageQueued)}, args...)...); err != nil {
		return fmt.Errorf("drop queued email of expired applications: %w", err)
	}
	if _, err := t.exec(ctx, "UPDATE outbox SET to_address = '', subject = '', text_body = '', html_body = '', calendar = '' WHERE application_id"+in,
		args...); err != nil {
		return fmt.Errorf("clear email of expired applications: %w", err)
	}
	if _, err := t.exec(ctx, "UPDATE audit_log SET detail = ? WHERE entity = ? AND entity_id"+in,
		append([]any{purgedDetail, entityApplication}, args...)...); err != nil {
		return fmt.Errorf("clear audit details of expired applications: %w", err)
	}
	return nil
}

// deleteUnusedFiles deletes the records of the files that no remaining
// application names as its resume, and returns their storage keys.
func deleteUnusedFiles(ctx context.Context, t *tx, ids []int64) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	keys, err := queryStrings(ctx, t.runner, "DELETE FROM files WHERE id IN ("+placeholders(len(ids))+
		") AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.resume_file_id = files.id) RETURNING key",
		int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("delete files of expired applications: %w", err)
	}
	return keys, nil
}

// deleteLoneCandidates deletes those of the candidates who have no
// application left, with their search documents, and indexes the others
// again without the resumes just deleted. It returns how many it deleted.
func deleteLoneCandidates(ctx context.Context, t *tx, ids []int64) (int, error) {
	gone, err := queryIDs(ctx, t.runner, "DELETE FROM candidates WHERE id IN ("+placeholders(len(ids))+
		") AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.candidate_id = candidates.id) RETURNING id",
		int64Args(ids)...)
	if err != nil {
		return 0, fmt.Errorf("delete candidates without applications: %w", err)
	}
	if len(gone) > 0 {
		if err := t.d.unindexCandidates(ctx, t.runner, gone); err != nil {
			return 0, fmt.Errorf("remove search documents: %w", err)
		}
	}
	deleted := map[int64]bool{}
	for _, id := range gone {
		deleted[id] = true
	}
	for _, id := range ids {
		if !deleted[id] {
			if err := indexCandidate(ctx, t.runner, id); err != nil {
				return 0, err
			}
		}
	}
	return len(gone), nil
}

// int64Args turns ids into query arguments.
func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

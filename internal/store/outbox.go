package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hireloop/internal/hiring"
)

// OutboxService queues email in the database and hands it to senders.
// Messages are written by other services inside the transaction of the
// change they report, so a message exists exactly when its cause does.
//
// Claiming leases a message: its next attempt moves ClaimLease ahead and its
// attempt count goes up, in the claiming transaction. Concurrent claimers
// never get the same message: PostgreSQL's FOR UPDATE SKIP LOCKED passes
// over rows another claimer is taking, and SQLite has one writer at a time.
// A sender that dies without marking the message lets the lease run out,
// and the message falls due again.
type OutboxService struct {
	db *DB
}

var _ hiring.OutboxService = (*OutboxService)(nil)

// NewOutboxService returns an OutboxService on db.
func NewOutboxService(db *DB) *OutboxService { return &OutboxService{db: db} }

// Timing of delivery attempts.
const (
	// ClaimLease is how long a claimed message is kept from other senders.
	ClaimLease = 5 * time.Minute
	// firstRetry doubles after each failure, up to maxRetry.
	firstRetry = time.Minute
	maxRetry   = 6 * time.Hour
	// maxLastError keeps a failure reason readable.
	maxLastError = 2000
)

const messageColumns = `m.id, m.application_id, m.to_address, m.subject, m.text_body, m.html_body, m.kind,
	m.interview_id, m.calendar, m.calendar_method, m.status, m.attempts, m.last_error, m.next_attempt_at, m.sent_at,
	m.created_at`

func scanMessage(sc interface{ Scan(...any) error }) (*hiring.Message, error) {
	m := &hiring.Message{}
	err := sc.Scan(&m.ID, &m.ApplicationID, &m.To, &m.Subject, &m.TextBody, &m.HTMLBody, &m.Kind,
		&m.InterviewID, &m.Calendar, &m.CalendarMethod, &m.Status,
		&m.Attempts, &m.LastError, timeColumn{&m.NextAttemptAt}, nullTimeColumn{&m.SentAt}, timeColumn{&m.CreatedAt})
	return m, err
}

// enqueueMessage queues a message inside t, due at d.SendAt or now. A
// draft whose DedupeKey was queued before is dropped: the id is 0 and the
// error nil.
func enqueueMessage(ctx context.Context, t *tx, d hiring.MessageDraft) (int64, error) {
	if err := d.Validate(); err != nil {
		return 0, err
	}
	due := t.now
	if d.SendAt != nil && d.SendAt.After(due) {
		due = *d.SendAt
	}
	var key *string
	if d.DedupeKey != "" {
		key = &d.DedupeKey
		n, err := t.count(ctx, "SELECT COUNT(*) FROM outbox WHERE dedupe_key = ?", d.DedupeKey)
		if err != nil {
			return 0, fmt.Errorf("queue message: %w", err)
		}
		if n > 0 {
			return 0, nil
		}
	}
	id, err := t.insert(ctx, `INSERT INTO outbox (application_id, interview_id, kind, to_address, subject, text_body,
		html_body, calendar, calendar_method, dedupe_key, status, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ApplicationID, d.InterviewID, string(d.Kind), d.To, d.Subject, d.TextBody, d.HTMLBody, d.Calendar,
		d.CalendarMethod, key, string(hiring.MessageQueued), due, t.now)
	if err != nil {
		return 0, fmt.Errorf("queue message: %w", err)
	}
	return id, nil
}

// cancelInterviewMessages cancels the messages about an interview that are
// still queued, such as reminders, when it moves or is cancelled.
func cancelInterviewMessages(ctx context.Context, t *tx, interviewID int64, kinds ...hiring.MessageKind) error {
	q := "UPDATE outbox SET status = ? WHERE interview_id = ? AND status = ?"
	args := []any{string(hiring.MessageCancelled), interviewID, string(hiring.MessageQueued)}
	if len(kinds) > 0 {
		q += " AND kind IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(kinds)), ", ") + ")"
		for _, k := range kinds {
			args = append(args, string(k))
		}
	}
	if _, err := t.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("cancel messages of interview %d: %w", interviewID, err)
	}
	return nil
}

// EnqueueMessage queues a message on its own.
func (s *OutboxService) EnqueueMessage(ctx context.Context, d hiring.MessageDraft) (*hiring.Message, error) {
	var out *hiring.Message
	err := s.db.transact(ctx, func(t *tx) error {
		id, err := enqueueMessage(ctx, t, d)
		if err != nil {
			return err
		}
		if id == 0 {
			// Queued before under the same key: return that message.
			out, err = scanMessage(t.queryRow(ctx, "SELECT "+messageColumns+" FROM outbox m WHERE m.dedupe_key = ?", d.DedupeKey))
			return err
		}
		out, err = scanMessage(t.queryRow(ctx, "SELECT "+messageColumns+" FROM outbox m WHERE m.id = ?", id))
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ClaimDueMessages leases up to limit due messages, oldest due first.
func (s *OutboxService) ClaimDueMessages(ctx context.Context, limit int) ([]*hiring.Message, error) {
	if limit <= 0 || limit > maxLimit {
		return nil, fieldError(hiring.EINVALID, "limit", fmt.Sprintf("Claim from 1 to %d messages.", maxLimit))
	}
	var out []*hiring.Message
	err := s.db.transact(ctx, func(t *tx) error {
		out = nil
		rows, err := t.query(ctx, "SELECT m.id FROM outbox m WHERE m.status = ? AND m.next_attempt_at <= ?"+
			" ORDER BY m.next_attempt_at, m.id LIMIT ?"+t.d.skipLocked(), string(hiring.MessageQueued), t.now, limit)
		if err != nil {
			return fmt.Errorf("claim messages: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("claim messages: %w", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("claim messages: %w", err)
		}
		for _, id := range ids {
			// SQLite's RETURNING takes bare column names only.
			m, err := scanMessage(t.queryRow(ctx, "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ? RETURNING "+
				strings.ReplaceAll(messageColumns, "m.", ""), t.now.Add(ClaimLease), id))
			if err != nil {
				return fmt.Errorf("claim message %d: %w", id, err)
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MarkSent records a delivered message.
func (s *OutboxService) MarkSent(ctx context.Context, id int64) error {
	return s.db.transact(ctx, func(t *tx) error {
		return updateMessage(ctx, t, id, "status = ?, sent_at = ?, last_error = ''", string(hiring.MessageSent), t.now)
	})
}

// MarkFailed records a failed attempt. The message is due again after a
// delay that doubles with each attempt, unless the failure is permanent or
// hiring.MaxMessageAttempts is reached; then it stays failed.
func (s *OutboxService) MarkFailed(ctx context.Context, id int64, reason string, permanent bool) error {
	reason = cleanText(reason, maxLastError)
	return s.db.transact(ctx, func(t *tx) error {
		var attempts int
		err := t.queryRow(ctx, "SELECT attempts FROM outbox WHERE id = ?", id).Scan(&attempts)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Message")
		} else if err != nil {
			return fmt.Errorf("find message %d: %w", id, err)
		}
		if permanent || attempts >= hiring.MaxMessageAttempts {
			return updateMessage(ctx, t, id, "status = ?, last_error = ?", string(hiring.MessageFailed), reason)
		}
		return updateMessage(ctx, t, id, "status = ?, last_error = ?, next_attempt_at = ?",
			string(hiring.MessageQueued), reason, t.now.Add(retryDelay(attempts)))
	})
}

// retryDelay is the wait after the given number of attempts.
func retryDelay(attempts int) time.Duration {
	d := firstRetry
	for i := 1; i < attempts && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}

func updateMessage(ctx context.Context, t *tx, id int64, set string, args ...any) error {
	res, err := t.exec(ctx, "UPDATE outbox SET "+set+" WHERE id = ?", append(args, id)...)
	if err != nil {
		return fmt.Errorf("update message %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update message %d: %w", id, err)
	} else if n == 0 {
		return notFound("Message")
	}
	return nil
}

// FindMessages returns a page of messages, newest first, and the total.
func (s *OutboxService) FindMessages(ctx context.Context, f hiring.MessageFilter) ([]*hiring.Message, int, error) {
	offset, limit, err := pageBounds(f.Offset, f.Limit)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if f.ApplicationID != nil {
		w.add("m.application_id = ?", *f.ApplicationID)
	}
	if f.Status != nil {
		w.add("m.status = ?", string(*f.Status))
	}
	r := s.db.reader()
	total, err := r.count(ctx, "SELECT COUNT(*) FROM outbox m"+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count messages: %w", err)
	}
	rows, err := r.query(ctx, "SELECT "+messageColumns+" FROM outbox m"+w.String()+" ORDER BY m.id DESC LIMIT ? OFFSET ?",
		append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find messages: %w", err)
	}
	defer rows.Close()
	out := []*hiring.Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("read message: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find messages: %w", err)
	}
	return out, total, nil
}

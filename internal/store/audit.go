package store

import (
	"context"
	"fmt"

	"hireloop/internal/hiring"
)

// AuditService reads the audit log. Entries are written by the other
// services, inside the transaction of the change they record, so a change
// and its entry are stored together or not at all.
type AuditService struct {
	db *DB
}

var _ hiring.AuditService = (*AuditService)(nil)

// NewAuditService returns an AuditService on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// Actions and entities written to the audit log.
const (
	actionImport = "import"
	actionUpdate = "update"
	actionCreate = "create"
	actionRevoke = "revoke"

	entityFamily   = "family"
	entityRole     = "role"
	entityUser     = "user"
	entityToken    = "token"
	entitySettings = "settings"
)

// commandLineActor labels changes made without a signed-in user.
const commandLineActor = "command line"

// maxAuditDetail keeps one entry readable; the change itself is in the data.
const maxAuditDetail = 1000

// writeAudit records a change made by the actor in ctx.
func writeAudit(ctx context.Context, t *tx, action, entity string, entityID int64, detail string) error {
	var actorID *int64
	label := commandLineActor
	if u := hiring.ActorFromContext(ctx); u != nil {
		id := u.ID
		actorID = &id
		label = u.Email
	}
	if len(detail) > maxAuditDetail {
		detail = truncateUTF8(detail, maxAuditDetail-3) + "..."
	}
	_, err := t.exec(ctx, `INSERT INTO audit_log
		(actor_id, actor_label, action, entity, entity_id, detail, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		actorID, label, action, entity, entityID, detail, t.now)
	if err != nil {
		return fmt.Errorf("write audit entry (%s %s %d): %w", action, entity, entityID, err)
	}
	return nil
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// FindAuditEntries returns a page of entries, newest first, and how many
// matched.
func (s *AuditService) FindAuditEntries(ctx context.Context, filter hiring.AuditFilter) ([]*hiring.AuditEntry, int, error) {
	offset, limit, err := pageBounds(filter.Offset, filter.Limit)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if filter.Entity != "" {
		w.add("entity = ?", filter.Entity)
	}
	if filter.EntityID != nil {
		w.add("entity_id = ?", *filter.EntityID)
	}
	r := s.db.reader()
	total, err := r.count(ctx, "SELECT COUNT(*) FROM audit_log"+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count audit entries: %w", err)
	}
	rows, err := r.query(ctx, `SELECT id, actor_id, actor_label, action, entity, entity_id, detail, created_at
		FROM audit_log`+w.String()+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find audit entries: %w", err)
	}
	defer rows.Close()
	entries := []*hiring.AuditEntry{}
	for rows.Next() {
		e := &hiring.AuditEntry{}
		if err := rows.Scan(&e.ID, &e.ActorID, &e.ActorLabel, &e.Action, &e.Entity, &e.EntityID,
			&e.Detail, timeColumn{&e.CreatedAt}); err != nil {
			return nil, 0, fmt.Errorf("read audit entry: %w", err)
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find audit entries: %w", err)
	}
	return entries, total, nil
}

package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"hireloop/internal/hiring"
)

// SettingsService keeps the company-wide settings as key/value rows, so a
// new setting needs no migration: an absent key has its default.
type SettingsService struct {
	db *DB
}

var _ hiring.SettingsService = (*SettingsService)(nil)

// NewSettingsService returns a SettingsService on db.
func NewSettingsService(db *DB) *SettingsService { return &SettingsService{db: db} }

const keyCatalogPrivate = "catalog_private"

// settingValues lists every setting as stored text, in a fixed order.
func settingValues(s hiring.Settings) [][2]string {
	return [][2]string{
		{keyCatalogPrivate, strconv.FormatBool(s.CatalogPrivate)},
	}
}

// GetSettings returns the settings, with defaults for any not set yet.
func (s *SettingsService) GetSettings(ctx context.Context) (*hiring.Settings, error) {
	return getSettings(ctx, s.db.reader())
}

func getSettings(ctx context.Context, r runner) (*hiring.Settings, error) {
	rows, err := r.query(ctx, "SELECT key, value FROM settings")
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	defer rows.Close()
	out := &hiring.Settings{}
	for rows.Next() {
		var key, value string
		if err := rows.Scan(&key, &value); err != nil {
			return nil, fmt.Errorf("read setting: %w", err)
		}
		switch key {
		case keyCatalogPrivate:
			b, err := strconv.ParseBool(value)
			if err != nil {
				return nil, fmt.Errorf("setting %s: %w", key, err)
			}
			out.CatalogPrivate = b
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	return out, nil
}

// UpdateSettings stores every setting and records in the audit log those
// that changed; saving the same values writes nothing.
func (s *SettingsService) UpdateSettings(ctx context.Context, in hiring.Settings) error {
	return s.db.transact(ctx, func(t *tx) error {
		old, err := getSettings(ctx, t.runner)
		if err != nil {
			return err
		}
		before := settingValues(*old)
		var changed []string
		for i, kv := range settingValues(in) {
			if kv[1] == before[i][1] {
				continue
			}
			_, err := t.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
				kv[0], kv[1], t.now)
			if err != nil {
				return fmt.Errorf("save setting %s: %w", kv[0], err)
			}
			changed = append(changed, fmt.Sprintf("%s: %s -> %s", kv[0], before[i][1], kv[1]))
		}
		if len(changed) == 0 {
			return nil
		}
		return writeAudit(ctx, t, actionUpdate, entitySettings, 0, strings.Join(changed, "; "))
	})
}

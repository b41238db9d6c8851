package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"hireloop/internal/deadline"
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

// Keys of the settings rows.
const (
	keyCatalogPrivate      = "catalog_private"
	keyCompanyCountry      = "company_country"
	keyAfterApplyDays      = "after_apply_days"
	keyAfterInterviewDays  = "after_interview_days"
	keyReferenceUpdateDays = "reference_update_days"
)

// settingValues lists every setting as stored text, in a fixed order.
func settingValues(s hiring.Settings) [][2]string {
	return [][2]string{
		{keyCatalogPrivate, strconv.FormatBool(s.CatalogPrivate)},
		{keyCompanyCountry, s.CompanyCountry},
		{keyAfterApplyDays, strconv.Itoa(s.AfterApplyDays)},
		{keyAfterInterviewDays, strconv.Itoa(s.AfterInterviewDays)},
		{keyReferenceUpdateDays, strconv.Itoa(s.ReferenceUpdateDays)},
	}
}

// replyRules returns the reply policy of s as deadline rules.
func replyRules(s *hiring.Settings) deadline.Rules {
	return deadline.Rules{AfterApplyDays: s.AfterApplyDays, AfterInterviewDays: s.AfterInterviewDays,
		ReferenceUpdateEvery: time.Duration(s.ReferenceUpdateDays) * 24 * time.Hour}
}

// validateSettings checks settings before they are stored, naming each
// wrong field, and writes the company's country in its standard form.
func validateSettings(s *hiring.Settings) error {
	v := hiring.Validation{}
	s.CompanyCountry = strings.ToUpper(strings.TrimSpace(s.CompanyCountry))
	if s.CompanyCountry == "UK" {
		s.CompanyCountry = "GB"
	}
	if msg := deadline.CheckCountry(s.CompanyCountry); msg != "" {
		v.Add(keyCompanyCountry, msg)
	}
	if err := replyRules(s).Validate(); err != nil {
		for k, msg := range hiring.ErrorFields(err) {
			v.Add(k, msg)
		}
	}
	return v.Err()
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
		if err := setSetting(out, key, value); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	return out, nil
}

// setSetting reads one stored setting into s; unknown keys are left alone.
func setSetting(s *hiring.Settings, key, value string) error {
	var err error
	switch key {
	case keyCatalogPrivate:
		s.CatalogPrivate, err = strconv.ParseBool(value)
	case keyCompanyCountry:
		s.CompanyCountry = value
	case keyAfterApplyDays:
		s.AfterApplyDays, err = strconv.Atoi(value)
	case keyAfterInterviewDays:
		s.AfterInterviewDays, err = strconv.Atoi(value)
	case keyReferenceUpdateDays:
		s.ReferenceUpdateDays, err = strconv.Atoi(value)
	}
	if err != nil {
		return fmt.Errorf("setting %s: %w", key, err)
	}
	return nil
}

// UpdateSettings stores every setting and records in the audit log those
// that changed; saving the same values writes nothing.
func (s *SettingsService) UpdateSettings(ctx context.Context, in hiring.Settings) error {
	if err := validateSettings(&in); err != nil {
		return err
	}
	defer s.db.forgetReplyPolicy()
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
	// The deferred forgetting runs after the commit, so no application can
	// cache the old policy after it.
}

// SigningKey returns the 32-byte secret stored under name, making it on
// first use. Every server sharing the database signs with the same key,
// so what one signs another can check.
func (db *DB) SigningKey(ctx context.Context, name string) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("make signing key: %w", err)
	}
	key := "signing_key:" + name
	var stored string
	err := db.transact(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO NOTHING`, key, hex.EncodeToString(fresh), t.now); err != nil {
			return err
		}
		return t.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&stored)
	})
	if err != nil {
		return nil, fmt.Errorf("read signing key %s: %w", name, err)
	}
	b, err := hex.DecodeString(stored)
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("signing key %s is damaged", name)
	}
	return b, nil
}

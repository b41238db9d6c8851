package store_test

import (
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestSettings(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		settings := store.NewSettingsService(db)
		t.Run("DefaultsWhenUnset", func(t *testing.T) {
			got, err := settings.GetSettings(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if *got != (hiring.Settings{}) {
				t.Errorf("settings = %+v, want defaults (public catalog)", got)
			}
		})
		t.Run("UpdateIsStoredAndAudited", func(t *testing.T) {
			admin, _ := hiringtest.MustCreateUser(t, db, hiring.RoleAdmin)
			ctx := hiring.NewContextWithActor(t.Context(), admin)
			if err := settings.UpdateSettings(ctx, hiring.Settings{CatalogPrivate: true}); err != nil {
				t.Fatal(err)
			}
			got, err := settings.GetSettings(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if !got.CatalogPrivate {
				t.Error("CatalogPrivate = false after setting it")
			}
			entries, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "settings"})
			if len(entries) != 1 || entries[0].ActorLabel != admin.Email || !strings.Contains(entries[0].Detail, "catalog_private") {
				t.Errorf("audit = %+v", entries)
			}
		})
		t.Run("SavingTheSameValuesRecordsNothing", func(t *testing.T) {
			if err := settings.UpdateSettings(t.Context(), hiring.Settings{CatalogPrivate: true}); err != nil {
				t.Fatal(err)
			}
			if _, n := mustAudit(t, db, hiring.AuditFilter{Entity: "settings"}); n != 1 {
				t.Errorf("audit entries = %d, want 1", n)
			}
		})
		t.Run("CanBeTurnedBack", func(t *testing.T) {
			if err := settings.UpdateSettings(t.Context(), hiring.Settings{}); err != nil {
				t.Fatal(err)
			}
			if got, _ := settings.GetSettings(t.Context()); got.CatalogPrivate {
				t.Error("CatalogPrivate = true after clearing it")
			}
		})
	})
}

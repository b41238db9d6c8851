package store_test

import (
	"fmt"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestFindAuditEntries(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		families := store.NewFamilyService(db)
		res := mustImport(t, db, hiringtest.SampleFamily())
		for i := range 3 {
			title := fmt.Sprintf("Title %d", i)
			if _, err := families.UpdateFamily(t.Context(), res.Family.ID, hiring.FamilyUpdate{Title: &title}); err != nil {
				t.Fatal(err)
			}
		}
		mustImport(t, db, family("other.md", "Other", nil, "Role"))

		t.Run("NewestFirstWithTotal", func(t *testing.T) {
			entries, total := mustAudit(t, db, hiring.AuditFilter{Limit: 2})
			if total != 5 || len(entries) != 2 {
				t.Fatalf("got %d entries of %d, want 2 of 5", len(entries), total)
			}
			if entries[0].Action != "import" || entries[1].Action != "update" || entries[0].ID <= entries[1].ID {
				t.Errorf("entries = %+v, want the last import first", entries)
			}
		})
		t.Run("FiltersByEntity", func(t *testing.T) {
			entries, total := mustAudit(t, db, hiring.AuditFilter{Entity: "family", EntityID: &res.Family.ID, Offset: 3})
			if total != 4 || len(entries) != 1 || entries[0].Action != "import" {
				t.Errorf("got %+v of %d, want the first import as the 4th of 4", entries, total)
			}
		})
		t.Run("CommandLineActor", func(t *testing.T) {
			entries, _ := mustAudit(t, db, hiring.AuditFilter{Limit: 1})
			if entries[0].ActorID != nil || entries[0].ActorLabel != "command line" {
				t.Errorf("actor = %v %q, want the command line", entries[0].ActorID, entries[0].ActorLabel)
			}
		})
		t.Run("NegativeOffsetNamesTheField", func(t *testing.T) {
			_, _, err := store.NewAuditService(db).FindAuditEntries(t.Context(), hiring.AuditFilter{Offset: -3})
			wantField(t, err, "offset")
		})
	})
}

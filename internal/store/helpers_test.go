package store_test

import (
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/store"
)

func ptr[T any](v T) *T { return &v }

// wantCode fails the test unless err carries the hiring error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := hiring.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (err %v), want %q", got, err, code)
	}
}

// wantField fails the test unless err is EINVALID and names the field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantCode(t, err, hiring.EINVALID)
	if _, ok := hiring.ErrorFields(err)[field]; !ok {
		t.Fatalf("error fields = %v, want a message for %q", hiring.ErrorFields(err), field)
	}
}

func mustImport(t *testing.T, db *store.DB, f *hiring.Family) *hiring.ImportResult {
	t.Helper()
	res, err := store.NewFamilyService(db).ImportFamily(t.Context(), f)
	if err != nil {
		t.Fatalf("import %s: %v", f.Source, err)
	}
	return res
}

func newUserService(db *store.DB) *store.UserService {
	s := store.NewUserService(db)
	store.UseCheapHashing(s)
	return s
}

func mustAudit(t *testing.T, db *store.DB, filter hiring.AuditFilter) ([]*hiring.AuditEntry, int) {
	t.Helper()
	entries, total, err := store.NewAuditService(db).FindAuditEntries(t.Context(), filter)
	if err != nil {
		t.Fatalf("find audit entries: %v", err)
	}
	return entries, total
}

// family returns a small family of its own, distinct from the sample.
func family(source, title string, depPath []string, roleTitles ...string) *hiring.Family {
	f := &hiring.Family{Title: title, Source: source, ContentHash: "h-" + source, DepartmentPath: depPath}
	for _, rt := range roleTitles {
		f.Roles = append(f.Roles, &hiring.Role{Title: rt})
	}
	return f
}

package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hireloop/internal/hiring"
)

// FamilyService reads, edits and imports job families.
type FamilyService struct {
	db *DB
}

var _ hiring.FamilyService = (*FamilyService)(nil)

// NewFamilyService returns a FamilyService on db.
func NewFamilyService(db *DB) *FamilyService { return &FamilyService{db: db} }

// familyColumns selects a family, its count of live roles and its
// department, which may be absent (LEFT JOIN departments d).
const familyColumns = `f.id, f.slug, f.title, f.summary, f.department_id, f.source, f.content_hash,
	f.created_at, f.updated_at,
	(SELECT COUNT(*) FROM roles r WHERE r.family_id = f.id AND r.archived_at IS NULL),
	d.parent_id, d.name, d.slug, d.created_at`

const familyFrom = " FROM families f LEFT JOIN departments d ON d.id = f.department_id"

func scanFamily(sc interface{ Scan(...any) error }) (*hiring.Family, error) {
	f := &hiring.Family{}
	var (
		depParent        *int64
		depName, depSlug sql.NullString
		depCreated       *time.Time
	)
	err := sc.Scan(&f.ID, &f.Slug, &f.Title, &f.Summary, &f.DepartmentID, &f.Source, &f.ContentHash,
		timeColumn{&f.CreatedAt}, timeColumn{&f.UpdatedAt}, &f.RoleCount,
		&depParent, &depName, &depSlug, nullTimeColumn{&depCreated})
	if err != nil {
		return nil, err
	}
	if f.DepartmentID != nil && depCreated != nil {
		f.Department = &hiring.Department{ID: *f.DepartmentID, ParentID: depParent,
			Name: depName.String, Slug: depSlug.String, CreatedAt: *depCreated}
	}
	return f, nil
}

// findFamily returns a family with its department but without roles.
func findFamily(ctx context.Context, r runner, id int64) (*hiring.Family, error) {
	f, err := scanFamily(r.queryRow(ctx, "SELECT "+familyColumns+familyFrom+" WHERE f.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Job family")
	} else if err != nil {
		return nil, fmt.Errorf("find family %d: %w", id, err)
	}
	return f, nil
}

// findFamilyWithRoles adds the family's live roles, in page order.
func findFamilyWithRoles(ctx context.Context, r runner, id int64) (*hiring.Family, error) {
	f, err := findFamily(ctx, r, id)
	if err != nil {
		return nil, err
	}
	if f.DepartmentID != nil {
		if f.DepartmentPath, err = departmentPath(ctx, r, *f.DepartmentID); err != nil {
			return nil, err
		}
	}
	rows, err := r.query(ctx, "SELECT "+roleColumns+
		" FROM roles r WHERE r.family_id = ? AND r.archived_at IS NULL ORDER BY r.position, r.id", id)
	if err != nil {
		return nil, fmt.Errorf("find roles of family %d: %w", id, err)
	}
	defer rows.Close()
	f.Roles = []*hiring.Role{}
	for rows.Next() {
		role, err := scanRole(rows)
		if err != nil {
			return nil, fmt.Errorf("read role of family %d: %w", id, err)
		}
		f.Roles = append(f.Roles, role)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find roles of family %d: %w", id, err)
	}
	return f, nil
}

// departmentPath names a department and its parents from the top, so an
// exported page says where its family sits.
func departmentPath(ctx context.Context, r runner, id int64) ([]string, error) {
	var path []string
	for next := &id; next != nil && len(path) <= maxDepartmentDepth; {
		d, err := findDepartmentByID(ctx, r, *next)
		if err != nil {
			return nil, err
		}
		path = append([]string{d.Name}, path...)
		next = d.ParentID
	}
	return path, nil
}

// FindFamilyByID returns the family with its department path and live roles.
func (s *FamilyService) FindFamilyByID(ctx context.Context, id int64) (*hiring.Family, error) {
	return findFamilyWithRoles(ctx, s.db.reader(), id)
}

// FindFamilies returns a page of families ordered by title, with their
// departments but not their roles, and the total count. A department filter
// includes the families of its sub-departments.
func (s *FamilyService) FindFamilies(ctx context.Context, filter hiring.FamilyFilter) ([]*hiring.Family, int, error) {
	offset, limit, err := pageBounds(filter.Offset, filter.Limit)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if filter.ID != nil {
		w.add("f.id = ?", *filter.ID)
	}
	if filter.Slug != nil {
		w.add("f.slug = ?", *filter.Slug)
	}
	if filter.DepartmentID != nil {
		w.add(inDepartmentTree("f.department_id"), *filter.DepartmentID)
	}
	if q := strings.TrimSpace(filter.Query); q != "" {
		w.add(`f.title_fold LIKE ? ESCAPE '\'`, containsPattern(q))
	}
	r := s.db.reader()
	total, err := r.count(ctx, "SELECT COUNT(*) FROM families f"+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count families: %w", err)
	}
	rows, err := r.query(ctx, "SELECT "+familyColumns+familyFrom+w.String()+
		" ORDER BY f.title_fold, f.id LIMIT ? OFFSET ?", append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find families: %w", err)
	}
	defer rows.Close()
	fams := []*hiring.Family{}
	for rows.Next() {
		f, err := scanFamily(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("read family: %w", err)
		}
		fams = append(fams, f)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find families: %w", err)
	}
	return fams, total, nil
}

// UpdateFamily changes the fields upd sets. The slug stays, so that links
// to the family keep working.
func (s *FamilyService) UpdateFamily(ctx context.Context, id int64, upd hiring.FamilyUpdate) (*hiring.Family, error) {
	if err := upd.Validate(); err != nil {
		return nil, err
	}
	var out *hiring.Family
	err := s.db.transact(ctx, func(t *tx) error {
		if err := t.lockRow(ctx, "families", id); err != nil {
			return err
		}
		f, err := findFamily(ctx, t.runner, id)
		if err != nil {
			return err
		}
		var changed []string
		if upd.Title != nil && *upd.Title != f.Title {
			f.Title = *upd.Title
			changed = append(changed, "title")
		}
		if upd.Summary != nil && *upd.Summary != f.Summary {
			f.Summary = *upd.Summary
			changed = append(changed, "summary")
		}
		if len(changed) > 0 {
			if _, err := t.exec(ctx, "UPDATE families SET title = ?, title_fold = ?, summary = ?, updated_at = ? WHERE id = ?",
				f.Title, fold(f.Title), f.Summary, t.now, id); err != nil {
				return fmt.Errorf("update family %d: %w", id, err)
			}
			detail := fmt.Sprintf("%s: changed %s", f.Title, strings.Join(changed, ", "))
			if err := writeAudit(ctx, t, actionUpdate, entityFamily, id, detail); err != nil {
				return err
			}
		}
		out, err = findFamilyWithRoles(ctx, t.runner, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ImportFamily stores a parsed page in one transaction: either all of it is
// written or nothing is.
func (s *FamilyService) ImportFamily(ctx context.Context, in *hiring.Family) (*hiring.ImportResult, error) {
	if in == nil {
		return nil, hiring.Errorf(hiring.EINVALID, "No family to import.")
	}
	if err := validateImport(in); err != nil {
		return nil, err
	}
	var res *hiring.ImportResult
	err := s.db.transact(ctx, func(t *tx) error {
		var err error
		res, err = importFamily(ctx, t, in)
		return err
	})
	if s.db.dialect.isUniqueViolation(err) {
		// Imports are serialised, so only an outside writer gets here.
		return nil, hiring.Errorf(hiring.ECONFLICT, "The family %q was changed by another import at the same time; import it again.", in.Source)
	} else if err != nil {
		return nil, err
	}
	return res, nil
}

// importFamily does the work of ImportFamily inside t.
func importFamily(ctx context.Context, t *tx, in *hiring.Family) (*hiring.ImportResult, error) {
	// Imports run one at a time: two pages may create the same department
	// or want the same slug, and imports are rare enough not to mind.
	if err := t.d.serialize(ctx, t, importLockKey); err != nil {
		return nil, fmt.Errorf("lock import: %w", err)
	}
	var (
		id         int64
		storedHash string
	)
	err := t.queryRow(ctx, "SELECT id, content_hash FROM families WHERE source = ?", in.Source).Scan(&id, &storedHash)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find family by source %q: %w", in.Source, err)
	}
	res := &hiring.ImportResult{Created: !exists, Archived: []string{}}
	if exists && in.ContentHash != "" && in.ContentHash == storedHash {
		res.Unchanged = true
		res.Family, err = findFamilyWithRoles(ctx, t.runner, id)
		return res, err
	}

	depID, err := ensureDepartmentPath(ctx, t, in.DepartmentPath)
	if err != nil {
		return nil, err
	}
	title := strings.TrimSpace(in.Title)
	if exists {
		_, err = t.exec(ctx, `UPDATE families SET title = ?, title_fold = ?, summary = ?, department_id = ?,
			content_hash = ?, updated_at = ? WHERE id = ?`,
			title, fold(title), in.Summary, depID, in.ContentHash, t.now, id)
		if err != nil {
			return nil, fmt.Errorf("update family %q: %w", in.Source, err)
		}
	} else {
		slug, err := freeFamilySlug(ctx, t, slugify(cmp.Or(in.Slug, title), "family"))
		if err != nil {
			return nil, err
		}
		id, err = t.insert(ctx, `INSERT INTO families
			(slug, title, title_fold, summary, department_id, source, content_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			slug, title, fold(title), in.Summary, depID, in.Source, in.ContentHash, t.now, t.now)
		if err != nil {
			return nil, fmt.Errorf("create family %q: %w", in.Source, err)
		}
	}

	counts, err := syncRoles(ctx, t, id, in.Roles, res)
	if err != nil {
		return nil, err
	}
	action := "updated"
	if res.Created {
		action = "created"
	}
	detail := fmt.Sprintf("%s %s from %s: %s", action, title, in.Source, counts)
	if err := writeAudit(ctx, t, actionImport, entityFamily, id, detail); err != nil {
		return nil, err
	}
	res.Family, err = findFamilyWithRoles(ctx, t.runner, id)
	return res, err
}

// freeFamilySlug returns want, or want-2, want-3... whichever no other
// family holds yet.
func freeFamilySlug(ctx context.Context, t *tx, want string) (string, error) {
	slug := want
	for n := 2; ; n++ {
		var taken int
		err := t.queryRow(ctx, "SELECT COUNT(*) FROM families WHERE slug = ?", slug).Scan(&taken)
		if err != nil {
			return "", fmt.Errorf("check family slug %q: %w", slug, err)
		}
		if taken == 0 {
			return slug, nil
		}
		slug = fmt.Sprintf("%s-%d", want, n)
	}
}

// storedRole is what syncRoles needs to know of a role already stored.
type storedRole struct {
	id       int64
	title    string
	archived bool
	seen     bool
}

// syncRoles makes the family's roles those of the page: matched by slug,
// updated in place, added, archived when missing, restored when back. It
// returns a summary of what it did for the audit log.
func syncRoles(ctx context.Context, t *tx, familyID int64, roles []*hiring.Role, res *hiring.ImportResult) (string, error) {
	stored, order, err := storedRoles(ctx, t, familyID)
	if err != nil {
		return "", err
	}
	var added, updated, restored int
	taken := uniqueSlugs{}
	for pos, r := range roles {
		slug := taken.take(slugify(cmp.Or(r.Slug, r.Title), "role"))
		role := *r
		role.Title = strings.TrimSpace(role.Title)
		content, err := roleContent(&role)
		if err != nil {
			return "", err
		}
		if old, ok := stored[slug]; ok {
			old.seen = true
			_, err := t.exec(ctx, "UPDATE roles SET "+roleContentSet+", position = ?, archived_at = NULL, updated_at = ? WHERE id = ?",
				append(content, pos, t.now, old.id)...)
			if err != nil {
				return "", fmt.Errorf("update role %q: %w", slug, err)
			}
			if old.archived {
				restored++
			} else {
				updated++
			}
			continue
		}
		args := append([]any{familyID, slug}, content...)
		args = append(args, pos, t.now, t.now)
		if _, err := t.exec(ctx, "INSERT INTO roles (family_id, slug, "+roleContentNames+
			", position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			args...); err != nil {
			return "", fmt.Errorf("create role %q: %w", slug, err)
		}
		added++
	}
	for _, slug := range order {
		old := stored[slug]
		if old.seen || old.archived {
			continue
		}
		if _, err := t.exec(ctx, "UPDATE roles SET archived_at = ?, updated_at = ? WHERE id = ?",
			t.now, t.now, old.id); err != nil {
			return "", fmt.Errorf("archive role %q: %w", slug, err)
		}
		res.Archived = append(res.Archived, old.title)
	}
	return fmt.Sprintf("%d roles added, %d updated, %d restored, %d archived",
		added, updated, restored, len(res.Archived)), nil
}

// storedRoles returns a family's roles by slug, and the slugs in page order.
func storedRoles(ctx context.Context, t *tx, familyID int64) (map[string]*storedRole, []string, error) {
	rows, err := t.query(ctx, "SELECT id, slug, title, archived_at FROM roles WHERE family_id = ? ORDER BY position, id", familyID)
	if err != nil {
		return nil, nil, fmt.Errorf("find roles of family %d: %w", familyID, err)
	}
	defer rows.Close()
	stored := map[string]*storedRole{}
	var order []string
	for rows.Next() {
		var (
			r        storedRole
			slug     string
			archived *time.Time
		)
		if err := rows.Scan(&r.id, &slug, &r.title, nullTimeColumn{&archived}); err != nil {
			return nil, nil, fmt.Errorf("read role of family %d: %w", familyID, err)
		}
		r.archived = archived != nil
		stored[slug] = &r
		order = append(order, slug)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("find roles of family %d: %w", familyID, err)
	}
	return stored, order, nil
}

// importLockKey serialises imports.
const importLockKey = 0x686c2d696d706f72 // "hl-impor"

// Limits on what an import may carry beyond those of hiring.RoleUpdate.
const (
	maxSourceLen       = 1000
	maxHashLen         = 200
	maxDepartmentDepth = 10
)

// validateImport checks a parsed page before anything is written, naming
// each wrong field the way an API client would send it ("roles[2].grade").
func validateImport(f *hiring.Family) error {
	v := hiring.Validation{}
	switch {
	case strings.TrimSpace(f.Source) == "":
		v.Add("source", "The source file is required.")
	case len(f.Source) > maxSourceLen || strings.ContainsRune(f.Source, 0):
		v.Add("source", "The source file name is too long or not readable.")
	}
	if len(f.ContentHash) > maxHashLen {
		v.Add("content_hash", "This is too long.")
	}
	if err := (hiring.FamilyUpdate{Title: &f.Title, Summary: &f.Summary}).Validate(); err != nil {
		for k, msg := range hiring.ErrorFields(err) {
			v.Add(k, msg)
		}
	}
	if len(f.DepartmentPath) > maxDepartmentDepth {
		v.Add("department_path", "Departments nest at most 10 deep.")
	}
	for _, name := range f.DepartmentPath {
		if strings.TrimSpace(name) == "" || len(name) > hiring.MaxTitleLen || strings.ContainsRune(name, 0) {
			v.Add("department_path", "Each department needs a name of at most 200 characters.")
		}
	}
	if len(f.Roles) > hiring.MaxItems {
		v.Add("roles", "At most 200 roles in one family.")
	}
	for i, r := range f.Roles {
		if r == nil {
			v.Add(fmt.Sprintf("roles[%d]", i), "This role is empty.")
			continue
		}
		err := hiring.RoleUpdate{
			Title: &r.Title, Level: &r.Level, Grade: r.Grade, Summary: &r.Summary,
			Responsibilities: &r.Responsibilities, Requirements: &r.Requirements,
			NiceToHaves: &r.NiceToHaves, PerformanceIndicators: &r.PerformanceIndicators,
			Specialties: &r.Specialties, HiringProcess: &r.HiringProcess, CareerLadder: &r.CareerLadder,
		}.Validate()
		for k, msg := range hiring.ErrorFields(err) {
			v.Add(fmt.Sprintf("roles[%d].%s", i, k), msg)
		}
	}
	return v.Err()
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"hireloop/internal/hiring"
)

// RoleService reads and edits roles. Roles are created and archived by
// FamilyService.ImportFamily.
type RoleService struct {
	db *DB
}

var _ hiring.RoleService = (*RoleService)(nil)

// NewRoleService returns a RoleService on db.
func NewRoleService(db *DB) *RoleService { return &RoleService{db: db} }

const roleColumns = `r.id, r.family_id, r.slug, r.title, r.level, r.grade, r.summary,
	r.responsibilities, r.requirements, r.nice_to_haves, r.performance_indicators,
	r.specialties, r.hiring_process, r.career_ladder, r.position, r.archived_at,
	r.created_at, r.updated_at`

// scanRole reads roleColumns, then any extra destinations.
func scanRole(sc interface{ Scan(...any) error }, extra ...any) (*hiring.Role, error) {
	r := &hiring.Role{}
	var grade sql.NullFloat64
	var resp, reqs, nice, pis, specs, steps string
	dest := []any{&r.ID, &r.FamilyID, &r.Slug, &r.Title, &r.Level, &grade, &r.Summary,
		&resp, &reqs, &nice, &pis, &specs, &steps, &r.CareerLadder, &r.Position,
		nullTimeColumn{&r.ArchivedAt}, timeColumn{&r.CreatedAt}, timeColumn{&r.UpdatedAt}}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if grade.Valid {
		g := grade.Float64
		r.Grade = &g
	}
	for _, l := range []struct {
		text string
		into any
	}{
		{resp, &r.Responsibilities}, {reqs, &r.Requirements}, {nice, &r.NiceToHaves},
		{pis, &r.PerformanceIndicators}, {specs, &r.Specialties}, {steps, &r.HiringProcess},
	} {
		if err := json.Unmarshal([]byte(l.text), l.into); err != nil {
			return nil, fmt.Errorf("role %d: read list: %w", r.ID, err)
		}
	}
	emptyNotNil(r)
	return r, nil
}

// emptyNotNil makes absent lists empty, so JSON shows [] rather than null.
func emptyNotNil(r *hiring.Role) {
	if r.Responsibilities == nil {
		r.Responsibilities = []string{}
	}
	if r.Requirements == nil {
		r.Requirements = []string{}
	}
	if r.NiceToHaves == nil {
		r.NiceToHaves = []string{}
	}
	if r.PerformanceIndicators == nil {
		r.PerformanceIndicators = []hiring.PerformanceIndicator{}
	}
	if r.Specialties == nil {
		r.Specialties = []hiring.Specialty{}
	}
	if r.HiringProcess == nil {
		r.HiringProcess = []hiring.HiringStep{}
	}
}

// roleContent returns the columns a role's page content is stored in, in
// the order roleContentSet and roleContentInsert name them.
func roleContent(r *hiring.Role) ([]any, error) {
	c := *r
	emptyNotNil(&c)
	lists := make([]any, 0, 6)
	for _, l := range []any{c.Responsibilities, c.Requirements, c.NiceToHaves,
		c.PerformanceIndicators, c.Specialties, c.HiringProcess} {
		b, err := json.Marshal(l)
		if err != nil {
			return nil, fmt.Errorf("encode role list: %w", err)
		}
		lists = append(lists, string(b))
	}
	var grade any
	if c.Grade != nil {
		grade = *c.Grade
	}
	return append([]any{c.Title, fold(c.Title), c.Level, grade, c.Summary}, append(lists, c.CareerLadder)...), nil
}

const roleContentNames = `title, title_fold, level, grade, summary, responsibilities, requirements,
	nice_to_haves, performance_indicators, specialties, hiring_process, career_ladder`

const roleContentSet = `title = ?, title_fold = ?, level = ?, grade = ?, summary = ?,
	responsibilities = ?, requirements = ?, nice_to_haves = ?, performance_indicators = ?,
	specialties = ?, hiring_process = ?, career_ladder = ?`

// FindRoleByID returns a role, archived or not, with its family and the
// family's department.
func (s *RoleService) FindRoleByID(ctx context.Context, id int64) (*hiring.Role, error) {
	return findRoleByID(ctx, s.db.reader(), id)
}

func findRoleByID(ctx context.Context, r runner, id int64) (*hiring.Role, error) {
	role, err := scanRole(r.queryRow(ctx, "SELECT "+roleColumns+" FROM roles r WHERE r.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Role")
	} else if err != nil {
		return nil, fmt.Errorf("find role %d: %w", id, err)
	}
	if role.Family, err = findFamily(ctx, r, role.FamilyID); err != nil {
		return nil, err
	}
	return role, nil
}

// FindRoles returns a page of roles ordered by family then position, each
// with a light Family (id, slug, title, department id), and the total count.
func (s *RoleService) FindRoles(ctx context.Context, filter hiring.RoleFilter) ([]*hiring.Role, int, error) {
	offset, limit, err := pageBounds(filter.Offset, filter.Limit)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if filter.ID != nil {
		w.add("r.id = ?", *filter.ID)
	}
	if filter.FamilyID != nil {
		w.add("r.family_id = ?", *filter.FamilyID)
	}
	if filter.DepartmentID != nil {
		w.add(inDepartmentTree("f.department_id"), *filter.DepartmentID)
	}
	if filter.Grade != nil {
		w.add("r.grade = ?", *filter.Grade)
	}
	if q := strings.TrimSpace(filter.Query); q != "" {
		w.add(`r.title_fold LIKE ? ESCAPE '\'`, containsPattern(q))
	}
	if !filter.IncludeArchived {
		w.add("r.archived_at IS NULL")
	}
	from := " FROM roles r JOIN families f ON f.id = r.family_id"
	rd := s.db.reader()
	total, err := rd.count(ctx, "SELECT COUNT(*)"+from+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count roles: %w", err)
	}
	rows, err := rd.query(ctx, "SELECT "+roleColumns+", f.slug, f.title, f.department_id"+from+w.String()+
		" ORDER BY f.title_fold, f.id, r.position, r.id LIMIT ? OFFSET ?", append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find roles: %w", err)
	}
	defer rows.Close()
	roles := []*hiring.Role{}
	for rows.Next() {
		f := &hiring.Family{}
		role, err := scanRole(rows, &f.Slug, &f.Title, &f.DepartmentID)
		if err != nil {
			return nil, 0, fmt.Errorf("read role: %w", err)
		}
		f.ID = role.FamilyID
		role.Family = f
		roles = append(roles, role)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find roles: %w", err)
	}
	return roles, total, nil
}

// UpdateRole changes the fields upd sets and records the names of those that
// changed in the audit log. An update that changes nothing writes nothing.
func (s *RoleService) UpdateRole(ctx context.Context, id int64, upd hiring.RoleUpdate) (*hiring.Role, error) {
	if err := upd.Validate(); err != nil {
		return nil, err
	}
	var out *hiring.Role
	err := s.db.transact(ctx, func(t *tx) error {
		if err := t.lockRow(ctx, "roles", id); err != nil {
			return err
		}
		role, err := findRoleByID(ctx, t.runner, id)
		if err != nil {
			return err
		}
		changed := applyRoleUpdate(role, upd)
		if len(changed) == 0 {
			out = role
			return nil
		}
		content, err := roleContent(role)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE roles SET "+roleContentSet+", updated_at = ? WHERE id = ?",
			append(content, t.now, id)...); err != nil {
			return fmt.Errorf("update role %d: %w", id, err)
		}
		detail := fmt.Sprintf("%s: changed %s", role.Title, strings.Join(changed, ", "))
		if err := writeAudit(ctx, t, actionUpdate, entityRole, id, detail); err != nil {
			return err
		}
		out, err = findRoleByID(ctx, t.runner, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// applyRoleUpdate sets the fields upd names and returns, in a fixed order,
// the names of those whose value changed.
func applyRoleUpdate(r *hiring.Role, u hiring.RoleUpdate) []string {
	var changed []string
	setText := func(name string, dst *string, src *string) {
		if src != nil && *dst != *src {
			*dst = *src
			changed = append(changed, name)
		}
	}
	setText("title", &r.Title, u.Title)
	setText("level", &r.Level, u.Level)
	switch {
	case u.ClearGrade && r.Grade != nil:
		r.Grade = nil
		changed = append(changed, "grade")
	case u.Grade != nil && (r.Grade == nil || *r.Grade != *u.Grade):
		g := *u.Grade
		r.Grade = &g
		changed = append(changed, "grade")
	}
	setText("summary", &r.Summary, u.Summary)
	setList(&changed, "responsibilities", &r.Responsibilities, u.Responsibilities)
	setList(&changed, "requirements", &r.Requirements, u.Requirements)
	setList(&changed, "nice_to_haves", &r.NiceToHaves, u.NiceToHaves)
	setList(&changed, "performance_indicators", &r.PerformanceIndicators, u.PerformanceIndicators)
	setList(&changed, "specialties", &r.Specialties, u.Specialties)
	setList(&changed, "hiring_process", &r.HiringProcess, u.HiringProcess)
	setText("career_ladder", &r.CareerLadder, u.CareerLadder)
	return changed
}

func setList[T comparable](changed *[]string, name string, dst *[]T, src *[]T) {
	if src != nil && !slices.Equal(*dst, *src) {
		*dst = slices.Clone(*src)
		*changed = append(*changed, name)
	}
}

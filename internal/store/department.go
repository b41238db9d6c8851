package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"hireloop/internal/hiring"
)

// DepartmentService reads departments. Departments are made by ImportFamily
// from the path of the page it imports.
type DepartmentService struct {
	db *DB
}

var _ hiring.DepartmentService = (*DepartmentService)(nil)

// NewDepartmentService returns a DepartmentService on db.
func NewDepartmentService(db *DB) *DepartmentService { return &DepartmentService{db: db} }

const departmentColumns = `d.id, d.parent_id, d.name, d.slug, d.created_at,
	(SELECT COUNT(*) FROM families f WHERE f.department_id = d.id)`

func scanDepartment(sc interface{ Scan(...any) error }) (*hiring.Department, error) {
	d := &hiring.Department{}
	err := sc.Scan(&d.ID, &d.ParentID, &d.Name, &d.Slug, timeColumn{&d.CreatedAt}, &d.FamilyCount)
	return d, err
}

// FindDepartmentByID returns one department with the number of families
// directly in it.
func (s *DepartmentService) FindDepartmentByID(ctx context.Context, id int64) (*hiring.Department, error) {
	return findDepartmentByID(ctx, s.db.reader(), id)
}

func findDepartmentByID(ctx context.Context, r runner, id int64) (*hiring.Department, error) {
	d, err := scanDepartment(r.queryRow(ctx, "SELECT "+departmentColumns+" FROM departments d WHERE d.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Department")
	} else if err != nil {
		return nil, fmt.Errorf("find department %d: %w", id, err)
	}
	return d, nil
}

// FindDepartments returns a page of departments ordered by slug, which puts
// each department right after its parent.
func (s *DepartmentService) FindDepartments(ctx context.Context, filter hiring.DepartmentFilter) ([]*hiring.Department, int, error) {
	offset, limit, err := pageBounds(filter.Offset, filter.Limit)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if filter.ID != nil {
		w.add("d.id = ?", *filter.ID)
	}
	if filter.ParentID != nil {
		w.add("d.parent_id = ?", *filter.ParentID)
	}
	if filter.RootsOnly {
		w.add("d.parent_id IS NULL")
	}
	r := s.db.reader()
	total, err := r.count(ctx, "SELECT COUNT(*) FROM departments d"+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count departments: %w", err)
	}
	rows, err := r.query(ctx, "SELECT "+departmentColumns+" FROM departments d"+w.String()+
		" ORDER BY d.slug LIMIT ? OFFSET ?", append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find departments: %w", err)
	}
	defer rows.Close()
	deps := []*hiring.Department{}
	for rows.Next() {
		d, err := scanDepartment(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("read department: %w", err)
		}
		deps = append(deps, d)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find departments: %w", err)
	}
	return deps, total, nil
}

// ensureDepartmentPath returns the id of the last department of path,
// creating the missing departments from the top. A department is known by its
// slug path, so "Engineering" under two parents are two departments. An empty
// path means no department.
func ensureDepartmentPath(ctx context.Context, t *tx, path []string) (*int64, error) {
	var parent *int64
	slugs := make([]string, 0, len(path))
	for _, name := range path {
		name = strings.TrimSpace(name)
		slugs = append(slugs, slugify(name, "department"))
		slug := strings.Join(slugs, "/")
		var id int64
		err := t.queryRow(ctx, "SELECT id FROM departments WHERE slug = ?", slug).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			id, err = t.insert(ctx, "INSERT INTO departments (parent_id, name, slug, created_at) VALUES (?, ?, ?, ?)",
				parent, name, slug, t.now)
			if err != nil {
				return nil, fmt.Errorf("create department %q: %w", slug, err)
			}
		} else if err != nil {
			return nil, fmt.Errorf("find department %q: %w", slug, err)
		}
		parent = &id
	}
	return parent, nil
}

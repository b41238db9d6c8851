package api

import (
	"net/http"

	"hireloop/internal/hiring"
)

// ListDepartments answers GET /api/v1/departments, filtered by parent_id.
func (h *Handler) ListDepartments(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := hiring.DepartmentFilter{ParentID: q.id("parent_id")}
	f.Offset, f.Limit = q.page()
	if err := q.err(); err != nil {
		return err
	}
	deps, total, err := h.Departments.FindDepartments(r.Context(), f)
	if err != nil {
		return err
	}
	if deps == nil {
		deps = []*hiring.Department{}
	}
	return list(w, deps, total, f.Offset, f.Limit)
}

// GetDepartment answers GET /api/v1/departments/{id}.
func (h *Handler) GetDepartment(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	d, err := h.Departments.FindDepartmentByID(r.Context(), id)
	if err != nil {
		return err
	}
	return ok(w, d)
}

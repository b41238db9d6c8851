package api

import (
	"net/http"

	"hireloop/internal/hiring"
)

// ListRoles answers GET /api/v1/roles, filtered by family_id, department_id,
// grade, q and include_archived.
func (h *Handler) ListRoles(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := hiring.RoleFilter{
		FamilyID:        q.id("family_id"),
		DepartmentID:    q.id("department_id"),
		Grade:           q.grade("grade"),
		Query:           q.text("q"),
		IncludeArchived: q.flag("include_archived"),
	}
	f.Offset, f.Limit = q.page()
	if err := q.err(); err != nil {
		return err
	}
	roles, total, err := h.Roles.FindRoles(r.Context(), f)
	if err != nil {
		return err
	}
	if roles == nil {
		roles = []*hiring.Role{}
	}
	for _, role := range roles {
		fillLists(role)
	}
	return list(w, roles, total, f.Offset, f.Limit)
}

// GetRole answers GET /api/v1/roles/{id}.
func (h *Handler) GetRole(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	role, err := h.Roles.FindRoleByID(r.Context(), id)
	if err != nil {
		return err
	}
	fillLists(role)
	return ok(w, role)
}

// UpdateRole answers PATCH /api/v1/roles/{id}; the body holds the fields of
// hiring.RoleUpdate, and absent fields stay as they are.
func (h *Handler) UpdateRole(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	var upd hiring.RoleUpdate
	if err := decodeJSON(w, r, &upd); err != nil {
		return err
	}
	if err := upd.Validate(); err != nil {
		return err
	}
	role, err := h.Roles.UpdateRole(r.Context(), id, upd)
	if err != nil {
		return err
	}
	fillLists(role)
	return ok(w, role)
}

// fillLists turns absent lists into empty ones, so clients always get arrays.
func fillLists(r *hiring.Role) {
	if r == nil {
		return
	}
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

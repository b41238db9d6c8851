package api

import (
	"net/http"

	"hireloop/internal/hiring"
)

// ListFamilies answers GET /api/v1/families, filtered by department_id and q.
func (h *Handler) ListFamilies(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := hiring.FamilyFilter{DepartmentID: q.id("department_id"), Query: q.text("q")}
	f.Offset, f.Limit = q.page()
	if err := q.err(); err != nil {
		return err
	}
	fams, total, err := h.Families.FindFamilies(r.Context(), f)
	if err != nil {
		return err
	}
	if fams == nil {
		fams = []*hiring.Family{}
	}
	return list(w, fams, total, f.Offset, f.Limit)
}

// GetFamily answers GET /api/v1/families/{id} with the family's current roles.
func (h *Handler) GetFamily(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	f, err := h.Families.FindFamilyByID(r.Context(), id)
	if err != nil {
		return err
	}
	for _, role := range f.Roles {
		fillLists(role)
	}
	return ok(w, f)
}

// UpdateFamily answers PATCH /api/v1/families/{id}; absent fields stay as they are.
func (h *Handler) UpdateFamily(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	var upd hiring.FamilyUpdate
	if err := decodeJSON(w, r, &upd); err != nil {
		return err
	}
	if err := upd.Validate(); err != nil {
		return err
	}
	f, err := h.Families.UpdateFamily(r.Context(), id, upd)
	if err != nil {
		return err
	}
	return ok(w, f)
}

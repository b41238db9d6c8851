package api

import (
	"context"
	"net/http"

	"hireloop/internal/hiring"
)

// ListOpenings answers GET /api/v1/openings, filtered by status,
// department_id, role_id and q (part of the title). A hiring manager gets
// only the openings they lead.
func (h *Handler) ListOpenings(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := hiring.OpeningFilter{
		DepartmentID: q.id("department_id"),
		RoleID:       q.id("role_id"),
		Query:        q.text("q"),
		Status:       q.openingStatus("status"),
	}
	f.Offset, f.Limit = q.page()
	if err := q.err(); err != nil {
		return err
	}
	u := hiring.ActorFromContext(r.Context())
	if !u.Role.CanManageOpenings() {
		f.HiringManagerID = &u.ID
	}
	openings, total, err := h.Openings.FindOpenings(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]*hiring.Opening, 0, len(openings))
	for _, o := range openings {
		// The filter already keeps a hiring manager's own openings; this
		// check makes sure that nothing else can slip through.
		if hiring.CanManageOpening(u, o) {
			fillOpening(o)
			out = append(out, o)
		}
	}
	return list(w, out, total, f.Offset, f.Limit)
}

// GetOpening answers GET /api/v1/openings/{id}.
func (h *Handler) GetOpening(w http.ResponseWriter, r *http.Request) error {
	o, err := h.openingFor(r)
	if err != nil {
		return err
	}
	fillOpening(o)
	return ok(w, o)
}

// CreateOpening answers POST /api/v1/openings: a draft opening made from a
// role, with the fields of hiring.NewOpening.
func (h *Handler) CreateOpening(w http.ResponseWriter, r *http.Request) error {
	var n hiring.NewOpening
	if err := decodeJSON(w, r, &n); err != nil {
		return err
	}
	if err := n.Validate(); err != nil {
		return err
	}
	o, err := h.Openings.CreateOpening(r.Context(), n)
	if err != nil {
		return err
	}
	fillOpening(o)
	writeJSON(w, http.StatusCreated, Envelope{Data: o})
	return nil
}

// openingPatch is the body of PATCH /api/v1/openings/{id}: the fields of
// hiring.OpeningUpdate and, optionally, a new status.
type openingPatch struct {
	hiring.OpeningUpdate
	Status *hiring.OpeningStatus `json:"status"`
}

// UpdateOpening answers PATCH /api/v1/openings/{id}. Absent fields stay as
// they are; a status moves the opening after the other changes are stored.
func (h *Handler) UpdateOpening(w http.ResponseWriter, r *http.Request) error {
	o, err := h.openingFor(r)
	if err != nil {
		return err
	}
	var p openingPatch
	if err := decodeJSON(w, r, &p); err != nil {
		return err
	}
	if p.Status != nil && !p.Status.Valid() {
		return &hiring.Error{Code: hiring.EINVALID, Message: "status: Choose one of: draft, open, closed.",
			Fields: map[string]string{"status": "Choose one of: draft, open, closed."}}
	}
	if err := p.OpeningUpdate.Validate(); err != nil {
		return err
	}
	if p.OpeningUpdate != (hiring.OpeningUpdate{}) {
		if o, err = h.Openings.UpdateOpening(r.Context(), o.ID, p.OpeningUpdate); err != nil {
			return err
		}
	}
	if p.Status != nil && *p.Status != o.Status {
		if o, err = h.Openings.SetOpeningStatus(r.Context(), o.ID, *p.Status); err != nil {
			return err
		}
	}
	fillOpening(o)
	return ok(w, o)
}

// openingFor finds the opening of the {id} in the path, if the acting user
// may see it.
func (h *Handler) openingFor(r *http.Request) (*hiring.Opening, error) {
	id, err := PathID(r)
	if err != nil {
		return nil, err
	}
	return h.findOpeningFor(r.Context(), id)
}

func (h *Handler) findOpeningFor(ctx context.Context, id int64) (*hiring.Opening, error) {
	o, err := h.Openings.FindOpeningByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !hiring.CanManageOpening(hiring.ActorFromContext(ctx), o) {
		return nil, hiring.Errorf(hiring.EFORBIDDEN, "Only recruiters, admins and the opening's hiring manager can see this opening.")
	}
	return o, nil
}

// fillOpening turns absent lists into empty ones, so clients always get
// arrays.
func fillOpening(o *hiring.Opening) {
	if o.Teams == nil {
		o.Teams = []hiring.TeamVacancies{}
	}
	if o.Locations == nil {
		o.Locations = []hiring.Location{}
	}
	if o.Questions == nil {
		o.Questions = []hiring.Question{}
	}
	for i := range o.Questions {
		if o.Questions[i].Options == nil {
			o.Questions[i].Options = []string{}
		}
	}
	fillLists(o.Role)
}

// openingStatus reads an optional opening status.
func (q *query) openingStatus(name string) *hiring.OpeningStatus {
	s := hiring.OpeningStatus(q.values.Get(name))
	if s == "" {
		return nil
	}
	if !s.Valid() {
		q.v.Add(name, "Choose one of: draft, open, closed.")
		return nil
	}
	return &s
}

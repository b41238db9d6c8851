package api

import (
	"context"
	"net/http"

	"hireloop/internal/hiring"
)

// AccessTo returns what the acting user may do with application a to
// opening o (see hiring.AccessToApplication).
func (h *Handler) AccessTo(ctx context.Context, a *hiring.Application, o *hiring.Opening) (hiring.ApplicationAccess, error) {
	u := hiring.ActorFromContext(ctx)
	if u == nil {
		return hiring.NoApplicationAccess, nil
	}
	if hiring.CanWorkOnApplications(u, o) {
		return hiring.TeamAccess, nil
	}
	interviewing := false
	if h.Facts != nil {
		var err error
		if interviewing, err = h.Facts.Interviewing(ctx, u.ID, a.ID); err != nil {
			return hiring.NoApplicationAccess, err
		}
	}
	return hiring.AccessToApplication(u, o, interviewing), nil
}

// ApplicationFor finds application id with its opening, if the acting
// user may see it; with change, only if they may change it.
func (h *Handler) ApplicationFor(ctx context.Context, id int64, change bool) (*hiring.Application, *hiring.Opening, hiring.ApplicationAccess, error) {
	a, err := h.Applications.FindApplicationByID(ctx, id)
	if err != nil {
		return nil, nil, 0, err
	}
	o, err := h.Openings.FindOpeningByID(ctx, a.OpeningID)
	if err != nil {
		return nil, nil, 0, err
	}
	acc, err := h.AccessTo(ctx, a, o)
	if err != nil {
		return nil, nil, 0, err
	}
	switch {
	case !acc.CanSee():
		return nil, nil, acc, hiring.ErrNoApplicationAccess()
	case change && !acc.CanChange():
		return nil, nil, acc, hiring.ErrNoApplicationChange()
	}
	return a, o, acc, nil
}

// applicationOf reads the {id} of the path and finds the application as
// ApplicationFor does.
func (h *Handler) applicationOf(r *http.Request, change bool) (*hiring.Application, *hiring.Opening, hiring.ApplicationAccess, error) {
	id, err := PathID(r)
	if err != nil {
		return nil, nil, 0, err
	}
	return h.ApplicationFor(r.Context(), id, change)
}

// teamOpeningFor finds opening id if the acting user may see and change
// all of its applications.
func (h *Handler) teamOpeningFor(ctx context.Context, id int64) (*hiring.Opening, error) {
	o, err := h.Openings.FindOpeningByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !hiring.CanWorkOnApplications(hiring.ActorFromContext(ctx), o) {
		return nil, hiring.Errorf(hiring.EFORBIDDEN, "Only recruiters, admins and the opening’s hiring team can see its applications.")
	}
	return o, nil
}

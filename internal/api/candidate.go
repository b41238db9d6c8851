package api

import (
	"context"
	"net/http"

	"hireloop/internal/hiring"
)

// SearchCandidates answers GET /api/v1/candidates?q=, a full-text search
// over names, emails and resume text; without q it lists every candidate,
// newest first. Recruiters and admins only.
func (h *Handler) SearchCandidates(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	s := hiring.CandidateSearch{Query: q.text("q")}
	s.Offset, s.Limit = q.page()
	if err := q.err(); err != nil {
		return err
	}
	cs, total, err := h.Candidates.SearchCandidates(r.Context(), s)
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []*hiring.Candidate{}
	}
	for _, c := range cs {
		fillCandidate(c)
	}
	return list(w, cs, total, s.Offset, s.Limit)
}

// GetCandidate answers GET /api/v1/candidates/{id}. A hiring manager may
// see a candidate who applied to an opening they lead.
func (h *Handler) GetCandidate(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	c, err := h.Candidates.FindCandidateByID(r.Context(), id)
	if err != nil {
		return err
	}
	if _, _, err := h.CandidateApplications(r.Context(), c.ID); err != nil {
		return err
	}
	fillCandidate(c)
	return ok(w, c)
}

// CandidateApplications returns the applications of a candidate that the
// acting user may see, newest first, with the openings they are for.
// Recruiters and admins see them all; the hiring team of an opening sees
// its applications, and an interviewer the ones they interview. A user who
// may see none of them is refused.
func (h *Handler) CandidateApplications(ctx context.Context, candidateID int64) ([]*hiring.Application, map[int64]*hiring.Opening, error) {
	u := hiring.ActorFromContext(ctx)
	var all []*hiring.Application
	for {
		page, total, err := h.Applications.FindApplications(ctx, hiring.ApplicationFilter{
			CandidateID: &candidateID, Offset: len(all), Limit: MaxLimit})
		if err != nil {
			return nil, nil, err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			break
		}
	}
	openings := map[int64]*hiring.Opening{}
	var out []*hiring.Application
	for _, a := range all {
		o, seen := openings[a.OpeningID]
		if !seen {
			var err error
			if o, err = h.Openings.FindOpeningByID(ctx, a.OpeningID); err != nil {
				return nil, nil, err
			}
			openings[a.OpeningID] = o
		}
		acc, err := h.AccessTo(ctx, a, o)
		if err != nil {
			return nil, nil, err
		}
		if acc.CanSee() {
			out = append(out, a)
		}
	}
	if len(out) == 0 && (u == nil || !u.Role.CanManageOpenings()) {
		return nil, nil, hiring.Errorf(hiring.EFORBIDDEN,
			"Only recruiters, admins, the hiring teams of the openings this candidate applied to and their interviewers can see them.")
	}
	return out, openings, nil
}

// applicationStatus reads an optional application status.
func (q *query) applicationStatus(name string) *hiring.ApplicationStatus {
	s := hiring.ApplicationStatus(q.values.Get(name))
	if s == "" {
		return nil
	}
	if !s.Valid() {
		q.v.Add(name, "Choose one of: active, rejected, withdrawn, hired.")
		return nil
	}
	return &s
}

// fillCandidate turns an absent list of links into an empty one.
func fillCandidate(c *hiring.Candidate) {
	if c != nil && c.Links == nil {
		c.Links = []string{}
	}
}

// fillApplication turns absent lists into empty ones.
func fillApplication(a *hiring.Application) {
	if a.Answers == nil {
		a.Answers = []hiring.Answer{}
	}
	fillCandidate(a.Candidate)
}

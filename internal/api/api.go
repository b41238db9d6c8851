// Package api is hireloop's JSON API under /api/v1: the job catalog for
// scripts and integrations, with an OpenAPI description of itself. Its
// handlers return errors; the web package registers them in its one route
// table and renders those errors with WriteError.
package api

import (
	"context"
	"net/http"
	"time"

	"hireloop/internal/hiring"
)

// Prefix is where the API lives; every API route starts with it.
const Prefix = "/api/v1"

// Handler serves the API. Authentication and permissions are decided by the
// route table before a handler runs; handlers find the acting user with
// hiring.ActorFromContext.
type Handler struct {
	Departments hiring.DepartmentService
	Families    hiring.FamilyService
	Roles       hiring.RoleService
	// Openings, Candidates and Applications serve the recruiter side; a
	// hiring manager sees only the openings they lead.
	Openings     hiring.OpeningService
	Candidates   hiring.CandidateService
	Applications hiring.ApplicationService
	// InterviewPlans, Pipeline, Outbox and Interviews serve the interview
	// loop: plans, moves, messages and interviews of applications.
	InterviewPlans hiring.InterviewPlanService
	Pipeline       hiring.PipelineService
	Outbox         hiring.OutboxService
	Interviews     hiring.InterviewService
	// Messages sends messages to candidates.
	Messages hiring.MessageService
	// Facts tells who interviews an application and when its candidate is
	// owed a reply; nil means nobody interviews and no reply is known.
	Facts ApplicationFacts
	// Now is the clock of reply filters; nil means time.Now.
	Now func() time.Time
}

// ApplicationFacts reads what the access rules and the application
// answers need beyond the application itself.
type ApplicationFacts interface {
	hiring.AccessFacts
	// HearBackBy returns when the candidate is owed a reply, nil when no
	// reply is owed.
	HearBackBy(ctx context.Context, applicationID int64) (*time.Time, error)
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// Func is the shape of every API handler: it writes a success itself and
// returns an error for the route adapter to render.
type Func func(w http.ResponseWriter, r *http.Request) error

// ok writes a single object.
func ok(w http.ResponseWriter, v any) error {
	writeJSON(w, http.StatusOK, Envelope{Data: v})
	return nil
}

// list writes one page of a listing.
func list(w http.ResponseWriter, v any, total, offset, limit int) error {
	writeJSON(w, http.StatusOK, Envelope{Data: v, Meta: &Meta{Total: total, Offset: offset, Limit: limit}})
	return nil
}

// Me answers with the signed-in user or the owner of the bearer token.
func (h *Handler) Me(w http.ResponseWriter, r *http.Request) error {
	u := hiring.ActorFromContext(r.Context())
	if u == nil {
		return hiring.Errorf(hiring.EUNAUTHORIZED, "Sign in or send Authorization: Bearer with an API token.")
	}
	return ok(w, u)
}

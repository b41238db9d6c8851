package api

import (
	"net/http"

	"hireloop/internal/hiring"
)

// ListPlanTemplates answers GET /api/v1/plan-templates: every interview
// plan template, by name.
func (h *Handler) ListPlanTemplates(w http.ResponseWriter, r *http.Request) error {
	ts, err := h.InterviewPlans.FindTemplates(r.Context())
	if err != nil {
		return err
	}
	if ts == nil {
		ts = []*hiring.InterviewPlan{}
	}
	for _, t := range ts {
		fillPlan(t)
	}
	return list(w, ts, len(ts), 0, len(ts))
}

// GetPlanTemplate answers GET /api/v1/plan-templates/{id}.
func (h *Handler) GetPlanTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	t, err := h.InterviewPlans.FindTemplateByID(r.Context(), id)
	if err != nil {
		return err
	}
	fillPlan(t)
	return ok(w, t)
}

// GetOpeningPlan answers GET /api/v1/openings/{id}/plan.
func (h *Handler) GetOpeningPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	o, err := h.teamOpeningFor(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := h.InterviewPlans.FindPlan(r.Context(), o.ID)
	if err != nil {
		return err
	}
	fillPlan(p)
	return ok(w, p)
}

// planBody is the body of PUT /api/v1/openings/{id}/plan: a template to
// copy, or the whole plan written out.
type planBody struct {
	TemplateID *int64              `json:"template_id"`
	Name       *string             `json:"name"`
	Stages     []hiring.StageInput `json:"stages"`
}

// PutOpeningPlan answers PUT /api/v1/openings/{id}/plan. With template_id
// the opening gets a copy of the template, refused while applications are
// past the first stage of its plan. With stages the plan becomes what they
// say: stages and steps with an id are kept (with their applications and
// progress), those without are added, and those left out are removed,
// which is refused for a stage holding active applications.
func (h *Handler) PutOpeningPlan(w http.ResponseWriter, r *http.Request) error {
	o, err := h.openingFor(r)
	if err != nil {
		return err
	}
	var b planBody
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	ctx := r.Context()
	var p *hiring.InterviewPlan
	switch {
	case b.TemplateID != nil && (b.Stages != nil || b.Name != nil):
		msg := "Send either a template to copy or the stages, not both."
		return &hiring.Error{Code: hiring.EINVALID, Message: "template_id: " + msg, Fields: map[string]string{"template_id": msg}}
	case b.TemplateID != nil:
		p, err = h.InterviewPlans.ApplyTemplate(ctx, o.ID, *b.TemplateID)
	case b.Stages != nil:
		upd := hiring.PlanUpdate{Name: b.Name, Stages: b.Stages}
		if err := upd.Validate(); err != nil {
			return err
		}
		_, ferr := h.InterviewPlans.FindPlan(ctx, o.ID)
		switch {
		case ferr == nil:
			p, err = h.InterviewPlans.UpdatePlan(ctx, o.ID, upd)
		case hiring.ErrorCode(ferr) == hiring.ENOTFOUND:
			name := o.Title
			if b.Name != nil {
				name = *b.Name
			}
			p, err = h.InterviewPlans.ReplacePlan(ctx, o.ID, name, upd.Stages)
		default:
			return ferr
		}
	default:
		msg := "Send template_id, or the stages of the plan."
		return &hiring.Error{Code: hiring.EINVALID, Message: "stages: " + msg, Fields: map[string]string{"stages": msg}}
	}
	if err != nil {
		return err
	}
	fillPlan(p)
	return ok(w, p)
}

// fillPlan turns absent lists into empty ones.
func fillPlan(p *hiring.InterviewPlan) {
	if p.Stages == nil {
		p.Stages = []*hiring.PlanStage{}
	}
	for _, g := range p.Stages {
		if g.Steps == nil {
			g.Steps = []*hiring.PlanStep{}
		}
		for _, st := range g.Steps {
			if st.InterviewerIDs == nil {
				st.InterviewerIDs = []int64{}
			}
		}
	}
}

package store

import (
	"context"

	"hireloop/internal/hiring"
)

// ReplacePlan gives an opening a new plan written out in full, in place of
// its old one, with the rule of ApplyTemplate: applications past the old
// plan's first stage block it.
func (s *InterviewPlanService) ReplacePlan(ctx context.Context, openingID int64, name string, stages []hiring.StageInput) (*hiring.InterviewPlan, error) {
	n := hiring.NewTemplate{Name: name, Stages: stages}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var out *hiring.InterviewPlan
	err := s.db.transact(ctx, func(t *tx) error {
		var err error
		out, err = replacePlan(ctx, t, openingID, n.Name, nil, n.Stages, "written out in full")
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

package hiringtest

import (
	"context"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/store"
)

// Keys of the interview plan templates hireloop ships.
const (
	InfrastructureTemplate = "infrastructure"
	BackendTemplate        = "backend"
)

// MustTemplate returns the shipped template with the key.
func MustTemplate(tb testing.TB, db *store.DB, key string) *hiring.InterviewPlan {
	tb.Helper()
	templates, err := store.NewInterviewPlanService(db).FindTemplates(context.Background())
	if err != nil {
		tb.Fatalf("find templates: %v", err)
	}
	for _, t := range templates {
		if t.TemplateKey == key {
			return t
		}
	}
	tb.Fatalf("no template with the key %q", key)
	return nil
}

// MustApplyTemplate gives the opening a copy of the shipped template with
// the key and returns the opening's plan.
func MustApplyTemplate(tb testing.TB, db *store.DB, openingID int64, key string) *hiring.InterviewPlan {
	tb.Helper()
	p, err := store.NewInterviewPlanService(db).ApplyTemplate(context.Background(), openingID, MustTemplate(tb, db, key).ID)
	if err != nil {
		tb.Fatalf("apply template %q to opening %d: %v", key, openingID, err)
	}
	return p
}

// MustApplication applies to the open opening o as email, with the sample
// application's other answers, and returns the application.
func MustApplication(tb testing.TB, db *store.DB, o *hiring.Opening, email string) *hiring.Application {
	tb.Helper()
	apps := store.NewApplicationService(db, MustNewBlobStore(tb), store.ApplyRules{})
	res, err := apps.Apply(context.Background(), SampleApplication(o, email))
	if err != nil {
		tb.Fatalf("apply as %s to opening %d: %v", email, o.ID, err)
	}
	return res.Application
}

// StageNamed returns the plan's stage with the name, or fails the test.
func StageNamed(tb testing.TB, p *hiring.InterviewPlan, name string) *hiring.PlanStage {
	tb.Helper()
	for _, s := range p.Stages {
		if s.Name == name {
			return s
		}
	}
	tb.Fatalf("plan %q has no stage %q", p.Name, name)
	return nil
}

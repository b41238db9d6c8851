package store_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// shape is what a person checks of a plan: each stage's name and its steps'
// kinds, minutes and whether they are optional.
type shape struct {
	Stage string
	Steps []shapeStep
}

type shapeStep struct {
	Kind     hiring.StepKind
	Minutes  int
	Optional bool
}

func shapeOf(p *hiring.InterviewPlan) []shape {
	var out []shape
	for _, g := range p.Stages {
		s := shape{Stage: g.Name}
		for _, st := range g.Steps {
			s.Steps = append(s.Steps, shapeStep{st.Kind, st.Minutes, st.Optional})
		}
		out = append(out, s)
	}
	return out
}

func one(kind hiring.StepKind, minutes int) []shapeStep { return []shapeStep{{kind, minutes, false}} }

func TestShippedTemplates(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		t.Run("InfrastructureLoop", func(t *testing.T) {
			p := hiringtest.MustTemplate(t, db, hiringtest.InfrastructureTemplate)
			want := []shape{
				{"Application review", one(hiring.StepApplicationReview, 0)},
				{"Screening call", one(hiring.StepScreen, 30)},
				{"Technical interview", one(hiring.StepTechnical, 90)},
				{"Hiring manager interview", one(hiring.StepHiringManager, 60)},
				{"Peer interview", one(hiring.StepPeer, 60)},
				{"Leadership interview", one(hiring.StepLeadership, 60)},
				{"Reference checks", one(hiring.StepReferences, 0)},
				{"Offer", one(hiring.StepOffer, 0)},
			}
			if diff := cmp.Diff(want, shapeOf(p)); diff != "" {
				t.Errorf("infrastructure loop (-want +got):\n%s", diff)
			}
			if p.Name != "Infrastructure loop" || !p.IsTemplate() {
				t.Errorf("name %q template %v", p.Name, p.IsTemplate())
			}
		})
		t.Run("BackendLoopWithStepsInAnyOrder", func(t *testing.T) {
			p := hiringtest.MustTemplate(t, db, hiringtest.BackendTemplate)
			want := []shape{
				{"Application review", one(hiring.StepApplicationReview, 0)},
				{"Screening call", one(hiring.StepScreen, 30)},
				{"Management panel", one(hiring.StepPanel, 60)},
				{"Team interviews and references", []shapeStep{
					{hiring.StepHiringManager, 60, false}, {hiring.StepTechnical, 60, false}, {hiring.StepReferences, 0, false}}},
				{"VP of Engineering", one(hiring.StepLeadership, 60)},
				{"CEO", []shapeStep{{hiring.StepExecutive, 60, true}}},
				{"Offer", one(hiring.StepOffer, 0)},
			}
			if diff := cmp.Diff(want, shapeOf(p)); diff != "" {
				t.Errorf("backend loop (-want +got):\n%s", diff)
			}
		})
		t.Run("EveryStepTellsInterviewersAndCandidates", func(t *testing.T) {
			templates, err := store.NewInterviewPlanService(db).FindTemplates(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(templates) != 2 {
				t.Fatalf("%d templates, want the two shipped", len(templates))
			}
			for _, p := range templates {
				for _, g := range p.Stages {
					for _, st := range g.Steps {
						if strings.TrimSpace(st.Instructions) == "" || strings.TrimSpace(st.CandidateNotes) == "" {
							t.Errorf("%s / %s / %s lacks instructions or candidate notes", p.Name, g.Name, st.Name)
						}
					}
				}
			}
		})
	})
}

// stages is a small template of two stages.
func stages(names ...string) []hiring.StageInput {
	var out []hiring.StageInput
	for _, n := range names {
		out = append(out, hiring.StageInput{Name: n, Steps: []hiring.StepInput{{Kind: hiring.StepCustom, Name: n + " step", Minutes: 30}}})
	}
	return out
}

func TestTemplates(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		plans := store.NewInterviewPlanService(db)
		interviewer, _ := hiringtest.MustCreateUser(t, db, hiring.RoleInterviewer)

		t.Run("CreateEditAndDeleteAnUnusedTemplate", func(t *testing.T) {
			in := stages("Chat", "Pairing")
			in[1].Steps[0].InterviewerIDs = []int64{interviewer.ID}
			in[1].Steps[0].Instructions = "Pair on a small change."
			p, err := plans.CreateTemplate(t.Context(), hiring.NewTemplate{Name: " Design loop ", Stages: in})
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != "Design loop" || len(p.Stages) != 2 || p.Stages[1].Steps[0].InterviewerIDs[0] != interviewer.ID {
				t.Fatalf("created %+v", p)
			}
			// Swap the stages, keep the pairing step, add an offer.
			edit := p.Inputs()
			edit[0], edit[1] = edit[1], edit[0]
			edit[0].Steps = append(edit[0].Steps, hiring.StepInput{Kind: hiring.StepOffer})
			edit = edit[:1]
			name := "Design loop v2"
			p2, err := plans.UpdateTemplate(t.Context(), p.ID, hiring.PlanUpdate{Name: &name, Stages: edit})
			if err != nil {
				t.Fatal(err)
			}
			want := []shape{{"Pairing", []shapeStep{{hiring.StepCustom, 30, false}, {hiring.StepOffer, 0, false}}}}
			if diff := cmp.Diff(want, shapeOf(p2)); diff != "" {
				t.Errorf("edited (-want +got):\n%s", diff)
			}
			if p2.Name != name || p2.Stages[0].ID != p.Stages[1].ID || p2.Stages[0].Steps[0].ID != p.Stages[1].Steps[0].ID {
				t.Errorf("ids not kept through the edit: %+v", p2.Stages[0])
			}
			if err := plans.DeleteTemplate(t.Context(), p.ID); err != nil {
				t.Fatal(err)
			}
			_, err = plans.FindTemplateByID(t.Context(), p.ID)
			wantCode(t, err, hiring.ENOTFOUND)
		})
		t.Run("RefusesToDeleteATemplateInUse", func(t *testing.T) {
			p, err := plans.CreateTemplate(t.Context(), hiring.NewTemplate{Name: "Used", Stages: stages("Only")})
			if err != nil {
				t.Fatal(err)
			}
			o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{})
			if _, err := plans.ApplyTemplate(t.Context(), o.ID, p.ID); err != nil {
				t.Fatal(err)
			}
			err = plans.DeleteTemplate(t.Context(), p.ID)
			wantCode(t, err, hiring.ECONFLICT)
			if !strings.Contains(hiring.ErrorMessage(err), "1 opening uses this template") {
				t.Errorf("message = %q", hiring.ErrorMessage(err))
			}
		})
		t.Run("RefusesBadInput", func(t *testing.T) {
			_, err := plans.CreateTemplate(t.Context(), hiring.NewTemplate{Name: "", Stages: stages("A")})
			wantField(t, err, "name")
			in := stages("A")
			in[0].Steps[0].InterviewerIDs = []int64{987654}
			_, err = plans.CreateTemplate(t.Context(), hiring.NewTemplate{Name: "X", Stages: in})
			wantField(t, err, "stages[0].steps[0].interviewer_ids")
			tpl := hiringtest.MustTemplate(t, db, hiringtest.BackendTemplate)
			other := hiringtest.MustTemplate(t, db, hiringtest.InfrastructureTemplate)
			foreign := tpl.Inputs()
			foreign[0].ID = other.Stages[0].ID
			_, err = plans.UpdateTemplate(t.Context(), tpl.ID, hiring.PlanUpdate{Stages: foreign})
			wantField(t, err, "stages[0].id")
			foreign = tpl.Inputs()
			foreign[0].Steps[0].ID = other.Stages[0].Steps[0].ID
			_, err = plans.UpdateTemplate(t.Context(), tpl.ID, hiring.PlanUpdate{Stages: foreign})
			wantField(t, err, "stages[0].steps[0].id")
			_, err = plans.UpdateTemplate(t.Context(), 987654, hiring.PlanUpdate{Stages: stages("A")})
			wantCode(t, err, hiring.ENOTFOUND)
			wantCode(t, plans.DeleteTemplate(t.Context(), 987654), hiring.ENOTFOUND)
			// The backend template is unchanged by the refused edits.
			if diff := cmp.Diff(shapeOf(tpl), shapeOf(hiringtest.MustTemplate(t, db, hiringtest.BackendTemplate))); diff != "" {
				t.Errorf("a refused edit changed the template:\n%s", diff)
			}
		})
	})
}

func TestOpeningPlans(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		plans := store.NewInterviewPlanService(db)
		pipeline := store.NewPipelineService(db, store.PipelineOptions{})

		t.Run("CopiesATemplate", func(t *testing.T) {
			o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{})
			_, err := plans.FindPlan(t.Context(), o.ID)
			wantCode(t, err, hiring.ENOTFOUND)
			tpl := hiringtest.MustTemplate(t, db, hiringtest.BackendTemplate)
			p := hiringtest.MustApplyTemplate(t, db, o.ID, hiringtest.BackendTemplate)
			if diff := cmp.Diff(shapeOf(tpl), shapeOf(p)); diff != "" {
				t.Errorf("copy differs from the template (-template +copy):\n%s", diff)
			}
			if p.TemplateID == nil || *p.TemplateID != tpl.ID || p.OpeningID == nil || *p.OpeningID != o.ID || p.Stages[0].ID == tpl.Stages[0].ID {
				t.Errorf("copy is not a new plan of the opening: %+v", p)
			}
			// Editing the copy leaves the template alone.
			edit := p.Inputs()[:2]
			if _, err := plans.UpdatePlan(t.Context(), o.ID, hiring.PlanUpdate{Stages: edit}); err != nil {
				t.Fatal(err)
			}
			if got := hiringtest.MustTemplate(t, db, hiringtest.BackendTemplate); len(got.Stages) != len(tpl.Stages) {
				t.Errorf("editing an opening's plan changed the template to %d stages", len(got.Stages))
			}
			got, err := plans.FindPlan(t.Context(), o.ID)
			if err != nil || len(got.Stages) != 2 {
				t.Fatalf("plan after edit: %v %v", got, err)
			}
		})
		t.Run("MadeFromTheRolePage", func(t *testing.T) {
			o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{})
			p, err := plans.ApplyRolePlan(t.Context(), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := []shape{
				{"Screening call (a recruiter)", one(hiring.StepScreen, 30)},
				{"Technical interview", one(hiring.StepTechnical, 90)},
			}
			if diff := cmp.Diff(want, shapeOf(p)); diff != "" {
				t.Errorf("plan from the sample role (-want +got):\n%s", diff)
			}
			if p.TemplateID != nil {
				t.Errorf("a plan from the role names template %d", *p.TemplateID)
			}
		})
		t.Run("RoleWithoutProcessIsRefused", func(t *testing.T) {
			hiringtest.MustSampleRole(t, db)
			roles, _, err := store.NewRoleService(db).FindRoles(t.Context(), hiring.RoleFilter{Query: "Senior Data Platform"})
			if err != nil || len(roles) != 1 {
				t.Fatalf("roles %v %v", roles, err)
			}
			o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{RoleID: roles[0].ID})
			_, err = plans.ApplyRolePlan(t.Context(), o.ID)
			wantCode(t, err, hiring.ECONFLICT)
		})
		t.Run("RemovingAnOccupiedStageIsRefused", func(t *testing.T) {
			o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
			p := hiringtest.MustApplyTemplate(t, db, o.ID, hiringtest.InfrastructureTemplate)
			screen := hiringtest.StageNamed(t, p, "Screening call")
			for _, email := range []string{"occ1@example.org", "occ2@example.org"} {
				a := hiringtest.MustApplication(t, db, o, email)
				if _, err := pipeline.MoveTo(t.Context(), a.ID, screen.ID, 1, ""); err != nil {
					t.Fatal(err)
				}
			}
			var without []hiring.StageInput
			for _, s := range p.Inputs() {
				if s.ID != screen.ID {
					without = append(without, s)
				}
			}
			_, err := plans.UpdatePlan(t.Context(), o.ID, hiring.PlanUpdate{Stages: without})
			wantCode(t, err, hiring.ECONFLICT)
			if msg := hiring.ErrorMessage(err); !strings.Contains(msg, `"Screening call" still holds 2 active applications`) ||
				!strings.Contains(msg, "move them to another stage") {
				t.Errorf("message = %q", msg)
			}
			if got, _ := plans.FindPlan(t.Context(), o.ID); len(got.Stages) != len(p.Stages) {
				t.Errorf("the refused edit removed a stage")
			}
			// Replacing the plan would lose their place too.
			_, err = plans.ApplyTemplate(t.Context(), o.ID, hiringtest.MustTemplate(t, db, hiringtest.BackendTemplate).ID)
			wantCode(t, err, hiring.ECONFLICT)
		})
		t.Run("RenamingAStageRenamesItOnApplications", func(t *testing.T) {
			o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
			p := hiringtest.MustApplyTemplate(t, db, o.ID, hiringtest.InfrastructureTemplate)
			a := hiringtest.MustApplication(t, db, o, "rename@example.org")
			if _, err := pipeline.MoveTo(t.Context(), a.ID, p.Stages[2].ID, 1, ""); err != nil {
				t.Fatal(err)
			}
			edit := p.Inputs()
			edit[2].Name = "Technical deep dive"
			if _, err := plans.UpdatePlan(t.Context(), o.ID, hiring.PlanUpdate{Stages: edit}); err != nil {
				t.Fatal(err)
			}
			got, err := store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{}).FindApplicationByID(t.Context(), a.ID)
			if err != nil || got.Stage != "Technical deep dive" {
				t.Errorf("stage = %q (%v), want the new name", got.Stage, err)
			}
		})
		t.Run("ReorderingKeepsNewApplicationsInTheirStage", func(t *testing.T) {
			o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
			p := hiringtest.MustApplyTemplate(t, db, o.ID, hiringtest.InfrastructureTemplate)
			a := hiringtest.MustApplication(t, db, o, "reorder@example.org")
			edit := p.Inputs()
			edit[0], edit[1] = edit[1], edit[0]
			if _, err := plans.UpdatePlan(t.Context(), o.ID, hiring.PlanUpdate{Stages: edit}); err != nil {
				t.Fatal(err)
			}
			pr, err := pipeline.Progress(t.Context(), a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if pr.Stage.Name != "Application review" {
				t.Errorf("after reordering the new application is in %q, want Application review", pr.Stage.Name)
			}
		})
		t.Run("UnknownOpeningOrTemplate", func(t *testing.T) {
			_, err := plans.ApplyTemplate(t.Context(), 987654, hiringtest.MustTemplate(t, db, hiringtest.BackendTemplate).ID)
			wantCode(t, err, hiring.ENOTFOUND)
			o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{})
			_, err = plans.ApplyTemplate(t.Context(), o.ID, 987654)
			wantField(t, err, "template_id")
			_, err = plans.UpdatePlan(t.Context(), o.ID, hiring.PlanUpdate{Stages: stages("A")})
			wantCode(t, err, hiring.ENOTFOUND)
		})
	})
}

package hiring_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
)

// stepSummary is what a person checks of a step made from a page.
type stepSummary struct {
	Kind     hiring.StepKind
	Minutes  int
	Optional bool
}

func summarize(p *hiring.InterviewPlan) [][]stepSummary {
	var out [][]stepSummary
	for _, g := range p.Stages {
		var stage []stepSummary
		for _, s := range g.Steps {
			stage = append(stage, stepSummary{s.Kind, s.Minutes, s.Optional})
		}
		out = append(out, stage)
	}
	return out
}

func TestPlanFromRole(t *testing.T) {
	t.Run("GuessesKindsDurationsAndOptionalSteps", func(t *testing.T) {
		role := &hiring.Role{Title: "Platform Developer", HiringProcess: []hiring.HiringStep{
			{Name: "Candidates can expect the process below; anyone may be declined at any point."},
			{Name: "We send short questions about the answers in your application"},
			{Name: "A 30 minute screening call with one of our recruiters", Minutes: 30, Who: "recruiters"},
			{Name: "A panel interview with several engineering managers"},
			{Name: "Next we book the following three steps at once, so they happen in any order: " +
				"a behavioral interview with the hiring manager; a 45 minute technical interview with a team lead; and reference checks"},
			{Name: "An interview with our VP of Engineering"},
			{Name: "Finally, the CEO may want to meet you"},
			{Name: "Successful candidates are made an offer by email"},
			{Name: "Please keep in mind that interviews happen over video."},
		}}
		p := hiring.PlanFromRole(role)
		if p == nil {
			t.Fatal("PlanFromRole = nil, want a plan")
		}
		want := [][]stepSummary{
			{{hiring.StepApplicationReview, 0, false}},
			{{hiring.StepScreen, 30, false}},
			{{hiring.StepPanel, 0, false}},
			{{hiring.StepHiringManager, 0, false}, {hiring.StepTechnical, 45, false}, {hiring.StepReferences, 0, false}},
			{{hiring.StepLeadership, 0, false}},
			{{hiring.StepExecutive, 0, true}},
			{{hiring.StepOffer, 0, false}},
		}
		if diff := cmp.Diff(want, summarize(p)); diff != "" {
			t.Errorf("plan from role (-want +got):\n%s", diff)
		}
		if got := p.Stages[1].Steps[0].Name; got != "Screening call (recruiters)" {
			t.Errorf("screen step name = %q", got)
		}
		if got := p.Stages[3].Name; got != "Hiring manager interview, Technical interview, Reference checks" {
			t.Errorf("any-order stage name = %q", got)
		}
		if !strings.Contains(p.Stages[2].Steps[0].CandidateNotes, "several engineering managers") {
			t.Errorf("candidate notes = %q, want the page's words", p.Stages[2].Steps[0].CandidateNotes)
		}
		if !p.Stages[5].Optional() || p.Stages[4].Optional() {
			t.Error("only the CEO stage should be optional")
		}
	})
	t.Run("KeepsUnknownStepsAsCustom", func(t *testing.T) {
		p := hiring.PlanFromRole(&hiring.Role{HiringProcess: []hiring.HiringStep{{Name: "a walk through our garden"}}})
		if p == nil || p.Stages[0].Steps[0].Kind != hiring.StepCustom || p.Stages[0].Name != "A walk through our garden" {
			t.Fatalf("plan = %+v", p)
		}
	})
	t.Run("NilWithoutSteps", func(t *testing.T) {
		if p := hiring.PlanFromRole(&hiring.Role{}); p != nil {
			t.Errorf("PlanFromRole of a role without steps = %+v, want nil", p)
		}
		if p := hiring.PlanFromRole(nil); p != nil {
			t.Error("PlanFromRole(nil) != nil")
		}
	})
	t.Run("EveryStepIsValidInput", func(t *testing.T) {
		long := strings.Repeat("an extremely long custom step description ", 20)
		p := hiring.PlanFromRole(&hiring.Role{Title: strings.Repeat("T", 300), HiringProcess: []hiring.HiringStep{{Name: long, Minutes: 99999}}})
		u := hiring.PlanUpdate{Name: &p.Name, Stages: p.CopyInputs()}
		if err := u.Validate(); err != nil {
			t.Errorf("a plan made from a page does not validate: %v (fields %v)", err, hiring.ErrorFields(err))
		}
	})
}

func TestGuessStepKind(t *testing.T) {
	for text, want := range map[string]hiring.StepKind{
		"complete a short technical questionnaire":     hiring.StepAssessment,
		"90 minute technical interview with engineers": hiring.StepTechnical,
		"60 minute interview with a Director":          hiring.StepLeadership,
		"interview with one of our managers":           hiring.StepHiringManager,
		"meet a peer from the team":                    hiring.StepPeer,
		"made an offer":                                hiring.StepOffer,
		"check two references":                         hiring.StepReferences,
		"talk to the Chief Executive Officer":          hiring.StepExecutive,
		"lunch":                                        hiring.StepCustom,
	} {
		if got := hiring.GuessStepKind(text); got != want {
			t.Errorf("GuessStepKind(%q) = %s, want %s", text, got, want)
		}
	}
}

func TestPlanUpdateValidate(t *testing.T) {
	name := "  Loop  "
	t.Run("NormalisesAndNamesStepsAfterTheirKind", func(t *testing.T) {
		u := hiring.PlanUpdate{Name: &name, Stages: []hiring.StageInput{{Name: " Screen ", Steps: []hiring.StepInput{
			{Kind: hiring.StepScreen, Minutes: 30, InterviewerIDs: []int64{4, 4, 7}}}}}}
		if err := u.Validate(); err != nil {
			t.Fatal(err)
		}
		got := u.Stages[0]
		if *u.Name != "Loop" || got.Name != "Screen" || got.Steps[0].Name != "Screening call" {
			t.Errorf("not normalised: %q %+v", *u.Name, got)
		}
		if diff := cmp.Diff([]int64{4, 7}, got.Steps[0].InterviewerIDs); diff != "" {
			t.Errorf("interviewers (-want +got):\n%s", diff)
		}
	})
	for _, tc := range []struct {
		name   string
		stages []hiring.StageInput
		field  string
	}{
		{"NoStages", []hiring.StageInput{}, "stages"},
		{"StageWithoutName", []hiring.StageInput{{Steps: []hiring.StepInput{{Kind: hiring.StepOffer}}}}, "stages[0].name"},
		{"StageWithoutSteps", []hiring.StageInput{{Name: "Empty"}}, "stages[0].steps"},
		{"UnknownKind", []hiring.StageInput{{Name: "A", Steps: []hiring.StepInput{{Kind: "chat"}}}}, "stages[0].steps[0].kind"},
		{"NegativeMinutes", []hiring.StageInput{{Name: "A", Steps: []hiring.StepInput{{Kind: hiring.StepPeer, Minutes: -5}}}}, "stages[0].steps[0].minutes"},
		{"TooLong", []hiring.StageInput{{Name: "A", Steps: []hiring.StepInput{{Kind: hiring.StepPeer, Minutes: 2000}}}}, "stages[0].steps[0].minutes"},
		{"BadInterviewer", []hiring.StageInput{{Name: "A", Steps: []hiring.StepInput{{Kind: hiring.StepPeer, InterviewerIDs: []int64{0}}}}}, "stages[0].steps[0].interviewer_ids"},
		{"RepeatedStageID", []hiring.StageInput{
			{ID: 3, Name: "A", Steps: []hiring.StepInput{{Kind: hiring.StepPeer}}},
			{ID: 3, Name: "B", Steps: []hiring.StepInput{{Kind: hiring.StepPeer}}}}, "stages[1].id"},
		{"RepeatedStepID", []hiring.StageInput{
			{Name: "A", Steps: []hiring.StepInput{{ID: 9, Kind: hiring.StepPeer}}},
			{Name: "B", Steps: []hiring.StepInput{{ID: 9, Kind: hiring.StepPeer}}}}, "stages[1].steps[0].id"},
		{"NotText", []hiring.StageInput{{Name: "A\xff", Steps: []hiring.StepInput{{Kind: hiring.StepPeer}}}}, "stages[0].name"},
	} {
		t.Run("Refuses"+tc.name, func(t *testing.T) {
			u := hiring.PlanUpdate{Stages: tc.stages}
			err := u.Validate()
			if hiring.ErrorCode(err) != hiring.EINVALID {
				t.Fatalf("Validate = %v, want invalid", err)
			}
			if _, ok := hiring.ErrorFields(err)[tc.field]; !ok {
				t.Errorf("fields = %v, want %q", hiring.ErrorFields(err), tc.field)
			}
		})
	}
	t.Run("NewTemplateHasNoIDs", func(t *testing.T) {
		n := hiring.NewTemplate{Name: "T", Stages: []hiring.StageInput{{ID: 1, Name: "A", Steps: []hiring.StepInput{{Kind: hiring.StepPeer}}}}}
		if _, ok := hiring.ErrorFields(n.Validate())["stages[0].id"]; !ok {
			t.Errorf("a new template with a stage id validated: %v", n.Validate())
		}
		empty := hiring.NewTemplate{Name: "T"}
		if _, ok := hiring.ErrorFields(empty.Validate())["stages"]; !ok {
			t.Errorf("a template without stages validated")
		}
	})
}

func TestPlanNext(t *testing.T) {
	step := func(optional bool) []*hiring.PlanStep {
		return []*hiring.PlanStep{{Kind: hiring.StepPeer, Optional: optional}}
	}
	p := &hiring.InterviewPlan{Stages: []*hiring.PlanStage{
		{ID: 1, Name: "VP", Steps: step(false)},
		{ID: 2, Name: "CEO", Steps: step(true)},
		{ID: 3, Name: "Board", Steps: step(true)},
		{ID: 4, Name: "Offer", Steps: step(false)},
		{ID: 5, Name: "Optional end", Steps: step(true)},
	}}
	for _, tc := range []struct {
		from int64
		skip bool
		want int64
	}{{1, false, 2}, {1, true, 4}, {2, true, 4}, {4, true, 5}, {5, false, 0}, {99, false, 0}} {
		got := p.Next(tc.from, tc.skip)
		var id int64
		if got != nil {
			id = got.ID
		}
		if id != tc.want {
			t.Errorf("Next(%d, skip %v) = %d, want %d", tc.from, tc.skip, id, tc.want)
		}
	}
}

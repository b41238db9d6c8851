package hiring

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Interview plans.
//
// Every opening runs its candidates through an ordered list of stages. A
// stage holds one or more steps, and the steps of one stage may happen in
// any order: the candidate leaves the stage once every step that is not
// optional is finished. A stage whose steps are all optional (an interview
// with the CEO that happens only sometimes) may be passed over.
//
// An opening's plan is a copy: of a template that admins keep, or of the
// hiring process its role's handbook page lists. Editing a template never
// changes the openings that copied it, and editing an opening's plan never
// changes the template.

// StepKind says what happens in a step; scheduling, scorecards and the
// candidate's Guide treat kinds differently.
type StepKind string

// Step kinds.
const (
	StepApplicationReview StepKind = "application_review"
	StepScreen            StepKind = "screen"
	StepAssessment        StepKind = "assessment"
	StepTechnical         StepKind = "technical"
	StepHiringManager     StepKind = "hiring_manager"
	StepPeer              StepKind = "peer"
	StepPanel             StepKind = "panel"
	StepLeadership        StepKind = "leadership"
	StepExecutive         StepKind = "executive"
	StepReferences        StepKind = "references"
	StepOffer             StepKind = "offer"
	StepCustom            StepKind = "custom"
)

// StepKinds lists every kind in the order forms show them.
var StepKinds = []StepKind{StepApplicationReview, StepScreen, StepAssessment, StepTechnical,
	StepHiringManager, StepPeer, StepPanel, StepLeadership, StepExecutive, StepReferences, StepOffer, StepCustom}

// Valid reports whether k is a known kind.
func (k StepKind) Valid() bool {
	for _, s := range StepKinds {
		if k == s {
			return true
		}
	}
	return false
}

// Label is the kind as people read it, and the name a step of the kind
// gets when none is given.
func (k StepKind) Label() string {
	switch k {
	case StepApplicationReview:
		return "Application review"
	case StepScreen:
		return "Screening call"
	case StepAssessment:
		return "Assessment"
	case StepTechnical:
		return "Technical interview"
	case StepHiringManager:
		return "Hiring manager interview"
	case StepPeer:
		return "Peer interview"
	case StepPanel:
		return "Panel interview"
	case StepLeadership:
		return "Leadership interview"
	case StepExecutive:
		return "Executive interview"
	case StepReferences:
		return "Reference checks"
	case StepOffer:
		return "Offer"
	case StepCustom:
		return "Other step"
	}
	return string(k)
}

// IsInterview reports whether a step of the kind is a conversation that is
// scheduled with interviewers, as opposed to work done without the
// candidate in the room (a review, reference checks, the offer).
func (k StepKind) IsInterview() bool {
	switch k {
	case StepScreen, StepTechnical, StepHiringManager, StepPeer, StepPanel, StepLeadership, StepExecutive, StepCustom:
		return true
	}
	return false
}

// PlanStep is one step of a stage.
type PlanStep struct {
	ID       int64    `json:"id"`
	StageID  int64    `json:"stage_id"`
	Position int      `json:"position"`
	Kind     StepKind `json:"kind"`
	Name     string   `json:"name"`
	// Minutes is how long the step takes; 0 for steps that are not a
	// conversation, or when the plan does not say.
	Minutes int `json:"minutes"`
	// InterviewerIDs are the users who run the step unless the scheduler
	// picks others.
	InterviewerIDs []int64 `json:"interviewer_ids"`
	// Instructions are for the interviewers and never shown to candidates.
	Instructions string `json:"instructions"`
	// CandidateNotes tell the candidate how to prepare; the Guide shows them.
	CandidateNotes string `json:"candidate_notes"`
	// Optional steps need not happen before the candidate moves on.
	Optional bool `json:"optional"`
}

// PlanStage is a stage of a plan: steps that may happen in any order.
type PlanStage struct {
	ID       int64       `json:"id"`
	PlanID   int64       `json:"plan_id"`
	Position int         `json:"position"`
	Name     string      `json:"name"`
	Steps    []*PlanStep `json:"steps"`
}

// Optional reports whether every step of the stage is optional, so that a
// candidate may pass the stage over.
func (s *PlanStage) Optional() bool {
	for _, st := range s.Steps {
		if !st.Optional {
			return false
		}
	}
	return len(s.Steps) > 0
}

// Step returns the stage's step with the id, or nil.
func (s *PlanStage) Step(id int64) *PlanStep {
	for _, st := range s.Steps {
		if st.ID == id {
			return st
		}
	}
	return nil
}

// InterviewPlan is an opening's ordered stages, or a template of them.
type InterviewPlan struct {
	ID int64 `json:"id"`
	// OpeningID is nil for a template.
	OpeningID *int64 `json:"opening_id"`
	Name      string `json:"name"`
	// TemplateKey names a template hireloop ships ("infrastructure",
	// "backend"), so that it is added once; it is empty otherwise.
	TemplateKey string `json:"template_key"`
	// TemplateID is the template an opening's plan was copied from.
	TemplateID *int64       `json:"template_id"`
	Stages     []*PlanStage `json:"stages"`
	CreatedAt  time.Time    `json:"created_at"`
	UpdatedAt  time.Time    `json:"updated_at"`
}

// IsTemplate reports whether p is a template rather than an opening's plan.
func (p *InterviewPlan) IsTemplate() bool { return p.OpeningID == nil }

// Stage returns the stage with the id, or nil.
func (p *InterviewPlan) Stage(id int64) *PlanStage {
	for _, s := range p.Stages {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// StageOf returns the stage holding the step with the id, or nil.
func (p *InterviewPlan) StageOf(stepID int64) *PlanStage {
	for _, s := range p.Stages {
		if s.Step(stepID) != nil {
			return s
		}
	}
	return nil
}

// First returns the stage new applications start in, or nil for a plan
// without stages.
func (p *InterviewPlan) First() *PlanStage {
	if len(p.Stages) == 0 {
		return nil
	}
	return p.Stages[0]
}

// Next returns the stage after the one with the id, or nil when it is the
// last. With skipOptional, stages whose steps are all optional are passed
// over, unless nothing else follows them.
func (p *InterviewPlan) Next(stageID int64, skipOptional bool) *PlanStage {
	for i, s := range p.Stages {
		if s.ID != stageID {
			continue
		}
		for j := i + 1; j < len(p.Stages); j++ {
			if !skipOptional || !p.Stages[j].Optional() || j == len(p.Stages)-1 {
				return p.Stages[j]
			}
		}
		return nil
	}
	return nil
}

// Limits on plans.
const (
	MaxStages           = 30
	MaxStepsPerStage    = 20
	MaxStepInterviewers = 20
)

// StepInput is a step as an admin writes it. ID is 0 for a new step and the
// step's id to keep an existing one (with its progress and interviews).
type StepInput struct {
	ID             int64    `json:"id"`
	Kind           StepKind `json:"kind"`
	Name           string   `json:"name"`
	Minutes        int      `json:"minutes"`
	InterviewerIDs []int64  `json:"interviewer_ids"`
	Instructions   string   `json:"instructions"`
	CandidateNotes string   `json:"candidate_notes"`
	Optional       bool     `json:"optional"`
}

// StageInput is a stage as an admin writes it; ID as for StepInput.
type StageInput struct {
	ID    int64       `json:"id"`
	Name  string      `json:"name"`
	Steps []StepInput `json:"steps"`
}

// PlanUpdate is a change to a plan or a template. Stages, when not nil, is
// the whole plan as it should be: stages and steps are kept (by ID), added
// (ID 0) or removed (left out), in the order given, and steps may move from
// one stage to another.
type PlanUpdate struct {
	// Name renames a template or a plan; nil keeps the name.
	Name   *string      `json:"name"`
	Stages []StageInput `json:"stages"`
}

// Validate checks an update and normalises it: names trimmed, a step
// without a name named after its kind, interviewers without repeats.
func (u *PlanUpdate) Validate() error {
	v := Validation{}
	if u.Name != nil {
		*u.Name = strings.TrimSpace(*u.Name)
		checkString(v, "name", *u.Name, true, MaxTitleLen)
	}
	if u.Stages != nil {
		validateStages(v, u.Stages)
	}
	return v.Err()
}

func validateStages(v Validation, stages []StageInput) {
	if len(stages) == 0 {
		v.Add("stages", "A plan needs at least one stage.")
		return
	}
	if len(stages) > MaxStages {
		v.Add("stages", fmt.Sprintf("At most %d stages.", MaxStages))
		return
	}
	stageIDs, stepIDs := map[int64]bool{}, map[int64]bool{}
	for i := range stages {
		s := &stages[i]
		field := fmt.Sprintf("stages[%d]", i)
		s.Name = strings.TrimSpace(s.Name)
		checkString(v, field+".name", s.Name, true, MaxTitleLen)
		if s.ID < 0 || (s.ID > 0 && stageIDs[s.ID]) {
			v.Add(field+".id", "This stage id is not valid.")
		}
		stageIDs[s.ID] = s.ID > 0
		if len(s.Steps) == 0 {
			v.Add(field+".steps", "A stage needs at least one step.")
		}
		if len(s.Steps) > MaxStepsPerStage {
			v.Add(field+".steps", fmt.Sprintf("At most %d steps in a stage.", MaxStepsPerStage))
			continue
		}
		for j := range s.Steps {
			validateStep(v, fmt.Sprintf("%s.steps[%d]", field, j), &s.Steps[j], stepIDs)
		}
	}
}

func validateStep(v Validation, field string, st *StepInput, ids map[int64]bool) {
	st.Name = strings.TrimSpace(st.Name)
	if !st.Kind.Valid() {
		v.Add(field+".kind", "Choose a kind of step from the list.")
	} else if st.Name == "" {
		st.Name = st.Kind.Label()
	}
	checkString(v, field+".name", st.Name, true, MaxTitleLen)
	if st.ID < 0 || (st.ID > 0 && ids[st.ID]) {
		v.Add(field+".id", "This step id is not valid.")
	}
	ids[st.ID] = st.ID > 0
	if st.Minutes < 0 || st.Minutes > MaxMinutes {
		v.Add(field+".minutes", fmt.Sprintf("A step lasts from 0 to %d minutes.", MaxMinutes))
	}
	if len(st.InterviewerIDs) > MaxStepInterviewers {
		v.Add(field+".interviewer_ids", fmt.Sprintf("At most %d interviewers.", MaxStepInterviewers))
	}
	seen := map[int64]bool{}
	var ids2 []int64
	for _, id := range st.InterviewerIDs {
		if id <= 0 {
			v.Add(field+".interviewer_ids", "This is not a valid user id.")
			continue
		}
		if !seen[id] {
			ids2 = append(ids2, id)
		}
		seen[id] = true
	}
	st.InterviewerIDs = ids2
	checkString(v, field+".instructions", st.Instructions, false, MaxTextLen)
	checkString(v, field+".candidate_notes", st.CandidateNotes, false, MaxTextLen)
}

// NewTemplate is a template as an admin first writes it.
type NewTemplate struct {
	Name   string       `json:"name"`
	Stages []StageInput `json:"stages"`
}

// Validate checks a new template; ids in it must be 0.
func (n *NewTemplate) Validate() error {
	u := PlanUpdate{Name: &n.Name, Stages: n.Stages}
	if u.Stages == nil {
		u.Stages = []StageInput{}
	}
	if err := u.Validate(); err != nil {
		return err
	}
	v := Validation{}
	for i, s := range n.Stages {
		v.Check(s.ID == 0, fmt.Sprintf("stages[%d].id", i), "A new template has no stage ids yet.")
		for j, st := range s.Steps {
			v.Check(st.ID == 0, fmt.Sprintf("stages[%d].steps[%d].id", i, j), "A new template has no step ids yet.")
		}
	}
	return v.Err()
}

// Inputs returns the plan's stages as inputs that keep every id, the
// starting point of an edit.
func (p *InterviewPlan) Inputs() []StageInput {
	out := make([]StageInput, 0, len(p.Stages))
	for _, s := range p.Stages {
		in := StageInput{ID: s.ID, Name: s.Name}
		for _, st := range s.Steps {
			in.Steps = append(in.Steps, StepInput{ID: st.ID, Kind: st.Kind, Name: st.Name, Minutes: st.Minutes,
				InterviewerIDs: append([]int64(nil), st.InterviewerIDs...), Instructions: st.Instructions,
				CandidateNotes: st.CandidateNotes, Optional: st.Optional})
		}
		out = append(out, in)
	}
	return out
}

// CopyInputs is Inputs without ids, to make a new plan from p.
func (p *InterviewPlan) CopyInputs() []StageInput {
	in := p.Inputs()
	for i := range in {
		in[i].ID = 0
		for j := range in[i].Steps {
			in[i].Steps[j].ID = 0
		}
	}
	return in
}

// InterviewPlanService keeps templates and the plans of openings.
type InterviewPlanService interface {
	// FindTemplates returns every template, by name.
	FindTemplates(ctx context.Context) ([]*InterviewPlan, error)
	FindTemplateByID(ctx context.Context, id int64) (*InterviewPlan, error)
	CreateTemplate(ctx context.Context, n NewTemplate) (*InterviewPlan, error)
	UpdateTemplate(ctx context.Context, id int64, upd PlanUpdate) (*InterviewPlan, error)
	// DeleteTemplate removes a template that no opening's plan was copied
	// from; otherwise it returns ECONFLICT.
	DeleteTemplate(ctx context.Context, id int64) error

	// FindPlan returns the opening's plan, or ENOTFOUND when it has none.
	FindPlan(ctx context.Context, openingID int64) (*InterviewPlan, error)
	// ApplyTemplate gives the opening a copy of the template, replacing
	// its plan unless active applications are past its first stage.
	ApplyTemplate(ctx context.Context, openingID, templateID int64) (*InterviewPlan, error)
	// ApplyRolePlan gives the opening a plan made by PlanFromRole from the
	// hiring process of its role's page, with the same rule.
	ApplyRolePlan(ctx context.Context, openingID int64) (*InterviewPlan, error)
	// ReplacePlan gives the opening a new plan of the stages, named name,
	// with the rule of ApplyTemplate; ids in stages must be 0.
	ReplacePlan(ctx context.Context, openingID int64, name string, stages []StageInput) (*InterviewPlan, error)
	// UpdatePlan edits the opening's plan. Removing a stage in which active
	// applications sit returns ECONFLICT saying how many.
	UpdatePlan(ctx context.Context, openingID int64, upd PlanUpdate) (*InterviewPlan, error)
}

// PlanFromRole makes a plan from the hiring process a role's page lists:
// one stage per step, with its kind guessed from the words, except that a
// step saying its parts happen "at once" or "in any order" becomes one
// stage holding each part. Lines that describe the process rather than a
// step are left out. It returns nil when the role lists no steps.
func PlanFromRole(role *Role) *InterviewPlan {
	if role == nil {
		return nil
	}
	p := &InterviewPlan{Name: truncateWords("Hiring process of "+oneLine(role.Title), MaxTitleLen)}
	for _, hs := range role.HiringProcess {
		text := oneLine(hs.Name)
		if text == "" || notAStep(text) {
			continue
		}
		parts := anyOrderParts(text)
		if parts == nil {
			st := stepFromText(text, hs.Minutes, hs.Who)
			p.Stages = append(p.Stages, &PlanStage{Position: len(p.Stages), Name: st.Name, Steps: []*PlanStep{st}})
			continue
		}
		stage := &PlanStage{Position: len(p.Stages)}
		var names []string
		for _, part := range parts {
			st := stepFromText(part, 0, "")
			st.Position = len(stage.Steps)
			stage.Steps = append(stage.Steps, st)
			names = append(names, st.Kind.Label())
		}
		stage.Name = truncateWords(strings.Join(names, ", "), MaxTitleLen)
		p.Stages = append(p.Stages, stage)
	}
	if len(p.Stages) == 0 {
		return nil
	}
	return p
}

var (
	reNotAStep   = regexp.MustCompile(`(?i)^(?:please keep in mind|keep in mind|as always|see more|additional details|note that|to learn more|candidates (?:for this (?:position|role) )?can (?:generally )?expect)`)
	reAnyOrder   = regexp.MustCompile(`(?i)\b(?:in any order|at once|at the same time|in parallel)\b[^:]*:\s*(.+)$`)
	rePartSplit  = regexp.MustCompile(`\s*;\s*(?:and\s+)?|\s*,\s*and\s+`)
	reStepMinute = regexp.MustCompile(`(?i)\b(\d{1,4})\s*[- ]?\s*min(?:ute)?s?\b`)
	reStepWho    = regexp.MustCompile(`(?i)\bwith\s+(?:one of (?:our|the)\s+|a member of (?:our|the)\s+|an?\s+|the\s+|our\s+)?([^,.;:()]{2,100})`)
	reOptional   = regexp.MustCompile(`(?i)\b(?:may|might|optional(?:ly)?|if needed|possibly)\b`)
	// kindWords are tried in order, so that "technical questionnaire" is an
	// assessment and "senior manager" a leadership interview.
	kindWords = []struct {
		kind StepKind
		re   *regexp.Regexp
	}{
		{StepOffer, anyWord(`made an offer`, `make an offer`, `offer\b`)},
		{StepReferences, anyWord(`reference`)},
		{StepScreen, anyWord(`screen`)},
		{StepAssessment, anyWord(`questionnaire`, `assessment`, `assignment`, `exercise`, `take-home`, `work samples?`, `homework`)},
		{StepExecutive, anyWord(`ceo\b`, `chief`, `executive`, `founder`)},
		{StepLeadership, anyWord(`vp\b`, `vice president`, `director`, `senior manager`, `head of`, `leadership`)},
		{StepPanel, anyWord(`panel`)},
		{StepTechnical, anyWord(`technical (?:interview|call|round|discussion)`, `coding`, `pair(?:ing| programming)`, `technical`)},
		{StepHiringManager, anyWord(`hiring manager`, `manager`, `behaviou?ral`)},
		{StepPeer, anyWord(`peer`, `team member`, `member of the team`, `colleague`)},
		{StepApplicationReview, anyWord(`appl(?:y|ied|ication)`)},
	}
)

// anyWord matches text holding one of the words, each starting at a word
// boundary.
func anyWord(words ...string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(?:` + strings.Join(words, "|") + `)`)
}

func notAStep(text string) bool { return reNotAStep.MatchString(text) }

// anyOrderParts splits "we schedule the next three steps at once, so they
// can happen in any order: a; b; and c" into its parts, or returns nil.
func anyOrderParts(text string) []string {
	m := reAnyOrder.FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	var parts []string
	for _, p := range rePartSplit.Split(strings.TrimRight(m[1], ". "), -1) {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) < 2 {
		return nil
	}
	return parts
}

// GuessStepKind reads the kind of a step from the words describing it.
func GuessStepKind(text string) StepKind {
	for _, kw := range kindWords {
		if kw.re.MatchString(text) {
			return kw.kind
		}
	}
	return StepCustom
}

// stepFromText makes a plan step from a line of a hiring process.
func stepFromText(text string, minutes int, who string) *PlanStep {
	kind := GuessStepKind(text)
	if minutes <= 0 {
		if m := reStepMinute.FindStringSubmatch(text); m != nil {
			minutes, _ = strconv.Atoi(m[1])
		}
	}
	if minutes < 0 || minutes > MaxMinutes {
		minutes = 0
	}
	if who == "" {
		if m := reStepWho.FindStringSubmatch(text); m != nil {
			who = strings.TrimSpace(m[1])
		}
	}
	name := kind.Label()
	switch {
	case kind == StepCustom:
		name = upperFirst(truncateWords(text, 80))
	case who != "" && kind.IsInterview():
		name += " (" + oneLine(who) + ")"
	}
	return &PlanStep{
		Kind:           kind,
		Name:           truncateWords(name, MaxTitleLen),
		Minutes:        minutes,
		CandidateNotes: truncateWords(text, MaxTextLen),
		Optional:       reOptional.MatchString(text),
	}
}

// truncateWords cuts s to at most n bytes at a space when it is longer.
func truncateWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:")
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

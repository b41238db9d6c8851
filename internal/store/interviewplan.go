package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"hireloop/internal/hiring"
)

// InterviewPlanService keeps interview plan templates and the plans of
// openings. The templates hireloop ships are added by the migration that
// makes the tables, once; an admin may then edit or delete them like any
// other.
//
// A plan is edited as a whole: the update lists every stage and step as it
// should be, and the store keeps what it names by id, adds what is new and
// removes what is left out, in one transaction. Keeping ids keeps each
// application's stage and step progress through an edit.
type InterviewPlanService struct {
	db *DB
}

var _ hiring.InterviewPlanService = (*InterviewPlanService)(nil)

// NewInterviewPlanService returns an InterviewPlanService on db.
func NewInterviewPlanService(db *DB) *InterviewPlanService { return &InterviewPlanService{db: db} }

// Audit log names of plans.
const (
	entityInterviewPlan = "interview_plan"
	actionDelete        = "delete"
	actionApply         = "apply"
)

const interviewPlanColumns = "p.id, p.opening_id, p.name, p.template_key, p.template_id, p.created_at, p.updated_at"

func scanPlan(sc interface{ Scan(...any) error }) (*hiring.InterviewPlan, error) {
	p := &hiring.InterviewPlan{}
	err := sc.Scan(&p.ID, &p.OpeningID, &p.Name, &p.TemplateKey, &p.TemplateID,
		timeColumn{&p.CreatedAt}, timeColumn{&p.UpdatedAt})
	return p, err
}

// findPlan returns the one plan matching cond, with its stages and steps.
func findPlan(ctx context.Context, r runner, what, cond string, args ...any) (*hiring.InterviewPlan, error) {
	p, err := scanPlan(r.queryRow(ctx, "SELECT "+interviewPlanColumns+" FROM interview_plans p WHERE "+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(what)
	} else if err != nil {
		return nil, fmt.Errorf("find %s: %w", strings.ToLower(what), err)
	}
	if err := loadStages(ctx, r, []*hiring.InterviewPlan{p}); err != nil {
		return nil, err
	}
	return p, nil
}

// findOpeningPlan returns the plan of an opening, or a not-found error that
// says what to do.
func findOpeningPlan(ctx context.Context, r runner, openingID int64) (*hiring.InterviewPlan, error) {
	p, err := findPlan(ctx, r, "Interview plan", "p.opening_id = ?", openingID)
	if hiring.ErrorCode(err) == hiring.ENOTFOUND {
		return nil, hiring.Errorf(hiring.ENOTFOUND, "This opening has no interview plan yet; choose a template for it first.")
	}
	return p, err
}

// loadStages fills in the stages and steps of plans with one query.
func loadStages(ctx context.Context, r runner, plans []*hiring.InterviewPlan) error {
	if len(plans) == 0 {
		return nil
	}
	byID := map[int64]*hiring.InterviewPlan{}
	args := make([]any, len(plans))
	for i, p := range plans {
		p.Stages = []*hiring.PlanStage{}
		byID[p.ID] = p
		args[i] = p.ID
	}
	rows, err := r.query(ctx, `SELECT g.plan_id, g.id, g.position, g.name, s.id, s.position, s.kind, s.name, s.minutes,
		s.interviewer_ids, s.instructions, s.candidate_notes, s.optional
		FROM plan_stages g LEFT JOIN plan_steps s ON s.stage_id = g.id
		WHERE g.plan_id IN (`+placeholders(len(args))+`)
		ORDER BY g.plan_id, g.position, g.id, s.position, s.id`, args...)
	if err != nil {
		return fmt.Errorf("find plan stages: %w", err)
	}
	defer rows.Close()
	var stage *hiring.PlanStage
	for rows.Next() {
		var (
			planID, stageID int64
			position        int
			name            string
			stepID          sql.NullInt64
			stepPos         sql.NullInt64
			kind, stepName  sql.NullString
			minutes         sql.NullInt64
			ids, instr, cn  sql.NullString
			optional        sql.NullBool
		)
		if err := rows.Scan(&planID, &stageID, &position, &name, &stepID, &stepPos, &kind, &stepName, &minutes,
			&ids, &instr, &cn, &optional); err != nil {
			return fmt.Errorf("read plan stage: %w", err)
		}
		if stage == nil || stage.ID != stageID {
			stage = &hiring.PlanStage{ID: stageID, PlanID: planID, Position: position, Name: name, Steps: []*hiring.PlanStep{}}
			byID[planID].Stages = append(byID[planID].Stages, stage)
		}
		if !stepID.Valid {
			continue
		}
		st := &hiring.PlanStep{ID: stepID.Int64, StageID: stageID, Position: int(stepPos.Int64),
			Kind: hiring.StepKind(kind.String), Name: stepName.String, Minutes: int(minutes.Int64),
			Instructions: instr.String, CandidateNotes: cn.String, Optional: optional.Bool}
		if err := json.Unmarshal([]byte(ids.String), &st.InterviewerIDs); err != nil {
			return fmt.Errorf("step %d: read interviewers: %w", st.ID, err)
		}
		if st.InterviewerIDs == nil {
			st.InterviewerIDs = []int64{}
		}
		stage.Steps = append(stage.Steps, st)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find plan stages: %w", err)
	}
	return nil
}

// FindTemplates returns every template by name, with stages and steps.
func (s *InterviewPlanService) FindTemplates(ctx context.Context) ([]*hiring.InterviewPlan, error) {
	r := s.db.reader()
	rows, err := r.query(ctx, "SELECT "+interviewPlanColumns+" FROM interview_plans p WHERE p.opening_id IS NULL ORDER BY p.name, p.id")
	if err != nil {
		return nil, fmt.Errorf("find templates: %w", err)
	}
	defer rows.Close()
	out := []*hiring.InterviewPlan{}
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, fmt.Errorf("read template: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find templates: %w", err)
	}
	rows.Close()
	if err := loadStages(ctx, r, out); err != nil {
		return nil, err
	}
	return out, nil
}

// FindTemplateByID returns a template.
func (s *InterviewPlanService) FindTemplateByID(ctx context.Context, id int64) (*hiring.InterviewPlan, error) {
	return findPlan(ctx, s.db.reader(), "Template", "p.id = ? AND p.opening_id IS NULL", id)
}

// FindPlan returns an opening's plan.
func (s *InterviewPlanService) FindPlan(ctx context.Context, openingID int64) (*hiring.InterviewPlan, error) {
	return findOpeningPlan(ctx, s.db.reader(), openingID)
}

// CreateTemplate stores a new template.
func (s *InterviewPlanService) CreateTemplate(ctx context.Context, n hiring.NewTemplate) (*hiring.InterviewPlan, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var out *hiring.InterviewPlan
	err := s.db.transact(ctx, func(t *tx) error {
		id, err := t.insert(ctx, "INSERT INTO interview_plans (name, created_at, updated_at) VALUES (?, ?, ?)",
			n.Name, t.now, t.now)
		if err != nil {
			return fmt.Errorf("create template: %w", err)
		}
		p := &hiring.InterviewPlan{ID: id, Name: n.Name}
		if err := syncStages(ctx, t, p, n.Stages); err != nil {
			return err
		}
		if err := writeAudit(ctx, t, actionCreate, entityInterviewPlan, id,
			fmt.Sprintf("created template %q with %d stages", n.Name, len(n.Stages))); err != nil {
			return err
		}
		out, err = findPlan(ctx, t.runner, "Template", "p.id = ?", id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateTemplate renames a template or rewrites its stages.
func (s *InterviewPlanService) UpdateTemplate(ctx context.Context, id int64, upd hiring.PlanUpdate) (*hiring.InterviewPlan, error) {
	return s.update(ctx, "Template", "p.id = ? AND p.opening_id IS NULL", id, upd)
}

// UpdatePlan renames an opening's plan or rewrites its stages; a stage in
// which active applications sit cannot be removed.
func (s *InterviewPlanService) UpdatePlan(ctx context.Context, openingID int64, upd hiring.PlanUpdate) (*hiring.InterviewPlan, error) {
	return s.update(ctx, "Interview plan", "p.opening_id = ?", openingID, upd)
}

func (s *InterviewPlanService) update(ctx context.Context, what, cond string, arg int64, upd hiring.PlanUpdate) (*hiring.InterviewPlan, error) {
	if err := upd.Validate(); err != nil {
		return nil, err
	}
	var out *hiring.InterviewPlan
	err := s.db.transact(ctx, func(t *tx) error {
		var id int64
		err := t.queryRow(ctx, "SELECT p.id FROM interview_plans p WHERE "+cond, arg).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			if what == "Template" {
				return notFound(what)
			}
			return hiring.Errorf(hiring.ENOTFOUND, "This opening has no interview plan yet; choose a template for it first.")
		} else if err != nil {
			return fmt.Errorf("find plan: %w", err)
		}
		if err := t.lockRow(ctx, "interview_plans", id); err != nil {
			return err
		}
		p, err := findPlan(ctx, t.runner, what, "p.id = ?", id)
		if err != nil {
			return err
		}
		var changes []string
		if upd.Name != nil && *upd.Name != p.Name {
			changes = append(changes, fmt.Sprintf("renamed %q to %q", p.Name, *upd.Name))
			p.Name = *upd.Name
		}
		if upd.Stages != nil {
			if err := syncStages(ctx, t, p, upd.Stages); err != nil {
				return err
			}
			changes = append(changes, fmt.Sprintf("%d stages", len(upd.Stages)))
		}
		if _, err := t.exec(ctx, "UPDATE interview_plans SET name = ?, updated_at = ? WHERE id = ?", p.Name, t.now, id); err != nil {
			return fmt.Errorf("update plan %d: %w", id, err)
		}
		if err := writeAudit(ctx, t, actionUpdate, entityInterviewPlan, id, p.Name+": "+strings.Join(changes, ", ")); err != nil {
			return err
		}
		out, err = findPlan(ctx, t.runner, what, "p.id = ?", id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteTemplate removes a template that no opening's plan came from.
func (s *InterviewPlanService) DeleteTemplate(ctx context.Context, id int64) error {
	return s.db.transact(ctx, func(t *tx) error {
		var name string
		err := t.queryRow(ctx, "SELECT name FROM interview_plans WHERE id = ? AND opening_id IS NULL", id).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Template")
		} else if err != nil {
			return fmt.Errorf("find template %d: %w", id, err)
		}
		n, err := t.count(ctx, "SELECT COUNT(*) FROM interview_plans WHERE template_id = ?", id)
		if err != nil {
			return fmt.Errorf("count plans of template %d: %w", id, err)
		}
		if n > 0 {
			return hiring.Errorf(hiring.ECONFLICT, "%s uses this template, so it cannot be deleted.", countOpenings(n))
		}
		if _, err := t.exec(ctx, "DELETE FROM interview_plans WHERE id = ?", id); err != nil {
			return fmt.Errorf("delete template %d: %w", id, err)
		}
		return writeAudit(ctx, t, actionDelete, entityInterviewPlan, id, fmt.Sprintf("deleted template %q", name))
	})
}

func countOpenings(n int) string {
	if n == 1 {
		return "1 opening"
	}
	return fmt.Sprintf("%d openings", n)
}

// ApplyTemplate gives an opening a copy of a template.
func (s *InterviewPlanService) ApplyTemplate(ctx context.Context, openingID, templateID int64) (*hiring.InterviewPlan, error) {
	var out *hiring.InterviewPlan
	err := s.db.transact(ctx, func(t *tx) error {
		tpl, err := findPlan(ctx, t.runner, "Template", "p.id = ? AND p.opening_id IS NULL", templateID)
		if hiring.ErrorCode(err) == hiring.ENOTFOUND {
			return fieldError(hiring.EINVALID, "template_id", "This template does not exist.")
		} else if err != nil {
			return err
		}
		out, err = replacePlan(ctx, t, openingID, tpl.Name, &tpl.ID, tpl.CopyInputs(), "copied template "+tpl.Name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ApplyRolePlan gives an opening the plan its role's page describes.
func (s *InterviewPlanService) ApplyRolePlan(ctx context.Context, openingID int64) (*hiring.InterviewPlan, error) {
	var out *hiring.InterviewPlan
	err := s.db.transact(ctx, func(t *tx) error {
		o, err := findOpening(ctx, t.runner, openingID)
		if err != nil {
			return err
		}
		role, err := findRoleByID(ctx, t.runner, o.RoleID)
		if err != nil {
			return err
		}
		p := hiring.PlanFromRole(role)
		if p == nil {
			return hiring.Errorf(hiring.ECONFLICT, "The page of this role lists no hiring process; choose a template instead.")
		}
		out, err = replacePlan(ctx, t, openingID, p.Name, nil, p.CopyInputs(), "made from the role "+role.Title)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// replacePlan makes a new plan for an opening in place of its old one.
// Applications in the old plan's first stage start in the new plan's first
// stage; applications further along would lose their place, so they block
// the replacement.
func replacePlan(ctx context.Context, t *tx, openingID int64, name string, templateID *int64,
	stages []hiring.StageInput, how string) (*hiring.InterviewPlan, error) {
	o, err := findOpening(ctx, t.runner, openingID)
	if err != nil {
		return nil, err
	}
	if err := t.lockRow(ctx, "openings", o.ID); err != nil {
		return nil, err
	}
	// Moves lock the plan first; locking it before counting keeps an
	// application from moving on between the count and the replacement.
	if _, err := t.exec(ctx, "UPDATE interview_plans SET id = id WHERE opening_id = ?", o.ID); err != nil {
		return nil, fmt.Errorf("lock plan of opening %d: %w", o.ID, err)
	}
	old, err := findPlan(ctx, t.runner, "Interview plan", "p.opening_id = ?", o.ID)
	switch {
	case hiring.ErrorCode(err) == hiring.ENOTFOUND:
		old = nil
	case err != nil:
		return nil, err
	}
	if old != nil {
		n, err := t.count(ctx, `SELECT COUNT(*) FROM applications WHERE opening_id = ? AND status = ?
			AND stage_id IS NOT NULL AND stage_id <> ?`, o.ID, string(hiring.ApplicationActive), old.First().ID)
		if err != nil {
			return nil, fmt.Errorf("count placed applications: %w", err)
		}
		if n > 0 {
			return nil, hiring.Errorf(hiring.ECONFLICT, "%s past the first stage of the current plan; "+
				"edit the plan instead of replacing it, or move them back to the first stage first.", countActive(n))
		}
		// Deleting the old stages unplaces the applications in them.
		if _, err := t.exec(ctx, "DELETE FROM interview_plans WHERE id = ?", old.ID); err != nil {
			return nil, fmt.Errorf("remove old plan of opening %d: %w", o.ID, err)
		}
	}
	id, err := t.insert(ctx, `INSERT INTO interview_plans (opening_id, name, template_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?)`, o.ID, truncateUTF8(name, hiring.MaxTitleLen), templateID, t.now, t.now)
	if err != nil {
		return nil, fmt.Errorf("create plan of opening %d: %w", o.ID, err)
	}
	p := &hiring.InterviewPlan{ID: id, OpeningID: &o.ID}
	if err := syncStages(ctx, t, p, stages); err != nil {
		return nil, err
	}
	if err := writeAudit(ctx, t, actionApply, entityInterviewPlan, id,
		fmt.Sprintf("plan of %s: %s", o.RequisitionID, how)); err != nil {
		return nil, err
	}
	return findPlan(ctx, t.runner, "Interview plan", "p.id = ?", id)
}

// countActive says how many active applications are somewhere: "3 active
// applications are".
func countActive(n int) string {
	if n == 1 {
		return "1 active application is"
	}
	return fmt.Sprintf("%d active applications are", n)
}

// syncStages makes p's stages and steps what stages says. Ids in stages
// must belong to p; stages left out must hold no active application.
func syncStages(ctx context.Context, t *tx, p *hiring.InterviewPlan, stages []hiring.StageInput) error {
	oldStages := map[int64]*hiring.PlanStage{}
	oldSteps := map[int64]bool{}
	for _, g := range p.Stages {
		oldStages[g.ID] = g
		for _, st := range g.Steps {
			oldSteps[st.ID] = true
		}
	}
	v := hiring.Validation{}
	keptStages, keptSteps := map[int64]bool{}, map[int64]bool{}
	var interviewers []int64
	for i, g := range stages {
		if g.ID > 0 && oldStages[g.ID] == nil {
			v.Add(fmt.Sprintf("stages[%d].id", i), "This stage is not part of the plan.")
		}
		keptStages[g.ID] = true
		for j, st := range g.Steps {
			if st.ID > 0 && !oldSteps[st.ID] {
				v.Add(fmt.Sprintf("stages[%d].steps[%d].id", i, j), "This step is not part of the plan.")
			}
			keptSteps[st.ID] = true
			interviewers = append(interviewers, st.InterviewerIDs...)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := checkInterviewers(ctx, t, stages, interviewers); err != nil {
		return err
	}
	if p.OpeningID != nil {
		if err := placeUnplaced(ctx, t, p); err != nil {
			return err
		}
		if err := checkRemovable(ctx, t, p, keptStages); err != nil {
			return err
		}
	}
	for i, g := range stages {
		stageID := g.ID
		if stageID == 0 {
			id, err := t.insert(ctx, "INSERT INTO plan_stages (plan_id, position, name) VALUES (?, ?, ?)", p.ID, i, g.Name)
			if err != nil {
				return fmt.Errorf("add stage: %w", err)
			}
			stageID = id
		} else {
			if _, err := t.exec(ctx, "UPDATE plan_stages SET position = ?, name = ? WHERE id = ?", i, g.Name, stageID); err != nil {
				return fmt.Errorf("update stage %d: %w", stageID, err)
			}
			if old := oldStages[stageID]; old.Name != g.Name {
				// Listings that filter on the stage's name follow a rename.
				if _, err := t.exec(ctx, "UPDATE applications SET stage = ? WHERE stage_id = ?", g.Name, stageID); err != nil {
					return fmt.Errorf("rename stage of applications: %w", err)
				}
			}
		}
		for j, st := range g.Steps {
			ids, err := json.Marshal(nonNilIDs(st.InterviewerIDs))
			if err != nil {
				return fmt.Errorf("encode interviewers: %w", err)
			}
			args := []any{stageID, j, string(st.Kind), st.Name, st.Minutes, string(ids), st.Instructions, st.CandidateNotes, st.Optional}
			if st.ID == 0 {
				_, err = t.insert(ctx, `INSERT INTO plan_steps (stage_id, position, kind, name, minutes, interviewer_ids,
					instructions, candidate_notes, optional) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
			} else {
				_, err = t.exec(ctx, `UPDATE plan_steps SET stage_id = ?, position = ?, kind = ?, name = ?, minutes = ?,
					interviewer_ids = ?, instructions = ?, candidate_notes = ?, optional = ? WHERE id = ?`, append(args, st.ID)...)
			}
			if err != nil {
				return fmt.Errorf("write step %q: %w", st.Name, err)
			}
		}
	}
	for id := range oldSteps {
		if !keptSteps[id] {
			if _, err := t.exec(ctx, "DELETE FROM plan_steps WHERE id = ?", id); err != nil {
				return fmt.Errorf("remove step %d: %w", id, err)
			}
		}
	}
	for id := range oldStages {
		if !keptStages[id] {
			if _, err := t.exec(ctx, "DELETE FROM plan_stages WHERE id = ?", id); err != nil {
				return fmt.Errorf("remove stage %d: %w", id, err)
			}
		}
	}
	return nil
}

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// checkInterviewers refuses default interviewers who have no account.
func checkInterviewers(ctx context.Context, t *tx, stages []hiring.StageInput, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	unique := map[int64]bool{}
	var args []any
	for _, id := range ids {
		if !unique[id] {
			args = append(args, id)
		}
		unique[id] = true
	}
	rows, err := t.query(ctx, "SELECT id FROM users WHERE id IN ("+placeholders(len(args))+")", args...)
	if err != nil {
		return fmt.Errorf("find interviewers: %w", err)
	}
	defer rows.Close()
	known := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("find interviewers: %w", err)
		}
		known[id] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find interviewers: %w", err)
	}
	v := hiring.Validation{}
	for i, g := range stages {
		for j, st := range g.Steps {
			for _, id := range st.InterviewerIDs {
				v.Check(known[id], fmt.Sprintf("stages[%d].steps[%d].interviewer_ids", i, j),
					fmt.Sprintf("There is no user with id %d.", id))
			}
		}
	}
	return v.Err()
}

// checkRemovable refuses to remove stages of an opening's plan in which
// active applications sit.
func checkRemovable(ctx context.Context, t *tx, p *hiring.InterviewPlan, kept map[int64]bool) error {
	var msgs []string
	for _, g := range p.Stages {
		if kept[g.ID] {
			continue
		}
		n, err := t.count(ctx, "SELECT COUNT(*) FROM applications WHERE opening_id = ? AND status = ? AND stage_id = ?",
			*p.OpeningID, string(hiring.ApplicationActive), g.ID)
		if err != nil {
			return fmt.Errorf("count applications in stage %d: %w", g.ID, err)
		}
		switch {
		case n == 1:
			msgs = append(msgs, fmt.Sprintf("The stage %q still holds 1 active application; move it to another stage before removing the stage.", g.Name))
		case n > 1:
			msgs = append(msgs, fmt.Sprintf("The stage %q still holds %d active applications; move them to another stage before removing the stage.", g.Name, n))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	msg := strings.Join(msgs, " ")
	return &hiring.Error{Code: hiring.ECONFLICT, Message: msg, Fields: map[string]string{"stages": msg}}
}

// placeUnplaced puts an opening's active applications that have no stage
// yet into the plan's first stage, where they count as being, so that
// reordering the stages does not move them.
func placeUnplaced(ctx context.Context, t *tx, p *hiring.InterviewPlan) error {
	first := p.First()
	if p.OpeningID == nil || first == nil {
		return nil
	}
	_, err := t.exec(ctx, "UPDATE applications SET stage_id = ?, stage = ? WHERE opening_id = ? AND status = ? AND stage_id IS NULL",
		first.ID, first.Name, *p.OpeningID, string(hiring.ApplicationActive))
	if err != nil {
		return fmt.Errorf("place new applications of opening %d: %w", *p.OpeningID, err)
	}
	return nil
}

package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"hireloop/internal/hiring"
)

// PlanService keeps the hiring plan and compares it with open seats and
// hires; see package hiring for how the report counts.
type PlanService struct {
	db *DB
}

var _ hiring.PlanService = (*PlanService)(nil)

// NewPlanService returns a PlanService on db.
func NewPlanService(db *DB) *PlanService { return &PlanService{db: db} }

// Audit log name of plan entries.
const entityPlan = "plan_entry"

const planColumns = `p.id, p.department_id, p.team, p.quarter, p.planned, p.created_at, p.updated_at,
	d.parent_id, d.name, d.slug, d.created_at`

const planFrom = " FROM plan_entries p JOIN departments d ON d.id = p.department_id"

func scanPlanEntry(sc interface{ Scan(...any) error }) (*hiring.PlanEntry, error) {
	p := &hiring.PlanEntry{Department: &hiring.Department{}}
	err := sc.Scan(&p.ID, &p.DepartmentID, &p.Team, &p.Quarter, &p.Planned, timeColumn{&p.CreatedAt},
		timeColumn{&p.UpdatedAt}, &p.Department.ParentID, &p.Department.Name, &p.Department.Slug,
		timeColumn{&p.Department.CreatedAt})
	p.Department.ID = p.DepartmentID
	return p, err
}

// SetPlanEntry creates the entry for its department, team and quarter, or
// replaces the number planned.
func (s *PlanService) SetPlanEntry(ctx context.Context, in hiring.PlanInput) (*hiring.PlanEntry, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *hiring.PlanEntry
	err := s.db.transact(ctx, func(t *tx) error {
		if err := checkOpeningRefs(ctx, t, &in.DepartmentID, nil, nil, nil); err != nil {
			return err
		}
		id, _, err := upsertPlanEntry(ctx, t, in)
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("department %d, team %q, %s: %d planned", in.DepartmentID, in.Team, in.Quarter, in.Planned)
		if err := writeAudit(ctx, t, actionUpdate, entityPlan, id, detail); err != nil {
			return err
		}
		out, err = scanPlanEntry(t.queryRow(ctx, "SELECT "+planColumns+planFrom+" WHERE p.id = ?", id))
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// upsertPlanEntry writes one entry and says whether it was new.
func upsertPlanEntry(ctx context.Context, t *tx, in hiring.PlanInput) (int64, bool, error) {
	var id int64
	err := t.queryRow(ctx, "SELECT id FROM plan_entries WHERE department_id = ? AND team_fold = ? AND quarter = ?",
		in.DepartmentID, fold(in.Team), in.Quarter).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		id, err = t.insert(ctx, `INSERT INTO plan_entries (department_id, team, team_fold, quarter, planned, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, in.DepartmentID, in.Team, fold(in.Team), in.Quarter, in.Planned, t.now, t.now)
		if err != nil {
			return 0, false, fmt.Errorf("create plan entry: %w", err)
		}
		return id, true, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("find plan entry: %w", err)
	}
	if _, err := t.exec(ctx, "UPDATE plan_entries SET team = ?, planned = ?, updated_at = ? WHERE id = ?",
		in.Team, in.Planned, t.now, id); err != nil {
		return 0, false, fmt.Errorf("update plan entry %d: %w", id, err)
	}
	return id, false, nil
}

// DeletePlanEntry removes an entry.
func (s *PlanService) DeletePlanEntry(ctx context.Context, id int64) error {
	return s.db.transact(ctx, func(t *tx) error {
		p, err := scanPlanEntry(t.queryRow(ctx, "SELECT "+planColumns+planFrom+" WHERE p.id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Plan entry")
		} else if err != nil {
			return fmt.Errorf("find plan entry %d: %w", id, err)
		}
		if _, err := t.exec(ctx, "DELETE FROM plan_entries WHERE id = ?", id); err != nil {
			return fmt.Errorf("delete plan entry %d: %w", id, err)
		}
		detail := fmt.Sprintf("deleted %s, team %q, %s (%d planned)", p.Department.Name, p.Team, p.Quarter, p.Planned)
		return writeAudit(ctx, t, "delete", entityPlan, id, detail)
	})
}

// FindPlanEntries returns a page of entries ordered by quarter, department
// and team, and the total count.
func (s *PlanService) FindPlanEntries(ctx context.Context, f hiring.PlanFilter) ([]*hiring.PlanEntry, int, error) {
	offset, limit, err := pageBounds(f.Offset, f.Limit)
	if err != nil {
		return nil, 0, err
	}
	w, err := planWhere(f)
	if err != nil {
		return nil, 0, err
	}
	r := s.db.reader()
	total, err := r.count(ctx, "SELECT COUNT(*) FROM plan_entries p"+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count plan entries: %w", err)
	}
	out, err := findPlanEntries(ctx, r, w, " LIMIT ? OFFSET ?", limit, offset)
	return out, total, err
}

func planWhere(f hiring.PlanFilter) (*where, error) {
	w := &where{}
	if f.DepartmentID != nil {
		w.add(inDepartmentTree("p.department_id"), *f.DepartmentID)
	}
	if f.Quarter != "" {
		q := strings.ToUpper(strings.TrimSpace(f.Quarter))
		if !hiring.ValidQuarter(q) {
			return nil, fieldError(hiring.EINVALID, "quarter", "Write a quarter like 2026-Q4.")
		}
		w.add("p.quarter = ?", q)
	}
	return w, nil
}

func findPlanEntries(ctx context.Context, r runner, w *where, tail string, tailArgs ...any) ([]*hiring.PlanEntry, error) {
	rows, err := r.query(ctx, "SELECT "+planColumns+planFrom+w.String()+" ORDER BY p.quarter, d.slug, p.team_fold"+tail,
		append(slices.Clone(w.args), tailArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("find plan entries: %w", err)
	}
	defer rows.Close()
	out := []*hiring.PlanEntry{}
	for rows.Next() {
		p, err := scanPlanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("read plan entry: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find plan entries: %w", err)
	}
	return out, nil
}

// ImportPlanCSV reads a plan file (see hiring.ParsePlanCSV). A department is
// named by its slug path ("engineering/data") or by its name when no other
// department has that name. Every row is checked before anything is
// written; then all rows are written in one transaction.
func (s *PlanService) ImportPlanCSV(ctx context.Context, r io.Reader) (*hiring.PlanImportResult, error) {
	rows, err := hiring.ParsePlanCSV(r)
	if err != nil {
		return nil, err
	}
	bySlug, byName, err := departmentIndex(ctx, s.db.reader())
	if err != nil {
		return nil, err
	}
	errs := &hiring.CSVErrors{}
	for i := range rows {
		row := &rows[i]
		ref := strings.ToLower(row.Department)
		if id, ok := bySlug[ref]; ok {
			row.DepartmentID = id
			continue
		}
		switch ids := byName[ref]; len(ids) {
		case 0:
			errs.Add(row.Line, "department", fmt.Sprintf("No department is named %q.", row.Department))
		case 1:
			row.DepartmentID = ids[0]
		default:
			errs.Add(row.Line, "department", fmt.Sprintf("Several departments are named %q; use its path, such as engineering/data.", row.Department))
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	res := &hiring.PlanImportResult{}
	err = s.db.transact(ctx, func(t *tx) error {
		*res = hiring.PlanImportResult{}
		for _, row := range rows {
			_, created, err := upsertPlanEntry(ctx, t, row.PlanInput)
			if t.d.isUniqueViolation(err) {
				return hiring.Errorf(hiring.ECONFLICT, "The plan was changed while it was imported; import the file again.")
			} else if err != nil {
				return err
			}
			if created {
				res.Created++
			} else {
				res.Updated++
			}
		}
		detail := fmt.Sprintf("imported %d plan entries: %d created, %d updated", len(rows), res.Created, res.Updated)
		return writeAudit(ctx, t, actionImport, entityPlan, 0, detail)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// departmentIndex maps every department's slug, and its lower-case name, to
// its id.
func departmentIndex(ctx context.Context, r runner) (map[string]int64, map[string][]int64, error) {
	rows, err := r.query(ctx, "SELECT id, name, slug FROM departments")
	if err != nil {
		return nil, nil, fmt.Errorf("read departments: %w", err)
	}
	defer rows.Close()
	bySlug, byName := map[string]int64{}, map[string][]int64{}
	for rows.Next() {
		var id int64
		var name, slug string
		if err := rows.Scan(&id, &name, &slug); err != nil {
			return nil, nil, fmt.Errorf("read department: %w", err)
		}
		bySlug[slug] = id
		byName[strings.ToLower(name)] = append(byName[strings.ToLower(name)], id)
	}
	return bySlug, byName, rows.Err()
}

// planKey identifies a report row.
type planKey struct {
	dep     int64
	team    string // folded
	quarter string
}

// PlanReport compares planned, open and hired per department, team and
// quarter. Seats and hires count in their team's row when the plan has one
// for that department and quarter, otherwise in the department's row.
func (s *PlanService) PlanReport(ctx context.Context, f hiring.PlanFilter) ([]*hiring.PlanReportRow, error) {
	w, err := planWhere(f)
	if err != nil {
		return nil, err
	}
	r := s.db.reader()
	entries, err := findPlanEntries(ctx, r, w, "")
	if err != nil {
		return nil, err
	}
	rows := map[planKey]*hiring.PlanReportRow{}
	for _, e := range entries {
		rows[planKey{e.DepartmentID, fold(e.Team), e.Quarter}] = &hiring.PlanReportRow{
			DepartmentID: e.DepartmentID, Team: e.Team, Quarter: e.Quarter, Planned: e.Planned}
	}
	count := func(dep int64, team, quarter string, open, hired int) {
		if f.Quarter != "" && quarter != strings.ToUpper(strings.TrimSpace(f.Quarter)) {
			return
		}
		row := rows[planKey{dep, fold(team), quarter}]
		if row == nil {
			k := planKey{dep, "", quarter}
			if row = rows[k]; row == nil {
				row = &hiring.PlanReportRow{DepartmentID: dep, Quarter: quarter}
				rows[k] = row
			}
		}
		row.Open += open
		row.Hired += hired
	}
	if err := s.countOpenSeats(ctx, r, f, count); err != nil {
		return nil, err
	}
	if err := s.countHires(ctx, r, f, count); err != nil {
		return nil, err
	}
	names, err := departmentNames(ctx, r)
	if err != nil {
		return nil, err
	}
	out := make([]*hiring.PlanReportRow, 0, len(rows))
	for _, row := range rows {
		d := names[row.DepartmentID]
		row.DepartmentName, row.DepartmentSlug = d[0], d[1]
		out = append(out, row)
	}
	slices.SortFunc(out, func(a, b *hiring.PlanReportRow) int {
		return cmp.Or(cmp.Compare(a.Quarter, b.Quarter), cmp.Compare(a.DepartmentSlug, b.DepartmentSlug),
			cmp.Compare(fold(a.Team), fold(b.Team)))
	})
	return out, nil
}

// countOpenSeats counts open seats of open openings in their plan quarter.
func (s *PlanService) countOpenSeats(ctx context.Context, r runner, f hiring.PlanFilter, count func(int64, string, string, int, int)) error {
	w := &where{}
	w.add("o.status = ?", string(hiring.OpeningOpen))
	w.add("v.status = ?", string(hiring.VacancyOpen))
	w.add("o.department_id IS NOT NULL")
	if f.DepartmentID != nil {
		w.add(inDepartmentTree("o.department_id"), *f.DepartmentID)
	}
	rows, err := r.query(ctx, `SELECT o.department_id, v.team, o.target_quarter, o.opened_at, COUNT(*)
		FROM vacancies v JOIN openings o ON o.id = v.opening_id`+w.String()+`
		GROUP BY o.id, o.department_id, v.team, o.target_quarter, o.opened_at`, w.args...)
	if err != nil {
		return fmt.Errorf("count open seats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			dep      int64
			team     string
			target   string
			openedAt *time.Time
			n        int
		)
		if err := rows.Scan(&dep, &team, &target, nullTimeColumn{&openedAt}, &n); err != nil {
			return fmt.Errorf("read open seats: %w", err)
		}
		o := hiring.Opening{TargetQuarter: target, OpenedAt: openedAt}
		count(dep, team, o.PlanQuarter(), n, 0)
	}
	return rows.Err()
}

// countHires counts hires in the quarter of their hire date.
func (s *PlanService) countHires(ctx context.Context, r runner, f hiring.PlanFilter, count func(int64, string, string, int, int)) error {
	w := &where{}
	w.add("a.status = ?", string(hiring.ApplicationHired))
	w.add("o.department_id IS NOT NULL")
	if f.DepartmentID != nil {
		w.add(inDepartmentTree("o.department_id"), *f.DepartmentID)
	}
	if start, ok := hiring.QuarterStart(strings.ToUpper(strings.TrimSpace(f.Quarter))); ok {
		w.add("a.hired_at >= ? AND a.hired_at < ?", start, start.AddDate(0, 3, 0))
	}
	rows, err := r.query(ctx, `SELECT o.department_id, COALESCE(v.team, ''), a.hired_at
		FROM applications a JOIN openings o ON o.id = a.opening_id
		LEFT JOIN vacancies v ON v.id = a.vacancy_id`+w.String(), w.args...)
	if err != nil {
		return fmt.Errorf("count hires: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			dep     int64
			team    string
			hiredAt time.Time
		)
		if err := rows.Scan(&dep, &team, timeColumn{&hiredAt}); err != nil {
			return fmt.Errorf("read hire: %w", err)
		}
		count(dep, team, hiring.QuarterOf(hiredAt), 0, 1)
	}
	return rows.Err()
}

// departmentNames maps department ids to their name and slug.
func departmentNames(ctx context.Context, r runner) (map[int64][2]string, error) {
	rows, err := r.query(ctx, "SELECT id, name, slug FROM departments")
	if err != nil {
		return nil, fmt.Errorf("read departments: %w", err)
	}
	defer rows.Close()
	out := map[int64][2]string{}
	for rows.Next() {
		var id int64
		var name, slug string
		if err := rows.Scan(&id, &name, &slug); err != nil {
			return nil, fmt.Errorf("read department: %w", err)
		}
		out[id] = [2]string{name, slug}
	}
	return out, rows.Err()
}

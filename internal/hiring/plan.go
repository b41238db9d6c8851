package hiring

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The hiring plan.
//
// A plan entry says how many people a department, or one team of it, plans
// to hire in a quarter. Entries are unique per department, team and quarter,
// so entering or importing one again replaces it. The report compares each
// entry with what is happening: seats open now (open vacancies of open
// openings, counted in the opening's plan quarter) and hires (counted in the
// quarter of the hire date). A seat or hire whose team has no entry of its
// own for that department and quarter counts in the department's row
// (team ""), so a department that plans as a whole sees all its hiring.

// PlanEntry is the number of hires planned for a department or team in a
// quarter.
type PlanEntry struct {
	ID           int64       `json:"id"`
	DepartmentID int64       `json:"department_id"`
	Department   *Department `json:"department,omitempty"`
	// Team is empty for the department as a whole.
	Team string `json:"team"`
	// Quarter is written like 2026-Q4.
	Quarter   string    `json:"quarter"`
	Planned   int       `json:"planned"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// MaxPlanned bounds a plan entry; no team hires more in a quarter.
const MaxPlanned = 10000

// PlanInput is an entry as entered in a form or read from a file.
type PlanInput struct {
	DepartmentID int64  `json:"department_id"`
	Team         string `json:"team"`
	Quarter      string `json:"quarter"`
	Planned      int    `json:"planned"`
}

// Validate checks an entry and normalises its team and quarter.
func (p *PlanInput) Validate() error {
	v := Validation{}
	p.Team = strings.TrimSpace(p.Team)
	p.Quarter = strings.ToUpper(strings.TrimSpace(p.Quarter))
	v.Check(p.DepartmentID > 0, "department_id", "Choose a department.")
	checkString(v, "team", p.Team, false, MaxTitleLen)
	v.Check(ValidQuarter(p.Quarter), "quarter", "Write a quarter like 2026-Q4.")
	v.Check(p.Planned >= 0 && p.Planned <= MaxPlanned, "planned",
		fmt.Sprintf("Planned hires must be a whole number from 0 to %d.", MaxPlanned))
	return v.Err()
}

var quarterPattern = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)

// ValidQuarter reports whether q is a quarter like 2026-Q4 between the years
// 2000 and 2999.
func ValidQuarter(q string) bool {
	m := quarterPattern.FindStringSubmatch(q)
	return m != nil && m[1] >= "2000" && m[1] <= "2999"
}

// QuarterOf names the calendar quarter t falls in, in UTC: "2026-Q4".
func QuarterOf(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("%04d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
}

// QuarterStart returns the first moment of a valid quarter, in UTC.
func QuarterStart(q string) (time.Time, bool) {
	m := quarterPattern.FindStringSubmatch(q)
	if m == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[2])
	return time.Date(y, time.Month(3*(n-1)+1), 1, 0, 0, 0, 0, time.UTC), true
}

// PlanFilter narrows a listing of plan entries or the plan report.
type PlanFilter struct {
	// DepartmentID includes sub-departments.
	DepartmentID *int64
	Quarter      string
	Offset       int
	Limit        int
}

// PlanReportRow compares the plan with reality for one department, team
// and quarter.
type PlanReportRow struct {
	DepartmentID   int64  `json:"department_id"`
	DepartmentName string `json:"department_name"`
	DepartmentSlug string `json:"department_slug"`
	Team           string `json:"team"`
	Quarter        string `json:"quarter"`
	Planned        int    `json:"planned"`
	// Open counts open seats of open openings.
	Open int `json:"open"`
	// Hired counts applications hired in the quarter.
	Hired int `json:"hired"`
}

// PlanImportResult says what an import did.
type PlanImportResult struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

// PlanService keeps the hiring plan and reports on it.
type PlanService interface {
	// SetPlanEntry creates or replaces the entry for its department, team
	// and quarter.
	SetPlanEntry(ctx context.Context, in PlanInput) (*PlanEntry, error)
	DeletePlanEntry(ctx context.Context, id int64) error
	// FindPlanEntries returns a page of entries by quarter, department and
	// team, with the total count.
	FindPlanEntries(ctx context.Context, filter PlanFilter) ([]*PlanEntry, int, error)
	// ImportPlanCSV reads a file with the header department,team,quarter,
	// planned. Every row is checked first; any error names its row and
	// column and nothing is written.
	ImportPlanCSV(ctx context.Context, r io.Reader) (*PlanImportResult, error)
	// PlanReport returns planned, open and hired per department, team and
	// quarter, ordered by quarter, department and team.
	PlanReport(ctx context.Context, filter PlanFilter) ([]*PlanReportRow, error)
}

// PlanCSVRow is one row of a plan file, checked but with its department
// still a name or slug to be looked up.
type PlanCSVRow struct {
	// Line is the row's number as a spreadsheet shows it: the header is 1.
	Line       int
	Department string
	PlanInput
}

// PlanCSVColumns are the columns a plan file has, in any order.
var PlanCSVColumns = []string{"department", "team", "quarter", "planned"}

// Limits on a plan file.
const (
	MaxPlanCSVBytes = 1 << 20
	MaxPlanCSVRows  = 10000
)

// CSVErrors collects errors by row and column of a file. Field keys read
// like "rows[3].planned"; the message lists the first few in words.
type CSVErrors struct {
	v     Validation
	lines []string
}

// Add records an error for a row and column; column may be empty when the
// whole row is wrong.
func (e *CSVErrors) Add(line int, column, msg string) {
	if e.v == nil {
		e.v = Validation{}
	}
	key := fmt.Sprintf("rows[%d]", line)
	where := fmt.Sprintf("Row %d", line)
	if column != "" {
		key += "." + column
		where += ", column " + column
	}
	if _, dup := e.v[key]; dup {
		return
	}
	e.v[key] = msg
	e.lines = append(e.lines, where+": "+msg)
}

// Err returns nil when nothing was recorded, else one EINVALID error whose
// message says that nothing was imported.
func (e *CSVErrors) Err() error {
	if len(e.lines) == 0 {
		return nil
	}
	const shown = 5
	msg := strings.Join(e.lines[:min(shown, len(e.lines))], "; ")
	if n := len(e.lines) - shown; n > 0 {
		msg += fmt.Sprintf("; and %d more", n)
	}
	return &Error{Code: EINVALID, Message: msg + ". Nothing was imported.", Fields: e.v}
}

// ParsePlanCSV reads and checks a plan file. It returns every row when all
// are good, or an error naming each bad row and column. Departments are not
// looked up here.
func ParsePlanCSV(r io.Reader) ([]PlanCSVRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPlanCSVBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read plan file: %w", err)
	}
	if len(data) > MaxPlanCSVBytes {
		return nil, &Error{Code: ETOOLARGE, Message: "The file is larger than 1 MB.", Fields: map[string]string{"file": "The file is larger than 1 MB."}}
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	if strings.TrimSpace(text) == "" {
		return nil, &Error{Code: EINVALID, Message: "The file is empty.", Fields: map[string]string{"file": "The file is empty."}}
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	errs := &CSVErrors{}
	header, err := cr.Read()
	if err != nil {
		return nil, csvReadError(err, 1)
	}
	cols, headErr := planColumns(header)
	if headErr != "" {
		errs.Add(1, "", headErr)
		return nil, errs.Err()
	}
	var rows []PlanCSVRow
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			errs.Add(line, "", "This row cannot be read as CSV; check its quotes.")
			return nil, errs.Err()
		}
		line, _ := cr.FieldPos(0)
		if len(rows) >= MaxPlanCSVRows {
			errs.Add(line, "", fmt.Sprintf("A plan file has at most %d rows.", MaxPlanCSVRows))
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			errs.Add(line, "", fmt.Sprintf("This row has %d columns; the header has %d.", len(rec), len(header)))
			continue
		}
		row := PlanCSVRow{Line: line, Department: strings.TrimSpace(rec[cols["department"]])}
		row.Team = rec[cols["team"]]
		row.Quarter = rec[cols["quarter"]]
		planned := strings.TrimSpace(rec[cols["planned"]])
		n, convErr := strconv.Atoi(planned)
		row.Planned = n
		if row.Department == "" {
			errs.Add(line, "department", "Name the department.")
		} else if len(row.Department) > 2000 {
			errs.Add(line, "department", "This is too long.")
		}
		if convErr != nil {
			errs.Add(line, "planned", fmt.Sprintf("Planned hires must be a whole number from 0 to %d.", MaxPlanned))
		}
		fields := ErrorFields(row.PlanInput.Validate())
		for _, k := range []string{"team", "quarter", "planned"} {
			// The department is looked up by name later, so its id is unset.
			if msg, ok := fields[k]; ok && (k != "planned" || convErr == nil) {
				errs.Add(line, k, msg)
			}
		}
		key := strings.ToLower(row.Department) + "\x00" + strings.ToLower(row.Team) + "\x00" + row.Quarter
		if first, dup := seen[key]; dup {
			errs.Add(line, "", fmt.Sprintf("Row %d already plans this department, team and quarter.", first))
		}
		seen[key] = line
		rows = append(rows, row)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return rows, nil
}

func planColumns(header []string) (map[string]int, string) {
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := cols[h]; dup {
			return nil, fmt.Sprintf("The column %q appears twice.", h)
		}
		cols[h] = i
	}
	for _, c := range PlanCSVColumns {
		if _, ok := cols[c]; !ok {
			return nil, "The first row must be the header department,team,quarter,planned."
		}
	}
	if len(cols) != len(PlanCSVColumns) {
		return nil, "The first row must be the header department,team,quarter,planned, with no other column."
	}
	return cols, ""
}

func csvReadError(err error, line int) error {
	if err == io.EOF {
		return &Error{Code: EINVALID, Message: "The file is empty.", Fields: map[string]string{"file": "The file is empty."}}
	}
	errs := &CSVErrors{}
	errs.Add(line, "", "This row cannot be read as CSV; check its quotes.")
	return errs.Err()
}

package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// planPage compares the hiring plan with open seats and hires, and holds
// the forms that change the plan.
type planPage struct {
	layout
	Rows    []*hiring.PlanReportRow
	Quarter string
	Form    *form
	// ImportErrors lists what was wrong with an imported file, by row.
	ImportErrors []string
	Totals       hiring.PlanReportRow
}

// planFields is the form that sets one entry of the plan.
func planFields(departments []option) []fieldSpec {
	return []fieldSpec{
		{Name: "department_id", Label: "Department", Kind: kindSelect, Required: true, Options: departments},
		{Name: "team", Label: "Team", Kind: kindText, MaxLen: hiring.MaxTitleLen,
			Hint: "Leave empty to plan for the department as a whole."},
		{Name: "quarter", Label: "Quarter", Kind: kindText, Required: true, MaxLen: 7, Hint: "Like 2026-Q4."},
		{Name: "planned", Label: "Planned hires", Kind: kindText, Required: true, MaxLen: 5, InputMode: "numeric"},
	}
}

func (s *Server) handlePlan(w http.ResponseWriter, r *http.Request) error {
	return s.renderPlan(w, r, http.StatusOK, nil, nil)
}

// renderPlan shows the plan page with the entry form f (empty when nil) and
// the errors of a rejected import.
func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, status int, f *form, importErrors []string) error {
	ctx := r.Context()
	quarter := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("quarter")))
	if quarter != "" && !hiring.ValidQuarter(quarter) {
		return &hiring.Error{Code: hiring.EINVALID, Message: "quarter: Write a quarter like 2026-Q4.",
			Fields: map[string]string{"quarter": "Write a quarter like 2026-Q4."}}
	}
	rows, err := s.plans.PlanReport(ctx, hiring.PlanFilter{Quarter: quarter})
	if err != nil {
		return err
	}
	if f == nil {
		opts, err := s.departmentOptions(r)
		if err != nil {
			return err
		}
		f = newForm(planFields(opts), url.Values{"quarter": {hiring.QuarterOf(s.now())}})
	}
	p := &planPage{layout: layout{Title: "Hiring plan"}, Rows: rows, Quarter: quarter, Form: f,
		ImportErrors: importErrors}
	for _, row := range rows {
		p.Totals.Planned += row.Planned
		p.Totals.Open += row.Open
		p.Totals.Hired += row.Hired
	}
	s.render(w, r, status, "plan", p)
	return nil
}

// departmentOptions lists the departments for a drop-down, each with its
// parents.
func (s *Server) departmentOptions(r *http.Request) ([]option, error) {
	deps, _, err := s.departments.FindDepartments(r.Context(), hiring.DepartmentFilter{Limit: maxDepartments})
	if err != nil {
		return nil, err
	}
	opts := []option{{"", "Choose a department"}}
	for _, d := range deps {
		opts = append(opts, option{itoa(d.ID), departmentPath(d, deps)})
	}
	return opts, nil
}

// handlePlanSave sets one entry of the plan.
func (s *Server) handlePlanSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v := hiring.Validation{}
	in := hiring.PlanInput{Team: r.PostForm.Get("team"), Quarter: r.PostForm.Get("quarter")}
	if id := parseChoice(v, r.PostForm, "department_id"); id != nil {
		in.DepartmentID = *id
	}
	planned := strings.TrimSpace(r.PostForm.Get("planned"))
	n, convErr := strconv.Atoi(planned)
	if convErr != nil || len(planned) > 6 {
		v.Add("planned", fmt.Sprintf("Planned hires must be a whole number from 0 to %d.", hiring.MaxPlanned))
	}
	in.Planned = n
	if verr := in.Validate(); verr != nil {
		for k, msg := range hiring.ErrorFields(verr) {
			v.Add(k, msg)
		}
	}
	err := v.Err()
	var entry *hiring.PlanEntry
	if err == nil {
		entry, err = s.plans.SetPlanEntry(r.Context(), in)
	}
	if err != nil {
		if hiring.ErrorCode(err) != hiring.EINVALID {
			return err
		}
		opts, oerr := s.departmentOptions(r)
		if oerr != nil {
			return oerr
		}
		f := newForm(planFields(opts), r.PostForm)
		f.setError(err)
		return s.renderPlan(w, r, http.StatusBadRequest, f, nil)
	}
	what := "the whole department"
	if entry.Team != "" {
		what = "the team " + entry.Team
	}
	return s.redirect(w, r, "/plan", fmt.Sprintf("Planned %s for %s in %s.",
		plural(entry.Planned, "hire", "hires"), what, entry.Quarter))
}

// maxPlanUpload leaves room for the multipart headers around the file.
const maxPlanUpload = hiring.MaxPlanCSVBytes + 64<<10

// handlePlanImport reads a CSV file of plan entries. Nothing is written
// unless every row is good; otherwise each error is listed by row and
// column.
func (s *Server) handlePlanImport(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxPlanUpload)
	fail := func(status int, msgs ...string) error {
		return s.renderPlan(w, r, status, nil, msgs)
	}
	if err := r.ParseMultipartForm(maxPlanUpload); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return fail(http.StatusRequestEntityTooLarge, "The file is larger than 1 MB; split it into smaller files.")
		}
		return fail(http.StatusBadRequest, "Choose a CSV file to import.")
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	file, _, err := r.FormFile("file")
	if err != nil {
		return fail(http.StatusBadRequest, "Choose a CSV file to import.")
	}
	defer file.Close()
	res, err := s.plans.ImportPlanCSV(r.Context(), file)
	if err != nil {
		switch hiring.ErrorCode(err) {
		case hiring.EINVALID, hiring.ETOOLARGE:
			return fail(api.Status(err), csvErrorLines(err)...)
		}
		return err
	}
	return s.redirect(w, r, "/plan", fmt.Sprintf("Imported the plan: %s new, %s changed.",
		plural(res.Created, "entry", "entries"), plural(res.Updated, "entry", "entries")))
}

var csvKey = regexp.MustCompile(`^rows\[(\d+)\](?:\.(\w+))?$`)

// csvErrorLines lists an import's errors by row, then column, in words.
func csvErrorLines(err error) []string {
	type item struct {
		row    int
		column string
		msg    string
	}
	var items []item
	var other []string
	for k, msg := range hiring.ErrorFields(err) {
		m := csvKey.FindStringSubmatch(k)
		if m == nil {
			other = append(other, msg)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		items = append(items, item{n, m[2], msg})
	}
	slices.SortFunc(items, func(a, b item) int {
		if a.row != b.row {
			return a.row - b.row
		}
		return strings.Compare(a.column, b.column)
	})
	slices.Sort(other)
	out := other
	for _, it := range items {
		where := "Row " + strconv.Itoa(it.row)
		if it.column != "" {
			where += ", column " + it.column
		}
		out = append(out, where+": "+it.msg)
	}
	if len(out) == 0 {
		out = []string{hiring.ErrorMessage(err)}
	}
	return out
}

// handlePlanCSV sends the whole plan as a file that imports back unchanged.
func (s *Server) handlePlanCSV(w http.ResponseWriter, r *http.Request) error {
	var entries []*hiring.PlanEntry
	for {
		page, total, err := s.plans.FindPlanEntries(r.Context(), hiring.PlanFilter{Offset: len(entries), Limit: api.MaxLimit})
		if err != nil {
			return err
		}
		entries = append(entries, page...)
		if len(page) == 0 || len(entries) >= total {
			break
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="hiring-plan.csv"`)
	h.Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write(hiring.PlanCSVColumns)
	for _, e := range entries {
		dep := strconv.FormatInt(e.DepartmentID, 10)
		if e.Department != nil {
			dep = e.Department.Slug
		}
		_ = cw.Write([]string{dep, e.Team, e.Quarter, strconv.Itoa(e.Planned)})
	}
	cw.Flush()
	return nil
}

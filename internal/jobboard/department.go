package jobboard

import (
	"fmt"
	"net/http"

	"hireloop/internal/hiring"
)

// Open jobs without a department are listed under a department of their
// own, id 0, as Greenhouse lists them, so that every job can be reached
// through the departments.
const (
	noDepartmentID   = 0
	noDepartmentName = "No Department"
)

// DepartmentRef is a department as a job lists it.
type DepartmentRef struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	ParentID *int64  `json:"parent_id"`
	ChildIDs []int64 `json:"child_ids"`
}

func noDepartmentRef() DepartmentRef {
	return DepartmentRef{ID: noDepartmentID, Name: noDepartmentName, ChildIDs: []int64{}}
}

// DepartmentItem is a department with its open jobs, as render_as=list shows
// it: its place in the tree is given by parent_id and child_ids.
type DepartmentItem struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	Jobs     []Job   `json:"jobs"`
	ParentID *int64  `json:"parent_id"`
	ChildIDs []int64 `json:"child_ids"`
}

// DepartmentNode is a department with its open jobs and its sub-departments
// nested, as render_as=tree shows it.
type DepartmentNode struct {
	ID       int64             `json:"id"`
	Name     string            `json:"name"`
	Jobs     []Job             `json:"jobs"`
	Children []*DepartmentNode `json:"children"`
}

// departmentView renders departments with the jobs that pass keep, for the
// departments routes (keep takes every job) and for each office (keep takes
// the office's jobs).
type departmentView struct {
	h    *Handler
	b    *board
	days int
	keep func(*hiring.Opening) bool
}

func (v departmentView) jobs(deptID int64) []Job {
	out := []Job{}
	for _, o := range v.b.jobsIn[deptID] {
		if v.keep == nil || v.keep(o) {
			out = append(out, v.h.job(o, v.days))
		}
	}
	return out
}

func (v departmentView) item(d *hiring.Department) DepartmentItem {
	return DepartmentItem{ID: d.ID, Name: d.Name, Jobs: v.jobs(d.ID), ParentID: v.b.parentOf(d),
		ChildIDs: ids(v.b.children[d.ID])}
}

func (v departmentView) node(d *hiring.Department) *DepartmentNode {
	n := &DepartmentNode{ID: d.ID, Name: d.Name, Jobs: v.jobs(d.ID), Children: []*DepartmentNode{}}
	for _, c := range v.b.children[d.ID] {
		n.Children = append(n.Children, v.node(v.b.department[c]))
	}
	return n
}

// hasNoDepartment reports whether the pseudo-department has jobs to show.
func (v departmentView) hasNoDepartment() bool { return len(v.jobs(noDepartmentID)) > 0 }

// list renders every department in slug order, then the jobs without one.
func (v departmentView) list() []DepartmentItem {
	out := make([]DepartmentItem, 0, len(v.b.departments)+1)
	for _, d := range v.b.departments {
		out = append(out, v.item(d))
	}
	if v.hasNoDepartment() {
		out = append(out, DepartmentItem{ID: noDepartmentID, Name: noDepartmentName,
			Jobs: v.jobs(noDepartmentID), ChildIDs: []int64{}})
	}
	return out
}

// tree renders the top departments with their sub-departments nested.
func (v departmentView) tree() []*DepartmentNode {
	out := []*DepartmentNode{}
	for _, d := range v.b.departments {
		if v.b.parentOf(d) == nil {
			out = append(out, v.node(d))
		}
	}
	if v.hasNoDepartment() {
		out = append(out, &DepartmentNode{ID: noDepartmentID, Name: noDepartmentName,
			Jobs: v.jobs(noDepartmentID), Children: []*DepartmentNode{}})
	}
	return out
}

// DepartmentList is the answer to GET /departments.
type DepartmentList struct {
	Departments any `json:"departments"`
}

// ListDepartments lists every department with its open jobs, as a list
// (render_as=list, the default) or as trees (render_as=tree).
func (h *Handler) ListDepartments(w http.ResponseWriter, r *http.Request) error {
	tree, err := renderAs(r)
	if err != nil {
		return h.notFoundUnlessBoard(r, err)
	}
	return h.respond(w, r, fmt.Sprintf("departments tree=%t", tree), func(b *board) (any, error) {
		v := departmentView{h: h, b: b, days: h.retentionDays()}
		if tree {
			return DepartmentList{Departments: v.tree()}, nil
		}
		return DepartmentList{Departments: v.list()}, nil
	})
}

const errNoDepartment = "Department not found"

// GetDepartment answers with one department and its open jobs; with
// render_as=tree its sub-departments are nested under it.
func (h *Handler) GetDepartment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, errNoDepartment)
	if err != nil {
		return h.notFoundUnlessBoard(r, err)
	}
	tree, err := renderAs(r)
	if err != nil {
		return h.notFoundUnlessBoard(r, err)
	}
	return h.respond(w, r, fmt.Sprintf("department %d tree=%t", id, tree), func(b *board) (any, error) {
		v := departmentView{h: h, b: b, days: h.retentionDays()}
		if id == noDepartmentID {
			if !v.hasNoDepartment() {
				return nil, hiring.Errorf(hiring.ENOTFOUND, errNoDepartment)
			}
			if tree {
				return DepartmentNode{ID: noDepartmentID, Name: noDepartmentName,
					Jobs: v.jobs(noDepartmentID), Children: []*DepartmentNode{}}, nil
			}
			return DepartmentItem{ID: noDepartmentID, Name: noDepartmentName,
				Jobs: v.jobs(noDepartmentID), ChildIDs: []int64{}}, nil
		}
		d := b.department[id]
		if d == nil {
			return nil, hiring.Errorf(hiring.ENOTFOUND, errNoDepartment)
		}
		if tree {
			return v.node(d), nil
		}
		return v.item(d), nil
	})
}

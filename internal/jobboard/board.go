package jobboard

import (
	"context"
	"fmt"

	"hireloop/internal/hiring"
)

// pageSize is how many rows each listing query asks for while a board is
// read whole; the store caps pages, so larger boards take several.
const pageSize = 500

// board is everything the listing routes show, read once per request: the
// open openings in careers-site order and every department.
type board struct {
	jobs []*hiring.Opening
	// departments are ordered by slug, so children follow their parents.
	departments []*hiring.Department
	department  map[int64]*hiring.Department
	children    map[int64][]int64
	// jobsIn holds the open jobs of each department; key 0 holds those
	// without a department.
	jobsIn map[int64][]*hiring.Opening
	// officeList and officeName are derived from the jobs on first use.
	officeList []*office
	officeName map[string]string
}

// job returns the open job with the id, or nil.
func (b *board) job(id int64) *hiring.Opening {
	for _, o := range b.jobs {
		if o.ID == id {
			return o
		}
	}
	return nil
}

func (h *Handler) loadBoard(ctx context.Context) (*board, error) {
	b := &board{department: map[int64]*hiring.Department{}, children: map[int64][]int64{},
		jobsIn: map[int64][]*hiring.Opening{}}
	open := hiring.OpeningOpen
	for offset := 0; ; offset += pageSize {
		page, total, err := h.Openings.FindOpenings(ctx, hiring.OpeningFilter{Status: &open, Offset: offset, Limit: pageSize})
		if err != nil {
			return nil, fmt.Errorf("read open openings: %w", err)
		}
		b.jobs = append(b.jobs, page...)
		if len(page) == 0 || offset+len(page) >= total {
			break
		}
	}
	for offset := 0; ; offset += pageSize {
		page, total, err := h.Departments.FindDepartments(ctx, hiring.DepartmentFilter{Offset: offset, Limit: pageSize})
		if err != nil {
			return nil, fmt.Errorf("read departments: %w", err)
		}
		b.departments = append(b.departments, page...)
		if len(page) == 0 || offset+len(page) >= total {
			break
		}
	}
	for _, d := range b.departments {
		b.department[d.ID] = d
	}
	for _, d := range b.departments {
		if d.ParentID != nil && b.department[*d.ParentID] != nil {
			b.children[*d.ParentID] = append(b.children[*d.ParentID], d.ID)
		}
	}
	for _, o := range b.jobs {
		id := int64(0)
		if o.DepartmentID != nil && b.department[*o.DepartmentID] != nil {
			id = *o.DepartmentID
		}
		b.jobsIn[id] = append(b.jobsIn[id], o)
	}
	return b, nil
}

// parentOf returns the id of a department's parent on the board, or nil.
func (b *board) parentOf(d *hiring.Department) *int64 {
	if d.ParentID != nil && b.department[*d.ParentID] != nil {
		return d.ParentID
	}
	return nil
}

// departmentRefs returns the department of an opening as its job lists it.
func (b *board) departmentRefs(o *hiring.Opening) []DepartmentRef {
	if o.DepartmentID == nil || b.department[*o.DepartmentID] == nil {
		return []DepartmentRef{noDepartmentRef()}
	}
	d := b.department[*o.DepartmentID]
	return []DepartmentRef{{ID: d.ID, Name: d.Name, ParentID: b.parentOf(d), ChildIDs: ids(b.children[d.ID])}}
}

// ids never returns nil, so that an empty list is [] and not null.
func ids(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}

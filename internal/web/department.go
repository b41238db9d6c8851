package web

import (
	"net/http"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// departmentPage shows a department: where it sits, its sub-departments
// and the job families of it and everything below it.
type departmentPage struct {
	layout
	Department *hiring.Department
	Trail      []*hiring.Department
	Children   []*deptNode
	Families   []*hiring.Family
	Pager      *pager
}

func (s *Server) handleDepartment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := api.PathID(r)
	if err != nil {
		return err
	}
	pg, err := newPager(r, perPage)
	if err != nil {
		return err
	}
	d, err := s.departments.FindDepartmentByID(ctx, id)
	if err != nil {
		return err
	}
	trail, err := s.departmentTrail(ctx, d.ParentID)
	if err != nil {
		return err
	}
	// The whole tree is read so that each sub-department can show the
	// families beneath it, in one query.
	all, _, err := s.departments.FindDepartments(ctx, hiring.DepartmentFilter{Limit: maxDepartments})
	if err != nil {
		return err
	}
	var children []*deptNode
	walkTree(buildTree(all), func(n *deptNode) {
		if n.ID == id {
			children = n.Children
		}
	})
	fams, total, err := s.families.FindFamilies(ctx, hiring.FamilyFilter{
		DepartmentID: &id, Offset: pg.Offset(), Limit: pg.PerPage})
	if err != nil {
		return err
	}
	pg.Total = total
	s.render(w, r, http.StatusOK, "department", &departmentPage{
		layout:     layout{Title: d.Name},
		Department: d,
		Trail:      trail,
		Children:   children,
		Families:   fams,
		Pager:      pg,
	})
	return nil
}

// walkTree calls fn for every node, parents before children.
func walkTree(nodes []*deptNode, fn func(*deptNode)) {
	for _, n := range nodes {
		fn(n)
		walkTree(n.Children, fn)
	}
}

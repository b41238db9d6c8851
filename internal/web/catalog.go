package web

import (
	"context"
	"net/http"

	"hireloop/internal/hiring"
)

// maxDepartments bounds the department tree read for navigation; a company
// with more departments than this has other problems.
const maxDepartments = 1000

// deptNode is a department with its sub-departments, for the nested list.
type deptNode struct {
	*hiring.Department
	Children []*deptNode
	// Families counts the families of the department and all below it, as
	// its page lists them.
	Families int
}

// homePage is the catalog's front page: the department tree.
type homePage struct {
	layout
	Tree        []*deptNode
	FamilyCount int
	RoleCount   int
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	deps, _, err := s.departments.FindDepartments(ctx, hiring.DepartmentFilter{Limit: maxDepartments})
	if err != nil {
		return err
	}
	_, nf, err := s.families.FindFamilies(ctx, hiring.FamilyFilter{Limit: 1})
	if err != nil {
		return err
	}
	_, nr, err := s.roles.FindRoles(ctx, hiring.RoleFilter{Limit: 1})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "home", &homePage{
		layout:      layout{Title: "Job catalog"},
		Tree:        buildTree(deps),
		FamilyCount: nf,
		RoleCount:   nr,
	})
	return nil
}

// buildTree nests departments under their parents, keeping the listing's
// order; a department whose parent is missing is shown at the top.
func buildTree(deps []*hiring.Department) []*deptNode {
	nodes := make(map[int64]*deptNode, len(deps))
	for _, d := range deps {
		nodes[d.ID] = &deptNode{Department: d}
	}
	var roots []*deptNode
	for _, d := range deps {
		n := nodes[d.ID]
		if d.ParentID != nil {
			if p, ok := nodes[*d.ParentID]; ok && p != n {
				p.Children = append(p.Children, n)
				continue
			}
		}
		roots = append(roots, n)
	}
	for _, n := range roots {
		n.count(0)
	}
	return roots
}

// count totals the families of a subtree; depth guards against a cycle in
// bad data.
func (n *deptNode) count(depth int) int {
	n.Families = n.FamilyCount
	if depth > 50 {
		return n.Families
	}
	for _, c := range n.Children {
		n.Families += c.count(depth + 1)
	}
	return n.Families
}

// departmentTrail returns the departments from the top down to id, for
// breadcrumbs. It stops at a loop or at 20 levels.
func (s *Server) departmentTrail(ctx context.Context, id *int64) ([]*hiring.Department, error) {
	var trail []*hiring.Department
	seen := map[int64]bool{}
	for id != nil && !seen[*id] && len(trail) < 20 {
		seen[*id] = true
		d, err := s.departments.FindDepartmentByID(ctx, *id)
		if hiring.ErrorCode(err) == hiring.ENOTFOUND {
			break
		} else if err != nil {
			return nil, err
		}
		trail = append([]*hiring.Department{d}, trail...)
		id = d.ParentID
	}
	return trail, nil
}

package jobboard_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiringtest"
	"hireloop/internal/jobboard"
	"hireloop/internal/store"
)

// deptItem is a department of render_as=list with its jobs by id.
type deptItem struct {
	ID       int64
	Name     string
	ParentID *int64
	ChildIDs []int64
	JobIDs   []int64
}

func listItems(items []jobboard.DepartmentItem) []deptItem {
	out := []deptItem{}
	for _, d := range items {
		out = append(out, deptItem{d.ID, d.Name, d.ParentID, d.ChildIDs, jobIDs(d.Jobs)})
	}
	return out
}

func jobIDs(jobs []jobboard.Job) []int64 {
	out := []int64{}
	for _, j := range jobs {
		out = append(out, j.ID)
	}
	return out
}

// deptNode is a department of render_as=tree with its jobs by id.
type deptNode struct {
	Name     string
	JobIDs   []int64
	Children []deptNode
}

func treeNodes(nodes []*jobboard.DepartmentNode) []deptNode {
	out := []deptNode{}
	for _, n := range nodes {
		out = append(out, deptNode{n.Name, jobIDs(n.Jobs), treeNodes(n.Children)})
	}
	return out
}

func TestDepartments(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		b := mustNewBoard(t, db)
		eng, data, infra, mkt := b.dept["engineering"], b.dept["engineering/data"],
			b.dept["engineering/infrastructure"], b.dept["marketing"]
		// The sample family's department path made Engineering > Data; the
		// test families added Infrastructure and Marketing.
		wantList := []deptItem{
			{eng.ID, "Engineering", nil, []int64{data.ID, infra.ID}, []int64{}},
			{data.ID, "Data", &eng.ID, []int64{}, []int64{b.data.ID}},
			{infra.ID, "Infrastructure", &eng.ID, []int64{}, []int64{b.sre.ID}},
			{mkt.ID, "Marketing", nil, []int64{}, []int64{b.marketing.ID}},
			{0, "No Department", nil, []int64{}, []int64{b.noDept.ID}},
		}
		t.Run("ListGivesParentAndChildIDs", func(t *testing.T) {
			for _, p := range []string{"/departments", "/departments?render_as=list"} {
				var got struct{ Departments []jobboard.DepartmentItem }
				b.mustGetJSON(t, path("%s", p), &got)
				if diff := cmp.Diff(wantList, listItems(got.Departments)); diff != "" {
					t.Errorf("%s (-want +got):\n%s", p, diff)
				}
			}
		})
		t.Run("ListFieldsAreGreenhouses", func(t *testing.T) {
			var got struct{ Departments []map[string]any }
			b.mustGetJSON(t, path("/departments"), &got)
			want := []string{"child_ids", "id", "jobs", "name", "parent_id"}
			if diff := cmp.Diff(want, sortedKeys(got.Departments[0])); diff != "" {
				t.Errorf("department fields (-want +got):\n%s", diff)
			}
		})
		wantTree := []deptNode{
			{"Engineering", []int64{}, []deptNode{
				{"Data", []int64{b.data.ID}, []deptNode{}},
				{"Infrastructure", []int64{b.sre.ID}, []deptNode{}},
			}},
			{"Marketing", []int64{b.marketing.ID}, []deptNode{}},
			{"No Department", []int64{b.noDept.ID}, []deptNode{}},
		}
		t.Run("TreeNestsChildren", func(t *testing.T) {
			var got struct{ Departments []*jobboard.DepartmentNode }
			b.mustGetJSON(t, path("/departments?render_as=tree"), &got)
			if diff := cmp.Diff(wantTree, treeNodes(got.Departments)); diff != "" {
				t.Errorf("tree (-want +got):\n%s", diff)
			}
			var raw struct{ Departments []map[string]any }
			b.mustGetJSON(t, path("/departments?render_as=tree"), &raw)
			if diff := cmp.Diff([]string{"children", "id", "jobs", "name"}, sortedKeys(raw.Departments[0])); diff != "" {
				t.Errorf("tree node fields (-want +got):\n%s", diff)
			}
		})
		t.Run("OneDepartmentAsListItem", func(t *testing.T) {
			var got jobboard.DepartmentItem
			b.mustGetJSON(t, path("/departments/%d", data.ID), &got)
			if diff := cmp.Diff(wantList[1], listItems([]jobboard.DepartmentItem{got})[0]); diff != "" {
				t.Errorf("department (-want +got):\n%s", diff)
			}
		})
		t.Run("OneDepartmentAsTreeNode", func(t *testing.T) {
			var got jobboard.DepartmentNode
			b.mustGetJSON(t, path("/departments/%d?render_as=tree", eng.ID), &got)
			if diff := cmp.Diff(wantTree[0], treeNodes([]*jobboard.DepartmentNode{&got})[0]); diff != "" {
				t.Errorf("department (-want +got):\n%s", diff)
			}
		})
		t.Run("JobsWithoutADepartmentHaveOne", func(t *testing.T) {
			var got jobboard.DepartmentItem
			b.mustGetJSON(t, path("/departments/0"), &got)
			if diff := cmp.Diff(wantList[4], listItems([]jobboard.DepartmentItem{got})[0]); diff != "" {
				t.Errorf("department 0 (-want +got):\n%s", diff)
			}
		})
		t.Run("UnknownDepartmentIsNotFound", func(t *testing.T) {
			for _, p := range []string{"/departments/987654", "/departments/x"} {
				status, body := b.get(t, path("%s", p))
				if e := wantError(t, status, body, http.StatusNotFound); e.Error != "Department not found" {
					t.Errorf("%s: error = %q", p, e.Error)
				}
			}
		})
		t.Run("RefusesAnUnknownRendering", func(t *testing.T) {
			for _, p := range []string{"/departments?render_as=graph", "/departments/1?render_as=x", "/offices?render_as=nested"} {
				status, body := b.get(t, path("%s", p))
				if e := wantError(t, status, body, http.StatusBadRequest); e.Fields["render_as"] == "" {
					t.Errorf("%s: error %+v does not name render_as", p, e)
				}
			}
		})
	})
}

package jobboard_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/jobboard"
	"hireloop/internal/store"
)

// officeSummary is an office with the ids of its jobs in any department.
type officeSummary struct {
	ID       int64
	Name     string
	Location string
	JobIDs   []int64
}

func summarize(o jobboard.OfficeItem) officeSummary {
	s := officeSummary{ID: o.ID, Name: o.Name, Location: o.Location, JobIDs: []int64{}}
	for _, d := range o.Departments.([]any) {
		for _, j := range d.(map[string]any)["jobs"].([]any) {
			s.JobIDs = append(s.JobIDs, int64(j.(map[string]any)["id"].(float64)))
		}
	}
	return s
}

func TestOffices(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		b := mustNewBoard(t, db)
		// Jobs come in department order: Data, Infrastructure, Marketing,
		// then those without a department.
		want := []officeSummary{
			{jobboard.OfficeID("Berlin"), "Berlin", "Berlin", []int64{b.data.ID, b.marketing.ID}},
			{jobboard.OfficeID("Europe"), "Europe", "Europe", []int64{b.sre.ID}},
			{jobboard.OfficeID("Remote"), "Remote", "Remote", []int64{b.data.ID, b.sre.ID}},
			{0, "No Office", "", []int64{b.noDept.ID}},
		}
		t.Run("OneOfficePerLocationNamePlusRemote", func(t *testing.T) {
			var got struct{ Offices []jobboard.OfficeItem }
			b.mustGetJSON(t, path("/offices"), &got)
			var sums []officeSummary
			for _, o := range got.Offices {
				sums = append(sums, summarize(o))
			}
			if diff := cmp.Diff(want, sums); diff != "" {
				t.Errorf("offices (-want +got):\n%s", diff)
			}
		})
		t.Run("FieldsAreGreenhouses", func(t *testing.T) {
			var got struct{ Offices []map[string]any }
			b.mustGetJSON(t, path("/offices"), &got)
			wantKeys := []string{"child_ids", "departments", "id", "location", "name", "parent_id"}
			if diff := cmp.Diff(wantKeys, sortedKeys(got.Offices[0])); diff != "" {
				t.Errorf("office fields (-want +got):\n%s", diff)
			}
			depts := got.Offices[0]["departments"].([]any)
			if diff := cmp.Diff([]string{"Engineering", "Data", "Infrastructure", "Marketing"}, names(depts)); diff != "" {
				t.Errorf("departments of an office (-want +got):\n%s", diff)
			}
		})
		t.Run("IDsAreStableAcrossRestarts", func(t *testing.T) {
			again := httptest.NewServer(newHandler(t, db))
			defer again.Close()
			first := officeIDs(t, b.srv.URL)
			second := officeIDs(t, again.URL)
			if diff := cmp.Diff(first, second); diff != "" {
				t.Errorf("office ids after a restart (-first +second):\n%s", diff)
			}
			for id := range first {
				if id < 0 || id >= 1<<53 {
					t.Errorf("office id %d is not a positive number safe in JavaScript", id)
				}
			}
			if jobboard.OfficeID("berlin") != jobboard.OfficeID("Berlin") ||
				jobboard.OfficeID(" Berlin ") != jobboard.OfficeID("Berlin") ||
				jobboard.OfficeID("Berlin") == jobboard.OfficeID("Bern") {
				t.Error("office ids must ignore case and spaces and tell places apart")
			}
		})
		t.Run("OneOffice", func(t *testing.T) {
			var got jobboard.OfficeItem
			b.mustGetJSON(t, path("/offices/%d", jobboard.OfficeID("Remote")), &got)
			if diff := cmp.Diff(want[2], summarize(got)); diff != "" {
				t.Errorf("office (-want +got):\n%s", diff)
			}
			var tree struct {
				Departments []*jobboard.DepartmentNode
				Children    []any
			}
			b.mustGetJSON(t, path("/offices/%d?render_as=tree", jobboard.OfficeID("Berlin")), &tree)
			wantTree := []deptNode{
				{"Engineering", []int64{}, []deptNode{{"Data", []int64{b.data.ID}, []deptNode{}}, {"Infrastructure", []int64{}, []deptNode{}}}},
				{"Marketing", []int64{b.marketing.ID}, []deptNode{}},
			}
			if diff := cmp.Diff(wantTree, treeNodes(tree.Departments)); diff != "" {
				t.Errorf("office tree (-want +got):\n%s", diff)
			}
			if tree.Children == nil || len(tree.Children) != 0 {
				t.Errorf("children = %v; want an empty list", tree.Children)
			}
		})
		t.Run("AJobListsTheSameOfficesAsTheBoard", func(t *testing.T) {
			var got jobboard.JobDetail
			b.mustGetJSON(t, path("/jobs/%d", b.marketing.ID), &got)
			wantRefs := []jobboard.OfficeRef{{ID: jobboard.OfficeID("Berlin"), Name: "Berlin", Location: "Berlin", ChildIDs: []int64{}}}
			if diff := cmp.Diff(wantRefs, got.Offices); diff != "" {
				t.Errorf("offices of a job spelling berlin in lower case (-want +got):\n%s", diff)
			}
		})
		t.Run("UnknownOfficeIsNotFound", func(t *testing.T) {
			for _, p := range []string{"/offices/12345", "/offices/x"} {
				status, body := b.get(t, path("%s", p))
				if e := wantError(t, status, body, http.StatusNotFound); e.Error != "Office not found" {
					t.Errorf("%s: error = %q", p, e.Error)
				}
			}
		})
		t.Run("AnOfficeGoesWithItsLastJob", func(t *testing.T) {
			if _, err := store.NewOpeningService(db).SetOpeningStatus(t.Context(), b.sre.ID, hiring.OpeningClosed); err != nil {
				t.Fatal(err)
			}
			status, body := b.get(t, path("/offices/%d", jobboard.OfficeID("Europe")))
			wantError(t, status, body, http.StatusNotFound)
		})
	})
}

func officeIDs(t *testing.T, base string) map[int64]string {
	t.Helper()
	res, err := http.Get(base + path("/offices"))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got struct{ Offices []jobboard.OfficeItem }
	if err := decodeJSON(res.Body, &got); err != nil {
		t.Fatal(err)
	}
	out := map[int64]string{}
	for _, o := range got.Offices {
		out[o.ID] = o.Name
	}
	return out
}

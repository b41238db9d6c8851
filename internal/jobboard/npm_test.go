package jobboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// NodeModulesEnv names a folder holding node_modules/greenhouse-jobboard-js,
// installed outside the repository by the test script.
const NodeModulesEnv = "HIRELOOP_TEST_NODE_MODULES"

// nodeClient returns the node binary and the folder of the npm client, or
// fails the test when either is missing.
func nodeClient(t *testing.T) (node, modules string) {
	t.Helper()
	missing := func(msg string) {
		t.Helper()
		t.Fatal(msg + "; scripts/test installs it")
	}
	modules = os.Getenv(NodeModulesEnv)
	if modules == "" {
		missing(NodeModulesEnv + " is not set, so the published Greenhouse client cannot be tried; install it with " +
			`npm install --prefix "$DIR" --no-save greenhouse-jobboard-js@0.6.0 and set ` + NodeModulesEnv + "=$DIR")
	}
	if _, err := os.Stat(filepath.Join(modules, "node_modules", "greenhouse-jobboard-js", "package.json")); err != nil {
		missing(NodeModulesEnv + "=" + modules + " holds no node_modules/greenhouse-jobboard-js: " + err.Error())
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed, so the published Greenhouse client cannot be tried")
	}
	return node, modules
}

// clientJob is a job as the script summarises it.
type clientJob struct {
	ID              int64  `json:"id"`
	InternalJobID   int64  `json:"internal_job_id"`
	Title           string `json:"title"`
	RequisitionID   string `json:"requisition_id"`
	Location        string `json:"location"`
	AbsoluteURL     string `json:"absolute_url"`
	UpdatedAtIsDate bool   `json:"updated_at_is_date"`
}

type clientDepartment struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	ParentID *int64  `json:"parent_id"`
	ChildIDs []int64 `json:"child_ids"`
	JobIDs   []int64 `json:"job_ids,omitempty"`
}

type clientNode struct {
	Name     string       `json:"name"`
	JobIDs   []int64      `json:"job_ids"`
	Children []clientNode `json:"children"`
}

type clientField struct {
	Name   string   `json:"name"`
	Type   string   `json:"type"`
	Values []string `json:"values"`
}

type clientQuestion struct {
	Label    string        `json:"label"`
	Required bool          `json:"required"`
	Fields   []clientField `json:"fields"`
}

// clientReport is what the script prints.
type clientReport struct {
	Jobs       []clientJob `json:"jobs"`
	ContentJob struct {
		clientJob
		ContentIsEscaped bool               `json:"content_is_escaped"`
		HTML             string             `json:"html"`
		Departments      []clientDepartment `json:"departments"`
	} `json:"content_job"`
	Job struct {
		clientJob
		HTML        string   `json:"html"`
		Departments []string `json:"departments"`
	} `json:"job"`
	Questions               []clientQuestion   `json:"questions"`
	DataCompliance          []map[string]any   `json:"data_compliance"`
	DepartmentList          []clientDepartment `json:"department_list"`
	DepartmentTree          []clientNode       `json:"department_tree"`
	DepartmentItem          clientDepartment   `json:"department_item"`
	DepartmentNode          clientNode         `json:"department_node"`
	UnknownBoardJobs        []any              `json:"unknown_board_jobs"`
	UnknownBoardDepartments []any              `json:"unknown_board_departments"`
}

// TestPublishedGreenhouseClient runs the npm package greenhouse-jobboard-js
// against the real handler with only its base URL changed, as a careers site
// built on Greenhouse would be moved to hireloop.
func TestPublishedGreenhouseClient(t *testing.T) {
	node, modules := nodeClient(t)
	script, err := filepath.Abs(filepath.Join("testdata", "greenhouse_client.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		b := mustNewBoard(t, db)
		eng := b.dept["engineering"]
		report := runClient(t, node, script, modules, b, eng.ID)

		job := func(o *hiring.Opening, location string) clientJob {
			return clientJob{ID: o.ID, InternalJobID: o.ID, Title: o.Title, RequisitionID: o.RequisitionID,
				Location: location, AbsoluteURL: testBaseURL + "/jobs/" + strconv.FormatInt(o.ID, 10), UpdatedAtIsDate: true}
		}
		wantJobs := []clientJob{job(b.data, "Berlin; Remote"), job(b.sre, "Europe"), job(b.marketing, "berlin"), job(b.noDept, "")}
		if diff := cmp.Diff(wantJobs, report.Jobs); diff != "" {
			t.Errorf("getJobList (-want +got):\n%s", diff)
		}

		cj := report.ContentJob
		if diff := cmp.Diff(wantJobs[0], cj.clientJob); diff != "" {
			t.Errorf("getJobListWithContent job (-want +got):\n%s", diff)
		}
		if !cj.ContentIsEscaped || !strings.Contains(cj.HTML, "<h2>What you will do</h2>") || strings.Contains(cj.HTML, "<script") {
			t.Errorf("getJobListWithContent content: escaped %v, unescaped %q; want escaped safe HTML", cj.ContentIsEscaped, cj.HTML)
		}
		data, infra, mkt := b.dept["engineering/data"], b.dept["engineering/infrastructure"], b.dept["marketing"]
		wantDept := []clientDepartment{{ID: data.ID, Name: "Data", ParentID: &eng.ID, ChildIDs: []int64{}}}
		if diff := cmp.Diff(wantDept, cj.Departments); diff != "" {
			t.Errorf("getJobListWithContent departments (-want +got):\n%s", diff)
		}

		if diff := cmp.Diff(wantJobs[0], report.Job.clientJob); diff != "" {
			t.Errorf("getJob (-want +got):\n%s", diff)
		}
		if !strings.Contains(report.Job.HTML, "<strong>data</strong>") || !cmp.Equal([]string{"Data"}, report.Job.Departments) {
			t.Errorf("getJob content %q, departments %v", report.Job.HTML, report.Job.Departments)
		}

		var fieldNames []string
		for _, q := range report.Questions {
			for _, f := range q.Fields {
				fieldNames = append(fieldNames, f.Name+":"+f.Type)
			}
		}
		qf := func(i int) string { return hiring.QuestionField(b.data.Questions[i].ID) }
		wantFields := []string{"first_name:input_text", "last_name:input_text", "email:input_text", "phone:input_text",
			"resume:input_file", "resume_text:textarea", "cover_letter:input_file", "cover_letter_text:textarea",
			qf(0) + ":textarea", qf(1) + ":multi_value_single_select", qf(2) + ":multi_value_multi_select",
			qf(3) + ":multi_value_single_select", qf(4) + ":input_file", qf(5) + ":input_text"}
		if diff := cmp.Diff(wantFields, fieldNames); diff != "" {
			t.Errorf("getJobWithQuestions fields (-want +got):\n%s", diff)
		}
		if got := report.Questions[8].Fields[0].Values; !cmp.Equal(b.data.Questions[2].Options, got) {
			t.Errorf("multi-select labels = %v; want %v", got, b.data.Questions[2].Options)
		}
		if len(report.DataCompliance) != 1 || report.DataCompliance[0]["type"] != "gdpr" || report.DataCompliance[0]["requires_consent"] != true {
			t.Errorf("data_compliance = %v; want one gdpr consent", report.DataCompliance)
		}

		wantList := []clientDepartment{
			{eng.ID, "Engineering", nil, []int64{data.ID, infra.ID}, []int64{}},
			{data.ID, "Data", &eng.ID, []int64{}, []int64{b.data.ID}},
			{infra.ID, "Infrastructure", &eng.ID, []int64{}, []int64{b.sre.ID}},
			{mkt.ID, "Marketing", nil, []int64{}, []int64{b.marketing.ID}},
			{0, "No Department", nil, []int64{}, []int64{b.noDept.ID}},
		}
		if diff := cmp.Diff(wantList, report.DepartmentList); diff != "" {
			t.Errorf("getDepartmentList (-want +got):\n%s", diff)
		}
		engNode := clientNode{"Engineering", []int64{}, []clientNode{
			{"Data", []int64{b.data.ID}, []clientNode{}},
			{"Infrastructure", []int64{b.sre.ID}, []clientNode{}},
		}}
		wantTree := []clientNode{engNode, {"Marketing", []int64{b.marketing.ID}, []clientNode{}},
			{"No Department", []int64{b.noDept.ID}, []clientNode{}}}
		if diff := cmp.Diff(wantTree, report.DepartmentTree); diff != "" {
			t.Errorf("getDepartmentTree (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantList[0], report.DepartmentItem); diff != "" {
			t.Errorf("getDepartmentAsListItem (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(engNode, report.DepartmentNode); diff != "" {
			t.Errorf("getDepartmentAsTreeNode (-want +got):\n%s", diff)
		}
		if report.UnknownBoardJobs == nil || len(report.UnknownBoardJobs) != 0 ||
			report.UnknownBoardDepartments == nil || len(report.UnknownBoardDepartments) != 0 {
			t.Errorf("an unknown board gave jobs %v and departments %v; the client reads Greenhouse's 404 as empty lists",
				report.UnknownBoardJobs, report.UnknownBoardDepartments)
		}
	})
}

// runClient runs the script against b's server and decodes its report.
func runClient(t *testing.T, node, script, modules string, b *board, departmentID int64) clientReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Env = append(os.Environ(),
		"NODE_MODULES="+modules,
		"BASE="+b.srv.URL,
		"BOARD="+testToken,
		"JOB_ID="+strconv.FormatInt(b.data.ID, 10),
		"DEPARTMENT_ID="+strconv.FormatInt(departmentID, 10),
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s: %v\nstderr:\n%s", filepath.Base(script), err, stderr.String())
	}
	var report clientReport
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("read the client's report %q: %v\nstderr:\n%s", stdout.String(), err, stderr.String())
	}
	return report
}

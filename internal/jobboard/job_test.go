package jobboard_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/jobboard"
	"hireloop/internal/store"
)

func TestBoard(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		b := mustNewBoard(t, db)
		t.Run("AnswersWithTheCompanyName", func(t *testing.T) {
			var got map[string]any
			b.mustGetJSON(t, jobboard.Prefix+"/"+testToken, &got)
			want := map[string]any{"name": testCompany, "content": ""}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("board (-want +got):\n%s", diff)
			}
		})
		t.Run("UnknownTokenIsNotFoundOnEveryRoute", func(t *testing.T) {
			for _, p := range []string{"", "/jobs", "/jobs/" + idOf(b.data.ID), "/departments", "/offices",
				"/departments/" + idOf(b.dept["engineering"].ID), "/offices/1"} {
				status, body := b.get(t, jobboard.Prefix+"/other"+p)
				wantError(t, status, body, http.StatusNotFound)
			}
		})
		t.Run("NoTokenConfiguredServesNoBoard", func(t *testing.T) {
			h := newHandler(t, db)
			h.BoardToken = ""
			rec := serve(h, http.MethodGet, path("/jobs"))
			wantError(t, rec.Code, rec.Body.Bytes(), http.StatusNotFound)
		})
		t.Run("UnknownPathIsGreenhouseNotFound", func(t *testing.T) {
			status, body := b.get(t, path("/sections"))
			wantError(t, status, body, http.StatusNotFound)
		})
		t.Run("OtherMethodsAreNotAllowed", func(t *testing.T) {
			rec := serve(b.h, http.MethodDelete, path("/jobs/%d", b.data.ID))
			wantError(t, rec.Code, rec.Body.Bytes(), http.StatusMethodNotAllowed)
			if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
				t.Errorf("Allow = %q; want GET and POST", allow)
			}
		})
	})
}

// idOf writes an id as a path segment.
func idOf(id int64) string { return strconv.FormatInt(id, 10) }

// jobKeys are the fields of a listed job, as Greenhouse lists them.
var jobKeys = []string{"absolute_url", "company_name", "data_compliance", "first_published", "id",
	"internal_job_id", "language", "location", "metadata", "requisition_id", "title", "updated_at"}

func sortedKeys(m map[string]any) []string {
	out := keys(m)
	sort.Strings(out)
	return out
}

func TestListJobs(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		b := mustNewBoard(t, db)
		t.Run("ListsOnlyOpenJobs", func(t *testing.T) {
			var raw struct {
				Jobs []jobboard.Job `json:"jobs"`
				Meta jobboard.ListMeta
			}
			b.mustGetJSON(t, path("/jobs"), &raw)
			var ids []int64
			for _, j := range raw.Jobs {
				ids = append(ids, j.ID)
			}
			slices.Sort(ids)
			want := []int64{b.data.ID, b.sre.ID, b.marketing.ID, b.noDept.ID}
			slices.Sort(want)
			if diff := cmp.Diff(want, ids); diff != "" {
				t.Errorf("job ids (-want +got):\n%s", diff)
			}
			if raw.Meta.Total != len(want) {
				t.Errorf("meta.total = %d; want %d", raw.Meta.Total, len(want))
			}
		})
		t.Run("FieldsAreNamedAndTypedAsGreenhouse", func(t *testing.T) {
			var got struct {
				Jobs []map[string]any `json:"jobs"`
				Meta map[string]any   `json:"meta"`
			}
			b.mustGetJSON(t, path("/jobs"), &got)
			j := findJob(t, got.Jobs, b.data.ID)
			if diff := cmp.Diff(jobKeys, sortedKeys(j)); diff != "" {
				t.Errorf("job fields (-want +got):\n%s", diff)
			}
			want := map[string]any{
				"id":              float64(b.data.ID),
				"internal_job_id": float64(b.data.ID),
				"title":           "Data Platform Engineer",
				"requisition_id":  b.data.RequisitionID,
				"location":        map[string]any{"name": "Berlin; Remote"},
				"absolute_url":    testBaseURL + "/jobs/" + idOf(b.data.ID),
				"language":        "en",
				"metadata":        nil,
				"company_name":    testCompany,
				"data_compliance": []any{map[string]any{"type": "gdpr", "requires_consent": true,
					"requires_processing_consent": true, "requires_retention_consent": false,
					// 24 months from 23 November 2026 span 29 February 2028.
					"retention_period": float64(731)}},
			}
			for k, w := range want {
				if diff := cmp.Diff(w, j[k]); diff != "" {
					t.Errorf("%s (-want +got):\n%s", k, diff)
				}
			}
			for _, k := range []string{"updated_at", "first_published"} {
				s, _ := j[k].(string)
				if _, err := time.Parse(time.RFC3339, s); err != nil || strings.Contains(s, ".") {
					t.Errorf("%s = %v; want an RFC 3339 time to the second", k, j[k])
				}
			}
			if got, err := time.Parse(time.RFC3339, j["updated_at"].(string)); err == nil &&
				!got.Equal(b.data.UpdatedAt.Truncate(time.Second)) {
				t.Errorf("updated_at = %v; want the opening's %v", j["updated_at"], b.data.UpdatedAt)
			}
			if got.Meta["total"] != float64(4) {
				t.Errorf("meta = %v; want total 4", got.Meta)
			}
		})
		t.Run("ContentAddsEscapedHTMLDepartmentsAndOffices", func(t *testing.T) {
			var got struct {
				Jobs []map[string]any `json:"jobs"`
			}
			b.mustGetJSON(t, path("/jobs?content=true"), &got)
			j := findJob(t, got.Jobs, b.data.ID)
			wantKeys := append(slices.Clone(jobKeys), "content", "departments", "offices")
			sort.Strings(wantKeys)
			if diff := cmp.Diff(wantKeys, sortedKeys(j)); diff != "" {
				t.Errorf("job fields (-want +got):\n%s", diff)
			}
			content, _ := j["content"].(string)
			if strings.ContainsAny(content, "<>") {
				t.Errorf("content holds raw markup; Greenhouse escapes it: %q", content)
			}
			page := html.UnescapeString(content)
			for _, want := range []string{"<strong>data</strong>", "<h2>What you will do</h2>",
				"<li>Keep loads on time</li>", `<a href="https://example.com/blog"`, "&amp; more"} {
				if !strings.Contains(page, want) {
					t.Errorf("unescaped content lacks %q:\n%s", want, page)
				}
			}
			if strings.Contains(page, "<script") {
				t.Errorf("unescaped content carries a script:\n%s", page)
			}
			data, eng := b.dept["engineering/data"], b.dept["engineering"]
			wantDepts := []any{map[string]any{"id": float64(data.ID), "name": data.Name,
				"parent_id": float64(eng.ID), "child_ids": []any{}}}
			if diff := cmp.Diff(wantDepts, j["departments"]); diff != "" {
				t.Errorf("departments (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"Berlin", "Remote"}, names(j["offices"])); diff != "" {
				t.Errorf("offices (-want +got):\n%s", diff)
			}
			office := j["offices"].([]any)[0].(map[string]any)
			if diff := cmp.Diff([]string{"child_ids", "id", "location", "name", "parent_id"}, sortedKeys(office)); diff != "" {
				t.Errorf("office fields (-want +got):\n%s", diff)
			}
			nd := findJob(t, got.Jobs, b.noDept.ID)
			if diff := cmp.Diff([]string{"No Department"}, names(nd["departments"])); diff != "" {
				t.Errorf("departments of a job without one (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"No Office"}, names(nd["offices"])); diff != "" {
				t.Errorf("offices of a job without a location (-want +got):\n%s", diff)
			}
		})
		t.Run("JSONPWrapsTheAnswer", func(t *testing.T) {
			res, err := http.Get(b.srv.URL + path("/jobs?callback=render.jobs_1"))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			data, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			body := string(data)
			if !strings.HasPrefix(body, "/**/render.jobs_1({\"jobs\":") || !strings.HasSuffix(body, ");\n") {
				t.Errorf("JSONP body = %.80q; want a call of render.jobs_1", body)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/javascript") {
				t.Errorf("Content-Type = %q; want application/javascript", ct)
			}
		})
		t.Run("RefusesACallbackThatIsNotAName", func(t *testing.T) {
			status, body := b.get(t, path("/jobs?callback=alert(1)"))
			wantError(t, status, body, http.StatusBadRequest)
		})
		t.Run("AnyOriginMayRead", func(t *testing.T) {
			res, err := http.Get(b.srv.URL + path("/jobs"))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin = %q; want *", got)
			}
		})
		t.Run("ClosingAJobTakesItOff", func(t *testing.T) {
			tmp := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Short-lived Job"})
			var before, after struct{ Jobs []jobboard.Job }
			b.mustGetJSON(t, path("/jobs"), &before)
			if _, err := store.NewOpeningService(db).SetOpeningStatus(t.Context(), tmp.ID, hiring.OpeningClosed); err != nil {
				t.Fatal(err)
			}
			b.mustGetJSON(t, path("/jobs"), &after)
			if !hasJob(before.Jobs, tmp.ID) || hasJob(after.Jobs, tmp.ID) {
				t.Errorf("job %d listed before closing: %v, after: %v; want true, false",
					tmp.ID, hasJob(before.Jobs, tmp.ID), hasJob(after.Jobs, tmp.ID))
			}
		})
	})
}

func hasJob(jobs []jobboard.Job, id int64) bool {
	return slices.ContainsFunc(jobs, func(j jobboard.Job) bool { return j.ID == id })
}

func findJob(t *testing.T, jobs []map[string]any, id int64) map[string]any {
	t.Helper()
	for _, j := range jobs {
		if j["id"] == float64(id) {
			return j
		}
	}
	t.Fatalf("job %d is not listed", id)
	return nil
}

// names returns the "name" of each object of a decoded JSON list.
func names(v any) []string {
	list, _ := v.([]any)
	out := []string{}
	for _, e := range list {
		m, _ := e.(map[string]any)
		s, _ := m["name"].(string)
		out = append(out, s)
	}
	return out
}

func TestGetJob(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		b := mustNewBoard(t, db)
		t.Run("HasContentWithoutAsking", func(t *testing.T) {
			var got map[string]any
			b.mustGetJSON(t, path("/jobs/%d", b.data.ID), &got)
			wantKeys := append(slices.Clone(jobKeys), "content", "departments", "offices")
			sort.Strings(wantKeys)
			if diff := cmp.Diff(wantKeys, sortedKeys(got)); diff != "" {
				t.Errorf("job fields (-want +got):\n%s", diff)
			}
			if got["title"] != "Data Platform Engineer" || !strings.Contains(got["content"].(string), "&lt;strong&gt;data&lt;/strong&gt;") {
				t.Errorf("job = %v; want its title and escaped content", got)
			}
			eng := b.dept["engineering"]
			var detail jobboard.JobDetail
			b.mustGetJSON(t, path("/jobs/%d", b.sre.ID), &detail)
			infra := b.dept["engineering/infrastructure"]
			want := []jobboard.DepartmentRef{{ID: infra.ID, Name: infra.Name, ParentID: &eng.ID, ChildIDs: []int64{}}}
			if diff := cmp.Diff(want, detail.Departments); diff != "" {
				t.Errorf("departments (-want +got):\n%s", diff)
			}
		})
		t.Run("QuestionsFollowGreenhouseFieldTypes", func(t *testing.T) {
			var got jobboard.JobDetail
			b.mustGetJSON(t, path("/jobs/%d?questions=true", b.data.ID), &got)
			type f struct{ Name, Type string }
			var fields []f
			for _, q := range got.Questions {
				for _, fl := range q.Fields {
					fields = append(fields, f{fl.Name, fl.Type})
				}
			}
			qid := func(i int) string { return hiring.QuestionField(b.data.Questions[i].ID) }
			want := []f{
				{"first_name", "input_text"}, {"last_name", "input_text"}, {"email", "input_text"},
				{"phone", "input_text"}, {"resume", "input_file"}, {"resume_text", "textarea"},
				{"cover_letter", "input_file"}, {"cover_letter_text", "textarea"},
				{qid(0), "textarea"}, {qid(1), "multi_value_single_select"}, {qid(2), "multi_value_multi_select"},
				{qid(3), "multi_value_single_select"}, {qid(4), "input_file"}, {qid(5), "input_text"},
			}
			if diff := cmp.Diff(want, fields); diff != "" {
				t.Errorf("question fields (-want +got):\n%s", diff)
			}
			var required []string
			for _, q := range got.Questions {
				if q.Required {
					required = append(required, q.Label)
				}
			}
			wantRequired := []string{"First Name", "Email", "Resume/CV", b.data.Questions[0].Label, b.data.Questions[1].Label}
			if diff := cmp.Diff(wantRequired, required); diff != "" {
				t.Errorf("required questions (-want +got):\n%s", diff)
			}
			yesNo := got.Questions[7].Fields[0].Values
			if diff := cmp.Diff([]jobboard.Choice{{Label: "Yes", Value: 1}, {Label: "No", Value: 0}}, yesNo); diff != "" {
				t.Errorf("yes/no values (-want +got):\n%s", diff)
			}
			multi := got.Questions[8].Fields[0].Values
			var labels []string
			for _, c := range multi {
				labels = append(labels, c.Label)
				if c.Value != jobboard.OptionValue(c.Label) || c.Value <= 1 || c.Value >= 1<<53 {
					t.Errorf("option %q has value %d; want a stable positive value below 2^53", c.Label, c.Value)
				}
			}
			if diff := cmp.Diff(b.data.Questions[2].Options, labels); diff != "" {
				t.Errorf("multi-select labels (-want +got):\n%s", diff)
			}
			wantLoc := []jobboard.Question{{Label: "Location", Fields: []jobboard.Field{{Name: "location", Type: "input_text", Values: []jobboard.Choice{}}}}}
			if diff := cmp.Diff(wantLoc, got.LocationQuestions); diff != "" {
				t.Errorf("location questions (-want +got):\n%s", diff)
			}
			if got.Compliance == nil || len(*got.Compliance) != 0 {
				t.Errorf("compliance = %v; want an empty list", got.Compliance)
			}
		})
		t.Run("EveryFieldHasAValuesList", func(t *testing.T) {
			_, body := b.get(t, path("/jobs/%d?questions=true", b.data.ID))
			var raw struct {
				Questions []struct {
					Fields []map[string]any `json:"fields"`
				} `json:"questions"`
			}
			if err := json.Unmarshal(body, &raw); err != nil {
				t.Fatal(err)
			}
			for _, q := range raw.Questions {
				for _, f := range q.Fields {
					if _, ok := f["values"].([]any); !ok {
						t.Errorf("field %v has no values list", f["name"])
					}
				}
			}
		})
		t.Run("WithoutQuestionsHasNoForm", func(t *testing.T) {
			var got map[string]any
			b.mustGetJSON(t, path("/jobs/%d", b.data.ID), &got)
			for _, k := range []string{"questions", "location_questions", "compliance", "pay_input_ranges"} {
				if _, ok := got[k]; ok {
					t.Errorf("job has %s without asking for it", k)
				}
			}
		})
		t.Run("PayTransparencyStatesThePayInCents", func(t *testing.T) {
			var got jobboard.JobDetail
			b.mustGetJSON(t, path("/jobs/%d?pay_transparency=true", b.data.ID), &got)
			want := []jobboard.PayRange{{MinCents: 7000000, MaxCents: 9000000, CurrencyType: "EUR", Title: "Pay range (per year)"}}
			if got.PayInputRanges == nil {
				t.Fatal("no pay_input_ranges")
			}
			if diff := cmp.Diff(want, *got.PayInputRanges); diff != "" {
				t.Errorf("pay (-want +got):\n%s", diff)
			}
			b.mustGetJSON(t, path("/jobs/%d?pay_transparency=true", b.sre.ID), &got)
			if got.PayInputRanges == nil || len(*got.PayInputRanges) != 0 {
				t.Errorf("pay of a job without pay = %v; want an empty list", got.PayInputRanges)
			}
		})
		t.Run("JobsNotOnTheBoardAreNotFound", func(t *testing.T) {
			for name, p := range map[string]string{
				"draft":     path("/jobs/%d", b.draft.ID),
				"closed":    path("/jobs/%d", b.closed.ID),
				"unknown":   path("/jobs/987654321"),
				"malformed": path("/jobs/abc"),
				"negative":  path("/jobs/-4"),
			} {
				status, body := b.get(t, p)
				e := wantError(t, status, body, http.StatusNotFound)
				if e.Error != "Job not found" {
					t.Errorf("%s: error = %q; want Greenhouse's %q", name, e.Error, "Job not found")
				}
			}
		})
	})
}

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// mustReadText records the text of a resume as the extractor would.
func (e *env) mustReadText(tb testing.TB, fileID *int64, text string, status hiring.TextStatus, note string) {
	tb.Helper()
	if fileID == nil {
		tb.Fatal("the application has no resume")
	}
	if err := e.deps.Files.SetFileText(context.Background(), *fileID, text, status, note); err != nil {
		tb.Fatalf("set file text: %v", err)
	}
}

func TestInboxListsApplicationsNewestFirst(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		o, first := e.mustApplied(t, nil, func(in *hiring.ApplyInput) { in.Name = "Ada Early" })
		e.mustReadText(t, first.Application.ResumeFileID, "Ada Early, SQL", hiring.TextDone, "")
		second := e.mustApply(t, o, func(in *hiring.ApplyInput) {
			in.Name = "Bo <b>Late</b>"
			in.Source = hiring.SourceReferral
			in.Resume = nil
			in.AdjustmentRequest = "Please send questions in writing."
		})
		path := "/openings/" + itoa(o.ID) + "/applications"
		res := c.get(path)
		res.wantStatus(t, http.StatusOK)
		d := res.doc(t)
		checkAccessible(t, path, d)
		var rows []string
		d.Find("tbody tr").Each(func(_ int, s *goquery.Selection) {
			cells := s.Find("td").Map(func(_ int, td *goquery.Selection) string {
				return strings.Join(strings.Fields(td.Text()), " ")
			})
			rows = append(rows, strings.Join(append(cells[:1:1], cells[2:]...), " | "))
		})
		want := []string{
			"Bo <b>Late</b> adjustments asked | Referral | active · applied | No resume",
			"Ada Early | Careers site | active · applied | Text read",
		}
		if diff := cmp.Diff(want, rows); diff != "" {
			t.Errorf("inbox rows (-want +got):\n%s", diff)
		}
		if href, _ := d.Find("tbody tr:first-child a").Attr("href"); href != "/candidates/"+itoa(second.Candidate.ID) {
			t.Errorf("first row links to %q", href)
		}
		if got := c.get(path + "?status=rejected").body; !strings.Contains(got, "No application has this status.") {
			t.Error("no empty state for a status without applications")
		}
		c.get(path+"?status=lost").wantStatus(t, http.StatusBadRequest)
		c.get("/openings/999999/applications").wantStatus(t, http.StatusNotFound)
	})
}

func TestCandidatePage(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{RoleID: e.role.ID, Questions: hiringtest.SampleQuestions()})
		res := e.mustApply(t, o, func(in *hiring.ApplyInput) {
			in.AdjustmentRequest = "I use a screen reader; please send documents as text."
			in.SelfID = &hiring.SelfID{Gender: "non_binary", Ethnicity: "pacific_islander", Veteran: "veteran",
				Disability: hiring.PreferNotToSay}
			in.Answers = append(in.Answers, hiring.AnswerInput{QuestionID: o.Questions[2].ID,
				Values: []string{"PostgreSQL", "ClickHouse"}})
		})
		e.mustReadText(t, res.Application.ResumeFileID, "Robin Example. Kept the warehouse loads on time; wrote Flink jobs.", hiring.TextDone, "")
		path := "/candidates/" + itoa(res.Candidate.ID)

		page := c.get(path)
		page.wantStatus(t, http.StatusOK)
		d := page.doc(t)
		checkAccessible(t, path, d)
		text := d.Find("main").Text()
		for _, s := range []string{"Robin Example", res.Candidate.Email, "+49 30 1234567", "Berlin",
			o.Questions[0].Label, "An answer written for the test.", o.Questions[1].Label, "Yes",
			o.Questions[2].Label, "PostgreSQL, ClickHouse", "I have kept nightly loads on time",
			"Kept the warehouse loads on time; wrote Flink jobs.", o.Title} {
			if !strings.Contains(text, s) {
				t.Errorf("candidate page does not show %q", s)
			}
		}
		if got := d.Find(".adjustment").Text(); !strings.Contains(got, "screen reader") {
			t.Errorf("the adjustment request is not highlighted; .adjustment = %q", got)
		}
		if href, _ := d.Find(`a[href="https://example.com/robin"]`).Attr("rel"); !strings.Contains(href, "nofollow") {
			t.Errorf("candidate link rel = %q", href)
		}
		// The answers given are distinctive words; none may appear.
		body := strings.ToLower(page.body)
		for _, s := range []string{"non_binary", "non-binary", "pacific", "islander", "veteran", "gender", "ethnicity", "self-identification"} {
			if strings.Contains(body, s) {
				t.Errorf("the candidate page shows self-identification: %q", s)
			}
		}
		download, ok := d.Find(`a[href^="/files/"]`).Attr("href")
		if !ok || !strings.Contains(download, "?application="+itoa(res.Application.ID)) {
			t.Errorf("resume download link = %q", download)
		}

		t.Run("UnreadableResumeShowsTheNote", func(t *testing.T) {
			e.mustReadText(t, res.Application.ResumeFileID, "", hiring.TextFailed, "The PDF is encrypted.")
			got := c.get(path).doc(t).Find("main").Text()
			if !strings.Contains(got, "could not be read: The PDF is encrypted.") {
				t.Errorf("no note for a resume that could not be read:\n%s", got)
			}
		})
		c.get("/candidates/999999").wantStatus(t, http.StatusNotFound)
		c.get("/candidates/x").wantStatus(t, http.StatusBadRequest)
	})
}

func TestFileDownload(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		content := "<html><script>alert(document.cookie)</script></html>"
		_, res := e.mustApplied(t, nil, func(in *hiring.ApplyInput) {
			in.Resume = &hiring.Upload{Name: `..\..\evil "cv".html`, ContentType: "text/html; charset=utf-8",
				Content: strings.NewReader(content)}
		})
		path := "/files/" + itoa(*res.Application.ResumeFileID)
		got := c.get(path)
		got.wantStatus(t, http.StatusOK)
		if got.body != content {
			t.Errorf("body = %q, want the bytes uploaded", got.body)
		}
		for header, want := range map[string]string{
			"Content-Type":           "text/html; charset=utf-8",
			"Content-Disposition":    `attachment; filename="evil _cv_.html"`,
			"X-Content-Type-Options": "nosniff",
		} {
			if v := got.Header.Get(header); v != want {
				t.Errorf("%s = %q, want %q", header, v, want)
			}
		}
		if csp := got.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
			t.Errorf("Content-Security-Policy = %q, want a sandbox", csp)
		}
		c.get("/files/999999").wantStatus(t, http.StatusNotFound)
		c.get("/files/abc").wantStatus(t, http.StatusBadRequest)
	})
}

func TestCandidateSearch(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		res := c.get("/candidates")
		res.wantStatus(t, http.StatusOK)
		if !strings.Contains(res.body, "No one has applied yet.") {
			t.Error("no empty state without candidates")
		}
		o, kafka := e.mustApplied(t, nil, func(in *hiring.ApplyInput) { in.Name = "Kim Streams" })
		e.mustReadText(t, kafka.Application.ResumeFileID, "Built ingestion on Kafka and Debezium for payments.", hiring.TextDone, "")
		other := e.mustApply(t, o, func(in *hiring.ApplyInput) { in.Name = "Lee Tables" })
		e.mustReadText(t, other.Application.ResumeFileID, "Modelled warehouses in dbt.", hiring.TextDone, "")

		names := func(path string) []string {
			t.Helper()
			res := c.get(path)
			res.wantStatus(t, http.StatusOK)
			d := res.doc(t)
			checkAccessible(t, path, d)
			var got []string
			d.Find(`tbody a[href^="/candidates/"]`).Each(func(_ int, s *goquery.Selection) { got = append(got, s.Text()) })
			return got
		}
		for q, want := range map[string][]string{
			"debezium":            {"Kim Streams"},
			"Kafka payments":      {"Kim Streams"},
			"lee":                 {"Lee Tables"},
			other.Candidate.Email: {"Lee Tables"},
		} {
			if diff := cmp.Diff(want, names("/candidates?q="+url.QueryEscape(q))); diff != "" {
				t.Errorf("search %q (-want +got):\n%s", q, diff)
			}
		}
		if got := names("/candidates"); len(got) != 2 {
			t.Errorf("everyone: %v", got)
		}
		res = c.get("/candidates?q=cobol")
		if !strings.Contains(res.body, "No candidate matches “cobol”") {
			t.Error("no message when nothing matches")
		}
		c.get("/candidates?q="+strings.Repeat("word ", 100)).wantStatus(t, http.StatusBadRequest)
		c.get("/candidates?page=-1").wantStatus(t, http.StatusBadRequest)
	})
}

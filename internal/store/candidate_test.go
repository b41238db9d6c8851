package store_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestSearchCandidates(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		apps := store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{})
		files := store.NewFileService(db, hiringtest.MustNewBlobStore(t))
		candidates := store.NewCandidateService(db)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		apply := func(email, name, resume string) *hiring.ApplyResult {
			t.Helper()
			in := hiringtest.SampleApplication(o, email)
			in.Name = name
			in.Resume.Content = strings.NewReader(resume)
			return mustApply(t, apps, in)
		}
		ana := apply("ana.lima@example.org", "Ana Lima", "raw")
		apply("ben.okafor@example.net", "Ben Okafor", "raw")
		apply("chloé@example.com", "Chloé Durand", "raw")
		search := func(t *testing.T, q string) ([]string, int) {
			t.Helper()
			got, total, err := candidates.SearchCandidates(t.Context(), hiring.CandidateSearch{Query: q})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			var names []string
			for _, c := range got {
				names = append(names, c.Name)
			}
			return names, total
		}
		t.Run("ResumeTextIsFoundOnceExtracted", func(t *testing.T) {
			if names, _ := search(t, "kubernetes"); len(names) != 0 {
				t.Errorf("found %v before the text was extracted", names)
			}
			err := files.SetFileText(t.Context(), *ana.Application.ResumeFileID,
				"Ana Lima — Site reliability. Ran Kubernetes clusters and PostgreSQL at scale.", hiring.TextDone, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{"kubernetes", "KUBERN", "postgresql kubernetes", "reliab scale"} {
				if names, total := search(t, q); !cmp.Equal(names, []string{"Ana Lima"}) || total != 1 {
					t.Errorf("search %q = %v (total %d), want Ana Lima", q, names, total)
				}
			}
			if names, _ := search(t, "kubernetes cobol"); len(names) != 0 {
				t.Errorf("every word must match; got %v", names)
			}
		})
		t.Run("ByNameAndEmail", func(t *testing.T) {
			for q, want := range map[string][]string{
				"okafor":                 {"Ben Okafor"},
				"ben.okafor@example.net": {"Ben Okafor"},
				"example.org":            {"Ana Lima"},
				"chloé":                  {"Chloé Durand"},
				"durand":                 {"Chloé Durand"},
			} {
				if names, _ := search(t, q); !cmp.Equal(names, want) {
					t.Errorf("search %q = %v, want %v", q, names, want)
				}
			}
		})
		t.Run("NameRanksAboveResume", func(t *testing.T) {
			lima := apply("pat@example.org", "Pat Rivers", "raw")
			if err := files.SetFileText(t.Context(), *lima.Application.ResumeFileID, "Worked with Ana Lima in Lima, Peru.", hiring.TextDone, ""); err != nil {
				t.Fatal(err)
			}
			names, total := search(t, "lima")
			if total != 2 || names[0] != "Ana Lima" {
				t.Errorf("search lima = %v, want Ana Lima first of 2", names)
			}
		})
		t.Run("QueryOfSymbolsListsEveryoneNewestFirst", func(t *testing.T) {
			names, total := search(t, `"*:& ()`)
			if total != 4 || names[0] != "Pat Rivers" {
				t.Errorf("got %v (total %d)", names, total)
			}
		})
		t.Run("BrokenTextIsStoredCleaned", func(t *testing.T) {
			id := *ana.Application.ResumeFileID
			if err := files.SetFileText(t.Context(), id, "Ana\x00 \xff\xfe Kubernetes", hiring.TextDone, ""); err != nil {
				t.Fatal(err)
			}
			f, err := files.FindFileByID(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			if f.Text != "Ana \uFFFD Kubernetes" {
				t.Errorf("text = %q", f.Text)
			}
		})
		t.Run("FailedExtractionKeepsANote", func(t *testing.T) {
			id := *ana.Application.ResumeFileID
			if err := files.SetFileText(t.Context(), id, "", hiring.TextFailed, "The PDF is encrypted."); err != nil {
				t.Fatal(err)
			}
			f, _ := files.FindFileByID(t.Context(), id)
			if f.TextStatus != hiring.TextFailed || f.Note != "The PDF is encrypted." {
				t.Errorf("file %+v", f)
			}
			if names, _ := search(t, "kubernetes"); len(names) != 0 {
				t.Errorf("found %v after the text was dropped", names)
			}
			wantCode(t, files.SetFileText(t.Context(), 999999, "", hiring.TextDone, ""), hiring.ENOTFOUND)
			wantField(t, files.SetFileText(t.Context(), id, "", "lost", ""), "status")
		})
		t.Run("PendingFilesOldestFirst", func(t *testing.T) {
			got, err := files.FindFilesPendingText(t.Context(), 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].ID > got[1].ID {
				t.Errorf("pending = %v, want Ben's and Chloé's resumes", got)
			}
		})
		t.Run("TooLongQueryNamesTheField", func(t *testing.T) {
			_, _, err := candidates.SearchCandidates(t.Context(), hiring.CandidateSearch{Query: strings.Repeat("a ", 200)})
			wantField(t, err, "query")
		})
	})
}

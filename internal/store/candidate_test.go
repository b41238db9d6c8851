package store_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"unicode"

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
		t.Run("PageFarPastTheEndIsEmpty", func(t *testing.T) {
			for _, q := range []string{"", "lima"} {
				got, total, err := candidates.SearchCandidates(t.Context(), hiring.CandidateSearch{Query: q, Offset: math.MaxInt - 10})
				if err != nil || len(got) != 0 || total == 0 {
					t.Errorf("search %q far past the end: %v (total %d, err %v), want an empty page and the total", q, got, total, err)
				}
			}
		})
		t.Run("TooLongQueryNamesTheField", func(t *testing.T) {
			_, _, err := candidates.SearchCandidates(t.Context(), hiring.CandidateSearch{Query: strings.Repeat("a ", 200)})
			wantField(t, err, "query")
		})
	})
}

func TestSearchCandidatesRanking(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		apps := store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{})
		files := store.NewFileService(db, hiringtest.MustNewBlobStore(t))
		candidates := store.NewCandidateService(db)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		apply := func(email, name, resume string) {
			t.Helper()
			in := hiringtest.SampleApplication(o, email)
			in.Name = name
			res := mustApply(t, apps, in)
			if err := files.SetFileText(t.Context(), *res.Application.ResumeFileID, resume, hiring.TextDone, ""); err != nil {
				t.Fatal(err)
			}
		}
		apply("lima@example.org", "Ana Lima", "Ran the support desk.")
		apply("pat@example.org", "Pat Rivers", "Mentored Ana on the support desk.")
		apply("bel@example.org", "Anabel Cruz", "Support engineer.")
		apply("souza@example.org", "Ana Souza", "Support lead.")
		search := func(t *testing.T, q string) []string {
			t.Helper()
			got, total, err := candidates.SearchCandidates(t.Context(), hiring.CandidateSearch{Query: q})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			if total != len(got) {
				t.Errorf("search %q: total %d for %d candidates", q, total, len(got))
			}
			var names []string
			for _, c := range got {
				names = append(names, c.Name)
			}
			return names
		}
		t.Run("WholeNameWordBeforeStartOfNameWordBeforeResume", func(t *testing.T) {
			want := []string{"Ana Souza", "Ana Lima", "Anabel Cruz", "Pat Rivers"}
			if diff := cmp.Diff(want, search(t, "ana")); diff != "" {
				t.Errorf("search ana (-want +got):\n%s", diff)
			}
		})
		// Only PostgreSQL's search rows keep contacts.
		if db.Engine() == "postgres" {
			t.Run("RowsIndexedBeforeContactsWereKeptRankAlike", func(t *testing.T) {
				if _, err := db.SQL().ExecContext(t.Context(), "UPDATE candidate_search SET contact = ''"); err != nil {
					t.Fatal(err)
				}
				want := []string{"Ana Souza", "Ana Lima", "Anabel Cruz", "Pat Rivers"}
				if diff := cmp.Diff(want, search(t, "ana")); diff != "" {
					t.Errorf("search ana (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("EqualMatchesNewestFirst", func(t *testing.T) {
			want := []string{"Ana Souza", "Anabel Cruz", "Pat Rivers", "Ana Lima"}
			if diff := cmp.Diff(want, search(t, "support")); diff != "" {
				t.Errorf("search support (-want +got):\n%s", diff)
			}
		})
		t.Run("EmailFindsItsOwner", func(t *testing.T) {
			if diff := cmp.Diff([]string{"Pat Rivers"}, search(t, "pat@example.org")); diff != "" {
				t.Errorf("search by email (-want +got):\n%s", diff)
			}
		})
		t.Run("WordThatStartsNoWordFindsNoOne", func(t *testing.T) {
			got, total, err := candidates.SearchCandidates(t.Context(), hiring.CandidateSearch{Query: "support zyzzyva"})
			if err != nil || total != 0 || got == nil || len(got) != 0 {
				t.Errorf("got %v, total %d, err %v; want an empty list", got, total, err)
			}
		})
	})
}

// TestSearchCandidatesAtScale checks searches over enough candidates to
// count past hiring.MaxSearchTotal against the documents themselves. On
// PostgreSQL the search buckets are made tiny, so that a few thousand
// candidates fill many of them and a search takes every path it takes
// over millions; each query also runs with prefixes gathered by GIN and
// with prefixes checked row by row.
func TestSearchCandidatesAtScale(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		store.TuneSearch(db, 2, 8, 1e12)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		if _, err := db.SeedCandidates(t.Context(), store.SeedOptions{Candidates: 2500, OpeningIDs: []int64{o.ID}, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		docs := mustReadDocuments(t, db)
		candidates := store.NewCandidateService(db)
		queries := []string{
			"experience",      // nearly everyone
			"okafor",          // a last name
			"ana okafor",      // a first name or a word starting with it, and a last name
			"astronomy chess", // two rare words
			"kube",            // a word's start
			"1",               // starts many numbers of the emails
			"9 experience",    // the same with a common word
			"12",              // starts a few numbers
			"seed example org",
			"zz",
		}
		for _, maxPrefixRows := range []float64{1e12, 0} {
			store.TuneSearch(db, 2, 8, maxPrefixRows)
			for _, q := range queries {
				want := matching(docs, q)
				total := min(len(want), hiring.MaxSearchTotal+1)
				got, n := mustSearchAll(t, candidates, q, total)
				if n != total {
					t.Errorf("search %q: total %d, want %d", q, n, total)
				}
				if len(want) <= hiring.MaxSearchTotal {
					slices.Sort(got)
					slices.Sort(want)
				} else {
					want = want[:len(got)]
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("search %q (-want +got):\n%s", q, diff)
				}
				if len(want) > hiring.MaxSearchTotal {
					page, _, err := candidates.SearchCandidates(t.Context(), hiring.CandidateSearch{Query: q, Offset: 1150, Limit: 20})
					if err != nil {
						t.Fatal(err)
					}
					all := matching(docs, q)
					if diff := cmp.Diff(all[1150:min(1170, len(all))], ids(page)); diff != "" {
						t.Errorf("search %q, page past the count (-want +got):\n%s", q, diff)
					}
				}
			}
		}
	})
}

// mustSearchAll returns the ids of every candidate the search pages through
// up to total, and the total it reports.
func mustSearchAll(t *testing.T, s *store.CandidateService, q string, total int) ([]int64, int) {
	t.Helper()
	out := []int64{}
	n := 0
	for off := 0; off < min(total, hiring.MaxSearchTotal); off += 250 {
		page, tot, err := s.SearchCandidates(t.Context(), hiring.CandidateSearch{Query: q, Offset: off, Limit: 250})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		out = append(out, ids(page)...)
		n = tot
	}
	return out, n
}

func ids(cs []*hiring.Candidate) []int64 {
	out := []int64{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// mustReadDocuments returns each candidate's words: those of their name,
// email and extracted resume text, split at every character that is not a
// letter or digit, in lower case.
func mustReadDocuments(t *testing.T, db *store.DB) map[int64][]string {
	t.Helper()
	rows, err := db.SQL().QueryContext(t.Context(), `SELECT c.id, c.name, c.email, f.text FROM candidates c
		JOIN applications a ON a.candidate_id = c.id JOIN files f ON f.id = a.resume_file_id WHERE f.text_status = 'done'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	docs := map[int64][]string{}
	for rows.Next() {
		var id int64
		var name, email, text string
		if err := rows.Scan(&id, &name, &email, &text); err != nil {
			t.Fatal(err)
		}
		docs[id] = append(docs[id], words(name+" "+email+" "+text)...)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return docs
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// matching returns the ids of the documents in which every word of q starts
// a word, newest first.
func matching(docs map[int64][]string, q string) []int64 {
	out := []int64{}
	for id, doc := range docs {
		if !slices.ContainsFunc(words(q), func(w string) bool {
			return !slices.ContainsFunc(doc, func(d string) bool { return strings.HasPrefix(d, w) })
		}) {
			out = append(out, id)
		}
	}
	slices.SortFunc(out, func(a, b int64) int { return int(b - a) })
	return out
}

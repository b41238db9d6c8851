package handbook

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// reStatedGrade finds the grade numbers a page writes: "[grade 8]", "Grade
// 10", "grade #12", "job grade [12]", "grade 9.5". "Job Grades" and "the
// grade." are prose without a number and do not match.
var reStatedGrade = regexp.MustCompile(`(?i)\bgrade\s*#?\s*\[?\s*(\d{1,2}(?:\.5)?)\b`)

func TestCorpusImportsWithoutFailure(t *testing.T) {
	res, err := ImportPaths([]string{filepath.Join(sharedDir(t), "handbook", "job-families")}, nil)
	if err != nil {
		t.Fatalf("ImportPaths: %v", err)
	}
	files := corpusFiles(t)
	if len(res.Pages) != len(files) {
		t.Fatalf("got %d pages for %d files", len(res.Pages), len(files))
	}
	families := res.Families()
	if len(families) < 30 {
		t.Errorf("got %d families, want the 30 or more family pages of the corpus", len(families))
	}
	for _, f := range families {
		if len(f.Roles) == 0 {
			t.Errorf("%s: family with no roles", f.Source)
		}
		if f.Title == "" || f.Slug == "" {
			t.Errorf("%s: title %q slug %q", f.Source, f.Title, f.Slug)
		}
		if len(f.ContentHash) != 64 {
			t.Errorf("%s: content hash %q is not sha256 hex", f.Source, f.ContentHash)
		}
		slugs := map[string]bool{}
		for i, r := range f.Roles {
			if strings.TrimSpace(r.Title) == "" {
				t.Errorf("%s: role %d has an empty title", f.Source, i)
			}
			if slugs[r.Slug] || r.Slug == "" {
				t.Errorf("%s: role slug %q is empty or repeated", f.Source, r.Slug)
			}
			slugs[r.Slug] = true
			if r.Position != i+1 {
				t.Errorf("%s: %q has position %d, want %d", f.Source, r.Title, r.Position, i+1)
			}
		}
	}
}

func TestCorpusEveryStatedGradeYieldsARole(t *testing.T) {
	for _, path := range corpusFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			stated := map[float64]bool{}
			for _, m := range reStatedGrade.FindAllStringSubmatch(string(data), -1) {
				g, _ := strconv.ParseFloat(m[1], 64)
				stated[g] = true
			}
			p := Parse(path, data)
			if len(stated) == 0 {
				return
			}
			if p.Family == nil {
				t.Fatalf("page states grades %v but is not a family: %s", stated, p.Reason)
			}
			have := map[float64]bool{}
			for _, g := range grades(p.Family) {
				have[g] = true
			}
			for g := range stated {
				if !have[g] {
					t.Errorf("page states grade %v but no role has it; role grades: %v", g, grades(p.Family))
				}
			}
		})
	}
}

func TestCorpusRecognisesPagesThatAreNotFamilies(t *testing.T) {
	for _, tc := range []struct {
		name, file, reason string
	}{
		{"IndexPage", "product__index.html.md.erb", "index page"},
		{"Partial", "sales___performance.erb", "partial"},
		{"DataFile", "job_families.yml", "data file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParseFile(t, corpusFile(t, tc.file))
			if !p.NotFamily || p.Family != nil {
				t.Fatalf("NotFamily = %v, Family = %v; want a page that is not a family", p.NotFamily, p.Family != nil)
			}
			if !strings.Contains(p.Reason, tc.reason) {
				t.Errorf("reason %q does not say %q", p.Reason, tc.reason)
			}
		})
	}
}

func TestCorpusDepartmentsComeFromThePath(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"infrastructure__site-reliability-engineer__index", []string{"Engineering", "Infrastructure"}},
		{"handbook-hugo__content__job-families__engineering__development__backend___index.md", []string{"Engineering", "Development"}},
		{"development__backend__senior__index", []string{"Engineering", "Development"}},
		{"people-ops__recruiter", []string{"People Ops"}},
		{"legal-and-corporate-affairs__legal-counsel", []string{"Legal and Corporate Affairs"}},
		{"technology-partner-manager__associate.md", []string{"Alliances"}},
		{"wwwgitlabcom-2016__source__jobs__developer", nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f := mustFamily(t, corpusFile(t, tc.file))
			if diff := cmp.Diff(tc.want, f.DepartmentPath); diff != "" {
				t.Errorf("department (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCorpusShapes(t *testing.T) {
	t.Run("TableOfRolesAndGradesAddsRolesWithoutSections", func(t *testing.T) {
		f := mustFamily(t, corpusFile(t, "finance__internal-audit"))
		r := roleByTitle(t, f, "SOX Compliance Analyst")
		if r.Grade == nil || *r.Grade != 6 {
			t.Errorf("grade = %v, want 6 from the table", gradeOf(r))
		}
		vp := roleByTitle(t, f, "Vice President, Internal Audit")
		if vp.Grade == nil || *vp.Grade != 12 {
			t.Errorf("VP grade = %v, want 12 from \"grade #12\"", gradeOf(vp))
		}
	})
	t.Run("BareLevelHeadingsTakeTheirGradeSentencesName", func(t *testing.T) {
		f := mustFamily(t, corpusFile(t, "people-ops__recruiter"))
		for _, title := range []string{"Associate Recruiter", "Senior Recruiter", "Recruiting Lead", "Manager, Recruiting"} {
			roleByTitle(t, f, title)
		}
	})
	t.Run("GradeHeadingWithATitleStartsARole", func(t *testing.T) {
		f := mustFamily(t, corpusFile(t, "sales__solutions-architect"))
		r := roleByTitle(t, f, "Vice President of Solution Architecture (SA)")
		if r.Grade == nil || *r.Grade != 12 || len(r.Responsibilities) == 0 {
			t.Errorf("grade %v, %d responsibilities; want 12 and its list", gradeOf(r), len(r.Responsibilities))
		}
	})
	t.Run("SinglePageRoleIsNamedByItsGradeSentence", func(t *testing.T) {
		f := mustFamily(t, corpusFile(t, "distinguished-engineer"))
		if len(f.Roles) != 1 || f.Roles[0].Title != "Distinguished Engineer" {
			t.Fatalf("roles = %d, first %q; want one Distinguished Engineer", len(f.Roles), f.Roles[0].Title)
		}
		if len(f.Roles[0].Requirements) == 0 || len(f.Roles[0].Specialties) == 0 {
			t.Errorf("want the page's requirements and specialties on the role")
		}
	})
	t.Run("TwoThousandSixteenPageIsOneRole", func(t *testing.T) {
		f := mustFamily(t, corpusFile(t, "2016__source__jobs__developer"))
		if len(f.Roles) != 1 || f.Roles[0].Title != "Developer" || len(f.Roles[0].Responsibilities) != 8 {
			t.Errorf("want one Developer role with its 8 responsibilities")
		}
	})
	t.Run("IndicatorsForManagersGoToManagers", func(t *testing.T) {
		f := mustFamily(t, corpusFile(t, "engineering__backend-engineer__index"))
		ic := roleByTitle(t, f, "Senior Backend Engineer")
		mgr := roleByTitle(t, f, "Backend Engineering Manager")
		if len(ic.PerformanceIndicators) != 3 || len(mgr.PerformanceIndicators) != 8 {
			t.Errorf("IC has %d, manager %d indicators; want 3 and 8", len(ic.PerformanceIndicators), len(mgr.PerformanceIndicators))
		}
		if len(ic.HiringProcess) == len(mgr.HiringProcess) {
			t.Errorf("IC and manager hiring processes should differ (%d steps each)", len(ic.HiringProcess))
		}
	})
	t.Run("TyposInSectionNamesAreRead", func(t *testing.T) {
		f := mustFamily(t, corpusFile(t, "people-ops__recruiter"))
		if len(f.Roles[0].Specialties) == 0 {
			t.Errorf("\"Specialities\" section not read")
		}
	})
	t.Run("UnresolvedPartialIsAWarningOnItsLine", func(t *testing.T) {
		path := corpusFile(t, "product-manager__index")
		p := mustParseFile(t, path)
		if p.Family == nil {
			t.Fatalf("not a family: %s", p.Reason)
		}
		var line int
		for _, w := range p.Warnings {
			if strings.Contains(w.Message, "unresolved partial") {
				line = w.Line
			}
		}
		if line == 0 {
			t.Fatalf("no unresolved partial warning in %v", p.Warnings)
		}
		if got := lineOf(t, path, line); !strings.Contains(got, "partial") {
			t.Errorf("warning points at line %d: %q", line, got)
		}
	})
}

// TestCorpusWarningsPointAtTheirLines checks that every warning that names a
// section names one written on the line it gives.
func TestCorpusWarningsPointAtTheirLines(t *testing.T) {
	reQuoted := regexp.MustCompile(`^section "([^"]+)"`)
	for _, path := range corpusFiles(t) {
		p := mustParseFile(t, path)
		for _, w := range p.Warnings {
			if w.Source != filepath.ToSlash(path) {
				t.Errorf("warning source %q, want %q", w.Source, path)
			}
			m := reQuoted.FindStringSubmatch(w.Message)
			if m == nil {
				continue
			}
			name := m[1]
			if i := strings.LastIndex(name, " > "); i >= 0 {
				name = name[i+3:]
			}
			if got := plain(lineOf(t, path, w.Line)); !strings.Contains(got, strings.TrimSuffix(name, "…")) {
				t.Errorf("%s: warning %q points at line %d: %q", filepath.Base(path), w.Message, w.Line, got)
			}
		}
	}
}

func lineOf(tb testing.TB, path string, n int) string {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		tb.Fatalf("line %d is outside %s (%d lines)", n, path, len(lines))
	}
	return lines[n-1]
}

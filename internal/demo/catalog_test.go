package demo

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/handbook"
	"hireloop/internal/hiring"
)

// parsePage adapts the real importer to Load, the way serve --demo does.
func parsePage(source string, data []byte) (*hiring.Family, error) {
	p := handbook.Parse(source, data)
	if p.NotFamily {
		return nil, fmt.Errorf("%s is not a job family: %s", source, p.Reason)
	}
	return p.Family, nil
}

// reDepartment reads the department the front matter states, so the test
// compares the importer's answer with the page and not with a copy of it.
var reDepartment = regexp.MustCompile(`(?m)^department: "([^"]+)"$`)

// mustParseAll parses every demo page through the importer.
func mustParseAll(tb testing.TB) []*handbook.Page {
	tb.Helper()
	pages, err := Pages()
	if err != nil {
		tb.Fatal(err)
	}
	parsed := make([]*handbook.Page, len(pages))
	for i, p := range pages {
		parsed[i] = handbook.Parse(p.Source, p.Data)
	}
	return parsed
}

func TestPagesImportCleanly(t *testing.T) {
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		t.Run(strings.TrimSuffix(strings.TrimPrefix(p.Source, "demo/families/"), ".md"), func(t *testing.T) {
			got := handbook.Parse(p.Source, p.Data)
			if got.NotFamily {
				t.Fatalf("not a family: %s", got.Reason)
			}
			for _, w := range got.Warnings {
				t.Errorf("warning at line %d: %s", w.Line, w.Message)
			}
			m := reDepartment.FindSubmatch(p.Data)
			if m == nil {
				t.Fatal("the page states no department")
			}
			want := strings.Split(string(m[1]), " > ")
			if diff := cmp.Diff(want, got.Family.DepartmentPath); diff != "" {
				t.Errorf("department path mismatch (-page +imported):\n%s", diff)
			}
			if strings.TrimSpace(got.Family.Summary) == "" {
				t.Error("the family has no opening text")
			}
		})
	}
}

func TestCatalogIsAWholeCompany(t *testing.T) {
	parsed := mustParseAll(t)
	var (
		roles    []*hiring.Role
		topLevel = map[string]bool{}
		nested   = false
	)
	for _, p := range parsed {
		if p.Family == nil {
			t.Fatalf("%s is not a family", p.Source)
		}
		path := p.Family.DepartmentPath
		if len(path) == 0 {
			t.Errorf("%s has no department", p.Source)
			continue
		}
		topLevel[path[0]] = true
		nested = nested || len(path) > 1
		roles = append(roles, p.Family.Roles...)
	}

	t.Run("HasThreeTopLevelDepartmentsAndNesting", func(t *testing.T) {
		if len(topLevel) < 3 || !nested {
			t.Errorf("top-level departments %v (nested: %v), want at least 3 and some nesting", topLevel, nested)
		}
	})
	t.Run("HasSixFamiliesAndTwentyRoles", func(t *testing.T) {
		if len(parsed) < 6 || len(roles) < 20 {
			t.Errorf("%d families and %d roles, want at least 6 and 20", len(parsed), len(roles))
		}
	})
	t.Run("EveryRoleIsComplete", func(t *testing.T) {
		for _, r := range roles {
			switch {
			case strings.TrimSpace(r.Title) == "":
				t.Errorf("a role has no title")
			case r.Grade == nil:
				t.Errorf("%s: no grade", r.Title)
			case !hiring.ValidGrade(*r.Grade):
				t.Errorf("%s: grade %g is not a valid job grade", r.Title, *r.Grade)
			case strings.TrimSpace(r.Summary) == "":
				t.Errorf("%s: no summary", r.Title)
			case len(r.Responsibilities) == 0 || len(r.Requirements) == 0:
				t.Errorf("%s: %d responsibilities and %d requirements, want at least one of each",
					r.Title, len(r.Responsibilities), len(r.Requirements))
			case len(r.PerformanceIndicators) == 0 || len(r.HiringProcess) == 0:
				t.Errorf("%s: no performance indicators or no hiring process", r.Title)
			}
		}
	})
	t.Run("HasAHalfGrade", func(t *testing.T) {
		for _, r := range roles {
			if r.Grade != nil && *r.Grade == 9.5 {
				return
			}
		}
		t.Error("no role has grade 9.5, so the demo never shows a half grade")
	})
	t.Run("RolesAreDistinct", func(t *testing.T) {
		titles, summaries := map[string]bool{}, map[string]bool{}
		for _, r := range roles {
			if titles[r.Title] || summaries[r.Summary] {
				t.Errorf("%s repeats the title or summary of another role", r.Title)
			}
			titles[r.Title], summaries[r.Summary] = true, true
		}
	})
}

func TestPagesAreFinishedWriting(t *testing.T) {
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	unfinished := regexp.MustCompile(`(?i)\b(todo|tbd|fixme|lorem|ipsum|xxx)\b`)
	for _, p := range pages {
		if m := unfinished.Find(p.Data); m != nil {
			t.Errorf("%s contains placeholder text %q", p.Source, m)
		}
		if !strings.Contains(string(p.Data), "Larkspur Labs") {
			t.Errorf("%s never names the company", p.Source)
		}
	}
}

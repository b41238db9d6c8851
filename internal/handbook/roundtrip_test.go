package handbook

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"hireloop/internal/hiring"
)

// catalogOptions compare what the catalog holds, not where it came from.
var catalogOptions = cmp.Options{
	cmpopts.IgnoreFields(hiring.Family{}, "ContentHash", "Source"),
	cmpopts.EquateEmpty(),
}

// roundTrip renders f and parses the page back.
func roundTrip(tb testing.TB, f *hiring.Family) (*hiring.Family, *Page) {
	tb.Helper()
	out := Render(f)
	p := Parse(ExportPath(f), out)
	if p.Family == nil {
		tb.Fatalf("rendered page of %q is not a family (%s):\n%s", f.Title, p.Reason, out)
	}
	return p.Family, p
}

func TestRoundTripCorpusAndSeeds(t *testing.T) {
	files := corpusFiles(t)
	files = append(files, seedFile(t, "001_"), seedFile(t, "004_"))
	n := 0
	for _, path := range files {
		p := mustParseFile(t, path)
		if p.Family == nil {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			got, back := roundTrip(t, p.Family)
			if diff := cmp.Diff(p.Family, got, catalogOptions); diff != "" {
				t.Errorf("catalog changed through Render and Parse (-before +after):\n%s", diff)
			}
			for _, w := range back.Warnings {
				t.Errorf("rendered page gives a warning: line %d: %s", w.Line, w.Message)
			}
			if again := Render(got); string(again) != string(Render(p.Family)) {
				t.Errorf("rendering the read-back family gives a different page")
			}
		})
	}
	if n < 30 {
		t.Errorf("round-tripped %d families, want the whole corpus", n)
	}
}

func TestRoundTripEditedFamily(t *testing.T) {
	g := func(v float64) *float64 { return &v }
	f := &hiring.Family{
		Title:          "Lighthouse *Keeping* & [Signals]",
		Slug:           "lighthouse",
		Summary:        "Keepers tend the light.\n\n- Nights on the rock\n- # not a heading\n\n1. not a list either",
		DepartmentPath: []string{"Operations", "Coast > Sea"},
		Roles: []*hiring.Role{
			{
				Title: "Keeper", Slug: "keeper", Level: "Staff", Grade: g(9.5), Position: 1,
				Summary:          "Watches the lamp. The Keeper is a grade 9.5 role.",
				Responsibilities: []string{"Trim the wick_daily", "Log `weather` every *hour*", "- dash first", "<b>bold</b> & &amp; text", "{:toc} and {{< x >}}"},
				Requirements:     []string{"10. years at sea", "Can climb 200 steps"},
				NiceToHaves:      []string{"Knows Morse \\ code"},
				PerformanceIndicators: []hiring.PerformanceIndicator{
					{Name: "Lamp uptime [%]", URL: "https://example.com/wiki/Uptime_(lamp)"},
					{Name: "Ships warned"},
				},
				Specialties: []hiring.Specialty{
					{Name: "Fog signals", Description: "Runs the horn.\n\n- Oils the valves", PrimaryLanguage: "Morse"},
					{Name: "Radio", Description: "Writes the beacon firmware in Go.", PrimaryLanguage: ""},
				},
				HiringProcess: []hiring.HiringStep{
					{Name: "Screening call", Minutes: 30, Who: "the harbour master"},
					{Name: "A 45 minute walk with the Keeper", Minutes: 45, Who: "Keeper"},
					{Name: "Night shift trial"},
				},
				CareerLadder: "Keepers may become Harbour Masters.",
			},
			{
				Title: "Assistant Keeper", Slug: "assistant-keeper-2", Level: "", Grade: nil, Position: 2,
				Responsibilities: []string{"Help the Keeper"},
			},
		},
	}
	got, p := roundTrip(t, f)
	if diff := cmp.Diff(f, got, catalogOptions); diff != "" {
		t.Errorf("catalog changed through Render and Parse (-before +after):\n%s\npage:\n%s", diff, Render(f))
	}
	if hasWarning(p.Warnings, 0, "given those of") {
		t.Errorf("a role without indicators borrowed some on the way back: %v", p.Warnings)
	}
}

func TestExportPath(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    hiring.Family
		want string
	}{
		{"DepartmentsAndSlug", hiring.Family{Title: "Site Reliability Engineer", Slug: "site-reliability-engineer", DepartmentPath: []string{"Engineering", "Infrastructure"}}, "engineering/infrastructure/site-reliability-engineer.md"},
		{"NoDepartment", hiring.Family{Title: "Gardener", Slug: "gardener"}, "gardener.md"},
		{"SlugFromTitle", hiring.Family{Title: "People Ops & Culture", DepartmentPath: []string{"People Ops"}}, "people-ops/people-ops-and-culture.md"},
		{"NothingToNameIt", hiring.Family{}, "family.md"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ExportPath(&tc.f); got != tc.want {
				t.Errorf("ExportPath = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRenderIsReadableMarkdown(t *testing.T) {
	f := mustFamily(t, testdataPage(t, "data-platform.html.md"))
	out := string(Render(f))
	for _, want := range []string{
		"title: Data Platform Engineering\n",
		"department: Engineering > Data\n",
		"### Manager, Data Platform\n",
		"#### Job Grade\n\nThe Manager, Data Platform is a grade 9.5.\n",
		"- [Pipeline Freshness](https://example.com/pi#freshness)\n",
		"- A 90-minute technical interview with a Data Engineer\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered page lacks %q:\n%s", want, out)
		}
	}
}

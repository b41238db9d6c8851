package handbook

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
)

func TestParseFixturePage(t *testing.T) {
	p := mustParseFile(t, testdataPage(t, "data-platform.html.md"))
	f := p.Family
	if f == nil {
		t.Fatalf("not a family: %s", p.Reason)
	}

	t.Run("ReadsFrontMatter", func(t *testing.T) {
		if f.Title != "Data Platform Engineering" || f.Slug != "data-platform-engineering" {
			t.Errorf("title %q slug %q", f.Title, f.Slug)
		}
		if diff := cmp.Diff([]string{"Engineering", "Data"}, f.DepartmentPath); diff != "" {
			t.Errorf("department (-want +got):\n%s", diff)
		}
	})
	t.Run("SummaryIsTheOpeningTextWithoutNavigation", func(t *testing.T) {
		want := "Data Platform Engineers build the pipelines that move every number our company reports. They work with analysts and product teams."
		if f.Summary != want {
			t.Errorf("summary = %q, want %q", f.Summary, want)
		}
	})
	t.Run("RolesInPageOrderWithEveryGradeSpelling", func(t *testing.T) {
		type row struct {
			Title, Level string
			Grade        any
		}
		var got []row
		for _, r := range f.Roles {
			got = append(got, row{r.Title, r.Level, gradeOf(r)})
		}
		want := []row{
			{"Associate Data Engineer", LevelAssociate, 5.0}, // from the table
			{"Data Engineer", LevelIntermediate, 6.0},        // [grade 6](...)
			{"Senior Data Engineer", LevelSenior, 7.0},       // grade 7
			{"Staff Data Engineer", LevelStaff, 8.0},         // [grade #8] under ##### Job Grade
			{"Manager, Data Platform", LevelManager, 9.5},    // grade 9.5
			{"Data Platform Fellow", LevelFellow, 13.0},      // only in the table
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("roles (-want +got):\n%s", diff)
		}
	})
	t.Run("WarnsOnInvalidGradeButKeepsIt", func(t *testing.T) {
		if !hasWarning(p.Warnings, 38, "grade 13") {
			t.Errorf("no warning on line 38 for grade 13: %v", p.Warnings)
		}
	})
	t.Run("WarnsWhenTableAndSectionDisagree", func(t *testing.T) {
		if !hasWarning(p.Warnings, 37, "kept 8") {
			t.Errorf("no warning on line 37: %v", p.Warnings)
		}
	})
	t.Run("SharedSectionsGoToRolesWithoutTheirOwn", func(t *testing.T) {
		assoc := roleByTitle(t, f, "Associate Data Engineer")
		senior := roleByTitle(t, f, "Senior Data Engineer")
		want := []string{
			"Build and run batch and streaming pipelines",
			"Keep data correct, documented and on time",
			"Write checks that catch bad rows before anyone reads them",
			"Review the work of other engineers",
		}
		if diff := cmp.Diff(want, assoc.Responsibilities); diff != "" {
			t.Errorf("shared responsibilities, nested item kept as its own item (-want +got):\n%s", diff)
		}
		if got := senior.Responsibilities; len(got) != 2 || got[1] != "Mentor associates and engineers" {
			t.Errorf("\"Responsibilties\" typo section not read as the role's own: %q", got)
		}
		if len(assoc.Requirements) != 3 {
			t.Errorf("requirements written with *, - and 1. = %q", assoc.Requirements)
		}
	})
	t.Run("RoleIndicatorsReplaceSharedOnes", func(t *testing.T) {
		m := roleByTitle(t, f, "Manager, Data Platform")
		want := []hiring.PerformanceIndicator{
			{Name: "Pipeline Freshness", URL: "https://example.com/pi#freshness"},
			{Name: "Hiring Actual vs Plan", URL: "/pi/#hiring"},
			{Name: "Team happiness"},
		}
		if diff := cmp.Diff(want, m.PerformanceIndicators); diff != "" {
			t.Errorf("indicators (-want +got):\n%s", diff)
		}
		if len(roleByTitle(t, f, "Data Engineer").PerformanceIndicators) != 2 {
			t.Errorf("shared indicators not given to Data Engineer")
		}
	})
	t.Run("NiceToHaveSpelling", func(t *testing.T) {
		if got := roleByTitle(t, f, "Staff Data Engineer").NiceToHaves; len(got) != 1 {
			t.Errorf("\"Nice to have\" = %q", got)
		}
	})
	t.Run("SpecialitiesWithDescriptionAndLanguage", func(t *testing.T) {
		got := roleByTitle(t, f, "Data Engineer").Specialties
		want := []hiring.Specialty{
			{Name: "Streaming", Description: "Streaming engineers write the real-time services, in Go.", PrimaryLanguage: "Go"},
			{Name: "Warehouse", Description: "Warehouse engineers shape the tables analysts query.\n\nRequirements\n\n- Deep knowledge of columnar stores"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("specialties (-want +got):\n%s", diff)
		}
	})
	t.Run("HiringProcessPerAudience", func(t *testing.T) {
		ic := roleByTitle(t, f, "Senior Data Engineer").HiringProcess
		want := []hiring.HiringStep{
			{Name: "A 30 minute screening call with one of our Recruiters", Minutes: 30, Who: "Recruiters"},
			{Name: "A 90-minute technical interview with a Data Engineer", Minutes: 90, Who: "Data Engineer"},
			{Name: "A 1 hour interview with the Hiring Manager", Minutes: 60, Who: "Hiring Manager"},
		}
		if diff := cmp.Diff(want, ic); diff != "" {
			t.Errorf("individual contributor steps (-want +got):\n%s", diff)
		}
		mgr := roleByTitle(t, f, "Manager, Data Platform").HiringProcess
		if len(mgr) != 2 || mgr[1].Who != "Director of Data" {
			t.Errorf("manager steps = %+v", mgr)
		}
	})
	t.Run("CareerLadderKeepsWordsOfLinks", func(t *testing.T) {
		if got := f.Roles[0].CareerLadder; got != "The next step is the Data Leadership family." {
			t.Errorf("career ladder = %q", got)
		}
	})
	t.Run("NestedOrderedItemsAreSeparateItems", func(t *testing.T) {
		got := roleByTitle(t, f, "Manager, Data Platform").Responsibilities
		want := []string{"Hire and grow the team", "Own the quarterly plan", "Agree it with product", "Report on it every month"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("UnresolvedPartialIsReportedOnItsLine", func(t *testing.T) {
		if !hasWarning(p.Warnings, 136, `unresolved partial "job-families/shared/benefits"`) {
			t.Errorf("warnings = %v", p.Warnings)
		}
	})
	t.Run("HashIsOfTheBytes", func(t *testing.T) {
		again := mustParseText(t, "other/path.md", string(mustRead(t, testdataPage(t, "data-platform.html.md"))))
		if again.Family.ContentHash != f.ContentHash || len(f.ContentHash) != 64 {
			t.Errorf("hash %q vs %q", again.Family.ContentHash, f.ContentHash)
		}
	})
}

func TestParseScrapedText(t *testing.T) {
	f := mustFamily(t, testdataPage(t, "scraped-support.txt"))
	if f.Title != "Customer Support" {
		t.Errorf("title = %q", f.Title)
	}
	var got []string
	for _, r := range f.Roles {
		got = append(got, r.Title+" "+formatGrade(*r.Grade))
	}
	want := []string{"Support Specialist 5", "Senior Support Specialist 6", "Manager, Support 8"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
	senior := roleByTitle(t, f, "Senior Support Specialist")
	if !strings.Contains(senior.Summary, "coach new colleagues") {
		t.Errorf("text after the grade belongs to the role: %q", senior.Summary)
	}
	if !strings.Contains(f.Roles[0].CareerLadder, "Support Leadership") {
		t.Errorf("career ladder = %q", f.Roles[0].CareerLadder)
	}
}

func TestParseBareLevelHeadings(t *testing.T) {
	f := mustFamily(t, testdataPage(t, "levels-bare.md"))
	var got []string
	for _, r := range f.Roles {
		got = append(got, r.Title)
	}
	// Named by their grade sentences, or by the family's name when there
	// is none.
	want := []string{"Widget Analyst", "Senior Widget Analyst", "Principal Widget Analyst"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("titles (-want +got):\n%s", diff)
	}
}

func TestParseSingleRolePage(t *testing.T) {
	p := mustParseFile(t, testdataPage(t, "single-role.html.md"))
	if p.Family == nil || len(p.Family.Roles) != 1 {
		t.Fatalf("want one role, got %+v (%s)", p.Family, p.Reason)
	}
	r := p.Family.Roles[0]
	if r.Title != "Gardener" || len(r.Responsibilities) != 2 || len(r.Requirements) != 2 {
		t.Errorf("role %q with %d responsibilities, %d requirements", r.Title, len(r.Responsibilities), len(r.Requirements))
	}
	// With no role heading, the whole page comes before the role: its
	// other sections are part of the family's summary.
	if want := "Gardeners keep the grounds of our office green all year.\n\nRelevant links\n\n- Grounds handbook"; p.Family.Summary != want {
		t.Errorf("summary = %q, want %q", p.Family.Summary, want)
	}
}

func TestParseNotFamilies(t *testing.T) {
	for _, tc := range []struct {
		name, file, reason string
	}{
		{"Partial", "_shared-performance.erb", "partial"},
		{"IndexPage", "index.html.md.erb", "index page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParseFile(t, testdataPage(t, tc.file))
			if !p.NotFamily || !strings.Contains(p.Reason, tc.reason) {
				t.Errorf("NotFamily %v reason %q", p.NotFamily, p.Reason)
			}
		})
	}
	t.Run("DataFileByExtension", func(t *testing.T) {
		p := Parse("data/job_families.yml", []byte("- title: Baker\n"))
		if !p.NotFamily || !strings.Contains(p.Reason, "YAML") {
			t.Errorf("NotFamily %v reason %q", p.NotFamily, p.Reason)
		}
	})
	t.Run("HugoIndexIsAPage", func(t *testing.T) {
		p := Parse("content/job-families/kitchen/bakery/_index.md", []byte(goodPage))
		if p.Family == nil {
			t.Errorf("_index.md read as a partial: %s", p.Reason)
		}
	})
	t.Run("ProseWithoutRoles", func(t *testing.T) {
		p := Parse("notes.md", []byte("# Notes\n\nWe met on Tuesday and talked about the garden.\n"))
		if !p.NotFamily || !strings.Contains(p.Reason, "no role") {
			t.Errorf("NotFamily %v reason %q", p.NotFamily, p.Reason)
		}
	})
}

func TestParseShapes(t *testing.T) {
	t.Run("JobGradeAtTheRolesOwnLevel", func(t *testing.T) {
		f := mustParseText(t, "x.md", "---\ntitle: Guards\n---\n\n### Security Officer\n\n- Walks the halls\n\n### Job Grade\n\nThe Security Officer is a grade 5.\n\n### Senior Security Officer\n\n### Job Grade\n\nThe Senior Security Officer is a grade 6.\n").Family
		if f == nil || len(f.Roles) != 2 || *f.Roles[0].Grade != 5 || *f.Roles[1].Grade != 6 {
			t.Fatalf("roles = %+v", f)
		}
		if f.Roles[0].Summary != "- Walks the halls" {
			t.Errorf("summary = %q", f.Roles[0].Summary)
		}
	})
	t.Run("OverviewBeforeAPagesJobGradeIsNotARole", func(t *testing.T) {
		f := mustParseText(t, "x.md", "---\ntitle: Harbour Pilot\n---\n\n## Overview\n\nPilots bring ships in.\n\n## Job Grade\n\nThe Harbour Pilot is a grade 9.\n\n## Responsibilities\n\n- Board ships at sea\n").Family
		if f == nil || len(f.Roles) != 1 || f.Roles[0].Title != "Harbour Pilot" || len(f.Roles[0].Responsibilities) != 1 {
			t.Fatalf("roles = %+v", f.Roles)
		}
		if !strings.Contains(f.Summary, "Pilots bring ships in.") {
			t.Errorf("summary = %q", f.Summary)
		}
	})
	t.Run("GradeSentenceWithoutGradeHeading", func(t *testing.T) {
		f := mustParseText(t, "x.md", "---\ntitle: Counsel\n---\n\n## Lead Counsel\n\nThe Lead Counsel is a [Grade 8](/grades).\n\n### Responsibilities\n\n- Advise\n").Family
		if f == nil || gradeOf(f.Roles[0]) != 8.0 {
			t.Fatalf("roles = %+v", f)
		}
	})
	t.Run("RoleAndGradeTableWithBreaks", func(t *testing.T) {
		page := "---\ntitle: Rewards\n---\n\n| Role | Grade |\n|---|---|\n| [Analyst](#analyst) <br> [Partner](#partner) | 7\n\n## Analyst\n\n### Responsibilities\n\n- Analyse\n"
		f := mustParseText(t, "x.md", page).Family
		if f == nil || len(f.Roles) != 2 || gradeOf(f.Roles[0]) != 7.0 || f.Roles[1].Title != "Partner" || gradeOf(f.Roles[1]) != 7.0 {
			t.Fatalf("roles = %+v", f.Roles)
		}
	})
	t.Run("HugoShortcodesKramdownAndHTMLAreIgnored", func(t *testing.T) {
		page := "---\ntitle: Tailors\n---\n\n{{< toc >}}\n\n## Tailor {#the-tailor}\n\n<a name=\"tailor\"></a>\n\n### Job Grade\n\nThe Tailor is a grade 6. {: .note}\n\n### Responsibilities\n\n- Cut <em>cloth</em> {{% note %}}carefully{{% /note %}}\n- Sew &amp; mend\n"
		f := mustParseText(t, "x.md", page).Family
		if f == nil {
			t.Fatal("not a family")
		}
		r := f.Roles[0]
		if r.Slug != "the-tailor" {
			t.Errorf("slug = %q, want the heading's {#id}", r.Slug)
		}
		want := []string{"Cut cloth carefully", "Sew & mend"}
		if diff := cmp.Diff(want, r.Responsibilities); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("HorizontalRulesAndSetextHeadings", func(t *testing.T) {
		page := "---\ntitle: Cooks\n---\n\nCook\n----\n\n### Job Grade\n\nThe Cook is a grade 5.\n\n***\n\n### Requirements\n\n- Knife skills\n"
		f := mustParseText(t, "x.md", page).Family
		if f == nil || f.Roles[0].Title != "Cook" || len(f.Roles[0].Requirements) != 1 {
			t.Fatalf("roles = %+v", f)
		}
	})
	t.Run("CodeBlocksAreNotRead", func(t *testing.T) {
		page := "---\ntitle: Clerks\n---\n\n## Clerk\n\n### Job Grade\n\nThe Clerk is a grade 5.\n\n```\n## Not A Role\n### Job Grade\nThe Not A Role is a grade 9.\n```\n"
		f := mustParseText(t, "x.md", page).Family
		if f == nil || len(f.Roles) != 1 {
			t.Fatalf("roles = %+v", f)
		}
	})
	t.Run("UnclosedCodeBlockIsReported", func(t *testing.T) {
		p := mustParseText(t, "x.md", "---\ntitle: Clerks\n---\n\n## Clerk\n\n### Job Grade\n\nThe Clerk is a grade 5.\n\n```go\nfunc x() {\n")
		if !hasWarning(p.Warnings, 11, "never closed") {
			t.Errorf("warnings = %v", p.Warnings)
		}
	})
	t.Run("RoleWithoutRoleNounBesideOtherRoles", func(t *testing.T) {
		f := mustFamily(t, writeTemp(t, "bakery.md", goodPage+"\n## Apprentice\n\n### Requirements\n\n- Early riser\n"))
		roleByTitle(t, f, "Apprentice")
	})
	t.Run("DuplicateRolesAreMerged", func(t *testing.T) {
		p := mustParseText(t, "x.md", "---\ntitle: Bakers\n---\n\n## Baker\n\n### Job Grade\n\nThe Baker is a grade 5.\n\n## Baker\n\n### Responsibilities\n\n- Bake\n")
		if p.Family == nil || len(p.Family.Roles) != 1 || len(p.Family.Roles[0].Responsibilities) != 1 {
			t.Fatalf("family = %+v", p.Family)
		}
		if !hasWarning(p.Warnings, 11, "merged") {
			t.Errorf("warnings = %v", p.Warnings)
		}
	})
	t.Run("CRLFLineEndings", func(t *testing.T) {
		page := strings.ReplaceAll(goodPage, "\n", "\r\n")
		f := mustParseText(t, "x.md", page).Family
		if f == nil || f.Title != "Bakery" || len(f.Roles[0].Responsibilities) != 2 {
			t.Fatalf("family = %+v", f)
		}
	})
	t.Run("NoDepartmentInformation", func(t *testing.T) {
		f := mustParseText(t, "x.md", "---\ntitle: Bakers\n---\n\n## Baker\n\n### Job Grade\n\nThe Baker is a grade 5.\n").Family
		if f == nil || len(f.DepartmentPath) != 0 {
			t.Fatalf("family = %+v", f)
		}
	})
}

func TestDepartmentFromPath(t *testing.T) {
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"sites/source/job-families/engineering/infrastructure/site-reliability-engineer/index.html.md", []string{"Engineering", "Infrastructure"}},
		{"x/wwwgitlabcom-2022__engineering__infrastructure__site-reliability-engineer__index.html.md", []string{"Engineering", "Infrastructure"}},
		{"handbook-hugo__content__job-families__engineering__development__backend___index.md", []string{"Engineering", "Development"}},
		{"job-families/people-ops/recruiter.md", []string{"People Ops"}},
		{"job-families/engineering/development/backend/senior/index.html.md", []string{"Engineering", "Development"}},
		{"job-families/alliances/technology-partner-manager/associate.md", []string{"Alliances"}},
		{"job-families/legal-and-corporate-affairs/legal-counsel/index.html.md", []string{"Legal and Corporate Affairs"}},
		{"job-families/gardener.md", nil},
		{"seeds/001_abc.txt", nil},
		{"export/engineering/backend.md", nil},
		{"", nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, departmentFromPath(tc.path)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeriveLevel(t *testing.T) {
	g := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		title string
		grade *float64
		want  string
	}{
		{"Junior Backend Engineer", nil, LevelJunior},
		{"Backend Engineer", g(6), LevelIntermediate},
		{"Intermediate Frontend Engineer", nil, LevelIntermediate},
		{"Senior Backend Engineer", nil, LevelSenior},
		{"Staff Security Engineer", nil, LevelStaff},
		{"Principal Product Designer", nil, LevelPrincipal},
		{"Distinguished Engineer", nil, LevelDistinguished},
		{"Engineering Fellow", nil, LevelFellow},
		{"Associate Legal Counsel", nil, LevelAssociate},
		{"Intern, Backend Engineer", nil, LevelIntern},
		{"Manager, Engineering (Delivery)", nil, LevelManager},
		{"Backend Engineering Manager", nil, LevelManager},
		{"Content Marketing Manager", g(6), LevelIntermediate},
		{"Senior Content Marketing Manager", nil, LevelSenior},
		{"Senior Manager, Recruiting", nil, LevelSeniorManager},
		{"Senior Engineering Manager, Delivery and Scalability", nil, LevelSeniorManager},
		{"Director, Infrastructure (Reliability)", nil, LevelDirector},
		{"Senior Director, Channel Services", nil, LevelSeniorDirector},
		{"VP of Infrastructure", nil, LevelVP},
		{"Vice President, Internal Audit", nil, LevelVP},
		{"Chief Technology Officer", nil, LevelExecutive},
		{"Chief of Staff to the CEO", g(12), ""},
		{"Lead Legal Counsel", nil, LevelLead},
	} {
		t.Run(tc.title, func(t *testing.T) {
			if got := DeriveLevel(tc.title, tc.grade); got != tc.want {
				t.Errorf("DeriveLevel(%q) = %q, want %q", tc.title, got, tc.want)
			}
		})
	}
}

func TestParseStep(t *testing.T) {
	for _, tc := range []struct {
		text string
		want hiring.HiringStep
	}{
		{"Qualified candidates will be invited to schedule a 30 minute screening call", hiring.HiringStep{Minutes: 30}},
		{"A 90-minute technical interview with one of our Backend Engineers", hiring.HiringStep{Minutes: 90, Who: "Backend Engineers"}},
		{"A 1 hour interview with the Hiring Manager", hiring.HiringStep{Minutes: 60, Who: "Hiring Manager"}},
		{"An hour with the CEO", hiring.HiringStep{Minutes: 60, Who: "CEO"}},
		{"Half an hour chat with a Recruiter", hiring.HiringStep{Minutes: 30, Who: "Recruiter"}},
		{"1.5 hours of pairing", hiring.HiringStep{Minutes: 90}},
		{"45 Minute Peer Interview", hiring.HiringStep{Minutes: 45}},
		{"Interview with CFO", hiring.HiringStep{Who: "CFO"}},
		{"Successful candidates will subsequently be made an offer", hiring.HiringStep{}},
		{"Screening call (30 minutes; with: a Recruiter)", hiring.HiringStep{Name: "Screening call", Minutes: 30, Who: "a Recruiter"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			want := tc.want
			if want.Name == "" {
				want.Name = tc.text
			}
			if diff := cmp.Diff(want, parseStep(tc.text)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestClassifySection(t *testing.T) {
	for _, tc := range []struct {
		heading string
		kind    sectionKind
		prefix  string
	}{
		{"Job Grade", secGrade, ""},
		{"Payroll Analyst, US Job Grade", secGrade, "Payroll Analyst, US"},
		{"Senior Job Grade", secGrade, "Senior"},
		{"Job Grades", secLevels, ""},
		{"Responsibilties", secResponsibilities, ""},
		{"US Payroll Responsibilites", secResponsibilities, "US Payroll"},
		{"Responsibilities for Security Engineer roles", secResponsibilities, ""},
		{"Requirements:", secRequirements, ""},
		{"Nice-to-have Requirement", secNiceToHaves, ""},
		{"Nice to have:", secNiceToHaves, ""},
		{"Nice-to-haves", secNiceToHaves, ""},
		{"Preferred Requirements", secNiceToHaves, ""},
		{"Backend Engineer Performance Indicators", secPIs, "Backend Engineer"},
		{"Specialities", secSpecialties, ""},
		{"Specializations", secSpecialties, ""},
		{"Levels for Site Reliability Engineer", secLevels, ""},
		{"Career Ladder", secCareerLadder, ""},
		{"Security Engineer Hiring Process", secHiringProcess, "Security Engineer"},
		{"Hiring Process Manager", secNone, ""},
		{"Responding to merge requests", secNone, ""},
		{"Becoming qualified to conduct interviews", secNone, ""},
		{"Senior Backend Engineer", secNone, ""},
	} {
		t.Run(tc.heading, func(t *testing.T) {
			kind, prefix := classifySection(tc.heading)
			if kind != tc.kind || prefix != tc.prefix {
				t.Errorf("classifySection(%q) = %v, %q; want %v, %q", tc.heading, kind, prefix, tc.kind, tc.prefix)
			}
		})
	}
}

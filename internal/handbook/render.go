package handbook

import (
	"bytes"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"hireloop/internal/hiring"
)

// Render writes a family as a Markdown job-family page that Parse reads
// back to the same catalog: every role under "## Levels", each stating all
// its sections itself (nothing is left to inheritance), with notes only
// where a value could not otherwise be read back (an edited level, a step's
// duration its name does not give, a slug its title does not give).
func Render(f *hiring.Family) []byte {
	var b bytes.Buffer
	writeFrontMatter(&b, f)
	writeText(&b, f.Summary)
	roles := append([]*hiring.Role(nil), f.Roles...)
	sort.SliceStable(roles, func(i, j int) bool { return roles[i].Position < roles[j].Position })
	anyPIs := false
	for _, r := range roles {
		anyPIs = anyPIs || len(r.PerformanceIndicators) > 0
	}
	b.WriteString("## Levels\n\n")
	for _, r := range roles {
		writeRole(&b, r, anyPIs)
	}
	return b.Bytes()
}

func writeFrontMatter(b *bytes.Buffer, f *hiring.Family) {
	fm := struct {
		Title      string `yaml:"title"`
		Slug       string `yaml:"slug,omitempty"`
		Department any    `yaml:"department,omitempty"`
	}{Title: collapseSpace(f.Title)}
	if len(f.DepartmentPath) > 0 {
		fm.Department = strings.Join(f.DepartmentPath, " > ")
		for _, d := range f.DepartmentPath {
			if strings.Contains(d, ">") {
				// A name with ">" in it cannot be written as a path.
				fm.Department = f.DepartmentPath
				break
			}
		}
	}
	if f.Slug != "" && f.Slug != slugify(fm.Title) {
		fm.Slug = f.Slug
	}
	out, err := yaml.Marshal(fm)
	if err != nil {
		// Marshalling three strings cannot fail; keep the page valid anyway.
		out = []byte("title: \"\"\n")
	}
	b.WriteString("---\n")
	b.Write(out)
	b.WriteString("---\n\n")
}

func writeRole(b *bytes.Buffer, r *hiring.Role, anyPIs bool) {
	title := collapseSpace(r.Title)
	b.WriteString("### " + escapeHeading(title))
	if r.Slug != "" && r.Slug != slugify(title) && slugify(r.Slug) == r.Slug {
		b.WriteString(" {#" + r.Slug + "}")
	}
	b.WriteString("\n\n")
	writeText(b, r.Summary)
	if r.Level != DeriveLevel(title, r.Grade) {
		level := r.Level
		if level == "" {
			level = "None"
		}
		b.WriteString("#### Level\n\n" + escapeInline(level, true) + "\n\n")
	}
	switch {
	case r.Grade != nil:
		b.WriteString("#### Job Grade\n\nThe " + escapeInline(title, false) + " is a grade " + formatGrade(*r.Grade) + ".\n\n")
	case hasGradeStatement(r.Summary):
		b.WriteString("#### Job Grade\n\nNo job grade is stated for this role.\n\n")
	}
	writeList(b, "Responsibilities", r.Responsibilities)
	writeList(b, "Requirements", r.Requirements)
	writeList(b, "Nice-to-haves", r.NiceToHaves)
	if len(r.PerformanceIndicators) > 0 {
		b.WriteString("#### Performance Indicators\n\n")
		for _, pi := range r.PerformanceIndicators {
			name := escapeInline(collapseSpace(pi.Name), false)
			if pi.URL == "" {
				b.WriteString("- " + escapeLineStart(name) + "\n")
				continue
			}
			b.WriteString("- [" + name + "](" + linkDest(pi.URL) + ")\n")
		}
		b.WriteString("\n")
	} else if anyPIs {
		// Without this, reading the page back would lend the role the
		// indicators of its neighbour.
		b.WriteString("#### Performance Indicators\n\nNone.\n\n")
	}
	if len(r.Specialties) > 0 {
		b.WriteString("#### Specialties\n\n")
		for _, s := range r.Specialties {
			b.WriteString("##### " + escapeHeading(collapseSpace(s.Name)) + "\n\n")
			writeText(b, s.Description)
			if primaryLanguage(s.Description) != s.PrimaryLanguage {
				lang := s.PrimaryLanguage
				if lang == "" {
					lang = "none"
				}
				b.WriteString("Primary language: " + escapeInline(lang, false) + "\n\n")
			}
		}
	}
	if len(r.HiringProcess) > 0 {
		b.WriteString("#### Hiring Process\n\n")
		for _, s := range r.HiringProcess {
			b.WriteString("- " + escapeInline(stepText(s), true) + "\n")
		}
		b.WriteString("\n")
	}
	if strings.TrimSpace(r.CareerLadder) != "" {
		b.WriteString("#### Career Ladder\n\n")
		writeText(b, r.CareerLadder)
	}
}

func writeList(b *bytes.Buffer, heading string, items []string) {
	if len(items) == 0 {
		return
	}
	b.WriteString("#### " + heading + "\n\n")
	for _, it := range items {
		b.WriteString("- " + escapeInline(collapseSpace(it), true) + "\n")
	}
	b.WriteString("\n")
}

// writeText writes stored light Markdown: paragraphs and list items.
func writeText(b *bytes.Buffer, s string) {
	lines := splitText(s)
	for i, l := range lines {
		if l.item {
			b.WriteString("- " + escapeInline(l.text, true) + "\n")
			if i+1 == len(lines) || !lines[i+1].item {
				b.WriteString("\n")
			}
			continue
		}
		b.WriteString(escapeInline(l.text, true) + "\n\n")
	}
}

func escapeHeading(s string) string {
	e := escapeInline(s, false)
	if strings.HasSuffix(e, "#") {
		e = e[:len(e)-1] + "\\#"
	}
	if strings.HasPrefix(e, "#") {
		e = "\\" + e
	}
	return e
}

// linkDest writes a URL as a link destination; angle brackets keep
// parentheses in it from ending the link.
func linkDest(u string) string {
	if strings.ContainsAny(u, "() \\") {
		return "<" + u + ">"
	}
	return u
}

func hasGradeStatement(summary string) bool {
	_, ok := gradeStatement(plain(summary))
	return ok
}

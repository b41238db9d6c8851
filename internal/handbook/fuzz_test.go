package handbook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds Parse arbitrary bytes. Parse must not panic, and what it
// returns must hold together: a family has roles with titles and unique
// slugs, warnings point inside the file, and the family renders to a page
// that reads back.
func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "pages"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata", "pages", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(e.Name(), data)
	}
	f.Add("soup.md", []byte("# A\n## Job Grade\n### B\n#### Responsibilities\n- x\n## Specialties\n### C\n#### Job Grade\ngrade 99\n"))
	f.Add("x.txt", []byte("Title\n\nRole\n\nJob Grade\n\nThe Role is a grade 7.\n"))
	f.Add("fm.md", []byte("---\n---\n---\n"))
	f.Add("t.md", []byte("| Role | Grade |\n|---|---|\n| [a](#a) <br> b | 8\n"))
	f.Add("_index.md", []byte("---\ntitle: [\n---\n## A\n### Job Grade\n[grade #9.5](x)\n"))

	f.Fuzz(func(t *testing.T, name string, data []byte) {
		p := Parse(name, data)
		if p == nil {
			t.Fatal("Parse returned nil")
		}
		if p.NotFamily != (p.Family == nil) {
			t.Fatalf("NotFamily %v with family %v", p.NotFamily, p.Family != nil)
		}
		if p.NotFamily && p.Reason == "" {
			t.Fatal("not a family, without a reason")
		}
		lines := max(strings.Count(string(data), "\n"), strings.Count(string(data), "\r")) + 1
		for _, w := range p.Warnings {
			if w.Line < 0 || w.Line > lines || w.Message == "" {
				t.Fatalf("warning %+v outside a file of %d lines", w, lines)
			}
		}
		if p.Family == nil {
			return
		}
		if len(p.Family.Roles) == 0 {
			t.Fatal("family without roles")
		}
		slugs := map[string]bool{}
		for _, r := range p.Family.Roles {
			if strings.TrimSpace(r.Title) == "" || r.Slug == "" || slugs[r.Slug] {
				t.Fatalf("role title %q slug %q", r.Title, r.Slug)
			}
			slugs[r.Slug] = true
		}
		if back := Parse("back.md", Render(p.Family)); back.Family == nil {
			t.Fatalf("rendered page is not a family: %s\n%s", back.Reason, Render(p.Family))
		}
	})
}

package handbook

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goodPage is a small page in our own words that must import next to bad
// files.
const goodPage = `---
title: "Bakery"
department: "Operations > Kitchen"
---

## Baker

### Job Grade

The Baker is a grade 5.

### Responsibilities

- Bake bread before dawn
- Keep the ovens clean
`

// writeBadFiles writes one file of each bad kind into dir and returns their
// names by kind.
func writeBadFiles(tb testing.TB, dir string) map[string]string {
	tb.Helper()
	files := map[string][]byte{
		"binary":       {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0},
		"empty":        {},
		"blank":        []byte("  \n\n\t\n"),
		"invalid-utf8": []byte("---\ntitle: Pottery\n---\n\n## Potter\n\n### Job Grade\n\nThe Potter is a grade 6.\n\n### Responsibilities\n\n- Throw \xff\xfe pots\n"),
		"front-matter": []byte("---\ntitle: \"Dockyard: Crew\nlayout: [job_family_page\n---\n\n## Rigger\n\n### Job Grade\n\nThe Rigger is a grade 5.\n"),
		"unclosed":     []byte("---\ntitle: Quarry\n\n## Stonemason\n\n### Job Grade\n\nThe Stonemason is a grade 6.\n"),
		"soup":         []byte("# Responsibilities\n## Senior Lamplighter\n#### Job Grade\n### Requirements\n# Levels\n###### Specialties\n## Job Grade\n##\n"),
		"latin":        bytes.Repeat([]byte{0xe9, 0xe8, 0xff, 0xfe, 'a'}, 400),
	}
	names := map[string]string{}
	for kind, data := range files {
		name := filepath.Join(dir, kind+".md")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			tb.Fatal(err)
		}
		names[kind] = name
	}
	return names
}

// writeHuge writes a file of size bytes without holding it in memory.
func writeHuge(tb testing.TB, name string, size int64) {
	tb.Helper()
	f, err := os.Create(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	chunk := bytes.Repeat([]byte("## Heading of a very large page\n\n- an item that goes on and on\n"), 16<<10)
	for written := int64(0); written < size; {
		n, err := f.Write(chunk[:min(int64(len(chunk)), size-written)])
		if err != nil {
			tb.Fatal(err)
		}
		written += int64(n)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	names := writeBadFiles(t, dir)
	parse := func(kind string) *Page {
		t.Helper()
		return mustParseFile(t, names[kind])
	}

	t.Run("BinaryFileIsNotAFamily", func(t *testing.T) {
		p := parse("binary")
		if !p.NotFamily || !strings.Contains(p.Reason, "binary") {
			t.Errorf("NotFamily %v, reason %q", p.NotFamily, p.Reason)
		}
	})
	t.Run("EmptyFilesAreNotFamilies", func(t *testing.T) {
		for _, kind := range []string{"empty", "blank"} {
			p := parse(kind)
			if !p.NotFamily || p.Reason != "empty file" {
				t.Errorf("%s: NotFamily %v, reason %q", kind, p.NotFamily, p.Reason)
			}
		}
	})
	t.Run("InvalidUTF8IsReplacedAndReportedOnItsLine", func(t *testing.T) {
		p := parse("invalid-utf8")
		if p.Family == nil {
			t.Fatalf("not a family: %s", p.Reason)
		}
		if !hasWarning(p.Warnings, 13, "not valid UTF-8") {
			t.Errorf("want a warning on line 13, got %v", p.Warnings)
		}
		r := roleByTitle(t, p.Family, "Potter")
		if got := r.Responsibilities[0]; got != "Throw � pots" {
			t.Errorf("item = %q", got)
		}
	})
	t.Run("MostlyInvalidUTF8IsNotText", func(t *testing.T) {
		p := parse("latin")
		if !p.NotFamily || !strings.Contains(p.Reason, "UTF-8") {
			t.Errorf("NotFamily %v, reason %q", p.NotFamily, p.Reason)
		}
	})
	t.Run("BrokenFrontMatterIsReportedAndTheBodyRead", func(t *testing.T) {
		p := parse("front-matter")
		if p.Family == nil {
			t.Fatalf("not a family: %s", p.Reason)
		}
		if !hasWarning(p.Warnings, 0, "front matter is not valid YAML") {
			t.Errorf("no front matter warning in %v", p.Warnings)
		}
		if p.Family.Title != "Dockyard: Crew" {
			t.Errorf("title %q, want the salvaged Dockyard: Crew", p.Family.Title)
		}
		if r := roleByTitle(t, p.Family, "Rigger"); r.Grade == nil || *r.Grade != 5 {
			t.Errorf("Rigger grade = %v", gradeOf(r))
		}
	})
	t.Run("UnclosedFrontMatterIsReportedAndTheBodyRead", func(t *testing.T) {
		p := parse("unclosed")
		if p.Family == nil || p.Family.Title != "Quarry" {
			t.Fatalf("family %+v (%s)", p.Family, p.Reason)
		}
		if !hasWarning(p.Warnings, 1, "never closed") {
			t.Errorf("want a warning on line 1, got %v", p.Warnings)
		}
		roleByTitle(t, p.Family, "Stonemason")
	})
	t.Run("HeadingSoupGivesWarnings", func(t *testing.T) {
		p := parse("soup")
		if len(p.Warnings) == 0 && !p.NotFamily {
			t.Errorf("a page of bare headings gave neither warnings nor a reason")
		}
		if p.Family != nil {
			for _, r := range p.Family.Roles {
				if r.Title == "" {
					t.Errorf("role with an empty title")
				}
			}
		}
	})
	t.Run("HugeFileIsSkippedWithoutReadingIt", func(t *testing.T) {
		huge := filepath.Join(t.TempDir(), "huge.md")
		writeHuge(t, huge, 50<<20)
		res, err := ImportPaths([]string{huge}, nil)
		if err != nil {
			t.Fatal(err)
		}
		p := res.Pages[0]
		if !p.NotFamily || !strings.Contains(p.Reason, "larger than") {
			t.Errorf("NotFamily %v, reason %q", p.NotFamily, p.Reason)
		}
	})
	t.Run("HugeDataGivenToParseIsRefusedAtOnce", func(t *testing.T) {
		p := Parse("big.md", make([]byte, MaxFileSize+1))
		if !p.NotFamily || !strings.Contains(p.Reason, "larger than") {
			t.Errorf("NotFamily %v, reason %q", p.NotFamily, p.Reason)
		}
	})
}

func TestImportPathsKeepsGoodPagesAmongBadOnes(t *testing.T) {
	dir := t.TempDir()
	writeBadFiles(t, dir)
	writeHuge(t, filepath.Join(dir, "huge.md"), 50<<20)
	sub := filepath.Join(dir, "kitchen", "bakery")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "index.html.md"), []byte(goodPage), 0o644); err != nil {
		t.Fatal(err)
	}
	hidden := filepath.Join(dir, ".git")
	if err := os.MkdirAll(hidden, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(hidden, "page.md"), []byte(goodPage), 0o644); err != nil {
		t.Fatal(err)
	}

	var calls, total int
	res, err := ImportPaths([]string{dir}, func(done, n int, path string) {
		calls++
		total = n
		if done != calls || path == "" {
			t.Errorf("progress(%d, %d, %q) on call %d", done, n, path, calls)
		}
	})
	if err != nil {
		t.Fatalf("ImportPaths: %v", err)
	}
	if calls != len(res.Pages) || total != len(res.Pages) {
		t.Errorf("progress called %d times with total %d for %d pages", calls, total, len(res.Pages))
	}
	var titles []string
	for _, f := range res.Families() {
		titles = append(titles, f.Title)
	}
	for _, want := range []string{"Bakery", "Pottery", "Dockyard: Crew", "Quarry"} {
		found := false
		for _, got := range titles {
			found = found || got == want
		}
		if !found {
			t.Errorf("family %q missing; got %q", want, titles)
		}
	}
	for _, p := range res.Pages {
		if strings.Contains(p.Source, "/.git/") {
			t.Errorf("read a file in a hidden folder: %s", p.Source)
		}
		if p.NotFamily && p.Reason == "" {
			t.Errorf("%s: skipped without a reason", p.Source)
		}
	}
	for _, w := range res.Warnings() {
		if w.Source == "" || w.Message == "" {
			t.Errorf("warning without source or message: %+v", w)
		}
	}
	bakery := res.Families()[0]
	for _, f := range res.Families() {
		if f.Title == "Bakery" {
			bakery = f
		}
	}
	if got := strings.Join(bakery.DepartmentPath, " > "); got != "Operations > Kitchen" {
		t.Errorf("department = %q, want the front matter's", got)
	}
}

func TestImportPathsFailsOnlyForAMissingPath(t *testing.T) {
	_, err := ImportPaths([]string{filepath.Join(t.TempDir(), "nope")}, nil)
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("err = %v, want one naming the missing path", err)
	}
}

func TestDocumentShape(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bakery.md"), []byte(goodPage+"\n## Apprentice\n\nLearns.\n\n### Requirements\n\n- Early riser\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "_partial.erb"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := ImportPaths([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(res.Document())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Families []struct {
			Source     string           `json:"source"`
			Title      string           `json:"title"`
			Department string           `json:"department"`
			Roles      []map[string]any `json:"roles"`
		} `json:"families"`
		Warnings []map[string]any `json:"warnings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Families) != 1 || doc.Families[0].Department != "Operations > Kitchen" {
		t.Fatalf("families = %+v", doc.Families)
	}
	roles := doc.Families[0].Roles
	if len(roles) != 2 {
		t.Fatalf("roles = %v", roles)
	}
	baker, apprentice := roles[0], roles[1]
	if baker["grade"] != 5.0 || apprentice["grade"] != nil {
		t.Errorf("grades = %v, %v; want 5 and null", baker["grade"], apprentice["grade"])
	}
	for _, key := range []string{"responsibilities", "requirements", "nice_to_haves", "performance_indicators", "specialties", "hiring_process"} {
		if _, ok := apprentice[key].([]any); !ok {
			t.Errorf("%s = %#v, want a list, never null", key, apprentice[key])
		}
	}
	if len(baker) != 9 {
		t.Errorf("role has keys %v, want exactly the nine of the document", keys(baker))
	}
	if len(doc.Warnings) == 0 || !strings.Contains(doc.Warnings[0]["message"].(string), "partial") {
		t.Errorf("warnings = %v, want the skipped partial reported", doc.Warnings)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

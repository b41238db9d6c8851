package handbook

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"hireloop/internal/hiring"
)

// sharedDir returns the folder with the real handbook pages and seeds:
// HIRELOOP_SHARED, or else "shared" beside the repository root. When it is
// missing the test fails: scripts/test finds it beside the checkout.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("HIRELOOP_SHARED")
	if dir == "" {
		root, err := repoRoot()
		if err != nil {
			missingShared(tb, "cannot find the repository root to locate ../shared: "+err.Error())
		}
		dir = filepath.Join(filepath.Dir(root), "shared")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		missingShared(tb, "the shared handbook folder "+dir+" is missing; set HIRELOOP_SHARED to its path")
	}
	return dir
}

func missingShared(tb testing.TB, msg string) {
	tb.Helper()
	tb.Fatal(msg + "; scripts/test finds it beside the checkout")
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// corpusFiles lists every file of handbook/job-families.
func corpusFiles(tb testing.TB) []string {
	tb.Helper()
	dir := filepath.Join(sharedDir(tb), "handbook", "job-families")
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatalf("read corpus: %v", err)
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		tb.Fatalf("no pages in %s", dir)
	}
	return out
}

// corpusFile returns the corpus file whose name contains part.
func corpusFile(tb testing.TB, part string) string {
	tb.Helper()
	for _, f := range corpusFiles(tb) {
		if strings.Contains(filepath.Base(f), part) {
			return f
		}
	}
	tb.Fatalf("no corpus file named like %q", part)
	return ""
}

// seedFile returns the seed whose name starts with prefix ("001_").
func seedFile(tb testing.TB, prefix string) string {
	tb.Helper()
	matches, err := filepath.Glob(filepath.Join(sharedDir(tb), "seeds", prefix+"*.txt"))
	if err != nil || len(matches) != 1 {
		tb.Fatalf("want one seed %s*.txt, found %v (%v)", prefix, matches, err)
	}
	return matches[0]
}

// mustParseFile reads and parses a file.
func mustParseFile(tb testing.TB, path string) *Page {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	return Parse(filepath.ToSlash(path), data)
}

// mustFamily parses a file that must be a family.
func mustFamily(tb testing.TB, path string) *hiring.Family {
	tb.Helper()
	p := mustParseFile(tb, path)
	if p.Family == nil {
		tb.Fatalf("%s: not a family: %s", path, p.Reason)
	}
	return p.Family
}

// mustParseText parses a page written in a test.
func mustParseText(tb testing.TB, name, text string) *Page {
	tb.Helper()
	return Parse(name, []byte(text))
}

// roleByTitle finds a role by its title.
func roleByTitle(tb testing.TB, f *hiring.Family, title string) *hiring.Role {
	tb.Helper()
	for _, r := range f.Roles {
		if r.Title == title {
			return r
		}
	}
	var titles []string
	for _, r := range f.Roles {
		titles = append(titles, r.Title)
	}
	tb.Fatalf("no role %q in %q; roles: %q", title, f.Title, titles)
	return nil
}

func grades(f *hiring.Family) []float64 {
	var out []float64
	for _, r := range f.Roles {
		if r.Grade != nil {
			out = append(out, *r.Grade)
		}
	}
	return out
}

func gradeOf(r *hiring.Role) any {
	if r.Grade == nil {
		return nil
	}
	return *r.Grade
}

// hasWarning reports whether a warning on line (0: any line) contains text.
func hasWarning(ws []Warning, line int, text string) bool {
	for _, w := range ws {
		if (line == 0 || w.Line == line) && strings.Contains(w.Message, text) {
			return true
		}
	}
	return false
}

func testdataPage(tb testing.TB, name string) string {
	tb.Helper()
	return filepath.Join("testdata", "pages", name)
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// writeTemp writes a page into a fresh folder and returns its path.
func writeTemp(tb testing.TB, name, text string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

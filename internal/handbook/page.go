package handbook

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"hireloop/internal/hiring"
)

// MaxFileSize is the largest page the importer reads. Job-family pages are
// tens of kilobytes; anything this large is not one, and is skipped without
// being read.
const MaxFileSize = 5 << 20

// Warning is one thing the importer could not place.
type Warning struct {
	Source  string `json:"source"`
	Line    int    `json:"line"` // 1-based line in the file, 0 when it concerns the whole file
	Message string `json:"message"`
}

// Page is the result of reading one file.
type Page struct {
	Source    string
	Family    *hiring.Family // nil when NotFamily
	Warnings  []Warning
	NotFamily bool   // index pages, partials, data files, binary/empty files...
	Reason    string // why it is not a family, for people
}

// dataExts are file types that hold data, not pages.
var dataExts = map[string]string{
	".yml": "YAML", ".yaml": "YAML", ".json": "JSON", ".toml": "TOML",
	".csv": "CSV", ".xml": "XML", ".lock": "lock",
}

// Parse reads one job-family page. It never fails: what it cannot place
// becomes a warning naming the line, and a file that is not a job-family
// page comes back with NotFamily and a reason.
func Parse(source string, data []byte) *Page {
	p := &Page{Source: source}
	if reason := notPageByName(source); reason != "" {
		p.NotFamily, p.Reason = true, reason
		return p
	}
	if reason := notText(data); reason != "" {
		p.NotFamily, p.Reason = true, reason
		return p
	}
	b := &builder{source: source}
	text := string(data)
	if !utf8.ValidString(text) {
		b.warn(firstInvalidLine(data), "the file is not valid UTF-8 from this line on; bytes that are not were replaced by �")
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	text = strings.TrimPrefix(text, "\uFEFF")
	fm, body, first := splitFrontMatter(splitLines(text), b.warn)
	b.blocks = tokenize(body, first, b.warn)
	if !fm.present && !hasHeading(b.blocks) {
		markScrapedHeadings(b.blocks)
		b.scraped = true
	}
	b.listsPage = strings.Contains(text, "job_families(")
	b.title = familyTitle(fm, b.blocks, source)
	if len(b.title) > hiring.MaxTitleLen {
		b.warn(1, "the page title is longer than %d characters; it was cut short", hiring.MaxTitleLen)
		b.title = truncate(b.title, hiring.MaxTitleLen-4)
	}
	b.run()

	sum := sha256.Sum256(data)
	f := &hiring.Family{
		Title:       b.title,
		Slug:        fm.slug,
		Source:      source,
		ContentHash: hex.EncodeToString(sum[:]),
	}
	if f.Slug == "" || slugify(f.Slug) != f.Slug {
		f.Slug = slugify(f.Title)
	}
	if f.Slug == "" {
		f.Slug = "family"
	}
	f.DepartmentPath = fm.department
	if len(f.DepartmentPath) == 0 {
		f.DepartmentPath = departmentFromPath(source)
	}
	ok, reason := b.finish(f)
	f.Summary = b.limitText(b.summary.String(), 1, "page summary")
	p.Warnings = b.allWarnings()
	if !ok {
		p.NotFamily, p.Reason = true, reason
		return p
	}
	p.Family = f
	return p
}

// notPageByName recognises files that are not pages from their name alone:
// partials ("_performance.erb") and data files.
func notPageByName(source string) string {
	base := flatBase(source)
	if strings.HasPrefix(base, "_") && stripExt(base) != "_index" {
		return "template partial: its name starts with _, so other pages include it"
	}
	ext := strings.ToLower(path.Ext(base))
	if kind, ok := dataExts[ext]; ok {
		return kind + " data file, not a page"
	}
	return ""
}

// notText recognises empty, oversized and binary files.
func notText(data []byte) string {
	switch {
	case len(data) > MaxFileSize:
		return fmt.Sprintf("file is larger than %d MB, far larger than any page; it was not read", MaxFileSize>>20)
	case len(bytes.TrimSpace(data)) == 0:
		return "empty file"
	}
	head := data[:min(len(data), 8000)]
	control := 0
	for _, c := range head {
		switch {
		case c == 0:
			return "binary file (it contains NUL bytes), not text"
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b:
			control++
		}
	}
	if control*10 > len(head) {
		return "binary file (it is mostly control characters), not text"
	}
	if !utf8.Valid(head) {
		bad := 0
		for i := 0; i < len(head); {
			r, size := utf8.DecodeRune(head[i:])
			if r == utf8.RuneError && size == 1 {
				bad++
			}
			i += size
		}
		if bad*4 > len(head) {
			return "not text: most of its bytes are not valid UTF-8"
		}
	}
	return ""
}

// flatBase is a file's own name, also when the path is flattened into the
// name with "__" ("site__sales___performance.erb" gives "_performance.erb").
func flatBase(source string) string {
	parts := strings.Split(path.Base(strings.ReplaceAll(source, "\\", "/")), "__")
	return parts[len(parts)-1]
}

func firstInvalidLine(data []byte) int {
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return line
		}
		if data[i] == '\n' {
			line++
		}
		i += size
	}
	return line
}

func splitLines(text string) []string {
	if !strings.Contains(text, "\n") && strings.Contains(text, "\r") {
		return strings.Split(text, "\r")
	}
	return strings.Split(text, "\n")
}

func hasHeading(blocks []block) bool {
	for _, b := range blocks {
		if b.kind == blockHeading {
			return true
		}
	}
	return false
}

// familyTitle is the front matter's title, else the first top-level
// heading, else the first heading, else the file's name.
func familyTitle(fm frontMatter, blocks []block, source string) string {
	if t := collapseSpace(fm.title); t != "" {
		return t
	}
	first := ""
	for _, b := range blocks {
		if b.kind != blockHeading {
			continue
		}
		t := plain(b.text)
		if k, _ := classifySection(t); t == "" || k != secNone || isNavigation(t) {
			continue
		}
		if b.level == 1 {
			return t
		}
		if first == "" {
			first = t
		}
	}
	if first != "" {
		return first
	}
	if t := collapseSpace(titleCase(stripExt(flatBase(source)))); t != "" {
		return t
	}
	return "Untitled family"
}

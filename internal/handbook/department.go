package handbook

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// departmentFromPath derives a family's department from where its page
// lives: the folders between "job-families" (or "jobs") and the family's own
// folder. Flattened names such as
// "wwwgitlabcom-2022__engineering__infrastructure__sre__index.html.md" are
// read as paths whose first part names the site. A path that says nothing
// about departments gives nil.
func departmentFromPath(source string) []string {
	source = strings.ReplaceAll(source, "\\", "/")
	var segs []string
	start := -1
	if flat := strings.Split(path.Base(source), "__"); len(flat) >= 2 {
		// A flattened name carries its whole path; its first part names the
		// site the page came from.
		segs, start = flat, 1
	} else {
		for _, d := range strings.Split(source, "/") {
			if d != "" && d != "." {
				segs = append(segs, d)
			}
		}
	}
	for i, s := range segs {
		if l := strings.ToLower(s); l == "job-families" || l == "job_families" || l == "jobs" {
			start = i + 1
		}
	}
	if start < 0 || start >= len(segs) {
		return nil
	}
	rest := segs[start:]
	if len(rest) == 0 {
		return nil
	}
	// Drop the file, and the family's folder when the file is its index.
	file := stripExt(rest[len(rest)-1])
	rest = rest[:len(rest)-1]
	family := file
	if (file == "index" || file == "_index") && len(rest) > 0 {
		family = rest[len(rest)-1]
		rest = rest[:len(rest)-1]
	}
	// A page named for a level ("senior", "associate") belongs to the family
	// whose folder holds it.
	if isBareLevel(family) && len(rest) > 0 {
		rest = rest[:len(rest)-1]
	}
	var out []string
	for _, s := range rest {
		if name := titleCase(s); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// stripExt removes every extension: "index.html.md.erb" gives "index".
func stripExt(name string) string {
	if i := strings.IndexByte(name, '.'); i > 0 {
		return name[:i]
	}
	return name
}

var smallWords = map[string]bool{"and": true, "of": true, "the": true, "for": true, "in": true, "to": true, "at": true, "on": true}

// titleCase turns a folder name into a department name: "people-ops" gives
// "People Ops", "legal-and-corporate-affairs" gives "Legal and Corporate
// Affairs".
func titleCase(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == ' ' || r == '.' })
	for i, w := range words {
		lw := strings.ToLower(w)
		if i > 0 && smallWords[lw] {
			words[i] = lw
			continue
		}
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[size:]
	}
	return strings.Join(words, " ")
}

// slugify makes a lower-case, dash-separated slug of letters and digits.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r == '&' {
			r = ' '
			if b.Len() > 0 {
				b.WriteString("-and")
			}
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	out := b.String()
	if len(out) > 100 {
		out = strings.TrimRight(truncateBytes(out, 100), "-")
	}
	return out
}

func truncateBytes(s string, n int) string {
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

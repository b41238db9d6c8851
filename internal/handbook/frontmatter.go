package handbook

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// frontMatter holds the fields of a page's YAML header the importer uses.
type frontMatter struct {
	present    bool
	title      string
	slug       string
	layout     string
	department []string
}

var (
	reYAMLLine   = regexp.MustCompile(`yaml: line (\d+):`)
	reSalvageKey = regexp.MustCompile(`^(title|department|layout|slug)\s*:\s*(.*?)\s*$`)
)

// maxFrontMatterLines bounds the search for the closing "---", so that a
// page whose first line is a horizontal rule is not read as one long header.
const maxFrontMatterLines = 200

// splitFrontMatter separates the YAML header from the body. It returns the
// header, the body lines and the 1-based file line of the first body line.
// A header that does not parse is reported and salvaged line by line; the
// body is read either way.
func splitFrontMatter(lines []string, warn func(line int, format string, args ...any)) (frontMatter, []string, int) {
	var fm frontMatter
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t\r") != "---" {
		return fm, lines, 1
	}
	fm.present = true
	end := -1
	for i := 1; i < len(lines) && i <= maxFrontMatterLines; i++ {
		l := strings.TrimRight(lines[i], " \t\r")
		if l == "---" || l == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		// No closing line: take the header to be the lines up to the first
		// blank one, keep what looks like a field, read the rest as body.
		stop := 1
		for stop < len(lines) && strings.TrimSpace(lines[stop]) != "" {
			stop++
		}
		warn(1, "front matter opened on line 1 is never closed with ---; read up to line %d as front matter", stop)
		salvageFrontMatter(&fm, lines[1:stop])
		return fm, lines[stop:], stop + 1
	}
	header := strings.Join(lines[1:end], "\n")
	var raw map[string]any
	if err := yaml.Unmarshal([]byte(header), &raw); err != nil {
		line := 1
		if m := reYAMLLine.FindStringSubmatch(err.Error()); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil {
				line = n + 1
			}
		}
		warn(line, "front matter is not valid YAML (%s); the page is read without it", yamlReason(err))
		salvageFrontMatter(&fm, lines[1:end])
		return fm, lines[end+1:], end + 2
	}
	fm.title = scalarString(raw["title"])
	fm.slug = scalarString(raw["slug"])
	fm.layout = scalarString(raw["layout"])
	fm.department = departmentValue(raw["department"])
	return fm, lines[end+1:], end + 2
}

// yamlReason keeps the YAML library's message short and free of its prefix.
func yamlReason(err error) string {
	msg := err.Error()
	msg = reYAMLLine.ReplaceAllString(msg, "")
	msg = strings.TrimPrefix(strings.TrimSpace(msg), "yaml:")
	return truncate(strings.TrimSpace(msg), 120)
}

func salvageFrontMatter(fm *frontMatter, lines []string) {
	for _, l := range lines {
		m := reSalvageKey.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			continue
		}
		v := strings.Trim(m[2], `"'`)
		switch m[1] {
		case "title":
			fm.title = v
		case "slug":
			fm.slug = v
		case "layout":
			fm.layout = v
		case "department":
			fm.department = splitDepartment(v)
		}
	}
}

func scalarString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(x)
	case int, int64, float64, bool:
		return fmt.Sprint(x)
	}
	return ""
}

// departmentValue accepts "Engineering > Infrastructure" or a list of names.
func departmentValue(v any) []string {
	switch x := v.(type) {
	case string:
		return splitDepartment(x)
	case []any:
		var out []string
		for _, e := range x {
			if s := scalarString(e); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func splitDepartment(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ">") {
		if p = collapseSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

package handbook

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	// reGradeStatement finds "is a grade 8", "is a job grade 12", "is a
	// grade #12" in plain text: the way pages state a role's grade in prose.
	reGradeStatement = regexp.MustCompile(`(?i)\bis\s+(?:an?\s+)?(?:job\s+)?grade\s*(?:#|no\.?|number)?\s*(\d{1,2}(?:\.\d+)?)\b`)
	// reGradeAny finds any "grade 8" / "Grade #10" / "grade 9.5".
	reGradeAny = regexp.MustCompile(`(?i)\bgrade\s*(?:#|no\.?|number|:)?\s*(\d{1,2}(?:\.\d+)?)\b`)
	// reNoGrade finds a Job Grade section saying there is none.
	reNoGrade = regexp.MustCompile(`(?i)\bno\s+(?:job\s+)?grade\b|\bnot\s+(?:aligned|assigned|mapped)\s+to\s+an?\s+(?:job\s+)?grade\b`)
	// reNumber finds a bare grade number, as in a table cell "| 7 |".
	reNumber = regexp.MustCompile(`\b(\d{1,2}(?:\.\d+)?)\b`)
	// reSubject finds the role a grade sentence speaks of: "The Senior
	// Recruiter is a grade 7", "The Backend Engineering Manager role is a".
	reSubject = regexp.MustCompile(`(?i)^\s*the\s+(.{2,150}?)\s+(?:role\s+|position\s+)?is\s+(?:not\s+|an?\s+|job\s+|grade\b)`)
)

// gradeInSection reads the grade from the text of a Job Grade section: a
// grade statement first, then any "grade N", then a bare number.
func gradeInSection(text string) (float64, bool) {
	if g, ok := gradeStatement(text); ok {
		return g, true
	}
	if m := reGradeAny.FindStringSubmatch(text); m != nil {
		return parseGrade(m[1])
	}
	return 0, false
}

// gradeStatement reads a grade stated in prose; the last statement wins, so
// a title that happens to contain the words does not.
func gradeStatement(text string) (float64, bool) {
	all := reGradeStatement.FindAllStringSubmatch(text, -1)
	if len(all) == 0 {
		return 0, false
	}
	return parseGrade(all[len(all)-1][1])
}

func parseGrade(s string) (float64, bool) {
	g, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return g, true
}

// gradeSubject returns the role named by a grade sentence, or "".
func gradeSubject(text string) string {
	m := reSubject.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	s := collapseSpace(m[1])
	if len(normWords(s)) == 0 || len(s) > 120 {
		return ""
	}
	return s
}

// formatGrade writes 8 as "8" and 9.5 as "9.5".
func formatGrade(g float64) string {
	return strconv.FormatFloat(g, 'f', -1, 64)
}

// tableGrade is one role named in a table of roles and grades.
type tableGrade struct {
	title  string
	anchor string
	grade  float64
	line   int
}

// readGradeTable reads a "| Role | Grade |" table. A cell may name several
// roles separated by <br>; the grade may be "[Grade 8](...)" or "8".
func readGradeTable(b block) []tableGrade {
	if len(b.rows) < 2 {
		return nil
	}
	roleCol, gradeCol := -1, -1
	for i, c := range b.rows[0].cells {
		h := strings.ToLower(plain(c))
		switch {
		case gradeCol < 0 && strings.Contains(h, "grade"):
			gradeCol = i
		case roleCol < 0 && (strings.Contains(h, "role") || strings.Contains(h, "title") || strings.Contains(h, "position") || strings.Contains(h, "job")):
			roleCol = i
		}
	}
	if roleCol < 0 || gradeCol < 0 {
		return nil
	}
	var out []tableGrade
	for _, row := range b.rows[1:] {
		if roleCol >= len(row.cells) || gradeCol >= len(row.cells) {
			continue
		}
		gtext := plain(row.cells[gradeCol])
		var g float64
		var ok bool
		if m := reGradeAny.FindStringSubmatch(gtext); m != nil {
			g, ok = parseGrade(m[1])
		} else if m := reNumber.FindStringSubmatch(gtext); m != nil {
			g, ok = parseGrade(m[1])
		}
		if !ok {
			continue
		}
		for _, part := range splitBR(row.cells[roleCol]) {
			title, links := plainLinks(part)
			if title == "" {
				continue
			}
			anchor := ""
			if len(links) > 0 && strings.HasPrefix(links[0].URL, "#") {
				anchor = strings.ToLower(strings.TrimPrefix(links[0].URL, "#"))
			}
			out = append(out, tableGrade{title: title, anchor: anchor, grade: g, line: row.line})
		}
	}
	return out
}

var reBR = regexp.MustCompile(`(?i)<br\s*/?>`)

func splitBR(s string) []string { return reBR.Split(s, -1) }

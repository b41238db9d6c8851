package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"hireloop/internal/hiring"
)

// The role form edits lists as text, one item per line; items with parts
// separate them with " | ".
var roleFields = []fieldSpec{
	{Name: "title", Label: "Title", Kind: kindText, Required: true, MaxLen: hiring.MaxTitleLen},
	{Name: "level", Label: "Level", Hint: "A word such as Junior, Intermediate, Senior, Staff or Manager.",
		Kind: kindText, MaxLen: hiring.MaxTitleLen},
	{Name: "grade", Label: "Job grade", Hint: "4 to 15 (there is no 13), or 9.5. Leave empty when there is none.",
		Kind: kindText, MaxLen: 10, InputMode: "decimal"},
	{Name: "summary", Label: "Summary", Kind: kindTextarea, Rows: 5, MaxLen: hiring.MaxTextLen},
	{Name: "responsibilities", Label: "Responsibilities", Hint: "One per line.", Kind: kindTextarea, Rows: 8},
	{Name: "requirements", Label: "Requirements", Hint: "One per line.", Kind: kindTextarea, Rows: 8},
	{Name: "nice_to_haves", Label: "Nice-to-haves", Hint: "One per line.", Kind: kindTextarea, Rows: 4},
	{Name: "performance_indicators", Label: "Performance indicators",
		Hint: "One per line: Name | link. The link is optional.", Kind: kindTextarea, Rows: 4},
	{Name: "specialties", Label: "Specialties",
		Hint: "One per line: Name | description | primary language. Description and language are optional.",
		Kind: kindTextarea, Rows: 4},
	{Name: "hiring_process", Label: "Hiring process",
		Hint: "One step per line: Name | minutes | who. Minutes and who are optional.", Kind: kindTextarea, Rows: 6},
	{Name: "career_ladder", Label: "Career ladder", Kind: kindTextarea, Rows: 4, MaxLen: hiring.MaxTextLen},
}

// roleValues writes a role into the form's text fields.
func roleValues(r *hiring.Role) url.Values {
	v := url.Values{}
	v.Set("title", r.Title)
	v.Set("level", r.Level)
	v.Set("grade", formatGrade(r.Grade))
	v.Set("summary", r.Summary)
	v.Set("responsibilities", strings.Join(r.Responsibilities, "\n"))
	v.Set("requirements", strings.Join(r.Requirements, "\n"))
	v.Set("nice_to_haves", strings.Join(r.NiceToHaves, "\n"))
	var lines []string
	for _, pi := range r.PerformanceIndicators {
		lines = append(lines, joinParts(pi.Name, pi.URL))
	}
	v.Set("performance_indicators", strings.Join(lines, "\n"))
	lines = nil
	for _, sp := range r.Specialties {
		lines = append(lines, joinParts(sp.Name, sp.Description, sp.PrimaryLanguage))
	}
	v.Set("specialties", strings.Join(lines, "\n"))
	lines = nil
	for _, st := range r.HiringProcess {
		m := ""
		if st.Minutes > 0 {
			m = strconv.Itoa(st.Minutes)
		}
		lines = append(lines, joinParts(st.Name, m, st.Who))
	}
	v.Set("hiring_process", strings.Join(lines, "\n"))
	v.Set("career_ladder", r.CareerLadder)
	return v
}

// joinParts writes "a | b | c", dropping empty parts at the end so that a
// line reads back to the same item.
func joinParts(parts ...string) string {
	for len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, " | ")
}

// parseRoleForm turns the form into a full update. What cannot be parsed
// (a grade that is not a number, minutes that are not whole) is reported in
// the returned Validation; the rest is left to RoleUpdate.Validate.
func parseRoleForm(form url.Values) (hiring.RoleUpdate, hiring.Validation) {
	v := hiring.Validation{}
	text := func(name string) *string {
		s := normalizeText(form.Get(name))
		return &s
	}
	upd := hiring.RoleUpdate{
		Title:        text("title"),
		Level:        text("level"),
		Summary:      text("summary"),
		CareerLadder: text("career_ladder"),
	}
	if g := strings.TrimSpace(form.Get("grade")); g == "" {
		upd.ClearGrade = true
	} else if n, err := strconv.ParseFloat(strings.Replace(g, ",", ".", 1), 64); err != nil || len(g) > 10 {
		v.Add("grade", "Enter a number such as 8 or 9.5, or leave it empty.")
	} else {
		upd.Grade = &n
	}
	resp, req, nice := lines(form.Get("responsibilities")), lines(form.Get("requirements")), lines(form.Get("nice_to_haves"))
	upd.Responsibilities, upd.Requirements, upd.NiceToHaves = &resp, &req, &nice

	pis := []hiring.PerformanceIndicator{}
	for _, l := range lines(form.Get("performance_indicators")) {
		name, link, _ := strings.Cut(l, "|")
		pis = append(pis, hiring.PerformanceIndicator{Name: strings.TrimSpace(name), URL: strings.TrimSpace(link)})
	}
	upd.PerformanceIndicators = &pis

	specs := []hiring.Specialty{}
	for _, l := range lines(form.Get("specialties")) {
		p := splitParts(l, 3)
		specs = append(specs, hiring.Specialty{Name: p[0], Description: p[1], PrimaryLanguage: p[2]})
	}
	upd.Specialties = &specs

	steps := []hiring.HiringStep{}
	for i, l := range lines(form.Get("hiring_process")) {
		p := splitParts(l, 3)
		m, ok := parseMinutes(p[1])
		if !ok {
			v.Add("hiring_process", fmt.Sprintf("Line %d: write the minutes as a whole number, like “Screening call | 30”.", i+1))
		}
		steps = append(steps, hiring.HiringStep{Name: p[0], Minutes: m, Who: p[2]})
	}
	upd.HiringProcess = &steps
	return upd, v
}

// splitParts splits "a | b | c" into exactly n trimmed parts; extra
// separators stay in the middle part, where free text lives.
func splitParts(line string, n int) []string {
	parts := strings.Split(line, "|")
	out := make([]string, n)
	switch {
	case len(parts) <= n:
		copy(out, parts)
	default:
		out[0] = parts[0]
		out[n-1] = parts[len(parts)-1]
		out[1] = strings.Join(parts[1:len(parts)-n+2], "|")
	}
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

// parseMinutes reads "30", "30 min" or "30 minutes"; empty is 0.
func parseMinutes(s string) (int, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(s), "minutes"), "min"))
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, false
	}
	return n, true
}

// lines splits a textarea into its non-empty lines, trimmed.
func lines(s string) []string {
	out := []string{}
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// normalizeText trims a text and gives it Unix line endings, as browsers
// send CRLF.
func normalizeText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

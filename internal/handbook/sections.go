package handbook

import (
	"strings"
	"unicode"
)

// sectionKind names the parts of a job-family page the importer knows.
type sectionKind int

const (
	secNone sectionKind = iota
	secGrade
	secResponsibilities
	secRequirements
	secNiceToHaves
	secPIs
	secSpecialties
	secLevels
	secCareerLadder
	secHiringProcess
	secLevel
	numSections
)

func (k sectionKind) String() string {
	switch k {
	case secGrade:
		return "Job Grade"
	case secResponsibilities:
		return "Responsibilities"
	case secRequirements:
		return "Requirements"
	case secNiceToHaves:
		return "Nice-to-haves"
	case secPIs:
		return "Performance Indicators"
	case secSpecialties:
		return "Specialties"
	case secLevels:
		return "Levels"
	case secCareerLadder:
		return "Career Ladder"
	case secHiringProcess:
		return "Hiring Process"
	case secLevel:
		return "Level"
	}
	return "section"
}

// isListSection reports whether a section is read as a list of items.
func (k sectionKind) isListSection() bool {
	switch k {
	case secResponsibilities, secRequirements, secNiceToHaves, secPIs, secHiringProcess:
		return true
	}
	return false
}

// normWords lowers s and splits it into words; "&" reads as "and" and
// hyphens, slashes and other marks separate words.
func normWords(s string) []string {
	s = strings.ToLower(strings.ReplaceAll(s, "&", " and "))
	s = strings.ReplaceAll(s, "'", "")
	s = strings.ReplaceAll(s, "’", "")
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '+' })
}

// norm is a comparable form of a title: lower-case words joined by spaces,
// with "sr" read as "senior" and "vp" as "vice president".
func norm(s string) string {
	w := normWords(s)
	out := make([]string, 0, len(w)+1)
	for _, x := range w {
		switch x {
		case "sr":
			x = "senior"
		case "jr":
			x = "junior"
		case "vp":
			out = append(out, "vice")
			x = "president"
		}
		out = append(out, x)
	}
	return strings.Join(out, " ")
}

// sectionMatch is one way a heading names a section: the words that must
// appear in a row, and whether they must be the whole heading.
type sectionMatch struct {
	kind  sectionKind
	words []string
	exact bool
	// stems matches words that start with the given stems, for typos such
	// as "Responsibilites" and "Responsibilties".
	stems bool
}

var sectionMatches = []sectionMatch{
	{kind: secLevel, words: []string{"level"}, exact: true},
	{kind: secNiceToHaves, words: []string{"nice", "to", "have"}},
	{kind: secNiceToHaves, words: []string{"nice", "to", "haves"}},
	{kind: secNiceToHaves, words: []string{"nicetohave"}},
	{kind: secNiceToHaves, words: []string{"preferred"}},
	{kind: secNiceToHaves, words: []string{"bonus", "points"}},
	{kind: secLevels, words: []string{"job", "grades"}},
	{kind: secGrade, words: []string{"job", "grade"}},
	{kind: secGrade, words: []string{"grade"}, exact: true},
	{kind: secResponsibilities, words: []string{"responsib"}, stems: true},
	{kind: secResponsibilities, words: []string{"expectations"}, exact: true},
	{kind: secResponsibilities, words: []string{"duties"}},
	{kind: secResponsibilities, words: []string{"what", "you", "ll", "do"}},
	{kind: secResponsibilities, words: []string{"what", "youll", "do"}},
	{kind: secRequirements, words: []string{"requir"}, stems: true},
	{kind: secRequirements, words: []string{"requriement"}, stems: true},
	{kind: secRequirements, words: []string{"qualification"}, stems: true},
	{kind: secRequirements, words: []string{"about", "you"}, exact: true},
	{kind: secPIs, words: []string{"performance", "indicator"}, stems: true},
	{kind: secPIs, words: []string{"kpis"}},
	{kind: secSpecialties, words: []string{"specialties"}},
	{kind: secSpecialties, words: []string{"specialities"}},
	{kind: secSpecialties, words: []string{"specialty"}},
	{kind: secSpecialties, words: []string{"speciality"}},
	{kind: secSpecialties, words: []string{"specializations"}},
	{kind: secSpecialties, words: []string{"specialisations"}},
	{kind: secSpecialties, words: []string{"specialization"}},
	{kind: secSpecialties, words: []string{"specialisation"}},
	{kind: secCareerLadder, words: []string{"career", "ladder"}},
	{kind: secCareerLadder, words: []string{"career", "progression"}},
	{kind: secHiringProcess, words: []string{"hiring", "process"}},
	{kind: secHiringProcess, words: []string{"interview", "process"}},
	{kind: secHiringProcess, words: []string{"recruiting", "process"}},
	{kind: secLevels, words: []string{"levels"}},
	{kind: secLevels, words: []string{"roles"}, exact: true},
}

var prepositions = map[string]bool{
	"for": true, "of": true, "across": true, "in": true, "at": true, "and": true,
	"to": true, "per": true, "by": true, "within": true, "on": true, "the": true,
}

// classifySection says which section a heading names, if any, and the words
// before the section name when the name ends the heading ("Payroll
// Specialist Job Grade" gives secGrade and "Payroll Specialist"). A heading
// where the section words are followed by a job title ("Hiring Process
// Manager") is not a section.
func classifySection(text string) (sectionKind, string) {
	text = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(text), ":"))
	w := normWords(text)
	if len(w) == 0 {
		return secNone, ""
	}
	for _, m := range sectionMatches {
		if m.exact && len(w) != len(m.words) {
			continue
		}
		at := findWords(w, m.words, m.stems)
		if at < 0 {
			continue
		}
		rest := w[at+len(m.words):]
		if len(rest) > 0 && !prepositions[rest[0]] && hasRoleNoun(rest) {
			continue
		}
		if m.kind == secGrade && len(rest) > 0 && rest[0] != "and" {
			// "Job Grade Calculator" is not a grade section; only a name
			// that ends the heading is.
			if !prepositions[rest[0]] {
				continue
			}
		}
		prefix := ""
		if len(rest) == 0 && at > 0 {
			prefix = cutTrailingWords(text, len(m.words))
		}
		return m.kind, prefix
	}
	return secNone, ""
}

// findWords returns the index in w where the words needle appear in a row,
// or -1. With stems, each needle word only has to start the word in w.
func findWords(w, needle []string, stems bool) int {
	for i := 0; i+len(needle) <= len(w); i++ {
		ok := true
		for j, n := range needle {
			if stems {
				if !strings.HasPrefix(w[i+j], n) {
					ok = false
					break
				}
			} else if w[i+j] != n {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

// cutTrailingWords removes the last n words of text, and the punctuation
// left dangling before them.
func cutTrailingWords(text string, n int) string {
	end := len(text)
	for ; n > 0; n-- {
		// Skip marks after the word, then the word itself.
		for end > 0 && !isWordByteAt(text, end-1) {
			end--
		}
		for end > 0 && isWordByteAt(text, end-1) {
			end--
		}
	}
	return strings.TrimRight(strings.TrimSpace(text[:end]), " ,;:-–—&")
}

func isWordByteAt(s string, i int) bool {
	c := s[i]
	return c >= 0x80 || isAlnum(c) || c == '\''
}

// roleNouns are the words that make a heading look like a job title.
var roleNouns = map[string]bool{
	"engineer": true, "developer": true, "manager": true, "director": true, "vp": true,
	"president": true, "analyst": true, "specialist": true, "counsel": true, "writer": true,
	"designer": true, "architect": true, "auditor": true, "recruiter": true, "coordinator": true,
	"partner": true, "evangelist": true, "associate": true, "fellow": true, "officer": true,
	"chief": true, "lead": true, "intern": true, "executive": true, "advocate": true,
	"coach": true, "administrator": true, "accountant": true, "consultant": true,
	"scientist": true, "researcher": true, "representative": true, "strategist": true,
	"controller": true, "head": true, "sourcer": true, "programmer": true, "editor": true,
	"marketer": true, "owner": true, "agent": true, "technician": true, "leader": true,
	"expert": true, "ceo": true, "cto": true, "cfo": true, "coo": true, "cmo": true,
	"cio": true, "ciso": true, "sre": true, "dbre": true, "assistant": true,
	"generalist": true, "paralegal": true, "attorney": true, "lawyer": true,
	"secretary": true, "treasurer": true, "principal": true, "staff": true,
}

func singular(w string) string {
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}

func hasRoleNoun(words []string) bool {
	for _, w := range words {
		if roleNouns[w] || roleNouns[singular(w)] {
			return true
		}
	}
	return false
}

// proseOpeners are first words of headings that are sentences, not titles.
var proseOpeners = map[string]bool{
	"what": true, "how": true, "why": true, "who": true, "when": true, "where": true,
	"you": true, "your": true, "youre": true, "youve": true, "youll": true, "as": true,
	"our": true, "we": true, "this": true, "these": true, "if": true, "see": true,
	"read": true, "learn": true, "moving": true,
}

// isProse reports whether a heading reads as a sentence or a question.
func isProse(text string) bool {
	text = strings.TrimSpace(text)
	if text == "" {
		return true
	}
	if strings.ContainsAny(text[len(text)-1:], ":?!.") {
		return true
	}
	w := normWords(text)
	return len(w) > 12 || len(w) > 0 && proseOpeners[w[0]]
}

// endsLikeProse reports whether a heading ends as a sentence does; used for
// specialty names, which may open with any word.
func endsLikeProse(text string) bool {
	text = strings.TrimSpace(text)
	return text == "" || strings.ContainsAny(text[len(text)-1:], ":?!") || len(normWords(text)) > 12
}

// isRoleLike reports whether a heading looks like a job title.
func isRoleLike(text string) bool {
	if isProse(text) {
		return false
	}
	w := normWords(text)
	if len(w) == 0 || len(w) > 10 {
		return false
	}
	for i, x := range w {
		if x == "roles" || x == "levels" || x == "family" && i > 0 && w[i-1] == "job" {
			return false
		}
	}
	return hasRoleNoun(w)
}

// levelWords are the words of a bare level heading such as "Senior" or
// "Senior Manager", which only make sense with the family's name.
var levelWords = map[string]bool{
	"intern": true, "junior": true, "jr": true, "associate": true, "intermediate": true,
	"mid": true, "senior": true, "sr": true, "staff": true, "lead": true, "principal": true,
	"distinguished": true, "fellow": true, "manager": true, "director": true, "vp": true,
	"vice": true, "president": true, "executive": true, "head": true, "entry": true,
	"level": true, "of": true,
}

// isBareLevel reports whether a heading is only a level ("Senior", "Senior
// Manager", "Intermediate (grade 6)").
func isBareLevel(text string) bool {
	if i := strings.IndexByte(text, '('); i > 0 {
		text = text[:i]
	}
	w := normWords(text)
	if len(w) == 0 || len(w) > 3 {
		return false
	}
	for _, x := range w {
		if !levelWords[x] {
			return false
		}
	}
	return true
}

// cleanFamilyTitle removes the words pages add to a family's title ("Roles",
// "Job Family") so it can name a role.
func cleanFamilyTitle(title string) string {
	t := strings.TrimSpace(title)
	for _, suffix := range []string{" - job family", " job family matrix", " job family", " roles at gitlab", " roles", " role"} {
		if len(t) > len(suffix) && strings.EqualFold(t[len(t)-len(suffix):], suffix) {
			t = strings.TrimSpace(t[:len(t)-len(suffix)])
		}
	}
	return strings.TrimRight(t, " ,-–—:")
}

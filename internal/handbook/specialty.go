package handbook

import (
	"regexp"
	"strings"

	"hireloop/internal/hiring"
)

// languages are the programming languages a specialty may name as primary,
// each with the spellings pages use.
var languages = []struct {
	name  string
	hints []string // lower-case words one of which must appear, a cheap first test
	re    *regexp.Regexp
}{
	{"Go", []string{"go"}, regexp.MustCompile(`\b(?:Go|Golang|GoLang|golang)\b`)},
	{"Ruby", []string{"ruby"}, regexp.MustCompile(`\bRuby\b`)},
	{"JavaScript", []string{"javascript", "node"}, regexp.MustCompile(`(?i)\bJavaScript\b|\bNode\.?js\b`)},
	{"TypeScript", []string{"typescript"}, regexp.MustCompile(`(?i)\bTypeScript\b`)},
	{"Python", []string{"python"}, regexp.MustCompile(`\bPython\b`)},
	{"Java", []string{"java"}, regexp.MustCompile(`\bJava\b`)},
	{"Rust", []string{"rust"}, regexp.MustCompile(`\bRust\b`)},
	{"Elixir", []string{"elixir"}, regexp.MustCompile(`\bElixir\b`)},
	{"C++", []string{"c++"}, regexp.MustCompile(`\bC\+\+`)},
	{"C#", []string{"c#"}, regexp.MustCompile(`\bC#`)},
	{"Kotlin", []string{"kotlin"}, regexp.MustCompile(`\bKotlin\b`)},
	{"Swift", []string{"swift"}, regexp.MustCompile(`\bSwift\b`)},
	{"PHP", []string{"php"}, regexp.MustCompile(`\bPHP\b`)},
	{"Scala", []string{"scala"}, regexp.MustCompile(`\bScala\b`)},
	{"SQL", []string{"sql"}, regexp.MustCompile(`\bSQL\b`)},
}

// mentions reports whether text (and its lower-case form) names language i.
func mentions(i int, text, lower string) bool {
	for _, h := range languages[i].hints {
		if strings.Contains(lower, h) {
			return languages[i].re.MatchString(text)
		}
	}
	return false
}

var (
	// rePrimaryLine is the explicit line Render writes, and pages may too:
	// "Primary language: Go" or "Primary programming language: Go."
	rePrimaryLine = regexp.MustCompile(`(?i)^primary\s+(?:programming\s+)?language\s*:\s*(.{1,40}?)\.?$`)
	// rePrimaryProse finds "primary (programming) language is Go" or
	// "primary language for this role: Go" in a sentence.
	rePrimaryProse = regexp.MustCompile(`(?i)primary\s+(?:programming\s+)?language[^.:]{0,40}?(?:\bis\b|:)\s*([A-Za-z+#]+)`)
)

// codeWords are the words before "in X" that make X the language code is
// written in: "quality code in Go", "written in Go", "services in Go".
var codeWords = map[string]bool{
	"code": true, "written": true, "writing": true, "services": true, "developer": true,
	"developers": true, "engineer": true, "engineers": true, "apis": true,
	"application": true, "applications": true,
}

// codeIn returns the languages named as "<code word> in X", in order.
func codeIn(text string) []string {
	var out []string
	words := strings.Fields(strings.NewReplacer("*", " ", ",", " ", ".", " ", ";", " ").Replace(text))
	for i := 1; i+1 < len(words); i++ {
		if words[i] == "in" && codeWords[strings.ToLower(words[i-1])] {
			out = append(out, words[i+1])
		}
	}
	return out
}

// primaryLanguage names the specialty's primary programming language when
// the text names one: an explicit "primary language" phrase, then code
// "in X", then a text that mentions exactly one language.
func primaryLanguage(text string) string {
	if strings.Contains(strings.ToLower(text), "primary") && strings.Contains(strings.ToLower(text), "language") {
		if m := rePrimaryProse.FindStringSubmatch(text); m != nil {
			if l := languageName(m[1]); l != "" {
				return l
			}
		}
	}
	for _, w := range codeIn(text) {
		if l := languageName(w); l != "" {
			return l
		}
	}
	found := ""
	lower := strings.ToLower(text)
	for i, l := range languages {
		if l.name == "SQL" {
			continue
		}
		if mentions(i, text, lower) {
			if found != "" {
				return ""
			}
			found = l.name
		}
	}
	return found
}

func languageName(word string) string {
	lower := strings.ToLower(word)
	for i, l := range languages {
		if len(word) <= len(l.name)+3 && mentions(i, word, lower) {
			return l.name
		}
	}
	return ""
}

var reSpecialtySep = regexp.MustCompile(`^(.{1,80}?)\s*(?:\s[-–—]\s|:\s)\s*(.+)$`)

// specialtyFromItem reads a specialty written as a list item: "Development -
// for changes to features", "Gitaly: storage for Git", or just a name.
func specialtyFromItem(text string) hiring.Specialty {
	if m := reSpecialtySep.FindStringSubmatch(text); m != nil && len(normWords(m[1])) <= 8 {
		s := hiring.Specialty{Name: strings.TrimRight(m[1], " :"), Description: m[2]}
		s.PrimaryLanguage = primaryLanguage(s.Description)
		return s
	}
	return hiring.Specialty{Name: strings.TrimRight(text, " :")}
}

// specialtyHeading handles a heading while a Specialties section is open.
// It reports false when the heading ends the section.
func (b *builder) specialtyHeading(i int, text string, kind sectionKind, prefix string) bool {
	sp := b.spec
	l := b.blocks[i].level
	if kind != secNone {
		if sp.cur >= 0 && (l > sp.curLevel || prefix != "" && norm(prefix) == norm(sp.set.specialties[sp.cur].Name)) {
			sp.desc.para(text)
			return true
		}
		return false
	}
	if l <= sp.ownerLevel || l == sp.level || b.statesGrade(i, true) {
		return false
	}
	if sp.cur >= 0 && l > sp.curLevel {
		sp.desc.para(text)
		return true
	}
	if endsLikeProse(text) || text == "" {
		return false
	}
	if l < sp.level && !sp.ownerIsRole {
		// Inside a role a Specialties heading is sometimes written deeper
		// than the specialties under it; elsewhere a shallower heading ends
		// the section.
		return false
	}
	b.finishSpecialty()
	name := strings.TrimRight(text, " :")
	sp.set.specialties = append(sp.set.specialties, hiring.Specialty{Name: name})
	sp.set.content[secSpecialties] = true
	sp.set.items[secSpecialties]++
	sp.cur, sp.curLevel = len(sp.set.specialties)-1, l
	return true
}

// finishSpecialty stores the description read for the current specialty.
func (b *builder) finishSpecialty() {
	sp := b.spec
	if sp == nil || sp.cur < 0 {
		return
	}
	s := &sp.set.specialties[sp.cur]
	s.Description = sp.desc.String()
	s.PrimaryLanguage = sp.explicit
	if !sp.explicitSet {
		s.PrimaryLanguage = primaryLanguage(s.Description)
	}
	sp.cur, sp.desc, sp.explicit, sp.explicitSet = -1, nil, "", false
}

func (b *builder) specialtyContent(c *block) {
	sp := b.spec
	text, links := plainLinks(c.text)
	if text == "" {
		return
	}
	item := c.kind == blockItem
	sp.set.content[secSpecialties] = true
	if sp.cur >= 0 {
		if m := rePrimaryLine.FindStringSubmatch(text); m != nil && !item {
			sp.explicit, sp.explicitSet = strings.TrimSpace(m[1]), true
			if strings.EqualFold(sp.explicit, "none") {
				sp.explicit = ""
			}
			return
		}
		sp.desc.add(text, item)
		return
	}
	if item {
		s := specialtyFromItem(text)
		if k, _ := classifySection(s.Name); s.Name != "" && k == secNone {
			sp.set.specialties = append(sp.set.specialties, s)
			sp.set.content[secSpecialties] = true
			sp.set.items[secSpecialties]++
		}
		return
	}
	// A sentence that links to each specialty: "Specialties include
	// [Education](...) and [Open Source](...)".
	if !strings.Contains(strings.ToLower(text), "includ") {
		return
	}
	for _, l := range links {
		name := strings.TrimSpace(l.Text)
		if k, _ := classifySection(name); name != "" && k == secNone && len(normWords(name)) <= 8 {
			sp.set.specialties = append(sp.set.specialties, hiring.Specialty{Name: name})
			sp.set.content[secSpecialties] = true
			sp.set.items[secSpecialties]++
		}
	}
}

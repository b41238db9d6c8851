package handbook

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"hireloop/internal/hiring"
)

// scopeKind says what a scope stands for.
type scopeKind int

const (
	scopeFamily scopeKind = iota
	scopeGroup
	scopeRole
)

// scope is a part of the page that sections belong to: the page itself, a
// group heading that holds roles ("## Benefits"), or a role. Roles inherit
// each section they do not state from the closest scope above them.
type scope struct {
	kind     scopeKind
	level    int
	parent   *scope
	role     *draftRole
	secs     sectionSet
	hasRoles bool
}

// sectionSet holds what one scope states, section by section.
type sectionSet struct {
	stated  [numSections]bool
	content [numSections]bool
	items   [numSections]int
	line    [numSections]int
	// none is set when the section says in words that it has no items
	// ("None."): an empty list that is not left to inheritance.
	none [numSections]bool

	responsibilities []string
	requirements     []string
	niceToHaves      []string
	pis              []piGroup
	specialties      []hiring.Specialty
	steps            []draftStep
	ladder           textLines
}

// reNone is how a section says it is empty on purpose.
var reNone = regexp.MustCompile(`(?i)^(?:none|none stated|n/a|not applicable)\.?$`)

// piGroup is one list of performance indicators with the sentence that
// introduced it, which sometimes names the role it is for.
type piGroup struct {
	intro string
	line  int
	items []hiring.PerformanceIndicator
}

// audience says whom the group's introduction addresses: "Engineering
// Managers have the following..." is for managers.
func (g piGroup) audience() audience {
	subject := strings.ToLower(g.intro)
	for _, sep := range []string{" have ", " has ", " are ", " is "} {
		if i := strings.Index(subject, sep); i > 0 {
			subject = subject[:i]
			break
		}
	}
	w := normWords(subject)
	if len(w) == 0 || len(w) > 8 {
		return forEveryone
	}
	for _, x := range w {
		switch singular(x) {
		case "manager", "director", "leader", "leadership", "management", "executive", "vp":
			return forManagers
		}
	}
	if hasRoleNoun(w) {
		return forIndividuals
	}
	return forEveryone
}

type draftStep struct {
	step hiring.HiringStep
	aud  audience
}

// draftRole is a role while the page is being read.
type draftRole struct {
	title string
	// pendingTitle is set when the heading did not name the role (a bare
	// level, or a Job Grade heading); the grade sentence names it.
	pendingTitle bool
	bareLevel    string
	slug         string
	line         int
	order        int
	scope        *scope

	grade       *float64
	gradeLine   int
	gradeSource int // 0 none, 1 table, 2 prose, 3 Job Grade section
	gradeSeen   bool

	level    string
	levelSet bool
	summary  textLines
	merged   bool
	// gradeNone is set when the Job Grade section says there is none.
	gradeNone bool
}

const (
	gradeFromTable   = 1
	gradeFromProse   = 2
	gradeFromSection = 3
)

// openSection is the section whose content is being read.
type openSection struct {
	kind       sectionKind
	level      int
	set        *sectionSet
	role       *draftRole
	line       int
	paragraphs int
	gradeFound bool
	pi         int // index of the current piGroup
	aud        audience
	pending    *block // a heading inside a hiring process that may be a step
	dropped    bool
	// subState follows the text under a sub-heading of a hiring process:
	// a list there is steps, prose means the sub-heading is about something
	// else and its text is skipped.
	subState int
	subText  string
}

const (
	subNone = iota
	subAwaiting
	subSkipping
)

// unknownHeading is a heading the importer has no section for; its text
// goes to target, or is skipped (and reported once) when target is nil.
type unknownHeading struct {
	level   int
	line    int
	heading string
	target  *textLines
	warned  bool
	// skipItems drops list items, as under "On this page".
	skipItems bool
}

// specialtiesContext is open after a Specialties heading.
type specialtiesContext struct {
	level       int
	ownerLevel  int
	ownerIsRole bool
	set         *sectionSet
	cur         int // index of the specialty being described, or -1
	curLevel    int
	desc        textLines
	explicit    string
	explicitSet bool
}

type levelsContext struct{ level int }

// subHeading is a heading inside a section that names nothing the importer
// knows ("### Distribution" inside "## Hiring Process"). Sections below it
// belong to it, not to the page.
type subHeading struct {
	level int
	text  string
}

// builder reads the blocks of one page into a family.
type builder struct {
	source   string
	blocks   []block
	scraped  bool
	warnings []Warning

	title     string
	family    *scope
	stack     []*scope
	roles     []*draftRole
	groups    []*scope
	tables    []tableGrade
	summary   textLines
	listsPage bool // the page calls the job_families helper

	cur     *openSection
	unknown *unknownHeading
	levels  *levelsContext
	spec    *specialtiesContext
	sub     *subHeading
	orphan  int // line of the last reported text outside any role
	// lastRoleLevel is the heading level of the last role heading.
	lastRoleLevel int
	tooManyRoles  bool
	// dropped counts warnings beyond maxWarnings.
	dropped int
}

// maxWarnings bounds the warnings of one page; past it they are counted.
const maxWarnings = 200

// maxWindow bounds how far ahead the builder looks to decide what a
// heading is, so that a page of headings costs linear time.
const maxWindow = 400

func (b *builder) warn(line int, format string, args ...any) {
	if len(b.warnings) >= maxWarnings {
		b.dropped++
		return
	}
	b.warnings = append(b.warnings, Warning{Source: b.source, Line: line, Message: fmt.Sprintf(format, args...)})
}

// allWarnings returns the warnings in line order, with a note of how many
// were left out.
func (b *builder) allWarnings() []Warning {
	sort.SliceStable(b.warnings, func(i, j int) bool { return b.warnings[i].Line < b.warnings[j].Line })
	if b.dropped > 0 {
		b.warnings = append(b.warnings, Warning{Source: b.source, Message: fmt.Sprintf("%d more warnings were left out", b.dropped)})
	}
	return b.warnings
}

func (b *builder) run() {
	b.family = &scope{kind: scopeFamily}
	b.stack = []*scope{b.family}
	for i := range b.blocks {
		if b.blocks[i].kind == blockHeading {
			b.heading(i)
		} else {
			b.content(&b.blocks[i])
		}
	}
	b.flushPendingStep()
	b.finishSpecialty()
	b.reportUnknownSkip()
}

func (b *builder) top() *scope { return b.stack[len(b.stack)-1] }

// openRole is the innermost open role, or nil.
func (b *builder) openRole() *draftRole {
	for i := len(b.stack) - 1; i > 0; i-- {
		if b.stack[i].kind == scopeRole {
			return b.stack[i].role
		}
	}
	return nil
}

// closeTo closes everything a heading of level l ends.
func (b *builder) closeTo(l int) {
	if b.cur != nil && l <= b.cur.level {
		b.cur = nil
	}
	if b.unknown != nil && l <= b.unknown.level {
		b.reportUnknownSkip()
		b.unknown = nil
	}
	if b.levels != nil && l <= b.levels.level {
		b.levels = nil
	}
	if b.sub != nil && l <= b.sub.level {
		b.sub = nil
	}
	for len(b.stack) > 1 && b.top().level >= l {
		b.stack = b.stack[:len(b.stack)-1]
	}
}

func (b *builder) heading(i int) {
	h := &b.blocks[i]
	text := plain(h.text)
	kind, prefix := classifySection(text)
	b.flushPendingStep()
	if b.spec != nil {
		if b.specialtyHeading(i, text, kind, prefix) {
			return
		}
		b.finishSpecialty()
		b.spec = nil
	}
	switch {
	case kind == secGrade:
		b.gradeHeading(h, prefix)
	case kind != secNone && b.sub != nil && h.level > b.sub.level:
		// "#### Requirements" under "### Distribution" under "## Hiring
		// Process": the requirements of something the page does not say.
		b.closeTo(h.level)
		b.cur = nil
		b.unknown = &unknownHeading{level: h.level, line: h.line, heading: b.sub.text + " > " + text}
	case kind != secNone:
		b.closeTo(h.level)
		if kind != secLevels && b.openRole() == nil {
			// A section beside the roles ends the list of levels.
			b.levels = nil
		}
		b.openSection(kind, h.level, h.line)
	default:
		b.candidate(i, text)
	}
}

// openSection starts a section in the innermost open scope.
func (b *builder) openSection(kind sectionKind, level, line int) {
	owner := b.top()
	set := &owner.secs
	switch kind {
	case secLevels:
		b.levels = &levelsContext{level: level}
		b.cur = &openSection{kind: secLevels, level: level, set: set, line: line}
		return
	case secSpecialties:
		set.stated[secSpecialties] = true
		if set.line[secSpecialties] == 0 {
			set.line[secSpecialties] = line
		}
		b.cur = nil
		b.spec = &specialtiesContext{level: level, ownerLevel: owner.level, ownerIsRole: owner.kind == scopeRole, set: set, cur: -1}
		return
	}
	set.stated[kind] = true
	if set.line[kind] == 0 {
		set.line[kind] = line
	}
	s := &openSection{kind: kind, level: level, set: set, role: owner.role, line: line, pi: -1}
	if kind == secPIs {
		set.pis = append(set.pis, piGroup{line: line})
		s.pi = len(set.pis) - 1
	}
	b.cur = s
}

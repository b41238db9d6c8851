package handbook

import (
	"strconv"
	"strings"

	"hireloop/internal/hiring"
)

// finish turns what the builder read into a family. It reports false, with
// a reason, when the page describes no role.
func (b *builder) finish(f *hiring.Family) (ok bool, reason string) {
	b.flattenGroups()
	if len(b.roles) == 0 && b.describesOneRole() {
		// A page with responsibilities or requirements but no role
		// headings (a 2016 page, a single-role page) is one role: the page's.
		r := &draftRole{title: cleanFamilyTitle(b.title), scope: &scope{kind: scopeRole, parent: b.family}}
		r.scope.role = r
		b.roles = append(b.roles, r)
	}
	b.nameRoles()
	b.mergeDuplicates()
	b.applyTables()
	if len(b.live()) == 0 {
		return false, b.notFamilyReason()
	}
	b.attributePIs()
	roles := b.live()
	out := make([]*hiring.Role, 0, len(roles))
	for _, r := range roles {
		out = append(out, b.role(r))
	}
	b.borrowPIs(roles, out)
	assignSlugs(roles, out)
	for i, r := range out {
		r.Position = i + 1
	}
	f.Roles = out
	b.reportEmpty()
	return true, ""
}

// live lists the roles left after merging, in page order.
func (b *builder) live() []*draftRole {
	var out []*draftRole
	for _, r := range b.roles {
		if !r.merged {
			out = append(out, r)
		}
	}
	return out
}

// describesOneRole reports whether the page states role sections without any
// role heading.
func (b *builder) describesOneRole() bool {
	s := b.family.secs
	return len(s.responsibilities)+len(s.requirements)+len(s.niceToHaves) > 0
}

func (b *builder) notFamilyReason() string {
	if b.listsPage {
		return "index page: it lists job families and describes no role"
	}
	return "no role found: the page has no role headings, job grades, responsibilities or requirements"
}

// flattenGroups gives the sections of group headings that hold no roles
// ("## Role", "## Collaboration guidelines") to the scope above them, so
// that every role below inherits them.
func (b *builder) flattenGroups() {
	for i := len(b.groups) - 1; i >= 0; i-- {
		g := b.groups[i]
		if g.hasRoles {
			continue
		}
		mergeSections(&g.parent.secs, &g.secs)
		g.secs = sectionSet{}
	}
}

// mergeSections adds what src states to dst: sections dst does not state
// are taken whole, lists dst already has are extended.
func mergeSections(dst, src *sectionSet) {
	for k := sectionKind(1); k < numSections; k++ {
		if src.stated[k] {
			if !dst.stated[k] {
				dst.line[k] = src.line[k]
			}
			dst.stated[k] = true
			dst.content[k] = dst.content[k] || src.content[k]
		}
	}
	for k := range dst.items {
		dst.items[k] += src.items[k]
		dst.none[k] = dst.none[k] || src.none[k]
	}
	dst.responsibilities = append(dst.responsibilities, src.responsibilities...)
	dst.requirements = append(dst.requirements, src.requirements...)
	dst.niceToHaves = append(dst.niceToHaves, src.niceToHaves...)
	dst.pis = append(dst.pis, src.pis...)
	dst.specialties = append(dst.specialties, src.specialties...)
	dst.steps = append(dst.steps, src.steps...)
	dst.ladder = append(dst.ladder, src.ladder...)
}

// nameRoles gives a title to roles whose heading did not name them: a bare
// level ("Senior") joins the family's name, a Job Grade heading takes the
// family's name.
func (b *builder) nameRoles() {
	family := collapseSpace(cleanFamilyTitle(b.title))
	for _, r := range b.roles {
		r.title = collapseSpace(r.title)
		if r.title != "" {
			continue
		}
		switch {
		case r.bareLevel != "" && family != "" && strings.HasPrefix(norm(family), norm(r.bareLevel)):
			r.title = family
		case r.bareLevel != "" && family != "":
			r.title = collapseSpace(r.bareLevel) + " " + family
		case r.bareLevel != "":
			r.title = collapseSpace(r.bareLevel)
		case family != "":
			r.title = family
		default:
			r.title = "Untitled role"
			b.warn(r.line, "role has no name; it was called %q", r.title)
		}
	}
	for _, r := range b.roles {
		if k, _ := classifySection(r.title); k != secNone {
			// A title that reads as a section name ("Responsibilities")
			// would not read back as a role.
			name := family
			if k2, _ := classifySection(name); name == "" || k2 != secNone {
				name = "Untitled role"
			}
			b.warn(r.line, "role title %q reads as a section name; it was called %q", r.title, name)
			r.title = name
		}
		if r.title == "" {
			r.title = "Untitled role"
		}
		if len(r.title) > hiring.MaxTitleLen {
			b.warn(r.line, "role title is longer than %d characters; it was cut short", hiring.MaxTitleLen)
			r.title = truncate(r.title, hiring.MaxTitleLen-4)
		}
	}
}

// mergeDuplicates folds a role that appears twice on a page into its first
// appearance.
func (b *builder) mergeDuplicates() {
	first := map[string]*draftRole{}
	for _, r := range b.roles {
		key := norm(r.title)
		f, seen := first[key]
		if !seen {
			first[key] = r
			continue
		}
		b.warn(r.line, "role %q already appears on line %d; the two were merged", r.title, f.line)
		mergeSections(&f.scope.secs, &r.scope.secs)
		f.summary = append(f.summary, r.summary...)
		if r.gradeSource > f.gradeSource {
			f.grade, f.gradeSource, f.gradeLine = r.grade, r.gradeSource, r.gradeLine
		}
		if f.level == "" {
			f.level = r.level
		}
		r.merged = true
		// Roles nested in the duplicate now inherit through the first one.
		r.scope.secs = sectionSet{}
		r.scope.parent = f.scope
	}
}

// attributePIs moves a list of performance indicators that a role's section
// introduces with another role's name ("Manager, Engineering (Scalability),
// have the following...") to that role, when that role states none.
func (b *builder) attributePIs() {
	roles := b.live()
	for i, r := range roles {
		own := &r.scope.secs
		keep := own.pis[:0:0]
		for _, g := range own.pis {
			target := b.namedRole(g.intro, roles[:i], r)
			if target == nil || len(g.items) == 0 {
				keep = append(keep, g)
				continue
			}
			target.scope.secs.pis = append(target.scope.secs.pis, g)
			target.scope.secs.stated[secPIs] = true
			target.scope.secs.content[secPIs] = true
			target.scope.secs.items[secPIs] += len(g.items)
			r.scope.secs.items[secPIs] -= len(g.items)
			b.warn(g.line, "these performance indicators are introduced as those of %q; they were given to that role", target.title)
		}
		own.pis = keep
	}
}

// namedRole returns the earlier role whose title opens intro, when that role
// states no performance indicators and intro does not name self.
func (b *builder) namedRole(intro string, earlier []*draftRole, self *draftRole) *draftRole {
	if intro == "" {
		return nil
	}
	n := norm(intro) + " "
	if strings.HasPrefix(n, norm(self.title)+" ") {
		return nil
	}
	for _, r := range earlier {
		t := norm(r.title)
		if len(strings.Fields(t)) >= 2 && strings.HasPrefix(n, t+" ") && !r.scope.secs.stated[secPIs] {
			return r
		}
	}
	return nil
}

// resolve finds the scope whose statement of section k a role uses: its
// own, else the closest scope above it that states it. A list section with
// text but no list ("To be defined", "Beyond the base requirements...")
// does not replace the shared list; an empty heading does.
func resolve(r *draftRole, k sectionKind) *sectionSet {
	for s := r.scope; s != nil; s = s.parent {
		if !s.secs.stated[k] {
			continue
		}
		if (k.isListSection() || k == secSpecialties) && s.secs.items[k] == 0 && s.secs.content[k] && !s.secs.none[k] {
			continue
		}
		return &s.secs
	}
	return nil
}

// role builds the catalog role from a draft.
func (b *builder) role(r *draftRole) *hiring.Role {
	out := &hiring.Role{
		Title:                 r.title,
		Grade:                 r.grade,
		Responsibilities:      []string{},
		Requirements:          []string{},
		NiceToHaves:           []string{},
		PerformanceIndicators: []hiring.PerformanceIndicator{},
		Specialties:           []hiring.Specialty{},
		HiringProcess:         []hiring.HiringStep{},
	}
	if r.gradeNone && r.gradeSource == gradeFromProse {
		r.grade, r.gradeSource = nil, 0
		out.Grade = nil
	}
	if r.grade != nil && !hiring.ValidGrade(*r.grade) {
		b.warn(r.gradeLine, "grade %s of %q is not a job grade hireloop knows (4 to 15, or 9.5; there is no 13); it was kept", formatGrade(*r.grade), r.title)
	}
	out.Level = r.level
	if !r.levelSet {
		out.Level = DeriveLevel(r.title, r.grade)
	}
	out.Summary = b.limitText(r.summary.String(), r.line, "summary of "+r.title)
	if s := resolve(r, secResponsibilities); s != nil {
		out.Responsibilities = append(out.Responsibilities, s.responsibilities...)
	}
	if s := resolve(r, secRequirements); s != nil {
		out.Requirements = append(out.Requirements, s.requirements...)
	}
	if s := resolve(r, secNiceToHaves); s != nil {
		out.NiceToHaves = append(out.NiceToHaves, s.niceToHaves...)
	}
	if s := resolve(r, secPIs); s != nil {
		out.PerformanceIndicators = indicatorsFor(s.pis, out.Level)
	}
	if s := resolve(r, secSpecialties); s != nil {
		out.Specialties = append(out.Specialties, s.specialties...)
	}
	if s := resolve(r, secHiringProcess); s != nil {
		out.HiringProcess = stepsFor(s.steps, out.Level)
	}
	if s := resolve(r, secCareerLadder); s != nil {
		out.CareerLadder = b.limitText(s.ladder.String(), s.line[secCareerLadder], "career ladder")
	}
	out.PerformanceIndicators = capList(out.PerformanceIndicators)
	out.Specialties = capList(out.Specialties)
	for i := range out.Specialties {
		sp := &out.Specialties[i]
		if len(sp.Name) > hiring.MaxTitleLen {
			sp.Name = truncate(sp.Name, hiring.MaxTitleLen-4)
		}
		sp.Description = b.limitText(sp.Description, r.line, "description of specialty "+sp.Name)
	}
	return out
}

func capList[T any](list []T) []T {
	if len(list) > hiring.MaxItems {
		return list[:hiring.MaxItems]
	}
	return list
}

func (b *builder) limitText(s string, line int, what string) string {
	if len(s) > hiring.MaxTextLen {
		b.warn(line, "the %s is longer than %d characters; it was cut short", what, hiring.MaxTextLen)
		return truncate(s, hiring.MaxTextLen-4)
	}
	return s
}

// indicatorsFor picks the performance indicators for a level. When a
// section gives one list for individual contributors and another for
// managers, each role gets its own; otherwise every role gets all.
func indicatorsFor(groups []piGroup, level string) []hiring.PerformanceIndicator {
	split := false
	var seen [3]bool
	for _, g := range groups {
		if len(g.items) > 0 {
			seen[g.audience()] = true
		}
	}
	split = seen[forManagers] && seen[forIndividuals]
	manager := isManagerLevel(level)
	out := []hiring.PerformanceIndicator{}
	for _, g := range groups {
		if a := g.audience(); split && a != forEveryone && (a == forManagers) != manager {
			continue
		}
		out = append(out, g.items...)
	}
	return out
}

// stepsFor picks the hiring steps for a level: steps marked for managers go
// to leaders, steps marked for individual contributors to the others, and
// unmarked steps to everyone.
func stepsFor(steps []draftStep, level string) []hiring.HiringStep {
	manager := isManagerLevel(level)
	out := []hiring.HiringStep{}
	for _, s := range steps {
		if s.aud == forEveryone || (s.aud == forManagers) == manager {
			out = append(out, s.step)
		}
	}
	return out
}

// borrowPIs gives a role that states no performance indicators, on a page
// that states none for the whole family, those of the nearest role before
// it (after it, for the first roles): such pages write the family's
// indicators once per group of roles.
func (b *builder) borrowPIs(roles []*draftRole, out []*hiring.Role) {
	for i, r := range roles {
		if resolve(r, secPIs) != nil || len(out[i].PerformanceIndicators) > 0 {
			continue
		}
		from := -1
		for j := i - 1; j >= 0 && from < 0; j-- {
			if roles[j].scope.secs.stated[secPIs] && len(out[j].PerformanceIndicators) > 0 {
				from = j
			}
		}
		for j := i + 1; j < len(roles) && from < 0; j++ {
			if roles[j].scope.secs.stated[secPIs] && len(out[j].PerformanceIndicators) > 0 {
				from = j
			}
		}
		if from < 0 {
			continue
		}
		out[i].PerformanceIndicators = append([]hiring.PerformanceIndicator{}, out[from].PerformanceIndicators...)
		b.warn(r.line, "%q states no performance indicators; it was given those of %q", r.title, roles[from].title)
	}
}

// assignSlugs gives each role a slug unique within its family: the one its
// heading states ({#slug}) when free, else one made from its title.
func assignSlugs(roles []*draftRole, out []*hiring.Role) {
	used := map[string]bool{}
	for i, r := range roles {
		if r.slug != "" && !used[r.slug] {
			out[i].Slug = r.slug
			used[r.slug] = true
		}
	}
	for i := range roles {
		if out[i].Slug != "" {
			continue
		}
		out[i].Slug = uniqueSlug(slugify(out[i].Title), used)
	}
}

func uniqueSlug(base string, used map[string]bool) string {
	if base == "" {
		base = "role"
	}
	s := base
	for n := 2; used[s]; n++ {
		s = base + "-" + strconv.Itoa(n)
	}
	used[s] = true
	return s
}

// reportEmpty warns about sections that were opened but hold nothing, and
// roles with no content at all.
func (b *builder) reportEmpty() {
	var scopes []*scope
	scopes = append(scopes, b.family)
	scopes = append(scopes, b.groups...)
	for _, r := range b.roles {
		if !r.merged {
			scopes = append(scopes, r.scope)
		}
	}
	for _, s := range scopes {
		for k := sectionKind(1); k < numSections; k++ {
			if k == secLevels || k == secGrade && s.role != nil && s.role.grade != nil {
				continue
			}
			switch {
			case s.secs.stated[k] && !s.secs.content[k] && s.secs.line[k] > 0:
				b.warn(s.secs.line[k], "the %s section is empty", k)
			case k == secGrade && s.secs.stated[k] && s.role != nil && s.role.grade == nil && !s.role.gradeNone:
				b.warn(s.secs.line[k], "the Job Grade section of %q gives no grade number", s.role.title)
			}
		}
	}
	for _, r := range b.roles {
		if r.merged || r.gradeSource == gradeFromTable {
			continue
		}
		empty := r.grade == nil && len(r.summary) == 0
		for k := sectionKind(1); k < numSections && empty; k++ {
			if r.scope.secs.content[k] {
				empty = false
			}
		}
		if empty && r.line > 0 {
			b.warn(r.line, "role %q has no content on the page", r.title)
		}
	}
}

package handbook

import (
	"strconv"
	"strings"
)

// gradeHeading handles a Job Grade heading: it gives the open role its
// grade section, or, when that role already has one or no role is open,
// starts a role of its own ("### VP of Sales Job Grade", or "## Job Grade"
// on a page that describes one role).
func (b *builder) gradeHeading(h *block, prefix string) {
	r := b.openRole()
	attach := false
	switch {
	case r != nil && !r.gradeSeen:
		attach = true
	case r != nil && h.level > r.scope.level && (prefix == "" || isBareLevel(prefix) || titlesAgree(prefix, r.title)):
		attach = true
	}
	if attach {
		// The grade belongs to the role even when the page wrote its heading
		// at the role's own level; only what is above the role closes.
		for b.top() != r.scope {
			b.stack = b.stack[:len(b.stack)-1]
		}
		b.cur, b.unknown = nil, nil
	} else {
		b.closeTo(h.level)
		title := ""
		if prefix != "" && !isBareLevel(prefix) {
			title = prefix
		}
		r = b.newRole(title, h.line, h.level-1, "")
		if isBareLevel(prefix) {
			r.bareLevel = prefix
		}
	}
	r.gradeSeen = true
	r.scope.secs.stated[secGrade] = true
	r.scope.secs.line[secGrade] = h.line
	b.cur = &openSection{kind: secGrade, level: h.level, set: &r.scope.secs, role: r, line: h.line, pi: -1}
}

// titlesAgree reports whether a heading prefix names the same role as title.
func titlesAgree(prefix, title string) bool {
	p, t := norm(prefix), norm(title)
	return p != "" && t != "" && (strings.Contains(t, p) || strings.Contains(p, t))
}

// maxRoles bounds the roles of one page; real pages have a few dozen.
const maxRoles = 1000

// newRole opens a role at the given level in the innermost scope.
func (b *builder) newRole(title string, line, level int, id string) *draftRole {
	if len(b.roles) == maxRoles && !b.tooManyRoles {
		b.tooManyRoles = true
		b.warn(line, "the page has more than %d roles; the rest were not imported", maxRoles)
	}
	parent := b.top()
	r := &draftRole{title: title, pendingTitle: title == "", line: line, order: len(b.roles)}
	if id != "" && slugify(id) == strings.ToLower(id) {
		r.slug = strings.ToLower(id)
	}
	r.scope = &scope{kind: scopeRole, level: level, parent: parent, role: r}
	for s := parent; s != nil; s = s.parent {
		s.hasRoles = true
	}
	b.stack = append(b.stack, r.scope)
	if len(b.roles) < maxRoles {
		b.roles = append(b.roles, r)
	}
	b.cur, b.unknown = nil, nil
	return r
}

// candidate handles a heading that names no known section: a role, a
// sub-heading of the current section, or a heading the catalog has no place
// for.
func (b *builder) candidate(i int, text string) {
	h := &b.blocks[i]
	l := h.level
	strong := b.statesGrade(i, false)
	if b.cur != nil && l > b.cur.level && b.cur.kind != secGrade && b.cur.kind != secLevels && !strong {
		// A sub-heading inside a section ("### General" under
		// "## Requirements"): its content stays with the section.
		switch b.cur.kind {
		case secHiringProcess:
			b.cur.pending = h
			b.cur.subState, b.cur.subText = subAwaiting, text
		case secCareerLadder:
			b.cur.set.ladder.para(text)
		}
		b.sub = &subHeading{level: l, text: text}
		return
	}
	r := b.openRole()
	isRole := strong
	if !isRole && b.levels != nil && l > b.levels.level && (r == nil || l <= r.scope.level || r.scope.level < b.levels.level) {
		isRole = text != ""
	}
	if !isRole && (isRoleLike(text) || !b.scraped && b.lastRoleLevel == l && canNameRole(text)) && b.hasRoleSections(i) {
		// A job title with role sections under it, or a heading beside the
		// previous role with role sections under it ("## Apprentice").
		isRole = true
	}
	b.closeTo(l)
	if isRole {
		bare := isBareLevel(text)
		title := text
		if bare {
			title = ""
		}
		nr := b.newRole(title, h.line, l, h.id)
		b.lastRoleLevel = l
		if bare {
			nr.bareLevel = text
		}
		return
	}
	if r := b.openRole(); r != nil {
		// A heading inside a role that names no section ("Technical",
		// "Reporting structure"): its text is part of the role's summary.
		b.cur = nil
		r.summary.para(text)
		b.unknown = &unknownHeading{level: l, line: h.line, heading: text, target: &r.summary}
		return
	}
	if isNavigation(text) {
		// "On this page" and its table of contents say nothing of the roles;
		// text after the table still opens the page.
		target := &b.summary
		if len(b.roles) > 0 {
			target = nil
		}
		b.unknown = &unknownHeading{level: l, line: h.line, heading: text, target: target, skipItems: true}
		return
	}
	if !b.scraped {
		g := &scope{kind: scopeGroup, level: l, parent: b.top()}
		b.stack = append(b.stack, g)
		b.groups = append(b.groups, g)
	}
	if len(b.roles) == 0 {
		if norm(text) != norm(b.title) {
			b.summary.para(text)
		}
		b.unknown = &unknownHeading{level: l, line: h.line, heading: text, target: &b.summary}
		return
	}
	b.unknown = &unknownHeading{level: l, line: h.line, heading: text}
}

// isNavigation reports whether a heading only introduces a table of
// contents.
func isNavigation(text string) bool {
	switch norm(text) {
	case "on this page", "table of contents", "contents", "toc", "in this page":
		return true
	}
	return false
}

// window returns the blocks a heading at index i governs, for look-ahead:
// up to the next heading of the same or a higher level (in scraped text, up
// to the next heading that is not a section).
func (b *builder) window(i int) []block {
	h := b.blocks[i]
	end := i + 1
	for ; end < len(b.blocks) && end < i+maxWindow; end++ {
		c := b.blocks[end]
		if c.kind != blockHeading {
			continue
		}
		if b.scraped {
			if k, _ := classifySection(plain(c.text)); k == secNone || k == secCareerLadder || k == secHiringProcess || k == secSpecialties || k == secLevels {
				break
			}
			continue
		}
		if c.level <= h.level {
			break
		}
	}
	return b.blocks[i+1 : end]
}

// statesGrade reports whether a heading heads a role that states its grade:
// a Job Grade section below it, or (unless headingOnly) a sentence such as
// "The Senior Recruiter is a grade 7" right under it. A nested heading that
// looks like a role of its own ends the search: its grade is its own.
func (b *builder) statesGrade(i int, headingOnly bool) bool {
	if !canNameRole(plain(b.blocks[i].text)) {
		return false
	}
	// Only a job title counts a Job Grade heading beside it rather than
	// below it: "## Overview" then "## Job Grade" is a page's one role.
	direct := true
	win := b.window(i)
	text := plain(b.blocks[i].text)
	titled := isRoleLike(text) || isBareLevel(text) || b.lastRoleLevel == b.blocks[i].level
	if end := i + 1 + len(win); titled && end < len(b.blocks) && b.blocks[end].kind == blockHeading && b.blocks[end].level == b.blocks[i].level {
		// "### Night Guard" followed by "### Job Grade" at the same level:
		// pages write a role's grade beside its heading as often as below it.
		if k, _ := classifySection(plain(b.blocks[end].text)); k == secGrade && !b.scraped {
			hasHeading := false
			for _, c := range win {
				hasHeading = hasHeading || c.kind == blockHeading
			}
			if !hasHeading {
				return true
			}
		}
	}
	for _, c := range win {
		if c.kind == blockHeading {
			t := plain(c.text)
			k, _ := classifySection(t)
			if k == secGrade {
				return true
			}
			if k == secNone && (isRoleLike(t) || isBareLevel(t)) {
				return false
			}
			direct = false
			continue
		}
		if direct && !headingOnly && c.kind == blockParagraph {
			if _, ok := gradeStatement(plain(c.text)); ok {
				return true
			}
		}
	}
	return false
}

// canNameRole rules out headings that cannot be a role's name however much
// they look like one: sentences and headings about roles in the plural.
func canNameRole(text string) bool {
	if text == "" || isProse(text) {
		return false
	}
	w := normWords(text)
	for i, x := range w {
		if x == "roles" || x == "levels" || x == "family" && i > 0 && w[i-1] == "job" {
			return false
		}
	}
	return true
}

// hasRoleSections reports whether a heading is followed by the sections of
// a role (responsibilities, requirements...) before the next heading that
// looks like a role.
func (b *builder) hasRoleSections(i int) bool {
	for _, c := range b.window(i) {
		if c.kind != blockHeading {
			continue
		}
		t := plain(c.text)
		switch k, _ := classifySection(t); k {
		case secGrade, secResponsibilities, secRequirements, secNiceToHaves, secPIs:
			return true
		case secNone:
			if isRoleLike(t) || isBareLevel(t) {
				return false
			}
		}
	}
	return false
}

// roleText adds text to a role's summary, taking a grade stated in prose.
func (b *builder) roleText(r *draftRole, text string, item bool, line int) {
	if !item && r.gradeSource < gradeFromProse {
		if g, ok := gradeStatement(text); ok {
			b.setGrade(r, g, gradeFromProse, line)
			r.nameFrom(text)
		}
	}
	r.summary.add(text, item)
}

func (b *builder) setGrade(r *draftRole, g float64, source, line int) {
	if r.gradeSource == source && r.grade != nil && *r.grade != g {
		b.warn(line, "%q states two grades, %s and %s; kept %s", r.displayTitle(), formatGrade(*r.grade), formatGrade(g), formatGrade(*r.grade))
		return
	}
	if source < r.gradeSource {
		return
	}
	r.grade, r.gradeSource, r.gradeLine = &g, source, line
}

// nameFrom names a role whose heading did not, from a grade sentence such
// as "The Associate Recruiter is a grade 5".
func (r *draftRole) nameFrom(text string) {
	if !r.pendingTitle {
		return
	}
	if subj := gradeSubject(text); subj != "" && !isBareLevel(subj) {
		r.title, r.pendingTitle = subj, false
	}
}

func (r *draftRole) displayTitle() string {
	if r.title != "" {
		return r.title
	}
	if r.bareLevel != "" {
		return r.bareLevel
	}
	return "role on line " + strconv.Itoa(r.line)
}

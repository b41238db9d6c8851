package handbook

import (
	"strings"

	"hireloop/internal/hiring"
)

// content reads one block that is not a heading: into the open
// specialties or section, the text of an unknown heading, the open role's
// summary, or the page's summary before the first role.
func (b *builder) content(c *block) {
	if c.kind == blockTable {
		if t := readGradeTable(*c); t != nil {
			b.tables = append(b.tables, t...)
		}
		return
	}
	if b.spec != nil {
		b.specialtyContent(c)
		return
	}
	if b.cur != nil && b.sectionContent(c) {
		return
	}
	text := plain(c.text)
	if text == "" {
		return
	}
	item := c.kind == blockItem
	if b.unknown != nil {
		if item && b.unknown.skipItems {
			return
		}
		if b.unknown.target != nil {
			b.unknown.target.add(text, item)
		} else {
			b.unknown.warned = true
		}
		return
	}
	if r := b.openRole(); r != nil {
		b.roleText(r, text, item, c.line)
		return
	}
	if len(b.roles) == 0 {
		b.summary.add(text, item)
		return
	}
	if b.orphan == 0 || c.line > b.orphan+50 {
		b.warn(c.line, "text outside any role was not imported")
	}
	b.orphan = c.line
}

// sectionContent reads a block into the open section. It reports false
// when the block does not belong there (the section has ended).
func (b *builder) sectionContent(c *block) bool {
	s := b.cur
	text := plain(c.text)
	item := c.kind == blockItem
	if text == "" {
		return true
	}
	if s.kind == secHiringProcess {
		switch {
		case s.subState == subSkipping:
			return true
		case s.subState == subAwaiting && !item && !strings.HasSuffix(text, ":"):
			s.subState, s.pending = subSkipping, nil
			b.warn(c.line, "text under %q in the hiring process is not a list of steps; it was not imported", truncate(s.subText, 80))
			return true
		}
		s.subState = subNone
	}
	s.pending = nil
	s.set.content[s.kind] = true
	switch s.kind {
	case secGrade:
		r := s.role
		if !item {
			r.nameFrom(text)
		}
		if !s.gradeFound && !item && reNoGrade.MatchString(text) {
			s.gradeFound, r.gradeNone = true, true
			return true
		}
		if !s.gradeFound && !item {
			if g, ok := gradeInSection(text); ok {
				s.gradeFound = true
				b.setGrade(r, g, gradeFromSection, c.line)
				return true
			}
		}
		r.summary.add(text, item)
		return true
	case secLevels:
		return true
	case secCareerLadder:
		s.set.ladder.add(text, item)
		return true
	case secLevel:
		if s.role != nil && !s.role.levelSet {
			s.role.level, s.role.levelSet = text, true
			if strings.EqualFold(text, "none") {
				s.role.level = ""
			}
		}
		return true
	}
	// List sections.
	if !item {
		if b.scraped && s.paragraphs >= 1 && !strings.HasSuffix(text, ":") {
			// Scraped text has lost the headings between sections; a second
			// paragraph means this section is over.
			b.cur = nil
			return false
		}
		s.paragraphs++
		if reNone.MatchString(text) {
			s.set.none[s.kind] = true
		}
		switch s.kind {
		case secPIs:
			g := &s.set.pis[s.pi]
			switch {
			case g.intro == "" && len(g.items) == 0:
				g.intro = text
			case len(g.items) > 0:
				// A new introduction after a list starts another list, often
				// for another audience ("Engineering Managers have...").
				s.set.pis = append(s.set.pis, piGroup{intro: text, line: c.line})
				s.pi = len(s.set.pis) - 1
			}
		case secHiringProcess:
			if a, ok := audienceOf(text); ok {
				s.aud = a
			}
		}
		return true
	}
	switch s.kind {
	case secResponsibilities:
		s.set.responsibilities = b.appendItem(s, s.set.responsibilities, text, c.line)
	case secRequirements:
		s.set.requirements = b.appendItem(s, s.set.requirements, text, c.line)
	case secNiceToHaves:
		s.set.niceToHaves = b.appendItem(s, s.set.niceToHaves, text, c.line)
	case secPIs:
		name, links := plainLinks(c.text)
		pi := hiring.PerformanceIndicator{Name: b.limitItem(name, c.line)}
		for _, l := range links {
			if hiring.ValidURL(l.URL) {
				pi.URL = l.URL
				break
			}
		}
		g := &s.set.pis[s.pi]
		if len(g.items) < hiring.MaxItems {
			g.items = append(g.items, pi)
			s.set.items[secPIs]++
		} else if !s.dropped {
			s.dropped = true
			b.warn(c.line, "more than %d performance indicators; the rest were not imported", hiring.MaxItems)
		}
	case secHiringProcess:
		if len(s.set.steps) < hiring.MaxItems {
			step := parseStep(b.limitItem(text, c.line))
			s.set.steps = append(s.set.steps, draftStep{step: step, aud: s.aud})
			s.set.items[secHiringProcess]++
		}
	}
	return true
}

func (b *builder) appendItem(s *openSection, list []string, text string, line int) []string {
	if len(list) >= hiring.MaxItems {
		if !s.dropped {
			s.dropped = true
			b.warn(line, "more than %d items in %s; the rest were not imported", hiring.MaxItems, s.kind)
		}
		return list
	}
	s.set.items[s.kind]++
	return append(list, b.limitItem(text, line))
}

func (b *builder) limitItem(text string, line int) string {
	if len(text) > hiring.MaxItemLen {
		b.warn(line, "item is longer than %d characters; it was cut short", hiring.MaxItemLen)
		return truncate(text, hiring.MaxItemLen-4)
	}
	return text
}

// flushPendingStep turns a hiring-process sub-heading with nothing under it
// ("#### Screening call with Recruiter") into a step.
func (b *builder) flushPendingStep() {
	s := b.cur
	if s == nil || s.pending == nil {
		return
	}
	h := s.pending
	s.pending = nil
	if text := plain(h.text); text != "" && len(s.set.steps) < hiring.MaxItems {
		s.set.steps = append(s.set.steps, draftStep{step: parseStep(b.limitItem(text, h.line)), aud: s.aud})
		s.set.content[secHiringProcess] = true
		s.set.items[secHiringProcess]++
	}
}

// reportUnknownSkip reports a skipped heading whose text was dropped.
func (b *builder) reportUnknownSkip() {
	u := b.unknown
	if u != nil && u.target == nil && u.warned {
		b.warn(u.line, "section %q is not part of any role; its text was not imported", truncate(u.heading, 80))
		u.warned = false
	}
}

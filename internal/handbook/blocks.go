package handbook

import (
	"regexp"
	"strings"
)

// blockKind says what one block of a page is.
type blockKind int

const (
	blockParagraph blockKind = iota
	blockHeading
	blockItem
	blockTable
)

// block is one unit of a page body, with the 1-based line of the original
// file where it starts. Text is raw inline Markdown; plain() cleans it.
type block struct {
	kind  blockKind
	line  int
	level int    // heading level 1-6; for items, the indent column
	text  string // heading text, paragraph text, item text
	id    string // a heading's explicit {#id}
	rows  []tableRow
	// For scraped text: a paragraph of one line with blank lines around it.
	single bool
}

type tableRow struct {
	line  int
	cells []string
}

var (
	reATX        = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$`)
	reClosingATX = regexp.MustCompile(`[ \t]+#+$`)
	reHeadingID  = regexp.MustCompile(`[ \t]*\{#([A-Za-z0-9_:.-]+)\}$`)
	reFence      = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	reRule       = regexp.MustCompile(`^ {0,3}([-*_])(?:[ \t]*([-*_])){2,}[ \t]*$`)
	reBullet     = regexp.MustCompile(`^([ \t]*)([-*+])(?:[ \t]+(.*))?$`)
	reOrdered    = regexp.MustCompile(`^([ \t]*)(\d{1,9})[.)](?:[ \t]+(.*))?$`)
	reLetterItem = regexp.MustCompile(`^([ \t]+)([a-z])[.)][ \t]+(.+)$`)
	reSetextH1   = regexp.MustCompile(`^ {0,3}=+[ \t]*$`)
	reSetextH2   = regexp.MustCompile(`^ {0,3}-+[ \t]*$`)
	reTableDelim = regexp.MustCompile(`^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
	reIAL        = regexp.MustCompile(`^[ \t]*\{:[^}]*\}[ \t]*$`)
	reShortcode  = regexp.MustCompile(`^[ \t]*\{\{[<%].*[%>]\}\}[ \t]*$`)
	reERB        = regexp.MustCompile(`<%(=|-)?\s*(.*?)\s*-?%>`)
	rePartial    = regexp.MustCompile(`^partial\s*\(?\s*["']([^"']+)["']`)
	reOnlyTags   = regexp.MustCompile(`^[ \t]*(<[^>]*>[ \t]*)+$`)
)

// tokenizer turns body lines into blocks. It is a careful line reader rather
// than a full CommonMark parser: handbook pages mix Markdown, kramdown, Hugo
// and ERB, and scraped pages have no marks at all, so each line is judged on
// its own with a little memory of what came before.
type tokenizer struct {
	blocks  []block
	warn    func(line int, format string, args ...any)
	para    *block   // open paragraph
	paraBuf []string // its lines
	item    *block   // open list item
	itemBuf []string
	blank   bool // the previous line was blank
}

// tokenize reads lines (the body of a page) whose first line is line number
// first in the file.
func tokenize(lines []string, first int, warn func(line int, format string, args ...any)) []block {
	t := &tokenizer{warn: warn, blank: true}
	fence := ""
	fenceLine := 0
	inComment := false
	commentLine := 0
	for idx, raw := range lines {
		n := first + idx
		line := strings.TrimRight(raw, " \t\r")
		if fence != "" {
			if m := reFence.FindStringSubmatch(line); m != nil && m[1][0] == fence[0] && len(m[1]) >= len(fence) && strings.TrimSpace(line[len(m[0]):]) == "" {
				fence = ""
			}
			continue
		}
		if inComment {
			if strings.Contains(line, "-->") {
				inComment = false
			}
			continue
		}
		if strings.TrimSpace(line) == "" {
			t.closePara()
			t.blank = true
			continue
		}
		if m := reFence.FindStringSubmatch(line); m != nil {
			t.closeAll()
			fence, fenceLine = m[1], n
			t.blank = false
			continue
		}
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "<!--") {
			rest := trimmed[4:]
			if j := strings.Index(rest, "-->"); j >= 0 {
				after := strings.TrimSpace(rest[j+3:])
				if after == "" {
					continue
				}
				line, trimmed = after, after
			} else {
				inComment, commentLine = true, n
				continue
			}
		}
		if reIAL.MatchString(line) || reShortcode.MatchString(line) {
			continue
		}
		if strings.Contains(line, "<%") {
			t.checkERB(line, n)
			stripped := strings.TrimSpace(reERB.ReplaceAllString(line, ""))
			if stripped == "" {
				t.closeAll()
				continue
			}
		}
		if reOnlyTags.MatchString(line) {
			// Lines of bare HTML tags (anchors, figures, iframes) carry no text.
			if t.para != nil {
				t.closePara()
			}
			continue
		}
		t.readLine(line, n)
		t.blank = false
	}
	t.closeAll()
	if fence != "" {
		warn(fenceLine, "code block is never closed; the rest of the page was not read")
	}
	if inComment {
		warn(commentLine, "HTML comment is never closed; the rest of the page was not read")
	}
	return t.blocks
}

func (t *tokenizer) checkERB(line string, n int) {
	for _, m := range reERB.FindAllStringSubmatch(line, -1) {
		code := m[2]
		if p := rePartial.FindStringSubmatch(code); p != nil {
			t.warn(n, "unresolved partial %q: its content is not imported", p[1])
		} else if m[1] == "=" {
			t.warn(n, "unresolved template code %q: its output is not imported", "<%= "+truncate(code, 80)+" %>")
		}
	}
}

func (t *tokenizer) readLine(line string, n int) {
	if m := reATX.FindStringSubmatch(line); m != nil {
		t.closeAll()
		text := reClosingATX.ReplaceAllString(m[2], "")
		if text == "#" || strings.Trim(text, "#") == "" {
			text = ""
		}
		id := ""
		if im := reHeadingID.FindStringSubmatch(text); im != nil {
			id = im[1]
			text = text[:len(text)-len(im[0])]
		}
		t.blocks = append(t.blocks, block{kind: blockHeading, line: n, level: len(m[1]), text: text, id: id})
		return
	}
	if t.para != nil && !t.blank && len(t.paraBuf) == 1 {
		switch {
		case reSetextH1.MatchString(line):
			t.setext(1)
			return
		case reSetextH2.MatchString(line):
			t.setext(2)
			return
		}
	}
	if reRule.MatchString(line) {
		t.closeAll()
		return
	}
	if strings.HasPrefix(strings.TrimLeft(line, " "), "|") || (t.tableOpen() && strings.Contains(line, "|")) {
		t.tableLine(line, n)
		return
	}
	if t.listLine(line, n) {
		return
	}
	t.textLine(line, n)
}

func (t *tokenizer) setext(level int) {
	b := t.para
	b.kind = blockHeading
	b.level = level
	b.text = strings.TrimSpace(t.paraBuf[0])
	t.para, t.paraBuf = nil, nil
}

func (t *tokenizer) tableOpen() bool {
	return t.para == nil && t.item == nil && len(t.blocks) > 0 && t.blocks[len(t.blocks)-1].kind == blockTable && !t.blank
}

func (t *tokenizer) tableLine(line string, n int) {
	if !t.tableOpen() {
		t.closeAll()
		t.blocks = append(t.blocks, block{kind: blockTable, line: n})
	}
	b := &t.blocks[len(t.blocks)-1]
	if reTableDelim.MatchString(line) {
		return
	}
	b.rows = append(b.rows, tableRow{line: n, cells: splitCells(line)})
}

// splitCells splits a table row on unescaped pipes outside code spans.
func splitCells(line string) []string {
	s := strings.TrimSpace(line)
	s = strings.TrimPrefix(s, "|")
	if strings.HasSuffix(s, "|") && !strings.HasSuffix(s, "\\|") {
		s = s[:len(s)-1]
	}
	var cells []string
	var cur strings.Builder
	code := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '|':
			cur.WriteByte('|')
			i++
		case c == '`':
			code = !code
			cur.WriteByte(c)
		case c == '|' && !code:
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// listLine handles a line that opens a list item; it reports false for any
// other line.
func (t *tokenizer) listLine(line string, n int) bool {
	indent, marker, content, ok := matchItem(line)
	if !ok {
		if t.item == nil {
			return false
		}
		// Pandoc-style "a." items, as the 2016 pages nest them.
		m := reLetterItem.FindStringSubmatch(line)
		if m == nil || width(m[1]) < 2 {
			return false
		}
		indent, marker, content = width(m[1]), m[2]+".", m[3]
	}
	if t.para != nil && !t.blank && t.item == nil {
		// A bullet may interrupt a paragraph; a number only when it is 1, so
		// that "2019. A good year" stays text.
		if marker != "-" && marker != "*" && marker != "+" && !strings.HasPrefix(marker, "1") {
			return false
		}
	}
	if strings.TrimSpace(content) == "" {
		// An empty item adds nothing; it still closes what was open.
		t.closeItem()
		t.closePara()
		return true
	}
	if strings.EqualFold(strings.TrimSpace(content), "TOC") {
		// kramdown's "* TOC" placeholder for a table of contents.
		t.closeAll()
		return true
	}
	t.closePara()
	t.closeItem()
	t.item = &block{kind: blockItem, line: n, level: indent}
	t.itemBuf = []string{content}
	return true
}

// matchItem recognises "- x", "* x", "+ x", "1. x" and "1) x".
func matchItem(line string) (indent int, marker, content string, ok bool) {
	if m := reBullet.FindStringSubmatch(line); m != nil {
		return width(m[1]), m[2], m[3], true
	}
	if m := reOrdered.FindStringSubmatch(line); m != nil {
		return width(m[1]), m[2] + ".", m[3], true
	}
	return 0, "", "", false
}

// width is the column width of leading white space, tabs counting four.
func width(s string) int {
	w := 0
	for _, c := range s {
		if c == '\t' {
			w += 4 - w%4
		} else {
			w++
		}
	}
	return w
}

func (t *tokenizer) textLine(line string, n int) {
	indent := width(line[:len(line)-len(strings.TrimLeft(line, " \t"))])
	text := strings.TrimSpace(line)
	if t.item != nil {
		// Without a blank line any text continues the item (a lazy line);
		// after a blank line only indented text does.
		if !t.blank || indent >= 2 {
			t.itemBuf = append(t.itemBuf, text)
			return
		}
		t.closeItem()
	}
	if t.para != nil && !t.blank {
		t.paraBuf = append(t.paraBuf, text)
		return
	}
	t.closePara()
	t.para = &block{kind: blockParagraph, line: n, single: t.blank}
	t.paraBuf = []string{text}
}

func (t *tokenizer) closePara() {
	if t.para == nil {
		return
	}
	t.para.text = strings.Join(t.paraBuf, "\n")
	if len(t.paraBuf) > 1 {
		t.para.single = false
	}
	t.blocks = append(t.blocks, *t.para)
	t.para, t.paraBuf = nil, nil
}

func (t *tokenizer) closeItem() {
	if t.item == nil {
		return
	}
	t.item.text = strings.Join(t.itemBuf, "\n")
	t.blocks = append(t.blocks, *t.item)
	t.item, t.itemBuf = nil, nil
}

func (t *tokenizer) closeAll() {
	t.closePara()
	t.closeItem()
}

// markScrapedHeadings turns the bare-line headings of scraped text into
// headings. A bare heading is a paragraph of one short line standing alone
// between blank lines, without closing punctuation. Levels are assigned by
// kind: page-wide sections and candidate roles open at level 1, the sections
// of a role at level 2.
func markScrapedHeadings(blocks []block) {
	for i := range blocks {
		b := &blocks[i]
		if b.kind != blockParagraph || !b.single {
			continue
		}
		if next := i + 1; next < len(blocks) && blocks[next].line == b.line+1 {
			continue
		}
		text := plain(b.text)
		if !looksLikeBareHeading(text) {
			continue
		}
		b.kind = blockHeading
		kind, _ := classifySection(text)
		switch kind {
		case secGrade, secResponsibilities, secRequirements, secNiceToHaves, secPIs, secLevel:
			b.level = 2
		default:
			b.level = 1
		}
	}
}

func looksLikeBareHeading(text string) bool {
	if text == "" || len(text) > 80 || strings.Contains(text, "|") {
		return false
	}
	if len(strings.Fields(text)) > 8 {
		return false
	}
	last := text[len(text)-1]
	if strings.IndexByte(".:;,!?-", last) >= 0 {
		return false
	}
	first := []rune(text)[0]
	return first >= 'A' && first <= 'Z' || first >= '0' && first <= '9' || first > 127
}

// truncate shortens s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

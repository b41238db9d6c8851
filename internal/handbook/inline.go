package handbook

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// link is one Markdown link found in a piece of text.
type link struct {
	Text string
	URL  string
}

// Bounds on how far the inline scanner looks for a closing bracket, paren or
// backtick. They keep plain text linear in the size of the input, so a page of
// a million opening brackets costs no more than a page of words.
const (
	maxLinkText = 1000
	maxLinkDest = 2000
	maxCodeSpan = 5000
)

// htmlTags are the tag names treated as HTML when they follow "<". Anything
// else ("<Speciality>") is kept as text, because handbook pages use angle
// brackets as placeholders.
var htmlTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "blockquote": true, "br": true, "center": true,
	"cite": true, "code": true, "dd": true, "del": true, "details": true, "div": true,
	"dl": true, "dt": true, "em": true, "figcaption": true, "figure": true, "font": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true,
	"i": true, "iframe": true, "img": true, "ins": true, "kbd": true, "li": true,
	"mark": true, "ol": true, "p": true, "pre": true, "q": true, "s": true,
	"section": true, "small": true, "source": true, "span": true, "strong": true,
	"sub": true, "summary": true, "sup": true, "table": true, "tbody": true, "td": true,
	"th": true, "thead": true, "tr": true, "u": true, "ul": true, "video": true,
	"script": true, "style": true, "noscript": true, "object": true, "embed": true,
	"label": true, "input": true, "button": true, "form": true, "nav": true,
}

// scanBudget bounds the bytes the inline scanner may look ahead over a whole
// text, so that adversarial input ("[[[]" a million times) costs time
// linear in its length. Once spent, brackets and backticks are read as
// plain characters.
type scanBudget struct{ left int }

// room is how far the scanner may look: up to n bytes, within the budget.
func (b *scanBudget) room(n int) int { return max(0, min(n, b.left)) }

// spend records that n bytes were looked at.
func (b *scanBudget) spend(n int) { b.left -= n }

// plain turns one piece of inline Markdown into plain text: link syntax goes
// but its words stay, emphasis marks, HTML tags, ERB tags, Hugo shortcodes and
// kramdown attribute lists go, entities and backslash escapes are decoded, and
// runs of white space become one space.
func plain(s string) string {
	t, _ := plainLinks(s)
	return t
}

// plainLinks is plain that also returns the links it met, in order.
func plainLinks(s string) (string, []link) {
	var b strings.Builder
	b.Grow(len(s))
	var links []link
	budget := &scanBudget{left: 32*len(s) + 4096}
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i += 2
		case c == '`':
			n := runLen(s, i, '`')
			room := budget.room(maxCodeSpan)
			if end := findRun(s, i+n, '`', n, room); end >= 0 {
				budget.spend(end - i)
				b.WriteString(strings.TrimSpace(s[i+n : end]))
				i = end + n
			} else {
				budget.spend(min(room, len(s)-i))
				b.WriteString(s[i : i+n])
				i += n
			}
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if text, _, next, ok := parseLink(s, i+1, budget); ok {
				t, _ := plainLinks(text)
				b.WriteString(t)
				i = next
			} else {
				b.WriteByte('!')
				i++
			}
		case c == '[':
			if text, dest, next, ok := parseLink(s, i, budget); ok {
				t, _ := plainLinks(text)
				b.WriteString(t)
				if dest != "" {
					links = append(links, link{Text: t, URL: dest})
				}
				i = next
			} else {
				b.WriteByte('[')
				i++
			}
		case c == '<':
			i = skipAngle(s, i, &b)
		case c == '&':
			if end := entityEnd(s, i); end > 0 {
				b.WriteString(html.UnescapeString(s[i:end]))
				i = end
			} else {
				b.WriteByte('&')
				i++
			}
		case c == '{':
			if end := braceEnd(s, i); end > 0 {
				i = end
			} else {
				b.WriteByte('{')
				i++
			}
		case c == '*' || c == '_' || c == '~':
			n := runLen(s, i, c)
			if isEmphasis(s, i, n, c) {
				// Emphasis marks are dropped; a space keeps words apart
				// when the mark sat between two of them ("a**b").
				i += n
			} else {
				b.WriteString(s[i : i+n])
				i += n
			}
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b.WriteRune(utf8.RuneError)
			} else if unicode.IsControl(r) && r != '\t' && r != '\n' {
				// Control characters have no place in a catalog.
			} else {
				b.WriteRune(r)
			}
			i += size
		}
	}
	return collapseSpace(b.String()), links
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

func runLen(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// findRun returns the index of the next run of exactly n bytes c at or after
// from, looking no further than limit bytes, or -1.
func findRun(s string, from int, c byte, n, limit int) int {
	end := min(len(s), from+limit)
	for j := from; j < end; {
		if s[j] != c {
			j++
			continue
		}
		m := runLen(s, j, c)
		if m == n {
			return j
		}
		j += m
	}
	return -1
}

// parseLink reads "[text](dest)", "[text][ref]" or "[text][]" starting at the
// opening bracket. It returns the raw link text, the destination ("" for
// reference links), the index after the link, and whether it was a link.
func parseLink(s string, open int, budget *scanBudget) (text, dest string, next int, ok bool) {
	room := budget.room(maxLinkText)
	close := matchBracket(s, open, room)
	if close < 0 {
		budget.spend(min(room, len(s)-open))
		return "", "", 0, false
	}
	budget.spend(close - open)
	if close+1 >= len(s) {
		return "", "", 0, false
	}
	text = s[open+1 : close]
	switch s[close+1] {
	case '(':
		room := budget.room(maxLinkDest)
		d, end, ok := parseDest(s, close+2, room)
		if !ok {
			budget.spend(min(room, len(s)-close))
			return "", "", 0, false
		}
		budget.spend(end - close)
		return text, d, end, true
	case '[':
		room := budget.room(maxLinkText)
		end := strings.IndexByte(s[close+2:min(len(s), close+2+room)], ']')
		if end < 0 {
			budget.spend(min(room, len(s)-close))
			return "", "", 0, false
		}
		budget.spend(end)
		return text, "", close + 2 + end + 1, true
	}
	return "", "", 0, false
}

// matchBracket finds the "]" that closes the "[" at open, honouring nesting
// and backslash escapes, within limit bytes.
func matchBracket(s string, open, limit int) int {
	depth := 0
	end := min(len(s), open+limit)
	for j := open; j < end; j++ {
		switch s[j] {
		case '\\':
			j++
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// parseDest reads a link destination and optional title after "(" and
// returns the destination and the index after ")". Destinations with spaces
// are not destinations (CommonMark), unless written in angle brackets.
func parseDest(s string, i, limit int) (string, int, bool) {
	end := min(len(s), i+limit)
	for i < end && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i < end && s[i] == '<' {
		j := strings.IndexByte(s[i+1:end], '>')
		if j < 0 {
			return "", 0, false
		}
		d := s[i+1 : i+1+j]
		k := i + 1 + j + 1
		for k < end && s[k] == ' ' {
			k++
		}
		if k < end && s[k] == ')' {
			return unescapeDest(d), k + 1, true
		}
		return "", 0, false
	}
	start := i
	depth := 0
	for i < end {
		c := s[i]
		switch {
		case c == '\\' && i+1 < end:
			i += 2
			continue
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return unescapeDest(s[start:i]), i + 1, true
			}
			depth--
		case c == ' ' || c == '\t' || c == '\n':
			d := s[start:i]
			// A title may follow: ("title"), ('title') or ((title)).
			k := i
			for k < end && (s[k] == ' ' || s[k] == '\t') {
				k++
			}
			if k < end && (s[k] == '"' || s[k] == '\'' || s[k] == '(') {
				closer := s[k]
				if closer == '(' {
					closer = ')'
				}
				m := strings.IndexByte(s[k+1:end], closer)
				if m < 0 {
					return "", 0, false
				}
				k = k + 1 + m + 1
				for k < end && s[k] == ' ' {
					k++
				}
			}
			if k < end && s[k] == ')' {
				return unescapeDest(d), k + 1, true
			}
			return "", 0, false
		}
		i++
	}
	return "", 0, false
}

func unescapeDest(d string) string {
	if !strings.Contains(d, "\\") {
		return d
	}
	var b strings.Builder
	for i := 0; i < len(d); i++ {
		if d[i] == '\\' && i+1 < len(d) && isASCIIPunct(d[i+1]) {
			i++
		}
		b.WriteByte(d[i])
	}
	return b.String()
}

// skipAngle handles "<" at i: ERB tags and HTML tags and comments are
// dropped, autolinks keep their address, anything else is text. It returns
// the index to continue from.
func skipAngle(s string, i int, b *strings.Builder) int {
	rest := s[i:]
	switch {
	case strings.HasPrefix(rest, "<%"):
		if j := strings.Index(rest[:min(len(rest), maxLinkDest)], "%>"); j >= 0 {
			return i + j + 2
		}
	case strings.HasPrefix(rest, "<!--"):
		if j := strings.Index(rest[:min(len(rest), maxLinkDest)], "-->"); j >= 0 {
			return i + j + 3
		}
	}
	j := strings.IndexByte(rest[:min(len(rest), maxLinkDest)], '>')
	if j > 1 {
		inner := rest[1:j]
		if isAutolink(inner) {
			b.WriteString(inner)
			return i + j + 1
		}
		name := strings.TrimPrefix(inner, "/")
		k := 0
		for k < len(name) && (isAlnum(name[k])) {
			k++
		}
		if k > 0 && htmlTags[strings.ToLower(name[:k])] && (k == len(name) || !isAlnum(name[k])) {
			if strings.EqualFold(name[:k], "br") {
				b.WriteByte(' ')
			}
			return i + j + 1
		}
	}
	b.WriteByte('<')
	return i + 1
}

func isAutolink(s string) bool {
	if strings.ContainsAny(s, " <>\t") {
		return false
	}
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "mailto:")
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// entityEnd returns the index after an HTML entity starting at i, or 0.
func entityEnd(s string, i int) int {
	j := i + 1
	limit := min(len(s), i+33)
	if j < limit && s[j] == '#' {
		j++
		if j < limit && (s[j] == 'x' || s[j] == 'X') {
			j++
		}
	}
	start := j
	for j < limit && isAlnum(s[j]) {
		j++
	}
	if j == start || j >= limit || s[j] != ';' {
		return 0
	}
	if html.UnescapeString(s[i:j+1]) == s[i:j+1] {
		return 0
	}
	return j + 1
}

// braceEnd returns the index after a kramdown attribute list "{:...}" or a
// Hugo shortcode "{{< ... >}}" / "{{% ... %}}" starting at i, or 0.
func braceEnd(s string, i int) int {
	rest := s[i:]
	switch {
	case strings.HasPrefix(rest, "{{<"):
		if j := strings.Index(rest[:min(len(rest), maxLinkDest)], ">}}"); j >= 0 {
			return i + j + 3
		}
	case strings.HasPrefix(rest, "{{%"):
		if j := strings.Index(rest[:min(len(rest), maxLinkDest)], "%}}"); j >= 0 {
			return i + j + 3
		}
	case strings.HasPrefix(rest, "{:"):
		if j := strings.IndexByte(rest[:min(len(rest), 500)], '}'); j >= 0 {
			return i + j + 1
		}
	}
	return 0
}

// isEmphasis reports whether the run of n marks c at i is emphasis to drop.
// A mark with spaces on both sides is text ("5 * 3"); an underscore inside a
// word is text ("snake_case"); a single tilde is text ("~5 people").
func isEmphasis(s string, i, n int, c byte) bool {
	if c == '~' && n < 2 {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i+n:])
	spaceBefore := i == 0 || unicode.IsSpace(before)
	spaceAfter := i+n >= len(s) || unicode.IsSpace(after)
	if spaceBefore && spaceAfter {
		return false
	}
	if c == '_' && !spaceBefore && !spaceAfter && isWordRune(before) && isWordRune(after) {
		return false
	}
	return true
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// collapseSpace trims s, turns every run of white space into one space and
// drops control characters.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if unicode.IsControl(r) {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// escapeInline writes plain text as inline Markdown that plain reads back to
// the same text. lineStart says whether the text opens a line, where "#",
// "-", "1." and friends would start a block.
func escapeInline(s string, lineStart bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '[', ']', '<', '~':
			b.WriteByte('\\')
		case '_':
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			after, _ := utf8.DecodeRuneInString(s[i+1:])
			if i == 0 || i+1 >= len(s) || !isWordRune(before) || !isWordRune(after) {
				b.WriteByte('\\')
			}
		case '&':
			if entityEnd(s, i) > 0 {
				b.WriteByte('\\')
			}
		case '{':
			if i+1 < len(s) && (s[i+1] == ':' || s[i+1] == '{' || s[i+1] == '#') {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	out := b.String()
	if lineStart {
		out = escapeLineStart(out)
	}
	return out
}

// escapeLineStart escapes a first character that would open a block.
func escapeLineStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '>', '-', '+', '=', '|':
		return "\\" + s
	}
	j := 0
	for j < len(s) && j < 10 && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j > 0 && j < len(s) && (s[j] == '.' || s[j] == ')') {
		return s[:j] + "\\" + s[j:]
	}
	return s
}

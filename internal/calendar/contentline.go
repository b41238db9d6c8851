package calendar

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxLineOctets is the longest content line RFC 5545 allows before folding,
// not counting the line break.
const maxLineOctets = 75

// param is one property parameter. Quoted values may hold ",", ";" and ":";
// unquoted ones are tokens written as they are.
type param struct {
	name, value string
	quoted      bool
}

// contentWriter writes RFC 5545 content lines: CRLF line ends, folded at 75
// octets without splitting a UTF-8 sequence.
type contentWriter struct {
	buf bytes.Buffer
}

// prop writes one property whose value is already in its final form (a
// date, a number, a URI).
func (w *contentWriter) prop(name, value string, params ...param) {
	var line strings.Builder
	line.WriteString(name)
	for _, p := range params {
		line.WriteByte(';')
		line.WriteString(p.name)
		line.WriteByte('=')
		if p.quoted {
			line.WriteByte('"')
			line.WriteString(paramText(p.value))
			line.WriteByte('"')
		} else {
			line.WriteString(p.value)
		}
	}
	line.WriteByte(':')
	line.WriteString(value)
	w.fold(line.String())
}

// text writes a property of type TEXT, escaped.
func (w *contentWriter) text(name, value string, params ...param) {
	w.prop(name, escapeText(value), params...)
}

// fold writes line in pieces of at most 75 octets; every piece after the
// first starts with the single space that unfolding removes.
func (w *contentWriter) fold(line string) {
	limit := maxLineOctets
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		w.buf.WriteString(line[:cut])
		w.buf.WriteString("\r\n ")
		line = line[cut:]
		limit = maxLineOctets - 1
	}
	w.buf.WriteString(line)
	w.buf.WriteString("\r\n")
}

// cleanText makes s safe to carry in a TEXT value: valid UTF-8, every line
// break a plain "\n", and no other control character except the tab (RFC
// 5545 allows no others).
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

var textEscaper = strings.NewReplacer(`\`, `\\`, `;`, `\;`, `,`, `\,`, "\n", `\n`)

// escapeText escapes a TEXT value as RFC 5545 section 3.3.11 requires.
func escapeText(s string) string {
	return textEscaper.Replace(cleanText(s))
}

// paramText makes s fit inside a quoted parameter value. RFC 5545 has no
// escapes there: a double quote cannot appear at all and becomes an
// apostrophe, control characters become spaces, and a backslash becomes a
// slash because several parsers wrongly read it as an escape.
func paramText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r == '\\':
			return '/'
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
}

package resume

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// errSinkFull stops an extractor once it has produced enough text; it is not
// a failure.
var errSinkFull = errors.New("resume: enough text")

// sink collects raw extracted text up to a fixed size.
type sink struct {
	b   strings.Builder
	max int
}

func newSink(maxText int) *sink {
	// Raw text shrinks when spaces are collapsed, so collect some more than
	// the final limit.
	return &sink{max: 2*maxText + 1024}
}

// WriteString appends s, or as much of it as fits and then errSinkFull.
func (s *sink) WriteString(str string) error {
	room := s.max - s.b.Len()
	if len(str) > room {
		s.b.WriteString(str[:max(room, 0)])
		return errSinkFull
	}
	s.b.WriteString(str)
	return nil
}

// Normalize prepares text for storage and search: it drops control, format
// and private-use characters and invalid UTF-8, turns every kind of space
// into one plain space, keeps line breaks (at most one empty line in a row),
// trims each line, and cuts the result to at most maxBytes bytes on a
// character boundary. Use it for resume text that arrives as text, too.
func Normalize(s string, maxBytes int) string {
	var b strings.Builder
	b.Grow(min(len(s), maxBytes) + 4)
	pendingSpace := false
	newlines := 0 // line breaks waiting to be written
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			continue
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			newlines++
			pendingSpace = false
		case r == '\n' || r == '\f' || r == '\v' || r == '\u2028' || r == '\u2029' || r == '\u0085':
			newlines++
			pendingSpace = false
		case r == '\t' || unicode.IsSpace(r):
			pendingSpace = b.Len() > 0 && newlines == 0
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Co, r) ||
			r == '\uFFFD' || r == '\uFFFE' || r == '\uFFFF':
			continue
		default:
			var sep string
			switch {
			case b.Len() == 0:
			case newlines >= 2:
				sep = "\n\n"
			case newlines == 1:
				sep = "\n"
			case pendingSpace:
				sep = " "
			}
			if b.Len()+len(sep)+size > maxBytes {
				return b.String()
			}
			b.WriteString(sep)
			b.WriteRune(r)
			newlines, pendingSpace = 0, false
		}
	}
	return b.String()
}

package resume

import (
	"errors"
	"strconv"
)

// The PDF object model, reduced to what text extraction needs. Objects are
// plain Go values: nil, bool, int64, float64, pdfName, pdfString, pdfArray,
// pdfDict, pdfRef, *pdfStream, and pdfKeyword for bare words (content-stream
// operators and structural keywords).
type (
	pdfName    string
	pdfString  string
	pdfKeyword string
	pdfArray   []any
	pdfDict    map[pdfName]any
	pdfRef     struct{ num, gen int64 }
	pdfStream  struct {
		dict pdfDict
		raw  []byte // the encoded bytes, a slice of the file
	}
)

// maxPDFDepth bounds the nesting of arrays and dictionaries, so hostile input
// cannot exhaust the goroutine stack (a stack overflow cannot be recovered).
const maxPDFDepth = 64

var errPDFSyntax = errors.New("pdf: syntax error")

// pdfLexer reads PDF tokens and objects from a byte slice. It never reads
// past the slice and allocates at most in proportion to it.
type pdfLexer struct {
	data []byte
	pos  int
	// cells, when set, counts the values parsed into lasting objects, so
	// that the memory a file can make the reader hold has a ceiling.
	cells *int
}

// maxPDFCells bounds the values (numbers, names, strings, array and
// dictionary entries, map and width entries) one PDF may make the reader
// keep: real resumes hold a few thousand.
const maxPDFCells = 1_000_000

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isPDFRegular(c byte) bool { return !isPDFSpace(c) && !isPDFDelim(c) }

func (l *pdfLexer) skipSpace() {
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		switch {
		case isPDFSpace(c):
			l.pos++
		case c == '%':
			for l.pos < len(l.data) && l.data[l.pos] != '\n' && l.data[l.pos] != '\r' {
				l.pos++
			}
		default:
			return
		}
	}
}

// token returns the next token, or ok=false at the end of the data. Array and
// dictionary delimiters come back as keywords ("[", "]", "<<", ">>").
func (l *pdfLexer) token() (tok any, ok bool) {
	l.skipSpace()
	if l.pos >= len(l.data) {
		return nil, false
	}
	c := l.data[l.pos]
	switch c {
	case '(':
		return l.literalString(), true
	case '<':
		if l.pos+1 < len(l.data) && l.data[l.pos+1] == '<' {
			l.pos += 2
			return pdfKeyword("<<"), true
		}
		return l.hexString(), true
	case '>':
		if l.pos+1 < len(l.data) && l.data[l.pos+1] == '>' {
			l.pos += 2
			return pdfKeyword(">>"), true
		}
		l.pos++
		return pdfKeyword(">"), true
	case '[', ']', '{', '}', ')':
		l.pos++
		return pdfKeyword(string(c)), true
	case '/':
		return l.name(), true
	}
	start := l.pos
	for l.pos < len(l.data) && isPDFRegular(l.data[l.pos]) {
		l.pos++
	}
	word := l.data[start:l.pos]
	if n, isNum := parsePDFNumber(word); isNum {
		return n, true
	}
	return pdfKeyword(word), true
}

// parsePDFNumber accepts the PDF number syntax and tolerates the odd forms
// that producers write (a lone sign, "1.2.3" is refused and becomes a keyword).
func parsePDFNumber(word []byte) (any, bool) {
	if len(word) == 0 {
		return nil, false
	}
	c := word[0]
	if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.') {
		return nil, false
	}
	s := string(word)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, true
	}
	if s == "-" || s == "+" || s == "." || s == "-." {
		return int64(0), true
	}
	return nil, false
}

func (l *pdfLexer) name() pdfName {
	l.pos++ // the slash
	var b []byte
	for l.pos < len(l.data) && isPDFRegular(l.data[l.pos]) {
		c := l.data[l.pos]
		if c == '#' && l.pos+2 < len(l.data) {
			if h, ok := unhex2(l.data[l.pos+1], l.data[l.pos+2]); ok {
				b = append(b, h)
				l.pos += 3
				continue
			}
		}
		b = append(b, c)
		l.pos++
	}
	return pdfName(b)
}

func unhexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func unhex2(a, b byte) (byte, bool) {
	x, ok1 := unhexDigit(a)
	y, ok2 := unhexDigit(b)
	return x<<4 | y, ok1 && ok2
}

func (l *pdfLexer) hexString() pdfString {
	l.pos++ // '<'
	var b []byte
	var hi byte
	half := false
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		l.pos++
		if c == '>' {
			break
		}
		d, ok := unhexDigit(c)
		if !ok {
			continue
		}
		if half {
			b = append(b, hi<<4|d)
		} else {
			hi = d
		}
		half = !half
	}
	if half {
		b = append(b, hi<<4)
	}
	return pdfString(b)
}

func (l *pdfLexer) literalString() pdfString {
	l.pos++ // '('
	var b []byte
	depth := 1
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return pdfString(b)
			}
		case '\\':
			if l.pos >= len(l.data) {
				return pdfString(b)
			}
			e := l.data[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.data) && l.data[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for i := 0; i < 2 && l.pos < len(l.data) && l.data[l.pos] >= '0' && l.data[l.pos] <= '7'; i++ {
						v = v*8 + int(l.data[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e // \( \) \\ and unknown escapes stand for themselves
				}
			}
		}
		b = append(b, c)
	}
	return pdfString(b)
}

// object reads one complete object: numbers followed by "G R" become
// references, arrays and dictionaries are read whole. Bare words other than
// true, false and null come back as keywords for the caller to interpret.
func (l *pdfLexer) object(depth int) (any, error) {
	tok, ok := l.token()
	if !ok {
		return nil, errPDFSyntax
	}
	return l.objectFrom(tok, depth)
}

func (l *pdfLexer) objectFrom(tok any, depth int) (any, error) {
	if depth > maxPDFDepth {
		return nil, errPDFSyntax
	}
	if l.cells != nil {
		if *l.cells++; *l.cells > maxPDFCells {
			return nil, errPDFTooMany
		}
	}
	switch t := tok.(type) {
	case int64:
		save := l.pos
		if gen, ok := l.token(); ok {
			if g, isInt := gen.(int64); isInt {
				if r, ok := l.token(); ok && r == pdfKeyword("R") {
					return pdfRef{t, g}, nil
				}
			}
		}
		l.pos = save
		return t, nil
	case pdfKeyword:
		switch t {
		case "[":
			return l.array(depth)
		case "<<":
			return l.dict(depth)
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
	}
	return tok, nil
}

// isStructural reports keywords that cannot occur inside an object, so an
// unterminated array or dictionary ends at the next object instead of
// swallowing the rest of the file.
func isStructural(tok any) bool {
	switch tok {
	case pdfKeyword("obj"), pdfKeyword("endobj"), pdfKeyword("stream"), pdfKeyword("endstream"),
		pdfKeyword("xref"), pdfKeyword("trailer"), pdfKeyword("startxref"):
		return true
	}
	return false
}

func (l *pdfLexer) array(depth int) (pdfArray, error) {
	var a pdfArray
	for {
		tok, ok := l.token()
		if !ok {
			return a, errPDFSyntax
		}
		if tok == pdfKeyword("]") {
			return a, nil
		}
		if tok == pdfKeyword(">>") || isStructural(tok) {
			return a, errPDFSyntax
		}
		v, err := l.objectFrom(tok, depth+1)
		if err != nil {
			return a, err
		}
		a = append(a, v)
	}
}

func (l *pdfLexer) dict(depth int) (pdfDict, error) {
	d := pdfDict{}
	for {
		tok, ok := l.token()
		if !ok {
			return d, errPDFSyntax
		}
		if tok == pdfKeyword(">>") {
			return d, nil
		}
		key, isName := tok.(pdfName)
		if !isName {
			if tok == pdfKeyword("]") || isStructural(tok) {
				return d, errPDFSyntax
			}
			continue // tolerate junk between entries
		}
		v, err := l.object(depth + 1)
		if err != nil {
			return d, err
		}
		if v == pdfKeyword(">>") { // a key without a value closes the dictionary
			return d, nil
		}
		if isStructural(v) {
			return d, errPDFSyntax
		}
		d[key] = v
	}
}

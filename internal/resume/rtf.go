package resume

import (
	"context"
	"strconv"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// maxRTFDepth bounds group nesting; deeper groups are read as text of their
// parent rather than refused, since only the stack is at stake.
const maxRTFDepth = 256

// rtfSkipped are destinations whose content is not document text: tables of
// fonts, colours and styles, document information, pictures, embedded
// objects, field instructions (the field result is kept) and shape
// properties.
var rtfSkipped = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "info": true, "pict": true,
	"object": true, "objdata": true, "fldinst": true, "themedata": true,
	"colorschememapping": true, "datastore": true, "latentstyles": true,
	"listtable": true, "listoverridetable": true, "revtbl": true, "rsidtbl": true,
	"generator": true, "xmlnstbl": true, "filetbl": true, "sp": true, "nonshppict": true,
	"pn": true, "private": true, "template": true, "userprops": true, "operator": true,
	"author": true, "title": true, "subject": true, "keywords": true, "comment": true,
}

// rtfKept are ignorable destinations (written after \*) that do hold text.
var rtfKept = map[string]bool{"shpinst": true, "shptxt": true}

// rtfChars are control words that stand for characters.
var rtfChars = map[string]string{
	"par": "\n", "line": "\n", "sect": "\n", "page": "\n", "row": "\n", "tab": "\t",
	"cell": "\t", "emdash": "—", "endash": "–", "bullet": "•", "lquote": "‘",
	"rquote": "’", "ldblquote": "“", "rdblquote": "”", "emspace": " ", "enspace": " ",
	"qmspace": " ", "nestcell": "\t", "nestrow": "\n",
}

// rtfGroup is the state that a group inherits and restores.
type rtfGroup struct {
	skip bool
	uc   int // characters that follow \u as its fallback
}

// rtfText writes the text of an RTF document to out. It reads control words
// with a small state machine; only a handful change the text.
func rtfText(ctx context.Context, data []byte, out *sink) error {
	decoder := charmap.Windows1252
	stack := []rtfGroup{{uc: 1}}
	cur := &stack[0]
	fallback := 0        // fallback characters still to drop after \u
	var pendingHigh rune // a UTF-16 high surrogate waiting for its pair
	groupStart := false  // whether the last token opened a group
	ignorable := false   // whether \* began the current group
	emit := func(s string) error {
		if cur.skip {
			return nil
		}
		return out.WriteString(s)
	}
	for i, steps := 0, 0; i < len(data); steps++ {
		if steps%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		c := data[i]
		switch c {
		case '{':
			i++
			if len(stack) < maxRTFDepth {
				stack = append(stack, *cur)
				cur = &stack[len(stack)-1]
			}
			groupStart, ignorable = true, false
			continue
		case '}':
			i++
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
				cur = &stack[len(stack)-1]
			}
			fallback, groupStart, ignorable = 0, false, false
			continue
		case '\r', '\n':
			i++
			continue
		case '\\':
		default:
			i++
			if fallback > 0 {
				fallback--
				continue
			}
			groupStart = false
			if c < 0x80 {
				if err := emit(string(rune(c))); err != nil {
					return err
				}
			} else if err := emit(string(decoder.DecodeByte(c))); err != nil {
				return err
			}
			continue
		}
		// A control word or symbol.
		i++
		if i >= len(data) {
			break
		}
		c = data[i]
		if !isASCIILetter(c) {
			i++
			text := ""
			switch c {
			case '\\', '{', '}':
				text = string(rune(c))
			case '~':
				text = " "
			case '_':
				text = "-"
			case '*':
				ignorable = groupStart
				continue
			case '\'':
				if i+1 < len(data) {
					if b, ok := unhex2(data[i], data[i+1]); ok {
						text = string(decoder.DecodeByte(b))
					}
					i += 2
				}
			}
			groupStart = false
			if fallback > 0 {
				fallback--
				continue
			}
			if err := emit(text); err != nil {
				return err
			}
			continue
		}
		start := i
		for i < len(data) && i-start < 32 && isASCIILetter(data[i]) {
			i++
		}
		word := string(data[start:i])
		param, hasParam := 0, false
		if i < len(data) && (data[i] == '-' || data[i] >= '0' && data[i] <= '9') {
			p := i
			i++
			for i < len(data) && i-p < 11 && data[i] >= '0' && data[i] <= '9' {
				i++
			}
			param, _ = strconv.Atoi(string(data[p:i]))
			hasParam = true
		}
		if i < len(data) && data[i] == ' ' {
			i++
		}
		atStart := groupStart
		groupStart = false
		switch {
		case word == "bin" && hasParam:
			i += max(0, min(param, len(data)-i))
			continue
		case atStart && (rtfSkipped[word] || ignorable && !rtfKept[word]):
			cur.skip = true
			continue
		case word == "uc" && hasParam:
			cur.uc = max(0, min(param, 8))
			continue
		case word == "ansicpg" && hasParam:
			if cm := windowsCodePage(param); cm != nil {
				decoder = cm
			}
			continue
		case word == "u" && hasParam:
			r := rune(param)
			if r < 0 {
				r += 65536
			}
			fallback = cur.uc
			text := ""
			switch {
			case utf16.IsSurrogate(r) && r < 0xDC00:
				pendingHigh = r
			case utf16.IsSurrogate(r):
				text = string(utf16.DecodeRune(pendingHigh, r))
				pendingHigh = 0
			default:
				text = string(r)
			}
			if err := emit(text); err != nil {
				return err
			}
			continue
		}
		if text, ok := rtfChars[word]; ok {
			if fallback > 0 {
				fallback--
				continue
			}
			if err := emit(text); err != nil {
				return err
			}
		}
	}
	return nil
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// windowsCodePage returns the single-byte code page an RTF file declares.
func windowsCodePage(n int) *charmap.Charmap {
	switch n {
	case 1250:
		return charmap.Windows1250
	case 1251:
		return charmap.Windows1251
	case 1252:
		return charmap.Windows1252
	case 1253:
		return charmap.Windows1253
	case 1254:
		return charmap.Windows1254
	case 1255:
		return charmap.Windows1255
	case 1256:
		return charmap.Windows1256
	case 1257:
		return charmap.Windows1257
	case 1258:
		return charmap.Windows1258
	case 437:
		return charmap.CodePage437
	case 850:
		return charmap.CodePage850
	case 10000:
		return charmap.Macintosh
	}
	return nil
}

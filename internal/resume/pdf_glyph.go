package resume

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// glyphNames maps the glyph names that appear in font /Differences arrays to
// text. Letters, "uniXXXX" and "uXXXX" names, and accented letters
// ("eacute" = e + acute) are derived by glyphText instead of listed here.
var glyphNames = map[string]string{
	"space": " ", "exclam": "!", "quotedbl": "\"", "numbersign": "#", "dollar": "$",
	"percent": "%", "ampersand": "&", "quotesingle": "'", "quoteright": "’", "quoteleft": "‘",
	"parenleft": "(", "parenright": ")", "asterisk": "*", "plus": "+", "comma": ",",
	"hyphen": "-", "period": ".", "slash": "/", "colon": ":", "semicolon": ";",
	"less": "<", "equal": "=", "greater": ">", "question": "?", "at": "@",
	"bracketleft": "[", "backslash": "\\", "bracketright": "]", "asciicircum": "^",
	"underscore": "_", "grave": "`", "braceleft": "{", "bar": "|", "braceright": "}",
	"asciitilde": "~", "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4",
	"five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
	"exclamdown": "¡", "cent": "¢", "sterling": "£", "fraction": "⁄", "yen": "¥",
	"florin": "ƒ", "section": "§", "currency": "¤", "quotedblleft": "“",
	"guillemotleft": "«", "guilsinglleft": "‹", "guilsinglright": "›", "fi": "fi",
	"fl": "fl", "ff": "ff", "ffi": "ffi", "ffl": "ffl", "endash": "–", "emdash": "—",
	"dagger": "†", "daggerdbl": "‡", "periodcentered": "·", "paragraph": "¶",
	"bullet": "•", "quotesinglbase": "‚", "quotedblbase": "„", "quotedblright": "”",
	"guillemotright": "»", "ellipsis": "…", "perthousand": "‰", "questiondown": "¿",
	"acute": "´", "circumflex": "ˆ", "tilde": "˜", "macron": "¯", "breve": "˘",
	"dotaccent": "˙", "dieresis": "¨", "ring": "˚", "cedilla": "¸", "hungarumlaut": "˝",
	"ogonek": "˛", "caron": "ˇ", "AE": "Æ", "ae": "æ", "OE": "Œ", "oe": "œ",
	"ordfeminine": "ª", "ordmasculine": "º", "Lslash": "Ł", "lslash": "ł", "Oslash": "Ø",
	"oslash": "ø", "dotlessi": "ı", "dotlessj": "ȷ", "germandbls": "ß", "Eth": "Ð",
	"eth": "ð", "Thorn": "Þ", "thorn": "þ", "copyright": "©", "registered": "®",
	"trademark": "™", "degree": "°", "plusminus": "±", "multiply": "×", "divide": "÷",
	"minus": "−", "mu": "µ", "logicalnot": "¬", "brokenbar": "¦", "onesuperior": "¹",
	"twosuperior": "²", "threesuperior": "³", "onehalf": "½", "onequarter": "¼",
	"threequarters": "¾", "Euro": "€", "nbspace": " ", "nonbreakingspace": " ",
	"sfthyphen": "-", "softhyphen": "-", "minute": "′", "second": "″", "arrowright": "→",
	"arrowleft": "←", "checkmark": "✓", "dcroat": "đ", "Dcroat": "Đ", "kgreenlandic": "ĸ",
	"napostrophe": "ŉ", "Eng": "Ŋ", "eng": "ŋ", "ij": "ĳ", "IJ": "Ĳ", "ldot": "ŀ", "Ldot": "Ŀ",
	"longs": "ſ", "quotereversed": "‛", "ellipsisvertical": "⋮", "numero": "№",
	"Delta": "Δ", "Omega": "Ω", "pi": "π", "infinity": "∞", "lessequal": "≤",
	"greaterequal": "≥", "notequal": "≠", "approxequal": "≈", "summation": "∑",
	"product": "∏", "radical": "√", "integral": "∫", "partialdiff": "∂", "lozenge": "◊",
}

// accentMarks are the combining marks named by the suffixes of accented glyph
// names; composing a base letter with one gives the accented letter.
var accentMarks = []struct {
	suffix string
	mark   rune
}{
	{"hungarumlaut", '\u030B'}, {"circumflex", '\u0302'}, {"commaaccent", '\u0326'},
	{"dotaccent", '\u0307'}, {"dieresis", '\u0308'}, {"cedilla", '\u0327'},
	{"macron", '\u0304'}, {"ogonek", '\u0328'}, {"acute", '\u0301'}, {"grave", '\u0300'},
	{"tilde", '\u0303'}, {"caron", '\u030C'}, {"breve", '\u0306'}, {"ring", '\u030A'},
}

// glyphText returns the text a glyph name stands for, following the Adobe
// Glyph List rules for suffixes (".sc") and ligature names ("f_f_i"), or ""
// when the name means nothing known. Real glyph names are short; long ones
// are refused before any work.
func glyphText(name string) string {
	if len(name) > 63 {
		return ""
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	if !strings.Contains(name, "_") {
		return componentText(name)
	}
	var b strings.Builder
	for part := range strings.SplitSeq(name, "_") {
		b.WriteString(componentText(part))
	}
	return b.String()
}

// componentText maps one glyph name without suffix or ligature parts.
func componentText(name string) string {
	if s := baseGlyphText(name); s != "" {
		return s
	}
	if hex, ok := strings.CutPrefix(name, "uni"); ok && len(hex) >= 4 && len(hex)%4 == 0 {
		var b strings.Builder
		for i := 0; i < len(hex); i += 4 {
			v, err := strconv.ParseUint(hex[i:i+4], 16, 32)
			if err != nil {
				return ""
			}
			b.WriteRune(rune(v))
		}
		return b.String()
	}
	if hex, ok := strings.CutPrefix(name, "u"); ok && len(hex) >= 4 && len(hex) <= 6 {
		if v, err := strconv.ParseUint(hex, 16, 32); err == nil && utf8.ValidRune(rune(v)) {
			return string(rune(v))
		}
	}
	for _, a := range accentMarks {
		base, ok := strings.CutSuffix(name, a.suffix)
		if !ok {
			continue
		}
		b := baseGlyphText(base)
		if utf8.RuneCountInString(b) != 1 {
			continue
		}
		if composed := norm.NFC.String(b + string(a.mark)); utf8.RuneCountInString(composed) == 1 {
			return composed
		}
	}
	return ""
}

// baseGlyphText maps the names that need no composing: letters and the list.
func baseGlyphText(name string) string {
	if len(name) == 1 && (name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') {
		return name
	}
	return glyphNames[name]
}

// standardHigh is the upper half of Adobe's StandardEncoding, the default of
// Type 1 fonts; its lower half is ASCII with curly single quotes.
var standardHigh = map[byte]string{
	0xA1: "exclamdown", 0xA2: "cent", 0xA3: "sterling", 0xA4: "fraction", 0xA5: "yen",
	0xA6: "florin", 0xA7: "section", 0xA8: "currency", 0xA9: "quotesingle",
	0xAA: "quotedblleft", 0xAB: "guillemotleft", 0xAC: "guilsinglleft",
	0xAD: "guilsinglright", 0xAE: "fi", 0xAF: "fl", 0xB1: "endash", 0xB2: "dagger",
	0xB3: "daggerdbl", 0xB4: "periodcentered", 0xB6: "paragraph", 0xB7: "bullet",
	0xB8: "quotesinglbase", 0xB9: "quotedblbase", 0xBA: "quotedblright",
	0xBB: "guillemotright", 0xBC: "ellipsis", 0xBD: "perthousand", 0xBF: "questiondown",
	0xC1: "grave", 0xC2: "acute", 0xC3: "circumflex", 0xC4: "tilde", 0xC5: "macron",
	0xC6: "breve", 0xC7: "dotaccent", 0xC8: "dieresis", 0xCA: "ring", 0xCB: "cedilla",
	0xCD: "hungarumlaut", 0xCE: "ogonek", 0xCF: "caron", 0xD0: "emdash", 0xE1: "AE",
	0xE3: "ordfeminine", 0xE8: "Lslash", 0xE9: "Oslash", 0xEA: "OE", 0xEB: "ordmasculine",
	0xF1: "ae", 0xF5: "dotlessi", 0xF8: "lslash", 0xF9: "oslash", 0xFA: "oe", 0xFB: "germandbls",
}

// baseEncoding returns the 256 texts of a named simple-font encoding.
func baseEncoding(name pdfName) [256]string {
	var enc [256]string
	switch name {
	case "WinAnsiEncoding", "MacRomanEncoding":
		cm := charmap.Windows1252
		if name == "MacRomanEncoding" {
			cm = charmap.Macintosh
		}
		for i := 32; i < 256; i++ {
			if r := cm.DecodeByte(byte(i)); r != utf8.RuneError && r >= ' ' && (r < 0x7F || r > 0x9F) {
				enc[i] = string(r)
			}
		}
		if name == "WinAnsiEncoding" {
			enc[0xAD] = "-" // the PDF table names this code "hyphen"
		}
	default: // StandardEncoding, and the guess for fonts that name none
		for i := 32; i < 127; i++ {
			enc[i] = string(rune(i))
		}
		enc['\''] = "’"
		enc['`'] = "‘"
		for code, glyph := range standardHigh {
			enc[code] = glyphText(glyph)
		}
	}
	return enc
}

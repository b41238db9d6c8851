package resume

import (
	"math"
	"slices"
	"strings"
	"unicode/utf16"
)

// Bounds on what one font may declare.
const (
	maxCMapEntries = 100_000
	maxCMapRange   = 1 << 16
	maxWidths      = 1 << 16
	maxCodespaces  = 64
)

// pdfFont turns the bytes of a shown string into text and glyph widths.
type pdfFont struct {
	composite bool         // two-byte (or variable-length) codes
	codes     []codespace  // code lengths of a composite font's encoding
	toUni     *cmap        // the font's /ToUnicode map, when it has one
	simple    *[256]string // the encoding of a simple font
	widths    map[uint32]float64
	defWidth  float64 // in thousandths of the font size
}

// glyph is one decoded code of a shown string.
type glyph struct {
	text  string
	width float64 // in thousandths of the font size
	space bool    // the single-byte code 32, which word spacing applies to
}

// decode appends the glyphs of s to out.
func (f *pdfFont) decode(s pdfString, out []glyph) []glyph {
	for len(s) > 0 {
		n := 1
		if f.composite {
			n = f.codeLen(s)
		}
		var code uint32
		for i := range n {
			code = code<<8 | uint32(s[i])
		}
		g := glyph{width: f.defWidth, space: !f.composite && code == 32}
		if w, ok := f.widths[code]; ok {
			g.width = w
		}
		text, ok := "", false
		if f.toUni != nil {
			text, ok = f.toUni.lookup(code, n)
		}
		if !ok && f.simple != nil {
			text = f.simple[code&0xFF]
		}
		g.text = text
		out = append(out, g)
		s = s[n:]
	}
	return out
}

func (f *pdfFont) codeLen(s pdfString) int {
	for _, cs := range f.codes {
		if cs.n <= len(s) && cs.contains(s[:cs.n]) {
			return cs.n
		}
	}
	return min(2, len(s))
}

// loadFont reads a font dictionary. A composite font without a way to map
// its codes to text yields no text rather than wrong text.
func (d *pdfDoc) loadFont(dict pdfDict) *pdfFont {
	f := &pdfFont{defWidth: 500, widths: map[uint32]float64{}}
	if dict == nil { // a missing font: guess the standard encoding
		std := baseEncoding("StandardEncoding")
		f.simple = &std
		return f
	}
	if ts, ok := d.resolve(dict["ToUnicode"]).(*pdfStream); ok {
		if data, err := d.decodeStream(ts); err == nil || len(data) > 0 {
			f.toUni = parseCMap(data, d.cell)
		}
	}
	if d.nameOf(dict["Subtype"]) == "Type0" {
		d.loadCompositeFont(f, dict)
		return f
	}
	enc := d.resolve(dict["Encoding"])
	base := pdfName("")
	var diffs pdfArray
	switch e := enc.(type) {
	case pdfName:
		base = e
	case pdfDict:
		base = d.nameOf(e["BaseEncoding"])
		diffs, _ = d.resolve(e["Differences"]).(pdfArray)
	}
	if base == "" && d.nameOf(dict["Subtype"]) == "TrueType" {
		base = "WinAnsiEncoding"
	}
	table := baseEncoding(base)
	if name := string(d.nameOf(dict["BaseFont"])); strings.Contains(name, "Symbol") || strings.Contains(name, "Dingbats") {
		if f.toUni == nil && enc == nil {
			table = [256]string{32: " "} // symbol glyphs are not words
		}
	}
	code := int64(0)
	for _, x := range diffs {
		switch v := d.resolve(x).(type) {
		case int64:
			code = v
		case pdfName:
			if code >= 0 && code < 256 {
				if t := glyphText(string(v)); t != "" {
					table[code] = t
				}
			}
			code++
		}
	}
	f.simple = &table
	first := d.intOf(dict["FirstChar"], 0)
	if desc := d.dictOf(dict["FontDescriptor"]); desc != nil {
		if mw := d.numOf(desc["MissingWidth"], 0); mw > 0 {
			f.defWidth = mw
		}
	}
	if strings.Contains(string(d.nameOf(dict["BaseFont"])), "Courier") {
		f.defWidth = 600
	}
	if ws, ok := d.resolve(dict["Widths"]).(pdfArray); ok && first >= 0 && first < 256 {
		for i, w := range ws[:min(len(ws), 256)] {
			if !d.cell() {
				break
			}
			f.widths[uint32(first)+uint32(i)] = d.numOf(w, f.defWidth)
		}
	}
	if d.nameOf(dict["Subtype"]) == "Type3" {
		// Type 3 glyphs are measured in their own space, not in thousandths.
		if fm, ok := matrixOf(d, dict["FontMatrix"]); ok && fm[0] != 0 {
			scale := math.Abs(fm[0]) * 1000
			f.defWidth *= scale
			for c := range f.widths {
				f.widths[c] *= scale
			}
		}
	}
	return f
}

func (d *pdfDoc) loadCompositeFont(f *pdfFont, dict pdfDict) {
	f.composite = true
	f.defWidth = 1000
	switch e := d.resolve(dict["Encoding"]).(type) {
	case pdfName:
		if strings.Contains(string(e), "UCS2") || strings.Contains(string(e), "UTF16") {
			if f.toUni == nil {
				f.toUni = &cmap{utf16: true}
			}
		}
	case *pdfStream:
		if data, err := d.decodeStream(e); err == nil {
			f.codes = parseCMap(data, d.cell).spaces
		}
	}
	if len(f.codes) == 0 && f.toUni != nil {
		f.codes = f.toUni.spaces
	}
	descs, _ := d.resolve(dict["DescendantFonts"]).(pdfArray)
	if len(descs) == 0 {
		return
	}
	desc := d.dictOf(descs[0])
	f.defWidth = d.numOf(desc["DW"], 1000)
	w, _ := d.resolve(desc["W"]).(pdfArray)
	for i := 0; i+1 < len(w) && len(f.widths) < maxWidths; {
		start := d.intOf(w[i], -1)
		if arr, ok := d.resolve(w[i+1]).(pdfArray); ok {
			for j, x := range arr[:min(len(arr), maxWidths)] {
				if !d.cell() {
					return
				}
				f.widths[uint32(start)+uint32(j)] = d.numOf(x, f.defWidth)
			}
			i += 2
			continue
		}
		if i+2 >= len(w) {
			break
		}
		end := d.intOf(w[i+1], -1)
		width := d.numOf(w[i+2], f.defWidth)
		if start >= 0 && end >= start && end-start < maxWidths {
			for c := start; c <= end && len(f.widths) < maxWidths; c++ {
				if !d.cell() {
					return
				}
				f.widths[uint32(c)] = width
			}
		}
		i += 3
	}
}

// codespace is a range of codes of one byte length.
type codespace struct {
	n      int
	lo, hi []byte
}

func (c codespace) contains(b pdfString) bool {
	for i := range c.n {
		if b[i] < c.lo[i] || b[i] > c.hi[i] {
			return false
		}
	}
	return true
}

// cmap is a parsed /ToUnicode map from codes to text.
type cmap struct {
	utf16  bool // predefined UCS-2 encodings: codes are UTF-16 themselves
	spaces []codespace
	chars  map[uint64]string // key: length<<32 | code
	ranges []cmapRange       // sorted by lo
}

type cmapRange struct {
	n      int
	lo, hi uint32
	base   []uint16 // UTF-16 of the first code; later codes add to the last unit
	arr    []string // or one text per code
}

func (m *cmap) lookup(code uint32, n int) (string, bool) {
	if m.utf16 {
		return string(utf16.Decode([]uint16{uint16(code)})), true
	}
	if s, ok := m.chars[uint64(n)<<32|uint64(code)]; ok {
		return s, true
	}
	i, _ := slices.BinarySearchFunc(m.ranges, code, func(r cmapRange, c uint32) int {
		if r.lo > c {
			return 1
		}
		return -1
	})
	for j := i - 1; j >= 0 && j >= i-8; j-- {
		r := m.ranges[j]
		if r.n != n || code < r.lo || code > r.hi {
			continue
		}
		off := code - r.lo
		if r.arr != nil {
			if int(off) < len(r.arr) {
				return r.arr[off], true
			}
			return "", false
		}
		u := slices.Clone(r.base)
		if len(u) == 0 {
			return "", false
		}
		u[len(u)-1] += uint16(off)
		return string(utf16.Decode(u)), true
	}
	return "", false
}

func codeOf(s pdfString) (uint32, int, bool) {
	if len(s) == 0 || len(s) > 4 {
		return 0, 0, false
	}
	var c uint32
	for i := range len(s) {
		c = c<<8 | uint32(s[i])
	}
	return c, len(s), true
}

func utf16Units(s pdfString) []uint16 {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	if len(s)%2 == 1 { // a single byte is taken as a code unit of its own
		u = append(u, uint16(s[len(s)-1]))
	}
	return u
}

func utf16Text(s pdfString) string { return string(utf16.Decode(utf16Units(s))) }

// parseCMap reads the codespace, bfchar and bfrange sections of a CMap
// program, ignoring everything else; a broken map keeps what it read. Each
// entry kept is charged with cell, and reading stops when it refuses.
func parseCMap(data []byte, cell func() bool) *cmap {
	m := &cmap{chars: map[uint64]string{}}
	l := pdfLexer{data: data}
	var operands []any
	entries := 0
	for entries < maxCMapEntries {
		tok, ok := l.token()
		if !ok {
			break
		}
		kw, isKW := tok.(pdfKeyword)
		if !isKW || kw == "[" {
			v, err := l.objectFrom(tok, 0)
			if err != nil {
				break
			}
			if len(operands) < 3*maxCMapEntries {
				operands = append(operands, v)
			}
			continue
		}
		switch kw {
		case "endcodespacerange":
			for i := 0; i+1 < len(operands); i += 2 {
				lo, ok1 := operands[i].(pdfString)
				hi, ok2 := operands[i+1].(pdfString)
				if ok1 && ok2 && len(lo) == len(hi) && len(lo) >= 1 && len(lo) <= 4 && len(m.spaces) < maxCodespaces {
					m.spaces = append(m.spaces, codespace{len(lo), []byte(lo), []byte(hi)})
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(operands); i += 2 {
				src, ok1 := operands[i].(pdfString)
				code, n, ok2 := codeOf(src)
				if !ok1 || !ok2 {
					continue
				}
				switch dst := operands[i+1].(type) {
				case pdfString:
					m.chars[uint64(n)<<32|uint64(code)] = utf16Text(dst)
				case pdfName:
					m.chars[uint64(n)<<32|uint64(code)] = glyphText(string(dst))
				}
				if entries++; !cell() {
					entries = maxCMapEntries
				}
			}
		case "endbfrange":
			for i := 0; i+2 < len(operands); i += 3 {
				los, ok1 := operands[i].(pdfString)
				his, ok2 := operands[i+1].(pdfString)
				lo, n, ok3 := codeOf(los)
				hi, n2, ok4 := codeOf(his)
				if !ok1 || !ok2 || !ok3 || !ok4 || n != n2 || hi < lo {
					continue
				}
				hi = min(hi, lo+maxCMapRange-1)
				r := cmapRange{n: n, lo: lo, hi: hi}
				switch dst := operands[i+2].(type) {
				case pdfString:
					r.base = utf16Units(dst)
				case pdfArray:
					for _, x := range dst[:min(len(dst), maxCMapRange)] {
						s, _ := x.(pdfString)
						r.arr = append(r.arr, utf16Text(s))
					}
				default:
					continue
				}
				m.ranges = append(m.ranges, r)
				if entries++; !cell() {
					entries = maxCMapEntries
				}
			}
		}
		operands = operands[:0]
	}
	slices.SortStableFunc(m.ranges, func(a, b cmapRange) int {
		switch {
		case a.lo < b.lo:
			return -1
		case a.lo > b.lo:
			return 1
		}
		return 0
	})
	return m
}

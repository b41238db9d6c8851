package resume

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
)

// Bounds on the drawing program of a page.
const (
	maxPDFOperands  = 64
	maxPDFSaveDepth = 64
	maxPDFFormDepth = 8
)

// matrix is a PDF transformation [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func translate(tx, ty float64) matrix { return matrix{1, 0, 0, 1, tx, ty} }

func matrixOf(d *pdfDoc, x any) (matrix, bool) {
	a, ok := d.resolve(x).(pdfArray)
	if !ok || len(a) != 6 {
		return identity, false
	}
	var m matrix
	for i := range m {
		m[i] = d.numOf(a[i], 0)
	}
	return m, true
}

// graphicsState is the part of the PDF graphics state that places text.
type graphicsState struct {
	ctm                                         matrix
	font                                        *pdfFont
	size, charSpace, wordSpace, hScale, leading float64
}

// pdfTextWriter runs page content streams and writes the text they show,
// turning positions into spaces and line breaks.
type pdfTextWriter struct {
	doc   *pdfDoc
	out   *sink
	fonts map[string]*pdfFont
	gs    graphicsState
	saved []graphicsState
	tm    matrix
	tlm   matrix
	ops   int
	forms map[int64]bool // forms being drawn, against self-reference

	glyphs       []glyph // reused from one string to the next
	placed       bool    // whether lastX and lastY hold a position
	lastX, lastY float64
	fallbackFont *pdfFont
}

// pdfText writes the text of every page of d to out.
func pdfText(ctx context.Context, d *pdfDoc, out *sink) error {
	w := &pdfTextWriter{doc: d, out: out, fonts: map[string]*pdfFont{}, forms: map[int64]bool{}}
	w.fallbackFont = d.loadFont(nil)
	for i, p := range d.pages() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if i > 0 {
			if err := out.WriteString("\n\n"); err != nil {
				return err
			}
		}
		w.gs = graphicsState{ctm: identity, hScale: 1}
		w.saved = w.saved[:0]
		w.placed = false
		data, err := w.contents(p.dict["Contents"])
		if isFatal(err) {
			return err
		}
		if err := w.run(data, p.res, 0); err != nil {
			return err
		}
	}
	return nil
}

// isFatal reports errors that stop the whole document rather than one stream.
func isFatal(err error) bool {
	return errors.Is(err, errTooMuchData) || errors.Is(err, errSinkFull) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// contents decodes a page's content streams, which the format joins as one
// program.
func (w *pdfTextWriter) contents(x any) ([]byte, error) {
	switch v := w.doc.resolve(x).(type) {
	case *pdfStream:
		return w.doc.decodeStream(v)
	case pdfArray:
		var all []byte
		for _, part := range v {
			s, ok := w.doc.resolve(part).(*pdfStream)
			if !ok {
				continue
			}
			data, err := w.doc.decodeStream(s)
			if isFatal(err) {
				return all, err
			}
			all = append(append(all, data...), '\n')
		}
		return all, nil
	}
	return nil, nil
}

func (w *pdfTextWriter) run(data []byte, res pdfDict, depth int) error {
	l := pdfLexer{data: data}
	var args []any
	for {
		tok, ok := l.token()
		if !ok {
			return nil
		}
		kw, isKW := tok.(pdfKeyword)
		if !isKW || kw == "[" || kw == "<<" {
			v, err := l.objectFrom(tok, 0)
			if err != nil {
				return nil // the rest of a broken stream is lost, not the page
			}
			if len(args) < maxPDFOperands {
				args = append(args, v)
			}
			continue
		}
		if w.ops++; w.ops%1024 == 0 {
			if err := w.doc.ctx.Err(); err != nil {
				return err
			}
		}
		if kw == "ID" {
			skipInlineImage(&l)
		} else if err := w.op(kw, args, res, depth); err != nil {
			return err
		}
		args = args[:0]
	}
}

// skipInlineImage moves past the binary data of an inline image, which ends
// at "EI" standing alone.
func skipInlineImage(l *pdfLexer) {
	p := l.pos + 1
	for p < len(l.data) {
		i := bytes.Index(l.data[p:], []byte("EI"))
		if i < 0 {
			break
		}
		k := p + i
		if isPDFSpace(l.data[k-1]) && (k+2 == len(l.data) || !isPDFRegular(l.data[k+2])) {
			l.pos = k + 2
			return
		}
		p = k + 2
	}
	l.pos = len(l.data)
}

func (w *pdfTextWriter) num(args []any, i int) float64 {
	if i < len(args) {
		return w.doc.numOf(args[i], 0)
	}
	return 0
}

func (w *pdfTextWriter) op(op pdfKeyword, args []any, res pdfDict, depth int) error {
	switch op {
	case "q":
		if len(w.saved) < maxPDFSaveDepth {
			w.saved = append(w.saved, w.gs)
		}
	case "Q":
		if n := len(w.saved); n > 0 {
			w.gs = w.saved[n-1]
			w.saved = w.saved[:n-1]
		}
	case "cm":
		if m, ok := matrixOf(w.doc, pdfArray(args)); ok {
			w.gs.ctm = m.mul(w.gs.ctm)
		}
	case "BT":
		w.tm, w.tlm = identity, identity
	case "Tc":
		w.gs.charSpace = w.num(args, 0)
	case "Tw":
		w.gs.wordSpace = w.num(args, 0)
	case "Tz":
		w.gs.hScale = w.num(args, 0) / 100
	case "TL":
		w.gs.leading = w.num(args, 0)
	case "Tf":
		if len(args) == 2 {
			w.gs.font = w.font(res, args[0])
			w.gs.size = w.num(args, 1)
		}
	case "Td":
		w.moveLine(w.num(args, 0), w.num(args, 1))
	case "TD":
		w.gs.leading = -w.num(args, 1)
		w.moveLine(w.num(args, 0), w.num(args, 1))
	case "Tm":
		if m, ok := matrixOf(w.doc, pdfArray(args)); ok {
			w.tm, w.tlm = m, m
		}
	case "T*":
		w.moveLine(0, -w.gs.leading)
	case "Tj":
		if len(args) == 1 {
			return w.show(args[0])
		}
	case "'":
		w.moveLine(0, -w.gs.leading)
		if len(args) == 1 {
			return w.show(args[0])
		}
	case "\"":
		if len(args) == 3 {
			w.gs.wordSpace, w.gs.charSpace = w.num(args, 0), w.num(args, 1)
			w.moveLine(0, -w.gs.leading)
			return w.show(args[2])
		}
	case "TJ":
		if len(args) == 1 {
			arr, _ := args[0].(pdfArray)
			for _, x := range arr {
				if s, ok := x.(pdfString); ok {
					if err := w.show(s); err != nil {
						return err
					}
				} else {
					tx := -w.doc.numOf(x, 0) / 1000 * w.gs.size * w.gs.hScale
					w.tm = translate(tx, 0).mul(w.tm)
				}
			}
		}
	case "Do":
		if len(args) == 1 {
			return w.form(res, args[0], depth)
		}
	}
	return nil
}

func (w *pdfTextWriter) moveLine(tx, ty float64) {
	w.tlm = translate(tx, ty).mul(w.tlm)
	w.tm = w.tlm
}

func (w *pdfTextWriter) font(res pdfDict, name any) *pdfFont {
	fonts := w.doc.dictOf(res["Font"])
	n, _ := name.(pdfName)
	ref := fonts[n]
	key := fmt.Sprintf("%v", ref)
	if _, isRef := ref.(pdfRef); !isRef {
		key = fmt.Sprintf("%p/%s", fonts, n)
	}
	if f, ok := w.fonts[key]; ok {
		return f
	}
	f := w.doc.loadFont(w.doc.dictOf(ref))
	w.fonts[key] = f
	return f
}

// show writes one string, preceded by a space or line break when its
// position is apart from where the previous string ended.
func (w *pdfTextWriter) show(x any) error {
	s, ok := x.(pdfString)
	if !ok {
		return nil
	}
	f := w.gs.font
	if f == nil {
		f = w.fallbackFont
	}
	m := w.tm.mul(w.gs.ctm)
	size := math.Abs(w.gs.size) * math.Hypot(m[2], m[3])
	if err := w.place(m[4], m[5], size); err != nil {
		return err
	}
	w.glyphs = f.decode(s, w.glyphs[:0])
	for _, g := range w.glyphs {
		if err := w.out.WriteString(g.text); err != nil {
			return err
		}
		tx := g.width / 1000 * w.gs.size
		tx += w.gs.charSpace
		if g.space {
			tx += w.gs.wordSpace
		}
		w.tm = translate(tx*w.gs.hScale, 0).mul(w.tm)
	}
	end := w.tm.mul(w.gs.ctm)
	w.lastX, w.lastY = end[4], end[5]
	return nil
}

func (w *pdfTextWriter) place(x, y, size float64) error {
	if !w.placed {
		w.placed = true
		return nil
	}
	size = max(size, 1)
	dx, dy := x-w.lastX, y-w.lastY
	switch {
	case math.Abs(dy) > size/2 || dx < -2*size:
		return w.out.WriteString("\n")
	case dx > size*0.15:
		return w.out.WriteString(" ")
	}
	return nil
}

// form draws a form XObject, the other place where page text lives.
func (w *pdfTextWriter) form(res pdfDict, name any, depth int) error {
	n, _ := name.(pdfName)
	ref := w.doc.dictOf(res["XObject"])[n]
	s, ok := w.doc.resolve(ref).(*pdfStream)
	if !ok || w.doc.nameOf(s.dict["Subtype"]) != "Form" || depth >= maxPDFFormDepth {
		return nil
	}
	if r, isRef := ref.(pdfRef); isRef {
		if w.forms[r.num] {
			return nil
		}
		w.forms[r.num] = true
		defer delete(w.forms, r.num)
	}
	data, err := w.doc.decodeStream(s)
	if isFatal(err) {
		return err
	}
	formRes := w.doc.dictOf(s.dict["Resources"])
	if formRes == nil {
		formRes = res
	}
	saved := w.gs
	tm, tlm := w.tm, w.tlm
	if m, ok := matrixOf(w.doc, s.dict["Matrix"]); ok {
		w.gs.ctm = m.mul(w.gs.ctm)
	}
	err = w.run(data, formRes, depth+1)
	w.gs, w.tm, w.tlm = saved, tm, tlm
	return err
}

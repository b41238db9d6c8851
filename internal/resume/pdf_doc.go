package resume

import (
	"bytes"
	"context"
	"errors"
	"slices"
)

// Bounds on the structure of a PDF, far above what any resume needs.
const (
	maxPDFObjects  = 250_000
	maxPDFTrailers = 1_000
	maxPDFPages    = 5_000
)

var (
	errPDFHeader    = errors.New("pdf: no %PDF header")
	errPDFTooMany   = errors.New("pdf: too many objects")
	errPDFEncrypted = errors.New("pdf: encrypted")
)

// pdfDoc is a PDF file loaded for reading text. It does not trust the
// cross-reference table: like the readers people use, it finds every object
// by scanning the file, so damaged and hand-edited files still open, and a
// forged table cannot make it allocate or loop. Later definitions of an
// object replace earlier ones, which is how incremental updates work.
type pdfDoc struct {
	ctx       context.Context // bounds every loop of one short-lived read
	data      []byte
	budget    *budget
	objs      map[int64]pdfEntry
	trailers  []pdfEntry // trailer and cross-reference stream dictionaries, in file order
	encrypted bool
	root      pdfDict

	// cells counts the values held in parsed objects and fonts (see
	// maxPDFCells); workLeft is how many more bytes the object scanner may
	// parse, so that damaged objects which each run to the end of the file
	// cannot make scanning quadratic.
	cells    int
	workLeft int
}

// pdfEntry is an object and the file position that decides which of two
// definitions of the same object number is the newer.
type pdfEntry struct {
	obj any
	pos int
}

// pdfHeaderAt returns where "%PDF-" starts; readers accept it anywhere in the
// first kilobyte.
func pdfHeaderAt(data []byte) int {
	return bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-"))
}

// loadPDF finds the objects, trailers and catalog of a PDF.
func loadPDF(ctx context.Context, data []byte, b *budget) (*pdfDoc, error) {
	if pdfHeaderAt(data) < 0 {
		return nil, errPDFHeader
	}
	d := &pdfDoc{ctx: ctx, data: data, budget: b, objs: map[int64]pdfEntry{}, workLeft: 4*len(data) + 1<<20}
	objStms, err := d.scanObjects()
	if err != nil {
		return nil, err
	}
	if err := d.scanTrailers(); err != nil {
		return nil, err
	}
	for _, e := range objStms {
		if err := d.expandObjStm(e.obj.(*pdfStream), e.pos); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(d.trailers, func(a, b pdfEntry) int { return a.pos - b.pos })
	for _, t := range d.trailers {
		if t.obj.(pdfDict)["Encrypt"] != nil {
			d.encrypted = true
		}
	}
	d.root = d.findRoot()
	return d, nil
}

// scanObjects records every "N G obj" in the file and returns the object
// streams, which are expanded once all plain objects are known.
func (d *pdfDoc) scanObjects() ([]pdfEntry, error) {
	var objStms []pdfEntry
	count := 0
	for pos := 0; ; {
		i := bytes.Index(d.data[pos:], []byte("obj"))
		if i < 0 {
			return objStms, nil
		}
		k := pos + i
		pos = k + 3
		num, ok := pdfObjHeader(d.data, k)
		if !ok || pos < len(d.data) && isPDFRegular(d.data[pos]) {
			continue
		}
		if count++; count > maxPDFObjects {
			return nil, errPDFTooMany
		}
		if count%512 == 0 {
			if err := d.ctx.Err(); err != nil {
				return nil, err
			}
		}
		l := pdfLexer{data: d.data, pos: pos, cells: &d.cells}
		obj, err := l.object(0)
		if werr := d.work(l.pos - pos); werr != nil {
			return nil, werr
		}
		if errors.Is(err, errPDFTooMany) {
			return nil, err
		}
		if err != nil {
			continue
		}
		pos = l.pos
		if dict, isDict := obj.(pdfDict); isDict {
			if tok, ok := l.token(); ok && tok == pdfKeyword("stream") {
				var s *pdfStream
				s, pos = d.streamAt(dict, l.pos)
				obj = s
				switch dict["Type"] {
				case pdfName("ObjStm"):
					objStms = append(objStms, pdfEntry{s, k})
				case pdfName("XRef"):
					d.trailers = append(d.trailers, pdfEntry{dict, k})
				}
			}
			if dict["Filter"] == pdfName("Standard") && dict["O"] != nil && dict["U"] != nil {
				d.encrypted = true // an encryption dictionary, even if the trailer is lost
			}
		}
		d.objs[num] = pdfEntry{obj, k}
	}
}

// pdfObjHeader reports whether "obj" at k is preceded by "num gen ", and
// returns num.
func pdfObjHeader(data []byte, k int) (int64, bool) {
	j := k - 1
	skip := func(pred func(byte) bool, lo, hi int) (int, bool) {
		n := 0
		for j >= 0 && pred(data[j]) && n < hi {
			j--
			n++
		}
		return j + 1, n >= lo
	}
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	if _, ok := skip(isPDFSpace, 0, 16); !ok {
		return 0, false
	}
	if _, ok := skip(isDigit, 1, 6); !ok {
		return 0, false
	}
	if _, ok := skip(isPDFSpace, 1, 16); !ok {
		return 0, false
	}
	start, ok := skip(isDigit, 1, 10)
	if !ok || j >= 0 && isPDFRegular(data[j]) {
		return 0, false
	}
	var num int64
	for _, c := range data[start:] {
		if !isDigit(c) {
			break
		}
		num = num*10 + int64(c-'0')
	}
	return num, true
}

// streamAt returns the stream whose data starts after the "stream" keyword
// at p, and the position after it. A /Length that does not end at
// "endstream" is ignored in favour of searching for the keyword.
func (d *pdfDoc) streamAt(dict pdfDict, p int) (*pdfStream, int) {
	if p < len(d.data) && d.data[p] == '\r' {
		p++
	}
	if p < len(d.data) && d.data[p] == '\n' {
		p++
	}
	if n, ok := dict["Length"].(int64); ok && n >= 0 && n <= int64(len(d.data)-p) {
		end := p + int(n)
		l := pdfLexer{data: d.data, pos: end}
		l.skipSpace()
		if bytes.HasPrefix(d.data[l.pos:], []byte("endstream")) {
			return &pdfStream{dict, d.data[p:end]}, l.pos + len("endstream")
		}
	}
	e := bytes.Index(d.data[p:], []byte("endstream"))
	if e < 0 {
		return &pdfStream{dict, d.data[p:]}, len(d.data)
	}
	raw := d.data[p : p+e]
	raw = bytes.TrimSuffix(raw, []byte("\n"))
	raw = bytes.TrimSuffix(raw, []byte("\r"))
	return &pdfStream{dict, raw}, p + e + len("endstream")
}

func (d *pdfDoc) scanTrailers() error {
	for pos := 0; ; {
		i := bytes.Index(d.data[pos:], []byte("trailer"))
		if i < 0 {
			return nil
		}
		k := pos + i
		pos = k + len("trailer")
		if k > 0 && isPDFRegular(d.data[k-1]) {
			continue
		}
		l := pdfLexer{data: d.data, pos: pos, cells: &d.cells}
		t, err := l.object(0)
		if werr := d.work(l.pos - pos); werr != nil {
			return werr
		}
		if errors.Is(err, errPDFTooMany) {
			return err
		}
		if dict, ok := t.(pdfDict); ok && err == nil {
			d.trailers = append(d.trailers, pdfEntry{dict, k})
		}
		if len(d.trailers) > maxPDFTrailers {
			return errPDFTooMany
		}
	}
}

// expandObjStm adds the objects compressed in an object stream at pos,
// unless a definition later in the file replaces them.
func (d *pdfDoc) expandObjStm(s *pdfStream, pos int) error {
	data, err := d.decodeStream(s)
	if errors.Is(err, errTooMuchData) || d.ctx.Err() != nil {
		return errors.Join(err, d.ctx.Err())
	}
	n := d.intOf(s.dict["N"], 0)
	first := d.intOf(s.dict["First"], 0)
	if n <= 0 || first <= 0 || first > int64(len(data)) {
		return nil
	}
	n = min(n, int64(len(data)/2))
	d.workLeft += 4 * len(data)
	hdr := pdfLexer{data: data[:first]}
	for range n {
		numTok, ok1 := hdr.token()
		offTok, ok2 := hdr.token()
		num, ok3 := numTok.(int64)
		off, ok4 := offTok.(int64)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			break
		}
		if cur, exists := d.objs[num]; exists && cur.pos > pos {
			continue
		}
		if off < 0 || first+off >= int64(len(data)) {
			continue
		}
		l := pdfLexer{data: data, pos: int(first + off), cells: &d.cells}
		obj, err := l.object(0)
		if werr := d.work(l.pos - int(first+off)); werr != nil {
			return werr
		}
		if errors.Is(err, errPDFTooMany) {
			return err
		}
		if err != nil {
			continue
		}
		if len(d.objs) >= maxPDFObjects {
			return errPDFTooMany
		}
		d.objs[num] = pdfEntry{obj, pos}
	}
	return nil
}

// work charges n parsed bytes to the scanner's allowance.
func (d *pdfDoc) work(n int) error {
	if d.workLeft -= n; d.workLeft < 0 {
		return errPDFTooMany
	}
	return nil
}

// cell charges one value kept in a font to the document's ceiling.
func (d *pdfDoc) cell() bool {
	d.cells++
	return d.cells <= maxPDFCells
}

func (d *pdfDoc) findRoot() pdfDict {
	for i := len(d.trailers) - 1; i >= 0; i-- {
		if root := d.dictOf(d.trailers[i].obj.(pdfDict)["Root"]); root != nil {
			return root
		}
	}
	var best pdfDict
	bestPos := -1
	for _, e := range d.objs {
		if dict, ok := e.obj.(pdfDict); ok && dict["Type"] == pdfName("Catalog") && e.pos > bestPos {
			best, bestPos = dict, e.pos
		}
	}
	return best
}

// pdfPage is a page dictionary with the resources it inherits.
type pdfPage struct {
	dict pdfDict
	res  pdfDict
}

// pages returns the pages in reading order. When the page tree is broken, it
// falls back to every page object in file order.
func (d *pdfDoc) pages() []pdfPage {
	var out []pdfPage
	seen := map[int64]bool{}
	var walk func(node any, res pdfDict, depth int)
	walk = func(node any, res pdfDict, depth int) {
		if depth > maxPDFDepth || len(out) >= maxPDFPages {
			return
		}
		if r, ok := node.(pdfRef); ok {
			if seen[r.num] {
				return
			}
			seen[r.num] = true
		}
		dict := d.dictOf(node)
		if dict == nil {
			return
		}
		if r := d.dictOf(dict["Resources"]); r != nil {
			res = r
		}
		kids, hasKids := d.resolve(dict["Kids"]).(pdfArray)
		if d.nameOf(dict["Type"]) == "Page" || !hasKids {
			if dict["Contents"] != nil || d.nameOf(dict["Type"]) == "Page" {
				out = append(out, pdfPage{dict, res})
			}
			return
		}
		for _, k := range kids {
			walk(k, res, depth+1)
		}
	}
	if d.root != nil {
		walk(d.root["Pages"], nil, 0)
	}
	if len(out) > 0 {
		return out
	}
	var loose []pdfEntry
	for _, e := range d.objs {
		if dict, ok := e.obj.(pdfDict); ok && dict["Type"] == pdfName("Page") {
			loose = append(loose, e)
		}
	}
	slices.SortFunc(loose, func(a, b pdfEntry) int { return a.pos - b.pos })
	for _, e := range loose[:min(len(loose), maxPDFPages)] {
		dict := e.obj.(pdfDict)
		res := d.dictOf(dict["Resources"])
		if res == nil {
			res = d.dictOf(d.dictOf(dict["Parent"])["Resources"])
		}
		out = append(out, pdfPage{dict, res})
	}
	return out
}

// resolve follows references. A missing object is null, as the format says.
func (d *pdfDoc) resolve(x any) any {
	for range 32 {
		r, ok := x.(pdfRef)
		if !ok {
			return x
		}
		x = d.objs[r.num].obj
	}
	return nil
}

func (d *pdfDoc) dictOf(x any) pdfDict {
	switch v := d.resolve(x).(type) {
	case pdfDict:
		return v
	case *pdfStream:
		return v.dict
	}
	return nil
}

func (d *pdfDoc) nameOf(x any) pdfName {
	n, _ := d.resolve(x).(pdfName)
	return n
}

func (d *pdfDoc) intOf(x any, def int64) int64 {
	switch v := d.resolve(x).(type) {
	case int64:
		return v
	case float64:
		if v > -1e15 && v < 1e15 {
			return int64(v)
		}
	}
	return def
}

func (d *pdfDoc) numOf(x any, def float64) float64 {
	switch v := d.resolve(x).(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	}
	return def
}

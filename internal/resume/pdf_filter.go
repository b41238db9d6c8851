package resume

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"context"
	"encoding/ascii85"
	"errors"
	"fmt"
	"io"
)

// errPDFFilter reports a stream encoded in a way this reader does not decode
// (images, LZW). Such streams are skipped; they rarely carry text.
var errPDFFilter = errors.New("pdf: unsupported stream filter")

// decodeStream returns the decoded bytes of s, applying its filters in order.
// Every decoded byte is charged to the document's budget.
func (d *pdfDoc) decodeStream(s *pdfStream) ([]byte, error) {
	filters := d.resolve(s.dict["Filter"])
	params := d.resolve(s.dict["DecodeParms"])
	var names []pdfName
	var parms []pdfDict
	switch f := filters.(type) {
	case nil:
	case pdfName:
		names = append(names, f)
		parms = append(parms, d.dictOf(params))
	case pdfArray:
		if len(f) > 8 {
			return nil, errPDFFilter
		}
		pa, _ := params.(pdfArray)
		for i, x := range f {
			n, ok := d.resolve(x).(pdfName)
			if !ok {
				return nil, errPDFFilter
			}
			names = append(names, n)
			var p pdfDict
			if i < len(pa) {
				p = d.dictOf(pa[i])
			}
			parms = append(parms, p)
		}
	default:
		return nil, errPDFFilter
	}
	data := s.raw
	if len(names) == 0 {
		if err := d.budget.take(len(data)); err != nil {
			return nil, err
		}
		return data, nil
	}
	for i, name := range names {
		var err error
		data, err = d.applyFilter(name, parms[i], data)
		if err != nil {
			return data, err
		}
	}
	return data, nil
}

func (d *pdfDoc) applyFilter(name pdfName, parm pdfDict, data []byte) ([]byte, error) {
	switch name {
	case "FlateDecode", "Fl":
		out, err := inflatePDF(d.ctx, data, d.budget)
		if err != nil {
			return out, err
		}
		return d.unpredict(parm, out)
	case "ASCIIHexDecode", "AHx":
		l := pdfLexer{data: append([]byte{'<'}, data...)}
		out := []byte(l.hexString())
		return out, d.budget.take(len(out))
	case "ASCII85Decode", "A85":
		if i := bytes.Index(data, []byte("~>")); i >= 0 {
			data = data[:i]
		}
		data = bytes.TrimPrefix(bytes.TrimSpace(data), []byte("<~"))
		out, err := readAllBudget(d.ctx, ascii85.NewDecoder(bytes.NewReader(data)), d.budget)
		if err != nil && len(out) == 0 {
			return nil, err
		}
		return out, d.ctx.Err()
	case "RunLengthDecode", "RL":
		return runLengthDecode(data, d.budget)
	}
	return nil, fmt.Errorf("%w: %s", errPDFFilter, name)
}

// inflatePDF decompresses zlib data. Producers often write streams with a bad
// checksum or a truncated end; the bytes read so far are kept, as readers do.
func inflatePDF(ctx context.Context, data []byte, b *budget) ([]byte, error) {
	var r io.Reader
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err == nil {
		r = zr
	} else if len(data) > 2 {
		r = flate.NewReader(bytes.NewReader(data[2:])) // a header zlib refused
	} else {
		return nil, err
	}
	out, err := readAllBudget(ctx, r, b)
	if err != nil && (errors.Is(err, errTooMuchData) || ctx.Err() != nil) {
		return out, err
	}
	if err != nil && len(out) == 0 {
		return nil, err
	}
	return out, nil
}

func runLengthDecode(data []byte, b *budget) ([]byte, error) {
	var out []byte
	for i := 0; i < len(data); {
		n := int(data[i])
		i++
		switch {
		case n == 128:
			return out, nil
		case n < 128:
			end := min(i+n+1, len(data))
			if err := b.take(end - i); err != nil {
				return out, err
			}
			out = append(out, data[i:end]...)
			i = end
		default:
			if i >= len(data) {
				return out, nil
			}
			if err := b.take(257 - n); err != nil {
				return out, err
			}
			for range 257 - n {
				out = append(out, data[i])
			}
			i++
		}
	}
	return out, nil
}

// unpredict reverses the PNG predictors that producers apply before Flate
// compression (mostly to object and cross-reference streams). The output is
// never longer than the input, so it needs no budget of its own.
func (d *pdfDoc) unpredict(parm pdfDict, data []byte) ([]byte, error) {
	pred := d.intOf(parm["Predictor"], 1)
	if pred <= 1 {
		return data, nil
	}
	if pred < 10 {
		return data, fmt.Errorf("%w: TIFF predictor", errPDFFilter)
	}
	colors := d.intOf(parm["Colors"], 1)
	bpc := d.intOf(parm["BitsPerComponent"], 8)
	columns := d.intOf(parm["Columns"], 1)
	if colors < 1 || colors > 32 || bpc < 1 || bpc > 16 || columns < 1 || columns > 1<<20 {
		return data, fmt.Errorf("%w: predictor parameters", errPDFFilter)
	}
	bpp := max(1, int(colors*bpc+7)/8)
	rowLen := int(colors*bpc*columns+7) / 8
	if rowLen >= len(data) {
		return nil, nil // not even one row: nothing to decode
	}
	var out []byte
	prev := make([]byte, rowLen)
	for len(data) > rowLen {
		kind, row := data[0], data[1:rowLen+1]
		data = data[rowLen+1:]
		cur := make([]byte, rowLen)
		for i := range rowLen {
			var left, upLeft byte
			if i >= bpp {
				left, upLeft = cur[i-bpp], prev[i-bpp]
			}
			up := prev[i]
			switch kind {
			case 0:
				cur[i] = row[i]
			case 1:
				cur[i] = row[i] + left
			case 2:
				cur[i] = row[i] + up
			case 3:
				cur[i] = row[i] + byte((int(left)+int(up))/2)
			case 4:
				cur[i] = row[i] + paeth(left, up, upLeft)
			default:
				return out, fmt.Errorf("%w: PNG row type %d", errPDFFilter, kind)
			}
		}
		out = append(out, cur...)
		prev = cur
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

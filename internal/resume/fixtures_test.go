package resume

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// pdfBuilder writes small, valid PDFs: objects, a cross-reference table or
// stream, and a trailer, so that other readers (pdftotext) accept them too.
type pdfBuilder struct {
	objs   []string // bodies; object n is objs[n-1]
	packed map[int]bool
}

// add appends an object and returns its number.
func (b *pdfBuilder) add(body string) int {
	b.objs = append(b.objs, body)
	return len(b.objs)
}

// addStream appends a stream object, Flate-compressed when compress is set.
func (b *pdfBuilder) addStream(tb testing.TB, dict string, data []byte, compress bool) int {
	tb.Helper()
	if compress {
		data = mustZlib(tb, data)
		dict += " /Filter /FlateDecode"
	}
	return b.add(fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data))
}

// pack marks objects to be written inside an object stream.
func (b *pdfBuilder) pack(nums ...int) {
	if b.packed == nil {
		b.packed = map[int]bool{}
	}
	for _, n := range nums {
		b.packed[n] = true
	}
}

// bytes writes the file with root as the catalog. extra is added to the
// trailer dictionary.
func (b *pdfBuilder) bytes(root int, extra string) []byte {
	var out bytes.Buffer
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(b.objs)+1)
	for i, body := range b.objs {
		if b.packed[i+1] {
			continue
		}
		offsets[i+1] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, body)
	}
	if len(b.packed) == 0 {
		xref := out.Len()
		fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(b.objs)+1)
		for _, off := range offsets[1:] {
			fmt.Fprintf(&out, "%010d 00000 n \n", off)
		}
		fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(b.objs)+1, root, extra, xref)
		return out.Bytes()
	}
	// Object stream, then a cross-reference stream that also is the trailer.
	var hdr, body bytes.Buffer
	index := map[int]int{}
	for i, src := range b.objs {
		if !b.packed[i+1] {
			continue
		}
		index[i+1] = len(index)
		fmt.Fprintf(&hdr, "%d %d ", i+1, body.Len())
		body.WriteString(src + "\n")
	}
	stmNum := len(b.objs) + 1
	offsets = append(offsets, out.Len())
	data := append(hdr.Bytes(), body.Bytes()...)
	fmt.Fprintf(&out, "%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Length %d >>\nstream\n%s\nendstream\nendobj\n",
		stmNum, len(index), hdr.Len(), len(data), data)
	xrefNum := stmNum + 1
	offsets = append(offsets, out.Len())
	var rows bytes.Buffer
	row := func(typ byte, a, c int) {
		rows.Write([]byte{typ, byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a), byte(c >> 8), byte(c)})
	}
	row(0, 0, 65535)
	for n := 1; n <= xrefNum; n++ {
		if i, ok := index[n]; ok {
			row(2, stmNum, i)
		} else {
			row(1, offsets[n], 0)
		}
	}
	xref := offsets[xrefNum]
	fmt.Fprintf(&out, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R %s /Length %d >>\nstream\n%s\nendstream\nendobj\n",
		xrefNum, xrefNum+1, root, extra, rows.Len(), rows.Bytes())
	fmt.Fprintf(&out, "startxref\n%d\n%%%%EOF\n", xref)
	return out.Bytes()
}

// pdfPage describes one page for buildPDF: its content program and the
// resources it names.
type testPage struct {
	content  string
	compress bool
	fonts    map[string]int // resource name -> font object
	xobjects map[string]int
}

// buildPages adds a page tree with the pages and a catalog, returning the
// catalog's number.
func (b *pdfBuilder) buildPages(tb testing.TB, pages ...testPage) int {
	tb.Helper()
	treeNum := b.add("") // filled in below, once the kids are known
	var kids []string
	for _, p := range pages {
		content := b.addStream(tb, "", []byte(p.content), p.compress)
		res := "<< /Font <<"
		for name, num := range p.fonts {
			res += fmt.Sprintf(" /%s %d 0 R", name, num)
		}
		res += " >> /XObject <<"
		for name, num := range p.xobjects {
			res += fmt.Sprintf(" /%s %d 0 R", name, num)
		}
		res += " >> >>"
		page := b.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>", treeNum, res, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	b.objs[treeNum-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	return b.add(fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", treeNum))
}

// helvetica adds a standard Type 1 font with WinAnsiEncoding.
func (b *pdfBuilder) helvetica() int {
	return b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
}

// pdfLiteral writes s as a PDF literal string in WinAnsiEncoding.
func pdfLiteral(tb testing.TB, s string) string {
	tb.Helper()
	enc, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatalf("encode %q: %v", s, err)
	}
	var out strings.Builder
	out.WriteByte('(')
	for _, c := range enc {
		switch {
		case c == '(' || c == ')' || c == '\\':
			out.WriteByte('\\')
			out.WriteByte(c)
		case c < 32 || c >= 127:
			fmt.Fprintf(&out, "\\%03o", c)
		default:
			out.WriteByte(c)
		}
	}
	out.WriteByte(')')
	return out.String()
}

// linesContent is a content program that shows each line below the last.
func linesContent(tb testing.TB, lines ...string) string {
	tb.Helper()
	var c strings.Builder
	c.WriteString("BT /F1 11 Tf 14 TL 72 720 Td\n")
	for i, line := range lines {
		if i > 0 {
			c.WriteString("T* ")
		}
		c.WriteString(pdfLiteral(tb, line) + " Tj\n")
	}
	c.WriteString("ET\n")
	return c.String()
}

// MustTextPDF returns a one-page PDF showing lines in Helvetica.
func MustTextPDF(tb testing.TB, compress bool, lines ...string) []byte {
	tb.Helper()
	var b pdfBuilder
	font := b.helvetica()
	root := b.buildPages(tb, testPage{content: linesContent(tb, lines...), compress: compress, fonts: map[string]int{"F1": font}})
	return b.bytes(root, "")
}

func mustZlib(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	if _, err := w.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// repeatedDeflate returns a raw deflate stream that expands to chunk repeated
// n times, while being only about n times the compressed size of chunk: the
// chunk is compressed once and its blocks are repeated, which deflate allows
// because each copy only refers back within itself. It builds gigabyte bombs
// in milliseconds.
func repeatedDeflate(tb testing.TB, chunk []byte, n int) []byte {
	tb.Helper()
	var one bytes.Buffer
	w, err := flate.NewWriter(&one, flate.BestCompression)
	if err != nil {
		tb.Fatal(err)
	}
	w.Write(chunk)
	w.Flush() // ends on a byte boundary with a non-final block
	var out bytes.Buffer
	for range n {
		out.Write(one.Bytes())
	}
	var end bytes.Buffer
	w2, _ := flate.NewWriter(&end, flate.BestCompression)
	w2.Close() // one final, empty block
	out.Write(end.Bytes())
	return out.Bytes()
}

// zipEntry is one file of a test archive. Raw entries are written as given,
// with the declared size and method, to forge headers.
type zipEntry struct {
	name     string
	data     []byte
	raw      bool
	declared uint64
}

// MustZip builds a zip archive of the entries.
func MustZip(tb testing.TB, entries ...zipEntry) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		var err error
		if e.raw {
			var w interface{ Write([]byte) (int, error) }
			w, err = zw.CreateRaw(&zip.FileHeader{
				Name: e.name, Method: zip.Deflate,
				CompressedSize64: uint64(len(e.data)), UncompressedSize64: e.declared,
			})
			if err == nil {
				_, err = w.Write(e.data)
			}
		} else {
			var w interface{ Write([]byte) (int, error) }
			w, err = zw.Create(e.name)
			if err == nil {
				_, err = w.Write(e.data)
			}
		}
		if err != nil {
			tb.Fatalf("zip %s: %v", e.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

const testContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
</Types>`

const testRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`

// wordXML wraps body in a WordprocessingML document element.
func wordXML(root, body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:` + root + ` xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml">` + body + `</w:` + root + `>`
}

// MustDOCX builds a Word document whose body is the given WordprocessingML,
// with an optional header part, plus extra entries.
func MustDOCX(tb testing.TB, body, header string, extra ...zipEntry) []byte {
	tb.Helper()
	entries := []zipEntry{
		{name: "[Content_Types].xml", data: []byte(testContentTypes)},
		{name: "_rels/.rels", data: []byte(testRels)},
		{name: "word/document.xml", data: []byte(wordXML("document", "<w:body>"+body+"</w:body>"))},
	}
	if header != "" {
		entries = append(entries, zipEntry{name: "word/header1.xml", data: []byte(wordXML("hdr", header))})
	}
	return MustZip(tb, append(entries, extra...)...)
}

// para is a WordprocessingML paragraph with one run of text.
func para(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

package resume

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"maps"
	"slices"
	"strings"
)

const (
	wordNS       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	wordStrictNS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	mcNS         = "http://schemas.openxmlformats.org/markup-compatibility/2006"
	docxTypes    = "application/vnd.openxmlformats-officedocument.wordprocessingml."
	docxMainType = docxTypes + "document.main+xml"
	odfMimeType  = "application/vnd.oasis.opendocument"

	maxXMLDepth      = 10_000
	maxContentTypes  = 1 << 20
	maxODFMimeLength = 100
)

var (
	errNotDOCX     = errors.New("docx: not a Word document")
	errODF         = errors.New("docx: an OpenDocument file")
	errDamagedZip  = errors.New("docx: damaged archive")
	errTooManyPart = errors.New("docx: too many entries")
	errXMLDepth    = errors.New("docx: XML nested too deeply")
)

// docxParts are the parts of a Word document that hold its text, in reading
// order: headers (where resumes often put the name), body, notes, footers.
type docxParts struct {
	headers, body, notes, footers []*zip.File
}

// openDOCX checks that data is a Word document within the limits before
// anything is decompressed: the entry count and the sizes the archive
// declares. What it actually expands to is checked again while reading.
func openDOCX(data []byte, lim Limits) (*docxParts, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if looksLikeDOCX(data) {
			return nil, errDamagedZip
		}
		return nil, errNotDOCX
	}
	if len(zr.File) > lim.MaxFiles {
		return nil, errTooManyPart
	}
	var declared uint64
	byName := map[string]*zip.File{}
	for _, f := range zr.File {
		if f.UncompressedSize64 > uint64(lim.MaxUncompressed) {
			return nil, errTooMuchData
		}
		if declared += f.UncompressedSize64; declared > uint64(lim.MaxUncompressed) {
			return nil, errTooMuchData
		}
		if _, dup := byName[f.Name]; !dup {
			byName[f.Name] = f
		}
	}
	ct, ok := byName["[Content_Types].xml"]
	if !ok {
		if isODF(byName["mimetype"]) {
			return nil, errODF
		}
		return nil, errNotDOCX
	}
	types, err := readContentTypes(ct)
	if err != nil {
		return nil, errDamagedZip
	}
	parts := &docxParts{}
	for _, name := range slices.Sorted(maps.Keys(types)) {
		f := byName[strings.TrimPrefix(name, "/")]
		if f == nil {
			continue
		}
		switch types[name] {
		case docxMainType:
			parts.body = append(parts.body, f)
		case docxTypes + "header+xml":
			parts.headers = append(parts.headers, f)
		case docxTypes + "footer+xml":
			parts.footers = append(parts.footers, f)
		case docxTypes + "footnotes+xml", docxTypes + "endnotes+xml":
			parts.notes = append(parts.notes, f)
		}
	}
	if len(parts.body) == 0 {
		for _, t := range types {
			if t == docxMainType {
				return nil, errDamagedZip // declared, but missing
			}
		}
		return nil, errNotDOCX
	}
	return parts, nil
}

// checkDOCX decompresses the parts that hold text, without parsing them, so
// an archive that lies about their sizes is refused when it is uploaded.
func checkDOCX(data []byte, lim Limits) error {
	parts, err := openDOCX(data, lim)
	if err != nil {
		return err
	}
	b := &budget{left: lim.MaxUncompressed}
	for _, group := range [][]*zip.File{parts.headers, parts.body, parts.notes, parts.footers} {
		for _, f := range group {
			rc, err := f.Open()
			if err != nil {
				return errDamagedZip
			}
			_, err = io.Copy(io.Discard, &budgetReader{ctx: context.Background(), r: rc, b: b})
			rc.Close()
			switch {
			case errors.Is(err, errTooMuchData):
				return err
			case err != nil:
				return errDamagedZip
			}
		}
	}
	return nil
}

// looksLikeDOCX reports whether a zip that cannot be opened names the parts
// of a Word document in its local headers: a damaged .docx, not another file.
func looksLikeDOCX(data []byte) bool {
	head := data[:min(len(data), 64<<10)]
	return bytes.HasPrefix(head, []byte("PK\x03\x04")) &&
		(bytes.Contains(head, []byte("word/")) || bytes.Contains(head, []byte("[Content_Types].xml")))
}

func isODF(f *zip.File) bool {
	if f == nil {
		return false
	}
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, maxODFMimeLength))
	return bytes.HasPrefix(b, []byte(odfMimeType))
}

// readContentTypes returns the content type of each part named in
// [Content_Types].xml.
func readContentTypes(f *zip.File) (map[string]string, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, maxContentTypes))
	types := map[string]string{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return types, nil
		}
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Override" {
			var name, typ string
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "PartName":
					name = a.Value
				case "ContentType":
					typ = a.Value
				}
			}
			if name != "" && len(types) < maxContentTypes/64 {
				types[name] = typ
			}
		}
	}
}

// docxText writes the text of a Word document to out.
func docxText(ctx context.Context, data []byte, lim Limits, out *sink) error {
	parts, err := openDOCX(data, lim)
	if err != nil {
		return err
	}
	b := &budget{left: lim.MaxUncompressed}
	write := func(files []*zip.File, dedupe bool) error {
		seen := map[string]bool{}
		for _, f := range files {
			part := &sink{max: out.max}
			err := docxPartText(ctx, f, b, part)
			if err != nil && !errors.Is(err, errSinkFull) {
				return err
			}
			text := strings.TrimSpace(part.b.String())
			if text == "" || dedupe && seen[text] {
				continue
			}
			seen[text] = true
			if err := out.WriteString(text + "\n\n"); err != nil {
				return err
			}
		}
		return nil
	}
	for _, group := range []struct {
		files  []*zip.File
		dedupe bool
	}{{parts.headers, true}, {parts.body, false}, {parts.notes, false}, {parts.footers, true}} {
		if err := write(group.files, group.dedupe); err != nil {
			return err
		}
	}
	return nil
}

// budgetReader charges what it reads to a budget, so an entry that expands
// past its declared size still stops at the limit.
type budgetReader struct {
	ctx context.Context
	r   io.Reader
	b   *budget
}

func (r *budgetReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := r.r.Read(p)
	if berr := r.b.take(n); berr != nil {
		return n, berr
	}
	return n, err
}

// docxPartText reads one WordprocessingML part as a stream: runs of text,
// tabs and breaks inside runs, and the ends of paragraphs and table cells.
// Alternate content is read once (its fallback copy is skipped), and text
// tracked as deleted or moved away is left out.
func docxPartText(ctx context.Context, f *zip.File, b *budget, out *sink) error {
	rc, err := f.Open()
	if err != nil {
		return errDamagedZip
	}
	defer rc.Close()
	dec := xml.NewDecoder(&budgetReader{ctx: ctx, r: rc, b: b})
	var stack []string
	skip, inText, cells := 0, false, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var se *xml.SyntaxError
			switch {
			case errors.As(err, &se) && out.b.Len() > 0:
				return nil // keep the text before the damage
			case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrAlgorithm):
				return errDamagedZip
			}
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack)+skip >= maxXMLDepth {
				return errXMLDepth
			}
			if skip > 0 {
				skip++
				continue
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, t.Name.Local)
			if t.Name.Space == mcNS && t.Name.Local == "Fallback" {
				skip = 1
				stack = stack[:len(stack)-1]
				continue
			}
			if t.Name.Space != wordNS && t.Name.Space != wordStrictNS {
				continue
			}
			var text string
			switch t.Name.Local {
			case "del", "moveFrom":
				skip = 1
				stack = stack[:len(stack)-1]
			case "t":
				inText = true
			case "tc":
				cells++
			case "tab":
				if parent == "r" {
					text = "\t"
				}
			case "br", "cr":
				text = "\n"
			case "noBreakHyphen":
				text = "-"
			}
			if err := out.WriteString(text); err != nil {
				return err
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if t.Name.Space != wordNS && t.Name.Space != wordStrictNS {
				continue
			}
			var text string
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				text = "\n"
				if cells > 0 {
					text = " " // a table row reads as one line
				}
			case "tr":
				text = "\n"
			case "tc":
				text = "\t"
				cells = max(0, cells-1)
			}
			if err := out.WriteString(text); err != nil {
				return err
			}
		case xml.CharData:
			if inText && skip == 0 {
				if err := out.WriteString(string(t)); err != nil {
					return err
				}
			}
		}
	}
}

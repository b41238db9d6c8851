package resume

import (
	"context"
	"crypto/rand"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// mustResumePDF returns a PDF of about 200 KB shaped like a real resume: a
// few pages of compressed text and, taking most of the bytes, an embedded
// font program that is carried along but never decoded.
func mustResumePDF(tb testing.TB, pages int) []byte {
	tb.Helper()
	var b pdfBuilder
	fontFile := make([]byte, 180<<10)
	rand.Read(fontFile)
	file := b.add(fmt.Sprintf("<< /Length %d /Length1 %d >>\nstream\n%s\nendstream", len(fontFile), len(fontFile), fontFile))
	desc := b.add(fmt.Sprintf("<< /Type /FontDescriptor /FontName /Body /Flags 32 /FontFile2 %d 0 R >>", file))
	font := b.add(fmt.Sprintf("<< /Type /Font /Subtype /TrueType /BaseFont /Body /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 126 /Widths [%s] /FontDescriptor %d 0 R >>",
		strings.Repeat("500 ", 95), desc))
	var ps []testPage
	for p := range pages {
		var lines []string
		for i := range 50 {
			lines = append(lines, fmt.Sprintf("Page %d line %d: designed, built and ran services in Go and PostgreSQL; led a team of %d.", p+1, i+1, i%9+2))
		}
		ps = append(ps, testPage{content: linesContent(tb, lines...), compress: true, fonts: map[string]int{"F1": font}})
	}
	root := b.buildPages(tb, ps...)
	return b.bytes(root, "")
}

func benchmarkExtractPDF(b *testing.B, lim Limits) {
	pdf := mustResumePDF(b, 3)
	b.SetBytes(int64(len(pdf)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Extract(context.Background(), PDF, pdf, lim); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractPDF measures the built-in reader on a 200 KB resume.
func BenchmarkExtractPDF(b *testing.B) { benchmarkExtractPDF(b, DefaultLimits()) }

// BenchmarkExtractPDFToText measures the same file through poppler's
// pdftotext, a process per file.
func BenchmarkExtractPDFToText(b *testing.B) {
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		b.Skip("pdftotext is not installed")
	}
	lim := DefaultLimits()
	lim.PDFToText = tool
	benchmarkExtractPDF(b, lim)
}

// BenchmarkValidatePDF measures the check made while a candidate applies.
func BenchmarkValidatePDF(b *testing.B) {
	pdf := mustResumePDF(b, 3)
	b.SetBytes(int64(len(pdf)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Validate(pdf, "cv.pdf"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractDOCX measures a three-page Word resume.
func BenchmarkExtractDOCX(b *testing.B) {
	var body strings.Builder
	for i := range 150 {
		body.WriteString(para(fmt.Sprintf("Line %d: designed, built and ran services in Go and PostgreSQL.", i)))
	}
	docx := MustDOCX(b, body.String(), para("Name Surname"))
	b.SetBytes(int64(len(docx)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Extract(context.Background(), DOCX, docx, DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}

package resume

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mustExtract extracts with the built-in readers only and fails the test on
// any error.
func mustExtract(tb testing.TB, kind Kind, data []byte) string {
	tb.Helper()
	text, err := Extract(context.Background(), kind, data, DefaultLimits())
	if err != nil {
		tb.Fatalf("Extract(%s): %v", kind, err)
	}
	return text
}

func TestExtractPDF(t *testing.T) {
	t.Run("ReadsLinesInOrder", func(t *testing.T) {
		pdf := MustTextPDF(t, false, "Ada Lovelace", "Analyst, London (1843)", "Notes on the Analytical Engine")
		got := mustExtract(t, PDF, pdf)
		want := "Ada Lovelace\nAnalyst, London (1843)\nNotes on the Analytical Engine"
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("text (-want +got):\n%s", diff)
		}
	})

	t.Run("ReadsCompressedContentAndAccents", func(t *testing.T) {
		pdf := MustTextPDF(t, true, "José Müller — Zürich", "Ça va, “quotes” and 50 €")
		got := mustExtract(t, PDF, pdf)
		want := "José Müller — Zürich\nÇa va, “quotes” and 50 €"
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("text (-want +got):\n%s", diff)
		}
	})

	t.Run("JoinsKernedLettersAndSeparatesSpacedWords", func(t *testing.T) {
		var b pdfBuilder
		font := b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 126 /Widths [" +
			strings.Repeat("556 ", 95) + "] >>")
		content := "BT /F1 12 Tf 72 700 Td [(W) 80 (ork) -700 (history)] TJ ET\n" +
			"BT /F1 12 Tf 72 680 Td (Go) Tj 30 0 Td (PostgreSQL) Tj ET\n"
		root := b.buildPages(t, testPage{content: content, fonts: map[string]int{"F1": font}})
		got := mustExtract(t, PDF, b.bytes(root, ""))
		if diff := cmp.Diff("Work history\nGo PostgreSQL", got); diff != "" {
			t.Errorf("text (-want +got):\n%s", diff)
		}
	})

	t.Run("ReadsType0FontThroughToUnicode", func(t *testing.T) {
		got := mustExtract(t, PDF, mustType0PDF(t))
		if diff := cmp.Diff("Łódf\n東京", got); diff != "" {
			t.Errorf("text (-want +got):\n%s", diff)
		}
	})

	t.Run("ReadsDifferencesEncoding", func(t *testing.T) {
		var b pdfBuilder
		font := b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Custom /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [1 /Eacute /fi /uni0141 /scaron /f_f] >> >>")
		root := b.buildPages(t, testPage{content: `BT /F1 12 Tf 72 700 Td (\001cole \002ne \003\004 o\005) Tj ET`, fonts: map[string]int{"F1": font}})
		got := mustExtract(t, PDF, b.bytes(root, ""))
		if diff := cmp.Diff("École fine Łš off", got); diff != "" {
			t.Errorf("text (-want +got):\n%s", diff)
		}
	})

	t.Run("ReadsObjectStreamsAndCrossReferenceStreams", func(t *testing.T) {
		var b pdfBuilder
		font := b.helvetica()
		root := b.buildPages(t, testPage{content: linesContent(t, "Packed objects"), compress: true, fonts: map[string]int{"F1": font}})
		b.pack(font, 1, root) // the font, the page tree and the catalog
		pdf := b.bytes(root, "")
		if bytes.Contains(pdf, []byte("/Type /Catalog")) && !bytes.Contains(pdf, []byte("/ObjStm")) {
			t.Fatal("the fixture did not pack the catalog")
		}
		if got := mustExtract(t, PDF, pdf); got != "Packed objects" {
			t.Errorf("text = %q, want %q", got, "Packed objects")
		}
	})

	t.Run("ReadsTextInFormXObjects", func(t *testing.T) {
		var b pdfBuilder
		font := b.helvetica()
		form := b.addStream(t, fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 500 100] /Resources << /Font << /F1 %d 0 R >> >>", font),
			[]byte(linesContent(t, "Inside a form")), true)
		content := linesContent(t, "Before the form") + "q 1 0 0 1 0 -100 cm /Fm1 Do Q\n"
		root := b.buildPages(t, testPage{content: content, fonts: map[string]int{"F1": font}, xobjects: map[string]int{"Fm1": form}})
		got := mustExtract(t, PDF, b.bytes(root, ""))
		if diff := cmp.Diff("Before the form\nInside a form", got); diff != "" {
			t.Errorf("text (-want +got):\n%s", diff)
		}
	})

	t.Run("SkipsInlineImageData", func(t *testing.T) {
		var b pdfBuilder
		font := b.helvetica()
		content := "q BI /W 4 /H 1 /BPC 8 /CS /G ID \x00(Tj]>>\xff EI Q\n" + linesContent(t, "After the image")
		root := b.buildPages(t, testPage{content: content, fonts: map[string]int{"F1": font}})
		if got := mustExtract(t, PDF, b.bytes(root, "")); got != "After the image" {
			t.Errorf("text = %q, want %q", got, "After the image")
		}
	})

	t.Run("SeparatesPagesWithABlankLine", func(t *testing.T) {
		var b pdfBuilder
		font := b.helvetica()
		fonts := map[string]int{"F1": font}
		root := b.buildPages(t,
			testPage{content: linesContent(t, "Page one"), fonts: fonts},
			testPage{content: linesContent(t, "Page two"), fonts: fonts})
		if got := mustExtract(t, PDF, b.bytes(root, "")); got != "Page one\n\nPage two" {
			t.Errorf("text = %q", got)
		}
	})

	t.Run("ReadsFileWithBrokenCrossReferenceTable", func(t *testing.T) {
		pdf := MustTextPDF(t, true, "Still readable")
		i := bytes.LastIndex(pdf, []byte("xref"))
		broken := append(bytes.Clone(pdf[:i]), []byte("xref\ngarbage\ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n999999\n%%EOF\n")...)
		if got := mustExtract(t, PDF, broken); got != "Still readable" {
			t.Errorf("text = %q, want %q", got, "Still readable")
		}
	})

	t.Run("ReadsATruncatedFileAsFarAsItGoes", func(t *testing.T) {
		var b pdfBuilder
		font := b.helvetica()
		root := b.buildPages(t, testPage{content: linesContent(t, "Before the cut"), compress: true, fonts: map[string]int{"F1": font}})
		pdf := b.bytes(root, "")
		// Cut before the catalog: no catalog, no cross-reference, no trailer.
		cut := pdf[:bytes.Index(pdf, []byte(fmt.Sprintf("%d 0 obj", root)))]
		if got := mustExtract(t, PDF, cut); got != "Before the cut" {
			t.Errorf("text = %q, want %q", got, "Before the cut")
		}
	})

	t.Run("UsesTheLatestIncrementalUpdate", func(t *testing.T) {
		var b pdfBuilder
		font := b.helvetica()
		root := b.buildPages(t, testPage{content: linesContent(t, "Old text"), fonts: map[string]int{"F1": font}})
		pdf := b.bytes(root, "")
		content := linesContent(t, "New text")
		// Object 3 is the first page's content stream; the update replaces it.
		update := fmt.Sprintf("3 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n", len(content), content)
		pdf = append(pdf, update...)
		pdf = append(pdf, fmt.Sprintf("trailer\n<< /Size %d /Root %d 0 R >>\n%%%%EOF\n", len(b.objs)+1, root)...)
		if got := mustExtract(t, PDF, pdf); got != "New text" {
			t.Errorf("text = %q, want %q", got, "New text")
		}
	})

	t.Run("ReadsAPDFMadeByChromium", func(t *testing.T) {
		data, err := os.ReadFile("testdata/cv-chromium.pdf")
		if err != nil {
			t.Fatal(err)
		}
		got := mustExtract(t, PDF, data)
		for _, line := range []string{
			"Marta Quiñones-Okafor",
			"Backend engineer · Lisbon, Portugal · marta@example.org",
			"Built a payments ledger in Go and PostgreSQL; cut settlement time by 40%.",
			"Portuguese, English, Français, Deutsch",
		} {
			if !strings.Contains(got, line+"\n") && !strings.HasSuffix(got, line) {
				t.Errorf("text lacks the line %q; got:\n%s", line, got)
			}
		}
	})

	t.Run("NotesAPDFWithoutText", func(t *testing.T) {
		var b pdfBuilder
		img := b.addStream(t, "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte{0, 255, 255, 0}, true)
		root := b.buildPages(t, testPage{content: "q 200 0 0 200 0 0 cm /Im1 Do Q", xobjects: map[string]int{"Im1": img}})
		_, err := Extract(context.Background(), PDF, b.bytes(root, ""), DefaultLimits())
		if !errors.Is(err, ErrNoText) {
			t.Errorf("err = %v, want ErrNoText", err)
		}
	})

	t.Run("NotesAnEncryptedPDF", func(t *testing.T) {
		_, err := Extract(context.Background(), PDF, mustEncryptedPDF(t), DefaultLimits())
		if !errors.Is(err, ErrEncrypted) {
			t.Errorf("err = %v, want ErrEncrypted", err)
		}
	})

	t.Run("RefusesADecompressionBomb", func(t *testing.T) {
		pdf := mustBombPDF(t, 1<<30)
		if len(pdf) > 2<<20 {
			t.Fatalf("the bomb itself is %d bytes", len(pdf))
		}
		// A small budget keeps the test quick; the default works the same way.
		_, err := Extract(context.Background(), PDF, pdf, Limits{MaxUncompressed: 8 << 20})
		if !errors.Is(err, ErrTooComplex) {
			t.Errorf("err = %v, want ErrTooComplex", err)
		}
	})

	t.Run("RefusesForgedHugeCounts", func(t *testing.T) {
		// Numbers that make naive readers allocate gigabytes or loop for ever.
		var b pdfBuilder
		font := b.helvetica()
		cmap := "4000000000 begincodespacerange endcodespacerange 4000000000 beginbfchar endbfchar\n" +
			"1 beginbfrange <0000> <FFFFFFFF> <0041> endbfrange"
		toUni := b.addStream(t, "", []byte(cmap), false)
		bad := b.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /ToUnicode %d 0 R /DescendantFonts [<< /W [0 4000000000 500 1 [1 2 3]] >>] >>", toUni))
		stm := b.addStream(t, "/Type /ObjStm /N 4000000000 /First 3", []byte("1 0 null"), false)
		_ = stm
		content := linesContent(t, "Survived") + "BT /F2 12 Tf 72 600 Td <00410042> Tj ET"
		root := b.buildPages(t, testPage{content: content, fonts: map[string]int{"F1": font, "F2": bad}})
		pdf := b.bytes(root, "")
		pdf = bytes.Replace(pdf, []byte("xref\n0 "), []byte("xref\n4000000000 1\n0000000000 65535 f \n0 "), 1)
		got := mustExtract(t, PDF, pdf)
		if !strings.HasPrefix(got, "Survived") {
			t.Errorf("text = %q, want it to start with %q", got, "Survived")
		}
	})
}

// mustType0PDF returns a PDF that shows two-byte codes in a composite font,
// mapped to text only by its /ToUnicode CMap: "Łódf" and "東京".
func mustType0PDF(tb testing.TB) []byte {
	tb.Helper()
	var b pdfBuilder
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"2 beginbfchar <0001> <0141> <0002> <00F3> endbfchar\n" +
		"2 beginbfrange <0003> <0005> <0064> <0010> <0011> [<6771> <4EAC>] endbfrange\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end\n"
	toUni := b.addStream(tb, "", []byte(cmap), true)
	desc := b.add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Test /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>")
	font := b.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", desc, toUni))
	content := "BT /F1 12 Tf 72 700 Td <0001000200030005> Tj 0 -20 Td <00100011> Tj ET"
	root := b.buildPages(tb, testPage{content: content, compress: true, fonts: map[string]int{"F1": font}})
	return b.bytes(root, "")
}

// mustEncryptedPDF returns a PDF whose trailer names an encryption dictionary.
func mustEncryptedPDF(tb testing.TB) []byte {
	tb.Helper()
	var b pdfBuilder
	font := b.helvetica()
	root := b.buildPages(tb, testPage{content: linesContent(tb, "Secret"), fonts: map[string]int{"F1": font}})
	enc := b.add("<< /Filter /Standard /V 2 /R 3 /Length 128 /P -1028 /O <" + strings.Repeat("ab", 32) + "> /U <" + strings.Repeat("cd", 32) + "> >>")
	return b.bytes(root, fmt.Sprintf("/Encrypt %d 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]", enc))
}

// mustBombPDF returns a PDF whose page content inflates to size bytes of
// spaces from a stream of about a thousandth of that.
func mustBombPDF(tb testing.TB, size int) []byte {
	tb.Helper()
	const chunk = 1 << 20
	deflate := repeatedDeflate(tb, bytes.Repeat([]byte(" "), chunk), size/chunk)
	data := append([]byte{0x78, 0x9c}, deflate...) // a zlib header; the checksum is never reached
	var b pdfBuilder
	content := b.add(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(data), data))
	tree := b.add("")
	page := b.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /Contents %d 0 R >>", tree, content))
	b.objs[tree-1] = fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page)
	root := b.add(fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	return b.bytes(root, "")
}

func TestGlyphText(t *testing.T) {
	tests := map[string]string{
		"Aacute": "Á", "idieresis": "ï", "scaron": "š", "zero": "0", "quoteright": "’",
		"uni00E9": "é", "uni00480069": "Hi", "u1F600": "😀", "f_f_i": "ffi", "a.sc": "a",
		"g123": "", "Aacuteacute": "", strings.Repeat("acute", 1000): "",
	}
	for name, want := range tests {
		if got := glyphText(name); got != want {
			t.Errorf("glyphText(%.20q) = %q, want %q", name, got, want)
		}
	}
}

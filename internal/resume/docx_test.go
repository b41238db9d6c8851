package resume

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mustZipBombDOCX returns a Word document whose body part expands to actual
// bytes of XML whitespace while its header declares declared bytes.
func mustZipBombDOCX(tb testing.TB, declared uint64, actual int) []byte {
	tb.Helper()
	const chunk = 1 << 20
	raw := repeatedDeflate(tb, bytes.Repeat([]byte(" "), chunk), actual/chunk)
	return MustZip(tb,
		zipEntry{name: "[Content_Types].xml", data: []byte(testContentTypes)},
		zipEntry{name: "_rels/.rels", data: []byte(testRels)},
		zipEntry{name: "word/document.xml", data: raw, raw: true, declared: declared},
	)
}

// mustManyEntriesDOCX returns a Word document with n entries in all.
func mustManyEntriesDOCX(tb testing.TB, n int) []byte {
	tb.Helper()
	entries := []zipEntry{
		{name: "[Content_Types].xml", data: []byte(testContentTypes)},
		{name: "word/document.xml", data: []byte(wordXML("document", "<w:body>"+para("Many")+"</w:body>"))},
	}
	for i := len(entries); i < n; i++ {
		entries = append(entries, zipEntry{name: fmt.Sprintf("word/media/image%d.png", i), data: []byte("x")})
	}
	return MustZip(tb, entries...)
}

func TestExtractDOCX(t *testing.T) {
	t.Run("ReadsParagraphsTabsAndBreaks", func(t *testing.T) {
		body := para("Grace Hopper") +
			`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>` +
			`<w:r><w:t>Rear admiral</w:t></w:r><w:r><w:tab/><w:t>1906</w:t><w:t xml:space="preserve"> – </w:t><w:t>1992</w:t></w:r>` +
			`<w:r><w:br/><w:t>COBOL &amp; compilers</w:t></w:r></w:p>`
		got := mustExtract(t, DOCX, MustDOCX(t, body, ""))
		want := "Grace Hopper\nRear admiral 1906 – 1992\nCOBOL & compilers"
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("text (-want +got):\n%s", diff)
		}
	})

	t.Run("ReadsTablesCellByCell", func(t *testing.T) {
		cell := func(s string) string { return "<w:tc>" + para(s) + "</w:tc>" }
		body := "<w:tbl><w:tr>" + cell("2019") + cell("Engineer") + "</w:tr><w:tr>" + cell("2021") + cell("Lead") + "</w:tr></w:tbl>"
		got := mustExtract(t, DOCX, MustDOCX(t, body, ""))
		if diff := cmp.Diff("2019 Engineer\n2021 Lead", got); diff != "" {
			t.Errorf("text (-want +got):\n%s", diff)
		}
	})

	t.Run("ReadsTextBoxesOnce", func(t *testing.T) {
		box := `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>` +
			para("Contact: lin@example.org") +
			`</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>` +
			para("Contact: lin@example.org") +
			`</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`
		got := mustExtract(t, DOCX, MustDOCX(t, para("Lin Wei")+box, ""))
		if diff := cmp.Diff("Lin Wei\nContact: lin@example.org", got); diff != "" {
			t.Errorf("text (-want +got):\n%s", diff)
		}
	})

	t.Run("LeavesOutDeletedText", func(t *testing.T) {
		body := `<w:p><w:r><w:t xml:space="preserve">Skills: </w:t></w:r>` +
			`<w:del w:id="1" w:author="x"><w:r><w:delText>COBOL</w:delText></w:r></w:del>` +
			`<w:moveFrom w:id="2" w:author="x"><w:r><w:t>moved away</w:t></w:r></w:moveFrom>` +
			`<w:ins w:id="3" w:author="x"><w:r><w:t>Go</w:t></w:r></w:ins></w:p>`
		if got := mustExtract(t, DOCX, MustDOCX(t, body, "")); got != "Skills: Go" {
			t.Errorf("text = %q, want %q", got, "Skills: Go")
		}
	})

	t.Run("PutsTheHeaderFirst", func(t *testing.T) {
		got := mustExtract(t, DOCX, MustDOCX(t, para("Experience"), para("Amara Okoye")))
		if got != "Amara Okoye\n\nExperience" {
			t.Errorf("text = %q", got)
		}
	})

	t.Run("KeepsTextBeforeDamagedXML", func(t *testing.T) {
		broken := strings.TrimSuffix(wordXML("document", "<w:body>"+para("Kept")+"<w:p><w:r><w:t>cut"), "</w:document>")
		docx := MustZip(t,
			zipEntry{name: "[Content_Types].xml", data: []byte(testContentTypes)},
			zipEntry{name: "word/document.xml", data: []byte(broken)},
		)
		if got := mustExtract(t, DOCX, docx); got != "Kept\ncut" {
			t.Errorf("text = %q, want %q", got, "Kept\ncut")
		}
	})

	t.Run("RefusesZipBombByDeclaredSize", func(t *testing.T) {
		_, err := Extract(context.Background(), DOCX, mustZipBombDOCX(t, 1<<30, 1<<30), DefaultLimits())
		if !errors.Is(err, ErrTooComplex) {
			t.Errorf("err = %v, want ErrTooComplex", err)
		}
	})

	t.Run("StopsZipBombThatUnderstatesItsSize", func(t *testing.T) {
		bomb := mustZipBombDOCX(t, 1<<10, 1<<30)
		if len(bomb) > 2<<20 {
			t.Fatalf("the bomb itself is %d bytes", len(bomb))
		}
		// The archive reader stops at the declared size, so the lie is damage.
		if _, err := Validate(bomb, "cv.docx"); !errors.Is(err, ErrDamaged) {
			t.Errorf("Validate: err = %v, want ErrDamaged", err)
		}
		_, err := Extract(context.Background(), DOCX, bomb, DefaultLimits())
		if !errors.Is(err, ErrDamaged) {
			t.Errorf("Extract: err = %v, want ErrDamaged", err)
		}
	})

	t.Run("StopsAtTheUncompressedBudget", func(t *testing.T) {
		bomb := mustZipBombDOCX(t, 8<<20, 8<<20)
		_, err := Extract(context.Background(), DOCX, bomb, Limits{MaxUncompressed: 1 << 20})
		if !errors.Is(err, ErrTooComplex) {
			t.Errorf("err = %v, want ErrTooComplex", err)
		}
	})

	t.Run("RefusesTooManyEntries", func(t *testing.T) {
		_, err := Extract(context.Background(), DOCX, mustManyEntriesDOCX(t, 1001), DefaultLimits())
		if !errors.Is(err, ErrTooComplex) {
			t.Errorf("err = %v, want ErrTooComplex", err)
		}
	})

	t.Run("NeverOpensNestedArchives", func(t *testing.T) {
		// An embedded spreadsheet is a zip inside the zip; here it is a bomb.
		// It is never opened, so it costs nothing and the resume is read.
		nested := mustZipBombDOCX(t, 1<<30, 1<<30)
		docx := MustDOCX(t, para("Has an embedded object"), "", zipEntry{name: "word/embeddings/sheet.xlsx", data: nested})
		if _, err := Validate(docx, "cv.docx"); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		if got := mustExtract(t, DOCX, docx); got != "Has an embedded object" {
			t.Errorf("text = %q", got)
		}
	})

	t.Run("RefusesDeeplyNestedXML", func(t *testing.T) {
		deep := strings.Repeat("<w:p>", 20000) + strings.Repeat("</w:p>", 20000)
		_, err := Extract(context.Background(), DOCX, MustDOCX(t, deep, ""), DefaultLimits())
		if !errors.Is(err, ErrTooComplex) {
			t.Errorf("err = %v, want ErrTooComplex", err)
		}
	})

	t.Run("NotesAZipThatIsNotWord", func(t *testing.T) {
		_, err := Extract(context.Background(), DOCX, MustZip(t, zipEntry{name: "a.txt", data: []byte("a")}), DefaultLimits())
		if !errors.Is(err, ErrUnsupported) {
			t.Errorf("err = %v, want ErrUnsupported", err)
		}
	})
}

package resume

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"hireloop/internal/hiring"
)

// fuzzLimits keep each input cheap, so the fuzzer explores rather than
// decompresses.
var fuzzLimits = Limits{MaxText: 4 << 10, Timeout: 2 * time.Second, MaxUncompressed: 4 << 20, MaxFiles: 50}

// fuzzExtract runs the reader for kind without Extract's recover, so that a
// panic fails the fuzzer, and checks what any extracted text must be.
func fuzzExtract(t *testing.T, kind Kind, data []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), fuzzLimits.Timeout)
	defer cancel()
	text, err := extract(ctx, kind, data, fuzzLimits.orDefaults())
	if err != nil && text != "" {
		t.Fatalf("text %q returned with error %v", text, err)
	}
	if len(text) > fuzzLimits.MaxText {
		t.Fatalf("text is %d bytes, over the limit %d", len(text), fuzzLimits.MaxText)
	}
	if !utf8.ValidString(text) {
		t.Fatalf("text is not valid UTF-8: %q", text)
	}
	for _, r := range text {
		if r != '\n' && unicode.IsControl(r) {
			t.Fatalf("text holds control character %U: %q", r, text)
		}
	}
}

func pdfSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	chromium, err := os.ReadFile("testdata/cv-chromium.pdf")
	if err != nil {
		tb.Fatal(err)
	}
	text := MustTextPDF(tb, false, "Ada Lovelace", "José — Zürich")
	return [][]byte{
		text,
		MustTextPDF(tb, true, "Compressed"),
		text[:len(text)/2],
		mustType0PDF(tb),
		mustEncryptedPDF(tb),
		mustBombPDF(tb, 8<<20),
		chromium,
	}
}

func FuzzExtractPDF(f *testing.F) {
	for _, s := range pdfSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzExtract(t, PDF, data) })
}

// FuzzExtractDOCX varies the body part of a well-formed archive, where the
// fuzzer reaches the XML reader instead of failing checksums.
func FuzzExtractDOCX(f *testing.F) {
	for _, s := range []string{
		"<w:body>" + para("Grace Hopper") + "</w:body>",
		`<w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t><w:tab/></w:r></w:p></w:tc></w:tr></w:tbl></w:body>`,
		`<w:body><mc:AlternateContent><mc:Choice/><mc:Fallback>` + para("x") + `</mc:Fallback></mc:AlternateContent></w:body>`,
		`<w:body><w:p><w:r><w:t>unclosed`,
		`<!DOCTYPE x [<!ENTITY a "aaaa">]><w:body>&a;</w:body>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		docx := MustZip(t,
			zipEntry{name: "[Content_Types].xml", data: []byte(testContentTypes)},
			zipEntry{name: "word/document.xml", data: []byte(wordXML("document", body))},
		)
		fuzzExtract(t, DOCX, docx)
	})
}

func FuzzExtractRTF(f *testing.F) {
	for _, s := range []string{
		`{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 Ren\'e9e\par\tab x\line y}`,
		`{\rtf1\uc2\u8212\'97\'97 dash \u-10179?\u-8576?}`,
		`{\rtf1{\*\shpinst{\sp{\sn a}{\sv b}}{\shptxt boxed}}\bin5 {}{}x}`,
		`{\rtf1\ansicpg1251 \'cf\'e5\'f2\'f0}`,
		`{\rtf1 ` + string(bytes.Repeat([]byte("{"), 300)) + `deep}`,
		`\`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzExtract(t, RTF, data) })
}

func FuzzExtractTXT(f *testing.F) {
	for _, s := range []string{"Zoë\r\nÅngström", "\xEF\xBB\xBFbom", "\xFF\xFEa\x00b\x00", "Jos\xe9", "a\x00b", "\x01\x02\x03"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzExtract(t, TXT, data) })
}

// FuzzValidate checks that any upload gets a kind or a message for people,
// never a panic or an internal error.
func FuzzValidate(f *testing.F) {
	for _, s := range pdfSeeds(f) {
		f.Add(s, "cv.pdf")
	}
	f.Add(MustDOCX(f, para("Resume"), para("Header")), "cv.docx")
	f.Add(mustZipBombDOCX(f, 1<<30, 64<<20), "cv.docx")
	f.Add(MustZip(f, zipEntry{name: "mimetype", data: []byte("application/vnd.oasis.opendocument.text")}), "cv.odt")
	f.Add(pngHeader, "cv.pdf")
	f.Add([]byte(`{\rtf1 x}`), "cv.rtf")
	f.Add([]byte("plain"), "cv.txt")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		kind, err := Validate(data, name)
		if err != nil {
			if kind != "" {
				t.Fatalf("kind %q returned with error %v", kind, err)
			}
			if msg := hiring.ErrorMessage(err); msg == "" || msg == "Internal error." {
				t.Fatalf("error without a message for people: %v", err)
			}
			return
		}
		if kind.Ext() == "" {
			t.Fatalf("unknown kind %q accepted", kind)
		}
	})
}

package resume

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"hireloop/internal/hiring"

	"github.com/google/go-cmp/cmp"
)

// pngHeader is the start of a real PNG file: signature and IHDR chunk.
var pngHeader = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa")

func TestValidate(t *testing.T) {
	accepted := []struct {
		name     string
		data     []byte
		filename string
		want     Kind
	}{
		{"AcceptsPDF", MustTextPDF(t, true, "Resume"), "cv.pdf", PDF},
		{"AcceptsPDFWithJunkBeforeTheHeader", append([]byte("\r\n\r\n"), MustTextPDF(t, false, "Resume")...), "cv.pdf", PDF},
		{"AcceptsDOCX", MustDOCX(t, para("Resume"), ""), "cv.docx", DOCX},
		{"AcceptsRTF", []byte(`{\rtf1\ansi Resume\par}`), "cv.rtf", RTF},
		{"AcceptsUTF8Text", []byte("Zoë Ångström\nBerlin\n"), "cv.txt", TXT},
		{"AcceptsLatin1Text", []byte("Jos\xe9 Garc\xeda\nM\xe1laga\n"), "cv.txt", TXT},
		{"DecidesByContentNotName", MustDOCX(t, para("Resume"), ""), "cv.pdf", DOCX},
		{"AcceptsAFileWithoutExtension", []byte("Plain resume"), "resume", TXT},
	}
	for _, tc := range accepted {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Validate(tc.data, tc.filename)
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if got != tc.want {
				t.Errorf("kind = %q, want %q", got, tc.want)
			}
		})
	}

	truncated := MustTextPDF(t, true, "Resume")
	truncated = truncated[:bytes.Index(truncated, []byte("1 0 obj"))+10]
	refused := []struct {
		name     string
		data     []byte
		filename string
		is       error
		code     string
		says     string // part of the message the candidate sees
	}{
		{"RefusesEmptyFile", nil, "cv.pdf", ErrEmpty, hiring.EINVALID, "empty"},
		{"RefusesFileOverTenMegabytes", bytes.Repeat([]byte("a"), MaxSize+1), "cv.txt", ErrTooLarge, hiring.ETOOLARGE, "10 MB"},
		{"RefusesPNGNamedPDF", pngHeader, "resume.pdf", ErrUnsupported, hiring.EINVALID, "ends in .pdf, but its content is not a PDF"},
		{"RefusesPNGAsAnImage", pngHeader, "me.png", ErrUnsupported, hiring.EINVALID, "image"},
		{"RefusesOldWordDocuments", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 500)...), "cv.doc", ErrUnsupported, hiring.EINVALID, ".doc"},
		{"RefusesOpenDocument", MustZip(t, zipEntry{name: "mimetype", data: []byte("application/vnd.oasis.opendocument.text")}, zipEntry{name: "content.xml", data: []byte("<x/>")}), "cv.odt", ErrUnsupported, hiring.EINVALID, "OpenDocument"},
		{"RefusesZipThatIsNotWord", MustZip(t, zipEntry{name: "cv.txt", data: []byte("hello")}), "cv.zip", ErrUnsupported, hiring.EINVALID, "not a PDF, Word"},
		{"RefusesBinaryData", []byte{1, 2, 3, 0, 5, 6, 7, 8, 9}, "cv.bin", ErrUnsupported, hiring.EINVALID, "not a PDF, Word"},
		{"RefusesEncryptedPDF", mustEncryptedPDF(t), "cv.pdf", ErrEncrypted, hiring.EINVALID, "without a password"},
		{"RefusesTruncatedPDF", truncated, "cv.pdf", ErrDamaged, hiring.EINVALID, "damaged"},
		{"RefusesTruncatedDOCX", MustDOCX(t, para("Resume"), "")[:200], "cv.docx", ErrDamaged, hiring.EINVALID, "damaged"},
		{"RefusesZipBombByDeclaredSize", mustZipBombDOCX(t, 1<<30, 1<<30), "cv.docx", ErrTooComplex, hiring.EINVALID, "expands"},
		{"RefusesTooManyEntries", mustManyEntriesDOCX(t, 1001), "cv.docx", ErrTooComplex, hiring.EINVALID, "expands"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			kind, err := Validate(tc.data, tc.filename)
			if !errors.Is(err, tc.is) {
				t.Fatalf("Validate = %q, %v; want %v", kind, err, tc.is)
			}
			if kind != "" {
				t.Errorf("kind = %q alongside an error", kind)
			}
			if code := hiring.ErrorCode(err); code != tc.code {
				t.Errorf("code = %q, want %q", code, tc.code)
			}
			if msg := hiring.ErrorMessage(err); !strings.Contains(msg, tc.says) {
				t.Errorf("message %q does not say %q", msg, tc.says)
			}
		})
	}
}

// TestCheckPDFLimits checks PDFs that would take a naive reader very long.
// They are checked without Validate's deadline, which lets a file through
// when the check runs out of time, so that the result does not depend on the
// speed of the machine.
func TestCheckPDFLimits(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		// Each broken object runs to the end of the file: parsed one by one,
		// that is quadratic, and the reader stops instead.
		{"RefusesObjectsThatNeverEnd", mustNestedObjectsPDF(100_000)},
		{"RefusesTooManyValues", append([]byte("%PDF-1.4\n1 0 obj ["), bytes.Repeat([]byte("0 "), maxPDFCells+1)...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkPDF(context.Background(), tc.data, DefaultLimits())
			if !errors.Is(err, ErrTooComplex) {
				t.Fatalf("err = %v, want ErrTooComplex", err)
			}
			if msg := hiring.ErrorMessage(err); !strings.Contains(msg, "expands") {
				t.Errorf("message %q", msg)
			}
		})
	}
}

// mustNestedObjectsPDF returns n objects, each an array holding a string that
// contains all the following objects and ends with the file.
func mustNestedObjectsPDF(n int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	b.Write(bytes.Repeat([]byte("1 0 obj [("), n))
	b.Write(bytes.Repeat([]byte(")"), n))
	b.WriteString(" 9 0 obj\n")
	return b.Bytes()
}

func TestExtractLimits(t *testing.T) {
	t.Run("StopsWhenTheContextIsAlreadyCancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Extract(ctx, TXT, []byte("text"), DefaultLimits())
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if errors.Is(err, ErrTimeout) || errors.Is(err, ErrUnreadable) {
			t.Errorf("a cancelled caller got a note about the file: %v", err)
		}
	})

	t.Run("StopsAtTheTimeout", func(t *testing.T) {
		// A gigabyte to inflate with no budget to stop it: only the timeout can.
		lim := Limits{Timeout: 20 * time.Millisecond, MaxUncompressed: 1 << 40}
		_, err := Extract(context.Background(), PDF, mustBombPDF(t, 1<<30), lim)
		if !errors.Is(err, ErrTimeout) {
			t.Errorf("err = %v, want ErrTimeout", err)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v does not keep its cause", err)
		}
	})

	t.Run("CutsTextAtMaxTextOnACharacterBoundary", func(t *testing.T) {
		long := strings.Repeat("Grüße ", 1000)
		got, err := Extract(context.Background(), TXT, []byte(long), Limits{MaxText: 1001})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > 1001 || len(got) < 990 {
			t.Errorf("len = %d, want just under 1001", len(got))
		}
		if !utf8.ValidString(got) || !strings.HasPrefix(long, got) {
			t.Errorf("cut text is not a valid prefix: %q", got[len(got)-10:])
		}
	})

	t.Run("RefusesUnknownKind", func(t *testing.T) {
		_, err := Extract(context.Background(), Kind("exe"), []byte("MZ"), DefaultLimits())
		if !errors.Is(err, ErrUnsupported) {
			t.Errorf("err = %v, want ErrUnsupported", err)
		}
	})

	t.Run("RefusesOversizeInput", func(t *testing.T) {
		_, err := Extract(context.Background(), TXT, make([]byte, MaxSize+1), DefaultLimits())
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("err = %v, want ErrTooLarge", err)
		}
	})

	t.Run("NotesContentOfTheWrongKind", func(t *testing.T) {
		_, err := Extract(context.Background(), PDF, pngHeader, DefaultLimits())
		if !errors.Is(err, ErrUnsupported) {
			t.Errorf("err = %v, want ErrUnsupported", err)
		}
		if msg := hiring.ErrorMessage(err); strings.Contains(msg, "pdf:") {
			t.Errorf("message shows internal detail: %q", msg)
		}
	})
}

func TestExtractText(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"ReadsUTF8", []byte("Zoë Ångström\r\nBerlin\r\n"), "Zoë Ångström\nBerlin"},
		{"DropsTheByteOrderMark", []byte("\xEF\xBB\xBFName"), "Name"},
		{"ReadsUTF16WithByteOrderMark", []byte("\xFF\xFEN\x00a\x00\xEF\x00v\x00e\x00"), "Naïve"},
		{"ConvertsLatin1", []byte("Jos\xe9 Garc\xeda, M\xe1laga"), "José García, Málaga"},
		{"ConvertsWindows1252Quotes", []byte("\x93quoted\x94 \x96 dash"), "“quoted” – dash"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := mustExtract(t, TXT, tc.data); got != tc.want {
				t.Errorf("text = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("NotesBinaryData", func(t *testing.T) {
		_, err := Extract(context.Background(), TXT, []byte("ab\x00cd"), DefaultLimits())
		if !errors.Is(err, ErrUnsupported) {
			t.Errorf("err = %v, want ErrUnsupported", err)
		}
	})
	t.Run("NotesWhitespaceOnly", func(t *testing.T) {
		_, err := Extract(context.Background(), TXT, []byte(" \n\t \n"), DefaultLimits())
		if !errors.Is(err, ErrNoText) {
			t.Errorf("err = %v, want ErrNoText", err)
		}
	})
}

func TestExtractRTF(t *testing.T) {
	doc := `{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Helvetica;}{\f1 Symbol;}}
{\colortbl;\red0\green0\blue0;}
{\*\generator Hand 1.0;}{\info{\title Hidden title}{\author Someone}}
{\stylesheet{\s1 Heading 1;}}
\pard\plain\f0\fs28 Ren\'e9e O\'92Brien\par
\fs20 Engineer\tab Paris\line Lyon\par
{\pict\pngblip 89504e470d0a1a0a}
\uc1\u8212\'97 em dash, \u20013?\u25991? Chinese\par
{\field{\*\fldinst HYPERLINK "https://example.org"}{\fldrslt example.org}}\par
Escaped \{braces\} and \\backslash\par
}`
	want := "Renée O’Brien\nEngineer Paris\nLyon\n— em dash, 中文 Chinese\nexample.org\nEscaped {braces} and \\backslash"
	t.Run("ReadsTextAndSkipsTables", func(t *testing.T) {
		got := mustExtract(t, RTF, []byte(doc))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("text (-want +got):\n%s", diff)
		}
	})
	t.Run("UsesTheDeclaredCodePage", func(t *testing.T) {
		got := mustExtract(t, RTF, []byte(`{\rtf1\ansi\ansicpg1251 \'cf\'e5\'f2\'f0 \'c8\'e2\'e0\'ed\'ee\'e2\par}`))
		if got != "Петр Иванов" {
			t.Errorf("text = %q, want %q", got, "Петр Иванов")
		}
	})
	t.Run("CombinesSurrogatePairs", func(t *testing.T) {
		got := mustExtract(t, RTF, []byte(`{\rtf1 Rocket \u-10179?\u-8576?\par}`))
		if got != "Rocket 🚀" {
			t.Errorf("text = %q, want %q", got, "Rocket 🚀")
		}
	})
	t.Run("SurvivesDeepNesting", func(t *testing.T) {
		deep := `{\rtf1 Top ` + strings.Repeat("{", 100000) + "deep" + strings.Repeat("}", 100000) + `}`
		if got := mustExtract(t, RTF, []byte(deep)); got != "Top deep" {
			t.Errorf("text = %q, want %q", got, "Top deep")
		}
	})
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
		max            int
	}{
		{"CollapsesSpaces", "a  \t b\u00a0\u2003c", "a b c", 100},
		{"KeepsLineBreaksAndOneBlankLine", "a\n\n\n\nb\r\nc\rd", "a\n\nb\nc\nd", 100},
		{"TrimsLines", "  a  \n   b  ", "a\nb", 100},
		{"DropsControlAndFormatCharacters", "a\x00b\x07c\u200bd\u00ade\ufeff", "abcde", 100},
		{"DropsInvalidUTF8", "a\xffb\xc3", "ab", 100},
		{"DropsPrivateUseGlyphs", "a\ue000b", "ab", 100},
		{"CutsOnACharacterBoundary", "ééé", "é", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in, tc.max); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestKind(t *testing.T) {
	for _, k := range []Kind{PDF, DOCX, TXT, RTF} {
		if k.Ext() == "" || k.ContentType() == "application/octet-stream" {
			t.Errorf("%q has no extension or content type", k)
		}
	}
	if Kind("exe").Ext() != "" || Kind("exe").ContentType() != "application/octet-stream" {
		t.Error("an unknown kind is given a type")
	}
}

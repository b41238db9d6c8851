package resume

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// mustPDFToText returns the path of pdftotext, skipping the test where it is
// not installed, except in CI, which installs it and must test it.
func mustPDFToText(tb testing.TB) string {
	tb.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		tb.Fatalf("pdftotext is not installed (Debian package poppler-utils; scripts/test installs it): %v", err)
	}
	return tool
}

func TestExtractWithPDFToText(t *testing.T) {
	tool := mustPDFToText(t)
	lim := DefaultLimits()
	lim.PDFToText = tool

	t.Run("ReadsAPDFMadeByChromium", func(t *testing.T) {
		data, err := os.ReadFile("testdata/cv-chromium.pdf")
		if err != nil {
			t.Fatal(err)
		}
		got, err := Extract(context.Background(), PDF, data, lim)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range []string{"Marta Quiñones-Okafor", "Portuguese, English, Français, Deutsch"} {
			if !strings.Contains(got, line) {
				t.Errorf("text lacks %q; got:\n%s", line, got)
			}
		}
	})

	t.Run("AgreesWithTheBuiltInReader", func(t *testing.T) {
		pdf := MustTextPDF(t, true, "Ada Lovelace", "José Müller — Zürich", "Work history")
		withTool, err := Extract(context.Background(), PDF, pdf, lim)
		if err != nil {
			t.Fatal(err)
		}
		if builtIn := mustExtract(t, PDF, pdf); withTool != builtIn {
			t.Errorf("pdftotext read %q, the built-in reader %q", withTool, builtIn)
		}
	})

	t.Run("FallsBackWhenTheToolIsMissing", func(t *testing.T) {
		missing := lim
		missing.PDFToText = "/nonexistent/pdftotext"
		got, err := Extract(context.Background(), PDF, MustTextPDF(t, false, "Fallback"), missing)
		if err != nil || got != "Fallback" {
			t.Errorf("Extract = %q, %v; want the built-in reader's text", got, err)
		}
	})

	t.Run("CapsTheToolOutput", func(t *testing.T) {
		capped := lim
		capped.MaxText = 100
		got, err := Extract(context.Background(), PDF, mustResumePDF(t, 3), capped)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > 100 || !strings.HasPrefix(got, "Page 1 line 1") {
			t.Errorf("text = %q, want at most 100 bytes of the first page", got)
		}
	})

	t.Run("StopsWhenCancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Extract(ctx, PDF, MustTextPDF(t, false, "x"), lim)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})

	t.Run("NotesAnEncryptedPDF", func(t *testing.T) {
		_, err := Extract(context.Background(), PDF, mustEncryptedPDF(t), lim)
		if !errors.Is(err, ErrEncrypted) {
			t.Errorf("err = %v, want ErrEncrypted", err)
		}
	})
}

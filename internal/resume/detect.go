package resume

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"time"
)

// Messages for candidates that say more than the generic error they wrap.
const (
	msgImage   = "This file is an image. Please upload your resume as a PDF, Word (.docx), plain text or RTF document."
	msgOldWord = "Older Word documents (.doc) are not accepted. Please save yours as .docx or PDF and upload that."
	msgODF     = "OpenDocument files (.odt) are not accepted. Please save yours as PDF or Word (.docx) and upload that."
	msgDamaged = "This file appears to be damaged or incomplete. Please save or export it again and upload the new copy."
)

// Validate checks an upload for the application form. It refuses, with a
// message for the candidate, what is clearly not an acceptable resume: an
// empty file, one over MaxSize, a type other than PDF, DOCX, plain text or
// RTF (decided by content, so "photo.png" renamed "resume.pdf" is refused),
// an encrypted PDF, a file too damaged to find its pages or parts, and an
// archive that declares more data than the limits allow. The file name only
// makes a message more precise. A file that passes may still turn out to be
// unreadable later; Extract then returns a note and the file is kept.
func Validate(data []byte, filename string) (Kind, error) {
	kind, err := Detect(data)
	if err == nil {
		return kind, nil
	}
	if errors.Is(err, ErrUnsupported) {
		ext := strings.ToLower(filepath.Ext(filename))
		if claimed := Kind(strings.TrimPrefix(ext, ".")); claimed.Ext() != "" {
			return "", specific(fmt.Sprintf(
				"This file’s name ends in %s, but its content is not a %s document. Please upload a PDF, Word (.docx), plain text or RTF document.",
				ext, claimed.label()), ErrUnsupported)
		}
	}
	return "", err
}

func (k Kind) label() string {
	switch k {
	case PDF:
		return "PDF"
	case DOCX:
		return "Word (.docx)"
	case TXT:
		return "plain text"
	case RTF:
		return "RTF"
	}
	return string(k)
}

// Detect returns the kind of a resume from its content alone, or an error
// with a message for people. It reads the structure of PDFs and archives
// (bounded by DefaultLimits) but extracts no text.
func Detect(data []byte) (Kind, error) {
	lim := DefaultLimits()
	switch {
	case len(data) == 0:
		return "", ErrEmpty
	case len(data) > MaxSize:
		return "", ErrTooLarge
	}
	if at := pdfHeaderAt(data); at == 0 || at > 0 && bytes.Contains(data, []byte("endobj")) {
		ctx, cancel := context.WithTimeout(context.Background(), min(lim.Timeout, validateTimeout))
		defer cancel()
		if err := checkPDF(ctx, data, lim); err != nil {
			return "", err
		}
		return PDF, nil
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")) {
		err := checkDOCX(data, lim)
		switch {
		case err == nil:
			return DOCX, nil
		case errors.Is(err, errODF):
			return "", specific(msgODF, ErrUnsupported)
		case errors.Is(err, errDamagedZip):
			return "", specific(msgDamaged, ErrDamaged)
		case errors.Is(err, errTooMuchData), errors.Is(err, errTooManyPart):
			return "", fmt.Errorf("%w: %w", ErrTooComplex, err)
		}
		return "", ErrUnsupported
	}
	if bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
		return "", specific(msgOldWord, ErrUnsupported)
	}
	if bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), " \t\r\n"), []byte(`{\rtf`)) {
		return RTF, nil
	}
	if strings.HasPrefix(http.DetectContentType(data), "image/") {
		return "", specific(msgImage, ErrUnsupported)
	}
	if _, ok := decodePlain(data); ok {
		return TXT, nil
	}
	return "", ErrUnsupported
}

// validateTimeout bounds the structural check of a PDF while a candidate
// waits; it takes well under a millisecond for real resumes.
const validateTimeout = 5 * time.Second

// checkPDF refuses encrypted PDFs and PDFs in which no page can be found. A
// PDF whose check does not finish before ctx ends is let through: Extract
// will decide, with its own bounds, in the background.
func checkPDF(ctx context.Context, data []byte, lim Limits) error {
	doc, err := loadPDF(ctx, data, &budget{left: lim.MaxUncompressed})
	switch {
	case ctx.Err() != nil:
		return nil
	case errors.Is(err, errTooMuchData), errors.Is(err, errPDFTooMany):
		return fmt.Errorf("%w: %w", ErrTooComplex, err)
	case err != nil:
		return specific(msgDamaged, ErrDamaged)
	case doc.encrypted:
		return ErrEncrypted
	case len(doc.pages()) == 0:
		return specific(msgDamaged, ErrDamaged)
	}
	return nil
}

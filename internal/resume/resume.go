// Package resume recognises the files candidates upload as resumes and reads
// their text for search.
//
// Uploads are hostile until proven otherwise. The kind of a file is decided
// by its content, never by its name. Reading is bounded: in time (a
// deadline), in memory (every decompressed byte is counted against a budget,
// and every structure a file declares has a ceiling), and in output (the
// text is capped). Nothing here panics on bad input, and no third-party
// parser that could crash the process on a crafted file is used: PDF, DOCX
// and RTF are read by small readers written for this package, and poppler's
// pdftotext, when configured, runs as a separate process with its own limits.
package resume

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hireloop/internal/hiring"
)

// Kind is a resume file format, decided from the file's content.
type Kind string

// The accepted kinds of resume.
const (
	PDF  Kind = "pdf"
	DOCX Kind = "docx"
	TXT  Kind = "txt"
	RTF  Kind = "rtf"
)

// ContentType is the media type to serve a stored resume with; it comes from
// the detected kind, never from what the uploader claimed.
func (k Kind) ContentType() string {
	switch k {
	case PDF:
		return "application/pdf"
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case TXT:
		return "text/plain; charset=utf-8"
	case RTF:
		return "application/rtf"
	}
	return "application/octet-stream"
}

// Ext is the file name extension for a download of a resume of this kind.
func (k Kind) Ext() string {
	switch k {
	case PDF, DOCX, TXT, RTF:
		return "." + string(k)
	}
	return ""
}

// MaxSize is the largest resume accepted, in bytes. Messages to candidates
// state it.
const MaxSize = 10 << 20

// Limits bound the work of reading one resume. Zero fields take the value of
// DefaultLimits.
type Limits struct {
	// MaxText is the most text kept, in bytes; longer text is cut.
	MaxText int
	// Timeout stops reading a file that takes longer.
	Timeout time.Duration
	// MaxUncompressed is the most a file may expand to, in bytes, counting
	// every decompressed part: a larger file is refused as a bomb.
	MaxUncompressed int64
	// MaxFiles is the most entries a DOCX archive may hold.
	MaxFiles int
	// PDFToText is the path of poppler's pdftotext, as main finds it with
	// exec.LookPath. When set, it reads PDFs first (its layout analysis is
	// better) in a separate process started through /bin/sh to cap its
	// memory, and the built-in reader takes over when it fails. Empty means
	// the built-in reader only.
	PDFToText string
}

// DefaultLimits returns limits that fit any real resume with a wide margin.
func DefaultLimits() Limits {
	return Limits{
		MaxText:         200 << 10,
		Timeout:         15 * time.Second,
		MaxUncompressed: 64 << 20,
		MaxFiles:        1000,
	}
}

func (l Limits) orDefaults() Limits {
	def := DefaultLimits()
	if l.MaxText <= 0 {
		l.MaxText = def.MaxText
	}
	if l.Timeout <= 0 {
		l.Timeout = def.Timeout
	}
	if l.MaxUncompressed <= 0 {
		l.MaxUncompressed = def.MaxUncompressed
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = def.MaxFiles
	}
	return l
}

// Errors, each with a message for people. Validate and Detect return them to
// candidates (sometimes wrapped in a more specific message, which
// hiring.ErrorMessage prefers); Extract returns them as the note kept with a
// resume whose text could not be read. Test for them with errors.Is.
var (
	ErrEmpty       = &hiring.Error{Code: hiring.EINVALID, Message: "The file is empty."}
	ErrTooLarge    = &hiring.Error{Code: hiring.ETOOLARGE, Message: fmt.Sprintf("The file is larger than %d MB. Please upload a smaller file.", MaxSize>>20)}
	ErrUnsupported = &hiring.Error{Code: hiring.EINVALID, Message: "This file is not a PDF, Word (.docx), plain text or RTF document."}
	ErrEncrypted   = &hiring.Error{Code: hiring.EINVALID, Message: "This PDF is encrypted or password-protected. Please upload a copy without a password."}
	ErrDamaged     = &hiring.Error{Code: hiring.EINVALID, Message: "This file appears to be damaged or incomplete."}
	ErrTooComplex  = &hiring.Error{Code: hiring.EINVALID, Message: "This file expands to far more data than a resume holds."}
	ErrUnreadable  = &hiring.Error{Code: hiring.EINVALID, Message: "The text of this file could not be read."}
	ErrNoText      = &hiring.Error{Code: hiring.EINVALID, Message: "No text was found in this file; it may be a scanned image."}
	ErrTimeout     = &hiring.Error{Code: hiring.EINVALID, Message: "Reading the text of this file took too long and was stopped."}
)

// specific returns an error whose message is msg and which still matches
// base with errors.Is.
func specific(msg string, base *hiring.Error) error {
	return fmt.Errorf("%w: %w", &hiring.Error{Code: base.Code, Message: msg}, base)
}

// Extract returns the text of a resume of the given kind, normalised (see
// Normalize) and cut to lim.MaxText.
//
// It never panics: a panic inside a reader becomes ErrUnreadable. It returns
// by lim.Timeout even if a reader were stuck, with ErrTimeout. When ctx
// itself is cancelled, the error wraps ctx.Err() instead of a note, because
// that says nothing about the file. Otherwise every error is one of the
// package's errors, to be kept as a note with the file; an empty result is
// ErrNoText.
func Extract(ctx context.Context, kind Kind, data []byte, lim Limits) (string, error) {
	lim = lim.orDefaults()
	switch {
	case len(data) == 0:
		return "", ErrEmpty
	case len(data) > MaxSize:
		return "", ErrTooLarge
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("resume: %w", err)
	}
	tctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("%w: panic: %v", ErrUnreadable, p)}
			}
		}()
		text, err := extract(tctx, kind, data, lim)
		done <- result{text, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-tctx.Done():
		r.err = tctx.Err()
	}
	if r.err != nil {
		return "", note(ctx, r.err)
	}
	if r.text == "" {
		return "", ErrNoText
	}
	return r.text, nil
}

// extract runs the reader for kind. It may panic; Extract recovers.
func extract(ctx context.Context, kind Kind, data []byte, lim Limits) (string, error) {
	out := newSink(lim.MaxText)
	var err error
	switch kind {
	case PDF:
		err = extractPDF(ctx, data, lim, out)
	case DOCX:
		err = docxText(ctx, data, lim, out)
	case RTF:
		err = rtfText(ctx, data, out)
	case TXT:
		text, ok := decodePlain(data)
		if !ok {
			return "", errNotText
		}
		err = out.WriteString(text)
	default:
		return "", ErrUnsupported
	}
	if err != nil && !errors.Is(err, errSinkFull) {
		return "", err
	}
	return Normalize(out.b.String(), lim.MaxText), nil
}

var errNotText = errors.New("resume: not text")

// note turns a reader's error into one of the package's errors for people,
// keeping the cause for logs.
func note(parent context.Context, err error) error {
	var he *hiring.Error
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		if parent.Err() != nil {
			return fmt.Errorf("resume: %w", parent.Err())
		}
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	case errors.As(err, &he):
		return err
	case errors.Is(err, errTooMuchData), errors.Is(err, errPDFTooMany),
		errors.Is(err, errTooManyPart), errors.Is(err, errXMLDepth):
		return fmt.Errorf("%w: %w", ErrTooComplex, err)
	case errors.Is(err, errPDFEncrypted):
		return fmt.Errorf("%w: %w", ErrEncrypted, err)
	case errors.Is(err, errNotDOCX), errors.Is(err, errODF), errors.Is(err, errNotText), errors.Is(err, errPDFHeader):
		return fmt.Errorf("%w: %w", ErrUnsupported, err)
	case errors.Is(err, errDamagedZip):
		return fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	return fmt.Errorf("%w: %w", ErrUnreadable, err)
}

func extractPDF(ctx context.Context, data []byte, lim Limits, out *sink) error {
	if lim.PDFToText != "" {
		text, err := pdftotext(ctx, lim.PDFToText, data, out.max)
		if err == nil && Normalize(text, 64) != "" {
			return out.WriteString(text)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	doc, err := loadPDF(ctx, data, &budget{left: lim.MaxUncompressed})
	if err != nil {
		return err
	}
	if doc.encrypted {
		return errPDFEncrypted
	}
	return pdfText(ctx, doc, out)
}

package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
)

// Received is a message the server accepted, with its envelope and its
// content parsed the way a mail client would.
type Received struct {
	// From and To are the envelope (MAIL FROM and RCPT TO).
	From string
	To   []string
	// AuthUser is the username the client authenticated as, if any.
	AuthUser string
	// Raw is the message exactly as transmitted.
	Raw []byte
	// Header holds the top-level header fields, still encoded.
	Header mail.Header
	// Subject is the decoded Subject header.
	Subject string
	// MessageID is the Message-ID header with its angle brackets.
	MessageID string
	// Text and HTML are the decoded bodies of the first text/plain and
	// text/html parts that are not attachments, with the CRLF line ends of
	// the wire turned into "\n" so tests can compare them with Go strings.
	Text, HTML string
	// Parts are the leaf parts of the MIME tree in order, bodies decoded.
	Parts []Part
	// ParseErr says why the content could not be fully parsed, if it could
	// not; a message hireloop sent should always parse.
	ParseErr error
}

// Part is one leaf of a MIME message.
type Part struct {
	Header textproto.MIMEHeader
	// MediaType is the lower-case type such as "text/calendar", and Params
	// its parameters such as "method" and "charset".
	MediaType string
	Params    map[string]string
	// Disposition is "inline", "attachment" or empty; Filename is decoded.
	Disposition string
	Filename    string
	// Body is decoded from its transfer encoding.
	Body []byte
}

// Attachments returns the parts sent as attachments.
func (r Received) Attachments() []Part {
	var out []Part
	for _, p := range r.Parts {
		if p.Disposition == "attachment" {
			out = append(out, p)
		}
	}
	return out
}

// PartsOf returns the parts of the given media type, such as
// "text/calendar", attachments included.
func (r Received) PartsOf(mediaType string) []Part {
	var out []Part
	for _, p := range r.Parts {
		if p.MediaType == mediaType {
			out = append(out, p)
		}
	}
	return out
}

// AddressList returns the decoded addresses of a header such as "From" or
// "To", or nil if it is absent or malformed.
func (r Received) AddressList(field string) []*mail.Address {
	if r.Header == nil {
		return nil
	}
	list, err := r.Header.AddressList(field)
	if err != nil {
		return nil
	}
	return list
}

func parse(from string, to []string, authUser string, raw []byte) Received {
	r := Received{From: from, To: append([]string(nil), to...), AuthUser: authUser, Raw: raw}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		r.ParseErr = fmt.Errorf("reading header: %w", err)
		return r
	}
	r.Header = msg.Header
	r.MessageID = msg.Header.Get("Message-Id")
	var dec mime.WordDecoder
	if r.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		r.ParseErr = fmt.Errorf("decoding subject: %w", err)
	}
	header := textproto.MIMEHeader(msg.Header)
	if err := r.walk(header, msg.Body, 0); err != nil && r.ParseErr == nil {
		r.ParseErr = err
	}
	for _, p := range r.Parts {
		if p.Disposition == "attachment" {
			continue
		}
		switch {
		case p.MediaType == "text/plain" && r.Text == "":
			r.Text = strings.ReplaceAll(string(p.Body), "\r\n", "\n")
		case p.MediaType == "text/html" && r.HTML == "":
			r.HTML = strings.ReplaceAll(string(p.Body), "\r\n", "\n")
		}
	}
	return r
}

// walk adds the leaves under one entity to r.Parts.
func (r *Received) walk(header textproto.MIMEHeader, body io.Reader, depth int) error {
	if depth > 10 {
		return fmt.Errorf("MIME parts nested more than 10 deep")
	}
	ct := header.Get("Content-Type")
	if ct == "" {
		ct = "text/plain; charset=us-ascii"
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("content type %q: %w", ct, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("reading %s: %w", mediaType, err)
			}
			if err := r.walk(p.Header, p, depth+1); err != nil {
				return err
			}
		}
	}
	data, err := decodeBody(header.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return fmt.Errorf("decoding %s part: %w", mediaType, err)
	}
	part := Part{Header: header, MediaType: mediaType, Params: params, Body: data}
	if cd := header.Get("Content-Disposition"); cd != "" {
		disposition, dparams, err := mime.ParseMediaType(cd)
		if err != nil {
			return fmt.Errorf("content disposition %q: %w", cd, err)
		}
		part.Disposition = disposition
		var dec mime.WordDecoder
		if part.Filename, err = dec.DecodeHeader(dparams["filename"]); err != nil {
			return fmt.Errorf("file name %q: %w", dparams["filename"], err)
		}
	}
	r.Parts = append(r.Parts, part)
	return nil
}

func decodeBody(encoding string, body io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return io.ReadAll(quotedprintable.NewReader(body))
	case "base64":
		return io.ReadAll(base64.NewDecoder(base64.StdEncoding, body))
	default:
		return io.ReadAll(body)
	}
}

package mail

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"mime"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"
)

// reservedHeaders are set from Message's own fields or by the MIME writer;
// allowing them in Message.Headers would let a caller send a message whose
// headers contradict its envelope or structure.
var reservedHeaders = []string{
	"Bcc", "Cc", "Content-Disposition", "Content-Transfer-Encoding", "Content-Type",
	"Date", "From", "Message-Id", "Mime-Version", "Reply-To", "Return-Path",
	"Sender", "Subject", "To",
}

// Validate reports why the message cannot be sent as it is, or nil. The
// error wraps ErrInvalid and is permanent. A queue can call it before storing
// a message, so that a mistake shows at once rather than at delivery.
func (m *Message) Validate() error {
	_, err := m.check()
	return err
}

// checked holds the parts of a message that validation parses.
type checked struct {
	to, replyTo *netmail.Address
}

func (m *Message) check() (*checked, error) {
	if m == nil {
		return nil, invalidf("message is missing")
	}
	var c checked
	var err error
	if c.to, err = bareAddress("recipient", m.To); err != nil {
		return nil, err
	}
	c.to.Name = m.ToName
	if m.ReplyTo != "" {
		if c.replyTo, err = bareAddress("reply-to", m.ReplyTo); err != nil {
			return nil, err
		}
	}
	if err := oneLine("recipient name", m.ToName); err != nil {
		return nil, err
	}
	if strings.TrimSpace(m.Subject) == "" {
		return nil, invalidf("subject is empty")
	}
	if err := oneLine("subject", m.Subject); err != nil {
		return nil, err
	}
	if strings.TrimSpace(m.Text) == "" {
		return nil, invalidf("text body is empty")
	}
	if !utf8.ValidString(m.Text) {
		return nil, invalidf("text body is not valid UTF-8")
	}
	if !utf8.ValidString(m.HTML) {
		return nil, invalidf("HTML body is not valid UTF-8")
	}
	if m.MessageID != "" {
		if _, err := messageID(m.MessageID, "example.invalid"); err != nil {
			return nil, err
		}
	}
	for name, value := range m.Headers {
		if err := checkHeader(name, value); err != nil {
			return nil, err
		}
	}
	for i, a := range m.Attachments {
		if err := a.check(i); err != nil {
			return nil, err
		}
	}
	if m.Calendar != nil {
		if err := m.Calendar.check(); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

func bareAddress(field, s string) (*netmail.Address, error) {
	a, err := netmail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		if s == "" {
			return nil, invalidf(field + " address is empty")
		}
		return nil, invalidf(fmt.Sprintf("%s address %q is not a valid email address", field, s))
	}
	return a, nil
}

func oneLine(field, s string) error {
	if !utf8.ValidString(s) {
		return invalidf(field + " is not valid UTF-8")
	}
	if strings.ContainsAny(s, "\r\n") {
		return invalidf(field + " must be a single line")
	}
	return nil
}

func checkHeader(name, value string) error {
	if name == "" {
		return invalidf("a header has an empty name")
	}
	for _, r := range name {
		if r <= ' ' || r > '~' || r == ':' {
			return invalidf(fmt.Sprintf("header name %q is not valid", name))
		}
	}
	canonical := textproto.CanonicalMIMEHeaderKey(name)
	for _, reserved := range reservedHeaders {
		if canonical == reserved {
			return invalidf(fmt.Sprintf("header %q is set by the message itself and cannot be given in Headers", name))
		}
	}
	return oneLine(fmt.Sprintf("header %q", name), value)
}

func (a Attachment) check(i int) error {
	if strings.TrimSpace(a.Filename) == "" {
		return invalidf(fmt.Sprintf("attachment %d has no file name", i+1))
	}
	if err := oneLine("attachment file name", a.Filename); err != nil {
		return err
	}
	if a.ContentType != "" {
		if _, _, err := mime.ParseMediaType(a.ContentType); err != nil {
			return invalidf(fmt.Sprintf("attachment %q has an invalid content type %q", a.Filename, a.ContentType))
		}
	}
	if len(a.Data) == 0 {
		return invalidf(fmt.Sprintf("attachment %q is empty", a.Filename))
	}
	return nil
}

func (c *Calendar) check() error {
	if c.Method == "" {
		return invalidf("calendar method is empty")
	}
	for _, r := range c.Method {
		if (r < 'A' || r > 'Z') && r != '-' {
			return invalidf(fmt.Sprintf("calendar method %q is not an iTIP method such as REQUEST or CANCEL", c.Method))
		}
	}
	if !bytes.HasPrefix(bytes.TrimSpace(c.Data), []byte("BEGIN:VCALENDAR")) {
		return invalidf("calendar data does not begin with BEGIN:VCALENDAR")
	}
	if !utf8.Valid(c.Data) {
		return invalidf("calendar data is not valid UTF-8")
	}
	// Outlook ignores an invitation whose MIME method and METHOD property
	// disagree, so the mismatch is a bug worth catching here.
	for line := range strings.Lines(string(c.Data)) {
		if v, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), "METHOD:"); ok && v != c.Method {
			return invalidf(fmt.Sprintf("calendar method %q does not match METHOD:%s in the calendar data", c.Method, v))
		}
	}
	if c.Filename != "" {
		return oneLine("calendar file name", c.Filename)
	}
	return nil
}

// messageID returns the Message-ID's value without angle brackets: id as
// given when it has a domain, id on domain when it has none, and a random
// identifier on domain when it is empty.
func messageID(id, domain string) (string, error) {
	id = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(id), "<"), ">")
	if id == "" {
		return strings.ToLower(rand.Text()) + "@" + domain, nil
	}
	left, right, found := strings.Cut(id, "@")
	if !found {
		right = domain
	}
	if !dotAtom(left) || !dotAtom(right) {
		return "", invalidf(fmt.Sprintf("message ID %q is not of the form left@domain without spaces, brackets or quotes", id))
	}
	return left + "@" + right, nil
}

// dotAtom reports whether s is an RFC 5322 dot-atom-text, the form both
// halves of a Message-ID take in practice.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune(".!#$%&'*+-/=?^_`{|}~", r):
		default:
			return false
		}
	}
	return true
}

// build turns a message into a MIME message from the configured sender.
func (s *settings) build(m *Message) (*gomail.Msg, error) {
	c, err := m.check()
	if err != nil {
		return nil, err
	}
	id, err := messageID(m.MessageID, s.domain)
	if err != nil {
		return nil, err
	}
	date := m.Date
	if date.IsZero() {
		date = s.Now()
	}

	gm := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	gm.FromMailAddress(s.from)
	gm.ToMailAddress(c.to)
	if c.replyTo != nil {
		gm.ReplyToMailAddress(c.replyTo)
	}
	gm.Subject(m.Subject)
	gm.SetMessageIDWithValue(id)
	gm.SetDateWithValue(date)
	for name, value := range m.Headers {
		gm.SetGenHeader(gomail.Header(textproto.CanonicalMIMEHeaderKey(name)), value)
	}

	gm.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		gm.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	if cal := m.Calendar; cal != nil {
		// The inline part is what Gmail and Outlook turn into an event with
		// answer buttons; the attachment serves clients that only offer
		// "open with calendar".
		gm.AddAlternativeString(gomail.ContentType("text/calendar; method="+cal.Method), string(cal.Data))
		name := cal.Filename
		if name == "" {
			name = "invite.ics"
		}
		ct := gomail.ContentType("text/calendar; method=" + cal.Method + "; charset=UTF-8")
		if err := gm.AttachReader(name, bytes.NewReader(cal.Data), gomail.WithFileContentType(ct)); err != nil {
			return nil, fmt.Errorf("mail: attaching %s: %w", name, err)
		}
	}
	for _, a := range m.Attachments {
		var opts []gomail.FileOption
		if a.ContentType != "" {
			opts = append(opts, gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
		}
		if err := gm.AttachReader(a.Filename, bytes.NewReader(a.Data), opts...); err != nil {
			return nil, fmt.Errorf("mail: attaching %s: %w", a.Filename, err)
		}
	}
	return gm, nil
}

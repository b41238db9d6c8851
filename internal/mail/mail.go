// Package mail builds hireloop's email messages and delivers them over SMTP.
//
// A message goes to one recipient, carries a plain text body, optionally an
// HTML alternative, file attachments and an iCalendar invitation. Delivery
// errors say whether retrying can help (see Permanent), so a durable outbox
// can decide between backing off and giving up.
package mail

import (
	"context"
	"time"
)

// Message is one email to one person. Every message has a text body so that
// it reads well in any client and passes spam filters; HTML is an optional
// alternative of the same content.
type Message struct {
	// To is the recipient's bare address, such as "zoe@example.com".
	To string
	// ToName is the recipient's display name; any Unicode is fine.
	ToName string
	// ReplyTo, when set, is the bare address that replies should go to,
	// such as the recruiter's, instead of the sending address.
	ReplyTo string
	// Subject is a single line; any Unicode is fine.
	Subject string
	// Text is the plain text body. It is required.
	Text string
	// HTML is an optional HTML rendering of Text.
	HTML string
	// MessageID identifies the message. A caller that may send the same
	// message again (a retried outbox entry) sets a stable value, so the
	// copies carry one Message-ID and receiving systems can drop duplicates.
	// Either "left@domain", or just "left", to which the sending domain is
	// added. Empty means a random identifier on the sending domain.
	MessageID string
	// Date is the Date header; zero means the sender's clock at send time.
	Date time.Time
	// Headers holds extra header fields such as List-Unsubscribe or
	// X-Hireloop-Application. Fields that define the message's structure or
	// addressing (From, To, Subject, Content-Type...) are refused here.
	Headers map[string]string
	// Attachments are files shown as attachments.
	Attachments []Attachment
	// Calendar is an iCalendar object (an interview invitation or its
	// cancellation), sent both inline, so calendar clients show it with
	// accept and decline buttons, and as an .ics attachment.
	Calendar *Calendar
}

// Attachment is a file attached to a message.
type Attachment struct {
	// Filename is the name shown to the recipient.
	Filename string
	// ContentType is a MIME type with optional parameters; empty means it is
	// guessed from the file name's extension.
	ContentType string
	// Data is the file's content.
	Data []byte
}

// Calendar is an iCalendar (RFC 5545) object attached to a message as an
// iMIP (RFC 6047) part.
type Calendar struct {
	// Method is the iTIP method, such as "REQUEST" or "CANCEL"; it must match
	// the METHOD property inside Data.
	Method string
	// Data is the VCALENDAR text.
	Data []byte
	// Filename is the attachment's name; empty means "invite.ics".
	Filename string
}

// Sender delivers one message. Implementations are safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// BatchSender delivers many messages over one connection, which is much
// faster than one connection per message when a queue has a backlog.
type BatchSender interface {
	Sender
	// SendBatch returns one error per message, in order, nil for each
	// message the server accepted.
	SendBatch(ctx context.Context, msgs []*Message) []error
}

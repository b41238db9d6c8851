package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strconv"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// SMTPSender delivers messages to one SMTP server. It is safe for concurrent
// use; each Send or SendBatch call has its own connection.
type SMTPSender struct {
	s *settings
}

var _ BatchSender = (*SMTPSender)(nil)

// NewSMTPSender checks cfg and returns a sender. It does not connect: a mail
// server that is down at start-up must not stop hireloop from starting, and
// the outbox retries later. The error lists every problem in cfg and never
// contains the password.
func NewSMTPSender(cfg Config) (*SMTPSender, error) {
	s, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	return &SMTPSender{s: s}, nil
}

// Send delivers m in one SMTP conversation. A nil error means the server
// accepted the message. Cancelling ctx aborts the conversation at once.
func (s *SMTPSender) Send(ctx context.Context, m *Message) error {
	return s.SendBatch(ctx, []*Message{m})[0]
}

// SendBatch delivers msgs over one connection, in order, and returns one
// error per message, nil for each message the server accepted. An invalid
// message or a refused one does not stop the others; a lost connection
// stops the batch, and the messages not yet tried get a temporary error.
func (s *SMTPSender) SendBatch(ctx context.Context, msgs []*Message) []error {
	errs := make([]error, len(msgs))
	built := make([]*gomail.Msg, len(msgs))
	ready := 0
	for i, m := range msgs {
		var err error
		if built[i], err = s.s.build(m); err != nil {
			errs[i] = err
			continue
		}
		ready++
	}
	if ready == 0 {
		return errs
	}
	failRest := func(from int, errFor func(j int) error) {
		for j := from; j < len(built); j++ {
			if built[j] != nil {
				errs[j] = errFor(j)
			}
		}
	}

	c, err := s.connect(ctx)
	if err != nil {
		failRest(0, func(int) error { return err })
		return errs
	}
	defer c.close()

	for i, gm := range built {
		if gm == nil {
			continue
		}
		if ctx.Err() != nil {
			failRest(i, func(j int) error { return s.sendErr(ctx, msgs[j], ctx.Err()) })
			break
		}
		err := c.client.SendWithSMTPClient(c.smtp, gm)
		if err == nil {
			continue
		}
		e := s.sendErr(ctx, msgs[i], err)
		errs[i] = e
		// A reply code means the server answered and the conversation can
		// go on, except 421, with which the server closes it.
		if e.Code == 0 || e.Code == 421 {
			lost := &Error{
				text: "mail: not sent because an earlier message in the batch lost the connection: " + e.text,
				err:  e.err,
			}
			failRest(i+1, func(int) error { return lost })
			break
		}
	}
	return errs
}

// conn is one SMTP conversation.
type conn struct {
	client *gomail.Client
	smtp   *smtp.Client
	raw    net.Conn
	stop   func() bool
}

// close ends the conversation politely if it still can; a failed QUIT does
// not matter once the messages are accepted.
func (c *conn) close() {
	_ = c.client.CloseWithSMTPClient(c.smtp)
	_ = c.raw.Close()
	c.stop()
}

func (s *SMTPSender) connect(ctx context.Context) (*conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, s.connectErr(ctx, err)
	}
	c := &conn{stop: func() bool { return false }}
	dial := func(dialCtx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		raw, err := d.DialContext(dialCtx, network, addr)
		if err != nil {
			return nil, err
		}
		c.raw = raw
		// go-mail bounds each command by a timeout but does not watch the
		// caller's context after dialling; closing the socket when the
		// context ends stops whatever command is under way.
		c.stop = context.AfterFunc(ctx, func() { _ = raw.Close() })
		if s.s.TLS != TLSImplicit {
			return raw, nil
		}
		tc := tls.Client(raw, s.s.tls)
		if err := tc.HandshakeContext(dialCtx); err != nil {
			return nil, err
		}
		return tc, nil
	}

	opts := []gomail.Option{
		gomail.WithPort(s.s.Port),
		gomail.WithTimeout(s.s.Timeout),
		gomail.WithTLSConfig(s.s.tls),
		gomail.WithDialContextFunc(dial),
		// Each message is followed by MAIL FROM for the next, which resets
		// the transaction anyway; NOOP and RSET would only add round trips.
		gomail.WithoutNoop(),
		gomail.WithoutRset(),
	}
	if s.s.TLS == TLSStartTLS {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	} else {
		// Implicit TLS is set up by dial, before go-mail sees the connection.
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.s.HelloName != "" {
		opts = append(opts, gomail.WithHELO(s.s.HelloName))
	}
	if s.s.Username != "" {
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1,
				gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.s.Username),
			gomail.WithPassword(s.s.Password))
	}
	client, err := gomail.NewClient(s.s.Host, opts...)
	if err != nil {
		return nil, s.connectErr(ctx, err)
	}
	c.client = client
	sc, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		if c.raw != nil {
			_ = c.raw.Close()
		}
		c.stop()
		return nil, s.connectErr(ctx, err)
	}
	c.smtp = sc
	return c, nil
}

func (s *SMTPSender) addr() string {
	return net.JoinHostPort(s.s.Host, strconv.Itoa(s.s.Port))
}

// connectErr describes a failure before any message was tried. It is never
// permanent; see Permanent.
func (s *SMTPSender) connectErr(ctx context.Context, err error) *Error {
	e := &Error{err: err}
	var reply *textproto.Error
	if errors.As(err, &reply) {
		e.Code = reply.Code
	}
	text := fmt.Sprintf("mail: connecting to %s: %v", s.addr(), err)
	if ctxErr := ctx.Err(); ctxErr != nil {
		e.err = errors.Join(ctxErr, err)
		text = fmt.Sprintf("mail: connecting to %s stopped: %v", s.addr(), ctxErr)
	}
	e.text = redactor(s.s.Password).clean(text)
	return e
}

// sendErr describes the failure to deliver m and decides whether it is
// permanent: only a 5xx refusal of the recipient or of the content is, and
// 552 (too large) wherever it comes. A refused sender (MAIL FROM) points to
// the configuration, not to the message.
func (s *SMTPSender) sendErr(ctx context.Context, m *Message, err error) *Error {
	e := &Error{err: err}
	var se *gomail.SendError
	if errors.As(err, &se) {
		e.Code = se.ErrorCode()
		switch se.Reason {
		case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
			e.permanent = e.Code >= 500 && e.Code != 530
		}
		e.permanent = e.permanent || e.Code == 552
	}
	text := fmt.Sprintf("mail: sending to %s: %v", m.To, err)
	if ctxErr := ctx.Err(); ctxErr != nil {
		e.Code, e.permanent = 0, false
		if ctxErr != err {
			e.err = errors.Join(ctxErr, err)
		}
		text = fmt.Sprintf("mail: sending to %s stopped: %v", m.To, ctxErr)
	}
	e.text = redactor(s.s.Password).clean(text)
	return e
}

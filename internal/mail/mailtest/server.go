// Package mailtest runs a real SMTP server on loopback inside a test. It
// records every message it accepts, parsed so tests can read the subject, the
// text and the attachments, and it can be told to refuse, drop or hold
// messages so that retry logic meets the failures it is written for.
package mailtest

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Server is an SMTP server listening on 127.0.0.1 for the length of a test.
type Server struct {
	srv       *smtp.Server
	addr      *net.TCPAddr
	clientTLS *tls.Config
	username  string
	password  string
	conns     atomic.Int64
	done      chan struct{}
	closeOnce sync.Once

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever messages grows
	messages []Received
	attempts int
	plan     []action
	refused  map[string]int
}

// actionKind is what the server does with a message instead of accepting it.
type actionKind int

const (
	reject actionKind = iota + 1
	drop
	stall
)

type action struct {
	kind    actionKind
	code    int
	arrived chan struct{}
}

// Option changes how Start sets up the server.
type Option func(*options)

type options struct {
	username, password string
	startTLS, implicit bool
}

// WithAuth makes the server offer AUTH PLAIN and require it, with one valid
// username and password.
func WithAuth(username, password string) Option {
	return func(o *options) { o.username, o.password = username, password }
}

// WithSTARTTLS makes the server offer STARTTLS with a certificate for
// 127.0.0.1 and localhost; ClientTLSConfig trusts it.
func WithSTARTTLS() Option {
	return func(o *options) { o.startTLS = true }
}

// WithImplicitTLS makes the server speak TLS from the first byte, as on
// port 465; ClientTLSConfig trusts its certificate.
func WithImplicitTLS() Option {
	return func(o *options) { o.implicit = true }
}

// Start runs a server on 127.0.0.1 on a free port until the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	s := &Server{
		username: o.username,
		password: o.password,
		done:     make(chan struct{}),
		changed:  make(chan struct{}),
		refused:  make(map[string]int),
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("mailtest: listen: %v", err)
	}
	s.addr = ln.Addr().(*net.TCPAddr)
	var listener net.Listener = &countingListener{Listener: ln, n: &s.conns}

	srv := smtp.NewServer(&backend{s: s})
	srv.Domain = "mailtest.localhost"
	srv.MaxMessageBytes = 32 << 20
	srv.MaxRecipients = 50
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if o.startTLS || o.implicit {
		serverTLS, clientTLS, err := selfSigned()
		if err != nil {
			_ = ln.Close()
			tb.Fatalf("mailtest: %v", err)
		}
		s.clientTLS = clientTLS
		if o.startTLS {
			srv.TLSConfig = serverTLS
		} else {
			listener = tls.NewListener(listener, serverTLS)
		}
	}
	// Without TLS the test still wants to exercise AUTH; over loopback the
	// password cannot be overheard.
	srv.AllowInsecureAuth = o.username != ""
	s.srv = srv

	go func() { _ = srv.Serve(listener) }()
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server and releases held messages. Start arranges for it
// to run when the test ends.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		_ = s.srv.Close()
	})
}

// Addr is the server's address as host:port.
func (s *Server) Addr() string { return s.addr.String() }

// Host is the server's IP address, 127.0.0.1.
func (s *Server) Host() string { return s.addr.IP.String() }

// Port is the server's TCP port.
func (s *Server) Port() int { return s.addr.Port }

// ClientTLSConfig returns a client configuration that trusts the server's
// certificate, or nil when the server has no TLS.
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.clientTLS == nil {
		return nil
	}
	return s.clientTLS.Clone()
}

// Connections is the number of connections the server has accepted, so a
// test can check that a batch used one.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// Messages returns a copy of the messages accepted so far, oldest first.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.messages...)
}

// Attempts is the number of messages whose data reached the server, whether
// it accepted, refused, dropped or held them.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// WaitFor waits until the server has accepted at least n messages and
// returns them; it fails the test if that takes longer than timeout.
func (s *Server) WaitFor(tb testing.TB, n int, timeout time.Duration) []Received {
	tb.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if len(s.messages) >= n {
			got := append([]Received(nil), s.messages...)
			s.mu.Unlock()
			return got
		}
		changed, count := s.changed, len(s.messages)
		s.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			tb.Fatalf("mailtest: waited %v for %d messages, %d arrived", timeout, n, count)
			return nil
		}
	}
}

// RejectNext makes the server refuse the next n messages after reading
// their data, with reply code, such as 451 (temporary) or 554 (permanent).
// It panics on a code outside 400-599, which is a mistake in the test.
func (s *Server) RejectNext(n, code int) {
	if code < 400 || code > 599 {
		panic(fmt.Sprintf("mailtest: reply code %d is not a 4xx or 5xx code", code))
	}
	s.queue(n, action{kind: reject, code: code})
}

// DropNext makes the server close the connection after reading the data of
// each of the next n messages, without replying, as a crashing server would.
func (s *Server) DropNext(n int) {
	s.queue(n, action{kind: drop})
}

// StallNext makes the server hold each of the next n messages after reading
// its data, without replying, until the server closes. The returned channel
// receives once per held message as it arrives, so a test can act while the
// client waits.
func (s *Server) StallNext(n int) <-chan struct{} {
	arrived := make(chan struct{}, n)
	s.queue(n, action{kind: stall, arrived: arrived})
	return arrived
}

// RefuseRecipient makes the server refuse RCPT TO for addr with reply code,
// such as 550 for an unknown mailbox or 450 for a full one, until the test
// ends. It panics on a code outside 400-599, which is a mistake in the test.
func (s *Server) RefuseRecipient(addr string, code int) {
	if code < 400 || code > 599 {
		panic(fmt.Sprintf("mailtest: reply code %d is not a 4xx or 5xx code", code))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refused[addr] = code
}

func (s *Server) queue(n int, a action) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.plan = append(s.plan, a)
	}
}

// next counts an attempt and returns what to do with it; zero means accept.
func (s *Server) next() action {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	if len(s.plan) == 0 {
		return action{}
	}
	a := s.plan[0]
	s.plan = s.plan[1:]
	return a
}

func (s *Server) record(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, r)
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) refusal(addr string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused[addr]
}

// countingListener counts accepted connections.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

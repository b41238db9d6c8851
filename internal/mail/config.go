package mail

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"time"
)

// TLS modes of Config.TLS.
const (
	// TLSNone sends in clear text; meant for a relay on the same host or a
	// test server.
	TLSNone = "none"
	// TLSStartTLS upgrades the connection with STARTTLS and refuses to send
	// if the server does not offer it (submission on port 587).
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (submissions on port 465).
	TLSImplicit = "tls"
)

// DefaultTimeout bounds each SMTP command when Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Config says how to reach the SMTP server and whom mail comes from.
type Config struct {
	// Host is the server's name or IP address, without a port.
	Host string
	// Port is the server's port; 0 means 25, 587 or 465 by TLS mode.
	Port int
	// Username and Password authenticate to the server when Username is
	// set. The password is only ever sent over TLS, or to a server on this
	// machine.
	Username, Password string
	// From is the sender, such as "hireloop <jobs@example.com>". Its domain
	// is also the domain of generated Message-IDs.
	From string
	// TLS is "none", "starttls" or "tls"; empty means "starttls".
	TLS string
	// TLSConfig, when set, is used for TLS, for example to trust a private
	// certificate authority. Its ServerName defaults to Host.
	TLSConfig *tls.Config
	// Timeout bounds each step of the conversation; 0 means DefaultTimeout.
	Timeout time.Duration
	// HelloName is the name sent in EHLO; empty means this machine's name.
	HelloName string
	// Now is the clock for Date headers; nil means time.Now.
	Now func() time.Time
}

// String describes the configuration without its password, so that a
// Config written to a log by mistake leaks nothing.
func (c Config) String() string {
	pw := ""
	if c.Password != "" {
		pw = " password=[redacted]"
	}
	return fmt.Sprintf("smtp://%s@%s:%d tls=%s from=%q%s", c.Username, c.Host, c.Port, c.TLS, c.From, pw)
}

// settings is a validated Config with its defaults applied.
type settings struct {
	Config
	from   *netmail.Address
	domain string
	tls    *tls.Config
}

func (c Config) validate() (*settings, error) {
	s := &settings{Config: c}
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, invalidf(fmt.Sprintf(format, args...)))
	}

	if s.TLS == "" {
		s.TLS = TLSStartTLS
	}
	defaultPort := 0
	switch s.TLS {
	case TLSNone:
		defaultPort = 25
	case TLSStartTLS:
		defaultPort = 587
	case TLSImplicit:
		defaultPort = 465
	default:
		fail("TLS mode %q is unknown (use %s, %s or %s)", s.TLS, TLSNone, TLSStartTLS, TLSImplicit)
	}

	switch {
	case s.Host == "":
		fail("SMTP host is required")
	case strings.ContainsAny(s.Host, " \t\r\n/[]"):
		fail("SMTP host %q is not a host name or IP address", s.Host)
	case strings.Contains(s.Host, ":") && net.ParseIP(s.Host) == nil:
		fail("SMTP host %q must not include a port; set the port separately", s.Host)
	}

	if s.Port == 0 {
		s.Port = defaultPort
	}
	if s.Port < 1 || s.Port > 65535 {
		fail("SMTP port %d is out of range 1-65535", s.Port)
	}

	if s.From == "" {
		fail("sender address (From) is required")
	} else if addr, err := netmail.ParseAddress(s.From); err != nil {
		fail("sender address %q is not a valid email address", s.From)
	} else {
		s.from = addr
		s.domain = addr.Address[strings.LastIndexByte(addr.Address, '@')+1:]
	}

	if s.Username == "" && s.Password != "" {
		fail("SMTP password is set but the username is empty")
	}
	if s.Username != "" && s.Password == "" {
		fail("SMTP username %q is set but the password is empty", s.Username)
	}
	if s.Username != "" && s.TLS == TLSNone && !isLoopback(s.Host) {
		fail("refusing to send the SMTP password to %s without TLS; use TLS mode %s or %s", s.Host, TLSStartTLS, TLSImplicit)
	}

	if s.Timeout < 0 {
		fail("SMTP timeout %v is negative", s.Timeout)
	}
	if s.Timeout == 0 {
		s.Timeout = DefaultTimeout
	}
	if strings.ContainsAny(s.HelloName, " \t\r\n") {
		fail("EHLO name %q contains spaces", s.HelloName)
	}
	if s.Now == nil {
		s.Now = time.Now
	}

	if s.TLSConfig != nil {
		s.tls = s.TLSConfig.Clone()
	} else {
		s.tls = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if s.tls.ServerName == "" {
		s.tls.ServerName = s.Host
	}

	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// isLoopback matches the hosts to which the SMTP client agrees to send a
// password in clear text.
func isLoopback(host string) bool {
	switch host {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	return false
}

package mail_test

import (
	"errors"
	"strings"
	"testing"

	"hireloop/internal/mail"
)

func TestNewSMTPSenderRefusesBadConfig(t *testing.T) {
	good := mail.Config{Host: "smtp.example.com", From: "hireloop <jobs@example.com>"}
	tests := []struct {
		name   string
		change func(c *mail.Config)
		want   string
	}{
		{"NoHost", func(c *mail.Config) { c.Host = "" }, "SMTP host is required"},
		{"HostWithPort", func(c *mail.Config) { c.Host = "smtp.example.com:587" }, "must not include a port"},
		{"HostWithScheme", func(c *mail.Config) { c.Host = "smtp://smtp.example.com" }, "not a host name"},
		{"PortTooLarge", func(c *mail.Config) { c.Port = 70000 }, "port 70000 is out of range"},
		{"NegativePort", func(c *mail.Config) { c.Port = -1 }, "out of range"},
		{"UnknownTLSMode", func(c *mail.Config) { c.TLS = "ssl" }, `TLS mode "ssl" is unknown`},
		{"NoFrom", func(c *mail.Config) { c.From = "" }, "sender address (From) is required"},
		{"BadFrom", func(c *mail.Config) { c.From = "hireloop" }, `sender address "hireloop" is not a valid`},
		{"PasswordWithoutUser", func(c *mail.Config) { c.Password = "x" }, "username is empty"},
		{"UserWithoutPassword", func(c *mail.Config) { c.Username = "jobs" }, "password is empty"},
		{"PasswordInClearToRemoteHost", func(c *mail.Config) {
			c.Username, c.Password, c.TLS = "jobs", "x", mail.TLSNone
		}, "refusing to send the SMTP password to smtp.example.com without TLS"},
		{"NegativeTimeout", func(c *mail.Config) { c.Timeout = -1 }, "timeout"},
		{"HelloNameWithSpace", func(c *mail.Config) { c.HelloName = "my host" }, "EHLO name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			_, err := mail.NewSMTPSender(cfg)
			if err == nil {
				t.Fatal("NewSMTPSender accepted the configuration")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to mention %q", err, tt.want)
			}
			if !errors.Is(err, mail.ErrInvalid) {
				t.Errorf("error %q should wrap ErrInvalid", err)
			}
		})
	}

	t.Run("ReportsEveryProblem", func(t *testing.T) {
		_, err := mail.NewSMTPSender(mail.Config{Port: 99999, TLS: "ssl"})
		for _, want := range []string{"host", "port", "TLS mode", "sender address"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("error %v should mention %s", err, want)
			}
		}
	})

	t.Run("AcceptsGoodConfigs", func(t *testing.T) {
		for _, cfg := range []mail.Config{
			good,
			{Host: "127.0.0.1", Port: 2525, TLS: mail.TLSNone, From: "jobs@example.com", Username: "u", Password: "p"},
			{Host: "::1", TLS: mail.TLSImplicit, From: `"Acme Hiring" <jobs@acme.example>`},
		} {
			if _, err := mail.NewSMTPSender(cfg); err != nil {
				t.Errorf("NewSMTPSender(%v): %v", cfg, err)
			}
		}
	})
}

package mail

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// A server that echoes credentials in its reply must not get them into logs.
func TestErrorsRedactPasswordEchoedByServer(t *testing.T) {
	const password = "Tr0ub4dor&3"
	s, err := NewSMTPSender(Config{Host: "127.0.0.1", TLS: TLSNone, From: "jobs@hireloop.test", Username: "jobs", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	echo := errors.New("535 5.7.8 credentials jobs/" + password + " rejected")
	m := &Message{To: "sam@example.com"}
	for _, e := range []*Error{s.connectErr(context.Background(), echo), s.sendErr(context.Background(), m, echo)} {
		if strings.Contains(e.Error(), password) {
			t.Errorf("error reveals the password: %s", e)
		}
		if !strings.Contains(e.Error(), "[redacted]") {
			t.Errorf("error %q should show where the password was removed", e)
		}
	}
}

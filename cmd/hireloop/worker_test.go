package main

import (
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/mail/mailtest"
	"hireloop/internal/store"
)

// smtpArgs are the flags that send to srv.
func smtpArgs(srv *mailtest.Server) []string {
	return []string{"--smtp-host", srv.Host(), "--smtp-port", strconv.Itoa(srv.Port()),
		"--smtp-tls", "none", "--smtp-from", "Careers <jobs@larkspur.test>"}
}

// mustQueueMessage opens the store in dataDir and queues one email.
func mustQueueMessage(t *testing.T, dataDir, to string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = store.NewOutboxService(db).EnqueueMessage(ctx, hiring.MessageDraft{
		To: to, Subject: "We received your application", TextBody: "Thank you for applying.\n"})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWorkerCommandSendsQueuedMail(t *testing.T) {
	srv := mailtest.Start(t)
	dataDir := t.TempDir()
	mustQueueMessage(t, dataDir, "robin@example.com")

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		args := append([]string{"worker", "--poll-interval", "20ms"}, smtpArgs(srv)...)
		done <- run(ctx, args, mapEnv(map[string]string{"HIRELOOP_DATA_DIR": dataDir}), strings.NewReader(""), io.Discard, io.Discard)
	}()
	got := srv.WaitFor(t, 1, 30*time.Second)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("worker returned %v after its context ended, want nil", err)
	}
	if got[0].To[0] != "robin@example.com" || got[0].Subject != "We received your application" {
		t.Errorf("delivered %q to %v", got[0].Subject, got[0].To)
	}
}

func TestWorkerCommandRefusesBadSMTPSettings(t *testing.T) {
	env := map[string]string{"HIRELOOP_DATA_DIR": t.TempDir(), "HIRELOOP_SMTP_HOST": "mail.example.com"}
	r := runCLI(t, env, "", "worker")
	if r.err == nil || !strings.Contains(r.err.Error(), "sender") {
		t.Errorf("worker with a host but no sender: %v, want an error about the sender address", r.err)
	}
	env["HIRELOOP_SMTP_FROM"] = "jobs@example.com"
	env["HIRELOOP_SMTP_TLS"] = "maybe"
	if r := runCLI(t, env, "", "worker"); r.err == nil || !strings.Contains(r.err.Error(), "maybe") {
		t.Errorf("worker with TLS mode maybe: %v, want an error naming it", r.err)
	}
}

func TestServeRunsTheWorker(t *testing.T) {
	srv := mailtest.Start(t)
	dataDir := t.TempDir()
	mustQueueMessage(t, dataDir, "sam@example.com")
	startServer(t, map[string]string{"HIRELOOP_DATA_DIR": dataDir}, smtpArgs(srv)...)
	got := srv.WaitFor(t, 1, 30*time.Second)
	if got[0].To[0] != "sam@example.com" {
		t.Errorf("delivered to %v, want sam@example.com", got[0].To)
	}
}

func TestServeWithoutWorkerLeavesMailQueued(t *testing.T) {
	srv := mailtest.Start(t)
	dataDir := t.TempDir()
	mustQueueMessage(t, dataDir, "sam@example.com")
	startServer(t, map[string]string{"HIRELOOP_DATA_DIR": dataDir}, append(smtpArgs(srv), "--worker=false")...)
	time.Sleep(300 * time.Millisecond)
	if n := srv.Attempts(); n != 0 {
		t.Errorf("the mail server saw %d attempts from serve --worker=false, want none", n)
	}
}

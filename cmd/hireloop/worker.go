package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"hireloop/internal/blob"
	"hireloop/internal/mail"
	"hireloop/internal/store"
	"hireloop/internal/worker"
)

// smtpOptions are the flags that say how to send email. Without a host, mail
// is not configured: messages wait in the outbox.
type smtpOptions struct {
	host, username, password, from, tls string
	port                                int
}

func (o *smtpOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.host, "smtp-host", "", "SMTP server host name; empty keeps email queued in the outbox")
	fs.IntVar(&o.port, "smtp-port", 0, "SMTP server port (default 587 with starttls, 465 with tls, 25 with none)")
	fs.StringVar(&o.username, "smtp-username", "", "SMTP user name, when the server asks for one")
	fs.StringVar(&o.password, "smtp-password", "", "SMTP password (prefer the environment variable: flags show in process lists)")
	fs.StringVar(&o.from, "smtp-from", "", "sender of email, such as \"Careers <jobs@example.com>\"")
	fs.StringVar(&o.tls, "smtp-tls", mail.TLSStartTLS, "SMTP encryption: starttls, tls or none")
}

// sender returns the configured mail sender, or nil when no host is set.
func (o *smtpOptions) sender() (mail.Sender, error) {
	if o.host == "" {
		return nil, nil
	}
	s, err := mail.NewSMTPSender(mail.Config{
		Host: o.host, Port: o.port, Username: o.username, Password: o.password, From: o.from, TLS: o.tls,
	})
	if err != nil {
		return nil, fmt.Errorf("SMTP settings: %w", err)
	}
	return s, nil
}

// blobDir is the folder of uploaded files, inside the data folder on both
// engines.
func (o *dbOptions) blobDir() string { return filepath.Join(o.dataDir, "files") }

type workerOptions struct {
	dbOptions
	smtp        smtpOptions
	baseURL     string
	logFormat   string
	concurrency int
	poll        time.Duration
}

func workerFlags(fs *flag.FlagSet) any {
	o := &workerOptions{}
	o.register(fs)
	o.smtp.register(fs)
	fs.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&o.baseURL, "base-url", "", "public address of the web server, for links in reminders (empty leaves them out)")
	fs.IntVar(&o.concurrency, "concurrency", worker.DefaultConcurrency, "mail connections and file extractions at once")
	fs.DurationVar(&o.poll, "poll-interval", worker.DefaultPollInterval, "wait between looks at an empty queue")
	return o
}

// runWorker runs background tasks only, so that they can run apart from the
// web servers; several workers may share one PostgreSQL database.
func runWorker(ctx context.Context, env *environment, opts any, args []string) error {
	o := opts.(*workerOptions)
	if err := noArgs(env, args); err != nil {
		return err
	}
	logger, err := newLogger(o.logFormat, env.stderr)
	if err != nil {
		fmt.Fprintf(env.stderr, "worker: %v\n", err)
		return errUsage
	}
	if o.concurrency < 1 || o.poll <= 0 {
		fmt.Fprintln(env.stderr, "worker: --concurrency and --poll-interval must be positive")
		return errUsage
	}
	db, err := o.openStore(ctx, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	cfg, err := workerConfig(db, &o.dbOptions, &o.smtp, logger)
	if err != nil {
		return err
	}
	cfg.Concurrency, cfg.PollInterval, cfg.BaseURL = o.concurrency, o.poll, o.baseURL
	return worker.New(cfg).Run(ctx)
}

// workerConfig makes a worker's configuration on an open store.
func workerConfig(db *store.DB, o *dbOptions, smtp *smtpOptions, logger *slog.Logger) (worker.Config, error) {
	sender, err := smtp.sender()
	if err != nil {
		return worker.Config{}, err
	}
	blobs, err := blob.NewDisk(o.blobDir())
	if err != nil {
		return worker.Config{}, err
	}
	return worker.Config{
		Outbox: store.NewOutboxService(db),
		Files:  store.NewFileService(db, blobs),
		Sender: sender,
		Logger: logger.With("component", "worker"),
		// Applicants' data is deleted hourly once its retention period
		// has passed.
		Retention: store.NewRetentionService(db, blobs),
		Replies:   store.NewReplyService(db),
	}, nil
}

// startWorker runs a worker in the background of serve until ctx ends; the
// returned wait blocks until it has finished the tasks it held.
// Reply reminders link to the application on baseURL.
func startWorker(ctx context.Context, db *store.DB, o *dbOptions, smtp *smtpOptions, logger *slog.Logger, baseURL string) (wait func(), err error) {
	cfg, err := workerConfig(db, o, smtp, logger)
	if err != nil {
		return nil, err
	}
	cfg.BaseURL = baseURL
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := worker.New(cfg).Run(ctx); err != nil {
			logger.Error("worker stopped", "err", err)
		}
	}()
	return func() { <-done }, nil
}

// newLogger returns a logger writing text or JSON lines to w.
func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", format)
}

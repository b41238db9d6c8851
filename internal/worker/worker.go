// Package worker runs hireloop's durable background tasks: it sends the
// email waiting in the outbox and extracts the text of uploaded files.
//
// Both queues are rows of the database (the outbox table and the files whose
// text is pending), so a task survives a restart and several workers may
// share one PostgreSQL database: claims skip rows another worker holds. A
// worker keeps nothing of its own between passes, and a worker that dies in
// the middle of a task leaves the task to fall due again.
//
// On shutdown a worker takes no new task and finishes the ones it holds,
// bounded by Config.DrainTimeout, so a deploy neither drops a half-sent
// batch nor waits forever on a stuck mail server.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/mail"
	"hireloop/internal/resume"
)

// ExtractFunc returns the text of a file of the given kind, or an error whose
// hiring.ErrorMessage is a note a recruiter can read.
type ExtractFunc func(ctx context.Context, kind resume.Kind, data []byte) (string, error)

// Defaults of Config.
const (
	DefaultPollInterval   = 2 * time.Second
	DefaultConcurrency    = 2
	DefaultBatchSize      = 50
	DefaultExtractTimeout = 15 * time.Second
	DefaultDrainTimeout   = 30 * time.Second
)

// Config is what a Worker works with. Outbox and Files are required.
type Config struct {
	Outbox hiring.OutboxService
	Files  hiring.FileService
	// Sender delivers email; a mail.BatchSender is used over one connection
	// per batch. Nil means mail is not configured: messages stay queued,
	// untouched, until a worker with a sender runs.
	Sender mail.Sender
	// Extract reads a file's text; nil uses package resume with its default
	// limits and ExtractTimeout.
	Extract ExtractFunc
	// Logger receives what went wrong and what was done; nil discards it.
	Logger *slog.Logger
	// Now is the clock for timing; nil means time.Now. The schedule of
	// retries is the store's, on the store's clock.
	Now func() time.Time
	// PollInterval is the wait between passes that found nothing to do.
	PollInterval time.Duration
	// Concurrency is how many mail connections and extractions run at once.
	Concurrency int
	// BatchSize is how many messages or files one pass takes at most.
	BatchSize int
	// ExtractTimeout bounds the reading of one file.
	ExtractTimeout time.Duration
	// DrainTimeout bounds the work finished after Run's context ends.
	DrainTimeout time.Duration
	// Retention deletes data whose retention period has passed, every
	// PurgeInterval (see purge.go); nil deletes nothing.
	Retention     Retention
	PurgeInterval time.Duration
	// Replies queues reminders of replies owed to candidates, every
	// ReplyInterval (see replies.go); nil queues none. BaseURL is the
	// server's public address, for links in the reminders.
	Replies       ReplyReminders
	ReplyInterval time.Duration
	BaseURL       string
}

// Worker sends queued email and extracts pending file text. Its methods
// may be called from one goroutine at a time.
type Worker struct {
	cfg Config
	log *slog.Logger
	now func() time.Time

	// retryFile holds files whose text could not be read for a reason that
	// may pass (storage unavailable), with when to try again, so that they
	// neither block the files behind them nor spin the loop.
	retryFile map[int64]time.Time
	// warnedNoMail keeps the "mail is not configured" warning to one line.
	warnedNoMail bool
	// lastPurge is when the last retention purge began.
	lastPurge time.Time
	// lastReplies is when the last look for reply reminders began.
	lastReplies time.Time
}

// New returns a worker; it does nothing until Run or Pass is called.
func New(cfg Config) *Worker {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.ExtractTimeout <= 0 {
		cfg.ExtractTimeout = DefaultExtractTimeout
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = DefaultDrainTimeout
	}
	if cfg.PurgeInterval <= 0 {
		cfg.PurgeInterval = DefaultPurgeInterval
	}
	if cfg.ReplyInterval <= 0 {
		cfg.ReplyInterval = DefaultReplyInterval
	}
	if cfg.Extract == nil {
		lim := resume.DefaultLimits()
		lim.Timeout = cfg.ExtractTimeout
		cfg.Extract = func(ctx context.Context, kind resume.Kind, data []byte) (string, error) {
			return resume.Extract(ctx, kind, data, lim)
		}
	}
	return &Worker{cfg: cfg, log: cfg.Logger, now: cfg.Now, retryFile: map[int64]time.Time{}}
}

// Report counts what one pass did.
type Report struct {
	// Sent counts messages the mail server accepted; Retrying those it
	// refused for now; Failed those given up on.
	Sent, Retrying, Failed int
	// Extracted counts files whose text was stored; Unreadable those kept
	// with a note instead; Deferred those to be tried again later.
	Extracted, Unreadable, Deferred int
	// Purged counts applications deleted after their retention period.
	Purged int
	// Reminded counts reply reminders queued.
	Reminded int
}

// busy reports whether the pass found work, so the loop goes on at once.
func (r Report) busy() bool {
	return r.Sent+r.Retrying+r.Failed+r.Extracted+r.Unreadable > 0
}

func (r *Report) add(o Report) {
	r.Sent += o.Sent
	r.Retrying += o.Retrying
	r.Failed += o.Failed
	r.Extracted += o.Extracted
	r.Unreadable += o.Unreadable
	r.Deferred += o.Deferred
	r.Purged += o.Purged
	r.Reminded += o.Reminded
}

// Run does passes until ctx ends, then finishes the pass in progress and
// returns nil. It waits PollInterval after a pass that found nothing. An
// error of the database is logged and retried after PollInterval rather
// than returned, because a database that is briefly away must not stop the
// server the worker runs in.
func (w *Worker) Run(ctx context.Context) error {
	if w.cfg.Outbox == nil || w.cfg.Files == nil {
		return errors.New("worker: Outbox and Files are required")
	}
	w.log.Info("worker started", "concurrency", w.cfg.Concurrency, "poll", w.cfg.PollInterval)
	defer w.log.Info("worker stopped")
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		}
		r, err := w.Pass(ctx)
		if err != nil {
			w.log.Error("worker pass failed; trying again", "err", err)
		}
		wait := w.cfg.PollInterval
		if err == nil && r.busy() {
			wait = 0
		}
		timer.Reset(wait)
	}
}

// Pass sends the messages that are due and extracts the pending files, each
// up to BatchSize, purges expired data when PurgeInterval has passed, and
// reports what it did. When ctx ends during the pass,
// the tasks already taken are finished on a context that outlives ctx by
// DrainTimeout, and nothing more is taken.
func (w *Worker) Pass(ctx context.Context) (Report, error) {
	if ctx.Err() != nil {
		return Report{}, nil
	}
	work, stop := w.drainContext(ctx)
	defer stop()

	var (
		wg                         sync.WaitGroup
		mailRep, textRep, purgeRep Report
		mailErr, textErr, purgeErr error
	)
	wg.Go(func() { mailRep, mailErr = w.sendDue(ctx, work) })
	wg.Go(func() { textRep, textErr = w.extractPending(ctx, work) })
	wg.Go(func() { purgeRep, purgeErr = w.purgeIfDue(ctx) })
	var (
		replyRep Report
		replyErr error
	)
	wg.Go(func() { replyRep, replyErr = w.remindIfDue(work) })
	wg.Wait()
	var r Report
	r.add(mailRep)
	r.add(textRep)
	r.add(purgeRep)
	r.add(replyRep)
	return r, errors.Join(mailErr, textErr, purgeErr, replyErr)
}

// drainContext returns the context tasks run on: it keeps ctx's values, is
// not cancelled with ctx, but ends DrainTimeout after ctx does.
func (w *Worker) drainContext(ctx context.Context) (context.Context, func()) {
	work, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(w.cfg.DrainTimeout, cancel)
		context.AfterFunc(work, func() { t.Stop() })
	})
	return work, func() {
		stop()
		cancel()
	}
}

// forEach runs fn on each item with at most n at once.
func forEach[T any](items []T, n int, fn func(T)) {
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for _, it := range items {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(it)
		}()
	}
	wg.Wait()
}

// errorf is fmt.Errorf with the worker's prefix.
func errorf(format string, args ...any) error {
	return fmt.Errorf("worker: "+format, args...)
}

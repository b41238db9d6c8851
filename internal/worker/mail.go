package worker

import (
	"context"
	"strconv"
	"sync"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/mail"
)

// recordTimeout bounds the recording of a batch's outcomes.
const recordTimeout = 30 * time.Second

// sendDue claims the messages that are due and delivers them, one
// connection per share of the batch. Claiming stops when ctx ends;
// delivering and recording run on work, so a batch taken is finished.
//
// A message is recorded as sent only after the server accepted it. If the
// process dies between the two, the claim's lease runs out and the message
// is sent again, with the same Message-ID, which receiving systems use to
// drop the copy: at least once, never lost.
func (w *Worker) sendDue(ctx, work context.Context) (Report, error) {
	var r Report
	if w.cfg.Sender == nil {
		w.warnNoMail(work)
		return r, nil
	}
	if ctx.Err() != nil {
		return r, nil
	}
	msgs, err := w.cfg.Outbox.ClaimDueMessages(work, w.cfg.BatchSize)
	if err != nil {
		return r, errorf("claim messages: %w", err)
	}
	if len(msgs) == 0 {
		return r, nil
	}
	shares := split(msgs, w.cfg.Concurrency)
	errs := make([][]error, len(shares))
	var wg sync.WaitGroup
	for i, share := range shares {
		wg.Go(func() { errs[i] = w.deliver(work, share) })
	}
	wg.Wait()
	// Outcomes are recorded even when the drain timeout cut the sends short,
	// so a message the server took is not sent again after its lease.
	rec, cancel := context.WithTimeout(context.WithoutCancel(work), recordTimeout)
	defer cancel()
	var firstErr error
	for i, share := range shares {
		for j, m := range share {
			if err := w.record(rec, m, errs[i][j], &r); err != nil && firstErr == nil {
				firstErr = err
			}
		}
	}
	return r, firstErr
}

// deliver sends msgs over one connection when the sender can, and returns
// one error per message.
func (w *Worker) deliver(ctx context.Context, msgs []*hiring.Message) []error {
	out := make([]*mail.Message, len(msgs))
	for i, m := range msgs {
		out[i] = mailMessage(m)
	}
	if b, ok := w.cfg.Sender.(mail.BatchSender); ok {
		return b.SendBatch(ctx, out)
	}
	errs := make([]error, len(out))
	for i, m := range out {
		errs[i] = w.cfg.Sender.Send(ctx, m)
	}
	return errs
}

// record writes the outcome of one delivery to the outbox.
func (w *Worker) record(ctx context.Context, m *hiring.Message, sendErr error, r *Report) error {
	if sendErr == nil {
		r.Sent++
		if err := w.cfg.Outbox.MarkSent(ctx, m.ID); err != nil {
			// The message went out; the lease will run out and it may go out
			// again, with the same Message-ID.
			return errorf("record message %d as sent: %w", m.ID, err)
		}
		w.log.Info("email sent", "message", m.ID, "attempt", m.Attempts)
		return nil
	}
	permanent := mail.Permanent(sendErr)
	gaveUp := permanent || m.Attempts >= hiring.MaxMessageAttempts
	if gaveUp {
		r.Failed++
		w.log.Error("email failed; giving up", "message", m.ID, "attempt", m.Attempts, "err", sendErr)
	} else {
		r.Retrying++
		w.log.Warn("email not sent; will retry", "message", m.ID, "attempt", m.Attempts, "err", sendErr)
	}
	if err := w.cfg.Outbox.MarkFailed(ctx, m.ID, sendErr.Error(), permanent); err != nil {
		return errorf("record failure of message %d: %w", m.ID, err)
	}
	return nil
}

// warnNoMail says once that email waits for a mail server.
func (w *Worker) warnNoMail(ctx context.Context) {
	if w.warnedNoMail {
		return
	}
	queued := hiring.MessageQueued
	_, n, err := w.cfg.Outbox.FindMessages(ctx, hiring.MessageFilter{Status: &queued, Limit: 1})
	if err != nil {
		return
	}
	w.warnedNoMail = true
	w.log.Warn("mail is not configured: email stays in the outbox until a worker runs with SMTP settings",
		"queued", n)
}

// mailMessage turns an outbox message into an email. The Message-ID is
// derived from the outbox row, so every attempt at one message carries the
// same one; the row's creation time keeps it unique across databases that
// reuse ids, such as a demo started afresh. The Date is when the message
// was queued, which is when its writer finished it.
func mailMessage(m *hiring.Message) *mail.Message {
	out := &mail.Message{
		To:        m.To,
		Subject:   m.Subject,
		Text:      m.TextBody,
		HTML:      m.HTMLBody,
		MessageID: MessageID(m),
		Date:      m.CreatedAt,
	}
	if m.Calendar != "" {
		out.Calendar = &mail.Calendar{Method: m.CalendarMethod, Data: []byte(m.Calendar)}
	}
	return out
}

// MessageID is the left part of the Message-ID of an outbox message, such
// as "outbox-42.m3x1k0". The sender adds its domain.
func MessageID(m *hiring.Message) string {
	return "outbox-" + strconv.FormatInt(m.ID, 10) + "." + strconv.FormatInt(m.CreatedAt.UnixMicro(), 36)
}

// split cuts msgs into at most n shares of nearly equal size, in order.
func split[T any](items []T, n int) [][]T {
	n = max(1, min(n, len(items)))
	size := (len(items) + n - 1) / n
	var out [][]T
	for len(items) > 0 {
		k := min(size, len(items))
		out = append(out, items[:k])
		items = items[k:]
	}
	return out
}

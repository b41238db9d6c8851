package worker

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// DefaultReplyInterval is how often a worker looks for replies to remind
// their owners of.
const DefaultReplyInterval = 15 * time.Minute

// ReplyReminders queues reminders to the people who owe candidates a
// reply: one business day before the reply date and on the day. Queueing
// must be safe to repeat and to run on several workers at once; each
// reminder is queued at most once.
type ReplyReminders interface {
	// QueueReplyReminders queues the reminders due now and returns how
	// many it queued; link gives the address of an application's page.
	QueueReplyReminders(ctx context.Context, link func(appID int64) string) (int, error)
}

// remindIfDue queues reply reminders when ReplyInterval has passed since
// the last look; the first pass of a worker always looks. A look that
// fails is tried again at the next interval.
func (w *Worker) remindIfDue(work context.Context) (Report, error) {
	var r Report
	if w.cfg.Replies == nil {
		return r, nil
	}
	now := w.now()
	if !w.lastReplies.IsZero() && now.Sub(w.lastReplies) < w.cfg.ReplyInterval {
		return r, nil
	}
	w.lastReplies = now
	base := strings.TrimSuffix(w.cfg.BaseURL, "/")
	link := func(id int64) string {
		if base == "" {
			return ""
		}
		return base + "/applications/" + strconv.FormatInt(id, 10)
	}
	n, err := w.cfg.Replies.QueueReplyReminders(work, link)
	r.Reminded = n
	if n > 0 {
		w.log.Info("queued reply reminders", "count", n)
	}
	if err != nil {
		return r, errorf("queue reply reminders: %w", err)
	}
	return r, nil
}

package worker

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"hireloop/internal/blob"
	"hireloop/internal/hiring"
	"hireloop/internal/resume"
)

// fileRetryDelay is the wait before a file whose bytes could not be read,
// for a reason that may pass, is tried again.
const fileRetryDelay = time.Minute

// Notes kept with files whose text could not be read for reasons outside
// package resume.
const (
	noteMissing = "The file's content is missing from storage, so its text could not be read."
)

// extractPending reads the text of the files that wait for it and stores it.
// A file that cannot be read is kept with a note for people and never tried
// again; only a failure to reach storage defers it. At most Concurrency
// files are read at once, each bounded in time (ExtractTimeout) and memory
// (resume.MaxSize of bytes, plus what package resume allows a file to
// expand to).
func (w *Worker) extractPending(ctx, work context.Context) (Report, error) {
	var r Report
	if ctx.Err() != nil {
		return r, nil
	}
	limit := min(w.cfg.BatchSize+len(w.retryFile), 500)
	files, err := w.cfg.Files.FindFilesPendingText(work, limit)
	if err != nil {
		return r, errorf("find files to read: %w", err)
	}
	now := w.now()
	pending := map[int64]bool{}
	var todo []*hiring.File
	for _, f := range files {
		pending[f.ID] = true
		if until, ok := w.retryFile[f.ID]; ok && now.Before(until) {
			r.Deferred++
			continue
		}
		if len(todo) < w.cfg.BatchSize {
			todo = append(todo, f)
		}
	}
	if len(files) < limit {
		// Every pending file was listed: forget those no longer pending.
		for id := range w.retryFile {
			if !pending[id] {
				delete(w.retryFile, id)
			}
		}
	}

	var (
		mu       sync.Mutex
		firstErr error
	)
	forEach(todo, w.cfg.Concurrency, func(f *hiring.File) {
		res := w.readText(work, f)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case res.later:
			r.Deferred++
			w.retryFile[f.ID] = w.now().Add(fileRetryDelay)
			w.log.Warn("file not readable for now; will retry", "file", f.ID, "err", res.err)
			return
		case res.skip:
			return
		}
		delete(w.retryFile, f.ID)
		err := w.cfg.Files.SetFileText(work, f.ID, res.text, res.status, res.note)
		if hiring.ErrorCode(err) == hiring.ENOTFOUND {
			return // deleted meanwhile
		} else if err != nil {
			if firstErr == nil {
				firstErr = errorf("store text of file %d: %w", f.ID, err)
			}
			return
		}
		if res.status == hiring.TextDone {
			r.Extracted++
			w.log.Info("file text extracted", "file", f.ID, "bytes", len(res.text))
		} else {
			r.Unreadable++
			w.log.Info("file text unreadable; kept with a note", "file", f.ID, "note", res.note, "err", res.err)
		}
	})
	return r, firstErr
}

// textResult is what reading one file came to.
type textResult struct {
	text   string
	status hiring.TextStatus
	note   string
	// err is the cause, for logs.
	err error
	// later means try again after a while; skip means leave the file alone (its
	// record is gone, or the worker is stopping).
	later, skip bool
}

// readText opens a file and extracts its text.
func (w *Worker) readText(ctx context.Context, f *hiring.File) textResult {
	_, rc, err := w.cfg.Files.OpenFile(ctx, f.ID)
	switch {
	case err == nil:
	case hiring.ErrorCode(err) == hiring.ENOTFOUND:
		return textResult{skip: true}
	case errors.Is(err, blob.ErrNotFound):
		return unreadable(noteMissing, err)
	case ctx.Err() != nil:
		return textResult{skip: true}
	default:
		return textResult{later: true, err: err}
	}
	data, err := io.ReadAll(io.LimitReader(rc, resume.MaxSize+1))
	rc.Close()
	switch {
	case ctx.Err() != nil:
		return textResult{skip: true}
	case err != nil:
		return textResult{later: true, err: err}
	case len(data) > resume.MaxSize:
		return unreadable(resume.ErrTooLarge.Message, resume.ErrTooLarge)
	}
	kind, err := resume.Detect(data)
	if err != nil {
		return unreadable(hiring.ErrorMessage(err), err)
	}
	text, err := w.extract(ctx, kind, data)
	switch {
	case err == nil:
		return textResult{text: text, status: hiring.TextDone}
	case ctx.Err() != nil:
		// The worker is stopping; the file says nothing wrong.
		return textResult{skip: true}
	case hiring.ErrorCode(err) != hiring.EINTERNAL:
		return unreadable(hiring.ErrorMessage(err), err)
	case errors.Is(err, context.DeadlineExceeded):
		return unreadable(resume.ErrTimeout.Message, err)
	}
	return unreadable(resume.ErrUnreadable.Message, err)
}

func unreadable(note string, err error) textResult {
	return textResult{status: hiring.TextFailed, note: note, err: err}
}

// extract runs the configured extractor within ExtractTimeout, returning by
// then even if the extractor does not watch its context.
func (w *Worker) extract(ctx context.Context, kind resume.Kind, data []byte) (string, error) {
	ectx, cancel := context.WithTimeout(ctx, w.cfg.ExtractTimeout)
	defer cancel()
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: resume.ErrUnreadable}
			}
		}()
		text, err := w.cfg.Extract(ectx, kind, data)
		done <- result{text, err}
	}()
	select {
	case r := <-done:
		if r.err == nil && r.text == "" {
			r.err = resume.ErrNoText
		}
		return r.text, r.err
	case <-ectx.Done():
		return "", ectx.Err()
	}
}

package main

import (
	"fmt"
	"io"
	"time"
)

// progress prints "reading 120/700" lines on standard error at most a few
// times a second, so long imports show that they move without flooding logs.
type progress struct {
	w     io.Writer
	verb  string
	last  time.Time
	shown bool
	n, of int
}

func newProgress(w io.Writer, verb string) *progress { return &progress{w: w, verb: verb} }

func (p *progress) update(done, total int, _ string) {
	p.n, p.of = done, total
	if time.Since(p.last) < 250*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.shown = true
	fmt.Fprintf(p.w, "%s %d/%d\n", p.verb, done, total)
}

func (p *progress) done() {
	if p.shown && p.n > 0 {
		fmt.Fprintf(p.w, "%s %d/%d done\n", p.verb, p.n, p.of)
	}
}

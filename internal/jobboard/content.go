package jobboard

import (
	"bytes"
	"html"
	"sync"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"

	"hireloop/internal/hiring"
)

// Descriptions are Markdown. Greenhouse sends a job's content as HTML whose
// markup is itself escaped into entities ("&lt;p&gt;"), and clients unescape
// it once before they insert it into a page, so the HTML must be safe to
// insert: goldmark leaves out raw HTML and dangerous links, and bluemonday's
// policy for user content removes anything else a description could carry.

// maxCachedContent bounds the cache of rendered descriptions; past it the
// cache starts again, which costs one rendering per job.
const maxCachedContent = 10000

type renderedContent struct {
	updatedAt time.Time
	escaped   string
}

// contentCache keeps each opening's rendered content until the opening
// changes, so that listing 500 jobs with content does not render 500
// Markdown documents on every request.
type contentCache struct {
	mu   sync.Mutex
	byID map[int64]renderedContent
}

var (
	markdown  = goldmark.New()
	sanitizer = bluemonday.UGCPolicy()
)

func (c *contentCache) escapedHTML(o *hiring.Opening) string {
	c.mu.Lock()
	got, ok := c.byID[o.ID]
	c.mu.Unlock()
	if ok && got.updatedAt.Equal(o.UpdatedAt) {
		return got.escaped
	}
	escaped := html.EscapeString(descriptionHTML(o.Description))
	c.mu.Lock()
	if c.byID == nil || len(c.byID) >= maxCachedContent {
		c.byID = map[int64]renderedContent{}
	}
	c.byID[o.ID] = renderedContent{updatedAt: o.UpdatedAt, escaped: escaped}
	c.mu.Unlock()
	return escaped
}

// descriptionHTML renders a description to safe HTML.
func descriptionHTML(md string) string {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(md), &b); err != nil {
		// goldmark fails only when writing fails, which a buffer does
		// not; the text is still worth showing.
		return "<p>" + html.EscapeString(md) + "</p>"
	}
	return sanitizer.Sanitize(b.String())
}

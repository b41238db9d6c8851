package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hireloop/internal/hiring"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// layout holds what every page shows around its content. Each page struct
// embeds it; render fills in the parts that come from the request.
type layout struct {
	Title string
	User  *hiring.User
	Flash string
	// Path is the current path, so the navigation can mark where you are.
	Path     string
	CSS      string
	SearchQ  string
	IsAdmin  bool
	CanEdit  bool
	SignedIn bool
}

func (l *layout) base() *layout { return l }

// pageData is implemented by every page struct through its embedded layout.
type pageData interface{ base() *layout }

// assets holds the embedded static files and a version of each, so URLs can
// change when content does and be cached for long.
type assets struct {
	fs       fs.FS
	versions map[string]string
}

func newAssets() (*assets, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	a := &assets{fs: sub, versions: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.versions[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	return a, err
}

// url returns the address of a static file with its version.
func (a *assets) url(name string) string {
	return "/static/" + name + "?v=" + a.versions[name]
}

// parseTemplates parses every page once, each with the shared layout and
// partials, so that a page's blocks never leak into another.
func parseTemplates(a *assets, now func() time.Time) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"grade":      formatGrade,
		"minutes":    formatMinutes,
		"date":       formatDate,
		"datetime":   formatDateTime,
		"ago":        func(t any) string { return ago(t, now()) },
		"roleLabel":  func(r hiring.UserRole) string { return r.Label() },
		"asset":      a.url,
		"entityURL":  entityURL,
		"itoa":       itoa,
		"plural":     plural,
		"paragraphs": paragraphs,
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New("layout").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/_*.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		pages[base] = t
	}
	if _, ok := pages["error"]; !ok {
		return nil, fmt.Errorf("web: the error template is missing")
	}
	return pages, nil
}

// render executes a page into a buffer first, so that a template failure
// becomes a clean error page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data pageData) {
	l := data.base()
	u := hiring.ActorFromContext(r.Context())
	l.User = u
	l.SignedIn = u != nil
	l.IsAdmin = u != nil && u.Role == hiring.RoleAdmin
	l.CanEdit = u != nil && u.Role.CanEditCatalog()
	l.Path = r.URL.Path
	l.CSS = s.assets.url("app.css")
	if l.Flash == "" && s.sessions != nil {
		l.Flash = s.popFlash(r)
	}
	t, ok := s.pages[name]
	var buf bytes.Buffer
	err := fmt.Errorf("web: no template %q", name)
	if ok {
		err = t.ExecuteTemplate(&buf, "layout", data)
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "template failed", "page", name, "err", err)
		if name != "error" {
			s.render(w, r, http.StatusInternalServerError, "error", &errorPage{
				layout: layout{Title: errorTitle(500)}, Status: 500, Message: "Internal error."})
			return
		}
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// redirect sends the browser on after a successful form, with a message
// for the next page.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) error {
	if flash != "" {
		s.sessions.Put(r.Context(), flashKey, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func formatGrade(g *float64) string {
	if g == nil {
		return ""
	}
	return strconv.FormatFloat(*g, 'f', -1, 64)
}

func formatMinutes(m int) string {
	switch {
	case m <= 0:
		return ""
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

func formatDate(t any) string { return formatTime(t, "2 Jan 2006") }

func formatDateTime(t any) string { return formatTime(t, "2 Jan 2006 15:04 UTC") }

// formatTime takes a time or a pointer to one, as optional times are
// pointers; nil and zero times print nothing.
func formatTime(t any, layout string) string {
	var v time.Time
	switch x := t.(type) {
	case time.Time:
		v = x
	case *time.Time:
		if x != nil {
			v = *x
		}
	}
	if v.IsZero() {
		return ""
	}
	return v.UTC().Format(layout)
}

// ago says how long ago t was, in the words people use for recent
// things, and as a date beyond a week.
func ago(t any, now time.Time) string {
	var v time.Time
	switch x := t.(type) {
	case time.Time:
		v = x
	case *time.Time:
		if x != nil {
			v = *x
		}
	}
	if v.IsZero() {
		return ""
	}
	d := now.Sub(v)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute", "minutes") + " ago"
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour", "hours") + " ago"
	case d < 7*24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day", "days") + " ago"
	}
	return formatDate(v)
}

// plural writes a count with the right noun: "1 role", "3 roles".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// paragraphs splits text at blank lines; single line breaks stay inside a
// paragraph and the stylesheet keeps them.
func paragraphs(s string) []string {
	var out []string
	for p := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

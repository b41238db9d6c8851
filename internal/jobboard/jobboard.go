// Package jobboard serves hireloop's openings through the Greenhouse Job
// Board API, so that a careers site or a job aggregator written for
// Greenhouse works against hireloop when only its base URL changes.
//
// The routes, parameters, field names and error bodies follow Greenhouse's
// published documentation. Where hireloop holds no matching data, the field
// is there with an honest empty value (metadata is null, compliance is an
// empty list) rather than left out, because clients read the fields without
// checking for them. Choices Greenhouse leaves to its customers are made
// here once, and documented beside the code that makes them:
//   - a job's id and internal_job_id are both the opening's id;
//   - offices are derived from the openings' locations (see office.go);
//   - departments are the catalog's departments, with a "No Department"
//     entry (id 0) for open jobs that have none, as Greenhouse does.
//
// Reading is public. Applying needs HTTP Basic authentication whose user
// name is the board's API key, as Greenhouse asks, and goes through the
// same hiring.ApplicationService as the careers site, with its rules.
package jobboard

import (
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"hireloop/internal/hiring"
)

// Handler serves the job board API of one board. Its fields are set once,
// before the first request.
type Handler struct {
	// Openings, Departments and Applications are the services the board
	// reads and applies through.
	Openings     hiring.OpeningService
	Departments  hiring.DepartmentService
	Applications hiring.ApplicationService

	// BoardToken is the one board token this server answers to; every
	// other token, and every token when it is empty, is not found.
	BoardToken string
	// APIKey is the secret a client sends as the Basic user name to apply.
	// When it is empty, applying through the API is turned off.
	APIKey string
	// BaseURL is the public address of the careers site, without a
	// trailing slash: a job's absolute_url is BaseURL + "/jobs/{id}".
	BaseURL string
	// CompanyName is the board's name and each job's company_name.
	CompanyName string
	// RetentionMonths is how long applicants' data is kept, as the
	// application service applies it; it is published in days as each
	// job's data_compliance retention_period. Zero means the default of
	// package hiring.
	RetentionMonths int
	// MaxBodyBytes caps an application's body; zero means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// CacheTTL is how long one read of the board, and the answers made
	// from it, are reused (see cache.go); zero reads the store on every
	// request.
	CacheTTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger

	once    sync.Once
	mux     *http.ServeMux
	content contentCache
	cache   snapshotCache
}

// Prefix is where the job board API lives, as on Greenhouse.
const Prefix = "/v1/boards"

// Func is the shape of every handler: it writes a success itself and returns
// an error for WriteError to render.
type Func func(w http.ResponseWriter, r *http.Request) error

// Route is one route of the API, with a standard ServeMux pattern, so that a
// server with its own route table can register it beside its other routes.
type Route struct {
	Method string
	Path   string
	Handle Func
}

// Routes lists every route of the API. GET routes also answer HEAD.
func (h *Handler) Routes() []Route {
	const get, post = http.MethodGet, http.MethodPost
	return []Route{
		{get, Prefix + "/{board_token}", h.GetBoard},
		{get, Prefix + "/{board_token}/jobs", h.ListJobs},
		{get, Prefix + "/{board_token}/jobs/{id}", h.GetJob},
		{post, Prefix + "/{board_token}/jobs/{id}", h.Apply},
		{get, Prefix + "/{board_token}/departments", h.ListDepartments},
		{get, Prefix + "/{board_token}/departments/{id}", h.GetDepartment},
		{get, Prefix + "/{board_token}/offices", h.ListOffices},
		{get, Prefix + "/{board_token}/offices/{id}", h.GetOffice},
	}
}

// ServeHTTP serves the API on a mux of its own, for tests and for servers
// that mount it whole under Prefix. Paths it does not know are answered
// with Greenhouse's 404 body.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.once.Do(func() {
		h.mux = http.NewServeMux()
		for _, rt := range h.Routes() {
			h.mux.Handle(rt.Method+" "+rt.Path, h.Adapt(rt.Handle))
		}
	})
	if _, pattern := h.mux.Handler(r); pattern != "" {
		h.mux.ServeHTTP(w, r)
		return
	}
	// The mux knows whether the path exists for another method; ask it.
	rec := &headerRecorder{header: http.Header{}}
	h.mux.ServeHTTP(rec, r)
	if rec.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", rec.header.Get("Allow"))
		h.renderError(w, r, &hiring.Error{Code: CodeMethodNotAllowed,
			Message: "This address does not accept " + r.Method + " requests."})
		return
	}
	h.renderError(w, r, hiring.Errorf(hiring.ENOTFOUND, "Not found"))
}

// headerRecorder captures what the mux's own fallback would answer.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerRecorder) WriteHeader(status int)      { h.status = status }

// Adapt turns a Func into an http.Handler that renders its error with
// WriteError and logs internal errors.
func (h *Handler) Adapt(fn Func) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			h.renderError(w, r, err)
		}
	})
}

func (h *Handler) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if Status(err) >= http.StatusInternalServerError && h.Logger != nil {
		h.Logger.ErrorContext(r.Context(), "job board request failed",
			"method", r.Method, "path", r.URL.Path, "err", err)
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		w.Header().Set("Access-Control-Allow-Origin", "*")
	}
	WriteError(w, err)
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// errNoBoard answers every route of a board that does not exist.
var errNoBoard = hiring.Errorf(hiring.ENOTFOUND, "Board not found")

// checkBoard refuses a request for another board than this server's. The
// comparison takes the same time whatever the token, so the token of an
// unpublished board cannot be guessed letter by letter.
func (h *Handler) checkBoard(r *http.Request) error {
	token := r.PathValue("board_token")
	if h.BoardToken == "" || subtle.ConstantTimeCompare([]byte(token), []byte(h.BoardToken)) != 1 {
		return errNoBoard
	}
	return nil
}

// notFoundUnlessBoard reports a request for another board as such before
// any mistake in its parameters, as every route of an unknown board is not
// found.
func (h *Handler) notFoundUnlessBoard(r *http.Request, err error) error {
	if berr := h.checkBoard(r); berr != nil {
		return berr
	}
	return err
}

// pathID reads the {id} wildcard. Greenhouse answers a malformed id as it
// answers an unknown one, with a 404, and so does hireloop.
func pathID(r *http.Request, notFound string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n < 0 {
		return 0, hiring.Errorf(hiring.ENOTFOUND, "%s", notFound)
	}
	return n, nil
}

// flag reads a Greenhouse boolean parameter such as content=true. Like
// Greenhouse, anything but true (or 1) leaves the option off, without an
// error.
func flag(r *http.Request, name string) bool {
	v := strings.ToLower(strings.TrimSpace(r.URL.Query().Get(name)))
	return v == "true" || v == "1"
}

// renderAs reads render_as, which is list unless it says tree.
func renderAs(r *http.Request) (tree bool, err error) {
	switch v := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("render_as"))); v {
	case "", "list":
		return false, nil
	case "tree":
		return true, nil
	}
	return false, &hiring.Error{Code: hiring.EINVALID, Message: "render_as must be list or tree.",
		Fields: map[string]string{"render_as": "Must be list or tree."}}
}

// notFoundAs keeps a store's not-found error but words it as Greenhouse
// does; other errors pass unchanged.
func notFoundAs(err error, msg string) error {
	if hiring.ErrorCode(err) == hiring.ENOTFOUND {
		return hiring.Errorf(hiring.ENOTFOUND, "%s", msg)
	}
	return err
}

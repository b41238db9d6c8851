package web

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// middleware wraps the router in the layers every request passes, from the
// outside in: access log and metrics, panic recovery, security headers,
// cross-origin protection, the session, and the acting user.
func (s *Server) middleware(h http.Handler) http.Handler {
	h = s.authenticate(h)
	h = s.sessions.LoadAndSave(h)
	h = s.crossOrigin(h)
	h = secureHeaders(h)
	h = s.recoverPanics(h)
	return s.observe(h)
}

type infoKey struct{}

// requestInfo is filled in by inner layers for the outer access log and
// metrics, which cannot see the requests the inner layers derive.
type requestInfo struct {
	route  string
	userID int64
}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(infoKey{}).(*requestInfo)
	return info
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// WriteHeader keeps the first status, the one the client receives.
func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write counts the bytes sent; a write without a status means 200.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe writes one access-log line and the request metrics. The route
// label is the matched pattern, never the raw path, so metrics stay small.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		elapsed := time.Since(start)
		route := info.route
		if route == "" {
			route = "unmatched"
		}
		s.metrics.observe(route, r.Method, sw.status, elapsed)
		attrs := []any{
			"method", r.Method, "path", r.URL.Path, "route", route, "status", sw.status,
			"bytes", sw.bytes, "duration_ms", float64(elapsed.Microseconds()) / 1000,
			"remote", r.RemoteAddr,
		}
		if info.userID != 0 {
			attrs = append(attrs, "user_id", info.userID)
		}
		level := slog.LevelInfo
		if quietRoutes[route] && sw.status < 400 {
			level = slog.LevelDebug
		}
		s.log.Log(r.Context(), level, "request", attrs...)
	})
}

// quietRoutes are polled by machines; their successes are logged at debug
// level so that the log shows what people did.
var quietRoutes = map[string]bool{
	"GET /healthz": true, "GET /readyz": true, "GET /metrics": true, "GET /static/{file}": true,
}

// recoverPanics turns a panic into a plain 500 with no stack in the answer;
// the stack goes to the log.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.ErrorContext(r.Context(), "panic", "method", r.Method, "path", r.URL.Path, "panic", v,
				"stack", string(debug.Stack()))
			w.Header().Set("Connection", "close")
			http.Error(w, "Internal error.", http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, r)
	})
}

// secureHeaders sets headers that keep pages from being framed, sniffed or
// loading anything from elsewhere; hireloop pages need no outside resource.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy",
			"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "+
				"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses state-changing requests that a browser sends from
// another site. Requests without browser headers (scripts sending a bearer
// token) pass, as they carry no cookie a forger could borrow.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, isAPIPath(r.URL.Path),
			hiring.Errorf(hiring.EFORBIDDEN, "This request came from another site and was refused."))
	}))
	return cop.Handler(next)
}

func isAPIPath(p string) bool {
	return p == api.Prefix || strings.HasPrefix(p, api.Prefix+"/")
}

// authenticate finds the acting user: from a bearer token when the request
// sends one (and then only from it), otherwise from the session.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.actingUser(r)
		if err != nil {
			s.renderError(w, r, isAPIPath(r.URL.Path), err)
			return
		}
		if u != nil {
			if info := infoFrom(r.Context()); info != nil {
				info.userID = u.ID
			}
			r = r.WithContext(hiring.NewContextWithActor(r.Context(), u))
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) actingUser(r *http.Request) (*hiring.User, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, ok := strings.Cut(h, " ")
		secret = strings.TrimSpace(secret)
		if strings.EqualFold(scheme, "Basic") {
			// Basic is the job board's scheme: its API key, which that
			// handler checks. It names no user here.
			return nil, nil
		}
		if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" || len(secret) > 512 {
			return nil, hiring.Errorf(hiring.EUNAUTHORIZED, "Send Authorization: Bearer followed by an API token.")
		}
		u, err := s.users.FindUserByToken(r.Context(), secret)
		if err != nil {
			if c := hiring.ErrorCode(err); c == hiring.EUNAUTHORIZED || c == hiring.ENOTFOUND {
				return nil, hiring.Errorf(hiring.EUNAUTHORIZED, "This API token is not valid or was revoked.")
			}
			return nil, err
		}
		return u, nil
	}
	id := s.sessions.GetInt64(r.Context(), userIDKey)
	if id == 0 {
		return nil, nil
	}
	u, err := s.users.FindUserByID(r.Context(), id)
	if hiring.ErrorCode(err) == hiring.ENOTFOUND {
		// The account is gone; so is its session.
		s.sessions.Remove(r.Context(), userIDKey)
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return u, nil
}

package web

import (
	"context"
	"net/http"
	"path"
	"time"

	"hireloop/internal/hiring"
)

// handleHealthz says the process is up and serving; it touches nothing else,
// so a slow database never gets a healthy process restarted.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	plain(w, http.StatusOK, "ok")
	return nil
}

// handleReadyz says whether requests can be served: the database answers
// and its migrations are current. The reason is short and never internal.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		s.log.WarnContext(r.Context(), "not ready", "err", err)
		reason := "not ready: the database is unavailable"
		if hiring.ErrorCode(err) != hiring.EINTERNAL {
			reason = "not ready: " + hiring.ErrorMessage(err)
		}
		plain(w, http.StatusServiceUnavailable, reason)
		return nil
	}
	plain(w, http.StatusOK, "ready")
	return nil
}

// handleMetrics serves Prometheus metrics.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) error {
	s.metrics.handler.ServeHTTP(w, r)
	return nil
}

// handleStatic serves the embedded stylesheet. Its URL carries a content
// version, so browsers may keep it for long.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) error {
	name := path.Clean(r.PathValue("file"))
	if _, ok := s.assets.versions[name]; !ok {
		return hiring.Errorf(hiring.ENOTFOUND, "There is no such file.")
	}
	if r.URL.Query().Get("v") == s.assets.versions[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	http.ServeFileFS(w, r, s.assets.fs, name)
	return nil
}

func plain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}

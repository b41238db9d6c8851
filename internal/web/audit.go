package web

import (
	"net/http"

	"hireloop/internal/hiring"
)

// auditPage lists changes, newest first, a page at a time.
type auditPage struct {
	layout
	Entries []*hiring.AuditEntry
	Pager   *pager
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) error {
	pg, err := newPager(r, perPage)
	if err != nil {
		return err
	}
	entries, total, err := s.audit.FindAuditEntries(r.Context(), hiring.AuditFilter{Offset: pg.Offset(), Limit: pg.PerPage})
	if err != nil {
		return err
	}
	pg.Total = total
	s.render(w, r, http.StatusOK, "audit", &auditPage{layout: layout{Title: "Audit log"}, Entries: entries, Pager: pg})
	return nil
}

// entityURL links an audit entry to what it changed, when that has a page.
func entityURL(e *hiring.AuditEntry) string {
	switch e.Entity {
	case "role", "roles":
		return "/roles/" + itoa(e.EntityID)
	case "family", "families":
		return "/families/" + itoa(e.EntityID)
	case "department", "departments":
		return "/departments/" + itoa(e.EntityID)
	}
	return ""
}

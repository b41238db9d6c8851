package web

import (
	"net/http"

	"hireloop/internal/hiring"
)

// guidePage is the candidate's private view of one application, reached
// from the link in their emails. It shows only what the candidate may see:
// where they are, what comes next, and how long it takes; never internal
// notes or feedback.
type guidePage struct {
	layout
	Application *hiring.Application
	Job         *hiring.Opening
	Steps       []hiring.HiringStep
	ReplyDays   int
	StatusText  string
}

// handleGuide answers GET /guide/{token}. A wrong, forged or revoked link
// gets one plain page that says so and nothing else, so the link cannot be
// probed for which applications exist.
func (s *Server) handleGuide(w http.ResponseWriter, r *http.Request) error {
	// The token is a secret: keep the page out of shared caches and
	// referrers.
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	a, err := s.applications.FindApplicationByGuideToken(r.Context(), r.PathValue("token"))
	if hiring.ErrorCode(err) == hiring.ENOTFOUND {
		s.render(w, r, http.StatusNotFound, "guide_invalid", &layout{Title: "This link does not work"})
		return nil
	} else if err != nil {
		return err
	}
	o, err := s.openings.FindOpeningByID(r.Context(), a.OpeningID)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "guide", &guidePage{
		layout:      layout{Title: "Your application: " + o.Title},
		Application: a,
		Job:         o,
		Steps:       hiringSteps(o),
		ReplyDays:   s.careers.replyDays,
		StatusText:  guideStatus(a.Status),
	})
	return nil
}

// guideStatus says where an application stands, in the candidate's words.
func guideStatus(st hiring.ApplicationStatus) string {
	switch st {
	case hiring.ApplicationActive:
		return "We have your application and are reviewing it."
	case hiring.ApplicationRejected:
		return "We decided not to move forward with your application. Thank you for the time you gave us."
	case hiring.ApplicationWithdrawn:
		return "You withdrew this application."
	case hiring.ApplicationHired:
		return "You accepted our offer. Welcome!"
	}
	return "We have your application."
}

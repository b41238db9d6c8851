package web

import (
	"context"
	"net/http"

	"hireloop/internal/hiring"
)

// inboxPage lists an opening's applications, newest first.
type inboxPage struct {
	layout
	Opening *hiring.Opening
	Rows    []inboxRow
	Pager   *pager
	Filter  *form
	Status  string
}

// inboxRow is one application with the state of its resume's text.
type inboxRow struct {
	*hiring.Application
	Resume string
	From   string
}

var applicationStatusOptions = []option{{"", "Any status"}, {string(hiring.ApplicationActive), "Active"},
	{string(hiring.ApplicationRejected), "Rejected"}, {string(hiring.ApplicationWithdrawn), "Withdrawn"},
	{string(hiring.ApplicationHired), "Hired"}}

// teamOpeningFor finds the opening of the {id} in the path, if the acting
// user may see and change all of its applications: recruiters, admins and
// its hiring team.
func (s *Server) teamOpeningFor(r *http.Request) (*hiring.Opening, error) {
	return s.openingIf(r, hiring.CanWorkOnApplications,
		"Only recruiters, admins and the opening’s hiring team can see its applications.")
}

func (s *Server) handleInbox(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	o, err := s.teamOpeningFor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := hiring.ApplicationFilter{OpeningID: &o.ID}
	if st := hiring.ApplicationStatus(q.Get("status")); st != "" {
		if !st.Valid() {
			return &hiring.Error{Code: hiring.EINVALID, Message: "status: Choose active, rejected, withdrawn or hired.",
				Fields: map[string]string{"status": "Choose active, rejected, withdrawn or hired."}}
		}
		f.Status = &st
	}
	pg, err := newPager(r, perPage)
	if err != nil {
		return err
	}
	f.Offset, f.Limit = pg.Offset(), pg.PerPage
	apps, total, err := s.applications.FindApplications(ctx, f)
	if err != nil {
		return err
	}
	pg.Total = total
	rows := make([]inboxRow, 0, len(apps))
	for _, a := range apps {
		st, err := s.resumeState(ctx, a.ResumeFileID)
		if err != nil {
			return err
		}
		rows = append(rows, inboxRow{Application: a, Resume: st, From: sourceLabel(a.Source)})
	}
	filter := newForm([]fieldSpec{{Name: "status", Label: "Status", Kind: kindSelect, Options: applicationStatusOptions}}, q)
	s.render(w, r, http.StatusOK, "inbox", &inboxPage{
		layout: layout{Title: "Applications to " + o.Title}, Opening: o, Rows: rows, Pager: pg,
		Filter: filter, Status: q.Get("status")})
	return nil
}

// resumeState says in a few words whether a resume's text can be searched.
func (s *Server) resumeState(ctx context.Context, fileID *int64) (string, error) {
	if fileID == nil {
		return "No resume", nil
	}
	f, err := s.files.FindFileByID(ctx, *fileID)
	if hiring.ErrorCode(err) == hiring.ENOTFOUND {
		return "Resume missing", nil
	} else if err != nil {
		return "", err
	}
	return textStateLabel(f.TextStatus), nil
}

// textStateLabel names the state of a file's text extraction.
func textStateLabel(st hiring.TextStatus) string {
	switch st {
	case hiring.TextDone:
		return "Text read"
	case hiring.TextFailed:
		return "Text could not be read"
	}
	return "Text not read yet"
}

// sourceLabel names where an application came from.
func sourceLabel(src hiring.Source) string {
	switch src {
	case hiring.SourceCareersSite:
		return "Careers site"
	case hiring.SourceJobBoardAPI:
		return "Job board API"
	case hiring.SourceReferral:
		return "Referral"
	case hiring.SourceSourced:
		return "Sourced"
	case hiring.SourceAgency:
		return "Agency"
	case hiring.SourceInternal:
		return "Internal"
	}
	return "Other"
}

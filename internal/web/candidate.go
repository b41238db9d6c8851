package web

import (
	"context"
	"io"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// candidatesPage is the search of candidates by name, email and resume text.
type candidatesPage struct {
	layout
	Query      string
	Candidates []*hiring.Candidate
	Pager      *pager
}

func (s *Server) handleCandidates(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > hiring.MaxTitleLen || strings.ContainsRune(q, 0) || !utf8.ValidString(q) {
		return &hiring.Error{Code: hiring.EINVALID, Message: "q: Search for fewer words.",
			Fields: map[string]string{"q": "Search for fewer words."}}
	}
	pg, err := newPager(r, perPage)
	if err != nil {
		return err
	}
	cs, total, err := s.candidates.SearchCandidates(r.Context(), hiring.CandidateSearch{
		Query: q, Offset: pg.Offset(), Limit: pg.PerPage})
	if err != nil {
		return err
	}
	pg.Total = total
	title := "Candidates"
	if q != "" {
		title = "Candidates matching “" + q + "”"
	}
	s.render(w, r, http.StatusOK, "candidates", &candidatesPage{
		layout: layout{Title: title}, Query: q, Candidates: cs, Pager: pg})
	return nil
}

// candidatePage shows a candidate: contact details, and the applications
// the user may see with their answers and resumes. It never shows
// self-identification, which is not linked to people at all.
type candidatePage struct {
	layout
	Candidate    *hiring.Candidate
	Applications []applicationView
	// Partial is set for a hiring manager, who sees only the applications
	// to the openings they lead.
	Partial bool
}

// applicationView is one application as the candidate page shows it.
type applicationView struct {
	*hiring.Application
	Opening *hiring.Opening
	From    string
	Answers []answerView
	Resume  *fileView
}

// answerView is a question with the candidate's answer.
type answerView struct {
	Question string
	Text     string
	File     *fileView
}

// fileView is an uploaded file with its download link and text.
type fileView struct {
	*hiring.File
	URL string
	// Shown is the text shown on the page; Cut says it is only the start.
	Shown string
	Cut   bool
}

// maxShownText bounds the resume text put on a page; the download has all.
const maxShownText = 20000

func (s *Server) handleCandidate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := api.PathID(r)
	if err != nil {
		return err
	}
	c, err := s.candidates.FindCandidateByID(ctx, id)
	if err != nil {
		return err
	}
	apps, openings, err := s.api.CandidateApplications(ctx, c.ID)
	if err != nil {
		return err
	}
	p := &candidatePage{layout: layout{Title: c.Name}, Candidate: c,
		Partial: !hiring.ActorFromContext(ctx).Role.CanManageOpenings()}
	for _, a := range apps {
		v := applicationView{Application: a, Opening: openings[a.OpeningID], From: sourceLabel(a.Source)}
		if v.Resume, err = s.fileView(ctx, a.ResumeFileID, a.ID); err != nil {
			return err
		}
		for _, ans := range a.Answers {
			av := answerView{Question: "A question since removed", Text: ans.Value}
			var q *hiring.Question
			if v.Opening != nil {
				q = v.Opening.Question(ans.QuestionID)
			}
			if q != nil {
				av.Question = q.Label
			}
			switch {
			case len(ans.Values) > 0:
				av.Text = strings.Join(ans.Values, ", ")
			case q != nil && q.Type == hiring.YesNo && ans.Value == "yes":
				av.Text = "Yes"
			case q != nil && q.Type == hiring.YesNo && ans.Value == "no":
				av.Text = "No"
			}
			if av.File, err = s.fileView(ctx, ans.FileID, a.ID); err != nil {
				return err
			}
			v.Answers = append(v.Answers, av)
		}
		p.Applications = append(p.Applications, v)
	}
	s.render(w, r, http.StatusOK, "candidate", p)
	return nil
}

// fileView reads a file record for the page; nil when there is none.
func (s *Server) fileView(ctx context.Context, id *int64, applicationID int64) (*fileView, error) {
	if id == nil {
		return nil, nil
	}
	f, err := s.files.FindFileByID(ctx, *id)
	if hiring.ErrorCode(err) == hiring.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	v := &fileView{File: f, URL: "/files/" + itoa(f.ID) + "?application=" + itoa(applicationID)}
	v.Shown = f.Text
	if len(v.Shown) > maxShownText {
		cut := maxShownText
		for cut > 0 && !utf8.RuneStart(v.Shown[cut]) {
			cut--
		}
		v.Shown, v.Cut = v.Shown[:cut], true
	}
	return v, nil
}

// handleFile sends an uploaded file as a download. It is never shown
// inline: a file a candidate sent could be HTML or a PDF with script, and
// must not run with this site's cookies. Recruiters and admins may download
// any file; a hiring manager names the application it belongs to, which
// must be to an opening they lead.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := api.PathID(r)
	if err != nil {
		return err
	}
	if u := hiring.ActorFromContext(ctx); !u.Role.CanManageOpenings() {
		if err := s.checkFileOfOwnApplication(r, id); err != nil {
			return err
		}
	}
	f, body, err := s.files.OpenFile(ctx, id)
	if err != nil {
		return err
	}
	defer body.Close()
	h := w.Header()
	h.Set("Content-Type", safeContentType(f.ContentType))
	h.Set("Content-Disposition", attachment(f.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	if f.Size > 0 {
		h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	}
	if r.Method == http.MethodHead {
		return nil
	}
	if _, err := io.Copy(w, body); err != nil {
		// The status is sent; all that is left is to say why in the log.
		s.log.WarnContext(ctx, "file download cut short", "file_id", id, "err", err)
	}
	return nil
}

// checkFileOfOwnApplication lets a user who does not run hiring have a
// file of an application, named by ?application=, that they may see: one to
// an opening whose hiring team names them, or one they interview.
func (s *Server) checkFileOfOwnApplication(r *http.Request, fileID int64) error {
	refused := hiring.Errorf(hiring.EFORBIDDEN, "Open the files of a candidate from the candidate’s page of one of your openings.")
	appID, err := strconv.ParseInt(r.URL.Query().Get("application"), 10, 64)
	if err != nil || appID < 1 {
		return refused
	}
	a, _, _, err := s.api.ApplicationFor(r.Context(), appID, false)
	switch hiring.ErrorCode(err) {
	case "":
	case hiring.ENOTFOUND, hiring.EFORBIDDEN:
		return refused
	default:
		return err
	}
	files := []int64{}
	if a.ResumeFileID != nil {
		files = append(files, *a.ResumeFileID)
	}
	for _, ans := range a.Answers {
		if ans.FileID != nil {
			files = append(files, *ans.FileID)
		}
	}
	if !slices.Contains(files, fileID) {
		return refused
	}
	return nil
}

// safeContentType keeps a stored content type that parses, and falls back
// to bytes without a meaning otherwise.
func safeContentType(ct string) string {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || !strings.Contains(mt, "/") {
		return "application/octet-stream"
	}
	return mime.FormatMediaType(mt, params)
}

// attachment writes a Content-Disposition that makes the browser save the
// file under a name that cannot escape a folder or break the header.
func attachment(name string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": safeFileName(name)}); v != "" {
		return v
	}
	return `attachment; filename="file"`
}

// maxNameBytes bounds the name a download is saved under.
const maxNameBytes = 150

// safeFileName keeps the last part of a name, without control characters,
// quotes or separators, and not too long; the extension survives a cut.
func safeFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	for _, c := range name {
		switch {
		case c < 0x20 || c == 0x7f || c == utf8.RuneError:
			continue
		case strings.ContainsRune(`"/\:*?<>|;%`, c):
			b.WriteByte('_')
		default:
			b.WriteRune(c)
		}
	}
	out := strings.Trim(b.String(), ". ")
	if len(out) > maxNameBytes {
		ext := path.Ext(out)
		if len(ext) > 10 {
			ext = ""
		}
		base := strings.TrimSuffix(out, ext)
		for len(base)+len(ext) > maxNameBytes {
			_, size := utf8.DecodeLastRuneInString(base)
			base = base[:len(base)-size]
		}
		out = base + ext
	}
	if out == "" {
		return "file"
	}
	return out
}

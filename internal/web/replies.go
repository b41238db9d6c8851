package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"hireloop/internal/hiring"
)

// repliesPage lists the candidates owed a reply, earliest date first.
type repliesPage struct {
	layout
	Rows   []replyRow
	Pager  *pager
	Filter *form
	// Empty says why the list is empty, after the filter.
	Empty string
}

// replyRow is one application owed a reply, with its date in words.
type replyRow struct {
	*hiring.OwedReply
	Reply *replyView
}

// replyView is a reply date ready to show: its date and, in words, how
// near it is, so that lateness never rests on colour alone.
type replyView struct {
	Date    string
	DueIn   string
	Overdue bool
}

// newReplyView describes the reply date due seen at now; nil for none.
// The date is the candidate's, as due is in their time zone.
func newReplyView(due *time.Time, now time.Time) *replyView {
	if due == nil || due.IsZero() {
		return nil
	}
	return &replyView{Date: due.Format("Mon 2 Jan 2006"), DueIn: hiring.ReplyDueIn(*due, now),
		Overdue: hiring.ReplyIsOverdue(*due, now)}
}

// maxReplyOpenings bounds the openings offered in the filter.
const maxReplyOpenings = 500

// replyAll asks for every reply owed. The page shows those due today or
// overdue unless asked: that is the work of the day, and it stays quick to
// count however many candidates wait.
const replyAll = "all"

var replyDueOptions = []option{{string(hiring.ReplyDueNow), "Due today or overdue"},
	{string(hiring.ReplyOverdue), "Overdue"}, {replyAll, "Every reply owed"}}

// handleReplies lists the replies owed. Recruiters and admins see every
// opening's; a hiring manager those of the openings they lead.
func (s *Server) handleReplies(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := hiring.ActorFromContext(ctx)
	q := r.URL.Query()
	f := hiring.ReplyFilter{Due: hiring.ReplyDue(q.Get("due"))}
	switch f.Due {
	case "":
		f.Due = hiring.ReplyDueNow
		q.Set("due", string(f.Due))
	case replyAll:
		f.Due = ""
	}
	if !f.Due.Valid() {
		return &hiring.Error{Code: hiring.EINVALID, Message: "due: Choose due or overdue, or every reply owed.",
			Fields: map[string]string{"due": "Choose due or overdue, or every reply owed."}}
	}
	if !u.Role.CanManageOpenings() {
		f.OwnerID = &u.ID
	}
	openings := []option{{"", "Every opening"}}
	of := hiring.OpeningFilter{Limit: maxReplyOpenings}
	if f.OwnerID != nil {
		of.HiringManagerID = f.OwnerID
	}
	found, _, err := s.openings.FindOpenings(ctx, of)
	if err != nil {
		return err
	}
	for _, o := range found {
		openings = append(openings, option{itoa(o.ID), o.RequisitionID + " " + o.Title})
	}
	if v := q.Get("opening"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return &hiring.Error{Code: hiring.EINVALID, Message: "opening: Choose an opening from the list.",
				Fields: map[string]string{"opening": "Choose an opening from the list."}}
		}
		o, err := s.openings.FindOpeningByID(ctx, id)
		if err != nil {
			return err
		}
		if !hiring.CanManageOpening(u, o) {
			return hiring.Errorf(hiring.EFORBIDDEN, "Only recruiters, admins and the opening’s hiring manager can see its replies.")
		}
		f.OpeningID = &id
	}
	pg, err := newPager(r, perPage)
	if err != nil {
		return err
	}
	f.Offset, f.Limit = pg.Offset(), pg.PerPage
	owed, total, err := s.replies.FindOwedReplies(ctx, f)
	if err != nil {
		return err
	}
	pg.Total = total
	now := s.now()
	rows := make([]replyRow, 0, len(owed))
	for _, o := range owed {
		rows = append(rows, replyRow{OwedReply: o, Reply: newReplyView(&o.HearBackBy, now)})
	}
	filter := newForm([]fieldSpec{
		{Name: "opening", Label: "Opening", Kind: kindSelect, Options: openings},
		{Name: "due", Label: "Reply date", Kind: kindSelect, Options: replyDueOptions},
	}, q)
	s.render(w, r, http.StatusOK, "replies", &repliesPage{layout: layout{Title: "Owed a reply"}, Rows: rows, Pager: pg,
		Filter: filter, Empty: map[hiring.ReplyDue]string{hiring.ReplyDueNow: "No reply is due today or overdue.",
			hiring.ReplyOverdue: "No reply is overdue.", "": "Nobody is owed a reply."}[f.Due]})
	return nil
}

// replyStats returns an opening's record of replies, or nil when the
// server has no reply service.
func (s *Server) replyStats(ctx context.Context, openingID int64) (*hiring.ReplyStats, error) {
	if s.replies == nil {
		return nil, nil
	}
	return s.replies.ReplyStats(ctx, openingID)
}

// replyDate returns an application's reply date ready to show, or nil.
func (s *Server) replyDate(ctx context.Context, appID int64) (*replyView, error) {
	if s.replies == nil {
		return nil, nil
	}
	due, err := s.replies.HearBackBy(ctx, appID)
	if err != nil {
		return nil, err
	}
	return newReplyView(due, s.now()), nil
}

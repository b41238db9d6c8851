package web

import (
	"context"
	"crypto/hmac"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// guidePost opens a post to the Guide: the link must work, the form must
// carry the link's key, and the link must be within its rate. ok is false
// when an answer was already sent.
func (s *Server) guidePost(w http.ResponseWriter, r *http.Request) (*hiring.Guide, bool, error) {
	g, ok, err := s.findGuide(w, r)
	if !ok || err != nil {
		return nil, false, err
	}
	token := r.PathValue("token")
	if allowed, wait := s.guide.limiter.allow(guideRateKey(token)); !allowed {
		s.renderGuideTooMany(w, r, wait)
		return nil, false, nil
	}
	if err := parseForm(w, r); err != nil {
		return nil, false, err
	}
	if !hmac.Equal([]byte(r.PostForm.Get("form_key")), []byte(guideFormKey(token))) {
		return nil, false, hiring.Errorf(hiring.EFORBIDDEN,
			"This form did not come from your application’s page. Please open the page again and send it from there.")
	}
	return g, true, nil
}

// renderGuideTooMany answers a link, or an address, that sent too much.
func (s *Server) renderGuideTooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := max(int(wait.Round(time.Second)/time.Second), 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.render(w, r, http.StatusTooManyRequests, "error", &errorPage{
		layout: layout{Title: "Please wait a moment"},
		Status: http.StatusTooManyRequests,
		Message: "We received several requests in a short time. Please wait " + plural(secs, "second", "seconds") +
			" and try again; your browser’s Back button brings back what you typed.",
	})
}

// guideURL is the Guide's address with a confirmation to show.
func guideURL(token, done string) string {
	u := "/guide/" + url.PathEscape(token)
	if done != "" {
		u += "?done=" + url.QueryEscape(done)
	}
	return u
}

// guideFormError shows the Guide again with the form as typed and its
// message, or returns err when it is not the candidate's to fix.
func (s *Server) guideFormError(w http.ResponseWriter, r *http.Request, g *hiring.Guide, err error, specs []fieldSpec) error {
	code := hiring.ErrorCode(err)
	if code != hiring.EINVALID && code != hiring.ECONFLICT {
		return err
	}
	f := newForm(specs, r.PostForm)
	f.setError(err)
	var adj, msg *form
	if specs[0].Name == "adjustment" {
		adj = f
	} else {
		msg = f
	}
	return s.renderGuide(w, r, api.Status(err), g, "", adj, msg)
}

// handleGuideAdjustment takes a request for adjustments.
func (s *Server) handleGuideAdjustment(w http.ResponseWriter, r *http.Request) error {
	g, ok, err := s.guidePost(w, r)
	if !ok || err != nil {
		return err
	}
	if err := s.guideService.RequestAdjustment(r.Context(), g.Application.ID, r.PostForm.Get("adjustment")); err != nil {
		return s.guideFormError(w, r, g, err, guideAdjustmentFields)
	}
	http.Redirect(w, r, guideURL(r.PathValue("token"), "adjustment"), http.StatusSeeOther)
	return nil
}

// handleGuideMessage sends the candidate's message to the recruiter.
func (s *Server) handleGuideMessage(w http.ResponseWriter, r *http.Request) error {
	g, ok, err := s.guidePost(w, r)
	if !ok || err != nil {
		return err
	}
	if err := s.guideService.SendCandidateMessage(r.Context(), g.Application.ID, r.PostForm.Get("message")); err != nil {
		return s.guideFormError(w, r, g, err, guideMessageFields)
	}
	http.Redirect(w, r, guideURL(r.PathValue("token"), "message"), http.StatusSeeOther)
	return nil
}

// guideWithdrawPage asks the candidate to confirm a withdrawal.
type guideWithdrawPage struct {
	layout
	Token       string
	FormKey     string
	Application *hiring.Application
	Form        *form
}

func (s *Server) renderGuideWithdraw(w http.ResponseWriter, r *http.Request, status int, g *hiring.Guide, f *form) {
	token := r.PathValue("token")
	s.render(w, r, status, "guide_withdraw", &guideWithdrawPage{
		layout: layout{Title: "Withdraw your application: " + g.Application.OpeningTitle},
		Token:  token, FormKey: guideFormKey(token), Application: g.Application, Form: f})
}

// handleGuideWithdrawConfirm answers GET /guide/{token}/withdraw: the
// confirmation step.
func (s *Server) handleGuideWithdrawConfirm(w http.ResponseWriter, r *http.Request) error {
	g, ok, err := s.findGuide(w, r)
	if !ok || err != nil {
		return err
	}
	if g.Application.Status != hiring.ApplicationActive {
		http.Redirect(w, r, guideURL(r.PathValue("token"), ""), http.StatusSeeOther)
		return nil
	}
	s.renderGuideWithdraw(w, r, http.StatusOK, g, newForm(guideWithdrawFields, nil))
	return nil
}

// handleGuideWithdraw withdraws the application for the candidate; the
// recruiter's notice is queued in the same transaction. A second post finds it withdrawn and shows the Guide.
func (s *Server) handleGuideWithdraw(w http.ResponseWriter, r *http.Request) error {
	g, ok, err := s.guidePost(w, r)
	if !ok || err != nil {
		return err
	}
	token := r.PathValue("token")
	a := g.Application
	if a.Status != hiring.ApplicationActive {
		http.Redirect(w, r, guideURL(token, ""), http.StatusSeeOther)
		return nil
	}
	note := r.PostForm.Get("note")
	if strings.TrimSpace(note) != "" {
		if note, err = hiring.CheckGuideText("note", note); err != nil {
			f := newForm(guideWithdrawFields, r.PostForm)
			f.setError(err)
			s.renderGuideWithdraw(w, r, api.Status(err), g, f)
			return nil
		}
	}
	// The candidate's wish does not depend on the stage: when the
	// application moved since the page was read, withdraw it as it is now.
	p, err := s.pipeline.Progress(r.Context(), a.ID)
	if err != nil {
		return err
	}
	_, err = s.pipeline.Withdraw(r.Context(), a.ID, p.Version, note, true)
	var vc *hiring.VersionConflict
	if errors.As(err, &vc) && vc.Current != nil {
		_, err = s.pipeline.Withdraw(r.Context(), a.ID, vc.Current.Version, note, true)
	}
	if hiring.ErrorCode(err) == hiring.ECONFLICT {
		// Someone ended the application a moment ago; the Guide says how.
		http.Redirect(w, r, guideURL(token, ""), http.StatusSeeOther)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, guideURL(token, "withdrawn"), http.StatusSeeOther)
	return nil
}

// handleGuideInvite answers GET /guide/{token}/interviews/{id}/invite.ics
// with the interview's invitation, for interviews of the link's
// application only; any other id gets the invalid-link page.
func (s *Server) handleGuideInvite(w http.ResponseWriter, r *http.Request) error {
	g, ok, err := s.findGuide(w, r)
	if !ok || err != nil {
		return err
	}
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if perr != nil || id <= 0 || s.interviews == nil {
		s.renderGuideInvalid(w, r)
		return nil
	}
	iv, err := s.interviews.FindInterviewByID(r.Context(), id)
	if hiring.ErrorCode(err) == hiring.ENOTFOUND || err == nil && iv.ApplicationID != g.Application.ID {
		s.renderGuideInvalid(w, r)
		return nil
	} else if err != nil {
		return err
	}
	ics, err := s.interviews.InvitationICS(r.Context(), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="interview-`+strconv.FormatInt(id, 10)+`.ics"`)
	h.Set("Content-Length", strconv.Itoa(len(ics)))
	_, _ = w.Write(ics)
	return nil
}

// guideResendPage is the form that asks for a new link, on the page of a
// link that does not work, and the answer to it.
type guideResendPage struct {
	layout
	Form *form
	Sent bool
}

// handleGuideResend answers POST /guide/resend. The answer is the same
// whether or not the address has applications, and it is sent before the
// links are made, so neither its words nor its timing tell.
func (s *Server) handleGuideResend(w http.ResponseWriter, r *http.Request) error {
	privateHeaders(w)
	if allowed, wait := s.guide.resendByAddress.allow(clientAddress(r, s.guide.behindProxy)); !allowed {
		s.renderGuideTooMany(w, r, wait)
		return nil
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	email := hiring.NormalizeEmail(r.PostForm.Get("email"))
	if msg := hiring.CheckEmail(email); msg != "" || len(email) > maxEmailLen {
		if msg == "" {
			msg = "This is too long."
		}
		f := newForm(guideResendFields, r.PostForm)
		f.Errors["email"] = msg
		s.render(w, r, http.StatusBadRequest, "guide_invalid", &guideResendPage{
			layout: layout{Title: "Get a new link"}, Form: f})
		return nil
	}
	if allowed, _ := s.guide.resendByEmail.allow(email); allowed && s.guideService != nil {
		s.resendLater(r, email)
	}
	s.render(w, r, http.StatusOK, "guide_invalid", &guideResendPage{
		layout: layout{Title: "Check your email"}, Form: newForm(guideResendFields, nil), Sent: true})
	return nil
}

// resendLater makes the new links after the answer. When too many run at
// once the request is dropped and logged; the candidate may ask again.
func (s *Server) resendLater(r *http.Request, email string) {
	select {
	case s.guide.slots <- struct{}{}:
	default:
		s.log.WarnContext(r.Context(), "request for new private links dropped: too many at once")
		return
	}
	s.guide.work.Add(1)
	ctx := context.WithoutCancel(r.Context())
	go func() {
		defer s.guide.work.Done()
		defer func() { <-s.guide.slots }()
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := s.guideService.ResendGuideLinks(ctx, email); err != nil {
			s.log.ErrorContext(ctx, "send new private links", "err", err)
		}
	}()
}

// handleGuideLinkNew answers POST /applications/{id}/guide/link: the
// recruiter sends the candidate a new link, which stops the old one.
func (s *Server) handleGuideLinkNew(w http.ResponseWriter, r *http.Request) error {
	if s.guideService == nil {
		return hiring.Errorf(hiring.ENOTFOUND, "Private links are not set up on this server.")
	}
	p, _, err := s.applicationFor(r)
	if err != nil {
		return err
	}
	if err := s.guideService.IssueGuideLink(r.Context(), p.Application.ID); err != nil {
		return err
	}
	return s.redirect(w, r, "/applications/"+itoa(p.Application.ID),
		"A new private link is on its way to the candidate; the old link no longer works.")
}

// handleGuideLinkRevoke answers POST /applications/{id}/guide/revoke.
func (s *Server) handleGuideLinkRevoke(w http.ResponseWriter, r *http.Request) error {
	if s.guideService == nil {
		return hiring.Errorf(hiring.ENOTFOUND, "Private links are not set up on this server.")
	}
	p, _, err := s.applicationFor(r)
	if err != nil {
		return err
	}
	if err := s.guideService.RevokeGuideLink(r.Context(), p.Application.ID); err != nil {
		return err
	}
	return s.redirect(w, r, "/applications/"+itoa(p.Application.ID),
		"The candidate’s private link no longer works. Send a new one when they need it.")
}

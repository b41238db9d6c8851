package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// Message templates and an application's outbox.

// templateListPage shows every event in every language, customised or not,
// with a form to start a text in another language.
type templateListPage struct {
	layout
	Languages []string
	Rows      []templateRow
	New       *form
}

// templateRow is one event with its text in each language.
type templateRow struct {
	Event hiring.TemplateEvent
	Cells []*hiring.MessageTemplate
}

// templateEditPage edits one event in one language, with a preview.
type templateEditPage struct {
	layout
	Template     *hiring.MessageTemplate
	LanguageName string
	Form         *form
	Placeholders []hiring.Placeholder
	Preview      *hiring.RenderedMessage
}

func templateFields() []fieldSpec {
	return []fieldSpec{
		{Name: "subject", Label: "Subject", Required: true, MaxLen: hiring.MaxTemplateSubjectLen},
		{Name: "body", Label: "Message", Required: true, Kind: kindTextarea, Rows: 14, MaxLen: hiring.MaxTemplateBodyLen,
			Hint: "Plain text. Placeholders such as {{first_name}} are filled in for each candidate; the list is below."},
	}
}

func newLanguageFields() []fieldSpec {
	events := []option{}
	for _, e := range hiring.TemplateEvents {
		events = append(events, option{string(e), e.Label()})
	}
	return []fieldSpec{
		{Name: "event", Label: "Message", Kind: kindSelect, Options: events},
		{Name: "language", Label: "Language tag", Hint: "Such as fr, pt-BR or de-CH.", MaxLen: hiring.MaxLanguageLen},
	}
}

// handleMessageTemplates lists the templates. With event and language in
// the query (the form to write a text in another language) it goes to
// that text's page.
func (s *Server) handleMessageTemplates(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	nf := newForm(newLanguageFields(), q)
	status := http.StatusOK
	if q.Has("language") {
		event := hiring.TemplateEvent(q.Get("event"))
		lang, msg := hiring.CheckLanguage(q.Get("language"))
		switch {
		case !event.Valid():
			nf.Errors["event"] = "Choose a message from the list."
		case msg != "":
			nf.Errors["language"] = msg
		default:
			http.Redirect(w, r, templatePath(event, lang), http.StatusSeeOther)
			return nil
		}
		status = http.StatusBadRequest
	}
	list, err := s.templates.FindTemplates(r.Context())
	if err != nil {
		return err
	}
	p := &templateListPage{layout: layout{Title: "Messages to candidates"}, New: nf}
	byEvent := map[hiring.TemplateEvent]*templateRow{}
	for _, t := range list {
		row := byEvent[t.Event]
		if row == nil {
			p.Rows = append(p.Rows, templateRow{Event: t.Event})
			row = &p.Rows[len(p.Rows)-1]
			byEvent[t.Event] = row
		}
		if len(p.Rows) == 1 {
			p.Languages = append(p.Languages, t.Language)
		}
		row.Cells = append(row.Cells, t)
	}
	s.render(w, r, status, "message_templates", p)
	return nil
}

func templatePath(e hiring.TemplateEvent, lang string) string {
	return "/settings/messages/" + url.PathEscape(string(e)) + "/" + url.PathEscape(lang)
}

// templateFor finds the template named by the path.
func (s *Server) templateFor(r *http.Request) (*hiring.MessageTemplate, error) {
	return s.templates.FindTemplate(r.Context(), hiring.TemplateEvent(r.PathValue("event")), r.PathValue("language"))
}

func (s *Server) handleMessageTemplateEdit(w http.ResponseWriter, r *http.Request) error {
	t, err := s.templateFor(r)
	if err != nil {
		return err
	}
	f := newForm(templateFields(), url.Values{"subject": {t.Subject}, "body": {t.Body}})
	return s.renderTemplateEdit(w, r, http.StatusOK, t, f, nil)
}

func (s *Server) renderTemplateEdit(w http.ResponseWriter, r *http.Request, status int, t *hiring.MessageTemplate,
	f *form, preview *hiring.RenderedMessage) error {
	name := hiring.LanguageName(t.Language)
	p := &templateEditPage{layout: layout{Title: t.Event.Label() + " in " + name}, Template: t, LanguageName: name,
		Form: f, Placeholders: hiring.PlaceholdersFor(t.Event), Preview: preview}
	s.render(w, r, status, "message_template", p)
	return nil
}

// handleMessageTemplateSave previews, saves or resets a template, as the
// button pressed says. A preview or a refused save shows the form again
// as typed.
func (s *Server) handleMessageTemplateSave(w http.ResponseWriter, r *http.Request) error {
	t, err := s.templateFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	back := templatePath(t.Event, t.Language)
	f := newForm(templateFields(), r.PostForm)
	in := hiring.MessageTemplate{Event: t.Event, Language: t.Language, Subject: f.Values["subject"], Body: f.Values["body"]}
	switch r.PostForm.Get("action") {
	case "reset":
		if err := s.templates.ResetTemplate(ctx, t.Event, t.Language); err != nil {
			return err
		}
		return s.redirect(w, r, back, "This message is back to hireloop’s built-in text.")
	case "preview":
		if err := in.Validate(); err != nil {
			f.setError(err)
			return s.renderTemplateEdit(w, r, http.StatusBadRequest, t, f, nil)
		}
		m := in.Render(hiring.SampleTemplateValues(t.Language, s.now()))
		return s.renderTemplateEdit(w, r, http.StatusOK, t, f, &m)
	}
	if _, err := s.templates.SaveTemplate(ctx, in); err != nil {
		if hiring.ErrorCode(err) != hiring.EINVALID {
			return err
		}
		f.setError(err)
		return s.renderTemplateEdit(w, r, http.StatusBadRequest, t, f, nil)
	}
	return s.redirect(w, r, back, "Saved. New messages use this text.")
}

// outboxPage lists what was queued for one application, shows one
// message's text when asked, and holds the form to send a new one.
type outboxPage struct {
	layout
	Progress *hiring.Progress
	Opening  *hiring.Opening
	Messages []messageView
	Total    int
	// Viewing is the message whose text is shown, if any.
	Viewing *messageView
	// Choose picks the template the send form starts from.
	Choose  *form
	Send    *form
	Preview *hiring.RenderedMessage
	// Missing lists placeholders the chosen template could not fill.
	Missing []string
	// OnlyNotices is true when the application is no longer active.
	OnlyNotices bool
}

// messageView is a queued message as recruiters read it.
type messageView struct {
	*hiring.Message
	KindLabel string
	Problem   string
}

// Problem says in plain words why a message is not (yet) delivered.
func messageProblem(m *hiring.Message) string {
	if m.LastError == "" || m.Status == hiring.MessageSent {
		return ""
	}
	e := strings.ToLower(m.LastError)
	later := " hireloop tries again by itself."
	if m.Status == hiring.MessageFailed {
		later = " hireloop has stopped trying."
	}
	switch {
	case strings.Contains(e, "mail: connecting to"):
		return "Our mail server could not be reached." + later
	case strings.Contains(e, " 552") || strings.Contains(e, "too large"):
		return "The message was too large for the candidate’s mail server." + later
	case strings.Contains(e, " 550") || strings.Contains(e, " 551") || strings.Contains(e, " 553") ||
		strings.Contains(e, "5.1.1") || strings.Contains(e, "no such user"):
		return "The candidate’s mail server does not accept this address. Check the address with the candidate." + later
	case strings.Contains(e, " 421") || strings.Contains(e, " 450") || strings.Contains(e, " 451") || strings.Contains(e, " 452"):
		return "The candidate’s mail server asked us to try again later." + later
	case strings.Contains(e, "timeout") || strings.Contains(e, "deadline"):
		return "The mail server did not answer in time." + later
	}
	return "The message could not be delivered." + later
}

// kindLabel names a kind of message for recruiters.
func kindLabel(k hiring.MessageKind) string {
	for _, e := range hiring.TemplateEvents {
		if e.Kind() == k {
			return e.Label()
		}
	}
	if k == "" {
		return "Other"
	}
	return strings.ReplaceAll(strings.ToUpper(string(k[:1]))+string(k[1:]), "_", " ")
}

// sendEvents are the templates a recruiter may start a message from; the
// confirmation is written when someone applies.
func sendEvents(active bool) []option {
	var out []option
	for _, e := range hiring.TemplateEvents {
		if e == hiring.TemplateReceived || (!active && !e.Kind().AllowedAfterDecision()) {
			continue
		}
		out = append(out, option{string(e), e.Label()})
	}
	return out
}

func chooseFields(active bool) []fieldSpec {
	langs := []option{{"", "The candidate’s language"}}
	for _, l := range hiring.BuiltInLanguages {
		langs = append(langs, option{l, hiring.LanguageName(l)})
	}
	return []fieldSpec{
		{Name: "template", Label: "Start from", Kind: kindSelect, Options: sendEvents(active)},
		{Name: "language", Label: "Language", Kind: kindSelect, Options: langs},
	}
}

func sendFields() []fieldSpec {
	return []fieldSpec{
		{Name: "subject", Label: "Subject", Required: true, MaxLen: hiring.MaxSubjectLen},
		{Name: "body", Label: "Message", Required: true, Kind: kindTextarea, Rows: 14, MaxLen: hiring.MaxDescriptionLen},
		{Name: "send_at", Label: "Send at (UTC)", Hint: "Leave empty to send now."},
	}
}

// handleOutbox shows the application's messages and the send form,
// filled in from the template chosen (the rejection, for an application
// no longer active; otherwise a free message).
func (s *Server) handleOutbox(w http.ResponseWriter, r *http.Request) error {
	p, o, err := s.applicationFor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	active := p.Application.Status == hiring.ApplicationActive
	event := hiring.TemplateEvent(q.Get("template"))
	if !event.Valid() || event == hiring.TemplateReceived {
		event = hiring.TemplateMessage
		if !active {
			event = hiring.TemplateRejection
		}
	}
	choose := newForm(chooseFields(active), url.Values{"template": {string(event)}, "language": {q.Get("language")}})
	m, err := s.templates.RenderForApplication(r.Context(), p.Application.ID, event, q.Get("language"))
	if hiring.ErrorCode(err) == hiring.EINVALID {
		choose.setError(err)
		m, err = s.templates.RenderForApplication(r.Context(), p.Application.ID, event, "")
	}
	if err != nil {
		return err
	}
	send := newForm(sendFields(), url.Values{"subject": {m.Subject}, "body": {m.Body}})
	send.Values["template"], send.Values["language"] = string(event), m.Language
	return s.renderOutbox(w, r, http.StatusOK, p, o, choose, send, nil, m.Missing)
}

func (s *Server) renderOutbox(w http.ResponseWriter, r *http.Request, status int, p *hiring.Progress, o *hiring.Opening,
	choose, send *form, preview *hiring.RenderedMessage, missing []string) error {
	a := p.Application
	msgs, total, err := s.outbox.FindMessages(r.Context(), hiring.MessageFilter{ApplicationID: &a.ID, Limit: 200})
	if err != nil {
		return err
	}
	name := "Candidate " + itoa(a.CandidateID)
	if a.Candidate != nil && a.Candidate.Name != "" {
		name = a.Candidate.Name
	}
	pg := &outboxPage{layout: layout{Title: "Messages to " + name}, Progress: p, Opening: o, Total: total,
		Choose: choose, Send: send, Preview: preview, Missing: missing, OnlyNotices: a.Status != hiring.ApplicationActive}
	viewing, _ := strconv.ParseInt(r.URL.Query().Get("message"), 10, 64)
	for _, m := range msgs {
		v := messageView{Message: m, KindLabel: kindLabel(m.Kind), Problem: messageProblem(m)}
		pg.Messages = append(pg.Messages, v)
		if m.ID == viewing {
			pg.Viewing = &v
		}
	}
	s.render(w, r, status, "message_outbox", pg)
	return nil
}

// handleSendMessage previews or sends the message written on the outbox
// page; the form comes back as typed when it is refused or previewed.
func (s *Server) handleSendMessage(w http.ResponseWriter, r *http.Request) error {
	p, o, err := s.applicationFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	vals := r.PostForm
	active := p.Application.Status == hiring.ApplicationActive
	event := hiring.TemplateEvent(vals.Get("template"))
	if !event.Valid() || event == hiring.TemplateReceived {
		event = hiring.TemplateMessage
	}
	choose := newForm(chooseFields(active), url.Values{"template": {string(event)}, "language": {vals.Get("language")}})
	send := newForm(sendFields(), vals)
	send.Values["template"], send.Values["language"] = string(event), vals.Get("language")
	in := hiring.SendInput{Kind: event.Kind(), Language: vals.Get("language"), Subject: vals.Get("subject"), Body: vals.Get("body")}
	v := hiring.Validation{}
	if raw := strings.TrimSpace(vals.Get("send_at")); raw != "" {
		t, err := time.ParseInLocation(sendAtLayout, raw, time.UTC)
		if err != nil {
			v.Add("send_at", "Write a date and time such as 2030-01-31T09:00.")
		} else {
			in.SendAt = &t
		}
	}
	if err := in.Validate(); err != nil {
		for k, msg := range hiring.ErrorFields(err) {
			v.Add(k, msg)
		}
	}
	if err := hiring.CheckSendAt(in.SendAt, s.now()); err != nil {
		for k, msg := range hiring.ErrorFields(err) {
			v.Add(k, msg)
		}
	}
	err = v.Err()
	if err == nil && vals.Get("action") == "preview" {
		m := &hiring.RenderedMessage{Event: event, Language: in.Language, Subject: in.Subject, Body: in.Body}
		return s.renderOutbox(w, r, http.StatusOK, p, o, choose, send, m, nil)
	}
	if err == nil {
		var sent *hiring.Message
		sent, err = s.messages.SendToCandidate(r.Context(), p.Application.ID, in)
		if err == nil {
			flash := "The message is on its way to " + sent.To + "."
			if in.SendAt != nil {
				flash = "The message will be sent on " + formatDateTime(in.SendAt) + "."
			}
			return s.redirect(w, r, "/applications/"+itoa(p.Application.ID)+"/messages", flash)
		}
	}
	if code := hiring.ErrorCode(err); code != hiring.EINVALID && code != hiring.ECONFLICT {
		return err
	}
	send.setError(err)
	return s.renderOutbox(w, r, api.Status(err), p, o, choose, send, nil, nil)
}

// rejectFormFor is the rejection form of an application, its message
// written from the rejection template in the candidate's language. When
// that cannot be read the form keeps the default message.
func (s *Server) rejectFormFor(r *http.Request, p *hiring.Progress) *form {
	f := newRejectForm()
	if s.templates == nil {
		return f
	}
	m, err := s.templates.RenderForApplication(r.Context(), p.Application.ID, hiring.TemplateRejection, "")
	if err != nil {
		s.log.WarnContext(r.Context(), "write the rejection from its template", "application", p.Application.ID, "err", err)
		return f
	}
	f.Values["subject"], f.Values["message"] = m.Subject, m.Body
	return f
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"hireloop/internal/hiring"
)

// TemplateService keeps the company's message templates and writes them
// for applications; MessageService sends what a recruiter wrote.
//
// A row of message_templates is a text the company wrote; an event and
// language without a row use hireloop's built-in text, so resetting a
// template deletes its row.
//
// The candidate's private link ({{guide_url}}) can only be filled in the
// confirmation written when the application arrives: the store keeps a
// hash of the link's secret, not the secret. Later messages do not offer
// the placeholder; a recruiter who wants the candidate to have their link
// again sends them a new one from the Guide's controls.
type TemplateService struct {
	db   *DB
	opts TemplateOptions

	// The confirmation is written inside the transaction that takes an
	// application, which must not wait for another connection; it reads
	// the company's "received" texts from this copy instead, refreshed
	// when it is older than templateCacheTTL and at once after a save.
	mu       sync.Mutex
	cache    map[templateKey]hiring.MessageTemplate
	cachedAt time.Time
}

var (
	_ hiring.TemplateService = (*TemplateService)(nil)
	_ hiring.MessageService  = (*MessageService)(nil)
)

// TemplateOptions are the values of messages that do not come from the
// database.
type TemplateOptions struct {
	// CompanyName fills {{company}}.
	CompanyName string
	// Logger reports a confirmation written from an outdated copy of the
	// templates; nil discards.
	Logger *slog.Logger
}

// templateCacheTTL bounds how long another server's template change takes
// to reach the confirmations this server writes.
const templateCacheTTL = time.Minute

// templateLoadTimeout bounds the wait for the templates while an
// application is being stored; past it the previous copy is used.
const templateLoadTimeout = 2 * time.Second

type templateKey struct {
	event hiring.TemplateEvent
	lang  string
}

// NewTemplateService returns a TemplateService on db.
func NewTemplateService(db *DB, opts TemplateOptions) *TemplateService {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &TemplateService{db: db, opts: opts}
}

// Audit log names of templates and messages.
const (
	entityTemplate = "message_template"
	actionReset    = "reset"
	actionMessage  = "message"
)

// customTemplates reads the company's texts, optionally of one event.
func customTemplates(ctx context.Context, r runner, event hiring.TemplateEvent) (map[templateKey]hiring.MessageTemplate, error) {
	q := `SELECT t.event, t.language, t.subject, t.body, t.updated_at, COALESCE(u.email, '')
		FROM message_templates t LEFT JOIN users u ON u.id = t.updated_by`
	var args []any
	if event != "" {
		q += " WHERE t.event = ?"
		args = append(args, string(event))
	}
	rows, err := r.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read message templates: %w", err)
	}
	defer rows.Close()
	out := map[templateKey]hiring.MessageTemplate{}
	for rows.Next() {
		var (
			t       hiring.MessageTemplate
			updated time.Time
		)
		if err := rows.Scan(&t.Event, &t.Language, &t.Subject, &t.Body, timeColumn{&updated}, &t.UpdatedBy); err != nil {
			return nil, fmt.Errorf("read message template: %w", err)
		}
		t.Custom, t.UpdatedAt = true, &updated
		_, t.BuiltIn = hiring.DefaultTemplate(t.Event, t.Language)
		out[templateKey{t.Event, t.Language}] = t
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read message templates: %w", err)
	}
	return out, nil
}

// pickTemplate chooses the text of an event for a candidate's language:
// along hiring.LanguageChain, the company's text or else the built-in one.
func pickTemplate(custom map[templateKey]hiring.MessageTemplate, event hiring.TemplateEvent, lang string) hiring.MessageTemplate {
	for _, l := range hiring.LanguageChain(lang) {
		if t, ok := custom[templateKey{event, l}]; ok {
			return t
		}
		if t, ok := hiring.DefaultTemplate(event, l); ok {
			return t
		}
	}
	t, _ := hiring.DefaultTemplate(event, hiring.DefaultLanguage)
	return t
}

// FindTemplates returns every event in the built-in languages and in any
// language the company wrote a text for.
func (s *TemplateService) FindTemplates(ctx context.Context) ([]*hiring.MessageTemplate, error) {
	custom, err := customTemplates(ctx, s.db.reader(), "")
	if err != nil {
		return nil, err
	}
	langs := append([]string{}, hiring.BuiltInLanguages...)
	var extra []string
	seen := map[string]bool{}
	for _, l := range langs {
		seen[l] = true
	}
	for k := range custom {
		if !seen[k.lang] {
			seen[k.lang] = true
			extra = append(extra, k.lang)
		}
	}
	sort.Strings(extra)
	langs = append(langs, extra...)
	var out []*hiring.MessageTemplate
	for _, e := range hiring.TemplateEvents {
		for _, l := range langs {
			t, err := s.lookup(custom, e, l)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// lookup returns one event and language from the company's texts, the
// built-in ones, or the English text to start a new language from.
func (s *TemplateService) lookup(custom map[templateKey]hiring.MessageTemplate, e hiring.TemplateEvent, lang string) (*hiring.MessageTemplate, error) {
	if t, ok := custom[templateKey{e, lang}]; ok {
		return &t, nil
	}
	if t, ok := hiring.DefaultTemplate(e, lang); ok {
		return &t, nil
	}
	t, ok := hiring.DefaultTemplate(e, hiring.DefaultLanguage)
	if !ok {
		return nil, notFound("Message template")
	}
	t.Language, t.BuiltIn = lang, false
	return &t, nil
}

// checkTemplateKey reads an event and language from a request: a wrong
// one is not found, as for any address that names nothing.
func checkTemplateKey(event hiring.TemplateEvent, lang string) (string, error) {
	if !event.Valid() {
		return "", notFound("Message template")
	}
	canon, msg := hiring.CheckLanguage(lang)
	if msg != "" {
		return "", notFound("Message template")
	}
	return canon, nil
}

// FindTemplate returns the text of an event in a language.
func (s *TemplateService) FindTemplate(ctx context.Context, event hiring.TemplateEvent, lang string) (*hiring.MessageTemplate, error) {
	lang, err := checkTemplateKey(event, lang)
	if err != nil {
		return nil, err
	}
	custom, err := customTemplates(ctx, s.db.reader(), event)
	if err != nil {
		return nil, err
	}
	return s.lookup(custom, event, lang)
}

// SaveTemplate stores the company's text of an event and language.
func (s *TemplateService) SaveTemplate(ctx context.Context, in hiring.MessageTemplate) (*hiring.MessageTemplate, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var userID *int64
	if u := hiring.ActorFromContext(ctx); u != nil {
		userID = &u.ID
	}
	err := s.db.transact(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO message_templates (event, language, subject, body, updated_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (event, language) DO UPDATE SET subject = excluded.subject, body = excluded.body,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			string(in.Event), in.Language, in.Subject, in.Body, userID, t.now, t.now); err != nil {
			return fmt.Errorf("save message template %s/%s: %w", in.Event, in.Language, err)
		}
		var id int64
		if err := t.queryRow(ctx, "SELECT id FROM message_templates WHERE event = ? AND language = ?",
			string(in.Event), in.Language).Scan(&id); err != nil {
			return fmt.Errorf("find message template %s/%s: %w", in.Event, in.Language, err)
		}
		return writeAudit(ctx, t, actionUpdate, entityTemplate, id,
			fmt.Sprintf("%s (%s): %s", in.Event, in.Language, in.Subject))
	})
	if err != nil {
		return nil, err
	}
	s.forget()
	return s.FindTemplate(ctx, in.Event, in.Language)
}

// ResetTemplate deletes the company's text, so the built-in one applies
// again. Resetting a text that was never changed does nothing.
func (s *TemplateService) ResetTemplate(ctx context.Context, event hiring.TemplateEvent, lang string) error {
	lang, err := checkTemplateKey(event, lang)
	if err != nil {
		return err
	}
	err = s.db.transact(ctx, func(t *tx) error {
		var id int64
		err := t.queryRow(ctx, "SELECT id FROM message_templates WHERE event = ? AND language = ?", string(event), lang).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return fmt.Errorf("find message template %s/%s: %w", event, lang, err)
		}
		if _, err := t.exec(ctx, "DELETE FROM message_templates WHERE id = ?", id); err != nil {
			return fmt.Errorf("reset message template %s/%s: %w", event, lang, err)
		}
		return writeAudit(ctx, t, actionReset, entityTemplate, id, fmt.Sprintf("%s (%s) back to the built-in text", event, lang))
	})
	if err != nil {
		return err
	}
	s.forget()
	return nil
}

// forget drops the copy of the templates, so the next confirmation reads
// them again.
func (s *TemplateService) forget() {
	s.mu.Lock()
	s.cache, s.cachedAt = nil, time.Time{}
	s.mu.Unlock()
}

// receivedTemplates returns the company's "received" texts from the copy,
// reading them again when it is missing or old. A failed read keeps the
// previous copy (or none: the built-in texts), and says so in the log.
func (s *TemplateService) receivedTemplates() map[templateKey]hiring.MessageTemplate {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cache != nil && time.Since(s.cachedAt) < templateCacheTTL {
		return s.cache
	}
	ctx, cancel := context.WithTimeout(context.Background(), templateLoadTimeout)
	defer cancel()
	custom, err := customTemplates(ctx, s.db.reader(), hiring.TemplateReceived)
	if err != nil {
		s.opts.Logger.Warn("read the confirmation templates; using the previous ones", "err", err)
		return s.cache
	}
	s.cache, s.cachedAt = custom, time.Now()
	return custom
}

// Confirmation writes the email that confirms an application from the
// "received" template, for ApplyRules.Confirm. guideURL makes the
// candidate's private link from its secret. The candidate's language is
// not known when they apply, so the message is in English unless the
// company's English text says otherwise.
func (s *TemplateService) Confirmation(guideURL func(token string) string) func(hiring.Confirmation) hiring.MessageDraft {
	return func(c hiring.Confirmation) hiring.MessageDraft {
		lang := hiring.DefaultLanguage
		if c.Candidate != nil && c.Candidate.Language != "" {
			lang = c.Candidate.Language
		}
		t := pickTemplate(s.receivedTemplates(), hiring.TemplateReceived, lang)
		link := ""
		if c.GuideToken != "" && guideURL != nil {
			link = guideURL(c.GuideToken)
		}
		m := t.Render(hiring.TemplateValues{
			CandidateName: c.Candidate.Name,
			JobTitle:      c.Opening.Title,
			Company:       s.opts.CompanyName,
			GuideURL:      link,
			RetainUntil:   hiring.FormatMessageDate(c.Application.RetainUntil, t.Language),
		})
		return hiring.ComposeFromTemplate(c, m, link)
	}
}

// applicationFacts is what a message to one application is written from.
type applicationFacts struct {
	progress  *hiring.Progress
	language  string
	zone      *time.Location
	hearBack  *time.Time
	recruiter string
	interview *time.Time
}

// readApplicationFacts reads what the placeholders of an application's
// messages stand for.
func readApplicationFacts(ctx context.Context, r runner, appID int64, now time.Time) (*applicationFacts, error) {
	p, err := loadProgress(ctx, r, appID)
	if err != nil {
		return nil, err
	}
	f := &applicationFacts{progress: p, zone: time.UTC}
	var (
		zone        string
		recruiterID *int64
	)
	err = r.queryRow(ctx, `SELECT c.language, c.time_zone, a.hear_back_by, o.recruiter_id
		FROM applications a JOIN candidates c ON c.id = a.candidate_id JOIN openings o ON o.id = a.opening_id
		WHERE a.id = ?`, appID).Scan(&f.language, &zone, nullTimeColumn{&f.hearBack}, &recruiterID)
	if err != nil {
		return nil, fmt.Errorf("read application %d for a message: %w", appID, err)
	}
	if zone != "" {
		if loc, err := time.LoadLocation(zone); err == nil {
			f.zone = loc
		}
	}
	if recruiterID != nil {
		var name, email string
		err := r.queryRow(ctx, "SELECT name, email FROM users WHERE id = ?", *recruiterID).Scan(&name, &email)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("read recruiter of application %d: %w", appID, err)
		}
		f.recruiter = name
	}
	if f.recruiter == "" {
		if u := hiring.ActorFromContext(ctx); u != nil {
			f.recruiter = u.Name
		}
	}
	var (
		start  *time.Time
		ivZone string
	)
	err = r.queryRow(ctx, `SELECT starts_at, time_zone FROM interviews
		WHERE application_id = ? AND status = 'scheduled' AND starts_at > ? ORDER BY starts_at LIMIT 1`, appID, now).
		Scan(nullTimeColumn{&start}, &ivZone)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read next interview of application %d: %w", appID, err)
	}
	f.interview = start
	if start != nil && zone == "" && ivZone != "" {
		if loc, err := time.LoadLocation(ivZone); err == nil {
			f.zone = loc
		}
	}
	return f, nil
}

// values are the placeholders' values for an application, written in lang.
func (f *applicationFacts) values(company, lang string) hiring.TemplateValues {
	p := f.progress
	a := p.Application
	v := hiring.TemplateValues{JobTitle: a.OpeningTitle, Company: company, RecruiterName: f.recruiter, Stage: a.Stage}
	if a.Candidate != nil {
		v.CandidateName = a.Candidate.Name
	}
	if p.Stage != nil {
		v.Stage = p.Stage.Name
		if next := p.Plan.Next(p.Stage.ID, false); next != nil {
			v.NextStage = next.Name
		}
	}
	if f.hearBack != nil {
		v.HearBackBy = hiring.FormatMessageDate(f.hearBack.In(f.zone), lang)
	}
	if f.interview != nil {
		v.InterviewTime = hiring.FormatMessageTime(*f.interview, f.zone, lang)
	}
	return v
}

// RenderForApplication writes an event's template for one application.
func (s *TemplateService) RenderForApplication(ctx context.Context, appID int64, event hiring.TemplateEvent, lang string) (*hiring.RenderedMessage, error) {
	if !event.Valid() {
		return nil, fieldError(hiring.EINVALID, "template", "Choose a message from the list.")
	}
	if lang != "" {
		canon, msg := hiring.CheckLanguage(lang)
		if msg != "" {
			return nil, fieldError(hiring.EINVALID, "language", msg)
		}
		lang = canon
	}
	r := s.db.reader()
	f, err := readApplicationFacts(ctx, r, appID, s.db.now())
	if err != nil {
		return nil, err
	}
	if lang == "" {
		lang = f.language
	}
	custom, err := customTemplates(ctx, r, event)
	if err != nil {
		return nil, err
	}
	t := pickTemplate(custom, event, lang)
	m := t.Render(f.values(s.opts.CompanyName, t.Language))
	return &m, nil
}

// MessageService sends messages that people write to candidates.
type MessageService struct {
	db *DB
}

// NewMessageService returns a MessageService on db.
func NewMessageService(db *DB) *MessageService { return &MessageService{db: db} }

// SendToCandidate queues the message, records it on the application's
// timeline and in the audit log, and counts it as the reply the candidate
// was owed, in one transaction. A scheduled message counts as the reply
// when it is scheduled: the recruiter has answered, and the worker sends
// it at the time chosen.
func (s *MessageService) SendToCandidate(ctx context.Context, appID int64, in hiring.SendInput) (*hiring.Message, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *hiring.Message
	err := s.db.transact(ctx, func(t *tx) error {
		if err := hiring.CheckSendAt(in.SendAt, t.now); err != nil {
			return err
		}
		var (
			status, email, requisition string
		)
		err := t.queryRow(ctx, `SELECT a.status, c.email, o.requisition_id FROM applications a
			JOIN candidates c ON c.id = a.candidate_id JOIN openings o ON o.id = a.opening_id WHERE a.id = ?`, appID).
			Scan(&status, &email, &requisition)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Application")
		} else if err != nil {
			return fmt.Errorf("find application %d: %w", appID, err)
		}
		if err := t.lockRow(ctx, "applications", appID); err != nil {
			return err
		}
		if status != string(hiring.ApplicationActive) && !in.Kind.AllowedAfterDecision() {
			return fieldError(hiring.ECONFLICT, "kind", fmt.Sprintf(
				"This application is %s; only a rejection or withdrawal notice can be sent to the candidate now.", status))
		}
		d := hiring.MessageDraft{ApplicationID: &appID, To: email, Kind: in.Kind, Subject: in.Subject,
			TextBody: strings.TrimRight(in.Body, " \n\t") + "\n", HTMLBody: hiring.TextToHTML(in.Body)}
		if in.SendAt != nil {
			at := in.SendAt.UTC()
			d.SendAt = &at
		}
		id, err := enqueueMessage(ctx, t, d)
		if err != nil {
			return err
		}
		detail := "Sent “" + in.Subject + "”"
		if d.SendAt != nil && d.SendAt.After(t.now) {
			detail = "Scheduled for " + d.SendAt.Format("2 January 2006 15:04 UTC") + ": “" + in.Subject + "”"
		}
		if err := recordMessageEvent(ctx, t, appID, detail); err != nil {
			return err
		}
		lang := in.Language
		if lang == "" {
			lang = "unstated language"
		}
		if err := writeAudit(ctx, t, actionMessage, entityApplication, appID,
			fmt.Sprintf("%s for %s: %s message %d (%s)", email, requisition, in.Kind, id, lang)); err != nil {
			return err
		}
		if err := noteUpdate(ctx, t, appID); err != nil {
			return err
		}
		out, err = scanMessage(t.queryRow(ctx, "SELECT "+messageColumns+" FROM outbox m WHERE m.id = ?", id))
		if err != nil {
			return fmt.Errorf("read message %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// recordMessageEvent writes a message on the application's timeline. It
// does not raise the application's version: a message changes nothing
// another person could be undoing.
func recordMessageEvent(ctx context.Context, t *tx, appID int64, detail string) error {
	var actorID *int64
	label := commandLineActor
	if u := hiring.ActorFromContext(ctx); u != nil {
		actorID, label = &u.ID, u.Name
		if label == "" {
			label = u.Email
		}
	}
	if _, err := t.exec(ctx, `INSERT INTO application_events (application_id, kind, actor_id, actor_label, detail, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, appID, string(hiring.EventMessage), actorID, label, detail, t.now); err != nil {
		return fmt.Errorf("record message to application %d: %w", appID, err)
	}
	return nil
}

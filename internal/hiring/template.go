package hiring

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Message templates.
//
// What hireloop writes to candidates comes from one template per event and
// language: a subject and a plain-text body with placeholders such as
// {{first_name}}, written like the placeholders of a rejection message.
// hireloop ships a text for every event in English, German and Spanish; a
// company may change any of them, or write one for another language, and
// may go back to the built-in text at any time.
//
// A message is written in the candidate's language when a template exists
// for it (first the exact tag, such as de-AT, then its base language, de),
// and in English otherwise. Values are filled in as plain text: a name
// that looks like a placeholder or like HTML stays what it is, and the
// HTML part of an email escapes every value.

// TemplateEvent is what a message template is written for.
type TemplateEvent string

// Events with a template.
const (
	// TemplateReceived confirms an application as soon as it arrives.
	TemplateReceived      TemplateEvent = "received"
	TemplateMovingForward TemplateEvent = "moving_forward"
	// TemplateScheduling asks the candidate when they are available.
	TemplateScheduling TemplateEvent = "scheduling"
	TemplateInvitation TemplateEvent = "invitation"
	TemplateRejection  TemplateEvent = "rejection"
	TemplateOfferStage TemplateEvent = "offer_stage"
	// TemplateMessage is the starting point of a message written by hand.
	TemplateMessage TemplateEvent = "message"
)

// TemplateEvents lists every event in the order pages show them.
var TemplateEvents = []TemplateEvent{TemplateReceived, TemplateMovingForward, TemplateScheduling,
	TemplateInvitation, TemplateRejection, TemplateOfferStage, TemplateMessage}

// Valid reports whether e is a known event.
func (e TemplateEvent) Valid() bool {
	for _, k := range TemplateEvents {
		if e == k {
			return true
		}
	}
	return false
}

// Label is the event as people read it.
func (e TemplateEvent) Label() string {
	switch e {
	case TemplateReceived:
		return "Application received"
	case TemplateMovingForward:
		return "Moving forward"
	case TemplateScheduling:
		return "Asking for availability"
	case TemplateInvitation:
		return "Interview invitation"
	case TemplateRejection:
		return "Rejection"
	case TemplateOfferStage:
		return "Offer stage"
	case TemplateMessage:
		return "Free message"
	}
	return string(e)
}

// Kind is the outbox kind of a message written from the event's template.
func (e TemplateEvent) Kind() MessageKind {
	switch e {
	case TemplateReceived:
		return KindConfirmation
	case TemplateMessage:
		return KindMessageToCandidate
	}
	return MessageKind(e)
}

// EventMessage is the timeline entry of a message sent to the candidate.
const EventMessage EventKind = "message"

// Placeholders of message templates, besides PlaceholderCandidateName and
// PlaceholderJobTitle.
const (
	PlaceholderFirstName     = "{{first_name}}"
	PlaceholderCompany       = "{{company}}"
	PlaceholderStage         = "{{stage}}"
	PlaceholderNextStage     = "{{next_stage}}"
	PlaceholderGuideURL      = "{{guide_url}}"
	PlaceholderHearBackBy    = "{{hear_back_by}}"
	PlaceholderInterviewTime = "{{interview_time}}"
	PlaceholderRecruiterName = "{{recruiter_name}}"
	PlaceholderRetainUntil   = "{{retain_until}}"
)

// Placeholder is one value a template may hold.
type Placeholder struct {
	// Token is the placeholder as written, such as {{first_name}}.
	Token string
	// Meaning says what it is replaced by.
	Meaning string
	// Only, when set, lists the events that may use it; the others cannot
	// know its value.
	Only []TemplateEvent
}

// Placeholders lists every placeholder in the order help text shows them.
//
// The private link of the Guide ({{guide_url}}) is only known when the
// application arrives: hireloop keeps a hash of its secret, never the
// secret, so later messages cannot repeat it. The retention date belongs
// to that first message too.
var Placeholders = []Placeholder{
	{Token: PlaceholderCandidateName, Meaning: "the candidate’s full name"},
	{Token: PlaceholderFirstName, Meaning: "the candidate’s first name"},
	{Token: PlaceholderJobTitle, Meaning: "the title of the job"},
	{Token: PlaceholderCompany, Meaning: "the company’s name"},
	{Token: PlaceholderStage, Meaning: "the stage the application is in",
		Only: []TemplateEvent{TemplateMovingForward, TemplateScheduling, TemplateInvitation, TemplateRejection, TemplateOfferStage, TemplateMessage}},
	{Token: PlaceholderNextStage, Meaning: "the stage after it",
		Only: []TemplateEvent{TemplateMovingForward, TemplateScheduling, TemplateInvitation, TemplateRejection, TemplateOfferStage, TemplateMessage}},
	{Token: PlaceholderHearBackBy, Meaning: "the day by which the candidate hears from you",
		Only: []TemplateEvent{TemplateMovingForward, TemplateScheduling, TemplateInvitation, TemplateRejection, TemplateOfferStage, TemplateMessage}},
	{Token: PlaceholderInterviewTime, Meaning: "the time of the next interview, in the candidate’s time zone",
		Only: []TemplateEvent{TemplateInvitation, TemplateMessage}},
	{Token: PlaceholderRecruiterName, Meaning: "the recruiter of the opening, or whoever sends the message"},
	{Token: PlaceholderGuideURL, Meaning: "the candidate’s private link to follow their application",
		Only: []TemplateEvent{TemplateReceived}},
	{Token: PlaceholderRetainUntil, Meaning: "the day until which the candidate’s data is kept",
		Only: []TemplateEvent{TemplateReceived}},
}

// PlaceholdersFor returns the placeholders a template of the event may use.
func PlaceholdersFor(e TemplateEvent) []Placeholder {
	var out []Placeholder
	for _, p := range Placeholders {
		if p.allowed(e) {
			out = append(out, p)
		}
	}
	return out
}

func (p Placeholder) allowed(e TemplateEvent) bool {
	if len(p.Only) == 0 {
		return true
	}
	for _, k := range p.Only {
		if k == e {
			return true
		}
	}
	return false
}

func findPlaceholder(token string) (Placeholder, bool) {
	for _, p := range Placeholders {
		if p.Token == token {
			return p, true
		}
	}
	return Placeholder{}, false
}

// Template languages.
const (
	// DefaultLanguage is the language of a candidate whose language is
	// unknown, and the fallback of every other.
	DefaultLanguage = "en"
	// MaxLanguageLen bounds a language tag as stored.
	MaxLanguageLen = 35
	// MaxTemplateSubjectLen and MaxTemplateBodyLen bound a template, in
	// characters.
	MaxTemplateSubjectLen = 300
	MaxTemplateBodyLen    = 20000
)

// BuiltInLanguages are the languages hireloop ships every template in.
var BuiltInLanguages = []string{"en", "de", "es"}

// LanguageName is a language tag as people read it, in English.
func LanguageName(tag string) string {
	switch tag {
	case "en":
		return "English"
	case "de":
		return "German"
	case "es":
		return "Spanish"
	}
	return tag
}

// CheckLanguage parses a BCP 47 language tag, such as de or es-MX, and
// returns it in canonical form, or a message for the person who wrote it.
func CheckLanguage(tag string) (string, string) {
	tag = strings.TrimSpace(tag)
	if tag == "" {
		return "", "Choose a language."
	}
	if len(tag) > MaxLanguageLen {
		return "", "Write a language tag such as en, de or es-MX."
	}
	t, err := language.Parse(tag)
	if err != nil || t == language.Und {
		return "", fmt.Sprintf("“%s” is not a language tag; write one such as en, de or es-MX.", tag)
	}
	s := t.String()
	if len(s) < 2 || len(s) > MaxLanguageLen {
		return "", "Write a language tag such as en, de or es-MX."
	}
	return s, ""
}

// LanguageChain lists the template languages to try for a candidate's
// language, best first: the tag, its base language, then English. A tag
// that does not parse is read as English.
func LanguageChain(tag string) []string {
	out := []string{}
	add := func(s string) {
		for _, x := range out {
			if x == s {
				return
			}
		}
		out = append(out, s)
	}
	if canon, msg := CheckLanguage(tag); msg == "" {
		add(canon)
		if t, err := language.Parse(canon); err == nil {
			if base, conf := t.Base(); conf != language.No {
				add(base.String())
			}
		}
	}
	add(DefaultLanguage)
	return out
}

// MessageTemplate is the text of one event in one language.
type MessageTemplate struct {
	Event    TemplateEvent `json:"event"`
	Language string        `json:"language"`
	Subject  string        `json:"subject"`
	Body     string        `json:"body"`
	// Custom is true when the company wrote this text; false for the
	// built-in one.
	Custom bool `json:"custom"`
	// BuiltIn is true when hireloop ships a text for this event and
	// language, which a reset goes back to.
	BuiltIn bool `json:"built_in"`
	// UpdatedAt and UpdatedBy say who last changed a custom text.
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
}

// placeholderRE finds everything written like a placeholder; the name is
// checked afterwards, so a misspelt one is reported rather than sent.
var placeholderRE = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// singleBraceRE finds a known placeholder name in single braces, a
// likely slip.
var singleBraceRE = regexp.MustCompile(`(^|[^{])\{([a-z_]+)\}($|[^}])`)

// Validate checks a template before it is saved, naming each wrong field:
// event, language, subject, body.
func (t *MessageTemplate) Validate() error {
	v := Validation{}
	if !t.Event.Valid() {
		v.Add("event", "Choose an event from the list.")
	}
	if lang, msg := CheckLanguage(t.Language); msg != "" {
		v.Add("language", msg)
	} else {
		t.Language = lang
	}
	t.Subject = strings.TrimSpace(t.Subject)
	t.Body = strings.TrimRight(strings.ReplaceAll(t.Body, "\r\n", "\n"), " \n\t") + "\n"
	if strings.TrimSpace(t.Body) == "" {
		t.Body = ""
	}
	checkString(v, "subject", t.Subject, true, MaxTemplateSubjectLen)
	if strings.ContainsAny(t.Subject, "\r\n") {
		v.Add("subject", "A subject is one line.")
	}
	checkString(v, "body", t.Body, true, MaxTemplateBodyLen)
	if t.Event.Valid() {
		checkPlaceholders(v, "subject", t.Subject, t.Event)
		checkPlaceholders(v, "body", t.Body, t.Event)
	}
	return v.Err()
}

// checkPlaceholders reports the first placeholder of s that the event
// cannot fill.
func checkPlaceholders(v Validation, field, s string, e TemplateEvent) {
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		token := "{{" + m[1] + "}}"
		p, ok := findPlaceholder(token)
		switch {
		case !ok:
			v.Add(field, fmt.Sprintf("%s is not a placeholder hireloop knows. Use one of: %s.", m[0], placeholderList(e)))
			return
		case !p.allowed(e):
			v.Add(field, fmt.Sprintf("%s cannot be used in this message; it is only known for: %s.", token, eventList(p.Only)))
			return
		}
	}
	for _, m := range singleBraceRE.FindAllStringSubmatch(s, -1) {
		if _, ok := findPlaceholder("{{" + m[2] + "}}"); ok {
			v.Add(field, fmt.Sprintf("Write {%s} with two braces on each side: {{%s}}.", m[2], m[2]))
			return
		}
	}
}

func placeholderList(e TemplateEvent) string {
	var names []string
	for _, p := range PlaceholdersFor(e) {
		names = append(names, p.Token)
	}
	return strings.Join(names, ", ")
}

func eventList(es []TemplateEvent) string {
	var names []string
	for _, e := range es {
		names = append(names, strings.ToLower(e.Label()))
	}
	return strings.Join(names, ", ")
}

// TemplateValues are what the placeholders stand for in one message. An
// empty value leaves its placeholder empty, and Render reports it.
type TemplateValues struct {
	CandidateName string
	// FirstName defaults to the first word of CandidateName.
	FirstName     string
	JobTitle      string
	Company       string
	Stage         string
	NextStage     string
	GuideURL      string
	HearBackBy    string
	InterviewTime string
	RecruiterName string
	RetainUntil   string
}

func (v TemplateValues) byToken() map[string]string {
	first := v.FirstName
	if first == "" {
		if f := strings.Fields(v.CandidateName); len(f) > 0 {
			first = f[0]
		}
	}
	return map[string]string{
		PlaceholderCandidateName: v.CandidateName,
		PlaceholderFirstName:     first,
		PlaceholderJobTitle:      v.JobTitle,
		PlaceholderCompany:       v.Company,
		PlaceholderStage:         v.Stage,
		PlaceholderNextStage:     v.NextStage,
		PlaceholderGuideURL:      v.GuideURL,
		PlaceholderHearBackBy:    v.HearBackBy,
		PlaceholderInterviewTime: v.InterviewTime,
		PlaceholderRecruiterName: v.RecruiterName,
		PlaceholderRetainUntil:   v.RetainUntil,
	}
}

// RenderedMessage is a template with its placeholders filled in.
type RenderedMessage struct {
	Event    TemplateEvent `json:"event"`
	Language string        `json:"language"`
	Subject  string        `json:"subject"`
	Body     string        `json:"body"`
	// Missing lists the placeholders the text uses whose value is not
	// known, such as {{interview_time}} with no interview scheduled; they
	// were left empty.
	Missing []string `json:"missing"`
}

// Render fills the placeholders in one pass, so a value that itself looks
// like a placeholder is never filled in again. Values are plain text; the
// subject stays one line whatever the values hold.
func (t MessageTemplate) Render(v TemplateValues) RenderedMessage {
	vals := v.byToken()
	missing := map[string]bool{}
	pairs := make([]string, 0, 2*len(vals))
	for token, val := range vals {
		val = strings.TrimSpace(val)
		if val == "" && (strings.Contains(t.Subject, token) || strings.Contains(t.Body, token)) {
			missing[token] = true
		}
		pairs = append(pairs, token, val)
	}
	r := strings.NewReplacer(pairs...)
	out := RenderedMessage{Event: t.Event, Language: t.Language,
		Subject: oneLine(r.Replace(t.Subject)), Body: r.Replace(t.Body), Missing: []string{}}
	for token := range missing {
		out.Missing = append(out.Missing, token)
	}
	sort.Strings(out.Missing)
	return out
}

// TextToHTML writes a plain-text body as the HTML part of an email: every
// character escaped, paragraphs at blank lines, line breaks kept. Each of
// links that appears in the text becomes a link; nothing else does.
func TextToHTML(text string, links ...string) string {
	esc := html.EscapeString(strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n")))
	out := "<p>" + strings.ReplaceAll(esc, "\n\n", "</p>\n<p>") + "</p>\n"
	out = strings.ReplaceAll(out, "\n", "<br>\n")
	out = strings.ReplaceAll(out, "</p><br>\n<p>", "</p>\n<p>")
	out = strings.TrimSuffix(out, "<br>\n") + "\n"
	for _, l := range links {
		if l == "" || !(strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) {
			continue
		}
		e := html.EscapeString(l)
		out = strings.Replace(out, e, `<a href="`+e+`">`+e+`</a>`, 1)
	}
	return out
}

// Month and weekday names for dates in messages.
var (
	monthNames = map[string][12]string{
		"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
		"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	}
	weekdayNames = map[string][7]string{
		"de": {"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
		"es": {"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
	}
)

// baseLanguage returns the base language of a tag: "de" for "de-AT".
func baseLanguage(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i > 0 {
		return strings.ToLower(tag[:i])
	}
	return strings.ToLower(tag)
}

// FormatMessageDate writes a day as a message in the language says it:
// "3 March 2026", "3. März 2026", "3 de marzo de 2026".
func FormatMessageDate(t time.Time, lang string) string {
	switch l := baseLanguage(lang); l {
	case "de":
		return fmt.Sprintf("%d. %s %d", t.Day(), monthNames[l][t.Month()-1], t.Year())
	case "es":
		return fmt.Sprintf("%d de %s de %d", t.Day(), monthNames[l][t.Month()-1], t.Year())
	}
	return t.Format("2 January 2006")
}

// FormatMessageTime writes a moment in loc, naming the zone, as a message
// in the language says it.
func FormatMessageTime(t time.Time, loc *time.Location, lang string) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	zone := loc.String()
	switch l := baseLanguage(lang); l {
	case "de":
		return fmt.Sprintf("%s, %s, %s Uhr (%s)", weekdayNames[l][t.Weekday()], FormatMessageDate(t, l), t.Format("15:04"), zone)
	case "es":
		return fmt.Sprintf("%s, %s, %s (%s)", weekdayNames[l][t.Weekday()], FormatMessageDate(t, l), t.Format("15:04"), zone)
	}
	return fmt.Sprintf("%s %s, %s (%s)", t.Weekday(), FormatMessageDate(t, "en"), t.Format("15:04"), zone)
}

// SampleTemplateValues are made-up values that show how a template reads,
// for previews.
func SampleTemplateValues(lang string, now time.Time) TemplateValues {
	return TemplateValues{
		CandidateName: "Alex Sample",
		JobTitle:      "Backend Engineer",
		Company:       "Example Company",
		Stage:         "Technical interview",
		NextStage:     "Hiring manager interview",
		GuideURL:      "https://jobs.example.com/guide/sample-private-link",
		HearBackBy:    FormatMessageDate(now.AddDate(0, 0, 5), lang),
		InterviewTime: FormatMessageTime(now.AddDate(0, 0, 7).Truncate(time.Hour), time.UTC, lang),
		RecruiterName: "Sam Recruiter",
		RetainUntil:   FormatMessageDate(now.AddDate(0, DefaultRetentionMonths, 0), lang),
	}
}

// ComposeFromTemplate writes the confirmation of an application from the
// rendered "received" template. A request for adjustments is acknowledged
// in the message's language whatever the template says, since the
// candidate is promised an answer within 24 hours.
func ComposeFromTemplate(c Confirmation, m RenderedMessage, guideURL string) MessageDraft {
	text := strings.TrimRight(m.Body, "\n") + "\n"
	if strings.TrimSpace(c.Application.AdjustmentRequest) != "" {
		text += "\n" + adjustmentAcknowledgement(m.Language) + "\n"
	}
	return MessageDraft{
		ApplicationID: &c.Application.ID,
		To:            c.Candidate.Email,
		Kind:          KindConfirmation,
		Subject:       m.Subject,
		TextBody:      text,
		HTMLBody:      TextToHTML(text, guideURL),
	}
}

func adjustmentAcknowledgement(lang string) string {
	switch baseLanguage(lang) {
	case "de":
		return "Ihre Bitte um Anpassungen haben wir erhalten; unsere Koordination antwortet Ihnen innerhalb von 24 Stunden."
	case "es":
		return "Hemos recibido su solicitud de adaptaciones; nuestro equipo de coordinación le responderá en un plazo de 24 horas."
	}
	return "We have received your request for adjustments; our coordinator will reply within 24 hours."
}

// DefaultTemplate returns hireloop's built-in text of an event in a
// language, and false when it ships none for that language.
func DefaultTemplate(e TemplateEvent, lang string) (MessageTemplate, bool) {
	texts, ok := builtInTemplates[lang]
	if !ok {
		return MessageTemplate{}, false
	}
	t, ok := texts[e]
	if !ok {
		return MessageTemplate{}, false
	}
	return MessageTemplate{Event: e, Language: lang, Subject: t[0], Body: t[1], BuiltIn: true}, true
}

// builtInTemplates holds the subject and body of every event by language.
var builtInTemplates = map[string]map[TemplateEvent][2]string{
	"en": {
		TemplateReceived: {"We received your application for {{job_title}}",
			"Hello {{first_name}},\n\n" +
				"Thank you for applying for {{job_title}} at {{company}}. Your application has reached us, " +
				"and a person on our recruiting team will read it.\n\n" +
				"You can follow your application at this private link, meant for you only:\n{{guide_url}}\n\n" +
				"We keep your data until {{retain_until}} unless you ask us to delete it sooner.\n\n" +
				"Best wishes,\nThe recruiting team at {{company}}\n"},
		TemplateMovingForward: {"Your application for {{job_title}}: the next step",
			"Hello {{first_name}},\n\n" +
				"Good news: we would like to continue with your application for {{job_title}}. " +
				"The next step is {{stage}}.\n\n" +
				"We will be in touch with the details soon, and by {{hear_back_by}} at the latest.\n\n" +
				"Best wishes,\n{{recruiter_name}}\n{{company}}\n"},
		TemplateScheduling: {"Finding a time for your {{stage}}",
			"Hello {{first_name}},\n\n" +
				"We would like to schedule your {{stage}} for {{job_title}}. Could you reply with a few times " +
				"that suit you over the coming week, along with your time zone?\n\n" +
				"If you need any adjustments for the conversation, such as extra time or captions, " +
				"just say so in your reply.\n\n" +
				"Thank you,\n{{recruiter_name}}\n{{company}}\n"},
		TemplateInvitation: {"Confirmed: your {{stage}} on {{interview_time}}",
			"Hello {{first_name}},\n\n" +
				"Your {{stage}} for {{job_title}} is confirmed for {{interview_time}}. " +
				"A calendar invitation with the details follows separately.\n\n" +
				"If the time no longer works for you, reply to this message and we will find another one.\n\n" +
				"See you soon,\n{{recruiter_name}}\n{{company}}\n"},
		TemplateRejection: {"Your application for {{job_title}}",
			"Hello {{first_name}},\n\n" +
				"Thank you for the time and care you put into your application for {{job_title}}. " +
				"After careful thought, we have decided not to go further with it.\n\n" +
				"We know this is not the news you hoped for. You are welcome to apply for other roles with us, " +
				"and for this role again in six months.\n\n" +
				"We wish you all the best,\n{{recruiter_name}}\n{{company}}\n"},
		TemplateOfferStage: {"Your application for {{job_title}}: the offer stage",
			"Hello {{first_name}},\n\n" +
				"Thank you for everything you shared with us during the interviews. We are glad to tell you " +
				"that your application for {{job_title}} has reached the offer stage.\n\n" +
				"We are preparing the details now and will contact you by {{hear_back_by}}. " +
				"If you have questions in the meantime, simply reply to this message.\n\n" +
				"Warm regards,\n{{recruiter_name}}\n{{company}}\n"},
		TemplateMessage: {"About your application for {{job_title}}",
			"Hello {{first_name}},\n\n\n\nBest wishes,\n{{recruiter_name}}\n{{company}}\n"},
	},
	"de": {
		TemplateReceived: {"Ihre Bewerbung für {{job_title}} ist bei uns eingegangen",
			"Guten Tag {{candidate_name}},\n\n" +
				"vielen Dank für Ihre Bewerbung für die Stelle {{job_title}} bei {{company}}. Ihre Unterlagen " +
				"sind bei uns eingegangen, und eine Person aus unserem Recruiting-Team wird sie lesen.\n\n" +
				"Über diesen privaten Link, der nur für Sie bestimmt ist, können Sie den Stand Ihrer Bewerbung verfolgen:\n{{guide_url}}\n\n" +
				"Wir bewahren Ihre Daten bis zum {{retain_until}} auf, sofern Sie uns nicht bitten, sie früher zu löschen.\n\n" +
				"Viele Grüße\nIhr Recruiting-Team von {{company}}\n"},
		TemplateMovingForward: {"Ihre Bewerbung für {{job_title}}: der nächste Schritt",
			"Guten Tag {{candidate_name}},\n\n" +
				"wir freuen uns, Ihnen mitzuteilen, dass wir Ihre Bewerbung für die Stelle {{job_title}} " +
				"gern weiterverfolgen möchten. Der nächste Schritt ist: {{stage}}.\n\n" +
				"Wir melden uns in Kürze mit den Einzelheiten, spätestens bis zum {{hear_back_by}}.\n\n" +
				"Viele Grüße\n{{recruiter_name}}\n{{company}}\n"},
		TemplateScheduling: {"Terminabstimmung: {{stage}}",
			"Guten Tag {{candidate_name}},\n\n" +
				"wir möchten gern einen Termin für den Schritt „{{stage}}“ in Ihrem Bewerbungsverfahren für " +
				"{{job_title}} vereinbaren. Könnten Sie uns einige Zeitfenster in der kommenden Woche nennen, " +
				"die Ihnen passen, und dazu Ihre Zeitzone angeben?\n\n" +
				"Wenn Sie für das Gespräch Anpassungen benötigen, etwa mehr Zeit oder Untertitel, " +
				"schreiben Sie es uns einfach in Ihrer Antwort.\n\n" +
				"Vielen Dank und viele Grüße\n{{recruiter_name}}\n{{company}}\n"},
		TemplateInvitation: {"Termin bestätigt: {{stage}} am {{interview_time}}",
			"Guten Tag {{candidate_name}},\n\n" +
				"Ihr Termin für den Schritt „{{stage}}“ im Bewerbungsverfahren für {{job_title}} ist bestätigt: " +
				"{{interview_time}}. Eine Kalendereinladung mit allen Einzelheiten erhalten Sie separat.\n\n" +
				"Falls der Termin nicht mehr passt, antworten Sie bitte auf diese Nachricht; " +
				"dann finden wir gemeinsam einen neuen.\n\n" +
				"Viele Grüße\n{{recruiter_name}}\n{{company}}\n"},
		TemplateRejection: {"Ihre Bewerbung für {{job_title}}",
			"Guten Tag {{candidate_name}},\n\n" +
				"vielen Dank für die Zeit und Mühe, die Sie in Ihre Bewerbung für die Stelle {{job_title}} " +
				"gesteckt haben. Nach sorgfältiger Abwägung haben wir uns entschieden, Ihre Bewerbung nicht weiterzuverfolgen.\n\n" +
				"Uns ist bewusst, dass Sie sich eine andere Nachricht erhofft haben. Sie können sich gern auf andere " +
				"Stellen bei uns bewerben und auf diese Stelle in sechs Monaten erneut.\n\n" +
				"Wir wünschen Ihnen alles Gute\n{{recruiter_name}}\n{{company}}\n"},
		TemplateOfferStage: {"Ihre Bewerbung für {{job_title}}: die Angebotsphase",
			"Guten Tag {{candidate_name}},\n\n" +
				"vielen Dank für alles, was Sie in den Gesprächen mit uns geteilt haben. Wir freuen uns, Ihnen " +
				"mitzuteilen, dass Ihre Bewerbung für die Stelle {{job_title}} die Angebotsphase erreicht hat.\n\n" +
				"Wir bereiten jetzt die Einzelheiten vor und melden uns spätestens bis zum {{hear_back_by}} bei Ihnen. " +
				"Falls Sie bis dahin Fragen haben, antworten Sie einfach auf diese Nachricht.\n\n" +
				"Herzliche Grüße\n{{recruiter_name}}\n{{company}}\n"},
		TemplateMessage: {"Zu Ihrer Bewerbung für {{job_title}}",
			"Guten Tag {{candidate_name}},\n\n\n\nViele Grüße\n{{recruiter_name}}\n{{company}}\n"},
	},
	"es": {
		TemplateReceived: {"Hemos recibido su candidatura para {{job_title}}",
			"Hola, {{first_name}}:\n\n" +
				"Gracias por presentar su candidatura al puesto de {{job_title}} en {{company}}. La hemos recibido " +
				"y una persona de nuestro equipo de selección la leerá.\n\n" +
				"Puede seguir el estado de su candidatura en este enlace privado, pensado solo para usted:\n{{guide_url}}\n\n" +
				"Conservaremos sus datos hasta el {{retain_until}}, salvo que nos pida eliminarlos antes.\n\n" +
				"Un cordial saludo,\nEl equipo de selección de {{company}}\n"},
		TemplateMovingForward: {"Su candidatura para {{job_title}}: el siguiente paso",
			"Hola, {{first_name}}:\n\n" +
				"Nos alegra comunicarle que queremos seguir adelante con su candidatura para el puesto de " +
				"{{job_title}}. El siguiente paso es: {{stage}}.\n\n" +
				"Nos pondremos en contacto con usted en breve con los detalles, a más tardar el {{hear_back_by}}.\n\n" +
				"Un saludo,\n{{recruiter_name}}\n{{company}}\n"},
		TemplateScheduling: {"Buscamos una fecha para: {{stage}}",
			"Hola, {{first_name}}:\n\n" +
				"Nos gustaría programar el paso «{{stage}}» de su proceso de selección para {{job_title}}. " +
				"¿Podría indicarnos algunas franjas horarias que le vengan bien durante la próxima semana, " +
				"junto con su zona horaria?\n\n" +
				"Si necesita alguna adaptación para la conversación, como más tiempo o subtítulos, " +
				"indíquenoslo en su respuesta.\n\n" +
				"Gracias y un saludo,\n{{recruiter_name}}\n{{company}}\n"},
		TemplateInvitation: {"Cita confirmada: {{stage}}, {{interview_time}}",
			"Hola, {{first_name}}:\n\n" +
				"Su cita para el paso «{{stage}}» del proceso de selección para {{job_title}} queda confirmada: " +
				"{{interview_time}}. Recibirá por separado una invitación de calendario con todos los detalles.\n\n" +
				"Si la hora ya no le viene bien, responda a este mensaje y buscaremos otra.\n\n" +
				"Hasta pronto,\n{{recruiter_name}}\n{{company}}\n"},
		TemplateRejection: {"Su candidatura para {{job_title}}",
			"Hola, {{first_name}}:\n\n" +
				"Gracias por el tiempo y el esfuerzo que ha dedicado a su candidatura para el puesto de {{job_title}}. " +
				"Tras valorarla con detenimiento, hemos decidido no seguir adelante con ella.\n\n" +
				"Sabemos que no es la noticia que esperaba. Puede presentarse a otros puestos con nosotros cuando " +
				"quiera, y a este mismo puesto de nuevo dentro de seis meses.\n\n" +
				"Le deseamos lo mejor,\n{{recruiter_name}}\n{{company}}\n"},
		TemplateOfferStage: {"Su candidatura para {{job_title}}: la fase de oferta",
			"Hola, {{first_name}}:\n\n" +
				"Gracias por todo lo que ha compartido con nosotros durante las entrevistas. Nos alegra comunicarle " +
				"que su candidatura para el puesto de {{job_title}} ha llegado a la fase de oferta.\n\n" +
				"Ahora estamos preparando los detalles y nos pondremos en contacto con usted a más tardar el " +
				"{{hear_back_by}}. Si mientras tanto tiene cualquier pregunta, basta con responder a este mensaje.\n\n" +
				"Un cordial saludo,\n{{recruiter_name}}\n{{company}}\n"},
		TemplateMessage: {"Sobre su candidatura para {{job_title}}",
			"Hola, {{first_name}}:\n\n\n\nUn saludo,\n{{recruiter_name}}\n{{company}}\n"},
	},
}

// TemplateService keeps the company's message templates. Every event has
// a text in every built-in language whether or not the company changed
// it; a saved text replaces the built-in one until it is reset.
type TemplateService interface {
	// FindTemplates returns every event in every built-in language and in
	// any other language the company wrote a text for, events in the order
	// of TemplateEvents.
	FindTemplates(ctx context.Context) ([]*MessageTemplate, error)
	// FindTemplate returns the text of an event in a language: the
	// company's, the built-in one, or for a language without either, the
	// English text to start from (marked neither custom nor built in).
	FindTemplate(ctx context.Context, event TemplateEvent, lang string) (*MessageTemplate, error)
	// SaveTemplate stores the company's text and records it in the audit log.
	SaveTemplate(ctx context.Context, t MessageTemplate) (*MessageTemplate, error)
	// ResetTemplate goes back to the built-in text.
	ResetTemplate(ctx context.Context, event TemplateEvent, lang string) error
	// RenderForApplication writes the event's template for one application,
	// in lang or, when lang is "", in the candidate's language.
	RenderForApplication(ctx context.Context, appID int64, event TemplateEvent, lang string) (*RenderedMessage, error)
}

// SendInput is a message a recruiter sends to a candidate.
type SendInput struct {
	// Kind is what the message is; Event.Kind() of the template it was
	// written from.
	Kind MessageKind `json:"kind"`
	// Language is the language it is written in, for the audit log.
	Language string `json:"language"`
	Subject  string `json:"subject"`
	Body     string `json:"body"`
	// SendAt schedules the message; nil sends it now.
	SendAt *time.Time `json:"send_at"`
}

// sendableKinds are the kinds a person may send by hand.
var sendableKinds = map[MessageKind]bool{KindMovingForward: true, KindScheduling: true, KindInvitation: true,
	KindRejection: true, KindOfferStage: true, KindMessageToCandidate: true, KindWithdrawalNotice: true}

// Validate checks a message except its send time (see CheckSendAt). Its
// fields are kind, subject, body.
func (in *SendInput) Validate() error {
	v := Validation{}
	if !sendableKinds[in.Kind] {
		v.Add("kind", "Choose what kind of message this is.")
	}
	in.Subject = strings.TrimSpace(in.Subject)
	checkString(v, "subject", in.Subject, true, MaxSubjectLen)
	if strings.ContainsAny(in.Subject, "\r\n") {
		v.Add("subject", "A subject is one line.")
	}
	in.Body = strings.ReplaceAll(in.Body, "\r\n", "\n")
	checkString(v, "body", strings.TrimSpace(in.Body), true, MaxDescriptionLen)
	if m := placeholderRE.FindString(in.Subject + "\n" + in.Body); m != "" {
		field := "body"
		if strings.Contains(in.Subject, m) {
			field = "subject"
		}
		v.Add(field, fmt.Sprintf("%s is still a placeholder; write what it should say.", m))
	}
	return v.Err()
}

// AllowedAfterDecision reports whether a message of this kind may go to a
// candidate whose application is no longer active: only the notice of the
// decision itself.
func (k MessageKind) AllowedAfterDecision() bool {
	return k == KindRejection || k == KindWithdrawalNotice
}

// MessageService sends messages to candidates.
type MessageService interface {
	// SendToCandidate queues a message to the candidate of an application,
	// records it on the timeline and counts it as the reply the candidate
	// is owed, all at once. An application that is no longer active only
	// takes a rejection or withdrawal notice.
	SendToCandidate(ctx context.Context, appID int64, in SendInput) (*Message, error)
}

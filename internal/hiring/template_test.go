package hiring_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
)

var templateNow = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// TestBuiltInTemplatesAreValidAndComplete checks that every event has a
// valid text in every built-in language, and that each renders with no
// placeholder left over.
func TestBuiltInTemplatesAreValidAndComplete(t *testing.T) {
	for _, lang := range hiring.BuiltInLanguages {
		for _, e := range hiring.TemplateEvents {
			t.Run(lang+"/"+string(e), func(t *testing.T) {
				tmpl, ok := hiring.DefaultTemplate(e, lang)
				if !ok {
					t.Fatalf("no built-in text")
				}
				if err := tmpl.Validate(); err != nil {
					t.Fatalf("built-in text is invalid: %v (%v)", err, hiring.ErrorFields(err))
				}
				m := tmpl.Render(hiring.SampleTemplateValues(lang, templateNow))
				if strings.Contains(m.Subject+m.Body, "{{") {
					t.Errorf("placeholder left in %q / %q", m.Subject, m.Body)
				}
				if len(m.Missing) != 0 {
					t.Errorf("sample values miss %v", m.Missing)
				}
				if !strings.Contains(m.Body, "Alex") {
					t.Errorf("body does not greet the candidate:\n%s", m.Body)
				}
			})
		}
	}
}

func TestEachLanguageRendersItsOwnText(t *testing.T) {
	values := hiring.TemplateValues{CandidateName: "Maria Lopez", JobTitle: "Site Reliability Engineer",
		Company: "Larkspur", Stage: "Screening call", HearBackBy: "5 March 2026", RecruiterName: "Jo"}
	want := map[string]string{
		"en": "Good news: we would like to continue",
		"de": "wir freuen uns, Ihnen mitzuteilen",
		"es": "Nos alegra comunicarle",
	}
	for lang, phrase := range want {
		tmpl, _ := hiring.DefaultTemplate(hiring.TemplateMovingForward, lang)
		m := tmpl.Render(values)
		if !strings.Contains(m.Body, phrase) || !strings.Contains(m.Body, "Site Reliability Engineer") ||
			!strings.Contains(m.Body, "Screening call") {
			t.Errorf("%s body lacks %q, the job or the stage:\n%s", lang, phrase, m.Body)
		}
		if !strings.Contains(m.Subject, "Site Reliability Engineer") {
			t.Errorf("%s subject %q lacks the job title", lang, m.Subject)
		}
	}
}

func TestTemplateValidation(t *testing.T) {
	valid := func() hiring.MessageTemplate {
		return hiring.MessageTemplate{Event: hiring.TemplateRejection, Language: "en",
			Subject: "About {{job_title}}", Body: "Hello {{first_name}},\n\nThank you.\n"}
	}
	tests := []struct {
		name   string
		change func(*hiring.MessageTemplate)
		field  string
		want   string
	}{
		{"UnknownPlaceholderInBody", func(m *hiring.MessageTemplate) { m.Body = "Hello {{frist_name}}," },
			"body", "{{frist_name}} is not a placeholder"},
		{"UnknownPlaceholderInSubject", func(m *hiring.MessageTemplate) { m.Subject = "About {{ role }}" },
			"subject", "{{ role }} is not a placeholder"},
		{"PlaceholderOfAnotherEvent", func(m *hiring.MessageTemplate) { m.Body = "Your link: {{guide_url}}" },
			"body", "{{guide_url}} cannot be used in this message"},
		{"SingleBraces", func(m *hiring.MessageTemplate) { m.Body = "Hello {first_name}," },
			"body", "two braces"},
		{"EmptySubject", func(m *hiring.MessageTemplate) { m.Subject = "  " }, "subject", "required"},
		{"EmptyBody", func(m *hiring.MessageTemplate) { m.Body = "\n\n" }, "body", "required"},
		{"SubjectOnTwoLines", func(m *hiring.MessageTemplate) { m.Subject = "One\nTwo" }, "subject", "one line"},
		{"LongSubject", func(m *hiring.MessageTemplate) { m.Subject = strings.Repeat("a", 301) }, "subject", ""},
		{"UnknownEvent", func(m *hiring.MessageTemplate) { m.Event = "party" }, "event", "Choose an event"},
		{"BadLanguage", func(m *hiring.MessageTemplate) { m.Language = "not a language" }, "language", "not a language tag"},
		{"NoLanguage", func(m *hiring.MessageTemplate) { m.Language = "" }, "language", "Choose a language"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := valid()
			tc.change(&m)
			err := m.Validate()
			if hiring.ErrorCode(err) != hiring.EINVALID {
				t.Fatalf("Validate = %v, want invalid", err)
			}
			msg, ok := hiring.ErrorFields(err)[tc.field]
			if !ok || !strings.Contains(strings.ToLower(msg), strings.ToLower(tc.want)) {
				t.Errorf("fields %v, want %s to say %q", hiring.ErrorFields(err), tc.field, tc.want)
			}
		})
	}
	t.Run("CanonicalLanguage", func(t *testing.T) {
		m := valid()
		m.Language = "ES-mx"
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		if m.Language != "es-MX" {
			t.Errorf("language %q, want es-MX", m.Language)
		}
	})
}

func TestRenderKeepsValuesAsText(t *testing.T) {
	tmpl := hiring.MessageTemplate{Event: hiring.TemplateMessage, Language: "en",
		Subject: "Hello {{candidate_name}}", Body: "Dear {{candidate_name}} of {{company}},\n\nRegards\n"}
	m := tmpl.Render(hiring.TemplateValues{CandidateName: "<script>alert(1)</script> {{company}}\nBcc: x@y.test",
		Company: "Larkspur & Co"})
	if strings.Contains(m.Subject, "\n") {
		t.Errorf("subject %q holds a line break from a value", m.Subject)
	}
	if !strings.Contains(m.Body, "<script>alert(1)</script> {{company}}") {
		t.Errorf("the text part should hold the name as written, not filled in again:\n%s", m.Body)
	}
	h := hiring.TextToHTML(m.Body)
	if strings.Contains(h, "<script>") || !strings.Contains(h, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the HTML part does not escape the value:\n%s", h)
	}
	if !strings.Contains(h, "Larkspur &amp; Co") {
		t.Errorf("the HTML part does not escape the company:\n%s", h)
	}
}

func TestRenderReportsMissingValues(t *testing.T) {
	tmpl, _ := hiring.DefaultTemplate(hiring.TemplateInvitation, "en")
	m := tmpl.Render(hiring.TemplateValues{CandidateName: "Robin", JobTitle: "Engineer", Company: "Larkspur",
		Stage: "Peer interview", RecruiterName: "Jo"})
	if diff := cmp.Diff([]string{"{{interview_time}}"}, m.Missing); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
}

func TestLanguageChain(t *testing.T) {
	tests := map[string][]string{
		"de-AT": {"de-AT", "de", "en"},
		"es":    {"es", "en"},
		"en":    {"en"},
		"":      {"en"},
		"??":    {"en"},
	}
	for in, want := range tests {
		if diff := cmp.Diff(want, hiring.LanguageChain(in)); diff != "" {
			t.Errorf("LanguageChain(%q) (-want +got):\n%s", in, diff)
		}
	}
}

func TestMessageDates(t *testing.T) {
	at := time.Date(2026, time.March, 3, 13, 0, 0, 0, time.UTC)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ lang, date, moment string }{
		{"en", "3 March 2026", "Tuesday 3 March 2026, 14:00 (Europe/Berlin)"},
		{"de", "3. März 2026", "Dienstag, 3. März 2026, 14:00 Uhr (Europe/Berlin)"},
		{"es-MX", "3 de marzo de 2026", "martes, 3 de marzo de 2026, 14:00 (Europe/Berlin)"},
	}
	for _, tc := range tests {
		if got := hiring.FormatMessageDate(at, tc.lang); got != tc.date {
			t.Errorf("date in %s = %q, want %q", tc.lang, got, tc.date)
		}
		if got := hiring.FormatMessageTime(at, berlin, tc.lang); got != tc.moment {
			t.Errorf("time in %s = %q, want %q", tc.lang, got, tc.moment)
		}
	}
}

func TestSendInputValidation(t *testing.T) {
	in := hiring.SendInput{Kind: hiring.KindMessageToCandidate, Subject: "Hello", Body: "Hello {{first_name}}"}
	if msg := hiring.ErrorFields(in.Validate())["body"]; !strings.Contains(msg, "still a placeholder") {
		t.Errorf("body message %q, want it to name the placeholder left", msg)
	}
	in = hiring.SendInput{Kind: hiring.KindConfirmation, Subject: "Hello", Body: "Text"}
	if _, ok := hiring.ErrorFields(in.Validate())["kind"]; !ok {
		t.Error("a confirmation cannot be sent by hand, yet it was accepted")
	}
	in = hiring.SendInput{Kind: hiring.KindScheduling, Subject: "When?", Body: "When are you free?"}
	if err := in.Validate(); err != nil {
		t.Errorf("valid message refused: %v", err)
	}
}

func TestComposeFromTemplateAcknowledgesAdjustments(t *testing.T) {
	tmpl, _ := hiring.DefaultTemplate(hiring.TemplateReceived, "de")
	c := hiring.Confirmation{Candidate: &hiring.Candidate{Name: "Kim", Email: "kim@example.com"},
		Opening:     &hiring.Opening{Title: "Engineer"},
		Application: &hiring.Application{ID: 7, AdjustmentRequest: "Captions, please."}}
	link := "https://jobs.example.com/guide/abc"
	m := tmpl.Render(hiring.TemplateValues{CandidateName: "Kim", JobTitle: "Engineer", Company: "Larkspur",
		GuideURL: link, RetainUntil: "1. März 2027"})
	d := hiring.ComposeFromTemplate(c, m, link)
	if !strings.Contains(d.TextBody, "Anpassungen") || !strings.Contains(d.TextBody, link) {
		t.Errorf("text lacks the acknowledgement or the link:\n%s", d.TextBody)
	}
	if !strings.Contains(d.HTMLBody, `<a href="`+link+`">`) {
		t.Errorf("HTML does not link the Guide:\n%s", d.HTMLBody)
	}
	if d.Kind != hiring.KindConfirmation || d.To != "kim@example.com" || *d.ApplicationID != 7 {
		t.Errorf("draft %+v", d)
	}
	if err := d.Validate(); err != nil {
		t.Errorf("draft invalid: %v", err)
	}
}

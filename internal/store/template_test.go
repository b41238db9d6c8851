package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

var templateStart = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

func TestTemplatesListSaveReset(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		svc := store.NewTemplateService(db, store.TemplateOptions{CompanyName: "Larkspur"})
		admin, _ := hiringtest.MustCreateUser(t, db, hiring.RoleAdmin)
		ctx := hiring.NewContextWithActor(t.Context(), admin)

		list, err := svc.FindTemplates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := len(hiring.TemplateEvents) * len(hiring.BuiltInLanguages); len(list) != want {
			t.Fatalf("%d templates, want every event in every built-in language (%d)", len(list), want)
		}
		for _, m := range list {
			if m.Custom || !m.BuiltIn {
				t.Errorf("%s/%s: custom %v, built in %v before any change", m.Event, m.Language, m.Custom, m.BuiltIn)
			}
		}

		saved, err := svc.SaveTemplate(ctx, hiring.MessageTemplate{Event: hiring.TemplateRejection, Language: "de",
			Subject: "Zu {{job_title}}", Body: "Hallo {{first_name}},\n\nleider nein.\n"})
		if err != nil {
			t.Fatal(err)
		}
		if !saved.Custom || saved.Subject != "Zu {{job_title}}" || saved.UpdatedBy != admin.Email {
			t.Errorf("saved %+v", saved)
		}
		// Saving again replaces the text rather than adding a second one.
		if _, err := svc.SaveTemplate(ctx, hiring.MessageTemplate{Event: hiring.TemplateRejection, Language: "de",
			Subject: "Ihre Bewerbung", Body: "Hallo,\n\nleider nein.\n"}); err != nil {
			t.Fatal(err)
		}
		got, err := svc.FindTemplate(ctx, hiring.TemplateRejection, "de")
		if err != nil || got.Subject != "Ihre Bewerbung" || !got.Custom {
			t.Fatalf("after the second save: %+v, %v", got, err)
		}
		// A new language joins the list.
		if _, err := svc.SaveTemplate(ctx, hiring.MessageTemplate{Event: hiring.TemplateMessage, Language: "fr",
			Subject: "Votre candidature", Body: "Bonjour {{first_name}},\n"}); err != nil {
			t.Fatal(err)
		}
		list, _ = svc.FindTemplates(ctx)
		if want := len(hiring.TemplateEvents) * (len(hiring.BuiltInLanguages) + 1); len(list) != want {
			t.Errorf("%d templates after adding French, want %d", len(list), want)
		}
		fr, _ := svc.FindTemplate(ctx, hiring.TemplateRejection, "fr")
		if fr.Custom || fr.BuiltIn || fr.Language != "fr" || !strings.Contains(fr.Body, "Thank you") {
			t.Errorf("a language without text should start from the English one: %+v", fr)
		}

		entries, _, err := store.NewAuditService(db).FindAuditEntries(ctx, hiring.AuditFilter{Entity: "message_template", Limit: 10})
		if err != nil || len(entries) != 3 {
			t.Fatalf("%d audit entries of templates, err %v; want one per save", len(entries), err)
		}

		if err := svc.ResetTemplate(ctx, hiring.TemplateRejection, "de"); err != nil {
			t.Fatal(err)
		}
		got, _ = svc.FindTemplate(ctx, hiring.TemplateRejection, "de")
		builtIn, _ := hiring.DefaultTemplate(hiring.TemplateRejection, "de")
		if got.Custom || got.Subject != builtIn.Subject {
			t.Errorf("after reset: %+v, want the built-in text", got)
		}
		if err := svc.ResetTemplate(ctx, hiring.TemplateRejection, "de"); err != nil {
			t.Errorf("resetting twice: %v", err)
		}

		t.Run("RefusesBadInput", func(t *testing.T) {
			_, err := svc.SaveTemplate(ctx, hiring.MessageTemplate{Event: hiring.TemplateRejection, Language: "en",
				Subject: "Hi", Body: "Hello {{nickname}}"})
			if msg := hiring.ErrorFields(err)["body"]; !strings.Contains(msg, "{{nickname}}") {
				t.Errorf("error %v, want the body message to name {{nickname}}", err)
			}
			if _, err := svc.FindTemplate(ctx, "party", "en"); hiring.ErrorCode(err) != hiring.ENOTFOUND {
				t.Errorf("unknown event: %v, want not found", err)
			}
			got, _ := svc.FindTemplate(ctx, hiring.TemplateRejection, "en")
			if got.Custom {
				t.Error("a refused save was stored")
			}
		})
	})
}

func TestRenderForApplication(t *testing.T) {
	hiringtest.EnginesWithClock(t, templateStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		ctx := context.Background()
		recruiter, _ := hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{RecruiterID: &recruiter.ID})
		plan := hiringtest.MustApplyTemplate(t, db, o.ID, hiringtest.BackendTemplate)
		app := hiringtest.MustApplication(t, db, o, "maria@example.com")
		svc := store.NewTemplateService(db, store.TemplateOptions{CompanyName: "Larkspur"})

		m, err := svc.RenderForApplication(ctx, app.ID, hiring.TemplateMovingForward, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Hello Robin,", o.Title, plan.Stages[0].Name, "Larkspur", recruiter.Name} {
			if !strings.Contains(m.Body, want) {
				t.Errorf("English body lacks %q:\n%s", want, m.Body)
			}
		}
		if m.Language != "en" {
			t.Errorf("language %q, want en", m.Language)
		}

		if err := store.SetCandidateLanguage(ctx, db, app.CandidateID, "de-AT", "Europe/Vienna"); err != nil {
			t.Fatal(err)
		}
		due := time.Date(2026, time.March, 6, 22, 59, 0, 0, time.UTC) // the end of 6 March in Vienna
		if err := store.SetHearBackBy(ctx, db, app.ID, due); err != nil {
			t.Fatal(err)
		}
		m, err = svc.RenderForApplication(ctx, app.ID, hiring.TemplateMovingForward, "")
		if err != nil {
			t.Fatal(err)
		}
		if m.Language != "de" || !strings.Contains(m.Body, "Guten Tag Robin Example") || !strings.Contains(m.Body, "6. März 2026") {
			t.Errorf("an Austrian candidate should get the German text with the date in German (%s):\n%s", m.Language, m.Body)
		}

		// The company's Austrian text wins over the German one.
		admin, _ := hiringtest.MustCreateUser(t, db, hiring.RoleAdmin)
		if _, err := svc.SaveTemplate(hiring.NewContextWithActor(ctx, admin), hiring.MessageTemplate{
			Event: hiring.TemplateMovingForward, Language: "de-AT", Subject: "Servus {{first_name}}", Body: "Servus!\n"}); err != nil {
			t.Fatal(err)
		}
		m, _ = svc.RenderForApplication(ctx, app.ID, hiring.TemplateMovingForward, "")
		if m.Subject != "Servus Robin" {
			t.Errorf("subject %q, want the company's Austrian text", m.Subject)
		}
		// Asking for a language the company has no text in falls back to English.
		m, _ = svc.RenderForApplication(ctx, app.ID, hiring.TemplateRejection, "ja")
		if m.Language != "en" {
			t.Errorf("Japanese rendered as %q, want the English fallback", m.Language)
		}
		m, _ = svc.RenderForApplication(ctx, app.ID, hiring.TemplateInvitation, "en")
		if len(m.Missing) != 1 || m.Missing[0] != hiring.PlaceholderInterviewTime {
			t.Errorf("missing %v, want the interview time (none is scheduled)", m.Missing)
		}
		if _, err := svc.RenderForApplication(ctx, 999999, hiring.TemplateRejection, ""); hiring.ErrorCode(err) != hiring.ENOTFOUND {
			t.Errorf("unknown application: %v, want not found", err)
		}
	})
}

func TestConfirmationUsesReceivedTemplate(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		templates := store.NewTemplateService(db, store.TemplateOptions{CompanyName: "Larkspur"})
		rules := store.ApplyRules{Confirm: templates.Confirmation(func(token string) string {
			return "https://jobs.example.com/guide/" + token
		})}
		apps := store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), rules)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		outbox := store.NewOutboxService(db)
		confirmation := func(email string) *hiring.Message {
			t.Helper()
			res, err := apps.Apply(ctx, hiringtest.SampleApplication(o, email))
			if err != nil {
				t.Fatal(err)
			}
			msgs, _, err := outbox.FindMessages(ctx, hiring.MessageFilter{ApplicationID: &res.Application.ID})
			if err != nil || len(msgs) != 1 {
				t.Fatalf("%d messages, err %v; want the confirmation", len(msgs), err)
			}
			if !strings.Contains(msgs[0].TextBody, "https://jobs.example.com/guide/"+res.GuideToken) {
				t.Errorf("confirmation lacks the private link:\n%s", msgs[0].TextBody)
			}
			return msgs[0]
		}
		m := confirmation("first@example.com")
		if want := "We received your application for " + o.Title; m.Subject != want || m.Kind != hiring.KindConfirmation {
			t.Errorf("subject %q kind %q, want %q from the built-in template", m.Subject, m.Kind, want)
		}
		admin, _ := hiringtest.MustCreateUser(t, db, hiring.RoleAdmin)
		if _, err := templates.SaveTemplate(hiring.NewContextWithActor(ctx, admin), hiring.MessageTemplate{
			Event: hiring.TemplateReceived, Language: "en", Subject: "Thanks, {{first_name}}!",
			Body: "We have it. Follow along: {{guide_url}}\n"}); err != nil {
			t.Fatal(err)
		}
		if m := confirmation("second@example.com"); m.Subject != "Thanks, Robin!" {
			t.Errorf("subject %q, want the company's text", m.Subject)
		}

		// A candidate whose browser reads German gets the German text, and
		// keeps German when a later application names no language.
		german, ok := hiring.DefaultTemplate(hiring.TemplateReceived, "de")
		if !ok {
			t.Fatal("no German confirmation text")
		}
		in := hiringtest.SampleApplication(o, "dritte@example.com")
		in.Language = "de"
		res, err := apps.Apply(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		msgs, _, err := outbox.FindMessages(ctx, hiring.MessageFilter{ApplicationID: &res.Application.ID})
		if err != nil || len(msgs) != 1 {
			t.Fatalf("%d messages, err %v; want the confirmation", len(msgs), err)
		}
		if want := strings.ReplaceAll(german.Subject, "{{job_title}}", o.Title); msgs[0].Subject != want {
			t.Errorf("German candidate's confirmation subject %q, want %q", msgs[0].Subject, want)
		}
		if res.Candidate.Language != "de" {
			t.Errorf("candidate language %q, want de", res.Candidate.Language)
		}
		o2 := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		again, err := apps.Apply(ctx, hiringtest.SampleApplication(o2, "dritte@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		if again.Candidate.Language != "de" {
			t.Errorf("after an application naming no language, the candidate's language is %q, want de kept", again.Candidate.Language)
		}
	})
}

func TestSendToCandidate(t *testing.T) {
	hiringtest.EnginesWithClock(t, templateStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		recruiter, _ := hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
		ctx := hiring.NewContextWithActor(context.Background(), recruiter)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		hiringtest.MustApplyTemplate(t, db, o.ID, hiringtest.BackendTemplate)
		app := hiringtest.MustApplication(t, db, o, "sam@example.com")
		msgs := store.NewMessageService(db)
		pipeline := store.NewPipelineService(db, store.PipelineOptions{})

		clock.Advance(48 * time.Hour)
		if err := store.SetHearBackBy(ctx, db, app.ID, templateStart.Add(72*time.Hour)); err != nil {
			t.Fatal(err)
		}
		sent, err := msgs.SendToCandidate(ctx, app.ID, hiring.SendInput{Kind: hiring.KindScheduling, Language: "en",
			Subject: "When are you free?", Body: "Hello Sam,\n\nWhen could we talk?\n"})
		if err != nil {
			t.Fatal(err)
		}
		if sent.Kind != hiring.KindScheduling || sent.ApplicationID == nil || *sent.ApplicationID != app.ID ||
			sent.To != "sam@example.com" || sent.Status != hiring.MessageQueued || !strings.Contains(sent.HTMLBody, "When could we talk?") {
			t.Errorf("queued %+v", sent)
		}
		hearBack, lastUpdate, replies, err := store.ReplyState(ctx, db, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if lastUpdate == nil || !lastUpdate.Equal(clock.Now()) || replies != 1 {
			t.Errorf("last update %v, %d replies recorded; want now and 1", lastUpdate, replies)
		}
		// The reply owed is met: none is owed now, or a later one for what
		// comes next.
		if hearBack != nil && (!hearBack.After(clock.Now()) || hearBack.Equal(templateStart.Add(72*time.Hour))) {
			t.Errorf("reply date %v, want none or a new one after now", hearBack)
		}
		tl, err := pipeline.Timeline(ctx, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := tl[len(tl)-1]
		if last.Kind != hiring.EventMessage || !strings.Contains(last.Detail, "When are you free?") || last.ActorID == nil {
			t.Errorf("last timeline entry %+v, want the message", last)
		}

		t.Run("Scheduled", func(t *testing.T) {
			at := clock.Now().Add(26 * time.Hour)
			m, err := msgs.SendToCandidate(ctx, app.ID, hiring.SendInput{Kind: hiring.KindMessageToCandidate,
				Subject: "Later", Body: "Text", SendAt: &at})
			if err != nil {
				t.Fatal(err)
			}
			if !m.NextAttemptAt.Equal(at) {
				t.Errorf("due %v, want %v", m.NextAttemptAt, at)
			}
			past := clock.Now().Add(-time.Hour)
			_, err = msgs.SendToCandidate(ctx, app.ID, hiring.SendInput{Kind: hiring.KindMessageToCandidate,
				Subject: "Late", Body: "Text", SendAt: &past})
			if _, ok := hiring.ErrorFields(err)["send_at"]; !ok {
				t.Errorf("a time in the past: %v, want a send_at message", err)
			}
		})
		t.Run("OnlyNoticesAfterDecision", func(t *testing.T) {
			p, err := pipeline.Progress(ctx, app.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pipeline.Reject(ctx, app.ID, hiring.RejectInput{Reason: hiring.RejectExperience}, p.Version); err != nil {
				t.Fatal(err)
			}
			outbox := store.NewOutboxService(db)
			_, before, _ := outbox.FindMessages(ctx, hiring.MessageFilter{ApplicationID: &app.ID})
			_, err = msgs.SendToCandidate(ctx, app.ID, hiring.SendInput{Kind: hiring.KindMovingForward, Subject: "Good news", Body: "Text"})
			if hiring.ErrorCode(err) != hiring.ECONFLICT {
				t.Errorf("moving forward after a rejection: %v, want a conflict", err)
			}
			_, after, _ := outbox.FindMessages(ctx, hiring.MessageFilter{ApplicationID: &app.ID})
			if after != before {
				t.Errorf("%d messages after a refused send, want %d", after, before)
			}
			if _, err := msgs.SendToCandidate(ctx, app.ID, hiring.SendInput{Kind: hiring.KindRejection,
				Subject: "Your application", Body: "Thank you for your time."}); err != nil {
				t.Errorf("a rejection notice after the rejection: %v", err)
			}
		})
		t.Run("UnknownApplication", func(t *testing.T) {
			_, err := msgs.SendToCandidate(ctx, 999999, hiring.SendInput{Kind: hiring.KindMessageToCandidate, Subject: "Hi", Body: "Text"})
			if hiring.ErrorCode(err) != hiring.ENOTFOUND {
				t.Errorf("unknown application: %v, want not found", err)
			}
		})
	})
}

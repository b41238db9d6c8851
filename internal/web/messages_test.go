package web_test

import (
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestMessageTemplatePages(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		admin := e.mustSignIn(hiring.RoleAdmin)
		const path = "/settings/messages/rejection/de"

		list := admin.get("/settings/messages")
		list.wantStatus(t, http.StatusOK)
		d := list.doc(t)
		checkAccessible(t, "/settings/messages", d)
		if n := d.Find("table.templates tbody tr").Length(); n != len(hiring.TemplateEvents) {
			t.Errorf("%d rows, want one per event (%d)", n, len(hiring.TemplateEvents))
		}
		if d.Find(`a[href="`+path+`"]`).Length() != 1 {
			t.Errorf("no link to the German rejection")
		}

		t.Run("UnknownPlaceholderKeepsTheText", func(t *testing.T) {
			body := "Guten Tag {{nickname}},\n\nleider nein.\n"
			res := admin.postForm(path, url.Values{"action": {"save"}, "subject": {"Ihre Bewerbung"}, "body": {body}})
			res.wantStatus(t, http.StatusBadRequest)
			d := res.doc(t)
			if msg := d.Find("#body-error").Text(); !strings.Contains(msg, "{{nickname}}") {
				t.Errorf("message beside the body %q, want it to name {{nickname}}", msg)
			}
			if got := d.Find("textarea#body").Text(); got != body {
				t.Errorf("body came back as %q, want %q", got, body)
			}
			if v, _ := d.Find("input#subject").Attr("value"); v != "Ihre Bewerbung" {
				t.Errorf("subject came back as %q", v)
			}
			checkAccessible(t, path, d)
		})
		t.Run("PreviewShowsSampleValues", func(t *testing.T) {
			res := admin.postForm(path, url.Values{"action": {"preview"}, "subject": {"Zu {{job_title}}"},
				"body": {"Guten Tag {{candidate_name}},\n\n<b>leider</b> nein.\n"}})
			res.wantStatus(t, http.StatusOK)
			d := res.doc(t)
			if got := d.Find(".preview-subject").Text(); got != "Zu Backend Engineer" {
				t.Errorf("preview subject %q", got)
			}
			preview := d.Find(".preview-body").Text()
			if !strings.Contains(preview, "Guten Tag Alex Sample") || !strings.Contains(preview, "<b>leider</b>") {
				t.Errorf("preview body %q, want the sample name and the markup as text", preview)
			}
			if d.Find(".preview-body b").Length() != 0 {
				t.Error("markup in the body became HTML in the preview")
			}
			if got := d.Find("textarea#body").Text(); !strings.Contains(got, "{{candidate_name}}") {
				t.Errorf("the form lost the text being previewed: %q", got)
			}
			got, _ := e.deps.Templates.FindTemplate(t.Context(), hiring.TemplateRejection, "de")
			if got.Custom {
				t.Error("a preview saved the text")
			}
		})
		t.Run("SaveAndReset", func(t *testing.T) {
			res := admin.postForm(path, url.Values{"action": {"save"}, "subject": {"Ihre Bewerbung bei uns"},
				"body": {"Guten Tag {{candidate_name}},\n\nleider nein.\n"}})
			res.wantStatus(t, http.StatusSeeOther)
			d := admin.get("/settings/messages").doc(t)
			if got := strings.TrimSpace(d.Find(`a[href="` + path + `"]`).Text()); !strings.HasPrefix(got, "Customised") {
				t.Errorf("list shows %q for the saved text, want Customised", got)
			}
			edit := admin.get(path).doc(t)
			if v, _ := edit.Find("input#subject").Attr("value"); v != "Ihre Bewerbung bei uns" {
				t.Errorf("edit page subject %q after saving", v)
			}
			admin.postForm(path, url.Values{"action": {"reset"}}).wantStatus(t, http.StatusSeeOther)
			got, _ := e.deps.Templates.FindTemplate(t.Context(), hiring.TemplateRejection, "de")
			if got.Custom {
				t.Error("reset left the company's text")
			}
		})
		t.Run("AnotherLanguage", func(t *testing.T) {
			res := admin.get("/settings/messages?event=rejection&language=not+a+tag")
			res.wantStatus(t, http.StatusBadRequest)
			if msg := res.doc(t).Find("#language-error").Text(); !strings.Contains(msg, "not a language tag") {
				t.Errorf("language message %q", msg)
			}
			res = admin.get("/settings/messages?event=rejection&language=pt-br")
			res.wantStatus(t, http.StatusSeeOther)
			if loc := res.Header.Get("Location"); loc != "/settings/messages/rejection/pt-BR" {
				t.Errorf("went to %q", loc)
			}
			admin.get("/settings/messages/party/en").wantStatus(t, http.StatusNotFound)
		})
		t.Run("HiringManagerRefused", func(t *testing.T) {
			e.mustSignIn(hiring.RoleHiringManager).get("/settings/messages").wantStatus(t, http.StatusForbidden)
		})
	})
}

// replyDate reads an application's reply date as stored, "" for none.
func replyDate(t *testing.T, db *store.DB, appID int64) string {
	t.Helper()
	var s sql.NullString
	if err := db.SQL().QueryRowContext(t.Context(), "SELECT hear_back_by FROM applications WHERE id = "+itoa(appID)).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s.String
}

func TestSendMessageFromOutbox(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		recruiter := e.mustSignIn(hiring.RoleRecruiter)
		o, res := e.mustApplied(t, nil)
		hiringtest.MustApplyTemplate(t, db, o.ID, hiringtest.BackendTemplate)
		app := res.Application
		base := "/applications/" + itoa(app.ID)

		page := recruiter.get(base + "/messages?template=scheduling")
		page.wantStatus(t, http.StatusOK)
		d := page.doc(t)
		checkAccessible(t, base+"/messages", d)
		if d.Find("table.outbox tbody tr").Length() != 1 {
			t.Errorf("the outbox should list the confirmation sent when they applied")
		}
		subject, _ := d.Find("input#subject").Attr("value")
		if want := "Finding a time for your Screening call"; !strings.Contains(subject, "Finding a time for your") {
			t.Errorf("subject prefilled as %q, want the rendered scheduling template (%s)", subject, want)
		}
		body := d.Find("textarea#body").Text()
		if !strings.Contains(body, "Hello Robin,") || strings.Contains(body, "{{") || !strings.Contains(body, o.Title) {
			t.Errorf("body prefilled as %q, want it written for the candidate", body)
		}

		form := url.Values{"template": {"scheduling"}, "language": {"en"}, "subject": {subject},
			"body": {body + "\nP.S. <script>alert(1)</script>"}}
		form.Set("action", "preview")
		prev := recruiter.postForm(base+"/messages", form)
		prev.wantStatus(t, http.StatusOK)
		pd := prev.doc(t)
		if got := pd.Find(".preview-subject").Text(); got != subject {
			t.Errorf("preview subject %q, want %q", got, subject)
		}
		if pd.Find(".preview-body script").Length() != 0 || !strings.Contains(pd.Find(".preview-body").Text(), "<script>") {
			t.Error("the preview should show the script tag as text")
		}
		if n := len(e.mustMessages(t, app.ID)); n != 1 {
			t.Errorf("a preview queued something: %d messages", n)
		}

		before := replyDate(t, db, app.ID)
		if before == "" {
			t.Fatal("a new application owes the candidate a reply")
		}
		form.Set("action", "send")
		sent := recruiter.postForm(base+"/messages", form)
		sent.wantStatus(t, http.StatusSeeOther)
		if after := replyDate(t, db, app.ID); after == before {
			t.Errorf("reply date still %q after the message; the reply owed should be met", after)
		}
		msgs := e.mustMessages(t, app.ID)
		if len(msgs) != 2 || msgs[0].Subject != subject || msgs[0].Kind != hiring.KindScheduling {
			t.Fatalf("outbox %+v, want the scheduling message on top", msgs)
		}

		list := recruiter.get(base + "/messages").doc(t)
		row := list.Find("table.outbox tbody tr").First()
		if !strings.Contains(row.Text(), subject) || !strings.Contains(row.Text(), "queued") ||
			!strings.Contains(row.Text(), "Asking for availability") {
			t.Errorf("outbox row %q, want the subject, kind and status", row.Text())
		}
		href, _ := row.Find("a").Attr("href")
		view := recruiter.get(href).doc(t)
		if !strings.Contains(view.Find("#message-text").Parent().Text(), "P.S. <script>alert(1)</script>") {
			t.Errorf("the message's text is not shown as written")
		}

		timeline := recruiter.get(base).doc(t).Find(".timeline .event-message").Text()
		if !strings.Contains(timeline, "Message to the candidate") || !strings.Contains(timeline, subject) {
			t.Errorf("timeline %q, want the message", timeline)
		}

		t.Run("BadInputKeepsTheForm", func(t *testing.T) {
			bad := url.Values{"template": {"message"}, "action": {"send"}, "subject": {""},
				"body": {"Hello {{first_name}}"}, "send_at": {"yesterday"}}
			res := recruiter.postForm(base+"/messages", bad)
			res.wantStatus(t, http.StatusBadRequest)
			d := res.doc(t)
			for _, id := range []string{"#subject-error", "#body-error", "#send_at-error"} {
				if d.Find(id).Length() != 1 {
					t.Errorf("no message %s", id)
				}
			}
			if got := d.Find("textarea#body").Text(); got != "Hello {{first_name}}" {
				t.Errorf("body came back as %q", got)
			}
			if n := len(e.mustMessages(t, app.ID)); n != 2 {
				t.Errorf("%d messages after a refused send, want 2", n)
			}
		})
	})
}

func TestRejectFormSpeaksTheCandidatesLanguage(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		recruiter := e.mustSignIn(hiring.RoleRecruiter)
		o, res := e.mustApplied(t, nil)
		if _, err := db.SQL().ExecContext(t.Context(), "UPDATE candidates SET language = 'es' WHERE id = "+itoa(res.Candidate.ID)); err != nil {
			t.Fatal(err)
		}
		d := recruiter.get("/applications/" + itoa(res.Application.ID)).doc(t)
		if v, _ := d.Find("input#subject").Attr("value"); v != "Su candidatura para "+o.Title {
			t.Errorf("rejection subject %q, want the Spanish template", v)
		}
		if body := d.Find("textarea#message").Text(); !strings.HasPrefix(body, "Hola, Robin:") {
			t.Errorf("rejection body %q, want the Spanish template for Robin", body)
		}
		if d.Find(`a[href="/applications/`+itoa(res.Application.ID)+`/messages"]`).Length() != 1 {
			t.Error("the application page does not link to its messages")
		}
	})
}

func (e *env) mustMessages(t *testing.T, appID int64) []*hiring.Message {
	t.Helper()
	msgs, _, err := e.deps.Outbox.FindMessages(t.Context(), hiring.MessageFilter{ApplicationID: &appID})
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

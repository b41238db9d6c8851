package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// pngBytes is the start of a PNG image.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)

// upload is a file part of a form.
type upload struct {
	field, name string
	data        []byte
}

// submission is an application form as a browser sends it.
type submission struct {
	values url.Values
	files  []upload
}

func (s submission) clone() submission {
	c := submission{values: url.Values{}, files: append([]upload(nil), s.files...)}
	for k, v := range s.values {
		c.values[k] = append([]string(nil), v...)
	}
	return c
}

// withFile replaces the files of field with one file.
func (s submission) withFile(field, name string, data []byte) submission {
	c := s.clone()
	var kept []upload
	for _, f := range c.files {
		if f.field != field {
			kept = append(kept, f)
		}
	}
	c.files = append(kept, upload{field, name, data})
	return c
}

func (s submission) with(field string, values ...string) submission {
	c := s.clone()
	if len(values) == 0 {
		c.values.Del(field)
	} else {
		c.values[field] = values
	}
	return c
}

// validApplication fills in every field of o's form, answering each of its
// questions, with a small PDF resume.
func validApplication(o *hiring.Opening, email string) submission {
	v := url.Values{
		"name":               {"Robin Example"},
		"email":              {email},
		"phone":              {"+49 30 1234567"},
		"location":           {"Berlin, Germany"},
		"cover_letter":       {"I have kept nightly loads on time for three years.\r\n\r\nI would like to do it here."},
		"links":              {"https://example.com/robin\r\nhttps://code.example.org/robin"},
		"adjustment_request": {""},
		"consent":            {"on"},
		"self_id_gender":     {""},
		"self_id_ethnicity":  {""},
		"self_id_veteran":    {""},
		"self_id_disability": {""},
		"website":            {""},
		"idempotency_key":    {"key-" + strings.Repeat("a", 20) + unique()},
	}
	for _, q := range o.Questions {
		f := q.FieldName()
		switch q.Type {
		case hiring.YesNo:
			v.Set(f, "yes")
		case hiring.SingleSelect:
			v.Set(f, q.Options[0])
		case hiring.MultiSelect:
			v[f] = q.Options[:2]
		default:
			v.Set(f, "Stream processing for small teams.")
		}
	}
	return submission{values: v, files: []upload{{"resume", "robin-resume.pdf", hiringtest.PDF("Robin Example, data engineer")}}}
}

// body encodes the submission as multipart/form-data.
func (s submission) body(tb testing.TB) (string, *bytes.Buffer) {
	tb.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range s.values {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				tb.Fatal(err)
			}
		}
	}
	for _, f := range s.files {
		w, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(f.data); err != nil {
			tb.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	return mw.FormDataContentType(), &b
}

func (c *client) postMultipart(path string, s submission) *response {
	c.e.t.Helper()
	ct, body := s.body(c.e.t)
	return c.do(http.MethodPost, path, ct, body)
}

// mustQuestionJob opens a job with the sample questions and reads it back,
// so the questions have their ids.
func mustQuestionJob(t *testing.T, db *store.DB, title string) *hiring.Opening {
	t.Helper()
	o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: title, Questions: hiringtest.SampleQuestions()})
	return mustFindOpening(t, db, o.ID)
}

// applications returns the applications to an opening.
func applications(t *testing.T, e *env, openingID int64) []*hiring.Application {
	t.Helper()
	apps, _, err := e.deps.Applications.FindApplications(context.Background(), hiring.ApplicationFilter{OpeningID: &openingID})
	if err != nil {
		t.Fatal(err)
	}
	return apps
}

func outbox(t *testing.T, e *env, appID int64) []*hiring.Message {
	t.Helper()
	msgs, _, err := e.deps.Outbox.FindMessages(context.Background(), hiring.MessageFilter{ApplicationID: &appID})
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func TestApply(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		job := mustQuestionJob(t, db, "Pipeline Engineer")
		c := e.anonymous()
		jobPath := "/jobs/" + itoa(job.ID)

		page := c.get(jobPath)
		page.wantStatus(t, http.StatusOK)
		form := page.doc(t).Find("form.apply-form")
		if action, _ := form.Attr("action"); action != jobPath+"/apply" {
			t.Fatalf("form action = %q", action)
		}
		if enc, _ := form.Attr("enctype"); enc != "multipart/form-data" {
			t.Errorf("form enctype = %q", enc)
		}
		key, _ := form.Find(`input[name="idempotency_key"]`).Attr("value")
		if len(key) < 16 {
			t.Errorf("idempotency key %q is not a random token", key)
		}
		for _, sel := range []string{`#name[autocomplete="name"]`, `#email[autocomplete="email"]`, `#phone[autocomplete="tel"]`,
			`#location[autocomplete="address-level2"]`, `#resume[type="file"]`, `fieldset.self-id legend`, `#consent`} {
			if form.Find(sel).Length() == 0 {
				t.Errorf("the form has no %s", sel)
			}
		}
		if got := form.Find(`label[for="consent"]`).Text(); !strings.Contains(got, "24 months") {
			t.Errorf("consent label %q does not state the retention period", got)
		}
		yesNo := job.Questions[1].FieldName()
		if form.Find(`fieldset legend:contains("European Union")`).Length() == 0 || form.Find("#"+yesNo+"-yes").Length() == 0 {
			t.Error("the yes/no question is not a fieldset of radio buttons with a legend")
		}
		if hp := form.Find(`.hp-field[aria-hidden="true"] #website[tabindex="-1"]`); hp.Length() != 1 {
			t.Error("the honeypot is not hidden from people and screen readers")
		}

		sub := validApplication(job, "Robin@Example.com").with("idempotency_key", key).
			with("adjustment_request", "Please give me written questions ahead of the call.").
			with("self_id_gender", "woman")
		res := c.postMultipart(jobPath+"/apply", sub)
		res.wantStatus(t, http.StatusSeeOther)
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, jobPath+"/applied?ref=") {
			t.Fatalf("redirected to %q", loc)
		}

		t.Run("StoresTheApplicationAndItsResume", func(t *testing.T) {
			apps := applications(t, e, job.ID)
			if len(apps) != 1 {
				t.Fatalf("%d applications, want 1", len(apps))
			}
			a := apps[0]
			got := []string{a.Candidate.Name, a.Candidate.Email, a.Candidate.Phone, a.Candidate.Location,
				strings.Join(a.Candidate.Links, " "), a.CoverLetter, a.AdjustmentRequest, string(a.Source)}
			want := []string{"Robin Example", "robin@example.com", "+49 30 1234567", "Berlin, Germany",
				"https://example.com/robin https://code.example.org/robin",
				"I have kept nightly loads on time for three years.\n\nI would like to do it here.",
				"Please give me written questions ahead of the call.", "careers_site"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("application (-want +got):\n%s", diff)
			}
			if len(a.Answers) != len(job.Questions) {
				t.Errorf("%d answers, want %d", len(a.Answers), len(job.Questions))
			}
			if a.ResumeFileID == nil {
				t.Fatal("the application has no resume")
			}
			f, rc, err := e.deps.Files.OpenFile(context.Background(), *a.ResumeFileID)
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			data, _ := io.ReadAll(rc)
			if !bytes.Equal(data, sub.files[0].data) || f.ContentType != "application/pdf" || f.Name != "robin-resume.pdf" {
				t.Errorf("stored resume: %d bytes, type %q, name %q", len(data), f.ContentType, f.Name)
			}
		})
		t.Run("QueuesTheConfirmationWithTheGuideLink", func(t *testing.T) {
			a := applications(t, e, job.ID)[0]
			var toCandidate *hiring.Message
			for _, m := range outbox(t, e, a.ID) {
				if m.To == "robin@example.com" {
					toCandidate = m
				}
			}
			if toCandidate == nil {
				t.Fatal("no email to the candidate in the outbox")
			}
			if !strings.Contains(toCandidate.TextBody, testBaseURL+"/guide/") {
				t.Errorf("the confirmation has no Guide link:\n%s", toCandidate.TextBody)
			}
		})
		t.Run("ConfirmationSaysWhatHappensNext", func(t *testing.T) {
			for i := 0; i < 2; i++ { // A refresh shows it again and sends nothing.
				res := c.get(loc)
				res.wantStatus(t, http.StatusOK)
				d := res.doc(t)
				checkAccessible(t, loc, d)
				text := strings.Join(strings.Fields(d.Find("main").Text()), " ")
				for _, s := range []string{"Thank you for applying, Robin Example", "robin@example.com", "private link",
					"within 24 hours", "within 5 business days", "Screening call", "30 min"} {
					if !strings.Contains(text, s) {
						t.Errorf("confirmation lacks %q:\n%s", s, text)
					}
				}
			}
			if n := len(applications(t, e, job.ID)); n != 1 {
				t.Errorf("%d applications after reloading the confirmation, want 1", n)
			}
			e.anonymous().get(loc).wantStatus(t, http.StatusNotFound) // Another browser.
			c.get(jobPath+"/applied?ref=forged").wantStatus(t, http.StatusNotFound)
		})
		t.Run("ConfirmationCannotBeForged", func(t *testing.T) {
			// The note is kept in the browser, signed: a note changed to
			// name someone else is refused, and so is one with no signature.
			u, _ := url.Parse(e.ts.URL + loc)
			var cookie *http.Cookie
			for _, ck := range c.http.Jar.Cookies(u) {
				if ck.Name == "hireloop_applied" {
					cookie = ck
				}
			}
			if cookie == nil {
				t.Fatal("no confirmation cookie after applying")
			}
			data, sig, _ := strings.Cut(cookie.Value, ".")
			raw, err := base64.RawURLEncoding.DecodeString(data)
			if err != nil {
				t.Fatal(err)
			}
			forged := base64.RawURLEncoding.EncodeToString(bytes.Replace(raw, []byte("Robin Example"), []byte("Mallory Example"), 1))
			for _, value := range []string{forged + "." + sig, forged, data + "." + sig + "x"} {
				other := e.anonymous()
				other.http.Jar.SetCookies(u, []*http.Cookie{{Name: "hireloop_applied", Value: value, Path: "/jobs/"}})
				res := other.get(loc)
				res.wantStatus(t, http.StatusNotFound)
				if strings.Contains(res.body, "Mallory") {
					t.Errorf("a forged confirmation was shown: %q", value)
				}
			}
			same := e.anonymous()
			same.http.Jar.SetCookies(u, []*http.Cookie{{Name: "hireloop_applied", Value: cookie.Value, Path: "/jobs/"}})
			same.get(loc).wantStatus(t, http.StatusOK)
		})
	})
}

// fieldMessage returns the message shown beside a field.
func fieldMessage(d *goquery.Document, field string) string {
	msg := d.Find("#" + field + "-error").Text()
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(msg), "Error:"))
}

func TestApplyRejectsBadInput(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		job := mustQuestionJob(t, db, "Pipeline Engineer")
		path := "/jobs/" + itoa(job.ID) + "/apply"
		longText, yesNo, multi, single := job.Questions[0].FieldName(), job.Questions[1].FieldName(),
			job.Questions[2].FieldName(), job.Questions[3].FieldName()
		good := validApplication(job, "robin@example.com")
		for _, tc := range []struct {
			name   string
			sub    submission
			status int
			field  string
			want   string
		}{
			{"MissingName", good.with("name"), 400, "name", "Enter your name."},
			{"InvalidEmail", good.with("email", "robin@"), 400, "email", "Enter an email address like name@example.com."},
			{"EmailWithTwoAts", good.with("email", "robin@@example.com"), 400, "email", "Enter an email address like"},
			{"NoConsent", good.with("consent"), 400, "consent", "Please agree to the processing of your data"},
			{"NoResume", submission{values: good.values}, 400, "resume", "Choose your resume"},
			{"WrongTypeByContent", good.withFile("resume", "resume.pdf", pngBytes), 400, "resume", "ends in .pdf"},
			{"EmptyFile", good.withFile("resume", "resume.pdf", nil), 400, "resume", "empty"},
			{"FileOverTenMegabytes", good.withFile("resume", "resume.pdf", append(hiringtest.PDF("x"), make([]byte, 10<<20)...)),
				413, "resume", "larger than 10 MB"},
			{"LinkNotHTTP", good.with("links", "ftp://example.com/cv"), 400, "links", "starting with https://"},
			{"NameTooLong", good.with("name", strings.Repeat("n", 201)), 400, "name", "under 200 characters"},
			{"CoverLetterTooLong", good.with("cover_letter", strings.Repeat("c", 70_000)), 400, "cover_letter", "under 20,000 characters"},
			{"MissingRequiredQuestion", good.with(longText), 400, longText, "This question needs an answer."},
			{"MissingRequiredYesNo", good.with(yesNo), 400, yesNo, "This question needs an answer."},
			{"YesNoOtherValue", good.with(yesNo, "perhaps"), 400, yesNo, "Answer yes or no."},
			{"OptionNotOffered", good.with(single, "Next decade"), 400, single, "Choose one of the options."},
			{"MultiOptionNotOffered", good.with(multi, "PostgreSQL", "MongoDB"), 400, multi, "Choose among the options"},
			{"SelfIDAnswerNotOffered", good.with("self_id_gender", "robot"), 400, "self_id_gender", "Choose one of the answers."},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := e.anonymous().postMultipart(path, tc.sub)
				res.wantStatus(t, tc.status)
				d := res.doc(t)
				checkAccessible(t, tc.name, d)
				if got := fieldMessage(d, tc.field); !strings.Contains(got, tc.want) {
					t.Errorf("message beside %s = %q, want it to contain %q", tc.field, got, tc.want)
				}
				summary := d.Find(".error-summary")
				if tab, _ := summary.Attr("tabindex"); tab != "-1" || summary.Find("a").Length() == 0 {
					t.Error("the error summary is not focusable or links to no field")
				}
				href, _ := summary.Find("a").First().Attr("href")
				if target := strings.TrimPrefix(href, "#"); d.Find(`[id="`+target+`"]`).Length() == 0 {
					t.Errorf("the error summary links to %q, which is not on the page", href)
				}
				if !strings.HasPrefix(d.Find("title").Text(), "Error:") {
					t.Errorf("title %q does not start with Error:", d.Find("title").Text())
				}
				if tc.field != "name" {
					if got, _ := d.Find("#name").Attr("value"); got != tc.sub.values.Get("name") {
						t.Errorf("name came back as %q, want %q", got, tc.sub.values.Get("name"))
					}
				}
				if tc.field != "cover_letter" {
					if got := d.Find("#cover_letter").Text(); got != strings.ReplaceAll(good.values.Get("cover_letter"), "\r\n", "\n") {
						t.Errorf("cover letter came back as %q", got)
					}
				}
				if tc.field != multi && tc.field != single {
					if d.Find("#"+multi+"-0[checked]").Length() != 1 {
						t.Error("the ticked options did not come back ticked")
					}
				}
				if !strings.Contains(d.Find("#resume-hint").Text(), "Please choose your resume again") {
					t.Error("the resume field does not ask to choose the file again")
				}
			})
		}
		t.Run("FormWithoutFiles", func(t *testing.T) {
			res := e.anonymous().postForm(path, good.values)
			res.wantStatus(t, http.StatusBadRequest)
			if got := fieldMessage(res.doc(t), "resume"); !strings.Contains(got, "Choose your resume") {
				t.Errorf("resume message = %q", got)
			}
		})
		t.Run("NotAForm", func(t *testing.T) {
			res := e.anonymous().do(http.MethodPost, path, "application/json", strings.NewReader(`{"name":"x"}`))
			res.wantStatus(t, http.StatusBadRequest)
			checkAccessible(t, "not a form", res.doc(t))
		})
		if n := len(applications(t, e, job.ID)); n != 0 {
			t.Errorf("%d applications stored from bad input, want 0", n)
		}
	})
}

func TestApplyEscapesWhatWasTyped(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		job := mustQuestionJob(t, db, "Pipeline Engineer")
		path := "/jobs/" + itoa(job.ID) + "/apply"
		script := `<script>alert("x")</script>`
		sub := validApplication(job, "robin@example.com").with("name", "Robin "+script).
			with("cover_letter", "Dear team "+script).with(job.Questions[0].FieldName(), script)

		t.Run("InARejectedForm", func(t *testing.T) {
			res := e.anonymous().postMultipart(path, sub.with("email", "not-an-email"))
			res.wantStatus(t, http.StatusBadRequest)
			if strings.Contains(res.body, script) {
				t.Error("the page contains the typed script unescaped")
			}
			d := res.doc(t)
			if got, _ := d.Find("#name").Attr("value"); got != "Robin "+script {
				t.Errorf("name came back as %q", got)
			}
			if got := d.Find("#" + job.Questions[0].FieldName()).Text(); got != script {
				t.Errorf("answer came back as %q", got)
			}
		})
		t.Run("StoredAsTextAndShownEscaped", func(t *testing.T) {
			c := e.anonymous()
			res := c.postMultipart(path, sub)
			res.wantStatus(t, http.StatusSeeOther)
			page := c.get(res.Header.Get("Location"))
			page.wantStatus(t, http.StatusOK)
			if strings.Contains(page.body, script) {
				t.Error("the confirmation contains the typed script unescaped")
			}
			if got := page.doc(t).Find("h1").Text(); got != "Thank you for applying, Robin "+script {
				t.Errorf("h1 = %q", got)
			}
			a := applications(t, e, job.ID)[0]
			if a.Candidate.Name != "Robin "+script || a.CoverLetter != "Dear team "+script {
				t.Errorf("stored name %q, cover letter %q; want the text as typed", a.Candidate.Name, a.CoverLetter)
			}
		})
	})
}

func TestApplyLimits(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		ctx := context.Background()

		t.Run("FourthActiveApplication", func(t *testing.T) {
			email := "busy" + unique() + "@example.com"
			for i := 0; i < 3; i++ {
				o := mustQuestionJob(t, db, "Busy job "+unique())
				if _, err := e.deps.Applications.Apply(ctx, hiringtest.SampleApplication(o, email)); err != nil {
					t.Fatal(err)
				}
			}
			fourth := mustQuestionJob(t, db, "Fourth job")
			res := e.anonymous().postMultipart("/jobs/"+itoa(fourth.ID)+"/apply", validApplication(fourth, email))
			res.wantStatus(t, http.StatusBadRequest)
			d := res.doc(t)
			if got := fieldMessage(d, "email"); !strings.Contains(got, "3 open applications") {
				t.Errorf("email message = %q", got)
			}
			if got, _ := d.Find("#email").Attr("value"); got != email {
				t.Errorf("email came back as %q", got)
			}
			if n := len(applications(t, e, fourth.ID)); n != 0 {
				t.Errorf("%d applications to the fourth job, want 0", n)
			}
		})
		t.Run("ReapplyWithinSixMonthsOfARejection", func(t *testing.T) {
			email := "again" + unique() + "@example.com"
			first := mustQuestionJob(t, db, "First try")
			res, err := e.deps.Applications.Apply(ctx, hiringtest.SampleApplication(first, email))
			if err != nil {
				t.Fatal(err)
			}
			rejected, err := e.deps.Applications.SetApplicationStatus(ctx, res.Application.ID,
				hiring.StatusChange{Status: hiring.ApplicationRejected})
			if err != nil {
				t.Fatal(err)
			}
			again := mustQuestionJob(t, db, "Second try") // The same role.
			page := e.anonymous().postMultipart("/jobs/"+itoa(again.ID)+"/apply", validApplication(again, email))
			page.wantStatus(t, http.StatusBadRequest)
			want := rejected.RejectedAt.AddDate(0, 6, 0).Format("2 January 2006")
			if got := fieldMessage(page.doc(t), "email"); !strings.Contains(got, want) {
				t.Errorf("email message = %q, want the date %s", got, want)
			}
		})
	})
}

func TestApplyIdempotent(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		job := mustQuestionJob(t, db, "Pipeline Engineer")
		path := "/jobs/" + itoa(job.ID) + "/apply"
		sub := validApplication(job, "twice@example.com")
		c := e.anonymous()
		first := c.postMultipart(path, sub)
		first.wantStatus(t, http.StatusSeeOther)
		second := c.postMultipart(path, sub)
		second.wantStatus(t, http.StatusSeeOther)
		c.get(second.Header.Get("Location")).wantStatus(t, http.StatusOK)
		apps := applications(t, e, job.ID)
		if len(apps) != 1 {
			t.Fatalf("%d applications after a double submit, want 1", len(apps))
		}
		if n := len(outbox(t, e, apps[0].ID)); n != 1 {
			t.Errorf("%d emails after a double submit, want 1", n)
		}
		// A new form (a new key) is a new attempt, refused as a duplicate.
		res := c.postMultipart(path, sub.with("idempotency_key", "another-key-"+strings.Repeat("b", 20)))
		res.wantStatus(t, http.StatusBadRequest)
		if got := fieldMessage(res.doc(t), "email"); !strings.Contains(got, "already applied") {
			t.Errorf("email message = %q", got)
		}
	})
}

func TestApplyHoneypot(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		job := mustQuestionJob(t, db, "Pipeline Engineer")
		c := e.anonymous()
		res := c.postMultipart("/jobs/"+itoa(job.ID)+"/apply",
			validApplication(job, "bot@example.com").with("website", "https://spam.example"))
		res.wantStatus(t, http.StatusSeeOther)
		page := c.get(res.Header.Get("Location"))
		page.wantStatus(t, http.StatusOK)
		if got := page.doc(t).Find("h1").Text(); got != "Thank you for applying, Robin Example" {
			t.Errorf("the honeypot confirmation looks different: h1 %q", got)
		}
		if n := len(applications(t, e, job.ID)); n != 0 {
			t.Errorf("%d applications stored from a filled honeypot, want 0", n)
		}
		msgs, _, err := e.deps.Outbox.FindMessages(context.Background(), hiring.MessageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 0 {
			t.Errorf("%d emails queued for a filled honeypot, want 0", len(msgs))
		}
	})
}

func TestApplyBodyTooLarge(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		job := mustQuestionJob(t, db, "Pipeline Engineer")
		sub := validApplication(job, "big@example.com").withFile("resume", "resume.pdf", make([]byte, 13<<20))
		res := e.anonymous().postMultipart("/jobs/"+itoa(job.ID)+"/apply", sub)
		res.wantStatus(t, http.StatusRequestEntityTooLarge)
		text := res.doc(t).Find("main").Text()
		for _, s := range []string{"10 MB", "Nothing you sent was kept"} {
			if !strings.Contains(text, s) {
				t.Errorf("the 413 page does not say %q:\n%s", s, text)
			}
		}
		if n := len(applications(t, e, job.ID)); n != 0 {
			t.Errorf("%d applications stored, want 0", n)
		}
	})
}

func TestApplyRateLimit(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		limited := func(d *web.Deps) { d.ApplyRatePerMinute, d.ApplyBurst = 1, 2 }

		t.Run("TooManyAfterTheBurst", func(t *testing.T) {
			e := mustCareersEnv(t, db, limited)
			job := mustQuestionJob(t, db, "Limited job "+unique())
			path := "/jobs/" + itoa(job.ID) + "/apply"
			c := e.anonymous()
			empty := submission{values: url.Values{"name": {"Someone"}}}
			for i := 0; i < 2; i++ {
				c.postMultipart(path, empty).wantStatus(t, http.StatusBadRequest)
			}
			res := c.postMultipart(path, validApplication(job, "late@example.com"))
			res.wantStatus(t, http.StatusTooManyRequests)
			if secs, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || secs < 1 {
				t.Errorf("Retry-After = %q, want a number of seconds", res.Header.Get("Retry-After"))
			}
			d := res.doc(t)
			checkAccessible(t, "429", d)
			if !strings.Contains(d.Find("main").Text(), "Please wait") {
				t.Errorf("the 429 page does not say what to do:\n%s", d.Find("main").Text())
			}
			if n := len(applications(t, e, job.ID)); n != 0 {
				t.Errorf("%d applications stored past the limit, want 0", n)
			}
		})
		t.Run("IgnoresForwardedForByDefault", func(t *testing.T) {
			e := mustCareersEnv(t, db, limited)
			job := mustQuestionJob(t, db, "Limited job "+unique())
			c := e.anonymous()
			var last int
			for i := 0; i < 3; i++ {
				c.header.Set("X-Forwarded-For", "203.0.113."+strconv.Itoa(i+1))
				last = c.postMultipart("/jobs/"+itoa(job.ID)+"/apply", submission{values: url.Values{}}).StatusCode
			}
			if last != http.StatusTooManyRequests {
				t.Errorf("third post with a changing X-Forwarded-For: status %d, want 429", last)
			}
		})
		t.Run("BehindAProxyKeysByTheForwardedAddress", func(t *testing.T) {
			e := mustCareersEnv(t, db, limited, func(d *web.Deps) { d.BehindProxy = true })
			job := mustQuestionJob(t, db, "Limited job "+unique())
			c := e.anonymous()
			for i := 0; i < 3; i++ {
				c.header.Set("X-Forwarded-For", "198.51.100.7, 203.0.113."+strconv.Itoa(i+1))
				c.postMultipart("/jobs/"+itoa(job.ID)+"/apply", submission{values: url.Values{}}).
					wantStatus(t, http.StatusBadRequest)
			}
		})
	})
}

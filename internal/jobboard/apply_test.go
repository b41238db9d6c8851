package jobboard_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/jobboard"
	"hireloop/internal/store"
)

// pngBytes is the start of a PNG image: not a document, whatever its name.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)

// part is one field of a multipart body; a part with a file name is a file.
type part struct {
	name, value, filename string
	data                  []byte
}

func multipartBody(t *testing.T, parts []part) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.filename != "" {
			w, err = mw.CreateFormFile(p.name, p.filename)
			if err == nil {
				_, err = w.Write(p.data)
			}
		} else {
			err = mw.WriteField(p.name, p.value)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

func jsonBody(t *testing.T, v any) (string, []byte) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return "application/json", data
}

// post sends an application to job id with the API key as Basic user name
// (unless key is "") and returns the status and body.
func (b *board) post(t *testing.T, jobID int64, key, contentType string, body []byte, header ...string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.srv.URL+path("/jobs/%d", jobID), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if key != "" {
		req.SetBasicAuth(key, "")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, data
}

// mustApply sends an application with the API key and wants it saved.
func (b *board) mustApply(t *testing.T, jobID int64, contentType string, body []byte, header ...string) {
	t.Helper()
	status, resp := b.post(t, jobID, testKey, contentType, body, header...)
	wantSaved(t, status, resp)
}

func wantSaved(t *testing.T, status int, body []byte) {
	t.Helper()
	if status != http.StatusOK {
		t.Fatalf("status = %d %s; want 200", status, body)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"success": "Candidate saved successfully"}, got); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

// applications returns the applications to an opening, newest first.
func (b *board) applications(t *testing.T, o *hiring.Opening) []*hiring.Application {
	t.Helper()
	apps, _, err := b.h.Applications.FindApplications(context.Background(), hiring.ApplicationFilter{OpeningID: &o.ID})
	if err != nil {
		t.Fatal(err)
	}
	return apps
}

func (b *board) file(t *testing.T, id *int64) *hiring.File {
	t.Helper()
	if id == nil {
		t.Fatal("no file")
	}
	f, err := store.NewFileService(b.db, hiringtest.MustNewBlobStore(t)).FindFileByID(context.Background(), *id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// answerOf returns the stored answer to a question.
func answerOf(app *hiring.Application, q hiring.Question) hiring.Answer {
	for _, a := range app.Answers {
		if a.QuestionID == q.ID {
			return a
		}
	}
	return hiring.Answer{}
}

func TestApply(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		b := mustNewBoard(t, db)
		qs := b.data.Questions
		t.Run("MultipartWithAPDFResume", func(t *testing.T) {
			ct, body := multipartBody(t, []part{
				{name: "first_name", value: "Ada"}, {name: "last_name", value: "Lovelace"},
				{name: "email", value: "Ada.Lovelace@Example.com"}, {name: "phone", value: "+44 20 7946 0000"},
				{name: "location", value: "London"}, {name: "mapped_url_token", value: "token12345"},
				{name: "resume", filename: "ada.pdf", data: hiringtest.PDF("Ada Lovelace analyst")},
				{name: "cover_letter", filename: "letter.txt", data: []byte("I would like to build engines with you.")},
				{name: hiring.QuestionField(qs[0].ID), value: "An engine that computes <b>Bernoulli</b> numbers."},
				{name: hiring.QuestionField(qs[1].ID), value: "1"},
				{name: hiring.QuestionField(qs[2].ID) + "[]", value: strconv.FormatInt(jobboard.OptionValue("PostgreSQL"), 10)},
				{name: hiring.QuestionField(qs[2].ID) + "[]", value: strconv.FormatInt(jobboard.OptionValue("SQLite"), 10)},
				{name: hiring.QuestionField(qs[4].ID), filename: "sample.txt", data: []byte("Notes on the analytical engine.")},
				{name: "data_compliance[gdpr_consent_given]", value: "1"},
			})
			b.mustApply(t, b.data.ID, ct, body)
			apps := b.applications(t, b.data)
			if len(apps) != 1 {
				t.Fatalf("%d applications; want 1", len(apps))
			}
			app := apps[0]
			c := app.Candidate
			got := []string{c.Name, c.Email, c.Phone, c.Location, string(app.Source), app.CoverLetter}
			want := []string{"Ada Lovelace", "ada.lovelace@example.com", "+44 20 7946 0000", "London",
				"job_board_api", "I would like to build engines with you."}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("application (-want +got):\n%s", diff)
			}
			if f := b.file(t, app.ResumeFileID); f.ContentType != "application/pdf" || f.Name != "ada.pdf" {
				t.Errorf("resume = %s %s; want ada.pdf as application/pdf", f.Name, f.ContentType)
			}
			wantAnswers := []hiring.Answer{
				{QuestionID: qs[0].ID, Value: "An engine that computes <b>Bernoulli</b> numbers."},
				{QuestionID: qs[1].ID, Value: "yes"},
				{QuestionID: qs[2].ID, Values: []string{"PostgreSQL", "SQLite"}},
			}
			for _, w := range wantAnswers {
				if diff := cmp.Diff(w, answerOf(app, hiring.Question{ID: w.QuestionID})); diff != "" {
					t.Errorf("answer (-want +got):\n%s", diff)
				}
			}
			sample := answerOf(app, qs[4])
			if f := b.file(t, sample.FileID); f.ContentType != "text/plain; charset=utf-8" || f.Name != "sample.txt" {
				t.Errorf("file answer = %s %s; want sample.txt as text", f.Name, f.ContentType)
			}
		})
		t.Run("JSONWithABase64Resume", func(t *testing.T) {
			ct, body := jsonBody(t, map[string]any{
				"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com",
				"resume_content":               base64.StdEncoding.EncodeToString(hiringtest.PDF("Grace Hopper compilers")),
				"resume_content_filename":      "grace.pdf",
				"cover_letter_text":            "I wrote the first compiler.",
				hiring.QuestionField(qs[0].ID): "Compilers.",
				hiring.QuestionField(qs[1].ID): 0,
				hiring.QuestionField(qs[2].ID): []int64{jobboard.OptionValue("ClickHouse")},
				hiring.QuestionField(qs[3].ID): jobboard.OptionValue("Later"),
				hiring.QuestionField(qs[5].ID): "ghopper",
				"educations":                   []any{map[string]any{"school_name_id": "1"}},
				"latitude":                     "40.7", "longitude": "-73.9",
				"data_compliance": map[string]any{"gdpr_processing_consent_given": true},
			})
			b.mustApply(t, b.data.ID, ct, body)
			app := b.applications(t, b.data)[0]
			if app.Candidate.Email != "grace@example.com" || app.CoverLetter != "I wrote the first compiler." {
				t.Errorf("application = %s, %q", app.Candidate.Email, app.CoverLetter)
			}
			if f := b.file(t, app.ResumeFileID); f.ContentType != "application/pdf" || f.Name != "grace.pdf" {
				t.Errorf("resume = %s %s; want grace.pdf as application/pdf", f.Name, f.ContentType)
			}
			got := []hiring.Answer{answerOf(app, qs[1]), answerOf(app, qs[2]), answerOf(app, qs[3]), answerOf(app, qs[5])}
			want := []hiring.Answer{
				{QuestionID: qs[1].ID, Value: "no"},
				{QuestionID: qs[2].ID, Values: []string{"ClickHouse"}},
				{QuestionID: qs[3].ID, Value: "Later"},
				{QuestionID: qs[5].ID, Value: "ghopper"},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
		})
		t.Run("ResumeTextAlone", func(t *testing.T) {
			ct, body := jsonBody(t, map[string]any{
				"first_name": "Katherine", "last_name": "Johnson", "email": "kj@example.com",
				"resume_text":     "Katherine Johnson. Orbital mechanics, thirty years.",
				"data_compliance": map[string]any{"gdpr_consent_given": true},
			})
			b.mustApply(t, b.sre.ID, ct, body)
			app := b.applications(t, b.sre)[0]
			f := b.file(t, app.ResumeFileID)
			if f.ContentType != "text/plain; charset=utf-8" || f.Size != int64(len("Katherine Johnson. Orbital mechanics, thirty years.")) {
				t.Errorf("resume = %s %s %d bytes; want the pasted text as a text file", f.Name, f.ContentType, f.Size)
			}
		})
		t.Run("URLEncodedForm", func(t *testing.T) {
			form := "first_name=Alan&last_name=Turing&email=alan%40example.com&resume_text=Alan+Turing.+Computability." +
				"&data_compliance%5Bgdpr_consent_given%5D=true"
			b.mustApply(t, b.marketing.ID, "application/x-www-form-urlencoded", []byte(form))
		})
		t.Run("MissingRequiredFieldsAreNamed", func(t *testing.T) {
			ct, body := jsonBody(t, map[string]any{"last_name": "Nobody", hiring.QuestionField(qs[1].ID): 7})
			status, resp := b.post(t, b.data.ID, testKey, ct, body)
			e := wantError(t, status, resp, http.StatusBadRequest)
			var fields []string
			for k := range e.Fields {
				fields = append(fields, k)
			}
			want := []string{"data_compliance", "email", "first_name", hiring.QuestionField(qs[0].ID),
				hiring.QuestionField(qs[1].ID), "resume"}
			slices.Sort(fields)
			if diff := cmp.Diff(want, fields); diff != "" {
				t.Errorf("fields at fault (-want +got):\n%s", diff)
			}
			for _, f := range want {
				if !strings.Contains(e.Error, f+": ") {
					t.Errorf("error %q does not name %s", e.Error, f)
				}
			}
		})
		t.Run("InvalidFieldsAreRefused", func(t *testing.T) {
			for name, fields := range map[string]map[string]any{
				"email":      {"email": "not an address"},
				"first_name": {"first_name": "Visit https://spam.example"},
				"phone":      {"phone": "call www.example.com"},
				"question_" + strconv.FormatInt(qs[3].ID, 10): {hiring.QuestionField(qs[3].ID): 12345},
				"question_999999": {"question_999999": "an answer to nothing"},
				"resume_url":      {"resume_url": "https://example.com/cv.pdf"},
				"resume_content":  {"resume_content": "%%% not base64 %%%"},
			} {
				in := map[string]any{"first_name": "Rosalind", "last_name": "Franklin", "email": "rf@example.com",
					"resume_text": "Rosalind Franklin. Crystallography.", "data_compliance": map[string]any{"gdpr_consent_given": true},
					hiring.QuestionField(qs[0].ID): "Pictures of molecules.", hiring.QuestionField(qs[1].ID): 1}
				for k, v := range fields {
					in[k] = v
				}
				ct, body := jsonBody(t, in)
				status, resp := b.post(t, b.data.ID, testKey, ct, body)
				if e := wantError(t, status, resp, http.StatusBadRequest); e.Fields[name] == "" {
					t.Errorf("%s: error %+v does not name the field", name, e)
				}
			}
			if apps := b.applications(t, b.data); len(apps) != 2 {
				t.Errorf("%d applications after refused ones; want the 2 taken before", len(apps))
			}
		})
		t.Run("AuthenticationIsTheAPIKey", func(t *testing.T) {
			ct, body := jsonBody(t, map[string]any{"first_name": "Eve", "email": "eve@example.com",
				"resume_text": "Eve.", "data_compliance": map[string]any{"gdpr_consent_given": true}})
			for name, key := range map[string]string{"none": "", "wrong": "guessed-key", "prefix": testKey[:4]} {
				status, resp := b.post(t, b.marketing.ID, key, ct, body)
				if status != http.StatusUnauthorized {
					t.Errorf("%s key: status = %d; want 401", name, status)
				}
				wantError(t, status, resp, http.StatusUnauthorized)
			}
			h := newHandler(t, db)
			h.APIKey = ""
			req, _ := http.NewRequest(http.MethodPost, path("/jobs/%d", b.marketing.ID), bytes.NewReader(body))
			req.Header.Set("Content-Type", ct)
			req.SetBasicAuth("", "")
			rec := record(h, req)
			wantError(t, rec.Code, rec.Body.Bytes(), http.StatusUnauthorized)
			if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Basic ") {
				t.Errorf("WWW-Authenticate = %q; want a Basic challenge", got)
			}
			for _, app := range b.applications(t, b.marketing) {
				if app.Candidate.Email == "eve@example.com" {
					t.Error("an application without the key was stored")
				}
			}
		})
		t.Run("ResumeTypeIsDecidedByContent", func(t *testing.T) {
			ct, body := multipartBody(t, []part{
				{name: "first_name", value: "Mallory"}, {name: "email", value: "mallory@example.com"},
				{name: "resume", filename: "resume.pdf", data: pngBytes},
				{name: "data_compliance[gdpr_consent_given]", value: "1"},
			})
			status, resp := b.post(t, b.marketing.ID, testKey, ct, body)
			e := wantError(t, status, resp, http.StatusBadRequest)
			if !strings.Contains(e.Fields["resume"], "image") && !strings.Contains(e.Fields["resume"], ".pdf") {
				t.Errorf("resume error = %q; want it to say the file is not a document", e.Fields["resume"])
			}
		})
		t.Run("EmptyFileIsRefused", func(t *testing.T) {
			ct, body := multipartBody(t, []part{
				{name: "first_name", value: "Mallory"}, {name: "email", value: "mallory@example.com"},
				{name: "resume", filename: "resume.pdf", data: []byte{}},
				{name: "data_compliance[gdpr_consent_given]", value: "1"},
			})
			status, resp := b.post(t, b.marketing.ID, testKey, ct, body)
			if e := wantError(t, status, resp, http.StatusBadRequest); e.Fields["resume"] != "The file is empty." {
				t.Errorf("resume error = %q", e.Fields["resume"])
			}
		})
		t.Run("OversizeFileIs413", func(t *testing.T) {
			big := bytes.Repeat([]byte("resume text "), (10<<20)/12+10)
			ct, body := multipartBody(t, []part{
				{name: "first_name", value: "Big"}, {name: "email", value: "big@example.com"},
				{name: "resume", filename: "resume.txt", data: big},
			})
			status, resp := b.post(t, b.marketing.ID, testKey, ct, body)
			if e := wantError(t, status, resp, http.StatusRequestEntityTooLarge); e.Fields["resume"] == "" {
				t.Errorf("error %+v does not name the resume", e)
			}
			ct, body = jsonBody(t, map[string]any{"first_name": "Big", "email": "big@example.com",
				"resume_content": base64.StdEncoding.EncodeToString(big), "resume_content_filename": "r.txt"})
			status, resp = b.post(t, b.marketing.ID, testKey, ct, body)
			wantError(t, status, resp, http.StatusRequestEntityTooLarge)
		})
		t.Run("OversizeBodyIs413", func(t *testing.T) {
			h := newHandler(t, db)
			h.MaxBodyBytes = 64 << 10
			ct, body := jsonBody(t, map[string]any{"first_name": "Big", "email": "big@example.com",
				"resume_text": strings.Repeat("x", 100<<10)})
			req, _ := http.NewRequest(http.MethodPost, path("/jobs/%d", b.marketing.ID), bytes.NewReader(body))
			req.Header.Set("Content-Type", ct)
			req.SetBasicAuth(testKey, "")
			rec := record(h, req)
			wantError(t, rec.Code, rec.Body.Bytes(), http.StatusRequestEntityTooLarge)
		})
		t.Run("BodyMustBeAFormOrJSON", func(t *testing.T) {
			status, resp := b.post(t, b.marketing.ID, testKey, "text/plain", []byte("first_name=A"))
			wantError(t, status, resp, http.StatusUnsupportedMediaType)
			for _, bad := range []string{"", "[1,2]", `{"first_name": `, `{"a":1} {"b":2}`, "null"} {
				status, resp := b.post(t, b.marketing.ID, testKey, "application/json", []byte(bad))
				wantError(t, status, resp, http.StatusBadRequest)
			}
		})
		t.Run("JobsNotOnTheBoardTakeNoApplications", func(t *testing.T) {
			ct, body := jsonBody(t, map[string]any{"first_name": "Late", "email": "late@example.com",
				"resume_text": "Late.", "data_compliance": map[string]any{"gdpr_consent_given": true}})
			for _, id := range []int64{b.draft.ID, b.closed.ID, 987654} {
				status, resp := b.post(t, id, testKey, ct, body)
				wantError(t, status, resp, http.StatusNotFound)
			}
		})
		t.Run("RulesOfApplyingHold", func(t *testing.T) {
			apply := func(o *hiring.Opening) (int, []byte) {
				ct, body := jsonBody(t, map[string]any{"first_name": "Busy", "last_name": "Bee", "email": "busy@example.com",
					"resume_text": "Busy Bee. Many talents.", "data_compliance": map[string]any{"gdpr_consent_given": true}})
				return b.post(t, o.ID, testKey, ct, body)
			}
			for _, o := range []*hiring.Opening{b.sre, b.marketing, b.noDept} {
				status, resp := apply(o)
				wantSaved(t, status, resp)
			}
			status, resp := apply(b.sre)
			if e := wantError(t, status, resp, http.StatusConflict); !strings.Contains(e.Error, "already applied") {
				t.Errorf("second application to one job: %q", e.Error)
			}
			extra := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Fourth Job"})
			status, resp = apply(extra)
			if e := wantError(t, status, resp, http.StatusConflict); !strings.Contains(e.Error, "3 open applications") {
				t.Errorf("fourth active application: %q", e.Error)
			}
		})
		t.Run("IdempotencyKeyMakesARetrySafe", func(t *testing.T) {
			ct, body := jsonBody(t, map[string]any{"first_name": "Retry", "email": "retry@example.com",
				"resume_text": "Retry.", "data_compliance": map[string]any{"gdpr_consent_given": true}})
			before := len(b.applications(t, b.marketing))
			for range 2 {
				b.mustApply(t, b.marketing.ID, ct, body, "Idempotency-Key", "submit-77")
			}
			if got := len(b.applications(t, b.marketing)) - before; got != 1 {
				t.Errorf("%d applications from one key; want 1", got)
			}
		})
	})
}

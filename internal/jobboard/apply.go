package jobboard

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"hireloop/internal/hiring"
	"hireloop/internal/resume"
)

// Applying.
//
// POST /v1/boards/{token}/jobs/{id} takes an application as Greenhouse
// does: HTTP Basic authentication with the board's API key as the user name
// (the password is not checked, as Greenhouse leaves it empty), and a body
// in multipart/form-data, JSON or a URL-encoded form. It goes through
// hiring.ApplicationService.Apply with the source job_board_api, so the
// careers site's rules hold: the resume's type is decided from its bytes,
// files are at most 10 MB, a person has at most 3 active applications, and
// may not apply for a role again within 6 months of a rejection.
//
// Where Greenhouse stores fields hireloop has no place for (latitude and
// longitude, educations, employments, mapped_url_token, demographic
// answers), they are accepted and left out. hireloop is stricter than
// Greenhouse in two ways, both stated in the job's questions and
// data_compliance: the resume is required, and so is consent to the
// processing of the candidate's data. A client can make a retried request
// safe by sending an Idempotency-Key header: the same key for the same
// email and job answers with success without taking a second application.

// Success is Greenhouse's answer to an application it took.
type Success struct {
	Success string `json:"success"`
}

// maxNameLen is Greenhouse's limit on first and last names.
const maxNameLen = 255

var (
	questionField = regexp.MustCompile(`^question_([0-9]{1,18})$`)
	hasURL        = regexp.MustCompile(`(?i)(https?://|www\.)`)
)

// questionID reads the question id of a field named question_{id}.
func questionID(name string) (int64, bool) {
	m := questionField.FindStringSubmatch(name)
	if m == nil {
		return 0, false
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	return id, err == nil
}

// authorize checks the Basic credentials: the user name is the API key.
func (h *Handler) authorize(r *http.Request) error {
	if h.APIKey == "" {
		return hiring.Errorf(hiring.EUNAUTHORIZED, "Applying through the job board API is turned off on this server.")
	}
	user, _, ok := r.BasicAuth()
	if !ok {
		return hiring.Errorf(hiring.EUNAUTHORIZED,
			"Send the board's API key with HTTP Basic authentication, as the user name with an empty password.")
	}
	if subtle.ConstantTimeCompare([]byte(user), []byte(h.APIKey)) != 1 {
		return hiring.Errorf(hiring.EUNAUTHORIZED, "Invalid Basic Auth credentials.")
	}
	return nil
}

// Apply takes an application for an open job.
func (h *Handler) Apply(w http.ResponseWriter, r *http.Request) error {
	if err := h.checkBoard(r); err != nil {
		return err
	}
	if err := h.authorize(r); err != nil {
		return err
	}
	o, err := h.jobToApplyTo(r)
	if err != nil {
		return err
	}
	s, err := h.readSubmission(w, r)
	if err != nil {
		return err
	}
	defer s.release()
	in, err := applyInput(r, o, s)
	if err != nil {
		return err
	}
	in.IdempotencyKey = r.Header.Get("Idempotency-Key")
	if _, err := h.Applications.Apply(r.Context(), in); err != nil {
		if c := hiring.ErrorCode(err); (c == hiring.ENOTFOUND || c == hiring.ECONFLICT) && !hasFields(err) {
			// The job was closed or removed since the board was read: it
			// is no longer on the board, as Greenhouse answers.
			return hiring.Errorf(hiring.ENOTFOUND, "%s", errNoJob)
		}
		return greenhouseFields(err)
	}
	writeJSON(w, http.StatusOK, Success{Success: "Candidate saved successfully"})
	return nil
}

// jobToApplyTo returns the open job an application names. With the cache
// on, a job on the board's current snapshot is taken from it, as the
// careers site takes its form's job from its own cache: the application
// service reads the opening again and checks in its transaction that it
// still takes applications, so a job closed a moment ago takes none. A job
// not on the snapshot is read from the store, so one opened a moment ago
// takes applications at once.
func (h *Handler) jobToApplyTo(r *http.Request) (*hiring.Opening, error) {
	if h.CacheTTL > 0 {
		if id, err := pathID(r, errNoJob); err == nil {
			if b, _, err := h.readBoard(r.Context()); err == nil {
				if o := b.job(id); o != nil {
					return o, nil
				}
			}
		}
	}
	return h.findOpenJob(r)
}

// applyInput reads a submission into an application for opening o. Mistakes
// in the fields it reads itself are gathered and reported together; the
// rest is checked by the application service.
func applyInput(r *http.Request, o *hiring.Opening, s *submission) (hiring.ApplyInput, error) {
	v := hiring.Validation{}
	first, last := s.one("first_name"), s.one("last_name")
	if first == "" {
		v.Add("first_name", "First name is required.")
	}
	for field, val := range map[string]string{"first_name": first, "last_name": last, "phone": s.one("phone")} {
		if utf8.RuneCountInString(val) > maxNameLen {
			v.Add(field, "This is longer than 255 characters.")
		}
		if hasURL.MatchString(val) {
			v.Add(field, "This must not contain a link.")
		}
	}
	in := hiring.ApplyInput{
		OpeningID: o.ID,
		Email:     s.one("email"),
		Name:      strings.TrimSpace(first + " " + last),
		Phone:     s.one("phone"),
		Location:  s.one("location"),
		Consent:   truthy(s.one("data_compliance[gdpr_consent_given]")) || truthy(s.one("data_compliance[gdpr_processing_consent_given]")),
		Source:    hiring.SourceJobBoardAPI,
	}
	if in.Email == "" {
		v.Add("email", "Email is required.")
	}
	var err error
	if in.Resume, err = resumeUpload(s); err != nil {
		if hiring.ErrorCode(err) == hiring.ETOOLARGE {
			return in, err
		}
		addFields(v, err)
	}
	if in.CoverLetter, err = coverLetter(r, s); err != nil {
		if !hasFields(err) || hiring.ErrorCode(err) == hiring.ETOOLARGE {
			return in, err
		}
		addFields(v, err)
	}
	if in.Answers, err = answers(o, s); err != nil {
		addFields(v, err)
	}
	// The service checks the rest again; checking here too reports every
	// mistake of the request at once.
	if err := in.Validate(); err != nil {
		addFields(v, greenhouseFields(err))
	}
	return in, v.Err()
}

func truthy(s string) bool {
	switch strings.ToLower(s) {
	case "true", "1", "yes", "on":
		return true
	}
	return false
}

func hasFields(err error) bool { return len(hiring.ErrorFields(err)) > 0 }

func addFields(v hiring.Validation, err error) {
	for k, msg := range hiring.ErrorFields(err) {
		v.Add(k, msg)
	}
}

// resumeUpload returns the resume: a file, or the pasted text as a text
// file, which is how hireloop keeps a resume.
func resumeUpload(s *submission) (*hiring.Upload, error) {
	if f := s.files["resume"]; f != nil {
		return upload("resume", f)
	}
	if text := s.one("resume_text"); text != "" {
		return upload("resume", &sentFile{name: "resume.txt", data: []byte(text)})
	}
	if s.one("resume") != "" {
		return nil, invalid("resume", "Attach the resume as a file, or send its text as resume_text.")
	}
	return nil, invalid("resume", "A resume is required: attach it as resume, send it base64-encoded as resume_content, or paste it as resume_text.")
}

// coverLetter returns the cover letter as text. hireloop keeps a cover
// letter as text, so a file is read now, within the same bounds as resumes;
// a file whose text cannot be read is refused, and the candidate can paste
// it instead.
func coverLetter(r *http.Request, s *submission) (string, error) {
	if text := s.one("cover_letter_text"); text != "" {
		return text, nil
	}
	f := s.files["cover_letter"]
	if f == nil {
		return s.one("cover_letter"), nil
	}
	kind, err := resume.Validate(f.data, f.name)
	if err != nil {
		if hiring.ErrorCode(err) == hiring.ETOOLARGE {
			return "", tooLarge("cover_letter", hiring.ErrorMessage(err))
		}
		return "", invalid("cover_letter", hiring.ErrorMessage(err))
	}
	text, err := resume.Extract(r.Context(), kind, f.data, resume.Limits{MaxText: hiring.MaxTextLen})
	if err != nil {
		if r.Context().Err() != nil {
			return "", err
		}
		return "", invalid("cover_letter", hiring.ErrorMessage(err)+" Please send the cover letter as text in cover_letter_text.")
	}
	return text, nil
}

// answers reads the answers to the opening's questions. An answer to a
// question the opening does not ask is passed on, for the service to refuse
// with its message.
func answers(o *hiring.Opening, s *submission) ([]hiring.AnswerInput, error) {
	v := hiring.Validation{}
	var out []hiring.AnswerInput
	seen := map[int64]bool{}
	for _, q := range o.Questions {
		seen[q.ID] = true
		name := q.FieldName()
		a := hiring.AnswerInput{QuestionID: q.ID}
		vals := s.values[name]
		switch {
		case q.Type == hiring.FileQuestion:
			f := s.files[name]
			if f == nil {
				if strings.TrimSpace(strings.Join(vals, "")) != "" {
					v.Add(name, "Attach a file.")
				}
				continue
			}
			u, err := upload(name, f)
			if err != nil {
				addFields(v, err)
				continue
			}
			a.File = u
		case s.files[name] != nil:
			v.Add(name, "This question does not take a file.")
			continue
		case q.Type == hiring.MultiSelect:
			for _, val := range vals {
				a.Values = append(a.Values, choiceValue(&q, strings.TrimSpace(val)))
			}
		case len(vals) > 1:
			v.Add(name, "Send one answer to this question.")
			continue
		case len(vals) == 1:
			a.Value = strings.TrimSpace(vals[0])
			if q.Type == hiring.YesNo || q.Type == hiring.SingleSelect {
				a.Value = choiceValue(&q, a.Value)
			}
		}
		out = append(out, a)
	}
	var extra []int64
	for key := range s.values {
		if id, ok := questionID(key); ok && !seen[id] {
			extra = append(extra, id)
			seen[id] = true
		}
	}
	for key := range s.files {
		if id, ok := questionID(key); ok && !seen[id] {
			extra = append(extra, id)
			seen[id] = true
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i] < extra[j] })
	for _, id := range extra {
		out = append(out, hiring.AnswerInput{QuestionID: id, Value: s.one(hiring.QuestionField(id))})
	}
	if err := hiring.ValidateAnswers(o.Questions, out); err != nil {
		addFields(v, err)
	}
	return out, v.Err()
}

// serviceFields names the service's fields as the job board names them.
var serviceFields = map[string]string{
	"name":    "first_name",
	"consent": "data_compliance",
}

// greenhouseFields renames the fields of an error from the application
// service to the job board's field names; other errors pass unchanged.
func greenhouseFields(err error) error {
	var e *hiring.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	fields := make(map[string]string, len(e.Fields))
	for k, msg := range e.Fields {
		if gh, ok := serviceFields[k]; ok {
			k = gh
		}
		fields[k] = msg
	}
	msg := e.Message
	if len(fields) == 1 {
		for k, m := range fields {
			msg = k + ": " + m
		}
	}
	return &hiring.Error{Code: e.Code, Message: msg, Fields: fields}
}

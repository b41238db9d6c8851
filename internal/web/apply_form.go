package web

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"hireloop/internal/hiring"
	"hireloop/internal/resume"
	"hireloop/internal/uploadbuf"
)

// The application form: its fields, reading it from a request, and
// checking every field before the store sees it.

// applyFields are the form's fixed fields, in the order errors are listed.
func (c *careersSite) applyFields() []fieldSpec {
	specs := []fieldSpec{
		{Name: "name", Label: "Full name", Kind: kindText, Required: true, MaxLen: hiring.MaxTitleLen, Autocomplete: "name"},
		{Name: "email", Label: "Email address", Hint: "We send the confirmation and a private link to your application here.",
			Kind: kindEmail, Required: true, MaxLen: hiring.MaxEmailLen, Autocomplete: "email"},
		{Name: "phone", Label: "Phone number", Kind: kindText, MaxLen: hiring.MaxPhoneLen, Autocomplete: "tel", InputMode: "tel"},
		{Name: "location", Label: "Where you live", Hint: "Your city and country.", Kind: kindText,
			MaxLen: hiring.MaxTitleLen, Autocomplete: "address-level2"},
		{Name: "resume", Label: "Resume"},
		{Name: "cover_letter", Label: "Cover letter", Hint: "Tell us why this job interests you.",
			Kind: kindTextarea, Rows: 8, MaxLen: hiring.MaxTextLen},
		{Name: "links", Label: "Profile links",
			Hint: fmt.Sprintf("One address per line, starting with https://: a portfolio, GitHub or LinkedIn. At most %d.", hiring.MaxLinks),
			Kind: kindTextarea, Rows: 3},
		{Name: "adjustment_request", Label: "Adjustments",
			Hint: "If you need adjustments to take part on equal terms (accessibility or anything else), tell us here. " +
				"Our coordinator answers within 24 hours.",
			Kind: kindTextarea, Rows: 3, MaxLen: hiring.MaxAdjustmentLen},
	}
	for _, q := range hiring.SelfIDQuestions() {
		opts := []option{{"", "Choose an answer"}}
		for _, a := range q.Answers {
			opts = append(opts, option{a.Value, a.Label})
		}
		specs = append(specs, fieldSpec{Name: selfIDField(q.Key), Label: q.Label, Kind: kindSelect, Options: opts})
	}
	return append(specs, fieldSpec{
		Name:  "consent",
		Label: fmt.Sprintf("I agree that %s processes my data to consider my application and keeps it for %d months (required)", c.company, c.retention),
		Hint:  fmt.Sprintf("After %d months your data is deleted. You can ask us to delete it sooner at any time.", c.retention),
		Kind:  kindCheckbox,
	})
}

// selfIDField is the form field of a self-identification question.
func selfIDField(key string) string { return "self_id_" + key }

// applyForm is the application form of one opening.
type applyForm struct {
	*form
	Action string
	// Key is the idempotency key: a new random one for a new form, the
	// same one when a rejected form comes back.
	Key       string
	Questions []questionView
	// Retry says the form came back, so files must be chosen again.
	Retry bool
	// ResumeError is the message for the resume; the file input is not
	// one of the shared field kinds.
	ResumeError string
}

// questionView is one of the opening's questions, ready for the template.
type questionView struct {
	hiring.Question
	Field  string
	Value  string
	Values []string
	Error  string
	// Retry says the form came back, so a file must be chosen again.
	Retry bool
}

// Kind is the question type as the template compares it.
func (q questionView) Kind() string { return string(q.Type) }

// Control is the id of the question's first control, where the error
// summary links to.
func (q questionView) Control() string {
	switch q.Type {
	case hiring.YesNo:
		return q.Field + "-yes"
	case hiring.MultiSelect:
		return q.Field + "-0"
	}
	return q.Field
}

// Chosen reports whether opt was chosen.
func (q questionView) Chosen(opt string) bool {
	for _, v := range q.Values {
		if v == opt {
			return true
		}
	}
	return q.Value == opt
}

// IsGroup reports a question answered with radio buttons or tick boxes,
// which a fieldset and legend label.
func (q questionView) IsGroup() bool { return q.Type == hiring.YesNo || q.Type == hiring.MultiSelect }

// DescribedBy lists the ids of the question's hint and error.
func (q questionView) DescribedBy() string {
	var ids []string
	if q.Type == hiring.FileQuestion || q.Type == hiring.MultiSelect {
		ids = append(ids, q.Field+"-hint")
	}
	if q.Error != "" {
		ids = append(ids, q.Field+"-error")
	}
	return strings.Join(ids, " ")
}

// Fixed returns the named fixed fields, for a form laid out by hand.
func (f *applyForm) Fixed(names ...string) []fieldView {
	out := make([]fieldView, 0, len(names))
	for _, n := range names {
		out = append(out, f.Field(n))
	}
	return out
}

// SelfIDFields returns the self-identification selects.
func (f *applyForm) SelfIDFields() []fieldView {
	var out []fieldView
	for _, v := range f.Fields() {
		if strings.HasPrefix(v.Name, "self_id_") {
			out = append(out, v)
		}
	}
	return out
}

// Summary lists every message in the order of the form, each linking to
// its field.
func (f *applyForm) Summary() []summaryItem {
	var out []summaryItem
	for _, sp := range f.specs {
		if sp.Name == "adjustment_request" {
			for _, q := range f.Questions {
				if q.Error != "" {
					out = append(out, summaryItem{Href: "#" + q.Control(), Label: q.Label, Message: q.Error})
				}
			}
		}
		msg := f.Errors[sp.Name]
		if sp.Name == "resume" {
			msg = f.ResumeError
		}
		if msg != "" {
			out = append(out, summaryItem{Href: "#" + sp.Name, Label: sp.Label, Message: msg})
		}
	}
	return out
}

// HasErrors tells the template to show the error summary.
func (f *applyForm) HasErrors() bool {
	return f.form.HasErrors() || f.ResumeError != "" || len(f.Summary()) > 0
}

// newApplyForm builds the form of opening o, empty for a nil submission,
// or filled in as it was sent.
func (s *Server) newApplyForm(o *hiring.Opening, sub *applySubmission) *applyForm {
	vals := url.Values{}
	if sub != nil {
		vals = sub.values
	}
	f := &applyForm{
		form:   newForm(s.careers.applyFields(), vals),
		Action: "/jobs/" + strconv.FormatInt(o.ID, 10) + "/apply",
		Key:    vals.Get("idempotency_key"),
		Retry:  sub != nil,
	}
	if !validKey(f.Key) {
		f.Key = newKey()
	}
	for _, q := range o.Questions {
		field := q.FieldName()
		qv := questionView{Question: q, Field: field, Value: vals.Get(field), Retry: sub != nil}
		if q.Type == hiring.MultiSelect {
			qv.Values, qv.Value = vals[field], ""
		}
		f.Questions = append(f.Questions, qv)
	}
	return f
}

// setErrors puts each message beside its field; what belongs to no field
// shown goes to the summary.
func (f *applyForm) setErrors(v map[string]string) {
	for k, msg := range v {
		switch {
		case k == "resume":
			f.ResumeError = msg
			continue
		case strings.HasPrefix(k, "self_id."):
			k = selfIDField(strings.TrimPrefix(k, "self_id."))
		}
		matched := false
		for i := range f.Questions {
			if f.Questions[i].Field == k {
				f.Questions[i].Error, matched = msg, true
			}
		}
		if _, known := f.Values[k]; known {
			f.Errors[k], matched = msg, true
		}
		if !matched && f.Message == "" {
			f.Message = msg
		}
	}
}

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

func validKey(k string) bool { return keyPattern.MatchString(k) }

// newKey returns a random token for an idempotency key or a reference.
func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// applySubmission is the form as read from the request.
type applySubmission struct {
	values url.Values
	files  map[string]*formFile
	// oversize names file fields whose file was over the limit.
	oversize map[string]bool
	// cut names text fields longer than maxTextPart.
	cut map[string]bool
	// uploads hold the files' bytes until release.
	uploads uploadbuf.Set
}

type formFile struct {
	name string
	data []byte
}

// release gives the submission's file buffers back once nothing reads its
// files any more.
func (sub *applySubmission) release() {
	sub.uploads.Release()
	clear(sub.files)
}

// readApplyForm reads a multipart form (or, from scripts, a URL-encoded
// one without files). A body over maxApplyBody is refused whole.
func readApplyForm(w http.ResponseWriter, r *http.Request, o *hiring.Opening) (*applySubmission, error) {
	sub := &applySubmission{values: url.Values{}, files: map[string]*formFile{},
		oversize: map[string]bool{}, cut: map[string]bool{}}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "application/x-www-form-urlencoded" {
		if err := parseForm(w, r); err != nil {
			return nil, err
		}
		sub.values = r.PostForm
		return sub, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxApplyBody)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, hiring.Errorf(hiring.EINVALID, "The application could not be read. Please send the form again.")
	}
	fileFields := map[string]bool{"resume": true}
	for _, q := range o.Questions {
		if q.Type == hiring.FileQuestion {
			fileFields[q.FieldName()] = true
		}
	}
	for n := 0; ; n++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			return sub, nil
		} else if err != nil {
			return nil, bodyError(err)
		}
		if n >= maxParts {
			return nil, hiring.Errorf(hiring.EINVALID, "The form has too many fields.")
		}
		if err := sub.readPart(p, fileFields); err != nil {
			return nil, bodyError(err)
		}
	}
}

// readPart keeps one part: a file of a file field, or a text value.
// Anything else is read past.
func (sub *applySubmission) readPart(p *multipart.Part, fileFields map[string]bool) error {
	defer p.Close()
	name := p.FormName()
	isFile := p.FileName() != ""
	_, contentDisposition, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	_, hasFilename := contentDisposition["filename"]
	switch {
	case name == "":
	case fileFields[name] && (isFile || hasFilename):
		// One byte past the limit tells an oversize file.
		data, err := sub.uploads.Read(p, hiring.MaxUploadBytes+1)
		if err != nil {
			return err
		}
		if len(data) > hiring.MaxUploadBytes {
			sub.oversize[name] = true
		} else if isFile || len(data) > 0 {
			// A browser sends an empty part with no name when no file was
			// chosen; that is no file at all.
			sub.files[name] = &formFile{name: fileName(p.FileName()), data: data}
		}
	case !hasFilename:
		data, err := io.ReadAll(io.LimitReader(p, maxTextPart+1))
		if err != nil {
			return err
		}
		if len(data) > maxTextPart {
			sub.cut[name] = true
			data = data[:maxTextPart]
			for len(data) > 0 && !utf8.Valid(data) {
				data = data[:len(data)-1]
			}
		}
		sub.values.Add(name, string(data))
	}
	_, err := io.Copy(io.Discard, p)
	return err
}

// bodyError explains a body that could not be read; one over the limit
// gets its own page, as nothing of it was kept.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return hiring.Errorf(hiring.ETOOLARGE, "Your application was larger than we can take: a file may be at most "+
			"10 MB, and the whole form at most 12 MB. Nothing you sent was kept. Please go back, choose a smaller "+
			"file, and send the form again.")
	}
	return hiring.Errorf(hiring.EINVALID, "The application could not be read. Please send the form again.")
}

// fileName keeps the last part of the name a browser sent (old browsers
// send a whole path) and cuts it to the stored length, keeping the
// extension.
func fileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.ToValidUTF8(name, ""))
	if len(name) <= hiring.MaxFileNameLen {
		return name
	}
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i >= 0 && len(name)-i <= 10 {
		ext = name[i:]
	}
	base := name[:hiring.MaxFileNameLen-len(ext)]
	for !utf8.ValidString(base) {
		base = base[:len(base)-1]
	}
	return base + ext
}

// textLimits are the fixed text fields' limits, checked before the
// domain's own rules so the message can state the limit.
var textLimits = map[string]int{
	"name": hiring.MaxTitleLen, "email": hiring.MaxEmailLen, "phone": hiring.MaxPhoneLen,
	"location": hiring.MaxTitleLen, "cover_letter": hiring.MaxTextLen, "adjustment_request": hiring.MaxAdjustmentLen,
}

// validateApplication turns the form into an application and checks every
// field. It returns the messages by field and the status to answer with
// when there are any.
func (s *Server) validateApplication(o *hiring.Opening, sub *applySubmission) (hiring.ApplyInput, hiring.Validation, int) {
	vals := sub.values
	oneLine := func(name string) string { return strings.Join(strings.Fields(vals.Get(name)), " ") }
	in := hiring.ApplyInput{
		OpeningID:         o.ID,
		Name:              oneLine("name"),
		Email:             oneLine("email"),
		Phone:             oneLine("phone"),
		Location:          oneLine("location"),
		Links:             lines(vals.Get("links")),
		CoverLetter:       normalizeText(vals.Get("cover_letter")),
		AdjustmentRequest: normalizeText(vals.Get("adjustment_request")),
		Consent:           vals.Get("consent") != "",
		Source:            hiring.SourceCareersSite,
	}
	if k := vals.Get("idempotency_key"); validKey(k) {
		in.IdempotencyKey = k
	}
	v := hiring.Validation{}
	status := http.StatusBadRequest
	for name, limit := range textLimits {
		if sub.cut[name] || len(vals.Get(name)) > limit {
			v.Add(name, fmt.Sprintf("Please keep this under %s characters.", thousands(limit)))
		}
	}
	v.Check(in.Name != "", "name", "Enter your name.")
	v.Check(in.Email != "", "email", "Enter your email address.")
	if sub.cut["links"] {
		v.Add("links", fmt.Sprintf("Please send at most %d links.", hiring.MaxLinks))
	}

	var tooLarge bool
	in.Resume, tooLarge = checkFile(v, "resume", sub, true)
	for _, q := range o.Questions {
		field := q.FieldName()
		a := hiring.AnswerInput{QuestionID: q.ID}
		switch q.Type {
		case hiring.FileQuestion:
			var big bool
			a.File, big = checkFile(v, field, sub, false)
			tooLarge = tooLarge || big
		case hiring.MultiSelect:
			a.Values = vals[field]
		case hiring.LongText:
			a.Value = normalizeText(vals.Get(field))
			if sub.cut[field] || len(a.Value) > hiring.MaxAnswerLen {
				v.Add(field, fmt.Sprintf("Please keep your answer under %s characters.", thousands(hiring.MaxAnswerLen)))
			}
		case hiring.ShortText:
			a.Value = normalizeText(vals.Get(field))
			if sub.cut[field] || len(a.Value) > hiring.MaxItemLen {
				v.Add(field, fmt.Sprintf("Please keep your answer under %s characters.", thousands(hiring.MaxItemLen)))
			}
		default:
			a.Value = vals.Get(field)
		}
		in.Answers = append(in.Answers, a)
	}
	for _, q := range hiring.SelfIDQuestions() {
		if vals.Get(selfIDField(q.Key)) != "" {
			in.SelfID = &hiring.SelfID{
				Gender: vals.Get(selfIDField("gender")), Ethnicity: vals.Get(selfIDField("ethnicity")),
				Veteran: vals.Get(selfIDField("veteran")), Disability: vals.Get(selfIDField("disability")),
			}
			break
		}
	}

	// The domain's rules come second: a message above, which states the
	// limit or says what to do, wins over the general one.
	for _, err := range []error{in.Validate(), hiring.ValidateAnswers(o.Questions, in.Answers)} {
		for k, msg := range hiring.ErrorFields(err) {
			v.Add(k, msg)
		}
	}
	if tooLarge {
		status = http.StatusRequestEntityTooLarge
	}
	return in, v, status
}

// thousands writes a count with separators: 20,000.
func thousands(n int) string { return formatAmount(int64(n) * 100) }

// checkFile checks the file of a field by its content and returns it as an
// upload, or records why not. big reports a file over the size limit.
func checkFile(v hiring.Validation, field string, sub *applySubmission, required bool) (u *hiring.Upload, big bool) {
	f := sub.files[field]
	switch {
	case sub.oversize[field]:
		v.Add(field, fmt.Sprintf("This file is larger than %d MB. Please choose a smaller one.", resume.MaxSize>>20))
		return nil, true
	case f == nil:
		if required {
			v.Add(field, "Choose your resume: a PDF, Word (.docx), plain text or RTF file of up to 10 MB.")
		}
		return nil, false
	case len(f.data) == 0:
		v.Add(field, "The file you chose is empty. Please choose another.")
		return nil, false
	}
	kind, err := resume.Validate(f.data, f.name)
	if err != nil {
		v.Add(field, hiring.ErrorMessage(err))
		return nil, hiring.ErrorCode(err) == hiring.ETOOLARGE
	}
	name := f.name
	if name == "" {
		name = "file" + kind.Ext()
	}
	return &hiring.Upload{Name: name, ContentType: kind.ContentType(), Content: bytes.NewReader(f.data)}, false
}

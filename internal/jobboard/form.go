package jobboard

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"hireloop/internal/hiring"
	"hireloop/internal/resume"
	"hireloop/internal/uploadbuf"
)

// Limits on an application's body. A whole body is capped by
// Handler.MaxBodyBytes; inside it, each file by resume.MaxSize and each
// other value by maxValueBytes, so no one part can take the memory of the
// others.
const (
	// DefaultMaxBodyBytes fits a resume and a cover letter of the largest
	// size, base64-encoded in JSON, with room for the other fields.
	DefaultMaxBodyBytes = 32 << 20
	maxValueBytes       = 1 << 20
	maxParts            = 1000
)

// maxContentBytes is the longest base64 text of a file of the largest size.
var maxContentBytes = base64.StdEncoding.EncodedLen(resume.MaxSize) + 1024

// submission is an application as sent, whatever its encoding: text values
// by field name and uploaded files by the field they answer. A multi-select
// question's "question_12[]" is kept as "question_12".
type submission struct {
	values map[string][]string
	files  map[string]*sentFile
	// uploads hold the bytes of files sent as files until release.
	uploads uploadbuf.Set
}

// release gives the submission's file buffers back once nothing reads its
// files any more.
func (s *submission) release() {
	s.uploads.Release()
	clear(s.files)
}

// sentFile is one uploaded file, read whole: its type is decided from its
// bytes before anything is stored.
type sentFile struct {
	name string
	data []byte
}

func newSubmission() *submission {
	return &submission{values: map[string][]string{}, files: map[string]*sentFile{}}
}

// fieldKey normalises a field name as sent.
func fieldKey(name string) string { return strings.TrimSuffix(strings.TrimSpace(name), "[]") }

// one returns the first value of a field, trimmed.
func (s *submission) one(name string) string {
	if v := s.values[name]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

func (s *submission) has(name string) bool { return len(s.values[name]) > 0 || s.files[name] != nil }

func invalid(field, msg string) error {
	return &hiring.Error{Code: hiring.EINVALID, Message: field + ": " + msg, Fields: map[string]string{field: msg}}
}

func tooLarge(field, msg string) error {
	return &hiring.Error{Code: hiring.ETOOLARGE, Message: field + ": " + msg, Fields: map[string]string{field: msg}}
}

// readSubmission reads the body as multipart/form-data, JSON or a
// URL-encoded form, the encodings Greenhouse takes.
func (h *Handler) readSubmission(w http.ResponseWriter, r *http.Request) (*submission, error) {
	limit := h.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	var s *submission
	switch {
	case mt == "multipart/form-data":
		s, err = readMultipart(r)
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		s, err = readJSON(r.Body)
	case mt == "application/x-www-form-urlencoded":
		s, err = readURLEncoded(r)
	default:
		return nil, &hiring.Error{Code: CodeUnsupportedMediaType,
			Message: "Send the application as multipart/form-data or application/json."}
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, hiring.Errorf(hiring.ETOOLARGE, "The application is larger than %d MB.", mbe.Limit>>20)
	}
	if err != nil {
		return nil, err
	}
	if err := s.decodeContents(); err != nil {
		return nil, err
	}
	return s, nil
}

func readMultipart(r *http.Request) (*submission, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, hiring.Errorf(hiring.EINVALID, "The multipart body could not be read.")
	}
	s := newSubmission()
	for n := 0; ; n++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return s, nil
		} else if err != nil {
			return nil, bodyError(err, "The multipart body could not be read.")
		}
		if n >= maxParts {
			return nil, hiring.Errorf(hiring.EINVALID, "The application has more than %d fields.", maxParts)
		}
		if err := s.addPart(p); err != nil {
			return nil, err
		}
	}
}

// bodyError keeps a body's size error for the caller to report and words
// any other reading error for the client.
func bodyError(err error, msg string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return hiring.Errorf(hiring.EINVALID, "%s", msg)
}

func (s *submission) addPart(p *multipart.Part) error {
	defer p.Close()
	key := fieldKey(p.FormName())
	if key == "" {
		return nil
	}
	if p.FileName() != "" {
		data, err := s.uploads.Read(p, resume.MaxSize+1)
		if err != nil {
			return bodyError(err, "The file "+key+" could not be read.")
		}
		if len(data) > resume.MaxSize {
			return tooLarge(key, resume.ErrTooLarge.Message)
		}
		s.files[key] = &sentFile{name: p.FileName(), data: data}
		return nil
	}
	max := maxValueBytes
	if strings.HasSuffix(key, "_content") {
		max = maxContentBytes
	}
	data, err := io.ReadAll(io.LimitReader(p, int64(max)+1))
	if err != nil {
		return bodyError(err, "The field "+key+" could not be read.")
	}
	if len(data) > max {
		return tooLarge(key, "This field is too long.")
	}
	s.values[key] = append(s.values[key], string(data))
	return nil
}

func readURLEncoded(r *http.Request) (*submission, error) {
	if err := r.ParseForm(); err != nil {
		return nil, bodyError(err, "The form body could not be read.")
	}
	s := newSubmission()
	for k, vs := range r.PostForm {
		if key := fieldKey(k); key != "" {
			s.values[key] = append(s.values[key], vs...)
		}
	}
	return s, nil
}

// readJSON reads one JSON object. Numbers and booleans become text as a form
// would send them; lists are the values of a multi-select; data_compliance
// is read as the form fields data_compliance[...]. Other nested objects,
// such as educations, hold nothing hireloop keeps and are left out.
func readJSON(body io.Reader) (*submission, error) {
	dec := json.NewDecoder(body)
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return nil, hiring.Errorf(hiring.EINVALID, "The body is empty; send a JSON object.")
		case errors.As(err, &se):
			return nil, hiring.Errorf(hiring.EINVALID, "The body is not valid JSON (at byte %d).", se.Offset)
		case errors.As(err, &te):
			return nil, hiring.Errorf(hiring.EINVALID, "The body must be a JSON object.")
		}
		return nil, bodyError(err, "The body could not be read as JSON.")
	}
	if obj == nil {
		return nil, hiring.Errorf(hiring.EINVALID, "The body must be a JSON object.")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, bodyError(err, "The body must hold a single JSON object.")
	}
	s := newSubmission()
	for k, v := range obj {
		key := fieldKey(k)
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				if t, ok := scalarText(e); ok {
					s.values[key] = append(s.values[key], t)
				}
			}
		case map[string]any:
			if key != "data_compliance" {
				continue
			}
			for sk, sv := range v {
				if t, ok := scalarText(sv); ok {
					s.values["data_compliance["+sk+"]"] = []string{t}
				}
			}
		default:
			if t, ok := scalarText(v); ok {
				s.values[key] = []string{t}
			}
		}
	}
	return s, nil
}

func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// fileField reports whether a field may carry a file: the resume, the cover
// letter, or a question.
func fileField(name string) bool {
	if name == "resume" || name == "cover_letter" {
		return true
	}
	_, ok := questionID(name)
	return ok
}

// decodeContents turns each {field}_content (base64) with its
// {field}_content_filename into an uploaded file, and refuses
// {field}_url: hireloop does not fetch files from addresses a client gives.
func (s *submission) decodeContents() error {
	for key, vals := range s.values {
		if base, ok := strings.CutSuffix(key, "_url"); ok && fileField(base) && len(vals) > 0 && strings.TrimSpace(vals[0]) != "" {
			return invalid(key, fmt.Sprintf("Files are not fetched from links. Send the file itself as %s (multipart) or %s_content (base64).", base, base))
		}
		base, ok := strings.CutSuffix(key, "_content")
		if !ok || !fileField(base) || len(vals) == 0 {
			continue
		}
		text := strings.Join(strings.Fields(vals[0]), "")
		if text == "" {
			continue
		}
		if len(text) > maxContentBytes {
			return tooLarge(key, resume.ErrTooLarge.Message)
		}
		data, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			if data, err = base64.RawStdEncoding.DecodeString(text); err != nil {
				return invalid(key, "This is not valid base64.")
			}
		}
		if len(data) > resume.MaxSize {
			return tooLarge(key, resume.ErrTooLarge.Message)
		}
		name := s.one(key + "_filename")
		if name == "" {
			name = base
		}
		s.files[base] = &sentFile{name: name, data: data}
	}
	return nil
}

// fileName keeps the last element of a sent file name, readable and short.
func fileName(name string) string {
	name = strings.ToValidUTF8(strings.TrimSpace(name), "_")
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" {
		name = ""
	}
	for len(name) > hiring.MaxFileNameLen {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

// upload checks a sent file by its content, as the careers site does, and
// returns it ready for the store.
func upload(field string, f *sentFile) (*hiring.Upload, error) {
	kind, err := resume.Validate(f.data, f.name)
	if err != nil {
		msg := hiring.ErrorMessage(err)
		if hiring.ErrorCode(err) == hiring.ETOOLARGE {
			return nil, tooLarge(field, msg)
		}
		return nil, invalid(field, msg)
	}
	name := fileName(f.name)
	if name == "" {
		name = field + kind.Ext()
	}
	return &hiring.Upload{Name: name, ContentType: kind.ContentType(), Content: bytes.NewReader(f.data)}, nil
}

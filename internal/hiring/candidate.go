package hiring

import (
	"context"
	"fmt"
	"io"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Candidates and applications.
//
// A candidate is a person, known by one email address compared without
// regard to letter case (it is stored in lower case); they apply without an
// account, and each application puts them in one opening's pipeline. An
// application is taken whole or not at all: its uploaded files are written
// to durable storage first, then the candidate, the application, its file
// records and the confirmation email are committed in one transaction, and
// only then is the candidate told it was received.
//
// The rules of applying (at most a few active applications per person, a
// wait before reapplying for a role after a rejection) are limits of the
// service that takes applications; their defaults are below.

// Default limits on applying.
const (
	DefaultMaxActiveApplications = 3
	DefaultReapplyMonths         = 6
	DefaultRetentionMonths       = 24
)

// Candidate is a person who applied or was sourced.
type Candidate struct {
	ID int64 `json:"id"`
	// Email is in lower case and unique.
	Email    string   `json:"email"`
	Name     string   `json:"name"`
	Phone    string   `json:"phone"`
	Location string   `json:"location"`
	Links    []string `json:"links"`
	// Language is the BCP 47 tag of the language messages are written in
	// (see LanguageChain); "en" unless the candidate's browser asked for
	// another hireloop writes in.
	Language  string    `json:"language"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ApplicationStatus is where an application stands overall; Stage says
// where it is in the opening's process.
type ApplicationStatus string

// Application statuses.
const (
	ApplicationActive    ApplicationStatus = "active"
	ApplicationRejected  ApplicationStatus = "rejected"
	ApplicationWithdrawn ApplicationStatus = "withdrawn"
	ApplicationHired     ApplicationStatus = "hired"
)

// Valid reports whether s is a known status.
func (s ApplicationStatus) Valid() bool {
	return s == ApplicationActive || s == ApplicationRejected || s == ApplicationWithdrawn || s == ApplicationHired
}

// CanMoveTo reports whether an application may go from s to next: an active
// one is rejected, withdrawn or hired; a rejection or withdrawal may be
// undone; a hire is final.
func (s ApplicationStatus) CanMoveTo(next ApplicationStatus) bool {
	switch s {
	case ApplicationActive:
		return next == ApplicationRejected || next == ApplicationWithdrawn || next == ApplicationHired
	case ApplicationRejected, ApplicationWithdrawn:
		return next == ApplicationActive
	}
	return false
}

// Source says where an application came from.
type Source string

// Sources.
const (
	SourceCareersSite Source = "careers_site"
	SourceJobBoardAPI Source = "job_board_api"
	SourceReferral    Source = "referral"
	SourceSourced     Source = "sourced"
	SourceAgency      Source = "agency"
	SourceInternal    Source = "internal"
	SourceOther       Source = "other"
)

// Sources lists every source in the order forms show them.
var Sources = []Source{SourceCareersSite, SourceJobBoardAPI, SourceReferral, SourceSourced,
	SourceAgency, SourceInternal, SourceOther}

// Valid reports whether s is a known source.
func (s Source) Valid() bool { return slices.Contains(Sources, s) }

// StageApplied is the stage every application starts in.
const StageApplied = "applied"

// Answer is a candidate's answer to one question of the opening.
type Answer struct {
	QuestionID int64 `json:"question_id"`
	// Value holds a text, "yes" or "no", or the chosen option.
	Value string `json:"value,omitempty"`
	// Values holds the options chosen in a multi-select question.
	Values []string `json:"values,omitempty"`
	// FileID is the uploaded file of a file question.
	FileID *int64 `json:"file_id,omitempty"`
}

// Application is a candidate in one opening's pipeline.
type Application struct {
	ID          int64      `json:"id"`
	CandidateID int64      `json:"candidate_id"`
	Candidate   *Candidate `json:"candidate,omitempty"`
	OpeningID   int64      `json:"opening_id"`
	// OpeningTitle and RequisitionID are filled in by finders.
	OpeningTitle  string            `json:"opening_title"`
	RequisitionID string            `json:"requisition_id"`
	Status        ApplicationStatus `json:"status"`
	Stage         string            `json:"stage"`
	Source        Source            `json:"source"`
	CoverLetter   string            `json:"cover_letter"`
	Answers       []Answer          `json:"answers"`
	ResumeFileID  *int64            `json:"resume_file_id"`
	// AdjustmentRequest is what the candidate asked for to take part on
	// equal terms (accessibility or other).
	AdjustmentRequest string    `json:"adjustment_request"`
	ConsentAt         time.Time `json:"consent_at"`
	// RetainUntil is when the candidate's data is due for deletion.
	RetainUntil time.Time `json:"retain_until"`
	// VacancyID is the seat a hire filled.
	VacancyID   *int64     `json:"vacancy_id"`
	RejectedAt  *time.Time `json:"rejected_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at"`
	HiredAt     *time.Time `json:"hired_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// TextStatus says whether a file's text has been extracted.
type TextStatus string

// Text statuses: pending until extraction ran; done with the text; failed
// with a note saying why (the file is kept all the same).
const (
	TextPending TextStatus = "pending"
	TextDone    TextStatus = "done"
	TextFailed  TextStatus = "failed"
)

// Valid reports whether s is a known text status.
func (s TextStatus) Valid() bool { return s == TextPending || s == TextDone || s == TextFailed }

// File is an uploaded file; its bytes are in blob storage under Key.
type File struct {
	ID          int64  `json:"id"`
	Key         string `json:"-"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	// SHA256 is the hex digest of the bytes, to check a download.
	SHA256     string     `json:"sha256"`
	TextStatus TextStatus `json:"text_status"`
	Text       string     `json:"text,omitempty"`
	// Note explains a failed extraction to a recruiter.
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// Upload is a file a candidate sends. The store reads Content once, up to
// MaxUploadBytes; ContentType should be detected from the bytes by the
// caller, not trusted from the browser.
type Upload struct {
	Name        string
	ContentType string
	Content     io.Reader
}

// Limits on applying.
const (
	MaxUploadBytes   = 10 << 20
	MaxLinks         = 10
	MaxPhoneLen      = 50
	MaxEmailLen      = 254
	MaxAdjustmentLen = 5000
	MaxAnswerLen     = 10000
	MaxFileNameLen   = 255
	MaxFileTextLen   = 2 << 20
)

// AnswerInput is an answer as sent with an application.
type AnswerInput struct {
	QuestionID int64
	Value      string
	Values     []string
	File       *Upload
}

// ApplyInput is everything a candidate sends with an application.
type ApplyInput struct {
	OpeningID   int64
	Email       string
	Name        string
	Phone       string
	Location    string
	Links       []string
	CoverLetter string
	// Resume is optional to the store; a careers site may require it.
	Resume            *Upload
	Answers           []AnswerInput
	AdjustmentRequest string
	// Consent must be true: the candidate agreed to the processing of their
	// data for the retention period stated on the form.
	Consent bool
	// Source defaults to careers_site.
	Source Source
	// IdempotencyKey makes a repeated submit (a double click, a retry after
	// a lost response) return the first application instead of a second.
	IdempotencyKey string
	// SelfID is the optional voluntary self-identification; it is stored
	// apart from the application and cannot be traced back to it.
	SelfID *SelfID
	// Language is the language tag the candidate's messages are written
	// in from now on; "" keeps the one stored (English for a new
	// candidate).
	Language string
}

var phonePattern = regexp.MustCompile(`^[0-9+()./ -]*(?:(?:ext|x)\.? ?[0-9]+)?$`)

// Validate checks the parts of an application that need no opening, and
// normalises them: trimmed, email in lower case, source defaulted.
func (in *ApplyInput) Validate() error {
	v := Validation{}
	in.Email = NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	in.Phone = strings.TrimSpace(in.Phone)
	in.Location = strings.TrimSpace(in.Location)
	in.IdempotencyKey = strings.TrimSpace(in.IdempotencyKey)
	if in.Language != "" {
		tag, msg := CheckLanguage(in.Language)
		if msg != "" {
			v.Add("language", msg)
		}
		in.Language = tag
	}
	if in.OpeningID <= 0 {
		v.Add("opening_id", "Choose a job to apply for.")
	}
	if err := CheckEmail(in.Email); err != "" {
		v.Add("email", err)
	}
	checkString(v, "name", in.Name, true, MaxTitleLen)
	checkString(v, "phone", in.Phone, false, MaxPhoneLen)
	if in.Phone != "" && !phonePattern.MatchString(strings.ToLower(in.Phone)) {
		v.Add("phone", "Use digits, spaces and + ( ) - only.")
	}
	checkString(v, "location", in.Location, false, MaxTitleLen)
	var links []string
	for _, l := range in.Links {
		if l = strings.TrimSpace(l); l != "" {
			links = append(links, l)
		}
	}
	in.Links = links
	if len(links) > MaxLinks {
		v.Add("links", fmt.Sprintf("At most %d links.", MaxLinks))
	}
	for _, l := range links {
		checkString(v, "links", l, true, MaxItemLen)
		if !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") || !ValidURL(l) {
			v.Add("links", "Each link must be a full address starting with https://.")
		}
	}
	checkString(v, "cover_letter", in.CoverLetter, false, MaxTextLen)
	checkString(v, "adjustment_request", in.AdjustmentRequest, false, MaxAdjustmentLen)
	if !in.Consent {
		v.Add("consent", "Please agree to the processing of your data so that we can consider your application.")
	}
	if in.Source == "" {
		in.Source = SourceCareersSite
	}
	if !in.Source.Valid() {
		v.Add("source", "This source is not known.")
	}
	checkString(v, "idempotency_key", in.IdempotencyKey, false, MaxTitleLen)
	if in.Resume != nil {
		checkUpload(v, "resume", in.Resume)
	}
	for _, a := range in.Answers {
		if a.File != nil {
			checkUpload(v, QuestionField(a.QuestionID), a.File)
		}
	}
	if in.SelfID != nil {
		for k, msg := range in.SelfID.validation() {
			v.Add(k, msg)
		}
	}
	return v.Err()
}

func checkUpload(v Validation, field string, u *Upload) {
	u.Name = strings.TrimSpace(u.Name)
	if u.Name == "" {
		u.Name = "file"
	}
	checkString(v, field, u.Name, true, MaxFileNameLen)
	checkString(v, field, u.ContentType, false, MaxTitleLen)
	if u.Content == nil {
		v.Add(field, "The file is empty.")
	}
}

// NormalizeEmail is how candidate and user emails are compared and stored.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckEmail returns what is wrong with a normalised email address, or "".
func CheckEmail(email string) string {
	if email == "" {
		return "Email is required."
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > MaxEmailLen || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return "Enter an email address like name@example.com."
	}
	return ""
}

// ValidateAnswers checks answers against an opening's questions: required
// questions answered, values among the options, no answer to a question
// the opening does not ask. Messages are keyed by the questions' form
// fields ("question_12").
func ValidateAnswers(questions []Question, answers []AnswerInput) error {
	v := Validation{}
	byID := map[int64]*AnswerInput{}
	for i := range answers {
		a := &answers[i]
		field := QuestionField(a.QuestionID)
		if _, dup := byID[a.QuestionID]; dup {
			v.Add(field, "This question was answered twice.")
		}
		byID[a.QuestionID] = a
		if !slices.ContainsFunc(questions, func(q Question) bool { return q.ID == a.QuestionID }) {
			v.Add(field, "This question is not asked for this job.")
		}
	}
	for _, q := range questions {
		field := q.FieldName()
		a := byID[q.ID]
		if a != nil {
			a.Value = strings.TrimSpace(a.Value)
			var vals []string
			for _, s := range a.Values {
				if s = strings.TrimSpace(s); s != "" {
					vals = append(vals, s)
				}
			}
			a.Values = vals
		}
		if a == nil || (a.Value == "" && len(a.Values) == 0 && a.File == nil) {
			if q.Required {
				v.Add(field, "This question needs an answer.")
			}
			continue
		}
		switch q.Type {
		case ShortText:
			checkString(v, field, a.Value, false, MaxItemLen)
		case LongText:
			checkString(v, field, a.Value, false, MaxAnswerLen)
		case YesNo:
			v.Check(a.Value == "yes" || a.Value == "no", field, "Answer yes or no.")
		case SingleSelect:
			v.Check(slices.Contains(q.Options, a.Value), field, "Choose one of the options.")
		case MultiSelect:
			if a.Value != "" {
				a.Values = append(a.Values, a.Value)
				a.Value = ""
			}
			seen := map[string]bool{}
			for _, s := range a.Values {
				v.Check(slices.Contains(q.Options, s) && !seen[s], field, "Choose among the options, each once.")
				seen[s] = true
			}
		case FileQuestion:
			v.Check(a.File != nil, field, "Attach a file.")
		}
		if q.Type != FileQuestion && a.File != nil {
			v.Add(field, "This question does not take a file.")
		}
	}
	return v.Err()
}

// ApplyResult is what Apply returns.
type ApplyResult struct {
	Application *Application
	Candidate   *Candidate
	// GuideToken is the secret of the candidate's private link to the
	// application. It is given once: only its hash is stored, and it is
	// empty when Replayed.
	GuideToken string
	// Replayed is true when the idempotency key matched an application
	// already taken; nothing new was stored.
	Replayed bool
}

// ApplicationFilter narrows an application listing.
type ApplicationFilter struct {
	OpeningID   *int64
	CandidateID *int64
	Status      *ApplicationStatus
	Stage       string
	// StageID keeps the applications in a stage of the plan; an
	// application not placed yet is in the plan's first stage.
	StageID *int64
	// ReplyDueBy keeps the active applications whose candidate is owed a
	// reply (hear_back_by) at or before this instant.
	ReplyDueBy *time.Time
	// VisibleTo keeps what a user who does not run hiring may see: the
	// applications to openings whose hiring team names them, and those with
	// an interview they sit on that was not cancelled.
	VisibleTo *int64
	Offset    int
	Limit     int
}

// StatusChange moves an application to another status.
type StatusChange struct {
	Status ApplicationStatus `json:"status"`
	// VacancyID chooses the seat a hire fills; nil takes the opening's
	// first open seat.
	VacancyID *int64 `json:"vacancy_id"`
}

// ApplicationService takes and manages applications.
type ApplicationService interface {
	// Apply takes an application whole, or returns an error and keeps
	// nothing of it.
	Apply(ctx context.Context, in ApplyInput) (*ApplyResult, error)
	FindApplicationByID(ctx context.Context, id int64) (*Application, error)
	// FindApplicationByGuideToken returns the application a private link
	// points to, or ENOTFOUND.
	FindApplicationByGuideToken(ctx context.Context, token string) (*Application, error)
	// FindApplications returns a page of applications, newest first, each
	// with its candidate, and the total count.
	FindApplications(ctx context.Context, filter ApplicationFilter) ([]*Application, int, error)
	// SetApplicationStatus rejects, withdraws, hires or reactivates.
	SetApplicationStatus(ctx context.Context, id int64, ch StatusChange) (*Application, error)
}

// CandidateSearch is a full-text search of candidates.
type CandidateSearch struct {
	// Query is matched against names, emails and resume text; each word
	// must appear, as a word or the start of one. Empty lists everyone,
	// newest first.
	Query  string
	Offset int
	Limit  int
}

// MaxSearchTotal is how far a candidate search counts: a total above it is
// reported as MaxSearchTotal+1, to be shown as "more than 1,000".
const MaxSearchTotal = 1000

// CandidateService finds candidates.
type CandidateService interface {
	FindCandidateByID(ctx context.Context, id int64) (*Candidate, error)
	// SearchCandidates returns a page of candidates and the number that
	// matched, up to MaxSearchTotal+1. Up to MaxSearchTotal matches are
	// ranked best first; more are listed newest first.
	SearchCandidates(ctx context.Context, s CandidateSearch) ([]*Candidate, int, error)
}

// FileService reads uploaded files and records their extracted text.
type FileService interface {
	FindFileByID(ctx context.Context, id int64) (*File, error)
	// OpenFile returns the file's record and its bytes; the caller closes
	// the reader.
	OpenFile(ctx context.Context, id int64) (*File, io.ReadCloser, error)
	// FindFilesPendingText returns up to limit files whose text is still
	// to be extracted, oldest first.
	FindFilesPendingText(ctx context.Context, limit int) ([]*File, error)
	// SetFileText records the outcome of extraction and updates the
	// search index of the candidates whose resume it is.
	SetFileText(ctx context.Context, fileID int64, text string, status TextStatus, note string) error
}

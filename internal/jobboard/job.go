package jobboard

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hireloop/internal/hiring"
)

// Job is a job post as Greenhouse lists it. Both id and internal_job_id are
// the opening's id: hireloop has one post per opening, and the id is the
// one the careers site uses in /jobs/{id} and applications are sent to.
type Job struct {
	ID            int64       `json:"id"`
	InternalJobID int64       `json:"internal_job_id"`
	Title         string      `json:"title"`
	UpdatedAt     string      `json:"updated_at"`
	RequisitionID string      `json:"requisition_id"`
	Location      JobLocation `json:"location"`
	AbsoluteURL   string      `json:"absolute_url"`
	Language      string      `json:"language"`
	// Metadata holds Greenhouse's custom fields; hireloop exposes none, so
	// it is null as on a Greenhouse board without any.
	Metadata       []any            `json:"metadata"`
	DataCompliance []DataCompliance `json:"data_compliance"`
	CompanyName    string           `json:"company_name"`
	// FirstPublished is when the opening was last opened: the posted date
	// the careers site shows.
	FirstPublished *string `json:"first_published"`
}

// JobLocation is the place of a job as one line of text.
type JobLocation struct {
	Name string `json:"name"`
}

// DataCompliance tells a form that the candidate must agree to the
// processing of their data, and for how many days it is kept. hireloop asks
// one consent for both, so processing consent is required and a separate
// retention consent is not.
type DataCompliance struct {
	Type                      string `json:"type"`
	RequiresConsent           bool   `json:"requires_consent"`
	RequiresProcessingConsent bool   `json:"requires_processing_consent"`
	RequiresRetentionConsent  bool   `json:"requires_retention_consent"`
	RetentionPeriod           int    `json:"retention_period"`
}

// JobWithContent is a job with its description, departments and offices,
// as ?content=true lists them and a single job always has them.
type JobWithContent struct {
	Job
	// Content is the description as HTML, itself HTML-escaped, exactly as
	// Greenhouse sends it: a client unescapes it once to get the HTML.
	Content     string          `json:"content"`
	Departments []DepartmentRef `json:"departments"`
	Offices     []OfficeRef     `json:"offices"`
}

// JobDetail is one job, with its application form when ?questions=true and
// its pay when ?pay_transparency=true.
type JobDetail struct {
	JobWithContent
	Questions         []Question  `json:"questions,omitempty"`
	LocationQuestions []Question  `json:"location_questions,omitempty"`
	Compliance        *[]Question `json:"compliance,omitempty"`
	PayInputRanges    *[]PayRange `json:"pay_input_ranges,omitempty"`
}

// PayRange is the pay an opening states, in cents (hundredths of the main
// unit, which is how hireloop keeps every amount).
type PayRange struct {
	MinCents     int64  `json:"min_cents"`
	MaxCents     int64  `json:"max_cents"`
	CurrencyType string `json:"currency_type"`
	Title        string `json:"title"`
	Blurb        string `json:"blurb"`
}

// JobList is the answer to GET /jobs.
type JobList struct {
	Jobs any      `json:"jobs"`
	Meta ListMeta `json:"meta"`
}

// ListMeta counts the jobs listed.
type ListMeta struct {
	Total int `json:"total"`
}

// Board is the answer to GET /v1/boards/{token}.
type Board struct {
	Name    string `json:"name"`
	Content string `json:"content"`
}

// timestamp writes a time as Greenhouse does: RFC 3339 to the second.
func timestamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// locationName joins an opening's locations into the one line Greenhouse
// has for them.
func locationName(o *hiring.Opening) string {
	names := make([]string, 0, len(o.Locations))
	for _, l := range o.Locations {
		if l.Name != "" {
			names = append(names, l.Name)
		}
	}
	return strings.Join(names, "; ")
}

// retentionDays is the retention period in days from now, as Greenhouse
// states it.
func (h *Handler) retentionDays() int {
	months := h.RetentionMonths
	if months <= 0 {
		months = hiring.DefaultRetentionMonths
	}
	now := h.now()
	return int(now.AddDate(0, months, 0).Sub(now).Hours() / 24)
}

func (h *Handler) jobURL(id int64) string {
	return strings.TrimRight(h.BaseURL, "/") + "/jobs/" + strconv.FormatInt(id, 10)
}

// job writes the listing fields of an open opening.
func (h *Handler) job(o *hiring.Opening, days int) Job {
	j := Job{
		ID:            o.ID,
		InternalJobID: o.ID,
		Title:         o.Title,
		UpdatedAt:     timestamp(o.UpdatedAt),
		RequisitionID: o.RequisitionID,
		Location:      JobLocation{Name: locationName(o)},
		AbsoluteURL:   h.jobURL(o.ID),
		Language:      "en",
		DataCompliance: []DataCompliance{{Type: "gdpr", RequiresConsent: true,
			RequiresProcessingConsent: true, RetentionPeriod: days}},
		CompanyName: h.CompanyName,
	}
	if o.OpenedAt != nil {
		s := timestamp(*o.OpenedAt)
		j.FirstPublished = &s
	}
	return j
}

// GetBoard answers with the board's name. hireloop has no board-wide
// introduction, so content is empty.
func (h *Handler) GetBoard(w http.ResponseWriter, r *http.Request) error {
	if err := h.checkBoard(r); err != nil {
		return err
	}
	return writePublic(w, r, Board{Name: h.CompanyName, Content: ""})
}

// ListJobs lists the open openings; ?content=true adds each one's
// description, departments and offices.
func (h *Handler) ListJobs(w http.ResponseWriter, r *http.Request) error {
	content := flag(r, "content")
	return h.respond(w, r, fmt.Sprintf("jobs content=%t", content), func(b *board) (any, error) {
		days := h.retentionDays()
		if !content {
			jobs := make([]Job, len(b.jobs))
			for i, o := range b.jobs {
				jobs[i] = h.job(o, days)
			}
			return JobList{Jobs: jobs, Meta: ListMeta{Total: len(jobs)}}, nil
		}
		jobs := make([]JobWithContent, len(b.jobs))
		for i, o := range b.jobs {
			jobs[i] = h.jobWithContent(o, days, b.departmentRefs(o), b.officeRefs(o))
		}
		return JobList{Jobs: jobs, Meta: ListMeta{Total: len(jobs)}}, nil
	})
}

func (h *Handler) jobWithContent(o *hiring.Opening, days int, depts []DepartmentRef, offices []OfficeRef) JobWithContent {
	return JobWithContent{Job: h.job(o, days), Content: h.content.escapedHTML(o),
		Departments: depts, Offices: offices}
}

// errNoJob is Greenhouse's answer for a job that is not on the board.
const errNoJob = "Job not found"

// findOpenJob returns an open opening by id, or Greenhouse's not-found.
func (h *Handler) findOpenJob(r *http.Request) (*hiring.Opening, error) {
	id, err := pathID(r, errNoJob)
	if err != nil {
		return nil, err
	}
	o, err := h.Openings.FindOpeningByID(r.Context(), id)
	if err != nil {
		return nil, notFoundAs(err, errNoJob)
	}
	if o.Status != hiring.OpeningOpen {
		return nil, hiring.Errorf(hiring.ENOTFOUND, "%s", errNoJob)
	}
	return o, nil
}

// GetJob answers with one open job and its content; ?questions=true adds
// the application form and ?pay_transparency=true the pay range. Drafts
// and closed openings are not on the board, and are not found, as
// Greenhouse answers for a job post that is not live.
func (h *Handler) GetJob(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, errNoJob)
	if err != nil {
		return h.notFoundUnlessBoard(r, err)
	}
	withQuestions, withPay := flag(r, "questions"), flag(r, "pay_transparency")
	key := fmt.Sprintf("job %d questions=%t pay=%t", id, withQuestions, withPay)
	return h.respond(w, r, key, func(b *board) (any, error) {
		o := b.job(id)
		if o == nil {
			return nil, hiring.Errorf(hiring.ENOTFOUND, "%s", errNoJob)
		}
		d := JobDetail{JobWithContent: h.jobWithContent(o, h.retentionDays(), b.departmentRefs(o), b.officeRefs(o))}
		if withQuestions {
			d.Questions = questions(o)
			d.LocationQuestions = locationQuestions()
			d.Compliance = &[]Question{}
		}
		if withPay {
			ranges := []PayRange{}
			if p := o.Pay; p != nil {
				ranges = append(ranges, PayRange{MinCents: p.Min, MaxCents: p.Max, CurrencyType: p.Currency,
					Title: "Pay range (per " + string(p.Period) + ")"})
			}
			d.PayInputRanges = &ranges
		}
		return d, nil
	})
}

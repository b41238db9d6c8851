package main

import (
	"flag"
	"fmt"
	"net/url"
	"strings"

	"hireloop/internal/blob"
	"hireloop/internal/hiring"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// careersOptions are serve's flags for the careers site, applying and the
// job board.
type careersOptions struct {
	baseURL         string
	companyName     string
	boardToken      string
	boardAPIKey     string
	applyRate       int
	behindProxy     bool
	maxActive       int
	reapplyMonths   int
	retentionMonths int
	guideDays       int
}

func (o *careersOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.baseURL, "base-url", "", "public address of this server for links in email, job postings and feeds (default: the listening address)")
	fs.StringVar(&o.companyName, "company-name", "", "employer name on job postings (default: the host of --base-url)")
	fs.StringVar(&o.boardToken, "board-token", "", "token of the Greenhouse-compatible job board in its URLs (/v1/boards/TOKEN); empty turns the board off")
	fs.StringVar(&o.boardAPIKey, "board-api-key", "", "key that authorises applying through the job board (HTTP Basic user name)")
	fs.IntVar(&o.applyRate, "apply-rate", 10, "applications one client address may send a minute; negative turns the limit off")
	fs.BoolVar(&o.behindProxy, "behind-proxy", false, "trust the last X-Forwarded-For address (set when a reverse proxy serves hireloop)")
	fs.IntVar(&o.maxActive, "max-active-applications", 3, "active applications one candidate may have at once")
	fs.IntVar(&o.reapplyMonths, "reapply-months", 6, "months after a rejection before a candidate may apply for the same role again")
	fs.IntVar(&o.retentionMonths, "retention-months", hiring.DefaultRetentionMonths, "months applicants' data is kept after they consent")
	fs.IntVar(&o.guideDays, "guide-days-after-end", hiring.GuideDaysAfterEnd, "days a candidate's private link keeps working after the application ended; negative keeps it until the retention date")
}

// check refuses settings that cannot work, naming the flag.
func (o *careersOptions) check() error {
	if o.baseURL != "" {
		u, err := url.Parse(o.baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--base-url must be an http or https address such as https://jobs.example.com")
		}
		o.baseURL = strings.TrimRight(o.baseURL, "/")
	}
	if o.boardToken != "" && o.boardAPIKey == "" {
		return fmt.Errorf("--board-api-key is required when --board-token is set")
	}
	if o.maxActive < 1 || o.reapplyMonths < 0 || o.retentionMonths < 1 {
		return fmt.Errorf("--max-active-applications and --retention-months must be at least 1, --reapply-months at least 0")
	}
	return nil
}

// applyRules are the rules every application is taken under, the demo's
// included: the limits of the flags, and a confirmation email written from
// the company's "received" template that links to the candidate's Guide on
// baseURL.
func applyRules(c *careersOptions, baseURL string, templates *store.TemplateService) store.ApplyRules {
	return store.ApplyRules{
		MaxActive:       c.maxActive,
		ReapplyMonths:   c.reapplyMonths,
		RetentionMonths: c.retentionMonths,
		Confirm:         templates.Confirmation(func(token string) string { return web.GuideURL(baseURL, token) }),
	}
}

// messageTemplates is the template service messages to candidates are
// written from.
func messageTemplates(db *store.DB, c *careersOptions, baseURL string) *store.TemplateService {
	return store.NewTemplateService(db, store.TemplateOptions{CompanyName: messageCompany(c.companyName, baseURL)})
}

// hiringDeps fills the server's hiring services from the store. The
// confirmation email links to the candidate's Guide on baseURL.
func hiringDeps(d *web.Deps, db *store.DB, o *dbOptions, c *careersOptions, baseURL string) error {
	blobs, err := blob.NewDisk(o.blobDir())
	if err != nil {
		return err
	}
	templates := messageTemplates(db, c, baseURL)
	rules := applyRules(c, baseURL, templates)
	d.Templates, d.Messages = templates, store.NewMessageService(db)
	d.Openings = store.NewOpeningService(db)
	d.Plans = store.NewPlanService(db)
	d.InterviewPlans = store.NewInterviewPlanService(db)
	interviewMail := store.InterviewOptions{CompanyName: c.companyName}
	interviews := store.NewInterviewService(db, interviewMail)
	d.Interviews = interviews
	d.Pipeline = store.NewPipelineService(db, store.PipelineOptions{Interviews: interviews, InterviewMail: interviewMail})
	d.Applications = store.NewApplicationService(db, blobs, rules)
	d.Candidates = store.NewCandidateService(db)
	d.Files = store.NewFileService(db, blobs)
	d.Outbox = store.NewOutboxService(db)
	d.ApplicationFacts = store.NewAccessService(db)
	d.SelfID = store.NewSelfIDService(db)
	d.Replies = store.NewReplyService(db)
	d.Guide = store.NewGuideService(db, store.GuideOptions{DaysAfterEnd: c.guideDays,
		LinkURL: func(token string) string { return web.GuideURL(baseURL, token) }})
	d.BaseURL = baseURL
	d.CompanyName = c.companyName
	d.BoardToken, d.BoardAPIKey = c.boardToken, c.boardAPIKey
	d.ApplyRatePerMinute = c.applyRate
	d.BehindProxy = c.behindProxy
	d.RetentionMonths = c.retentionMonths
	return nil
}

// messageCompany is the company's name in messages to candidates: the
// --company-name flag, or else the host of the public address.
func messageCompany(name, baseURL string) string {
	if name = strings.TrimSpace(name); name != "" {
		return name
	}
	if u, err := url.Parse(baseURL); err == nil {
		return u.Hostname()
	}
	return ""
}

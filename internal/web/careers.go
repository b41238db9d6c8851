package web

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// The careers site: the public list of open jobs, each job's page with its
// application form, the confirmation, the sitemap and the feed. It needs no
// sign-in and no JavaScript.

// careersSite holds what the careers pages need besides the services.
type careersSite struct {
	company     string
	retention   int
	replyDays   int
	behindProxy bool
	limiter     *rateLimiter
	md          goldmark.Markdown
	// policy cleans the HTML made from descriptions: staff write them, but
	// a pasted script must not reach candidates' browsers all the same.
	policy *bluemonday.Policy
	// jobList keeps the anonymous job list for a moment, and openings the
	// public job pages (careers_cache.go).
	jobList  *pageCache
	openings *openingCache
}

func newCareersSite(d Deps, now func() time.Time) *careersSite {
	c := &careersSite{
		company:     strings.TrimSpace(d.CompanyName),
		retention:   d.RetentionMonths,
		replyDays:   d.ReplyWithinDays,
		behindProxy: d.BehindProxy,
		limiter:     newRateLimiter(d.ApplyRatePerMinute, d.ApplyBurst, now),
		md:          goldmark.New(),
		policy:      bluemonday.UGCPolicy(),
		jobList:     newPageCache(jobListTTL, maxCachedPages, now),
		openings:    newOpeningCache(jobListTTL, maxCachedOpenings, now),
	}
	if c.company == "" {
		if u, err := url.Parse(d.BaseURL); err == nil && u.Hostname() != "" {
			c.company = u.Hostname()
		} else {
			c.company = "hireloop"
		}
	}
	if c.retention <= 0 {
		c.retention = hiring.DefaultRetentionMonths
	}
	if c.replyDays <= 0 {
		c.replyDays = 5
	}
	return c
}

// markdown renders an opening's description as safe HTML. Goldmark drops
// raw HTML and dangerous links by default; the policy removes whatever else
// could run.
func (c *careersSite) markdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := c.md.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	return template.HTML(c.policy.SanitizeBytes(buf.Bytes()))
}

// maxPublicJobs bounds how many open jobs one listing reads.
const maxPublicJobs = 10_000

// openJobs returns every open opening that matches f, in the careers-site
// order (by department, then title) unless f asks for the newest first.
func (s *Server) openJobs(ctx context.Context, f hiring.OpeningFilter) ([]*hiring.Opening, error) {
	open := hiring.OpeningOpen
	f.Status = &open
	f.Limit = 500
	var all []*hiring.Opening
	for {
		f.Offset = len(all)
		page, total, err := s.openings.FindOpenings(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total || len(all) >= maxPublicJobs {
			return all, nil
		}
	}
}

// jobsPage lists the open jobs by department.
type jobsPage struct {
	layout
	Company     string
	Query       string
	Location    string
	Remote      string
	Departments []filterOption
	Locations   []filterOption
	Groups      []jobGroup
	// Count is the number of jobs shown, Total the number open.
	Count    int
	Total    int
	Filtered bool
}

type filterOption struct {
	Value, Label string
	Selected     bool
}

// jobGroup is one department's jobs.
type jobGroup struct {
	Anchor string
	Name   string
	Jobs   []jobItem
}

// jobItem is one line of the job list.
type jobItem struct {
	ID        int64
	Title     string
	Locations string
	Remote    bool
	Type      string
	Vacancies string
}

// jobFilter is what the visitor chose in the filter form.
type jobFilter struct {
	q, location, remote string
	department          *int64
}

func parseJobFilter(q url.Values) (jobFilter, error) {
	f := jobFilter{
		q:        strings.TrimSpace(q.Get("q")),
		location: strings.TrimSpace(q.Get("location")),
		remote:   q.Get("remote"),
	}
	v := hiring.Validation{}
	for name, val := range map[string]string{"q": f.q, "location": f.location} {
		v.Check(len(val) <= hiring.MaxTitleLen && !strings.ContainsRune(val, 0), name, "Search for something shorter.")
	}
	v.Check(f.remote == "" || f.remote == "yes" || f.remote == "no", "remote", "Choose remote, on site, or either.")
	if d := q.Get("department"); d != "" {
		id, err := strconv.ParseInt(d, 10, 64)
		if err != nil || id < 1 {
			v.Add("department", "Choose a department from the list.")
		} else {
			f.department = &id
		}
	}
	return f, v.Err()
}

func (f jobFilter) any() bool {
	return f.q != "" || f.location != "" || f.remote != "" || f.department != nil
}

func (f jobFilter) store() hiring.OpeningFilter {
	of := hiring.OpeningFilter{Query: f.q, Location: f.location, DepartmentID: f.department}
	if f.remote != "" {
		remote := f.remote == "yes"
		of.Remote = &remote
	}
	return of
}

// handleJobs serves the job list. Its anonymous rendering of all jobs and
// of one department's is reused for jobListTTL (see careers_cache.go), so a
// job opened, changed or closed by staff shows here within that time; any
// other search, and every signed-in visitor, gets a fresh rendering.
func (s *Server) handleJobs(w http.ResponseWriter, r *http.Request) error {
	f, err := parseJobFilter(r.URL.Query())
	if err != nil {
		return err
	}
	key, ok := s.jobListKey(r, f)
	if !ok {
		return s.renderJobs(w, r, f)
	}
	p, err := s.careers.jobList.get(r.Context(), key, func(at time.Time) (*cachedPage, error) {
		rec := &pageRecorder{header: http.Header{}}
		if err := s.renderJobs(rec, r, f); err != nil || rec.status != http.StatusOK {
			return nil, err
		}
		return newCachedPage(key, at, rec.body.Bytes()), nil
	})
	if err != nil {
		return err
	}
	if p == nil {
		return s.renderJobs(w, r, f)
	}
	s.careers.jobList.serve(w, r, p)
	return nil
}

// renderJobs reads the open jobs and renders the list for f.
func (s *Server) renderJobs(w http.ResponseWriter, r *http.Request, f jobFilter) error {
	all, err := s.openJobs(r.Context(), hiring.OpeningFilter{})
	if err != nil {
		return err
	}
	shown := all
	if f.any() {
		if shown, err = s.openJobs(r.Context(), f.store()); err != nil {
			return err
		}
	}
	p := &jobsPage{
		layout:   layout{Title: "Jobs at " + s.careers.company},
		Company:  s.careers.company,
		Query:    f.q,
		Location: f.location,
		Remote:   f.remote,
		Count:    len(shown),
		Total:    len(all),
		Filtered: f.any(),
		Groups:   groupJobs(shown),
	}
	p.Departments, p.Locations = jobFacets(all, f)
	s.render(w, r, http.StatusOK, "jobs", p)
	return nil
}

// groupJobs puts jobs under their departments, in the order they come.
func groupJobs(jobs []*hiring.Opening) []jobGroup {
	var groups []jobGroup
	index := map[string]int{}
	for _, o := range jobs {
		key, name := "other", "Other jobs"
		if o.Department != nil {
			key, name = "dept-"+strconv.FormatInt(o.Department.ID, 10), o.Department.Name
		}
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, jobGroup{Anchor: key, Name: name})
		}
		groups[i].Jobs = append(groups[i].Jobs, jobItem{
			ID:        o.ID,
			Title:     o.Title,
			Locations: placeNames(o.Locations),
			Remote:    o.Remote(),
			Type:      o.EmploymentType.Label(),
			Vacancies: vacancySummary(o.Teams),
		})
	}
	return groups
}

// jobFacets lists the departments and locations of the open jobs, for the
// filter form, marking what f chose.
func jobFacets(all []*hiring.Opening, f jobFilter) (deps, locs []filterOption) {
	seenDep, seenLoc := map[int64]bool{}, map[string]bool{}
	for _, o := range all {
		if d := o.Department; d != nil && !seenDep[d.ID] {
			seenDep[d.ID] = true
			deps = append(deps, filterOption{Value: strconv.FormatInt(d.ID, 10), Label: d.Name,
				Selected: f.department != nil && *f.department == d.ID})
		}
		for _, l := range o.Locations {
			if k := strings.ToLower(l.Name); l.Name != "" && !seenLoc[k] {
				seenLoc[k] = true
				locs = append(locs, filterOption{Value: l.Name, Label: l.Name,
					Selected: strings.EqualFold(l.Name, f.location)})
			}
		}
	}
	byLabel := func(o []filterOption) {
		sort.Slice(o, func(i, j int) bool { return strings.ToLower(o[i].Label) < strings.ToLower(o[j].Label) })
	}
	byLabel(deps)
	byLabel(locs)
	return deps, locs
}

func locationNames(locs []hiring.Location) string {
	names := make([]string, 0, len(locs))
	for _, l := range locs {
		names = append(names, l.Name)
	}
	return strings.Join(names, "; ")
}

// placeNames is locationNames without a bare "Remote", for lines that
// mark remote jobs with a badge of their own.
func placeNames(locs []hiring.Location) string {
	var places []hiring.Location
	for _, l := range locs {
		if !(l.Remote && l.CountryCode == "" && strings.EqualFold(l.Name, "Remote")) {
			places = append(places, l)
		}
	}
	return locationNames(places)
}

// vacancySummary says how many people a job hires and for which teams:
// "3 vacancies: Create 1, Plan 2".
func vacancySummary(teams []hiring.TeamVacancies) string {
	total := 0
	var parts []string
	for _, t := range teams {
		if t.Count <= 0 {
			continue
		}
		total += t.Count
		if t.Team != "" {
			parts = append(parts, t.Team+" "+strconv.Itoa(t.Count))
		}
	}
	out := plural(total, "vacancy", "vacancies")
	if len(parts) > 0 {
		out += ": " + strings.Join(parts, ", ")
	}
	return out
}

// findPublicJob returns an opening the public may see: open or closed. A
// draft is not found, exactly as a missing one, so its existence does not
// show. Visitors get the opening as read up to jobListTTL ago, as on the
// job list; signed-in staff, who may have just changed it, read it afresh.
// The opening returned may be shared: it must not be changed.
func (s *Server) findPublicJob(r *http.Request) (*hiring.Opening, error) {
	id, err := api.PathID(r)
	if err != nil {
		return nil, err
	}
	anonymous := hiring.ActorFromContext(r.Context()) == nil
	if anonymous {
		if o := s.careers.openings.get(id); o != nil {
			return o, nil
		}
	}
	at := s.now()
	o, err := s.openings.FindOpeningByID(r.Context(), id)
	if hiring.ErrorCode(err) == hiring.ENOTFOUND || err == nil && o.Status == hiring.OpeningDraft {
		return nil, hiring.Errorf(hiring.ENOTFOUND, "This job does not exist. It may have been removed; see the open jobs.")
	}
	if err != nil {
		return nil, err
	}
	if anonymous {
		s.careers.openings.put(o, at)
	}
	return o, nil
}

// jobPage is one job with its application form.
type jobPage struct {
	layout
	Job         *hiring.Opening
	Description template.HTML
	// Teams lists the open seats per team when any team is named.
	Teams     []hiring.TeamVacancies
	Seats     int
	Locations string
	Pay       string
	Steps     []hiring.HiringStep
	Form      *applyForm
	JSONLD    *jobPosting
}

func (s *Server) handleJob(w http.ResponseWriter, r *http.Request) error {
	o, err := s.findPublicJob(r)
	if err != nil {
		return err
	}
	if o.Status == hiring.OpeningClosed {
		s.renderJobClosed(w, r, o)
		return nil
	}
	s.render(w, r, http.StatusOK, "job", s.newJobPage(r, o, s.newApplyForm(o, nil)))
	return nil
}

// newJobPage shows the hiring process once: when the role lists its steps,
// the page shows them with their durations, and the description's own
// section on the process is left out of what it renders.
func (s *Server) newJobPage(r *http.Request, o *hiring.Opening, f *applyForm) *jobPage {
	steps := hiringSteps(o)
	src := o.Description
	if len(steps) > 0 {
		src = hiring.DescriptionWithoutProcess(src)
	}
	desc := s.careers.markdown(src)
	teams := openSeatsByTeam(o)
	seats, named := 0, false
	for _, t := range teams {
		seats += t.Count
		named = named || t.Team != ""
	}
	if !named {
		teams = nil
	}
	return &jobPage{
		layout:      layout{Title: o.Title},
		Job:         o,
		Description: desc,
		Teams:       teams,
		Seats:       seats,
		Locations:   locationNames(o.Locations),
		Pay:         formatPay(o.Pay),
		Steps:       steps,
		Form:        f,
		JSONLD:      s.jobPosting(r, o, desc),
	}
}

// openSeatsByTeam counts the seats still open per team; without vacancy
// records it falls back to the counts the teams ask for.
func openSeatsByTeam(o *hiring.Opening) []hiring.TeamVacancies {
	if len(o.Vacancies) == 0 {
		return o.Teams
	}
	var out []hiring.TeamVacancies
	index := map[string]int{}
	for _, v := range o.Vacancies {
		if v.Status != hiring.VacancyOpen {
			continue
		}
		i, ok := index[v.Team]
		if !ok {
			i = len(out)
			index[v.Team] = i
			out = append(out, hiring.TeamVacancies{Team: v.Team})
		}
		out[i].Count++
	}
	return out
}

// hiringSteps is the process of the opening's role, so candidates know
// what is coming.
func hiringSteps(o *hiring.Opening) []hiring.HiringStep {
	if o.Role == nil {
		return nil
	}
	return o.Role.HiringProcess
}

// formatPay writes a pay range as people read it: "85,000–100,000 EUR per
// year".
func formatPay(p *hiring.PayRange) string {
	if p == nil {
		return ""
	}
	amount := formatAmount(p.Min)
	if p.Max != p.Min {
		amount += "–" + formatAmount(p.Max)
	}
	return amount + " " + p.Currency + " per " + string(p.Period)
}

// formatAmount writes hundredths with thousands separators, and cents only
// when there are any.
func formatAmount(hundredths int64) string {
	whole, cents := hundredths/100, hundredths%100
	s := strconv.FormatInt(whole, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if cents != 0 {
		s += "." + strconv.FormatInt(100+cents, 10)[1:]
	}
	return s
}

// jobClosedPage tells a visitor who followed an old link that the job is
// gone, and where the open ones are.
type jobClosedPage struct {
	layout
	Job *hiring.Opening
}

// renderJobClosed answers 410 Gone: the job existed and will not take
// applications, which also tells search engines to drop it.
func (s *Server) renderJobClosed(w http.ResponseWriter, r *http.Request, o *hiring.Opening) {
	s.render(w, r, http.StatusGone, "job_closed", &jobClosedPage{
		layout: layout{Title: "This job is closed"}, Job: o})
}

// publicBase is the absolute address of the site for links that leave it
// (JSON-LD, sitemap, feed): BaseURL when set, otherwise the address the
// request came to.
func (s *Server) publicBase(r *http.Request) string {
	if s.baseURL != "" {
		return strings.TrimRight(s.baseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || s.careers.behindProxy && r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	host := r.Host
	for _, c := range host {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-:[]", c)) {
			host = "localhost"
			break
		}
	}
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host
}

// jobURL is the absolute address of a job page.
func (s *Server) jobURL(r *http.Request, id int64) string {
	return s.publicBase(r) + "/jobs/" + strconv.FormatInt(id, 10)
}

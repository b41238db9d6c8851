package web

import (
	"encoding/json"
	"encoding/xml"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"hireloop/internal/hiring"
)

// What the careers site tells machines: schema.org JobPosting data on each
// job page (search engines show jobs from it), a sitemap, and an Atom feed
// of the open jobs.

// jobPosting is a schema.org JobPosting. The template writes it inside a
// <script type="application/ld+json"> element, where html/template encodes
// it as JSON with <, > and & escaped, so no text of the job can end the
// script element.
type jobPosting struct {
	Context            string         `json:"@context"`
	Type               string         `json:"@type"`
	Title              string         `json:"title"`
	Description        string         `json:"description"`
	DatePosted         string         `json:"datePosted,omitempty"`
	EmploymentType     string         `json:"employmentType,omitempty"`
	HiringOrganization ldOrganization `json:"hiringOrganization"`
	JobLocation        []ldPlace      `json:"jobLocation,omitempty"`
	JobLocationType    string         `json:"jobLocationType,omitempty"`
	// ApplicantLocationRequirements names the countries a remote job may
	// be done from; a job remote from anywhere names none.
	ApplicantLocationRequirements []ldCountry `json:"applicantLocationRequirements,omitempty"`
	BaseSalary                    *ldSalary   `json:"baseSalary,omitempty"`
	Identifier                    ldProperty  `json:"identifier"`
	URL                           string      `json:"url"`
	DirectApply                   bool        `json:"directApply"`
	TotalJobOpenings              int         `json:"totalJobOpenings,omitempty"`
}

type ldOrganization struct {
	Type   string `json:"@type"`
	Name   string `json:"name"`
	SameAs string `json:"sameAs,omitempty"`
}

type ldPlace struct {
	Type    string    `json:"@type"`
	Name    string    `json:"name,omitempty"`
	Address ldAddress `json:"address"`
}

type ldAddress struct {
	Type            string `json:"@type"`
	AddressLocality string `json:"addressLocality,omitempty"`
	AddressCountry  string `json:"addressCountry,omitempty"`
}

type ldCountry struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

type ldSalary struct {
	Type     string  `json:"@type"`
	Currency string  `json:"currency"`
	Value    ldValue `json:"value"`
}

type ldValue struct {
	Type     string      `json:"@type"`
	MinValue json.Number `json:"minValue"`
	MaxValue json.Number `json:"maxValue"`
	UnitText string      `json:"unitText"`
}

type ldProperty struct {
	Type  string `json:"@type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// schemaEmploymentTypes maps employment types to schema.org's values.
var schemaEmploymentTypes = map[hiring.EmploymentType]string{
	hiring.FullTime:   "FULL_TIME",
	hiring.PartTime:   "PART_TIME",
	hiring.Contract:   "CONTRACTOR",
	hiring.Temporary:  "TEMPORARY",
	hiring.Internship: "INTERN",
}

// jobPosting describes an open job for search engines; desc is the job's
// description as safe HTML, which is what schema.org expects.
func (s *Server) jobPosting(r *http.Request, o *hiring.Opening, desc template.HTML) *jobPosting {
	base := s.publicBase(r)
	p := &jobPosting{
		Context:            "https://schema.org/",
		Type:               "JobPosting",
		Title:              o.Title,
		Description:        string(desc),
		EmploymentType:     schemaEmploymentTypes[o.EmploymentType],
		HiringOrganization: ldOrganization{Type: "Organization", Name: s.careers.company, SameAs: base},
		Identifier:         ldProperty{Type: "PropertyValue", Name: s.careers.company, Value: o.RequisitionID},
		URL:                s.jobURL(r, o.ID),
		DirectApply:        true,
	}
	for _, t := range openSeatsByTeam(o) {
		p.TotalJobOpenings += t.Count
	}
	if o.OpenedAt != nil {
		p.DatePosted = o.OpenedAt.UTC().Format(time.DateOnly)
	}
	for _, l := range o.Locations {
		switch {
		case l.Remote && l.CountryCode != "":
			p.ApplicantLocationRequirements = append(p.ApplicantLocationRequirements,
				ldCountry{Type: "Country", Name: l.CountryCode})
		case !l.Remote:
			place := ldPlace{Type: "Place", Name: l.Name, Address: ldAddress{Type: "PostalAddress", AddressCountry: l.CountryCode}}
			if l.CountryCode == "" {
				place.Address.AddressLocality = l.Name
			}
			p.JobLocation = append(p.JobLocation, place)
		}
	}
	if o.Remote() {
		p.JobLocationType = "TELECOMMUTE"
	}
	if pay := o.Pay; pay != nil {
		unit := "YEAR"
		if pay.Period == hiring.PerHour {
			unit = "HOUR"
		}
		p.BaseSalary = &ldSalary{Type: "MonetaryAmount", Currency: pay.Currency, Value: ldValue{
			Type: "QuantitativeValue", MinValue: decimal(pay.Min), MaxValue: decimal(pay.Max), UnitText: unit}}
	}
	return p
}

// decimal writes hundredths as a JSON number: 8500000 is 85000, 1225 is 12.25.
func decimal(hundredths int64) json.Number {
	s := strconv.FormatInt(hundredths/100, 10)
	if c := hundredths % 100; c != 0 {
		s += "." + strconv.FormatInt(100+c, 10)[1:]
	}
	return json.Number(s)
}

// sitemap is a sitemaps.org urlset.
type sitemap struct {
	XMLName xml.Name     `xml:"urlset"`
	Xmlns   string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// maxSitemapURLs is the most one sitemap file may list.
const maxSitemapURLs = 50_000

// handleSitemap lists the open jobs and, unless the catalog is private,
// the catalog's pages.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	base := s.publicBase(r)
	sm := sitemap{Xmlns: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	add := func(path string, mod time.Time) {
		u := sitemapURL{Loc: base + path}
		if !mod.IsZero() {
			u.LastMod = mod.UTC().Format(time.DateOnly)
		}
		if len(sm.URLs) < maxSitemapURLs {
			sm.URLs = append(sm.URLs, u)
		}
	}
	jobs, err := s.openJobs(ctx, hiring.OpeningFilter{})
	if err != nil {
		return err
	}
	add("/jobs", time.Time{})
	for _, o := range jobs {
		add("/jobs/"+strconv.FormatInt(o.ID, 10), o.UpdatedAt)
	}
	st, err := s.settings.GetSettings(ctx)
	if err != nil {
		return err
	}
	if !st.CatalogPrivate {
		if err := s.addCatalogURLs(r, add); err != nil {
			return err
		}
	}
	return s.writeXML(w, "application/xml; charset=utf-8", sm)
}

// addCatalogURLs adds the catalog's front page, departments, families and
// current roles.
func (s *Server) addCatalogURLs(r *http.Request, add func(string, time.Time)) error {
	ctx := r.Context()
	add("/", time.Time{})
	deps, _, err := s.departments.FindDepartments(ctx, hiring.DepartmentFilter{Limit: maxDepartments})
	if err != nil {
		return err
	}
	for _, d := range deps {
		add("/departments/"+strconv.FormatInt(d.ID, 10), time.Time{})
	}
	for offset := 0; offset < maxSitemapURLs; {
		fams, total, err := s.families.FindFamilies(ctx, hiring.FamilyFilter{Offset: offset, Limit: 500})
		if err != nil {
			return err
		}
		for _, f := range fams {
			add("/families/"+strconv.FormatInt(f.ID, 10), f.UpdatedAt)
		}
		offset += len(fams)
		if len(fams) == 0 || offset >= total {
			break
		}
	}
	for offset := 0; offset < maxSitemapURLs; {
		roles, total, err := s.roles.FindRoles(ctx, hiring.RoleFilter{Offset: offset, Limit: 500})
		if err != nil {
			return err
		}
		for _, ro := range roles {
			add("/roles/"+strconv.FormatInt(ro.ID, 10), ro.UpdatedAt)
		}
		offset += len(roles)
		if len(roles) == 0 || offset >= total {
			break
		}
	}
	return nil
}

// Atom 1.0 (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	Xmlns   string      `xml:"xmlns,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// handleFeed is the Atom feed of open jobs, newest first.
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) error {
	jobs, err := s.openJobs(r.Context(), hiring.OpeningFilter{Newest: true})
	if err != nil {
		return err
	}
	base := s.publicBase(r)
	feed := atomFeed{
		Xmlns: "http://www.w3.org/2005/Atom",
		ID:    base + "/jobs",
		Title: "Jobs at " + s.careers.company,
		Links: []atomLink{
			{Href: base + "/jobs/feed.atom", Rel: "self", Type: "application/atom+xml"},
			{Href: base + "/jobs", Rel: "alternate", Type: "text/html"},
		},
		Author: atomPerson{Name: s.careers.company},
	}
	var updated time.Time
	for _, o := range jobs {
		if o.UpdatedAt.After(updated) {
			updated = o.UpdatedAt
		}
		e := atomEntry{
			ID:      s.jobURL(r, o.ID),
			Title:   o.Title,
			Updated: o.UpdatedAt.UTC().Format(time.RFC3339),
			Links:   []atomLink{{Href: s.jobURL(r, o.ID), Rel: "alternate", Type: "text/html"}},
			Summary: atomText{Type: "text", Body: jobSummary(o)},
			Content: atomText{Type: "html", Body: string(s.careers.markdown(o.Description))},
		}
		if o.OpenedAt != nil {
			e.Published = o.OpenedAt.UTC().Format(time.RFC3339)
		}
		if o.Department != nil {
			e.Categories = []atomCategory{{Term: o.Department.Name}}
		}
		feed.Entries = append(feed.Entries, e)
	}
	if updated.IsZero() {
		updated = s.now() // A feed without entries still needs a date.
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	return s.writeXML(w, "application/atom+xml; charset=utf-8", feed)
}

// jobSummary is a job's one-line description: where, on what terms, how
// many.
func jobSummary(o *hiring.Opening) string {
	out := o.EmploymentType.Label()
	if l := locationNames(o.Locations); l != "" {
		out = l + " · " + out
	}
	return out + " · " + vacancySummary(o.Teams)
}

// writeXML marshals v whole before writing, so an error becomes an error
// page rather than half a document. Shared caches may keep the answer only
// when its links come from BaseURL, not from the request's Host header.
func (s *Server) writeXML(w http.ResponseWriter, contentType string, v any) error {
	b, err := xml.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentType)
	if s.baseURL != "" {
		w.Header().Set("Cache-Control", "public, max-age=300")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(b)
	return nil
}

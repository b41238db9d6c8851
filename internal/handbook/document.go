package handbook

import (
	"sort"
	"strings"

	"hireloop/internal/hiring"
)

// Document is the JSON `hireloop families import --json` prints: every
// family read and every warning. Lists are never null; a grade or a step's
// duration the page does not state is null.
type Document struct {
	Families []DocFamily `json:"families"`
	Warnings []Warning   `json:"warnings"`
}

// DocFamily is one family in a Document.
type DocFamily struct {
	Source     string    `json:"source"`
	Title      string    `json:"title"`
	Department string    `json:"department"`
	Roles      []DocRole `json:"roles"`
}

// DocRole is one role in a Document.
type DocRole struct {
	Title                 string         `json:"title"`
	Level                 string         `json:"level"`
	Grade                 *float64       `json:"grade"`
	Responsibilities      []string       `json:"responsibilities"`
	Requirements          []string       `json:"requirements"`
	NiceToHaves           []string       `json:"nice_to_haves"`
	PerformanceIndicators []DocIndicator `json:"performance_indicators"`
	Specialties           []DocSpecialty `json:"specialties"`
	HiringProcess         []DocStep      `json:"hiring_process"`
}

// DocIndicator is a performance indicator in a Document.
type DocIndicator struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// DocSpecialty is a specialty in a Document.
type DocSpecialty struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// DocStep is a hiring step in a Document; Minutes is null when the page
// gives no duration.
type DocStep struct {
	Name    string `json:"name"`
	Minutes *int   `json:"minutes"`
}

// Document returns the import as the JSON document of the import command.
func (r *Result) Document() Document {
	d := Document{Families: []DocFamily{}, Warnings: r.Warnings()}
	for _, f := range r.Families() {
		d.Families = append(d.Families, docFamily(f))
	}
	return d
}

func docFamily(f *hiring.Family) DocFamily {
	df := DocFamily{
		Source:     f.Source,
		Title:      f.Title,
		Department: strings.Join(f.DepartmentPath, " > "),
		Roles:      []DocRole{},
	}
	roles := append([]*hiring.Role(nil), f.Roles...)
	sort.SliceStable(roles, func(i, j int) bool { return roles[i].Position < roles[j].Position })
	for _, r := range roles {
		dr := DocRole{
			Title:                 r.Title,
			Level:                 r.Level,
			Grade:                 r.Grade,
			Responsibilities:      nonNil(r.Responsibilities),
			Requirements:          nonNil(r.Requirements),
			NiceToHaves:           nonNil(r.NiceToHaves),
			PerformanceIndicators: []DocIndicator{},
			Specialties:           []DocSpecialty{},
			HiringProcess:         []DocStep{},
		}
		for _, pi := range r.PerformanceIndicators {
			dr.PerformanceIndicators = append(dr.PerformanceIndicators, DocIndicator{Name: pi.Name, URL: pi.URL})
		}
		for _, s := range r.Specialties {
			dr.Specialties = append(dr.Specialties, DocSpecialty{Name: s.Name, Description: s.Description})
		}
		for _, s := range r.HiringProcess {
			step := DocStep{Name: s.Name}
			if s.Minutes > 0 {
				m := s.Minutes
				step.Minutes = &m
			}
			dr.HiringProcess = append(dr.HiringProcess, step)
		}
		df.Roles = append(df.Roles, dr)
	}
	return df
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

package hiring

import (
	"context"
	"math"
	"strings"
	"time"
)

// Department is a nested unit of the company: Engineering > Infrastructure >
// Reliability. Departments are made by the importer from a family's place in
// the handbook and can be renamed afterwards.
type Department struct {
	ID       int64  `json:"id"`
	ParentID *int64 `json:"parent_id"`
	Name     string `json:"name"`
	// Slug is unique among all departments; it is the full path of slugs
	// joined by "/", so "engineering/infrastructure".
	Slug      string    `json:"slug"`
	CreatedAt time.Time `json:"created_at"`

	// FamilyCount is filled in by listings.
	FamilyCount int `json:"family_count"`
}

// DepartmentFilter narrows a department listing.
type DepartmentFilter struct {
	ID       *int64
	ParentID *int64
	// RootsOnly keeps departments without a parent.
	RootsOnly bool
	Offset    int
	Limit     int
}

// DepartmentService reads departments.
type DepartmentService interface {
	FindDepartmentByID(ctx context.Context, id int64) (*Department, error)
	// FindDepartments returns a page of departments ordered by slug and the
	// total count that matched the filter.
	FindDepartments(ctx context.Context, filter DepartmentFilter) ([]*Department, int, error)
}

// Family is one job-family page: a family of roles such as Backend Engineer.
type Family struct {
	ID    int64  `json:"id"`
	Slug  string `json:"slug"`
	Title string `json:"title"`
	// Summary is the page's opening text, before its first role.
	Summary      string      `json:"summary"`
	DepartmentID *int64      `json:"department_id"`
	Department   *Department `json:"department,omitempty"`
	// DepartmentPath names the department from the top, for example
	// ["Engineering", "Infrastructure"]; the importer sets it and the store
	// resolves it to DepartmentID, creating departments as needed.
	DepartmentPath []string `json:"department_path,omitempty"`
	// Source is the file the family was imported from; it is the identity
	// used when the same page is imported again.
	Source      string    `json:"source"`
	ContentHash string    `json:"content_hash"`
	Roles       []*Role   `json:"roles,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`

	// RoleCount is filled in by listings.
	RoleCount int `json:"role_count"`
}

// FamilyFilter narrows a family listing.
type FamilyFilter struct {
	ID           *int64
	Slug         *string
	DepartmentID *int64
	// Query matches family titles, case-insensitively, anywhere in the title.
	Query  string
	Offset int
	Limit  int
}

// FamilyUpdate holds the editable fields of a family; nil means unchanged.
type FamilyUpdate struct {
	Title   *string `json:"title"`
	Summary *string `json:"summary"`
}

// Validate checks an update before it is stored.
func (u FamilyUpdate) Validate() error {
	v := Validation{}
	if u.Title != nil {
		checkText(v, "title", *u.Title, true, MaxTitleLen)
	}
	if u.Summary != nil {
		checkText(v, "summary", *u.Summary, false, MaxTextLen)
	}
	return v.Err()
}

// ImportResult says what ImportFamily did with one page.
type ImportResult struct {
	Family *Family `json:"family"`
	// Created is true for a new family, false for one updated in place.
	Created bool `json:"created"`
	// Unchanged is true when the page's content hash matched what was stored.
	Unchanged bool `json:"unchanged"`
	// Archived lists the titles of roles that disappeared from the page.
	Archived []string `json:"archived"`
}

// FamilyService reads, edits and imports job families.
type FamilyService interface {
	// FindFamilyByID returns the family with its department and its roles
	// that are not archived.
	FindFamilyByID(ctx context.Context, id int64) (*Family, error)
	FindFamilies(ctx context.Context, filter FamilyFilter) ([]*Family, int, error)
	UpdateFamily(ctx context.Context, id int64, upd FamilyUpdate) (*Family, error)
	// ImportFamily stores a parsed page. A family with the same Source is
	// updated in place: roles are matched by slug, new ones added, missing
	// ones archived (never deleted), archived ones that return are restored.
	ImportFamily(ctx context.Context, f *Family) (*ImportResult, error)
}

// Role is one level of a family, such as Senior Backend Engineer.
type Role struct {
	ID       int64   `json:"id"`
	FamilyID int64   `json:"family_id"`
	Family   *Family `json:"family,omitempty"`
	// Slug is unique within the family.
	Slug  string `json:"slug"`
	Title string `json:"title"`
	// Level is a word such as Junior, Intermediate, Senior, Staff, Manager.
	Level string `json:"level"`
	// Grade is the job grade; nil when the page does not state one.
	Grade                 *float64               `json:"grade"`
	Summary               string                 `json:"summary"`
	Responsibilities      []string               `json:"responsibilities"`
	Requirements          []string               `json:"requirements"`
	NiceToHaves           []string               `json:"nice_to_haves"`
	PerformanceIndicators []PerformanceIndicator `json:"performance_indicators"`
	Specialties           []Specialty            `json:"specialties"`
	HiringProcess         []HiringStep           `json:"hiring_process"`
	CareerLadder          string                 `json:"career_ladder"`
	// Position orders roles within their family as the page orders them.
	Position   int        `json:"position"`
	ArchivedAt *time.Time `json:"archived_at"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// PerformanceIndicator is a named measure a role is judged by.
type PerformanceIndicator struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// Specialty is a focus inside a family, such as Gitaly or Database.
type Specialty struct {
	Name            string `json:"name"`
	Description     string `json:"description,omitempty"`
	PrimaryLanguage string `json:"primary_language,omitempty"`
}

// HiringStep is one step of the hiring process a page states.
type HiringStep struct {
	Name string `json:"name"`
	// Minutes is the stated duration, 0 when the page gives none.
	Minutes int `json:"minutes,omitempty"`
	// Who conducts the step, as the page says ("a Recruiter").
	Who string `json:"who,omitempty"`
}

// RoleFilter narrows a role listing.
type RoleFilter struct {
	ID           *int64
	FamilyID     *int64
	DepartmentID *int64
	Grade        *float64
	// Query matches role titles, case-insensitively, anywhere in the title.
	Query           string
	IncludeArchived bool
	Offset          int
	Limit           int
}

// RoleUpdate holds the editable fields of a role; nil means unchanged.
type RoleUpdate struct {
	Title *string `json:"title"`
	Level *string `json:"level"`
	// Grade sets the grade; ClearGrade removes it.
	Grade                 *float64                `json:"grade"`
	ClearGrade            bool                    `json:"clear_grade"`
	Summary               *string                 `json:"summary"`
	Responsibilities      *[]string               `json:"responsibilities"`
	Requirements          *[]string               `json:"requirements"`
	NiceToHaves           *[]string               `json:"nice_to_haves"`
	PerformanceIndicators *[]PerformanceIndicator `json:"performance_indicators"`
	Specialties           *[]Specialty            `json:"specialties"`
	HiringProcess         *[]HiringStep           `json:"hiring_process"`
	CareerLadder          *string                 `json:"career_ladder"`
}

// RoleService reads and edits roles.
type RoleService interface {
	// FindRoleByID returns the role with its family and department.
	FindRoleByID(ctx context.Context, id int64) (*Role, error)
	// FindRoles returns a page of roles ordered by family then position,
	// with the total count that matched.
	FindRoles(ctx context.Context, filter RoleFilter) ([]*Role, int, error)
	UpdateRole(ctx context.Context, id int64, upd RoleUpdate) (*Role, error)
}

// Limits on what people may type; they keep pages and rows a sane size.
const (
	MaxTitleLen = 200
	MaxTextLen  = 20000
	MaxItemLen  = 2000
	MaxItems    = 200
	MaxMinutes  = 24 * 60
)

// ValidGrade reports whether g is a job grade hireloop knows: 4 to 15 in whole
// steps, also 9.5, and never 13.
func ValidGrade(g float64) bool {
	if math.IsNaN(g) || g < 4 || g > 15 || g == 13 {
		return false
	}
	return g == math.Trunc(g) || g == 9.5
}

// Validate checks an update before it is stored.
func (u RoleUpdate) Validate() error {
	v := Validation{}
	if u.Title != nil {
		checkText(v, "title", *u.Title, true, MaxTitleLen)
	}
	if u.Level != nil {
		checkText(v, "level", *u.Level, false, MaxTitleLen)
	}
	if u.Grade != nil && !ValidGrade(*u.Grade) {
		v.Add("grade", "Grade must be a whole number from 4 to 15 (not 13), or 9.5.")
	}
	if u.Grade != nil && u.ClearGrade {
		v.Add("grade", "Give a grade or clear it, not both.")
	}
	if u.Summary != nil {
		checkText(v, "summary", *u.Summary, false, MaxTextLen)
	}
	if u.CareerLadder != nil {
		checkText(v, "career_ladder", *u.CareerLadder, false, MaxTextLen)
	}
	checkList(v, "responsibilities", u.Responsibilities)
	checkList(v, "requirements", u.Requirements)
	checkList(v, "nice_to_haves", u.NiceToHaves)
	if u.PerformanceIndicators != nil {
		pis := *u.PerformanceIndicators
		if len(pis) > MaxItems {
			v.Add("performance_indicators", "At most 200 performance indicators.")
		}
		for _, pi := range pis {
			checkText(v, "performance_indicators", pi.Name, true, MaxItemLen)
			if pi.URL != "" && !ValidURL(pi.URL) {
				v.Add("performance_indicators", "Each link must start with http://, https:// or /.")
			}
		}
	}
	if u.Specialties != nil {
		if len(*u.Specialties) > MaxItems {
			v.Add("specialties", "At most 200 specialties.")
		}
		for _, s := range *u.Specialties {
			checkText(v, "specialties", s.Name, true, MaxTitleLen)
			checkText(v, "specialties", s.Description, false, MaxTextLen)
		}
	}
	if u.HiringProcess != nil {
		if len(*u.HiringProcess) > MaxItems {
			v.Add("hiring_process", "At most 200 steps.")
		}
		for _, s := range *u.HiringProcess {
			checkText(v, "hiring_process", s.Name, true, MaxItemLen)
			if s.Minutes < 0 || s.Minutes > MaxMinutes {
				v.Add("hiring_process", "A step lasts from 0 to 1440 minutes.")
			}
		}
	}
	return v.Err()
}

// ValidURL reports whether s is an absolute http(s) URL or a site-relative path.
func ValidURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n\"<>") {
		return false
	}
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") ||
		(strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//"))
}

func checkText(v Validation, field, s string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "This field is required.")
	case len(s) > max:
		v.Add(field, "This is too long.")
	case strings.ContainsRune(s, 0):
		v.Add(field, "This contains a character that is not allowed.")
	}
}

func checkList(v Validation, field string, items *[]string) {
	if items == nil {
		return
	}
	if len(*items) > MaxItems {
		v.Add(field, "At most 200 items.")
	}
	for _, it := range *items {
		checkText(v, field, it, true, MaxItemLen)
	}
}

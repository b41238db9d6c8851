package hiring

import (
	"context"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// UserRole is what a user may do in hireloop.
type UserRole string

// The roles a user can have. Candidates never have accounts.
const (
	RoleAdmin         UserRole = "admin"
	RoleRecruiter     UserRole = "recruiter"
	RoleHiringManager UserRole = "hiring_manager"
	RoleInterviewer   UserRole = "interviewer"
)

// UserRoles lists every role in the order forms show them.
var UserRoles = []UserRole{RoleAdmin, RoleRecruiter, RoleHiringManager, RoleInterviewer}

// Valid reports whether r is a known role.
func (r UserRole) Valid() bool {
	for _, k := range UserRoles {
		if r == k {
			return true
		}
	}
	return false
}

// Label is the role's name as people read it.
func (r UserRole) Label() string {
	switch r {
	case RoleAdmin:
		return "Admin"
	case RoleRecruiter:
		return "Recruiter"
	case RoleHiringManager:
		return "Hiring manager"
	case RoleInterviewer:
		return "Interviewer"
	}
	return string(r)
}

// CanEditCatalog reports whether the role may change families and roles.
func (r UserRole) CanEditCatalog() bool { return r == RoleAdmin || r == RoleRecruiter }

// User is a person with an account: staff of the hiring company.
type User struct {
	ID    int64    `json:"id"`
	Email string   `json:"email"`
	Name  string   `json:"name"`
	Role  UserRole `json:"role"`
	// JobTitle and ProfileURL are what candidates see beside the name of
	// someone who interviews them.
	JobTitle   string    `json:"job_title"`
	ProfileURL string    `json:"profile_url"`
	CreatedAt  time.Time `json:"created_at"`
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 12

// NewUser holds what is needed to create an account.
type NewUser struct {
	Email    string
	Name     string
	Role     UserRole
	Password string
}

// Validate checks a new account; it normalises the email to lower case.
func (n *NewUser) Validate() error {
	v := Validation{}
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	n.Name = strings.TrimSpace(n.Name)
	if n.Email == "" {
		v.Add("email", "Email is required.")
	} else if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email || len(n.Email) > 254 {
		v.Add("email", "Enter an email address like name@example.com.")
	}
	checkText(v, "name", n.Name, false, MaxTitleLen)
	if !n.Role.Valid() {
		v.Add("role", "Choose one of: admin, recruiter, hiring_manager, interviewer.")
	}
	if len(n.Password) < MinPasswordLen {
		v.Add("password", "Use at least 12 characters.")
	} else if len(n.Password) > 1024 {
		v.Add("password", "This is too long.")
	}
	return v.Err()
}

// APIToken is a personal token for scripts; only its hash is stored.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// UserService manages accounts, passwords and API tokens.
type UserService interface {
	CreateUser(ctx context.Context, n NewUser) (*User, error)
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	FindUsers(ctx context.Context) ([]*User, error)
	// SetUserProfile sets the job title and profile link candidates see.
	SetUserProfile(ctx context.Context, id int64, p UserProfile) error
	CountUsers(ctx context.Context) (int, error)
	// Authenticate returns the user whose email and password match, or an
	// EUNAUTHORIZED error that does not say which of the two was wrong.
	Authenticate(ctx context.Context, email, password string) (*User, error)

	// CreateToken makes a new API token and returns its secret, shown once.
	CreateToken(ctx context.Context, userID int64, name string) (secret string, tok *APIToken, err error)
	// FindUserByToken returns the owner of a live token, or EUNAUTHORIZED.
	FindUserByToken(ctx context.Context, secret string) (*User, error)
	FindTokens(ctx context.Context, userID int64) ([]*APIToken, error)
	RevokeToken(ctx context.Context, userID, tokenID int64) error

	// CreateSetupToken returns a one-time secret that lets the first admin
	// create their account; it fails with ECONFLICT once any user exists.
	CreateSetupToken(ctx context.Context) (string, error)
	// CreateFirstAdmin spends a setup token to create the first admin.
	CreateFirstAdmin(ctx context.Context, setupToken string, n NewUser) (*User, error)
}

// AuditEntry records one change: who, when, what.
type AuditEntry struct {
	ID int64 `json:"id"`
	// ActorID is nil for changes made from the command line.
	ActorID    *int64    `json:"actor_id"`
	ActorLabel string    `json:"actor"`
	Action     string    `json:"action"`
	Entity     string    `json:"entity"`
	EntityID   int64     `json:"entity_id"`
	Detail     string    `json:"detail"`
	CreatedAt  time.Time `json:"created_at"`
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Entity   string
	EntityID *int64
	Offset   int
	Limit    int
}

// AuditService reads the audit log; services write to it as they change things.
type AuditService interface {
	FindAuditEntries(ctx context.Context, filter AuditFilter) ([]*AuditEntry, int, error)
}

// Settings are the company-wide switches an admin sets.
type Settings struct {
	// CatalogPrivate hides the job catalog from visitors who are not signed in.
	CatalogPrivate bool `json:"catalog_private"`
	// The reply policy. CompanyCountry is the ISO 3166-1 alpha-2 code of
	// the country whose public holidays count for candidates whose own
	// country is unknown ("" means Monday to Friday). The numbers of days
	// are 0 for the defaults: 5 business days after applying, 3 after an
	// interview, an update every 7 days during reference checks.
	CompanyCountry      string `json:"company_country"`
	AfterApplyDays      int    `json:"after_apply_days"`
	AfterInterviewDays  int    `json:"after_interview_days"`
	ReferenceUpdateDays int    `json:"reference_update_days"`
}

// SettingsService reads and writes Settings.
type SettingsService interface {
	GetSettings(ctx context.Context) (*Settings, error)
	UpdateSettings(ctx context.Context, s Settings) error
}

// UserProfile is what a candidate may see of a person who interviews them
// besides their name: their job title and a link to a public profile.
type UserProfile struct {
	JobTitle   string `json:"job_title"`
	ProfileURL string `json:"profile_url"`
}

// Validate trims the profile and checks that the link, when given, is a
// full http or https address.
func (p *UserProfile) Validate() error {
	v := Validation{}
	p.JobTitle = strings.TrimSpace(p.JobTitle)
	p.ProfileURL = strings.TrimSpace(p.ProfileURL)
	checkString(v, "job_title", p.JobTitle, false, MaxTitleLen)
	if p.ProfileURL != "" {
		u, err := url.Parse(p.ProfileURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(p.ProfileURL) > MaxItemLen ||
			strings.ContainsFunc(p.ProfileURL, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			v.Add("profile_url", "Enter a full address starting with https://.")
		}
	}
	return v.Err()
}

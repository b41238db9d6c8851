package hiringtest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/store"
)

// SharedDir returns the folder with the real handbook pages and seeds:
// HIRELOOP_SHARED, or else "shared" beside the repository root. When it is
// missing the test is skipped, or fails when CI=true.
func SharedDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv(SharedEnv)
	if dir == "" {
		root, err := repoRoot()
		if err != nil {
			missing(tb, "cannot find the repository root to locate ../shared: "+err.Error())
		}
		dir = filepath.Join(filepath.Dir(root), "shared")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		missing(tb, "the shared handbook folder "+dir+" is missing; set "+SharedEnv+" to its path")
	}
	return dir
}

// repoRoot walks up from the working directory to the folder with go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// MustCreateUser creates an account with the role, a unique email and a
// random password, and returns both.
func MustCreateUser(tb testing.TB, db *store.DB, role hiring.UserRole) (*hiring.User, string) {
	tb.Helper()
	password := "pw-" + randomHex(tb, 8)
	u, err := store.NewUserService(db).CreateUser(context.Background(), hiring.NewUser{
		Email:    string(role) + "-" + randomHex(tb, 4) + "@example.com",
		Name:     "Test " + role.Label(),
		Role:     role,
		Password: password,
	})
	if err != nil {
		tb.Fatalf("create %s user: %v", role, err)
	}
	return u, password
}

// FixedClock returns a clock that always says t.
func FixedClock(t time.Time) func() time.Time {
	return func() time.Time { return t }
}

// Clock is a clock a test moves by hand, for rules that depend on time
// passing (expiry, deadlines) without sleeping.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock that says t until advanced.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time; pass the method value as a store's clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// SampleFamily returns a new copy of a small fictional job family with
// three roles, one of them at grade 9.5, for tests that need a catalog.
func SampleFamily() *hiring.Family {
	grade := func(g float64) *float64 { return &g }
	return &hiring.Family{
		Slug:           "data-platform-engineer",
		Title:          "Data Platform Engineer",
		Summary:        "Data Platform Engineers build the pipelines and stores that every team reads its numbers from.",
		DepartmentPath: []string{"Engineering", "Data"},
		Source:         "job-families/engineering/data-platform-engineer.md",
		ContentHash:    "sample-v1",
		Roles: []*hiring.Role{
			{
				Slug:             "data-platform-engineer",
				Title:            "Data Platform Engineer",
				Level:            "Intermediate",
				Grade:            grade(6),
				Summary:          "Owns well-defined parts of the data pipeline.",
				Responsibilities: []string{"Keep nightly loads on time", "Write tests for every transformation"},
				Requirements:     []string{"Two years of work with SQL and one general-purpose language"},
				NiceToHaves:      []string{"Experience with column stores"},
				PerformanceIndicators: []hiring.PerformanceIndicator{
					{Name: "Pipeline freshness", URL: "https://example.com/metrics/freshness"},
				},
				Specialties:   []hiring.Specialty{{Name: "Ingestion", Description: "Getting data in from outside systems.", PrimaryLanguage: "Go"}},
				HiringProcess: []hiring.HiringStep{{Name: "Screening call", Minutes: 30, Who: "a recruiter"}, {Name: "Technical interview", Minutes: 90}},
				Position:      0,
			},
			{
				Slug:             "senior-data-platform-engineer",
				Title:            "Senior Data Platform Engineer",
				Level:            "Senior",
				Grade:            grade(7),
				Responsibilities: []string{"Design schemas that last", "Mentor other engineers"},
				Requirements:     []string{"Five years of building data systems"},
				Position:         1,
			},
			{
				Slug:             "data-platform-engineering-manager",
				Title:            "Data Platform Engineering Manager",
				Level:            "Manager",
				Grade:            grade(9.5),
				Responsibilities: []string{"Hire and grow the team", "Plan the quarter with product"},
				Requirements:     []string{"Led a team of engineers for at least two years"},
				CareerLadder:     "Reports to the Director of Data.",
				Position:         2,
			},
		},
	}
}

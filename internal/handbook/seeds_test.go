package handbook

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSeedInfrastructureManagement(t *testing.T) {
	f := mustFamily(t, seedFile(t, "001_"))

	t.Run("HasSevenRolesWithTheirGrades", func(t *testing.T) {
		want := []float64{8, 8, 8, 8, 9, 10, 12}
		var got []float64
		for _, r := range f.Roles {
			if r.Grade == nil {
				t.Errorf("role %q has no grade", r.Title)
				continue
			}
			got = append(got, *r.Grade)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("grades in page order (-want +got):\n%s", diff)
		}
		if len(f.Roles) != 7 {
			t.Errorf("got %d roles, want 7", len(f.Roles))
		}
	})

	t.Run("EveryRoleHasResponsibilitiesRequirementsAndIndicators", func(t *testing.T) {
		for _, r := range f.Roles {
			if len(r.Responsibilities) == 0 {
				t.Errorf("%q: no responsibilities", r.Title)
			}
			if len(r.Requirements) == 0 {
				t.Errorf("%q: no requirements", r.Title)
			}
			if len(r.PerformanceIndicators) == 0 {
				t.Errorf("%q: no performance indicators", r.Title)
			}
			for _, pi := range r.PerformanceIndicators {
				if pi.Name == "" || !strings.HasPrefix(pi.URL, "https://") {
					t.Errorf("%q: indicator %+v should have a name and its link", r.Title, pi)
				}
			}
		}
	})

	t.Run("ReadsTitlesLevelsAndListsAsWritten", func(t *testing.T) {
		first := f.Roles[0]
		if first.Title != "Manager, Engineering (Delivery)" || first.Level != LevelManager {
			t.Errorf("first role = %q (%s), want Manager, Engineering (Delivery) (Manager)", first.Title, first.Level)
		}
		if got, want := first.Responsibilities[0], "Hire an incredible team that lives our values"; got != want {
			t.Errorf("first responsibility = %q, want %q (link syntax stripped, words kept)", got, want)
		}
		vp := f.Roles[6]
		if vp.Level != LevelVP {
			t.Errorf("%q level = %q, want VP", vp.Title, vp.Level)
		}
		if f.Title != "Engineering Management - Infrastructure" {
			t.Errorf("family title = %q", f.Title)
		}
		if f.Roles[4].Level != LevelSeniorManager || f.Roles[5].Level != LevelDirector {
			t.Errorf("levels = %q, %q; want Senior Manager, Director", f.Roles[4].Level, f.Roles[5].Level)
		}
	})

	t.Run("IndicatorsNamedForAnotherRoleGoToIt", func(t *testing.T) {
		scalability := roleByTitle(t, f, "Manager, Engineering (Scalability)")
		automation := roleByTitle(t, f, "Manager, Engineering (Environment Automation)")
		if len(scalability.PerformanceIndicators) != 5 {
			t.Errorf("Scalability has %d indicators, want the 5 listed for it", len(scalability.PerformanceIndicators))
		}
		if len(automation.PerformanceIndicators) != 4 {
			t.Errorf("Environment Automation has %d indicators, want its own 4", len(automation.PerformanceIndicators))
		}
	})

	t.Run("CareerLadderIsShared", func(t *testing.T) {
		for _, r := range f.Roles {
			if !strings.Contains(r.CareerLadder, "engineering career development") {
				t.Errorf("%q career ladder = %q", r.Title, r.CareerLadder)
			}
		}
	})
}

func TestSeedScrapedBackendPage(t *testing.T) {
	f := mustFamily(t, seedFile(t, "004_"))

	t.Run("FindsTheEngineerLevelsWithGrades", func(t *testing.T) {
		for _, want := range []struct {
			title string
			grade float64
			level string
		}{
			{"Junior Backend Engineer", 5, LevelJunior},
			{"Backend Engineer", 6, LevelIntermediate},
			{"Senior Backend Engineer", 7, LevelSenior},
			{"Staff Backend Engineer", 8, LevelStaff},
		} {
			r := roleByTitle(t, f, want.title)
			if r.Grade == nil || *r.Grade != want.grade {
				t.Errorf("%q grade = %v, want %v", want.title, gradeOf(r), want.grade)
			}
			if r.Level != want.level {
				t.Errorf("%q level = %q, want %q", want.title, r.Level, want.level)
			}
		}
	})

	t.Run("FindsTheManagerRole", func(t *testing.T) {
		found := false
		for _, r := range f.Roles {
			if strings.Contains(r.Title, "Manager") {
				found = true
				if r.Level != LevelManager {
					t.Errorf("%q level = %q, want Manager", r.Title, r.Level)
				}
			}
		}
		if !found {
			t.Errorf("no role with Manager in its title among %d roles", len(f.Roles))
		}
	})

	t.Run("DoesNotTakeProseForRoles", func(t *testing.T) {
		for _, r := range f.Roles {
			if r.Grade == nil {
				t.Errorf("role %q has no grade; only the graded levels are roles on this page", r.Title)
			}
		}
	})
}

package hiring_test

import (
	"strings"
	"testing"

	"hireloop/internal/hiring"
)

func TestValidGradeFollowsTheGradeTable(t *testing.T) {
	for _, g := range []float64{4, 5, 8, 9, 9.5, 10, 12, 14, 15} {
		if !hiring.ValidGrade(g) {
			t.Errorf("ValidGrade(%v) = false, want true", g)
		}
	}
	for _, g := range []float64{0, 3, 3.5, 8.5, 13, 15.5, 16, -1} {
		if hiring.ValidGrade(g) {
			t.Errorf("ValidGrade(%v) = true, want false", g)
		}
	}
}

func TestRoleUpdateValidateNamesEachWrongField(t *testing.T) {
	empty, long := " ", strings.Repeat("x", hiring.MaxTitleLen+1)
	thirteen := 13.0
	items := []string{"fine", ""}
	pis := []hiring.PerformanceIndicator{{Name: "Availability", URL: "javascript:alert(1)"}}
	steps := []hiring.HiringStep{{Name: "Screen", Minutes: -5}}
	err := hiring.RoleUpdate{
		Title: &empty, Level: &long, Grade: &thirteen, Requirements: &items,
		PerformanceIndicators: &pis, HiringProcess: &steps,
	}.Validate()
	fields := hiring.ErrorFields(err)
	for _, f := range []string{"title", "level", "grade", "requirements", "performance_indicators", "hiring_process"} {
		if fields[f] == "" {
			t.Errorf("no message for %s; got %v", f, fields)
		}
	}
	if hiring.ErrorCode(err) != hiring.EINVALID {
		t.Errorf("code %q, want %q", hiring.ErrorCode(err), hiring.EINVALID)
	}
}

func TestRoleUpdateValidateAcceptsAGoodUpdate(t *testing.T) {
	title, grade := "Senior Backend Engineer", 9.5
	items := []string{"Ship small merge requests"}
	pis := []hiring.PerformanceIndicator{{Name: "Availability", URL: "/handbook/pi"}}
	if err := (hiring.RoleUpdate{Title: &title, Grade: &grade, Requirements: &items, PerformanceIndicators: &pis}).Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}

func TestNewUserValidateNormalisesEmail(t *testing.T) {
	n := hiring.NewUser{Email: "  Ada@Example.COM ", Role: hiring.RoleRecruiter, Password: "long enough password"}
	if err := n.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if n.Email != "ada@example.com" {
		t.Errorf("email %q, want it trimmed and lower case", n.Email)
	}
	bad := hiring.NewUser{Email: "Ada <ada@example.com>", Role: "owner", Password: "short"}
	fields := hiring.ErrorFields(bad.Validate())
	for _, f := range []string{"email", "role", "password"} {
		if fields[f] == "" {
			t.Errorf("no message for %s; got %v", f, fields)
		}
	}
}

func TestErrorMessageHidesInternalDetail(t *testing.T) {
	if got := hiring.ErrorMessage(errString("pq: relation users does not exist")); got != "Internal error." {
		t.Errorf("ErrorMessage of an internal error = %q", got)
	}
	if got := hiring.ErrorCode(nil); got != "" {
		t.Errorf("ErrorCode(nil) = %q", got)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

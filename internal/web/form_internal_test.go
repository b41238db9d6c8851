package web

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
)

func TestRoleFormRoundTrip(t *testing.T) {
	grade := 9.5
	role := &hiring.Role{
		Title: "Staff Engineer", Level: "Staff", Grade: &grade, Summary: "Leads.\n\nAcross teams.",
		Responsibilities:      []string{"Design", "Review"},
		Requirements:          []string{"Ten years"},
		NiceToHaves:           []string{},
		PerformanceIndicators: []hiring.PerformanceIndicator{{Name: "Uptime", URL: "https://example.com/up"}, {Name: "Cost"}},
		Specialties:           []hiring.Specialty{{Name: "Storage", Description: "Disks | and files", PrimaryLanguage: "Go"}, {Name: "Edge"}},
		HiringProcess:         []hiring.HiringStep{{Name: "Call", Minutes: 30, Who: "a recruiter"}, {Name: "Panel"}},
		CareerLadder:          "Principal next.",
	}
	upd, v := parseRoleForm(roleValues(role))
	if len(v) != 0 {
		t.Fatalf("a form made from a valid role does not parse: %v", v)
	}
	want := hiring.RoleUpdate{
		Title: &role.Title, Level: &role.Level, Grade: &grade, Summary: &role.Summary,
		Responsibilities: &role.Responsibilities, Requirements: &role.Requirements, NiceToHaves: &role.NiceToHaves,
		PerformanceIndicators: &role.PerformanceIndicators, Specialties: &role.Specialties,
		HiringProcess: &role.HiringProcess, CareerLadder: &role.CareerLadder,
	}
	if diff := cmp.Diff(want, upd); diff != "" {
		t.Errorf("role -> form -> update (-want +got):\n%s", diff)
	}
}

func TestSplitParts(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"Name", []string{"Name", "", ""}},
		{" Name | desc ", []string{"Name", "desc", ""}},
		{"Name | desc | Go", []string{"Name", "desc", "Go"}},
		{"Name | a | b | Go", []string{"Name", "a | b", "Go"}},
	} {
		if diff := cmp.Diff(tc.want, splitParts(tc.line, 3)); diff != "" {
			t.Errorf("splitParts(%q) (-want +got):\n%s", tc.line, diff)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "/",
		"/roles?q=x":            "/roles?q=x",
		"https://evil.example/": "/",
		"//evil.example":        "/",
		`/\evil.example`:        "/",
		"roles":                 "/",
		"/a\nb":                 "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatting(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	g := 9.5
	cases := []struct{ got, want string }{
		{formatGrade(&g), "9.5"},
		{formatGrade(nil), ""},
		{formatMinutes(0), ""},
		{formatMinutes(45), "45 min"},
		{formatMinutes(120), "2 h"},
		{formatMinutes(90), "1 h 30 min"},
		{ago(now.Add(-30*time.Second), now), "just now"},
		{ago(now.Add(-time.Minute), now), "1 minute ago"},
		{ago(now.Add(-3*time.Hour), now), "3 hours ago"},
		{ago(now.Add(-50*time.Hour), now), "2 days ago"},
		{ago(now.Add(-30*24*time.Hour), now), "8 Feb 2026"},
		{ago((*time.Time)(nil), now), ""},
		{plural(1, "role", "roles"), "1 role"},
		{plural(0, "role", "roles"), "0 roles"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
	if diff := cmp.Diff([]string{"One\nline", "Two"}, paragraphs("One\r\nline\r\n\r\n\r\nTwo\n")); diff != "" {
		t.Errorf("paragraphs (-want +got):\n%s", diff)
	}
}

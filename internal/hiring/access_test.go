package hiring_test

import (
	"testing"

	"hireloop/internal/hiring"
)

func TestCanManageOpening(t *testing.T) {
	lead := &hiring.User{ID: 7, Role: hiring.RoleHiringManager}
	led := &hiring.Opening{HiringManagerID: &lead.ID}
	unled := &hiring.Opening{}
	for _, tc := range []struct {
		name string
		user *hiring.User
		o    *hiring.Opening
		want bool
	}{
		{"RecruiterAnyOpening", &hiring.User{ID: 1, Role: hiring.RoleRecruiter}, unled, true},
		{"AdminAnyOpening", &hiring.User{ID: 2, Role: hiring.RoleAdmin}, led, true},
		{"HiringManagerOwnOpening", lead, led, true},
		{"HiringManagerOtherOpening", &hiring.User{ID: 8, Role: hiring.RoleHiringManager}, led, false},
		{"HiringManagerOpeningWithoutLead", lead, unled, false},
		{"InterviewerNamedAsLead", &hiring.User{ID: 7, Role: hiring.RoleInterviewer}, led, false},
		{"Anonymous", nil, led, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := hiring.CanManageOpening(tc.user, tc.o); got != tc.want {
				t.Errorf("CanManageOpening = %v, want %v", got, tc.want)
			}
		})
	}
	for role, want := range map[hiring.UserRole][2]bool{
		hiring.RoleAdmin: {true, true}, hiring.RoleRecruiter: {true, true},
		hiring.RoleHiringManager: {false, true}, hiring.RoleInterviewer: {false, false},
	} {
		if got := [2]bool{role.CanManageOpenings(), role.CanSeeOpenings()}; got != want {
			t.Errorf("%s: CanManageOpenings, CanSeeOpenings = %v, want %v", role, got, want)
		}
	}
}

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

func TestAccessToApplication(t *testing.T) {
	manager := &hiring.User{ID: 7, Role: hiring.RoleHiringManager}
	coordinator := &hiring.User{ID: 9, Role: hiring.RoleInterviewer}
	interviewer := &hiring.User{ID: 11, Role: hiring.RoleInterviewer}
	o := &hiring.Opening{HiringManagerID: &manager.ID, CoordinatorID: &coordinator.ID}
	for _, tc := range []struct {
		name         string
		user         *hiring.User
		interviewing bool
		want         hiring.ApplicationAccess
	}{
		{"RecruiterChangesAny", &hiring.User{ID: 1, Role: hiring.RoleRecruiter}, false, hiring.TeamAccess},
		{"AdminChangesAny", &hiring.User{ID: 2, Role: hiring.RoleAdmin}, false, hiring.TeamAccess},
		{"HiringManagerOfTheOpening", manager, false, hiring.TeamAccess},
		{"OtherHiringManager", &hiring.User{ID: 8, Role: hiring.RoleHiringManager}, false, hiring.NoApplicationAccess},
		{"OtherHiringManagerWhoInterviews", &hiring.User{ID: 8, Role: hiring.RoleHiringManager}, true, hiring.InterviewAccess},
		{"CoordinatorNamedOnTheOpening", coordinator, false, hiring.TeamAccess},
		{"InterviewerScheduled", interviewer, true, hiring.InterviewAccess},
		{"InterviewerNotScheduled", interviewer, false, hiring.NoApplicationAccess},
		{"Anonymous", nil, true, hiring.NoApplicationAccess},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := hiring.AccessToApplication(tc.user, o, tc.interviewing)
			if got != tc.want {
				t.Errorf("AccessToApplication = %v, want %v", got, tc.want)
			}
		})
	}
	if hiring.AccessToApplication(manager, nil, true) != hiring.NoApplicationAccess {
		t.Error("an application without its opening is shown")
	}
	for _, tc := range []struct {
		a                hiring.ApplicationAccess
		see, wantsChange bool
	}{
		{hiring.NoApplicationAccess, false, false},
		{hiring.InterviewAccess, true, false},
		{hiring.TeamAccess, true, true},
	} {
		if tc.a.CanSee() != tc.see || tc.a.CanChange() != tc.wantsChange {
			t.Errorf("access %d: CanSee %v, CanChange %v; want %v, %v", tc.a, tc.a.CanSee(), tc.a.CanChange(), tc.see, tc.wantsChange)
		}
	}
}

func TestOnHiringTeam(t *testing.T) {
	var hm, rec, coord int64 = 1, 2, 3
	o := &hiring.Opening{HiringManagerID: &hm, RecruiterID: &rec, CoordinatorID: &coord}
	for id, want := range map[int64]bool{1: true, 2: true, 3: true, 4: false} {
		if got := hiring.OnHiringTeam(&hiring.User{ID: id, Role: hiring.RoleInterviewer}, o); got != want {
			t.Errorf("user %d: OnHiringTeam = %v, want %v", id, got, want)
		}
	}
	if hiring.OnHiringTeam(&hiring.User{ID: 1}, &hiring.Opening{}) {
		t.Error("an opening without a team names someone")
	}
	if hiring.CanWorkOnApplications(nil, o) {
		t.Error("an anonymous user works on applications")
	}
}

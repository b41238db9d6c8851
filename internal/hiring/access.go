package hiring

import "context"

// Who may see openings and candidates.
//
// Recruiters and admins run hiring: they make openings, keep the plan and
// see every candidate. A hiring manager sees the openings they lead, with
// their applications and the candidates who applied to them, and nothing
// else. Interviewers see only what they are asked to interview, which is
// not an opening's page.

// CanManageOpenings reports whether the role may create openings, see every
// opening and candidate, and keep the hiring plan.
func (r UserRole) CanManageOpenings() bool { return r == RoleAdmin || r == RoleRecruiter }

// CanSeeOpenings reports whether the role may see openings at all; a
// hiring manager sees only the ones they lead (see CanManageOpening).
func (r UserRole) CanSeeOpenings() bool { return r.CanManageOpenings() || r == RoleHiringManager }

// CanManageOpening reports whether u may see and edit opening o, its
// applications and the candidates who applied to it.
func CanManageOpening(u *User, o *Opening) bool {
	if u == nil || o == nil {
		return false
	}
	if u.Role.CanManageOpenings() {
		return true
	}
	return u.Role == RoleHiringManager && o.HiringManagerID != nil && *o.HiringManagerID == u.ID
}

// Who may see and change applications.
//
// Recruiters and admins see every application. The people an opening
// names on its hiring team (its hiring manager, recruiter and coordinator)
// see and move its applications, whatever their role. An interviewer sees
// an application only while they sit on one of its interviews that was not
// cancelled: its page, files and timeline, but neither the candidate's
// other applications nor any change to it.

// ApplicationAccess is what a user may do with one application.
type ApplicationAccess int

// Levels of access to an application, from none to full.
const (
	// NoApplicationAccess hides the application.
	NoApplicationAccess ApplicationAccess = iota
	// InterviewAccess shows the application to someone who interviews the
	// candidate for it, and nothing more.
	InterviewAccess
	// TeamAccess lets the user see and change the application.
	TeamAccess
)

// CanSee reports whether the access shows the application.
func (a ApplicationAccess) CanSee() bool { return a >= InterviewAccess }

// CanChange reports whether the access lets the user move, reject,
// withdraw, hire, schedule for and write to the application.
func (a ApplicationAccess) CanChange() bool { return a == TeamAccess }

// OnHiringTeam reports whether o names u as its hiring manager, recruiter
// or coordinator.
func OnHiringTeam(u *User, o *Opening) bool {
	if u == nil || o == nil {
		return false
	}
	for _, id := range []*int64{o.HiringManagerID, o.RecruiterID, o.CoordinatorID} {
		if id != nil && *id == u.ID {
			return true
		}
	}
	return false
}

// CanWorkOnApplications reports whether u may see and change every
// application to o: recruiters and admins, the hiring manager who may
// manage o, and the people o names on its hiring team.
func CanWorkOnApplications(u *User, o *Opening) bool {
	return CanManageOpening(u, o) || OnHiringTeam(u, o)
}

// AccessToApplication decides what u may do with an application to o.
// interviewing says whether u sits on an interview of the application that
// was not cancelled.
func AccessToApplication(u *User, o *Opening, interviewing bool) ApplicationAccess {
	switch {
	case u == nil || o == nil:
		return NoApplicationAccess
	case CanWorkOnApplications(u, o):
		return TeamAccess
	case interviewing:
		return InterviewAccess
	}
	return NoApplicationAccess
}

// ErrNoApplicationAccess is the error of a user who may not see an
// application.
func ErrNoApplicationAccess() error {
	return Errorf(EFORBIDDEN, "Only recruiters, admins, the opening’s hiring team and the candidate’s interviewers can see this application.")
}

// ErrNoApplicationChange is the error of a user who may see an
// application but not change it.
func ErrNoApplicationChange() error {
	return Errorf(EFORBIDDEN, "Only recruiters, admins and the opening’s hiring team can change this application; interviewers see it.")
}

// AccessFacts reads from storage what the access rules depend on beyond
// the user and the opening.
type AccessFacts interface {
	// Interviewing reports whether the user sits on an interview of the
	// application that was not cancelled.
	Interviewing(ctx context.Context, userID, applicationID int64) (bool, error)
}

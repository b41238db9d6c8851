package hiring

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

package handbook

import "strings"

// Levels the importer derives from role titles. Leadership levels follow the
// compensation calculator's types (manager, senior manager, director, senior
// director); individual contributors run from Intern to Fellow.
const (
	LevelIntern         = "Intern"
	LevelJunior         = "Junior"
	LevelAssociate      = "Associate"
	LevelIntermediate   = "Intermediate"
	LevelSenior         = "Senior"
	LevelStaff          = "Staff"
	LevelLead           = "Lead"
	LevelPrincipal      = "Principal"
	LevelDistinguished  = "Distinguished"
	LevelFellow         = "Fellow"
	LevelManager        = "Manager"
	LevelSeniorManager  = "Senior Manager"
	LevelDirector       = "Director"
	LevelSeniorDirector = "Senior Director"
	LevelVP             = "VP"
	LevelExecutive      = "Executive"
)

var executiveTitles = map[string]bool{
	"ceo": true, "cto": true, "cfo": true, "coo": true, "cmo": true, "cio": true,
	"ciso": true, "cro": true, "cpo": true, "clo": true,
}

// DeriveLevel gives the level a role title implies. The grade only decides
// the fallback: a title with no level word is Intermediate up to grade 8,
// and left without a level above that, where "Intermediate" would mislead.
func DeriveLevel(title string, grade *float64) string {
	w := normWords(title)
	has := func(x string) bool {
		for _, y := range w {
			if y == x {
				return true
			}
		}
		return false
	}
	senior := has("senior") || has("sr")
	chiefOfStaff := strings.Contains(strings.Join(w, " "), "chief of staff")
	switch {
	case len(w) > 0 && w[0] == "chief" && has("officer"), len(w) > 0 && executiveTitles[w[0]]:
		return LevelExecutive
	case has("vp") || has("evp") || has("svp") || has("vice") && has("president"):
		return LevelVP
	case has("director") || has("directors"):
		if senior {
			return LevelSeniorDirector
		}
		return LevelDirector
	case has("fellow"):
		return LevelFellow
	case has("distinguished"):
		return LevelDistinguished
	case isPeopleManager(title, w):
		if senior {
			return LevelSeniorManager
		}
		return LevelManager
	case has("principal"):
		return LevelPrincipal
	case has("staff") && !chiefOfStaff:
		return LevelStaff
	case has("lead"):
		return LevelLead
	case senior:
		return LevelSenior
	case has("junior") || has("jr"):
		return LevelJunior
	case has("associate"):
		return LevelAssociate
	case has("intern") || has("internship"):
		return LevelIntern
	case has("intermediate"):
		return LevelIntermediate
	}
	if grade == nil || *grade <= 8 {
		return LevelIntermediate
	}
	return ""
}

// isPeopleManager tells a manager of people ("Manager, Engineering",
// "Backend Engineering Manager", "Manager of Payroll") from an individual
// contributor whose title ends in Manager ("Content Marketing Manager").
func isPeopleManager(title string, w []string) bool {
	lower := strings.ToLower(title)
	switch {
	case len(w) > 0 && (w[0] == "manager" || w[0] == "managers"):
		return true
	case strings.Contains(lower, "manager,"), strings.Contains(lower, "manager of"),
		strings.Contains(lower, "engineering manager"), strings.Contains(lower, "managers,"):
		return true
	case len(w) > 1 && w[0] == "senior" && w[1] == "manager":
		return true
	case len(w) > 1 && w[0] == "associate" && w[1] == "manager":
		return true
	}
	return false
}

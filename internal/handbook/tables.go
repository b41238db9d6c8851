package handbook

// applyTables gives roles the grades of "| Role | Grade |" tables, and adds
// the roles a table names that have no section of their own.
func (b *builder) applyTables() {
	if len(b.tables) == 0 {
		return
	}
	idx := newRoleIndex(b.live())
	for _, t := range b.tables {
		r := idx.find(t)
		if r == nil && len(b.roles) >= maxRoles {
			continue
		}
		if r == nil {
			g := t.grade
			nr := &draftRole{title: t.title, line: t.line, order: len(b.roles), grade: &g, gradeSource: gradeFromTable, gradeLine: t.line}
			nr.scope = &scope{kind: scopeRole, parent: b.family, role: nr}
			b.roles = append(b.roles, nr)
			idx.add(nr)
			idx.claimed[nr] = true
			b.warn(t.line, "role %q is listed in a table of grades but has no section of its own; it was imported with its grade only", t.title)
			continue
		}
		idx.claimed[r] = true
		switch {
		case r.grade == nil:
			g := t.grade
			r.grade, r.gradeSource, r.gradeLine = &g, gradeFromTable, t.line
		case *r.grade != t.grade:
			b.warn(t.line, "the table gives %q grade %s but its section says %s; kept %s", r.title, formatGrade(t.grade), formatGrade(*r.grade), formatGrade(*r.grade))
		}
	}
}

// roleIndex finds the role a table row names.
type roleIndex struct {
	roles   []*draftRole
	byTitle map[string]*draftRole
	bySlug  map[string]*draftRole
	claimed map[*draftRole]bool
}

// maxFuzzyRoles bounds the pages on which near titles are tried; real
// pages have a few dozen roles.
const maxFuzzyRoles = 300

func newRoleIndex(roles []*draftRole) *roleIndex {
	idx := &roleIndex{byTitle: map[string]*draftRole{}, bySlug: map[string]*draftRole{}, claimed: map[*draftRole]bool{}}
	for _, r := range roles {
		idx.add(r)
	}
	return idx
}

func (idx *roleIndex) add(r *draftRole) {
	idx.roles = append(idx.roles, r)
	if _, ok := idx.byTitle[norm(r.title)]; !ok {
		idx.byTitle[norm(r.title)] = r
	}
	if _, ok := idx.bySlug[slugify(r.title)]; !ok {
		idx.bySlug[slugify(r.title)] = r
	}
}

// find matches a table row to a role: by title, then by the row's anchor,
// then by a title one or two typing slips away. Anchors and near titles
// only match roles no other row has claimed, as pages copy anchors from row
// to row.
func (idx *roleIndex) find(t tableGrade) *draftRole {
	key := norm(t.title)
	if r := idx.byTitle[key]; r != nil {
		return r
	}
	if r := idx.bySlug[t.anchor]; t.anchor != "" && r != nil && !idx.claimed[r] {
		return r
	}
	if len(key) >= 8 && len(idx.roles) <= maxFuzzyRoles {
		for _, r := range idx.roles {
			if !idx.claimed[r] && editDistanceAtMost(norm(r.title), key, 2) {
				return r
			}
		}
	}
	return nil
}

// editDistanceAtMost reports whether a and b differ by at most k single
// character edits (counting a swap of neighbours as one).
func editDistanceAtMost(a, b string, k int) bool {
	if d := len(a) - len(b); d > k || -d > k {
		return false
	}
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > k {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)] <= k
}

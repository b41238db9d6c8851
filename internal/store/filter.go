package store

import (
	"strings"

	"hireloop/internal/hiring"
)

// Page sizes: a listing without a limit gets defaultLimit rows, and no
// listing returns more than maxLimit, so one request cannot read a whole table.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// pageBounds checks and completes a filter's offset and limit.
func pageBounds(offset, limit int) (int, int, error) {
	v := hiring.Validation{}
	v.Check(offset >= 0, "offset", "Offset cannot be negative.")
	v.Check(limit >= 0, "limit", "Limit cannot be negative.")
	if err := v.Err(); err != nil {
		return 0, 0, err
	}
	if limit == 0 {
		limit = defaultLimit
	}
	return offset, min(limit, maxLimit), nil
}

// where collects the conditions and arguments of a listing query.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// String returns the WHERE clause, or nothing when there is no condition.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// fold is how titles are compared when searching. The folded title is kept
// in its own column, so that search behaves the same on both engines and for
// letters beyond ASCII.
func fold(s string) string { return strings.ToLower(s) }

// containsPattern returns a LIKE pattern, used with ESCAPE '\', that matches
// q anywhere once % and _ in q have lost their special meaning.
func containsPattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(fold(q)) + "%"
}

// inDepartmentTree matches rows whose department column is the given
// department or one of its descendants, found by the slug path.
func inDepartmentTree(column string) string {
	return column + ` IN (SELECT c.id FROM departments c, departments p
		WHERE p.id = ? AND (c.id = p.id OR substr(c.slug, 1, length(p.slug) + 1) = p.slug || '/'))`
}

// notFound is the error every finder returns for a missing row.
func notFound(what string) error {
	return hiring.Errorf(hiring.ENOTFOUND, "%s not found.", what)
}

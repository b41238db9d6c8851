package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"hireloop/internal/hiring"
)

// Paging limits for every listing.
const (
	DefaultLimit = 50
	MaxLimit     = 200
	maxQueryLen  = hiring.MaxTitleLen
)

// query reads typed query parameters and collects a message per bad one, so
// a request with two mistakes hears about both.
type query struct {
	values url.Values
	v      hiring.Validation
}

func newQuery(r *http.Request) *query {
	return &query{values: r.URL.Query(), v: hiring.Validation{}}
}

// id reads an optional positive integer identifier.
func (q *query) id(name string) *int64 {
	s := q.values.Get(name)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		q.v.Add(name, "Must be a positive whole number.")
		return nil
	}
	return &n
}

// text reads an optional search text.
func (q *query) text(name string) string {
	s := strings.TrimSpace(q.values.Get(name))
	if len(s) > maxQueryLen {
		q.v.Add(name, "This is too long.")
		return ""
	}
	if strings.ContainsRune(s, 0) {
		q.v.Add(name, "This contains a character that is not allowed.")
		return ""
	}
	return s
}

// grade reads an optional job grade.
func (q *query) grade(name string) *float64 {
	s := q.values.Get(name)
	if s == "" {
		return nil
	}
	g, err := strconv.ParseFloat(s, 64)
	if err != nil || !hiring.ValidGrade(g) {
		q.v.Add(name, "Grade must be a whole number from 4 to 15 (not 13), or 9.5.")
		return nil
	}
	return &g
}

// flag reads an optional boolean such as include_archived=true.
func (q *query) flag(name string) bool {
	s := q.values.Get(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.v.Add(name, "Must be true or false.")
	}
	return b
}

// page reads offset and limit.
func (q *query) page() (offset, limit int) {
	limit = DefaultLimit
	if s := q.values.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			q.v.Add("offset", "Must be a whole number, 0 or more.")
		} else {
			offset = n
		}
	}
	if s := q.values.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxLimit {
			q.v.Add("limit", "Must be a whole number from 1 to 200.")
		} else {
			limit = n
		}
	}
	return offset, limit
}

func (q *query) err() error { return q.v.Err() }

// PathID reads the {id} wildcard of the route; a missing or malformed id is
// invalid input, never a lookup.
func PathID(r *http.Request) (int64, error) {
	s := r.PathValue("id")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, &hiring.Error{Code: hiring.EINVALID, Message: "id: Must be a positive whole number.",
			Fields: map[string]string{"id": "Must be a positive whole number."}}
	}
	return n, nil
}

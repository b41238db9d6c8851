package web

import (
	"net/http"
	"net/url"
	"strconv"

	"hireloop/internal/hiring"
)

// perPage is how many rows a listing page shows.
const perPage = 50

// pager reads ?page= and makes the links to the pages around it.
type pager struct {
	Page    int
	PerPage int
	Total   int
	path    string
	query   url.Values
}

func newPager(r *http.Request, size int) (*pager, error) {
	p := &pager{Page: 1, PerPage: size, path: r.URL.Path, query: r.URL.Query()}
	if s := p.query.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1_000_000 {
			return nil, &hiring.Error{Code: hiring.EINVALID, Message: "page: Must be a whole number from 1.",
				Fields: map[string]string{"page": "Must be a whole number from 1."}}
		}
		p.Page = n
	}
	return p, nil
}

// Offset is where the page starts in the listing.
func (p *pager) Offset() int { return (p.Page - 1) * p.PerPage }

// From is the number of the first row shown, counting from 1.
func (p *pager) From() int {
	if p.Total == 0 {
		return 0
	}
	return p.Offset() + 1
}

// To is the number of the last row shown.
func (p *pager) To() int { return min(p.Offset()+p.PerPage, p.Total) }

// Pages is how many pages there are.
func (p *pager) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// Multi reports whether paging links are needed at all.
func (p *pager) Multi() bool { return p.Total > p.PerPage || p.Page > 1 }

// PrevURL is the previous page, or "" on the first.
func (p *pager) PrevURL() string {
	if p.Page <= 1 {
		return ""
	}
	return p.url(min(p.Page-1, p.Pages()))
}

// NextURL is the next page, or "" on the last.
func (p *pager) NextURL() string {
	if p.Page >= p.Pages() {
		return ""
	}
	return p.url(p.Page + 1)
}

func (p *pager) url(page int) string {
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	if page == 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return p.path
	}
	return p.path + "?" + q.Encode()
}

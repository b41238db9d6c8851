package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"hireloop/internal/hiring"
)

// CandidateService finds candidates and searches them by name, email and
// resume text.
//
// Search: each candidate has one search document made of their name, email
// and the extracted text of their resumes. The store reduces that text to
// lower-case words of letters and digits before either engine sees it, and
// reduces a query the same way, so SQLite's FTS5 table and PostgreSQL's
// tsvector ('simple' configuration, no stemming) split and match words
// alike: a query matches a candidate when every query word starts a word
// of the document. Name and email weigh more than resume text in the
// ranking. Counting and ranking stop at hiring.MaxSearchTotal matches, so a
// search costs about the same with a thousand candidates or millions. Documents are rebuilt when a candidate applies and when a
// resume's text is set.
type CandidateService struct {
	db *DB
}

var _ hiring.CandidateService = (*CandidateService)(nil)

// NewCandidateService returns a CandidateService on db.
func NewCandidateService(db *DB) *CandidateService { return &CandidateService{db: db} }

// Limits on what is indexed and searched: a query of more words says
// nothing more, and resume text past the limit rarely holds what a
// recruiter looks for (and PostgreSQL caps a tsvector at 1 MB).
const (
	maxQueryWords    = 16
	maxWordLen       = 64
	maxIndexedResume = 256 << 10
)

const candidateColumns = "c.id, c.email, c.name, c.phone, c.location, c.links, c.created_at, c.updated_at"

func scanCandidate(sc interface{ Scan(...any) error }, extra ...any) (*hiring.Candidate, error) {
	c := &hiring.Candidate{}
	var links string
	dest := []any{&c.ID, &c.Email, &c.Name, &c.Phone, &c.Location, &links, timeColumn{&c.CreatedAt}, timeColumn{&c.UpdatedAt}}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(links), &c.Links); err != nil {
		return nil, fmt.Errorf("candidate %d: read links: %w", c.ID, err)
	}
	if c.Links == nil {
		c.Links = []string{}
	}
	return c, nil
}

func findCandidate(ctx context.Context, r runner, id int64) (*hiring.Candidate, error) {
	c, err := scanCandidate(r.queryRow(ctx, "SELECT "+candidateColumns+" FROM candidates c WHERE c.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Candidate")
	} else if err != nil {
		return nil, fmt.Errorf("find candidate %d: %w", id, err)
	}
	return c, nil
}

// FindCandidateByID returns one candidate.
func (s *CandidateService) FindCandidateByID(ctx context.Context, id int64) (*hiring.Candidate, error) {
	return findCandidate(ctx, s.db.reader(), id)
}

// SearchCandidates returns a page of candidates matching every word of the
// query and how many matched, counting up to hiring.MaxSearchTotal. When
// that many or fewer match they are ranked, best first; beyond it, ranking
// every match would cost more than a recruiter waits, and the newest come
// first. An empty query lists all candidates, newest first.
func (s *CandidateService) SearchCandidates(ctx context.Context, q hiring.CandidateSearch) ([]*hiring.Candidate, int, error) {
	offset, limit, err := pageBounds(q.Offset, q.Limit)
	if err != nil {
		return nil, 0, err
	}
	if len(q.Query) > hiring.MaxTitleLen {
		return nil, 0, fieldError(hiring.EINVALID, "query", "The search is too long.")
	}
	words := strings.Fields(searchWords(q.Query, hiring.MaxTitleLen))
	if len(words) > maxQueryWords {
		words = words[:maxQueryWords]
	}
	sq := searchSQL{from: "candidates c", recent: "c.id DESC"}
	if len(words) > 0 {
		sq = s.db.dialect.searchCandidates(words)
	}
	w := ""
	if sq.where != "" {
		w = " WHERE " + sq.where
	}
	r := s.db.reader()
	// One pass, newest first, finds up to MaxSearchTotal+1 matches: how
	// many there are is the total, and when there are too many to rank,
	// they are also the order of the page.
	ids, err := queryIDs(ctx, r, "SELECT c.id FROM "+sq.from+w+" ORDER BY "+sq.recent+" LIMIT ?",
		append(slices.Clone(sq.args), hiring.MaxSearchTotal+1)...)
	if err != nil {
		return nil, 0, fmt.Errorf("search candidates: %w", err)
	}
	total := len(ids)
	var rows *sql.Rows
	switch {
	case sq.rank != "" && total <= hiring.MaxSearchTotal:
		rows, err = r.query(ctx, "SELECT "+candidateColumns+" FROM "+sq.from+w+" ORDER BY "+sq.rank+" LIMIT ? OFFSET ?",
			append(slices.Clone(sq.args), limit, offset)...)
	case offset+limit <= total:
		return findCandidatesByID(ctx, r, ids[offset:offset+limit], total)
	case total <= hiring.MaxSearchTotal:
		return findCandidatesByID(ctx, r, ids[min(offset, total):], total)
	default: // a page beyond the ones counted
		rows, err = r.query(ctx, "SELECT "+candidateColumns+" FROM "+sq.from+w+" ORDER BY "+sq.recent+" LIMIT ? OFFSET ?",
			append(slices.Clone(sq.args), limit, offset)...)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("search candidates: %w", err)
	}
	defer rows.Close()
	out := []*hiring.Candidate{}
	for rows.Next() {
		c, err := scanCandidate(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("read candidate: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("search candidates: %w", err)
	}
	return out, total, nil
}

func queryIDs(ctx context.Context, r runner, q string, args ...any) ([]int64, error) {
	rows, err := r.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// findCandidatesByID returns the candidates in the order of ids.
func findCandidatesByID(ctx context.Context, r runner, ids []int64, total int) ([]*hiring.Candidate, int, error) {
	out := []*hiring.Candidate{}
	if len(ids) == 0 {
		return out, total, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := r.query(ctx, "SELECT "+candidateColumns+" FROM candidates c WHERE c.id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find candidates: %w", err)
	}
	defer rows.Close()
	byID := make(map[int64]*hiring.Candidate, len(ids))
	for rows.Next() {
		c, err := scanCandidate(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("read candidate: %w", err)
		}
		byID[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find candidates: %w", err)
	}
	for _, id := range ids {
		if c := byID[id]; c != nil {
			out = append(out, c)
		}
	}
	return out, total, nil
}

// searchWords reduces text to lower-case words of letters and digits, one
// space apart, keeping at most about max bytes. Anything else separates
// words, so an email address becomes its parts ("ana", "example", "com").
func searchWords(s string, max int) string {
	var b strings.Builder
	b.Grow(min(len(s), max))
	word := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if word < maxWordLen {
				b.WriteRune(unicode.ToLower(r))
			}
			word++
			continue
		}
		if word > 0 {
			if b.Len() >= max {
				break
			}
			b.WriteByte(' ')
			word = 0
		}
	}
	return strings.TrimSpace(b.String())
}

// indexCandidate rebuilds a candidate's search document from their name,
// email and the text of every resume extracted so far.
func indexCandidate(ctx context.Context, r runner, id int64) error {
	var name, email string
	if err := r.queryRow(ctx, "SELECT name, email FROM candidates WHERE id = ?", id).Scan(&name, &email); err != nil {
		return fmt.Errorf("index candidate %d: %w", id, err)
	}
	rows, err := r.query(ctx, `SELECT f.text FROM files f WHERE f.text_status = ? AND f.id IN
		(SELECT a.resume_file_id FROM applications a WHERE a.candidate_id = ?) ORDER BY f.id`,
		string(hiring.TextDone), id)
	if err != nil {
		return fmt.Errorf("index candidate %d: %w", id, err)
	}
	var resume strings.Builder
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			rows.Close()
			return fmt.Errorf("index candidate %d: %w", id, err)
		}
		if resume.Len() < maxIndexedResume {
			resume.WriteString(searchWords(text, maxIndexedResume-resume.Len()))
			resume.WriteByte(' ')
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index candidate %d: %w", id, err)
	}
	err = r.d.indexCandidates(ctx, r, []searchDoc{{id: id, name: searchWords(name, hiring.MaxTitleLen),
		email: searchWords(email, hiring.MaxEmailLen), resume: strings.TrimSpace(resume.String())}})
	if err != nil {
		return fmt.Errorf("index candidate %d: %w", id, err)
	}
	return nil
}

// upsertCandidate finds the candidate by email or creates them, and takes
// their row lock for the rest of the transaction, so that two applications
// from one person are checked one after the other. A name, phone or
// location given replaces the stored one; new links are added.
func upsertCandidate(ctx context.Context, t *tx, in *hiring.ApplyInput) (*hiring.Candidate, error) {
	links, err := json.Marshal(nonNil(in.Links))
	if err != nil {
		return nil, fmt.Errorf("encode links: %w", err)
	}
	var id int64
	err = t.queryRow(ctx, `INSERT INTO candidates (email, name, phone, location, links, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (email) DO UPDATE SET updated_at = excluded.updated_at RETURNING id`,
		in.Email, in.Name, in.Phone, in.Location, string(links), t.now, t.now).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("record candidate: %w", err)
	}
	c, err := findCandidate(ctx, t.runner, id)
	if err != nil {
		return nil, err
	}
	changed := false
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&c.Name, in.Name}, {&c.Phone, in.Phone}, {&c.Location, in.Location},
	} {
		if f.src != "" && *f.dst != f.src {
			*f.dst = f.src
			changed = true
		}
	}
	for _, l := range in.Links {
		if !slices.Contains(c.Links, l) && len(c.Links) < hiring.MaxLinks {
			c.Links = append(c.Links, l)
			changed = true
		}
	}
	if changed {
		links, err := json.Marshal(c.Links)
		if err != nil {
			return nil, fmt.Errorf("encode links: %w", err)
		}
		if _, err := t.exec(ctx, "UPDATE candidates SET name = ?, phone = ?, location = ?, links = ? WHERE id = ?",
			c.Name, c.Phone, c.Location, string(links), id); err != nil {
			return nil, fmt.Errorf("update candidate %d: %w", id, err)
		}
	}
	return c, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

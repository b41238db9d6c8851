package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"hireloop/internal/deadline"
	"hireloop/internal/hiring"
)

// CandidateService finds candidates and searches them by name, email and
// resume text.
//
// Search: each candidate has one search document, the set of words of
// their name, email and the extracted text of their resumes. The store
// reduces text to lower-case words of letters and digits (searchWords)
// before either engine sees it, and hands each engine those words as they
// are: SQLite's FTS5 table splits only on ASCII punctuation and spaces,
// and PostgreSQL's tsvector is built from quoted lexemes, so neither
// engine splits, folds or stems a word differently from the other. A query
// is reduced the same way, and it matches a candidate when every query word
// starts a word of the document.
//
// Every word any document has held is also kept in search_terms. A query
// word is looked up there first and replaced by the few words it starts,
// which both engines find with their ordinary word index, walking only as
// much of it as the answer needs; a query word that starts too many words
// is left to the engine's own prefix search, and one that starts none ends
// the search at once.
//
// Counting stops at hiring.MaxSearchTotal matches, and only that many are
// ever ranked, so a search costs about the same with a thousand candidates
// or millions. Ranking happens here, not in the engine: a query word that
// is a word of the candidate's name or email counts two, one that starts
// such a word counts one, and ties go newest first. Documents are rebuilt
// when a candidate applies and when a resume's text is set.
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
	// maxExpansion is how many words a query word may stand for before
	// the engine's own prefix search takes over: an engine walks the
	// lists of that many words side by side without slowing down much,
	// whereas its prefix search gathers every match of every such word
	// before it can return the newest.
	maxExpansion = 64
	// termsPerInsert bounds the rows of one insert into search_terms.
	termsPerInsert = 500
)

const candidateColumns = "c.id, c.email, c.name, c.phone, c.location, c.links, c.language, c.created_at, c.updated_at"

// candidateReturning is candidateColumns for a RETURNING clause, which
// SQLite does not let name the table.
var candidateReturning = strings.ReplaceAll(candidateColumns, "c.", "")

func scanCandidate(sc interface{ Scan(...any) error }, extra ...any) (*hiring.Candidate, error) {
	c := &hiring.Candidate{}
	var links string
	dest := []any{&c.ID, &c.Email, &c.Name, &c.Phone, &c.Location, &links, &c.Language,
		timeColumn{&c.CreatedAt}, timeColumn{&c.UpdatedAt}}
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
	// No table reaches this far, and offset+limit cannot overflow.
	offset = min(offset, math.MaxInt32)
	words := strings.Fields(searchWords(q.Query, hiring.MaxTitleLen))
	if len(words) > maxQueryWords {
		words = words[:maxQueryWords]
	}
	r := s.db.reader()
	var groups []termGroup
	if len(words) > 0 {
		if groups, err = expandWords(ctx, r, words); err != nil {
			return nil, 0, fmt.Errorf("search candidates: %w", err)
		}
		if groups == nil { // a word that starts no word of any document
			return []*hiring.Candidate{}, 0, nil
		}
	}
	// One pass, newest first, finds up to MaxSearchTotal+1 matches: how
	// many there are is the total, and when there are too many to rank,
	// they are also the order of the page.
	ids, contacts, err := s.newest(ctx, r, groups, hiring.MaxSearchTotal+1, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("search candidates: %w", err)
	}
	total := len(ids)
	switch {
	case total <= hiring.MaxSearchTotal:
		if len(words) > 0 && total > 1 {
			if ids, err = rankByContact(ctx, r, words, ids, contacts); err != nil {
				return nil, 0, fmt.Errorf("search candidates: %w", err)
			}
		}
		return findCandidatesByID(ctx, r, ids[min(offset, total):min(offset+limit, total)], total)
	case offset+limit <= total:
		return findCandidatesByID(ctx, r, ids[offset:offset+limit], total)
	}
	// A page beyond the matches counted.
	if ids, _, err = s.newest(ctx, r, groups, limit, offset); err != nil {
		return nil, 0, fmt.Errorf("search candidates: %w", err)
	}
	return findCandidatesByID(ctx, r, ids, total)
}

// newest returns the ids of the candidates matching groups, all of them
// when there are none, newest first, skipping offset and returning up to
// limit, and the contact words the engine has of them, if any.
func (s *CandidateService) newest(ctx context.Context, r runner, groups []termGroup, limit, offset int) ([]int64, map[int64]string, error) {
	if offset >= math.MaxInt32 { // past the end of any table
		return nil, nil, nil
	}
	if len(groups) == 0 {
		ids, err := queryIDs(ctx, r, "SELECT id FROM candidates ORDER BY id DESC LIMIT ? OFFSET ?", limit, offset)
		return ids, nil, err
	}
	ids, contacts, err := s.db.dialect.matchCandidates(ctx, r, groups, offset+limit)
	if err != nil {
		return nil, nil, err
	}
	return ids[min(offset, len(ids)):], contacts, nil
}

// termGroup is what one query word matches: any of terms, the words of
// documents it starts; or, when prefix is set, any word starting with word,
// found by the engine's own prefix search.
type termGroup struct {
	word   string
	terms  []string
	prefix bool
}

// expandWords looks each query word up in search_terms. It returns nil
// when a word starts no word of any document, as then nothing can match.
func expandWords(ctx context.Context, r runner, words []string) ([]termGroup, error) {
	groups := make([]termGroup, 0, len(words))
	for _, w := range words {
		// U+10FFFF is no letter or digit, so no word holds it, and in
		// byte order it comes after every character that can follow w.
		terms, err := queryStrings(ctx, r, "SELECT DISTINCT term FROM search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ?",
			w, w+"\U0010FFFF", maxExpansion+1)
		if err != nil {
			return nil, err
		}
		switch {
		case len(terms) == 0:
			return nil, nil
		case len(terms) > maxExpansion:
			groups = append(groups, termGroup{word: w, prefix: true})
		default:
			groups = append(groups, termGroup{word: w, terms: terms})
		}
	}
	return groups, nil
}

// rankByContact orders ids, given newest first, by how well the query
// words match the candidates' names and emails, keeping newest first
// among equals. Every id matched every word somewhere, so a word that is
// not in the name or email is in a resume. The contact words come from
// contacts when the engine gave them, from the candidates otherwise.
// contacts may be changed.
func rankByContact(ctx context.Context, r runner, words []string, ids []int64, contacts map[int64]string) ([]int64, error) {
	var missing []int64
	for _, id := range ids {
		if contacts[id] == "" {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		read, err := readContacts(ctx, r, missing)
		if err != nil {
			return nil, err
		}
		if contacts == nil {
			contacts = read
		}
		for id, c := range read {
			contacts[id] = c
		}
	}
	score := make(map[int64]int, len(ids))
	for _, id := range ids {
		score[id] = contactScore(words, strings.Fields(searchWords(contacts[id], hiring.MaxTitleLen+hiring.MaxEmailLen+1)))
	}
	out := slices.Clone(ids)
	slices.SortStableFunc(out, func(a, b int64) int { return score[b] - score[a] })
	return out, nil
}

// readContacts returns the name and email of each candidate.
func readContacts(ctx context.Context, r runner, ids []int64) (map[int64]string, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := r.query(ctx, "SELECT id, name, email FROM candidates WHERE id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	contacts := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		var name, email string
		if err := rows.Scan(&id, &name, &email); err != nil {
			return nil, err
		}
		contacts[id] = name + " " + email
	}
	return contacts, rows.Err()
}

// contactScore counts two for each query word that is one of the contact
// words and one for each that only starts one.
func contactScore(words, contact []string) int {
	score := 0
	for _, w := range words {
		best := 0
		for _, c := range contact {
			if c == w {
				best = 2
				break
			}
			if strings.HasPrefix(c, w) {
				best = 1
			}
		}
		score += best
	}
	return score
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

func queryStrings(ctx context.Context, r runner, q string, args ...any) ([]string, error) {
	rows, err := r.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
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
	return indexCandidateAs(ctx, r, id, name, email, true)
}

// appendResumeWords adds the words of the candidate's extracted resumes
// to text, up to maxIndexedResume of them.
func appendResumeWords(ctx context.Context, r runner, id int64, text *strings.Builder) error {
	rows, err := r.query(ctx, `SELECT f.text FROM files f WHERE f.text_status = ? AND f.id IN
		(SELECT a.resume_file_id FROM applications a WHERE a.candidate_id = ?) ORDER BY f.id`,
		string(hiring.TextDone), id)
	if err != nil {
		return fmt.Errorf("index candidate %d: %w", id, err)
	}
	resume := 0
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("index candidate %d: %w", id, err)
		}
		if resume < maxIndexedResume {
			words := searchWords(t, maxIndexedResume-resume)
			resume += len(words) + 1
			text.WriteByte(' ')
			text.WriteString(words)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index candidate %d: %w", id, err)
	}
	return nil
}

// indexCandidateAs is indexCandidate for a caller that holds the
// candidate's current name and email. Without withResumes the document
// holds the name and email alone: right for a candidate created in this
// transaction, whose resumes are new and not read yet.
func indexCandidateAs(ctx context.Context, r runner, id int64, name, email string, withResumes bool) error {
	contact := searchWords(name, hiring.MaxTitleLen) + " " + searchWords(email, hiring.MaxEmailLen)
	var text strings.Builder
	text.WriteString(contact)
	if withResumes {
		if err := appendResumeWords(ctx, r, id, &text); err != nil {
			return err
		}
	}
	doc := searchDoc{id: id, terms: documentTerms(text.String()), contact: contact}
	if err := addSearchTerms(ctx, r, doc.terms); err != nil {
		return fmt.Errorf("index candidate %d: %w", id, err)
	}
	if err := r.d.indexCandidates(ctx, r, []searchDoc{doc}); err != nil {
		return fmt.Errorf("index candidate %d: %w", id, err)
	}
	return nil
}

// documentTerms returns the distinct words of text, already reduced by
// searchWords, in byte order.
func documentTerms(words string) []string {
	terms := strings.Fields(words)
	slices.Sort(terms)
	return slices.Compact(terms)
}

// addSearchTerms records the terms, sorted and distinct, in search_terms,
// skipping those already there. Nothing is unique in PostgreSQL's table,
// so two transactions adding the same new word never wait for each other;
// at worst the word is listed twice, which lookups do not mind.
func addSearchTerms(ctx context.Context, r runner, terms []string) error {
	for len(terms) > 0 {
		n := min(len(terms), termsPerInsert)
		args := make([]any, n)
		for i, t := range terms[:n] {
			args[i] = t
		}
		_, err := r.exec(ctx, "INSERT INTO search_terms (term) SELECT v.column1 FROM (VALUES "+
			strings.TrimSuffix(strings.Repeat("(?), ", n), ", ")+
			") AS v WHERE NOT EXISTS (SELECT 1 FROM search_terms s WHERE s.term = v.column1)", args...)
		if err != nil {
			return fmt.Errorf("record search terms: %w", err)
		}
		terms = terms[n:]
	}
	return nil
}

// candidatePlace is where a candidate is, as their reply dates need it:
// the country whose public holidays count and their time zone.
type candidatePlace struct {
	country, zone string
	// isNew is true when the transaction created the candidate.
	isNew bool
}

// upsertCandidate finds the candidate by email or creates them, and takes
// their row lock for the rest of the transaction, so that two applications
// from one person are checked one after the other. A name, phone or
// location given replaces the stored one; new links are added. A
// candidate whose country is not known gets the one their location names.
func upsertCandidate(ctx context.Context, t *tx, in *hiring.ApplyInput) (*hiring.Candidate, *candidatePlace, error) {
	links, err := json.Marshal(nonNil(in.Links))
	if err != nil {
		return nil, nil, fmt.Errorf("encode links: %w", err)
	}
	// A language given replaces the stored one; none keeps it.
	lang, onConflict := in.Language, "updated_at = excluded.updated_at"
	if lang == "" {
		lang = hiring.DefaultLanguage
	} else {
		onConflict += ", language = excluded.language"
	}
	onConflict += ", country = CASE WHEN candidates.country = '' THEN excluded.country ELSE candidates.country END"
	place := &candidatePlace{}
	c, err := scanCandidate(t.queryRow(ctx, `INSERT INTO candidates (email, name, phone, location, links, language,
		country, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (email) DO UPDATE SET `+onConflict+` RETURNING `+candidateReturning+`, country, time_zone`,
		in.Email, in.Name, in.Phone, in.Location, string(links), lang, deadline.CountryFromLocation(in.Location),
		t.now, t.now), &place.country, &place.zone)
	if err != nil {
		return nil, nil, fmt.Errorf("record candidate: %w", err)
	}
	// Times are stored to the microsecond, as t.now is.
	place.isNew = c.CreatedAt.Equal(t.now)
	id := c.ID
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
			return nil, nil, fmt.Errorf("encode links: %w", err)
		}
		if _, err := t.exec(ctx, "UPDATE candidates SET name = ?, phone = ?, location = ?, links = ? WHERE id = ?",
			c.Name, c.Phone, c.Location, string(links), id); err != nil {
			return nil, nil, fmt.Errorf("update candidate %d: %w", id, err)
		}
	}
	return c, place, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

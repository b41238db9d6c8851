package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"time"

	"hireloop/internal/deadline"
	"hireloop/internal/hiring"
)

// SeedOptions says what SeedCandidates makes.
type SeedOptions struct {
	// Candidates is how many candidates to add, each with one active
	// application and a resume whose text is already extracted.
	Candidates int
	// OpeningIDs are the openings the applications go to, in turn.
	OpeningIDs []int64
	// Seed makes the names and resume texts repeatable.
	Seed uint64
	// BatchSize is the number of candidates written per transaction; 0
	// means 500.
	BatchSize int
	// Progress, when set, is called after each batch with how many
	// candidates have been added so far.
	Progress func(done int)
}

// MaxSeedCandidates bounds one seeding run.
const MaxSeedCandidates = 10_000_000

// SeedCandidates fills the database with made-up candidates, for
// benchmarks and demonstrations: names, emails and resume texts drawn
// from small word lists, written in bulk (COPY on PostgreSQL, multi-row
// inserts on SQLite) in one transaction per batch. Resume files have a
// record and text but no bytes in blob storage. Emails are unique to the
// run, so seeding twice adds twice. It returns how many candidates it
// added.
func (db *DB) SeedCandidates(ctx context.Context, opts SeedOptions) (int, error) {
	v := hiring.Validation{}
	v.Check(opts.Candidates >= 0 && opts.Candidates <= MaxSeedCandidates, "candidates",
		fmt.Sprintf("Seed from 0 to %d candidates.", MaxSeedCandidates))
	v.Check(len(opts.OpeningIDs) > 0, "opening_ids", "Name at least one opening to apply to.")
	v.Check(opts.BatchSize >= 0 && opts.BatchSize <= 2000, "batch_size", "Use batches of at most 2000.")
	if err := v.Err(); err != nil {
		return 0, err
	}
	for _, id := range opts.OpeningIDs {
		if _, err := findOpening(ctx, db.reader(), id); err != nil {
			return 0, err
		}
	}
	batch := opts.BatchSize
	if batch == 0 {
		batch = 500
	}
	var run [6]byte
	if _, err := rand.Read(run[:]); err != nil {
		return 0, fmt.Errorf("seed: %w", err)
	}
	g := &seedGen{rnd: mrand.New(mrand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)), run: hex.EncodeToString(run[:])}
	g.zipf = mrand.NewZipf(g.rnd, 1.1, 2, uint64(len(seedWords)-1))
	done, err := db.seedBatches(ctx, g, opts, batch)
	if err != nil {
		return done, err
	}
	if err := db.dialect.settleSearch(ctx, db.writer()); err != nil {
		return done, fmt.Errorf("seed: settle search index: %w", err)
	}
	return done, nil
}

// seedBatches writes the batches on one connection, which PostgreSQL's
// COPY needs, and gives it back before the search index is settled (SQLite
// has only the one).
func (db *DB) seedBatches(ctx context.Context, g *seedGen, opts SeedOptions, batch int) (int, error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("seed: %w", err)
	}
	defer conn.Close()
	end, err := db.dialect.beginBulk(ctx, conn)
	if err != nil {
		return 0, fmt.Errorf("seed: %w", err)
	}
	done, err := db.seedOn(ctx, conn, g, opts, batch)
	// The settings are undone even when the context has ended.
	if endErr := end(context.WithoutCancel(ctx)); endErr != nil && err == nil {
		err = fmt.Errorf("seed: %w", endErr)
	}
	return done, err
}

// seedOn writes the batches on conn. The next batch is made while one is
// written, so that making people and writing them use both cores.
func (db *DB) seedOn(ctx context.Context, conn *sql.Conn, g *seedGen, opts SeedOptions, batch int) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the maker when a write fails
	batches := make(chan *seedBatch, 1)
	go func() {
		defer close(batches)
		for from := 0; from < opts.Candidates; from += batch {
			select {
			case batches <- g.batch(from, min(batch, opts.Candidates-from)):
			case <-ctx.Done():
				return
			}
		}
	}()
	done := 0
	for b := range batches {
		if err := db.transactOn(ctx, conn, func(t *tx) error {
			return b.write(ctx, conn, t, opts.OpeningIDs)
		}); err != nil {
			return done, err
		}
		done += len(b.people)
		if opts.Progress != nil {
			opts.Progress(done)
		}
	}
	return done, ctx.Err()
}

// transactOn is transact on one connection of the pool.
func (db *DB) transactOn(ctx context.Context, conn *sql.Conn, fn func(t *tx) error) error {
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	t := &tx{runner: runner{q: sqlTx, d: db.dialect}, now: db.now().UTC().Truncate(time.Microsecond)}
	if err := fn(t); err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil {
			db.logger.Warn("rollback failed", "err", rbErr)
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// seedGen makes repeatable people and resumes.
type seedGen struct {
	rnd  *mrand.Rand
	zipf *mrand.Zipf
	run  string
}

// seedPerson is one made-up candidate, with what is derived from their
// resume.
type seedPerson struct {
	key, name, email, resume string
	sha256, guideTokenHash   string
	contact                  string
	terms                    []string
}

// seedBatch is the people written in one transaction, from the from-th of
// the run on, and every word they use.
type seedBatch struct {
	from   int
	people []seedPerson
	terms  []string
}

func (g *seedGen) batch(from, n int) *seedBatch {
	b := &seedBatch{from: from, people: make([]seedPerson, n)}
	seen := map[string]bool{}
	for i := range b.people {
		p := g.person(from + i)
		for _, t := range p.terms {
			if !seen[t] {
				seen[t] = true
				b.terms = append(b.terms, t)
			}
		}
		b.people[i] = p
	}
	slices.Sort(b.terms)
	return b
}

func (g *seedGen) person(i int) seedPerson {
	first := seedFirstNames[g.rnd.IntN(len(seedFirstNames))]
	last := seedLastNames[g.rnd.IntN(len(seedLastNames))]
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s. ", first, last)
	for j := range 120 {
		b.WriteString(seedWords[g.zipf.Uint64()])
		if j%12 == 11 {
			b.WriteString(". ")
		} else {
			b.WriteByte(' ')
		}
	}
	p := seedPerson{
		key:    fmt.Sprintf("seed/%s/%d", g.run, i),
		name:   first + " " + last,
		email:  fmt.Sprintf("%s.%s.%s-%d@seed.example.org", strings.ToLower(first), strings.ToLower(last), g.run, i),
		resume: b.String(),
	}
	sum := sha256.Sum256([]byte(p.resume))
	p.sha256 = hex.EncodeToString(sum[:])
	// A random hash whose secret nobody holds: the private link of a
	// made-up candidate leads nowhere.
	var tok [32]byte
	rand.Read(tok[:]) // crypto/rand.Read never fails
	p.guideTokenHash = hex.EncodeToString(tok[:])
	p.contact = searchWords(p.name, hiring.MaxTitleLen) + " " + searchWords(p.email, hiring.MaxEmailLen)
	p.terms = documentTerms(p.contact + " " + searchWords(p.resume, maxIndexedResume))
	return p
}

// seedHearBackBy spreads the reply dates of seeded applications as in a
// company that mostly keeps its promises: of every 100, 90 are due on one
// of the next ten days, 8 are due today and 2 are one to five days
// overdue. A date is the end of its day (UTC), as refreshHearBack stores
// it.
func seedHearBackBy(now time.Time, i int) time.Time {
	k := (i * 7919) % 100
	days := 0
	switch {
	case k < 90:
		days = 1 + k%10
	case k < 98:
		days = 0
	default:
		days = -1 - (i/100)%5
	}
	return deadline.EndOfDay(now.AddDate(0, 0, days), time.UTC)
}

// write adds the batch's candidates, their resume files, their
// applications and their search documents. The ids of candidates and
// files are drawn first, so that each table is written in one bulk load.
func (b *seedBatch) write(ctx context.Context, conn *sql.Conn, t *tx, openings []int64) error {
	n := len(b.people)
	candIDs, err := t.d.reserveIDs(ctx, t.runner, "candidates", n)
	if err != nil {
		return fmt.Errorf("seed candidates: %w", err)
	}
	fileIDs, err := t.d.reserveIDs(ctx, t.runner, "files", n)
	if err != nil {
		return fmt.Errorf("seed files: %w", err)
	}
	retain := t.now.AddDate(0, hiring.DefaultRetentionMonths, 0)
	cands := make([][]any, n)
	files := make([][]any, n)
	apps := make([][]any, n)
	docs := make([]searchDoc, n)
	for i, p := range b.people {
		cands[i] = []any{candIDs[i], p.email, p.name, "[]", t.now, t.now}
		files[i] = []any{fileIDs[i], p.key, "resume.txt", "text/plain", int64(len(p.resume)), p.sha256,
			string(hiring.TextDone), p.resume, "Made by the seed generator; no file is stored.", t.now}
		apps[i] = []any{candIDs[i], openings[(b.from+i)%len(openings)], fileIDs[i], t.now, retain,
			p.guideTokenHash, string(hiring.SourceCareersSite), t.now, t.now, string(hiring.ApplicationActive), "applied",
			seedHearBackBy(t.now, b.from+i)}
		docs[i] = searchDoc{id: candIDs[i], terms: p.terms, contact: p.contact}
	}
	for _, load := range []struct {
		table   string
		columns []string
		rows    [][]any
	}{
		{"candidates", []string{"id", "email", "name", "links", "created_at", "updated_at"}, cands},
		{"files", []string{"id", "key", "name", "content_type", "size", "sha256", "text_status", "text", "note", "created_at"}, files},
		{"applications", []string{"candidate_id", "opening_id", "resume_file_id", "consent_at", "retain_until",
			"guide_token_hash", "source", "created_at", "updated_at", "status", "stage", "hear_back_by"}, apps},
	} {
		if err := t.d.copyRows(ctx, conn, t.runner, load.table, load.columns, load.rows); err != nil {
			return fmt.Errorf("seed %s: %w", load.table, err)
		}
	}
	if err := addSearchTerms(ctx, t.runner, b.terms); err != nil {
		return fmt.Errorf("seed search terms: %w", err)
	}
	if err := t.d.copySearchDocs(ctx, conn, t.runner, docs); err != nil {
		return fmt.Errorf("seed search index: %w", err)
	}
	return nil
}

var seedFirstNames = strings.Fields(`Ada Alex Amara Ana Aziz Bea Ben Carla Chen Dara Diego Elif Emil Eva
	Farah Femi Hana Ian Ines Ivan Jae Jonas Kai Kemal Lara Leo Lina Mara Mateo Mei Nadia Nils Noor
	Omar Paula Priya Rafael Rosa Sami Sara Tariq Theo Una Vera Wen Yara Yusuf Zoe`)

var seedLastNames = strings.Fields(`Abara Adeyemi Alvarez Andersen Bauer Becker Costa Cruz Dubois Eriksen
	Fischer Garcia Haddad Hansen Ito Jansen Kaya Kim Kowalski Larsen Lopez Meyer Moreau Nakamura Novak
	Okafor Olsen Park Patel Petrov Quinn Rossi Santos Schmidt Silva Singh Sato Tanaka Torres Varga
	Wagner Weber Yilmaz Young Zhang Zimmermann`)

// seedWords are ordered from common to rare; a Zipf draw picks them.
var seedWords = strings.Fields(`experience team work project projects development software engineering
	data systems design built led managed improved using with the and for of in to on
	customers product teams production services service platform application applications code
	reviews testing tests quality performance reliability delivery support users features
	go python java javascript typescript ruby rails sql postgresql mysql sqlite redis kafka
	kubernetes docker terraform ansible linux aws gcp azure react vue angular graphql rest grpc
	microservices monitoring observability prometheus grafana ci cd pipelines automation security
	compliance incident response on-call scalability latency throughput caching queues streaming
	analytics warehouse etl spark airflow dbt snowflake bigquery machine learning pytorch
	tensorflow statistics experimentation research mentoring hiring interviewing roadmap planning
	stakeholders communication documentation accessibility localization mobile ios android swift
	kotlin flutter rust elixir erlang haskell scala clojure c cpp embedded firmware networking
	tcp dns tls http nginx envoy istio consul vault nomad ceph gitaly gitlab github jenkins bazel
	gradle maven webpack vite css html figma sketch usability onboarding billing payments search
	elasticsearch opensearch lucene solr fts ranking recommendations fraud risk privacy gdpr soc2
	iso27001 budget forecasting negotiation sales marketing partnerships recruiting sourcing
	coordination scheduling benefits payroll finance accounting legal contracts procurement
	translation german french spanish portuguese japanese mandarin arabic hindi swahili turkish
	volunteer open-source maintainer conference speaker author patent award scholarship thesis
	astronomy chemistry biology geology linguistics philosophy music photography sailing chess`)

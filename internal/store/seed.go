package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"strings"

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
}

// MaxSeedCandidates bounds one seeding run.
const MaxSeedCandidates = 10_000_000

// SeedCandidates fills the database with made-up candidates, for
// benchmarks and demonstrations: names, emails and resume texts drawn
// from small word lists, written with multi-row inserts in one transaction
// per batch. Resume files have a record and text but no bytes in blob
// storage. Emails are unique to the run, so seeding twice adds twice. It
// returns how many candidates it added.
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
	done := 0
	for done < opts.Candidates {
		n := min(batch, opts.Candidates-done)
		if err := db.transact(ctx, func(t *tx) error {
			return g.writeBatch(ctx, t, done, n, opts.OpeningIDs)
		}); err != nil {
			return done, err
		}
		done += n
	}
	if err := db.dialect.settleSearch(ctx, db.reader()); err != nil {
		return done, fmt.Errorf("seed: settle search index: %w", err)
	}
	return done, nil
}

// seedGen makes repeatable people and resumes.
type seedGen struct {
	rnd  *mrand.Rand
	zipf *mrand.Zipf
	run  string
}

// seedPerson is one made-up candidate.
type seedPerson struct {
	name, email, resume string
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
	return seedPerson{
		name:   first + " " + last,
		email:  fmt.Sprintf("%s.%s.%s-%d@seed.example.org", strings.ToLower(first), strings.ToLower(last), g.run, i),
		resume: b.String(),
	}
}

// writeBatch adds candidates from..from+n, their resume files, their
// applications and their search documents.
func (g *seedGen) writeBatch(ctx context.Context, t *tx, from, n int, openings []int64) error {
	people := make([]seedPerson, n)
	for i := range people {
		people[i] = g.person(from + i)
	}
	cargs := make([]any, 0, n*5)
	fargs := make([]any, 0, n*9)
	for i, p := range people {
		cargs = append(cargs, p.email, p.name, "[]", t.now, t.now)
		sum := sha256.Sum256([]byte(p.resume))
		fargs = append(fargs, fmt.Sprintf("seed/%s/%d", g.run, from+i), "resume.txt", "text/plain",
			len(p.resume), hex.EncodeToString(sum[:]), string(hiring.TextDone), p.resume,
			"Made by the seed generator; no file is stored.", t.now)
	}
	candIDs, err := insertReturning(ctx, t, "INSERT INTO candidates (email, name, links, created_at, updated_at) VALUES ", 5, cargs, "email")
	if err != nil {
		return fmt.Errorf("seed candidates: %w", err)
	}
	fileIDs, err := insertReturning(ctx, t, `INSERT INTO files (key, name, content_type, size, sha256, text_status, text, note, created_at) VALUES `, 9, fargs, "key")
	if err != nil {
		return fmt.Errorf("seed files: %w", err)
	}
	aargs := make([]any, 0, n*9)
	docs := make([]searchDoc, 0, n)
	retain := t.now.AddDate(0, hiring.DefaultRetentionMonths, 0)
	for i, p := range people {
		cid := candIDs[p.email]
		var tok [16]byte
		if _, err := rand.Read(tok[:]); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		aargs = append(aargs, cid, openings[(from+i)%len(openings)], fileIDs[fmt.Sprintf("seed/%s/%d", g.run, from+i)],
			t.now, retain, hex.EncodeToString(tok[:]), string(hiring.SourceCareersSite), t.now, t.now)
		docs = append(docs, searchDoc{id: cid, name: searchWords(p.name, hiring.MaxTitleLen),
			email: searchWords(p.email, hiring.MaxEmailLen), resume: searchWords(p.resume, maxIndexedResume)})
	}
	if _, err := t.exec(ctx, `INSERT INTO applications (candidate_id, opening_id, resume_file_id, consent_at,
		retain_until, guide_token_hash, source, created_at, updated_at, status, stage) VALUES `+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', 'applied'), ", n), ", "), aargs...); err != nil {
		return fmt.Errorf("seed applications: %w", err)
	}
	if err := t.d.indexCandidates(ctx, t.runner, docs); err != nil {
		return fmt.Errorf("seed search index: %w", err)
	}
	return nil
}

// insertReturning runs a multi-row INSERT of len(args)/width rows and maps
// the returned natural key column to the new ids.
func insertReturning(ctx context.Context, t *tx, insert string, width int, args []any, keyColumn string) (map[string]int64, error) {
	row := "(" + placeholders(width) + "), "
	rows, err := t.query(ctx, insert+strings.TrimSuffix(strings.Repeat(row, len(args)/width), ", ")+
		" RETURNING id, "+keyColumn, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make(map[string]int64, len(args)/width)
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return nil, err
		}
		ids[key] = id
	}
	return ids, rows.Err()
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

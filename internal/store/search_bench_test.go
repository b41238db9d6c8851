package store_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// Environment variables of the search benchmark. Seeding a million
// candidates takes minutes, so the benchmark can reuse a database seeded
// by an earlier run: it adds candidates only while there are fewer than
// asked for.
const (
	// benchCandidatesEnv sets how many candidates to search; 100,000 when
	// unset.
	benchCandidatesEnv = "HIRELOOP_TEST_SEARCH_CANDIDATES"
	// benchSQLiteDirEnv names a data folder kept between runs.
	benchSQLiteDirEnv = "HIRELOOP_TEST_BENCH_SQLITE_DIR"
	// benchPostgresURLEnv names an existing PostgreSQL database kept
	// between runs.
	benchPostgresURLEnv = "HIRELOOP_TEST_BENCH_POSTGRES_URL"
)

// BenchmarkSearchCandidates searches seeded candidates on each engine and
// reports the median and 95th percentile time of each kind of query. Each
// kind cycles through several queries, so that no single query's pages
// stay hot in a cache the others would not enjoy.
//
//	createdb -h 127.0.0.1 -p 55499 -U postgres hireloop_bench
//	HIRELOOP_TEST_SEARCH_CANDIDATES=1000000 \
//	HIRELOOP_TEST_BENCH_SQLITE_DIR=/tmp/hireloop-bench \
//	HIRELOOP_TEST_BENCH_POSTGRES_URL='postgres://postgres@127.0.0.1:55499/hireloop_bench?sslmode=disable' \
//	HIRELOOP_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:55499/postgres?sslmode=disable' \
//	go test ./internal/store -run '^$' -bench SearchCandidates -benchtime 200x -timeout 2h
func BenchmarkSearchCandidates(b *testing.B) {
	n := 100_000
	if s := os.Getenv(benchCandidatesEnv); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 || v > store.MaxSeedCandidates {
			b.Fatalf("%s=%q is not a number from 1 to %d", benchCandidatesEnv, s, store.MaxSeedCandidates)
		}
		n = v
	}
	for _, engine := range hiringtest.EngineNames() {
		b.Run(engine, func(b *testing.B) {
			db := mustOpenBenchStore(b, engine)
			mustSeedBench(b, db, n)
			candidates := store.NewCandidateService(db)
			for _, shape := range benchSearchShapes(b, db) {
				b.Run(shape.name, func(b *testing.B) {
					var times []time.Duration
					total, i := 0, 0
					for b.Loop() {
						q := shape.queries[i%len(shape.queries)]
						i++
						start := time.Now()
						_, t, err := candidates.SearchCandidates(b.Context(), hiring.CandidateSearch{Query: q, Limit: 20})
						times = append(times, time.Since(start))
						if err != nil {
							b.Fatalf("search %q: %v", q, err)
						}
						total += t
					}
					slices.Sort(times)
					b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
					b.ReportMetric(ms(times[(len(times)*95+99)/100-1]), "p95-ms")
					b.ReportMetric(float64(total)/float64(len(times)), "matches")
				})
			}
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// benchShape is one kind of query and a few examples of it.
type benchShape struct {
	name    string
	queries []string
}

// benchSearchShapes lists the kinds of query a recruiter types. The word
// lists are those of the seed generator: common words lead its list, rare
// ones end it.
func benchSearchShapes(b *testing.B, db *store.DB) []benchShape {
	b.Helper()
	return []benchShape{
		{"RareWord", []string{"astronomy", "chemistry", "geology", "sailing", "chess", "photography"}},
		{"CommonWord", []string{"experience", "team", "work", "project", "development", "software"}},
		{"TwoWords", []string{"kubernetes postgresql", "python docker", "react typescript", "kafka spark", "terraform aws", "rust linux"}},
		{"Prefix", []string{"kube", "pyth", "postg", "terra", "micro", "obser"}},
		{"Name", []string{"okafor", "tanaka", "silva", "petrov", "haddad", "nakamura"}},
		{"FullName", []string{"ana okafor", "kai tanaka", "sara silva", "ivan petrov", "omar haddad", "mei nakamura"}},
		{"FewMatches", []string{"astronomy chess sailing", "geology music thesis", "patent swahili chess"}},
		{"NoMatch", []string{"zyzzyva", "kubernetes zyzzyva", "astronomy swahili patent geology chess sailing"}},
		{"Email", mustSampleEmails(b, db, 6)},
		{"Empty", []string{""}},
	}
}

// mustOpenBenchStore opens the database named by the engine's environment
// variable, migrated, or a fresh one that goes when the benchmark ends.
func mustOpenBenchStore(b *testing.B, engine string) *store.DB {
	b.Helper()
	var cfg store.Config
	switch engine {
	case "sqlite":
		cfg.DataDir = os.Getenv(benchSQLiteDirEnv)
		if cfg.DataDir == "" {
			return hiringtest.MustOpenStore(b, engine)
		}
	case "postgres":
		cfg.DatabaseURL = os.Getenv(benchPostgresURLEnv)
		if cfg.DatabaseURL == "" {
			return hiringtest.MustOpenStore(b, engine)
		}
	}
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		b.Fatalf("open %s benchmark database: %v", engine, err)
	}
	b.Cleanup(func() { db.Close() })
	start := time.Now()
	if err := db.Migrate(ctx); err != nil {
		b.Fatalf("migrate %s benchmark database: %v", engine, err)
	}
	if d := time.Since(start); d > time.Second {
		b.Logf("%s: migrated in %s", engine, d.Round(time.Millisecond))
	}
	return db
}

// mustSeedBench adds candidates until there are n.
func mustSeedBench(b *testing.B, db *store.DB, n int) {
	b.Helper()
	ctx := context.Background()
	var have int
	if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM candidates").Scan(&have); err != nil {
		b.Fatalf("count candidates: %v", err)
	}
	if have >= n {
		return
	}
	o := hiringtest.MustOpenOpening(b, db, hiring.NewOpening{})
	start := time.Now()
	last := start
	got, err := db.SeedCandidates(ctx, store.SeedOptions{
		Candidates: n - have, OpeningIDs: []int64{o.ID}, Seed: uint64(have) + 1, BatchSize: 1000,
		Progress: func(done int) {
			if time.Since(last) >= 10*time.Second {
				last = time.Now()
				b.Logf("%s: seeded %d of %d (%.0f/s)", db.Engine(), done, n-have, float64(done)/time.Since(start).Seconds())
			}
		},
	})
	if err != nil {
		b.Fatalf("seed %d candidates (%d added): %v", n-have, got, err)
	}
	d := time.Since(start)
	b.Logf("%s: seeded %d candidates in %s (%.0f/s)", db.Engine(), got, d.Round(time.Millisecond), float64(got)/d.Seconds())
}

// mustSampleEmails returns the emails of up to n candidates spread over
// the table.
func mustSampleEmails(b *testing.B, db *store.DB, n int) []string {
	b.Helper()
	ctx := context.Background()
	var top int64
	if err := db.SQL().QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM candidates").Scan(&top); err != nil {
		b.Fatalf("sample emails: %v", err)
	}
	var out []string
	for k := range int64(n) {
		var email string
		id := top * (k + 1) / int64(n+1)
		err := db.SQL().QueryRowContext(ctx, fmt.Sprintf("SELECT email FROM candidates WHERE id >= %d ORDER BY id LIMIT 1", id)).Scan(&email)
		if err != nil {
			b.Fatalf("sample emails: %v", err)
		}
		out = append(out, email)
	}
	return out
}

package store_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// benchApplicationsEnv sets how many applications the reply benchmark
// looks through; 100,000 when unset. Each seeded candidate has one
// application, so the databases of BenchmarkSearchCandidates serve here
// too (see benchSQLiteDirEnv and benchPostgresURLEnv).
const benchApplicationsEnv = "HIRELOOP_TEST_REPLY_APPLICATIONS"

// BenchmarkOwedReplies finds the first page of the applications whose
// reply is due (today or earlier) or overdue, with their count, among
// seeded applications whose reply dates the seeder spreads around the
// current day. Seeding uses the real clock, so a database reused on a
// later day holds more overdue replies than a fresh one.
//
//	HIRELOOP_TEST_REPLY_APPLICATIONS=1000000 \
//	HIRELOOP_TEST_BENCH_SQLITE_DIR=/tmp/hireloop-reply-bench \
//	HIRELOOP_TEST_BENCH_POSTGRES_URL='postgres://postgres@127.0.0.1:55499/hireloop_reply_bench?sslmode=disable' \
//	HIRELOOP_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:55499/postgres?sslmode=disable' \
//	go test ./internal/store -run '^$' -bench OwedReplies -benchtime 200x -timeout 2h
func BenchmarkOwedReplies(b *testing.B) {
	n := 100_000
	if s := os.Getenv(benchApplicationsEnv); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 || v > store.MaxSeedCandidates {
			b.Fatalf("%s=%q is not a number from 1 to %d", benchApplicationsEnv, s, store.MaxSeedCandidates)
		}
		n = v
	}
	for _, engine := range hiringtest.EngineNames() {
		b.Run(engine, func(b *testing.B) {
			db := mustOpenBenchStore(b, engine)
			mustSeedBench(b, db, n)
			if err := store.GatherStatistics(context.Background(), db); err != nil {
				b.Fatal(err)
			}
			replies := store.NewReplyService(db)
			// The page's default view, every reply owed, counts nearly all
			// the active applications; it is measured beside the two filters.
			for _, due := range []hiring.ReplyDue{hiring.ReplyDueNow, hiring.ReplyOverdue, ""} {
				name := string(due)
				if name == "" {
					name = "every"
				}
				b.Run(name, func(b *testing.B) {
					var times []time.Duration
					total := 0
					for b.Loop() {
						start := time.Now()
						rows, t, err := replies.FindOwedReplies(b.Context(), hiring.ReplyFilter{Due: due, Limit: 50})
						times = append(times, time.Since(start))
						if err != nil {
							b.Fatal(err)
						}
						if len(rows) == 0 && t > 0 {
							b.Fatalf("%s: total %d but an empty first page", due, t)
						}
						total = t
					}
					slices.Sort(times)
					b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
					b.ReportMetric(ms(times[(len(times)*95+99)/100-1]), "p95-ms")
					b.ReportMetric(float64(total), "owed")
				})
			}
		})
	}
}

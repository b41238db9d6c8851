package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// boardApplications is the size of the pipeline the board must show
// quickly: 10,000 active applications in one opening.
const boardApplications = 10_000

// BenchmarkBoard builds the board of an opening with 10,000 active
// applications spread over the stages of the backend loop, and reports the
// median and 95th percentile time, with the default page of cards per
// column and with the largest.
//
//	HIRELOOP_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:55499/postgres?sslmode=disable' \
//	go test ./internal/store -run '^$' -bench Board -benchtime 100x
func BenchmarkBoard(b *testing.B) {
	for _, engine := range hiringtest.EngineNames() {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := hiringtest.MustOpenStore(b, engine)
			o := hiringtest.MustOpenOpening(b, db, hiring.NewOpening{})
			plan := hiringtest.MustApplyTemplate(b, db, o.ID, hiringtest.BackendTemplate)
			if _, err := db.SeedCandidates(ctx, store.SeedOptions{Candidates: boardApplications, OpeningIDs: []int64{o.ID}, Seed: 7}); err != nil {
				b.Fatalf("seed: %v", err)
			}
			var stages, steps []int64
			for _, g := range plan.Stages {
				stages, steps = append(stages, g.ID), append(steps, g.Steps[0].ID)
			}
			if err := store.SpreadOverStages(ctx, db, o.ID, stages, steps, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)); err != nil {
				b.Fatal(err)
			}
			pipeline := store.NewPipelineService(db, store.PipelineOptions{})
			for _, per := range []int{hiring.DefaultBoardCards, hiring.MaxBoardCards} {
				b.Run(fmt.Sprintf("cards-%d", per), func(b *testing.B) {
					var times []time.Duration
					for b.Loop() {
						start := time.Now()
						board, err := pipeline.Board(ctx, hiring.BoardFilter{OpeningID: o.ID, PerColumn: per})
						times = append(times, time.Since(start))
						if err != nil {
							b.Fatal(err)
						}
						if board.Total != boardApplications || len(board.Columns[0].Cards) != per {
							b.Fatalf("board holds %d applications, %d cards in the first column", board.Total, len(board.Columns[0].Cards))
						}
					}
					slices.Sort(times)
					b.ReportMetric(millis(times[len(times)/2]), "p50-ms")
					b.ReportMetric(millis(times[(len(times)*95+99)/100-1]), "p95-ms")
				})
			}
		})
	}
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

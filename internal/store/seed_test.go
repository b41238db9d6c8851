package store_test

import (
	"os"
	"strconv"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestSeedCandidates(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		a := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		b := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		n, err := db.SeedCandidates(t.Context(), store.SeedOptions{Candidates: 1203, OpeningIDs: []int64{a.ID, b.ID}, Seed: 7, BatchSize: 500})
		if err != nil || n != 1203 {
			t.Fatalf("seeded %d: %v", n, err)
		}
		candidates := store.NewCandidateService(db)
		_, total, err := candidates.SearchCandidates(t.Context(), hiring.CandidateSearch{})
		if err != nil || total != hiring.MaxSearchTotal+1 {
			t.Errorf("candidates = %d (%v), want the count to stop at %d", total, err, hiring.MaxSearchTotal+1)
		}
		apps := store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{})
		_, inA, _ := apps.FindApplications(t.Context(), hiring.ApplicationFilter{OpeningID: &a.ID})
		_, inB, _ := apps.FindApplications(t.Context(), hiring.ApplicationFilter{OpeningID: &b.ID})
		if inA != 602 || inB != 601 {
			t.Errorf("applications to the openings = %d and %d, want 602 and 601", inA, inB)
		}
		// "experience" is the most common word of the made-up resumes.
		_, found, err := candidates.SearchCandidates(t.Context(), hiring.CandidateSearch{Query: "experience"})
		if err != nil || found != hiring.MaxSearchTotal+1 {
			t.Errorf("search experience: %d (%v), want more than %d", found, err, hiring.MaxSearchTotal)
		}
		got, _, err := candidates.SearchCandidates(t.Context(), hiring.CandidateSearch{Query: "seed example"})
		if err != nil || len(got) == 0 {
			t.Fatalf("search by email parts: %v %v", got, err)
		}
		f, err := store.NewFileService(db, nil).FindFilesPendingText(t.Context(), 5)
		if err != nil || len(f) != 0 {
			t.Errorf("pending files = %v (%v), want none: seeded text is extracted", f, err)
		}
		_, err = db.SeedCandidates(t.Context(), store.SeedOptions{Candidates: 1})
		wantField(t, err, "opening_ids")
	})
}

// BenchmarkSearchCandidates searches 100,000 seeded candidates on each
// engine (HIRELOOP_TEST_SEARCH_CANDIDATES changes the number):
//
//	go test ./internal/store -run '^$' -bench SearchCandidates -benchtime 200x
func BenchmarkSearchCandidates(b *testing.B) {
	n := 100_000
	if s := os.Getenv("HIRELOOP_TEST_SEARCH_CANDIDATES"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("HIRELOOP_TEST_SEARCH_CANDIDATES=%q is not a positive number", s)
		}
		n = v
	}
	for _, engine := range hiringtest.EngineNames() {
		b.Run(engine, func(b *testing.B) {
			db := hiringtest.MustOpenStore(b, engine)
			o := hiringtest.MustOpenOpening(b, db, hiring.NewOpening{})
			if _, err := db.SeedCandidates(b.Context(), store.SeedOptions{Candidates: n, OpeningIDs: []int64{o.ID}, Seed: 1, BatchSize: 1000}); err != nil {
				b.Fatal(err)
			}
			candidates := store.NewCandidateService(db)
			for _, q := range []struct{ name, query string }{
				{"RareWord", "astronomy"},
				{"CommonWord", "experience"},
				{"TwoWords", "kubernetes postgresql"},
				{"Prefix", "kube"},
				{"Name", "okafor"},
				{"Empty", ""},
			} {
				b.Run(q.name, func(b *testing.B) {
					total := 0
					for b.Loop() {
						_, t, err := candidates.SearchCandidates(b.Context(), hiring.CandidateSearch{Query: q.query, Limit: 20})
						if err != nil {
							b.Fatal(err)
						}
						total = t
					}
					b.ReportMetric(float64(total), "matches")
				})
			}
		})
	}
}

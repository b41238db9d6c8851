package store_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestSeedCandidates(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		a := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		b := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		var progress []int
		n, err := db.SeedCandidates(t.Context(), store.SeedOptions{Candidates: 1203, OpeningIDs: []int64{a.ID, b.ID}, Seed: 7, BatchSize: 500,
			Progress: func(done int) { progress = append(progress, done) }})
		if err != nil || n != 1203 {
			t.Fatalf("seeded %d: %v", n, err)
		}
		if diff := cmp.Diff([]int{500, 1000, 1203}, progress); diff != "" {
			t.Errorf("progress (-want +got):\n%s", diff)
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

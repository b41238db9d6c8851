package main

import (
	"context"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestDevSeedRefusesBadNumbers(t *testing.T) {
	env := map[string]string{"HIRELOOP_DATA_DIR": t.TempDir()}
	for name, args := range map[string][]string{
		"NoCandidates":       {"dev", "seed"},
		"NegativeOpenings":   {"dev", "seed", "--candidates", "1", "--openings", "-1"},
		"HugeBatch":          {"dev", "seed", "--candidates", "1", "--batch", "5000"},
		"NotANumber":         {"dev", "seed", "--candidates", "many"},
		"TooManyCandidates":  {"dev", "seed", "--candidates", "999999999"},
		"UnexpectedArgument": {"dev", "seed", "--candidates", "1", "extra"},
	} {
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, env, "", args...)
			if r.err != errUsage || r.stderr == "" {
				t.Errorf("error %v, stderr %q; want a usage error that says why", r.err, r.stderr)
			}
		})
	}
}

func TestDevSeedFillsTheDatabase(t *testing.T) {
	for _, engine := range hiringtest.EngineNames() {
		t.Run(engine, func(t *testing.T) {
			env := map[string]string{"HIRELOOP_DATA_DIR": t.TempDir()}
			var db *store.DB
			if engine == "postgres" {
				env["HIRELOOP_DATABASE_URL"], db = mustFreshPostgres(t)
			}
			r := runCLI(t, env, "", "dev", "seed", "--candidates", "1500", "--openings", "3", "--batch", "400")
			if r.err != nil {
				t.Fatalf("dev seed: %v\n%s", r.err, r.stderr)
			}
			if !strings.Contains(r.stdout, "added 1500 candidates to 3 open openings on "+engine) {
				t.Errorf("stdout %q does not report what was added", r.stdout)
			}
			if !strings.Contains(r.stderr, "candidates 1500/1500") {
				t.Errorf("stderr %q shows no progress", r.stderr)
			}
			if db == nil {
				var err error
				if db, err = store.Open(context.Background(), store.Config{DataDir: env["HIRELOOP_DATA_DIR"]}); err != nil {
					t.Fatal(err)
				}
				defer db.Close()
			}

			t.Run("AddsToTheOpenOpeningsOnASecondRun", func(t *testing.T) {
				r := runCLI(t, env, "", "dev", "seed", "--candidates", "20")
				if r.err != nil {
					t.Fatalf("second dev seed: %v\n%s", r.err, r.stderr)
				}
				open := hiring.OpeningOpen
				openings, n, err := store.NewOpeningService(db).FindOpenings(t.Context(), hiring.OpeningFilter{Status: &open})
				if err != nil || n != 3 {
					t.Fatalf("%d open openings (%v), want the 3 of the first run", n, err)
				}
				apps := store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{})
				total := 0
				for _, o := range openings {
					_, k, err := apps.FindApplications(t.Context(), hiring.ApplicationFilter{OpeningID: &o.ID})
					if err != nil {
						t.Fatal(err)
					}
					if k == 0 {
						t.Errorf("opening %s got no applications", o.RequisitionID)
					}
					total += k
				}
				if total != 1520 {
					t.Errorf("%d applications, want 1520", total)
				}
			})
			t.Run("CandidatesAreSearchableByResumeText", func(t *testing.T) {
				_, found, err := store.NewCandidateService(db).SearchCandidates(t.Context(), hiring.CandidateSearch{Query: "experience"})
				if err != nil || found == 0 {
					t.Errorf("a search for a common resume word found %d (%v), want some", found, err)
				}
			})
		})
	}
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"sync"
	"time"

	"hireloop/internal/blob"
	"hireloop/internal/demo"
	"hireloop/internal/hiring"
	"hireloop/internal/store"
)

type seedOptions struct {
	dbOptions
	candidates int
	openings   int
	batch      int
	seed       uint64
}

func seedFlags(fs *flag.FlagSet) any {
	o := &seedOptions{candidates: -1}
	o.register(fs)
	// A Func flag, so that a missing --candidates is told from 0 without a
	// default of -1 showing in the help.
	fs.Func("candidates", "candidates to add, each with one application and extracted resume text (required; 0 adds none)", func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errors.New("must be a whole number, 0 or more")
		}
		o.candidates = n
		return nil
	})
	fs.IntVar(&o.openings, "openings", 0, "open openings to add; 0 adds 10 only when none is open")
	fs.IntVar(&o.batch, "batch", 1000, "candidates written per transaction")
	fs.Uint64Var(&o.seed, "seed", 1, "makes the generated names and resume texts repeatable")
	return o
}

// seedChunk is how many candidates one progress step adds.
const seedChunk = 50_000

// defaultSeedOpenings are added when no opening is open and none is asked for.
const defaultSeedOpenings = 10

// runSeed fills the database with generated data, for benchmarks and for
// trying hireloop at scale. It adds, never replaces: emails are unique to
// each run. Resume records carry their text but no stored file.
func runSeed(ctx context.Context, env *environment, opts any, args []string) error {
	o := opts.(*seedOptions)
	if err := noArgs(env, args); err != nil {
		return err
	}
	switch {
	case o.candidates < 0:
		fmt.Fprintln(env.stderr, "dev seed: --candidates is required (0 adds only openings)")
		return errUsage
	case o.candidates > store.MaxSeedCandidates:
		fmt.Fprintf(env.stderr, "dev seed: --candidates must be at most %d\n", store.MaxSeedCandidates)
		return errUsage
	case o.openings < 0 || o.openings > 100_000:
		fmt.Fprintln(env.stderr, "dev seed: --openings must be from 0 to 100000")
		return errUsage
	case o.batch < 1 || o.batch > 2000:
		fmt.Fprintln(env.stderr, "dev seed: --batch must be from 1 to 2000")
		return errUsage
	}
	db, err := o.openStore(ctx, discardLogger())
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()

	openings, err := seedOpenings(ctx, env, db, o.openings)
	if err != nil {
		return err
	}
	ids := make([]int64, len(openings))
	for i, op := range openings {
		ids[i] = op.ID
	}

	added, err := seedCandidates(ctx, env, db, ids, o, start)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "added %d candidates to %d open openings on %s in %s\n",
		added, len(ids), db.Engine(), time.Since(start).Round(time.Millisecond))
	return nil
}

// seedCandidates adds the candidates in chunks, showing progress after
// each. PostgreSQL does most of the work of indexing, on as many cores as
// it has, so two chunks are written at once there; SQLite has one writer.
func seedCandidates(ctx context.Context, env *environment, db *store.DB, ids []int64, o *seedOptions, start time.Time) (int, error) {
	writers := 1
	if db.Engine() == "postgres" {
		writers = 2
	}
	var (
		mu        sync.Mutex
		added     int
		next      int
		firstErr  error
		lastShown time.Time
		wg        sync.WaitGroup
	)
	// take returns the size and seed of the next chunk, or 0 when done.
	take := func() (int, uint64) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr != nil || next >= o.candidates {
			return 0, 0
		}
		n := min(seedChunk, o.candidates-next)
		seed := o.seed + uint64(next)
		next += n
		return n, seed
	}
	for range writers {
		wg.Go(func() {
			for n, seed := take(); n > 0; n, seed = take() {
				got, err := db.SeedCandidates(ctx, store.SeedOptions{
					Candidates: n, OpeningIDs: ids, BatchSize: o.batch, Seed: seed,
				})
				mu.Lock()
				added += got
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if time.Since(lastShown) >= time.Second || added == o.candidates {
					lastShown = time.Now()
					rate := float64(added) / time.Since(start).Seconds()
					fmt.Fprintf(env.stderr, "candidates %d/%d (%.0f/s)\n", added, o.candidates, rate)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return added, fmt.Errorf("seed candidates (%d added): %w", added, firstErr)
	}
	return added, nil
}

// seedOpenings adds n open openings made from the catalog's roles (the demo
// catalog is imported when the catalog is empty) and returns them; with n
// zero it returns the open openings there are, adding some when none is.
func seedOpenings(ctx context.Context, env *environment, db *store.DB, n int) ([]*hiring.Opening, error) {
	openings := store.NewOpeningService(db)
	if n == 0 {
		open := hiring.OpeningOpen
		list, _, err := openings.FindOpenings(ctx, hiring.OpeningFilter{Status: &open, Limit: 500})
		if err != nil {
			return nil, err
		}
		if len(list) > 0 {
			return list, nil
		}
		n = defaultSeedOpenings
	}
	roles, err := seedRoles(ctx, db)
	if err != nil {
		return nil, err
	}
	progress := newProgress(env.stderr, "openings")
	out := make([]*hiring.Opening, 0, n)
	for i := range n {
		role := roles[i%len(roles)]
		o, err := openings.CreateOpening(ctx, seedOpening(role, i))
		if err != nil {
			return nil, fmt.Errorf("create opening %d: %w", i+1, err)
		}
		if o, err = openings.SetOpeningStatus(ctx, o.ID, hiring.OpeningOpen); err != nil {
			return nil, fmt.Errorf("open opening %s: %w", o.RequisitionID, err)
		}
		out = append(out, o)
		progress.update(i+1, n, "")
	}
	progress.done()
	fmt.Fprintf(env.stderr, "added %d open openings\n", n)
	return out, nil
}

// seedRoles returns the active roles, importing the demo catalog first when
// there are none.
func seedRoles(ctx context.Context, db *store.DB) ([]*hiring.Role, error) {
	roleService := store.NewRoleService(db)
	roles, _, err := roleService.FindRoles(ctx, hiring.RoleFilter{Limit: 500})
	if err != nil {
		return nil, err
	}
	if len(roles) > 0 {
		return roles, nil
	}
	if err := demo.LoadCatalog(ctx, parseFamily, store.NewFamilyService(db)); err != nil {
		return nil, err
	}
	roles, _, err = roleService.FindRoles(ctx, hiring.RoleFilter{Limit: 500})
	if err != nil {
		return nil, err
	}
	if len(roles) == 0 {
		return nil, errors.New("the catalog has no roles to make openings from")
	}
	return roles, nil
}

// Variety for generated openings.
var (
	seedTeams     = []string{"Create", "Plan", "Verify", "Release", "Manage", "Secure", "Data Stores", "Reliability"}
	seedCountries = []hiring.Location{
		{Name: "Remote, Germany", CountryCode: "DE", Remote: true},
		{Name: "Remote, United States", CountryCode: "US", Remote: true},
		{Name: "Remote, Brazil", CountryCode: "BR", Remote: true},
		{Name: "Remote, India", CountryCode: "IN", Remote: true},
		{Name: "Remote, Japan", CountryCode: "JP", Remote: true},
	}
)

// seedOpening varies teams, places and pay with i, repeatably.
func seedOpening(role *hiring.Role, i int) hiring.NewOpening {
	n := hiring.NewOpening{RoleID: role.ID}
	n.Teams = []hiring.TeamVacancies{{Team: seedTeams[i%len(seedTeams)], Count: 1 + i%3}}
	if i%2 == 1 {
		n.Teams = append(n.Teams, hiring.TeamVacancies{Team: seedTeams[(i+3)%len(seedTeams)], Count: 1})
	}
	if i%3 == 0 {
		n.Locations = []hiring.Location{{Name: "Remote, anywhere", Remote: true}}
	} else {
		n.Locations = []hiring.Location{seedCountries[i%len(seedCountries)], seedCountries[(i+1)%len(seedCountries)]}
	}
	if i%2 == 0 {
		low := int64(60_000+(i%7)*5_000) * 100
		n.Pay = &hiring.PayRange{Min: low, Max: low + 30_000*100, Currency: "EUR", Period: hiring.PerYear}
	}
	return n
}

// loadDemoOpenings adds the demo's openings, plan and applicants on top of
// the catalog and accounts that demo.Load made, and plays the weeks of
// hiring that led to today. The applicants apply under rules, as real ones
// do, so their confirmation emails link to their Guide. clock must be the
// store's clock; it is back in the present when this returns.
func loadDemoOpenings(ctx context.Context, db *store.DB, o *dbOptions, rules store.ApplyRules, clock *demo.Clock, company string) error {
	blobs, err := blob.NewDisk(o.blobDir())
	if err != nil {
		return err
	}
	interviews := store.NewInterviewService(db, store.InterviewOptions{CompanyName: company})
	return demo.LoadOpenings(ctx, demo.Hiring{
		Roles:          store.NewRoleService(db),
		Departments:    store.NewDepartmentService(db),
		Openings:       store.NewOpeningService(db),
		Plans:          store.NewPlanService(db),
		Applications:   store.NewApplicationService(db, blobs, rules),
		Users:          store.NewUserService(db),
		InterviewPlans: store.NewInterviewPlanService(db),
		Pipeline:       store.NewPipelineService(db, store.PipelineOptions{Interviews: interviews}),
		Interviews:     interviews,
		Messages:       store.NewMessageService(db),
		Profiles:       store.NewUserService(db),
		Clock:          clock,
	})
}

package store_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestMigrate(t *testing.T) {
	t.Parallel()
	for _, engine := range hiringtest.EngineNames() {
		t.Run(engine, func(t *testing.T) {
			db := hiringtest.MustOpenUnmigratedStore(t, engine)
			if db.Engine() != engine {
				t.Errorf("Engine() = %q, want %q", db.Engine(), engine)
			}
			t.Run("ReadyFailsBeforeMigrating", func(t *testing.T) {
				err := db.Ready(t.Context())
				if err == nil || !strings.Contains(err.Error(), "migrat") {
					t.Fatalf("Ready = %v, want an error about migrations", err)
				}
				// Ready only reads: the database is still empty afterwards.
				if err := db.Ready(t.Context()); err == nil {
					t.Error("second Ready succeeded on an unmigrated database")
				}
			})
			t.Run("MigrateTwiceThenReady", func(t *testing.T) {
				for i := range 2 {
					if err := db.Migrate(t.Context()); err != nil {
						t.Fatalf("Migrate #%d: %v", i+1, err)
					}
				}
				if err := db.Ready(t.Context()); err != nil {
					t.Errorf("Ready after Migrate = %v", err)
				}
			})
		})
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	t.Run("RejectsOtherURLsWithoutEchoingThem", func(t *testing.T) {
		_, err := store.Open(t.Context(), store.Config{DatabaseURL: "mysql://root:s3cret@localhost/db"})
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("err = %v, want an error that does not show the password", err)
		}
	})
	t.Run("SQLiteNeedsADataDir", func(t *testing.T) {
		if _, err := store.Open(t.Context(), store.Config{}); err == nil {
			t.Error("Open with neither a data folder nor a URL succeeded")
		}
	})
	t.Run("SQLiteCreatesThePrivateDataDir", func(t *testing.T) {
		dir := t.TempDir() + "/nested/data"
		db, err := store.Open(t.Context(), store.Config{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := db.Ready(t.Context()); err != nil {
			t.Error(err)
		}
	})
	t.Run("UnreachablePostgres", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		_, err := store.Open(ctx, store.Config{DatabaseURL: "postgres://u:s3cret@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"})
		if err == nil {
			t.Fatal("Open succeeded on a closed port")
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("err = %v shows the password", err)
		}
	})
}

func TestSessionStore(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		s := db.SessionStore()
		if s != db.SessionStore() {
			t.Error("SessionStore returned a second store")
		}
		if err := s.Commit("tok", []byte("data"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, found, err := s.Find("tok")
		if err != nil || !found || !bytes.Equal(got, []byte("data")) {
			t.Errorf("Find = %q, %v, %v; want data", got, found, err)
		}
		if err := s.Delete("tok"); err != nil {
			t.Fatal(err)
		}
		if _, found, _ := s.Find("tok"); found {
			t.Error("session still found after Delete")
		}
	})
}

func TestConcurrentWritesAllSucceed(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		families := store.NewFamilyService(db)
		settings := store.NewSettingsService(db)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 20 {
			wg.Go(func() {
				f := hiringtest.SampleFamily()
				f.Source = f.Source + "-" + string(rune('a'+i))
				res, err := families.ImportFamily(context.Background(), f)
				if err != nil {
					errs <- err
					return
				}
				title := "Renamed " + string(rune('a'+i))
				_, err = families.UpdateFamily(context.Background(), res.Family.ID, hiring.FamilyUpdate{Title: &title})
				errs <- err
			})
			wg.Go(func() {
				errs <- settings.UpdateSettings(context.Background(), hiring.Settings{CatalogPrivate: i%2 == 0})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		if _, n, _ := families.FindFamilies(t.Context(), hiring.FamilyFilter{}); n != 20 {
			t.Errorf("families = %d, want 20", n)
		}
	})
}

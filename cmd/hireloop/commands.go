package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"runtime/debug"

	"hireloop/internal/store"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func commands() []*command {
	return []*command{
		{name: "serve", summary: "Run the web server (with --demo: a fictional company on a fresh data folder).", usage: "[flags]", flags: serveFlags, run: runServe},
		{name: "worker", summary: "Run only the background tasks (email, resume text) against the database.", usage: "[flags]", flags: workerFlags, run: runWorker},
		{name: "migrate", summary: "Apply database migrations and exit.", usage: "[flags]", flags: dbOnlyFlags, run: runMigrate},
		{name: "families", summary: "Import and export job-family pages.", subs: []*command{
			{name: "import", summary: "Read job-family Markdown pages (files or folders) into the catalog.", usage: "[flags] PATH...", flags: importFlags, run: runImport},
			{name: "export", summary: "Write the catalog as Markdown job-family pages into DIR.", usage: "[flags] DIR", flags: dbOnlyFlags, run: runExport},
		}},
		{name: "user", summary: "Manage accounts.", subs: []*command{
			{name: "create", summary: "Create an account; the password is read from standard input.", usage: "--email E --role R --password-stdin [flags]", flags: userCreateFlags, run: runUserCreate},
			{name: "token", summary: "Print a new personal API token for an account.", usage: "--email E [flags]", flags: userTokenFlags, run: runUserToken},
		}},
		{name: "dev", summary: "Tools for developers.", subs: []*command{
			{name: "seed", summary: "Fill the database with generated openings, candidates and applications.", usage: "--candidates N [--openings M] [flags]", flags: seedFlags, run: runSeed},
			{name: "load-apply", summary: "Send applications with a resume to a server as fast as it answers, and report the rate.", usage: "--url U --jobs IDS --resume FILE [flags]", flags: loadApplyFlags, run: runLoadApply},
		}},
		{name: "version", summary: "Print the version.", usage: "", run: runVersion},
	}
}

// dbOptions are the flags of every command that opens the database.
type dbOptions struct {
	dataDir     string
	databaseURL string
	// dataDirSet is true when --data-dir or HIRELOOP_DATA_DIR was given.
	dataDirSet bool
}

func (o *dbOptions) register(fs *flag.FlagSet) {
	o.dataDir = "./hireloop-data"
	fs.Func("data-dir", "folder for the embedded SQLite database and files (default \"./hireloop-data\")", func(v string) error {
		if v == "" {
			return errors.New("must not be empty")
		}
		o.dataDir, o.dataDirSet = v, true
		return nil
	})
	fs.StringVar(&o.databaseURL, "database-url", "", "PostgreSQL URL (postgres://...); empty uses embedded SQLite in --data-dir")
}

func dbOnlyFlags(fs *flag.FlagSet) any {
	o := &dbOptions{}
	o.register(fs)
	return o
}

// openStore opens and migrates the database the options name.
func (o *dbOptions) openStore(ctx context.Context, logger *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, store.Config{DataDir: o.dataDir, DatabaseURL: o.databaseURL, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	return db, nil
}

func runMigrate(ctx context.Context, env *environment, opts any, args []string) error {
	if err := noArgs(env, args); err != nil {
		return err
	}
	o := opts.(*dbOptions)
	db, err := o.openStore(ctx, discardLogger())
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(env.stdout, "database (%s) is up to date\n", db.Engine())
	return nil
}

func runVersion(ctx context.Context, env *environment, opts any, args []string) error {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v = "dev-" + s.Value[:12]
			}
		}
	}
	fmt.Fprintln(env.stdout, "hireloop", v)
	return nil
}

func noArgs(env *environment, args []string) error {
	if len(args) > 0 {
		fmt.Fprintf(env.stderr, "unexpected argument %q\n", args[0])
		return errUsage
	}
	return nil
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

var errNoEmail = errors.New("--email is required")

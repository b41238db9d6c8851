package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"hireloop/internal/demo"
	"hireloop/internal/handbook"
	"hireloop/internal/hiring"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

type serveOptions struct {
	dbOptions
	addr          string
	demo          bool
	logFormat     string
	secureCookies bool
	worker        bool
	smtp          smtpOptions
	careers       careersOptions
}

func serveFlags(fs *flag.FlagSet) any {
	o := &serveOptions{}
	o.register(fs)
	fs.StringVar(&o.addr, "addr", "localhost:8080", "address to listen on (host:port; port 0 picks a free port)")
	fs.BoolVar(&o.demo, "demo", false, "load the fictional demo company; without --data-dir the data lives in a fresh temporary folder")
	fs.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
	fs.BoolVar(&o.secureCookies, "secure-cookies", false, "mark session cookies Secure (set when served over https)")
	fs.BoolVar(&o.worker, "worker", true, "run the background tasks (email, resume text) in this process; false when separate workers run")
	o.smtp.register(fs)
	o.careers.register(fs)
	return o
}

func runServe(ctx context.Context, env *environment, opts any, args []string) error {
	o := opts.(*serveOptions)
	if err := noArgs(env, args); err != nil {
		return err
	}
	var logger *slog.Logger
	switch o.logFormat {
	case "text":
		logger = slog.New(slog.NewTextHandler(env.stderr, nil))
	case "json":
		logger = slog.New(slog.NewJSONHandler(env.stderr, nil))
	default:
		fmt.Fprintf(env.stderr, "serve: --log-format must be text or json, not %q\n", o.logFormat)
		return errUsage
	}

	if o.demo && o.careers.companyName == "" {
		o.careers.companyName = demo.CompanyName
	}
	if o.demo && o.careers.boardToken == "" {
		o.careers.boardToken, o.careers.boardAPIKey = "demo", "demo-board-key"
	}
	if err := o.careers.check(); err != nil {
		fmt.Fprintf(env.stderr, "serve: %v\n", err)
		return errUsage
	}
	if o.demo && o.databaseURL == "" && !o.dataDirSet {
		dir, err := os.MkdirTemp("", "hireloop-demo-")
		if err != nil {
			return err
		}
		o.dataDir = dir
	}

	// The demo plays its history through the services with the store's
	// clock set to past days; it loads before anything is served, and
	// leaves the clock at the present.
	clock := demo.NewClock(time.Now)
	now := time.Now
	if o.demo {
		now = clock.Now
	}
	db, err := o.openStoreAt(ctx, logger, now)
	if err != nil {
		return err
	}
	defer db.Close()

	users := store.NewUserService(db)
	families := store.NewFamilyService(db)

	// Listen before serving so that a busy port fails at once, and before
	// the demo loads, whose confirmation emails link to this address.
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	public := o.careers.baseURL
	if public == "" {
		public = base
	}
	var intro []string
	if o.demo {
		admin, err := demo.Load(ctx, parseFamily, families, users)
		if err != nil {
			ln.Close()
			return fmt.Errorf("load demo company: %w", err)
		}
		if err := loadDemoOpenings(ctx, db, &o.dbOptions, applyRules(&o.careers, public, messageTemplates(db, &o.careers, public)), clock, o.careers.companyName); err != nil {
			ln.Close()
			return fmt.Errorf("load demo openings: %w", err)
		}
		intro = append(intro,
			fmt.Sprintf("Demo company loaded (data in %s).", describeData(db, o.dataDir)),
			fmt.Sprintf("Sign in as the demo admin: %s / %s", admin.Email, admin.Password))
	}
	deps := web.Deps{
		Departments:   store.NewDepartmentService(db),
		Families:      families,
		Roles:         store.NewRoleService(db),
		Users:         users,
		Audit:         store.NewAuditService(db),
		Settings:      store.NewSettingsService(db),
		Sessions:      db.SessionStore(),
		Ready:         db.Ready,
		DB:            db.SQL(),
		Logger:        logger,
		Now:           time.Now,
		SecureCookies: o.secureCookies,
	}
	if err := hiringDeps(&deps, db, &o.dbOptions, &o.careers, public); err != nil {
		ln.Close()
		return err
	}
	if deps.SigningKey, err = db.SigningKey(ctx, "web"); err != nil {
		ln.Close()
		return err
	}
	srv, err := web.NewServer(deps)
	if err != nil {
		ln.Close()
		return err
	}
	if deps.BoardToken != "" {
		line := fmt.Sprintf("Job board API: %s/v1/boards/%s/jobs", base, deps.BoardToken)
		if o.demo {
			line += fmt.Sprintf(" (apply with the API key %q)", deps.BoardAPIKey)
		}
		intro = append(intro, line)
	}

	if n, err := users.CountUsers(ctx); err != nil {
		ln.Close()
		return err
	} else if n == 0 {
		token, err := users.CreateSetupToken(ctx)
		if err != nil {
			ln.Close()
			return err
		}
		intro = append(intro, fmt.Sprintf("No accounts yet. Create the first admin (the link works once, for 24 hours):\n  %s/setup?token=%s", base, token))
	}
	fmt.Fprintf(env.stdout, "hireloop is listening on %s/\n", base)
	for _, line := range intro {
		fmt.Fprintln(env.stdout, line)
	}

	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	// The worker stops after the HTTP server, so that applications still
	// being taken during shutdown have their email queued first.
	workerCtx, stopWorker := context.WithCancel(context.WithoutCancel(ctx))
	waitWorker := func() {}
	defer func() {
		stopWorker()
		waitWorker()
	}()
	if o.worker {
		if waitWorker, err = startWorker(workerCtx, db, &o.dbOptions, &o.smtp, logger, public); err != nil {
			ln.Close()
			return err
		}
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String(), "engine", db.Engine())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func describeData(db *store.DB, dir string) string {
	if db.Engine() == "sqlite" {
		return dir
	}
	return "PostgreSQL"
}

// parseFamily adapts the importer to the demo loader.
func parseFamily(source string, data []byte) (*hiring.Family, error) {
	p := handbook.Parse(source, data)
	if p.NotFamily || p.Family == nil {
		return nil, fmt.Errorf("%s is not a job-family page: %s", source, p.Reason)
	}
	return p.Family, nil
}

// openStoreAt is openStore with the store's clock.
func (o *dbOptions) openStoreAt(ctx context.Context, logger *slog.Logger, now func() time.Time) (*store.DB, error) {
	db, err := store.Open(ctx, store.Config{DataDir: o.dataDir, DatabaseURL: o.databaseURL, Logger: logger, Now: now})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	return db, nil
}

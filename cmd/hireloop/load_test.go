package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestDevLoadApplyRefusesBadFlags(t *testing.T) {
	resume := filepath.Join(t.TempDir(), "resume.pdf")
	if err := os.WriteFile(resume, hiringtest.PDF("Load Candidate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"NoURL":          {"--jobs", "1", "--resume", resume},
		"NoJobs":         {"--url", "http://127.0.0.1:1", "--resume", resume},
		"JobNotAnID":     {"--url", "http://127.0.0.1:1", "--jobs", "1,abc", "--resume", resume},
		"NoResume":       {"--url", "http://127.0.0.1:1", "--jobs", "1"},
		"UnknownForm":    {"--url", "http://127.0.0.1:1", "--jobs", "1", "--resume", resume, "--form", "fax"},
		"ExtraArgument":  {"--url", "http://127.0.0.1:1", "--jobs", "1", "--resume", resume, "more"},
		"NotADuration":   {"--url", "http://127.0.0.1:1", "--jobs", "1", "--resume", resume, "--duration", "long"},
		"NotANumberConn": {"--url", "http://127.0.0.1:1", "--jobs", "1", "--resume", resume, "--connections", "x"},
	} {
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, nil, "", append([]string{"dev", "load-apply"}, args...)...)
			if r.err != errUsage || r.stderr == "" {
				t.Errorf("error %v, stderr %q; want a usage error that says why", r.err, r.stderr)
			}
		})
	}
}

// The generator is run against the real server: every application it
// counts as answered with 303 must be stored.
func TestDevLoadApplyAppliesToTheRealServer(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"HIRELOOP_DATA_DIR": dir}
	if r := runCLI(t, env, "", "dev", "seed", "--candidates", "0", "--openings", "2"); r.err != nil {
		t.Fatalf("dev seed: %v\n%s", r.err, r.stderr)
	}
	db, err := store.Open(t.Context(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	open := hiring.OpeningOpen
	list, _, err := store.NewOpeningService(db).FindOpenings(t.Context(), hiring.OpeningFilter{Status: &open})
	if err != nil || len(list) != 2 {
		t.Fatalf("%d open openings (%v), want 2", len(list), err)
	}
	jobs := strconv.FormatInt(list[0].ID, 10) + "," + strconv.FormatInt(list[1].ID, 10)
	resume := filepath.Join(t.TempDir(), "resume.pdf")
	if err := os.WriteFile(resume, hiringtest.PDF("Load Candidate", "Go and PostgreSQL"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, env, "--apply-rate", "-1", "--worker=false")

	r := runCLI(t, nil, "", "dev", "load-apply", "--url", srv.url, "--jobs", jobs, "--resume", resume,
		"--connections", "3", "--duration", "700ms", "--run", "cli")
	if r.err != nil {
		t.Fatalf("load-apply: %v\n%s", r.err, r.stderr)
	}
	m := regexp.MustCompile(`(?m)^status 303 (\d+)$`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no 303 answers in the report:\n%s", r.stdout)
	}
	acked, _ := strconv.Atoi(m[1])
	if regexp.MustCompile(`(?m)^status [^3]`).MatchString(r.stdout) {
		t.Errorf("answers other than 303:\n%s", r.stdout)
	}
	if !regexp.MustCompile(`(?m)^Requests/sec: +[0-9.]+$`).MatchString(r.stdout) {
		t.Errorf("the report has no rate:\n%s", r.stdout)
	}
	_, total, err := store.NewApplicationService(db, nil, store.ApplyRules{}).FindApplications(t.Context(), hiring.ApplicationFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if acked == 0 || total != acked {
		t.Errorf("%d applications stored, %d acknowledged", total, acked)
	}
}

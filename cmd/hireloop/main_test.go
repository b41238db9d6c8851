package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hireloop/internal/hiringtest"
)

// result is what one finished run of the program printed and returned.
type result struct {
	stdout, stderr string
	err            error
}

// runCLI runs the program to completion with the given environment.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, mapEnv(env), strings.NewReader(stdin), &out, &errb)
	return result{out.String(), errb.String(), err}
}

func mapEnv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// server is the program running "serve" in the background.
type server struct {
	url    string
	lines  []string
	cancel context.CancelFunc
	done   chan error
}

// startServer runs "serve" with args on a free port and waits until
// /healthz answers; the server stops when the test ends.
func startServer(t *testing.T, env map[string]string, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &server{cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), mapEnv(env), strings.NewReader(""), pw, io.Discard)
		pw.Close()
		s.done <- err
	}()
	var mu sync.Mutex
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			s.lines = append(s.lines, line)
			mu.Unlock()
			if rest, ok := strings.CutPrefix(line, "hireloop is listening on "); ok {
				urlc <- strings.TrimSuffix(rest, "/")
			}
		}
	}()
	select {
	case s.url = <-urlc:
	case err := <-s.done:
		t.Fatalf("serve stopped before listening: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not print its address within a minute")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-s.done:
			if err != nil {
				t.Errorf("serve returned %v after shutdown", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not shut down within 30 seconds")
		}
	})
	waitHealthy(t, s.url)
	// Give the reader a moment to collect the lines printed after the address.
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	s.lines = append([]string(nil), s.lines...)
	return s
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz did not answer 200: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func seedFile(t *testing.T, prefix string) string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(hiringtest.SharedDir(t), "seeds", prefix+"_*.txt"))
	if err != nil || len(matches) != 1 {
		t.Fatalf("seed %s: found %v (%v)", prefix, matches, err)
	}
	return matches[0]
}

func TestHelpExplainsEveryFlag(t *testing.T) {
	r := runCLI(t, nil, "", "--help")
	if r.err != nil {
		t.Fatalf("--help: %v", r.err)
	}
	for _, name := range []string{"serve", "migrate", "families", "user", "version"} {
		if !strings.Contains(r.stdout, name) {
			t.Errorf("--help does not list %q:\n%s", name, r.stdout)
		}
	}
	r = runCLI(t, nil, "", "serve", "--help")
	for _, want := range []string{"--addr", "HIRELOOP_ADDR", "--data-dir", "HIRELOOP_DATA_DIR", "--database-url", "HIRELOOP_DATABASE_URL", "--demo"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("serve --help does not mention %s:\n%s", want, r.stdout)
		}
	}
}

func TestRejectsUnknownCommandAndFlag(t *testing.T) {
	if r := runCLI(t, nil, "", "nonsense"); r.err != errUsage || !strings.Contains(r.stderr, "unknown command") {
		t.Errorf("unknown command: err=%v stderr=%q", r.err, r.stderr)
	}
	if r := runCLI(t, nil, "", "serve", "--no-such-flag"); r.err != errUsage {
		t.Errorf("unknown flag: err=%v", r.err)
	}
	if r := runCLI(t, map[string]string{"HIRELOOP_DEMO": "maybe"}, "", "serve"); r.err == nil || !strings.Contains(r.err.Error(), "HIRELOOP_DEMO") {
		t.Errorf("bad environment value: err=%v", r.err)
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, nil, "", "version")
	if r.err != nil || !strings.HasPrefix(r.stdout, "hireloop ") {
		t.Errorf("version: %q %v", r.stdout, r.err)
	}
}

// importedDoc is the part of "families import --json" the tests read.
type importedDoc struct {
	Families []struct {
		Source     string `json:"source"`
		Title      string `json:"title"`
		Department string `json:"department"`
		Roles      []struct {
			Title            string   `json:"title"`
			Grade            *float64 `json:"grade"`
			Responsibilities []string `json:"responsibilities"`
			Requirements     []string `json:"requirements"`
			PIs              []struct {
				Name string `json:"name"`
				URL  string `json:"url"`
			} `json:"performance_indicators"`
		} `json:"roles"`
	} `json:"families"`
	Warnings []struct {
		Source  string `json:"source"`
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"warnings"`
}

func TestImportJSONReadsTheInfrastructureManagementSeed(t *testing.T) {
	r := runCLI(t, nil, "", "families", "import", "--dry-run", "--json", seedFile(t, "001"))
	if r.err != nil {
		t.Fatalf("import: %v\n%s", r.err, r.stderr)
	}
	var doc importedDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	if len(doc.Families) != 1 {
		t.Fatalf("got %d families, want 1", len(doc.Families))
	}
	var grades []float64
	for _, role := range doc.Families[0].Roles {
		if role.Grade == nil {
			t.Errorf("role %q has no grade", role.Title)
			continue
		}
		grades = append(grades, *role.Grade)
		if len(role.Responsibilities) == 0 || len(role.Requirements) == 0 || len(role.PIs) == 0 {
			t.Errorf("role %q: %d responsibilities, %d requirements, %d indicators; want some of each",
				role.Title, len(role.Responsibilities), len(role.Requirements), len(role.PIs))
		}
	}
	want := []float64{8, 8, 8, 8, 9, 10, 12}
	if len(grades) != len(want) {
		t.Fatalf("grades %v, want %v", grades, want)
	}
	for i := range want {
		if grades[i] != want[i] {
			t.Fatalf("grades %v, want %v", grades, want)
		}
	}
}

func TestImportStoresAndReimportsInPlace(t *testing.T) {
	dataDir := t.TempDir()
	env := map[string]string{"HIRELOOP_DATA_DIR": dataDir}
	corpus := filepath.Join(hiringtest.SharedDir(t), "handbook", "job-families")
	r := runCLI(t, env, "", "families", "import", corpus)
	if r.err != nil {
		t.Fatalf("import: %v\n%s", r.err, r.stderr)
	}
	if !strings.Contains(r.stderr, "new") {
		t.Errorf("import did not report what it saved: %s", r.stderr)
	}
	again := runCLI(t, env, "", "families", "import", corpus)
	if again.err != nil {
		t.Fatalf("second import: %v", again.err)
	}
	if !strings.Contains(again.stderr, " 0 new, 0 updated") {
		t.Errorf("second import of the same pages changed something: %s", again.stderr)
	}

	// Export, then import the export into a fresh database: the catalogs match.
	out := t.TempDir()
	if r := runCLI(t, env, "", "families", "export", out); r.err != nil {
		t.Fatalf("export: %v\n%s", r.err, r.stderr)
	}
	first := runCLI(t, nil, "", "families", "import", "--dry-run", "--json", corpus)
	second := runCLI(t, nil, "", "families", "import", "--dry-run", "--json", out)
	if catalogOf(t, first.stdout) != catalogOf(t, second.stdout) {
		t.Errorf("exported pages read back to a different catalog:\nfrom corpus:\n%s\nfrom export:\n%s",
			catalogOf(t, first.stdout), catalogOf(t, second.stdout))
	}
}

// catalogOf summarises an import document as sorted lines of family, role
// and grade, which is what a round trip must keep.
func catalogOf(t *testing.T, out string) string {
	t.Helper()
	var doc importedDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	var lines []string
	for _, f := range doc.Families {
		for _, r := range f.Roles {
			g := "none"
			if r.Grade != nil {
				g = strconv.FormatFloat(*r.Grade, 'f', -1, 64)
			}
			lines = append(lines, f.Department+" | "+f.Title+" | "+r.Title+" | "+g+" | "+
				strconv.Itoa(len(r.Responsibilities))+" | "+strconv.Itoa(len(r.Requirements)))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestImportRefusesMissingPath(t *testing.T) {
	r := runCLI(t, nil, "", "families", "import", "--dry-run", filepath.Join(t.TempDir(), "absent"))
	if r.err == nil {
		t.Fatal("import of a missing path succeeded")
	}
	if r := runCLI(t, nil, "", "families", "import"); r.err != errUsage {
		t.Errorf("import without a path: %v", r.err)
	}
}

func TestUserCreateValidatesAndCreates(t *testing.T) {
	env := map[string]string{"HIRELOOP_DATA_DIR": t.TempDir()}
	r := runCLI(t, env, "short\n", "user", "create", "--email", "not-an-email", "--role", "boss", "--password-stdin")
	if r.err == nil {
		t.Fatal("bad account was created")
	}
	for _, want := range []string{"--email", "--role", "--password"} {
		if !strings.Contains(r.err.Error(), want) {
			t.Errorf("error %q does not name %s", r.err, want)
		}
	}
	r = runCLI(t, env, "a-long-enough-password\n", "user", "create", "--email", "Ada@Example.com", "--role", "recruiter", "--password-stdin")
	if r.err != nil {
		t.Fatalf("create: %v", r.err)
	}
	r = runCLI(t, env, "a-long-enough-password\n", "user", "create", "--email", "ada@example.com", "--role", "admin", "--password-stdin")
	if r.err == nil {
		t.Error("second account with the same email in another case was created")
	}
	r = runCLI(t, env, "", "user", "token", "--email", "ada@example.com")
	if r.err != nil || !strings.HasPrefix(r.stdout, "hl_") {
		t.Errorf("token: %q %v", r.stdout, r.err)
	}
	if r := runCLI(t, env, "", "user", "token", "--email", "nobody@example.com"); r.err == nil {
		t.Error("token for an unknown account was made")
	}
}

func TestServePrintsSetupLinkAndServesToken(t *testing.T) {
	dataDir := t.TempDir()
	env := map[string]string{"HIRELOOP_DATA_DIR": dataDir}
	s := startServer(t, env)
	if !strings.Contains(strings.Join(s.lines, "\n"), "/setup?token=") {
		t.Errorf("first start printed no setup link:\n%s", strings.Join(s.lines, "\n"))
	}
	if r := runCLI(t, env, "a-long-enough-password\n", "user", "create", "--email", "ops@example.com", "--role", "admin", "--password-stdin"); r.err != nil {
		t.Fatalf("create: %v", r.err)
	}
	tok := strings.TrimSpace(runCLI(t, env, "", "user", "token", "--email", "ops@example.com").stdout)
	req, _ := http.NewRequest("GET", s.url+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "ops@example.com") {
		t.Errorf("GET /api/v1/me with the token: %d %s", resp.StatusCode, body)
	}
	resp, err = http.Get(s.url + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("/readyz: %v %v", resp.StatusCode, err)
	}
}

func TestServeDemoPrintsAdminLogin(t *testing.T) {
	s := startServer(t, map[string]string{"HIRELOOP_DATA_DIR": t.TempDir()}, "--demo")
	out := strings.Join(s.lines, "\n")
	if !strings.Contains(out, "Sign in as the demo admin:") {
		t.Errorf("demo printed no admin login:\n%s", out)
	}
	resp, err := http.Get(s.url + "/api/v1/roles?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Meta struct {
			Total int `json:"total"`
		} `json:"meta"`
	}
	json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if page.Meta.Total < 20 {
		t.Errorf("demo catalog has %d roles, want at least 20", page.Meta.Total)
	}
}

func TestServeFailsAtOnceOnBusyPort(t *testing.T) {
	s := startServer(t, map[string]string{"HIRELOOP_DATA_DIR": t.TempDir()})
	addr := strings.TrimPrefix(s.url, "http://")
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"serve", "--addr", addr}, mapEnv(map[string]string{"HIRELOOP_DATA_DIR": t.TempDir()}), strings.NewReader(""), io.Discard, io.Discard)
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("second server on a busy port returned no error")
		}
	case <-time.After(30 * time.Second):
		t.Error("second server on a busy port did not fail")
	}
}

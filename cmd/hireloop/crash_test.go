package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hireloop/internal/blob"
	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// The crash test: a stream of applications, the server killed with SIGKILL
// at a random moment, restarted on the same data, three times; then every
// application the server acknowledged must be there, whole, and nothing
// but the sweeper's leftovers may be anywhere else.

const (
	crashRounds  = 3
	crashClients = 8
)

func TestCrashLosesNoAcknowledgedApplication(t *testing.T) {
	for _, engine := range hiringtest.EngineNames() {
		t.Run(engine, func(t *testing.T) {
			site := newCrashSite(t, engine)
			openingID := site.mustSeedOpening(t)
			var all []*sentApplication
			for round := range crashRounds {
				srv := site.start(t)
				killAfter := 5 + rand.IntN(30)
				sent := streamApplications(t, srv, openingID, round, killAfter)
				all = append(all, sent...)
				t.Logf("round %d: %d sent, %d acknowledged before the kill after %d acknowledgements",
					round+1, len(sent), countAcked(sent), killAfter)
			}
			// The server starts again after the last crash and stops cleanly.
			site.start(t).stop(t)
			site.verify(t, openingID, all)
		})
	}
}

// crashSite is the data one server after another runs on.
type crashSite struct {
	bin, dataDir, dbURL string
	db                  *store.DB
	// logs collects the servers' standard error, shown when the test fails.
	logs *lockedBuffer
}

func newCrashSite(t *testing.T, engine string) *crashSite {
	t.Helper()
	s := &crashSite{bin: mustBuildBinary(t), dataDir: t.TempDir(), logs: &lockedBuffer{}}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server logs:\n%s", s.logs.String())
		}
	})
	if engine == "postgres" {
		s.dbURL, s.db = mustFreshPostgres(t)
	}
	return s
}

// mustFreshPostgres returns the URL of a new, migrated PostgreSQL database,
// dropped when the test ends, and the test's own store on it.
func mustFreshPostgres(t *testing.T) (string, *store.DB) {
	t.Helper()
	db := hiringtest.MustOpenStore(t, "postgres")
	var name string
	if err := db.SQL().QueryRowContext(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(hiringtest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String(), db
}

// env is the servers' environment: this process's, without any hireloop
// setting that could point them elsewhere.
func (s *crashSite) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HIRELOOP_") {
			env = append(env, kv)
		}
	}
	env = append(env, "HIRELOOP_DATA_DIR="+s.dataDir)
	if s.dbURL != "" {
		env = append(env, "HIRELOOP_DATABASE_URL="+s.dbURL)
	}
	return env
}

// mustSeedOpening makes one open opening with the seed command and opens
// the test's own store on the same data.
func (s *crashSite) mustSeedOpening(t *testing.T) int64 {
	t.Helper()
	cmd := exec.Command(s.bin, "dev", "seed", "--candidates", "0", "--openings", "1")
	cmd.Env = s.env()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("dev seed: %v\n%s", err, out)
	}
	if s.db == nil {
		db, err := store.Open(t.Context(), store.Config{DataDir: s.dataDir})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		s.db = db
	}
	open := hiring.OpeningOpen
	list, _, err := store.NewOpeningService(s.db).FindOpenings(t.Context(), hiring.OpeningFilter{Status: &open})
	if err != nil || len(list) != 1 {
		t.Fatalf("after dev seed: %d open openings (%v), want 1", len(list), err)
	}
	return list[0].ID
}

// crashServer is one run of the real binary.
type crashServer struct {
	url  string
	cmd  *exec.Cmd
	done chan struct{}
}

func (s *crashSite) start(t *testing.T) *crashServer {
	t.Helper()
	cmd := exec.Command(s.bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = s.env()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	srv := &crashServer{cmd: cmd, done: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(srv.done)
	}()
	t.Cleanup(func() { srv.kill() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "hireloop is listening on "); ok {
				addr <- strings.TrimSuffix(rest, "/")
			}
		}
	}()
	select {
	case srv.url = <-addr:
	case <-srv.done:
		t.Fatalf("hireloop serve exited at start")
	case <-time.After(30 * time.Second):
		t.Fatal("hireloop serve did not print its address within 30 seconds")
	}
	waitHealthy(t, srv.url)
	return srv
}

// kill ends the server with SIGKILL, as a power cut or the OOM killer
// would, and waits until it is gone.
func (srv *crashServer) kill() {
	srv.cmd.Process.Kill()
	<-srv.done
}

// stop ends the server with SIGINT and expects it to exit cleanly.
func (srv *crashServer) stop(t *testing.T) {
	t.Helper()
	srv.cmd.Process.Signal(os.Interrupt)
	select {
	case <-srv.done:
		if code := srv.cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("hireloop serve exited with %d after SIGINT, want 0", code)
		}
	case <-time.After(20 * time.Second):
		t.Error("hireloop serve did not stop within 20 seconds of SIGINT")
	}
}

// sentApplication is one application and what the client heard back.
type sentApplication struct {
	name, email string
	resume      []byte
	// acked is set when the server answered with the confirmation redirect.
	acked  bool
	status int
	err    error
	// beforeKill is set for requests that ended before the kill was sent.
	beforeKill bool
}

func countAcked(sent []*sentApplication) int {
	n := 0
	for _, a := range sent {
		if a.acked {
			n++
		}
	}
	return n
}

// streamApplications sends applications from crashClients clients at once
// and kills the server once killAfter of them were acknowledged, plus a
// random few milliseconds, so the kill lands in any phase of the requests
// in flight. It returns when every client saw the server gone.
func streamApplications(t *testing.T, srv *crashServer, openingID int64, round, killAfter int) []*sentApplication {
	t.Helper()
	var (
		mu     sync.Mutex
		sent   []*sentApplication
		next   atomic.Int64
		acks   atomic.Int64
		killed atomic.Bool
		once   sync.Once
		wg     sync.WaitGroup
	)
	kill := func() {
		once.Do(func() {
			time.Sleep(time.Duration(rand.IntN(15)) * time.Millisecond)
			killed.Store(true)
			srv.kill()
		})
	}
	deadline := time.Now().Add(20 * time.Second)
	for range crashClients {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				i := int(next.Add(1))
				a := newSentApplication(t, round, i)
				mu.Lock()
				sent = append(sent, a)
				mu.Unlock()
				a.status, a.err = postApplication(srv.url, openingID, a, i)
				a.acked = a.err == nil && a.status == http.StatusSeeOther
				a.beforeKill = !killed.Load()
				if a.acked && acks.Add(1) == int64(killAfter) {
					go kill()
				}
				if killed.Load() && !a.acked {
					return
				}
			}
		})
	}
	wg.Wait()
	if !killed.Load() {
		t.Fatalf("round %d: only %d of %d applications were acknowledged; the kill never came", round+1, acks.Load(), killAfter)
	}
	for _, a := range sent {
		if a.beforeKill && !a.acked {
			t.Errorf("round %d: %s was refused before the kill: status %d, %v", round+1, a.email, a.status, a.err)
		}
	}
	return sent
}

func newSentApplication(t *testing.T, round, i int) *sentApplication {
	t.Helper()
	name := fmt.Sprintf("Crash Tester %d-%d", round+1, i)
	email := fmt.Sprintf("crash-%d-%d@example.com", round+1, i)
	return &sentApplication{name: name, email: email, resume: hiringtest.PDF(name, email, fmt.Sprintf("Nonce %d", rand.Int64()), "Ten years of keeping data safe through power cuts")}
}

// postApplication sends the careers site's application form as a browser
// does, from a loopback address of its own (127.1.x.y), so the per-address
// rate limit of applying does not refuse the stream. Redirects are not
// followed: the 303 to the confirmation is the acknowledgement.
func postApplication(base string, openingID int64, a *sentApplication, i int) (int, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"name": a.name, "email": a.email, "consent": "yes"} {
		mw.WriteField(k, v)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="resume"; filename="resume.pdf"`)
	h.Set("Content-Type", "application/pdf")
	part, err := mw.CreatePart(h)
	if err != nil {
		return 0, err
	}
	part.Write(a.resume)
	mw.Close()

	local := &net.TCPAddr{IP: net.IPv4(127, 1, byte(i/250), byte(1+i%250))}
	client := &http.Client{
		Timeout: 15 * time.Second,
		Transport: &http.Transport{
			DialContext:       (&net.Dialer{LocalAddr: local}).DialContext,
			DisableKeepAlives: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost,
		fmt.Sprintf("%s/jobs/%d/apply", base, openingID), &body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	if resp.StatusCode == http.StatusSeeOther && !strings.Contains(resp.Header.Get("Location"), "/applied") {
		return resp.StatusCode, fmt.Errorf("redirected to %q, not to the confirmation", resp.Header.Get("Location"))
	}
	return resp.StatusCode, nil
}

// verify checks the data after the crashes.
func (s *crashSite) verify(t *testing.T, openingID int64, sent []*sentApplication) {
	t.Helper()
	ctx := t.Context()
	blobs, err := blob.NewDisk(filepath.Join(s.dataDir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	files := store.NewFileService(s.db, blobs)
	outbox := store.NewOutboxService(s.db)
	stored := mustApplicationsByEmail(t, s.db, blobs, openingID)

	unacked := 0
	for _, a := range sent {
		if !a.acked {
			unacked++
			continue
		}
		app := stored[a.email]
		if app == nil {
			t.Errorf("%s was acknowledged but is not stored", a.email)
			continue
		}
		if app.Candidate.Name != a.name || app.Status != hiring.ApplicationActive {
			t.Errorf("%s is stored as %q, %s; want %q, active", a.email, app.Candidate.Name, app.Status, a.name)
		}
		if app.ResumeFileID == nil {
			t.Errorf("%s was stored without its resume", a.email)
			continue
		}
		_, rc, err := files.OpenFile(ctx, *app.ResumeFileID)
		if err != nil {
			t.Errorf("%s: the resume cannot be opened: %v", a.email, err)
			continue
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, a.resume) {
			t.Errorf("%s: the stored resume differs from the one sent (%d bytes read, %d sent, %v)", a.email, len(got), len(a.resume), err)
		}
		msgs, _, err := outbox.FindMessages(ctx, hiring.MessageFilter{ApplicationID: &app.ID})
		if err != nil || len(msgs) == 0 {
			t.Errorf("%s: no confirmation email in the outbox (%v)", a.email, err)
		}
	}
	acked := len(sent) - unacked
	if acked < crashRounds*5 {
		t.Fatalf("only %d applications were acknowledged; the test proves little", acked)
	}
	t.Logf("%d acknowledged and all found; %d stored in all; %d not acknowledged", acked, len(stored), unacked)

	for email, app := range stored {
		if app.ResumeFileID == nil {
			t.Errorf("application of %s has no resume", email)
		}
	}
	known := mustCheckFileRows(t, s.db, files)
	orphans := mustOrphans(t, blobs, known)
	t.Logf("%d file records whole; %d blobs without a record", len(known), len(orphans))
	if len(orphans) > unacked {
		t.Errorf("%d blobs without a file record, more than the %d requests cut short: %v", len(orphans), unacked, orphans)
	}

	// The sweeper, an hour later, removes exactly the orphans.
	later, err := store.Open(ctx, store.Config{DataDir: s.dataDir, DatabaseURL: s.dbURL,
		Now: func() time.Time { return time.Now().Add(store.OrphanAge + time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	defer later.Close()
	removed, err := store.NewFileService(later, blobs).SweepOrphanFiles(ctx)
	if err != nil || removed != len(orphans) {
		t.Errorf("the sweeper removed %d blobs (%v), want the %d orphans", removed, err, len(orphans))
	}
	if left := mustOrphans(t, blobs, known); len(left) != 0 {
		t.Errorf("after sweeping, blobs without a record remain: %v", left)
	}
	if after := mustCheckFileRows(t, s.db, files); len(after) != len(known) {
		t.Errorf("after sweeping %d file records check out, want %d", len(after), len(known))
	}
}

// mustApplicationsByEmail lists the opening's applications by email.
func mustApplicationsByEmail(t *testing.T, db *store.DB, blobs blob.Store, openingID int64) map[string]*hiring.Application {
	t.Helper()
	apps := store.NewApplicationService(db, blobs, store.ApplyRules{})
	out := map[string]*hiring.Application{}
	for offset := 0; ; {
		page, total, err := apps.FindApplications(t.Context(), hiring.ApplicationFilter{OpeningID: &openingID, Offset: offset, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page {
			out[a.Candidate.Email] = a
		}
		offset += len(page)
		if len(page) == 0 || offset >= total {
			return out
		}
	}
}

// mustCheckFileRows checks that every file record finds its bytes, whole,
// and returns the keys of the records.
func mustCheckFileRows(t *testing.T, db *store.DB, files *store.FileService) map[string]bool {
	t.Helper()
	rows, err := db.SQL().QueryContext(t.Context(), "SELECT id FROM files")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	known := map[string]bool{}
	for _, id := range ids {
		f, rc, err := files.OpenFile(t.Context(), id)
		if err != nil {
			t.Errorf("file %d has a record but no bytes: %v", id, err)
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, rc)
		rc.Close()
		if err != nil || n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
			t.Errorf("file %d: %d bytes read of %d, checksum match %v (%v)", id, n, f.Size, hex.EncodeToString(h.Sum(nil)) == f.SHA256, err)
		}
		known[f.Key] = true
	}
	return known
}

// mustOrphans lists the blobs no file record names.
func mustOrphans(t *testing.T, blobs blob.Store, known map[string]bool) []string {
	t.Helper()
	var out []string
	err := blobs.Walk(t.Context(), func(i blob.Info) error {
		if !known[i.Key] {
			out = append(out, i.Key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// lockedBuffer is a bytes.Buffer several processes may write to.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

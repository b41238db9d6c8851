package loadgen_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"hireloop/internal/loadgen"
)

// recorder is a server that reads each application the way the careers
// site does and keeps what it got.
type recorder struct {
	mu      sync.Mutex
	emails  map[string]int
	paths   map[string]int
	resumes int
	bad     []string
}

func newRecorder() *recorder {
	return &recorder{emails: map[string]int{}, paths: map[string]int{}}
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fail := func(msg string) {
		rec.mu.Lock()
		rec.bad = append(rec.bad, msg)
		rec.mu.Unlock()
		http.Error(w, msg, http.StatusBadRequest)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		fail("multipart: " + err.Error())
		return
	}
	f, fh, err := r.FormFile("resume")
	if err != nil {
		fail("resume: " + err.Error())
		return
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, testResume) || fh.Filename != "resume.pdf" || fh.Header.Get("Content-Type") != "application/pdf" {
		fail("the resume arrived changed")
		return
	}
	rec.mu.Lock()
	rec.emails[r.FormValue("email")]++
	rec.paths[r.URL.Path]++
	rec.resumes++
	rec.mu.Unlock()
	if user, pass, ok := r.BasicAuth(); ok {
		if user != "key-1" || pass != "" {
			fail("wrong credentials")
			return
		}
		w.Write([]byte(`{"success":"Candidate saved successfully"}`))
		return
	}
	if r.FormValue("consent") != "yes" || r.FormValue("name") == "" {
		fail("careers form fields missing")
		return
	}
	http.Redirect(w, r, "/applied", http.StatusSeeOther)
}

var testResume = bytes.Repeat([]byte("%PDF-1.4 resume bytes\n"), 10_000)

func TestRunSendsEachApplicationOnceWithANewEmailAndTheWholeResume(t *testing.T) {
	rec := newRecorder()
	srv := httptest.NewServer(rec)
	defer srv.Close()

	res, err := loadgen.Run(context.Background(), loadgen.Config{
		BaseURL: srv.URL, Paths: []string{"/jobs/1/apply", "/jobs/2/apply"}, Resume: testResume,
		Run: "t1", Connections: 4, Duration: 300 * time.Millisecond, Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.bad) > 0 {
		t.Fatalf("the server refused requests: %v", rec.bad[:min(3, len(rec.bad))])
	}
	if res.Answered() == 0 || res.Statuses[http.StatusSeeOther] != res.Answered() {
		t.Fatalf("answers %v, want all %d of them 303", res.Statuses, res.Answered())
	}
	if rec.resumes != res.Answered() {
		t.Errorf("the server took %d applications, the generator counted %d", rec.resumes, res.Answered())
	}
	if len(rec.emails) != rec.resumes {
		t.Errorf("%d distinct email addresses for %d applications", len(rec.emails), rec.resumes)
	}
	for email := range rec.emails {
		if !strings.HasPrefix(email, "load-t1-") || !strings.HasSuffix(email, "@example.com") {
			t.Errorf("email %q does not carry the run", email)
			break
		}
	}
	if rec.paths["/jobs/1/apply"] == 0 || rec.paths["/jobs/2/apply"] == 0 {
		t.Errorf("requests by path %v, want both openings", rec.paths)
	}
	if res.Rate() <= 0 || res.Percentile(50) <= 0 || res.Percentile(99) < res.Percentile(50) {
		t.Errorf("rate %.1f, p50 %s, p99 %s", res.Rate(), res.Percentile(50), res.Percentile(99))
	}
}

func TestRunSendsTheJobBoardFormWithTheAPIKey(t *testing.T) {
	rec := newRecorder()
	srv := httptest.NewServer(rec)
	defer srv.Close()

	res, err := loadgen.Run(context.Background(), loadgen.Config{
		BaseURL: srv.URL, Paths: []string{"/v1/boards/demo/jobs/7"}, Form: loadgen.JobBoard, APIKey: "key-1",
		Resume: testResume, Run: "b", Connections: 2, Duration: 200 * time.Millisecond, Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.bad) > 0 {
		t.Fatalf("the server refused requests: %v", rec.bad[:min(3, len(rec.bad))])
	}
	if res.Answered() == 0 || res.Statuses[http.StatusOK] != res.Answered() {
		t.Fatalf("answers %v, want all %d of them 200", res.Statuses, res.Answered())
	}
}

func TestRunCountsRequestsWithoutAnAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Hang up without answering.
		hj, _ := w.(http.Hijacker)
		c, _, err := hj.Hijack()
		if err == nil {
			c.Close()
		}
	}))
	defer srv.Close()
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		BaseURL: srv.URL, Paths: []string{"/jobs/1/apply"}, Resume: testResume,
		Connections: 1, Duration: 100 * time.Millisecond, Timeout: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors == 0 || res.Answered() != 0 {
		t.Errorf("errors %d, answered %d; want only errors", res.Errors, res.Answered())
	}
}

func TestReportHasTheShapeOfWrk(t *testing.T) {
	res := &loadgen.Result{
		Elapsed:   2 * time.Second,
		Statuses:  map[int]int{303: 3, 429: 1},
		Latencies: []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 30 * time.Millisecond, 40 * time.Millisecond},
	}
	var b bytes.Buffer
	res.Report(&b)
	for _, want := range []string{"Requests/sec:       2.00\n", "     50%     20.00ms\n", "     99%     40.00ms\n",
		"Non-2xx or 3xx responses: 1\n", "status 303 3\n", "status 429 1\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}

func TestRunRefusesAConfigThatCannotRun(t *testing.T) {
	good := loadgen.Config{BaseURL: "http://127.0.0.1:1", Paths: []string{"/"}, Resume: []byte("x"),
		Connections: 1, Duration: time.Second, Timeout: time.Second}
	for name, change := range map[string]func(c *loadgen.Config){
		"NoPaths":        func(c *loadgen.Config) { c.Paths = nil },
		"EmptyResume":    func(c *loadgen.Config) { c.Resume = nil },
		"NoConnections":  func(c *loadgen.Config) { c.Connections = 0 },
		"NoDuration":     func(c *loadgen.Config) { c.Duration = 0 },
		"HTTPSBaseURL":   func(c *loadgen.Config) { c.BaseURL = "https://example.com" },
		"BaseURLNotAURL": func(c *loadgen.Config) { c.BaseURL = "::" },
	} {
		t.Run(name, func(t *testing.T) {
			c := good
			change(&c)
			if _, err := loadgen.Run(context.Background(), c); err == nil {
				t.Error("Run accepted it")
			}
		})
	}
}

// Package loadgen sends applications with a resume to a hireloop server as
// fast as it answers them, and reports the rate, the latency and the answers.
//
// It exists because the general load generators spend more CPU building a
// request of 200 KB with a new email address each time than the server
// spends taking it: wrk's Lua copies the body three times per request and
// maps fresh memory for each copy. Here the part that never changes (the
// resume and the closing boundary) is kept in one buffer, and each request
// is sent as its small head plus that buffer in one writev, so the machine's
// cores go to the server being measured. Each connection sends a request,
// reads the whole answer, and sends the next, as wrk does.
package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Form says which form an application is sent as.
type Form int

const (
	// CareersForm posts the careers site's form (/jobs/{id}/apply), which
	// answers 303 See Other.
	CareersForm Form = iota
	// JobBoard posts the job board API (/v1/boards/{token}/jobs/{id}) with
	// its field names and Basic auth, which answers 200.
	JobBoard
)

// Config describes a run.
type Config struct {
	// BaseURL is the server, such as http://127.0.0.1:8080.
	BaseURL string
	// Paths are the request paths; request n goes to Paths[n % len(Paths)].
	Paths []string
	Form  Form
	// APIKey is the job board's API key, sent as the Basic auth user.
	APIKey string
	// Resume is the file sent with every application, as resume.pdf.
	Resume []byte
	// Run makes the email addresses unique to this run: each request uses
	// load-RUN-CONN-N@example.com.
	Run         string
	Connections int
	Duration    time.Duration
	// Timeout bounds one request; a request past it counts as an error and
	// its connection is opened again.
	Timeout time.Duration
	// Progress, when set, is called about once a second with the answers
	// so far.
	Progress func(elapsed time.Duration, answered int)
}

// Result is what a run measured.
type Result struct {
	// Elapsed runs from the first request to the last answer, requests
	// still under way when the duration ended included.
	Elapsed time.Duration
	// Statuses counts the answers by HTTP status.
	Statuses map[int]int
	// Errors counts requests that got no answer (connection refused or
	// reset, timeout).
	Errors int
	// Latencies are the answered requests' times, sorted.
	Latencies []time.Duration
	// CPU is the user and system time this process used during the run.
	CPU time.Duration
}

// Answered is the number of requests that got an answer.
func (r *Result) Answered() int { return len(r.Latencies) }

// Rate is answered requests per second.
func (r *Result) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Answered()) / r.Elapsed.Seconds()
}

// Percentile returns the latency that p percent of answers took at most.
func (r *Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.Latencies))*p/100+0.5) - 1
	return r.Latencies[max(0, min(i, len(r.Latencies)-1))]
}

// Report writes the result in the shape of wrk's report, so that scripts
// read either the same way: "Requests/sec:", the latency distribution, the
// answers that were not 2xx or 3xx, and one "status CODE COUNT" line per
// status.
func (r *Result) Report(w io.Writer) {
	fmt.Fprintf(w, "  %d requests answered in %.2fs, %d without an answer\n", r.Answered(), r.Elapsed.Seconds(), r.Errors)
	fmt.Fprintln(w, "  Latency Distribution")
	for _, p := range []float64{50, 75, 90, 99} {
		fmt.Fprintf(w, "     %g%%  %8.2fms\n", p, float64(r.Percentile(p).Microseconds())/1000)
	}
	fmt.Fprintf(w, "Requests/sec: %10.2f\n", r.Rate())
	bad := 0
	for code, n := range r.Statuses {
		if code < 200 || code > 399 {
			bad += n
		}
	}
	if bad > 0 {
		fmt.Fprintf(w, "  Non-2xx or 3xx responses: %d\n", bad)
	}
	if n := r.Answered(); n > 0 {
		fmt.Fprintf(w, "Load generator CPU: %.3f ms per request\n", float64(r.CPU.Microseconds())/1000/float64(n))
	}
	codes := make([]int, 0, len(r.Statuses))
	for code := range r.Statuses {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		fmt.Fprintf(w, "status %d %d\n", code, r.Statuses[code])
	}
}

// Run sends applications until the duration ends or ctx is done, then
// waits for the requests under way.
func Run(ctx context.Context, c Config) (*Result, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("base URL %q: want http://host:port", c.BaseURL)
	}
	body, err := newBody(c)
	if err != nil {
		return nil, err
	}
	cpu0 := cpuTime()
	start := time.Now()
	stop := start.Add(c.Duration)
	var (
		mu       sync.Mutex
		res      = &Result{Statuses: map[int]int{}}
		wg       sync.WaitGroup
		answered atomic.Int64
	)
	for i := range c.Connections {
		w := &conn{cfg: &c, host: u.Host, body: body, id: i, answered: &answered}
		wg.Go(func() {
			lat, statuses, errs := w.loop(ctx, stop)
			mu.Lock()
			defer mu.Unlock()
			res.Latencies = append(res.Latencies, lat...)
			for code, n := range statuses {
				res.Statuses[code] += n
			}
			res.Errors += errs
		})
	}
	if c.Progress != nil {
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		tick := time.NewTicker(time.Second)
	watch:
		for {
			select {
			case <-done:
				break watch
			case <-tick.C:
				c.Progress(time.Since(start), int(answered.Load()))
			}
		}
		tick.Stop()
	} else {
		wg.Wait()
	}
	res.Elapsed = time.Since(start)
	res.CPU = cpuTime() - cpu0
	slices.Sort(res.Latencies)
	return res, ctx.Err()
}

func (c *Config) check() error {
	switch {
	case len(c.Paths) == 0:
		return errors.New("no request paths")
	case len(c.Resume) == 0:
		return errors.New("the resume is empty")
	case c.Connections < 1 || c.Connections > 1000:
		return errors.New("connections must be from 1 to 1000")
	case c.Duration <= 0:
		return errors.New("the duration must be positive")
	case c.Timeout <= 0:
		return errors.New("the timeout must be positive")
	}
	return nil
}

// body is a multipart form split around the email address: prefix holds
// the fields before it, suffix the resume and the closing boundary.
type body struct {
	contentType    string
	prefix, suffix []byte
}

func newBody(c Config) (*body, error) {
	var pre bytes.Buffer
	mw := multipart.NewWriter(&pre)
	fields := [][2]string{{"name", "Load Candidate"}, {"location", "Berlin"}, {"consent", "yes"}}
	if c.Form == JobBoard {
		fields = [][2]string{{"first_name", "Load"}, {"last_name", "Candidate"}, {"data_compliance[gdpr_consent_given]", "true"}}
	}
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return nil, err
		}
	}
	if _, err := mw.CreateFormField("email"); err != nil {
		return nil, err
	}
	// The resume part is written by a second writer with the same
	// boundary; a writer's first part has no line break before its
	// boundary, so one is added.
	suf := bytes.NewBufferString("\r\n")
	mw2 := multipart.NewWriter(suf)
	if err := mw2.SetBoundary(mw.Boundary()); err != nil {
		return nil, err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="resume"; filename="resume.pdf"`)
	h.Set("Content-Type", "application/pdf")
	part, err := mw2.CreatePart(h)
	if err != nil {
		return nil, err
	}
	part.Write(c.Resume)
	if err := mw2.Close(); err != nil {
		return nil, err
	}
	return &body{contentType: mw.FormDataContentType(), prefix: pre.Bytes(), suffix: suf.Bytes()}, nil
}

// conn is one connection's loop.
type conn struct {
	cfg  *Config
	host string
	body *body
	id   int
	sent int
	// answered counts answers across connections, for progress.
	answered *atomic.Int64
	nc       net.Conn
	br       *bufio.Reader
	head     []byte
}

func (w *conn) loop(ctx context.Context, stop time.Time) (lat []time.Duration, statuses map[int]int, errs int) {
	statuses = map[int]int{}
	defer w.close()
	for ctx.Err() == nil && time.Now().Before(stop) {
		t0 := time.Now()
		code, err := w.do(ctx)
		if err != nil {
			errs++
			w.close()
			if ctx.Err() == nil && errors.Is(err, syscall.ECONNREFUSED) {
				time.Sleep(10 * time.Millisecond) // the server is gone; do not spin
			}
			continue
		}
		lat = append(lat, time.Since(t0))
		statuses[code]++
		w.answered.Add(1)
	}
	return lat, statuses, errs
}

func (w *conn) close() {
	if w.nc != nil {
		w.nc.Close()
		w.nc, w.br = nil, nil
	}
}

// do sends one application and reads its answer.
func (w *conn) do(ctx context.Context) (int, error) {
	if w.nc == nil {
		var d net.Dialer
		nc, err := d.DialContext(ctx, "tcp", w.host)
		if err != nil {
			return 0, err
		}
		w.nc, w.br = nc, bufio.NewReaderSize(nc, 16<<10)
	}
	c := w.cfg
	path := c.Paths[w.sent%len(c.Paths)]
	w.sent++
	email := "load-" + c.Run + "-" + strconv.Itoa(w.id) + "-" + strconv.Itoa(w.sent) + "@example.com"
	size := len(w.body.prefix) + len(email) + len(w.body.suffix)

	h := w.head[:0]
	h = append(h, "POST "...)
	h = append(h, path...)
	h = append(h, " HTTP/1.1\r\nHost: "...)
	h = append(h, w.host...)
	h = append(h, "\r\nUser-Agent: hireloop-loadgen\r\nContent-Type: "...)
	h = append(h, w.body.contentType...)
	h = append(h, "\r\nContent-Length: "...)
	h = strconv.AppendInt(h, int64(size), 10)
	if c.Form == JobBoard {
		h = append(h, "\r\nAuthorization: Basic "...)
		h = append(h, basic(c.APIKey)...)
	}
	h = append(h, "\r\n\r\n"...)
	h = append(h, w.body.prefix...)
	h = append(h, email...)
	w.head = h

	if err := w.nc.SetDeadline(time.Now().Add(c.Timeout)); err != nil {
		return 0, err
	}
	bufs := net.Buffers{h, w.body.suffix}
	if _, err := bufs.WriteTo(w.nc); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(w.br, nil)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	if resp.Close {
		w.close()
	}
	return resp.StatusCode, nil
}

// basic is the Basic auth credential for the API key as user and no
// password, as the job board expects.
func basic(key string) string {
	return base64.StdEncoding.EncodeToString([]byte(key + ":"))
}

// cpuTime is the user and system time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"hireloop/internal/loadgen"
)

type loadApplyOptions struct {
	url         string
	jobs        string
	form        string
	boardToken  string
	apiKey      string
	resume      string
	run         string
	connections int
	duration    time.Duration
	timeout     time.Duration
}

func loadApplyFlags(fs *flag.FlagSet) any {
	o := &loadApplyOptions{}
	fs.StringVar(&o.url, "url", "", "the server to load, such as http://127.0.0.1:8080 (required)")
	fs.StringVar(&o.jobs, "jobs", "", "comma-separated ids of open openings to apply to, in turn (required)")
	fs.StringVar(&o.form, "form", "careers", `"careers" posts the careers-site form, "board" the job board API`)
	fs.StringVar(&o.boardToken, "board-token", "demo", "the job board's token (with --form board)")
	fs.StringVar(&o.apiKey, "board-api-key", "", "the job board's API key (with --form board)")
	fs.StringVar(&o.resume, "resume", "", "the file sent as every application's resume (required)")
	fs.StringVar(&o.run, "run", "", "makes this run's email addresses unique (default: the time)")
	fs.IntVar(&o.connections, "connections", 16, "connections, each sending one application at a time")
	fs.DurationVar(&o.duration, "duration", 15*time.Second, "how long to send")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "longest wait for one answer")
	return o
}

// runLoadApply sends applications with a resume as fast as the server
// answers and prints the rate, the latency and the answers in the shape of
// wrk's report.
func runLoadApply(ctx context.Context, env *environment, opts any, args []string) error {
	o := opts.(*loadApplyOptions)
	if err := noArgs(env, args); err != nil {
		return err
	}
	usage := func(msg string) error {
		fmt.Fprintln(env.stderr, "dev load-apply: "+msg)
		return errUsage
	}
	if o.url == "" {
		return usage("--url is required")
	}
	if o.resume == "" {
		return usage("--resume is required")
	}
	var paths []string
	for _, id := range strings.Split(o.jobs, ",") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		if n, err := strconv.ParseInt(id, 10, 64); err != nil || n < 1 {
			return usage(fmt.Sprintf("--jobs: %q is not an opening id", id))
		}
		switch o.form {
		case "careers":
			paths = append(paths, "/jobs/"+id+"/apply")
		case "board":
			paths = append(paths, "/v1/boards/"+o.boardToken+"/jobs/"+id)
		default:
			return usage(`--form must be "careers" or "board"`)
		}
	}
	if len(paths) == 0 {
		return usage("--jobs is required")
	}
	resume, err := os.ReadFile(o.resume)
	if err != nil {
		return fmt.Errorf("read the resume: %w", err)
	}
	if o.run == "" {
		o.run = strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	cfg := loadgen.Config{
		BaseURL: strings.TrimRight(o.url, "/"), Paths: paths, APIKey: o.apiKey, Resume: resume,
		Run: o.run, Connections: o.connections, Duration: o.duration, Timeout: o.timeout,
		Progress: func(elapsed time.Duration, answered int) {
			fmt.Fprintf(env.stderr, "%s: %d answered\n", elapsed.Round(time.Second), answered)
		},
	}
	if o.form == "board" {
		cfg.Form = loadgen.JobBoard
	}
	fmt.Fprintf(env.stdout, "Applying for %s to %s with %d connections, a %d-byte resume\n",
		o.duration, o.url, o.connections, len(resume))
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		return err
	}
	res.Report(env.stdout)
	return nil
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's Chromium against the real binary, built
// once per test run.
var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func mustBuildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hireloop-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "hireloop")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// chromiumPath finds the browser; in CI a missing browser fails the run.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("HIRELOOP_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Fatal("Chromium is not installed; scripts/test installs it")
	return ""
}

// process is the real binary serving in the background.
type process struct {
	url, email, password string
}

// startBinary runs "hireloop serve --demo" and reads the address and the demo
// admin's login from what it prints.
func startBinary(t *testing.T, extraEnv ...string) *process {
	t.Helper()
	bin := mustBuildBinary(t)
	cmd := exec.Command(bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
	cmd.Env = append(os.Environ(), extraEnv...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Error("hireloop did not stop within 20 seconds of SIGINT")
		}
	})
	p := &process{}
	found := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if rest, ok := strings.CutPrefix(line, "hireloop is listening on "); ok {
				p.url = strings.TrimSuffix(rest, "/")
			}
			if rest, ok := strings.CutPrefix(line, "Sign in as the demo admin: "); ok {
				p.email, p.password, _ = strings.Cut(rest, " / ")
				close(found)
			}
		}
	}()
	select {
	case <-found:
	case <-time.After(60 * time.Second):
		t.Fatal("hireloop --demo did not print its address and admin login within a minute")
	}
	waitHealthy(t, p.url)
	return p
}

// newBrowser starts a headless Chromium for one test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// basicA11yScript lists what a person using a screen reader or keyboard
// would trip over on the page: exactly one h1, the main landmarks, a
// language, a label on every form field, text on every link and button.
const basicA11yScript = `(() => {
  const problems = [];
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push('the page has ' + h1 + ' h1 headings');
  if (!document.querySelector('main')) problems.push('no main landmark');
  if (!document.querySelector('header, [role=banner]')) problems.push('no banner landmark');
  if (!document.querySelector('nav')) problems.push('no navigation landmark');
  if (!document.documentElement.lang) problems.push('no page language');
  if (!document.title.trim()) problems.push('no page title');
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button'].includes(el.type)) continue;
    const byFor = el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
    if (!byFor && !el.closest('label') && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      problems.push('form field without a label: ' + (el.name || el.id || el.outerHTML.slice(0, 60)));
  }
  for (const el of document.querySelectorAll('a, button')) {
    if (!el.textContent.trim() && !el.getAttribute('aria-label')) problems.push('link or button without text: ' + el.outerHTML.slice(0, 80));
  }
  return problems;
})()`

// checkA11y runs the basic checks and, where axe-core is available, its WCAG
// 2.1 A and AA rules, and fails the test with each problem found.
func checkA11y(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](basicA11yScript))
	if err != nil {
		t.Fatalf("%s: accessibility script: %v", page, err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", page, p)
	}
	axe := os.Getenv("HIRELOOP_TEST_AXE")
	if axe == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("HIRELOOP_TEST_AXE is not set; scripts/test installs axe-core")
		}
		return
	}
	src, err := os.ReadFile(axe)
	if err != nil {
		t.Fatalf("read axe-core: %v", err)
	}
	type violation struct {
		ID    string `json:"id"`
		Help  string `json:"help"`
		Nodes []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	}
	run := `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => r.violations)`
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		t.Fatalf("%s: load axe-core: %v", page, err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe-core: %v", page, err)
	}
	for _, v := range violations {
		targets, _ := json.Marshal(v.Nodes)
		t.Errorf("%s: axe %s: %s %s", page, v.ID, v.Help, targets)
	}
}

// waitForPage waits until the tab shows a fully loaded page whose path
// satisfies ok. It asks again while a navigation is under way, when the
// page cannot answer.
func waitForPage(ok func(path string) bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		state := chromedp.Evaluate[string](`location.pathname + ' ' + document.readyState`)
		for {
			v, err := state(ctx, tgt)
			if path, ready, found := strings.Cut(v, " "); err == nil && found && ready == "complete" && ok(path) {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for the page (last seen %q): %w", v, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

func TestBrowserAdminEditsARequirement(t *testing.T) {
	p := startBinary(t)
	ctx := newBrowser(t)

	must := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// click follows a link; arrive waits until the browser shows a page
	// whose path starts with prefix, so no step reads the previous page.
	click := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)
	}
	arrive := func(prefix string) chromedp.Action[chromedp.Void] {
		return waitForPage(func(path string) bool { return strings.HasPrefix(path, prefix) })
	}
	read := func(what string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}

	must("open the catalog", chromedp.Navigate(p.url+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	checkA11y(t, ctx, "catalog")

	must("sign in",
		chromedp.Click(chromedp.CSS(`a[href^="/signin"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`input[name="email"]`)),
	)
	checkA11y(t, ctx, "sign-in")
	must("sign in",
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), p.email),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), p.password),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)),
	)

	must("open a department", chromedp.Navigate(p.url+"/"), click(`main a[href^="/departments/"]`), arrive(`/departments/`))
	checkA11y(t, ctx, "department")
	must("open a family", click(`main a[href^="/families/"]`), arrive(`/families/`))
	checkA11y(t, ctx, "family")
	must("open a role", click(`main table a[href^="/roles/"]`), arrive(`/roles/`))
	checkA11y(t, ctx, "role")

	must("open the role form", click(`main a[href^="/roles/"][href$="/edit"]`), chromedp.WaitVisible(chromedp.CSS(`textarea[name="requirements"]`)))
	checkA11y(t, ctx, "role edit form")

	// A wrong grade comes back with its message beside the field and the
	// typed requirement kept.
	const added = "Writes clear, kind review comments across time zones"
	requirements := read("read the requirements", chromedp.Value(chromedp.CSS(`textarea[name="requirements"]`)))
	must("submit a wrong grade",
		chromedp.SetValue(chromedp.CSS(`textarea[name="requirements"]`), requirements+"\n"+added),
		chromedp.SetValue(chromedp.CSS(`input[name="grade"]`), "13"),
		chromedp.Submit(chromedp.CSS(`textarea[name="requirements"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="grade"][aria-invalid="true"]`)),
	)
	kept := read("read the kept requirements", chromedp.Value(chromedp.CSS(`textarea[name="requirements"]`)))
	gradeMsg := read("read the grade message", chromedp.Text(chromedp.CSS(`#grade-error`)))
	if !strings.Contains(kept, added) {
		t.Errorf("rejected form lost the typed requirement; textarea holds %q", kept)
	}
	if !strings.Contains(gradeMsg, "13") {
		t.Errorf("grade message %q does not explain the rule", gradeMsg)
	}
	checkA11y(t, ctx, "rejected role form")

	must("save a good grade",
		chromedp.SetValue(chromedp.CSS(`input[name="grade"]`), "9.5"),
		chromedp.Submit(chromedp.CSS(`textarea[name="requirements"]`)),
		waitForPage(func(path string) bool { return !strings.HasSuffix(path, "/edit") }),
	)
	page := read("read the role page", chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(page, added) {
		t.Errorf("role page does not show the new requirement %q:\n%s", added, page)
	}
	if !strings.Contains(page, "9.5") {
		t.Errorf("role page does not show grade 9.5")
	}
	checkA11y(t, ctx, "role after edit")
}

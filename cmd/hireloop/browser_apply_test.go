package main

import (
	"hireloop/internal/hiringtest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hireloop/internal/mail/mailtest"
)

// fillRequiredScript answers whatever required questions a job asks, the
// way a candidate would: some words in text boxes, the first choice in
// lists and groups.
const fillRequiredScript = `(() => {
  const form = document.querySelector('form.apply-form');
  for (const el of form.querySelectorAll('textarea[required], input[type=text][required]')) {
    if (!el.value && el.name !== 'name' && el.name !== 'email') el.value = 'A short, honest answer.';
  }
  for (const el of form.querySelectorAll('select[required]')) {
    if (el.selectedIndex <= 0 && el.options.length > 1) el.selectedIndex = 1;
  }
  for (const fs of form.querySelectorAll('fieldset')) {
    if (fs.classList.contains('self-id')) continue;
    const choices = fs.querySelectorAll('input[type=radio], input[type=checkbox]');
    if (choices.length && !Array.from(choices).some(c => c.checked)) choices[0].checked = true;
  }
  return true;
})()`

// waitForMailTo waits until the SMTP server has received a message for to.
func waitForMailTo(t *testing.T, smtp *mailtest.Server, to string, timeout time.Duration) mailtest.Received {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, m := range smtp.Messages() {
			for _, rcpt := range m.To {
				if rcpt == to {
					return m
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message to %s within %s; the server received %d others", to, timeout, len(smtp.Messages()))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestBrowserCandidateAppliesAndHearsBack(t *testing.T) {
	smtp := mailtest.Start(t)
	p := startBinary(t,
		"HIRELOOP_SMTP_HOST="+smtp.Host(),
		"HIRELOOP_SMTP_PORT="+strconv.Itoa(smtp.Port()),
		"HIRELOOP_SMTP_TLS=none",
		"HIRELOOP_SMTP_FROM=Larkspur Labs Careers <careers@larkspur.example>",
	)
	ctx := newBrowser(t)
	resume := filepath.Join(t.TempDir(), "robin-resume.pdf")
	if err := os.WriteFile(resume, hiringtest.PDF("Robin Example, pipeline engineer"), 0o644); err != nil {
		t.Fatal(err)
	}
	must := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return v
	}

	must("open the careers site", chromedp.Navigate(p.url+"/jobs"), waitForPage(func(path string) bool { return path == "/jobs" }))
	checkA11y(t, ctx, "job list")
	must("open a job",
		chromedp.Click(chromedp.CSS(`main a[href^="/jobs/"]`), chromedp.NodeVisible),
		waitForPage(func(path string) bool { return strings.HasPrefix(path, "/jobs/") }),
	)
	checkA11y(t, ctx, "job page")
	title := text("h1")

	const email = "robin.example@example.net"
	must("fill in the application",
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "Robin Example"),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), email),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name="resume"]`), []string{resume}),
		chromedp.Click(chromedp.CSS(`input[name="consent"]`)),
		chromedp.Evaluate[chromedp.Void](fillRequiredScript),
		chromedp.Submit(chromedp.CSS(`form.apply-form`)),
		waitForPage(func(path string) bool { return strings.HasSuffix(path, "/applied") }),
	)
	checkA11y(t, ctx, "confirmation")
	if got := text("main"); !strings.Contains(got, email) && !strings.Contains(strings.ToLower(got), "email") {
		t.Errorf("confirmation page does not mention the email that was sent:\n%s", got)
	}

	// The confirmation arrives over SMTP with the private link to the Guide.
	// (The demo's own applicants were sent theirs too; look for ours.)
	m := waitForMailTo(t, smtp, email, 60*time.Second)
	if !strings.Contains(m.Subject+m.Text, title) {
		t.Errorf("confirmation does not name the job %q:\nsubject %q\n%s", title, m.Subject, m.Text)
	}
	link := regexp.MustCompile(`https?://\S+/guide/[A-Za-z0-9_-]+`).FindString(m.Text)
	if link == "" {
		t.Fatalf("confirmation has no Guide link:\n%s", m.Text)
	}
	must("open the Guide from the email", chromedp.Navigate(link), waitForPage(func(path string) bool { return strings.HasPrefix(path, "/guide/") }))
	checkA11y(t, ctx, "guide")
	if got := text("main"); !strings.Contains(got, title) || !strings.Contains(got, "What happens next") {
		t.Errorf("Guide does not show the application and what comes next:\n%s", got)
	}
}

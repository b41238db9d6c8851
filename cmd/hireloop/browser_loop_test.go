package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-ical"

	"hireloop/internal/mail/mailtest"
)

// loopStage is a stage of a shipped loop as the recruiter works it: the
// interview to schedule, if any, and with whom.
type loopStage struct {
	name        string
	step        string
	interviewer string
}

// The stages of the shipped templates, up to the offer.
var (
	infrastructureLoop = []loopStage{
		{name: "Application review"},
		{name: "Screening call", step: "Screening call with a recruiter", interviewer: "Tomás Lindqvist"},
		{name: "Technical interview", step: "Technical interview with the team", interviewer: "Jun Takahashi"},
		{name: "Hiring manager interview", step: "Interview with the hiring manager", interviewer: "Priya Raman"},
		{name: "Peer interview", step: "Interview with a future peer", interviewer: "Jun Takahashi"},
		{name: "Leadership interview", step: "Interview with a senior leader", interviewer: "Noor Okafor"},
		{name: "Reference checks"},
	}
	backendLoop = []loopStage{
		{name: "Application review"},
		{name: "Screening call", step: "Screening call with a recruiter", interviewer: "Tomás Lindqvist"},
		{name: "Management panel", step: "Panel with engineering managers", interviewer: "Priya Raman"},
		{name: "Team interviews and references", step: "Behavioral interview with the hiring manager", interviewer: "Priya Raman"},
		{name: "VP of Engineering", step: "Interview with the VP of Engineering", interviewer: "Noor Okafor"},
	}
)

// Scripts that work a form as a person would.
const (
	// chooseOptionScript selects the option of the select whose text is
	// the given label.
	chooseOptionScript = `((sel, label) => {
  const s = document.querySelector(sel);
  for (const o of s.options) if (o.textContent.trim() === label) { s.value = o.value; return true; }
  return false;
})`
	// checkLabelScript ticks the checkbox whose label starts with the name.
	checkLabelScript = `((name) => {
  for (const l of document.querySelectorAll('label')) {
    if (l.textContent.trim().startsWith(name)) { const c = document.getElementById(l.htmlFor); if (c && c.type === 'checkbox') { c.checked = true; return true; } }
  }
  return false;
})`
)

// A recruiter takes two demo candidates from their application to the
// offer, one through each shipped loop, with the web pages alone; after
// each stage the candidate's Guide shows where they are, their next
// interview and when they hear back.
func TestBrowserRecruiterRunsBothLoops(t *testing.T) {
	smtp := mailtest.Start(t)
	p := startBinary(t,
		"HIRELOOP_SMTP_HOST="+smtp.Host(),
		"HIRELOOP_SMTP_PORT="+strconv.Itoa(smtp.Port()),
		"HIRELOOP_SMTP_TLS=none",
		"HIRELOOP_SMTP_FROM=Larkspur Labs Careers <careers@larkspur.example>",
	)
	ctx := newBrowser(t)
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
	eval := func(what, js string) {
		t.Helper()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err != nil || !ok {
			t.Fatalf("%s: %v (found: %v)", what, err, ok)
		}
	}
	open := func(path string) {
		t.Helper()
		must("open "+path, chromedp.Navigate(p.url+path), waitForPage(func(got string) bool { return got == path }))
	}

	must("sign in", chromedp.Navigate(p.url+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="email"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), p.email),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), p.password),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)),
	)

	// a11y runs the accessibility checks on the first page of each kind;
	// later pages of a kind come from the same template.
	checked := map[string]bool{}
	a11y := func(kind string) {
		t.Helper()
		if !checked[kind] {
			checked[kind] = true
			checkA11y(t, ctx, kind)
		}
	}

	// reload runs js, which submits a form on the page, and waits for the
	// page that answers it, even when it has the same address.
	reload := func(what, js string) {
		t.Helper()
		must(what,
			chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.stale = '1'`),
			chromedp.Evaluate[chromedp.Void](js),
			waitForPage(func(string) bool { return true }),
		)
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			fresh, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === 'complete' && document.documentElement.dataset.stale !== '1'`))
			if err == nil && fresh {
				return
			}
		}
		t.Fatalf("%s: no page answered within 20 seconds", what)
	}
	clickButton := func(what, sel, label string) {
		t.Helper()
		reload(what, fmt.Sprintf(`(() => { const b = [...document.querySelectorAll(%q)].find(b => b.textContent.includes(%q)); b.click(); })()`, sel, label))
	}

	// findApplication opens the opening's board and returns the path of
	// the candidate's application on it.
	findApplication := func(requisition, candidate string) string {
		t.Helper()
		open("/openings")
		opening, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
			`[...document.querySelectorAll('main tbody tr')].find(r => r.cells[0].textContent.trim() === %q).querySelector('a').getAttribute('href')`, requisition)))
		if err != nil {
			t.Fatalf("find opening %s: %v", requisition, err)
		}
		open(opening + "/pipeline")
		a11y("pipeline board")
		app, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
			`[...document.querySelectorAll('main a[href^="/applications/"]')].find(a => a.textContent.trim() === %q).getAttribute('href')`, candidate)))
		if err != nil {
			t.Fatalf("find %s on the board of %s: %v", candidate, requisition, err)
		}
		return app
	}

	// guideFor reads the Guide link from the confirmation the candidate
	// received for the job.
	guideFor := func(email, job string) string {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			for _, m := range smtp.Messages() {
				if len(m.To) == 1 && m.To[0] == email && strings.Contains(m.Subject+m.Text, job) {
					if link := guideLink.FindString(m.Text); link != "" {
						return link
					}
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("no confirmation with a Guide link reached %s for %s", email, job)
		return ""
	}

	// Interviews are put days ahead, two hours apart, so that no
	// interviewer is booked twice at once.
	slot := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 6).Add(6 * time.Hour)
	nextSlot := func() time.Time {
		s := slot
		slot = slot.Add(2 * time.Hour)
		if slot.Hour() > 20 {
			slot = slot.Truncate(24*time.Hour).AddDate(0, 0, 1).Add(6 * time.Hour)
		}
		return s
	}

	// schedule fills in the schedule form for the step with the
	// interviewer, at start (UTC), and returns the interview page's path.
	schedule := func(app, stepLabel, interviewer string, start time.Time, reason string) string {
		t.Helper()
		open(app + "/interviews/new")
		eval("choose the step "+stepLabel, fmt.Sprintf("%s(%q, %q)", chooseOptionScript, "#step_id", stepLabel))
		eval("choose the interviewer "+interviewer, fmt.Sprintf("%s(%q)", checkLabelScript, interviewer))
		must("fill in the time",
			chromedp.SetValue(chromedp.CSS(`#start_date`), start.Format("2006-01-02")),
			chromedp.SetValue(chromedp.CSS(`#start_time`), start.Format("15:04")),
			chromedp.SetValue(chromedp.CSS(`#time_zone_other`), "UTC"),
		)
		if reason != "" {
			must("give the short notice reason", chromedp.SetValue(chromedp.CSS(`[name="short_notice_reason"]`), reason))
		}
		a11y("schedule form")
		reload("schedule "+stepLabel, `document.querySelector('main form[action$="/interviews/new"] button[type="submit"]').click()`)
		path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
		if err != nil || !strings.HasPrefix(path, "/interviews/") {
			t.Fatalf("scheduling %s did not lead to the interview (at %s: %v):\n%s", stepLabel, path, err, text("main"))
		}
		return path
	}

	// checkGuide opens the Guide and looks for the stage, the interviewer
	// of the next interview and the date the candidate hears back by.
	checkGuide := func(guide, stage, interviewer string) {
		t.Helper()
		must("open the Guide", chromedp.Navigate(guide), waitForPage(func(path string) bool { return strings.HasPrefix(path, "/guide/") }))
		a11y("Guide")
		if got := text(".guide-stage-current h3"); !strings.Contains(got, stage) {
			t.Errorf("the Guide shows the current stage %q, want %q", got, stage)
		}
		page := text("main")
		if interviewer != "" && !strings.Contains(page, interviewer) {
			t.Errorf("the Guide at %q does not name the interviewer %s:\n%s", stage, interviewer, page)
		}
		if !strings.Contains(page, "hear from us by") {
			t.Errorf("the Guide at %q does not say when the candidate hears back:\n%s", stage, page)
		}
	}

	stageOf := func(app string) string {
		t.Helper()
		open(app)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](
			`[...document.querySelectorAll('dl.facts > div')].find(d => d.querySelector('dt').textContent === 'Stage').querySelector('dd').textContent`))
		if err != nil {
			t.Fatalf("read the stage of %s: %v", app, err)
		}
		if i := strings.Index(v, "("); i >= 0 {
			v = v[:i]
		}
		return strings.TrimSpace(v)
	}

	// work takes the application through the stages: each interview is
	// scheduled and seen on the Guide, every open step is marked done, and
	// the application moves on. special, when it returns true, has done a
	// stage's steps itself.
	work := func(app, guide string, stages []loopStage, special func(st loopStage) bool) {
		t.Helper()
		for _, st := range stages {
			if got := stageOf(app); got != st.name {
				t.Fatalf("%s is in stage %q, want %q", app, got, st.name)
			}
			a11y("application page")
			if st.step != "" {
				schedule(app, st.name+": "+st.step, st.interviewer, nextSlot(), "")
				a11y("interview page")
			}
			checkGuide(guide, st.name, st.interviewer)
			open(app)
			if special == nil || !special(st) {
				for {
					n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('form[action$="/step"] button[value="done"]').length`))
					if err != nil {
						t.Fatal(err)
					}
					if n == 0 {
						break
					}
					reload("mark a step done", `document.querySelector('form[action$="/step"] button[value="done"]').click()`)
				}
			}
			clickButton("move forward from "+st.name, `form[action$="/advance"] button`, "Move forward")
		}
	}

	infraApp := findApplication("1003", "Amara Eze")
	backendApp := findApplication("1002", "Tomasz Wójcik")
	infraGuide := guideFor("amara.eze@example.com", "Staff Backend Engineer")
	backendGuide := guideFor("tomasz.wojcik@example.com", "Backend Engineer, Pipelines")

	// The technical interview of the backend loop's team stage is put in
	// the calendar at short notice first, so that it has begun by the time
	// the candidate reaches that stage and its outcome can be recorded.
	soon := time.Now().UTC().Add(70 * time.Second).Truncate(time.Minute)
	technical := schedule(backendApp, "Team interviews and references: Technical interview with a team manager",
		"Jun Takahashi", soon, "The candidate travels next week and asked to talk first.")

	work(infraApp, infraGuide, infrastructureLoop, nil)
	if got := stageOf(infraApp); got != "Offer" {
		t.Fatalf("after the infrastructure loop Amara is in %q, want Offer", got)
	}
	checkGuide(infraGuide, "Offer", "")

	work(backendApp, backendGuide, backendLoop, func(st loopStage) bool {
		switch st.name {
		case "Team interviews and references":
			// In another order than listed: the technical interview
			// took place, references came back, then the behavioral.
			for !time.Now().After(soon.Add(time.Second)) {
				time.Sleep(200 * time.Millisecond)
			}
			open(technical)
			a11y("interview page with an outcome to record")
			clickButton("record the technical interview", `form[action$="/outcome"] button`, "took place")
			if page := text("main"); !strings.Contains(page, "Done") {
				t.Errorf("the interview page does not show it done:\n%s", page)
			}
			open(backendApp)
			clickButton("references done", `form[action$="/step"] button[value="done"]`, "Reference checks")
			clickButton("behavioral done", `form[action$="/step"] button[value="done"]`, "Behavioral interview")
			return true
		case "VP of Engineering":
			return false
		}
		return false
	})
	if got := stageOf(backendApp); got == "CEO" {
		clickButton("pass over the CEO", `form[action$="/step"] button[value="skipped"]`, "Skip")
		clickButton("move forward from CEO", `form[action$="/advance"] button`, "Move forward")
	}
	if got := stageOf(backendApp); got != "Offer" {
		t.Fatalf("after the backend loop Tomasz is in %q, want Offer", got)
	}

	// The offer stage is told to the candidate in a message.
	open(backendApp + "/messages")
	const subject = "Your offer from Larkspur Labs"
	must("write the message",
		chromedp.SetValue(chromedp.CSS(`#subject`), subject),
		chromedp.SetValue(chromedp.CSS(`#body`), "Hello Tomasz,\n\nWe are preparing your offer and will send it within two business days."),
	)
	clickButton("send the message", `main form[method="post"] button[value="send"]`, "Send")
	if page := text("main"); !strings.Contains(page, subject) {
		t.Errorf("the messages page does not list the message sent:\n%s", page)
	}
	checkGuide(backendGuide, "Offer", "")

	// The invitation reached the candidate with a calendar that parses.
	deadline := time.Now().Add(30 * time.Second)
	var cal []byte
	for cal == nil && time.Now().Before(deadline) {
		for _, m := range smtp.Messages() {
			if len(m.To) != 1 || m.To[0] != "tomasz.wojcik@example.com" || !strings.Contains(m.Subject+m.Text, "Technical interview with a team manager") {
				continue
			}
			for _, part := range m.Parts {
				if part.MediaType == "text/calendar" {
					cal = part.Body
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if cal == nil {
		t.Fatal("no invitation with a text/calendar part reached the candidate")
	}
	parsed, err := ical.NewDecoder(bytes.NewReader(cal)).Decode()
	if err != nil {
		t.Fatalf("the invitation's calendar does not parse: %v\n%s", err, cal)
	}
	events := parsed.Events()
	if len(events) != 1 {
		t.Fatalf("the invitation holds %d events, want 1", len(events))
	}
	if start, err := events[0].DateTimeStart(time.UTC); err != nil || !start.Equal(soon) {
		t.Errorf("the invitation starts %v (%v), want %s", start, err, soon)
	}
}

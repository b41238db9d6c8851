package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// guideStart is the clock of the Guide's tests: Monday 6 April 2026, 09:00 UTC.
var guideStart = time.Date(2026, time.April, 6, 9, 0, 0, 0, time.UTC)

const (
	teamStage      = "Team interviews and references"
	technicalStep  = "Technical interview with a team manager"
	technicalNotes = "A technical conversation with an engineering manager"
	// technicalInstructions are the seeded instructions for interviewers.
	technicalInstructions = "Technical discussion led by an engineering manager"
)

// guideWorld is a running server with an opening on the backend loop, its
// recruiter signed in, and one application placed in the stage of three
// steps with a technical interview scheduled.
type guideWorld struct {
	e           *env
	db          *store.DB
	clock       *hiringtest.Clock
	staff       *client
	coordinator *hiring.User
	ada, ben    *hiring.User
	opening     *hiring.Opening
	plan        *hiring.InterviewPlan
	interviews  *store.InterviewService
	app         *hiring.Application
	token       string
	interview   *hiring.Interview
}

func newGuideWorld(t *testing.T, db *store.DB, clock *hiringtest.Clock) *guideWorld {
	t.Helper()
	w := &guideWorld{db: db, clock: clock, interviews: store.NewInterviewService(db, store.InterviewOptions{CompanyName: "Larkspur"})}
	w.e = mustEnv(t, db, func(d *web.Deps) {
		d.Now = clock.Now
		d.CompanyName = "Larkspur"
		d.Interviews = w.interviews
		d.Pipeline = store.NewPipelineService(db, store.PipelineOptions{Interviews: w.interviews})
		d.Guide = store.NewGuideService(db, store.GuideOptions{
			LinkURL: func(token string) string { return web.GuideURL("https://jobs.example.org", token) }})
	})
	w.staff = w.e.mustSignIn(hiring.RoleRecruiter)
	w.coordinator, _ = hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
	w.ada, _ = hiringtest.MustCreateUser(t, db, hiring.RoleInterviewer)
	w.ben, _ = hiringtest.MustCreateUser(t, db, hiring.RoleInterviewer)
	mustExec(t, db, fmt.Sprintf(`UPDATE users SET name = 'Ada Quill', job_title = 'Engineering Manager, Storage',
		profile_url = 'https://people.example.org/ada' WHERE id = %d`, w.ada.ID))
	mustExec(t, db, fmt.Sprintf(`UPDATE users SET name = 'Ben Tarn', job_title = 'Staff Engineer' WHERE id = %d`, w.ben.ID))
	w.opening = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Queue Keeper",
		RecruiterID: &w.staff.user.ID, CoordinatorID: &w.coordinator.ID})
	w.plan = hiringtest.MustApplyTemplate(t, db, w.opening.ID, hiringtest.BackendTemplate)
	w.app, w.token = w.apply(t, "sam@example.org", "America/New_York")
	w.interview = w.placeWithInterview(t, w.app)
	return w
}

func mustExec(t *testing.T, db *store.DB, query string) {
	t.Helper()
	if _, err := db.SQL().ExecContext(context.Background(), query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// apply sends an application as email; zone, when set, is the candidate's.
func (w *guideWorld) apply(t *testing.T, email, zone string) (*hiring.Application, string) {
	t.Helper()
	res, err := w.e.deps.Applications.Apply(context.Background(), hiringtest.SampleApplication(w.opening, email))
	if err != nil {
		t.Fatalf("apply as %s: %v", email, err)
	}
	if zone != "" {
		mustExec(t, w.db, fmt.Sprintf("UPDATE candidates SET time_zone = '%s' WHERE id = %d", zone, res.Candidate.ID))
	}
	return res.Application, res.GuideToken
}

// placeWithInterview moves the application to the stage of three steps and
// schedules its technical interview on Monday 13 April 2026, 10:00 in
// Berlin, with Ada and Ben.
func (w *guideWorld) placeWithInterview(t *testing.T, a *hiring.Application) *hiring.Interview {
	t.Helper()
	ctx := hiring.NewContextWithActor(context.Background(), w.staff.user)
	stage := hiringtest.StageNamed(t, w.plan, teamStage)
	if _, err := w.e.deps.Pipeline.MoveTo(ctx, a.ID, stage.ID, 1, ""); err != nil {
		t.Fatalf("move to %s: %v", teamStage, err)
	}
	var stepID int64
	for _, st := range stage.Steps {
		if st.Name == technicalStep {
			stepID = st.ID
		}
	}
	iv, err := w.interviews.ScheduleInterview(ctx, a.ID, hiring.InterviewInput{StepID: &stepID,
		LocalStart: "2026-04-13T10:00", TimeZone: "Europe/Berlin", InterviewerIDs: []int64{w.ada.ID, w.ben.ID},
		VideoURL: "https://meet.example.org/queue-keeper", AcceptOverlap: true})
	if err != nil {
		t.Fatalf("schedule: %v", err)
	}
	return iv
}

// guideOf is the Guide's address for a token.
func guideOf(token string) string { return "/guide/" + token }

// formKey reads the key the Guide's forms carry.
func formKey(t *testing.T, c *client, token string) string {
	t.Helper()
	page := c.get(guideOf(token))
	page.wantStatus(t, http.StatusOK)
	key, ok := page.doc(t).Find(`input[name="form_key"]`).First().Attr("value")
	if !ok || key == "" {
		t.Fatal("the Guide's forms carry no key")
	}
	return key
}

// mail returns the outbox messages of a kind, oldest first.
func (w *guideWorld) mail(t *testing.T, kind hiring.MessageKind) []*hiring.Message {
	t.Helper()
	msgs, _, err := w.e.deps.Outbox.FindMessages(context.Background(), hiring.MessageFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []*hiring.Message
	for _, m := range msgs {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b *hiring.Message) int { return int(a.ID - b.ID) })
	return out
}

// checkHeadingOrder fails when a heading skips a level on the way down.
func checkHeadingOrder(t *testing.T, d *goquery.Document) {
	t.Helper()
	prev := 0
	d.Find("main h1, main h2, main h3, main h4, main h5, main h6").Each(func(_ int, s *goquery.Selection) {
		level := int(goquery.NodeName(s)[1] - '0')
		if level > prev+1 {
			t.Errorf("heading %q is an h%d after an h%d", strings.TrimSpace(s.Text()), level, prev)
		}
		prev = level
	})
}

// invalidText is the main text of the page of a link that does not work.
func invalidText(t *testing.T, res *response) string {
	t.Helper()
	res.wantStatus(t, http.StatusNotFound)
	text := strings.Join(strings.Fields(res.doc(t).Find("main").Text()), " ")
	if !strings.Contains(text, "This link does not work") || !strings.Contains(text, "contact the recruiter") ||
		!strings.Contains(text, "Send me a new link") {
		t.Errorf("the page of a link that does not work says %q", text)
	}
	return text
}

func wantPrivate(t *testing.T, res *response) {
	t.Helper()
	if got := res.Header.Get("Cache-Control"); got != "private, no-store" {
		t.Errorf("Cache-Control %q, want private, no-store", got)
	}
	if got := res.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy %q, want no-referrer", got)
	}
}

func TestGuideShowsTheCandidateTheirApplication(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db, func(d *web.Deps) { d.Guide = store.NewGuideService(db, store.GuideOptions{}) })
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Pipeline Gardener"})
		res, err := e.deps.Applications.Apply(context.Background(), hiringtest.SampleApplication(o, "robin@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		page := e.anonymous().get("/guide/" + res.GuideToken)
		page.wantStatus(t, http.StatusOK)
		wantPrivate(t, page)
		doc := page.doc(t)
		checkAccessible(t, "guide", doc)
		checkHeadingOrder(t, doc)
		text := doc.Find("main").Text()
		for _, want := range []string{"Pipeline Gardener", "reviewing it", "What happens next", "No interview is scheduled yet"} {
			if !strings.Contains(text, want) {
				t.Errorf("guide does not say %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "nightly loads") {
			t.Error("guide shows the cover letter; it shows only where the application stands")
		}
	})
}

func TestGuideShowsTheLoopAndTheInterviews(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		w := newGuideWorld(t, db, clock)
		page := w.e.anonymous().get(guideOf(w.token))
		page.wantStatus(t, http.StatusOK)
		wantPrivate(t, page)
		doc := page.doc(t)
		checkAccessible(t, "guide", doc)
		checkHeadingOrder(t, doc)

		t.Run("StagesInOrderWithTheCurrentOneMarked", func(t *testing.T) {
			var names []string
			doc.Find("ol.guide-stages > li > h3").Each(func(_ int, s *goquery.Selection) {
				names = append(names, strings.TrimSpace(s.Contents().First().Text()))
			})
			var want []string
			for _, g := range w.plan.Stages {
				want = append(want, g.Name)
			}
			if strings.Join(names, "|") != strings.Join(want, "|") {
				t.Errorf("stages %q, want %q", names, want)
			}
			cur := doc.Find(`ol.guide-stages > li[aria-current="step"]`)
			if cur.Length() != 1 || !strings.Contains(cur.Find("h3").Text(), teamStage) ||
				!strings.Contains(cur.Text(), "You are here") {
				t.Errorf("current stage %q, want %q marked with aria-current and in words", cur.Text(), teamStage)
			}
			if status := doc.Find("main").Text(); !strings.Contains(status, "You are in the “"+teamStage+"” stage") {
				t.Errorf("the status does not name the stage %q", teamStage)
			}
			if !strings.Contains(cur.Text(), "These steps happen in any order.") {
				t.Error("a stage of three steps does not say they happen in any order")
			}
			if !strings.Contains(cur.Text(), technicalStep) || !strings.Contains(cur.Text(), "1 h") {
				t.Errorf("the steps of the stage lack names or durations: %q", cur.Text())
			}
		})

		t.Run("WhatComesNextAndTheReplyDate", func(t *testing.T) {
			next := strings.Join(strings.Fields(doc.Find(`section[aria-labelledby="next-title"]`).Text()), " ")
			if !strings.Contains(next, "The next stage is VP of Engineering, about 1 h of conversations in all.") {
				t.Errorf("what comes next: %q", next)
			}
			g, err := w.e.deps.Guide.FindGuide(context.Background(), w.token)
			if err != nil || g.HearBackBy == nil {
				t.Fatalf("reply date: %v, %v", g, err)
			}
			ny, _ := time.LoadLocation("America/New_York")
			wantDate := g.HearBackBy.In(ny).Format("Monday 2 January 2006")
			tm := doc.Find(`section[aria-labelledby="next-title"] time`)
			if tm.Text() != wantDate {
				t.Errorf("hear back by %q, want %q in the candidate's zone", tm.Text(), wantDate)
			}
			if !strings.Contains(next, "after every interview you hear back from us within 3 business days") {
				t.Errorf("the promise after interviews is missing: %q", next)
			}
		})

		t.Run("InterviewWithPeopleNotesAndTimes", func(t *testing.T) {
			iv := doc.Find("article.interview")
			if iv.Length() != 1 {
				t.Fatalf("%d interviews shown, want 1", iv.Length())
			}
			text := strings.Join(strings.Fields(iv.Text()), " ")
			for _, want := range []string{technicalStep, "Monday 13 April 2026, 10:00–11:00 (Europe/Berlin)",
				"Monday 13 April 2026, 04:00–05:00 (America/New_York)", "Ada Quill, Engineering Manager, Storage",
				"Ben Tarn, Staff Engineer", technicalNotes, "https://meet.example.org/queue-keeper"} {
				if !strings.Contains(text, want) {
					t.Errorf("interview does not say %q:\n%s", want, text)
				}
			}
			if href, _ := iv.Find(`a:contains("Ada Quill")`).Attr("href"); href != "https://people.example.org/ada" {
				t.Errorf("Ada's profile link %q", href)
			}
			if href, _ := iv.Find(`a[download]`).Attr("href"); href != guideOf(w.token)+"/interviews/"+itoa(w.interview.ID)+"/invite.ics" {
				t.Errorf("invitation link %q", href)
			}
			if strings.Contains(page.body, technicalInstructions) || strings.Contains(page.body, w.ada.Email) {
				t.Error("the Guide shows interviewer instructions or an interviewer's email address")
			}
		})
	})
}

func TestGuideInvitationDownload(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		w := newGuideWorld(t, db, clock)
		other, _ := w.apply(t, "kim@example.org", "")
		theirs := w.placeWithInterview(t, other)
		c := w.e.anonymous()

		res := c.get(guideOf(w.token) + "/interviews/" + itoa(w.interview.ID) + "/invite.ics")
		res.wantStatus(t, http.StatusOK)
		wantPrivate(t, res)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
			t.Errorf("Content-Type %q", ct)
		}
		if !strings.Contains(res.body, "BEGIN:VCALENDAR") || !strings.Contains(res.body, "UID:"+w.interview.UID) {
			t.Errorf("invitation:\n%s", res.body)
		}
		if strings.Contains(res.body, technicalInstructions) {
			t.Error("the candidate's invitation carries interviewer instructions")
		}

		refused := invalidText(t, c.get(guideOf(w.token)+"/interviews/"+itoa(theirs.ID)+"/invite.ics"))
		for _, path := range []string{"/interviews/999999/invite.ics", "/interviews/abc/invite.ics"} {
			if got := invalidText(t, c.get(guideOf(w.token)+path)); got != refused {
				t.Errorf("%s answers %q, another application's interview %q", path, got, refused)
			}
		}
	})
}

func TestGuideRefusesExpiredRevokedAndForgedLinksAlike(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		w := newGuideWorld(t, db, clock)
		c := w.e.anonymous()
		c.get(guideOf(w.token)).wantStatus(t, http.StatusOK)

		forged := w.token[:len(w.token)-2] + "xx"
		if forged == w.token {
			forged = w.token[:len(w.token)-2] + "yy"
		}
		res := c.get(guideOf(forged))
		wantPrivate(t, res)
		want := invalidText(t, res)
		if strings.Contains(res.body, w.opening.Title) {
			t.Error("the page of a forged link names the job")
		}
		for _, token := range []string{"short", strings.Repeat("a", 500), "%00", "..%2F..%2Fetc"} {
			if got := invalidText(t, c.get(guideOf(token))); got != want {
				t.Errorf("malformed %q says %q, forged %q", token, got, want)
			}
		}
		// Posting to a forged link changes nothing and says the same.
		if got := invalidText(t, c.postForm(guideOf(forged)+"/message", url.Values{"message": {"hello"}})); got != want {
			t.Errorf("post to a forged link says %q", got)
		}

		revoke := w.staff.postForm("/applications/"+itoa(w.app.ID)+"/guide/revoke", nil)
		revoke.wantStatus(t, http.StatusSeeOther)
		if got := invalidText(t, c.get(guideOf(w.token))); got != want {
			t.Errorf("revoked link says %q, forged %q", got, want)
		}

		other, token := w.apply(t, "kim@example.org", "")
		c.get(guideOf(token)).wantStatus(t, http.StatusOK)
		clock.Advance(other.RetainUntil.Sub(clock.Now()) + time.Minute)
		if got := invalidText(t, c.get(guideOf(token))); got != want {
			t.Errorf("expired link says %q, forged %q", got, want)
		}
	})
}

func TestGuideRecruiterSendsANewLink(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		w := newGuideWorld(t, db, clock)
		page := w.staff.get("/applications/" + itoa(w.app.ID))
		page.wantStatus(t, http.StatusOK)
		if page.doc(t).Find(`form[action="/applications/`+itoa(w.app.ID)+`/guide/link"] button`).Length() != 1 {
			t.Fatal("the application page has no button to send a new link")
		}
		interviewer := w.e.mustSignIn(hiring.RoleInterviewer)
		if res := interviewer.postForm("/applications/"+itoa(w.app.ID)+"/guide/link", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("an interviewer sends a new link: status %d, want 403", res.StatusCode)
		}
		if n := len(w.mail(t, hiring.KindGuideLink)); n != 0 {
			t.Fatalf("%d link mails after a refused request", n)
		}

		res := w.staff.postForm("/applications/"+itoa(w.app.ID)+"/guide/link", nil)
		res.wantStatus(t, http.StatusSeeOther)
		links := w.mail(t, hiring.KindGuideLink)
		if len(links) != 1 || links[0].To != "sam@example.org" {
			t.Fatalf("link mails %+v, want one to the candidate", links)
		}
		m := regexp.MustCompile(`https://jobs\.example\.org/guide/([A-Za-z0-9_-]+)`).FindStringSubmatch(links[0].TextBody)
		if m == nil {
			t.Fatalf("no link in %q", links[0].TextBody)
		}
		c := w.e.anonymous()
		c.get(guideOf(m[1])).wantStatus(t, http.StatusOK)
		invalidText(t, c.get(guideOf(w.token)))
	})
}

func TestGuideAdjustmentsAndMessages(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		w := newGuideWorld(t, db, clock)
		c := w.e.anonymous()
		key := formKey(t, c, w.token)

		t.Run("AdjustmentIsRoutedAndAcknowledged", func(t *testing.T) {
			res := c.postForm(guideOf(w.token)+"/adjustment", url.Values{"form_key": {key},
				"adjustment": {"Please turn on captions in the video call."}})
			res.wantStatus(t, http.StatusSeeOther)
			page := c.get(res.Header.Get("Location"))
			page.wantStatus(t, http.StatusOK)
			doc := page.doc(t)
			if st := doc.Find(`main [role="status"]`).Text(); !strings.Contains(st, "We received your request for adjustments") {
				t.Errorf("confirmation %q", st)
			}
			if !strings.Contains(doc.Find(`section[aria-labelledby="adjust-title"]`).Text(), "Please turn on captions in the video call.") {
				t.Error("the Guide does not show what the candidate asked for")
			}
			notices := w.mail(t, hiring.KindAdjustmentNotice)
			if len(notices) != 1 || notices[0].To != w.coordinator.Email || !strings.Contains(notices[0].TextBody, "captions") {
				t.Errorf("notices %+v, want one to the coordinator", notices)
			}
			acks := w.mail(t, hiring.KindAdjustmentAck)
			if len(acks) != 1 || acks[0].To != "sam@example.org" {
				t.Errorf("acknowledgements %+v, want one to the candidate", acks)
			}
		})

		t.Run("MessageGoesToTheRecruiter", func(t *testing.T) {
			res := c.postForm(guideOf(w.token)+"/message", url.Values{"form_key": {key},
				"message": {"Could we move the call by an hour?"}})
			res.wantStatus(t, http.StatusSeeOther)
			page := c.get(res.Header.Get("Location"))
			if st := page.doc(t).Find(`main [role="status"]`).Text(); !strings.Contains(st, "Your message was sent to the recruiter.") {
				t.Errorf("confirmation %q", st)
			}
			msgs := w.mail(t, hiring.KindCandidateMessage)
			if len(msgs) != 1 || msgs[0].To != w.staff.user.Email || !strings.Contains(msgs[0].TextBody, "move the call by an hour") {
				t.Errorf("messages %+v, want one to the recruiter", msgs)
			}
			app := w.staff.get("/applications/" + itoa(w.app.ID))
			tl := app.doc(t).Find("ol.timeline").Text()
			if !strings.Contains(tl, "Message from the candidate") || !strings.Contains(tl, "Could we move the call by an hour?") {
				t.Errorf("the timeline lacks the message:\n%s", tl)
			}
		})

		t.Run("BadInputIsShownBesideTheFieldAndKept", func(t *testing.T) {
			long := strings.Repeat("word ", hiring.MaxGuideTextLen/5+1)
			res := c.postForm(guideOf(w.token)+"/message", url.Values{"form_key": {key}, "message": {long}})
			res.wantStatus(t, http.StatusBadRequest)
			doc := res.doc(t)
			checkAccessible(t, "guide with an error", doc)
			if doc.Find("#message-error").Length() != 1 {
				t.Error("no message beside the field")
			}
			if got := doc.Find("textarea#message").Text(); got != long {
				t.Error("the text typed was not kept")
			}
			res = c.postForm(guideOf(w.token)+"/adjustment", url.Values{"form_key": {key}, "adjustment": {"  "}})
			res.wantStatus(t, http.StatusBadRequest)
			if res.doc(t).Find("#adjustment-error").Length() != 1 {
				t.Error("no message beside the empty adjustment")
			}
			if n := len(w.mail(t, hiring.KindCandidateMessage)); n != 1 {
				t.Errorf("%d messages after refused posts, want 1", n)
			}
		})

		t.Run("FormsFromElsewhereAreRefused", func(t *testing.T) {
			res := c.postForm(guideOf(w.token)+"/message", url.Values{"message": {"no key"}})
			res.wantStatus(t, http.StatusForbidden)
			cross := w.e.anonymous()
			cross.header.Set("Origin", "https://evil.example")
			cross.header.Set("Sec-Fetch-Site", "cross-site")
			res = cross.postForm(guideOf(w.token)+"/message", url.Values{"form_key": {key}, "message": {"forged"}})
			res.wantStatus(t, http.StatusForbidden)
			if n := len(w.mail(t, hiring.KindCandidateMessage)); n != 1 {
				t.Errorf("%d messages after refused posts, want 1", n)
			}
		})
	})
}

func TestGuidePostsAreRateLimitedPerLink(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		w := newGuideWorld(t, db, clock)
		c := w.e.anonymous()
		key := formKey(t, c, w.token)
		var statuses []int
		for i := range 7 {
			res := c.postForm(guideOf(w.token)+"/message", url.Values{"form_key": {key}, "message": {fmt.Sprintf("Note %d", i)}})
			statuses = append(statuses, res.StatusCode)
		}
		if !slices.Contains(statuses, http.StatusTooManyRequests) {
			t.Errorf("statuses %v: seven posts at once were all taken", statuses)
		}
		clock.Advance(time.Minute)
		res := c.postForm(guideOf(w.token)+"/message", url.Values{"form_key": {key}, "message": {"Later"}})
		res.wantStatus(t, http.StatusSeeOther)
	})
}

func TestGuideWithdrawWorksOnce(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		w := newGuideWorld(t, db, clock)
		c := w.e.anonymous()
		confirm := c.get(guideOf(w.token) + "/withdraw")
		confirm.wantStatus(t, http.StatusOK)
		wantPrivate(t, confirm)
		doc := confirm.doc(t)
		checkAccessible(t, "withdraw", doc)
		key, _ := doc.Find(`input[name="form_key"]`).Attr("value")
		if n := len(w.mail(t, hiring.KindWithdrawalNotice)); n != 0 {
			t.Fatal("the confirmation step withdrew already")
		}

		res := c.postForm(guideOf(w.token)+"/withdraw", url.Values{"form_key": {key}, "note": {"I accepted another offer."}})
		res.wantStatus(t, http.StatusSeeOther)
		page := c.get(res.Header.Get("Location"))
		page.wantStatus(t, http.StatusOK)
		text := page.doc(t).Find("main").Text()
		if !strings.Contains(text, "You withdrew this application.") || !strings.Contains(text, "You withdrew your application. We told the recruiter.") {
			t.Errorf("after withdrawing the Guide says:\n%s", text)
		}
		if page.doc(t).Find(`form[action$="/message"], form[action$="/adjustment"], a[href$="/withdraw"]`).Length() != 0 {
			t.Error("a withdrawn application still offers actions")
		}
		again := c.postForm(guideOf(w.token)+"/withdraw", url.Values{"form_key": {key}})
		again.wantStatus(t, http.StatusSeeOther)
		notices := w.mail(t, hiring.KindWithdrawalNotice)
		if len(notices) != 1 || notices[0].To != w.staff.user.Email || !strings.Contains(notices[0].TextBody, "I accepted another offer.") {
			t.Errorf("withdrawal notices %+v, want one to the recruiter with the note", notices)
		}
		tl, err := w.e.deps.Pipeline.Timeline(context.Background(), w.app.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ev := range tl {
			if ev.Kind == hiring.EventWithdrawn {
				n++
				if ev.Actor != hiring.CandidateActor {
					t.Errorf("withdrawn by %q, want the candidate", ev.Actor)
				}
			}
		}
		if n != 1 {
			t.Errorf("%d withdrawals on the timeline, want 1", n)
		}
	})
}

func TestGuideSendsANewLinkByEmailAddress(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		w := newGuideWorld(t, db, clock)
		c := w.e.anonymous()
		answer := func(email string) string {
			t.Helper()
			res := c.postForm("/guide/resend", url.Values{"email": {email}})
			res.wantStatus(t, http.StatusOK)
			wantPrivate(t, res)
			return strings.Join(strings.Fields(res.doc(t).Find("main").Text()), " ")
		}
		known := answer("Sam@Example.org")
		if !strings.Contains(known, "If we have an application for this address, we sent a new link") {
			t.Errorf("answer %q", known)
		}
		if unknown := answer("nobody@example.org"); unknown != known {
			t.Errorf("unknown address answered %q, known %q", unknown, known)
		}
		w.e.srv.WaitGuideResends()
		links := w.mail(t, hiring.KindGuideLink)
		if len(links) != 1 || links[0].To != "sam@example.org" || *links[0].ApplicationID != w.app.ID {
			t.Errorf("links sent %+v, want one to sam@example.org", links)
		}

		bad := c.postForm("/guide/resend", url.Values{"email": {"not an address"}})
		bad.wantStatus(t, http.StatusBadRequest)
		doc := bad.doc(t)
		checkAccessible(t, "resend", doc)
		if doc.Find("#email-error").Length() != 1 {
			t.Error("no message beside the email field")
		}
		if v, _ := doc.Find("input#email").Attr("value"); v != "not an address" {
			t.Errorf("the address typed was not kept: %q", v)
		}

		limited := false
		for range 5 {
			if c.postForm("/guide/resend", url.Values{"email": {"kim@example.org"}}).StatusCode == http.StatusTooManyRequests {
				limited = true
			}
		}
		if !limited {
			t.Error("requests for new links from one address are not limited")
		}
		w.e.srv.WaitGuideResends()
	})
}

package store_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

var guideStart = time.Date(2026, time.April, 6, 9, 0, 0, 0, time.UTC)

// guideFixture is an opening with a recruiter and a coordinator, and one
// application with its private link.
type guideFixture struct {
	db          *store.DB
	clock       *hiringtest.Clock
	guide       *store.GuideService
	pipeline    *store.PipelineService
	outbox      *store.OutboxService
	opening     *hiring.Opening
	recruiter   *hiring.User
	coordinator *hiring.User
	app         *hiring.Application
	token       string
}

func newGuideFixture(t *testing.T, db *store.DB, clock *hiringtest.Clock, opts store.GuideOptions) *guideFixture {
	t.Helper()
	f := &guideFixture{db: db, clock: clock, outbox: store.NewOutboxService(db),
		pipeline: store.NewPipelineService(db, store.PipelineOptions{})}
	opts.LinkURL = func(token string) string { return "https://jobs.example.org/guide/" + token }
	f.guide = store.NewGuideService(db, opts)
	f.recruiter, _ = hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
	f.coordinator, _ = hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
	f.opening = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Queue Keeper",
		RecruiterID: &f.recruiter.ID, CoordinatorID: &f.coordinator.ID})
	f.app, f.token = f.apply(t, f.opening, "sam@example.org")
	return f
}

func (f *guideFixture) apply(t *testing.T, o *hiring.Opening, email string) (*hiring.Application, string) {
	t.Helper()
	res, err := store.NewApplicationService(f.db, hiringtest.MustNewBlobStore(t), store.ApplyRules{}).
		Apply(context.Background(), hiringtest.SampleApplication(o, email))
	if err != nil {
		t.Fatalf("apply as %s: %v", email, err)
	}
	return res.Application, res.GuideToken
}

// mail returns the queued messages of a kind, oldest first.
func (f *guideFixture) mail(t *testing.T, kind hiring.MessageKind) []*hiring.Message {
	t.Helper()
	msgs, _, err := f.outbox.FindMessages(context.Background(), hiring.MessageFilter{Limit: 500})
	if err != nil {
		t.Fatalf("find messages: %v", err)
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

var guideLinkInMail = regexp.MustCompile(`https://jobs\.example\.org/guide/([A-Za-z0-9_-]+)`)

// tokenIn reads the link's secret from an email.
func tokenIn(t *testing.T, m *hiring.Message) string {
	t.Helper()
	sub := guideLinkInMail.FindStringSubmatch(m.TextBody)
	if sub == nil {
		t.Fatalf("no private link in %q", m.TextBody)
	}
	return sub[1]
}

// wantLinkDead asserts the one answer every link that does not work gets.
func wantLinkDead(t *testing.T, g *store.GuideService, token, why string) {
	t.Helper()
	_, err := g.FindGuide(context.Background(), token)
	if hiring.ErrorCode(err) != hiring.ENOTFOUND || hiring.ErrorMessage(err) != "This link does not work." {
		t.Errorf("%s: FindGuide = %v, want ENOTFOUND \"This link does not work.\"", why, err)
	}
}

func wantLinkWorks(t *testing.T, g *store.GuideService, token string, appID int64) *hiring.Guide {
	t.Helper()
	got, err := g.FindGuide(context.Background(), token)
	if err != nil {
		t.Fatalf("FindGuide: %v", err)
	}
	if got.Application.ID != appID {
		t.Fatalf("link opens application %d, want %d", got.Application.ID, appID)
	}
	return got
}

func TestGuideLinksAreRevokedAndReplaced(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newGuideFixture(t, db, clock, store.GuideOptions{})
		g := wantLinkWorks(t, f.guide, f.token, f.app.ID)
		if !g.ExpiresAt.Equal(f.app.RetainUntil) {
			t.Errorf("a new link expires %v, want the retention date %v", g.ExpiresAt, f.app.RetainUntil)
		}
		forged := f.token[:len(f.token)-2] + "xx"
		if forged == f.token {
			forged = f.token[:len(f.token)-2] + "yy"
		}
		wantLinkDead(t, f.guide, forged, "forged")
		wantLinkDead(t, f.guide, "short", "malformed")
		wantLinkDead(t, f.guide, strings.Repeat("a", 500), "too long")
		wantLinkDead(t, f.guide, "", "empty")

		ctx := hiring.NewContextWithActor(context.Background(), f.recruiter)
		if err := f.guide.RevokeGuideLink(ctx, f.app.ID); err != nil {
			t.Fatal(err)
		}
		wantLinkDead(t, f.guide, f.token, "revoked")
		if err := f.guide.RevokeGuideLink(ctx, 999999); hiring.ErrorCode(err) != hiring.ENOTFOUND {
			t.Errorf("revoke a missing application: %v, want ENOTFOUND", err)
		}

		if err := f.guide.IssueGuideLink(ctx, f.app.ID); err != nil {
			t.Fatal(err)
		}
		links := f.mail(t, hiring.KindGuideLink)
		if len(links) != 1 || links[0].To != "sam@example.org" {
			t.Fatalf("new link mail: %+v, want one to the candidate", links)
		}
		first := tokenIn(t, links[0])
		wantLinkWorks(t, f.guide, first, f.app.ID)
		wantLinkDead(t, f.guide, f.token, "the link before the revoked one")

		if err := f.guide.IssueGuideLink(ctx, f.app.ID); err != nil {
			t.Fatal(err)
		}
		links = f.mail(t, hiring.KindGuideLink)
		if len(links) != 2 {
			t.Fatalf("%d link mails, want 2", len(links))
		}
		second := tokenIn(t, links[1])
		wantLinkWorks(t, f.guide, second, f.app.ID)
		wantLinkDead(t, f.guide, first, "replaced")
	})
}

func TestGuideLinksExpire(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newGuideFixture(t, db, clock, store.GuideOptions{})
		keep := store.NewGuideService(db, store.GuideOptions{DaysAfterEnd: -1})
		if _, err := f.pipeline.Withdraw(context.Background(), f.app.ID, 1, "", true); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Duration(hiring.GuideDaysAfterEnd)*24*time.Hour - time.Minute)
		wantLinkWorks(t, f.guide, f.token, f.app.ID)
		clock.Advance(2 * time.Minute)
		wantLinkDead(t, f.guide, f.token, "ended long ago")
		wantLinkWorks(t, keep, f.token, f.app.ID)

		// An active application's link works until its retention date.
		other, token := f.apply(t, hiringtest.MustOpenOpening(t, db, hiring.NewOpening{}), "kim@example.org")
		clock.Advance(other.RetainUntil.Sub(clock.Now()) - time.Minute)
		wantLinkWorks(t, f.guide, token, other.ID)
		clock.Advance(time.Minute)
		wantLinkDead(t, f.guide, token, "past the retention date")
		wantLinkDead(t, keep, token, "past the retention date, kept after the end")
	})
}

func TestGuideResendSendsALinkPerActiveApplication(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newGuideFixture(t, db, clock, store.GuideOptions{})
		second, secondToken := f.apply(t, hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Cache Warden"}), "sam@example.org")
		revoked, _ := f.apply(t, hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Log Reader"}), "sam@example.org")
		ctx := context.Background()
		if err := f.guide.RevokeGuideLink(ctx, revoked.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.guide.ResendGuideLinks(ctx, "nobody@example.org"); err != nil {
			t.Fatalf("unknown address: %v, want no error", err)
		}
		if err := f.guide.ResendGuideLinks(ctx, "not an address"); err != nil {
			t.Fatalf("malformed address: %v, want no error", err)
		}
		if n := len(f.mail(t, hiring.KindGuideLink)); n != 0 {
			t.Fatalf("%d links sent for unknown addresses", n)
		}
		if err := f.guide.ResendGuideLinks(ctx, "  Sam@Example.org "); err != nil {
			t.Fatal(err)
		}
		links := f.mail(t, hiring.KindGuideLink)
		if len(links) != 2 {
			t.Fatalf("%d links sent, want one per active application whose link was not revoked", len(links))
		}
		byApp := map[int64]string{}
		for _, m := range links {
			if m.To != "sam@example.org" || m.ApplicationID == nil {
				t.Fatalf("link mail %+v", m)
			}
			byApp[*m.ApplicationID] = tokenIn(t, m)
		}
		if byApp[revoked.ID] != "" {
			t.Error("a link a recruiter revoked was sent again")
		}
		wantLinkWorks(t, f.guide, byApp[f.app.ID], f.app.ID)
		wantLinkWorks(t, f.guide, byApp[second.ID], second.ID)
		wantLinkDead(t, f.guide, f.token, "replaced by a resend")
		wantLinkDead(t, f.guide, secondToken, "replaced by a resend")
	})
}

func TestGuideAdjustmentsAndMessages(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newGuideFixture(t, db, clock, store.GuideOptions{})
		ctx := context.Background()
		before := wantLinkWorks(t, f.guide, f.token, f.app.ID)

		if err := f.guide.RequestAdjustment(ctx, f.app.ID, "  Please send questions in writing.  "); err != nil {
			t.Fatal(err)
		}
		if err := f.guide.RequestAdjustment(ctx, f.app.ID, "A later start, after 10:00."); err != nil {
			t.Fatal(err)
		}
		g := wantLinkWorks(t, f.guide, f.token, f.app.ID)
		if got, want := g.Application.AdjustmentRequest, "Please send questions in writing.\n\nA later start, after 10:00."; got != want {
			t.Errorf("adjustment request %q, want %q", got, want)
		}
		notices := f.mail(t, hiring.KindAdjustmentNotice)
		if len(notices) != 2 || notices[0].To != f.coordinator.Email ||
			!strings.Contains(notices[0].TextBody, "Please send questions in writing.") {
			t.Errorf("notices %+v, want two to the coordinator %s", notices, f.coordinator.Email)
		}
		acks := f.mail(t, hiring.KindAdjustmentAck)
		if len(acks) != 2 || acks[1].To != "sam@example.org" || !strings.Contains(acks[1].TextBody, "A later start") {
			t.Errorf("acknowledgements %+v, want two to the candidate", acks)
		}

		if err := f.guide.SendCandidateMessage(ctx, f.app.ID, "Is the office step-free?"); err != nil {
			t.Fatal(err)
		}
		msgs := f.mail(t, hiring.KindCandidateMessage)
		if len(msgs) != 1 || msgs[0].To != f.recruiter.Email || !strings.Contains(msgs[0].TextBody, "Is the office step-free?") {
			t.Errorf("messages %+v, want one to the recruiter %s", msgs, f.recruiter.Email)
		}
		after := wantLinkWorks(t, f.guide, f.token, f.app.ID)
		if (before.HearBackBy == nil) != (after.HearBackBy == nil) ||
			before.HearBackBy != nil && !before.HearBackBy.Equal(*after.HearBackBy) {
			t.Errorf("reply date moved from %v to %v; a candidate writing owes them nothing new", before.HearBackBy, after.HearBackBy)
		}

		tl, err := f.pipeline.Timeline(ctx, f.app.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range tl {
			if e.Kind == hiring.EventAdjustmentRequested || e.Kind == hiring.EventCandidateMessage {
				if e.Actor != hiring.CandidateActor || e.ActorID != nil {
					t.Errorf("event %s by %q (%v), want the candidate", e.Kind, e.Actor, e.ActorID)
				}
				kinds = append(kinds, string(e.Kind)+": "+e.Note)
			}
		}
		want := []string{"adjustment_requested: Please send questions in writing.",
			"adjustment_requested: A later start, after 10:00.", "candidate_message: Is the office step-free?"}
		if strings.Join(kinds, "|") != strings.Join(want, "|") {
			t.Errorf("timeline %q, want %q", kinds, want)
		}

		for _, bad := range []string{"", "   ", strings.Repeat("x", hiring.MaxGuideTextLen+1)} {
			err := f.guide.SendCandidateMessage(ctx, f.app.ID, bad)
			if hiring.ErrorCode(err) != hiring.EINVALID || hiring.ErrorFields(err)["message"] == "" {
				t.Errorf("message %.10q: %v, want EINVALID on message", bad, err)
			}
			err = f.guide.RequestAdjustment(ctx, f.app.ID, bad)
			if hiring.ErrorCode(err) != hiring.EINVALID || hiring.ErrorFields(err)["adjustment"] == "" {
				t.Errorf("adjustment %.10q: %v, want EINVALID on adjustment", bad, err)
			}
		}
		if n := len(f.mail(t, hiring.KindCandidateMessage)); n != 1 {
			t.Errorf("%d messages after refused ones, want 1", n)
		}
	})
}

func TestGuideWithdrawalByTheCandidateTellsTheRecruiter(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newGuideFixture(t, db, clock, store.GuideOptions{})
		ctx := context.Background()
		if _, err := f.pipeline.Withdraw(ctx, f.app.ID, 1, "I took another offer.", true); err != nil {
			t.Fatal(err)
		}
		if _, err := f.pipeline.Withdraw(ctx, f.app.ID, 2, "Again.", true); hiring.ErrorCode(err) != hiring.ECONFLICT {
			t.Errorf("second withdrawal: %v, want ECONFLICT", err)
		}
		notices := f.mail(t, hiring.KindWithdrawalNotice)
		if len(notices) != 1 || notices[0].To != f.recruiter.Email || !strings.Contains(notices[0].TextBody, "I took another offer.") {
			t.Errorf("withdrawal notices %+v, want one to the recruiter with the note", notices)
		}
		err := f.guide.RequestAdjustment(ctx, f.app.ID, "More time, please.")
		if hiring.ErrorCode(err) != hiring.ECONFLICT {
			t.Errorf("adjustment to a withdrawn application: %v, want ECONFLICT", err)
		}
	})
}

func TestWithdrawalRecordedByStaffSendsNoNotice(t *testing.T) {
	hiringtest.EnginesWithClock(t, guideStart, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		f := newGuideFixture(t, db, clock, store.GuideOptions{})
		if _, err := f.pipeline.Withdraw(context.Background(), f.app.ID, 1, "Told us on the phone.", false); err != nil {
			t.Fatal(err)
		}
		if notices := f.mail(t, hiring.KindWithdrawalNotice); len(notices) != 0 {
			t.Errorf("%d withdrawal notices for a withdrawal staff recorded, want none", len(notices))
		}
	})
}

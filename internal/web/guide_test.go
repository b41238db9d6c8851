package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestGuideShowsTheCandidateTheirApplication(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Pipeline Gardener"})
		res, err := e.deps.Applications.Apply(context.Background(), hiringtest.SampleApplication(o, "robin@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		page := e.anonymous().get("/guide/" + res.GuideToken)
		page.wantStatus(t, http.StatusOK)
		doc := page.doc(t)
		checkAccessible(t, "guide", doc)
		text := doc.Find("main").Text()
		for _, want := range []string{"Pipeline Gardener", "reviewing it", "What happens next"} {
			if !strings.Contains(text, want) {
				t.Errorf("guide does not say %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "nightly loads") {
			t.Error("guide shows the cover letter; it shows only where the application stands")
		}
		if cc := page.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("Cache-Control %q: a private page must not be stored", cc)
		}
	})
}

func TestGuideRefusesAWrongLinkPlainly(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		res, err := e.deps.Applications.Apply(context.Background(), hiringtest.SampleApplication(o, "robin@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		forged := res.GuideToken[:len(res.GuideToken)-1] + "x"
		if forged == res.GuideToken {
			forged = res.GuideToken[:len(res.GuideToken)-1] + "y"
		}
		for _, token := range []string{forged, "short", strings.Repeat("a", 500)} {
			page := e.anonymous().get("/guide/" + token)
			page.wantStatus(t, http.StatusNotFound)
			text := page.doc(t).Find("main").Text()
			if !strings.Contains(text, "This link does not work") || strings.Contains(text, o.Title) {
				t.Errorf("wrong link %q: page says %q", token, text)
			}
		}
	})
}

package jobboard_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/jobboard"
	"hireloop/internal/store"
)

// serveCached serves h with a one-minute cache on clock, and returns the
// board and whether its job list shows a job.
func serveCached(t *testing.T, db *store.DB, h *jobboard.Handler, clock *hiringtest.Clock) (*board, func(int64) bool) {
	t.Helper()
	h.CacheTTL = time.Minute
	h.Now = clock.Now
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cached := &board{db: db, h: h, srv: srv}
	return cached, func(id int64) bool {
		var got struct{ Jobs []jobboard.Job }
		cached.mustGetJSON(t, path("/jobs"), &got)
		return hasJob(got.Jobs, id)
	}
}

func TestCache(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		b := mustNewBoard(t, db)
		clock := hiringtest.NewClock(testNow)
		h := newHandler(t, db)
		cached, listed := serveCached(t, db, h, clock)

		t.Run("ANewJobShowsAfterTheTTL", func(t *testing.T) {
			listed(b.data.ID)
			fresh := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Fresh Job"})
			if listed(fresh.ID) {
				t.Error("a job opened within the TTL is listed; the cached board should still be in use")
			}
			status, _ := cached.get(t, path("/jobs/%d", fresh.ID))
			if status != http.StatusNotFound {
				t.Errorf("GET the new job within the TTL = %d; want 404 from the cached board", status)
			}
			clock.Advance(time.Minute)
			if !listed(fresh.ID) {
				t.Error("a job opened before the TTL ran out is not listed after it")
			}
		})
		t.Run("AClosedJobTakesNoApplicationsWhileCached", func(t *testing.T) {
			if !listed(b.marketing.ID) {
				t.Fatal("the job is not listed to begin with")
			}
			if _, err := store.NewOpeningService(db).SetOpeningStatus(t.Context(), b.marketing.ID, hiring.OpeningClosed); err != nil {
				t.Fatal(err)
			}
			if !listed(b.marketing.ID) {
				t.Error("the cached board no longer lists the job; the test cannot show the check")
			}
			ct, body := jsonBody(t, map[string]any{"first_name": "Late", "email": "late@example.com",
				"resume_text": "Late.", "data_compliance": map[string]any{"gdpr_consent_given": true}})
			status, resp := cached.post(t, b.marketing.ID, testKey, ct, body)
			wantError(t, status, resp, http.StatusNotFound)
			if apps := cached.applications(t, b.marketing); len(apps) != 0 {
				t.Errorf("%d applications stored for the closed job", len(apps))
			}
		})
		t.Run("AnOpenJobTakesApplicationsWhileCached", func(t *testing.T) {
			if !listed(b.sre.ID) {
				t.Fatal("the job is not listed to begin with")
			}
			ct, body := jsonBody(t, map[string]any{"first_name": "Prompt", "email": "prompt@example.com",
				"resume_text": "Prompt.", "data_compliance": map[string]any{"gdpr_consent_given": true}})
			cached.mustApply(t, b.sre.ID, ct, body)
			if apps := cached.applications(t, b.sre); len(apps) != 1 {
				t.Errorf("%d applications stored, want 1", len(apps))
			}
		})
		t.Run("AnswersAreTheSameFromTheCache", func(t *testing.T) {
			for _, p := range []string{path("/jobs?content=true"), path("/departments?render_as=tree"), path("/offices")} {
				_, first := cached.get(t, p)
				_, second := cached.get(t, p)
				if string(first) != string(second) {
					t.Errorf("%s differs between two requests within the TTL", p)
				}
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				_, jsonp := cached.get(t, p+sep+"callback=cb")
				if want := "/**/cb(" + strings.TrimSuffix(string(first), "\n") + ");\n"; string(jsonp) != want {
					t.Errorf("%s with a callback is not the cached answer wrapped", p)
				}
			}
		})
	})
}

// heldOpenings lets a test hold the board's read of the open jobs.
type heldOpenings struct {
	hiring.OpeningService
	hold    chan struct{} // reads wait for it to close when set
	started chan struct{}
}

func (h *heldOpenings) FindOpenings(ctx context.Context, f hiring.OpeningFilter) ([]*hiring.Opening, int, error) {
	if h.hold != nil {
		h.started <- struct{}{}
		<-h.hold
	}
	return h.OpeningService.FindOpenings(ctx, f)
}

func TestCacheAnswersFromTheExpiredBoardWhileTheNextIsRead(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		b := mustNewBoard(t, db)
		clock := hiringtest.NewClock(testNow)
		held := &heldOpenings{OpeningService: store.NewOpeningService(db)}
		h := newHandler(t, db)
		h.Openings = held
		cached, listed := serveCached(t, db, h, clock)
		srv := cached.srv
		if !listed(b.data.ID) {
			t.Fatal("the first read does not list the job")
		}
		fresh := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Fresh Job"})
		clock.Advance(time.Minute)

		// The first request after the TTL reads the store, and is held there.
		held.hold, held.started = make(chan struct{}), make(chan struct{}, 1)
		first := make(chan bool)
		go func() {
			resp, err := http.Get(srv.URL + path("/jobs"))
			if err != nil {
				first <- false
				return
			}
			defer resp.Body.Close()
			var got struct{ Jobs []jobboard.Job }
			first <- json.NewDecoder(resp.Body).Decode(&got) == nil && hasJob(got.Jobs, fresh.ID)
		}()
		select {
		case <-held.started:
		case <-time.After(10 * time.Second):
			t.Fatal("the request after the TTL did not read the store")
		}
		// Meanwhile another client is answered at once, from the expired board.
		if listed(fresh.ID) {
			t.Error("a request during the read lists the new job; want the expired board")
		}
		close(held.hold)
		if !<-first {
			t.Error("the request that read the store does not list the new job")
		}
		held.hold = nil
		if !listed(fresh.ID) {
			t.Error("after the read, the new job is not listed")
		}
	})
}

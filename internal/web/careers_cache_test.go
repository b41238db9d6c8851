package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// listTTL is how long the careers site promises a job list may be stale.
const listTTL = 2 * time.Second

func TestJobListCache(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		clock := hiringtest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		e := mustCareersEnv(t, db, func(d *web.Deps) { d.Now = clock.Now })
		f := mustCareersFixture(t, db)
		// plain asks for no compression; Go's client would otherwise ask
		// for gzip and hide the answer's encoding.
		plain := e.anonymous()
		plain.header.Set("Accept-Encoding", "identity")
		// Each subtest starts on an empty cache.
		expire := func() { clock.Advance(time.Minute) }

		t.Run("ReusesTheListUntilTheTTLEnds", func(t *testing.T) {
			expire()
			first := plain.get("/jobs")
			first.wantStatus(t, http.StatusOK)
			if got, want := first.Header.Get("Cache-Control"), "public, max-age=2"; got != want {
				t.Errorf("Cache-Control = %q, want %q", got, want)
			}
			fresh := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Freshly Opened Engineer"})
			defer mustCloseOpening(t, db, fresh.ID)

			clock.Advance(listTTL / 2)
			within := plain.get("/jobs")
			if within.body != first.body {
				t.Error("the list changed within the TTL; it should have come from the cache")
			}
			if got, want := within.Header.Get("Cache-Control"), "public, max-age=1"; got != want {
				t.Errorf("Cache-Control within the TTL = %q, want %q (what is left of it)", got, want)
			}

			clock.Advance(listTTL / 2)
			after := plain.get("/jobs")
			if !strings.Contains(after.body, "Freshly Opened Engineer") {
				t.Error("a job opened before the TTL ran out is not listed after it")
			}
		})

		t.Run("SendsGzipToClientsThatAcceptIt", func(t *testing.T) {
			expire()
			gz := e.anonymous()
			gz.header.Set("Accept-Encoding", "br, gzip")
			zipped := gz.get("/jobs")
			zipped.wantStatus(t, http.StatusOK)
			if got := zipped.Header.Get("Content-Encoding"); got != "gzip" {
				t.Fatalf("Content-Encoding = %q, want gzip", got)
			}
			unzipped := mustGunzip(t, zipped.body)
			identity := plain.get("/jobs")
			if got := identity.Header.Get("Content-Encoding"); got != "" {
				t.Errorf("Content-Encoding without gzip accepted = %q, want none", got)
			}
			if unzipped != identity.body {
				t.Error("the gzip answer differs from the plain one once decompressed")
			}
			if len(zipped.body) >= len(identity.body) {
				t.Errorf("gzip answer is %d bytes, plain %d; compression saved nothing", len(zipped.body), len(identity.body))
			}
			for _, res := range []*response{zipped, identity} {
				if v := res.Header.Get("Vary"); !strings.Contains(v, "Accept-Encoding") || !strings.Contains(v, "Cookie") {
					t.Errorf("Vary = %q, want Accept-Encoding and Cookie", v)
				}
			}
			if zipped.Header.Get("ETag") == identity.Header.Get("ETag") {
				t.Error("the gzip and plain answers share an ETag; each encoding needs its own")
			}
			refuses := e.anonymous()
			refuses.header.Set("Accept-Encoding", "gzip;q=0, *")
			if got := refuses.get("/jobs").Header.Get("Content-Encoding"); got != "" {
				t.Errorf("Content-Encoding for gzip;q=0 = %q, want none", got)
			}
		})

		t.Run("AnswersNotModifiedToAKnownETag", func(t *testing.T) {
			expire()
			first := plain.get("/jobs")
			etag := first.Header.Get("ETag")
			if !strings.HasPrefix(etag, `"`) {
				t.Fatalf("ETag = %q, want a quoted tag", etag)
			}
			for _, tag := range []string{etag, "W/" + etag, `"other", ` + etag} {
				c := e.anonymous()
				c.header.Set("Accept-Encoding", "identity")
				c.header.Set("If-None-Match", tag)
				res := c.get("/jobs")
				res.wantStatus(t, http.StatusNotModified)
				if res.body != "" {
					t.Errorf("If-None-Match %s: 304 with a body of %d bytes", tag, len(res.body))
				}
				if got := res.Header.Get("ETag"); got != etag {
					t.Errorf("If-None-Match %s: ETag = %q, want %q", tag, got, etag)
				}
			}

			fresh := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Changed List Engineer"})
			defer mustCloseOpening(t, db, fresh.ID)
			clock.Advance(listTTL)
			c := e.anonymous()
			c.header.Set("If-None-Match", etag)
			res := c.get("/jobs")
			res.wantStatus(t, http.StatusOK)
			if !strings.Contains(res.body, "Changed List Engineer") {
				t.Error("after a change the old ETag does not bring the new list")
			}
		})

		t.Run("KeysFiltersSeparately", func(t *testing.T) {
			expire()
			data, people := itoa(*f.data.DepartmentID), itoa(*f.people.DepartmentID)
			want := map[string][]string{
				"/jobs":                      {"Data: Data Platform Engineer, Pipelines", "People: Talent Partner"},
				"/jobs?department=" + data:   {"Data: Data Platform Engineer, Pipelines"},
				"/jobs?department=" + people: {"People: Talent Partner"},
			}
			// Twice: the first round fills the cache, the second reads it.
			for round := range 2 {
				for _, p := range []string{"/jobs", "/jobs?department=" + data, "/jobs?department=" + people} {
					res := plain.get(p)
					res.wantStatus(t, http.StatusOK)
					if diff := cmp.Diff(want[p], jobList(t, res.doc(t))); diff != "" {
						t.Errorf("round %d, %s (-want +got):\n%s", round+1, p, diff)
					}
				}
			}
			same := plain.get("/jobs?utm_source=newsletter")
			if got, want := same.Header.Get("ETag"), plain.get("/jobs").Header.Get("ETag"); got != want {
				t.Errorf("a query parameter the list ignores gives ETag %s, the list %s; want one cached page", got, want)
			}
		})

		t.Run("RendersOtherSearchesFresh", func(t *testing.T) {
			expire()
			plain.get("/jobs?q=engineer&remote=no").wantStatus(t, http.StatusOK)
			fresh := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Searchable Engineer"})
			defer mustCloseOpening(t, db, fresh.ID)
			res := plain.get("/jobs?q=engineer&remote=no")
			if diff := cmp.Diff([]string{"Data: Data Platform Engineer, Pipelines", "Data: Searchable Engineer"},
				jobList(t, res.doc(t))); diff != "" {
				t.Errorf("a search right after a change (-want +got):\n%s", diff)
			}
			if got := res.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control of a search = %q, want no-store", got)
			}
		})

		t.Run("NeverShowsOneVisitorsHeaderToAnother", func(t *testing.T) {
			for _, signedInFirst := range []bool{true, false} {
				expire()
				staff := e.mustSignIn(hiring.RoleRecruiter)
				anon := e.anonymous()
				var mine, theirs *response
				if signedInFirst {
					mine, theirs = staff.get("/jobs"), anon.get("/jobs")
				} else {
					theirs, mine = anon.get("/jobs"), staff.get("/jobs")
				}
				if !strings.Contains(mine.body, staff.user.Email) {
					t.Fatalf("signed-in first %t: the signed-in page does not name its user", signedInFirst)
				}
				if got := mine.Header.Get("Cache-Control"); got != "no-store" {
					t.Errorf("signed-in first %t: Cache-Control for a signed-in user = %q, want no-store", signedInFirst, got)
				}
				for _, personal := range []string{staff.user.Email, staff.user.Name, "Sign out"} {
					if strings.Contains(theirs.body, personal) {
						t.Errorf("signed-in first %t: an anonymous visitor's page contains %q", signedInFirst, personal)
					}
				}
				if theirs.doc(t).Find(`a[href="/signin"]`).Length() == 0 {
					t.Errorf("signed-in first %t: the anonymous page has no sign-in link", signedInFirst)
				}
			}
		})

		t.Run("NeverCachesAMessageMeantForOneVisitor", func(t *testing.T) {
			expire()
			leaving := e.mustSignIn(hiring.RoleRecruiter)
			leaving.postForm("/signout", nil).wantStatus(t, http.StatusSeeOther)
			// The message for the next page waits in the session; the next
			// page here is the job list.
			res := leaving.get("/jobs")
			if got := strings.TrimSpace(res.doc(t).Find(".flash").Text()); got != "You are signed out." {
				t.Fatalf("flash = %q; the test needs the message on the job list", got)
			}
			other := e.anonymous().get("/jobs")
			if strings.Contains(other.body, "You are signed out.") {
				t.Error("another visitor's page shows the message meant for the one who signed out")
			}
		})

		t.Run("HeadAnswersWithoutABody", func(t *testing.T) {
			expire()
			res := plain.do(http.MethodHead, "/jobs", "", nil)
			res.wantStatus(t, http.StatusOK)
			if res.body != "" || res.Header.Get("ETag") == "" {
				t.Errorf("HEAD /jobs: body of %d bytes, ETag %q; want no body and an ETag", len(res.body), res.Header.Get("ETag"))
			}
			if got := plain.get("/jobs"); !strings.Contains(got.body, "Data Platform Engineer") {
				t.Error("a GET after a HEAD has lost the list")
			}
		})
	})
}

func TestJobPageCache(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		clock := hiringtest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		e := mustCareersEnv(t, db, func(d *web.Deps) { d.Now = clock.Now })
		openings := store.NewOpeningService(db)
		anon := e.anonymous()
		title := func(t *testing.T, c *client, id int64) string {
			t.Helper()
			res := c.get("/jobs/" + itoa(id))
			res.wantStatus(t, http.StatusOK)
			return strings.TrimSpace(res.doc(t).Find("h1").Text())
		}

		t.Run("ShowsAChangeToVisitorsAfterTheTTLAndToStaffAtOnce", func(t *testing.T) {
			job := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Before Engineer"})
			if got := title(t, anon, job.ID); got != "Before Engineer" {
				t.Fatalf("title = %q", got)
			}
			renamed := "After Engineer"
			if _, err := openings.UpdateOpening(t.Context(), job.ID, hiring.OpeningUpdate{Title: &renamed}); err != nil {
				t.Fatal(err)
			}
			if got := title(t, anon, job.ID); got != "Before Engineer" {
				t.Errorf("title within the TTL = %q; want the cached %q", got, "Before Engineer")
			}
			if got := title(t, e.mustSignIn(hiring.RoleRecruiter), job.ID); got != renamed {
				t.Errorf("title for signed-in staff = %q, want %q at once", got, renamed)
			}
			clock.Advance(listTTL)
			if got := title(t, anon, job.ID); got != renamed {
				t.Errorf("title after the TTL = %q, want %q", got, renamed)
			}
		})

		t.Run("AJobClosedWithinTheTTLTakesNoApplication", func(t *testing.T) {
			job := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Closing Engineer"})
			title(t, anon, job.ID)
			mustCloseOpening(t, db, job.ID)
			res := anon.postMultipart("/jobs/"+itoa(job.ID)+"/apply", validApplication(job, "late-"+unique()+"@example.com"))
			res.wantStatus(t, http.StatusGone)
			apps, _, err := e.deps.Applications.FindApplications(t.Context(), hiring.ApplicationFilter{OpeningID: &job.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(apps) != 0 {
				t.Errorf("a job closed within the TTL took %d applications", len(apps))
			}
		})

		t.Run("ADraftIsNeverShown", func(t *testing.T) {
			draft := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{Title: "Unpublished Engineer"})
			for range 2 {
				anon.get("/jobs/"+itoa(draft.ID)).wantStatus(t, http.StatusNotFound)
			}
		})
	})
}

func mustGunzip(t *testing.T, body string) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	return string(b)
}

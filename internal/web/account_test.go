package web_test

import (
	"github.com/PuerkitoBio/goquery"

	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func sessionCookie(res *response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == "hireloop_session" {
			return c
		}
	}
	return nil
}

func TestSignIn(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		u, password := hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)

		t.Run("RejectsWrongPassword", func(t *testing.T) {
			c := e.anonymous()
			res := c.postForm("/signin", url.Values{"email": {u.Email}, "password": {"not the password"}})
			res.wantStatus(t, http.StatusUnauthorized)
			d := res.doc(t)
			if d.Find(".error-summary").Length() != 1 {
				t.Error("no error summary after a wrong password")
			}
			if got, _ := d.Find("#email").Attr("value"); got != u.Email {
				t.Errorf("email came back as %q", got)
			}
			if got, _ := d.Find("#password").Attr("value"); got != "" {
				t.Error("the password was sent back to the browser")
			}
			c.get("/account").wantStatus(t, http.StatusSeeOther)
		})
		t.Run("RejectsMissingAndOversizeInput", func(t *testing.T) {
			c := e.anonymous()
			res := c.postForm("/signin", url.Values{"email": {""}, "password": {strings.Repeat("p", 2000)}})
			res.wantStatus(t, http.StatusBadRequest)
			d := res.doc(t)
			if d.Find("#email-error").Length() != 1 || d.Find("#password-error").Length() != 1 {
				t.Error("want a message beside the email and the password")
			}
		})
		t.Run("StartsFreshSessionAndGoesToNext", func(t *testing.T) {
			c := e.anonymous()
			// Signing out leaves a message for the next page, so the
			// anonymous visitor has a session before signing in.
			c.postForm("/signout", nil)
			before := c.http.Jar.Cookies(mustURL(t, e.ts.URL))
			if len(before) == 0 {
				t.Fatal("no anonymous session to renew")
			}
			res := c.postForm("/signin", url.Values{"email": {u.Email}, "password": {password}, "next": {"/roles"}})
			res.wantStatus(t, http.StatusSeeOther)
			if loc := res.Header.Get("Location"); loc != "/roles" {
				t.Errorf("redirected to %q, want /roles", loc)
			}
			ck := sessionCookie(res)
			if ck == nil {
				t.Fatal("no session cookie after sign-in")
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie HttpOnly=%v SameSite=%v, want HttpOnly and Lax", ck.HttpOnly, ck.SameSite)
			}
			for _, old := range before {
				if old.Name == ck.Name && old.Value == ck.Value {
					t.Error("the session token was not renewed at sign-in")
				}
			}
			c.get("/account").wantStatus(t, http.StatusOK)

			c.postForm("/signout", nil).wantStatus(t, http.StatusSeeOther)
			c.get("/account").wantStatus(t, http.StatusSeeOther)
		})
		t.Run("IgnoresNextOffSite", func(t *testing.T) {
			for _, next := range []string{"https://evil.example/", "//evil.example", `/\evil.example`} {
				c := e.anonymous()
				res := c.postForm("/signin", url.Values{"email": {u.Email}, "password": {password}, "next": {next}})
				if loc := res.Header.Get("Location"); loc != "/" {
					t.Errorf("next=%q redirected to %q, want /", next, loc)
				}
			}
		})
	})
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSetupCreatesFirstAdminOnce(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		token, err := store.NewUserService(db).CreateSetupToken(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		c := e.anonymous()
		signin := c.get("/signin")
		if !strings.Contains(signin.body, "no accounts yet") {
			t.Error("the sign-in page of a fresh installation does not point to setup")
		}
		c.get("/setup").wantStatus(t, http.StatusBadRequest)

		form := c.get("/setup?token=" + url.QueryEscape(token))
		form.wantStatus(t, http.StatusOK)
		if got, _ := form.doc(t).Find(`input[name="token"]`).Attr("value"); got != token {
			t.Error("the setup form does not carry its token")
		}

		res := c.postForm("/setup", url.Values{"token": {token}, "email": {"not-an-email"}, "password": {"short"}})
		res.wantStatus(t, http.StatusBadRequest)
		d := res.doc(t)
		if d.Find("#email-error").Length() != 1 || d.Find("#password-error").Length() != 1 {
			t.Error("want messages beside email and password")
		}

		res = c.postForm("/setup", url.Values{"token": {"wrong" + token}, "email": {"first@example.com"}, "password": {"a long enough password"}})
		if res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Errorf("a wrong setup token: status %d, want a 4xx", res.StatusCode)
		}

		res = c.postForm("/setup", url.Values{"token": {token}, "email": {"First@Example.com"}, "name": {"First Admin"}, "password": {"a long enough password"}})
		res.wantStatus(t, http.StatusSeeOther)
		account := c.get("/account")
		account.wantStatus(t, http.StatusOK)
		if !strings.Contains(account.body, "first@example.com") || !strings.Contains(account.body, "Admin") {
			t.Error("after setup the account page does not show the new admin")
		}

		other := e.anonymous()
		again := other.postForm("/setup", url.Values{"token": {token}, "email": {"second@example.com"}, "password": {"a long enough password"}})
		again.wantStatus(t, http.StatusConflict)
		other.get("/setup?token="+url.QueryEscape(token)).wantStatus(t, http.StatusConflict)
		if n, _ := store.NewUserService(db).CountUsers(context.Background()); n != 1 {
			t.Errorf("%d users after setup twice, want 1", n)
		}
	})
}

func TestAPITokensInAccountPage(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleInterviewer)

		c.postForm("/account/tokens", url.Values{"name": {""}}).wantStatus(t, http.StatusBadRequest)

		res := c.postForm("/account/tokens", url.Values{"name": {"laptop script"}})
		res.wantStatus(t, http.StatusOK)
		secret := strings.TrimSpace(res.doc(t).Find(".secret code").Text())
		if secret == "" {
			t.Fatal("the new token's secret is not shown")
		}
		if strings.Contains(c.get("/account").body, secret) {
			t.Error("the secret is shown a second time")
		}

		api := e.bearer(secret)
		me := api.get("/api/v1/me")
		me.wantStatus(t, http.StatusOK)
		var body struct{ Data hiring.User }
		me.decode(t, &body)
		if body.Data.Email != c.user.Email {
			t.Errorf("/me with the token = %q, want %q", body.Data.Email, c.user.Email)
		}

		toks, err := store.NewUserService(db).FindTokens(context.Background(), c.user.ID)
		if err != nil || len(toks) != 1 {
			t.Fatalf("tokens: %v, %v", toks, err)
		}
		c.postForm("/account/tokens/"+itoa(toks[0].ID)+"/revoke", nil).wantStatus(t, http.StatusSeeOther)
		if !strings.Contains(c.get("/account").doc(t).Find("tbody").Text(), "Revoked") {
			t.Error("the account page does not show the token as revoked")
		}
		api.get("/api/v1/me").wantStatus(t, http.StatusUnauthorized)

		other := e.mustSignIn(hiring.RoleAdmin)
		_, tok, err := store.NewUserService(db).CreateToken(context.Background(), c.user.ID, "not yours")
		if err != nil {
			t.Fatal(err)
		}
		other.postForm("/account/tokens/"+itoa(tok.ID)+"/revoke", nil).wantStatus(t, http.StatusNotFound)
	})
}

func TestAdminCreatesUsers(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleAdmin)
		form := url.Values{"email": {"grace@example.com"}, "name": {"Grace"}, "role": {"hiring_manager"}, "password": {"a long enough password"}}
		c.postForm("/admin/users", form).wantStatus(t, http.StatusSeeOther)
		list := c.get("/admin/users")
		if !strings.Contains(list.doc(t).Find("tbody").Text(), "grace@example.com") {
			t.Error("the new user is not listed")
		}

		dup := c.postForm("/admin/users", form)
		dup.wantStatus(t, http.StatusConflict)
		if dup.doc(t).Find("#email-error").Length() != 1 {
			t.Error("no message beside the email of a duplicate user")
		}

		form.Set("email", "other@example.com")
		form.Set("role", "overlord")
		bad := c.postForm("/admin/users", form)
		bad.wantStatus(t, http.StatusBadRequest)
		if bad.doc(t).Find("#role-error").Length() != 1 {
			t.Error("no message beside an unknown role")
		}

		g := e.anonymous()
		g.postForm("/signin", url.Values{"email": {"grace@example.com"}, "password": {"a long enough password"}}).wantStatus(t, http.StatusSeeOther)
		g.get("/roles/"+itoa(e.role.ID)+"/edit").wantStatus(t, http.StatusForbidden)
	})
}

func TestPrivateCatalog(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		anon := e.anonymous()
		anon.get("/").wantStatus(t, http.StatusOK)
		anon.get("/api/v1/roles").wantStatus(t, http.StatusOK)

		admin := e.mustSignIn(hiring.RoleAdmin)
		admin.postForm("/admin/settings", url.Values{"catalog_private": {"on"}}).wantStatus(t, http.StatusSeeOther)
		if _, ok := admin.get("/admin/settings").doc(t).Find("#catalog_private").Attr("checked"); !ok {
			t.Error("the settings page does not show the catalog as private")
		}

		for _, path := range []string{"/", "/roles", "/roles/" + itoa(e.role.ID), "/families/" + itoa(e.family.ID)} {
			res := anon.get(path)
			res.wantStatus(t, http.StatusSeeOther)
			if loc := res.Header.Get("Location"); loc != "/signin?next="+url.QueryEscape(path) {
				t.Errorf("%s redirected to %q", path, loc)
			}
		}
		api := anon.get("/api/v1/roles/" + itoa(e.role.ID))
		api.wantStatus(t, http.StatusUnauthorized)
		if code := api.apiError(t).Error.Code; code != "unauthorized" {
			t.Errorf("API code %q, want unauthorized", code)
		}
		anon.get("/signin").wantStatus(t, http.StatusOK)
		anon.get("/healthz").wantStatus(t, http.StatusOK)

		interviewer := e.mustSignIn(hiring.RoleInterviewer)
		interviewer.get("/roles/"+itoa(e.role.ID)).wantStatus(t, http.StatusOK)
		secret, _, err := store.NewUserService(db).CreateToken(context.Background(), interviewer.user.ID, "ci")
		if err != nil {
			t.Fatal(err)
		}
		e.bearer(secret).get("/api/v1/roles").wantStatus(t, http.StatusOK)

		admin.postForm("/admin/settings", url.Values{}).wantStatus(t, http.StatusSeeOther)
		anon.get("/").wantStatus(t, http.StatusOK)
	})
}

func TestAuditLogShowsEditAndActor(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		recruiter := e.mustSignIn(hiring.RoleRecruiter)
		form := roleForm()
		recruiter.postForm("/roles/"+itoa(e.role.ID)+"/edit", form).wantStatus(t, http.StatusSeeOther)

		admin := e.mustSignIn(hiring.RoleAdmin)
		res := admin.get("/admin/audit")
		res.wantStatus(t, http.StatusOK)
		var found bool
		res.doc(t).Find("tbody tr").Each(func(_ int, s *goquery.Selection) {
			row := s.Text()
			href, _ := s.Find(`a[href^="/roles/"]`).Attr("href")
			if strings.Contains(row, recruiter.user.Email) && href == "/roles/"+itoa(e.role.ID) &&
				strings.Contains(row, "title") {
				found = true
			}
		})
		if !found {
			t.Errorf("the audit log has no row of the recruiter's edit:\n%s", res.doc(t).Find("tbody").Text())
		}
		admin.get("/admin/audit?page=0").wantStatus(t, http.StatusBadRequest)
	})
}

// A person sets what candidates see beside their name; a link that is not
// a web address is refused beside its field, with what was typed kept.
func TestAccountProfile(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleInterviewer)
		res := c.postForm("/account/profile", url.Values{"job_title": {"Staff Engineer"}, "profile_url": {"javascript:alert(1)"}})
		res.wantStatus(t, http.StatusBadRequest)
		d := res.doc(t)
		if got := fieldMessage(d, "profile_url"); !strings.Contains(got, "https://") {
			t.Errorf("profile link message %q", got)
		}
		if v, _ := d.Find("#job_title").Attr("value"); v != "Staff Engineer" {
			t.Errorf("job title kept as %q", v)
		}
		res = c.postForm("/account/profile", url.Values{"job_title": {"Staff Engineer"}, "profile_url": {"https://people.example.com/robin"}})
		res.wantStatus(t, http.StatusSeeOther)
		u, err := e.deps.Users.FindUserByID(context.Background(), c.user.ID)
		if err != nil {
			t.Fatal(err)
		}
		if u.JobTitle != "Staff Engineer" || u.ProfileURL != "https://people.example.com/robin" {
			t.Errorf("stored profile %q %q", u.JobTitle, u.ProfileURL)
		}
		page := c.get("/account")
		page.wantStatus(t, http.StatusOK)
		if v, _ := page.doc(t).Find("#profile_url").Attr("value"); v != "https://people.example.com/robin" {
			t.Errorf("account page shows the profile link as %q", v)
		}
	})
}

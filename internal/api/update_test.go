package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestPatchRole(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustAPIEnv(t, db)
		path := "/api/v1/roles/" + itoa(e.roles[0].ID)

		t.Run("ChangesOnlyWhatIsSent", func(t *testing.T) {
			r := e.patch(path, e.editor, `{"grade": 9.5, "requirements": ["SQL", "Go"]}`)
			got := decode[struct{ Data *hiring.Role }](t, r).Data
			if got.Grade == nil || *got.Grade != 9.5 {
				t.Errorf("grade = %v, want 9.5", got.Grade)
			}
			if strings.Join(got.Requirements, ",") != "SQL,Go" {
				t.Errorf("requirements = %v", got.Requirements)
			}
			if got.Title != e.roles[0].Title || len(got.Responsibilities) != len(e.roles[0].Responsibilities) {
				t.Error("fields that were not sent changed")
			}
		})
		t.Run("ClearsGrade", func(t *testing.T) {
			got := decode[struct{ Data *hiring.Role }](t, e.patch(path, e.editor, `{"clear_grade": true}`)).Data
			if got.Grade != nil {
				t.Errorf("grade = %v, want none", *got.Grade)
			}
		})
		t.Run("RecordsTheActor", func(t *testing.T) {
			entries, _, err := store.NewAuditService(db).FindAuditEntries(context.Background(), hiring.AuditFilter{Entity: "role"})
			if err != nil || len(entries) == 0 {
				t.Fatalf("audit entries: %v, %v", entries, err)
			}
			if entries[0].ActorID == nil || !strings.HasPrefix(entries[0].ActorLabel, "recruiter-") {
				t.Errorf("latest audit entry by %q, want the token's recruiter", entries[0].ActorLabel)
			}
		})

		bad := []struct {
			name, body, field string
		}{
			{"GradeThirteen", `{"grade": 13}`, "grade"},
			{"GradeAsText", `{"grade": "eight"}`, "grade"},
			{"EmptyTitle", `{"title": " "}`, "title"},
			{"ListItemEmpty", `{"responsibilities": ["ok", ""]}`, "responsibilities"},
			{"ListAsText", `{"requirements": "one"}`, "requirements"},
			{"BadLink", `{"performance_indicators": [{"name": "Uptime", "url": "javascript:x"}]}`, "performance_indicators"},
			{"NegativeMinutes", `{"hiring_process": [{"name": "Call", "minutes": -1}]}`, "hiring_process"},
			{"UnknownField", `{"title": "X", "salary": 1}`, "salary"},
			{"GradeAndClear", `{"grade": 8, "clear_grade": true}`, "grade"},
		}
		for _, tc := range bad {
			t.Run("Rejects"+tc.name, func(t *testing.T) {
				e.patch(path, e.editor, tc.body).wantError(t, http.StatusBadRequest, "invalid", tc.field)
			})
		}
		for name, body := range map[string]string{
			"NotJSON":       `title=x`,
			"TwoValues":     `{"title": "A"} {"title": "B"}`,
			"Array":         `[{"title": "A"}]`,
			"Empty":         ``,
			"Truncated":     `{"title": "A"`,
			"TrailingJunk":  `{"title": "A"} x`,
			"Null":          `null`,
			"String":        `"title"`,
			"NestedUnknown": `{"specialties": [{"name": "A", "colour": "red"}]}`,
		} {
			t.Run("RejectsBody"+name, func(t *testing.T) {
				e.patch(path, e.editor, body).wantError(t, http.StatusBadRequest, "invalid", "")
			})
		}
		t.Run("RejectsOversizeBody", func(t *testing.T) {
			body := `{"summary": "` + strings.Repeat("s", 2<<20) + `"}`
			e.patch(path, e.editor, body).wantError(t, http.StatusRequestEntityTooLarge, "too_large", "")
		})
		t.Run("RejectsOtherContentType", func(t *testing.T) {
			r := e.do(http.MethodPatch, path, e.editor, "text/plain", strings.NewReader(`{"title": "X"}`))
			r.wantError(t, http.StatusUnsupportedMediaType, "unsupported_media_type", "")
			r = e.do(http.MethodPatch, path, e.editor, "", strings.NewReader(`{"title": "X"}`))
			r.wantError(t, http.StatusUnsupportedMediaType, "unsupported_media_type", "")
		})
		t.Run("RefusesInterviewer", func(t *testing.T) {
			e.patch(path, e.interviewer, `{"title": "Mine now"}`).wantError(t, http.StatusForbidden, "forbidden", "")
		})
		t.Run("RefusesAnonymous", func(t *testing.T) {
			r := e.patch(path, "", `{"title": "Mine now"}`)
			r.wantError(t, http.StatusUnauthorized, "unauthorized", "")
			if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate = %q", r.header.Get("WWW-Authenticate"))
			}
		})

		stored, err := store.NewRoleService(db).FindRoleByID(context.Background(), e.roles[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Title != e.roles[0].Title {
			t.Errorf("a rejected request changed the title to %q", stored.Title)
		}
	})
}

func TestPatchFamily(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustAPIEnv(t, db)
		path := "/api/v1/families/" + itoa(e.family.ID)
		got := decode[struct{ Data *hiring.Family }](t, e.patch(path, e.editor, `{"summary": "Shorter."}`)).Data
		if got.Summary != "Shorter." || got.Title != e.family.Title {
			t.Errorf("family after PATCH: %q / %q", got.Title, got.Summary)
		}
		e.patch(path, e.editor, `{"title": ""}`).wantError(t, http.StatusBadRequest, "invalid", "title")
		e.patch(path, e.editor, `{"slug": "x"}`).wantError(t, http.StatusBadRequest, "invalid", "slug")
		e.patch(path, e.interviewer, `{"summary": "x"}`).wantError(t, http.StatusForbidden, "forbidden", "")
	})
}

func TestBearerTokens(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustAPIEnv(t, db)
		u, _ := hiringtest.MustCreateUser(t, db, hiring.RoleHiringManager)
		users := store.NewUserService(db)
		secret, tok, err := users.CreateToken(context.Background(), u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		me := decode[struct{ Data *hiring.User }](t, e.do(http.MethodGet, "/api/v1/me", secret, "", nil)).Data
		if me.Email != u.Email || me.Role != hiring.RoleHiringManager {
			t.Errorf("/me = %+v, want %s", me, u.Email)
		}
		e.get("/api/v1/me").wantError(t, http.StatusUnauthorized, "unauthorized", "")
		for _, h := range []string{"Bearer", "Basic dXNlcjpwYXNz", "Bearer " + secret + "x"} {
			req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/api/v1/me", nil)
			req.Header.Set("Authorization", h)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("Authorization %q: status %d, want 401", h[:min(len(h), 12)], res.StatusCode)
			}
		}
		if err := users.RevokeToken(context.Background(), u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		e.do(http.MethodGet, "/api/v1/me", secret, "", nil).wantError(t, http.StatusUnauthorized, "unauthorized", "")
		// A revoked token is refused even where anonymous visitors may read.
		e.do(http.MethodGet, "/api/v1/roles", secret, "", nil).wantError(t, http.StatusUnauthorized, "unauthorized", "")
	})
}

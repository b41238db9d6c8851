package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func (e *apiEnv) post(path, token, body string) reply {
	return e.do(http.MethodPost, path, token, "application/json", strings.NewReader(body))
}

func (e *apiEnv) getAs(path, token string) reply { return e.do(http.MethodGet, path, token, "", nil) }

// mustManagerToken creates a hiring manager and a token for them.
func mustManagerToken(t *testing.T, db *store.DB) (*hiring.User, string) {
	t.Helper()
	u, _ := hiringtest.MustCreateUser(t, db, hiring.RoleHiringManager)
	secret, _, err := store.NewUserService(db).CreateToken(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return u, secret
}

func TestOpeningsAPI(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustAPIEnv(t, db)
		manager, managerToken := mustManagerToken(t, db)
		role := e.roles[0]

		r := e.post("/api/v1/openings", e.editor, `{"role_id": `+itoa(role.ID)+`, "specialty": "ingestion",
			"teams": [{"team": "Create", "count": 1}, {"team": "Plan", "count": 2}],
			"locations": [{"name": "Berlin", "country_code": "de"}],
			"pay": {"min": 8500000, "max": 9500000, "currency": "eur", "period": "year"},
			"hiring_manager_id": `+itoa(manager.ID)+`}`)
		if r.status != http.StatusCreated {
			t.Fatalf("create: status %d\n%s", r.status, r.body)
		}
		r.status = http.StatusOK
		created := decode[struct{ Data *hiring.Opening }](t, r).Data
		var codes []string
		for _, v := range created.Vacancies {
			codes = append(codes, v.Code)
		}
		req := created.RequisitionID
		if diff := cmp.Diff([]string{req + "-1", req + "-2", req + "-3"}, codes); diff != "" {
			t.Errorf("vacancy codes (-want +got):\n%s", diff)
		}
		if created.Title != role.Title+", Ingestion" || created.Status != hiring.OpeningDraft {
			t.Errorf("created %q as %s", created.Title, created.Status)
		}
		if created.Pay == nil || created.Pay.Currency != "EUR" || created.Locations[0].CountryCode != "DE" {
			t.Errorf("pay %+v, locations %+v", created.Pay, created.Locations)
		}
		path := "/api/v1/openings/" + itoa(created.ID)

		t.Run("PatchChangesFieldsAndStatus", func(t *testing.T) {
			got := decode[struct{ Data *hiring.Opening }](t, e.patch(path, e.editor,
				`{"title": "Ingestion Engineer", "status": "open"}`)).Data
			if got.Title != "Ingestion Engineer" || got.Status != hiring.OpeningOpen || got.OpenedAt == nil {
				t.Errorf("after patch: %q %s %v", got.Title, got.Status, got.OpenedAt)
			}
			if len(got.Teams) != 2 || got.Pay == nil {
				t.Error("fields that were not sent changed")
			}
			e.patch(path, e.editor, `{"status": "draft"}`).wantError(t, http.StatusBadRequest, hiring.EINVALID, "status")
			e.patch(path, e.editor, `{"status": "sideways"}`).wantError(t, http.StatusBadRequest, hiring.EINVALID, "status")
			e.patch(path, e.editor, `{"teams": [{"team": "Create", "count": 0}]}`).wantError(t, http.StatusBadRequest, hiring.EINVALID, "teams")
			e.patch(path, e.editor, `{"salary": 1}`).wantError(t, http.StatusBadRequest, hiring.EINVALID, "salary")
		})
		t.Run("CreateRejectsBadInput", func(t *testing.T) {
			e.post("/api/v1/openings", e.editor, `{}`).wantError(t, http.StatusBadRequest, hiring.EINVALID, "role_id")
			e.post("/api/v1/openings", e.editor, `{"role_id": 999999}`).wantError(t, http.StatusBadRequest, hiring.EINVALID, "role_id")
			e.post("/api/v1/openings", e.editor, `{"role_id": `+itoa(role.ID)+`, "pay": {"min": 9, "max": 1, "currency": "EUR", "period": "year"}}`).
				wantError(t, http.StatusBadRequest, hiring.EINVALID, "pay")
			e.post("/api/v1/openings", e.editor, `{"role_id": `+itoa(role.ID)+`, "hiring_manager_id": 999999}`).
				wantError(t, http.StatusBadRequest, hiring.EINVALID, "hiring_manager_id")
			e.post("/api/v1/openings", e.editor, `{"role_id": `+itoa(role.ID)+`, "requisition_id": "`+req+`"}`).
				wantError(t, http.StatusConflict, hiring.ECONFLICT, "requisition_id")
			e.post("/api/v1/openings", managerToken, `{"role_id": `+itoa(role.ID)+`}`).wantError(t, http.StatusForbidden, hiring.EFORBIDDEN, "")
			e.post("/api/v1/openings", e.interviewer, `{"role_id": `+itoa(role.ID)+`}`).wantError(t, http.StatusForbidden, hiring.EFORBIDDEN, "")
		})
		t.Run("ListFiltersAndLimitsHiringManagers", func(t *testing.T) {
			other := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{RoleID: role.ID})
			all := decode[list[*hiring.Opening]](t, e.getAs("/api/v1/openings", e.editor))
			if all.Meta.Total != 2 || len(all.Data) != 2 {
				t.Errorf("recruiter lists %d of %d", len(all.Data), all.Meta.Total)
			}
			open := decode[list[*hiring.Opening]](t, e.getAs("/api/v1/openings?status=open", e.editor))
			if len(open.Data) != 1 || open.Data[0].ID != created.ID {
				t.Errorf("open openings: %+v", open.Data)
			}
			own := decode[list[*hiring.Opening]](t, e.getAs("/api/v1/openings", managerToken))
			if len(own.Data) != 1 || own.Data[0].ID != created.ID {
				t.Errorf("the hiring manager lists %d openings", len(own.Data))
			}
			e.getAs("/api/v1/openings/"+itoa(other.ID), managerToken).wantError(t, http.StatusForbidden, hiring.EFORBIDDEN, "")
			e.patch("/api/v1/openings/"+itoa(other.ID), managerToken, `{"title": "Mine now"}`).wantError(t, http.StatusForbidden, hiring.EFORBIDDEN, "")
			decode[struct{ Data *hiring.Opening }](t, e.getAs(path, managerToken))
			e.getAs("/api/v1/openings", e.interviewer).wantError(t, http.StatusForbidden, hiring.EFORBIDDEN, "")
			e.get("/api/v1/openings").wantError(t, http.StatusUnauthorized, hiring.EUNAUTHORIZED, "")
			e.getAs("/api/v1/openings?status=lost&limit=0", e.editor).wantError(t, http.StatusBadRequest, hiring.EINVALID, "limit")
			e.getAs("/api/v1/openings/999999", e.editor).wantError(t, http.StatusNotFound, hiring.ENOTFOUND, "")
		})
	})
}

func TestCandidatesAPI(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustAPIEnv(t, db)
		manager, managerToken := mustManagerToken(t, db)
		blobs := hiringtest.MustNewBlobStore(t)
		apps := store.NewApplicationService(db, blobs, store.ApplyRules{})
		own := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{RoleID: e.roles[0].ID, HiringManagerID: &manager.ID})
		other := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{RoleID: e.roles[0].ID})
		ctx := context.Background()
		mine, err := apps.Apply(ctx, hiringtest.SampleApplication(own, "ruth@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		in := hiringtest.SampleApplication(other, "sam@example.com")
		in.Name = "Sam Elsewhere"
		theirs, err := apps.Apply(ctx, in)
		if err != nil {
			t.Fatal(err)
		}

		found := decode[list[*hiring.Candidate]](t, e.getAs("/api/v1/candidates?q=elsewhere", e.editor))
		if len(found.Data) != 1 || found.Data[0].ID != theirs.Candidate.ID || found.Data[0].Links == nil {
			t.Errorf("search found %+v", found.Data)
		}
		everyone := decode[list[*hiring.Candidate]](t, e.getAs("/api/v1/candidates", e.editor))
		if everyone.Meta.Total != 2 {
			t.Errorf("everyone: %d", everyone.Meta.Total)
		}
		e.getAs("/api/v1/candidates", managerToken).wantError(t, http.StatusForbidden, hiring.EFORBIDDEN, "")

		got := decode[struct{ Data *hiring.Candidate }](t, e.getAs("/api/v1/candidates/"+itoa(mine.Candidate.ID), managerToken)).Data
		if got.Email != "ruth@example.com" {
			t.Errorf("candidate email %q", got.Email)
		}
		e.getAs("/api/v1/candidates/"+itoa(theirs.Candidate.ID), managerToken).wantError(t, http.StatusForbidden, hiring.EFORBIDDEN, "")
		e.getAs("/api/v1/candidates/999999", e.editor).wantError(t, http.StatusNotFound, hiring.ENOTFOUND, "")

		all := decode[list[*hiring.Application]](t, e.getAs("/api/v1/applications", e.editor))
		if all.Meta.Total != 2 || all.Data[0].ID != theirs.Application.ID || all.Data[0].Candidate == nil {
			t.Errorf("applications, newest first: %+v", all.Data)
		}
		byOpening := decode[list[*hiring.Application]](t, e.getAs("/api/v1/applications?opening="+itoa(own.ID), managerToken))
		if len(byOpening.Data) != 1 || byOpening.Data[0].ID != mine.Application.ID {
			t.Errorf("applications to the manager's opening: %+v", byOpening.Data)
		}
		// Without an opening a manager gets the applications of the
		// openings they lead; another manager's opening lists nothing.
		if mineOnly := decode[list[*hiring.Application]](t, e.getAs("/api/v1/applications", managerToken)); mineOnly.Meta.Total != 1 ||
			mineOnly.Data[0].ID != mine.Application.ID {
			t.Errorf("the manager's applications: %+v", mineOnly.Data)
		}
		if others := decode[list[*hiring.Application]](t, e.getAs("/api/v1/applications?opening="+itoa(other.ID), managerToken)); others.Meta.Total != 0 {
			t.Errorf("another manager's opening lists %d applications", others.Meta.Total)
		}
		e.getAs("/api/v1/applications?status=lost", e.editor).wantError(t, http.StatusBadRequest, hiring.EINVALID, "status")
		if strings.Contains(string(e.getAs("/api/v1/applications", e.editor).body), "self_id") {
			t.Error("applications carry self-identification")
		}
	})
}

package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// The Greenhouse-compatible job board is served from the same route table,
// and answers in its own JSON shape even for paths it does not have.
func TestJobBoardIsMounted(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db, func(d *web.Deps) { d.BoardToken, d.BoardAPIKey = "acme", "board-key" })
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Gardener of Pipelines"})
		c := e.anonymous()

		res := c.get("/v1/boards/acme/jobs")
		res.wantStatus(t, http.StatusOK)
		var list struct {
			Jobs []struct {
				ID    int64  `json:"id"`
				Title string `json:"title"`
			} `json:"jobs"`
			Meta struct {
				Total int `json:"total"`
			} `json:"meta"`
		}
		res.decode(t, &list)
		if list.Meta.Total != 1 || len(list.Jobs) != 1 || list.Jobs[0].ID != o.ID || list.Jobs[0].Title != "Gardener of Pipelines" {
			t.Errorf("job board lists %+v, want the one open opening", list)
		}

		for _, path := range []string{"/v1/boards/other/jobs", "/v1/boards/acme/nothing-here"} {
			res := c.get(path)
			res.wantStatus(t, http.StatusNotFound)
			var body struct {
				Status int    `json:"status"`
				Error  string `json:"error"`
			}
			res.decode(t, &body)
			if body.Status != http.StatusNotFound || body.Error == "" {
				t.Errorf("%s: body %q is not the job board's error", path, res.body)
			}
		}
	})
}

// Applying through the job board authenticates with the board's key in
// HTTP Basic, which the staff sign-in must leave to the board.
func TestJobBoardApplyWithBasicAuthReachesTheBoard(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db, func(d *web.Deps) { d.BoardToken, d.BoardAPIKey = "acme", "board-key" })
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		for _, tc := range []struct {
			key  string
			want int
		}{{"board-key", http.StatusBadRequest}, {"wrong-key", http.StatusUnauthorized}} {
			req, err := http.NewRequest(http.MethodPost, e.ts.URL+"/v1/boards/acme/jobs/"+itoa(o.ID), strings.NewReader(`{"first_name":"Robin"}`))
			if err != nil {
				t.Fatal(err)
			}
			req.SetBasicAuth(tc.key, "")
			req.Header.Set("Content-Type", "application/json")
			res, err := e.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body struct {
				Status int `json:"status"`
			}
			err = json.NewDecoder(res.Body).Decode(&body)
			res.Body.Close()
			if res.StatusCode != tc.want || err != nil || body.Status != tc.want {
				t.Errorf("key %q: status %d (body status %d, %v), want the board's %d", tc.key, res.StatusCode, body.Status, err, tc.want)
			}
		}
	})
}

package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// guideLink finds a link to a candidate's Guide in an email.
var guideLink = regexp.MustCompile(`https?://[^\s"<>]+/guide/[A-Za-z0-9_-]+`)

// The demo's applicants apply under the server's own rules, so their
// confirmation emails, like real ones, link to a Guide that opens on the
// server.
func TestServeDemoConfirmationsLinkToTheGuide(t *testing.T) {
	for _, engine := range hiringtest.EngineNames() {
		t.Run(engine, func(t *testing.T) {
			env := map[string]string{"HIRELOOP_DATA_DIR": t.TempDir()}
			var db *store.DB
			if engine == "postgres" {
				env["HIRELOOP_DATABASE_URL"], db = mustFreshPostgres(t)
			}
			// Without the worker the confirmations stay in the outbox to read.
			s := startServer(t, env, "--demo", "--worker=false")
			if db == nil {
				var err error
				if db, err = store.Open(t.Context(), store.Config{DataDir: env["HIRELOOP_DATA_DIR"]}); err != nil {
					t.Fatal(err)
				}
				defer db.Close()
			}

			msgs, _, err := store.NewOutboxService(db).FindMessages(t.Context(), hiring.MessageFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			var confirmation *hiring.Message
			for _, m := range msgs {
				if m.To == "amara.eze@example.com" && m.ApplicationID != nil && m.Kind == hiring.KindConfirmation {
					confirmation = m
				}
			}
			if confirmation == nil {
				t.Fatalf("no confirmation for a demo applicant among %d queued messages", len(msgs))
			}
			link := guideLink.FindString(confirmation.TextBody)
			if link == "" {
				t.Fatalf("the confirmation has no Guide link:\n%s", confirmation.TextBody)
			}
			if !strings.HasPrefix(link, s.url+"/guide/") {
				t.Errorf("Guide link %s is not on the server %s", link, s.url)
			}
			resp, err := http.Get(link)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s: %d, want 200", link, resp.StatusCode)
			}
		})
	}
}

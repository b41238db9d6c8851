package store_test

import (
	"context"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// An upgrade can be undone and redone: every migration's down step runs on
// both engines, and mail queued before a rollback is still there after it
// and after upgrading again.
func TestMigrationsRollBackAndForward(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		outbox := store.NewOutboxService(db)
		queued, err := outbox.EnqueueMessage(ctx, hiring.MessageDraft{
			To: "ada@example.com", Subject: "Thank you for applying", TextBody: "We have your application.",
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.MigrateDownTo(ctx, db, 9); err != nil {
			t.Fatalf("roll back to version 9: %v", err)
		}
		if err := db.Ready(ctx); err == nil {
			t.Fatal("Ready says the schema is current after a rollback")
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("upgrade after rollback: %v", err)
		}
		msgs, total, err := outbox.FindMessages(ctx, hiring.MessageFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || msgs[0].ID != queued.ID || msgs[0].Subject != queued.Subject {
			t.Fatalf("outbox after rollback and upgrade = %d messages %+v, want the one queued before", total, msgs)
		}
		if err := store.MigrateDownTo(ctx, db, 0); err != nil {
			t.Fatalf("roll back every migration: %v", err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("upgrade from an empty database: %v", err)
		}
		if err := db.Ready(ctx); err != nil {
			t.Fatalf("Ready after upgrading again: %v", err)
		}
	})
}

package store

import "context"

// MigrateDownTo rolls the schema back to version, as an operator undoing
// an upgrade would.
func MigrateDownTo(ctx context.Context, db *DB, version int64) error {
	_, err := db.provider.DownTo(ctx, version)
	return err
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// querier is what both a pool and a transaction can run.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// runner runs queries written with "?" placeholders through the dialect, so
// that the code that builds them never knows the engine.
type runner struct {
	q querier
	d dialect
}

func (r runner) args(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = r.d.arg(a)
	}
	return out
}

func (r runner) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.q.ExecContext(ctx, r.d.rebind(query), r.args(args)...)
}

func (r runner) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.q.QueryContext(ctx, r.d.rebind(query), r.args(args)...)
}

func (r runner) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return r.q.QueryRowContext(ctx, r.d.rebind(query), r.args(args)...)
}

// insert runs an INSERT and returns the new row's id. Both engines support
// RETURNING, so this is plain SQL.
func (r runner) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := r.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// count runs a COUNT query.
func (r runner) count(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := r.queryRow(ctx, query, args...).Scan(&n)
	return n, err
}

// tx is a write transaction with the one moment it happens at: every
// timestamp the transaction writes is now, so rules that depend on time are
// testable with a fixed clock.
type tx struct {
	runner
	now time.Time
}

// transact runs fn in a transaction, commits when fn returns nil and rolls
// back otherwise, even if fn panics.
func (db *DB) transact(ctx context.Context, fn func(t *tx) error) (err error) {
	sqlTx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
				db.logger.Warn("rollback failed", "err", rbErr)
			}
		}
	}()
	t := &tx{
		runner: runner{q: sqlTx, d: db.dialect},
		// PostgreSQL keeps microseconds; truncating here makes what is read
		// back equal to what was written on both engines.
		now: db.now().UTC().Truncate(time.Microsecond),
	}
	if err := fn(t); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	committed = true
	return nil
}

// reader runs read-only queries on the pool, outside any transaction.
func (db *DB) reader() runner {
	return runner{q: db.sql, d: db.dialect}
}

// lockRow takes the write lock of one row before a read-modify-write, so that
// two people editing different fields of it at once cannot undo each other's
// change. The statement changes nothing; in SQLite the transaction already
// holds the database's write lock and this costs nothing.
func (t *tx) lockRow(ctx context.Context, table string, id int64) error {
	if _, err := t.exec(ctx, "UPDATE "+table+" SET id = id WHERE id = ?", id); err != nil {
		return fmt.Errorf("lock %s %d: %w", table, id, err)
	}
	return nil
}

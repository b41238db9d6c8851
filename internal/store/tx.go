package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
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
	// stmts, when set, keeps the pool's statements prepared; tx is the
	// transaction q is, if it is one.
	stmts *stmtCache
	tx    *sql.Tx
}

// prepared returns the prepared form of query, ready to run on q, or nil
// when it is not (yet) kept.
func (r runner) prepared(ctx context.Context, query string) *sql.Stmt {
	if r.stmts == nil {
		return nil
	}
	st := r.stmts.get(ctx, query, r.tx != nil)
	if st == nil || r.tx == nil {
		return st
	}
	return r.tx.StmtContext(ctx, st)
}

func (r runner) args(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = r.d.arg(a)
	}
	return out
}

func (r runner) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = r.d.rebind(query)
	if st := r.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, r.args(args)...)
	}
	return r.q.ExecContext(ctx, query, r.args(args)...)
}

func (r runner) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = r.d.rebind(query)
	if st := r.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, r.args(args)...)
	}
	return r.q.QueryContext(ctx, query, r.args(args)...)
}

func (r runner) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	query = r.d.rebind(query)
	if st := r.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, r.args(args)...)
	}
	return r.q.QueryRowContext(ctx, query, r.args(args)...)
}

// Bounds of a stmtCache. Queries whose text varies with their number of
// arguments (IN lists, multi-row inserts) could otherwise fill it without
// end, so those with many arguments are not kept; past maxCachedStmts, new
// queries are parsed each time as before.
const (
	maxCachedStmts = 1024
	maxCachedArgs  = 16
)

// stmtCache keeps the statements run on a pool prepared, by query text, so
// an engine that would parse each one again every time (SQLite) parses it
// once per connection. database/sql prepares a kept statement again on any
// other connection of the pool, and inside a transaction on its connection.
type stmtCache struct {
	pool *sql.DB
	mu   sync.Mutex
	// stmts are the prepared statements; wanted are queries first run
	// inside a transaction, prepared once it has ended (preparing needs a
	// connection, and the transaction may hold the only one).
	stmts  map[string]*sql.Stmt
	wanted map[string]bool
}

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

// get returns query's statement. A query not yet kept is prepared at once
// on the pool, or, when inTx, noted to be prepared by prepareWanted, and
// nil is returned.
func (c *stmtCache) get(ctx context.Context, query string, inTx bool) *sql.Stmt {
	if strings.Count(query, "?") > maxCachedArgs {
		return nil
	}
	c.mu.Lock()
	st := c.stmts[query]
	full := len(c.stmts)+len(c.wanted) >= maxCachedStmts
	if st != nil || full {
		c.mu.Unlock()
		return st
	}
	if inTx {
		c.wanted[query] = true
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	// A statement that fails to prepare is run unprepared, where its
	// error reaches the caller.
	st, err := c.pool.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.stmts[query]; old != nil {
		st.Close()
		return old
	}
	c.stmts[query] = st
	return st
}

// prepareWanted prepares the queries noted inside transactions. It is
// called with no transaction of this goroutine open.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	c.mu.Lock()
	if len(c.wanted) == 0 {
		c.mu.Unlock()
		return
	}
	queries := make([]string, 0, len(c.wanted))
	for q := range c.wanted {
		queries = append(queries, q)
	}
	clear(c.wanted)
	c.mu.Unlock()
	for _, q := range queries {
		c.get(ctx, q, false)
	}
}

// close closes every kept statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
	clear(c.wanted)
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
	if db.writeStmts != nil {
		// Deferred first, so it runs last: after the rollback below has
		// given the connection back.
		defer db.writeStmts.prepareWanted(ctx)
	}
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
		runner: runner{q: sqlTx, d: db.dialect, stmts: db.writeStmts, tx: sqlTx},
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

// writer runs statements on the pool of writes, outside any transaction,
// for maintenance that writes without needing one.
func (db *DB) writer() runner {
	return runner{q: db.sql, d: db.dialect}
}

// reader runs read-only queries on the pool, outside any transaction. On
// SQLite they run on connections of their own, beside the one writer.
func (db *DB) reader() runner {
	return runner{q: db.read, d: db.dialect, stmts: db.readStmts}
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

// maxGroup bounds how many transactions one commit carries, so that the
// first of them never waits long for the last.
const maxGroup = 64

// commitGroup lets transactions that arrive while another is running share
// its commit, on an engine with one writer (SQLite), where every commit
// waits for the disk in turn. Each transaction runs inside a savepoint of
// the shared transaction, so its failure undoes only its own changes; each
// caller returns only once the shared transaction has committed, or with an
// error if it did not. Nothing is acknowledged that is not durably stored.
type commitGroup struct {
	// mu is held while one member runs; waiting counts those queued for
	// it, who carry the open batch on.
	mu      sync.Mutex
	waiting atomic.Int32
	batch   *commitBatch
}

// commitBatch is a shared transaction and what became of it.
type commitBatch struct {
	tx      *sql.Tx
	members int
	done    chan struct{}
	err     error
}

// transactGrouped is transact for transactions that may share a commit
// with others running at the same time. fn must not depend on ctx being
// cancelled: the shared transaction never is.
func (db *DB) transactGrouped(ctx context.Context, fn func(t *tx) error) error {
	g := db.group
	if g == nil {
		return db.transact(ctx, fn)
	}
	ctx = context.WithoutCancel(ctx)
	if db.writeStmts != nil {
		defer db.writeStmts.prepareWanted(ctx)
	}
	g.waiting.Add(1)
	g.mu.Lock()
	g.waiting.Add(-1)
	b := g.batch
	if b == nil {
		sqlTx, err := db.sql.BeginTx(ctx, nil)
		if err != nil {
			g.mu.Unlock()
			return fmt.Errorf("begin transaction: %w", err)
		}
		b = &commitBatch{tx: sqlTx, done: make(chan struct{})}
		g.batch = b
	}
	b.members++
	fnErr, broken, panicked := db.runMember(ctx, b.tx, fn)
	switch {
	case broken != nil:
		// The shared transaction cannot go on: no one in it commits.
		g.batch = nil
		if err := b.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
			db.logger.Warn("rollback failed", "err", err)
		}
		b.err = broken
		close(b.done)
	case g.waiting.Load() > 0 && b.members < maxGroup:
		// Someone queued behind runs next, in this transaction, and
		// commits it unless another follows.
	default:
		g.batch = nil
		if err := b.tx.Commit(); err != nil {
			b.err = fmt.Errorf("commit: %w", err)
		}
		close(b.done)
	}
	g.mu.Unlock()
	<-b.done
	if panicked != nil {
		panic(panicked)
	}
	if fnErr != nil {
		return fnErr
	}
	return b.err
}

// runMember runs fn in a savepoint of the shared transaction: its changes
// are kept when it returns nil and undone otherwise. broken reports that
// the shared transaction itself failed; panicked is what fn panicked with,
// after its changes were undone.
func (db *DB) runMember(ctx context.Context, sqlTx *sql.Tx, fn func(t *tx) error) (fnErr, broken error, panicked any) {
	r := runner{q: sqlTx, d: db.dialect, stmts: db.writeStmts, tx: sqlTx}
	if _, err := r.exec(ctx, "SAVEPOINT member"); err != nil {
		return nil, fmt.Errorf("begin transaction: %w", err), nil
	}
	t := &tx{runner: r, now: db.now().UTC().Truncate(time.Microsecond)}
	func() {
		defer func() {
			if p := recover(); p != nil {
				panicked = p
			}
		}()
		fnErr = fn(t)
	}()
	if fnErr == nil && panicked == nil {
		if _, err := r.exec(ctx, "RELEASE member"); err != nil {
			return nil, fmt.Errorf("commit: %w", err), nil
		}
		return nil, nil, nil
	}
	if _, err := r.exec(ctx, "ROLLBACK TO member"); err != nil {
		return fnErr, fmt.Errorf("roll back: %w", err), panicked
	}
	if _, err := r.exec(ctx, "RELEASE member"); err != nil {
		return fnErr, fmt.Errorf("roll back: %w", err), panicked
	}
	return fnErr, nil, panicked
}

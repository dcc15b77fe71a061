package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"paniers/config"

	"github.com/mattn/go-sqlite3"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
)

// Store is paniers' database: every read and write of the service goes
// through its methods. It wraps two gorm handles: w, through which every
// write goes, and r for reads. On SQLite w is one single connection (SQLite
// allows one writer at a time; queueing writers in Go is cheaper and fairer
// than letting them fight over the file lock) and r a pool of read-only
// connections that WAL lets run beside the writer. On PostgreSQL both are the
// same pool. A Store made by tx (inside a transaction) has r == w == the
// transaction, so reads see the transaction's own writes.
type Store struct {
	w, r    *gorm.DB
	log     *slog.Logger
	now     func() time.Time
	loc     *time.Location
	pg      bool
	closers []func() error
	// turns queues the hot single-statement writes for the SQLite writer
	// in arrival order (see guardedInsert); nil on PostgreSQL.
	turns chan struct{}
	root  *gorm.DB // the writer handle turns guards
	// hot holds the SQLite hot path's prepared statements (see hotStmt);
	// wdb and rdb are the writer's and readers' database/sql handles, and
	// rroot the readers' gorm handle (a store bound to a transaction has
	// another r and runs its reads through gorm).
	hot      *sync.Map
	wdb, rdb *sql.DB
	rroot    *gorm.DB
}

// Option tunes a Store made by Open.
type Option func(*Store)

// WithClock makes the store read the time from now instead of time.Now: the
// cutoffs, creation times and demo week follow it. Tests pass a fixed clock.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithLocation sets the time zone of windows, dates and cutoffs (the
// configured PANIERS_TZ); the default is Europe/Paris.
func WithLocation(loc *time.Location) Option { return func(s *Store) { s.loc = loc } }

// Open opens the database named by dsn and migrates its schema. A dsn
// starting with postgres:// or postgresql:// selects PostgreSQL; anything
// else is an SQLite file path (or a "file:" URI). The store logs through log
// (nil discards).
func Open(ctx context.Context, dsn string, log *slog.Logger, opts ...Option) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{log: log, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	if s.loc == nil {
		s.loc = config.DefaultLocation()
	}
	cfg := func() *gorm.Config {
		return &gorm.Config{
			Logger: gormLogger{log: log},
			// Each multi-row write opens its own transaction explicitly; a
			// transaction around every single insert only costs time.
			SkipDefaultTransaction: true,
			// Unique and foreign key violations come back as
			// gorm.ErrDuplicatedKey and gorm.ErrForeignKeyViolated on both
			// databases, which we map to ErrConflict and validation errors.
			TranslateError: true,
			PrepareStmt:    true,
			NowFunc:        func() time.Time { return s.now().UTC() },
		}
	}
	var err error
	if config.IsPostgres(dsn) {
		s.pg = true
		s.w, err = gorm.Open(postgres.Open(dsn), cfg())
		if err != nil {
			return nil, fmt.Errorf("models: open postgres: %w", err)
		}
		s.r = s.w
		sqlDB, err := s.w.DB()
		if err != nil {
			return nil, fmt.Errorf("models: open postgres: %w", err)
		}
		sqlDB.SetMaxOpenConns(16)
		sqlDB.SetMaxIdleConns(16)
		s.closers = append(s.closers, sqlDB.Close)
	} else {
		if err := s.openSQLite(dsn, cfg); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := s.ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.rdb != nil {
		// The readers opened before the migration may keep the schema
		// they first read (their first query after an ALTER TABLE saw
		// neither the new columns nor the backfill): start them afresh.
		s.rdb.SetMaxIdleConns(0)
		s.rdb.SetMaxIdleConns(8)
	}
	return s, nil
}

// openSQLite opens the writer connection and the reader pool on one file.
func (s *Store) openSQLite(path string, cfg func() *gorm.Config) error {
	if path == "" || path == ":memory:" || strings.Contains(path, "mode=memory") {
		// Two handles on an in-memory database would see two databases.
		return fmt.Errorf("models: sqlite %q: an in-memory database is not supported, use a file", path)
	}
	base := path
	if !strings.HasPrefix(base, "file:") {
		base = "file:" + base
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	params := url.Values{}
	// WAL lets readers run while the writer writes, and makes a commit one
	// append to the log instead of a rewrite of the pages: the service reads
	// plans and lists while offers are posted.
	params.Set("_journal_mode", "WAL")
	// SQLite ignores foreign keys unless asked, per connection; we want the
	// database itself to refuse an offer for a producer that does not exist.
	params.Set("_foreign_keys", "on")
	// With WAL, a commit is durable against a crash of the process once
	// written to the log; NORMAL skips the fsync of every commit, which only
	// matters on power loss. The checkpoint still fsyncs.
	params.Set("_synchronous", "NORMAL")
	// Another process (paniers plan, a backup) or a checkpoint may hold the
	// lock for a moment: wait up to 5 s instead of failing with SQLITE_BUSY.
	params.Set("_busy_timeout", "5000")
	// Take the write lock when a transaction begins rather than at its first
	// write, so a transaction that reads and then writes cannot fail half-way
	// with SQLITE_BUSY because another connection wrote in between.
	params.Set("_txlock", "immediate")
	wdsn := base + sep + params.Encode()
	// The checkpointer's connection: no foreign keys or write transactions
	// of its own, the same durability and busy timeout.
	cparams := url.Values{}
	for _, k := range []string{"_journal_mode", "_synchronous", "_busy_timeout"} {
		cparams.Set(k, params.Get(k))
	}
	cdsn := base + sep + cparams.Encode()

	var err error
	for wait := 5 * time.Millisecond; ; wait *= 2 {
		s.w, err = gorm.Open(sqlite.New(sqlite.Config{DriverName: sqliteWriterDriver(), DSN: wdsn}), cfg())
		// Turning a new file to WAL needs it alone for a moment: another
		// instance starting at the same time makes that fail at once with
		// SQLITE_BUSY, which the busy timeout does not cover. Try again
		// for a few seconds.
		var se sqlite3.Error
		if err == nil || !errors.As(err, &se) || se.Code != sqlite3.ErrBusy || wait > 2*time.Second {
			break
		}
		time.Sleep(wait)
	}
	if err != nil {
		return fmt.Errorf("models: open sqlite %q: %w", path, err)
	}
	wdb, err := s.w.DB()
	if err != nil {
		return fmt.Errorf("models: open sqlite %q: %w", path, err)
	}
	// One writer: SQLite serializes writers anyway.
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)
	s.closers = append(s.closers, wdb.Close)

	rparams := url.Values{}
	rparams.Set("_foreign_keys", "on")
	rparams.Set("_busy_timeout", "5000")
	// Readers never write: a bug that tries gets an error, not a second writer.
	rparams.Set("_query_only", "1")
	s.r, err = gorm.Open(sqlite.Open(base+sep+rparams.Encode()), cfg())
	if err != nil {
		return fmt.Errorf("models: open sqlite %q: %w", path, err)
	}
	rdb, err := s.r.DB()
	if err != nil {
		return fmt.Errorf("models: open sqlite %q: %w", path, err)
	}
	rdb.SetMaxOpenConns(8)
	rdb.SetMaxIdleConns(8)
	s.closers = append(s.closers, rdb.Close)
	// Closers run last first: the checkpointer stops before the connections
	// close.
	s.turns, s.root = make(chan struct{}, 1), s.w
	s.hot, s.wdb, s.rdb, s.rroot = &sync.Map{}, wdb, rdb, s.r
	stop, err := s.startCheckpointer(cdsn, walCheckpointEvery)
	if err != nil {
		return err
	}
	s.closers = append(s.closers, stop)
	return nil
}

// sqliteDriver is mattn/go-sqlite3's driver name.
const sqliteDriver = "sqlite3"

// sqliteWriterDriver registers, once, the driver of the writer connection:
// mattn/go-sqlite3 with SQLite's automatic checkpoint turned off, since the
// store checkpoints itself (see checkpoint).
var sqliteWriterDriver = sync.OnceValue(func() string {
	const name = "sqlite3_paniers_writer"
	sql.Register(name, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA wal_autocheckpoint = 0", nil)
		return err
	}})
	return name
})

// Close closes the database connections.
func (s *Store) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	s.closers = nil
	return errors.Join(errs...)
}

// Ping says whether the database answers, for /healthz: it runs a query on
// the read side and on the write side, so a writer stuck on a lock shows.
func (s *Store) Ping(ctx context.Context) error { return s.ping(ctx) }

func (s *Store) ping(ctx context.Context) error {
	var one int
	if err := s.r.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error; err != nil {
		return fmt.Errorf("models: ping: %w", err)
	}
	if s.w != s.r {
		if err := s.w.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error; err != nil {
			return fmt.Errorf("models: ping writer: %w", err)
		}
	}
	return nil
}

// Migrate creates or updates the schema. Open calls it; it is safe to run
// again.
//
// Several processes may start at once on one database (instances behind a
// load balancer on PostgreSQL; `paniers serve` and `paniers plan` on one
// SQLite file): they migrate one after the other instead of racing to create
// the same tables. On PostgreSQL each takes a session advisory lock around
// its migration; on SQLite the migration is one write transaction (BEGIN
// IMMEDIATE takes the file's write lock, and SQLite's DDL is transactional).
func (s *Store) Migrate(ctx context.Context) error {
	if s.pg {
		sqlDB, err := s.w.DB()
		if err != nil {
			return fmt.Errorf("models: migrate: %w", err)
		}
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			return fmt.Errorf("models: migrate: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock("+schemaLockKey+", $1)", migrateLockKey); err != nil {
			return fmt.Errorf("models: migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock("+schemaLockKey+", $1)", migrateLockKey)
	}
	migrate := func(db *gorm.DB) error {
		if err := db.AutoMigrate(allModels()...); err != nil {
			return err
		}
		return backfillEgalim(db)
	}
	var err error
	if s.pg {
		err = migrate(s.w.WithContext(ctx))
	} else {
		err = s.w.WithContext(ctx).Transaction(migrate)
	}
	if err != nil {
		return fmt.Errorf("models: migrate: %w", err)
	}
	return nil
}

// migrateLockKey is the second half of the PostgreSQL advisory lock key of
// migrations ("pani" in ASCII); the first is schemaLockKey.
const migrateLockKey int32 = 0x70616e69

// schemaLockKey is the SQL of the first half of paniers' PostgreSQL advisory
// lock keys: the schema the tables are in (the first schema of the search
// path that exists). Advisory locks are server-wide, and stores on other
// schemas of the same database (another deployment, or the tests of
// several packages running at once, each in a schema of its own) have
// other tables: they must not wait for each other.
const schemaLockKey = "hashtext(coalesce(current_schema(), ''))"

// Now returns the store's clock reading (see WithClock).
func (s *Store) Now() time.Time { return s.now() }

// Location returns the time zone of windows, dates and cutoffs.
func (s *Store) Location() *time.Location { return s.loc }

// IsPostgres says whether the store runs on PostgreSQL.
func (s *Store) IsPostgres() bool { return s.pg }

// tx runs fn in one write transaction with a store bound to it: fn's reads
// and writes commit together or not at all. On SQLite the transaction holds
// the single writer connection, so write transactions run one at a time.
func (s *Store) tx(ctx context.Context, fn func(t *Store) error) error {
	return s.w.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		t := *s
		t.w, t.r, t.closers = db, db, nil
		return fn(&t)
	})
}

// snapshot runs fn with a store whose reads all see one consistent state of
// the database: a read transaction on the read side (repeatable read on
// PostgreSQL). fn must not write.
func (s *Store) snapshot(ctx context.Context, fn func(t *Store) error) error {
	var opts []*sql.TxOptions
	if s.pg {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return s.r.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		t := *s
		t.r, t.closers = db, nil
		return fn(&t)
	}, opts...)
}

// lockWeek reads a week row inside a transaction, locking it on PostgreSQL:
// exclusive (FOR UPDATE) for a change of the week itself (status, plan
// versions), shared (FOR SHARE) for a write that only depends on the week's
// cutoffs and status, so offers are posted concurrently but never beside a
// status change. SQLite's single writer already serializes all of them.
func (s *Store) lockWeek(ctx context.Context, id string, exclusive bool) (Week, error) {
	q := s.w.WithContext(ctx)
	if s.pg {
		strength := clause.LockingStrengthShare
		if exclusive {
			strength = clause.LockingStrengthUpdate
		}
		q = q.Clauses(clause.Locking{Strength: strength})
	}
	var w Week
	if err := q.Where("id = ?", id).Take(&w).Error; err != nil {
		return Week{}, dbErr(err, "week", id)
	}
	return w, nil
}

// dbErr turns a gorm error into the store's errors: a missing record into
// ErrNotFound, a duplicate key into ErrConflict; others are wrapped with
// their origin.
func dbErr(err error, kind, id string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return notFound(kind, id)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return conflict(kind, id)
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrConflict), errors.Is(err, ErrClosed), errors.Is(err, ErrInvalid):
		return err
	default:
		return fmt.Errorf("models: %s %q: %w", kind, id, err)
	}
}

// Page selects a slice of a list: Limit items after skipping Offset. Lists
// are ordered by id (or by a documented stable key), so pages do not overlap.
type Page struct {
	Limit  int
	Offset int
}

// Page limits: a zero Limit means DefaultLimit; a larger one is cut to
// MaxLimit.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

func (p Page) normalize() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	if p.Limit > MaxLimit {
		p.Limit = MaxLimit
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}

func (p Page) apply(q *gorm.DB) *gorm.DB {
	p = p.normalize()
	return q.Limit(p.Limit).Offset(p.Offset)
}

// gormLogger sends gorm's messages to slog: errors other than "record not
// found" at debug (the store returns them to its caller, who decides), slow
// queries at warn.
type gormLogger struct{ log *slog.Logger }

func (l gormLogger) LogMode(logger.LogLevel) logger.Interface { return l }
func (l gormLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}
func (l gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}
func (l gormLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}
func (l gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	switch {
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && l.log.Enabled(ctx, slog.LevelDebug):
		sql, rows := fc()
		l.log.DebugContext(ctx, "sql error", "err", err, "sql", sql, "rows", rows, "elapsed", elapsed)
	case elapsed > 500*time.Millisecond:
		sql, rows := fc()
		l.log.WarnContext(ctx, "slow sql", "sql", sql, "rows", rows, "elapsed", elapsed)
	case l.log.Enabled(ctx, slog.LevelDebug-4):
		sql, rows := fc()
		l.log.Log(ctx, slog.LevelDebug-4, "sql", "sql", sql, "rows", rows, "elapsed", elapsed)
	}
}

// WriterStats returns the database/sql statistics of the writer's handle
// (SQLite's one writer connection; PostgreSQL's pool): WaitCount and
// WaitDuration tell how often and how long writes queued for it.
func (s *Store) WriterStats() sql.DBStats {
	if s.wdb != nil {
		return s.wdb.Stats()
	}
	if db, err := s.w.DB(); err == nil {
		return db.Stats()
	}
	return sql.DBStats{}
}

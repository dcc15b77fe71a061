package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The hot writes (offers and orders, posted by many clients at once before a
// cutoff) go through the single SQLite writer, so the time they hold it is
// the service's write throughput. On SQLite they are therefore one statement
// each, run without an explicit transaction: an INSERT whose rows come from
// the week's row only while the week is open and before the cutoff,
//
//	INSERT INTO offers (...) SELECT ?, ?, ... FROM weeks
//	WHERE id = ? AND status = 'open' AND offer_cutoff > ? [ON CONFLICT ...]
//
// so the cutoff check and the write are atomic, and every reference has been
// checked beforehand on the read side (the foreign keys catch a record
// removed in between). On PostgreSQL, which has concurrent writers, the
// same writes run in a transaction that share-locks the week row instead.

// guardedInsert runs the guarded INSERT on SQLite through s.w (the writer,
// or the transaction of an idempotent write) and reports whether a row was
// written; seq and createdAt receive the stored row's (RETURNING). No row
// means the week is missing, not open or past the cutoff: closedWhy says
// which.
func (s *Store) guardedInsert(ctx context.Context, table, week, kind string, cols []string, vals []any, conflict string, seq *uint64, createdAt *time.Time) (bool, error) {
	cutoff := "order_cutoff"
	if kind == KindOffers {
		cutoff = "offer_cutoff"
	}
	q := fmt.Sprintf(`INSERT INTO %s ("%s") SELECT %s FROM weeks WHERE id = ? AND status = ? AND %s > ? %s RETURNING seq, created_at`,
		table, strings.Join(cols, `", "`), strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "), cutoff, conflict)
	args := append(append([]any{}, vals...), week, WeekOpen, s.now().UTC())
	if s.turns != nil && s.w == s.root {
		// database/sql hands a freed connection to a random waiter: with
		// one writer and many posts waiting, the unlucky ones waited many
		// turns (the p99 was four times the median). Goroutines blocked on
		// a channel are served in arrival order, so posts take the writer
		// in turn.
		select {
		case s.turns <- struct{}{}:
		case <-ctx.Done():
			return false, ctx.Err()
		}
		defer func() { <-s.turns }()
	}
	var rows *sql.Rows
	var err error
	if s.hot != nil && s.w == s.root {
		// The writer's turn is the service's write throughput: gorm's
		// statement building and callbacks ran inside it (a third of the
		// turn), a cached prepared statement does not.
		var stmt *sql.Stmt
		if stmt, err = s.hotStmt(ctx, s.wdb, q); err == nil {
			rows, err = stmt.QueryContext(ctx, args...)
		}
	} else {
		rows, err = s.w.WithContext(ctx).Raw(q, args...).Rows()
	}
	if err != nil {
		return false, s.translate(err)
	}
	defer rows.Close()
	if !rows.Next() {
		return false, s.translate(rows.Err())
	}
	if err := rows.Scan(seq, createdAt); err != nil {
		return false, s.translate(err)
	}
	return true, s.translate(rows.Close())
}

// hotStmt returns the prepared statement of query on db (the SQLite
// writer or readers), preparing it on first use: the hot writes and their
// reads skip gorm's per-call statement building, reflection and callbacks.
// The statements live as long as the store (closing db closes them).
func (s *Store) hotStmt(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	key := hotKey{db, query}
	if st, ok := s.hot.Load(key); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.hot.LoadOrStore(key, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// hotKey names a prepared statement of hotStmt.
type hotKey struct {
	db    *sql.DB
	query string
}

// closedWhy explains why a guarded insert wrote nothing: ErrNotFound for a
// missing week, else a *ClosedError.
func (s *Store) closedWhy(ctx context.Context, week, kind string) error {
	w, err := get[Week](ctx, s.r, week)
	if err != nil {
		return err
	}
	if err := checkOpen(w, kind, s.now()); err != nil {
		return err
	}
	// The week was closed when the insert ran and has been reopened since.
	cutoff := w.OrderCutoff
	if kind == KindOffers {
		cutoff = w.OfferCutoff
	}
	return &ClosedError{Week: w.ID, Kind: kind, Cutoff: cutoff, Status: w.Status}
}

// fkProblem turns a foreign key violation (a referenced record removed
// between the checks and the write) into a validation error on field.
func fkProblem(err error, field, fr, en string) error {
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return &ValidationError{Problems: []FieldError{unknownRef(field, fr, en)}}
	}
	return err
}

// translate maps a driver error met outside gorm's callbacks (reading rows
// of a Raw statement) to gorm's errors, as TranslateError does for the rest.
func (s *Store) translate(err error) error {
	if err == nil {
		return nil
	}
	if tr, ok := s.w.Dialector.(gorm.ErrorTranslator); ok {
		return tr.Translate(err)
	}
	return err
}

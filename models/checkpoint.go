package models

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// walCheckpointEvery is how often the SQLite store checkpoints.
//
// In WAL mode SQLite checkpoints on its own (PASSIVE, every 1000 pages), but
// it only rewinds the log when no reader is using it; under steady load
// there is always a reader, so the log grew without end: 350 MB after
// 40,000 offer posts, every read slower as the log's index grew (a post's
// read took half the CPU of the post). The store therefore turns SQLite's
// own checkpoints off on the writer (they ran inside a commit, so one post
// in a thousand paid a whole checkpoint while every other post queued
// behind it) and checkpoints itself; see checkpoint.
const walCheckpointEvery = 250 * time.Millisecond

// walForceFrames bounds the log under writes that never pause, while readers
// never leave it (SQLite can then never rewind it): past this many frames
// (16 MiB of 4 KiB pages) the checkpoint waits for the readers and empties
// the log, holding the writes up for that time.
const walForceFrames = 4096

// startCheckpointer starts the periodic checkpoint of an SQLite store on a
// connection of its own (dsn) and returns the function that stops it, to
// run before the other connections close.
func (s *Store) startCheckpointer(dsn string, every time.Duration) (func() error, error) {
	db, err := sql.Open(sqliteDriver, dsn)
	if err != nil {
		return nil, fmt.Errorf("models: checkpointer: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		prev := -1 // the log's frames at the last checkpoint
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			s.checkpoint(ctx, db, &prev)
		}
	}()
	return func() error {
		cancel()
		wg.Wait()
		return db.Close()
	}, nil
}

// checkpoint copies the log into the database and lets SQLite rewind it,
// without holding the writes up for long. It runs in two passes on the
// checkpointer's own connection, both PASSIVE (they never wait for readers):
//
//   - the first beside the writes: it copies the bulk of the log and syncs
//     it, the long part (8 to 11 ms for the 3,000 frames of 250 ms of offer
//     posts on the development machine), while posts go on being written;
//   - the second under the writer's turn (no guarded write runs meanwhile):
//     it copies the few frames written during the first, and leaves the log
//     wholly copied, so the writer's next transaction starts the log again
//     from its beginning when no reader is in it.
//
// The TRUNCATE it replaces held the writer for 12 to 26 ms at every tick
// under load, waiting for the readers with the busy handler's sleeps while
// every post queued behind it. When nothing was written since the last
// checkpoint (*prev holds the log's frames then) and the log is wholly
// copied, a TRUNCATE empties the file: waiting for the readers costs nobody
// then. When the log still holds more than walForceFrames after the second
// pass (readers never left it, so it could not be rewound), the TRUNCATE
// runs at once: it bounds the log, at the price of the wait.
func (s *Store) checkpoint(ctx context.Context, db *sql.DB, prev *int) {
	run := func(mode string) (busy, logFrames, done int, err error) {
		err = db.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &logFrames, &done)
		if err != nil && ctx.Err() == nil {
			s.log.Warn("models: wal checkpoint", "mode", mode, "err", err)
		}
		return busy, logFrames, done, err
	}
	*prev = func() int {
		_, logFrames, done, err := run("PASSIVE")
		if err != nil {
			return -1
		}
		if logFrames == 0 {
			return 0
		}
		idle := logFrames == *prev && done == logFrames
		if s.turns != nil {
			select {
			case s.turns <- struct{}{}:
			case <-ctx.Done():
				return -1
			}
			defer func() { <-s.turns }()
		}
		if !idle {
			if _, logFrames, _, err = run("PASSIVE"); err != nil {
				return -1
			}
			if logFrames <= walForceFrames {
				return logFrames
			}
		}
		busy, logFrames, done, err := run("TRUNCATE")
		if err != nil {
			return -1
		}
		if busy != 0 {
			s.log.Debug("models: wal checkpoint incomplete: readers still busy", "log_frames", logFrames, "checkpointed", done)
		}
		return logFrames
	}()
}

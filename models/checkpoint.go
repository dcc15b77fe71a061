package models

import (
	"context"
	"sync"
	"time"
)

// walCheckpointEvery is how often the SQLite store forces a checkpoint.
//
// In WAL mode SQLite checkpoints on its own (PASSIVE, every 1000 pages), but
// it only rewinds the log when no reader is using it; under steady load
// there is always a reader, so the log grew without end: 350 MB after
// 40,000 offer posts, every read slower as the log's index grew (a post's
// read took half the CPU of the post). A TRUNCATE checkpoint waits (within
// the busy timeout) for the readers of older snapshots to finish, copies
// the log into the database and empties it. It runs through the single
// writer connection, so it queues among the writes rather than fighting
// them.
const walCheckpointEvery = 250 * time.Millisecond

// startCheckpointer starts the periodic checkpoint of an SQLite store and
// returns the function that stops it, to run before the connections close.
func (s *Store) startCheckpointer(every time.Duration) func() error {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var busy, logFrames, done int
			row := s.w.WithContext(ctx).Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row()
			if err := row.Scan(&busy, &logFrames, &done); err != nil {
				if ctx.Err() == nil {
					s.log.Warn("models: wal checkpoint", "err", err)
				}
				continue
			}
			if busy != 0 {
				s.log.Debug("models: wal checkpoint incomplete: readers still busy", "log_frames", logFrames, "checkpointed", done)
			}
		}
	}()
	return func() error {
		cancel()
		wg.Wait()
		return nil
	}
}

package jobs

import "context"

// Drain stops s's schedule and waits, at most until ctx is done, for the
// runs in flight (scheduled ones and the start-up catch-up) to end without
// cancelling them. Tests call it before Stop to end a scheduler between
// two runs: Stop cancels a run in flight (a shutdown), which then fails,
// so a test stopping at an arbitrary moment could not tell that failure
// from a real one.
func (s *Scheduler) Drain(ctx context.Context) error {
	return s.wait(ctx, s.c.Stop())
}

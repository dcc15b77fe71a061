package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"paniers/config"

	"github.com/robfig/cron/v3"
)

// Schedules are the cron specs of the jobs (PANIERS_SCHEDULE_*), read by
// config.ScheduleParser; an empty spec leaves its job unscheduled.
type Schedules struct {
	CloseOffers string
	Plan        string
	Publish     string
}

// Scheduler runs the jobs on their schedules in the store's time zone. Make
// one with NewScheduler, Start it, Stop it.
type Scheduler struct {
	d    Deps
	c    *cron.Cron
	jobs []*scheduled

	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc
	bg     sync.WaitGroup
}

// scheduled is one job on its schedule. Its Run is what cron calls, through
// the chain (Recover, SkipIfStillRunning); a catch-up calls the same wrapped
// job so that it never overlaps a scheduled run of the same job.
type scheduled struct {
	s       *Scheduler
	name    string
	spec    string
	sched   cron.Schedule
	id      cron.EntryID
	wrapped cron.Job
	// catchUp holds the scheduled time a catch-up run replaces, taken by the
	// next Run.
	catchUp atomic.Pointer[time.Time]
	// act is the job for one week.
	act func(ctx context.Context, week string) error
}

// NewScheduler prepares the jobs on their schedules; it returns an error
// naming the schedule that cannot be parsed.
func NewScheduler(d Deps, specs Schedules) (*Scheduler, error) {
	if d.Store == nil {
		return nil, errors.New("jobs: scheduler: no store")
	}
	d = d.withDefaults()
	logger := cronLogger{log: d.Log}
	s := &Scheduler{d: d}
	s.c = cron.New(
		cron.WithLocation(d.loc()),
		cron.WithParser(config.ScheduleParser),
		cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)),
	)
	for _, j := range []struct {
		name, env, spec string
		act             func(ctx context.Context, week string) error
	}{
		{JobCloseOffers, "PANIERS_SCHEDULE_CLOSE_OFFERS", specs.CloseOffers, func(ctx context.Context, week string) error {
			_, err := CloseOffers(ctx, s.d, week)
			return err
		}},
		{JobPlan, "PANIERS_SCHEDULE_PLAN", specs.Plan, func(ctx context.Context, week string) error {
			_, err := PlanWeek(ctx, s.d, week, 1)
			return err
		}},
		{JobPublish, "PANIERS_SCHEDULE_PUBLISH", specs.Publish, func(ctx context.Context, week string) error {
			_, err := Publish(ctx, s.d, week)
			return err
		}},
	} {
		if j.spec == "" {
			continue
		}
		sched, err := config.ScheduleParser.Parse(j.spec)
		if err != nil {
			return nil, fmt.Errorf("jobs: %s %q: %w", j.env, j.spec, err)
		}
		sj := &scheduled{s: s, name: j.name, spec: j.spec, sched: sched, act: j.act}
		sj.id = s.c.Schedule(sched, sj)
		sj.wrapped = s.c.Entry(sj.id).WrappedJob
		s.jobs = append(s.jobs, sj)
	}
	return s, nil
}

// Start catches up missed runs (in the background, in the order close-offers,
// plan, publish) and starts the schedule. Jobs run with a context derived
// from ctx: cancelling it (a shutdown) cancels their database work, which
// rolls back.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctx, s.cancel = context.WithCancel(ctx)
	if n, err := s.d.Store.FailStaleJobRuns(s.ctx, s.d.Now().Add(-3*s.d.ClaimTTL),
		FailInterrupted); err != nil {
		s.d.Log.Error("jobs: closing interrupted runs", "err", err)
	} else if n > 0 {
		s.d.Log.Warn("jobs: runs interrupted by a stop marked failed", "runs", n)
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.CatchUp(s.ctx)
	}()
	s.c.Start()
	for _, j := range s.jobs {
		s.d.Log.Info("job scheduled", "job", j.name, "schedule", j.spec, "next", s.c.Entry(j.id).Next.Format(time.RFC3339), "instance", s.d.Instance)
	}
}

// Stop stops the schedule, cancels running jobs and waits for them, at most
// until ctx is done.
func (s *Scheduler) Stop(ctx context.Context) error {
	done := s.c.Stop()
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	if err := s.wait(ctx, done); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// wait waits, at most until ctx is done, for the scheduled runs cron
// started (cronDone, from cron's Stop) and for the start-up catch-up.
func (s *Scheduler) wait(ctx context.Context, cronDone context.Context) error {
	bg := make(chan struct{})
	go func() { s.bg.Wait(); close(bg) }()
	for _, c := range []<-chan struct{}{cronDone.Done(), bg} {
		select {
		case <-c:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Next returns when job runs next (zero when it is not scheduled or the
// scheduler is not started).
func (s *Scheduler) Next(job string) time.Time {
	for _, j := range s.jobs {
		if j.name == job {
			return s.c.Entry(j.id).Next
		}
	}
	return time.Time{}
}

// CatchUp runs, once each, the jobs whose last scheduled time before now has
// no successful run since, and logs "catch-up: missed run started now" for each. Start calls it;
// it is exported for tests.
func (s *Scheduler) CatchUp(ctx context.Context) {
	now := s.d.Now().In(s.d.loc())
	for _, j := range s.jobs {
		if ctx.Err() != nil {
			return
		}
		last, ok := LastTick(j.sched, now)
		if !ok {
			continue
		}
		since, found, err := s.d.Store.LastJobSuccess(ctx, j.name)
		if err != nil {
			s.d.Log.Error("jobs: catch-up: reading the last run", "job", j.name, "err", err)
			continue
		}
		if found && !since.Before(last) {
			continue
		}
		s.d.Log.Info("catch-up: missed run started now", "job", j.name,
			"due", last.Format(time.RFC3339), "last_success", lastSuccess(since, found))
		j.catchUp.Store(&last)
		j.wrapped.Run()
	}
}

func lastSuccess(t time.Time, found bool) string {
	if !found {
		return "jamais"
	}
	return t.Format(time.RFC3339)
}

// Run is called by cron (through the chain) at each scheduled time, and by
// CatchUp.
func (j *scheduled) Run() {
	catchUp := false
	var due time.Time
	if p := j.catchUp.Swap(nil); p != nil {
		due, catchUp = *p, true
	} else {
		due = j.s.c.Entry(j.id).Prev
		if due.IsZero() {
			due, _ = LastTick(j.sched, j.s.d.Now().In(j.s.d.loc()))
		}
	}
	j.s.mu.Lock()
	ctx := j.s.ctx
	j.s.mu.Unlock()
	if ctx == nil {
		ctx = context.Background()
	}
	j.s.tick(ctx, j, due, catchUp)
}

// tick runs one scheduled time of a job: claim it (another instance may
// have), find the weeks it acts on, run the job for each, record the claim's
// outcome.
func (s *Scheduler) tick(ctx context.Context, j *scheduled, due time.Time, catchUp bool) {
	d := s.d
	if catchUp {
		ctx = WithTrigger(ctx, TriggerCatchUp)
	} else {
		ctx = WithTrigger(ctx, TriggerSchedule)
	}
	log := d.Log.With("job", j.name, "due", due.Format(time.RFC3339), "instance", d.Instance)
	ok, err := d.Store.ClaimJob(ctx, j.name, due, d.Instance, d.ClaimTTL, catchUp)
	if err != nil {
		log.Error("jobs: claiming a run", "err", err)
		return
	}
	if !ok {
		log.Debug("jobs: run claimed by another instance, or still running")
		return
	}
	stop := s.keepClaim(ctx, j.name, due)
	outcome := "ok"
	defer func() {
		stop()
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := d.Store.FinishJobClaim(fctx, j.name, due, d.Instance, outcome); err != nil {
			log.Error("jobs: recording a claim's outcome", "err", err)
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			outcome = "failed"
			panic(r)
		}
	}()
	weeks, err := DueWeeks(ctx, d, j.name, due)
	if err != nil {
		outcome = "failed"
		log.Error("jobs: finding the weeks due", "err", err)
		if rerr := record(ctx, d, j.name, "", func(context.Context) error { return err }); rerr != err {
			log.Error("jobs: recording a failed run", "err", rerr)
		}
		return
	}
	if len(weeks) == 0 {
		log.Info("jobs: nothing due", "catch_up", catchUp)
		if err := recordSkipped(ctx, d, j.name, "", SkipNoWeek); err != nil {
			// Catch-ups read the runs: a time without its run is not done.
			outcome = "failed"
			log.Error("jobs: recording a skipped run", "err", err)
		}
		return
	}
	for _, w := range weeks {
		if err := j.act(ctx, w); err != nil {
			outcome = "failed"
			log.Error("jobs: run failed", "week", w, "err", err, "catch_up", catchUp)
			continue
		}
		log.Info("jobs: run done", "week", w, "catch_up", catchUp)
	}
}

// keepClaim renews a claim while its run lasts; the returned function stops
// the renewals.
func (s *Scheduler) keepClaim(ctx context.Context, job string, due time.Time) func() {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(s.d.ClaimTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if ok, err := s.d.Store.ExtendJobClaim(ctx, job, due, s.d.Instance, s.d.ClaimTTL); err != nil || !ok {
					s.d.Log.Warn("jobs: renewing a claim", "job", job, "ok", ok, "err", err)
				}
			}
		}
	}()
	return func() { close(stop); wg.Wait() }
}

// cronLogger sends cron's messages to slog: routine ones at debug, except
// skipped runs, errors (a recovered panic) at error.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) {
	level := slog.LevelDebug
	if msg == "skip" {
		level = slog.LevelWarn
		msg = "cron: run skipped, the previous one is still running"
	} else {
		msg = "cron: " + msg
	}
	l.log.Log(context.Background(), level, msg, kv...)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}

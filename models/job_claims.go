package models

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// ClaimJob claims the run of job scheduled at due for holder, for ttl. It
// returns true when this caller must run it, false when another instance has
// it. Two things make the claim exclusive, on SQLite and PostgreSQL alike:
// the claim is a row keyed by (job, due), inserted once; and no claim is
// made while another claim of the same job is still running and not expired
// (a job that overruns its period is skipped, as cron.SkipIfStillRunning does
// within one process). A catch-up claim (catchUp) may also take over a
// claim of the same due time that failed or whose holder died (expired
// without an outcome).
func (s *Store) ClaimJob(ctx context.Context, job string, due time.Time, holder string, ttl time.Duration, catchUp bool) (bool, error) {
	now := s.now()
	dueS := due.Unix()
	claimed := false
	err := s.tx(ctx, func(t *Store) error {
		if t.pg {
			// Serialize the claims of one job across instances for the
			// length of this transaction; SQLite's single writer already
			// does. The key names the schema (see schemaLockKey).
			if err := t.w.Exec("SELECT pg_advisory_xact_lock("+schemaLockKey+", hashtext(?))", "paniers-job:"+job).Error; err != nil {
				return dbErr(err, "job claim", job)
			}
		}
		var busy int64
		err := t.w.Model(&JobClaim{}).
			Where("job = ? AND due <> ? AND outcome = '' AND expires_at > ?", job, dueS, now.UnixMilli()).
			Count(&busy).Error
		if err != nil {
			return dbErr(err, "job claim", job)
		}
		if busy > 0 {
			return nil
		}
		var c JobClaim
		err = t.w.Where("job = ? AND due = ?", job, dueS).Limit(1).Find(&c).Error
		if err != nil {
			return dbErr(err, "job claim", job)
		}
		c2 := JobClaim{Job: job, Due: dueS, Holder: holder, ExpiresAt: now.Add(ttl).UnixMilli(), CatchUp: catchUp, CreatedAt: now.UTC()}
		switch {
		case c.Job == "":
			if err := t.w.Create(&c2).Error; err != nil {
				return dbErr(err, "job claim", job)
			}
			claimed = true
		case catchUp && (c.Outcome == JobFailed || c.Outcome == "" && c.ExpiresAt <= now.UnixMilli()):
			if err := t.w.Model(&JobClaim{}).Where("job = ? AND due = ?", job, dueS).
				Updates(map[string]any{"holder": holder, "expires_at": c2.ExpiresAt, "outcome": "", "catch_up": true}).Error; err != nil {
				return dbErr(err, "job claim", job)
			}
			claimed = true
		}
		return nil
	})
	return claimed, err
}

// ExtendJobClaim pushes a running claim's expiry to now+ttl, for a run that
// lasts longer than the first ttl; false when holder no longer holds it.
func (s *Store) ExtendJobClaim(ctx context.Context, job string, due time.Time, holder string, ttl time.Duration) (bool, error) {
	res := s.w.WithContext(ctx).Model(&JobClaim{}).
		Where("job = ? AND due = ? AND holder = ? AND outcome = ''", job, due.Unix(), holder).
		Update("expires_at", s.now().Add(ttl).UnixMilli())
	return res.RowsAffected == 1, dbErr(res.Error, "job claim", job)
}

// FinishJobClaim records the outcome (JobOK or JobFailed) of a claimed run.
func (s *Store) FinishJobClaim(ctx context.Context, job string, due time.Time, holder, outcome string) error {
	if outcome != JobOK && outcome != JobFailed {
		return fmt.Errorf("models: job claim %s: outcome %q: want ok or failed", job, outcome)
	}
	err := s.w.WithContext(ctx).Model(&JobClaim{}).
		Where("job = ? AND due = ? AND holder = ?", job, due.Unix(), holder).
		Update("outcome", outcome).Error
	return dbErr(err, "job claim", job)
}

// ListJobClaims returns the claims of a job, oldest due time first, at most
// limit of the latest (all when limit <= 0).
func (s *Store) ListJobClaims(ctx context.Context, job string, limit int) ([]JobClaim, error) {
	q := s.r.WithContext(ctx).Where("job = ?", job).Order("due DESC")
	if limit > 0 {
		q = q.Limit(limit)
	}
	var rows []JobClaim
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbErr(err, "job claims", job)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Due < rows[j].Due })
	return rows, nil
}

// LastJobSuccess returns the start of the latest run of job that ended ok or
// skipped (a run with nothing to do is a success), and false when there is
// none.
func (s *Store) LastJobSuccess(ctx context.Context, job string) (time.Time, bool, error) {
	var r JobRun
	err := s.r.WithContext(ctx).Where("job = ? AND outcome IN ?", job, []string{JobOK, JobSkipped}).
		Order("started_at DESC").Limit(1).Find(&r).Error
	if err != nil {
		return time.Time{}, false, dbErr(err, "job runs", job)
	}
	return r.StartedAt, r.ID != 0, nil
}

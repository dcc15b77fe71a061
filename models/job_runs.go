package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"paniers/internal/i18n"

	"gorm.io/gorm"
)

// StartJobRun records that a job starts for a week (week may be empty for a
// job that is not about one week), started by trigger (the schedule, a
// catch-up, the API, a page, a command: jobs.Trigger*), and returns the
// run, with outcome JobRunning.
func (s *Store) StartJobRun(ctx context.Context, job, week, trigger string) (JobRun, error) {
	var p problems
	p.text("job", job, true, 64)
	p.text("week", week, false, 10)
	p.text("trigger", trigger, false, 16)
	if err := p.err(); err != nil {
		return JobRun{}, err
	}
	r := JobRun{Job: job, Week: week, StartedAt: s.now().UTC(), Outcome: JobRunning, Trigger: trigger}
	return r, dbErr(s.w.WithContext(ctx).Create(&r).Error, "job run", job)
}

// FinishJobRun records the end of a run: outcome JobOK, JobFailed or
// JobSkipped, and runErr's text when not nil; when runErr (or an error it
// wraps) also has words for people (a Words() i18n.Text method), their
// French is kept in ErrorFR. ErrNotFound for an unknown id.
func (s *Store) FinishJobRun(ctx context.Context, id uint64, outcome string, runErr error) (JobRun, error) {
	if outcome != JobOK && outcome != JobFailed && outcome != JobSkipped {
		return JobRun{}, fmt.Errorf("models: job run %d: outcome %q: want ok, failed or skipped", id, outcome)
	}
	var r JobRun
	err := s.tx(ctx, func(t *Store) error {
		if err := t.w.Where("id = ?", id).Take(&r).Error; err != nil {
			return dbErr(err, "job run", fmt.Sprint(id))
		}
		end := s.now().UTC()
		r.EndedAt, r.Outcome = &end, outcome
		if runErr != nil {
			r.Error = runErr.Error()
			var w interface{ Words() i18n.Text }
			if errors.As(runErr, &w) {
				r.ErrorFR = w.Words().FR
			}
		}
		return dbErr(t.w.Save(&r).Error, "job run", fmt.Sprint(id))
	})
	return r, err
}

// JobRunFilter narrows ListJobRuns; empty fields do not filter.
type JobRunFilter struct {
	Job     string
	Week    string
	Outcome string // JobRunning, JobOK, JobFailed or JobSkipped
}

// ListJobRuns returns a page of job runs, the latest first.
func (s *Store) ListJobRuns(ctx context.Context, f JobRunFilter, page Page) ([]JobRun, error) {
	return list[JobRun](ctx, s, page, "id DESC", func(db *gorm.DB) *gorm.DB {
		if f.Job != "" {
			db = db.Where("job = ?", f.Job)
		}
		if f.Week != "" {
			db = db.Where("week = ?", f.Week)
		}
		if f.Outcome != "" {
			db = db.Where("outcome = ?", f.Outcome)
		}
		return db
	})
}

// FailStaleJobRuns marks failed the runs still "running" that started before
// cutoff: their process died (a crash, a kill) without recording an end.
// It returns how many it marked.
func (s *Store) FailStaleJobRuns(ctx context.Context, cutoff time.Time, reason string) (int64, error) {
	end := s.now().UTC()
	res := s.w.WithContext(ctx).Model(&JobRun{}).
		Where("outcome = ? AND started_at < ?", JobRunning, cutoff.UTC()).
		Updates(map[string]any{"outcome": JobFailed, "ended_at": end, "error": reason})
	return res.RowsAffected, dbErr(res.Error, "job runs", "")
}

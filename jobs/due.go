package jobs

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/robfig/cron/v3"

	"paniers/models"
)

// DueWeeks returns the weeks a run of job scheduled at due acts on (see the
// package documentation), ordered by id. Weeks whose delivery date has
// passed at the clock's today are left alone.
func DueWeeks(ctx context.Context, d Deps, job string, due time.Time) ([]string, error) {
	d = d.withDefaults()
	st := d.Store
	today := d.Now().In(d.loc()).Format(time.DateOnly)
	var statuses []string
	switch job {
	case JobCloseOffers:
		statuses = []string{models.WeekOpen}
	case JobPlan:
		statuses = []string{models.WeekOpen, models.WeekClosed}
	case JobPublish:
		statuses = []string{models.WeekPlanned}
	default:
		return nil, fmt.Errorf("jobs: unknown job %q", job)
	}
	var out []string
	for _, status := range statuses {
		weeks, err := allWeeks(ctx, st, status)
		if err != nil {
			return nil, err
		}
		for _, w := range weeks {
			if w.DeliveryDate < today {
				continue
			}
			switch job {
			case JobCloseOffers:
				if w.OfferCutoff.After(due) {
					continue
				}
				done, err := succeeded(ctx, st, job, w.ID)
				if err != nil {
					return nil, err
				}
				if done {
					continue
				}
			case JobPlan:
				if w.Status == models.WeekOpen && w.OrderCutoff.After(due) {
					continue
				}
			}
			out = append(out, w.ID)
		}
	}
	slices.Sort(out)
	return out, nil
}

// allWeeks reads every week of a status, page by page.
func allWeeks(ctx context.Context, st Store, status string) ([]models.Week, error) {
	var out []models.Week
	for off := 0; ; off += models.MaxLimit {
		page, err := st.ListWeeksByStatus(ctx, status, models.Page{Limit: models.MaxLimit, Offset: off})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < models.MaxLimit {
			return out, nil
		}
	}
}

// succeeded says whether job already ran successfully for week.
func succeeded(ctx context.Context, st Store, job, week string) (bool, error) {
	runs, err := st.ListJobRuns(ctx, models.JobRunFilter{Job: job, Week: week}, models.Page{Limit: models.MaxLimit})
	if err != nil {
		return false, err
	}
	for _, r := range runs {
		if r.Outcome == models.JobOK {
			return true, nil
		}
	}
	return false, nil
}

// LastTick returns the latest time at or before now that sched fires, and
// false when it fired at no time in the year before now.
func LastTick(sched cron.Schedule, now time.Time) (time.Time, bool) {
	for _, back := range []time.Duration{time.Minute, time.Hour, 24 * time.Hour, 8 * 24 * time.Hour, 32 * 24 * time.Hour, 367 * 24 * time.Hour} {
		t := sched.Next(now.Add(-back))
		if t.IsZero() || t.After(now) {
			continue
		}
		for {
			n := sched.Next(t)
			if n.IsZero() || n.After(now) {
				return t, true
			}
			t = n
		}
	}
	return time.Time{}, false
}

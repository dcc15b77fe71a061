package models

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"paniers/planner"
)

// PlanInput is what a plan version was made from, stored beside it so that
// its documents are rendered from the very scenario that was planned, even
// after the catalogue changes: the scenario JSON (no personal data: the
// households are summed per relay point), the seed, and the postal addresses
// of the hub, producers and sites at planning time.
type PlanInput struct {
	WeekID    string `gorm:"primaryKey;size:10"`
	Week      *Week  `gorm:"foreignKey:WeekID;constraint:OnDelete:CASCADE"`
	Version   int    `gorm:"primaryKey"`
	Seed      int64
	Scenario  string `gorm:"type:text;not null"`
	Addresses string `gorm:"type:text;not null"` // JSON object, id -> address
	CreatedAt time.Time
}

// PlanDocument is the content hash (SHA-256, hex) of one document of one plan
// version, rendered in French with the default options: when the version is
// saved after a publication of its week (the only case where a change must
// be shown), or else when it is published. Comparing the hashes of two
// versions tells which documents a re-plan changed.
type PlanDocument struct {
	WeekID  string `gorm:"primaryKey;size:10"`
	Version int    `gorm:"primaryKey"`
	Kind    string `gorm:"primaryKey;size:32"`
	For     string `gorm:"column:doc_for;primaryKey;size:64"`
	Format  string `gorm:"primaryKey;size:8"`
	Hash    string `gorm:"size:64;not null"`
}

// JobClaim is one scheduled time of one job, claimed by the instance that
// runs it. Its primary key (job, due time) is what makes a scheduled job run
// on exactly one of several instances sharing a database: each instance
// tries to insert the claim and only one insert succeeds. Holder names the
// instance, ExpiresAt (Unix milliseconds) bounds how long a claim whose
// holder died keeps others away, Outcome is empty while running, then
// JobOK or JobFailed.
type JobClaim struct {
	Job       string `gorm:"primaryKey;size:64"`
	Due       int64  `gorm:"primaryKey;autoIncrement:false"` // Unix seconds of the scheduled time
	Holder    string `gorm:"size:128;not null"`
	ExpiresAt int64  `gorm:"not null"` // Unix milliseconds
	Outcome   string `gorm:"size:16;not null;default:''"`
	CatchUp   bool   `gorm:"not null"`
	CreatedAt time.Time
}

// DocKey names one document of a plan version.
type DocKey struct {
	Kind, For, Format string
}

// SavePlanVersion stores plan as the next version of its week's plan (as
// SavePlan does: current, week planned) together with what it was made from
// and its documents' hashes, all in one transaction: after a crash the week
// has the old version complete or the new one complete, never a plan without
// its input. in.WeekID and in.Version are set here; so are the documents'.
func (s *Store) SavePlanVersion(ctx context.Context, week string, plan planner.Plan, in PlanInput, docs []PlanDocument) (StoredPlan, error) {
	var sp StoredPlan
	err := s.tx(ctx, func(t *Store) error {
		var err error
		if sp, err = t.SavePlan(ctx, week, plan); err != nil {
			return err
		}
		in.WeekID, in.Version, in.Week = week, sp.Version, nil
		if err := t.w.Create(&in).Error; err != nil {
			return dbErr(err, "plan input", fmt.Sprintf("%s v%d", week, sp.Version))
		}
		return t.SavePlanDocuments(ctx, week, sp.Version, docs)
	})
	return sp, err
}

// GetPlanInput returns what a plan version was made from, or ErrNotFound.
func (s *Store) GetPlanInput(ctx context.Context, week string, version int) (PlanInput, error) {
	var in PlanInput
	err := s.r.WithContext(ctx).Where("week_id = ? AND version = ?", week, version).Take(&in).Error
	return in, dbErr(err, "plan input", fmt.Sprintf("%s v%d", week, version))
}

// ScenarioOf decodes the stored scenario.
func (in PlanInput) ScenarioOf() (planner.Scenario, error) {
	var sc planner.Scenario
	if err := json.Unmarshal([]byte(in.Scenario), &sc); err != nil {
		return sc, fmt.Errorf("models: plan input %s v%d: scenario: %w", in.WeekID, in.Version, err)
	}
	return sc, nil
}

// AddressesOf decodes the stored addresses.
func (in PlanInput) AddressesOf() (map[string]string, error) {
	m := map[string]string{}
	if in.Addresses == "" {
		return m, nil
	}
	if err := json.Unmarshal([]byte(in.Addresses), &m); err != nil {
		return nil, fmt.Errorf("models: plan input %s v%d: addresses: %w", in.WeekID, in.Version, err)
	}
	return m, nil
}

// ListPlanDocuments returns the document hashes of a plan version, ordered
// by kind, subject and format (empty for a version saved without them).
func (s *Store) ListPlanDocuments(ctx context.Context, week string, version int) ([]PlanDocument, error) {
	var rows []PlanDocument
	err := s.r.WithContext(ctx).Where("week_id = ? AND version = ?", week, version).
		Order("kind, doc_for, format").Find(&rows).Error
	if err != nil {
		return nil, dbErr(err, "plan documents", fmt.Sprintf("%s v%d", week, version))
	}
	return rows, nil
}

// LastPublishedVersion returns the latest published version of a week's
// plan, 0 when none was published.
func (s *Store) LastPublishedVersion(ctx context.Context, week string) (int, error) {
	var sp StoredPlan
	err := s.r.WithContext(ctx).Omit("json").Where("week_id = ? AND published = ?", week, true).
		Order("version DESC").Limit(1).Find(&sp).Error
	return sp.Version, dbErr(err, "plan", week)
}

// SavePlanDocuments stores the document hashes of a plan version that has
// none yet (a version planned before any publication gets them when it is
// published); it does nothing when the version has some.
func (s *Store) SavePlanDocuments(ctx context.Context, week string, version int, docs []PlanDocument) error {
	return s.tx(ctx, func(t *Store) error {
		var n int64
		if err := t.w.Model(&PlanDocument{}).Where("week_id = ? AND version = ?", week, version).Count(&n).Error; err != nil {
			return dbErr(err, "plan documents", week)
		}
		if n > 0 || len(docs) == 0 {
			return nil
		}
		rows := make([]PlanDocument, len(docs))
		for i, d := range docs {
			d.WeekID, d.Version = week, version
			rows[i] = d
		}
		return dbErr(t.w.CreateInBatches(rows, 200).Error, "plan documents", fmt.Sprintf("%s v%d", week, version))
	})
}

// ChangedDocuments says which documents of a plan version differ from the
// last version published before it: base is that published version (0 when
// none was, and then nothing counts as changed: people have not seen any
// document yet), changed holds the documents whose hash differs or that the
// base did not have.
func (s *Store) ChangedDocuments(ctx context.Context, week string, version int) (base int, changed map[DocKey]bool, err error) {
	changed = map[DocKey]bool{}
	var prev StoredPlan
	err = s.r.WithContext(ctx).Omit("json").
		Where("week_id = ? AND version < ? AND published = ?", week, version, true).
		Order("version DESC").Limit(1).Find(&prev).Error
	if err != nil {
		return 0, nil, dbErr(err, "plan", week)
	}
	if prev.Version == 0 {
		return 0, changed, nil
	}
	old, err := s.ListPlanDocuments(ctx, week, prev.Version)
	if err != nil {
		return 0, nil, err
	}
	cur, err := s.ListPlanDocuments(ctx, week, version)
	if err != nil {
		return 0, nil, err
	}
	was := make(map[DocKey]string, len(old))
	for _, d := range old {
		was[DocKey{d.Kind, d.For, d.Format}] = d.Hash
	}
	for _, d := range cur {
		k := DocKey{d.Kind, d.For, d.Format}
		if h, ok := was[k]; !ok || h != d.Hash {
			changed[k] = true
		}
	}
	return prev.Version, changed, nil
}

// PublishVersion publishes a week's plan (see PublishPlan) only if version
// is still its current one, in one transaction: the documents written for
// version are never announced under a newer plan. ErrConflict when another
// version became current meanwhile, ErrNotFound without a plan. The lent
// gardens' MANNE credits for the week (see creditGardens) are posted in the
// same transaction, at rate, and returned: the publication and its credits
// commit together or not at all.
func (s *Store) PublishVersion(ctx context.Context, week string, version int, rate ManneRate) (StoredPlan, []GardenCredit, error) {
	var sp StoredPlan
	var credits []GardenCredit
	err := s.tx(ctx, func(t *Store) error {
		if _, err := t.lockWeek(ctx, week, true); err != nil {
			return err
		}
		cur, err := t.CurrentPlan(ctx, week)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return fmt.Errorf("models: plan %s: version %d is no longer current (v%d is): %w", week, version, cur.Version, ErrConflict)
		}
		if sp, err = t.PublishPlan(ctx, week); err != nil {
			return err
		}
		plan, err := cur.Plan()
		if err != nil {
			return err
		}
		credits, err = t.creditGardens(ctx, week, version, plan, rate)
		return err
	})
	if err != nil {
		return StoredPlan{}, nil, err
	}
	return sp, credits, nil
}

// WeekHouseholds returns, for a week's pick-up lists, the households of every
// relay point (ordered by site, then id) and the week's orders placed on
// behalf of a household (ordered by id). Names are personal data: callers
// show them only to the relay point's manager and the coordinator.
func (s *Store) WeekHouseholds(ctx context.Context, week string) ([]Household, []Order, error) {
	db := s.r.WithContext(ctx)
	var homes []Household
	if err := db.Order("site_id, id").Find(&homes).Error; err != nil {
		return nil, nil, dbErr(err, "households", week)
	}
	var orders []Order
	if err := db.Where("week_id = ? AND household_id IS NOT NULL", week).Order("id").Find(&orders).Error; err != nil {
		return nil, nil, dbErr(err, "orders", week)
	}
	return homes, orders, nil
}

// Addresses returns the postal address of the hub, every producer and every
// site that has one, by id.
func (s *Store) Addresses(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	db := s.r.WithContext(ctx)
	hub, err := s.GetHub(ctx)
	if err != nil {
		return nil, err
	}
	if hub.Address != "" {
		out[hub.ID] = hub.Address
	}
	var rows []struct{ ID, Address string }
	for _, table := range []any{&Producer{}, &Site{}} {
		rows = rows[:0]
		if err := db.Model(table).Select("id, address").Where("address <> ''").Order("id").Find(&rows).Error; err != nil {
			return nil, dbErr(err, "addresses", "")
		}
		for _, r := range rows {
			out[r.ID] = r.Address
		}
	}
	return out, nil
}

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

// jobsExtraModels lists the rows of this file, for migrations.
func jobsExtraModels() []any {
	return []any{&PlanInput{}, &PlanDocument{}, &JobClaim{}}
}

package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"paniers/internal/i18n"

	"paniers/models"
	"paniers/planner"
	"paniers/planner/sheets"
)

// Names of the jobs, as recorded in their runs.
const (
	JobCloseOffers = "close-offers"
	JobPlan        = "plan"
	JobPublish     = "publish"
)

// Store is what the jobs read and write; *models.Store satisfies it, and
// its methods are documented there.
type Store interface {
	Now() time.Time
	Location() *time.Location

	GetWeek(ctx context.Context, id string) (models.Week, error)
	EnsureWeek(ctx context.Context, id string) (w models.Week, created bool, err error)
	ListWeeksByStatus(ctx context.Context, status string, page models.Page) ([]models.Week, error)
	SetWeekStatus(ctx context.Context, id, status string) (models.Week, error)
	Scenario(ctx context.Context, week string) (planner.Scenario, error)
	WeekHouseholds(ctx context.Context, week string) ([]models.Household, []models.Order, error)
	Addresses(ctx context.Context) (map[string]string, error)

	CurrentPlan(ctx context.Context, week string) (models.StoredPlan, error)
	GetPlanVersion(ctx context.Context, week string, version int) (models.StoredPlan, error)
	GetPlanInput(ctx context.Context, week string, version int) (models.PlanInput, error)
	FreezePlanHouseholds(ctx context.Context, week string, version int, hh map[string][]sheets.Household) error
	SavePlanVersion(ctx context.Context, week string, plan planner.Plan, in models.PlanInput, docs []models.PlanDocument) (models.StoredPlan, error)
	SavePlanDocuments(ctx context.Context, week string, version int, docs []models.PlanDocument) error
	PublishVersion(ctx context.Context, week string, version int, rate models.ManneRate) (models.StoredPlan, []models.GardenCredit, error)
	LastPublishedVersion(ctx context.Context, week string) (int, error)
	ChangedDocuments(ctx context.Context, week string, version int) (base int, changed map[models.DocKey]bool, err error)

	StartJobRun(ctx context.Context, job, week, trigger string) (models.JobRun, error)
	FinishJobRun(ctx context.Context, id uint64, outcome string, runErr error) (models.JobRun, error)
	FailStaleJobRuns(ctx context.Context, cutoff time.Time, reason string) (int64, error)
	ListJobRuns(ctx context.Context, f models.JobRunFilter, page models.Page) ([]models.JobRun, error)
	LastJobSuccess(ctx context.Context, job string) (time.Time, bool, error)
	ClaimJob(ctx context.Context, job string, due time.Time, holder string, ttl time.Duration, catchUp bool) (bool, error)
	ExtendJobClaim(ctx context.Context, job string, due time.Time, holder string, ttl time.Duration) (bool, error)
	FinishJobClaim(ctx context.Context, job string, due time.Time, holder, outcome string) error
}

var _ Store = (*models.Store)(nil)

// Deps is what the jobs work with. Store is required; the rest has defaults.
type Deps struct {
	Store Store
	// Log receives the jobs' messages; nil discards them.
	Log *slog.Logger
	// Now is the clock; nil means the store's clock.
	Now func() time.Time
	// OutDir is the folder (PANIERS_OUT) where Publish writes each week's
	// documents, in OutDir/<week>/; empty writes nothing.
	OutDir string
	// Sheets, when set, receives the text of the round sheets when a week
	// is published, as printed paper for the log (serve passes its log
	// stream). They are also logged through Log, one record per sheet.
	Sheets io.Writer
	// Matrix gives road distances and times (jobs/osrm when PANIERS_OSRM_URL
	// is set); nil means the contract's great-circle estimate.
	Matrix planner.TravelMatrix
	// Effort multiplies the rounds' search budget (PANIERS_ROUTING_EFFORT,
	// planner.Options.Effort); 0 means 1.
	Effort int
	// Instance names this process in job claims; empty means
	// hostname:pid:random.
	Instance string
	// ManneRate is the MANNE credited per euro of a lent garden's sales
	// at publication (PANIERS_MANNE_RATE); zero means models.DefaultManneRate.
	ManneRate models.ManneRate
	// Metrics, when set, counts the runs and measures the plans (see
	// NewMetrics).
	Metrics *Metrics
	// ClaimTTL is how long a claimed run keeps other instances away without
	// news from its holder (it is renewed while the run lasts); 0 means
	// DefaultClaimTTL.
	ClaimTTL time.Duration
}

// DefaultClaimTTL is the default lifetime of a job claim between renewals.
const DefaultClaimTTL = 10 * time.Minute

// withDefaults fills the optional fields.
func (d Deps) withDefaults() Deps {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		if d.Store != nil {
			d.Now = d.Store.Now
		} else {
			d.Now = time.Now
		}
	}
	if d.Instance == "" {
		d.Instance = instanceName()
	}
	if d.ClaimTTL <= 0 {
		d.ClaimTTL = DefaultClaimTTL
	}
	return d
}

// loc is the collective's time zone.
func (d Deps) loc() *time.Location { return d.Store.Location() }

// instanceName names this process uniquely enough for claims and logs.
func instanceName() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

// record runs fn as one recorded run of job for week: the run is stored as
// running, then ok or failed with fn's error. A panic in fn is recorded as
// a failure and goes on up (to cron.Recover, or the API's recovery).
func record(ctx context.Context, d Deps, job, week string, fn func(context.Context) error) (err error) {
	run, err := d.Store.StartJobRun(ctx, job, week, triggerOf(ctx))
	if err != nil {
		return err
	}
	start := time.Now()
	finish := func(outcome string, runErr error) {
		d.Metrics.run(ctx, job, outcome, time.Since(start))
		// The run's own context may be cancelled (shutdown): the record of
		// how it ended must still be written.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, ferr := d.Store.FinishJobRun(fctx, run.ID, outcome, runErr); ferr != nil {
			d.Log.Error("jobs: recording the end of a run", "job", job, "week", week, "run", run.ID, "err", ferr)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			finish(models.JobFailed, fmt.Errorf("panic: %v", r))
			panic(r)
		}
	}()
	if err = fn(ctx); err != nil {
		finish(models.JobFailed, explain(job, week, err))
		return err
	}
	finish(models.JobOK, nil)
	return nil
}

// recordSkipped records a run that had nothing to do, and why. Once the run
// is stored, its end is written even if ctx is cancelled meanwhile (a
// shutdown), as record does: a run is never left "running" by a stop.
func recordSkipped(ctx context.Context, d Deps, job, week, why string) error {
	run, err := d.Store.StartJobRun(ctx, job, week, triggerOf(ctx))
	if err != nil {
		return err
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, err = d.Store.FinishJobRun(fctx, run.ID, models.JobSkipped, skipReason(why))
	d.Metrics.run(ctx, job, models.JobSkipped, 0)
	return err
}

// skipReason is the text stored as a skipped run's error: why it did
// nothing. It is not a failure. It is stored in English, as every run's
// error is; RunMessage gives readers its words in their language.
type skipReason string

// Reasons a scheduled run skips or is marked failed without an error of
// its own, as stored.
const (
	SkipNoWeek      = "no week due"                                   // no week is due for the job
	FailInterrupted = "interrupted: the service stopped while it ran" // marked failed at the next start
)

// runReasons are the stored reasons in both languages (and the French
// text older versions stored for an interrupted run).
var runReasons = map[string]i18n.Text{
	SkipNoWeek:      {FR: "aucune semaine à traiter", EN: "no week due"},
	FailInterrupted: {FR: "interrompu : le service s'est arrêté pendant l'exécution", EN: FailInterrupted},
	"interrompu : le service s'est arrêté pendant l'exécution": {FR: "interrompu : le service s'est arrêté pendant l'exécution", EN: FailInterrupted},
}

// RunMessage is a run's error for a reader in lang: a skip or interrupt
// reason in their language; a failure the run recorded words for (see
// explain) in French for a French reader; else the error as the code wrote
// it, in English. translated is false in that last case for a French
// reader (the page says it is a technical message).
func RunMessage(r models.JobRun, lang string) (msg string, translated bool) {
	if t, ok := runReasons[r.Error]; ok {
		return t.In(lang), true
	}
	english := strings.EqualFold(lang, i18n.EN)
	if !english && r.ErrorFR != "" {
		return r.ErrorFR, true
	}
	return r.Error, english
}

// wordedError is a run's failure with words for people, both languages;
// its Error stays the code's, which the run records as its error.
type wordedError struct {
	err   error
	words i18n.Text
}

func (e *wordedError) Error() string    { return e.err.Error() }
func (e *wordedError) Unwrap() error    { return e.err }
func (e *wordedError) Words() i18n.Text { return e.words }

// explain gives the failures people can act on their words: the week's
// data that cannot be planned (each problem), a week that does not exist,
// a publication overtaken by a new plan. Other errors are left as they
// are (technical, in English).
func explain(job, week string, err error) error {
	var invalid *planner.ValidationError
	switch {
	case errors.As(err, &invalid):
		fr := "les données de la semaine ne peuvent pas être planifiées : "
		en := "the week's data cannot be planned: "
		for i, p := range invalid.Problems {
			if i > 0 {
				fr, en = fr+" ; ", en+"; "
			}
			fr += p.Field + " : " + p.Reason.FR
			en += p.Field + ": " + p.Reason.EN
		}
		return &wordedError{err, i18n.Text{FR: fr, EN: en}}
	case errors.Is(err, models.ErrConflict) && job == JobPublish:
		return &wordedError{err, i18n.Textf("la semaine %s a été replanifiée pendant la publication ; publiez à nouveau",
			"week %s was re-planned during the publication; publish again", week)}
	case errors.Is(err, models.ErrNotFound):
		return &wordedError{err, i18n.Textf("introuvable (semaine %s ou son plan) : %s", "not found (week %s or its plan): %s", week, err.Error())}
	}
	return err
}

func (s skipReason) Error() string { return string(s) }

package jobs

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"paniers/planner"
)

// What started a job run, recorded with the run (and a plan version) and
// counted in the paniers_job_* metrics.
const (
	TriggerSchedule = "schedule" // the cron schedule
	TriggerCatchUp  = "catch-up" // a run missed while the service was stopped
	TriggerAPI      = "api"      // the coordinator, through the API
	TriggerPage     = "page"     // the coordinator, from the week page
	TriggerCLI      = "cli"      // a command (paniers plan)
)

type triggerKey struct{}

// WithTrigger marks ctx as started by trigger (one of the Trigger*
// constants); the runs made with it are recorded and counted under it.
func WithTrigger(ctx context.Context, trigger string) context.Context {
	return context.WithValue(ctx, triggerKey{}, trigger)
}

// defaultTrigger marks ctx as started by trigger unless it already says
// what started it.
func defaultTrigger(ctx context.Context, trigger string) context.Context {
	if _, ok := ctx.Value(triggerKey{}).(string); ok {
		return ctx
	}
	return WithTrigger(ctx, trigger)
}

// triggerOf is the trigger ctx carries, TriggerCLI when none: a function
// called directly, as the commands do.
func triggerOf(ctx context.Context) string {
	if t, ok := ctx.Value(triggerKey{}).(string); ok {
		return t
	}
	return TriggerCLI
}

// Metrics counts the job runs and measures the plans for Prometheus. Make
// it with NewMetrics and put it in Deps; a nil *Metrics records nothing.
type Metrics struct {
	runs         *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	planDuration prometheus.Histogram
	planSize     *prometheus.GaugeVec
}

// NewMetrics registers the jobs' metrics with reg:
//   - paniers_job_runs_total{job, outcome, trigger}: runs by job, outcome
//     (ok, failed, skipped) and trigger (schedule, catch-up, api, page, cli);
//   - paniers_job_duration_seconds{job, trigger}: how long runs took;
//   - paniers_plan_duration_seconds: the planner's time per plan;
//   - paniers_plan_size{what}: the last plan's orders, allocations,
//     rounds, stops, shortfalls and unrouted stops.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "paniers_job_runs_total",
			Help: "Job runs by job, outcome (ok, failed, skipped) and trigger (schedule, catch-up, api, page, cli)."},
			[]string{"job", "outcome", "trigger"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "paniers_job_duration_seconds",
			Help: "How long job runs took.", Buckets: []float64{0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300}},
			[]string{"job", "trigger"}),
		planDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "paniers_plan_duration_seconds",
			Help: "The planner's time to plan a week.", Buckets: []float64{0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120}}),
		planSize: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "paniers_plan_size",
			Help: "Size of the last plan made: orders, allocations, rounds, stops, shortfalls, unrouted."},
			[]string{"what"}),
	}
	reg.MustRegister(m.runs, m.duration, m.planDuration, m.planSize)
	return m
}

// run records one run of job.
func (m *Metrics) run(ctx context.Context, job, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	trigger := triggerOf(ctx)
	m.runs.WithLabelValues(job, outcome, trigger).Inc()
	m.duration.WithLabelValues(job, trigger).Observe(took.Seconds())
}

// plan records a plan made from sc in took.
func (m *Metrics) plan(sc planner.Scenario, p planner.Plan, took time.Duration) {
	if m == nil {
		return
	}
	m.planDuration.Observe(took.Seconds())
	stops := 0
	for _, r := range p.Rounds {
		stops += len(r.Stops)
	}
	for what, n := range map[string]int{"orders": len(sc.Orders), "allocations": len(p.Allocations), "rounds": len(p.Rounds),
		"stops": stops, "shortfalls": len(p.Shortfalls), "unrouted": len(p.Unrouted)} {
		m.planSize.WithLabelValues(what).Set(float64(n))
	}
}

package jobs_test

import (
	"context"
	"testing"

	"paniers/jobs"
)

// BenchmarkPlanWeekDemo measures the whole plan path on the demo week
// (SQLite): scenario from the store, planner with rounds, every document
// rendered for its hash, one transaction saving the version.
func BenchmarkPlanWeekDemo(b *testing.B) {
	f := newFixture(b, "sqlite")
	f.clock.Set(afterOrders)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPublishDemo measures a publication of the demo week: render
// every document, write the folder atomically, mark the version published.
func BenchmarkPublishDemo(b *testing.B) {
	f := newFixture(b, "sqlite")
	f.clock.Set(afterOrders)
	ctx := context.Background()
	if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jobs.Publish(ctx, f.deps, f.week); err != nil {
			b.Fatal(err)
		}
	}
}

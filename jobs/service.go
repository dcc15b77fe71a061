package jobs

import (
	"context"

	"paniers/models"
	"paniers/planner"
	"paniers/planner/sheets"
)

// Service offers the jobs to the HTTP API (which declares the interface it
// needs): the same functions as the schedule, with the same dependencies.
type Service struct{ d Deps }

// NewService binds the jobs to their dependencies.
func NewService(d Deps) *Service { return &Service{d: d.withDefaults()} }

// Deps returns the service's dependencies (for the scheduler).
func (s *Service) Deps() Deps { return s.d }

// PlanWeek runs PlanWeek and returns the stored version. The run is
// recorded as started by the API unless ctx says otherwise (WithTrigger:
// the week page says TriggerPage).
func (s *Service) PlanWeek(ctx context.Context, week string, seed int64) (models.StoredPlan, error) {
	r, err := PlanWeek(defaultTrigger(ctx, TriggerAPI), s.d, week, seed)
	return r.Stored, err
}

// PreviewWeek runs PreviewWeek: the plan as the week stands, stored nowhere.
func (s *Service) PreviewWeek(ctx context.Context, week string, seed int64) (planner.Plan, error) {
	return PreviewWeek(ctx, s.d, week, seed)
}

// Publish runs Publish and returns the published version, recorded as
// PlanWeek's run is.
func (s *Service) Publish(ctx context.Context, week string) (models.StoredPlan, error) {
	r, err := Publish(defaultTrigger(ctx, TriggerAPI), s.d, week)
	return r.Stored, err
}

// DocumentInput runs DocumentInput on the service's store.
func (s *Service) DocumentInput(ctx context.Context, week string, version int) (sheets.Input, models.StoredPlan, error) {
	return DocumentInput(ctx, s.d.Store, week, version)
}

// RefreshPublished runs RefreshPublished.
func (s *Service) RefreshPublished(ctx context.Context, week string) error {
	return RefreshPublished(ctx, s.d, week)
}

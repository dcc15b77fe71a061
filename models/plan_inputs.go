package models

import (
	"context"
	"encoding/json"
	"fmt"

	"paniers/planner"
)

// GetPlanInput returns what a plan version was made from, or ErrNotFound.
func (s *Store) GetPlanInput(ctx context.Context, week string, version int) (PlanInput, error) {
	var in PlanInput
	err := s.r.WithContext(ctx).Where("week_id = ? AND version = ?", week, version).Take(&in).Error
	return in, dbErr(err, "plan input", fmt.Sprintf("%s v%d", week, version))
}

// ListPlanInputs returns what versions of a week's plan were made from,
// without the scenario and addresses (the seed, the trigger, the time),
// by version; versions without a stored input are absent.
func (s *Store) ListPlanInputs(ctx context.Context, week string, versions []int) (map[int]PlanInput, error) {
	out := make(map[int]PlanInput, len(versions))
	if len(versions) == 0 {
		return out, nil
	}
	var rows []PlanInput
	err := s.r.WithContext(ctx).Select("week_id", "version", "seed", "trigger", "created_at").
		Where("week_id = ? AND version IN ?", week, versions).Find(&rows).Error
	if err != nil {
		return nil, dbErr(err, "plan input", week)
	}
	for _, r := range rows {
		out[r.Version] = r
	}
	return out, nil
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

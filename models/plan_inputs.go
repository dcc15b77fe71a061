package models

import (
	"context"
	"encoding/json"
	"fmt"

	"paniers/planner"
	"paniers/planner/sheets"
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

// HouseholdsJSON encodes a version's pick-up lists for PlanInput.Households
// (an empty map, not "", when no household picks anything up).
func HouseholdsJSON(hh map[string][]sheets.Household) (string, error) {
	if hh == nil {
		hh = map[string][]sheets.Household{}
	}
	b, err := json.Marshal(hh)
	if err != nil {
		return "", fmt.Errorf("models: pick-up lists: %w", err)
	}
	return string(b), nil
}

// HouseholdsOf decodes the pick-up lists frozen with the version; ok is
// false for a version saved before lists were frozen.
func (in PlanInput) HouseholdsOf() (hh map[string][]sheets.Household, ok bool, err error) {
	if in.Households == "" {
		return nil, false, nil
	}
	if err := json.Unmarshal([]byte(in.Households), &hh); err != nil {
		return nil, false, fmt.Errorf("models: plan input %s v%d: households: %w", in.WeekID, in.Version, err)
	}
	return hh, true, nil
}

// FreezePlanHouseholds stores the pick-up lists of a plan version saved
// without them (planned before lists were frozen: its publication freezes
// them). It does nothing when the version has them, or has no stored input.
func (s *Store) FreezePlanHouseholds(ctx context.Context, week string, version int, hh map[string][]sheets.Household) error {
	js, err := HouseholdsJSON(hh)
	if err != nil {
		return err
	}
	err = s.w.WithContext(ctx).Model(&PlanInput{}).
		Where("week_id = ? AND version = ? AND households = ?", week, version, "").
		Update("households", js).Error
	return dbErr(err, "plan input", fmt.Sprintf("%s v%d", week, version))
}

// eraseFromPlanInputs rewrites the pick-up lists frozen with every plan
// version naming household id: its lines get the new id and
// ErasedHouseholdName, and keep their baskets and extras, so the relay
// point's totals on a published list do not move.
func (s *Store) eraseFromPlanInputs(ctx context.Context, id, anonID string) error {
	var rows []PlanInput
	pattern := `%"id":"` + escapeLike(id) + `"%`
	if err := s.w.WithContext(ctx).Select("week_id", "version", "households").
		Where(`households LIKE ? ESCAPE '\'`, pattern).Find(&rows).Error; err != nil {
		return dbErr(err, "household", id)
	}
	for _, in := range rows {
		hh, ok, err := in.HouseholdsOf()
		if err != nil || !ok {
			return err
		}
		for _, lines := range hh {
			for i := range lines {
				if lines[i].ID == id {
					lines[i].ID, lines[i].Name = anonID, ErasedHouseholdName
				}
			}
		}
		js, err := HouseholdsJSON(hh)
		if err != nil {
			return err
		}
		if err := s.w.WithContext(ctx).Model(&PlanInput{}).Where("week_id = ? AND version = ?", in.WeekID, in.Version).
			Update("households", js).Error; err != nil {
			return dbErr(err, "household", id)
		}
	}
	return nil
}

// FrozenWeeks lists, by id, the weeks with a plan version whose frozen
// pick-up lists name household id: the weeks whose published documents an
// erasure of it changes.
func (s *Store) FrozenWeeks(ctx context.Context, id string) ([]string, error) {
	var weeks []string
	pattern := `%"id":"` + escapeLike(id) + `"%`
	err := s.r.WithContext(ctx).Model(&PlanInput{}).Distinct("week_id").
		Where(`households LIKE ? ESCAPE '\'`, pattern).Order("week_id").Pluck("week_id", &weeks).Error
	return weeks, dbErr(err, "household", id)
}

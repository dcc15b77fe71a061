package models

import (
	"context"
	"encoding/json"
	"fmt"

	"paniers/planner"

	"gorm.io/gorm"
)

// Plan decodes the stored JSON into the contract's plan.
func (p StoredPlan) Plan() (planner.Plan, error) {
	var plan planner.Plan
	if err := json.Unmarshal([]byte(p.JSON), &plan); err != nil {
		return planner.Plan{}, fmt.Errorf("models: plan %s v%d: %w", p.WeekID, p.Version, err)
	}
	return plan, nil
}

// SavePlan stores plan as the next version of its week's plan and makes it
// the current one, and sets the week's status to planned, all in one
// transaction: a reader sees the old current plan or the new one, never none
// or two, and a crash leaves no half-written plan. ErrNotFound when the week
// does not exist; *ValidationError when plan.Week names another week.
func (s *Store) SavePlan(ctx context.Context, week string, plan planner.Plan) (StoredPlan, error) {
	if plan.Week != week {
		return StoredPlan{}, &ValidationError{Problems: []FieldError{{Field: "week", Reason: "le plan est celui d'une autre semaine", ReasonEn: "the plan belongs to another week"}}}
	}
	b, err := json.Marshal(plan)
	if err != nil {
		return StoredPlan{}, fmt.Errorf("models: plan %s: %w", week, err)
	}
	var sp StoredPlan
	err = s.tx(ctx, func(t *Store) error {
		if _, err := t.lockWeek(ctx, week, true); err != nil {
			return err
		}
		var last StoredPlan
		err := t.w.Where("week_id = ?", week).Order("version DESC").Limit(1).Find(&last).Error
		if err != nil {
			return dbErr(err, "plan", week)
		}
		if err := t.w.Model(&StoredPlan{}).Where("week_id = ? AND is_current = ?", week, true).Update("is_current", false).Error; err != nil {
			return dbErr(err, "plan", week)
		}
		sp = StoredPlan{WeekID: week, Version: last.Version + 1, JSON: string(b), Current: true}
		if err := t.w.Omit("Week").Create(&sp).Error; err != nil {
			return dbErr(err, "plan", fmt.Sprintf("%s v%d", week, sp.Version))
		}
		return dbErr(t.w.Model(&Week{ID: week}).Updates(map[string]any{"status": WeekPlanned, "updated_at": s.now().UTC()}).Error, "week", week)
	})
	return sp, err
}

// CurrentPlan returns the current version of a week's plan, or ErrNotFound
// when the week has none.
func (s *Store) CurrentPlan(ctx context.Context, week string) (StoredPlan, error) {
	var sp StoredPlan
	err := s.r.WithContext(ctx).Where("week_id = ? AND is_current = ?", week, true).Take(&sp).Error
	return sp, dbErr(err, "plan of week", week)
}

// GetPlanVersion returns one version of a week's plan, or ErrNotFound.
func (s *Store) GetPlanVersion(ctx context.Context, week string, version int) (StoredPlan, error) {
	var sp StoredPlan
	err := s.r.WithContext(ctx).Where("week_id = ? AND version = ?", week, version).Take(&sp).Error
	return sp, dbErr(err, "plan", fmt.Sprintf("%s v%d", week, version))
}

// ListPlans returns a page of a week's plan versions, the latest first,
// without their JSON.
func (s *Store) ListPlans(ctx context.Context, week string, page Page) ([]StoredPlan, error) {
	return list[StoredPlan](ctx, s, page, "version DESC", func(db *gorm.DB) *gorm.DB {
		return db.Omit("json").Where("week_id = ?", week)
	})
}

// PublishPlan marks the current version of a week's plan published and sets
// the week's status to published, in one transaction. ErrNotFound when the
// week has no plan.
func (s *Store) PublishPlan(ctx context.Context, week string) (StoredPlan, error) {
	var sp StoredPlan
	err := s.tx(ctx, func(t *Store) error {
		if _, err := t.lockWeek(ctx, week, true); err != nil {
			return err
		}
		if err := t.w.Where("week_id = ? AND is_current = ?", week, true).Take(&sp).Error; err != nil {
			return dbErr(err, "plan of week", week)
		}
		now := s.now().UTC()
		sp.Published, sp.PublishedAt = true, &now
		if err := t.w.Model(&sp).Updates(map[string]any{"published": true, "published_at": now}).Error; err != nil {
			return dbErr(err, "plan of week", week)
		}
		return dbErr(t.w.Model(&Week{ID: week}).Updates(map[string]any{"status": WeekPublished, "updated_at": now}).Error, "week", week)
	})
	return sp, err
}

package models

import (
	"context"
	"encoding/json"
	"fmt"

	"paniers/internal/i18n"
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

// SavePlanVersion stores plan as the next version of its week's plan, makes
// it the current one and sets the week's status to planned, together with
// what it was made from and its documents' hashes, all in one transaction: a
// reader sees the old current plan or the new one, never none or two, and
// after a crash the week has the old version complete or the new one
// complete, never a plan without its input. in.WeekID and in.Version are set
// here; so are the documents'. ErrNotFound when the week does not exist;
// *ValidationError when plan.Week names another week.
func (s *Store) SavePlanVersion(ctx context.Context, week string, plan planner.Plan, in PlanInput, docs []PlanDocument) (StoredPlan, error) {
	if plan.Week != week {
		return StoredPlan{}, &ValidationError{Problems: []FieldError{{Field: "week", Reason: i18n.Text{FR: "le plan est celui d'une autre semaine", EN: "the plan belongs to another week"}}}}
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
		if err := t.w.Model(&Week{ID: week}).Updates(map[string]any{"status": WeekPlanned, "updated_at": s.now().UTC()}).Error; err != nil {
			return dbErr(err, "week", week)
		}
		in.WeekID, in.Version, in.Week = week, sp.Version, nil
		if err := t.w.Create(&in).Error; err != nil {
			return dbErr(err, "plan input", fmt.Sprintf("%s v%d", week, sp.Version))
		}
		return t.SavePlanDocuments(ctx, week, sp.Version, docs)
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

// LastPublishedVersion returns the latest published version of a week's
// plan, 0 when none was published.
func (s *Store) LastPublishedVersion(ctx context.Context, week string) (int, error) {
	var sp StoredPlan
	err := s.r.WithContext(ctx).Omit("json").Where("week_id = ? AND published = ?", week, true).
		Order("version DESC").Limit(1).Find(&sp).Error
	return sp.Version, dbErr(err, "plan", week)
}

// SeesDrafts reports whether a role reads a week's plan and documents
// before they are published: the coordinator only. Everyone else (farmers,
// relay managers, cooks, drivers) sees published versions alone, since a
// draft may still change, and its pick-up lists name households.
func SeesDrafts(role string) bool { return role == RoleCoordinator }

// VisibleVersion returns the version of a week's plan that a reader may
// read, given the version asked for (0 for the latest). With drafts (see
// SeesDrafts) it is version itself, 0 still meaning the current version.
// Without, it is the latest published version for 0, and version itself
// only when that version was published; ErrNotFound when there is none, as
// for a week without a plan.
func (s *Store) VisibleVersion(ctx context.Context, week string, version int, drafts bool) (int, error) {
	if drafts {
		return version, nil
	}
	q := s.r.WithContext(ctx).Omit("json").Where("week_id = ? AND published = ?", week, true)
	if version > 0 {
		q = q.Where("version = ?", version)
	}
	var sp StoredPlan
	if err := q.Order("version DESC").Limit(1).Find(&sp).Error; err != nil {
		return 0, dbErr(err, "plan", week)
	}
	if sp.Version == 0 {
		return 0, notFound("published plan of week", week)
	}
	return sp.Version, nil
}

// PublishVersion marks version of a week's plan published and sets the
// week's status to published, only if version is still its current one, in
// one transaction: the documents written for version are never announced
// under a newer plan. ErrConflict when another version became current
// meanwhile, ErrNotFound when the week has no plan. The lent gardens' MANNE
// credits for the week (see creditGardens) are posted in the same
// transaction, at rate, and returned: the publication and its credits
// commit together or not at all.
func (s *Store) PublishVersion(ctx context.Context, week string, version int, rate ManneRate) (StoredPlan, []GardenCredit, error) {
	var sp StoredPlan
	var credits []GardenCredit
	err := s.tx(ctx, func(t *Store) error {
		if _, err := t.lockWeek(ctx, week, true); err != nil {
			return err
		}
		if err := t.w.Where("week_id = ? AND is_current = ?", week, true).Take(&sp).Error; err != nil {
			return dbErr(err, "plan of week", week)
		}
		if sp.Version != version {
			return fmt.Errorf("models: plan %s: version %d is no longer current (v%d is): %w", week, version, sp.Version, ErrConflict)
		}
		now := s.now().UTC()
		sp.Published, sp.PublishedAt = true, &now
		if err := t.w.Model(&sp).Updates(map[string]any{"published": true, "published_at": now}).Error; err != nil {
			return dbErr(err, "plan of week", week)
		}
		if err := t.w.Model(&Week{ID: week}).Updates(map[string]any{"status": WeekPublished, "updated_at": now}).Error; err != nil {
			return dbErr(err, "week", week)
		}
		plan, err := sp.Plan()
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

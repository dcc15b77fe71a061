package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"paniers/planner"
)

// backfillEgalim gives the products stored before EGalim reporting existed
// (an empty family) their category's family, and BIO when organic. It runs
// in every migration, on its connection or transaction db, and touches
// nothing once done.
func backfillEgalim(db *gorm.DB) error {
	var rows []Product
	if err := db.Where("family = ? OR family IS NULL", "").Find(&rows).Error; err != nil {
		return fmt.Errorf("egalim backfill: %w", err)
	}
	for _, x := range rows {
		var p problems
		p.egalim(&x)
		if err := p.err(); err != nil {
			return fmt.Errorf("egalim backfill: product %q: %w", x.ID, err)
		}
		err := db.Model(&Product{}).Where("id = ?", x.ID).
			UpdateColumns(map[string]any{"family": x.Family, "egalim_labels": x.EgalimLabels}).Error
		if err != nil {
			return fmt.Errorf("egalim backfill: product %q: %w", x.ID, err)
		}
	}
	return nil
}

// PublishedPlan is the last published version of one week's plan, with the
// scenario it was made from: what was delivered that week.
type PublishedPlan struct {
	Week         string
	DeliveryDate string
	Version      int
	Plan         planner.Plan
	Scenario     planner.Scenario
}

// PublishedPlans returns, ordered by delivery date, the last published plan
// version of each week delivered from from to to (dates YYYY-MM-DD, both
// included). A week never published is left out, whatever its draft plans;
// a week re-planned after publication counts with the version last
// published (the one whose documents went out). A version stored without
// its scenario (by SavePlan alone) is read with the week's current
// scenario, as its documents are.
func (s *Store) PublishedPlans(ctx context.Context, from, to string) ([]PublishedPlan, error) {
	var out []PublishedPlan
	err := s.snapshot(ctx, func(t *Store) error {
		var weeks []Week
		if err := t.r.WithContext(ctx).Where("delivery_date >= ? AND delivery_date <= ?", from, to).
			Order("delivery_date, id").Find(&weeks).Error; err != nil {
			return dbErr(err, "weeks", from+".."+to)
		}
		for _, w := range weeks {
			var sp StoredPlan
			res := t.r.WithContext(ctx).Where("week_id = ? AND published = ?", w.ID, true).
				Order("version DESC").Limit(1).Find(&sp)
			if res.Error != nil {
				return dbErr(res.Error, "plan of week", w.ID)
			}
			if res.RowsAffected == 0 {
				continue
			}
			plan, err := sp.Plan()
			if err != nil {
				return err
			}
			pp := PublishedPlan{Week: w.ID, DeliveryDate: w.DeliveryDate, Version: sp.Version, Plan: plan}
			in, err := t.GetPlanInput(ctx, w.ID, sp.Version)
			switch {
			case err == nil:
				if pp.Scenario, err = in.ScenarioOf(); err != nil {
					return err
				}
			case isNotFound(err):
				if pp.Scenario, err = t.Scenario(ctx, w.ID); err != nil {
					return err
				}
			default:
				return err
			}
			out = append(out, pp)
		}
		return nil
	})
	return out, err
}

// AllProducts returns every product, ordered by id: the catalogue is small
// (a territory's produce), and a report needs all of it at once.
func (s *Store) AllProducts(ctx context.Context) ([]Product, error) {
	var rows []Product
	if err := s.r.WithContext(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, dbErr(err, "products", "")
	}
	return rows, nil
}

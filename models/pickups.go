package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// Pickup records that a household collected its week's basket and extras
// at its relay point: the counter's checklist ticks it.
type Pickup struct {
	WeekID      string     `gorm:"primaryKey;size:10"`
	Week        *Week      `gorm:"foreignKey:WeekID;constraint:OnDelete:CASCADE"`
	HouseholdID string     `gorm:"primaryKey;size:64"`
	Household   *Household `gorm:"foreignKey:HouseholdID;constraint:OnUpdate:CASCADE,OnDelete:CASCADE"`
	SiteID      string     `gorm:"size:64;not null;index"`
	CollectedAt time.Time
}

// SetCollected ticks (collected true) or unticks a household's pick-up for
// a week, at relay point site. Ticking twice keeps the first time. Errors:
// ErrNotFound when the week does not exist, or when the household does not
// exist or belongs to another relay point (a relay manager cannot tell the
// two apart).
func (s *Store) SetCollected(ctx context.Context, week, site, household string, collected bool) error {
	return s.tx(ctx, func(t *Store) error {
		if _, err := t.lockWeek(ctx, week, false); err != nil {
			return err
		}
		var h Household
		if err := t.w.Where("id = ?", household).Take(&h).Error; err != nil {
			return dbErr(err, "household", household)
		}
		if h.SiteID != site {
			return notFound("household", household)
		}
		if !collected {
			return dbErr(t.w.Where("week_id = ? AND household_id = ?", week, household).Delete(&Pickup{}).Error, "pickup", household)
		}
		p := Pickup{WeekID: week, HouseholdID: household, SiteID: site, CollectedAt: t.now().UTC()}
		return dbErr(t.w.Omit(clause.Associations).Clauses(clause.OnConflict{DoNothing: true}).Create(&p).Error, "pickup", household)
	})
}

// Collected returns when each household of relay point site collected its
// week's pick-up, by household id.
func (s *Store) Collected(ctx context.Context, week, site string) (map[string]time.Time, error) {
	var rows []Pickup
	if err := s.r.WithContext(ctx).Where("week_id = ? AND site_id = ?", week, site).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "pickup", week)
	}
	out := make(map[string]time.Time, len(rows))
	for _, r := range rows {
		out[r.HouseholdID] = r.CollectedAt
	}
	return out, nil
}

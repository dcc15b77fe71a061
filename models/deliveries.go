package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"paniers/planner"
)

// StopDelivery records that a driver ticked one stop of a round: delivered
// at a relay point or a canteen, collected at a farm. A tick belongs to one
// published plan version: the round is named by its index in that
// version's plan (from 0, as the round sheet's URL) and the stop by its
// number on the sheet (from 1). Another version may order its rounds and
// stops differently, so a tick never carries over to a newer version: the
// pages show the older version's ticks by place, for the driver to tick
// again what is still true. Vehicle and PlaceID are the round's vehicle and
// the stop's producer or site as the version planned them, which is what
// makes an older tick readable.
type StopDelivery struct {
	WeekID      string `gorm:"primaryKey;size:10"`
	Week        *Week  `gorm:"foreignKey:WeekID;constraint:OnDelete:CASCADE"`
	Version     int    `gorm:"primaryKey;autoIncrement:false"`
	Round       int    `gorm:"column:round_index;primaryKey;autoIncrement:false"`
	Stop        int    `gorm:"column:stop_number;primaryKey;autoIncrement:false"`
	Vehicle     string `gorm:"size:64;not null"`
	PlaceID     string `gorm:"size:64;not null"`
	DeliveredAt time.Time
}

// StopRef names one stop of one plan version of a week: Round is the
// round's index in the plan (from 0), Stop the stop's number in the round
// (from 1), as the round sheet numbers them.
type StopRef struct {
	Week    string
	Version int
	Round   int
	Stop    int
}

// StaleVersionError says a tick names a plan version that is no longer
// the week's published one: Published was published after it. The stops of
// Version may not be Published's, so the tick is refused rather than
// applied to whatever stop has that number now. errors.Is(err, ErrConflict)
// is true for it.
type StaleVersionError struct {
	Week               string
	Version, Published int
}

func (e *StaleVersionError) Error() string {
	return fmt.Sprintf("models: week %q: plan version %d is no longer the published one (version %d is)", e.Week, e.Version, e.Published)
}

// Is makes errors.Is(err, ErrConflict) true for a *StaleVersionError.
func (e *StaleVersionError) Is(target error) bool { return target == ErrConflict }

// SetDelivered ticks (delivered true) or unticks one stop of the week's
// published plan, in one transaction that holds the week against a
// publication. Ticking twice keeps the first time; unticking a stop not
// ticked is no error. check is the caller's scope rule (a driver's vehicle,
// internal/access), given the round: its error is returned as it is,
// before anything is written.
//
// Errors: ErrNotFound when the week does not exist, when ref.Version is not
// a published version of it (a draft, or no such version), or when the
// plan has no such round or the round no such stop; *StaleVersionError
// when a later version was published since.
func (s *Store) SetDelivered(ctx context.Context, ref StopRef, delivered bool, check func(planner.Round) error) (StopDelivery, error) {
	var out StopDelivery
	err := s.tx(ctx, func(t *Store) error {
		if _, err := t.lockWeek(ctx, ref.Week, false); err != nil {
			return err
		}
		var sp StoredPlan
		if err := t.w.Where("week_id = ? AND version = ? AND published = ?", ref.Week, ref.Version, true).Take(&sp).Error; err != nil {
			return dbErr(err, "published plan", fmt.Sprintf("%s v%d", ref.Week, ref.Version))
		}
		last, err := t.LastPublishedVersion(ctx, ref.Week)
		if err != nil {
			return err
		}
		if last != ref.Version {
			return &StaleVersionError{Week: ref.Week, Version: ref.Version, Published: last}
		}
		plan, err := sp.Plan()
		if err != nil {
			return err
		}
		if ref.Round < 0 || ref.Round >= len(plan.Rounds) {
			return notFound("round", fmt.Sprintf("%s v%d #%d", ref.Week, ref.Version, ref.Round))
		}
		rd := plan.Rounds[ref.Round]
		if check != nil {
			if err := check(rd); err != nil {
				return err
			}
		}
		if ref.Stop < 1 || ref.Stop > len(rd.Stops) {
			return notFound("stop", fmt.Sprintf("%s v%d #%d.%d", ref.Week, ref.Version, ref.Round, ref.Stop))
		}
		st := rd.Stops[ref.Stop-1]
		place := st.Site
		if st.Producer != "" {
			place = st.Producer
		}
		out = StopDelivery{WeekID: ref.Week, Version: ref.Version, Round: ref.Round, Stop: ref.Stop, Vehicle: rd.Vehicle, PlaceID: place}
		key := "week_id = ? AND version = ? AND round_index = ? AND stop_number = ?"
		if !delivered {
			return dbErr(t.w.Where(key, ref.Week, ref.Version, ref.Round, ref.Stop).Delete(&StopDelivery{}).Error, "stop delivery", ref.Week)
		}
		row := out
		row.DeliveredAt = t.now().UTC()
		if err := t.w.Omit(clause.Associations).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return dbErr(err, "stop delivery", ref.Week)
		}
		return dbErr(t.w.Where(key, ref.Week, ref.Version, ref.Round, ref.Stop).Take(&out).Error, "stop delivery", ref.Week)
	})
	if err != nil {
		return StopDelivery{}, err
	}
	return out, nil
}

// Deliveries returns every tick of a week, of all its plan versions,
// ordered by version, round and stop.
func (s *Store) Deliveries(ctx context.Context, week string) ([]StopDelivery, error) {
	var rows []StopDelivery
	err := s.r.WithContext(ctx).Where("week_id = ?", week).Order("version, round_index, stop_number").Find(&rows).Error
	return rows, dbErr(err, "stop delivery", week)
}

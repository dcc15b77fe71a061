package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"paniers/internal/i18n"

	"gorm.io/gorm"
)

// WeekID returns the ISO week id ("2026-W49") of the date of t in t's
// location.
func WeekID(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// ParseWeekID splits an ISO week id "YYYY-Www" into year and week, checking
// that the week exists in that year (W53 only in long years).
func ParseWeekID(id string) (year, week int, err error) {
	bad := fmt.Errorf("models: week %q: want an ISO week like 2026-W49", id)
	if len(id) != 8 || id[4] != '-' || id[5] != 'W' {
		return 0, 0, bad
	}
	for _, i := range []int{0, 1, 2, 3, 6, 7} {
		if id[i] < '0' || id[i] > '9' {
			return 0, 0, bad // Atoi would take "+9": one week, one spelling
		}
	}
	year, err1 := strconv.Atoi(id[:4])
	week, err2 := strconv.Atoi(id[6:])
	if err1 != nil || err2 != nil || year < 2000 || year > 2200 || week < 1 || week > 53 {
		return 0, 0, bad
	}
	// Dec 28 is always in the last ISO week of its year.
	if _, last := time.Date(year, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek(); week > last {
		return 0, 0, fmt.Errorf("models: week %q: %d has only %d ISO weeks", id, year, last)
	}
	return year, week, nil
}

// WeekMonday returns midnight, in loc, of the Monday of an ISO week.
func WeekMonday(year, week int, loc *time.Location) time.Time {
	// Jan 4 is always in ISO week 1.
	jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, loc)
	offset := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	return time.Date(year, 1, 4-offset+7*(week-1), 0, 0, 0, 0, loc)
}

// DefaultCalendar returns week id's calendar under the collective's usual
// rhythm, with status open. For the week whose vans run on Monday (collection)
// and Tuesday (delivery), offers close on the Wednesday before at 20:00 and
// orders on the Thursday before at 12:00, two hours before the planning job
// (PANIERS_SCHEDULE_PLAN, Thursday 14:00). Times are local to loc; cutoffs
// are returned in UTC.
//
// Example: 2026-W49 collects on 2026-11-30, delivers on 2026-12-01, closes
// offers on 2026-11-25 20:00 and orders on 2026-11-26 12:00 (Europe/Paris).
func DefaultCalendar(id string, loc *time.Location) (Week, error) {
	y, w, err := ParseWeekID(id)
	if err != nil {
		return Week{}, err
	}
	mon := WeekMonday(y, w, loc)
	at := func(days, hour int) time.Time {
		return time.Date(mon.Year(), mon.Month(), mon.Day()+days, hour, 0, 0, 0, loc).UTC()
	}
	return Week{
		ID:             id,
		OfferCutoff:    at(-5, 20),
		OrderCutoff:    at(-4, 12),
		CollectionDate: mon.Format(time.DateOnly),
		DeliveryDate:   mon.AddDate(0, 0, 1).Format(time.DateOnly),
		Status:         WeekOpen,
	}, nil
}

// NextOpenWeek returns the id of the first week whose offers are still open
// at now under DefaultCalendar: the week that farmers and relay points are
// working on.
func NextOpenWeek(now time.Time, loc *time.Location) string {
	t := now.In(loc)
	for i := 0; i < 3; i++ {
		id := WeekID(t.AddDate(0, 0, 7*i))
		if w, err := DefaultCalendar(id, loc); err == nil && now.Before(w.OfferCutoff) {
			return id
		}
	}
	return WeekID(t.AddDate(0, 0, 14))
}

// ListWeeks returns a page of weeks ordered by id (oldest first).
func (s *Store) ListWeeks(ctx context.Context, page Page) ([]Week, error) {
	return list[Week](ctx, s, page, "id")
}

// ListWeeksByStatus returns a page of the weeks with this status, ordered by
// id; the jobs use it to find the weeks to close, plan or publish.
func (s *Store) ListWeeksByStatus(ctx context.Context, status string, page Page) ([]Week, error) {
	return list[Week](ctx, s, page, "id", func(db *gorm.DB) *gorm.DB { return db.Where("status = ?", status) })
}

// GetWeek returns the week with this id, or ErrNotFound.
func (s *Store) GetWeek(ctx context.Context, id string) (Week, error) {
	return get[Week](ctx, s.r, id)
}

// CreateWeek stores a new week. An empty Status means open; zero cutoffs and
// empty dates are filled from DefaultCalendar. It returns a *ValidationError
// for an impossible calendar and ErrConflict when the week exists.
func (s *Store) CreateWeek(ctx context.Context, w *Week) error {
	if err := s.fillWeek(w); err != nil {
		return err
	}
	return dbErr(s.w.WithContext(ctx).Create(w).Error, "week", w.ID)
}

// EnsureWeek returns the week with this id, creating it from DefaultCalendar
// when missing; created says which happened.
func (s *Store) EnsureWeek(ctx context.Context, id string) (w Week, created bool, err error) {
	err = s.tx(ctx, func(t *Store) error {
		var e error
		w, e = get[Week](ctx, t.w, id)
		if e == nil || !isNotFound(e) {
			return e
		}
		w = Week{ID: id}
		if e := t.fillWeek(&w); e != nil {
			return e
		}
		created = true
		return dbErr(t.w.Create(&w).Error, "week", id)
	})
	return w, created, err
}

func (s *Store) fillWeek(w *Week) error {
	var p problems
	def, err := DefaultCalendar(w.ID, s.loc)
	if err != nil {
		p.add("id", "semaine ISO invalide, par exemple 2026-W49", "invalid ISO week, e.g. 2026-W49")
		return p.err()
	}
	if w.Status == "" {
		w.Status = WeekOpen
	}
	if w.OfferCutoff.IsZero() {
		w.OfferCutoff = def.OfferCutoff
	}
	if w.OrderCutoff.IsZero() {
		w.OrderCutoff = def.OrderCutoff
	}
	if w.CollectionDate == "" {
		w.CollectionDate = def.CollectionDate
	}
	if w.DeliveryDate == "" {
		w.DeliveryDate = def.DeliveryDate
	}
	w.OfferCutoff, w.OrderCutoff = w.OfferCutoff.UTC(), w.OrderCutoff.UTC()
	if !slices.Contains(WeekStatuses, w.Status) {
		p.add("status", "doit être open, closed, planned ou published", "must be open, closed, planned or published")
	}
	col, errC := ParseDate(w.CollectionDate)
	del, errD := ParseDate(w.DeliveryDate)
	if errC != nil {
		p.add("collection_date", "date invalide, format AAAA-MM-JJ", "invalid date, want YYYY-MM-DD")
	}
	if errD != nil {
		p.add("delivery_date", "date invalide, format AAAA-MM-JJ", "invalid date, want YYYY-MM-DD")
	}
	if errC == nil && errD == nil {
		if del.Before(col) {
			p.add("delivery_date", "la livraison ne peut précéder la collecte", "delivery cannot come before collection")
		}
		if del.Sub(col) > 7*24*time.Hour {
			p.add("delivery_date", "plus de 7 jours après la collecte", "more than 7 days after collection")
		}
	}
	if w.OrderCutoff.Before(w.OfferCutoff) {
		p.add("order_cutoff", "les commandes ne peuvent fermer avant les offres", "orders cannot close before offers")
	}
	if errC == nil {
		colStart := time.Date(col.Year(), col.Month(), col.Day(), 0, 0, 0, 0, s.loc)
		if w.OrderCutoff.After(colStart) {
			p.add("order_cutoff", "après le début du jour de collecte", "after the start of the collection day")
		}
	}
	return p.err()
}

// SetWeekStatus sets a week's status and returns the updated week. Any
// status may follow any other: the coordinator may reopen a week.
func (s *Store) SetWeekStatus(ctx context.Context, id, status string) (Week, error) {
	if !slices.Contains(WeekStatuses, status) {
		return Week{}, &ValidationError{Problems: []FieldError{{Field: "status", Reason: i18n.Text{FR: "doit être open, closed, planned ou published", EN: "must be open, closed, planned or published"}}}}
	}
	var w Week
	err := s.tx(ctx, func(t *Store) error {
		var err error
		if w, err = t.lockWeek(ctx, id, true); err != nil {
			return err
		}
		w.Status = status
		return dbErr(t.w.Model(&w).Updates(map[string]any{"status": status, "updated_at": s.now().UTC()}).Error, "week", id)
	})
	return w, err
}

// Kinds of week-scoped writes, as named in a *ClosedError.
const (
	KindOffers     = "offers"
	KindOrders     = "orders"
	KindMealOrders = "meal-orders"
)

// checkOpen says whether week w accepts a write of this kind at now: the
// week must be open and the kind's cutoff still ahead.
func checkOpen(w Week, kind string, now time.Time) error {
	cutoff := w.OrderCutoff
	if kind == KindOffers {
		cutoff = w.OfferCutoff
	}
	if w.Status != WeekOpen {
		return &ClosedError{Week: w.ID, Kind: kind, Cutoff: cutoff, Status: w.Status}
	}
	if !now.Before(cutoff) {
		return &ClosedError{Week: w.ID, Kind: kind, Cutoff: cutoff, Status: w.Status}
	}
	return nil
}

// openWeek reads and locks a week inside a write transaction and checks that
// it accepts a write of this kind now.
func (s *Store) openWeek(ctx context.Context, id, kind string) (Week, error) {
	w, err := s.lockWeek(ctx, id, false)
	if err != nil {
		return Week{}, err
	}
	return w, checkOpen(w, kind, s.now())
}

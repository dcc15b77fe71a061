package models

import (
	"context"
	"fmt"
	"regexp"
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
		p.add("id", fmt.Sprintf("semaine ISO AAAA-Wss attendue, comme 2026-W49 (reçu %q)", truncate(w.ID, 40)),
			fmt.Sprintf("ISO week YYYY-Www expected, such as 2026-W49 (got %q)", truncate(w.ID, 40)))
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
	s.checkCalendar(&p, w)
	return p.err()
}

// checkCalendar records what is wrong with a week's status, dates and
// cutoffs (cutoffs are set to UTC): the same rules for a new week and a
// changed one.
func (s *Store) checkCalendar(p *problems, w *Week) {
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
}

// WeekChange is a change to a week: the status, the dates, the cutoffs. A
// nil field stays as it is.
type WeekChange struct {
	Status                       *string
	OfferCutoff, OrderCutoff     *time.Time
	CollectionDate, DeliveryDate *string
}

// Calendar says whether the change touches the dates or cutoffs.
func (c WeekChange) Calendar() bool {
	return c.OfferCutoff != nil || c.OrderCutoff != nil || c.CollectionDate != nil || c.DeliveryDate != nil
}

// PatchWeek applies a change to a week in one transaction and returns the
// updated week. Four things might happen:
//   - the week does not exist: ErrNotFound;
//   - a field is wrong (an unknown status, an empty or impossible date or
//     cutoff, by the rules of CreateWeek): *ValidationError naming each;
//   - the change touches the calendar of a week that is planned or
//     published (after the change's own status, so a week may be reopened
//     and moved at once): *ClosedError of KindCalendar, since the stored
//     plan was made with these dates and its documents say them;
//   - else the week is stored and returned.
//
// Any status may follow any other: the coordinator may reopen a week. A
// cutoff may be moved into the past, which closes that kind of write at
// once. Weeks whose plan is stored keep its scenario.
func (s *Store) PatchWeek(ctx context.Context, id string, ch WeekChange) (Week, error) {
	var p problems
	if ch.Status != nil && !slices.Contains(WeekStatuses, *ch.Status) {
		p.add("status", "doit être open, closed, planned ou published", "must be open, closed, planned or published")
	}
	for _, f := range []struct {
		name string
		t    *time.Time
	}{{"offer_cutoff", ch.OfferCutoff}, {"order_cutoff", ch.OrderCutoff}} {
		if f.t != nil && f.t.IsZero() {
			p.add(f.name, ReasonRequired.FR, ReasonRequired.EN)
		}
	}
	if err := p.err(); err != nil {
		return Week{}, err
	}
	var w Week
	err := s.tx(ctx, func(t *Store) error {
		var err error
		if w, err = t.lockWeek(ctx, id, true); err != nil {
			return err
		}
		if ch.Status != nil {
			w.Status = *ch.Status
		}
		w.UpdatedAt = t.now().UTC()
		if !ch.Calendar() {
			return dbErr(t.w.Model(&w).Updates(map[string]any{"status": w.Status, "updated_at": w.UpdatedAt}).Error, "week", id)
		}
		if w.Status == WeekPlanned || w.Status == WeekPublished {
			return &ClosedError{Week: id, Kind: KindCalendar, Status: w.Status}
		}
		set(&w.OfferCutoff, ch.OfferCutoff)
		set(&w.OrderCutoff, ch.OrderCutoff)
		set(&w.CollectionDate, ch.CollectionDate)
		set(&w.DeliveryDate, ch.DeliveryDate)
		var p problems
		t.checkCalendar(&p, &w)
		if err := p.err(); err != nil {
			return err
		}
		return dbErr(t.w.Model(&w).Select("status", "offer_cutoff", "order_cutoff", "collection_date", "delivery_date", "updated_at").Updates(&w).Error, "week", id)
	})
	if err != nil {
		return Week{}, err
	}
	return w, nil
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// instantShape is the shape of a date and time ParseInstant reads.
var instantShape = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?$`)

// ParseInstant reads a date and time as the API and the pages take it:
// RFC 3339 ("2026-11-25T20:00:00+01:00"), or without an offset
// ("2026-11-25T20:00:00", or "2026-11-25T20:00" as a browser's
// datetime-local field sends it), then taken in loc, the collective's time
// zone. The error's reason quotes what was sent.
func ParseInstant(in string, loc *time.Location) (time.Time, *FieldError) {
	// Go's layouts alone take a one-digit hour ("T9:00"); the shape is
	// checked first, the one the OpenAPI document gives.
	if instantShape.MatchString(in) {
		t, err := time.Parse(time.RFC3339, in)
		for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
			if err == nil {
				break
			}
			t, err = time.ParseInLocation(layout, in, loc)
		}
		if err == nil && (t.Year() < 2000 || t.Year() > 2999) {
			return time.Time{}, &FieldError{Reason: i18n.Textf("année entre 2000 et 2999 attendue (reçu %q)", "a year between 2000 and 2999 expected (got %q)", truncate(in, 40))}
		}
		if err == nil {
			return t, nil
		}
	}
	return time.Time{}, &FieldError{Reason: i18n.Textf("date et heure RFC 3339 attendues, comme 2026-11-25T20:00:00+01:00 (reçu %q)",
		"RFC 3339 date and time expected, such as 2026-11-25T20:00:00+01:00 (got %q)", truncate(in, 40))}
}

// SetWeekStatus sets a week's status and returns the updated week (see
// PatchWeek). Any status may follow any other: the coordinator may reopen a
// week.
func (s *Store) SetWeekStatus(ctx context.Context, id, status string) (Week, error) {
	return s.PatchWeek(ctx, id, WeekChange{Status: &status})
}

// Kinds of week-scoped writes, as named in a *ClosedError.
const (
	KindOffers     = "offers"
	KindOrders     = "orders"
	KindMealOrders = "meal-orders"
	// KindCalendar is a change to a week's dates or cutoffs, refused once
	// the week is planned (see PatchWeek).
	KindCalendar = "calendar"
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

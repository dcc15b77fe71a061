package models

import (
	"context"
	"fmt"

	"paniers/planner"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MaxBasketsPerHousehold bounds a household's subscription.
const MaxBasketsPerHousehold = 20

// ListHouseholds returns a page of the households of a relay point, ordered
// by id. ErrNotFound when the site does not exist.
func (s *Store) ListHouseholds(ctx context.Context, site string, page Page) ([]Household, error) {
	if _, err := s.GetSite(ctx, site); err != nil {
		return nil, err
	}
	return list[Household](ctx, s, page, "id", func(db *gorm.DB) *gorm.DB { return db.Where("site_id = ?", site) })
}

// GetHousehold returns the household with this id, or ErrNotFound.
func (s *Store) GetHousehold(ctx context.Context, id string) (Household, error) {
	return get[Household](ctx, s.r, id)
}

// CreateHousehold stores a household of a relay point. An empty ID gets a
// fresh "h-..." id. A subscription needs an existing basket type and a count
// between 1 and MaxBasketsPerHousehold; no basket type means no
// subscription. Errors: *ValidationError (fields, unknown or non-relay
// site, unknown basket type), ErrConflict (id taken).
func (s *Store) CreateHousehold(ctx context.Context, h *Household) error {
	if h.ID == "" {
		h.ID = newID("h-")
	}
	return s.tx(ctx, func(t *Store) error {
		if err := t.checkHousehold(ctx, h); err != nil {
			return err
		}
		return dbErr(t.w.Omit(clause.Associations).Create(h).Error, "household", h.ID)
	})
}

// checkHousehold validates a household's fields and references.
func (s *Store) checkHousehold(ctx context.Context, h *Household) error {
	if h.BasketTypeID != nil && *h.BasketTypeID == "" {
		h.BasketTypeID = nil
	}
	var p problems
	p.id("id", h.ID)
	if h.ID == AccountCollectif {
		p.add("id", "réservé au compte MANNE du collectif", "reserved for the collectif's MANNE account")
	}
	p.id("site", h.SiteID)
	p.text("name", h.Name, true, 200)
	p.text("contact", h.Contact, false, 300)
	switch {
	case h.BasketTypeID == nil && h.BasketCount != 0:
		p.add("basket_count", "sans type de panier, le nombre doit être 0", "without a basket type the count must be 0")
	case h.BasketTypeID != nil && (h.BasketCount < 1 || h.BasketCount > MaxBasketsPerHousehold):
		p.add("basket_count", fmt.Sprintf("doit être entre 1 et %d", MaxBasketsPerHousehold), fmt.Sprintf("must be between 1 and %d", MaxBasketsPerHousehold))
	}
	if err := p.err(); err != nil {
		return err
	}
	if err := s.checkSite(ctx, &p, "site", h.SiteID, planner.KindRelay); err != nil {
		return err
	}
	if h.BasketTypeID != nil {
		if ok, err := exists[BasketType](ctx, s.r, *h.BasketTypeID); err != nil {
			return err
		} else if !ok {
			p = append(p, unknownRef("basket", "type de panier inconnu", "unknown basket type"))
		}
	}
	return p.err()
}

// WeekHouseholds returns, for a week's pick-up lists, the households of every
// relay point (ordered by site, then id) and the week's orders placed on
// behalf of a household (ordered by id). Names are personal data: callers
// show them only to the relay point's manager and the coordinator.
func (s *Store) WeekHouseholds(ctx context.Context, week string) ([]Household, []Order, error) {
	db := s.r.WithContext(ctx)
	var homes []Household
	if err := db.Order("site_id, id").Find(&homes).Error; err != nil {
		return nil, nil, dbErr(err, "households", week)
	}
	var orders []Order
	if err := db.Where("week_id = ? AND household_id IS NOT NULL", week).Order("id").Find(&orders).Error; err != nil {
		return nil, nil, dbErr(err, "orders", week)
	}
	return homes, orders, nil
}

package models

import (
	"context"
	"fmt"

	"gorm.io/gorm/clause"
)

// OfferFilter narrows ListOffers; empty fields do not filter.
type OfferFilter struct {
	ProducerID string
	ProductID  string
}

// ListOffers returns a page of week's offers ordered by producer then
// product. It returns ErrNotFound when the week does not exist.
func (s *Store) ListOffers(ctx context.Context, week string, f OfferFilter, page Page) ([]Offer, error) {
	return weekList[Offer](ctx, s, week, map[string]string{"producer_id": f.ProducerID, "product_id": f.ProductID}, page, "producer_id, product_id")
}

// GetOffer returns the offer of a producer for a product in a week, or
// ErrNotFound.
func (s *Store) GetOffer(ctx context.Context, week, producer, product string) (Offer, error) {
	var o Offer
	err := s.r.WithContext(ctx).Where("week_id = ? AND producer_id = ? AND product_id = ?", week, producer, product).Take(&o).Error
	return o, dbErr(err, "offer", week+"/"+producer+"/"+product)
}

// PutOffer posts a producer's offer of a product for a week. There is one
// offer per week, producer and product: when one exists, PutOffer replaces
// its quantity and price (a farmer corrects a harvest estimate) and created
// is false; otherwise it inserts one and created is true. Four things might
// go wrong: the week does not exist (ErrNotFound), its offers are closed
// (*ClosedError, errors.Is ErrClosed), a field is wrong or names an unknown
// producer or product (*ValidationError), or the database fails. The
// quantity must be a positive multiple of the product's step; an offer is
// withdrawn with DeleteOffer. o gets the stored row.
func (s *Store) PutOffer(ctx context.Context, o *Offer) (created bool, err error) {
	var p problems
	p.id("producer", o.ProducerID)
	p.id("product", o.ProductID)
	p.rangeF("quantity", o.Quantity, 0, MaxQuantity, true)
	if o.PriceCents < 0 || o.PriceCents > MaxPriceCents {
		p.add("price_cents", fmt.Sprintf("doit être entre 0 et %d", MaxPriceCents), fmt.Sprintf("must be between 0 and %d", MaxPriceCents))
	}
	if err := p.err(); err != nil {
		return false, err
	}
	err = s.tx(ctx, func(t *Store) error {
		if _, err := t.openWeek(ctx, o.WeekID, KindOffers); err != nil {
			return err
		}
		var p problems
		if ok, err := exists[Producer](ctx, t.w, o.ProducerID); err != nil {
			return err
		} else if !ok {
			p = append(p, unknownRef("producer", "producteur inconnu", "unknown producer"))
		}
		if err := t.checkQuantity(ctx, &p, o.ProductID, o.Quantity); err != nil {
			return err
		}
		if err := p.err(); err != nil {
			return err
		}
		var old Offer
		err := t.w.Where("week_id = ? AND producer_id = ? AND product_id = ?", o.WeekID, o.ProducerID, o.ProductID).Take(&old).Error
		switch {
		case err == nil:
			o.Seq, o.CreatedAt = old.Seq, old.CreatedAt
			return dbErr(t.w.Omit(clause.Associations).Save(o).Error, "offer", o.WeekID+"/"+o.ProducerID+"/"+o.ProductID)
		case isNotFoundDB(err):
			created = true
			return dbErr(t.w.Omit(clause.Associations).Create(o).Error, "offer", o.WeekID+"/"+o.ProducerID+"/"+o.ProductID)
		default:
			return dbErr(err, "offer", o.WeekID)
		}
	})
	return created, err
}

// DeleteOffer withdraws an offer while the week's offers are open:
// ErrNotFound when there is none, *ClosedError after the cutoff.
func (s *Store) DeleteOffer(ctx context.Context, week, producer, product string) error {
	return s.tx(ctx, func(t *Store) error {
		if _, err := t.openWeek(ctx, week, KindOffers); err != nil {
			return err
		}
		res := t.w.Where("week_id = ? AND producer_id = ? AND product_id = ?", week, producer, product).Delete(&Offer{})
		if res.Error != nil {
			return dbErr(res.Error, "offer", week+"/"+producer+"/"+product)
		}
		if res.RowsAffected == 0 {
			return notFound("offer", week+"/"+producer+"/"+product)
		}
		return nil
	})
}

// checkQuantity adds a problem when product does not exist or quantity is not
// a multiple of its step; it returns database failures.
func (s *Store) checkQuantity(ctx context.Context, p *problems, product string, quantity float64) error {
	prod, err := get[Product](ctx, s.w, product)
	switch {
	case isNotFound(err):
		*p = append(*p, unknownRef("product", "produit inconnu", "unknown product"))
	case err != nil:
		return err
	case !onStep(quantity, prod.Step):
		p.add("quantity", fmt.Sprintf("doit être un multiple de %g %s", prod.Step, prod.Unit), fmt.Sprintf("must be a multiple of %g %s", prod.Step, prod.Unit))
	}
	return nil
}

package models

import (
	"context"
	"database/sql"
	"errors"
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
	if err := offerFields(o); err != nil {
		return false, err
	}
	// The producer and the product are checked on the read side, before
	// taking the writer: the single writer's time is the service's write
	// throughput. The foreign keys still catch one removed in between.
	key := o.WeekID + "/" + o.ProducerID + "/" + o.ProductID
	oldSeq, err := s.checkOfferRefs(ctx, o)
	if err != nil {
		return false, err
	}
	// created is read before the write: when two first posts of one offer
	// race, both may say created. It only informs the caller.
	created = oldSeq == 0
	now := s.now().UTC()
	row := Offer{WeekID: o.WeekID, ProducerID: o.ProducerID, ProductID: o.ProductID, Quantity: o.Quantity, PriceCents: o.PriceCents, CreatedAt: now, UpdatedAt: now}
	if s.pg {
		err = s.tx(ctx, func(t *Store) error {
			if _, err := t.openWeek(ctx, o.WeekID, KindOffers); err != nil {
				return err
			}
			// Insert or replace in one statement, so two first posts racing
			// both succeed (the later one wins) instead of one failing on
			// the unique key; RETURNING gives the stored seq and created_at.
			return t.w.Omit(clause.Associations).Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "week_id"}, {Name: "producer_id"}, {Name: "product_id"}},
				DoUpdates: clause.AssignmentColumns([]string{"quantity", "price_cents", "updated_at"}),
			}, clause.Returning{Columns: []clause.Column{{Name: "seq"}, {Name: "created_at"}}}).Create(&row).Error
		})
	} else {
		var ok bool
		ok, err = s.guardedInsert(ctx, "offers", o.WeekID, KindOffers,
			[]string{"week_id", "producer_id", "product_id", "quantity", "price_cents", "created_at", "updated_at"},
			[]any{o.WeekID, o.ProducerID, o.ProductID, o.Quantity, o.PriceCents, now, now},
			"ON CONFLICT (week_id, producer_id, product_id) DO UPDATE SET quantity = excluded.quantity, price_cents = excluded.price_cents, updated_at = excluded.updated_at",
			&row.Seq, &row.CreatedAt)
		if err == nil && !ok {
			err = s.closedWhy(ctx, o.WeekID, KindOffers)
		}
	}
	if err != nil {
		return false, dbErr(fkProblem(err, "producer", "producteur ou produit inconnu", "unknown producer or product"), "offer", key)
	}
	*o = row
	return created, nil
}

// offerFields checks an offer's own fields: ids, quantity and price.
func offerFields(o *Offer) error {
	var p problems
	p.id("producer", o.ProducerID)
	p.id("product", o.ProductID)
	p.rangeF("quantity", o.Quantity, 0, MaxQuantity, true)
	if !PriceCentsValid(o.PriceCents) {
		p.add("price_cents", fmt.Sprintf("doit être entre 0 et %d", MaxPriceCents), fmt.Sprintf("must be between 0 and %d", MaxPriceCents))
	}
	return p.err()
}

// CheckOffer runs PutOffer's checks of an offer (fields, producer, product,
// the product's step) without writing it, so a page posting several offers
// at once can refuse them all before storing any. It does not check the
// week: PutOffer still may answer ErrNotFound or a *ClosedError.
func (s *Store) CheckOffer(ctx context.Context, o Offer) error {
	if err := offerFields(&o); err != nil {
		return err
	}
	_, err := s.checkOfferRefs(ctx, &o)
	return err
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

// checkOfferRefs checks that an offer's producer and product exist and that
// its quantity fits the product's step, in one query on the read side, and
// returns the seq of the offer it would replace (0 for none).
func (s *Store) checkOfferRefs(ctx context.Context, o *Offer) (oldSeq uint64, err error) {
	var r struct {
		Step       float64
		Unit       string
		ProducerOK bool
		OldSeq     uint64
	}
	const q = `SELECT p.step AS step, p.unit AS unit,
		EXISTS (SELECT 1 FROM producers WHERE id = ?) AS producer_ok,
		COALESCE((SELECT seq FROM offers WHERE week_id = ? AND producer_id = ? AND product_id = ?), 0) AS old_seq
		FROM products p WHERE p.id = ?`
	args := []any{o.ProducerID, o.WeekID, o.ProducerID, o.ProductID, o.ProductID}
	found := true
	if s.hot != nil && s.r == s.rroot {
		// On the SQLite readers, outside a transaction: a prepared
		// statement, without gorm's reflection (see hotStmt).
		stmt, err := s.hotStmt(ctx, s.rdb, q)
		if err == nil {
			err = stmt.QueryRowContext(ctx, args...).Scan(&r.Step, &r.Unit, &r.ProducerOK, &r.OldSeq)
		}
		if errors.Is(err, sql.ErrNoRows) {
			found, err = false, nil
		}
		if err != nil {
			return 0, dbErr(s.translate(err), "offer", o.WeekID)
		}
	} else {
		res := s.r.WithContext(ctx).Raw(q, args...).Scan(&r)
		if res.Error != nil {
			return 0, dbErr(res.Error, "offer", o.WeekID)
		}
		found = res.RowsAffected > 0
	}
	var p problems
	if !found {
		// No such product; say whether the producer is unknown too.
		if ok, err := exists[Producer](ctx, s.r, o.ProducerID); err != nil {
			return 0, err
		} else if !ok {
			p = append(p, unknownRef("producer", "producteur inconnu", "unknown producer"))
		}
		p = append(p, unknownRef("product", "produit inconnu", "unknown product"))
		return 0, p.err()
	}
	if !r.ProducerOK {
		p = append(p, unknownRef("producer", "producteur inconnu", "unknown producer"))
	}
	if !onStep(o.Quantity, r.Step) {
		p.offStep("quantity", r.Step, r.Unit)
	}
	return r.OldSeq, p.err()
}

// checkQuantity adds a problem when product does not exist or quantity is not
// a multiple of its step; it returns database failures.
func (s *Store) checkQuantity(ctx context.Context, p *problems, product string, quantity float64) error {
	prod, err := get[Product](ctx, s.r, product)
	switch {
	case isNotFound(err):
		*p = append(*p, unknownRef("product", "produit inconnu", "unknown product"))
	case err != nil:
		return err
	case !onStep(quantity, prod.Step):
		p.offStep("quantity", prod.Step, prod.Unit)
	}
	return nil
}

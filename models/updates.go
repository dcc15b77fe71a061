package models

import (
	"context"

	"paniers/internal/i18n"

	"gorm.io/gorm/clause"
)

// replace overwrites every column of the row of type T whose primary key is
// id with x's fields, keeping its creation time, inside the transaction of
// t: ErrNotFound when there is no such row.
func replace[T any](ctx context.Context, t *Store, id string, x *T) error {
	res := t.w.WithContext(ctx).Model(x).Where("id = ?", id).Select("*").Omit("created_at", clause.Associations).Updates(x)
	if res.Error != nil {
		return dbErr(res.Error, kindOf[T](), id)
	}
	if res.RowsAffected == 0 {
		return notFound(kindOf[T](), id)
	}
	return nil
}

// UpdateProducer replaces a producer's fields (its id stays): ErrNotFound
// when it does not exist, *ValidationError for bad fields. Offers already
// posted keep pointing at it.
func (s *Store) UpdateProducer(ctx context.Context, p *Producer) error {
	if p.Kind == "" {
		p.Kind = ProducerFarm
	}
	if err := validateProducer(p); err != nil {
		return err
	}
	return s.tx(ctx, func(t *Store) error {
		if err := t.checkLender(ctx, p); err != nil {
			return err
		}
		if err := replace(ctx, t, p.ID, p); err != nil {
			return err
		}
		return t.w.Where("id = ?", p.ID).Take(p).Error
	})
}

// UpdateSite replaces a site's fields: ErrNotFound when it does not exist,
// *ValidationError for bad fields or a change of kind (a relay point's
// households and orders cannot move to a canteen).
func (s *Store) UpdateSite(ctx context.Context, x *Site) error {
	if err := validateSite(x); err != nil {
		return err
	}
	return s.tx(ctx, func(t *Store) error {
		old, err := get[Site](ctx, t.w, x.ID)
		if err != nil {
			return err
		}
		if old.Kind != x.Kind {
			return &ValidationError{Problems: []FieldError{{Field: "kind", Reason: i18n.Text{FR: "le type d'un site ne change pas", EN: "a site's kind cannot change"}}}}
		}
		if err := replace(ctx, t, x.ID, x); err != nil {
			return err
		}
		return t.w.Where("id = ?", x.ID).Take(x).Error
	})
}

// UpdateVehicle replaces a vehicle's fields: ErrNotFound, *ValidationError.
func (s *Store) UpdateVehicle(ctx context.Context, v *Vehicle) error {
	if err := validateVehicle(v); err != nil {
		return err
	}
	return s.tx(ctx, func(t *Store) error {
		if err := replace(ctx, t, v.ID, v); err != nil {
			return err
		}
		return t.w.Where("id = ?", v.ID).Take(v).Error
	})
}

// UpdateProduct replaces a product's fields (its id stays): ErrNotFound when
// it does not exist, *ValidationError for bad fields (a zero BasketMin takes
// the default of the new step). Stored plans keep the scenario they were made
// from; the change counts from the next scenario export.
func (s *Store) UpdateProduct(ctx context.Context, x *Product) error {
	if err := validateProduct(x); err != nil {
		return err
	}
	return s.tx(ctx, func(t *Store) error {
		if err := replace(ctx, t, x.ID, x); err != nil {
			return err
		}
		return t.w.Where("id = ?", x.ID).Take(x).Error
	})
}

// UpdateBasketType replaces a basket type's name, price and contents (its id
// stays) in one transaction: ErrNotFound, *ValidationError as for
// CreateBasketType. Stored plans keep the scenario they were made from.
func (s *Store) UpdateBasketType(ctx context.Context, x *BasketType) error {
	if err := validateBasketType(x); err != nil {
		return err
	}
	return s.tx(ctx, func(t *Store) error {
		if err := replace(ctx, t, x.ID, x); err != nil {
			return err
		}
		if err := t.w.Where("basket_type_id = ?", x.ID).Delete(&BasketContent{}).Error; err != nil {
			return dbErr(err, "basket type", x.ID)
		}
		if err := t.w.Create(&x.Contents).Error; err != nil {
			return dbErr(err, "basket type", x.ID)
		}
		got, err := get[BasketType](ctx, t.w, x.ID, "Contents")
		if err != nil {
			return err
		}
		*x = got
		return nil
	})
}

// UpdateHousehold replaces a household's fields, its subscription included;
// the change counts from the next scenario export. ErrNotFound,
// *ValidationError as for CreateHousehold.
func (s *Store) UpdateHousehold(ctx context.Context, h *Household) error {
	return s.tx(ctx, func(t *Store) error {
		if err := t.checkHousehold(ctx, h); err != nil {
			return err
		}
		if err := replace(ctx, t, h.ID, h); err != nil {
			return err
		}
		return t.w.Where("id = ?", h.ID).Take(h).Error
	})
}

// DeleteOrder cancels a relay order while the week's orders are open:
// ErrNotFound when there is no such order (or week), *ClosedError after the
// cutoff.
func (s *Store) DeleteOrder(ctx context.Context, week, id string) error {
	return s.deleteWeekRow(ctx, week, id, KindOrders, &Order{})
}

// DeleteMealOrder cancels a canteen meal order while the week's orders are
// open, with its covers and dishes: ErrNotFound, *ClosedError.
func (s *Store) DeleteMealOrder(ctx context.Context, week, id string) error {
	return s.deleteWeekRow(ctx, week, id, KindMealOrders, &MealOrder{})
}

// deleteWeekRow deletes the row of a week with this id, when the week is
// open for this kind of write. Children go by ON DELETE CASCADE.
func (s *Store) deleteWeekRow(ctx context.Context, week, id, kind string, row any) error {
	what := "order"
	if kind == KindMealOrders {
		what = "meal order"
	}
	return s.tx(ctx, func(t *Store) error {
		if _, err := t.openWeek(ctx, week, kind); err != nil {
			return err
		}
		res := t.w.Where("week_id = ? AND id = ?", week, id).Delete(row)
		if res.Error != nil {
			return dbErr(res.Error, what, week+"/"+id)
		}
		if res.RowsAffected == 0 {
			return notFound(what, week+"/"+id)
		}
		return nil
	})
}

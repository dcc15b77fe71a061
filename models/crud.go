package models

import (
	"context"
	"maps"
	"slices"

	"gorm.io/gorm"
)

// list reads one page of rows of type T ordered by order, with optional
// conditions, from the read side.
func list[T any](ctx context.Context, s *Store, page Page, order string, scopes ...func(*gorm.DB) *gorm.DB) ([]T, error) {
	var rows []T
	q := page.apply(s.r.WithContext(ctx).Scopes(scopes...).Order(order))
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbErr(err, kindOf[T](), "")
	}
	if rows == nil {
		rows = []T{}
	}
	return rows, nil
}

// get reads the row of type T with primary key id.
func get[T any](ctx context.Context, db *gorm.DB, id string, preload ...string) (T, error) {
	var row T
	q := db.WithContext(ctx)
	for _, p := range preload {
		q = q.Preload(p, func(db *gorm.DB) *gorm.DB { return db.Order("position") })
	}
	if err := q.Where("id = ?", id).Take(&row).Error; err != nil {
		var zero T
		return zero, dbErr(err, kindOf[T](), id)
	}
	return row, nil
}

// exists says whether a row of type T with primary key id exists, reading
// through db (a transaction when the check guards a write).
func exists[T any](ctx context.Context, db *gorm.DB, id string) (bool, error) {
	var n int64
	var row T
	if err := db.WithContext(ctx).Model(&row).Where("id = ?", id).Count(&n).Error; err != nil {
		return false, dbErr(err, kindOf[T](), id)
	}
	return n > 0, nil
}

// kindOf names a row type in error messages.
func kindOf[T any]() string {
	var row T
	switch any(&row).(type) {
	case *Producer:
		return "producer"
	case *Product:
		return "product"
	case *Site:
		return "site"
	case *Vehicle:
		return "vehicle"
	case *BasketType:
		return "basket type"
	case *Household:
		return "household"
	case *Week:
		return "week"
	case *Offer:
		return "offer"
	case *Order:
		return "order"
	case *MealOrder:
		return "meal order"
	case *Token:
		return "token"
	case *JobRun:
		return "job run"
	case *StoredPlan:
		return "plan"
	case *Portion:
		return "portion"
	case *Hub:
		return "hub"
	default:
		return "record"
	}
}

// weekList reads one page of week's rows of type T ordered by order, keeping
// the rows whose columns equal the non-empty values of eq. ErrNotFound when
// the week does not exist.
func weekList[T any](ctx context.Context, s *Store, week string, eq map[string]string, page Page, order string, scopes ...func(*gorm.DB) *gorm.DB) ([]T, error) {
	if _, err := s.GetWeek(ctx, week); err != nil {
		return nil, err
	}
	filter := func(db *gorm.DB) *gorm.DB {
		db = db.Where("week_id = ?", week)
		for _, col := range slices.Sorted(maps.Keys(eq)) {
			if eq[col] != "" {
				db = db.Where(col+" = ?", eq[col])
			}
		}
		return db
	}
	return list[T](ctx, s, page, order, append(scopes, filter)...)
}

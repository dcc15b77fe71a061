package models

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"time"

	"paniers/planner"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// newID returns prefix followed by 10 random base-32 characters, for records
// created without an id.
func newID(prefix string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	b := make([]byte, 10)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[b[i]%32]
	}
	return prefix + string(b)
}

// OrderFilter narrows ListOrders; empty fields do not filter.
type OrderFilter struct {
	SiteID      string
	HouseholdID string
	Class       string
}

// ListOrders returns a page of a week's relay orders (basket and extra)
// ordered by id. It returns ErrNotFound when the week does not exist.
func (s *Store) ListOrders(ctx context.Context, week string, f OrderFilter, page Page) ([]Order, error) {
	return weekList[Order](ctx, s, week, map[string]string{"site_id": f.SiteID, "household_id": f.HouseholdID, "class": f.Class}, page, "id")
}

// GetOrder returns the order with this id in a week, or ErrNotFound.
func (s *Store) GetOrder(ctx context.Context, week, id string) (Order, error) {
	var o Order
	err := s.r.WithContext(ctx).Where("week_id = ? AND id = ?", week, id).Take(&o).Error
	return o, dbErr(err, "order", week+"/"+id)
}

// CreateOrder stores a relay point's order for a week: a basket order
// (Class planner.ClassBasket, BasketTypeID, Count) or an extra order
// (planner.ClassExtra, ProductID, Quantity, a multiple of the product's
// step), optionally for one of the site's households. An empty ID gets a
// fresh "o-..." id. Errors: ErrNotFound (week), *ClosedError (after the
// order cutoff or when the week is not open), *ValidationError (fields,
// unknown site, product, basket type or household, a site that is not a
// relay point), ErrConflict (the id exists in the week).
func (s *Store) CreateOrder(ctx context.Context, o *Order) error {
	if o.ID == "" {
		o.ID = newID("o-")
	}
	var p problems
	p.id("id", o.ID)
	p.id("site", o.SiteID)
	switch o.Class {
	case planner.ClassBasket:
		if o.BasketTypeID == nil || *o.BasketTypeID == "" {
			p.add("basket", "obligatoire pour une commande de paniers", "required for a basket order")
		}
		if o.Count < 1 || o.Count > MaxCount {
			p.add("count", fmt.Sprintf("doit être entre 1 et %d", MaxCount), fmt.Sprintf("must be between 1 and %d", MaxCount))
		}
		if o.ProductID != nil || o.Quantity != 0 {
			p.add("product", "interdit pour une commande de paniers", "not allowed in a basket order")
		}
	case planner.ClassExtra:
		if o.ProductID == nil || *o.ProductID == "" {
			p.add("product", "obligatoire pour une commande en extra", "required for an extra order")
		}
		p.rangeF("quantity", o.Quantity, 0, MaxQuantity, true)
		if o.BasketTypeID != nil || o.Count != 0 {
			p.add("basket", "interdit pour une commande en extra", "not allowed in an extra order")
		}
	case planner.ClassCanteen:
		p.add("class", "les cantines commandent des repas (meal-orders)", "canteens order meals (meal-orders)")
	default:
		p.add("class", "doit être basket ou extra", "must be basket or extra")
	}
	if err := p.err(); err != nil {
		return err
	}
	// References are checked on the read side, before taking the writer.
	p = nil
	if err := s.checkSite(ctx, &p, "site", o.SiteID, planner.KindRelay); err != nil {
		return err
	}
	if o.ProductID != nil {
		if err := s.checkQuantity(ctx, &p, *o.ProductID, o.Quantity); err != nil {
			return err
		}
	}
	if o.BasketTypeID != nil {
		if ok, err := exists[BasketType](ctx, s.r, *o.BasketTypeID); err != nil {
			return err
		} else if !ok {
			p = append(p, unknownRef("basket", "type de panier inconnu", "unknown basket type"))
		}
	}
	if o.HouseholdID != nil {
		// Another relay point's household is unknown here, in the very
		// words used for an id that does not exist: household ids are
		// personal data, and an answer must not tell them apart.
		h, err := get[Household](ctx, s.r, *o.HouseholdID)
		switch {
		case err != nil && !isNotFound(err):
			return err
		case err != nil || h.SiteID != o.SiteID:
			p = append(p, unknownRef("household", "foyer inconnu", "unknown household"))
		}
	}
	if err := p.err(); err != nil {
		return err
	}
	key := o.WeekID + "/" + o.ID
	now := s.now().UTC()
	o.Seq, o.CreatedAt, o.UpdatedAt = 0, now, now
	var err error
	if s.pg {
		err = s.tx(ctx, func(t *Store) error {
			if _, err := t.openWeek(ctx, o.WeekID, KindOrders); err != nil {
				return err
			}
			return t.w.Omit(clause.Associations).Create(o).Error
		})
	} else {
		var ok bool
		ok, err = s.guardedInsert(ctx, "orders", o.WeekID, KindOrders,
			[]string{"week_id", "id", "site_id", "class", "product_id", "quantity", "basket_type_id", "count", "household_id", "created_at", "updated_at"},
			[]any{o.WeekID, o.ID, o.SiteID, o.Class, o.ProductID, o.Quantity, o.BasketTypeID, o.Count, o.HouseholdID, now, now}, "",
			&o.Seq, &o.CreatedAt)
		if err == nil && !ok {
			err = s.closedWhy(ctx, o.WeekID, KindOrders)
		}
	}
	return dbErr(fkProblem(err, "site", "site, produit, type de panier ou foyer inconnu", "unknown site, product, basket type or household"), "order", key)
}

// checkSite adds a problem when site id does not exist or is not of kind.
// A database failure is returned, not taken for a missing site.
func (s *Store) checkSite(ctx context.Context, p *problems, field, id, kind string) error {
	site, err := get[Site](ctx, s.r, id)
	switch {
	case isNotFound(err):
		*p = append(*p, unknownRef(field, "site inconnu", "unknown site"))
	case err != nil:
		return err
	case site.Kind != kind && kind == planner.KindRelay:
		p.add(field, "ce site n'est pas un point relais", "this site is not a relay point")
	case site.Kind != kind:
		p.add(field, "ce site n'est pas une cantine", "this site is not a canteen")
	}
	return nil
}

// MealOrderFilter narrows ListMealOrders; empty fields do not filter.
type MealOrderFilter struct {
	SiteID string
	Date   string
}

// ListMealOrders returns a page of a week's canteen meal orders ordered by
// id, each with its covers and dishes. ErrNotFound when the week does not
// exist.
func (s *Store) ListMealOrders(ctx context.Context, week string, f MealOrderFilter, page Page) ([]MealOrder, error) {
	return weekList[MealOrder](ctx, s, week, map[string]string{"site_id": f.SiteID, "date": f.Date}, page, "id", preloadMeal)
}

func preloadMeal(db *gorm.DB) *gorm.DB {
	return db.Preload("Covers", func(db *gorm.DB) *gorm.DB { return db.Order("age_group") }).
		Preload("Dishes", func(db *gorm.DB) *gorm.DB { return db.Order("position") })
}

// GetMealOrder returns the meal order with this id in a week, with its covers
// and dishes, or ErrNotFound.
func (s *Store) GetMealOrder(ctx context.Context, week, id string) (MealOrder, error) {
	var m MealOrder
	err := s.r.WithContext(ctx).Scopes(preloadMeal).Where("week_id = ? AND id = ?", week, id).Take(&m).Error
	return m, dbErr(err, "meal order", week+"/"+id)
}

// CreateMealOrder stores a canteen's meal order for one date of a week, with
// its covers per age group and its dishes, in one transaction. An empty ID
// gets a fresh "m-..." id. The date must fall between the week's delivery
// date and six days after it (the meals the delivery feeds). Every dish must
// have a portion for every age group with covers: its PortionG, the
// coordinator's Portion, or DefaultPortionG. Errors as for CreateOrder, with
// a site that must be a canteen.
func (s *Store) CreateMealOrder(ctx context.Context, m *MealOrder) error {
	if m.ID == "" {
		m.ID = newID("m-")
	}
	p, date, dateErr := mealOrderProblems(m)
	if len(p) > 0 {
		// Name every failing field at once: the date against the week too.
		return s.CheckMealOrder(ctx, *m)
	}
	// Covers are stored and read back ordered by age group; m is left in
	// that order too, so the answer to a creation is what a read gives.
	slices.SortStableFunc(m.Covers, func(a, b MealCover) int { return cmp.Compare(a.AgeGroup, b.AgeGroup) })
	return s.tx(ctx, func(t *Store) error {
		w, err := t.openWeek(ctx, m.WeekID, KindMealOrders)
		if err != nil {
			return err
		}
		if err := t.checkSite(ctx, &p, "site", m.SiteID, planner.KindCanteen); err != nil {
			return err
		}
		if dateErr == nil {
			mealDateInWeek(&p, date, w)
		}
		portions, err := t.portionTable(ctx)
		if err != nil {
			return err
		}
		for i, d := range m.Dishes {
			f := fmt.Sprintf("dishes[%d]", i)
			prod, err := get[Product](ctx, t.w, d.ProductID)
			if isNotFound(err) {
				p = append(p, unknownRef(f+".product", "produit inconnu", "unknown product"))
				continue
			} else if err != nil {
				return err
			}
			if d.PortionG != nil {
				continue
			}
			for _, c := range m.Covers {
				if _, ok := portions.grams(c.AgeGroup, prod); !ok {
					p.add(f+".portion_g", fmt.Sprintf("aucune portion connue pour %s : indiquez portion_g", c.AgeGroup), fmt.Sprintf("no known portion for %s: give portion_g", c.AgeGroup))
					break
				}
			}
		}
		if err := p.err(); err != nil {
			return err
		}
		m.Seq = 0
		if err := t.w.Omit(clause.Associations).Create(m).Error; err != nil {
			return dbErr(err, "meal order", m.WeekID+"/"+m.ID)
		}
		for i := range m.Covers {
			m.Covers[i].MealOrderSeq = m.Seq
		}
		for i := range m.Dishes {
			m.Dishes[i].MealOrderSeq, m.Dishes[i].Position, m.Dishes[i].Product = m.Seq, i, nil
		}
		if err := t.w.Create(&m.Covers).Error; err != nil {
			return dbErr(err, "meal order", m.WeekID+"/"+m.ID)
		}
		return dbErr(t.w.Omit(clause.Associations).Create(&m.Dishes).Error, "meal order", m.WeekID+"/"+m.ID)
	})
}

// CheckMealOrder names every field of m that CreateMealOrder would refuse
// without touching the week: the form checks, and the date against the
// week's delivery when the week exists. It stores nothing; nil when the
// form checks pass (the week's state and the products are checked when
// the order is created).
func (s *Store) CheckMealOrder(ctx context.Context, m MealOrder) error {
	p, date, dateErr := mealOrderProblems(&m)
	if dateErr == nil {
		if w, err := get[Week](ctx, s.r, m.WeekID); err == nil {
			mealDateInWeek(&p, date, w)
		} else if !isNotFound(err) {
			return err
		}
	}
	return p.err()
}

// mealOrderProblems checks a meal order's fields on their own.
func mealOrderProblems(m *MealOrder) (problems, time.Time, error) {
	var p problems
	p.id("id", m.ID)
	p.id("site", m.SiteID)
	p.text("note", m.Note, false, 500)
	date, dateErr := ParseDate(m.Date)
	if dateErr != nil {
		p.add("date", "date invalide, format AAAA-MM-JJ", "invalid date, want YYYY-MM-DD")
	}
	if len(m.Covers) == 0 {
		p.add("covers", "au moins un groupe d'âge", "at least one age group")
	}
	seen := map[string]bool{}
	for i, c := range m.Covers {
		f := fmt.Sprintf("covers[%d]", i)
		switch {
		case !containsStr(AgeGroups, c.AgeGroup):
			p.add(f+".age_group", "groupe d'âge inconnu (maternelle, elementaire, adulte, senior)", "unknown age group (maternelle, elementaire, adulte, senior)")
		case seen[c.AgeGroup]:
			p.add(f+".age_group", "groupe d'âge en double", "duplicate age group")
		}
		seen[c.AgeGroup] = true
		if c.Covers < 1 || c.Covers > MaxCount {
			p.add(f+".covers", fmt.Sprintf("doit être entre 1 et %d", MaxCount), fmt.Sprintf("must be between 1 and %d", MaxCount))
		}
	}
	if len(m.Dishes) == 0 {
		p.add("dishes", "au moins un plat", "at least one dish")
	}
	if len(m.Dishes) > 50 {
		p.add("dishes", "50 plats au plus", "at most 50 dishes")
	}
	for i, d := range m.Dishes {
		f := fmt.Sprintf("dishes[%d]", i)
		p.id(f+".product", d.ProductID)
		if d.PortionG != nil {
			p.grams(f+".portion_g", *d.PortionG)
		}
	}
	return p, date, dateErr
}

// mealDateInWeek checks that a meal's date is served by the week's delivery.
func mealDateInWeek(p *problems, date time.Time, w Week) {
	del, err := ParseDate(w.DeliveryDate)
	if err != nil {
		return
	}
	if last := del.AddDate(0, 0, 6); date.Before(del) || date.After(last) {
		p.add("date", "doit être entre le "+frNum.DayMonthOf(del)+" et le "+frNum.DayMonthOf(last)+" (repas servis par la livraison)",
			"must be between "+enNum.DayMonthOf(del)+" and "+enNum.DayMonthOf(last)+" (meals served from the delivery)")
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// portionTable is the coordinator's portions indexed by age group and product.
type portionTable map[[2]string]float64

func (s *Store) portionTable(ctx context.Context) (portionTable, error) {
	var rows []Portion
	if err := s.r.WithContext(ctx).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "portion", "")
	}
	t := portionTable{}
	for _, r := range rows {
		t[[2]string{r.AgeGroup, r.ProductID}] = r.Grams
	}
	return t, nil
}

// grams returns the portion of prod for an age group: the coordinator's, else
// the built-in default.
func (t portionTable) grams(ageGroup string, prod Product) (float64, bool) {
	if g, ok := t[[2]string{ageGroup, prod.ID}]; ok {
		return g, true
	}
	return DefaultPortionG(ageGroup, prod.ID, prod.Category)
}

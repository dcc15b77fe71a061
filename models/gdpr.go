package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Households' names and contacts are personal data (GDPR). The coordinator
// may export everything the database holds about a household (the right of
// access) and erase it (the right to erasure). Erasure anonymises rather
// than deletes: the household's orders and subscription are the relay
// point's totals, which the week's plan, the producers' preparation lists
// and the invoices depend on, and they hold nothing personal once the
// household is no longer named.

// ErasedHouseholdName is the name an erased household keeps: its orders
// still count in its relay point's totals under it.
const ErasedHouseholdName = "Foyer anonymisé"

// HouseholdExport is everything stored about one household: the household
// row, every order placed on its behalf, in every week, ordered by week
// then id, and its MANNE account with every entry, oldest first.
type HouseholdExport struct {
	Household    Household
	Orders       []Order
	Manne        AccountBalance
	ManneEntries []AccountEntry
	ExportedAt   time.Time
}

// ExportHousehold returns the household with this id and all its orders.
// ErrNotFound when there is no such household.
func (s *Store) ExportHousehold(ctx context.Context, id string) (HouseholdExport, error) {
	var out HouseholdExport
	// One read transaction, so the household and its orders are one
	// consistent picture even while orders are posted.
	err := s.r.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		h, err := get[Household](ctx, db, id)
		if err != nil {
			return err
		}
		out.Household = h
		if err := db.Where("household_id = ?", id).Order("week_id, id").Find(&out.Orders).Error; err != nil {
			return dbErr(err, "household", id)
		}
		t := *s
		t.r, t.closers = db, nil
		if out.Manne, err = t.account(ctx, id); err != nil {
			return err
		}
		out.ManneEntries, err = t.entries(ctx, id, EntryFilter{Oldest: true}, nil)
		return err
	})
	if err != nil {
		return HouseholdExport{}, err
	}
	if out.Orders == nil {
		out.Orders = []Order{}
	}
	out.ExportedAt = s.now().UTC()
	return out, nil
}

// EraseHousehold anonymises a household and returns what remains of it. In
// one transaction it:
//   - moves the household to a fresh random id ("h-..."), since a chosen id
//     such as "famille-martin" is itself personal, and re-points its orders
//     to it, so their quantities stay in the relay point's totals;
//   - replaces the name with ErasedHouseholdName and clears the contact;
//   - keeps the basket subscription, which is the relay point's order as
//     much as the household's (the coordinator changes it separately);
//   - renames its MANNE account to the new id, marked anonymised, and clears
//     the memos of its transfers: the ledger keeps every amount, so the
//     balances still sum to zero; a garden it lends names the new id;
//   - renames it in the pick-up lists frozen with every plan version
//     (published lists keep their lines and totals, under the new id and
//     name);
//   - forgets the idempotency records whose stored answer names the old id,
//     so no replayed answer can bring it back.
//
// ErrNotFound when there is no such household. Erasing an erased household
// again only gives it another random id.
func (s *Store) EraseHousehold(ctx context.Context, id string) (Household, error) {
	var anon Household
	err := s.tx(ctx, func(t *Store) error {
		h, err := get[Household](ctx, t.w, id)
		if err != nil {
			return err
		}
		anon = Household{
			ID:           newID("h-"),
			SiteID:       h.SiteID,
			Name:         ErasedHouseholdName,
			Contact:      "",
			BasketTypeID: h.BasketTypeID,
			BasketCount:  h.BasketCount,
			CreatedAt:    h.CreatedAt,
		}
		if err := t.w.Omit(clause.Associations).Create(&anon).Error; err != nil {
			return dbErr(err, "household", anon.ID)
		}
		if err := t.w.Model(&Order{}).Where("household_id = ?", id).
			Updates(map[string]any{"household_id": anon.ID, "updated_at": s.now().UTC()}).Error; err != nil {
			return dbErr(err, "household", id)
		}
		if err := t.w.Model(&Producer{}).Where("lender_id = ?", id).
			Updates(map[string]any{"lender_id": anon.ID, "updated_at": s.now().UTC()}).Error; err != nil {
			return dbErr(err, "household", id)
		}
		if err := t.anonymiseAccount(ctx, id, anon.ID); err != nil {
			return err
		}
		if err := t.eraseFromPlanInputs(ctx, id, anon.ID); err != nil {
			return err
		}
		if err := t.w.Where("id = ?", id).Delete(&Household{}).Error; err != nil {
			return dbErr(err, "household", id)
		}
		// The API stores an order's answer as JSON with "household":"<id>";
		// ids hold no LIKE wildcard but '_', which is escaped.
		// MANNE transfers name it as "from", "to" or "account".
		for _, field := range []string{"household", "from", "to", "account"} {
			pattern := `%"` + field + `":"` + escapeLike(id) + `"%`
			if err := t.w.Where(`body LIKE ? ESCAPE '\'`, pattern).Delete(&IdempotencyRecord{}).Error; err != nil {
				return dbErr(err, "household", id)
			}
		}
		return nil
	})
	if err != nil {
		return Household{}, err
	}
	return anon, nil
}

// escapeLike escapes LIKE's wildcards with a backslash.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

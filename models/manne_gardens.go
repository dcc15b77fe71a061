package models

import (
	"context"
	"errors"
	"fmt"
	"math"

	"paniers/planner"
)

// Gardens earn: when a week's plan is published, each garden lent by a
// household (a producer of kind garden with a Lender) credits its lender
// with the value of what it sold that week times the MANNE rate.
//
// Rounding, in integer cents throughout:
//   - a garden's sales of one product are the plan's allocations of it added
//     up, read to the thousandth of a unit (the gram for kg), and valued at
//     its offer's price: quantity_milli × price_cents / 1000, rounded half
//     up to the cent; a product without an offer is worth nothing;
//   - the garden's value is the sum over its products, in euro cents;
//   - the credit is value × rate / 1,000,000 (the rate in millionths of a
//     MANNE per euro), rounded half up to the MANNE cent.
//
// Credits are once per week and garden: the publication compares what its
// plan is worth with what the week's transfers for the garden have already
// credited, account by account, and posts only the difference: nothing when
// the same plan is published again, the first credit as a garden transfer,
// any later change (a re-plan, a new lender) as a correction. A correction
// that takes MANNE back never takes more than the household holds: the rest
// stays owed, and a later publication tries again.

// ManneRate is the MANNE credited per euro of a lent garden's sales, in
// millionths (1,000,000 is one MANNE per euro). Zero means DefaultManneRate.
type ManneRate int64

// DefaultManneRate is one MANNE per euro.
const DefaultManneRate ManneRate = 1_000_000

// MaxManneRate bounds the rate: 1,000 MANNE per euro.
const MaxManneRate ManneRate = 1_000_000_000

// GardenCredit is one transfer a publication posted for a lent garden.
type GardenCredit struct {
	Producer   string
	Lender     string
	ValueCents int64 // the garden's sales this week, euro cents
	DueCents   int64 // what the lender is owed in all for the week
	Transfer   Transfer
}

// roundDiv divides a non-negative n by d > 0, rounding half up.
func roundDiv(n, d int64) int64 { return (n + d/2) / d }

// gardenValue is the value in euro cents of a garden's allocations in plan,
// at its offers' prices.
func gardenValue(plan planner.Plan, producer string, prices map[string]int64) int64 {
	milli := map[string]int64{}
	var order []string
	for _, a := range plan.Allocations {
		if a.Producer != producer || !(a.Quantity > 0) || math.IsInf(a.Quantity, 0) {
			continue
		}
		if _, seen := milli[a.Product]; !seen {
			order = append(order, a.Product)
		}
		milli[a.Product] += int64(math.Round(a.Quantity * 1000))
	}
	var total int64
	for _, p := range order {
		total += roundDiv(milli[p]*prices[p], 1000)
	}
	return total
}

// creditGardens posts the week's garden credits for plan (version v), inside
// the publication's transaction: the credits commit with the publication
// or not at all.
func (t *Store) creditGardens(ctx context.Context, week string, v int, plan planner.Plan, rate ManneRate) ([]GardenCredit, error) {
	if rate <= 0 {
		rate = DefaultManneRate
	}
	db := t.w.WithContext(ctx)
	var gardens []Producer
	if err := db.Where("kind = ?", ProducerGarden).Order("id").Find(&gardens).Error; err != nil {
		return nil, dbErr(err, "gardens", week)
	}
	var out []GardenCredit
	for _, g := range gardens {
		credited, err := t.credited(ctx, week, g.ID)
		if err != nil {
			return nil, err
		}
		if g.LenderID == nil && len(credited) == 0 {
			continue
		}
		var offers []Offer
		if err := db.Where("week_id = ? AND producer_id = ?", week, g.ID).Find(&offers).Error; err != nil {
			return nil, dbErr(err, "offers", week)
		}
		prices := map[string]int64{}
		for _, o := range offers {
			prices[o.ProductID] = o.PriceCents
		}
		value := gardenValue(plan, g.ID, prices)
		due := map[string]int64{}
		accounts := []string{}
		if g.LenderID != nil {
			due[*g.LenderID] = roundDiv(value*int64(rate), 1_000_000)
			accounts = append(accounts, *g.LenderID)
		}
		for _, c := range credited {
			if _, ok := due[c.account]; !ok {
				due[c.account] = 0
				accounts = append(accounts, c.account)
			}
		}
		for _, acct := range accounts {
			var before int64
			first := true
			for _, c := range credited {
				if c.account == acct {
					before, first = c.cents, false
				}
			}
			diff := due[acct] - before
			if diff == 0 {
				continue
			}
			in := TransferInput{From: AccountCollectif, To: acct, AmountCents: diff, Kind: TransferCorrection,
				Memo:   fmt.Sprintf("Jardin %s, semaine %s (plan v%d)", g.Name, week, v),
				Author: fmt.Sprintf("publication %s v%d", week, v), WeekID: week, ProducerID: g.ID}
			if first && diff > 0 {
				in.Kind = TransferGarden
			}
			if diff < 0 {
				in.From, in.To, in.AmountCents = acct, AccountCollectif, -diff
			}
			tr, err := t.postCredit(ctx, in)
			if err != nil {
				return nil, err
			}
			if tr.Seq != 0 {
				out = append(out, GardenCredit{Producer: g.ID, Lender: acct, ValueCents: value, DueCents: due[acct], Transfer: tr})
			}
		}
	}
	return out, nil
}

// postCredit posts a publication's transfer; a correction taking MANNE back
// takes at most what the household holds (nothing when it holds nothing).
func (t *Store) postCredit(ctx context.Context, in TransferInput) (Transfer, error) {
	if err := validateTransfer(in); err != nil {
		return Transfer{}, fmt.Errorf("models: garden credit of %s for %s: %w", in.ProducerID, in.WeekID, err)
	}
	tr, err := t.postTransfer(ctx, in)
	var short *InsufficientFundsError
	if errors.As(err, &short) {
		if short.BalanceCents <= 0 {
			t.log.WarnContext(ctx, "models: manne correction not taken back: the household holds nothing",
				"account", in.From, "owed_cents", in.AmountCents, "week", in.WeekID, "producer", in.ProducerID)
			return Transfer{}, nil
		}
		t.log.WarnContext(ctx, "models: manne correction taken back in part", "account", in.From,
			"owed_cents", in.AmountCents, "taken_cents", short.BalanceCents, "week", in.WeekID, "producer", in.ProducerID)
		in.AmountCents = short.BalanceCents
		tr, err = t.postTransfer(ctx, in)
	}
	return tr, err
}

// creditedTo is the net a week's transfers for a garden gave one account.
type creditedTo struct {
	account string
	cents   int64
}

// credited returns, per household account, the net of the transfers a
// week's publications posted for a garden, in the order the accounts were
// first credited.
func (t *Store) credited(ctx context.Context, week, producer string) ([]creditedTo, error) {
	var rows []struct {
		FromID, ToID string
		AmountCents  int64
	}
	err := t.w.WithContext(ctx).Table("manne_transfers t").Select("f.id AS from_id, o.id AS to_id, t.amount_cents").
		Joins("JOIN manne_accounts f ON f.seq = t.from_seq").Joins("JOIN manne_accounts o ON o.seq = t.to_seq").
		Where("t.week_id = ? AND t.producer_id = ?", week, producer).Order("t.seq").Scan(&rows).Error
	if err != nil {
		return nil, dbErr(err, "garden credits", week)
	}
	var out []creditedTo
	add := func(acct string, cents int64) {
		for i := range out {
			if out[i].account == acct {
				out[i].cents += cents
				return
			}
		}
		out = append(out, creditedTo{acct, cents})
	}
	for _, r := range rows {
		if r.FromID == AccountCollectif {
			add(r.ToID, r.AmountCents)
		} else {
			add(r.FromID, -r.AmountCents)
		}
	}
	return out, nil
}

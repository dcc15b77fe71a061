package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The MANNE is the town's local currency: residents earn it by lending a
// garden to the food system (credited when a week is published) or by
// cooperative work, and spend it on baskets. Its ledger is double entry:
// every transfer moves a positive integer number of cents (1 MANNE = 100
// cents) from one account to another and is written as two entries, a
// debit and a credit of the same amount, so the balances of all accounts
// sum to zero at every commit. The collectif's account issues the currency:
// its balance is minus what is in circulation. A household's account (its
// id is the household's) never goes below zero.
//
// Transfers and entries are never updated nor deleted: the store has no
// path that does it, and a mistake is undone by a correction transfer. The
// one exception is a household's erasure (GDPR), which renames its account
// and clears the free-text memos of its transfers, amounts untouched.
//
// Concurrency: the debit is one conditional UPDATE ("... SET balance =
// balance - x WHERE seq = ? AND balance >= x") inside the transfer's
// transaction, after both accounts' rows have been locked in a fixed order
// (FOR UPDATE on PostgreSQL, where two transfers between the same accounts
// in opposite directions would otherwise deadlock); on SQLite the single
// writer runs transfers one at a time. Either way two payments can never
// both spend the same cents.

// Account ids and kinds.
const (
	// AccountCollectif is the id of the issuer's account.
	AccountCollectif = "collectif"
	// AccountIssuer and AccountHousehold are the kinds of accounts.
	AccountIssuer    = "issuer"
	AccountHousehold = "household"
)

// Kinds of transfers.
const (
	// TransferGarden credits a garden's lender when a week is published;
	// only the service writes it.
	TransferGarden = "garden"
	// TransferWork pays a resident for cooperative work.
	TransferWork = "work"
	// TransferBasket is a household paying the collectif for baskets.
	TransferBasket = "basket"
	// TransferCorrection undoes or adjusts an earlier transfer.
	TransferCorrection = "correction"
)

// TransferKinds lists the kinds of transfers, in the report's order.
var TransferKinds = []string{TransferGarden, TransferWork, TransferBasket, TransferCorrection}

// MaxTransferCents bounds one transfer: 100,000 MANNE. Anything above is a
// typing error, not a payment.
const MaxTransferCents = 10_000_000

// MaxMemo bounds a transfer's memo, in characters.
const MaxMemo = 300

// ManneAccount is one account of the MANNE ledger. BalanceCents is kept
// with every transfer (the sum of the account's entries, which the report
// checks); HouseholdID links a household's account to its household, nil
// for the collectif. Anonymised is set when the household was erased.
type ManneAccount struct {
	Seq          uint64     `gorm:"primaryKey;autoIncrement"`
	ID           string     `gorm:"size:64;not null;uniqueIndex"`
	Kind         string     `gorm:"size:16;not null"`
	HouseholdID  *string    `gorm:"size:64;uniqueIndex"`
	Household    *Household `gorm:"foreignKey:HouseholdID;constraint:OnUpdate:CASCADE,OnDelete:RESTRICT"`
	BalanceCents int64      `gorm:"not null"`
	Anonymised   bool       `gorm:"not null"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ManneTransfer is one transfer of AmountCents from the account FromSeq to
// the account ToSeq. WeekID and ProducerID name the week and garden of a
// publication's credits (garden, and the corrections the publication
// posts); Author says who wrote it ("token 12 coordinator", "publication").
type ManneTransfer struct {
	Seq         uint64        `gorm:"primaryKey;autoIncrement"`
	FromSeq     uint64        `gorm:"not null;index"`
	From        *ManneAccount `gorm:"foreignKey:FromSeq;constraint:OnUpdate:RESTRICT,OnDelete:RESTRICT"`
	ToSeq       uint64        `gorm:"not null;index"`
	To          *ManneAccount `gorm:"foreignKey:ToSeq;constraint:OnUpdate:RESTRICT,OnDelete:RESTRICT"`
	AmountCents int64         `gorm:"not null"`
	Kind        string        `gorm:"size:16;not null;index"`
	Memo        string        `gorm:"size:1200"`
	WeekID      string        `gorm:"size:10;index:ix_manne_credit,priority:1"`
	ProducerID  string        `gorm:"size:64;index:ix_manne_credit,priority:2"`
	Author      string        `gorm:"size:100"`
	CreatedAt   time.Time     `gorm:"not null;index"`
}

// ManneEntry is one side of a transfer on one account: AmountCents is
// negative for the debit, positive for the credit, and BalanceCents is the
// account's balance just after it.
type ManneEntry struct {
	Seq          uint64         `gorm:"primaryKey;autoIncrement"`
	TransferSeq  uint64         `gorm:"not null;index"`
	Transfer     *ManneTransfer `gorm:"foreignKey:TransferSeq;constraint:OnUpdate:RESTRICT,OnDelete:RESTRICT"`
	AccountSeq   uint64         `gorm:"not null;index:ix_manne_entry_account,priority:1"`
	Account      *ManneAccount  `gorm:"foreignKey:AccountSeq;constraint:OnUpdate:RESTRICT,OnDelete:RESTRICT"`
	AmountCents  int64          `gorm:"not null"`
	BalanceCents int64          `gorm:"not null"`
	CreatedAt    time.Time      `gorm:"not null;index"`
}

func manneModels() []any { return []any{&ManneAccount{}, &ManneTransfer{}, &ManneEntry{}} }

// TransferInput is a transfer to post. From and To are account ids
// (AccountCollectif or a household id).
type TransferInput struct {
	From, To    string
	AmountCents int64
	Kind        string
	Memo        string
	Author      string
	// WeekID and ProducerID are set by a publication's credits only.
	WeekID, ProducerID string
}

// Transfer is a stored transfer with its accounts named by id.
type Transfer struct {
	Seq         uint64
	From, To    string
	AmountCents int64
	Kind        string
	Memo        string
	WeekID      string
	ProducerID  string
	Author      string
	CreatedAt   time.Time
	// FromBalanceCents and ToBalanceCents are the two accounts' balances
	// just after the transfer.
	FromBalanceCents, ToBalanceCents int64
}

// InsufficientFundsError refuses a payment larger than the paying
// household's balance. errors.Is(err, ErrInsufficientFunds) is true for it.
type InsufficientFundsError struct {
	Account      string
	BalanceCents int64
	AmountCents  int64
}

// ErrInsufficientFunds is the sentinel of *InsufficientFundsError.
var ErrInsufficientFunds = errors.New("insufficient funds")

func (e *InsufficientFundsError) Error() string {
	return fmt.Sprintf("models: manne account %q: balance %d cents, cannot pay %d: %v", e.Account, e.BalanceCents, e.AmountCents, ErrInsufficientFunds)
}

// Is makes errors.Is(err, ErrInsufficientFunds) true.
func (e *InsufficientFundsError) Is(target error) bool { return target == ErrInsufficientFunds }

// validateTransfer checks a transfer's fields and the direction its kind
// allows: garden and work go from the collectif to a household, basket from
// a household to the collectif, a correction between any two accounts.
func validateTransfer(in TransferInput) error {
	var p problems
	for _, f := range []struct{ name, id string }{{"from", in.From}, {"to", in.To}} {
		if !ValidID(f.id) {
			p.add(f.name, "compte invalide : « collectif » ou l'identifiant d'un foyer", `invalid account: "collectif" or a household id`)
		}
	}
	if in.From == in.To && in.From != "" {
		p.add("to", "le compte crédité doit différer du compte débité", "the credited account must differ from the debited one")
	}
	if in.AmountCents < 1 || in.AmountCents > MaxTransferCents {
		p.add("amount_cents", fmt.Sprintf("nombre entier de centimes entre 1 et %d attendu", MaxTransferCents),
			fmt.Sprintf("an integer number of cents between 1 and %d expected", MaxTransferCents))
	}
	switch in.Kind {
	case TransferGarden, TransferWork:
		if in.From != AccountCollectif || in.To == AccountCollectif {
			p.add("kind", "ce type de virement va du collectif vers un foyer", "this kind of transfer goes from the collectif to a household")
		}
	case TransferBasket:
		if in.To != AccountCollectif || in.From == AccountCollectif {
			p.add("kind", "un paiement de paniers va d'un foyer vers le collectif", "a basket payment goes from a household to the collectif")
		}
	case TransferCorrection:
	default:
		p.add("kind", "doit être garden, work, basket ou correction", "must be garden, work, basket or correction")
	}
	if utf8.RuneCountInString(in.Memo) > MaxMemo || !utf8.ValidString(in.Memo) {
		p.add("memo", fmt.Sprintf("trop long (%d caractères au plus)", MaxMemo), fmt.Sprintf("too long (at most %d characters)", MaxMemo))
	} else if strings.ContainsFunc(in.Memo, unicode.IsControl) {
		p.add("memo", "caractères de contrôle refusés", "control characters are refused")
	}
	return p.err()
}

// PostTransfer writes a transfer and its two entries in one transaction and
// returns it. Four things might happen:
//   - it is written, and the debited account's balance stays at or above
//     zero (the collectif's may go negative: it issues the currency);
//   - the debited household's balance is smaller than the amount: an
//     *InsufficientFundsError naming the balance, nothing written;
//   - a field is wrong, or an account names no household: *ValidationError;
//   - the database fails: an error, nothing written.
//
// PostTransfer runs inside the caller's transaction when called on a store
// bound to one (Idempotent's), so the transfer and the remembered answer
// commit together.
func (s *Store) PostTransfer(ctx context.Context, in TransferInput) (Transfer, error) {
	if err := validateTransfer(in); err != nil {
		return Transfer{}, err
	}
	var out Transfer
	err := s.tx(ctx, func(t *Store) error {
		var err error
		out, err = t.postTransfer(ctx, in)
		return err
	})
	return out, err
}

// postTransfer is PostTransfer inside a transaction.
func (s *Store) postTransfer(ctx context.Context, in TransferInput) (Transfer, error) {
	db := s.w.WithContext(ctx)
	accts, err := s.lockAccounts(ctx, in.From, in.To)
	if err != nil {
		return Transfer{}, err
	}
	from, to := accts[in.From], accts[in.To]
	now := s.now().UTC()
	// The conditional debit: on PostgreSQL the row is locked already, and
	// the condition is what makes an overdraft impossible even so.
	var fromBal, toBal int64
	res := db.Raw(`UPDATE manne_accounts SET balance_cents = balance_cents - ?, updated_at = ? WHERE seq = ? AND (kind = ? OR balance_cents >= ?) RETURNING balance_cents`,
		in.AmountCents, now, from.Seq, AccountIssuer, in.AmountCents).Scan(&fromBal)
	if res.Error != nil {
		return Transfer{}, dbErr(res.Error, "manne account", in.From)
	}
	if res.RowsAffected == 0 {
		var bal int64
		if err := db.Model(&ManneAccount{}).Select("balance_cents").Where("seq = ?", from.Seq).Scan(&bal).Error; err != nil {
			return Transfer{}, dbErr(err, "manne account", in.From)
		}
		return Transfer{}, &InsufficientFundsError{Account: in.From, BalanceCents: bal, AmountCents: in.AmountCents}
	}
	if err := db.Raw(`UPDATE manne_accounts SET balance_cents = balance_cents + ?, updated_at = ? WHERE seq = ? RETURNING balance_cents`,
		in.AmountCents, now, to.Seq).Scan(&toBal).Error; err != nil {
		return Transfer{}, dbErr(err, "manne account", in.To)
	}
	tr := ManneTransfer{FromSeq: from.Seq, ToSeq: to.Seq, AmountCents: in.AmountCents, Kind: in.Kind, Memo: in.Memo,
		WeekID: in.WeekID, ProducerID: in.ProducerID, Author: truncateRunes(in.Author, 100), CreatedAt: now}
	if err := db.Omit(clause.Associations).Create(&tr).Error; err != nil {
		return Transfer{}, dbErr(err, "manne transfer", "")
	}
	entries := []ManneEntry{
		{TransferSeq: tr.Seq, AccountSeq: from.Seq, AmountCents: -in.AmountCents, BalanceCents: fromBal, CreatedAt: now},
		{TransferSeq: tr.Seq, AccountSeq: to.Seq, AmountCents: in.AmountCents, BalanceCents: toBal, CreatedAt: now},
	}
	if err := db.Omit(clause.Associations).Create(&entries).Error; err != nil {
		return Transfer{}, dbErr(err, "manne entry", "")
	}
	return Transfer{Seq: tr.Seq, From: in.From, To: in.To, AmountCents: tr.AmountCents, Kind: tr.Kind, Memo: tr.Memo,
		WeekID: tr.WeekID, ProducerID: tr.ProducerID, Author: tr.Author, CreatedAt: now,
		FromBalanceCents: fromBal, ToBalanceCents: toBal}, nil
}

// lockAccounts returns the accounts with these ids, opening a household's
// account on its first transfer, and locks their rows on PostgreSQL in the
// order of their numbers, so two transfers never wait for each other in a
// cycle. A household id that names no household is a *ValidationError on
// "from" or "to". The usual case, both accounts open, is one query on
// SQLite (the single writer needs no lock) and two on PostgreSQL.
func (s *Store) lockAccounts(ctx context.Context, from, to string) (map[string]ManneAccount, error) {
	db := s.w.WithContext(ctx)
	ids := []string{from, to}
	read := func(lock bool) (map[string]ManneAccount, error) {
		q := db.Where("id IN ?", ids).Order("seq")
		if lock {
			q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
		}
		var rows []ManneAccount
		if err := q.Find(&rows).Error; err != nil {
			return nil, dbErr(err, "manne account", from)
		}
		out := make(map[string]ManneAccount, 2)
		for _, a := range rows {
			out[a.ID] = a
		}
		return out, nil
	}
	out, err := read(false)
	if err != nil {
		return nil, err
	}
	if len(out) < 2 {
		var p problems
		for i, id := range ids {
			if _, open := out[id]; open || id == AccountCollectif {
				continue
			}
			ok, err := exists[Household](ctx, s.w, id)
			if err != nil {
				return nil, err
			}
			if !ok {
				p = append(p, unknownRef([]string{"from", "to"}[i], "aucun foyer ne porte cet identifiant", "no household has this id"))
			}
		}
		if err := p.err(); err != nil {
			return nil, err
		}
		sorted := append([]string(nil), ids...)
		sort.Strings(sorted)
		for _, id := range sorted {
			if _, open := out[id]; !open {
				if err := s.openAccount(ctx, id); err != nil {
					return nil, err
				}
			}
		}
	}
	if len(out) < 2 || s.pg {
		if out, err = read(s.pg); err != nil {
			return nil, err
		}
	}
	if len(out) != 2 {
		return nil, fmt.Errorf("models: manne accounts %q, %q: not both found", from, to)
	}
	return out, nil
}

// openAccount creates the account with this id if it is missing: the
// collectif's, or a household's (which must exist).
func (s *Store) openAccount(ctx context.Context, id string) error {
	db := s.w.WithContext(ctx)
	var n int64
	if err := db.Model(&ManneAccount{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return dbErr(err, "manne account", id)
	}
	if n > 0 {
		return nil
	}
	now := s.now().UTC()
	a := ManneAccount{ID: id, Kind: AccountIssuer, CreatedAt: now, UpdatedAt: now}
	if id != AccountCollectif {
		h := id
		a.Kind, a.HouseholdID = AccountHousehold, &h
	}
	err := db.Omit(clause.Associations).Clauses(clause.OnConflict{DoNothing: true}).Create(&a).Error
	return fkProblem(dbErr(err, "manne account", id), "to", "aucun foyer ne porte cet identifiant", "no household has this id")
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// AccountBalance is an account with its balance and, for a household, the
// household's relay point and name (personal data).
type AccountBalance struct {
	ID           string
	Kind         string
	BalanceCents int64
	Anonymised   bool
	SiteID       string
	Name         string
	// Entries is how many entries the account has.
	Entries int64
	// OpenedAt is when its first transfer was posted; zero for an account
	// that has none yet.
	OpenedAt time.Time
}

// ListAccounts returns a page of the accounts that have had a transfer,
// ordered by id; site, when not empty, keeps that relay point's households.
func (s *Store) ListAccounts(ctx context.Context, site string, page Page) ([]AccountBalance, error) {
	q := s.r.WithContext(ctx).Table("manne_accounts a").
		Select("a.id, a.kind, a.balance_cents, a.anonymised, a.created_at AS opened_at, COALESCE(h.site_id, '') AS site_id, COALESCE(h.name, '') AS name, (SELECT COUNT(*) FROM manne_entries e WHERE e.account_seq = a.seq) AS entries").
		Joins("LEFT JOIN households h ON h.id = a.household_id").Order("a.id")
	if site != "" {
		q = q.Where("h.site_id = ?", site)
	}
	var rows []AccountBalance
	if err := page.apply(q).Scan(&rows).Error; err != nil {
		return nil, dbErr(err, "manne accounts", "")
	}
	if rows == nil {
		rows = []AccountBalance{}
	}
	return rows, nil
}

// GetAccount returns an account's balance: the collectif's, or a household's
// (zero, with no entries, before its first transfer). ErrNotFound when id
// names neither.
func (s *Store) GetAccount(ctx context.Context, id string) (AccountBalance, error) {
	var out AccountBalance
	err := s.snapshot(ctx, func(t *Store) error {
		var err error
		out, err = t.account(ctx, id)
		return err
	})
	return out, err
}

// account is GetAccount on the store's read side.
func (s *Store) account(ctx context.Context, id string) (AccountBalance, error) {
	db := s.r.WithContext(ctx)
	out := AccountBalance{ID: id, Kind: AccountIssuer}
	if id != AccountCollectif {
		h, err := get[Household](ctx, s.r, id)
		if err != nil {
			return AccountBalance{}, dbErr(err, "manne account", id)
		}
		out.Kind, out.SiteID, out.Name, out.Anonymised = AccountHousehold, h.SiteID, h.Name, h.Name == ErasedHouseholdName
	}
	var a ManneAccount
	if err := db.Where("id = ?", id).Limit(1).Find(&a).Error; err != nil {
		return AccountBalance{}, dbErr(err, "manne account", id)
	}
	if a.Seq != 0 {
		out.BalanceCents, out.Anonymised, out.OpenedAt = a.BalanceCents, a.Anonymised || out.Anonymised, a.CreatedAt
		if err := db.Model(&ManneEntry{}).Where("account_seq = ?", a.Seq).Count(&out.Entries).Error; err != nil {
			return AccountBalance{}, dbErr(err, "manne account", id)
		}
	}
	return out, nil
}

// AccountEntry is one entry of an account's statement: the transfer it
// belongs to, the other account, the signed amount and the balance after.
type AccountEntry struct {
	Seq          uint64
	TransferSeq  uint64
	At           time.Time
	Kind         string
	Counterparty string
	AmountCents  int64
	BalanceCents int64
	Memo         string
	WeekID       string
	ProducerID   string
}

// EntryFilter narrows an account's entries to [From, To) (zero times do not
// bound) and orders them latest first unless Oldest.
type EntryFilter struct {
	From, To time.Time
	Oldest   bool
}

// ListEntries returns a page of an account's entries. ErrNotFound when the
// account names no household and is not the collectif's.
func (s *Store) ListEntries(ctx context.Context, id string, f EntryFilter, page Page) ([]AccountEntry, error) {
	var out []AccountEntry
	err := s.snapshot(ctx, func(t *Store) error {
		if _, err := t.account(ctx, id); err != nil {
			return err
		}
		var err error
		out, err = t.entries(ctx, id, f, &page)
		return err
	})
	return out, err
}

// entries reads an account's entries on the read side; a nil page reads
// them all.
func (s *Store) entries(ctx context.Context, id string, f EntryFilter, page *Page) ([]AccountEntry, error) {
	q := s.r.WithContext(ctx).Table("manne_entries e").
		Select(`e.seq, e.transfer_seq, e.created_at AS at, t.kind, o.id AS counterparty, e.amount_cents, e.balance_cents, t.memo, t.week_id, t.producer_id`).
		Joins("JOIN manne_accounts a ON a.seq = e.account_seq").
		Joins("JOIN manne_transfers t ON t.seq = e.transfer_seq").
		Joins("JOIN manne_accounts o ON o.seq = CASE WHEN t.from_seq = e.account_seq THEN t.to_seq ELSE t.from_seq END").
		Where("a.id = ?", id)
	if !f.From.IsZero() {
		q = q.Where("e.created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("e.created_at < ?", f.To.UTC())
	}
	if f.Oldest {
		q = q.Order("e.seq")
	} else {
		q = q.Order("e.seq DESC")
	}
	if page != nil {
		q = page.apply(q)
	}
	var rows []AccountEntry
	if err := q.Scan(&rows).Error; err != nil {
		return nil, dbErr(err, "manne entries", id)
	}
	if rows == nil {
		rows = []AccountEntry{}
	}
	return rows, nil
}

// Statement is an account's statement over a period: the balance before
// its first entry, every entry of the period oldest first, and the balance
// after the last.
type Statement struct {
	Account        AccountBalance
	From, To       time.Time // zero: unbounded
	OpeningCents   int64
	ClosingCents   int64
	Entries        []AccountEntry
	CreditsCents   int64
	DebitsCents    int64
	GeneratedAtUTC time.Time
}

// AccountStatement returns the statement of an account over [from, to)
// (zero times do not bound), read in one snapshot. ErrNotFound as
// GetAccount.
func (s *Store) AccountStatement(ctx context.Context, id string, from, to time.Time) (Statement, error) {
	st := Statement{From: from, To: to, GeneratedAtUTC: s.now().UTC()}
	err := s.snapshot(ctx, func(t *Store) error {
		var err error
		if st.Account, err = t.account(ctx, id); err != nil {
			return err
		}
		if st.Entries, err = t.entries(ctx, id, EntryFilter{From: from, To: to, Oldest: true}, nil); err != nil {
			return err
		}
		if !from.IsZero() {
			var before int64
			err := t.r.WithContext(ctx).Table("manne_entries e").Joins("JOIN manne_accounts a ON a.seq = e.account_seq").
				Where("a.id = ? AND e.created_at < ?", id, from.UTC()).Select("COALESCE(SUM(e.amount_cents), 0)").Scan(&before).Error
			if err != nil {
				return dbErr(err, "manne statement", id)
			}
			st.OpeningCents = before
		}
		return nil
	})
	if err != nil {
		return Statement{}, err
	}
	st.ClosingCents = st.OpeningCents
	for _, e := range st.Entries {
		st.ClosingCents += e.AmountCents
		if e.AmountCents > 0 {
			st.CreditsCents += e.AmountCents
		} else {
			st.DebitsCents -= e.AmountCents
		}
	}
	return st, nil
}

// KindTotals is what moved by one kind of transfer in a report's period:
// Issued from the collectif to households, Spent from households to the
// collectif, Between households (corrections only).
type KindTotals struct {
	Kind          string
	IssuedCents   int64
	SpentCents    int64
	BetweenCents  int64
	TransferCount int64
}

// AccountMismatch is an account whose stored balance differs from the sum
// of its entries: the ledger's check failed for it.
type AccountMismatch struct {
	ID           string
	BalanceCents int64
	EntriesCents int64
}

// ManneReport is the ledger's report over a period ([From, To), both zero
// for everything since the start).
type ManneReport struct {
	From, To time.Time
	ByKind   []KindTotals
	// IssuedCents and SpentCents total ByKind; CirculationCents is what
	// households held at the end of the period (minus the collectif's
	// balance then).
	IssuedCents, SpentCents, CirculationCents int64
	// SumOfBalancesCents is the sum of every account's balance now, which
	// double entry keeps at zero.
	SumOfBalancesCents int64
	// AccountsChecked accounts had their balance compared with the sum of
	// their entries; Mismatches lists those that differ, and
	// UnbalancedTransfers counts transfers whose entries do not cancel out.
	AccountsChecked     int64
	Mismatches          []AccountMismatch
	UnbalancedTransfers int64
	NegativeHouseholds  int64
}

// ManneReport builds the ledger's report over [from, to) (zero times do not
// bound), read in one snapshot, with the checks of the whole ledger.
func (s *Store) ManneReport(ctx context.Context, from, to time.Time) (ManneReport, error) {
	rep := ManneReport{From: from, To: to}
	err := s.snapshot(ctx, func(t *Store) error {
		db := t.r.WithContext(ctx)
		period := func(q *gorm.DB, col string) *gorm.DB {
			if !from.IsZero() {
				q = q.Where(col+" >= ?", from.UTC())
			}
			if !to.IsZero() {
				q = q.Where(col+" < ?", to.UTC())
			}
			return q
		}
		var rows []struct {
			Kind       string
			FromKind   string
			ToKind     string
			Cents, Num int64
		}
		q := db.Table("manne_transfers t").
			Select("t.kind, f.kind AS from_kind, o.kind AS to_kind, SUM(t.amount_cents) AS cents, COUNT(*) AS num").
			Joins("JOIN manne_accounts f ON f.seq = t.from_seq").Joins("JOIN manne_accounts o ON o.seq = t.to_seq").
			Group("t.kind, f.kind, o.kind")
		if err := period(q, "t.created_at").Scan(&rows).Error; err != nil {
			return dbErr(err, "manne report", "")
		}
		byKind := map[string]*KindTotals{}
		for _, k := range TransferKinds {
			rep.ByKind = append(rep.ByKind, KindTotals{Kind: k})
		}
		for i := range rep.ByKind {
			byKind[rep.ByKind[i].Kind] = &rep.ByKind[i]
		}
		for _, r := range rows {
			kt := byKind[r.Kind]
			if kt == nil {
				rep.ByKind = append(rep.ByKind, KindTotals{Kind: r.Kind})
				kt = &rep.ByKind[len(rep.ByKind)-1]
				byKind[r.Kind] = kt
			}
			kt.TransferCount += r.Num
			switch {
			case r.FromKind == AccountIssuer:
				kt.IssuedCents += r.Cents
				rep.IssuedCents += r.Cents
			case r.ToKind == AccountIssuer:
				kt.SpentCents += r.Cents
				rep.SpentCents += r.Cents
			default:
				kt.BetweenCents += r.Cents
			}
		}
		var issuer int64
		q = db.Table("manne_entries e").Joins("JOIN manne_accounts a ON a.seq = e.account_seq").
			Where("a.kind = ?", AccountIssuer).Select("COALESCE(SUM(e.amount_cents), 0)")
		if !to.IsZero() {
			q = q.Where("e.created_at < ?", to.UTC())
		}
		if err := q.Scan(&issuer).Error; err != nil {
			return dbErr(err, "manne report", "")
		}
		rep.CirculationCents = -issuer
		if err := db.Model(&ManneAccount{}).Select("COALESCE(SUM(balance_cents), 0)").Scan(&rep.SumOfBalancesCents).Error; err != nil {
			return dbErr(err, "manne report", "")
		}
		if err := db.Model(&ManneAccount{}).Count(&rep.AccountsChecked).Error; err != nil {
			return dbErr(err, "manne report", "")
		}
		if err := db.Model(&ManneAccount{}).Where("kind = ? AND balance_cents < 0", AccountHousehold).Count(&rep.NegativeHouseholds).Error; err != nil {
			return dbErr(err, "manne report", "")
		}
		if err := db.Raw(`SELECT a.id, a.balance_cents, COALESCE(s.total, 0) AS entries_cents FROM manne_accounts a
			LEFT JOIN (SELECT account_seq, SUM(amount_cents) AS total FROM manne_entries GROUP BY account_seq) s ON s.account_seq = a.seq
			WHERE a.balance_cents <> COALESCE(s.total, 0) ORDER BY a.id`).Scan(&rep.Mismatches).Error; err != nil {
			return dbErr(err, "manne report", "")
		}
		return dbErr(db.Raw(`SELECT COUNT(*) FROM manne_transfers t WHERE
			(SELECT COUNT(*) FROM manne_entries e WHERE e.transfer_seq = t.seq) <> 2 OR
			(SELECT COALESCE(SUM(e.amount_cents), 0) FROM manne_entries e WHERE e.transfer_seq = t.seq) <> 0 OR
			NOT EXISTS (SELECT 1 FROM manne_entries e WHERE e.transfer_seq = t.seq AND e.account_seq = t.to_seq AND e.amount_cents = t.amount_cents)`).
			Scan(&rep.UnbalancedTransfers).Error, "manne report", "")
	})
	if err != nil {
		return ManneReport{}, err
	}
	if rep.Mismatches == nil {
		rep.Mismatches = []AccountMismatch{}
	}
	return rep, nil
}

// Balanced says whether the report's checks all passed.
func (r ManneReport) Balanced() bool {
	return r.SumOfBalancesCents == 0 && len(r.Mismatches) == 0 && r.UnbalancedTransfers == 0 && r.NegativeHouseholds == 0
}

// GetTransfer returns one transfer by number, or ErrNotFound.
func (s *Store) GetTransfer(ctx context.Context, seq uint64) (Transfer, error) {
	var row struct {
		ManneTransfer
		FromID, ToID string
	}
	err := s.r.WithContext(ctx).Table("manne_transfers t").Select("t.*, f.id AS from_id, o.id AS to_id").
		Joins("JOIN manne_accounts f ON f.seq = t.from_seq").Joins("JOIN manne_accounts o ON o.seq = t.to_seq").
		Where("t.seq = ?", seq).Take(&row).Error
	if err != nil {
		return Transfer{}, dbErr(err, "manne transfer", fmt.Sprint(seq))
	}
	t := row.ManneTransfer
	return Transfer{Seq: t.Seq, From: row.FromID, To: row.ToID, AmountCents: t.AmountCents, Kind: t.Kind, Memo: t.Memo,
		WeekID: t.WeekID, ProducerID: t.ProducerID, Author: t.Author, CreatedAt: t.CreatedAt}, nil
}

// anonymiseAccount renames an erased household's account to its new id,
// marks it anonymised and clears the memos of its transfers (free text a
// person may have typed a name into); amounts, kinds and dates stay, so the
// ledger still sums to zero and its report is unchanged. It runs inside
// EraseHousehold's transaction, after the new household row is written and
// before the old one is removed.
func (t *Store) anonymiseAccount(ctx context.Context, oldID, newID string) error {
	db := t.w.WithContext(ctx)
	var a ManneAccount
	if err := db.Where("household_id = ?", oldID).Limit(1).Find(&a).Error; err != nil {
		return dbErr(err, "manne account", oldID)
	}
	if a.Seq == 0 {
		return nil
	}
	if err := db.Model(&ManneAccount{}).Where("seq = ?", a.Seq).
		Updates(map[string]any{"id": newID, "household_id": newID, "anonymised": true, "updated_at": t.now().UTC()}).Error; err != nil {
		return dbErr(err, "manne account", oldID)
	}
	err := db.Model(&ManneTransfer{}).Where("(from_seq = ? OR to_seq = ?) AND memo <> ''", a.Seq, a.Seq).Update("memo", "").Error
	return dbErr(err, "manne account", oldID)
}

// MayPostTransfer says whether a token (role, scope) may post a transfer of
// kind whose paying account belongs to a household of the relay point
// fromSite ("" for the collectif): garden credits are the service's alone;
// work and corrections are the coordinator's; a basket payment the
// coordinator's or the paying household's relay manager's. It answers the
// field at fault ("kind" or "from"), "" when allowed. The API and the pages
// both ask it.
func MayPostTransfer(role, scope, kind, fromSite string) string {
	switch {
	case kind == TransferGarden:
		return "kind"
	case role == RoleCoordinator:
		return ""
	case role != RoleRelay || kind != TransferBasket:
		return "kind"
	case fromSite != scope:
		return "from"
	}
	return ""
}

// MayReadAccount says whether a token (role, scope) may read an account
// whose household is at the relay point site ("" for the collectif): the
// coordinator every account, a relay manager its own households'.
func MayReadAccount(role, scope, site string) bool {
	return role == RoleCoordinator || role == RoleRelay && site != "" && site == scope
}

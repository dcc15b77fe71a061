package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/internal/period"
	"paniers/models"
	"paniers/planner/sheets"
)

// The MANNE, the town's local currency (models/manne.go): transfers between
// accounts, the accounts' balances and statements, and the ledger's report.
// Who does what:
//   - garden credits are written by the publication only;
//   - work and correction transfers are the coordinator's;
//   - a basket payment (a household pays the collectif) the coordinator's or
//     the household's relay manager's;
//   - the coordinator reads every account and the report; a relay manager
//     its own households' accounts and statements.
//
// A transfer needs an Idempotency-Key: a payment retried after a lost
// answer must not be paid twice.

// manneStore is what the MANNE routes need from the store.
type manneStore interface {
	GetHousehold(ctx context.Context, id string) (models.Household, error)
	GetSite(ctx context.Context, id string) (models.Site, error)
	PostTransfer(ctx context.Context, in models.TransferInput) (models.Transfer, error)
	GetTransfer(ctx context.Context, seq uint64) (models.Transfer, error)
	ListAccounts(ctx context.Context, site string, page models.Page) ([]models.AccountBalance, error)
	GetAccount(ctx context.Context, id string) (models.AccountBalance, error)
	ListEntries(ctx context.Context, id string, f models.EntryFilter, page models.Page) ([]models.AccountEntry, error)
	AccountStatement(ctx context.Context, id string, from, to time.Time) (models.Statement, error)
	ManneReport(ctx context.Context, from, to time.Time) (models.ManneReport, error)
}

var _ manneStore = (*models.Store)(nil)

// transferWriter is the part of manneStore a transfer writes through: the
// transaction-bound store Idempotent hands over.
type transferWriter interface {
	PostTransfer(ctx context.Context, in models.TransferInput) (models.Transfer, error)
}

func (s *Server) registerManne(v1 *gin.RouterGroup) {
	coord := s.requireRole()
	relay := s.requireRole(models.RoleRelay)
	v1.POST("/manne/transfers", relay, s.handle(s.postTransfer))
	v1.GET("/manne/transfers/:transfer", relay, s.handle(s.getTransfer))
	v1.GET("/manne/accounts", coord, s.handle(s.listAccounts))
	v1.GET("/manne/accounts/:account", relay, s.handle(s.getAccount))
	v1.GET("/manne/accounts/:account/:file", relay, s.handle(s.getStatement))
	v1.GET("/manne/report", coord, s.handle(s.getManneReport))
	v1.GET("/manne/report.csv", coord, s.handle(s.getManneReportCSV))
}

var errNoManne = errKind(kindUnavailable, text{FR: "La MANNE n'est pas disponible sur ce service.", EN: "The MANNE is not available on this service."})

// manne returns the store's MANNE side, or a 503 when the store lacks it.
func (s *Server) manne() (manneStore, error) {
	ms, ok := s.store.(manneStore)
	if !ok {
		return nil, errNoManne
	}
	return ms, nil
}

// transferRequest is the body of POST /manne/transfers.
type transferRequest struct {
	From        *string `json:"from"`
	To          *string `json:"to"`
	AmountCents *int64  `json:"amount_cents"`
	Kind        *string `json:"kind"`
	Memo        string  `json:"memo"`
}

// transferBody is a transfer as the API shows it.
type transferBody struct {
	ID          string `json:"id"`
	From        string `json:"from"`
	To          string `json:"to"`
	AmountCents int64  `json:"amount_cents"`
	Kind        string `json:"kind"`
	Memo        string `json:"memo"`
	Week        string `json:"week,omitempty"`
	Producer    string `json:"producer,omitempty"`
	CreatedAt   string `json:"created_at"`
}

func (s *Server) toTransfer(t models.Transfer) transferBody {
	return transferBody{ID: strconv.FormatUint(t.Seq, 10), From: t.From, To: t.To, AmountCents: t.AmountCents, Kind: t.Kind,
		Memo: t.Memo, Week: t.WeekID, Producer: t.ProducerID, CreatedAt: s.formatInstant(t.CreatedAt)}
}

// manneAmount prints cents as MANNE in the two languages, as the
// statements do: "12,50 MANNE" / "12.50 MANNE".
func manneAmount(cents int64) text {
	return text{FR: sheets.WordsFor(langFR).Manne(cents), EN: sheets.WordsFor(langEN).Manne(cents)}
}

// insufficientFunds is the 409 of a payment larger than the balance: it
// names the balance in its detail and in balance_cents.
func insufficientFunds(e *models.InsufficientFundsError) *Error {
	bal, amt := manneAmount(e.BalanceCents), manneAmount(e.AmountCents)
	err := errKind(kindInsufficientFunds, text{
		FR: fmt.Sprintf("Solde insuffisant : le compte %s a %s (%d centimes), le virement demande %s.", e.Account, bal.FR, e.BalanceCents, amt.FR),
		EN: fmt.Sprintf("Insufficient funds: account %s holds %s (%d cents), the transfer asks for %s.", e.Account, bal.EN, e.BalanceCents, amt.EN)},
		FieldError{Field: "amount_cents", Reason: textf("au-delà du solde (%d centimes)", "more than the balance (%d cents)", e.BalanceCents)})
	err.Extra = map[string]any{"account": e.Account, "balance_cents": e.BalanceCents, "amount_cents": e.AmountCents}
	return err
}

// transferActorError is the 403 of a transfer the token may not post.
func transferActorError(field, kind string) *Error {
	e := forbidden(text{FR: "Ce jeton ne peut pas passer ce virement.", EN: "This token cannot post this transfer."})
	switch {
	case field == "kind" && kind == models.TransferGarden:
		e.Fields = []FieldError{{Field: "kind", Reason: text{FR: "les crédits des jardins sont écrits par le service à la publication", EN: "garden credits are written by the service when a week is published"}}}
	case field == "kind":
		e.Fields = []FieldError{{Field: "kind", Reason: text{FR: "réservé au coordinateur (un point relais n'enregistre que des paiements de paniers)", EN: "coordinator only (a relay point only records basket payments)"}}}
	default:
		e.Fields = []FieldError{{Field: "from", Reason: text{FR: "foyer hors du point relais du jeton", EN: "household outside the token's relay point"}}}
	}
	return e
}

// validKind says whether k is a kind of transfer.
func validKind(k string) bool {
	for _, x := range models.TransferKinds {
		if x == k {
			return true
		}
	}
	return false
}

// postTransfer posts a transfer: 201 with it, at most once per
// Idempotency-Key.
func (s *Server) postTransfer(c *gin.Context) error {
	ms, err := s.manne()
	if err != nil {
		return err
	}
	if _, present := c.Request.Header["Idempotency-Key"]; !present {
		return errKind(kindBadRequest, text{FR: "En-tête Idempotency-Key obligatoire pour un virement.", EN: "An Idempotency-Key header is required for a transfer."},
			FieldError{Field: "Idempotency-Key", Reason: text{FR: "obligatoire : une valeur unique par virement, réutilisée telle quelle pour le renvoyer", EN: "required: one unique value per transfer, sent again as it is with a retry"}})
	}
	var req transferRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	var v checker
	required(&v, "from", req.From)
	required(&v, "to", req.To)
	required(&v, "amount_cents", req.AmountCents)
	required(&v, "kind", req.Kind)
	if err := v.err(); err != nil {
		return err
	}
	p := mustPrincipal(c)
	if validKind(*req.Kind) {
		fromSite := ""
		if *req.From != models.AccountCollectif && models.ValidID(*req.From) {
			if h, err := ms.GetHousehold(c.Request.Context(), *req.From); err == nil {
				fromSite = h.SiteID
			} else if !errors.Is(err, models.ErrNotFound) {
				return err
			}
		}
		if field := models.MayPostTransfer(p.Role, p.Scope, *req.Kind, fromSite); field != "" {
			return transferActorError(field, *req.Kind)
		}
	}
	in := models.TransferInput{From: *req.From, To: *req.To, AmountCents: *req.AmountCents, Kind: *req.Kind, Memo: req.Memo,
		Author: "token " + p.TokenID + " " + p.Role}
	return s.idempotentWrite(c, "POST /api/v1/manne/transfers", req, func(ctx context.Context, st weekWriter) (written, error) {
		tw, ok := st.(transferWriter)
		if !ok {
			return written{}, errNoManne
		}
		tr, err := tw.PostTransfer(ctx, in)
		if err != nil {
			return written{}, manneError(err)
		}
		return newWritten(http.StatusCreated, "/api/v1/manne/transfers/"+strconv.FormatUint(tr.Seq, 10), s.toTransfer(tr))
	})
}

// manneError turns the ledger's refusals into API errors.
func manneError(err error) error {
	var short *models.InsufficientFundsError
	if errors.As(err, &short) {
		return insufficientFunds(short)
	}
	return err
}

// transferParam reads the {transfer} path parameter.
func transferParam(c *gin.Context) (uint64, error) {
	raw := c.Param("transfer")
	n, err := strconv.ParseUint(raw, 10, 63) // the database holds signed 64-bit integers
	if err != nil || n == 0 {
		return 0, errKind(kindBadRequest, text{FR: "Identifiant invalide.", EN: "Invalid id."},
			FieldError{Field: "transfer", Reason: textf("numéro de virement attendu (reçu %q)", "transfer number expected (got %q)", truncate(raw, 40))})
	}
	return n, nil
}

// getTransfer answers one transfer: the coordinator any, a relay manager one
// touching a household of its relay point (403 otherwise).
func (s *Server) getTransfer(c *gin.Context) error {
	ms, err := s.manne()
	if err != nil {
		return err
	}
	seq, err := transferParam(c)
	if err != nil {
		return err
	}
	tr, err := ms.GetTransfer(c.Request.Context(), seq)
	if err != nil {
		return notFoundAs(err, "transfer", nameTransfer, c.Param("transfer"))
	}
	if !s.mayReadAny(c, ms, tr.From, tr.To) {
		return errOtherAccount("transfer")
	}
	ok(c, s.toTransfer(tr))
	return nil
}

// accountSite returns the relay point of an account's household, "" for the
// collectif or an unknown account.
func accountSite(ctx context.Context, ms manneStore, id string) (string, error) {
	if id == models.AccountCollectif {
		return "", nil
	}
	h, err := ms.GetHousehold(ctx, id)
	if errors.Is(err, models.ErrNotFound) {
		return "", nil
	}
	return h.SiteID, err
}

// mayReadAny says whether the caller may read one of these accounts.
func (s *Server) mayReadAny(c *gin.Context, ms manneStore, ids ...string) bool {
	p := mustPrincipal(c)
	for _, id := range ids {
		site, err := accountSite(c.Request.Context(), ms, id)
		if err == nil && models.MayReadAccount(p.Role, p.Scope, site) {
			return true
		}
	}
	return false
}

// accountBody is an account with its balance.
type accountBody struct {
	ID           string `json:"id"`
	Kind         string `json:"kind"`
	BalanceCents int64  `json:"balance_cents"`
	Site         string `json:"site,omitempty"`
	Name         string `json:"name,omitempty"`
	Anonymised   bool   `json:"anonymised"`
	EntryCount   int64  `json:"entry_count"`
}

func toAccount(a models.AccountBalance) accountBody {
	return accountBody{ID: a.ID, Kind: a.Kind, BalanceCents: a.BalanceCents, Site: a.SiteID, Name: a.Name, Anonymised: a.Anonymised, EntryCount: a.Entries}
}

// entryBody is one entry of an account.
type entryBody struct {
	ID           string `json:"id"`
	Transfer     string `json:"transfer"`
	At           string `json:"at"`
	Kind         string `json:"kind"`
	Counterparty string `json:"counterparty"`
	AmountCents  int64  `json:"amount_cents"`
	BalanceCents int64  `json:"balance_cents"`
	Memo         string `json:"memo"`
	Week         string `json:"week,omitempty"`
	Producer     string `json:"producer,omitempty"`
}

func (s *Server) toEntry(e models.AccountEntry) entryBody {
	return entryBody{ID: strconv.FormatUint(e.Seq, 10), Transfer: strconv.FormatUint(e.TransferSeq, 10), At: s.formatInstant(e.At),
		Kind: e.Kind, Counterparty: e.Counterparty, AmountCents: e.AmountCents, BalanceCents: e.BalanceCents, Memo: e.Memo,
		Week: e.WeekID, Producer: e.ProducerID}
}

// listAccounts answers a page of the accounts that have had a transfer,
// by id; ?site= keeps one relay point's households.
func (s *Server) listAccounts(c *gin.Context) error {
	ms, err := s.manne()
	if err != nil {
		return err
	}
	site, err := optionalID(c.Query, "site")
	if err != nil {
		return err
	}
	return listOf(c, func(pg models.Page) ([]models.AccountBalance, error) {
		return ms.ListAccounts(c.Request.Context(), site, pg)
	}, toAccount)
}

// errOtherAccount is the 403 of a relay manager reaching for an account
// that is not one of its households'.
func errOtherAccount(field string) *Error {
	e := forbidden(text{FR: "Ce jeton ne lit que les comptes des foyers de son point relais.", EN: "This token only reads the accounts of its relay point's households."})
	e.Fields = []FieldError{{Field: field, Reason: text{FR: "compte hors du périmètre du jeton", EN: "account outside the token's scope"}}}
	return e
}

// readableAccount reads the {account} path parameter and checks the caller
// may read it: 404 for an account that does not exist or a household's the
// caller may not see (it cannot tell the two apart), 403 for the
// collectif's.
func (s *Server) readableAccount(c *gin.Context, ms manneStore) (models.AccountBalance, error) {
	id, err := idParam(c, "account")
	if err != nil {
		return models.AccountBalance{}, err
	}
	a, err := ms.GetAccount(c.Request.Context(), id)
	if err != nil {
		return models.AccountBalance{}, notFoundAs(err, "account", nameAccount, id)
	}
	if p := mustPrincipal(c); !models.MayReadAccount(p.Role, p.Scope, a.SiteID) {
		if a.Kind == models.AccountHousehold {
			// Another relay point's household: as if it did not exist,
			// so household ids (personal data) cannot be probed.
			return models.AccountBalance{}, notFoundAs(models.ErrNotFound, "account", nameAccount, id)
		}
		return models.AccountBalance{}, errOtherAccount("account")
	}
	return a, nil
}

// accountPage is an account with a page of its entries, the latest first:
// the list envelope of the entries with the account's fields beside it.
type accountPage struct {
	accountBody
	listBody[entryBody]
}

// getAccount answers an account's balance and a page of its entries, the
// latest first; ?from= and ?to= (dates, both included) bound them.
func (s *Server) getAccount(c *gin.Context) error {
	ms, err := s.manne()
	if err != nil {
		return err
	}
	a, err := s.readableAccount(c, ms)
	if err != nil {
		return err
	}
	from, to, err := s.periodQuery(c)
	if err != nil {
		return err
	}
	pg, err := parsePage(c)
	if err != nil {
		return err
	}
	rows, err := ms.ListEntries(c.Request.Context(), a.ID, models.EntryFilter{From: from, To: to}, pg.store())
	if err != nil {
		return notFoundAs(err, "account", nameAccount, a.ID)
	}
	ok(c, accountPage{accountBody: toAccount(a), listBody: pageOf(c, pg, rows, s.toEntry)})
	return nil
}

// periodQuery reads ?from= and ?to=, dates YYYY-MM-DD in the collective's
// time zone, both included and each optional: [from 00:00, the day after
// to 00:00). Zero times when absent.
func (s *Server) periodQuery(c *gin.Context) (from, to time.Time, err error) {
	p, err := readPeriod(c, period.Options{Location: s.loc})
	return p.Start, p.End, err
}

// readPeriod reads ?from= and ?to= (period.Parse): 400 naming the
// parameter when refused.
func readPeriod(c *gin.Context, o period.Options) (period.Period, error) {
	p, probs := period.Parse(c.Query("from"), c.Query("to"), o)
	if len(probs) == 0 {
		return p, nil
	}
	var v checker
	for _, pr := range probs {
		v.add(pr.Field, pr.Reason)
	}
	return p, v.queryErr()
}

// getStatement renders an account's statement, statement.pdf or
// statement.csv, over ?from= to ?to= (everything by default).
func (s *Server) getStatement(c *gin.Context) error {
	ms, err := s.manne()
	if err != nil {
		return err
	}
	format := ""
	switch c.Param("file") {
	case "statement.pdf":
		format = sheets.FormatPDF
	case "statement.csv":
		format = sheets.FormatCSV
	default:
		return errKind(kindNotFound, text{FR: "Document introuvable.", EN: "Document not found."},
			FieldError{Field: "file", Reason: textf("statement.pdf ou statement.csv attendu (reçu %q)", "statement.pdf or statement.csv expected (got %q)", truncate(c.Param("file"), 40))})
	}
	a, err := s.readableAccount(c, ms)
	if err != nil {
		return err
	}
	from, to, err := s.periodQuery(c)
	if err != nil {
		return err
	}
	sep, err := sepQuery(c)
	if err != nil {
		return err
	}
	st, err := ms.AccountStatement(c.Request.Context(), a.ID, from, to)
	if err != nil {
		return notFoundAs(err, "account", nameAccount, a.ID)
	}
	in := sheets.Statement{Account: a.ID, Holder: a.Name, From: from, To: to, AsOf: st.GeneratedAtUTC.In(s.loc),
		OpeningCents: st.OpeningCents, ClosingCents: st.ClosingCents, CreditsCents: st.CreditsCents, DebitsCents: st.DebitsCents,
		Lang: language(c), Sep: sep}
	if a.SiteID != "" {
		if site, err := ms.GetSite(c.Request.Context(), a.SiteID); err == nil {
			in.Site = site.Name
		}
	}
	for _, e := range st.Entries {
		in.Entries = append(in.Entries, sheets.StatementEntry{Transfer: e.TransferSeq, At: e.At.In(s.loc), Kind: e.Kind,
			Counterparty: e.Counterparty, Memo: e.Memo, Week: e.WeekID, AmountCents: e.AmountCents, BalanceCents: e.BalanceCents})
	}
	doc, err := sheets.RenderStatement(in, format)
	if err != nil {
		return err
	}
	sendDoc(c, doc)
	return nil
}

// manneReportBody is the ledger's report.
type manneReportBody struct {
	Month              string          `json:"month,omitempty"`
	From               string          `json:"from,omitempty"`
	To                 string          `json:"to,omitempty"`
	ByKind             []kindTotalBody `json:"by_kind"`
	IssuedCents        int64           `json:"issued_cents"`
	SpentCents         int64           `json:"spent_cents"`
	CirculationCents   int64           `json:"circulation_cents"`
	SumOfBalancesCents int64           `json:"sum_of_balances_cents"`
	Check              manneCheckBody  `json:"check"`
}

type kindTotalBody struct {
	Kind         string `json:"kind"`
	IssuedCents  int64  `json:"issued_cents"`
	SpentCents   int64  `json:"spent_cents"`
	BetweenCents int64  `json:"between_households_cents"`
	Transfers    int64  `json:"transfers"`
}

// manneCheckBody is the ledger's check: every account's balance against
// the sum of its entries, every transfer against its two entries.
type manneCheckBody struct {
	OK                  bool           `json:"ok"`
	AccountsChecked     int64          `json:"accounts_checked"`
	Mismatches          []mismatchBody `json:"mismatches"`
	UnbalancedTransfers int64          `json:"unbalanced_transfers"`
	NegativeHouseholds  int64          `json:"negative_households"`
}

type mismatchBody struct {
	Account      string `json:"account"`
	BalanceCents int64  `json:"balance_cents"`
	EntriesCents int64  `json:"entries_cents"`
}

// monthQuery reads ?month=YYYY-MM: its first instant and the next month's,
// in the collective's time zone; zero times without it.
func (s *Server) monthQuery(c *gin.Context) (string, time.Time, time.Time, error) {
	raw, present := c.GetQuery("month")
	if !present {
		return "", time.Time{}, time.Time{}, nil
	}
	m, err := time.ParseInLocation("2006-01", raw, s.loc)
	if err != nil || m.Year() < 2000 || m.Year() > 2999 {
		return "", time.Time{}, time.Time{}, errKind(kindBadRequest, text{FR: "Paramètre invalide.", EN: "Invalid parameter."},
			FieldError{Field: "month", Reason: textf("mois AAAA-MM attendu, comme 2026-11 (reçu %q)", "month YYYY-MM expected, such as 2026-11 (got %q)", truncate(raw, 20))})
	}
	return raw, m, m.AddDate(0, 1, 0), nil
}

// manneReport reads the report asked for.
func (s *Server) manneReport(c *gin.Context) (string, models.ManneReport, error) {
	ms, err := s.manne()
	if err != nil {
		return "", models.ManneReport{}, err
	}
	month, from, to, err := s.monthQuery(c)
	if err != nil {
		return "", models.ManneReport{}, err
	}
	rep, err := ms.ManneReport(c.Request.Context(), from, to)
	return month, rep, err
}

func (s *Server) getManneReport(c *gin.Context) error {
	month, rep, err := s.manneReport(c)
	if err != nil {
		return err
	}
	out := manneReportBody{Month: month, IssuedCents: rep.IssuedCents, SpentCents: rep.SpentCents, CirculationCents: rep.CirculationCents,
		SumOfBalancesCents: rep.SumOfBalancesCents, ByKind: []kindTotalBody{},
		Check: manneCheckBody{OK: rep.Balanced(), AccountsChecked: rep.AccountsChecked, Mismatches: []mismatchBody{},
			UnbalancedTransfers: rep.UnbalancedTransfers, NegativeHouseholds: rep.NegativeHouseholds}}
	if month != "" {
		out.From, out.To = s.formatInstant(rep.From), s.formatInstant(rep.To)
	}
	for _, k := range rep.ByKind {
		out.ByKind = append(out.ByKind, kindTotalBody{Kind: k.Kind, IssuedCents: k.IssuedCents, SpentCents: k.SpentCents, BetweenCents: k.BetweenCents, Transfers: k.TransferCount})
	}
	for _, m := range rep.Mismatches {
		out.Check.Mismatches = append(out.Check.Mismatches, mismatchBody{Account: m.ID, BalanceCents: m.BalanceCents, EntriesCents: m.EntriesCents})
	}
	ok(c, out)
	return nil
}

func (s *Server) getManneReportCSV(c *gin.Context) error {
	sep, err := sepQuery(c)
	if err != nil {
		return err
	}
	month, rep, err := s.manneReport(c)
	if err != nil {
		return err
	}
	in := sheets.ManneReport{Period: month, IssuedCents: rep.IssuedCents, SpentCents: rep.SpentCents, CirculationCents: rep.CirculationCents,
		SumOfBalancesCents: rep.SumOfBalancesCents, AccountsChecked: rep.AccountsChecked, Mismatches: len(rep.Mismatches),
		Balanced: rep.Balanced(), Lang: language(c), Sep: sep}
	for _, k := range rep.ByKind {
		in.Kinds = append(in.Kinds, sheets.ManneKindTotals{Kind: k.Kind, IssuedCents: k.IssuedCents, SpentCents: k.SpentCents, Between: k.BetweenCents, Transfers: k.TransferCount})
	}
	doc, err := sheets.RenderManneReport(in, sheets.FormatCSV)
	if err != nil {
		return err
	}
	sendDoc(c, doc)
	return nil
}

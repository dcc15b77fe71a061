package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
	"paniers/planner/sheets"
)

// The MANNE at the counter: the checklist shows each household's balance,
// and a household holding MANNE pays its basket with it there (a basket
// transfer from the household to the collectif). The payment goes through
// the same functions as POST /api/v1/manne/transfers: models.MayPostTransfer
// for who may pay for whom, models.Store.PostTransfer inside Idempotent, so
// a form sent twice (a double tap, a reload) pays once.

const pathManne = "/relais/manne"

// manneStore is what the MANNE forms need from the store; *models.Store
// satisfies it.
type manneStore interface {
	ListAccounts(ctx context.Context, site string, page models.Page) ([]models.AccountBalance, error)
	GetTransfer(ctx context.Context, seq uint64) (models.Transfer, error)
	GetAccount(ctx context.Context, id string) (models.AccountBalance, error)
	Idempotent(ctx context.Context, k models.IdemKey, write func(context.Context, models.IdemWriter) (models.IdemResponse, error)) (models.IdemResponse, bool, error)
}

var _ manneStore = (*models.Store)(nil)

// manne returns the store's MANNE side, or nil when it has none.
func (s *Site) manne() manneStore {
	ms, _ := s.store.(manneStore)
	return ms
}

// balances returns the MANNE balance of each household of a relay point
// that has an account.
func (s *Site) balances(ctx context.Context, site string) (map[string]int64, error) {
	ms := s.manne()
	if ms == nil {
		return nil, nil
	}
	accts, err := all(func(pp models.Page) ([]models.AccountBalance, error) { return ms.ListAccounts(ctx, site, pp) })
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(accts))
	for _, a := range accts {
		out[a.ID] = a.BalanceCents
	}
	return out, nil
}

// newPaymentKey is the idempotency key a payment form carries: one per form
// shown, so sending the same form again replays the first answer.
func newPaymentKey() string {
	var b [16]byte
	rand.Read(b[:])
	return "web-" + hex.EncodeToString(b[:])
}

// parseCents reads an amount of MANNE as people type it ("12", "12,5",
// "12,50", "12.50", "1 200,00"), exactly, into cents; false for anything
// else (more than two decimals, a sign, letters; see amountCents).
func parseCents(s string) (int64, bool) {
	return amountCents(strings.TrimSuffix(strings.TrimSpace(strings.ToUpper(s)), "MANNE"), 9)
}

// postPayment records a household's basket paid in MANNE at the counter,
// then goes back to the checklist saying what was paid and what is left;
// a refusal (an amount that does not read, more than the balance) comes
// back beside the household's field, what was typed kept.
func (s *Site) postPayment(c *gin.Context, p access.Principal) error {
	// The checklist shown again with a refusal reads its week and search
	// from the query, which gin caches at its first read: set it first.
	week, household := c.PostForm("week"), c.PostForm("household")
	c.Request.URL.RawQuery = url.Values{"semaine": {week}, "q": {strings.TrimSpace(c.PostForm("q"))}}.Encode()
	site, err := scope(c, p, ownsRelay)
	if err != nil {
		return err
	}
	ms := s.manne()
	if ms == nil {
		return models.ErrNotFound
	}
	ctx := c.Request.Context()
	if _, _, err := models.ParseWeekID(week); err != nil || !models.ValidID(household) {
		return models.ErrNotFound
	}
	h, err := s.store.GetHousehold(ctx, household)
	if err != nil {
		return err
	}
	if h.SiteID != site {
		return models.ErrNotFound
	}
	if field := models.MayPostTransfer(p.Role, p.Scope, models.TransferBasket, h.SiteID); field != "" && !p.IsCoordinator() {
		return errForbidden
	}
	errs := newFormErrors(c)
	field := "amount-" + household
	label := text{FR: "Montant payé en MANNE par ", EN: "Amount paid in MANNE by "}.In(errs.lang) + h.Name
	raw := c.PostForm("amount")
	errs.keep(field, raw)
	cents, ok := parseCents(raw)
	switch {
	case strings.TrimSpace(raw) == "":
		errs.AddLabelled(field, label, text{FR: "Indiquez le montant payé en MANNE, par exemple 12,50", EN: "Enter the amount paid in MANNE, for example 12.50"})
	case !ok:
		errs.AddLabelled(field, label, text{FR: "Indiquez un montant en MANNE avec au plus deux décimales, par exemple 12,50", EN: "Enter an amount in MANNE with at most two decimals, for example 12.50"})
	}
	key := c.PostForm("key")
	if !strings.HasPrefix(key, "web-") || len(key) > 64 {
		key = newPaymentKey()
	}
	if errs.Any() {
		return s.renderPickup(c, p, http.StatusUnprocessableEntity, errs)
	}
	in := models.TransferInput{From: household, To: models.AccountCollectif, AmountCents: cents, Kind: models.TransferBasket,
		Memo: "Paniers, semaine " + week + " (comptoir)", Author: "token " + p.TokenID + " " + p.Role + " (web)"}
	body, _ := json.Marshal(in)
	sum := sha256.Sum256(body)
	k := models.IdemKey{Key: key, Scope: p.TokenID, Route: "POST " + pathManne, RequestHash: hex.EncodeToString(sum[:])}
	resp, _, err := ms.Idempotent(ctx, k, func(ctx context.Context, t models.IdemWriter) (models.IdemResponse, error) {
		tr, err := t.PostTransfer(ctx, in)
		if err != nil {
			return models.IdemResponse{}, err
		}
		return models.IdemResponse{Status: http.StatusCreated, Body: []byte(strconv.FormatUint(tr.Seq, 10))}, nil
	})
	var short *models.InsufficientFundsError
	switch {
	case errors.As(err, &short):
		errs.AddLabelled(field, label, text{
			FR: "Solde insuffisant : " + h.Name + " a " + sheets.WordsFor(errs.lang).Manne(short.BalanceCents),
			EN: "Not enough MANNE: " + h.Name + " holds " + sheets.WordsFor(errs.lang).Manne(short.BalanceCents)})
		return s.renderPickup(c, p, http.StatusConflict, errs)
	case errors.Is(err, models.ErrConflict):
		// The same form sent again with another amount: a new form.
		errs.AddLabelled(field, label, text{FR: "Ce formulaire a déjà servi : vérifiez le solde et payez à nouveau si besoin.", EN: "This form was already used: check the balance and pay again if needed."})
		return s.renderPickup(c, p, http.StatusConflict, errs)
	case err != nil:
		if err := errs.fromStore(err, func(string) string { return field }, func(string) string { return label }, s.loc); err != nil {
			return err
		}
		return s.renderPickup(c, p, http.StatusUnprocessableEntity, errs)
	}
	to := s.forURL(p, site, pathPickup, "semaine", week, "q", strings.TrimSpace(c.PostForm("q")), "fait", "manne", "id", string(resp.Body))
	c.Redirect(http.StatusSeeOther, s.withLang(c, to)+"#h-"+household)
	return nil
}

// paymentNotice says what a payment stored: "Payé en MANNE : 12,50 MANNE
// par Famille Martin ; solde 3,00 MANNE."
func (s *Site) paymentNotice(ctx context.Context, pg *page, site, id string, names map[string]string) string {
	ms := s.manne()
	seq, err := strconv.ParseUint(id, 10, 63)
	if ms == nil || err != nil {
		return ""
	}
	tr, err := ms.GetTransfer(ctx, seq)
	if err != nil || tr.Kind != models.TransferBasket {
		return ""
	}
	name, ok := names[tr.From]
	if !ok {
		return "" // not one of this relay point's households
	}
	a, err := ms.GetAccount(ctx, tr.From)
	if err != nil || a.SiteID != site {
		return ""
	}
	return pg.T("Payé en MANNE : ", "Paid in MANNE: ") + pg.w.Manne(tr.AmountCents) + pg.T(" par ", " by ") + name +
		pg.T(" ; solde ", "; balance ") + pg.w.Manne(a.BalanceCents) + "."
}

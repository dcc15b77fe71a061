package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
	"paniers/planner/sheets"
)

// The farmer's page: this week's offer as one form (a row per product of
// the catalogue, prefilled from last week's offer when nothing is posted
// yet, so that a usual week is one tap), the time left before the cutoff,
// then the latest preparation list and the past weeks.

const pathFarmer = "/producteur"

func (s *Site) registerFarmer() {
	s.engine.GET(pathFarmer, s.signedIn(s.farmerPage))
	s.engine.POST(pathFarmer+"/offre", s.signedIn(s.postOffer))
}

func ownsProducer(p access.Principal, id string) bool {
	return p.Is(models.RoleFarmer) && p.OwnsProducer(id)
}

// farmerData is the farmer's page.
type farmerData struct {
	*page
	Producer models.Producer
	Week     models.Week
	HasWeek  bool
	Deadline deadline
	Rows     []offerRow
	// FromLast says the rows show last week's offer, not yet posted.
	FromLast bool
	LastWeek string
	Prep     document
	HasPrep  bool
	// PrepFirst puts the preparation list above the offer: the week is
	// closed and its list published, reading it is the task now.
	PrepFirst bool
	Past      []pastWeek
}

// offerRow is one product of the offer form.
type offerRow struct {
	Product       models.Product
	Quantity      string
	Price         string
	Offered       bool // offered this week (or last, when prefilled)
	QtyField      string
	PriceField    string
	QuantityLabel string
	PriceLabel    string
}

// pastWeek is a past week in the list.
type pastWeek struct {
	ID, Delivery, URL string
}

func (s *Site) farmerPage(c *gin.Context, p access.Principal) error {
	return s.renderFarmer(c, p, http.StatusOK, nil)
}

func (s *Site) renderFarmer(c *gin.Context, p access.Principal, status int, errs *formErrors) error {
	producer, err := scope(c, p, ownsProducer)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	prod, err := s.store.GetProducer(ctx, producer)
	if err != nil {
		return err
	}
	wc, err := s.chooseWeek(c, offerCutoff)
	if err != nil {
		return err
	}
	pg := s.newPage(c, p, text{FR: "Mon offre de la semaine", EN: "My offer this week"})
	pg.Who = prod.Name
	if p.IsCoordinator() {
		pg.For = producer
	}
	if errs != nil {
		pg.Errors = errs
	}
	d := &farmerData{page: pg, Producer: prod, Week: wc.Week, HasWeek: wc.Exists}
	products, err := all(func(pp models.Page) ([]models.Product, error) { return s.store.ListProducts(ctx, pp) })
	if err != nil {
		return err
	}
	if wc.Exists {
		d.Deadline = s.deadline(pg.Lang, wc.Week, wc.Week.OfferCutoff)
		mine, err := s.offersOf(c, wc.Week.ID, producer)
		if err != nil {
			return err
		}
		if len(mine) == 0 {
			// Nothing posted yet: prefill from the latest earlier week
			// with an offer.
			for _, w := range wc.Past(6) {
				last, err := s.offersOf(c, w.ID, producer)
				if err != nil {
					return err
				}
				if len(last) > 0 {
					mine, d.FromLast, d.LastWeek = last, true, w.ID
					break
				}
			}
		}
		if c.Query("fait") == "offre" {
			d.Notice = s.offerNotice(pg, products, mine, d.FromLast)
		}
		d.Rows = offerRows(pg, products, mine)
		for _, w := range wc.Past(8) {
			d.Past = append(d.Past, pastWeek{ID: w.ID, Delivery: w.DeliveryDate, URL: pg.URL(pathFarmer, "semaine", w.ID)})
		}
	}
	upTo := wc.Weeks
	if wc.Exists {
		upTo = wc.Weeks[:wc.Index+1]
	}
	if d.Prep, d.HasPrep, err = s.latestDocument(ctx, pg.Lang, p, upTo, sheets.KindPreparationList, producer, true); err != nil {
		return err
	}
	d.PrepFirst = d.HasWeek && d.HasPrep && !d.Deadline.Open && d.Prep.Week == d.Week.ID
	return s.render(c, status, "farmer", d)
}

// offersOf is a producer's offers of a week, by product.
func (s *Site) offersOf(c *gin.Context, week, producer string) (map[string]models.Offer, error) {
	rows, err := all(func(pp models.Page) ([]models.Offer, error) {
		return s.store.ListOffers(c.Request.Context(), week, models.OfferFilter{ProducerID: producer}, pp)
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]models.Offer, len(rows))
	for _, o := range rows {
		out[o.ProductID] = o
	}
	return out, nil
}

// offerRows lists the catalogue, the products offered first.
func offerRows(pg *page, products []models.Product, mine map[string]models.Offer) []offerRow {
	rows := make([]offerRow, 0, len(products))
	for _, pr := range products {
		r := offerRow{Product: pr, QtyField: "quantity." + pr.ID, PriceField: "price." + pr.ID}
		r.QuantityLabel = pr.Name
		r.PriceLabel = pr.Name
		if o, ok := mine[pr.ID]; ok {
			r.Offered = true
			r.Quantity = inputNum(pg.Lang, o.Quantity)
			r.Price = inputEuros(pg.Lang, o.PriceCents)
		}
		r.Quantity = pg.Input(r.QtyField, r.Quantity)
		r.Price = pg.Input(r.PriceField, r.Price)
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b offerRow) int {
		switch {
		case a.Offered == b.Offered:
			return 0
		case a.Offered:
			return -1
		}
		return 1
	})
	return rows
}

// offerNotice says what is stored: "Offre enregistrée : 120 kg de carottes
// à 1,90 € / kg HT, ...".
func (s *Site) offerNotice(pg *page, products []models.Product, mine map[string]models.Offer, fromLast bool) []string {
	if fromLast || len(mine) == 0 {
		return []string{pg.T("Offre enregistrée : aucun produit cette semaine.", "Offer saved: no product this week.")}
	}
	var parts []string
	for _, pr := range products {
		o, ok := mine[pr.ID]
		if !ok {
			continue
		}
		parts = append(parts, pg.Qty(o.Quantity, pr.Unit)+pg.Of(pr.Name)+
			pg.T(" à ", " at ")+pg.Money(o.PriceCents)+" / "+pg.w.Unit(pr.Unit, 1)+pg.T(" HT", " excl. VAT"))
	}
	return []string{pg.T("Offre enregistrée : ", "Offer saved: ") + strings.Join(parts, ", ") + "."}
}

// postOffer stores the whole form: a row with a quantity is the offer of
// that product (a price is then required), a row left empty withdraws the
// product's offer. Every row is checked by the store before any is
// written, so a refused form stores nothing.
func (s *Site) postOffer(c *gin.Context, p access.Principal) error {
	producer, err := scope(c, p, ownsProducer)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	week := c.PostForm("week")
	if _, _, err := models.ParseWeekID(week); err != nil {
		return models.ErrNotFound
	}
	c.Request.URL.RawQuery = "semaine=" + week
	products, err := all(func(pp models.Page) ([]models.Product, error) { return s.store.ListProducts(ctx, pp) })
	if err != nil {
		return err
	}
	current, err := s.offersOf(c, week, producer)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	errs := newFormErrors(c)
	label := func(field string) string {
		for _, pr := range products {
			switch field {
			case "quantity." + pr.ID:
				return pr.Name + text{FR: " – quantité", EN: " – quantity"}.In(errs.lang)
			case "price." + pr.ID:
				return pr.Name + text{FR: " – prix", EN: " – price"}.In(errs.lang)
			}
		}
		return ""
	}
	var put []models.Offer
	var withdraw []string
	for _, pr := range products {
		qf, pf := "quantity."+pr.ID, "price."+pr.ID
		qs, ps := strings.TrimSpace(c.PostForm(qf)), strings.TrimSpace(c.PostForm(pf))
		if qs == "" {
			if _, ok := current[pr.ID]; ok {
				withdraw = append(withdraw, pr.ID)
			}
			continue
		}
		q, ok := parseDecimal(qs)
		if !ok {
			errs.AddLabelled(qf, label(qf), textf("Indiquez une quantité en %s, par exemple 12,5", "Enter a quantity in %s, for example 12.5", pr.Unit))
			continue
		}
		cents, priced := parseEuros(ps)
		switch {
		case ps == "":
			errs.AddLabelled(pf, label(pf), text{FR: models.ReasonRequired.FR + " : indiquez le prix en euros HT, par exemple 1,90", EN: models.ReasonRequired.EN + ": enter the price in euros excl. VAT, for example 1.90"})
		case !priced:
			errs.AddLabelled(pf, label(pf), text{FR: "Indiquez un prix en euros, par exemple 1,90", EN: "Enter a price in euros, for example 1.90"})
		}
		// The store checks the quantity even when the price was refused,
		// so every problem of the row shows at once.
		o := models.Offer{WeekID: week, ProducerID: producer, ProductID: pr.ID, Quantity: q, PriceCents: cents}
		if err := s.store.CheckOffer(ctx, o); err != nil || !priced {
			if err == nil {
				continue
			}
			if err := errs.fromStore(err, offerField(pr.ID), label, s.loc); err != nil {
				return err
			}
			continue
		}
		put = append(put, o)
	}
	if errs.Any() {
		return s.renderFarmer(c, p, http.StatusUnprocessableEntity, errs)
	}
	for i := range put {
		if _, err := s.store.PutOffer(ctx, &put[i]); err != nil {
			if err := errs.fromStore(err, offerField(put[i].ProductID), label, s.loc); err != nil {
				return err
			}
			return s.renderFarmer(c, p, http.StatusConflict, errs)
		}
	}
	for _, id := range withdraw {
		if err := s.store.DeleteOffer(ctx, week, producer, id); err != nil && !errors.Is(err, models.ErrNotFound) {
			if err := errs.fromStore(err, offerField(id), label, s.loc); err != nil {
				return err
			}
			return s.renderFarmer(c, p, http.StatusConflict, errs)
		}
	}
	pg := &page{For: ""}
	if p.IsCoordinator() {
		pg.For = producer
	}
	c.Redirect(http.StatusSeeOther, s.withLang(c, pg.URL(pathFarmer, "semaine", week, "fait", "offre")))
	return nil
}

// offerField maps the store's field names of an offer to the form's.
func offerField(product string) func(string) string {
	return func(f string) string {
		switch f {
		case "price_cents":
			return "price." + product
		}
		return "quantity." + product
	}
}

package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"paniers/models"
	"paniers/planner"
	"paniers/planner/egalim"
	"paniers/planner/sheets"
)

// EgalimSource is what an EGalim report reads; *models.Store satisfies it.
type EgalimSource interface {
	GetSite(ctx context.Context, id string) (models.Site, error)
	PublishedPlans(ctx context.Context, from, to string) ([]models.PublishedPlan, error)
	AllProducts(ctx context.Context) ([]models.Product, error)
}

var _ EgalimSource = (*models.Store)(nil)

// EgalimReport builds a canteen's EGalim report over the deliveries from
// from to to (YYYY-MM-DD, both included): the lines of its delivery notes
// of every published week in the period (the version last published, as
// PublishedPlans says; drafts never count), with the amounts of those notes
// to the cent (sheets.DeliveryLines). Each line's labels are the product's
// current EGalim labels, but BIO follows the product's organic flag in the
// week's scenario, as the note's organic total does; its family is the
// product's (its category's when the product is gone). A producer within
// localKm of the week's hub (straight line) is local. ErrNotFound (models)
// when canteen is not a canteen.
func EgalimReport(ctx context.Context, st EgalimSource, canteen, from, to string, localKm float64) (egalim.Report, error) {
	site, err := st.GetSite(ctx, canteen)
	if err != nil {
		return egalim.Report{}, err
	}
	if site.Kind != planner.KindCanteen {
		return egalim.Report{}, fmt.Errorf("jobs: egalim: site %q is not a canteen: %w", canteen, models.ErrNotFound)
	}
	products, err := st.AllProducts(ctx)
	if err != nil {
		return egalim.Report{}, err
	}
	catalogue := make(map[string]models.Product, len(products))
	for _, p := range products {
		catalogue[p.ID] = p
	}
	plans, err := st.PublishedPlans(ctx, from, to)
	if err != nil {
		return egalim.Report{}, err
	}
	weeks := make([]egalim.Week, 0, len(plans))
	for _, pp := range plans {
		w := egalim.Week{ID: pp.Week, DeliveryDate: pp.DeliveryDate}
		lines, err := sheets.DeliveryLines(sheets.Input{Scenario: pp.Scenario, Plan: pp.Plan}, canteen)
		switch {
		case errors.Is(err, sheets.ErrNotFound):
			// The canteen did not exist yet that week: nothing delivered.
		case err != nil:
			return egalim.Report{}, fmt.Errorf("jobs: egalim: week %s: %w", pp.Week, err)
		}
		hub := pp.Scenario.Hub
		for _, dl := range lines {
			l := egalim.Line{Week: pp.Week, Date: pp.DeliveryDate, Product: dl.Product.ID, Description: dl.Product.Name,
				Supplier: dl.Producer.Name, Producer: dl.Producer.ID, Quantity: dl.Quantity, Unit: dl.Product.Unit,
				AmountCents: dl.AmountCents, Priced: dl.Priced}
			var stored []string
			l.Family = egalim.DefaultFamily(dl.Product.Category)
			if p, ok := catalogue[dl.Product.ID]; ok {
				stored = egalim.SplitLabels(p.EgalimLabels)
				if p.Family != "" {
					l.Family = p.Family
				}
			}
			stored = slices.DeleteFunc(stored, func(x string) bool { return x == egalim.LabelBio })
			l.Labels, _, _ = egalim.NormalizeLabels(stored, dl.Product.Organic)
			l.DistanceKm = egalim.DistanceKm(dl.Producer.Lat, dl.Producer.Lon, hub.Lat, hub.Lon)
			placed := dl.Producer.Lat != 0 || dl.Producer.Lon != 0 // a producer the scenario lacks has no place
			l.Local = placed && l.DistanceKm <= localKm
			if strings.TrimSpace(l.Supplier) == "" {
				l.Supplier = dl.Producer.ID
			}
			w.Lines = append(w.Lines, l)
		}
		weeks = append(weeks, w)
	}
	return egalim.Build(egalim.Canteen{ID: site.ID, Name: site.Name, Siret: site.Siret}, from, to, localKm, weeks), nil
}

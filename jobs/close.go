package jobs

import (
	"context"
	"fmt"
	"time"

	"paniers/models"
)

// CloseResult is what closing a week's offers did.
type CloseResult struct {
	// Offers, Producers and Kg sum up the week's final offers.
	Offers    int
	Producers int
	Kg        float64
	// Next is the following week, now open for offers; NextCreated says
	// whether this run created it.
	Next        string
	NextCreated bool
}

// CloseOffers marks the end of a week's offers, recorded as a run of job
// "close-offers": the store already refuses offers after the cutoff, so the
// job's work is to sum up the final offers in the log (what the collective
// has to sell this week) and to open the following week, created with the
// default calendar when missing, so producers can post its offers. It fails
// when the week's offer cutoff is still ahead (offers would not be final),
// and with models.ErrNotFound for an unknown week.
func CloseOffers(ctx context.Context, d Deps, week string) (CloseResult, error) {
	d = d.withDefaults()
	var res CloseResult
	err := record(ctx, d, JobCloseOffers, week, func(ctx context.Context) error {
		st := d.Store
		w, err := st.GetWeek(ctx, week)
		if err != nil {
			return err
		}
		if now := d.Now(); now.Before(w.OfferCutoff) {
			return fmt.Errorf("jobs: close offers of %s: the offers close at %s, not yet", week,
				w.OfferCutoff.In(d.loc()).Format(time.RFC3339))
		}
		sc, err := st.Scenario(ctx, week)
		if err != nil {
			return err
		}
		kgPer := map[string]float64{}
		for _, p := range sc.Products {
			kgPer[p.ID] = p.KgPerUnit
		}
		producers := map[string]bool{}
		for _, o := range sc.Offers {
			res.Offers++
			res.Kg += o.Quantity * kgPer[o.Product]
			producers[o.Producer] = true
		}
		res.Producers = len(producers)
		if res.Next, err = nextWeek(week, d.loc()); err != nil {
			return err
		}
		if _, res.NextCreated, err = st.EnsureWeek(ctx, res.Next); err != nil {
			return err
		}
		d.Log.Info("offers closed", "job", JobCloseOffers, "week", week, "offers", res.Offers,
			"producers", res.Producers, "kg", fmt.Sprintf("%.1f", res.Kg), "next_week", res.Next, "next_created", res.NextCreated)
		return nil
	})
	return res, err
}

// nextWeek is the ISO week after week.
func nextWeek(week string, loc *time.Location) (string, error) {
	y, w, err := models.ParseWeekID(week)
	if err != nil {
		return "", err
	}
	return models.WeekID(models.WeekMonday(y, w, loc).AddDate(0, 0, 7)), nil
}

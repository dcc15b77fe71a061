package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"paniers/models"
	"paniers/planner"
	"paniers/planner/sheets"
)

// DocumentInput assembles what the documents of a week's plan are rendered
// from: the stored plan (version 0 means the current one), the scenario,
// addresses and pick-up lists stored with it (names are personal data: the
// caller decides who sees a pick-up list), so that a version's documents
// never change. A version saved before lists were frozen reads the week's
// households from the store (its publication then freezes them). Lang and
// Sep are left for the caller to set. ErrNotFound (models) when the week has
// no such plan.
func DocumentInput(ctx context.Context, st Store, week string, version int) (sheets.Input, models.StoredPlan, error) {
	var sp models.StoredPlan
	var err error
	if version == 0 {
		sp, err = st.CurrentPlan(ctx, week)
	} else {
		sp, err = st.GetPlanVersion(ctx, week, version)
	}
	if err != nil {
		return sheets.Input{}, sp, err
	}
	plan, err := sp.Plan()
	if err != nil {
		return sheets.Input{}, sp, err
	}
	in := sheets.Input{Plan: plan}
	stored, err := st.GetPlanInput(ctx, week, sp.Version)
	switch {
	case err == nil:
		if in.Scenario, err = stored.ScenarioOf(); err != nil {
			return sheets.Input{}, sp, err
		}
		if in.Addresses, err = stored.AddressesOf(); err != nil {
			return sheets.Input{}, sp, err
		}
		var frozen bool
		if in.Households, frozen, err = stored.HouseholdsOf(); err != nil || frozen {
			return in, sp, err
		}
	case errors.Is(err, models.ErrNotFound):
		// A version without a stored input (saved before inputs were kept): the
		// database's current scenario is the best account of it.
		if in.Scenario, err = st.Scenario(ctx, week); err != nil {
			return sheets.Input{}, sp, err
		}
		if in.Addresses, err = st.Addresses(ctx); err != nil {
			return sheets.Input{}, sp, err
		}
	default:
		return sheets.Input{}, sp, err
	}
	if in.Households, err = weekHouseholds(ctx, st, week); err != nil {
		return sheets.Input{}, sp, err
	}
	return in, sp, nil
}

// weekHouseholds lists, by relay point, the households that pick something
// up this week: their subscription, the basket orders placed for them this
// week (added to the subscription when of the same type, on their own line
// otherwise) and their extras.
func weekHouseholds(ctx context.Context, st Store, week string) (map[string][]sheets.Household, error) {
	homes, orders, err := st.WeekHouseholds(ctx, week)
	if err != nil {
		return nil, err
	}
	type entry struct {
		site string
		list []sheets.Household // [0] is the subscription's line
	}
	byID := map[string]*entry{}
	var ids []string
	for _, h := range homes {
		e := &entry{site: h.SiteID, list: []sheets.Household{{ID: h.ID, Name: h.Name}}}
		if h.BasketTypeID != nil && h.BasketCount > 0 && !h.Paused {
			e.list[0].Basket, e.list[0].Count = *h.BasketTypeID, h.BasketCount
		}
		byID[h.ID] = e
		ids = append(ids, h.ID)
	}
	for _, o := range orders {
		e := byID[*o.HouseholdID]
		if e == nil || e.site != o.SiteID {
			continue // an order for another relay point's household is not on this list
		}
		switch {
		case o.Class == planner.ClassExtra && o.ProductID != nil:
			e.list[0].Extras = append(e.list[0].Extras, planner.ProductQuantity{Product: *o.ProductID, Quantity: o.Quantity})
		case o.Class == planner.ClassBasket && o.BasketTypeID != nil:
			if e.list[0].Basket == "" || e.list[0].Basket == *o.BasketTypeID {
				e.list[0].Basket = *o.BasketTypeID
				e.list[0].Count += o.Count
			} else {
				e.list = append(e.list, sheets.Household{ID: e.list[0].ID, Name: e.list[0].Name, Basket: *o.BasketTypeID, Count: o.Count})
			}
		}
	}
	out := map[string][]sheets.Household{}
	for _, id := range ids {
		e := byID[id]
		for _, h := range e.list {
			if h.Count > 0 || len(h.Extras) > 0 {
				out[e.site] = append(out[e.site], h)
			}
		}
	}
	return out, nil
}

// renderAll renders every document of the catalogue.
func renderAll(in sheets.Input) ([]sheets.Doc, error) {
	refs, err := sheets.Catalog(in)
	if err != nil {
		return nil, err
	}
	docs := make([]sheets.Doc, 0, len(refs))
	for _, r := range refs {
		doc, err := sheets.Render(in, r.Kind, r.For, r.Format)
		if err != nil {
			return nil, fmt.Errorf("jobs: rendering %s %s (%s): %w", r.Kind, r.For, r.Format, err)
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

// hashDocs is the content hash of each document, the fingerprint compared
// between plan versions.
func hashDocs(docs []sheets.Doc) []models.PlanDocument {
	out := make([]models.PlanDocument, len(docs))
	for i, d := range docs {
		out[i] = models.PlanDocument{Kind: d.Kind, For: d.For, Format: d.Format, Hash: hashOf(d.Body)}
	}
	return out
}

func hashOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// docInput is the input of a plan's documents, in French with the default
// options: the form whose hashes are stored and whose files are published.
func docInput(sc planner.Scenario, plan planner.Plan, addrs map[string]string, hh map[string][]sheets.Household) sheets.Input {
	return sheets.Input{Scenario: sc, Plan: plan, Addresses: addrs, Households: hh}
}

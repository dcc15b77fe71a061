package sheets

import (
	"fmt"

	"paniers/planner"
)

// DeliveryLine is one line of a canteen's delivery note: one product from
// one producer, the quantity delivered, the producer's unit price excluding
// VAT and the amount rounded to the cent, exactly as the note prints them.
type DeliveryLine struct {
	Product  planner.Product  // the scenario's product (a stand-in named by its id when unknown)
	Producer planner.Producer // the scenario's producer (only its id when unknown)
	Quantity float64          // in the product's unit
	// PriceCents is the offer's price of one unit; Priced is false when
	// the scenario holds no offer for the line (its amount is then 0).
	PriceCents  int64
	Priced      bool
	AmountCents int64
}

// DeliveryLines returns the lines of a canteen's delivery note, in the
// note's order, for reports that add notes up (EGalim): their amounts are
// the note's to the cent. ErrNotFound when the scenario has no such canteen.
func DeliveryLines(in Input, canteen string) ([]DeliveryLine, error) {
	in.Lang, in.Sep, in.CrateKg = "", 0, 0 // the figures depend on none of them
	r, err := newRenderer(in)
	if err != nil {
		return nil, err
	}
	if s, ok := r.ix.sites[canteen]; !ok || s.Kind != planner.KindCanteen {
		return nil, fmt.Errorf("sheets: delivery lines: canteen %q: %w", canteen, ErrNotFound)
	}
	v := r.noteView(canteen)
	out := make([]DeliveryLine, 0, len(v.Lines))
	for _, nl := range v.Lines {
		p, ok := r.ix.producers[nl.Producer]
		if !ok {
			p = planner.Producer{ID: nl.Producer, Name: nl.Producer}
		}
		out = append(out, DeliveryLine{Product: nl.Line.Product, Producer: p, Quantity: nl.Line.Quantity,
			PriceCents: nl.Price, Priced: nl.Priced, AmountCents: nl.Amount})
	}
	return out, nil
}

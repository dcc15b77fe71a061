package planner

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// WriteText prints a plan as a summary for a terminal, in French unless lang
// is "en": fill rates per class, basket contents, shortfalls with their
// reasons, unsold produce, unrouted sites and producers, and rounds.
func WriteText(w io.Writer, s Scenario, p Plan, lang string) error {
	l := lang
	if !strings.EqualFold(l, "en") {
		l = "fr"
	}
	t := func(fr, en string) string {
		if l == "en" {
			return en
		}
		return fr
	}
	names := map[string]string{}
	units := map[string]string{}
	for _, pr := range s.Products {
		names[pr.ID] = pr.Name
		units[pr.ID] = pr.Unit
	}
	label := func(id string) string {
		if n := names[id]; n != "" && n != id {
			return n + " (" + id + ")"
		}
		return id
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s %s\n\n", t("Plan de la semaine", "Plan for week"), p.Week)

	fmt.Fprintln(bw, t("Taux de service (en poids)", "Fill rate (by weight)"))
	classes := []struct{ id, fr, en string }{
		{ClassCanteen, "cantines", "canteens"},
		{ClassBasket, "paniers", "baskets"},
		{ClassExtra, "extras", "extras"},
	}
	any := false
	for _, c := range classes {
		if r, ok := p.Summary.FillRate[c.id]; ok {
			fmt.Fprintf(bw, "  %-10s %s %%\n", t(c.fr, c.en), num(l, roundTo(r*100, 1)))
			any = true
		}
	}
	if !any {
		fmt.Fprintln(bw, "  "+t("aucune commande", "no orders"))
	}

	if len(p.Baskets) > 0 {
		fmt.Fprintln(bw, "\n"+t("Contenu des paniers (un panier)", "Basket contents (one basket)"))
		width := 0
		for _, b := range p.Baskets {
			for _, c := range b.Contents {
				width = max(width, utf8.RuneCountInString(label(c.Product)))
			}
		}
		for _, b := range p.Baskets {
			fmt.Fprintf(bw, "  %s\n", b.Basket)
			if len(b.Contents) == 0 {
				fmt.Fprintln(bw, "    "+t("(vide)", "(empty)"))
			}
			for _, c := range b.Contents {
				name := label(c.Product)
				pad := strings.Repeat(" ", width-utf8.RuneCountInString(name))
				fmt.Fprintf(bw, "    %s%s  %s\n", name, pad, qty(l, c.Quantity, units[c.Product]))
			}
		}
	}

	fmt.Fprintf(bw, "\n%s (%d)\n", t("Manques", "Shortfalls"), len(p.Shortfalls))
	for _, sf := range p.Shortfalls {
		if sf.Category != "" {
			fmt.Fprintf(bw, "  %s %s/%s%s%s / %s kg — %s\n", sf.Order, sf.Basket, sf.Category, t(" : ", ": "),
				num(l, deref(sf.AllocatedKg)), num(l, deref(sf.OrderedKg)), sf.Reason)
			continue
		}
		fmt.Fprintf(bw, "  %s %s%s%s / %s — %s\n", sf.Order, label(sf.Product), t(" : ", ": "),
			num(l, deref(sf.Allocated)), qty(l, deref(sf.Ordered), units[sf.Product]), sf.Reason)
	}

	fmt.Fprintf(bw, "\n%s (%d)\n", t("Invendus", "Unsold"), len(p.Unsold))
	for _, u := range p.Unsold {
		fmt.Fprintf(bw, "  %s %s%s%s", u.Producer, label(u.Product), t(" : ", ": "), qty(l, u.Quantity, units[u.Product]))
		if u.Reason != "" {
			fmt.Fprintf(bw, " — %s", u.Reason)
		}
		fmt.Fprintln(bw)
	}

	if len(p.Unrouted) > 0 {
		fmt.Fprintf(bw, "\n%s (%d)\n", t("Hors tournée", "Unrouted"), len(p.Unrouted))
		for _, u := range p.Unrouted {
			who := u.Site
			if who == "" {
				who = u.Producer
			}
			fmt.Fprintf(bw, "  %s — %s\n", who, u.Reason)
		}
	}

	fmt.Fprintf(bw, "\n%s (%d)", t("Tournées", "Rounds"), len(p.Rounds))
	if len(p.Rounds) > 0 {
		fmt.Fprintf(bw, " — %s km, %d %s", num(l, p.Summary.DistanceKm), p.Summary.VehiclesUsed, t("véhicule(s)", "vehicle(s)"))
	}
	fmt.Fprintln(bw)
	rounds := append([]Round(nil), p.Rounds...)
	sort.SliceStable(rounds, func(i, j int) bool { return rounds[i].Date < rounds[j].Date })
	for _, r := range rounds {
		kind := t("livraison", "delivery")
		if r.Kind == RoundCollection {
			kind = t("collecte", "collection")
		}
		fmt.Fprintf(bw, "  %s %s %s %s-%s, %s km\n", r.Date, r.Vehicle, kind, r.Depart, r.Return, num(l, r.DistanceKm))
		for _, st := range r.Stops {
			who := st.Site
			if who == "" {
				who = st.Producer
			}
			fmt.Fprintf(bw, "    %s %s-%s %s\n", st.Arrive, st.Start, st.Leave, who)
		}
	}
	return bw.Flush()
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

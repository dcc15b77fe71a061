package web

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"paniers/jobs"
	"paniers/models"
	"paniers/planner"
)

// The plan's versions on the week page: each stored version (number,
// time, what started it, seed, published or not) and what it changed
// against the one before, as jobs.VersionChanges computes it for the API's
// GET /weeks/{week}/plans/{version}/changes.

// versionsShown is how many versions the week page lists at once; older
// ones are a link away (?avant=N lists those before version N).
const versionsShown = 5

// versionRow is one version laid out for the page.
type versionRow struct {
	Version            int
	When, Trigger      string
	Seed               string
	Published, Current bool
	PublishedWhen      string
	First, Nothing     bool
	// Lines are the changes in words, grouped.
	Groups []changeGroup
}

// changeGroup is one kind of change ("Tournées", "Manques apparus") and
// its lines.
type changeGroup struct {
	Title string
	Lines []string
}

// versionsView is the versions section: the rows shown and the links to
// older and newer ones.
type versionsView struct {
	Rows         []versionRow
	Older, Newer string
	Total        int
}

// triggerWords name what started a run or a version.
var triggerWords = map[string]text{
	jobs.TriggerSchedule: {FR: "planning automatique", EN: "schedule"},
	jobs.TriggerCatchUp:  {FR: "rattrapage au démarrage", EN: "catch-up at start"},
	jobs.TriggerAPI:      {FR: "API", EN: "API"},
	jobs.TriggerPage:     {FR: "page de la semaine", EN: "week page"},
	jobs.TriggerCLI:      {FR: "commande", EN: "command"},
}

// triggerIn names a trigger in lang; unrecorded (older rows) is a dash.
func triggerIn(t, lang string) string {
	if w, ok := triggerWords[t]; ok {
		return w.In(lang)
	}
	if t == "" {
		return "–"
	}
	return t
}

// versionsOf lays out the versions listed (before: only those below that
// version; 0 for the latest), with their changes.
func (s *Site) versionsOf(ctx context.Context, pg *page, week string, all []models.StoredPlan, before int, sc planner.Scenario) (versionsView, error) {
	v := versionsView{Total: len(all)}
	if before > 0 && (len(all) == 0 || before > all[0].Version || before <= all[len(all)-1].Version) {
		before = 0 // nothing before it to list: the latest
	}
	var shown []models.StoredPlan
	for _, sp := range all { // latest first
		if before > 0 && sp.Version >= before {
			continue
		}
		if len(shown) == versionsShown {
			v.Older = strconv.Itoa(shown[len(shown)-1].Version)
			break
		}
		shown = append(shown, sp)
	}
	if len(shown) > 0 && len(all) > 0 && shown[0].Version != all[0].Version {
		v.Newer = "latest"
	}
	nums := make([]int, len(shown))
	for i, sp := range shown {
		nums[i] = sp.Version
	}
	inputs, err := s.store.ListPlanInputs(ctx, week, nums)
	if err != nil {
		return v, err
	}
	changes, err := jobs.VersionChanges(ctx, s.store, week, nums)
	if err != nil {
		return v, err
	}
	n := newNamer(sc)
	for _, sp := range shown {
		in := inputs[sp.Version]
		row := versionRow{Version: sp.Version, When: s.when(pg, sp.CreatedAt), Trigger: triggerIn(in.Trigger, pg.Lang),
			Published: sp.Published, Current: sp.Current, Seed: "–"}
		if in.Seed > 0 {
			row.Seed = strconv.FormatInt(in.Seed, 10)
		}
		if sp.PublishedAt != nil {
			row.PublishedWhen = s.when(pg, *sp.PublishedAt)
		}
		c := changes[sp.Version]
		switch {
		case c.Base == 0:
			row.First = true
		case c.Empty():
			row.Nothing = true
		default:
			row.Groups = changeGroups(pg, n, c)
		}
		if c.Base > 0 && !c.InputsCompared {
			row.Groups = append(row.Groups, changeGroup{Title: pg.T("Commandes et offres", "Orders and offers"),
				Lines: []string{pg.T("non comparées : une des deux versions n'a pas gardé ses données.", "not compared: one of the two versions did not keep its data.")}})
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

// namer names the ids of a scenario (the week's catalogue), the id itself
// when it is unknown (since removed).
type namer struct {
	products  map[string]planner.Product
	producers map[string]string
	sites     map[string]string
	baskets   map[string]string
	orderSite map[string]string
}

func newNamer(sc planner.Scenario) namer {
	n := namer{products: map[string]planner.Product{}, producers: map[string]string{}, sites: map[string]string{}, baskets: map[string]string{},
		orderSite: map[string]string{}}
	for _, o := range sc.Orders {
		n.orderSite[o.ID] = o.Site
	}
	for _, p := range sc.Products {
		n.products[p.ID] = p
	}
	for _, p := range sc.Producers {
		n.producers[p.ID] = p.Name
	}
	for _, st := range sc.Sites {
		n.sites[st.ID] = st.Name
	}
	for _, b := range sc.BasketTypes {
		n.baskets[b.ID] = b.Name
	}
	return n
}

func orID(m map[string]string, id string) string {
	if v, ok := m[id]; ok && v != "" {
		return v
	}
	return id
}

// order names the site an order is for: a basket order's id says it
// ("basket:<site>:<type>"), others are in the week's orders; the id
// itself when the order is gone.
func (n namer) order(id string) string {
	if rest, ok := strings.CutPrefix(id, models.BasketOrderPrefix); ok {
		site, _, _ := strings.Cut(rest, ":")
		return orID(n.sites, site)
	}
	if site, ok := n.orderSite[id]; ok {
		return orID(n.sites, site)
	}
	return id
}

func (n namer) product(id string) (name, unit string) {
	if p, ok := n.products[id]; ok {
		return p.Name, p.Unit
	}
	return id, ""
}

// fromTo prints "120 kg → 100 kg".
func fromTo(pg *page, before, after float64, unit string) string {
	return pg.Qty(before, unit) + " → " + pg.Qty(after, unit)
}

// changeGroups words what changed, one group per kind of change.
func changeGroups(pg *page, n namer, c jobs.Changes) []changeGroup {
	var out []changeGroup
	add := func(title string, lines []string) {
		if len(lines) > 0 {
			out = append(out, changeGroup{Title: title, Lines: lines})
		}
	}
	if r := c.Rounds; r.Before != r.After || !sameKm(r.KmBefore, r.KmAfter) {
		add(pg.T("Tournées", "Rounds"), []string{fmt.Sprintf(pg.T("%d → %d tournées, %s", "%d → %d rounds, %s"), r.Before, r.After, fromTo(pg, r.KmBefore, r.KmAfter, "km"))})
	}
	var rates []string
	for _, r := range c.FillRates {
		if r.Changed() {
			rates = append(rates, className(pg, r.Class)+" : "+ratePct(pg, r.Before)+" → "+ratePct(pg, r.After))
		}
	}
	add(pg.T("Taux de service", "Fill rates"), rates)
	add(pg.T("Manques apparus", "Shortfalls appeared"), shortfallLines(pg, n, c.ShortfallsAppeared, true))
	add(pg.T("Manques résolus", "Shortfalls resolved"), shortfallLines(pg, n, c.ShortfallsResolved, false))
	var alloc []string
	for _, q := range c.Allocated {
		name, unit := n.product(q.Product)
		alloc = append(alloc, name+" : "+fromTo(pg, q.Before, q.After, unit))
	}
	add(pg.T("Quantités allouées", "Quantities allocated"), alloc)
	var baskets []string
	for _, b := range c.Baskets {
		line := orID(n.baskets, b.Basket)
		if b.ValueBefore != b.ValueAfter {
			line += pg.T(" : valeur ", ": value ") + pg.Money(b.ValueBefore) + " → " + pg.Money(b.ValueAfter)
		}
		for i, q := range b.Contents {
			name, unit := n.product(q.Product)
			sep := " ; "
			if i == 0 && b.ValueBefore == b.ValueAfter {
				sep = " : "
			}
			line += sep + name + " " + fromTo(pg, q.Before, q.After, unit)
		}
		baskets = append(baskets, line)
	}
	add(pg.T("Contenu des paniers", "Basket contents"), baskets)
	add(pg.T("Commandes", "Orders"), orderLines(pg, n, c))
	var offers []string
	for _, o := range c.OffersChanged {
		name, unit := n.product(o.Product)
		offers = append(offers, orID(n.producers, o.Producer)+" – "+name+" : "+fromTo(pg, o.Before, o.After, unit))
	}
	add(pg.T("Offres", "Offers"), offers)
	return out
}

func sameKm(a, b float64) bool { return math.Abs(a-b) < 0.0005 }

func className(pg *page, class string) string {
	switch class {
	case planner.ClassCanteen:
		return pg.T("Cantines", "Canteens")
	case planner.ClassBasket:
		return pg.T("Paniers", "Baskets")
	case planner.ClassExtra:
		return "Extras"
	}
	return class
}

func ratePct(pg *page, r *float64) string {
	if r == nil {
		return pg.T("aucune commande", "no order")
	}
	return pg.Num(math.Round(*r*1000)/10) + " %"
}

// shortfallLines words shortfalls with their reasons; appeared ones say
// what is missing.
func shortfallLines(pg *page, n namer, sfs []jobs.ShortfallChange, appeared bool) []string {
	var out []string
	for _, sc := range sfs {
		sf := sc.Shortfall
		what := ""
		switch {
		case sf.Product != "":
			name, unit := n.product(sf.Product)
			what = name
			if appeared && sf.Ordered != nil && sf.Allocated != nil {
				what += pg.T(", il manque ", ", missing ") + pg.Qty(*sf.Ordered-*sf.Allocated, unit) + pg.T(" sur ", " of ") + pg.Qty(*sf.Ordered, unit)
			}
		default:
			what = orID(n.baskets, sf.Basket) + " – " + pg.w.Category(sf.Category)
			if appeared && sf.OrderedKg != nil && sf.AllocatedKg != nil {
				what += pg.T(", il manque ", ", missing ") + pg.Qty(*sf.OrderedKg-*sf.AllocatedKg, "kg") + pg.T(" sur ", " of ") + pg.Qty(*sf.OrderedKg, "kg")
			}
		}
		site := n.order(sf.Order)
		if sc.Site != "" {
			site = orID(n.sites, sc.Site)
		}
		line := site + " – " + what
		if appeared && sf.Reason != "" {
			line += " (" + sf.Reason + ")"
		}
		out = append(out, line)
	}
	return out
}

// orderLines words the orders added, removed and changed: a basket order
// is a relay point's baskets of one type (its households' subscriptions
// and orders).
func orderLines(pg *page, n namer, c jobs.Changes) []string {
	what := func(o planner.Order) string {
		if o.Class == planner.ClassBasket {
			return orID(n.sites, o.Site) + " – " + orID(n.baskets, o.Basket) + " × " + strconv.Itoa(o.Count)
		}
		name, unit := n.product(o.Product)
		return orID(n.sites, o.Site) + " – " + className(pg, o.Class) + " : " + pg.Qty(o.Quantity, unit) + pg.Of(name)
	}
	var out []string
	for _, o := range c.OrdersAdded {
		out = append(out, pg.T("ajoutée : ", "added: ")+what(o))
	}
	for _, o := range c.OrdersRemoved {
		out = append(out, pg.T("retirée : ", "removed: ")+what(o))
	}
	for _, o := range c.OrdersChanged {
		if o.Class == planner.ClassBasket {
			out = append(out, fmt.Sprintf(pg.T("%s – %s : %g → %g paniers", "%s – %s: %g → %g baskets"), orID(n.sites, o.Site), orID(n.baskets, o.Basket), o.Before, o.After))
			continue
		}
		name, unit := n.product(o.Product)
		out = append(out, orID(n.sites, o.Site)+" – "+className(pg, o.Class)+pg.Of(name)+" : "+fromTo(pg, o.Before, o.After, unit))
	}
	return out
}

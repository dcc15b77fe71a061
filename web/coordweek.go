package web

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/jobs"
	"paniers/models"
	"paniers/planner"
)

// The coordinator's week page (/coordination/semaine/{week}): supply
// against demand, the offers and orders still missing, the current plan
// (or a preview) with its fill rates, shortfalls, unsold produce, baskets
// and rounds on a map, and the three actions that run the week: preview,
// plan, publish. Each action is its own form posting to its own path and
// calls the jobs the API calls (Jobs.PreviewWeek, PlanWeek, Publish).

const pathCoordWeek = "/coordination/semaine/"

func (s *Site) registerCoordinator() {
	s.engine.GET(pathCoordWeek+":week", s.signedIn(s.coordOnly(s.weekPage)))
	s.engine.POST(pathCoordWeek+":week/apercu", s.signedIn(s.coordOnly(s.withJobs(s.previewWeek))))
	s.engine.POST(pathCoordWeek+":week/planifier", s.signedIn(s.coordOnly(s.withJobs(s.planWeek))))
	s.engine.POST(pathCoordWeek+":week/publier", s.signedIn(s.coordOnly(s.withJobs(s.publishWeek))))
	s.registerCoordJobs()
}

// coordOnly refuses anyone but the coordinator (403, as the API).
func (s *Site) coordOnly(h func(*gin.Context, access.Principal) error) func(*gin.Context, access.Principal) error {
	return func(c *gin.Context, p access.Principal) error {
		if !p.IsCoordinator() {
			return errForbidden
		}
		return h(c, p)
	}
}

func (s *Site) weekPage(c *gin.Context, p access.Principal) error {
	return s.renderWeek(c, p, weekView{})
}

// weekView is what a request adds to the week page: a preview, problems
// of a run, the plan form's errors and its seed as typed.
type weekView struct {
	preview  *planner.Plan
	problems []text
	errs     *formErrors
	seed     string
}

// withJobs guards the week page's actions, which run the jobs service's
// jobs: a Site built without one answers them with an error.
func (s *Site) withJobs(h func(*gin.Context, access.Principal) error) func(*gin.Context, access.Principal) error {
	return func(c *gin.Context, p access.Principal) error {
		if s.jobs == nil {
			return errors.New("web: no jobs service")
		}
		return h(c, p)
	}
}

// pageRun is the context a stored run starts in from the page: recorded
// as started from the page, and not cancelled when the browser goes away
// (a plan or a publication half done is worse than one finished late).
func pageRun(c *gin.Context) context.Context {
	return jobs.WithTrigger(context.WithoutCancel(c.Request.Context()), jobs.TriggerPage)
}

// seedOf reads the plan form's optional seed (advanced), validated as the
// API's ?seed= (jobs.ParseSeed); empty means 1. ok is false when the
// form comes back with the reason beside the field.
func seedOf(c *gin.Context) (int64, weekView, bool) {
	errs := newFormErrors(c)
	raw := strings.TrimSpace(c.PostForm("seed"))
	v := weekView{errs: errs, seed: raw}
	if raw == "" {
		return 1, v, true
	}
	seed, reason, ok := jobs.ParseSeed(raw)
	if !ok {
		errs.AddLabelled("seed", text{FR: "Graine", EN: "Seed"}.In(errs.lang), reason)
		return 0, v, false
	}
	return seed, v, true
}

// previewWeek plans the week as it stands and shows that plan, storing
// nothing: the week stays open.
func (s *Site) previewWeek(c *gin.Context, p access.Principal) error {
	week := c.Param("week")
	seed, v, ok := seedOf(c)
	if !ok {
		return s.renderWeek(c, p, v)
	}
	plan, err := s.jobs.PreviewWeek(c.Request.Context(), week, seed)
	if err != nil {
		v.problems = planFailure(err)
		return s.renderWeek(c, p, v)
	}
	v.preview = &plan
	return s.renderWeek(c, p, v)
}

// planWeek plans and stores a new version, then shows the page saying so.
// The run and the version are recorded as started from the page.
func (s *Site) planWeek(c *gin.Context, p access.Principal) error {
	week := c.Param("week")
	seed, v, ok := seedOf(c)
	if !ok {
		return s.renderWeek(c, p, v)
	}
	sp, err := s.jobs.PlanWeek(pageRun(c), week, seed)
	if err != nil {
		v.problems = planFailure(err)
		return s.renderWeek(c, p, v)
	}
	c.Redirect(http.StatusSeeOther, s.withLang(c, pathCoordWeek+week+"?fait=plan&version="+strconv.Itoa(sp.Version)))
	return nil
}

// publishWeek publishes the current version, then shows the page saying so.
func (s *Site) publishWeek(c *gin.Context, p access.Principal) error {
	week := c.Param("week")
	sp, err := s.jobs.Publish(pageRun(c), week)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return s.renderWeek(c, p, weekView{problems: []text{{FR: "Il n'y a pas encore de plan à publier : planifiez d'abord.", EN: "There is no plan to publish yet: plan first."}}})
	case errors.Is(err, models.ErrConflict):
		return s.renderWeek(c, p, weekView{problems: []text{{FR: "La semaine a été replanifiée pendant la publication ; publiez à nouveau.", EN: "The week was re-planned during the publication; publish again."}}})
	case err != nil:
		return err
	}
	c.Redirect(http.StatusSeeOther, s.withLang(c, pathCoordWeek+week+"?fait=publie&version="+strconv.Itoa(sp.Version)))
	return nil
}

// planFailure says why a week cannot be planned, one line per problem.
func planFailure(err error) []text {
	var invalid *planner.ValidationError
	if errors.As(err, &invalid) {
		out := []text{{FR: "Les données de la semaine ne peuvent pas être planifiées :", EN: "The week's data cannot be planned:"}}
		for _, p := range invalid.Problems {
			out = append(out, text{FR: p.Field + " : " + p.Reason.FR, EN: p.Field + ": " + p.Reason.EN})
		}
		return out
	}
	if errors.Is(err, models.ErrNotFound) {
		return []text{{FR: "Cette semaine n'existe pas.", EN: "This week does not exist."}}
	}
	return []text{{FR: "La planification a échoué : " + err.Error(), EN: "Planning failed: " + err.Error()}}
}

// weekData is the week page's data.
type weekData struct {
	*page
	Week     models.Week
	Weeks    []models.Week
	Problems []string
	Supply   []supplyRow
	Chart    barChart
	// MissingFarmers offered last week and not yet this week; QuietRelays
	// have no order this week.
	MissingFarmers, QuietRelays []string
	PrevWeek                    string
	// Plan is the plan shown: the preview asked for, else the current
	// version; nil when neither.
	Plan     *planView
	Versions []models.StoredPlan
	// History is the versions listed with what each changed.
	History versionsView
	Current models.StoredPlan
	Actions weekActions
	// Seed is the plan form's seed as typed (empty: the default, 1).
	Seed string
}

// StatusName is the week's status in words (calendar.go's statusWords).
func (d *weekData) StatusName() string {
	if w, ok := statusWords[d.Week.Status]; ok {
		return w.In(d.Lang)
	}
	return d.Week.Status
}

// weekActions says plainly what each button will do.
type weekActions struct {
	Preview, Plan, Publish string
	CanPublish             bool
}

// supplyRow is one product (or a basket category, in kg): what farmers
// offer against what canteens, baskets and extras ask for.
type supplyRow struct {
	Label, Unit                     string
	Offered, Canteen, Basket, Extra float64
}

// Demand is the row's total demand.
func (r supplyRow) Demand() float64 { return r.Canteen + r.Basket + r.Extra }

// Short says whether demand exceeds supply.
func (r supplyRow) Short() bool { return r.Demand() > r.Offered+1e-9 }

// barChart is the supply/demand chart for an inline SVG drawn in CSS
// pixels (no viewBox): the text keeps its size at any width (14 px on a
// phone as on a desktop) and the bars' lengths are percentages of the
// width. Each row is scaled to its own larger figure (units differ
// between rows): its label above, the supply bar, the demand bar.
type barChart struct {
	Height int
	Bars   []chartBar
}

type chartBar struct {
	Label, Figures       string
	TextY, SupplyY, DemY int
	SupplyW, DemW        string
	Short                bool
}

// planView is a plan laid out for the page.
type planView struct {
	Preview    bool
	Version    int
	Published  bool
	FillRates  []fillRate
	Shortfalls []shortfallRow
	Unsold     []unsoldRow
	Baskets    []basketRow
	Rounds     []roundRow
	Unrouted   []string
	Map        routeMap
	DistanceKm float64
	// Relays, Canteens, Producers count who gets a document.
	Relays, Canteens, Producers int
}

type fillRate struct {
	Class   string
	Percent string
}

type shortfallRow struct{ Order, Site, What, Missing, Reason string }

type unsoldRow struct{ Farm, What, Reason string }

type basketRow struct {
	Name     string
	Contents []string
	Value    int64
	Price    int64
}

type roundRow struct {
	Index               int
	Colour              string
	Vehicle, Kind, Date string
	Depart, Return      string
	DistanceKm, LoadKg  float64
	Stops               []stopRow
	Points              string
}

type stopRow struct{ Name, Arrive, Leave string }

// routeMap is the rounds drawn from the coordinates.
type routeMap struct {
	Width, Height int
	HubX, HubY    string
	HubName       string
	Lines         []mapLine
	Dots          []mapDot
}

type mapLine struct {
	Round          int
	Colour, Points string
}

type mapDot struct {
	Round        int
	Colour, X, Y string
	Name         string
}

// roundColours tell rounds apart (dark enough to read on white).
var roundColours = []string{"#1b6e3a", "#1f4e9c", "#a3470a", "#7a2a8c", "#9c1f3d", "#2d6b73", "#5b5b12", "#3f3f3f"}

func (s *Site) renderWeek(c *gin.Context, p access.Principal, v weekView) error {
	preview, problems := v.preview, v.problems
	ctx := c.Request.Context()
	weekID := c.Param("week")
	if len(weekID) > 10 {
		return models.ErrNotFound
	}
	w, err := s.store.GetWeek(ctx, weekID)
	if err != nil {
		return err
	}
	pg := s.newPage(c, p, textf("Semaine %s", "Week %s", weekID))
	if v.errs != nil {
		pg.Errors = v.errs
	}
	d := &weekData{page: pg, Week: w, Seed: v.seed}
	for _, pr := range problems {
		d.Problems = append(d.Problems, pr.In(pg.Lang))
	}
	if d.Weeks, err = all(func(pp models.Page) ([]models.Week, error) { return s.store.ListWeeks(ctx, pp) }); err != nil {
		return err
	}
	sc, err := s.store.Scenario(ctx, weekID)
	if err != nil {
		return err
	}
	d.Supply = supplyDemand(pg, sc)
	d.Chart = supplyChart(pg, d.Supply)
	if err := s.missing(ctx, d, sc); err != nil {
		return err
	}
	if d.Versions, err = all(func(pp models.Page) ([]models.StoredPlan, error) { return s.store.ListPlans(ctx, weekID, pp) }); err != nil {
		return err
	}
	cur, err := s.store.CurrentPlan(ctx, weekID)
	hasCurrent := err == nil
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	d.Current = cur
	before, _ := strconv.Atoi(c.Query("avant"))
	if d.History, err = s.versionsOf(ctx, pg, weekID, d.Versions, before, sc); err != nil {
		return err
	}
	switch {
	case preview != nil:
		d.Plan = layOutPlan(pg, sc, *preview)
		d.Plan.Preview = true
	case hasCurrent:
		plan, err := cur.Plan()
		if err != nil {
			return err
		}
		psc := sc
		if in, err := s.store.GetPlanInput(ctx, weekID, cur.Version); err == nil {
			if psc, err = in.ScenarioOf(); err != nil {
				return err
			}
		} else if !errors.Is(err, models.ErrNotFound) {
			return err
		}
		d.Plan = layOutPlan(pg, psc, plan)
		d.Plan.Version, d.Plan.Published = cur.Version, cur.Published
	}
	switch c.Query("fait") {
	case "plan":
		d.Notice = append(d.Notice, fmt.Sprintf(pg.T("Plan enregistré : version %d. La semaine n'accepte plus d'offres ni de commandes.", "Plan saved: version %d. The week no longer takes offers or orders."), cur.Version))
	case "publie":
		d.Notice = append(d.Notice, fmt.Sprintf(pg.T("Version %d publiée : les listes sont envoyées.", "Version %d published: the lists are sent."), cur.Version))
	}
	if preview != nil {
		if w.Status == models.WeekOpen {
			d.Notice = append(d.Notice, pg.T("Aperçu : voici le plan que la semaine aurait maintenant. Rien n'est enregistré, la semaine reste ouverte.", "Preview: this is the plan the week would get now. Nothing is stored, the week stays open."))
		} else {
			d.Notice = append(d.Notice, pg.T("Aperçu : voici le plan recalculé à partir des données enregistrées. Rien n'est enregistré ni modifié.", "Preview: this is the plan recomputed from the stored data. Nothing is stored or changed."))
		}
	}
	d.Actions = weekActionsOf(pg, w, d.Versions, hasCurrent, cur, d.Plan)
	status := http.StatusOK
	if len(problems) > 0 || pg.Errors.Any() {
		status = http.StatusUnprocessableEntity
	}
	return s.render(c, status, "week", d)
}

// weekActionsOf words what each button will do on this week.
func weekActionsOf(pg *page, w models.Week, versions []models.StoredPlan, hasCurrent bool, cur models.StoredPlan, shown *planView) weekActions {
	a := weekActions{CanPublish: hasCurrent && !cur.Published}
	if w.Status == models.WeekOpen {
		a.Preview = pg.T("Calcule le plan tel que la semaine est maintenant, sans rien enregistrer : la semaine reste ouverte aux offres et aux commandes.",
			"Computes the plan as the week stands, storing nothing: the week stays open to offers and orders.")
	} else {
		a.Preview = pg.T("Recalcule le plan à partir des données enregistrées, sans rien enregistrer ni modifier : les versions et la publication restent telles quelles.",
			"Recomputes the plan from the stored data, storing and changing nothing: the versions and the publication stay as they are.")
	}
	next := len(versions) + 1
	if len(versions) > 0 {
		next = versions[0].Version + 1
	}
	if w.Status == models.WeekOpen {
		a.Plan = fmt.Sprintf(pg.T("Planifier ferme la semaine aux offres et aux commandes et enregistre la version %d du plan (un brouillon, que seuls vous voyez).",
			"Planning closes the week to offers and orders and stores version %d of the plan (a draft only you see)."), next)
	} else {
		a.Plan = fmt.Sprintf(pg.T("Planifier à nouveau enregistre la version %d du plan à partir des données actuelles.",
			"Planning again stores version %d of the plan from the current data."), next)
	}
	switch {
	case !hasCurrent:
		a.Publish = pg.T("Il n'y a pas encore de plan à publier : planifiez d'abord.", "There is no plan to publish yet: plan first.")
	case cur.Published:
		a.Publish = fmt.Sprintf(pg.T("La version %d est déjà publiée.", "Version %d is already published."), cur.Version)
	default:
		relays, canteens, farms := 0, 0, 0
		if shown != nil && !shown.Preview {
			relays, canteens, farms = shown.Relays, shown.Canteens, shown.Producers
		}
		a.Publish = fmt.Sprintf(pg.T("Publier la version %d envoie les listes à %d points relais, les bons de livraison à %d cantines et les listes de préparation à %d producteurs ; les chauffeurs reçoivent leurs feuilles de route.",
			"Publishing version %d sends the lists to %d relay points, the delivery notes to %d canteens and the preparation lists to %d producers; the drivers get their round sheets."), cur.Version, relays, canteens, farms)
	}
	return a
}

// supplyDemand sums, per product, what is offered and what each class of
// order asks; basket orders ask for categories in kg, so they are rows of
// their own, against the kg offered in the category.
func supplyDemand(pg *page, sc planner.Scenario) []supplyRow {
	prod := map[string]planner.Product{}
	for _, p := range sc.Products {
		prod[p.ID] = p
	}
	rows := map[string]*supplyRow{}
	var order []string
	row := func(key, label, unit string) *supplyRow {
		if r, ok := rows[key]; ok {
			return r
		}
		rows[key] = &supplyRow{Label: label, Unit: unit}
		order = append(order, key)
		return rows[key]
	}
	for _, p := range sc.Products {
		row("p:"+p.ID, p.Name, p.Unit)
	}
	catKg := map[string]float64{}
	for _, o := range sc.Offers {
		p := prod[o.Product]
		row("p:"+o.Product, p.Name, p.Unit).Offered += o.Quantity
		catKg[p.Category] += o.Quantity * p.KgPerUnit
	}
	baskets := map[string]planner.BasketType{}
	for _, b := range sc.BasketTypes {
		baskets[b.ID] = b
	}
	for _, o := range sc.Orders {
		switch o.Class {
		case planner.ClassBasket:
			for _, cc := range baskets[o.Basket].Contents {
				r := row("c:"+cc.Category, pg.T("Paniers : ", "Baskets: ")+pg.w.Category(cc.Category), "kg")
				r.Basket += cc.Kg * float64(o.Count)
			}
		case planner.ClassCanteen:
			p := prod[o.Product]
			row("p:"+o.Product, p.Name, p.Unit).Canteen += o.Quantity
		default:
			p := prod[o.Product]
			row("p:"+o.Product, p.Name, p.Unit).Extra += o.Quantity
		}
	}
	var out []supplyRow
	for _, k := range order {
		r := rows[k]
		if k[0] == 'c' {
			r.Offered = catKg[k[2:]]
		}
		if r.Offered == 0 && r.Demand() == 0 {
			continue
		}
		out = append(out, *r)
	}
	return out
}

// supplyChart lays the rows out as labelled bar pairs: supply above,
// demand below, each row scaled to its larger figure.
func supplyChart(pg *page, rows []supplyRow) barChart {
	const rowH, barH, gap = 56, 12, 2
	ch := barChart{Height: rowH*len(rows) + 4}
	for i, r := range rows {
		top := i*rowH + 4
		scale := math.Max(r.Offered, r.Demand())
		w := func(x float64) string {
			if scale <= 0 {
				return "0%"
			}
			return fmt.Sprintf("%.1f%%", x/scale*100)
		}
		ch.Bars = append(ch.Bars, chartBar{
			Label:   r.Label,
			Figures: pg.Qty(r.Offered, r.Unit) + " / " + pg.Qty(r.Demand(), r.Unit),
			TextY:   top + 15, SupplyY: top + 22, DemY: top + 22 + barH + gap,
			SupplyW: w(r.Offered), DemW: w(r.Demand()),
			Short: r.Short(),
		})
	}
	return ch
}

// missing finds the farmers who offered the week before and not yet this
// week, and the relay points without an order this week.
func (s *Site) missing(ctx context.Context, d *weekData, sc planner.Scenario) error {
	offered := map[string]bool{}
	for _, o := range sc.Offers {
		offered[o.Producer] = true
	}
	for i, w := range d.Weeks {
		if w.ID != d.Week.ID || i == 0 {
			continue
		}
		d.PrevWeek = d.Weeks[i-1].ID
		prev, err := all(func(pp models.Page) ([]models.Offer, error) {
			return s.store.ListOffers(ctx, d.PrevWeek, models.OfferFilter{}, pp)
		})
		if err != nil {
			return err
		}
		names := map[string]string{}
		for _, p := range sc.Producers {
			names[p.ID] = p.Name
		}
		seen := map[string]bool{}
		for _, o := range prev {
			if !offered[o.ProducerID] && !seen[o.ProducerID] {
				seen[o.ProducerID] = true
				n := names[o.ProducerID]
				if n == "" {
					n = o.ProducerID
				}
				d.MissingFarmers = append(d.MissingFarmers, n)
			}
		}
		sort.Strings(d.MissingFarmers)
	}
	ordered := map[string]bool{}
	for _, o := range sc.Orders {
		ordered[o.Site] = true
	}
	for _, st := range sc.Sites {
		if st.Kind == planner.KindRelay && !ordered[st.ID] {
			d.QuietRelays = append(d.QuietRelays, st.Name)
		}
	}
	return nil
}

// layOutPlan turns a plan into the page's tables and map.
func layOutPlan(pg *page, sc planner.Scenario, plan planner.Plan) *planView {
	v := &planView{DistanceKm: plan.Summary.DistanceKm}
	prod := map[string]planner.Product{}
	for _, p := range sc.Products {
		prod[p.ID] = p
	}
	type place struct {
		name     string
		lat, lon float64
		kind     string
	}
	places := map[string]place{}
	for _, p := range sc.Producers {
		places["p:"+p.ID] = place{p.Name, p.Lat, p.Lon, "producer"}
	}
	for _, st := range sc.Sites {
		places["s:"+st.ID] = place{st.Name, st.Lat, st.Lon, st.Kind}
	}
	orderSite := map[string]string{}
	for _, o := range sc.Orders {
		orderSite[o.ID] = o.Site
	}
	classes := []struct{ id, fr, en string }{
		{planner.ClassCanteen, "Cantines", "Canteens"}, {planner.ClassBasket, "Paniers", "Baskets"}, {planner.ClassExtra, "Extras", "Extras"},
	}
	for _, cl := range classes {
		if r, ok := plan.Summary.FillRate[cl.id]; ok {
			v.FillRates = append(v.FillRates, fillRate{Class: pg.T(cl.fr, cl.en), Percent: pg.Num(math.Round(r*1000)/10) + " %"})
		}
	}
	btName := map[string]string{}
	for _, b := range sc.BasketTypes {
		btName[b.ID] = b.Name
	}
	for _, sf := range plan.Shortfalls {
		row := shortfallRow{Order: sf.Order, Site: places["s:"+orderSite[sf.Order]].name, Reason: sf.Reason}
		if sf.Product != "" && sf.Ordered != nil && sf.Allocated != nil {
			p := prod[sf.Product]
			row.What = p.Name
			row.Missing = pg.Qty(*sf.Ordered-*sf.Allocated, p.Unit) + pg.T(" sur ", " of ") + pg.Qty(*sf.Ordered, p.Unit)
		} else if sf.OrderedKg != nil && sf.AllocatedKg != nil {
			row.What = btName[sf.Basket] + " – " + pg.w.Category(sf.Category)
			row.Missing = pg.Qty(*sf.OrderedKg-*sf.AllocatedKg, "kg") + pg.T(" sur ", " of ") + pg.Qty(*sf.OrderedKg, "kg")
		}
		v.Shortfalls = append(v.Shortfalls, row)
	}
	for _, u := range plan.Unsold {
		p := prod[u.Product]
		v.Unsold = append(v.Unsold, unsoldRow{Farm: places["p:"+u.Producer].name, What: pg.Qty(u.Quantity, p.Unit) + pg.Of(p.Name), Reason: u.Reason})
	}
	for _, b := range plan.Baskets {
		r := basketRow{Name: btName[b.Basket], Value: b.ValueCents, Price: b.PriceCents}
		if r.Name == "" {
			r.Name = b.Basket
		}
		for _, q := range b.Contents {
			p := prod[q.Product]
			r.Contents = append(r.Contents, pg.Qty(q.Quantity, p.Unit)+pg.Of(p.Name))
		}
		v.Baskets = append(v.Baskets, r)
	}
	for _, u := range plan.Unrouted {
		key := "s:" + u.Site
		if u.Producer != "" {
			key = "p:" + u.Producer
		}
		v.Unrouted = append(v.Unrouted, places[key].name+" – "+u.Reason)
	}
	relays, canteens, farms := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, a := range plan.Allocations {
		farms[a.Producer] = true
		site := orderSite[a.Order]
		switch places["s:"+site].kind {
		case planner.KindRelay:
			relays[site] = true
		case planner.KindCanteen:
			canteens[site] = true
		}
	}
	v.Relays, v.Canteens, v.Producers = len(relays), len(canteens), len(farms)

	// The map: an equirectangular projection of the hub and every stop,
	// fitted in the viewBox with a margin.
	const mw, mh, margin = 600, 420, 24.0
	minLat, maxLat, minLon, maxLon := sc.Hub.Lat, sc.Hub.Lat, sc.Hub.Lon, sc.Hub.Lon
	stopPlace := func(st planner.Stop) (place, bool) {
		if st.Producer != "" {
			p, ok := places["p:"+st.Producer]
			return p, ok
		}
		p, ok := places["s:"+st.Site]
		return p, ok
	}
	for _, r := range plan.Rounds {
		for _, st := range r.Stops {
			if p, ok := stopPlace(st); ok {
				minLat, maxLat = math.Min(minLat, p.lat), math.Max(maxLat, p.lat)
				minLon, maxLon = math.Min(minLon, p.lon), math.Max(maxLon, p.lon)
			}
		}
	}
	kx := math.Cos(sc.Hub.Lat * math.Pi / 180)
	spanX, spanY := math.Max((maxLon-minLon)*kx, 1e-6), math.Max(maxLat-minLat, 1e-6)
	scale := math.Min((mw-2*margin)/spanX, (mh-2*margin)/spanY)
	xy := func(lat, lon float64) (string, string) {
		x := margin + (lon-minLon)*kx*scale
		y := mh - margin - (lat-minLat)*scale
		return fmt.Sprintf("%.1f", x), fmt.Sprintf("%.1f", y)
	}
	v.Map = routeMap{Width: mw, Height: mh, HubName: sc.Hub.Name}
	v.Map.HubX, v.Map.HubY = xy(sc.Hub.Lat, sc.Hub.Lon)
	for i, r := range plan.Rounds {
		colour := roundColours[i%len(roundColours)]
		row := roundRow{Index: i + 1, Colour: colour, Vehicle: r.Vehicle, Date: r.Date, Depart: r.Depart, Return: r.Return, DistanceKm: r.DistanceKm,
			Kind: map[string]string{planner.RoundCollection: pg.T("ramassage", "collection"), planner.RoundDelivery: pg.T("livraison", "delivery")}[r.Kind]}
		pts := v.Map.HubX + "," + v.Map.HubY
		for _, st := range r.Stops {
			p, ok := stopPlace(st)
			for _, q := range st.Collect {
				row.LoadKg += q.Quantity * prod[q.Product].KgPerUnit
			}
			for _, q := range st.Deliver {
				row.LoadKg += q.Quantity * prod[q.Product].KgPerUnit
			}
			row.Stops = append(row.Stops, stopRow{Name: p.name, Arrive: st.Arrive, Leave: st.Leave})
			if !ok {
				continue
			}
			x, y := xy(p.lat, p.lon)
			pts += " " + x + "," + y
			v.Map.Dots = append(v.Map.Dots, mapDot{Round: i + 1, Colour: colour, X: x, Y: y, Name: p.name})
		}
		pts += " " + v.Map.HubX + "," + v.Map.HubY
		row.LoadKg = math.Round(row.LoadKg*10) / 10
		row.Points = pts
		v.Map.Lines = append(v.Map.Lines, mapLine{Round: i + 1, Colour: colour, Points: pts})
		v.Rounds = append(v.Rounds, row)
	}
	return v
}

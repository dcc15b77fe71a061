package web

import (
	"context"
	"errors"
	"html"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
	"paniers/planner"
	"paniers/planner/sheets"
)

// The driver's page, read on a phone at six in the morning: the rounds of
// the driver's vehicle in the published plans of this week and the next
// (a driver without a vehicle in its scope, or the coordinator, chooses
// the vehicle first), then a round: each stop in order with its address, a
// geo: link that opens the phone's maps app, the time window and planned
// arrival, what to unload (or load, at a farm) counted as the round sheet
// counts it, and a big button per stop to tick it delivered, each tick a
// small form post kept by the store (models.StopDelivery), so it works
// without JavaScript and survives a reload.
//
// The API's door is api/deliveries.go: the same store function, the same
// scope rule (access.Principal.MayTick), published versions only. A tick
// names the plan version the page showed; once a later version is
// published the store refuses it (models.StaleVersionError) and the page
// shows the new round, with the stops ticked on the old version marked to
// check again, never ticked in their place.

const (
	pathDriver      = "/chauffeur"
	pathDriverRound = pathDriver + "/tournee/"
)

func (s *Site) registerDriver() {
	s.engine.GET(pathDriver, s.signedIn(s.driverHome))
	s.engine.GET(pathDriverRound+":week/:round", s.signedIn(s.driverRoundPage))
	s.engine.POST(pathDriverRound+":week/:round", s.signedIn(s.postDelivered))
}

// driverStore is what the driver's page needs beyond Store; *models.Store
// satisfies it.
type driverStore interface {
	SetDelivered(ctx context.Context, ref models.StopRef, delivered bool, check func(planner.Round) error) (models.StopDelivery, error)
	Deliveries(ctx context.Context, week string) ([]models.StopDelivery, error)
	GetVehicle(ctx context.Context, id string) (models.Vehicle, error)
}

var _ driverStore = (*models.Store)(nil)

// drivers returns the store's drivers' side, or an error when the store
// or the jobs lack it (the pages then have no driver's page).
func (s *Site) drivers(p access.Principal) (driverStore, error) {
	if !p.Is(models.RoleDriver) {
		return nil, errForbidden
	}
	ds, ok := s.store.(driverStore)
	if !ok || s.jobs == nil {
		return nil, models.ErrNotFound
	}
	return ds, nil
}

// driverHomeData is the driver's home: the vehicle's published rounds.
type driverHomeData struct {
	*page
	// Vehicle is the vehicle shown ("" while an unscoped driver chooses).
	Vehicle  string
	Choose   bool
	Vehicles []vehicleChoice
	Weeks    []driverWeek
	// Latest says no week of now or the next one is published: Weeks holds
	// the latest published one.
	Latest bool
}

type vehicleChoice struct {
	ID, Name, URL string
	Rounds        int
}

// driverWeek is one week's published rounds of the vehicle.
type driverWeek struct {
	ID       string
	Delivery string
	Version  int
	Rounds   []roundLink
}

type roundLink struct {
	URL, Title, Date, Depart, Return string
	Stops, Done                      int
	Collection                       bool
}

// publishedWeek is a week with a published plan, read for the driver.
type publishedWeek struct {
	week    models.Week
	version int
	in      sheets.Input
}

// driverWeeks are the weeks a driver's home shows: the published ones from
// the current ISO week on, at most two; when there is none, the latest
// published week (latest true).
func (s *Site) driverWeeks(ctx context.Context, lang string) (out []publishedWeek, latest bool, err error) {
	weeks, err := all(func(pp models.Page) ([]models.Week, error) { return s.store.ListWeeks(ctx, pp) })
	if err != nil {
		return nil, false, err
	}
	slices.SortFunc(weeks, func(a, b models.Week) int { return strings.Compare(a.ID, b.ID) })
	current := models.WeekID(s.now().In(s.loc))
	read := func(w models.Week) (bool, error) {
		v, err := s.store.VisibleVersion(ctx, w.ID, 0, false)
		if errors.Is(err, models.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		in, _, err := s.jobs.DocumentInput(ctx, w.ID, v)
		if err != nil {
			return false, err
		}
		in.Lang = lang
		out = append(out, publishedWeek{week: w, version: v, in: in})
		return true, nil
	}
	for _, w := range weeks {
		if w.ID < current || len(out) == 2 {
			continue
		}
		if _, err := read(w); err != nil {
			return nil, false, err
		}
	}
	if len(out) > 0 {
		return out, false, nil
	}
	for i := len(weeks) - 1; i >= 0; i-- {
		if ok, err := read(weeks[i]); ok || err != nil {
			return out, ok, err
		}
	}
	return nil, false, nil
}

func (s *Site) driverHome(c *gin.Context, p access.Principal) error {
	ds, err := s.drivers(p)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	pg := s.newPage(c, p, text{FR: "Mes tournées", EN: "My rounds"})
	d := &driverHomeData{page: pg, Vehicle: p.Scope}
	if p.Scope == "" {
		d.Vehicle = c.Query("vehicule")
		d.Choose = d.Vehicle == ""
	}
	weeks, latest, err := s.driverWeeks(ctx, pg.Lang)
	if err != nil {
		return err
	}
	d.Latest = latest
	counts := map[string]int{}
	for _, pw := range weeks {
		ticks, err := s.ticksOf(ctx, ds, pw.week.ID, pw.version)
		if err != nil {
			return err
		}
		dw := driverWeek{ID: pw.week.ID, Delivery: pw.week.DeliveryDate, Version: pw.version}
		for i, rd := range pw.in.Plan.Rounds {
			if !p.MayTick(rd) {
				continue
			}
			counts[rd.Vehicle]++
			if rd.Vehicle != d.Vehicle {
				continue
			}
			v, err := sheets.RoundView(pw.in, i)
			if err != nil {
				return err
			}
			dw.Rounds = append(dw.Rounds, roundLink{URL: pg.URL(roundPath(pw.week.ID, i)), Title: v.Title, Date: v.LongDate,
				Depart: rd.Depart, Return: rd.Return, Stops: len(rd.Stops), Done: len(ticks[i]), Collection: v.Collection})
		}
		d.Weeks = append(d.Weeks, dw)
	}
	if d.Vehicle != "" && models.ValidID(d.Vehicle) {
		if v, err := ds.GetVehicle(ctx, d.Vehicle); err == nil && v.Name != "" {
			pg.Who = v.Name
		} else {
			pg.Who = d.Vehicle
		}
	}
	if p.Scope == "" {
		for id, n := range counts {
			name := id
			if v, err := ds.GetVehicle(ctx, id); err == nil && v.Name != "" {
				name = v.Name
			}
			d.Vehicles = append(d.Vehicles, vehicleChoice{ID: id, Name: name, Rounds: n, URL: pg.URL(pathDriver, "vehicule", id)})
		}
		slices.SortFunc(d.Vehicles, func(a, b vehicleChoice) int { return strings.Compare(a.ID, b.ID) })
	}
	return s.render(c, http.StatusOK, "driver", d)
}

// roundPath is a round's page.
func roundPath(week string, round int) string {
	return pathDriverRound + week + "/" + strconv.Itoa(round)
}

// ticksOf returns the ticks of one version of a week, by round and stop.
func (s *Site) ticksOf(ctx context.Context, ds driverStore, week string, version int) (map[int]map[int]time.Time, error) {
	rows, err := ds.Deliveries(ctx, week)
	if err != nil {
		return nil, err
	}
	out := map[int]map[int]time.Time{}
	for _, r := range rows {
		if r.Version != version {
			continue
		}
		if out[r.Round] == nil {
			out[r.Round] = map[int]time.Time{}
		}
		out[r.Round][r.Stop] = r.DeliveredAt
	}
	return out, nil
}

// driverRoundData is one round on the driver's phone.
type driverRoundData struct {
	*page
	Week    string
	Version int
	Round   sheets.RoundPage
	Stops   []driverStop
	Left    int
	Action  string
	Back    string
	Links   []docLink
	// Older says some stops were ticked on an earlier version of the plan:
	// those ticks are shown beside the stops, to check and tick again.
	Older bool
}

// driverStop is one stop with its tick.
type driverStop struct {
	sheets.RoundStop
	Done   bool
	At     string // when it was ticked, "07:12"
	Geo    template.HTMLAttr
	OldAt  string // ticked at this place on an earlier version, "06:58"
	Anchor string
}

func (s *Site) driverRoundPage(c *gin.Context, p access.Principal) error {
	return s.renderRound(c, p, http.StatusOK, nil)
}

// renderRound shows the round of the path in the week's latest published
// version, with a refused tick's message.
func (s *Site) renderRound(c *gin.Context, p access.Principal, status int, errs *formErrors) error {
	ds, week, round, err := s.driverRound(c, p)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	version, err := s.store.VisibleVersion(ctx, week, 0, false)
	if errors.Is(err, models.ErrNotFound) {
		s.problemPage(c, http.StatusNotFound, text{FR: "Cette tournée n'est pas publiée.", EN: "This round is not published."})
		return nil
	}
	if err != nil {
		return err
	}
	in, _, err := s.jobs.DocumentInput(ctx, week, version)
	if err != nil {
		return err
	}
	pg := s.newPage(c, p, text{})
	if errs != nil {
		pg.Errors = errs
	}
	in.Lang = pg.Lang
	if round >= len(in.Plan.Rounds) {
		return models.ErrNotFound
	}
	rd := in.Plan.Rounds[round]
	if !p.MayTick(rd) {
		return errForbidden
	}
	v, err := sheets.RoundView(in, round)
	if err != nil {
		return err
	}
	pg.Title = v.Title
	pg.Who = rd.Vehicle
	if veh, err := ds.GetVehicle(ctx, rd.Vehicle); err == nil && veh.Name != "" {
		pg.Who = veh.Name
	}
	d := &driverRoundData{page: pg, Week: week, Version: version, Round: v, Action: roundPath(week, round), Back: pg.URL(pathDriver)}
	if p.Scope == "" {
		d.Back = pg.URL(pathDriver, "vehicule", rd.Vehicle)
	}
	rows, err := ds.Deliveries(ctx, week)
	if err != nil {
		return err
	}
	hm := func(t time.Time) string { return t.In(s.loc).Format("15:04") }
	for _, st := range v.Stops {
		row := driverStop{RoundStop: st, Geo: geoHref(st.Place), Anchor: "arret-" + strconv.Itoa(st.N)}
		for _, r := range rows {
			switch {
			case r.Version == version && r.Round == round && r.Stop == st.N:
				row.Done, row.At = true, hm(r.DeliveredAt)
			case r.Version < version && r.Vehicle == rd.Vehicle && r.PlaceID == st.Place.ID:
				row.OldAt = hm(r.DeliveredAt)
			}
		}
		if !row.Done {
			d.Left++
			d.Older = d.Older || row.OldAt != ""
		}
		d.Stops = append(d.Stops, row)
	}
	for _, f := range []string{sheets.FormatPDF, sheets.FormatCSV} {
		d.Links = append(d.Links, docLink{Format: f, URL: documentURL(week, sheets.KindRoundSheet, strconv.Itoa(round), f, version, pg.Lang)})
	}
	if n := s.tickNotice(c, pg, d.Stops, v.Collection); n != "" {
		pg.Notice = append(pg.Notice, n)
	}
	return s.render(c, status, "driverround", d)
}

// tickNotice says what the last post stored (?fait=livre or annule,
// &arret=N), read back from the page's stops.
func (s *Site) tickNotice(c *gin.Context, pg *page, stops []driverStop, collection bool) string {
	n, err := strconv.Atoi(c.Query("arret"))
	if err != nil || n < 1 || n > len(stops) {
		return ""
	}
	st := stops[n-1]
	head := textf("Arrêt %d, %s : ", "Stop %d, %s: ", n, st.Place.Name).In(pg.Lang)
	switch {
	case c.Query("fait") == "livre" && st.Done && collection:
		return head + textf("collecté à %s.", "collected at %s.", st.At).In(pg.Lang)
	case c.Query("fait") == "livre" && st.Done:
		return head + textf("livré à %s.", "delivered at %s.", st.At).In(pg.Lang)
	case c.Query("fait") == "annule" && !st.Done:
		return head + pg.T("coche annulée.", "tick undone.")
	}
	return ""
}

// driverRound checks p is a driver (or the coordinator) and reads the
// week and round of the path: a malformed one is a page that does not
// exist.
func (s *Site) driverRound(c *gin.Context, p access.Principal) (driverStore, string, int, error) {
	ds, err := s.drivers(p)
	if err != nil {
		return nil, "", 0, err
	}
	week, raw := c.Param("week"), c.Param("round")
	round, err := strconv.Atoi(raw)
	if _, _, werr := models.ParseWeekID(week); werr != nil || err != nil || round < 0 || strconv.Itoa(round) != raw {
		return nil, "", 0, models.ErrNotFound
	}
	return ds, week, round, nil
}

// geoHref is the href attribute of a link opening a maps app on a place:
// a geo: URI (RFC 5870) with the q=LAT,LON(Name) query Android's maps apps
// read for a pin with a label; empty when the place has no valid position.
//
// It is a whole attribute, not a URL, because html/template percent-encodes
// the parentheses of a URL, which the maps apps then show in the label.
// Only numbers and the percent-encoded name go in (no quote, angle bracket
// or ampersand survives url.QueryEscape), and the value is HTML-escaped
// all the same.
func geoHref(pl sheets.RoundPlace) template.HTMLAttr {
	if u := geoURL(pl); u != "" {
		return template.HTMLAttr(`href="` + html.EscapeString(u) + `"`)
	}
	return ""
}

// geoURL is the geo: URI of geoHref, "" without a valid position.
func geoURL(pl sheets.RoundPlace) string {
	if !pl.Located || math.IsNaN(pl.Lat) || math.IsNaN(pl.Lon) || math.Abs(pl.Lat) > 90 || math.Abs(pl.Lon) > 180 {
		return ""
	}
	ll := strconv.FormatFloat(pl.Lat, 'f', -1, 64) + "," + strconv.FormatFloat(pl.Lon, 'f', -1, 64)
	label := strings.ReplaceAll(url.QueryEscape(pl.Name), "+", "%20")
	return "geo:" + ll + "?q=" + ll + "(" + label + ")"
}

// postDelivered ticks or unticks one stop of the version the page showed,
// then goes back to the round at that stop.
func (s *Site) postDelivered(c *gin.Context, p access.Principal) error {
	ds, week, round, err := s.driverRound(c, p)
	if err != nil {
		return err
	}
	version, verr := strconv.Atoi(c.PostForm("version"))
	stop, serr := strconv.Atoi(c.PostForm("stop"))
	if verr != nil || serr != nil || version < 1 || stop < 1 {
		return models.ErrNotFound
	}
	delivered := c.PostForm("delivered") == "1"
	_, err = ds.SetDelivered(c.Request.Context(), models.StopRef{Week: week, Version: version, Round: round, Stop: stop}, delivered,
		func(rd planner.Round) error {
			if !p.MayTick(rd) {
				return errForbidden
			}
			return nil
		})
	var stale *models.StaleVersionError
	if errors.As(err, &stale) {
		return s.staleTick(c, p, stale, round, stop)
	}
	if err != nil {
		return err
	}
	fait := "livre"
	if !delivered {
		fait = "annule"
	}
	to := roundPath(week, round) + "?fait=" + fait + "&arret=" + strconv.Itoa(stop)
	c.Redirect(http.StatusSeeOther, s.withLang(c, to)+"#arret-"+strconv.Itoa(stop))
	return nil
}

// staleTick answers a tick sent from a page of a version published over
// since: nothing is stored, and the driver sees the new version of the
// round (when the same number is still a round of the same vehicle) or
// the list of rounds, told why.
func (s *Site) staleTick(c *gin.Context, p access.Principal, stale *models.StaleVersionError, round, stop int) error {
	errs := newFormErrors(c)
	errs.Add("stops", textf("La tournée a été republiée (version %d) pendant que vous la lisiez : votre coche de l'arrêt %d n'a pas été enregistrée. Les arrêts ont pu changer : vérifiez la tournée ci-dessous et cochez à nouveau.",
		"The round was published again (version %d) while you were reading it: your tick of stop %d was not stored. The stops may have changed: check the round below and tick again.", stale.Published, stop))
	ctx := c.Request.Context()
	old, _, err := s.jobs.DocumentInput(ctx, stale.Week, stale.Version)
	if err != nil {
		return err
	}
	cur, _, err := s.jobs.DocumentInput(ctx, stale.Week, stale.Published)
	if err != nil {
		return err
	}
	if round < len(old.Plan.Rounds) && round < len(cur.Plan.Rounds) {
		o, n := old.Plan.Rounds[round], cur.Plan.Rounds[round]
		if o.Vehicle == n.Vehicle && o.Kind == n.Kind && p.MayTick(n) {
			return s.renderRound(c, p, http.StatusConflict, errs)
		}
	}
	c.Request.URL.RawQuery = ""
	s.problemPage(c, http.StatusConflict, textf("La tournée a été republiée (version %d) : votre coche n'a pas été enregistrée. Rouvrez vos tournées pour lire la nouvelle version.",
		"The round was published again (version %d): your tick was not stored. Open your rounds again to read the new version.", stale.Published))
	return nil
}

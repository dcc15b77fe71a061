package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
)

// The coordinator's calendar (/coordination/calendrier): every week with
// its collection and delivery days, its cutoffs for offers and orders (in
// the collective's time zone, Options.Location) and its status; a form
// creating the next week with the usual calendar (models.DefaultCalendar),
// and one per week moving its dates, cutoffs and status through
// models.PatchWeek, the API's PATCH /weeks/{week}, by its rules: a planned
// or published week keeps its calendar until it is reopened.

const pathCalendar = "/coordination/calendrier"

func (s *Site) registerCalendar() {
	co := func(h func(*gin.Context, access.Principal) error) gin.HandlerFunc { return s.signedIn(s.coordOnly(h)) }
	s.engine.GET(pathCalendar, co(s.calendarPage))
	s.engine.POST(pathCalendar, co(s.createWeek))
	s.engine.GET(pathCalendar+"/:week", co(s.weekCalendarPage))
	s.engine.POST(pathCalendar+"/:week", co(s.saveWeekCalendar))
}

// calendarData is the calendar page's data.
type calendarData struct {
	*page
	Weeks []calendarWeek
	// New is the form creating the next week; Defaults says its calendar.
	New      []pageField
	Defaults string
	Zone     string
}

// calendarWeek is one week in words.
type calendarWeek struct {
	ID, Status               string
	Collection, Delivery     string
	OfferCutoff, OrderCutoff string
	OfferLeft, OrderLeft     string
	Editable, Offers, Orders bool
}

// statusWords names a week's status.
var statusWords = map[string]text{
	models.WeekOpen: {FR: "ouverte", EN: "open"}, models.WeekClosed: {FR: "fermée", EN: "closed"},
	models.WeekPlanned: {FR: "planifiée", EN: "planned"}, models.WeekPublished: {FR: "publiée", EN: "published"},
}

// instantWords prints an instant in loc: "mardi 8 décembre 2026, 18 h 00"
// (no-break spaces around the h, so the time never splits across lines)
// or "Tuesday 8 December 2026, 18:00".
func instantWords(p *page, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	day := p.w.Date(t.Format(time.DateOnly))
	if p.Lang == langEN {
		return day + ", " + t.Format("15:04")
	}
	return fmt.Sprintf("%s, %d\u00a0h\u00a0%02d", day, t.Hour(), t.Minute())
}

func (s *Site) calendarPage(c *gin.Context, p access.Principal) error {
	return s.renderCalendar(c, p, http.StatusOK, nil)
}

func (s *Site) renderCalendar(c *gin.Context, p access.Principal, status int, errs *formErrors) error {
	ctx := c.Request.Context()
	pg := s.newPage(c, p, text{FR: "Calendrier", EN: "Calendar"})
	if errs != nil {
		pg.Errors = errs
	}
	weeks, err := all(func(pp models.Page) ([]models.Week, error) { return s.store.ListWeeks(ctx, pp) })
	if err != nil {
		return err
	}
	d := &calendarData{page: pg, Zone: s.loc.String()}
	now := s.now()
	for i := len(weeks) - 1; i >= 0; i-- {
		d.Weeks = append(d.Weeks, s.calendarWeek(pg, weeks[i], now))
	}
	next := s.nextWeek(weeks)
	d.New = []pageField{pg.field("id", pg.T("Semaine ISO", "ISO week"), next).withHint(pg.T("AAAA-Wss, par exemple 2026-W51.", "YYYY-Www, for example 2026-W51."))}
	if def, err := models.DefaultCalendar(next, s.loc); err == nil {
		d.Defaults = fmt.Sprintf(pg.T("Avec le calendrier habituel : offres jusqu'au %s, commandes jusqu'au %s, collecte le %s, livraison le %s. Chaque date se change ensuite.",
			"With the usual calendar: offers until %s, orders until %s, collection on %s, delivery on %s. Each date can be changed afterwards."),
			instantWords(pg, def.OfferCutoff, s.loc), instantWords(pg, def.OrderCutoff, s.loc), pg.w.Date(def.CollectionDate), pg.w.Date(def.DeliveryDate))
	}
	switch c.Query("fait") {
	case "semaine":
		for _, w := range d.Weeks {
			if w.ID == c.Query("id") {
				d.Notice = append(d.Notice, fmt.Sprintf(pg.T("Semaine %s enregistrée (%s) : offres jusqu'au %s, commandes jusqu'au %s, collecte le %s, livraison le %s.",
					"Week %s saved (%s): offers until %s, orders until %s, collection on %s, delivery on %s."),
					w.ID, w.Status, w.OfferCutoff, w.OrderCutoff, w.Collection, w.Delivery))
			}
		}
	}
	return s.render(c, status, "calendar", d)
}

func (s *Site) calendarWeek(pg *page, w models.Week, now time.Time) calendarWeek {
	left := func(cutoff time.Time) string {
		if w.Status != models.WeekOpen || !now.Before(cutoff) {
			return pg.T("fermé", "closed")
		}
		return fmt.Sprintf(pg.T("encore %s", "%s left"), timeLeft(pg.Lang, cutoff.Sub(now)))
	}
	return calendarWeek{ID: w.ID, Status: statusWords[w.Status].In(pg.Lang),
		Collection: pg.w.Date(w.CollectionDate), Delivery: pg.w.Date(w.DeliveryDate),
		OfferCutoff: instantWords(pg, w.OfferCutoff, s.loc), OrderCutoff: instantWords(pg, w.OrderCutoff, s.loc),
		OfferLeft: left(w.OfferCutoff), OrderLeft: left(w.OrderCutoff),
		Offers:   w.Status == models.WeekOpen && now.Before(w.OfferCutoff),
		Orders:   w.Status == models.WeekOpen && now.Before(w.OrderCutoff),
		Editable: w.Status == models.WeekOpen || w.Status == models.WeekClosed}
}

// nextWeek is the week to create: the one after the latest, or the week
// farmers work on now (models.NextOpenWeek) when that is later.
func (s *Site) nextWeek(weeks []models.Week) string {
	next := models.NextOpenWeek(s.now(), s.loc)
	if len(weeks) == 0 {
		return next
	}
	last := weeks[len(weeks)-1].ID
	if y, wk, err := models.ParseWeekID(last); err == nil {
		if after := models.WeekID(models.WeekMonday(y, wk, s.loc).AddDate(0, 0, 7)); after > next {
			return after
		}
	}
	return next
}

// createWeek creates a week with the usual calendar (POST /weeks with an
// id only).
func (s *Site) createWeek(c *gin.Context, p access.Principal) error {
	errs := newFormErrors(c)
	w := models.Week{ID: strings.TrimSpace(c.PostForm("id"))}
	label := func(string) string { return text{FR: "Semaine ISO", EN: "ISO week"}.In(errs.lang) }
	err := s.store.CreateWeek(c.Request.Context(), &w)
	if err == nil {
		c.Redirect(http.StatusSeeOther, s.withLang(c, pathCalendar+"?fait=semaine&id="+w.ID))
		return nil
	}
	status, err := storeRefusal(err, errs, w.ID, same, label)
	if err != nil {
		return err
	}
	return s.renderCalendar(c, p, status, errs)
}

var weekLabels = map[string]text{
	"status": {FR: "Statut", EN: "Status"}, "collection_date": {FR: "Jour de collecte", EN: "Collection day"},
	"delivery_date": {FR: "Jour de livraison", EN: "Delivery day"}, "offer_cutoff": {FR: "Fin des offres", EN: "Offers close"},
	"order_cutoff": {FR: "Fin des commandes", EN: "Orders close"},
}

// localInput is an instant as a datetime-local field shows it, in loc.
func localInput(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02T15:04") }

func (s *Site) weekCalendarPage(c *gin.Context, p access.Principal) error {
	w, err := s.store.GetWeek(c.Request.Context(), c.Param("week"))
	if err != nil {
		return err
	}
	return s.renderWeekCalendar(c, p, http.StatusOK, w, nil)
}

func (s *Site) renderWeekCalendar(c *gin.Context, p access.Principal, status int, w models.Week, errs *formErrors) error {
	pg := s.newPage(c, p, text{FR: "Calendrier de la semaine " + w.ID, EN: "Calendar of week " + w.ID})
	if errs != nil {
		pg.Errors = errs
	}
	label := labelOf(weekLabels, pg.Lang)
	var statuses []fieldOption
	for _, st := range models.WeekStatuses {
		statuses = append(statuses, fieldOption{Value: st, Label: statusWords[st].In(pg.Lang)})
	}
	at := func(name string, t time.Time) pageField {
		f := pg.field(name, label(name), localInput(t, s.loc))
		f.Type = "datetime-local"
		return f.withHint(fmt.Sprintf(pg.T("Heure de %s ; enregistrée : %s.", "Time in %s; stored: %s."), s.loc, instantWords(pg, t, s.loc)))
	}
	day := func(name, stored string) pageField {
		f := pg.field(name, label(name), stored)
		f.Type = "date"
		return f.withHint(fmt.Sprintf(pg.T("Enregistré : %s.", "Stored: %s."), pg.w.Date(stored)))
	}
	d := &itemData{page: pg, Action: pathCalendar + "/" + w.ID, Submit: pg.T("Enregistrer", "Save")}
	d.Affects = []string{pg.T("Une heure limite avancée dans le passé ferme aussitôt les offres ou les commandes ; reculée, elle les rouvre tant que la semaine est ouverte.",
		"A cutoff moved into the past closes offers or orders at once; moved later, it reopens them while the week is open.")}
	if w.Status == models.WeekPlanned || w.Status == models.WeekPublished {
		d.Affects = append(d.Affects, pg.T("Cette semaine est planifiée : son plan a été fait avec ces dates, qui ne changent plus. Pour les changer, rouvrez-la (statut « ouverte ») dans le même envoi, puis planifiez-la à nouveau.",
			"This week is planned: its plan was made with these dates, which no longer change. To change them, reopen it (status “open”) in the same change, then plan it again."))
	}
	d.Groups = []fieldGroup{{Fields: []pageField{
		day("collection_date", w.CollectionDate), day("delivery_date", w.DeliveryDate),
		at("offer_cutoff", w.OfferCutoff), at("order_cutoff", w.OrderCutoff),
		pg.choice("status", label("status"), w.Status, statuses).withHint(pg.T("Le planificateur ferme et planifie la semaine de lui-même ; changez-le pour fermer plus tôt ou rouvrir.",
			"The planning job closes and plans the week itself; change it to close early or reopen.")),
	}}}
	return s.render(c, status, "item", d)
}

// saveWeekCalendar sends what changed in the form to models.PatchWeek,
// as PATCH /weeks/{week} with those fields.
func (s *Site) saveWeekCalendar(c *gin.Context, p access.Principal) error {
	ctx := c.Request.Context()
	w, err := s.store.GetWeek(ctx, c.Param("week"))
	if err != nil {
		return err
	}
	errs := newFormErrors(c)
	label := labelOf(weekLabels, errs.lang)
	var ch models.WeekChange
	changed := func(name, stored string) *string {
		v := strings.TrimSpace(c.PostForm(name))
		if v == stored {
			return nil
		}
		return &v
	}
	ch.Status = changed("status", w.Status)
	ch.CollectionDate = changed("collection_date", w.CollectionDate)
	ch.DeliveryDate = changed("delivery_date", w.DeliveryDate)
	instant := func(name string, stored time.Time) *time.Time {
		v := changed(name, localInput(stored, s.loc))
		if v == nil {
			return nil
		}
		var t time.Time
		if *v != "" {
			var fe *models.FieldError
			if t, fe = models.ParseInstant(*v, s.loc); fe != nil {
				errs.AddLabelled(name, label(name), fe.Reason)
			}
		}
		return &t
	}
	ch.OfferCutoff = instant("offer_cutoff", w.OfferCutoff)
	ch.OrderCutoff = instant("order_cutoff", w.OrderCutoff)
	status := http.StatusUnprocessableEntity
	if !errs.Any() {
		_, err := s.store.PatchWeek(ctx, w.ID, ch)
		var closed *models.ClosedError
		switch {
		case err == nil:
			c.Redirect(http.StatusSeeOther, s.withLang(c, pathCalendar+"?fait=semaine&id="+w.ID+"#w-"+w.ID))
			return nil
		case errors.As(err, &closed):
			errs.AddLabelled("status", label("status"), closedText(closed, s.loc))
			status = http.StatusConflict
		default:
			if status, err = storeRefusal(err, errs, w.ID, same, label); err != nil {
				return err
			}
		}
	}
	return s.renderWeekCalendar(c, p, status, w, errs)
}

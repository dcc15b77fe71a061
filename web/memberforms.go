package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
)

// The members page's two forms that give someone access: a new farm with
// its farmer (models.Store.CreateFarmer), and a new access to an existing
// place (models.Store.Invite). Both answer with the first sign-in link,
// shown once.

// farmData is the new farm form.
type farmData struct {
	*page
	Key    string
	Fields []formField
}

// formField is one text field of a form, as the template draws it: label
// above, hint, the message beside it, what was typed kept.
type formField struct {
	Name, Label, Hint, Type, Mode, Unit, Value, Error, Autocomplete string
}

func (s *Site) newFarmPage(c *gin.Context, p access.Principal, _ memberStore) error {
	return s.renderFarm(c, p, http.StatusOK, nil, newPaymentKey())
}

func (s *Site) renderFarm(c *gin.Context, p access.Principal, status int, errs *formErrors, key string) error {
	pg := s.newPage(c, p, text{FR: "Nouvelle ferme", EN: "New farm"})
	if errs != nil {
		pg.Errors = errs
	}
	d := &farmData{page: pg, Key: key}
	for _, f := range []struct {
		name            string
		hint            text
		typ, mode, unit string
		value           string
	}{
		{name: "name", hint: text{FR: "Tel qu'il apparaîtra sur les listes, par exemple Ferme du Marais", EN: "As the lists will show it, for example Ferme du Marais"}},
		{name: "person", hint: text{FR: "La personne qui recevra le lien ; sans nom, l'accès porte celui de la ferme", EN: "Who will get the link; left empty, the access takes the farm's name"}},
		{name: "place", hint: text{FR: "Par exemple Hulluch", EN: "For example Hulluch"}},
		{name: "address", hint: text{FR: "Pour le chauffeur, par exemple Rue de Vendin, 62410 Hulluch", EN: "For the driver, for example Rue de Vendin, 62410 Hulluch"}},
		{name: "lat", hint: text{FR: "Sur une carte (OpenStreetMap : clic droit, « Afficher l'adresse »), par exemple 50,4668", EN: "From a map (OpenStreetMap: right click, “Show address”), for example 50.4668"}, mode: "decimal", unit: "°"},
		{name: "lon", hint: text{FR: "Par exemple 2,7772", EN: "For example 2.7772"}, mode: "decimal", unit: "°"},
		{name: "window_start", hint: text{FR: "Quand le camion peut passer, ou quand la ferme apporte à la plateforme", EN: "When the van may come, or when the farm brings its produce to the hub"}, typ: "time", value: "13:00"},
		{name: "window_end", typ: "time", value: "17:00"},
		{name: "service_min", hint: text{FR: "Le temps de charger sur place", EN: "The time it takes to load there"}, mode: "numeric", unit: "min", value: "15"},
		{name: "id", hint: text{FR: "Facultatif : formé à partir du nom (a-z, 0-9, -)", EN: "Optional: made from the name (a-z, 0-9, -)"}},
	} {
		d.Fields = append(d.Fields, formField{Name: f.name, Label: farmLabels[f.name].In(pg.Lang), Hint: f.hint.In(pg.Lang), Type: f.typ,
			Mode: f.mode, Unit: f.unit, Value: pg.Input(f.name, f.value), Error: pg.Err(f.name), Autocomplete: "off"})
	}
	return s.render(c, status, "memberfarm", d)
}

// farmLabels name the new farm form's fields in the error summary.
var farmLabels = map[string]text{
	"name": {FR: "Nom de la ferme", EN: "Farm's name"}, "id": {FR: "Identifiant", EN: "Id"},
	"place": {FR: "Commune", EN: "Town"}, "address": {FR: "Adresse", EN: "Address"},
	"lat": {FR: "Latitude", EN: "Latitude"}, "lon": {FR: "Longitude", EN: "Longitude"},
	"window_start": {FR: "Début du créneau d'enlèvement", EN: "Start of the pick-up window"},
	"window_end":   {FR: "Fin du créneau d'enlèvement", EN: "End of the pick-up window"},
	"service_min":  {FR: "Temps d'arrêt", EN: "Stop time"}, "person": {FR: "Nom de la personne", EN: "Person's name"},
}

// farmField maps the store's field names of a producer to the form's.
func farmField(f string) string {
	switch f {
	case "window[0]", "window":
		return "window_start"
	case "window[1]":
		return "window_end"
	case "kind", "lender", "collect":
		return "name"
	}
	if _, ok := farmLabels[f]; ok {
		return f
	}
	return "name"
}

// farmForm reads the new farm form; what does not read as a number goes to
// errs, the rest is left to the store's checks.
func farmForm(c *gin.Context, errs *formErrors) models.Producer {
	get := func(f string) string { return strings.TrimSpace(c.PostForm(f)) }
	x := models.Producer{ID: get("id"), Name: get("name"), Kind: models.ProducerFarm, Place: get("place"), Address: get("address"),
		Collect: c.PostForm("collect") == "yes", WindowStart: clockInput(get("window_start")), WindowEnd: clockInput(get("window_end"))}
	if x.ID == "" {
		x.ID = slug(x.Name)
	}
	label := func(f string) string { return farmLabels[f].In(errs.lang) }
	for _, f := range []struct {
		field   string
		into    *float64
		example text
	}{
		{"lat", &x.Lat, text{FR: "Indiquez la latitude en degrés décimaux, par exemple 50,4668", EN: "Enter the latitude in decimal degrees, for example 50.4668"}},
		{"lon", &x.Lon, text{FR: "Indiquez la longitude en degrés décimaux, par exemple 2,7772", EN: "Enter the longitude in decimal degrees, for example 2.7772"}},
		{"service_min", &x.ServiceMin, text{FR: "Indiquez un nombre de minutes, par exemple 15", EN: "Enter a number of minutes, for example 15"}},
	} {
		v, ok := parseDecimal(get(f.field))
		if !ok {
			errs.AddLabelled(f.field, label(f.field), f.example)
		}
		*f.into = v
	}
	return x
}

// clockInput reads a time of day as people type it where the browser has
// no time picker ("13h", "13h30", "9:30", "13.30") as "HH:MM"; anything
// else is left for the store to refuse.
func clockInput(s string) string {
	h, m, ok := strings.Cut(strings.NewReplacer("h", ":", "H", ":", ".", ":").Replace(strings.ReplaceAll(s, " ", "")), ":")
	if !ok {
		return s
	}
	if m == "" {
		m = "00"
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || len(h) > 2 || len(m) != 2 || hh < 0 || mm < 0 {
		return s
	}
	return fmt.Sprintf("%02d:%02d", hh, mm)
}

// slug makes an id from a name: "Ferme de l'Étang" becomes
// "ferme-de-l-etang".
func slug(name string) string {
	fold := strings.NewReplacer("à", "a", "â", "a", "ä", "a", "á", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
		"î", "i", "ï", "i", "í", "i", "ô", "o", "ö", "o", "ó", "o", "ù", "u", "û", "u", "ü", "u", "ú", "u", "ÿ", "y",
		"œ", "oe", "æ", "ae", "ñ", "n")
	var b strings.Builder
	dash := false
	for _, r := range fold.Replace(strings.ToLower(name)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 64 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// postFarm stores a new farm with its farmer's access and shows the first
// sign-in link.
func (s *Site) postFarm(c *gin.Context, p access.Principal, ms memberStore) error {
	errs := newFormErrors(c)
	key := formKey(c)
	x := farmForm(c, errs)
	person := strings.TrimSpace(c.PostForm("person"))
	if x.Name == "" {
		errs.AddLabelled("name", farmLabels["name"].In(errs.lang), text{FR: "Indiquez le nom de la ferme, par exemple Ferme du Marais", EN: "Enter the farm's name, for example Ferme du Marais"})
	}
	if errs.Any() {
		return s.renderFarm(c, p, http.StatusUnprocessableEntity, errs, key)
	}
	k := idemKey(c, p, key, x.ID, x.Name, x.Place, x.Address, strconv.FormatFloat(x.Lat, 'g', -1, 64), strconv.FormatFloat(x.Lon, 'g', -1, 64),
		strconv.FormatBool(x.Collect), x.WindowStart, x.WindowEnd, strconv.FormatFloat(x.ServiceMin, 'g', -1, 64), person)
	var inv models.Invitation
	resp, replayed, err := ms.Idempotent(c.Request.Context(), k, func(ctx context.Context, t models.IdemWriter) (models.IdemResponse, error) {
		var err error
		inv, err = t.CreateFarmer(ctx, &x, person)
		return models.IdemResponse{Status: http.StatusCreated, Body: []byte(strconv.FormatUint(inv.Token.ID, 10))}, err
	})
	switch {
	case replayed:
		return s.shownAgain(c, p, ms, resp)
	case errors.Is(err, models.ErrConflict):
		// A taken id, or this form's key already used for another farm
		// (the form sent, then changed and sent again): either way a new
		// key, and what was typed stays.
		if _, err := s.store.GetProducer(c.Request.Context(), x.ID); err == nil {
			errs.AddLabelled("id", farmLabels["id"].In(errs.lang), text{FR: "Une ferme porte déjà l'identifiant " + x.ID + " : choisissez-en un autre",
				EN: "A farm already has the id " + x.ID + ": choose another one"})
			errs.keep("id", x.ID)
		} else {
			errs.AddLabelled("name", farmLabels["name"].In(errs.lang), text{FR: "Ce formulaire a déjà servi : vérifiez la liste des membres avant de l'envoyer à nouveau",
				EN: "This form was already used: check the members list before sending it again"})
		}
		return s.renderFarm(c, p, http.StatusConflict, errs, newPaymentKey())
	case err != nil:
		if err := errs.fromStore(err, farmField, func(f string) string { return farmLabels[f].In(errs.lang) }, s.loc); err != nil {
			return err
		}
		return s.renderFarm(c, p, http.StatusUnprocessableEntity, errs, key)
	}
	pg := s.newPage(c, p, text{FR: "Ferme enregistrée", EN: "Farm saved"})
	pg.Notice = append(pg.Notice, pg.T("Ferme enregistrée : ", "Farm saved: ")+x.Name+pg.T(", avec l'accès de ", ", with the access of ")+inv.Token.Name+".")
	d := s.showLink(c, pg, inv.Token, inv.LinkClear, inv.Link.ExpiresAt)
	d.Farm, d.FarmPage = &x, pathFarmer+"?pour="+urlQueryEscape(x.ID)
	return s.render(c, http.StatusCreated, "memberlink", d)
}

// shownAgain answers a creation form sent again: the access it made, whose
// link is not shown again.
func (s *Site) shownAgain(c *gin.Context, p access.Principal, ms memberStore, resp models.IdemResponse) error {
	id, err := strconv.ParseUint(string(resp.Body), 10, 64)
	if err != nil {
		return err
	}
	tok, err := ms.GetToken(c.Request.Context(), id)
	if err != nil {
		return err // revoked since: nothing left to show
	}
	return s.alreadyShown(c, p, tok)
}

// accessData is the new access form: someone's access to an existing
// place.
type accessData struct {
	*page
	Key string
	// Choices are the places, by group; Chosen the one asked for.
	Choices []accessGroup
	Chosen  string
}

type accessGroup struct {
	Label   string
	Options []accessOption
}

type accessOption struct{ Value, Label string }

func (s *Site) newAccessPage(c *gin.Context, p access.Principal, ms memberStore) error {
	return s.renderAccess(c, p, ms, http.StatusOK, nil, newPaymentKey())
}

func (s *Site) renderAccess(c *gin.Context, p access.Principal, ms memberStore, status int, errs *formErrors, key string) error {
	pg := s.newPage(c, p, text{FR: "Nouvel accès", EN: "New access"})
	if errs != nil {
		pg.Errors = errs
	}
	groups, err := s.memberGroups(c.Request.Context(), pg, p, ms)
	if err != nil {
		return err
	}
	d := &accessData{page: pg, Key: key, Chosen: pg.Input("for", c.Query("pour"))}
	for _, g := range groups {
		if g.ID == "autres" || len(g.Places) == 0 {
			continue
		}
		ag := accessGroup{Label: g.Title}
		for _, pl := range g.Places {
			label := pl.Name
			if pl.Detail != "" {
				label += " – " + pl.Detail
			}
			ag.Options = append(ag.Options, accessOption{Value: pl.For, Label: label})
		}
		d.Choices = append(d.Choices, ag)
	}
	return s.render(c, status, "memberaccess", d)
}

// accessLabels name the new access form's fields in the error summary.
var accessLabels = map[string]text{"for": {FR: "Pour", EN: "For"}, "name": {FR: "Nom de la personne", EN: "Person's name"}}

// postAccess gives someone access to an existing place and shows the
// first sign-in link.
func (s *Site) postAccess(c *gin.Context, p access.Principal, ms memberStore) error {
	errs := newFormErrors(c)
	key := formKey(c)
	role, scope, ok := strings.Cut(c.PostForm("for"), ":")
	name := strings.TrimSpace(c.PostForm("name"))
	if !ok || role == "" {
		errs.AddLabelled("for", accessLabels["for"].In(errs.lang), text{FR: "Choisissez la ferme, le site, le véhicule ou la coordination", EN: "Choose the farm, site, vehicle or the coordination"})
		return s.renderAccess(c, p, ms, http.StatusUnprocessableEntity, errs, key)
	}
	k := idemKey(c, p, key, role, scope, name)
	var inv models.Invitation
	resp, replayed, err := ms.Idempotent(c.Request.Context(), k, func(ctx context.Context, t models.IdemWriter) (models.IdemResponse, error) {
		var err error
		inv, err = t.Invite(ctx, role, scope, name)
		return models.IdemResponse{Status: http.StatusCreated, Body: []byte(strconv.FormatUint(inv.Token.ID, 10))}, err
	})
	switch {
	case replayed:
		return s.shownAgain(c, p, ms, resp)
	case errors.Is(err, models.ErrConflict):
		errs.AddLabelled("name", accessLabels["name"].In(errs.lang), text{FR: "Ce formulaire a déjà servi : ouvrez-le à nouveau", EN: "This form was already used: open it again"})
		return s.renderAccess(c, p, ms, http.StatusConflict, errs, newPaymentKey())
	case err != nil:
		field := func(f string) string {
			if f == "name" {
				return "name"
			}
			return "for"
		}
		if err := errs.fromStore(err, field, func(f string) string { return accessLabels[f].In(errs.lang) }, s.loc); err != nil {
			return err
		}
		return s.renderAccess(c, p, ms, http.StatusUnprocessableEntity, errs, key)
	}
	pg := s.newPage(c, p, text{FR: "Accès créé", EN: "Access made"})
	d := s.showLink(c, pg, inv.Token, inv.LinkClear, inv.Link.ExpiresAt)
	pg.Notice = append(pg.Notice, pg.T("Accès créé : ", "Access made: ")+d.Person+" – "+d.Place+".")
	return s.render(c, http.StatusCreated, "memberlink", d)
}

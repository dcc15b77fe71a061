package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
	"paniers/planner"
)

// The coordinator's members page (/coordination/membres): the farms,
// relay points, canteens, vehicles and the coordination, each with its
// people, one token each (name, when it was made, whether it is signed in
// somewhere, when it last signed in, a link waiting to be opened). From
// there the coordinator:
//   - makes a fresh sign-in link for someone (POST …/acces/{token}/lien):
//     the answer page shows it once, to copy and send; it is never put in
//     an address, a redirect or a log, and sending the form again (a
//     reload) shows no link;
//   - adds a farm with its farmer's access and first link in one form
//     (…/nouvelle-ferme, models.Store.CreateFarmer: the checks of
//     POST /api/v1/producers), or someone's access to an existing place
//     (…/nouvel-acces, models.Store.Invite, as POST /api/v1/tokens);
//   - revokes an access after a page saying what will happen
//     (…/acces/{token}/revoquer): the person's sessions end at once. The
//     coordinator's own access needs a box ticked besides, since revoking
//     it signs them out.
//
// Each form carries an idempotency key (models.Store.Idempotent), so the
// same form sent twice creates one link, one farm, one access.

const pathMembers = "/coordination/membres"

// memberStore is what the members page needs beyond Store; *models.Store
// satisfies it.
type memberStore interface {
	ListTokens(ctx context.Context, page models.Page) ([]models.Token, error)
	GetToken(ctx context.Context, id uint64) (models.Token, error)
	TokenUses(ctx context.Context) (map[uint64]models.TokenUse, error)
	DeleteToken(ctx context.Context, id uint64) error
	ListVehicles(ctx context.Context, page models.Page) ([]models.Vehicle, error)
	Idempotent(ctx context.Context, k models.IdemKey, write func(context.Context, models.IdemWriter) (models.IdemResponse, error)) (models.IdemResponse, bool, error)
}

var _ memberStore = (*models.Store)(nil)

// memberHandler is a members page handler, given the store's member side.
type memberHandler func(c *gin.Context, p access.Principal, ms memberStore) error

func (s *Site) registerMembers() {
	m := func(h memberHandler) gin.HandlerFunc {
		return s.signedIn(s.coordOnly(func(c *gin.Context, p access.Principal) error {
			ms, ok := s.store.(memberStore)
			if !ok {
				return models.ErrNotFound
			}
			return h(c, p, ms)
		}))
	}
	s.engine.GET(pathMembers, m(s.membersPage))
	s.engine.GET(pathMembers+"/nouvelle-ferme", m(s.newFarmPage))
	s.engine.POST(pathMembers+"/nouvelle-ferme", m(s.postFarm))
	s.engine.GET(pathMembers+"/nouvel-acces", m(s.newAccessPage))
	s.engine.POST(pathMembers+"/nouvel-acces", m(s.postAccess))
	s.engine.POST(pathMembers+"/acces/:token/lien", m(s.postLink))
	s.engine.GET(pathMembers+"/acces/:token/revoquer", m(s.revokePage))
	s.engine.POST(pathMembers+"/acces/:token/revoquer", m(s.postRevoke))
}

// membersData is the members page.
type membersData struct {
	*page
	Groups []memberGroup
}

// memberGroup is one kind of place: farms, relay points, canteens,
// vehicles, the coordination, and accesses whose place is gone.
type memberGroup struct {
	ID, Title, Empty string
	Places           []memberPlace
}

// memberPlace is a farm, a site, a vehicle (or every vehicle, or the
// coordination) with the people who act for it.
type memberPlace struct {
	// Anchor is the place's id on the page; For the new access form's
	// value for it ("relay:relais-loos").
	Anchor, Name, Detail, For string
	// ID is the producer's, site's or vehicle's id, as the API names it.
	ID string
	// Page is the place's page as its people see it.
	Page   string
	People []memberRow
}

// memberRow is one person's access, told in words.
type memberRow struct {
	ID      uint64
	Name    string
	Created string
	// Use says whether and where the person is signed in; Waiting, a link
	// not opened yet.
	Use, Waiting string
	Self         bool
	// Key is the idempotency key of this row's "new link" form.
	Key string
}

// place is a (role, scope) pair written as the new access form's value.
func place(role, scope string) string { return role + ":" + scope }

// membersPage lists everyone.
func (s *Site) membersPage(c *gin.Context, p access.Principal, ms memberStore) error {
	pg := s.newPage(c, p, text{FR: "Membres", EN: "Members"})
	if c.Query("fait") == "revoque" {
		if id, err := strconv.ParseUint(c.Query("id"), 10, 64); err == nil {
			if _, err := ms.GetToken(c.Request.Context(), id); errors.Is(err, models.ErrNotFound) {
				pg.Notice = append(pg.Notice, pg.T("Accès révoqué : ", "Access revoked: ")+truncateRunes(c.Query("nom"), 200)+
					pg.T(". Ses sessions sont fermées et ses liens ne marchent plus.", ". Its sessions are closed and its links no longer work."))
			}
		}
	}
	groups, err := s.memberGroups(c.Request.Context(), pg, p, ms)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "members", &membersData{page: pg, Groups: groups})
}

// memberGroups reads every place and access and puts each access under its
// place; an access whose place no longer exists goes under "other".
func (s *Site) memberGroups(ctx context.Context, pg *page, p access.Principal, ms memberStore) ([]memberGroup, error) {
	producers, err := all(func(pp models.Page) ([]models.Producer, error) { return s.store.ListProducers(ctx, pp) })
	if err != nil {
		return nil, err
	}
	sites, err := all(func(pp models.Page) ([]models.Site, error) { return s.store.ListSites(ctx, "", pp) })
	if err != nil {
		return nil, err
	}
	vehicles, err := all(func(pp models.Page) ([]models.Vehicle, error) { return ms.ListVehicles(ctx, pp) })
	if err != nil {
		return nil, err
	}
	tokens, err := all(func(pp models.Page) ([]models.Token, error) { return ms.ListTokens(ctx, pp) })
	if err != nil {
		return nil, err
	}
	uses, err := ms.TokenUses(ctx)
	if err != nil {
		return nil, err
	}
	farms := memberGroup{ID: "fermes", Title: pg.T("Fermes", "Farms"), Empty: pg.T("Aucune ferme.", "No farm.")}
	for _, x := range producers {
		farms.Places = append(farms.Places, memberPlace{Anchor: "p-" + x.ID, ID: x.ID, Name: x.Name, Detail: x.Place,
			For: place(models.RoleFarmer, x.ID), Page: pathFarmer + "?pour=" + urlQueryEscape(x.ID)})
	}
	relays := memberGroup{ID: "relais", Title: pg.T("Points relais", "Relay points"), Empty: pg.T("Aucun point relais.", "No relay point.")}
	canteens := memberGroup{ID: "cantines", Title: pg.T("Cantines", "Canteens"), Empty: pg.T("Aucune cantine.", "No canteen.")}
	for _, x := range sites {
		if x.Kind == planner.KindCanteen {
			canteens.Places = append(canteens.Places, memberPlace{Anchor: "s-" + x.ID, ID: x.ID, Name: x.Name, Detail: x.Place,
				For: place(models.RoleCook, x.ID), Page: pathCook + "?pour=" + urlQueryEscape(x.ID)})
		} else {
			relays.Places = append(relays.Places, memberPlace{Anchor: "s-" + x.ID, ID: x.ID, Name: x.Name, Detail: x.Place,
				For: place(models.RoleRelay, x.ID), Page: pathRelay + "?pour=" + urlQueryEscape(x.ID)})
		}
	}
	drivers := memberGroup{ID: "chauffeurs", Title: pg.T("Véhicules et chauffeurs", "Vehicles and drivers"),
		Places: []memberPlace{{Anchor: "v-tous", Name: pg.T("Tous les véhicules", "Every vehicle"),
			Detail: pg.T("les feuilles de route de chaque tournée", "the round sheets of every round"), For: place(models.RoleDriver, "")}}}
	for _, x := range vehicles {
		name := x.Name
		if name == "" {
			name = x.ID
		}
		drivers.Places = append(drivers.Places, memberPlace{Anchor: "v-" + x.ID, ID: x.ID, Name: name,
			Detail: pg.T("capacité ", "capacity ") + pg.Num(x.CapacityKg) + " kg", For: place(models.RoleDriver, x.ID)})
	}
	coord := memberGroup{ID: "coordination", Title: pg.T("Coordination", "Coordination"),
		Places: []memberPlace{{Anchor: "c", Name: pg.T("Coordination", "Coordination"),
			Detail: pg.T("tous les droits : semaines, plans, membres", "every right: weeks, plans, members"), For: place(models.RoleCoordinator, "")}}}
	other := memberGroup{ID: "autres", Title: pg.T("Autres accès", "Other accesses")}
	groups := []*memberGroup{&farms, &relays, &canteens, &drivers, &coord}
	index := map[string]*memberPlace{}
	for _, g := range groups {
		for i := range g.Places {
			index[g.Places[i].For] = &g.Places[i]
		}
	}
	for _, t := range tokens {
		row := s.memberRow(pg, p, t, uses[t.ID])
		pl, ok := index[place(t.Role, t.Scope)]
		if !ok {
			// The producer, site or vehicle was removed, or the role is one
			// this page does not know: the access still works, so it shows.
			other.Places = append(other.Places, memberPlace{Anchor: "t-" + strconv.FormatUint(t.ID, 10),
				Name: t.Role + " " + t.Scope, Detail: pg.T("ce lieu n'existe plus", "this place no longer exists"), People: []memberRow{row}})
			continue
		}
		pl.People = append(pl.People, row)
	}
	out := make([]memberGroup, 0, 6)
	for _, g := range groups {
		out = append(out, *g)
	}
	if len(other.Places) > 0 {
		out = append(out, other)
	}
	return out, nil
}

// memberRow puts an access in words.
func (s *Site) memberRow(pg *page, p access.Principal, t models.Token, u models.TokenUse) memberRow {
	r := memberRow{ID: t.ID, Name: t.Name, Created: s.when(pg, t.CreatedAt), Self: strconv.FormatUint(t.ID, 10) == p.TokenID, Key: newPaymentKey()}
	if r.Name == "" {
		r.Name = pg.T("(sans nom)", "(no name)")
	}
	switch {
	case u.Sessions == 1:
		r.Use = pg.T("Connecté sur 1 appareil", "Signed in on 1 device")
	case u.Sessions > 1:
		r.Use = textf("Connecté sur %d appareils", "Signed in on %d devices", u.Sessions).In(pg.Lang)
	default:
		r.Use = pg.T("Connecté nulle part", "Not signed in anywhere")
	}
	if !u.LastSignIn.IsZero() {
		r.Use += pg.T(" · dernière connexion le ", " · last signed in on ") + s.when(pg, u.LastSignIn)
	}
	if u.Links > 0 {
		r.Waiting = pg.T("Lien de connexion pas encore ouvert, valable jusqu'au ", "Sign-in link not opened yet, valid until ") + s.when(pg, u.LinksExpire)
	}
	return r
}

// when prints an instant as "26 novembre à 14:05" in the collective's time
// zone.
func (s *Site) when(pg *page, t time.Time) string {
	t = t.In(s.loc)
	return pg.w.DayMonthOf(t) + pg.T(" à ", " at ") + t.Format("15:04")
}

func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// tokenOf reads the {token} path parameter's access: ErrNotFound for
// anything but an existing token's number.
func tokenOf(c *gin.Context, ms memberStore) (models.Token, error) {
	id, err := strconv.ParseUint(c.Param("token"), 10, 64)
	if err != nil || id == 0 {
		return models.Token{}, models.ErrNotFound
	}
	return ms.GetToken(c.Request.Context(), id)
}

// placeName names the place an access acts for: "Ferme du Marais", "Relais
// de Loos", "Coordination".
func (s *Site) placeName(ctx context.Context, pg *page, t models.Token) string {
	switch t.Role {
	case models.RoleCoordinator:
		return pg.T("Coordination", "Coordination")
	case models.RoleFarmer:
		if x, err := s.store.GetProducer(ctx, t.Scope); err == nil {
			return x.Name
		}
	case models.RoleRelay, models.RoleCook:
		if x, err := s.store.GetSite(ctx, t.Scope); err == nil {
			return x.Name
		}
	case models.RoleDriver:
		if t.Scope == "" {
			return pg.T("Chauffeur, tous les véhicules", "Driver, every vehicle")
		}
		return pg.T("Chauffeur, véhicule ", "Driver, vehicle ") + t.Scope
	}
	return t.Role + " " + t.Scope
}

// formKey is the idempotency key a form came with, or a new one when it
// came without (a hand-made request: nothing to protect from a reload).
func formKey(c *gin.Context) string {
	key := c.PostForm("key")
	odd := strings.ContainsFunc(key, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') })
	if !strings.HasPrefix(key, "web-") || len(key) > 64 || odd {
		return newPaymentKey()
	}
	return key
}

// idemKey is the key of a members form: who sent it, where, and a hash of
// what it asked.
func idemKey(c *gin.Context, p access.Principal, key string, request ...string) models.IdemKey {
	sum := sha256.Sum256([]byte(strings.Join(request, "\x00")))
	return models.IdemKey{Key: key, Scope: p.TokenID, Route: "POST " + c.FullPath(), RequestHash: hex.EncodeToString(sum[:])}
}

// memberLinkData is the page showing a sign-in link, once.
type memberLinkData struct {
	*page
	Person, Place string
	URL, Expires  string
	// Farm is set after a new farm: its page, as its farmer sees it.
	Farm     *models.Producer
	FarmPage string
	Back     string
}

// showLink answers with the page showing a new sign-in link. Nothing keeps
// it: the page is not cached, and the link's code is only in its body.
func (s *Site) showLink(c *gin.Context, pg *page, tok models.Token, code string, expires time.Time) *memberLinkData {
	c.Header("Cache-Control", "no-store")
	d := &memberLinkData{page: pg, Person: tok.Name, Place: s.placeName(c.Request.Context(), pg, tok),
		URL: access.SignInURL(s.secure(c), c.Request.Host, code), Expires: s.when(pg, expires),
		Back: pathMembers + "#t-" + strconv.FormatUint(tok.ID, 10)}
	if d.Person == "" {
		d.Person = d.Place
	}
	return d
}

// postLink makes a fresh sign-in link for an access and shows it.
func (s *Site) postLink(c *gin.Context, p access.Principal, ms memberStore) error {
	tok, err := tokenOf(c, ms)
	if err != nil {
		return err
	}
	k := idemKey(c, p, formKey(c), strconv.FormatUint(tok.ID, 10))
	var code string
	var link models.SignInLink
	_, replayed, err := ms.Idempotent(c.Request.Context(), k, func(ctx context.Context, t models.IdemWriter) (models.IdemResponse, error) {
		var err error
		code, link, err = t.CreateSignInLink(ctx, tok.ID)
		return models.IdemResponse{Status: http.StatusCreated, Body: []byte(strconv.FormatUint(tok.ID, 10))}, err
	})
	if replayed || errors.Is(err, models.ErrConflict) {
		return s.alreadyShown(c, p, tok)
	}
	if err != nil {
		return err
	}
	pg := s.newPage(c, p, text{FR: "Lien de connexion", EN: "Sign-in link"})
	return s.render(c, http.StatusCreated, "memberlink", s.showLink(c, pg, tok, code, link.ExpiresAt))
}

// alreadyShownData says a form was already sent: its link is not shown
// again.
type alreadyShownData struct {
	*page
	Token   models.Token
	Person  string
	Key     string
	Message string
}

// alreadyShown answers a form sent again (a reload, a double tap): the
// link it made was shown once and is not shown again; a button makes a new
// one.
func (s *Site) alreadyShown(c *gin.Context, p access.Principal, tok models.Token) error {
	pg := s.newPage(c, p, text{FR: "Lien déjà affiché", EN: "Link already shown"})
	d := &alreadyShownData{page: pg, Token: tok, Person: tok.Name, Key: newPaymentKey(),
		Message: pg.T("Ce formulaire a déjà été envoyé : le lien de connexion qu'il a créé a été affiché une fois et ne s'affiche plus.",
			"This form was already sent: the sign-in link it made was shown once and is not shown again.")}
	if d.Person == "" {
		d.Person = s.placeName(c.Request.Context(), pg, tok)
	}
	return s.render(c, http.StatusConflict, "membershown", d)
}

// revokeData is the page confirming a revocation.
type revokeData struct {
	*page
	Token         models.Token
	Person, Place string
	Use           memberRow
	// Self: the coordinator's own access; LastCoordinator: the only
	// coordinator access left.
	Self, LastCoordinator bool
}

func (s *Site) revokePage(c *gin.Context, p access.Principal, ms memberStore) error {
	return s.renderRevoke(c, p, ms, http.StatusOK, nil)
}

func (s *Site) renderRevoke(c *gin.Context, p access.Principal, ms memberStore, status int, errs *formErrors) error {
	tok, err := tokenOf(c, ms)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	pg := s.newPage(c, p, text{FR: "Révoquer un accès", EN: "Revoke an access"})
	if errs != nil {
		pg.Errors = errs
	}
	uses, err := ms.TokenUses(ctx)
	if err != nil {
		return err
	}
	d := &revokeData{page: pg, Token: tok, Person: tok.Name, Place: s.placeName(ctx, pg, tok), Use: s.memberRow(pg, p, tok, uses[tok.ID])}
	d.Self = d.Use.Self
	if d.Person == "" {
		d.Person = d.Place
	}
	if tok.Role == models.RoleCoordinator {
		tokens, err := all(func(pp models.Page) ([]models.Token, error) { return ms.ListTokens(ctx, pp) })
		if err != nil {
			return err
		}
		d.LastCoordinator = !slices.ContainsFunc(tokens, func(t models.Token) bool { return t.Role == models.RoleCoordinator && t.ID != tok.ID })
	}
	return s.render(c, status, "memberrevoke", d)
}

// postRevoke revokes an access: its sessions end and its links stop
// working at once. Revoking one's own access takes the box "I will be
// signed out" ticked, and signs out.
func (s *Site) postRevoke(c *gin.Context, p access.Principal, ms memberStore) error {
	tok, err := tokenOf(c, ms)
	if err != nil {
		return err
	}
	self := strconv.FormatUint(tok.ID, 10) == p.TokenID
	if self && c.PostForm("self") != "yes" {
		errs := newFormErrors(c)
		errs.AddLabelled("self", text{FR: "Confirmation", EN: "Confirmation"}.In(errs.lang), text{
			FR: "Cochez la case pour confirmer : vous serez déconnecté tout de suite.",
			EN: "Tick the box to confirm: you will be signed out at once."})
		return s.renderRevoke(c, p, ms, http.StatusUnprocessableEntity, errs)
	}
	if err := ms.DeleteToken(c.Request.Context(), tok.ID); err != nil {
		return err
	}
	if s.opts.TokensRevoked != nil {
		s.opts.TokensRevoked()
	}
	s.log.InfoContext(c.Request.Context(), "web: access revoked", "token", tok.ID, "role", tok.Role, "by", p.TokenID)
	if self {
		s.forgetSession(c)
		return nil
	}
	name := tok.Name
	if name == "" {
		name = tok.Role + " " + tok.Scope
	}
	to := pathMembers + "?" + "fait=revoque&id=" + strconv.FormatUint(tok.ID, 10) + "&nom=" + urlQueryEscape(name)
	c.Redirect(http.StatusSeeOther, s.withLang(c, to))
	return nil
}

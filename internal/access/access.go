// Package access holds who may do what in paniers, for both doors: the
// API's bearer tokens and the pages' sessions. A Principal is the role and
// scope of a token; its methods are the scope rules (a farmer acts for its
// own producer only, a relay manager and a cook for their own site, the
// coordinator for all), and Limiter slows down whoever keeps failing to
// sign in. The API and the pages apply these rules from here, so they
// cannot drift apart.
package access

import (
	"net/url"
	"strconv"

	"paniers/models"
	"paniers/planner"
	"paniers/planner/sheets"
)

// Principal is who a request acts as: the role and scope of its token. Scope
// is the producer id of a farmer, the relay point id of a relay manager, the
// canteen id of a cook, the vehicle id of a driver (empty: every vehicle),
// and empty for the coordinator.
type Principal struct {
	TokenID string `json:"token_id"`
	Role    string `json:"role"`
	Scope   string `json:"scope,omitempty"`
	Name    string `json:"name,omitempty"`
}

// Of is the principal of a token.
func Of(t models.Token) Principal {
	return Principal{TokenID: strconv.FormatUint(t.ID, 10), Role: t.Role, Scope: t.Scope, Name: t.Name}
}

// IsCoordinator reports whether p may do everything.
func (p Principal) IsCoordinator() bool { return p.Role == models.RoleCoordinator }

// Is reports whether p has one of the roles; the coordinator has them all.
func (p Principal) Is(roles ...string) bool {
	if p.IsCoordinator() {
		return true
	}
	for _, r := range roles {
		if p.Role == r {
			return true
		}
	}
	return false
}

// OwnsProducer reports whether p acts for a producer: the coordinator, or
// that producer's farmer.
func (p Principal) OwnsProducer(id string) bool {
	return p.IsCoordinator() || p.Role == models.RoleFarmer && p.Scope == id
}

// OwnsSite reports whether p acts for a site: the coordinator, the relay
// point's manager or the canteen's cook.
func (p Principal) OwnsSite(id string) bool {
	return p.IsCoordinator() || (p.Role == models.RoleRelay || p.Role == models.RoleCook) && p.Scope == id
}

// MayRead says whether p may read the document of kind for subject id: the
// coordinator everything (round sheets are for the drivers, through the
// coordinator); a farmer its preparation list; a relay point's manager its
// pick-up list (households' names are personal data); a cook its canteen's
// delivery note.
//
// A driver reads round sheets only, and with a vehicle in its scope only
// that vehicle's, which takes the plan: MayRead tells what it can without
// it, MayReadIn with it.
func (p Principal) MayRead(kind, id string) bool {
	switch p.Role {
	case models.RoleDriver:
		return kind == sheets.KindRoundSheet
	case models.RoleCoordinator:
		return true
	case models.RoleFarmer:
		return kind == sheets.KindPreparationList && id == p.Scope
	case models.RoleRelay:
		return kind == sheets.KindPickupList && id == p.Scope
	case models.RoleCook:
		return kind == sheets.KindDeliveryNote && id == p.Scope
	}
	return false
}

// MayReadIn says whether p may read the document of kind for subject id of
// plan: MayRead, and for a driver scoped to a vehicle, a round sheet of
// that vehicle. A round the plan lacks is left to the renderer's 404.
func (p Principal) MayReadIn(plan *planner.Plan, kind, id string) bool {
	if !p.MayRead(kind, id) {
		return false
	}
	if p.Role != models.RoleDriver || p.Scope == "" {
		return true
	}
	i, err := strconv.Atoi(id)
	if err != nil || i < 0 || i >= len(plan.Rounds) {
		return true
	}
	return plan.Rounds[i].Vehicle == p.Scope
}

// MayTick says whether p may tick the stops of round rd as delivered, and
// read those ticks: the coordinator, and the drivers who read its round
// sheet (MayReadIn): of rd's vehicle, or of every vehicle without a scope.
func (p Principal) MayTick(rd planner.Round) bool {
	return p.IsCoordinator() || p.Role == models.RoleDriver && (p.Scope == "" || p.Scope == rd.Vehicle)
}

// ScopeKinds says what a role's scope names.
var ScopeKinds = map[string]string{
	models.RoleFarmer: "producer",
	models.RoleRelay:  "relay",
	models.RoleCook:   "canteen",
	models.RoleDriver: "vehicle",
}

// SessionCookie is the name of the pages' session cookie. The API accepts
// it on the document routes (GET only), so a document linked from a page
// opens in the signed-in browser.
const SessionCookie = "paniers_session"

// DocumentPath is the API's address of a week's document (its {for} is the
// producer or site id), which the pages link to: the route accepts the
// session cookie as well as a bearer token.
func DocumentPath(week, kind, id, format string) string {
	return "/api/v1/weeks/" + week + "/documents/" + kind + "/" + url.PathEscape(id) + "." + format
}

// SignInPath prefixes a sign-in link's code: the pages open a session at
// SignInPath + code.
const SignInPath = "/connexion/"

// SignInURL is the absolute address of a sign-in link's code on host, the
// address the coordinator reached paniers at (https when the request came
// over TLS or through a trusted proxy saying so): the API's answer to a new
// token and the members page show it.
func SignInURL(https bool, host, code string) string {
	scheme := "http"
	if https {
		scheme = "https"
	}
	return scheme + "://" + host + SignInPath + code
}

package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"paniers/jobs"
	"paniers/models"
	"paniers/planner"
)

// Plans: the coordinator plans a week (the same function as the weekly job),
// reads every version and publishes; each farmer, relay point and canteen
// reads the part of the current plan that concerns it.

var namePlan = text{FR: "Plan de la semaine", EN: "Plan of week"}

// planMeta describes a stored version of a plan.
type planMeta struct {
	Version     int    `json:"version"`
	CreatedAt   string `json:"created_at"`
	Published   bool   `json:"published"`
	PublishedAt string `json:"published_at,omitempty"`
}

func (s *Server) toPlanMeta(sp models.StoredPlan) planMeta {
	m := planMeta{Version: sp.Version, CreatedAt: s.formatInstant(sp.CreatedAt), Published: sp.Published}
	if sp.PublishedAt != nil {
		m.PublishedAt = s.formatInstant(*sp.PublishedAt)
	}
	return m
}

// fullPlanBody is the coordinator's view: the contract's plan as stored,
// with its version.
type fullPlanBody struct {
	planner.Plan
	planMeta
}

// scopeBody says whose part of the plan a scoped view is.
type scopeBody struct {
	Role string `json:"role"`
	ID   string `json:"id"`
}

// stopBody is one stop of a round, with the round it belongs to.
type stopBody struct {
	Round   int    `json:"round"`
	Vehicle string `json:"vehicle"`
	Kind    string `json:"kind"`
	Date    string `json:"date"`
	planner.Stop
}

// scopedPlanBody is a farmer's, relay point's or cook's view of the plan:
// only what concerns its producer or site.
type scopedPlanBody struct {
	Week string `json:"week"`
	planMeta
	Scope       scopeBody                `json:"scope"`
	Orders      []planner.Order          `json:"orders"`
	Baskets     []planner.BasketContents `json:"baskets"`
	Allocations []planner.Allocation     `json:"allocations"`
	Shortfalls  []planner.Shortfall      `json:"shortfalls"`
	Unsold      []planner.Unsold         `json:"unsold"`
	Stops       []stopBody               `json:"stops"`
	Unrouted    []planner.Unrouted       `json:"unrouted"`
}

// postPlan plans the week now (POST /weeks/{week}/plan?seed=N) and answers
// the new version, 201 with its Location; with ?preview=true it answers the
// plan the week would get now (200), storing nothing and leaving the week
// open.
func (s *Server) postPlan(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	seed := int64(1)
	if raw, ok := c.GetQuery("seed"); ok {
		n, reason, valid := jobs.ParseSeed(raw)
		if !valid {
			return errKind(kindBadRequest, text{FR: "Paramètre invalide.", EN: "Invalid parameter."}, FieldError{Field: "seed", Reason: reason})
		}
		seed = n
	}
	preview, err := previewQuery(c)
	if err != nil {
		return err
	}
	j, err := s.jobs()
	if err != nil {
		return err
	}
	if preview {
		plan, err := j.PreviewWeek(c.Request.Context(), week, seed)
		if err != nil {
			return planError(err, week)
		}
		ok(c, previewPlanBody{Plan: plan, Preview: true})
		return nil
	}
	// The plan is finished and stored even if the client gives up waiting:
	// the run is recorded and the new version is there when it asks again.
	sp, err := j.PlanWeek(context.WithoutCancel(c.Request.Context()), week, seed)
	if err != nil {
		return planError(err, week)
	}
	plan, err := sp.Plan()
	if err != nil {
		return err
	}
	writeCreated(c, fmt.Sprintf("/api/v1/weeks/%s/plan?version=%d", week, sp.Version), fullPlanBody{Plan: plan, planMeta: s.toPlanMeta(sp)})
	return nil
}

// previewPlanBody is a plan asked with ?preview=true: the plan the week
// would get now, stored nowhere, so it has no version.
type previewPlanBody struct {
	planner.Plan
	Preview bool `json:"preview"`
}

// previewQuery reads ?preview= (false when absent): true plans the week
// without storing a version, closing the week or recording a job run.
func previewQuery(c *gin.Context) (bool, error) {
	raw, ok := c.GetQuery("preview")
	if !ok {
		return false, nil
	}
	switch raw {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, errKind(kindBadRequest, text{FR: "Paramètre invalide.", EN: "Invalid parameter."},
		FieldError{Field: "preview", Reason: textf("true ou false attendu (reçu %q)", "true or false expected (got %q)", truncate(raw, 40))})
}

// planError turns a planning failure into an answer: an unknown week is a
// 404, a week whose data cannot be planned a 422 naming each problem.
func planError(err error, week string) error {
	var invalid *planner.ValidationError
	if errors.As(err, &invalid) {
		e := errKind(kindValidation, textf("Les données de la semaine %s ne peuvent pas être planifiées.", "The data of week %s cannot be planned.", week))
		for _, p := range invalid.Problems {
			e.Fields = append(e.Fields, FieldError{Field: "scenario." + p.Field, Reason: p.Reason})
		}
		return e
	}
	return notFoundAs(err, "week", nameWeek, week)
}

// postPublish publishes the week's current plan now (the same function as
// the weekly job) and answers it.
func (s *Server) postPublish(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	j, err := s.jobs()
	if err != nil {
		return err
	}
	sp, err := j.Publish(context.WithoutCancel(c.Request.Context()), week)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return notFoundAs(err, "week", namePlan, week)
	case errors.Is(err, models.ErrConflict):
		return errKind(kindConflict, textf("La semaine %s a été replanifiée pendant la publication ; publiez à nouveau.",
			"Week %s was re-planned during the publication; publish again.", week))
	case err != nil:
		return err
	}
	plan, err := sp.Plan()
	if err != nil {
		return err
	}
	ok(c, fullPlanBody{Plan: plan, planMeta: s.toPlanMeta(sp)})
	return nil
}

// versionQuery reads ?version= (0 when absent: the current version).
func versionQuery(c *gin.Context) (int, error) {
	raw, ok := c.GetQuery("version")
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 1000000 {
		return 0, errKind(kindBadRequest, text{FR: "Paramètre invalide.", EN: "Invalid parameter."},
			FieldError{Field: "version", Reason: textf("numéro de version attendu (reçu %q)", "version number expected (got %q)", truncate(raw, 40))})
	}
	return n, nil
}

// planAsked is a plan read named by a request: the {week} path parameter,
// ?version= (the current version by default), the stored version and its
// plan.
type planAsked struct {
	week    string
	version int
	ps      planStore
	sp      models.StoredPlan
	plan    planner.Plan
}

// askedPlan reads the plan a request names.
func (s *Server) askedPlan(c *gin.Context) (planAsked, error) {
	var a planAsked
	var err error
	if a.week, err = weekParam(c); err != nil {
		return a, err
	}
	if a.version, err = versionQuery(c); err != nil {
		return a, err
	}
	a.ps = s.store
	a.sp, a.plan, err = s.storedPlan(c, a.ps, a.week, a.version)
	return a, err
}

// storedPlan reads the version asked for (the current one by default) and
// decodes it. A caller who may not see drafts (models.SeesDrafts) reads
// published versions only (the latest published by default): a draft is
// answered as a version that does not exist.
func (s *Server) storedPlan(c *gin.Context, ps planStore, week string, version int) (models.StoredPlan, planner.Plan, error) {
	var sp models.StoredPlan
	version, err := ps.VisibleVersion(c.Request.Context(), week, version, models.SeesDrafts(mustPrincipal(c).Role))
	switch {
	case err != nil:
	case version == 0:
		sp, err = ps.CurrentPlan(c.Request.Context(), week)
	default:
		sp, err = ps.GetPlanVersion(c.Request.Context(), week, version)
	}
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return sp, planner.Plan{}, errKind(kindNotFound, textf("Aucun plan pour la semaine %s.", "No plan for week %s.", week),
				FieldError{Field: "week", Reason: text{FR: "pas de plan (ou pas cette version)", EN: "no plan (or not this version)"}})
		}
		return sp, planner.Plan{}, err
	}
	plan, err := sp.Plan()
	return sp, plan, err
}

// getPlan answers the stored plan: whole to the coordinator; to a farmer,
// relay point or cook the part that concerns it.
func (s *Server) getPlan(c *gin.Context) error {
	a, err := s.askedPlan(c)
	if err != nil {
		return err
	}
	week, ps, sp, plan := a.week, a.ps, a.sp, a.plan
	p := mustPrincipal(c)
	if p.IsCoordinator() {
		ok(c, fullPlanBody{Plan: plan, planMeta: s.toPlanMeta(sp)})
		return nil
	}
	var orders []planner.Order
	if p.Role == models.RoleRelay || p.Role == models.RoleCook {
		// Which orders are the site's is in the scenario the plan was made
		// from.
		in, err := ps.GetPlanInput(c.Request.Context(), week, sp.Version)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		var sc planner.Scenario
		if err == nil {
			if sc, err = in.ScenarioOf(); err != nil {
				return err
			}
		} else if sc, err = s.store.Scenario(c.Request.Context(), week); err != nil {
			return err
		}
		orders = sc.Orders
	}
	ok(c, scopePlan(plan, orders, p, s.toPlanMeta(sp)))
	return nil
}

// scopePlan keeps the part of a plan that concerns p: a farmer's
// allocations, unsold produce and collection stops; a relay point's or
// canteen's orders, basket contents, allocations, shortfalls and delivery
// stops.
func scopePlan(plan planner.Plan, orders []planner.Order, p Principal, meta planMeta) scopedPlanBody {
	out := scopedPlanBody{
		Week: plan.Week, planMeta: meta, Scope: scopeBody{Role: p.Role, ID: p.Scope},
		Orders: []planner.Order{}, Baskets: []planner.BasketContents{}, Allocations: []planner.Allocation{},
		Shortfalls: []planner.Shortfall{}, Unsold: []planner.Unsold{}, Stops: []stopBody{}, Unrouted: []planner.Unrouted{},
	}
	farmer := p.Role == models.RoleFarmer
	mine := map[string]bool{} // the site's order ids
	baskets := map[string]bool{}
	if !farmer {
		for _, o := range orders {
			if o.Site == p.Scope {
				out.Orders = append(out.Orders, o)
				mine[o.ID] = true
				if o.Basket != "" {
					baskets[o.Basket] = true
				}
			}
		}
	}
	for _, b := range plan.Baskets {
		if baskets[b.Basket] {
			out.Baskets = append(out.Baskets, b)
		}
	}
	for _, a := range plan.Allocations {
		if farmer && a.Producer == p.Scope || !farmer && mine[a.Order] {
			out.Allocations = append(out.Allocations, a)
		}
	}
	for _, sf := range plan.Shortfalls {
		if !farmer && mine[sf.Order] {
			out.Shortfalls = append(out.Shortfalls, sf)
		}
	}
	for _, u := range plan.Unsold {
		if farmer && u.Producer == p.Scope {
			out.Unsold = append(out.Unsold, u)
		}
	}
	for i, r := range plan.Rounds {
		for _, st := range r.Stops {
			if farmer && st.Producer == p.Scope || !farmer && st.Site == p.Scope && st.Site != "" {
				out.Stops = append(out.Stops, stopBody{Round: i, Vehicle: r.Vehicle, Kind: r.Kind, Date: r.Date, Stop: st})
			}
		}
	}
	for _, u := range plan.Unrouted {
		if farmer && u.Producer == p.Scope || !farmer && u.Site == p.Scope && u.Site != "" {
			out.Unrouted = append(out.Unrouted, u)
		}
	}
	return out
}

// planVersionBody is one version in the list of a week's versions: with
// the seed it was planned with and what started it (absent for versions
// stored before they were recorded).
type planVersionBody struct {
	planMeta
	Seed    int64  `json:"seed,omitempty"`
	Trigger string `json:"trigger,omitempty"`
	Changes string `json:"changes"`
}

// listPlanVersions answers a page of the week's plan versions, the latest
// first.
func (s *Server) listPlanVersions(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	ps := s.store
	ctx := c.Request.Context()
	if _, err := s.store.GetWeek(ctx, week); err != nil {
		return notFoundAs(err, "week", nameWeek, week)
	}
	var inputs map[int]models.PlanInput
	fetch := func(p models.Page) ([]models.StoredPlan, error) {
		rows, err := ps.ListPlans(ctx, week, p)
		if err != nil {
			return nil, err
		}
		versions := make([]int, len(rows))
		for i, r := range rows {
			versions[i] = r.Version
		}
		inputs, err = ps.ListPlanInputs(ctx, week, versions)
		return rows, err
	}
	return listOf(c, fetch, func(sp models.StoredPlan) planVersionBody {
		in := inputs[sp.Version]
		return planVersionBody{planMeta: s.toPlanMeta(sp), Seed: in.Seed, Trigger: in.Trigger,
			Changes: fmt.Sprintf("/api/v1/weeks/%s/plans/%d/changes", week, sp.Version)}
	})
}

// getPlanChanges answers what a version changed against the one before it
// (jobs.PlanChanges): allocations per product, baskets, fill rates,
// shortfalls, rounds, orders and offers. Ids, not names: the catalogue
// names them.
func (s *Server) getPlanChanges(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	raw := c.Param("version")
	version, err := strconv.Atoi(raw)
	if err != nil || version < 1 || version > 1000000 {
		return errKind(kindBadRequest, text{FR: "Paramètre invalide.", EN: "Invalid parameter."},
			FieldError{Field: "version", Reason: textf("numéro de version attendu (reçu %q)", "version number expected (got %q)", truncate(raw, 40))})
	}
	changes, err := jobs.VersionChanges(c.Request.Context(), s.store, week, []int{version})
	if errors.Is(err, models.ErrNotFound) {
		return errKind(kindNotFound, textf("Pas de version %d du plan de la semaine %s.", "No version %d of the plan of week %s.", version, week),
			FieldError{Field: "version", Reason: text{FR: "cette version n'existe pas", EN: "this version does not exist"}})
	}
	if err != nil {
		return err
	}
	ok(c, changes[version])
	return nil
}

// roundBody is one round with its index (the round sheet's "for") and the
// URLs of its round sheet.
type roundBody struct {
	Index int `json:"index"`
	planner.Round
	Documents map[string]string `json:"documents"`
}

// roundsBody lists the rounds of a plan version, for the drivers.
type roundsBody struct {
	Week string `json:"week"`
	planMeta
	Rounds []roundBody `json:"rounds"`
}

// getRounds answers the rounds of the current plan (or ?version=), each
// with the URLs of its round sheet.
func (s *Server) getRounds(c *gin.Context) error {
	a, err := s.askedPlan(c)
	if err != nil {
		return err
	}
	week, version, sp, plan := a.week, a.version, a.sp, a.plan
	out := roundsBody{Week: week, planMeta: s.toPlanMeta(sp), Rounds: make([]roundBody, 0, len(plan.Rounds))}
	for i, r := range plan.Rounds {
		docs := map[string]string{}
		for _, f := range []string{"txt", "pdf", "csv", "geojson"} {
			docs[f] = documentURL(week, "round-sheet", strconv.Itoa(i), f, version, "", 0)
		}
		out.Rounds = append(out.Rounds, roundBody{Index: i, Round: r, Documents: docs})
	}
	writeJSON(c, http.StatusOK, "application/json", out)
	return nil
}

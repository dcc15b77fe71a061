package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"paniers/config"
	"paniers/jobs"
	"paniers/models"
	"paniers/planner"
)

// runPlanWeek is `paniers plan --week W`: it plans week W from the
// configured database (PANIERS_DB, PANIERS_TZ, ... from the environment)
// through jobs.PlanWeek, the very function of the weekly job and of
// POST /api/v1/weeks/{week}/plan, so the plan is stored as the week's next
// version (which one, it says on standard error), and prints it. With
// dryRun it plans the week's scenario the same way and stores nothing (the
// week is not closed either). Reasons come out in lang: the stored plan
// keeps the service's French, and with lang "en" the week is planned again
// in English, with the same scenario and seed, for its reasons; effort is
// --effort (or PANIERS_ROUTING_EFFORT). Exit codes: 0 planned, 1 planning
// failed, 2 bad flags or configuration.
func runPlanWeek(ctx context.Context, week string, seed int64, effort int, format, lang string, noRounds, dryRun bool, stdout, stderr io.Writer) int {
	if noRounds {
		fmt.Fprintln(stderr, "paniers plan: --no-rounds does not apply to --week: a stored plan always has its rounds")
		return 2
	}
	if _, _, err := models.ParseWeekID(week); err != nil {
		fmt.Fprintf(stderr, "paniers plan: --week: %v\n", err)
		return 2
	}
	cfg, _, err := config.Load("paniers plan", nil, os.Getenv, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	log := newLogger(cfg, stderr)
	st, err := models.Open(ctx, cfg.DB, log, models.WithLocation(cfg.Location))
	if err != nil {
		fmt.Fprintf(stderr, "paniers plan: %v\n", err)
		return 1
	}
	defer st.Close()
	deps, err := jobDeps(cfg, st, log, nil)
	if err != nil {
		fmt.Fprintf(stderr, "paniers plan: %v\n", err)
		return 2
	}
	deps.Effort = effort
	if seed == 0 {
		seed = 1
	}
	notFound := func() int {
		fmt.Fprintf(stderr, "paniers plan: week %s: no such week in %s\n", week, redactDSN(cfg.DB))
		return 1
	}
	var sc planner.Scenario
	var plan planner.Plan
	if dryRun {
		fmt.Fprintf(stderr, "paniers plan: planning week %s without storing it (--dry-run)\n", week)
		if sc, err = st.Scenario(ctx, week); errors.Is(err, models.ErrNotFound) {
			return notFound()
		} else if err != nil {
			printPlanError(stderr, err, lang)
			return 1
		}
		if plan, err = planner.PlanWeek(sc, planner.Options{Seed: seed, Matrix: deps.Matrix, Effort: deps.Effort, Lang: lang}); err != nil {
			printPlanError(stderr, err, lang)
			return 1
		}
		fmt.Fprintf(stderr, "paniers plan: week %s planned, nothing stored\n", week)
	} else {
		fmt.Fprintf(stderr, "paniers plan: planning week %s; the plan is stored as its next version (--dry-run plans without storing)\n", week)
		res, err := jobs.PlanWeek(ctx, deps, week, seed)
		if errors.Is(err, models.ErrNotFound) {
			return notFound()
		} else if err != nil {
			printPlanError(stderr, err, lang)
			return 1
		}
		fmt.Fprintf(stderr, "paniers plan: week %s planned, stored as version %d (now the week's current plan)\n", week, res.Stored.Version)
		in, err := st.GetPlanInput(ctx, week, res.Stored.Version)
		if err == nil {
			sc, err = in.ScenarioOf()
		}
		if err != nil {
			fmt.Fprintf(stderr, "paniers plan: reading the stored scenario: %v\n", err)
			return 1
		}
		plan = res.Plan
		if lang == "en" {
			plan = reasonsIn(sc, plan, planner.Options{Seed: seed, Matrix: deps.Matrix, Effort: deps.Effort, Lang: lang})
		}
	}
	if format == "text" {
		err = planner.WriteText(stdout, sc, plan, lang)
	} else {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(plan)
	}
	if err != nil {
		fmt.Fprintf(stderr, "paniers plan: writing the plan: %v\n", err)
		return 1
	}
	return 0
}

// reasonsIn returns plan with its shortfalls', unrouted stops' and unsold
// produce's reasons
// in opt.Lang: the planner is deterministic, so planning sc again with the
// same options in that language gives the same plan with its reasons in
// it, matched here by what each one is about. A reason with no match keeps
// its words (a plan made with other options).
func reasonsIn(sc planner.Scenario, plan planner.Plan, opt planner.Options) planner.Plan {
	other, err := planner.PlanWeek(sc, opt)
	if err != nil {
		return plan
	}
	type key struct{ a, b, c, d string }
	reasons := map[key]string{}
	for _, s := range other.Shortfalls {
		reasons[key{s.Order, s.Product, s.Basket, s.Category}] = s.Reason
	}
	for _, u := range other.Unrouted {
		reasons[key{"unrouted", u.Site, u.Producer, ""}] = u.Reason
	}
	for _, u := range other.Unsold {
		reasons[key{"unsold", u.Producer, u.Product, ""}] = u.Reason
	}
	out := plan
	out.Shortfalls = append([]planner.Shortfall(nil), plan.Shortfalls...)
	for i, s := range out.Shortfalls {
		if r, ok := reasons[key{s.Order, s.Product, s.Basket, s.Category}]; ok {
			out.Shortfalls[i].Reason = r
		}
	}
	out.Unrouted = append([]planner.Unrouted(nil), plan.Unrouted...)
	for i, u := range out.Unrouted {
		if r, ok := reasons[key{"unrouted", u.Site, u.Producer, ""}]; ok {
			out.Unrouted[i].Reason = r
		}
	}
	out.Unsold = append([]planner.Unsold(nil), plan.Unsold...)
	for i, u := range out.Unsold {
		if r, ok := reasons[key{"unsold", u.Producer, u.Product, ""}]; ok {
			out.Unsold[i].Reason = r
		}
	}
	return out
}

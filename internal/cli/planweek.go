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
// version, and prints it; effort is --effort (or PANIERS_ROUTING_EFFORT).
// Exit codes: 0 planned, 1 planning failed, 2 bad
// flags or configuration.
func runPlanWeek(ctx context.Context, week string, seed int64, effort int, format, lang string, noRounds bool, stdout, stderr io.Writer) int {
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
	res, err := jobs.PlanWeek(ctx, deps, week, seed)
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			fmt.Fprintf(stderr, "paniers plan: week %s: no such week in %s\n", week, redactDSN(cfg.DB))
			return 1
		}
		printPlanError(stderr, err, lang)
		return 1
	}
	fmt.Fprintf(stderr, "paniers plan: week %s planned, stored as version %d\n", week, res.Stored.Version)
	if format == "text" {
		in, err := st.GetPlanInput(ctx, week, res.Stored.Version)
		if err == nil {
			sc, err := in.ScenarioOf()
			if err == nil {
				err = planner.WriteText(stdout, sc, res.Plan, lang)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "paniers plan: writing the plan: %v\n", err)
			return 1
		}
		return 0
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res.Plan); err != nil {
		fmt.Fprintf(stderr, "paniers plan: writing the plan: %v\n", err)
		return 1
	}
	return 0
}

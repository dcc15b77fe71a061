package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"paniers/internal/i18n"
	"paniers/models"
	"paniers/planner"
	"paniers/planner/sheets"
)

// PlanResult is what a planning run did.
type PlanResult struct {
	// Stored is the saved version (its number, its time, the plan's JSON).
	Stored models.StoredPlan
	// Plan is the plan itself.
	Plan planner.Plan
	// Closed says whether the run closed the week to orders.
	Closed bool
	// Hashed is how many documents were hashed with the plan (none before
	// the week's first publication).
	Hashed int
	// Elapsed is how long the planner took.
	Elapsed time.Duration
}

// PlanWeek plans a week from the database and stores the plan: the one plan
// path, for the API, the CLI and the schedule. It is recorded as a run of job
// "plan". In order:
//
//  1. an open week is closed, so no order arrives while it plans;
//  2. the store builds the week's scenario, planner.PlanWeek plans it with
//     rounds (d.Matrix, or great-circle distances) and seed (0 means 1);
//  3. when the week was published before, every document of the plan is
//     rendered once for its content hash (see models.PlanDocument);
//  4. the store saves, in one transaction, the plan as the week's next
//     version (current, week planned), the scenario and addresses it was made
//     from, and the hashes.
//
// Planning again is safe: the new version replaces the old as the current
// one, atomically; older versions stay readable. Errors: models.ErrNotFound
// for an unknown week, *planner.ValidationError when the week's data cannot
// be planned (each problem named), others are failures.
func PlanWeek(ctx context.Context, d Deps, week string, seed int64) (PlanResult, error) {
	d = d.withDefaults()
	if seed == 0 {
		seed = 1
	}
	var res PlanResult
	err := record(ctx, d, JobPlan, week, func(ctx context.Context) error {
		st := d.Store
		w, err := st.GetWeek(ctx, week)
		if err != nil {
			return err
		}
		if w.Status == models.WeekOpen {
			if _, err := st.SetWeekStatus(ctx, week, models.WeekClosed); err != nil {
				return err
			}
			res.Closed = true
			d.Log.Info("orders closed", "job", JobPlan, "week", week)
		}
		sc, err := st.Scenario(ctx, week)
		if err != nil {
			return err
		}
		start := time.Now()
		plan, err := planner.PlanWeek(sc, planner.Options{Seed: seed, Matrix: d.Matrix, Effort: d.Effort})
		res.Elapsed = time.Since(start)
		if err != nil {
			return err
		}
		d.Metrics.plan(sc, plan, res.Elapsed)
		addrs, err := st.Addresses(ctx)
		if err != nil {
			return err
		}
		// The pick-up lists are frozen with the version: a household
		// renamed, paused or erased later does not change its documents.
		hh, err := weekHouseholds(ctx, st, week)
		if err != nil {
			return err
		}
		in, err := newPlanInput(sc, addrs, hh, seed)
		if err != nil {
			return err
		}
		in.Trigger = triggerOf(ctx)
		// Once the week was published, people hold its documents: the new
		// version's are hashed now, so the documents list marks which
		// changed. Before, hashing waits for the publication, which renders
		// them anyway (a PDF costs tens of milliseconds).
		var hashes []models.PlanDocument
		if published, err := st.LastPublishedVersion(ctx, week); err != nil {
			return err
		} else if published > 0 {
			docs, err := renderAll(docInput(sc, plan, addrs, hh))
			if err != nil {
				return err
			}
			hashes = hashDocs(docs)
		}
		sp, err := st.SavePlanVersion(ctx, week, plan, in, hashes)
		if err != nil {
			return err
		}
		res.Stored, res.Plan, res.Hashed = sp, plan, len(hashes)
		d.Log.Info("plan stored", "job", JobPlan, "week", week, "version", sp.Version, "seed", seed,
			"rounds", len(plan.Rounds), "unrouted", len(plan.Unrouted), "shortfalls", len(plan.Shortfalls),
			"distance_km", plan.Summary.DistanceKm, "hashed_documents", len(hashes), "planner_ms", res.Elapsed.Milliseconds())
		return nil
	})
	return res, err
}

// PreviewWeek plans a week as it stands and returns the plan without
// storing it: the week keeps its status (an open week stays open to offers
// and orders), no version is saved and no job run is recorded. It builds the
// scenario and plans it exactly as PlanWeek does (same store, travel matrix,
// effort and seed; 0 means 1), so the preview is the plan that planning now
// would store. Errors are PlanWeek's: models.ErrNotFound for an unknown week,
// *planner.ValidationError when the week's data cannot be planned.
func PreviewWeek(ctx context.Context, d Deps, week string, seed int64) (planner.Plan, error) {
	d = d.withDefaults()
	if seed == 0 {
		seed = 1
	}
	sc, err := d.Store.Scenario(ctx, week)
	if err != nil {
		return planner.Plan{}, err
	}
	return planner.PlanWeek(sc, planner.Options{Seed: seed, Matrix: d.Matrix, Effort: d.Effort})
}

// ParseSeed reads a plan's seed as the API (?seed=) and the week page (the
// seed field) take it: a positive whole number. ok is false with the
// reason, naming what was typed, when it is not one.
func ParseSeed(raw string) (seed int64, reason i18n.Text, ok bool) {
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 1 {
		shown := raw
		if r := []rune(shown); len(r) > 40 {
			shown = string(r[:40]) + "…"
		}
		return 0, i18n.Textf("entier positif attendu (reçu %q)", "positive integer expected (got %q)", shown), false
	}
	return n, i18n.Text{}, true
}

// newPlanInput is the row recording what a plan was made from.
func newPlanInput(sc planner.Scenario, addrs map[string]string, hh map[string][]sheets.Household, seed int64) (models.PlanInput, error) {
	s, err := json.Marshal(sc)
	if err != nil {
		return models.PlanInput{}, fmt.Errorf("jobs: plan %s: scenario: %w", sc.Week, err)
	}
	a, err := json.Marshal(addrs)
	if err != nil {
		return models.PlanInput{}, fmt.Errorf("jobs: plan %s: addresses: %w", sc.Week, err)
	}
	h, err := models.HouseholdsJSON(hh)
	if err != nil {
		return models.PlanInput{}, fmt.Errorf("jobs: plan %s: %w", sc.Week, err)
	}
	return models.PlanInput{Seed: seed, Scenario: string(s), Addresses: string(a), Households: h}, nil
}

package planner

// Options tunes a planning run. The zero value is valid: seed 1, rounds on,
// French reasons.
type Options struct {
	// Seed breaks rounding ties deterministically (rule 9); 0 means 1.
	Seed int64
	// NoRounds allocates without routing, for a quick look at the split.
	NoRounds bool
	// Lang is the language of human reasons: "fr" (default) or "en".
	Lang string
}

// PlanWeek turns a scenario into a plan. (The contract's type is named Plan,
// so the function cannot share the name.) The allocation is being written; for
// now it returns an empty plan so that the routing work can build on it.
func PlanWeek(s Scenario, opt Options) (Plan, error) {
	p := Plan{Week: s.Week}
	rounds, unrouted, err := buildRounds(&s, &p, opt)
	if err != nil {
		return Plan{}, err
	}
	p.Rounds, p.Unrouted = rounds, unrouted
	return p, nil
}

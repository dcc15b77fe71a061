package planner

import (
	"fmt"
	"sort"
)

// Options tunes a planning run. The zero value is valid: seed 1, rounds on,
// French reasons.
type Options struct {
	// Seed breaks rounding ties deterministically (rule 9); 0 means 1.
	Seed int64
	// NoRounds allocates without routing, for a quick look at the split.
	NoRounds bool
	// Lang is the language of human reasons: "fr" (default) or "en".
	Lang string
	// Matrix gives road distances and times for the rounds; nil means the
	// contract's great-circle estimate (see TravelMatrix in travel.go).
	Matrix TravelMatrix
	// Effort multiplies the rounds' search budget (iterations of the
	// routing engine, see engineOptions); 0 means 1. A longer search finds
	// rounds as short or shorter, and takes about Effort times as long.
	Effort int
}

// PlanWeek turns a scenario into a plan. (The contract's type is named Plan,
// so the function cannot share the name.) Three things can happen: the
// scenario is invalid and a *ValidationError lists every problem; routing
// fails and its error is returned; or the plan is returned, allocated by
// rules 1 to 6 and, unless opt.NoRounds, routed by rule 7. Sites and
// producers no round can serve (rule 8) are taken out of the allocation,
// which is redone and routed again until nothing new is left out.
func PlanWeek(s Scenario, opt Options) (Plan, error) {
	if err := Validate(s); err != nil {
		return Plan{}, err
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	opt.Lang = lang(opt)
	ex := exclusions{sites: map[string]string{}, producers: map[string]string{}}
	var out []Unrouted
	// Each pass either ends or leaves out at least one more site or
	// producer, so there are at most that many passes plus one.
	for pass := 0; pass <= len(s.Sites)+len(s.Producers); pass++ {
		p := allocate(&s, ex, opt).write()
		if opt.NoRounds {
			return p, nil
		}
		rounds, unrouted, err := buildRounds(&s, &p, opt)
		if err != nil {
			return Plan{}, fmt.Errorf("planner: rounds: %w", err)
		}
		added := false
		for _, u := range unrouted {
			switch {
			case u.Site != "":
				if _, ok := ex.sites[u.Site]; !ok {
					ex.sites[u.Site] = u.Reason
					out = append(out, u)
					added = true
				}
			case u.Producer != "":
				if _, ok := ex.producers[u.Producer]; !ok {
					ex.producers[u.Producer] = u.Reason
					out = append(out, u)
					added = true
				}
			}
		}
		if added {
			continue
		}
		if rounds != nil {
			p.Rounds = rounds
		}
		p.Unrouted = append([]Unrouted{}, out...)
		sort.SliceStable(p.Unrouted, func(i, j int) bool {
			x, y := p.Unrouted[i], p.Unrouted[j]
			if x.Site != y.Site {
				return x.Site < y.Site
			}
			return x.Producer < y.Producer
		})
		vehicles := map[string]bool{}
		dist := 0.0
		for _, r := range p.Rounds {
			dist += r.DistanceKm
			vehicles[r.Vehicle] = true
		}
		p.Summary.DistanceKm = clean(roundTo(dist, 3))
		p.Summary.VehiclesUsed = len(vehicles)
		return p, nil
	}
	return Plan{}, fmt.Errorf("planner: rounds: the set of unrouted sites and producers did not settle")
}

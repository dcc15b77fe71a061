package planner

// buildRounds plans the collection and delivery rounds for an allocated plan
// (contract rule 7) and reports what no round can serve (rule 8).
func buildRounds(s *Scenario, p *Plan, opt Options) (rounds []Round, unrouted []Unrouted, err error) {
	return nil, nil, nil
}

package planner

// AllocateExcluding lets the external tests allocate with sites and
// producers left out (rule 8) without a routing engine that leaves them out.
func AllocateExcluding(s Scenario, sites, producers map[string]string, opt Options) Plan {
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	opt.Lang = lang(opt)
	return allocate(&s, exclusions{sites: sites, producers: producers}, opt).write()
}

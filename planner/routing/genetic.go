package routing

import (
	"context"
	"math"
	"math/rand"
	"sort"
	"sync"
	"time"
)

// Parameters of the hybrid genetic search. They are Vidal's (2022) except
// the population sizes, halved (25 and 40 there): our budgets are seconds,
// not minutes, and a smaller population converges in the few thousand
// generations they allow (measured on CVRPLIB X instances of 157 to 401
// customers at equal iterations and CPU time).
const (
	popMu           = 12  // minimum subpopulation size
	popLambda       = 20  // generation size
	nbElite         = 4   // elite individuals kept by the biased fitness
	nbClose         = 5   // closest individuals measuring diversity
	targetFeasible  = 0.2 // wanted share of naturally feasible offspring
	penaltyPeriod   = 100 // iterations between penalty adjustments
	restartAfter    = 20000
	defaultPatience = 2000 // iterations without improvement when no limit is given
)

// individual is a solution of the genetic search: a giant tour and its
// routes per slot.
type individual struct {
	giant    []int
	routes   [][]int
	dist     float64
	excess   float64 // load above capacity, summed over routes
	warp     float64 // time warp, summed over routes
	cost     float64 // penalised cost under the current penalties
	nRoutes  int
	nBin     int // customers left unassigned (in the bin)
	feasible bool
	succ     []int
	pred     []int
	near     []nearIndiv // other individuals of its subpopulation by distance
	fit      float64     // biased fitness; lower is better
}

type nearIndiv struct {
	d   float64
	ind *individual
}

// genetic is one run of the hybrid genetic search.
type genetic struct {
	in       *instance
	rng      *rand.Rand
	ls       *localSearch
	pen      penalties
	feasPop  []*individual
	infPop   []*individual
	best     *individual       // best feasible
	bestAny  *individual       // least penalised when none is feasible
	mu       int               // minimum subpopulation size
	lambda   int               // generation size
	exch     *exchange         // shared with the other workers; nil when alone
	progress func(*individual) // called with each new best feasible solution; may be nil
	id       int               // this worker's index in exch
	histLoad []bool
	histTW   []bool
	iter     int
	// split scratch
	pot  [][]float64
	prev [][]int
}

func newGenetic(in *instance, seed int64) *genetic {
	rng := rand.New(rand.NewSource(seed))
	g := &genetic{in: in, rng: rng, ls: newLocalSearch(in, rng), mu: popMu, lambda: popLambda}
	// One unit of excess load costs what an average arc costs per unit of
	// average demand (HGS's maxDist/maxDemand hits its cap of 1000 on
	// instances with small demands, and then takes thousands of
	// iterations to come down).
	g.pen.load, g.pen.tw = 1, 1
	avgDist := 0.0
	for _, d := range in.dist {
		avgDist += d
	}
	avgDist /= float64(len(in.dist))
	if in.totalDemand > 0 {
		g.pen.load = math.Max(0.1, math.Min(1000, avgDist/(in.totalDemand/float64(in.n))))
	}
	return g
}

func (g *genetic) newIndividual() *individual {
	n := g.in.n
	return &individual{
		giant:  make([]int, 0, n),
		routes: make([][]int, len(g.in.slotCap)),
		succ:   make([]int, n+1),
		pred:   make([]int, n+1),
	}
}

// evaluate recomputes an individual's costs, giant tour and neighbours
// from its routes.
func (g *genetic) evaluate(ind *individual) {
	in := g.in
	ind.dist, ind.excess, ind.warp, ind.nRoutes = 0, 0, 0, 0
	ind.giant = ind.giant[:0]
	ind.nBin = len(ind.routes[in.bin])
	for k, r := range ind.routes {
		if len(r) == 0 {
			continue
		}
		if k == in.bin {
			// Unassigned customers: each its own "route" for diversity.
			for _, c := range r {
				ind.pred[c], ind.succ[c] = 0, 0
			}
			ind.giant = append(ind.giant, r...)
			continue
		}
		ind.nRoutes++
		s := in.routeSeg(k, r)
		ind.dist += s.dist
		if x := s.load - in.slotCap[k]; x > eps {
			ind.excess += x
		}
		if s.tw > eps {
			ind.warp += s.tw
		}
		prev := 0
		for _, c := range r {
			ind.pred[c] = prev
			if prev != 0 {
				ind.succ[prev] = c
			}
			prev = c
		}
		ind.succ[prev] = 0
		ind.giant = append(ind.giant, r...)
	}
	ind.feasible = ind.excess <= eps && ind.warp <= eps
	g.recost(ind)
}

func (g *genetic) recost(ind *individual) {
	ind.cost = ind.dist + g.pen.load*ind.excess + g.pen.tw*ind.warp + g.in.prize*float64(ind.nBin)
}

// split cuts the giant tour into routes optimally for the penalised cost
// (Prins 2004; Vidal 2016), using at most as many routes as slots. Routes
// are then given to slots, the heaviest to the largest vehicle.
func (g *genetic) split(ind *individual) {
	in := g.in
	t := ind.giant
	n := len(t)
	slots := in.bin
	if len(g.pot) == 0 {
		g.pot = [][]float64{make([]float64, n+1)}
		g.prev = [][]int{make([]int, n+1)}
	}
	pot, prev := g.pot[0], g.prev[0]
	for i := range pot {
		pot[i], prev[i] = math.Inf(1), -1
	}
	pot[0] = 0
	limit := 1.5 * in.maxCap
	for i := 0; i < n; i++ {
		if math.IsInf(pot[i], 1) {
			continue
		}
		s := in.depotSeg(0)
		for j := i; j < n; j++ {
			s = in.cat(s, in.nodeSeg(t[j]))
			if j > i && (s.load > limit || s.tw > in.warpCut) {
				break
			}
			c := pot[i] + in.cost(in.cat(s, in.depotSeg(0)), 0, g.pen)
			if c < pot[j+1] {
				pot[j+1], prev[j+1] = c, i
			}
		}
	}
	var cuts []int
	if !math.IsInf(pot[n], 1) {
		for j := n; j > 0; j = prev[j] {
			cuts = append(cuts, j)
		}
	}
	if len(cuts) == 0 || len(cuts) > slots {
		cuts = g.splitLimited(t, slots)
	}
	if len(cuts) == 0 && n > 0 {
		// Only when costs overflow: cut into equal parts rather than lose
		// customers.
		m := min(slots, n)
		for k := m; k > 0; k-- {
			cuts = append(cuts, k*n/m)
		}
	}
	// cuts are route ends in reverse order.
	pieces := make([][]int, len(cuts))
	for k := range cuts {
		startAt := 0
		if k+1 < len(cuts) {
			startAt = cuts[k+1]
		}
		// cuts are in reverse order; pieces follow the giant tour.
		pieces[len(cuts)-1-k] = t[startAt:cuts[k]]
	}
	for k := range ind.routes {
		ind.routes[k] = ind.routes[k][:0]
	}
	if in.homogeneous {
		for k, pc := range pieces {
			ind.routes[k] = append(ind.routes[k], pc...)
		}
		return
	}
	at, _ := in.slotting(pieces, g.pen)
	for i, pc := range pieces {
		ind.routes[at[i]] = append(ind.routes[at[i]], pc...)
	}
}

// splitLimited is the split with at most m routes (Bellman over the number
// of routes), used when the unlimited split needs more routes than slots.
func (g *genetic) splitLimited(t []int, m int) []int {
	n := len(t)
	if m > n {
		m = n
	}
	for len(g.pot) < m+1 {
		g.pot = append(g.pot, make([]float64, n+1))
		g.prev = append(g.prev, make([]int, n+1))
	}
	// Routes are cut at 1.5 times the capacity, as in the unlimited split,
	// unless that leaves no solution.
	if cuts := g.splitLimitedUpTo(t, m, 1.5*g.in.maxCap); cuts != nil {
		return cuts
	}
	return g.splitLimitedUpTo(t, m, math.Inf(1))
}

// splitLimitedUpTo is splitLimited with routes loaded up to limit (and,
// unless limit is infinite, with no more time warp than in.warpCut).
func (g *genetic) splitLimitedUpTo(t []int, m int, limit float64) []int {
	in := g.in
	n := len(t)
	warpCut := in.warpCut
	if math.IsInf(limit, 1) {
		warpCut = limit
	}
	for k := 0; k <= m; k++ {
		for i := range g.pot[k] {
			g.pot[k][i], g.prev[k][i] = math.Inf(1), -1
		}
	}
	g.pot[0][0] = 0
	for k := 0; k < m; k++ {
		for i := k; i < n; i++ {
			if math.IsInf(g.pot[k][i], 1) {
				continue
			}
			s := in.depotSeg(0)
			for j := i; j < n; j++ {
				s = in.cat(s, in.nodeSeg(t[j]))
				if j > i && (s.load > limit || s.tw > warpCut) {
					break
				}
				c := g.pot[k][i] + in.cost(in.cat(s, in.depotSeg(0)), 0, g.pen)
				if c < g.pot[k+1][j+1] {
					g.pot[k+1][j+1], g.prev[k+1][j+1] = c, i
				}
			}
		}
	}
	bestK := -1
	for k := 1; k <= m; k++ {
		if !math.IsInf(g.pot[k][n], 1) && (bestK < 0 || g.pot[k][n] < g.pot[bestK][n]-eps) {
			bestK = k
		}
	}
	var cuts []int
	for k, j := bestK, n; k > 0; k-- {
		cuts = append(cuts, j)
		j = g.prev[k][j]
	}
	return cuts
}

// educate runs the local search on an individual under penalties pen.
func (g *genetic) educate(ind *individual, pen penalties) {
	g.ls.load(ind.routes, pen)
	g.ls.run()
	g.ls.export(ind.routes)
	g.evaluate(ind)
}

// brokenPairs is the broken-pairs distance of two individuals, in [0, 1].
func brokenPairs(a, b *individual) float64 {
	diff := 0
	n := len(a.succ) - 1
	for j := 1; j <= n; j++ {
		if a.succ[j] != b.succ[j] && a.succ[j] != b.pred[j] {
			diff++
		}
		if a.pred[j] == 0 && b.pred[j] != 0 && b.succ[j] != 0 {
			diff++
		}
	}
	return float64(diff) / float64(n)
}

// clone deep-copies an individual, without its neighbours.
func clone(a *individual) *individual {
	b := *a
	b.giant = append([]int(nil), a.giant...)
	b.routes = make([][]int, len(a.routes))
	for k, r := range a.routes {
		b.routes[k] = append([]int(nil), r...)
	}
	b.succ = append([]int(nil), a.succ...)
	b.pred = append([]int(nil), a.pred...)
	b.near = nil
	return &b
}

// better orders solutions: fewer unassigned customers, less distance, then
// fewer routes.
func better(a, b *individual) bool {
	if b == nil {
		return true
	}
	if a.nBin != b.nBin {
		return a.nBin < b.nBin
	}
	if a.dist < b.dist-1e-7 {
		return true
	}
	return a.dist <= b.dist+1e-7 && a.nRoutes < b.nRoutes
}

// add inserts a copy of ind in its subpopulation and reports whether it is
// a new best feasible solution.
func (g *genetic) add(ind *individual) bool {
	c := clone(ind)
	pop := &g.infPop
	if c.feasible {
		pop = &g.feasPop
	}
	for _, o := range *pop {
		d := brokenPairs(c, o)
		o.near = insertNear(o.near, nearIndiv{d, c})
		c.near = insertNear(c.near, nearIndiv{d, o})
	}
	at := sort.Search(len(*pop), func(i int) bool { return (*pop)[i].cost > c.cost })
	*pop = append(*pop, nil)
	copy((*pop)[at+1:], (*pop)[at:])
	(*pop)[at] = c
	if len(*pop) > g.mu+g.lambda {
		g.survivors(pop)
	}
	if !c.feasible {
		if g.bestAny == nil || c.cost < g.bestAny.cost {
			g.bestAny = c
		}
		return false
	}
	if better(c, g.best) {
		g.best = c
		if g.progress != nil {
			g.progress(c)
		}
		return true
	}
	return false
}

func insertNear(l []nearIndiv, x nearIndiv) []nearIndiv {
	at := sort.Search(len(l), func(i int) bool { return l[i].d > x.d })
	l = append(l, nearIndiv{})
	copy(l[at+1:], l[at:])
	l[at] = x
	return l
}

// survivors removes individuals with the worst biased fitness, clones
// first, until the subpopulation is back to popMu.
func (g *genetic) survivors(pop *[]*individual) {
	for len(*pop) > g.mu {
		g.fitness(*pop)
		worst, worstClone := -1, false
		for i, ind := range *pop {
			isClone := len(ind.near) > 0 && ind.near[0].d < eps
			if worst < 0 || (isClone && !worstClone) || (isClone == worstClone && ind.fit > (*pop)[worst].fit) {
				worst, worstClone = i, isClone
			}
		}
		w := (*pop)[worst]
		*pop = append((*pop)[:worst], (*pop)[worst+1:]...)
		for _, o := range *pop {
			for k, nb := range o.near {
				if nb.ind == w {
					o.near = append(o.near[:k], o.near[k+1:]...)
					break
				}
			}
		}
	}
}

// fitness computes the biased fitness of a subpopulation sorted by cost:
// its cost rank plus a weighted diversity rank.
func (g *genetic) fitness(pop []*individual) {
	n := len(pop)
	if n == 1 {
		pop[0].fit = 0
		return
	}
	div := make([]float64, n)
	idx := make([]int, n)
	for i, ind := range pop {
		k := min(nbClose, len(ind.near))
		s := 0.0
		for _, nb := range ind.near[:k] {
			s += nb.d
		}
		if k > 0 {
			div[i] = s / float64(k)
		}
		idx[i] = i
	}
	// More diverse first.
	sort.SliceStable(idx, func(a, b int) bool { return div[idx[a]] > div[idx[b]] })
	for rank, i := range idx {
		divRank := float64(rank) / float64(n-1)
		fitRank := float64(i) / float64(n-1)
		if n <= nbElite {
			pop[i].fit = fitRank
		} else {
			pop[i].fit = fitRank + (1-float64(nbElite)/float64(n))*divRank
		}
	}
}

// tournament picks the fitter of two random individuals of the union of
// both subpopulations.
func (g *genetic) tournament() *individual {
	g.fitness(g.feasPop)
	g.fitness(g.infPop)
	total := len(g.feasPop) + len(g.infPop)
	if total == 0 {
		// Only after a restart cut short: start again from scratch.
		ind := g.randomIndividual(g.rng.Intn(2))
		g.split(ind)
		g.evaluate(ind)
		return ind
	}
	pick := func() *individual {
		i := g.rng.Intn(total)
		if i < len(g.feasPop) {
			return g.feasPop[i]
		}
		return g.infPop[i-len(g.feasPop)]
	}
	a, b := pick(), pick()
	if a.fit < b.fit {
		return a
	}
	return b
}

// crossover is the ordered crossover (OX) of two giant tours.
func (g *genetic) crossover(child, a, b *individual) {
	n := len(a.giant)
	child.giant = child.giant[:n]
	start, end := g.rng.Intn(n), g.rng.Intn(n)
	for n > 1 && end == start {
		end = g.rng.Intn(n)
	}
	taken := make([]bool, g.in.size)
	j := start
	for j%n != (end+1)%n {
		c := a.giant[j%n]
		child.giant[j%n] = c
		taken[c] = true
		j++
	}
	for i := 1; i <= n; i++ {
		c := b.giant[(end+i)%n]
		if !taken[c] {
			child.giant[j%n] = c
			j++
		}
	}
}

// initialIndividual makes the i-th giant tour of the initial population:
// first the savings construction, whose education gives the search a good
// solution from its start, then, for diversity, randomised
// nearest-neighbour tours every other time, and in between random
// permutations, or above allPairsSavings customers randomised savings
// (a random shape, each saving within 10% of its value): the local search
// takes ten times as long to educate a random permutation of 600
// customers as a structured tour, and ends no better.
func (g *genetic) initialIndividual(i int) *individual {
	if g.in.n < 4 || i > 0 && (i%2 != 0 || g.in.n <= allPairsSavings) {
		return g.randomIndividual(i)
	}
	ind := g.newIndividual()
	if i == 0 {
		ind.giant = append(ind.giant, g.in.savingsTour(1, nil)...)
	} else {
		ind.giant = append(ind.giant, g.in.savingsTour(0.6+0.8*g.rng.Float64(), g.rng)...)
	}
	return ind
}

// randomIndividual makes a giant tour to split and educate: a random
// permutation, or every other time a randomised nearest-neighbour tour
// (each step goes to one of the three closest unvisited customers), which
// starts the local search from a structured solution and so costs less
// time on large instances.
func (g *genetic) randomIndividual(k int) *individual {
	ind := g.newIndividual()
	n := g.in.n
	if k%2 == 0 || n < 4 {
		for c := 1; c <= n; c++ {
			ind.giant = append(ind.giant, c)
		}
		g.rng.Shuffle(n, func(i, j int) { ind.giant[i], ind.giant[j] = ind.giant[j], ind.giant[i] })
		return ind
	}
	visited := make([]bool, g.in.size)
	cur := 1 + g.rng.Intn(n)
	for len(ind.giant) < n {
		visited[cur] = true
		ind.giant = append(ind.giant, cur)
		// The three closest unvisited customers, by proximity.
		var best [3]int
		var bestD [3]float64
		for i := range bestD {
			bestD[i] = math.Inf(1)
		}
		for c := 1; c <= n; c++ {
			if visited[c] {
				continue
			}
			d := g.in.proximity(cur, c)
			for i := 0; i < 3; i++ {
				if d < bestD[i] {
					copy(bestD[i+1:], bestD[i:2])
					copy(best[i+1:], best[i:2])
					bestD[i], best[i] = d, c
					break
				}
			}
		}
		m := 0
		for m < 3 && best[m] != 0 {
			m++
		}
		if m == 0 {
			break
		}
		cur = best[g.rng.Intn(m)]
	}
	return ind
}

// offspring splits, educates and adds an individual, repairing it with
// higher penalties half of the time when infeasible (every time, and with
// penalties raised until it holds, when insist is set: the construction
// that starts the search must give a feasible solution early). It reports
// whether the best solution improved.
func (g *genetic) offspring(ind *individual, insist bool) bool {
	g.split(ind)
	g.educate(ind, g.pen)
	g.histLoad = append(g.histLoad, ind.excess <= eps)
	g.histTW = append(g.histTW, ind.warp <= eps)
	improved := g.add(ind)
	if ind.feasible || !insist && g.rng.Intn(2) != 0 {
		return improved
	}
	for f := 10.0; f <= 1000 && !ind.feasible; f *= 10 {
		g.educate(ind, penalties{g.pen.load * f, g.pen.tw * f})
		if ind.feasible {
			improved = g.add(ind) || improved
		}
		if !insist {
			break
		}
	}
	return improved
}

// managePenalties adapts the penalty weights towards the target share of
// feasible offspring and re-sorts the infeasible subpopulation.
func (g *genetic) managePenalties() {
	if g.ls.useBin {
		return // fleet mode: penalties stay prohibitive
	}
	adapt := func(w float64, hist []bool) float64 {
		if len(hist) == 0 {
			return w
		}
		ok := 0
		for _, f := range hist {
			if f {
				ok++
			}
		}
		frac := float64(ok) / float64(len(hist))
		switch {
		case frac < targetFeasible-0.05 && w < 100000:
			w = math.Min(w*1.2, 100000)
		case frac > targetFeasible+0.05 && w > 0.1:
			w = math.Max(w*0.85, 0.1)
		}
		return w
	}
	g.pen.load = adapt(g.pen.load, g.histLoad)
	if g.in.hasTW {
		g.pen.tw = adapt(g.pen.tw, g.histTW)
	}
	g.histLoad, g.histTW = g.histLoad[:0], g.histTW[:0]
	for _, ind := range g.infPop {
		g.recost(ind)
	}
	sort.SliceStable(g.infPop, func(a, b int) bool { return g.infPop[a].cost < g.infPop[b].cost })
}

// fleetMode is entered when the initial population holds no feasible
// solution, which means the fleet is (or looks) too small: from then on the
// local search may leave customers in the bin, at a prize that outweighs any
// distance, and constraint violations cost more than any prize, so that
// every educated solution is feasible and serves as many customers as the
// search can.
func (g *genetic) fleetMode() {
	g.ls.useBin = true
	g.pen = penalties{load: 1000 * g.in.prize, tw: 1000 * g.in.prize}
	for _, ind := range g.infPop {
		g.recost(ind)
	}
	for i := 0; i < g.mu; i++ {
		if i >= len(g.infPop) {
			break
		}
		ind := clone(g.infPop[i])
		g.educate(ind, g.pen)
		g.add(ind)
	}
}

// exchange lets parallel workers share their best solutions (an island
// model): each publishes a copy of its best when it improves, and every
// penaltyPeriod iterations takes in a better one found by another worker.
type exchange struct {
	mu   sync.Mutex
	best []*individual
}

func (e *exchange) publish(id int, ind *individual) {
	if e == nil || ind == nil {
		return
	}
	c := clone(ind)
	e.mu.Lock()
	e.best[id] = c
	e.mu.Unlock()
}

// better returns a copy of the best published solution of another worker
// when it beats own, else nil.
func (e *exchange) better(id int, own *individual) *individual {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var res *individual
	for k, b := range e.best {
		if k != id && b != nil && better(b, own) && (res == nil || better(b, res)) {
			res = b
		}
	}
	if res == nil {
		return nil
	}
	return clone(res)
}

// stopper tells the search when to stop.
type stopper struct {
	ctx        context.Context
	clock      func() time.Duration // nil: the wall clock
	deadline   time.Duration        // on clock; 0 means none
	maxIter    int
	patience   int
	population int
}

// newStopper starts the clock of a search with options opt.
func newStopper(ctx context.Context, opt Options) *stopper {
	st := &stopper{ctx: ctx, clock: opt.Clock, maxIter: opt.MaxIterations, patience: opt.Patience, population: opt.Population}
	if st.clock == nil {
		origin := time.Now()
		st.clock = func() time.Duration { return time.Since(origin) }
	}
	if opt.TimeLimit > 0 {
		// The search stops a little early (5%, at most 100ms) so that the
		// workers' last steps and the final checks fit in the limit.
		st.deadline = st.clock() + opt.TimeLimit - min(opt.TimeLimit/20, 100*time.Millisecond)
	}
	return st
}

// at returns the point on the clock a share of the remaining time away, or
// 0 when there is no time limit.
func (s *stopper) at(share float64) time.Duration {
	if s.deadline == 0 {
		return 0
	}
	now := s.clock()
	return now + time.Duration(share*float64(s.deadline-now))
}

// past reports whether the clock has reached t (never when t is 0).
func (s *stopper) past(t time.Duration) bool { return t != 0 && s.clock() >= t }

// stopped reports whether the context or the time limit says stop.
func (s *stopper) stopped() bool {
	return s.ctx.Err() != nil || s.past(s.deadline)
}

func (s *stopper) done(iter, sinceImprovement int) bool {
	if s.stopped() {
		return true
	}
	if s.patience > 0 && sinceImprovement >= s.patience {
		return true
	}
	if s.maxIter > 0 {
		return iter >= s.maxIter
	}
	return s.deadline == 0 && s.patience == 0 && sinceImprovement >= defaultPatience
}

// run is the genetic search: an initial population of random educated
// individuals, then ordered crossover, split, education and survivor
// selection until the stopper says so.
func (g *genetic) run(st *stopper) {
	g.ls.stop = st.stopped
	// The initial population takes at most a fifth of the time budget, so
	// that short budgets still leave time for the crossovers.
	initial := 4 * g.mu
	if st.population > 0 {
		initial = st.population
	}
	initEnd := st.at(0.2)
	for i := 0; i < initial; i++ {
		if i > 0 && st.stopped() {
			return
		}
		if i >= 2 && st.past(initEnd) {
			break
		}
		if st.maxIter > 0 && i >= st.maxIter && i > 0 {
			break
		}
		g.offspring(g.initialIndividual(i), i == 0)
	}
	// Fleet mode starts when no feasible solution has turned up after a
	// while (500 generations, or half of the iteration or time budget): the
	// penalties have had time to drive the search to feasibility if the
	// fleet can serve everyone.
	half := st.at(0.5)
	since := 0
	for g.iter = 0; !st.done(g.iter, since); g.iter++ {
		if g.best == nil && !g.ls.useBin && (g.iter >= 500 || (st.maxIter > 0 && g.iter >= st.maxIter/2) ||
			st.past(half)) {
			g.fleetMode()
		}
		child := g.newIndividual()
		g.crossover(child, g.tournament(), g.tournament())
		if g.offspring(child, false) {
			since = 0
			g.exch.publish(g.id, g.best)
		} else if g.best != nil {
			since++
		}
		if (g.iter+1)%penaltyPeriod == 0 {
			g.managePenalties()
			if b := g.exch.better(g.id, g.best); b != nil {
				// Migration: another worker's best joins this population.
				g.add(b)
			}
		}
		if since > 0 && since%restartAfter == 0 {
			// Restart from new random individuals, keeping the best.
			g.feasPop, g.infPop = nil, nil
			if g.best != nil {
				g.add(g.best)
			}
			for i := 0; i < initial && !st.done(g.iter, since); i++ {
				g.offspring(g.randomIndividual(i), false)
			}
		}
	}
}

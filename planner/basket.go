package planner

import "math"

// The basket phase decides, category by category, how many steps of each
// product go into one basket of each type. Rules 2, 3, 5 and 6 bound the
// choice: every type is filled until no product fits (maximal), no single
// step moved from a better filled type to a worse one would leave the giver
// at least as well filled (fair up to rounding), and min_products holds when
// the supply allows it for every type at once. Among such contents the
// planner looks for the one that leaves least unsold: the greatest weight
// drawn from the surplus (what is left of each product beyond the extras'
// demand), since what the baskets take within the extras' demand would have
// been sold anyway. Small categories are solved exactly; bigger ones by
// several greedy fills and a local search (see README).

// prefer orders the products for one more step in the baskets of type t.
type prefer func(t *basketSlot, a, b *prodState) bool

// byAbundance leans on the product with most surplus.
func byAbundance(_ *basketSlot, a, b *prodState) bool { return morePreferred(a, b) }

// surplusHeaviest takes surplus first, heaviest steps first, so that little
// room is left that no step fits.
func surplusHeaviest(t *basketSlot, a, b *prodState) bool {
	fa, fb := a.left-a.extraDemand >= t.n, b.left-b.extraDemand >= t.n
	if fa != fb {
		return fa
	}
	if math.Abs(a.w-b.w) > kgClose {
		return a.w > b.w
	}
	return morePreferred(a, b)
}

// surplusLightest takes surplus first, lightest steps first, so that the
// room is shared among many products.
func surplusLightest(t *basketSlot, a, b *prodState) bool {
	fa, fb := a.left-a.extraDemand >= t.n, b.left-b.extraDemand >= t.n
	if fa != fb {
		return fa
	}
	if math.Abs(a.w-b.w) > kgClose {
		return a.w < b.w
	}
	return morePreferred(a, b)
}

var prefs = []prefer{byAbundance, surplusHeaviest, surplusLightest}

// fillState is a snapshot of a category's contents and supply.
type fillState struct {
	x    [][]int64
	have []float64
	left []int64
}

func snapshot(slots []*basketSlot, prods []*prodState) fillState {
	st := fillState{x: make([][]int64, len(slots)), have: make([]float64, len(slots)), left: make([]int64, len(prods))}
	for i, t := range slots {
		st.x[i] = append([]int64(nil), t.x...)
		st.have[i] = t.have
	}
	for i, ps := range prods {
		st.left[i] = ps.left
	}
	return st
}

func (st fillState) restore(slots []*basketSlot, prods []*prodState) {
	for i, t := range slots {
		copy(t.x, st.x[i])
		t.have = st.have[i]
	}
	for i, ps := range prods {
		ps.left = st.left[i]
	}
}

// recompute sets each type's content weight from its steps, in product
// order, so that float sums do not drift with the history of moves.
func recompute(slots []*basketSlot, prods []*prodState) {
	for _, t := range slots {
		t.have = 0
		for i, v := range t.x {
			t.have += float64(v) * prods[i].w
		}
	}
}

// progressiveFill gives one step at a time to the least filled type that can
// take one, among the active ones (all when active is nil), until none can.
func progressiveFill(slots []*basketSlot, prods []*prodState, pf prefer, active []bool) {
	if active == nil {
		active = make([]bool, len(slots))
		for i := range active {
			active[i] = true
		}
	}
	for {
		best := -1
		for i, t := range slots {
			if !active[i] {
				continue
			}
			if best < 0 {
				best = i
				continue
			}
			b := slots[best]
			ri, rb := t.ratio(), b.ratio()
			if ri < rb-kgClose || (math.Abs(ri-rb) <= kgClose && t.key < b.key) {
				best = i
			}
		}
		if best < 0 {
			return
		}
		t := slots[best]
		pi := -1
		// A type short of its min_products takes a product it lacks first.
		if t.guard && t.distinct() < t.min {
			for i, ps := range prods {
				if t.x[i] == 0 && fits(t, ps) && (pi < 0 || pf(t, ps, prods[pi])) {
					pi = i
				}
			}
		}
		if pi < 0 {
			for i, ps := range prods {
				if fits(t, ps) && (pi < 0 || pf(t, ps, prods[pi])) {
					pi = i
				}
			}
		}
		if pi < 0 {
			active[best] = false
			continue
		}
		ps := prods[pi]
		t.x[pi]++
		ps.left -= t.n
		t.have += ps.w
	}
}

// settle fills every type and rebalances until the contents are maximal and
// fair, within a bounded number of passes.
func settle(slots []*basketSlot, prods []*prodState, pf prefer) {
	for iter := 0; ; iter++ {
		progressiveFill(slots, prods, pf, nil)
		recompute(slots, prods)
		if iter >= 4*len(slots)*len(prods)+16 || !rebalance(slots, prods) {
			return
		}
	}
}

// valid reports whether the contents obey rules 2, 3, 5 and 6 within the
// category: no type can take a step more, no unfair move is left, and the
// guarded types keep their min_products.
func valid(slots []*basketSlot, prods []*prodState) bool {
	for _, t := range slots {
		if t.guard && t.distinct() < t.min {
			return false
		}
		for _, ps := range prods {
			if fits(t, ps) {
				return false
			}
		}
	}
	for _, give := range slots {
		for _, take := range slots {
			if give == take || give.ratio() <= take.ratio()+kgClose {
				continue
			}
			for i, ps := range prods {
				if unfairMove(give, take, i, ps) {
					return false
				}
			}
		}
	}
	return true
}

// unfairMove reports whether moving one step of product i from give to take
// is possible and leaves give at least as well filled as take becomes.
func unfairMove(give, take *basketSlot, i int, ps *prodState) bool {
	if give.x[i] == 0 || give.guard && give.x[i] == 1 && give.distinct() <= give.min {
		return false
	}
	if ps.w > take.kg-take.have+kgClose || ps.left+give.n < take.n {
		return false
	}
	return (give.have-ps.w)/give.kg >= (take.have+ps.w)/take.kg-kgClose
}

// fillScore ranks the contents of a category: first the weight drawn from
// the surplus (what decides the total weight sold), then the baskets' own
// weight (baskets rank before extras).
type fillScore struct{ surplus, kg float64 }

// beats reports whether a is strictly better than b.
func (a fillScore) beats(b fillScore) bool {
	if a.surplus > b.surplus+kgClose {
		return true
	}
	return a.surplus >= b.surplus-kgClose && a.kg > b.kg+kgClose
}

// surplusScore scores the current contents: what the baskets take of each
// product up to what is left beyond the extras' demand, and all they take.
func surplusScore(prods []*prodState, start []int64) fillScore {
	var sc fillScore
	for i, ps := range prods {
		used := start[i] - ps.left
		free := max(start[i]-ps.extraDemand, 0)
		sc.surplus += float64(min(used, free)) * ps.w
		sc.kg += float64(used) * ps.w
	}
	return sc
}

// localBudget bounds the contents tried by the local search of one category.
const localBudget = 400

// fillCategory fills one category of every basket type that has it.
func fillCategory(slots []*basketSlot, prods []*prodState) {
	start := make([]int64, len(prods))
	for i, ps := range prods {
		start[i] = ps.left
	}
	if ok := reserveMinimum(slots, prods); ok {
		for _, t := range slots {
			t.guard = t.min > 0
		}
	}
	recompute(slots, prods)
	upper := 0.0
	for _, t := range slots {
		upper += float64(t.n) * t.kg
	}
	free := 0.0
	for i, ps := range prods {
		free += float64(max(start[i]-ps.extraDemand, 0)) * ps.w
	}
	upper = math.Min(upper, free)

	base := snapshot(slots, prods)
	var best fillState
	var bestScore fillScore
	found := false
	for _, pf := range prefs {
		base.restore(slots, prods)
		settle(slots, prods, pf)
		if !valid(slots, prods) {
			continue
		}
		if sc := surplusScore(prods, start); !found || sc.beats(bestScore) {
			best, bestScore, found = snapshot(slots, prods), sc, true
		}
		if bestScore.surplus >= upper-kgClose {
			break
		}
	}
	// More starts: types filled one after the other, each as a knapsack,
	// in every order when there are few types (from empty contents and from
	// the min_products reservation).
	// Which types are small enough for a knapsack refill (their whole kg
	// holds at most knapsackLimit contents): counted once per category.
	for _, t := range slots {
		t.knapsack = bestScore.surplus < upper-kgClose &&
			countContents(prods, 0, t.kg+kgClose, knapsackLimit+1) <= knapsackLimit
	}
	if bestScore.surplus < upper-kgClose && len(slots) <= 4 {
		empty := snapshot(slots, prods)
		for i := range empty.x {
			for j := range empty.x[i] {
				empty.left[j] += empty.x[i][j] * slots[i].n
				empty.x[i][j] = 0
			}
			empty.have[i] = 0
		}
		for _, from := range []fillState{empty, base} {
			for _, perm := range permutations(len(slots)) {
				from.restore(slots, prods)
				ok := true
				for _, ti := range perm {
					ok = ok && knapsackFill(slots[ti], prods)
				}
				if !ok {
					continue
				}
				settle(slots, prods, prefs[0])
				if !valid(slots, prods) {
					continue
				}
				if sc := surplusScore(prods, start); !found || sc.beats(bestScore) {
					best, bestScore, found = snapshot(slots, prods), sc, true
				}
			}
		}
	}
	if !found {
		// No greedy fill passed the check (it should not happen); keep the
		// first one, which is at least maximal.
		base.restore(slots, prods)
		settle(slots, prods, prefs[0])
		return
	}

	// Local search: take k steps of a product out of one type, refill
	// (that type first, or the others first) and keep the best strict gain.
	// A settle costs about (steps in all baskets) x (types + products); the
	// search is skipped where that would be too slow to repeat.
	heavy := categorySteps(slots, prods)*(len(slots)+len(prods)) > 2000000
	budget := localBudget
	if heavy {
		budget = 0
	}
	for budget > 0 && bestScore.surplus < upper-kgClose {
		var cand fillState
		candScore := bestScore
		// Empty one type and refill it as a small knapsack, then settle.
		for ti := range slots {
			for _, pf := range prefs {
				if budget <= 0 {
					break
				}
				budget--
				best.restore(slots, prods)
				t := slots[ti]
				for pi := range prods {
					prods[pi].left += t.x[pi] * t.n
					t.x[pi] = 0
				}
				recompute(slots, prods)
				if !knapsackFill(t, prods) {
					break
				}
				settle(slots, prods, pf)
				if !valid(slots, prods) {
					continue
				}
				if sc := surplusScore(prods, start); sc.beats(candScore) {
					cand, candScore = snapshot(slots, prods), sc
				}
			}
		}
		for ti := range slots {
			for pi := range prods {
				have := best.x[ti][pi]
				for ki, k := range []int64{1, 2, 3, have} {
					// k takes 1, 2, 3 and all the steps, each once.
					if k > have || k == 0 || budget <= 0 || ki == 3 && have <= 3 {
						continue
					}
					for variant := range 2 {
						for _, pf := range prefs {
							budget--
							best.restore(slots, prods)
							t := slots[ti]
							t.x[pi] -= k
							prods[pi].left += k * t.n
							recompute(slots, prods)
							active := make([]bool, len(slots))
							for i := range active {
								active[i] = (i == ti) == (variant == 0)
							}
							progressiveFill(slots, prods, pf, active)
							settle(slots, prods, pf)
							if !valid(slots, prods) {
								continue
							}
							if sc := surplusScore(prods, start); sc.beats(candScore) {
								cand, candScore = snapshot(slots, prods), sc
							}
						}
					}
				}
			}
		}
		if cand.x == nil {
			break
		}
		best, bestScore = cand, candScore
	}
	if bestScore.surplus < upper-kgClose && !heavy {
		base.restore(slots, prods)
		if ex, sc, ok := exactFill(slots, prods, start); ok && sc.beats(bestScore) {
			best = ex
		}
	}
	best.restore(slots, prods)
	recompute(slots, prods)
}

// exactBudget bounds the contents exactFill enumerates; past it the category
// keeps the local search's result.
const exactBudget = 200000

// exactFill enumerates every choice of contents of a small category (all
// step counts within each type's kg and the supply) and returns the valid one
// drawing most from the surplus. It reports false when the category is too
// big to enumerate within exactBudget.
func exactFill(slots []*basketSlot, prods []*prodState, start []int64) (fillState, fillScore, bool) {
	// Estimate the number of leaves first: the product of each type's count
	// of contents within its kg.
	est := 1.0
	for _, t := range slots {
		est *= float64(countContents(prods, 0, t.kg+kgClose, exactBudget+1))
		if est > exactBudget {
			return fillState{}, fillScore{}, false
		}
	}
	for _, t := range slots {
		for i := range t.x {
			t.x[i] = 0
		}
	}
	for i, ps := range prods {
		ps.left = start[i]
	}
	var best fillState
	var bestScore fillScore
	found := false
	var byType func(ti int)
	var byProd func(ti, pi int, room float64)
	byType = func(ti int) {
		if ti == len(slots) {
			recompute(slots, prods)
			if !valid(slots, prods) {
				return
			}
			if sc := surplusScore(prods, start); !found || sc.beats(bestScore) {
				best, bestScore, found = snapshot(slots, prods), sc, true
			}
			return
		}
		byProd(ti, 0, slots[ti].kg+kgClose)
	}
	byProd = func(ti, pi int, room float64) {
		if pi == len(prods) {
			byType(ti + 1)
			return
		}
		t, ps := slots[ti], prods[pi]
		for k := int64(0); ; k++ {
			if float64(k)*ps.w > room {
				break
			}
			if k > 0 {
				if ps.left < t.n {
					break
				}
				t.x[pi]++
				ps.left -= t.n
			}
			byProd(ti, pi+1, room-float64(k)*ps.w)
		}
		ps.left += t.x[pi] * t.n
		t.x[pi] = 0
	}
	byType(0)
	return best, bestScore, found
}

// countContents counts the step vectors of prods[from:] within room kg,
// stopping at limit.
func countContents(prods []*prodState, from int, room float64, limit int) int {
	if from == len(prods) {
		return 1
	}
	n := 0
	for k := 0; float64(k)*prods[from].w <= room; k++ {
		n += countContents(prods, from+1, room-float64(k)*prods[from].w, limit-n)
		if n >= limit {
			return n
		}
	}
	return n
}

// categorySteps is how many steps one basket of every type could hold, at
// the lightest product's step.
func categorySteps(slots []*basketSlot, prods []*prodState) int {
	light := math.Inf(1)
	for _, ps := range prods {
		light = math.Min(light, ps.w)
	}
	n := 0.0
	for _, t := range slots {
		n += t.kg / light
	}
	return int(math.Min(n, 1e9))
}

// knapsackLimit bounds the contents knapsackFill enumerates for one type.
const knapsackLimit = 20000

// knapsackFill fills one type's free room with the contents that draw most
// weight from the surplus (then most weight, keeping min_products when
// guarded), by enumerating every content within the room and the supply. It
// reports false, changing nothing, when the type's kg holds too many contents
// to enumerate (t.knapsack false) or none keeps min_products.
func knapsackFill(t *basketSlot, prods []*prodState) bool {
	room := t.kg - t.have + kgClose
	if !t.knapsack {
		return false
	}
	y := make([]int64, len(prods))
	best := make([]int64, len(prods))
	bestSur, bestKg, found := 0.0, 0.0, false
	var rec func(i int, room, sur, kg float64)
	rec = func(i int, room, sur, kg float64) {
		if i == len(prods) {
			if t.guard {
				d := 0
				for j := range prods {
					if t.x[j]+y[j] > 0 {
						d++
					}
				}
				if d < t.min {
					return
				}
			}
			if !found || sur > bestSur+kgClose || math.Abs(sur-bestSur) <= kgClose && kg > bestKg+kgClose {
				copy(best, y)
				bestSur, bestKg, found = sur, kg, true
			}
			return
		}
		ps := prods[i]
		free := max(ps.left-ps.extraDemand, 0)
		for k := int64(0); float64(k)*ps.w <= room && k*t.n <= ps.left; k++ {
			y[i] = k
			rec(i+1, room-float64(k)*ps.w, sur+float64(min(k*t.n, free))*ps.w, kg+float64(k)*ps.w)
		}
		y[i] = 0
	}
	rec(0, room, 0, 0)
	if !found {
		return false
	}
	for i, k := range best {
		t.x[i] += k
		prods[i].left -= k * t.n
		t.have += float64(k) * prods[i].w
	}
	return true
}

// permutations lists every order of 0..n-1 (n is at most 4 here).
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

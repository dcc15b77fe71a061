package planner

import (
	"math"
	"sort"
)

// The basket phase decides, category by category, how many steps of each
// product go into one basket of each type. Rules 2, 3, 5 and 6 bound the
// choice: every type is filled until no move fits (maximal), no single move
// from a better filled type to a worse one would leave the giver at least as
// well filled (fair up to rounding), each quantity is 0 or between the
// product's basket_min and basket_max, each category holds at most
// max_products products, and min_products holds when the supply allows it
// for every type at once. A move adds or takes one step of a product a basket
// holds, or its whole basket_min when the product enters or leaves it.
//
// Among such contents rule 10 asks for the leximin-fairest shares between the
// category's products: the baskets' share of each product (steps taken /
// steps left after the canteens) has its lowest value as high as possible,
// then the next lowest, and so on. The composer fills by water-filling (the
// least filled type takes one move of the product whose share is lowest),
// improves by a local search (take moves out and refill; swap a move of a
// better-sold product for one of a worse-sold one), and solves small
// categories exactly (see README).

// basketSlot is one basket type's share of one category during the fill.
type basketSlot struct {
	b     *basketState
	n     int64   // baskets of the type
	kg    float64 // category kg per basket (the cap)
	min   int     // min_products
	maxP  int     // max_products (the category's product count when unbounded)
	key   uint64
	x     []int64 // steps per basket, by product of the category
	have  float64 // content kg per basket
	guard bool    // min_products must be kept
}

func (t *basketSlot) ratio() float64 { return t.have / t.kg }

func (t *basketSlot) distinct() int {
	n := 0
	for _, v := range t.x {
		if v > 0 {
			n++
		}
	}
	return n
}

// addSize is the steps per basket that one more move of product i puts in
// t: its basket_min when t does not hold it yet, else one step.
func addSize(t *basketSlot, i int, ps *prodState) int64 {
	if t.x[i] == 0 {
		return ps.bmin
	}
	return 1
}

// takeSize is the steps per basket that one move of product i takes out of
// t: all of it when t holds only its basket_min (the product leaves), else
// one step.
func takeSize(t *basketSlot, i int, ps *prodState) int64 {
	if t.x[i] <= ps.bmin {
		return t.x[i]
	}
	return 1
}

// canAdd reports whether one more move of product i fits every basket of t
// (basket_max, max_products, the category's kg and the supply left); nd is
// t.distinct().
func canAdd(t *basketSlot, i int, ps *prodState, nd int) bool {
	a := addSize(t, i, ps)
	if t.x[i]+a > ps.bmax || t.x[i] == 0 && nd >= t.maxP {
		return false
	}
	return float64(a)*ps.w <= t.kg-t.have+kgClose && ps.left >= a*t.n
}

// canTake reports whether a move of product i may leave t without breaking
// its kept min_products; nd is t.distinct().
func canTake(t *basketSlot, i int, ps *prodState, nd int) bool {
	if t.x[i] == 0 {
		return false
	}
	return !(t.guard && takeSize(t, i, ps) == t.x[i] && nd <= t.min)
}

// put adds k steps per basket of product i to t (k may be negative).
func (t *basketSlot) put(i int, ps *prodState, k int64) {
	t.x[i] += k
	ps.left -= k * t.n
	t.have += float64(k) * ps.w
}

// used is what the baskets take of a product, in steps.
func (ps *prodState) used() int64 { return ps.afterCanteen - ps.left }

// shareLess reports whether p's share after du more steps is below q's after
// dv more, exactly. A product with nothing left after the canteens has no
// share and ranks last.
func shareLess(p *prodState, du int64, q *prodState, dv int64) bool {
	if p.afterCanteen == 0 || q.afterCanteen == 0 {
		return p.afterCanteen != 0 && q.afterCanteen == 0
	}
	return ratioLess(p.used()+du, p.afterCanteen, q.used()+dv, q.afterCanteen)
}

// prefer reports whether product i should take the next move in t before
// product j.
type prefer func(t *basketSlot, i int, ps *prodState, j int, qs *prodState) bool

// byShare takes the product sold least so far, then the one whose share the
// move raises least (the most abundant), then the first.
func byShare(t *basketSlot, i int, ps *prodState, j int, qs *prodState) bool {
	if shareLess(ps, 0, qs, 0) || shareLess(qs, 0, ps, 0) {
		return shareLess(ps, 0, qs, 0)
	}
	du, dv := addSize(t, i, ps)*t.n, addSize(t, j, qs)*t.n
	if shareLess(ps, du, qs, dv) || shareLess(qs, dv, ps, du) {
		return shareLess(ps, du, qs, dv)
	}
	return i < j
}

// byShareAfter takes the product whose share is lowest after the move.
func byShareAfter(t *basketSlot, i int, ps *prodState, j int, qs *prodState) bool {
	du, dv := addSize(t, i, ps)*t.n, addSize(t, j, qs)*t.n
	if shareLess(ps, du, qs, dv) || shareLess(qs, dv, ps, du) {
		return shareLess(ps, du, qs, dv)
	}
	return byShare(t, i, ps, j, qs)
}

// byShareHeavy takes the product sold least, the heaviest move first among
// equals, so that little room is left that no move fits.
func byShareHeavy(t *basketSlot, i int, ps *prodState, j int, qs *prodState) bool {
	if shareLess(ps, 0, qs, 0) || shareLess(qs, 0, ps, 0) {
		return shareLess(ps, 0, qs, 0)
	}
	wi, wj := float64(addSize(t, i, ps))*ps.w, float64(addSize(t, j, qs))*qs.w
	if math.Abs(wi-wj) > kgClose {
		return wi > wj
	}
	return byShare(t, i, ps, j, qs)
}

var prefs = []prefer{byShare, byShareAfter, byShareHeavy}

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

// progressiveFill gives one move at a time to the least filled type that can
// take one, among the active ones (all when active is nil), until none can.
// A guarded type short of its min_products takes a product it lacks first.
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
		nd := t.distinct()
		pi := -1
		if t.guard && nd < t.min {
			for i, ps := range prods {
				if t.x[i] == 0 && canAdd(t, i, ps, nd) && keepsRoom(t, prods, i, nd) && (pi < 0 || pf(t, i, ps, pi, prods[pi])) {
					pi = i
				}
			}
		}
		if pi < 0 {
			for i, ps := range prods {
				if canAdd(t, i, ps, nd) && (pi < 0 || pf(t, i, ps, pi, prods[pi])) {
					pi = i
				}
			}
		}
		if pi < 0 {
			active[best] = false
			continue
		}
		t.put(pi, prods[pi], addSize(t, pi, prods[pi]))
	}
}

// keepsRoom reports whether, once product i enters t, the room left can
// still take the basket_min of the t.min-nd-1 lightest other products t
// lacks that have enough left, so that a type short of its min_products does
// not fill its kg with a few heavy portions.
func keepsRoom(t *basketSlot, prods []*prodState, i, nd int) bool {
	k := t.min - nd - 1
	if k <= 0 {
		return true
	}
	var ws []float64
	for j, ps := range prods {
		if j != i && t.x[j] == 0 && ps.bmin <= ps.bmax && ps.left >= ps.bmin*t.n {
			ws = append(ws, float64(ps.bmin)*ps.w)
		}
	}
	if len(ws) < k {
		return false
	}
	sort.Float64s(ws)
	room := t.kg - t.have - float64(prods[i].bmin)*prods[i].w
	for _, w := range ws[:k] {
		room -= w
	}
	return room >= -kgClose
}

// settle fills every type and rebalances until the contents are maximal and
// fair between types, within a bounded number of passes.
func settle(slots []*basketSlot, prods []*prodState, pf prefer) {
	for iter := 0; ; iter++ {
		progressiveFill(slots, prods, pf, nil)
		recompute(slots, prods)
		if iter >= 4*len(slots)*len(prods)+16 || !rebalance(slots, prods) {
			return
		}
	}
}

// unfairMove reports whether moving one move of product i from give to take
// is possible within rule 5 and leaves give at least as well filled as take
// becomes (rule 3's "up to rounding" test). ndg and ndt are the types'
// distinct products.
func unfairMove(give, take *basketSlot, i int, ps *prodState, ndg, ndt int) bool {
	if !canTake(give, i, ps, ndg) {
		return false
	}
	tk, ad := takeSize(give, i, ps), addSize(take, i, ps)
	if take.x[i]+ad > ps.bmax || take.x[i] == 0 && ndt >= take.maxP {
		return false
	}
	if float64(ad)*ps.w > take.kg-take.have+kgClose || ps.left+tk*give.n < ad*take.n {
		return false
	}
	return (give.have-float64(tk)*ps.w)/give.kg >= (take.have+float64(ad)*ps.w)/take.kg-kgClose
}

// findUnfairMove returns the first unfair move between two types: the
// giver, the receiver and the product's index.
func findUnfairMove(slots []*basketSlot, prods []*prodState) (give, take *basketSlot, i int, ok bool) {
	for _, give := range slots {
		for _, take := range slots {
			if give == take || give.ratio() <= take.ratio()+kgClose {
				continue
			}
			ndg, ndt := give.distinct(), take.distinct()
			for i, ps := range prods {
				if unfairMove(give, take, i, ps, ndg, ndt) {
					return give, take, i, true
				}
			}
		}
	}
	return nil, nil, 0, false
}

// rebalance makes one unfair move right (from the better filled type to the
// worse filled one) and reports whether it moved anything.
func rebalance(slots []*basketSlot, prods []*prodState) bool {
	give, take, i, ok := findUnfairMove(slots, prods)
	if ok {
		ps := prods[i]
		tk, ad := takeSize(give, i, ps), addSize(take, i, ps)
		give.put(i, ps, -tk)
		take.put(i, ps, ad)
	}
	return ok
}

// valid reports whether the contents obey rules 2, 3, 5 and 6 within the
// category: no type can take a move more, no unfair move is left, the
// guarded types keep their min_products and none exceeds max_products.
func valid(slots []*basketSlot, prods []*prodState) bool {
	for _, t := range slots {
		nd := t.distinct()
		if t.guard && nd < t.min || nd > t.maxP || t.have > t.kg+kgClose {
			return false
		}
		for i, ps := range prods {
			if canAdd(t, i, ps, nd) {
				return false
			}
		}
	}
	_, _, _, unfair := findUnfairMove(slots, prods)
	return !unfair
}

// shareScore ranks the contents of a category by rule 10: the shares of the
// counted products, ascending, compared lexicographically (leximin); then the
// baskets' total weight.
type shareScore struct {
	shares [][2]int64 // used, after canteens; ascending by ratio
	kg     float64
}

func scoreOf(slots []*basketSlot, prods []*prodState) shareScore {
	var sc shareScore
	for _, ps := range prods {
		if ps.counted {
			sc.shares = append(sc.shares, [2]int64{ps.used(), ps.afterCanteen})
		}
	}
	sort.Slice(sc.shares, func(i, j int) bool {
		a, b := sc.shares[i], sc.shares[j]
		return ratioLess(a[0], a[1], b[0], b[1])
	})
	for _, t := range slots {
		sc.kg += float64(t.n) * t.have
	}
	return sc
}

// beats reports whether a is strictly better than b.
func (a shareScore) beats(b shareScore) bool {
	for k := range a.shares {
		x, y := a.shares[k], b.shares[k]
		if ratioLess(y[0], y[1], x[0], x[1]) {
			return true
		}
		if ratioLess(x[0], x[1], y[0], y[1]) {
			return false
		}
	}
	return a.kg > b.kg+kgClose
}

// perfect reports whether every counted product is wholly taken: no
// contents can do better.
func (a shareScore) perfect() bool {
	for _, s := range a.shares {
		if s[0] < s[1] {
			return false
		}
	}
	return true
}

// markCounted marks the products rule 10 counts: those at least one type
// could hold (count x basket_min left after canteens, basket_min within the
// type's kg).
func markCounted(slots []*basketSlot, prods []*prodState) {
	for _, ps := range prods {
		ps.counted = false
		for _, t := range slots {
			if ps.bmin <= ps.bmax && ps.left >= t.n*ps.bmin && float64(ps.bmin)*ps.w <= t.kg+kgClose {
				ps.counted = true
			}
		}
	}
}

// fillCategory fills one category of every basket type that has it: the
// min_products reservation when the supply allows it, greedy fills, a local
// search, a descent over swaps, and an exact search on small categories,
// keeping the valid contents with the best shareScore.
func fillCategory(slots []*basketSlot, prods []*prodState) {
	markCounted(slots, prods)
	start := make([]int64, len(prods))
	for i, ps := range prods {
		start[i] = ps.left
	}
	if reserveMinimum(slots, prods) {
		for _, t := range slots {
			t.guard = t.min > 0
		}
	}
	recompute(slots, prods)
	base := snapshot(slots, prods)
	best, score, found := greedyFills(slots, prods, base)
	if !found {
		// No greedy fill passed the check (it should not happen); keep the
		// first one, which is at least maximal.
		base.restore(slots, prods)
		settle(slots, prods, prefs[0])
		return
	}
	// A settle costs about (moves in all baskets) x (types + products); the
	// searches are skipped where that would be too slow to repeat.
	heavy := categorySteps(slots, prods)*(len(slots)+len(prods)) > 2000000
	if !heavy && !score.perfect() {
		best, score = localSearch(slots, prods, best, score)
	}
	if !score.perfect() {
		best, score = swapDescent(slots, prods, best, score)
	}
	if !heavy && !score.perfect() {
		if ex, sc, ok := exactFill(slots, prods, start); ok && sc.beats(score) {
			best = ex
		}
	}
	best.restore(slots, prods)
	recompute(slots, prods)
}

// greedyFills settles the category from base with each preference and
// returns the best valid contents.
func greedyFills(slots []*basketSlot, prods []*prodState, base fillState) (fillState, shareScore, bool) {
	var best fillState
	var score shareScore
	found := false
	for _, pf := range prefs {
		base.restore(slots, prods)
		settle(slots, prods, pf)
		if !valid(slots, prods) {
			continue
		}
		if sc := scoreOf(slots, prods); !found || sc.beats(score) {
			best, score, found = snapshot(slots, prods), sc, true
		}
	}
	return best, score, found
}

// localBudget bounds the contents tried by the local search of one category.
const localBudget = 400

// localSearch takes 1, 2 or 3 moves of a product, or all of it, out of one
// type, refills (that type first, or the others first) with each preference,
// and keeps the best strict gain, until no gain or the budget is spent.
func localSearch(slots []*basketSlot, prods []*prodState, best fillState, score shareScore) (fillState, shareScore) {
	budget := localBudget
	for budget > 0 && !score.perfect() {
		var cand fillState
		candScore := score
		// Empty one type and refill it first (min_products kept by
		// keepsRoom), then settle.
		for ti := range slots {
			for _, pf := range prefs {
				if budget <= 0 {
					break
				}
				budget--
				best.restore(slots, prods)
				t := slots[ti]
				for pi, ps := range prods {
					t.put(pi, ps, -t.x[pi])
				}
				recompute(slots, prods)
				active := make([]bool, len(slots))
				active[ti] = true
				progressiveFill(slots, prods, pf, active)
				settle(slots, prods, pf)
				if valid(slots, prods) {
					if sc := scoreOf(slots, prods); sc.beats(candScore) {
						cand, candScore = snapshot(slots, prods), sc
					}
				}
			}
		}
		for ti := range slots {
			for pi := range prods {
				have := best.x[ti][pi]
				for _, k := range []int64{1, 2, 3, have} {
					if have == 0 || budget <= 0 || k > 3 && have <= 3 {
						continue
					}
					for variant := range 2 {
						for _, pf := range prefs {
							budget--
							best.restore(slots, prods)
							if !takeMoves(slots[ti], pi, prods[pi], k) {
								continue
							}
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
							if sc := scoreOf(slots, prods); sc.beats(candScore) {
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
		best, score = cand, candScore
	}
	return best, score
}

// takeMoves takes up to k moves of product i out of t (fewer when the
// product leaves first) and reports whether it took any.
func takeMoves(t *basketSlot, i int, ps *prodState, k int64) bool {
	took := false
	for ; k > 0 && canTake(t, i, ps, t.distinct()); k-- {
		t.put(i, ps, -takeSize(t, i, ps))
		took = true
	}
	return took
}

// swapBudget bounds the refills the swap descent tries in one category.
const swapBudget = 300

// swapDescent repeatedly swaps, in one type, a move of a better-sold product
// for a move of a worse-sold one when that is fairer (rule 10 up to
// rounding): the swap is kept when the contents stay valid, or when a refill
// after it makes them valid and better. It stops when no swap helps.
func swapDescent(slots []*basketSlot, prods []*prodState, best fillState, score shareScore) (fillState, shareScore) {
	best.restore(slots, prods)
	recompute(slots, prods)
	refills := swapBudget
	for rounds := 0; rounds < 10000; rounds++ {
		if !swapOnce(slots, prods, &score, &refills) {
			break
		}
	}
	return snapshot(slots, prods), score
}

// swapOnce applies the first improving swap it finds and reports whether it
// found one.
func swapOnce(slots []*basketSlot, prods []*prodState, score *shareScore, refills *int) bool {
	var cur fillState
	for _, t := range slots {
		nd := t.distinct()
		for a, pa := range prods {
			if !canTake(t, a, pa, nd) {
				continue
			}
			tk := takeSize(t, a, pa)
			for b, pb := range prods {
				if b == a {
					continue
				}
				ad, ok := swapFits(t, a, pa, tk, b, pb, nd)
				if !ok || !pairGain(pa, -tk*t.n, pb, ad*t.n) {
					continue
				}
				t.put(a, pa, -tk)
				t.put(b, pb, ad)
				recompute(slots, prods)
				if valid(slots, prods) {
					*score = scoreOf(slots, prods)
					return true
				}
				if *refills > 0 {
					*refills--
					if cur.x == nil {
						t.put(b, pb, -ad)
						t.put(a, pa, tk)
						cur = snapshot(slots, prods)
						t.put(a, pa, -tk)
						t.put(b, pb, ad)
					}
					settle(slots, prods, prefs[0])
					if valid(slots, prods) {
						if sc := scoreOf(slots, prods); sc.beats(*score) {
							*score = sc
							return true
						}
					}
					cur.restore(slots, prods)
					recompute(slots, prods)
					continue
				}
				t.put(b, pb, -ad)
				t.put(a, pa, tk)
				recompute(slots, prods)
			}
		}
	}
	return false
}

// swapFits reports whether, once tk steps of product a left t, one move of
// product b fits (basket_max, max_products, kg, supply), and its size.
func swapFits(t *basketSlot, a int, pa *prodState, tk int64, b int, pb *prodState, nd int) (int64, bool) {
	ad := addSize(t, b, pb)
	if t.x[b]+ad > pb.bmax || pb.afterCanteen == 0 {
		return 0, false
	}
	if t.x[b] == 0 {
		if tk == t.x[a] {
			nd--
		}
		if nd >= t.maxP {
			return 0, false
		}
	}
	room := t.kg - t.have + float64(tk)*pa.w
	return ad, float64(ad)*pb.w <= room+kgClose && pb.left >= ad*t.n
}

// pairGain reports whether changing p's use by dp and q's by dq (dp < 0 <
// dq) makes the pair's sorted shares lexicographically greater: leximin is
// separable, so the other products need not be compared.
func pairGain(p *prodState, dp int64, q *prodState, dq int64) bool {
	type r struct{ n, d int64 }
	less := func(x, y r) bool { return ratioLess(x.n, x.d, y.n, y.d) }
	sorted := func(x, y r) (r, r) {
		if less(y, x) {
			return y, x
		}
		return x, y
	}
	o1, o2 := sorted(r{p.used(), p.afterCanteen}, r{q.used(), q.afterCanteen})
	n1, n2 := sorted(r{p.used() + dp, p.afterCanteen}, r{q.used() + dq, q.afterCanteen})
	if less(o1, n1) {
		return true
	}
	return !less(n1, o1) && less(o2, n2)
}

// exactBudget bounds the contents exactFill enumerates; past it the category
// keeps the searches' result.
const exactBudget = 200000

// exactFill enumerates every choice of contents of a small category (each
// quantity 0 or within basket_min..basket_max, within each type's kg,
// max_products and the supply) and returns the valid one with the best
// shareScore. It reports false when the category is too big to enumerate
// within exactBudget.
func exactFill(slots []*basketSlot, prods []*prodState, start []int64) (fillState, shareScore, bool) {
	est := 1.0
	for _, t := range slots {
		est *= float64(countContents(prods, 0, t.kg+kgClose, t.maxP, exactBudget+1))
		if est > exactBudget {
			return fillState{}, shareScore{}, false
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
	var bestScore shareScore
	found := false
	var byType func(ti int)
	var byProd func(ti, pi, nd int, room float64)
	byType = func(ti int) {
		if ti == len(slots) {
			recompute(slots, prods)
			if !valid(slots, prods) {
				return
			}
			if sc := scoreOf(slots, prods); !found || sc.beats(bestScore) {
				best, bestScore, found = snapshot(slots, prods), sc, true
			}
			return
		}
		byProd(ti, 0, 0, slots[ti].kg+kgClose)
	}
	byProd = func(ti, pi, nd int, room float64) {
		if pi == len(prods) {
			byType(ti + 1)
			return
		}
		t, ps := slots[ti], prods[pi]
		byProd(ti, pi+1, nd, room)
		if nd >= t.maxP {
			return
		}
		for k := ps.bmin; k <= ps.bmax && float64(k)*ps.w <= room && k*t.n <= ps.left; k++ {
			t.x[pi] = k
			ps.left -= k * t.n
			byProd(ti, pi+1, nd+1, room-float64(k)*ps.w)
			ps.left += k * t.n
		}
		t.x[pi] = 0
	}
	byType(0)
	return best, bestScore, found
}

// countContents counts the contents of prods[from:] within room kg and at
// most maxP more products, stopping at limit.
func countContents(prods []*prodState, from int, room float64, maxP, limit int) int {
	if from == len(prods) {
		return 1
	}
	ps := prods[from]
	n := countContents(prods, from+1, room, maxP, limit)
	if maxP == 0 {
		return n
	}
	for k := ps.bmin; k <= ps.bmax && float64(k)*ps.w <= room && n < limit; k++ {
		n += countContents(prods, from+1, room-float64(k)*ps.w, maxP-1, limit-n)
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

// minSearchBudget bounds the search for a min_products selection; past it the
// selection is taken as impossible (see README).
const minSearchBudget = 200000

// reserveMinimum puts the basket_min of min_products different products in
// every type's category when the supply left can give every type its minimum
// at once (count x basket_min of each, within the kg), and reports whether it
// could. It leans on the products whose share the reservation raises least.
func reserveMinimum(slots []*basketSlot, prods []*prodState) bool {
	need := false
	for _, t := range slots {
		if t.min > 0 {
			need = true
		}
		if t.min > len(prods) {
			return false
		}
	}
	if !need {
		return false
	}
	order := make([]int, len(slots))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(x, y int) bool {
		a, b := slots[order[x]], slots[order[y]]
		if a.n != b.n {
			return a.n > b.n
		}
		return a.key < b.key
	})
	pref := make([]int, 0, len(prods))
	for i, ps := range prods {
		if ps.bmin <= ps.bmax && ps.afterCanteen > 0 {
			pref = append(pref, i)
		}
	}
	sort.SliceStable(pref, func(x, y int) bool {
		p, q := prods[pref[x]], prods[pref[y]]
		return ratioLess(p.bmin, p.afterCanteen, q.bmin, q.afterCanteen)
	})
	budget := minSearchBudget
	left := make([]int64, len(prods))
	for i, ps := range prods {
		left[i] = ps.left
	}
	chosen := make([][]int, len(slots))
	var place func(k int) bool
	var pick func(k, from int, t *basketSlot, weight float64) bool
	place = func(k int) bool {
		if k == len(order) {
			return true
		}
		t := slots[order[k]]
		if t.min == 0 {
			return place(k + 1)
		}
		return pick(k, 0, t, 0)
	}
	pick = func(k, from int, t *basketSlot, weight float64) bool {
		si := order[k]
		if len(chosen[si]) == t.min {
			return place(k + 1)
		}
		for j := from; j < len(pref); j++ {
			if len(pref)-j < t.min-len(chosen[si]) {
				return false
			}
			budget--
			if budget < 0 {
				return false
			}
			i := pref[j]
			ps := prods[i]
			need := ps.bmin * t.n
			if left[i] < need || weight+float64(ps.bmin)*ps.w > t.kg+kgClose {
				continue
			}
			left[i] -= need
			chosen[si] = append(chosen[si], i)
			if pick(k, j+1, t, weight+float64(ps.bmin)*ps.w) {
				return true
			}
			chosen[si] = chosen[si][:len(chosen[si])-1]
			left[i] += need
			if budget < 0 {
				return false
			}
		}
		return false
	}
	if !place(0) {
		return false
	}
	for si, list := range chosen {
		t := slots[si]
		for _, i := range list {
			t.put(i, prods[i], prods[i].bmin)
		}
	}
	return true
}

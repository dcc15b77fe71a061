package routing

import (
	"cmp"
	"math/rand"
	"slices"
)

// allPairsSavings is the number of customers up to which the savings
// construction weighs every pair of customers; above it, each customer's
// granular neighbours only (the pairs worth joining are close ones).
const allPairsSavings = 200

// saving is the distance saved by driving i then j in one route instead of
// two: d(i, 0) + d(0, j) - shape*d(i, j).
type saving struct {
	i, j int
	gain float64
}

// savingsTour builds a giant tour by the parallel savings algorithm of
// Clarke and Wright (1964): every customer starts on a route of its own, and
// in decreasing order of saving the route ending at i is joined to the
// route starting at j when the joined route stays within the largest
// capacity and, with time windows, arrives everywhere in time from the
// depot's horizon of the first slot (the largest vehicle, longest shift).
// shape weighs the distance between the two customers (1 is the classic
// saving; other values give other, still good, starts); with rng, each
// saving is also scaled by a random factor in [0.9, 1.1], so that every
// call gives another start. The routes are then laid end to end, for the
// split to cut them again.
func (in *instance) savingsTour(shape float64, rng *rand.Rand) []int {
	n := in.n
	var pairs []saving
	add := func(i, j int) {
		g := in.dist[i*in.size] + in.dist[j] - shape*in.dist[i*in.size+j]
		if rng != nil {
			g *= 0.9 + 0.2*rng.Float64()
		}
		if g > 0 {
			pairs = append(pairs, saving{i, j, g})
		}
	}
	for i := 1; i <= n; i++ {
		if n <= allPairsSavings {
			for j := 1; j <= n; j++ {
				if j != i {
					add(i, j)
				}
			}
			continue
		}
		for _, j := range in.neigh[i] {
			add(i, j)
		}
	}
	// Ties by customer numbers, so that the tour depends on nothing else.
	slices.SortFunc(pairs, func(a, b saving) int {
		return cmp.Or(cmp.Compare(b.gain, a.gain), cmp.Compare(a.i, b.i), cmp.Compare(a.j, b.j))
	})
	// Each route is a chain of customers: head[c] and tail[c] are the ends
	// of c's route (kept up to date at the ends only), next[c] the customer
	// after c, segs[h] the summary of the route whose head is h.
	head := make([]int, in.size)
	tail := make([]int, in.size)
	next := make([]int, in.size)
	segs := make([]seg, in.size)
	for c := 1; c <= n; c++ {
		head[c], tail[c], segs[c] = c, c, in.nodeSeg(c)
	}
	depot := in.depotSeg(0)
	for _, sv := range pairs {
		i, j := sv.i, sv.j
		// i must end its route and j start another.
		if next[i] != 0 || head[j] != j || head[i] == j {
			continue
		}
		hi := head[i]
		if tail[hi] != i {
			continue
		}
		joined := in.cat(segs[hi], segs[j])
		whole := in.cat(in.cat(depot, joined), depot)
		if whole.load > in.slotCap[0]+eps || whole.tw > eps {
			continue
		}
		next[i] = j
		tj := tail[j]
		segs[hi] = joined
		tail[hi], head[tj] = tj, hi
		head[j] = hi // j is no longer a head
	}
	tour := make([]int, 0, n)
	for c := 1; c <= n; c++ {
		if head[c] != c {
			continue
		}
		for x := c; x != 0; x = next[x] {
			tour = append(tour, x)
		}
	}
	return tour
}

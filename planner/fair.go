package planner

import (
	"hash/fnv"
	"math"
	"math/bits"
	"sort"
)

// stepEps absorbs binary noise when a decimal quantity is counted in steps:
// 0.3/0.1 is 2.9999999999999996 in float64 and must count as 3 steps.
const stepEps = 1e-6

// maxSteps bounds any quantity counted in steps, so that products of two
// step counts (ratio comparisons) stay within 64 bits and loops stay short.
const maxSteps = 1e9

// toSteps counts how many whole steps fit in q (never negative).
func toSteps(q, step float64) int64 {
	if !(q > 0) || !(step > 0) {
		return 0
	}
	n := math.Floor(q/step + stepEps)
	if n > maxSteps {
		n = maxSteps
	}
	return int64(n)
}

// clean rounds a quantity to 1e-9 so that it prints as a short decimal
// (0.3, not 0.30000000000000004) and compares exactly across runs: N/1e9 is
// the double nearest to the decimal N*10^-9, as parsing it would give.
func clean(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	if math.Abs(x) >= 1e15 {
		return x // beyond 1e-9 precision already
	}
	r := math.Round(x*1e9) / 1e9
	if r == 0 {
		return 0 // no "-0" in the output
	}
	return r
}

// stepsQty turns a number of steps back into a clean quantity.
func stepsQty(n int64, step float64) float64 {
	return clean(float64(n) * step)
}

// tieKey gives every (seed, week, parts...) a pseudo-random but reproducible
// rank. Rounding ties are broken by it, so that the extra step left over by
// rounding does not go to the same order every week (rule 3 and 4 "up to
// rounding") while the same scenario and seed still give the same plan (rule 9).
func tieKey(seed int64, week string, parts ...string) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for i := range b {
		b[i] = byte(uint64(seed) >> (8 * i))
	}
	h.Write(b[:])
	h.Write([]byte(week))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	x := h.Sum64()
	// A final mix (splitmix64) spreads nearby inputs across the whole range.
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// ratioLess reports whether a/b < c/d for non-negative a, c and positive b, d,
// exactly (128-bit cross products).
func ratioLess(a, b, c, d int64) bool {
	h1, l1 := bits.Mul64(uint64(a), uint64(d))
	h2, l2 := bits.Mul64(uint64(c), uint64(b))
	if h1 != h2 {
		return h1 < h2
	}
	return l1 < l2
}

// ceilMulDiv returns ceil(k*d/q) exactly, for k <= q (so the result is at
// most d).
func ceilMulDiv(k, d, q int64) int64 {
	hi, lo := bits.Mul64(uint64(k), uint64(d))
	x, rem := bits.Div64(hi, lo, uint64(q))
	if rem > 0 {
		x++
	}
	return int64(x)
}

// fairSplit shares total indivisible units among claimants with the given
// caps, lexicographically max-min fair on the ratios got/cap (leximin): the
// lowest ratio is as high as it can be, then as few claimants as possible
// sit at it, and so on. This is the integer form of "no ratio can rise
// without lowering one that is already lower", and it never allows the
// contract's unfair move (one unit from a better-served claimant to a
// worse-served one that leaves the giver at least as well served).
//
// Three things can happen: the caps sum to at most total and everyone gets
// its cap; or the highest level L with sum(ceil(L*cap)) <= total is found
// among the few breakpoints k/cap near total/sum, everyone gets ceil(L*cap),
// and the units left go one each to claimants sitting exactly at L, those
// whose next unit lifts them highest first (smaller caps), equal claimants
// ordered by keys so that the same ones are not always favoured. A zero cap
// gets nothing.
func fairSplit(total int64, caps []int64, keys []uint64) []int64 {
	got := make([]int64, len(caps))
	var sum int64
	n := 0
	for _, c := range caps {
		sum += c
		if c > 0 {
			n++
		}
	}
	if total <= 0 || sum == 0 {
		return got
	}
	if sum <= total {
		copy(got, caps)
		return got
	}
	// need(k/q) is the units every claimant at level k/q at least needs.
	need := func(k, q int64) int64 {
		var t int64
		for _, c := range caps {
			if c > 0 {
				t += ceilMulDiv(k, c, q)
			}
		}
		return t
	}
	// Candidate levels: sum(ceil(L*cap)) lies within n of L*sum, so L lies
	// between (total-n)/sum and total/sum.
	hiL := float64(total) / float64(sum)
	loL := float64(total-int64(n)) / float64(sum)
	type level struct{ k, q int64 }
	cands := []level{{0, 1}}
	for _, c := range caps {
		if c == 0 {
			continue
		}
		k0 := max(int64(math.Floor(loL*float64(c)))-1, 0)
		k1 := min(int64(math.Ceil(hiL*float64(c)))+1, c)
		for k := k0; k <= k1; k++ {
			cands = append(cands, level{k, c})
		}
	}
	sort.Slice(cands, func(i, j int) bool { return ratioLess(cands[i].k, cands[i].q, cands[j].k, cands[j].q) })
	// need is non-decreasing in the level: find the last candidate that fits.
	lo, hi := 0, len(cands)-1 // cands[lo] fits (level 0 needs nothing)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if need(cands[mid].k, cands[mid].q) <= total {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	L := cands[lo]
	var given int64
	var atL []int
	for i, c := range caps {
		if c == 0 {
			continue
		}
		got[i] = ceilMulDiv(L.k, c, L.q)
		given += got[i]
		// exactly at L: got*q == k*c
		if got[i] < c && !ratioLess(got[i], c, L.k, L.q) && !ratioLess(L.k, L.q, got[i], c) {
			atL = append(atL, i)
		}
	}
	left := total - given
	sort.Slice(atL, func(x, y int) bool {
		i, j := atL[x], atL[y]
		if caps[i] != caps[j] {
			return caps[i] < caps[j] // the next unit lifts a smaller cap higher
		}
		if keys[i] != keys[j] {
			return keys[i] < keys[j]
		}
		return i < j
	})
	for _, i := range atL {
		if left == 0 {
			break
		}
		got[i]++
		left--
	}
	return got
}

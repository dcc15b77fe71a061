package planner

import (
	"hash/fnv"
	"math"
	"math/bits"
	"sort"
	"strconv"
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
// (0.3, not 0.30000000000000004) and compares exactly across runs.
func clean(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	r := math.Round(x*1e9) / 1e9
	if r == 0 {
		return 0 // no "-0" in the output
	}
	v, err := strconv.ParseFloat(strconv.FormatFloat(r, 'f', 9, 64), 64)
	if err != nil {
		return r
	}
	return v
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

// fairSplit shares total indivisible units among claimants with the given
// caps so that every claimant gets the same ratio got/cap, up to one unit:
// the lexicographic max-min fair split. Three things can happen: the caps sum
// to at most total and everyone gets its cap; or the total is shared, every
// claimant first getting floor(total*cap/sum) and the few units left going one
// each to the claimants whose ratio is then lowest, ties broken by keys. A
// zero cap gets nothing. The result never moves a unit from a better-served
// claimant to a worse-served one that would leave the giver at least as well
// served, which is the contract's "up to rounding".
func fairSplit(total int64, caps []int64, keys []uint64) []int64 {
	got := make([]int64, len(caps))
	var sum int64
	for _, c := range caps {
		sum += c
	}
	if total <= 0 || sum == 0 {
		return got
	}
	if sum <= total {
		copy(got, caps)
		return got
	}
	var given int64
	for i, c := range caps {
		if c == 0 {
			continue
		}
		hi, lo := bits.Mul64(uint64(total), uint64(c))
		q, _ := bits.Div64(hi, lo, uint64(sum))
		got[i] = int64(q)
		given += got[i]
	}
	left := total - given
	if left <= 0 {
		return got
	}
	idx := make([]int, 0, len(caps))
	for i, c := range caps {
		if c > got[i] {
			idx = append(idx, i)
		}
	}
	sort.Slice(idx, func(x, y int) bool {
		i, j := idx[x], idx[y]
		if ratioLess(got[i], caps[i], got[j], caps[j]) {
			return true
		}
		if ratioLess(got[j], caps[j], got[i], caps[i]) {
			return false
		}
		if keys[i] != keys[j] {
			return keys[i] < keys[j]
		}
		return i < j
	})
	for _, i := range idx {
		if left == 0 {
			break
		}
		got[i]++
		left--
	}
	return got
}

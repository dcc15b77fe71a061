package planner

import "math"

// defaultPortionKg is the least weight of a product in a basket when the
// scenario gives no basket_min (PLANNING.md, products[].basket_min).
const defaultPortionKg = 0.2

// DefaultBasketMin is the contract's default basket_min of a product: the
// smallest multiple of step that weighs at least 0.2 kg (one step when a
// step weighs 0.2 kg or more). It returns 0 for a step or weight that is not
// positive.
func DefaultBasketMin(step, kgPerUnit float64) float64 {
	if !(step > 0) || !(kgPerUnit > 0) || math.IsInf(step*kgPerUnit, 0) {
		return 0
	}
	return stepsQty(defaultMinSteps(step*kgPerUnit), step)
}

// defaultMinSteps is DefaultBasketMin in steps of weight w kg.
func defaultMinSteps(w float64) int64 {
	k := math.Ceil((defaultPortionKg - 1e-9) / w)
	if k < 1 {
		return 1
	}
	return int64(min(k, maxSteps))
}

// portionSteps gives a product's basket_min and basket_max in steps: the
// scenario's values when given, else the defaults (basket_max unbounded,
// maxSteps). A default basket_min above a given basket_max is lowered to it,
// so that the coordinator's bound wins (see README, readings).
func portionSteps(p *Product) (lo, hi int64) {
	hi = maxSteps
	if p.BasketMax > 0 {
		hi = max(toSteps(p.BasketMax, p.Step), 1)
	}
	if p.BasketMin > 0 {
		lo = max(toSteps(p.BasketMin, p.Step), 1)
	} else {
		lo = min(defaultMinSteps(p.Step*p.KgPerUnit), hi)
	}
	return lo, hi
}

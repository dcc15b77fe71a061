package planner_test

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"paniers/planner"
)

// This file is an independent verifier of the contract's rules 7 and 8
// (../shared/contract/PLANNING.md), written from the contract's text and
// sharing no code with the planner: its own clock parser, its own haversine,
// its own loads. verifyRounds returns one line per violation.

// rvEarthKm is the contract's earth radius.
const rvEarthKm = 6371.0

// rvMinutes parses "HH:MM" into minutes after midnight.
func rvMinutes(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || hh == 24 && mm > 0 {
		return 0, false
	}
	return hh*60 + mm, true
}

// rvKm is the contract's distance: haversine times the detour factor.
func rvKm(s planner.Scenario, lat1, lon1, lat2, lon2 float64) float64 {
	r := math.Pi / 180
	a := math.Pow(math.Sin((lat2-lat1)*r/2), 2) + math.Cos(lat1*r)*math.Cos(lat2*r)*math.Pow(math.Sin((lon2-lon1)*r/2), 2)
	return 2 * rvEarthKm * math.Asin(math.Sqrt(a)) * s.Travel.DetourFactor
}

// rvTravel gives the distance (km) and time (minutes) between two points;
// tests with another travel source pass their own.
type rvTravel func(lat1, lon1, lat2, lon2 float64) (km, min float64)

// rvGreatCircle is the contract's default travel model.
func rvGreatCircle(s planner.Scenario) rvTravel {
	return func(lat1, lon1, lat2, lon2 float64) (float64, float64) {
		d := rvKm(s, lat1, lon1, lat2, lon2)
		return d, d / s.Travel.SpeedKmh * 60
	}
}

// verifyRounds checks rules 7 and 8 and the summary's routing figures with
// the contract's travel model.
func verifyRounds(s planner.Scenario, p planner.Plan) []string {
	return verifyRoundsWith(s, p, rvGreatCircle(s))
}

// verifyRoundsWith checks rules 7 and 8 with a given travel model.
func verifyRoundsWith(s planner.Scenario, p planner.Plan, travel rvTravel) []string {
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }

	products := map[string]planner.Product{}
	for _, pr := range s.Products {
		products[pr.ID] = pr
	}
	orderSite := map[string]string{}
	for _, o := range s.Orders {
		orderSite[o.ID] = o.Site
	}
	sites := map[string]planner.Site{}
	for _, st := range s.Sites {
		sites[st.ID] = st
	}
	producers := map[string]planner.Producer{}
	for _, pr := range s.Producers {
		producers[pr.ID] = pr
	}
	vehicles := map[string]planner.Vehicle{}
	maxCap := 0.0
	for _, v := range s.Vehicles {
		vehicles[v.ID] = v
		maxCap = math.Max(maxCap, v.CapacityKg)
	}
	weight := func(product string, q float64) float64 { return q * products[product].KgPerUnit }

	// What the allocation says each site receives and each producer sells.
	type op struct{ who, what string }
	allocated := map[op]float64{} // (site, order|product) -> quantity
	sold := map[op]float64{}      // (producer, product) -> quantity
	siteKg, producerKg := map[string]float64{}, map[string]float64{}
	for _, a := range p.Allocations {
		if a.Quantity <= 0 {
			continue
		}
		site := orderSite[a.Order]
		allocated[op{site, a.Order + "|" + a.Product}] += a.Quantity
		siteKg[site] += weight(a.Product, a.Quantity)
		sold[op{a.Producer, a.Product}] += a.Quantity
		producerKg[a.Producer] += weight(a.Product, a.Quantity)
	}

	// Rule 8: unrouted entries name one known site or producer, once, with
	// a reason, and what they name takes no part in the allocation.
	unrouted := map[string]bool{}
	for i, u := range p.Unrouted {
		switch {
		case (u.Site == "") == (u.Producer == ""):
			fail("unrouted[%d]: names %q and %q, want exactly one site or producer", i, u.Site, u.Producer)
			continue
		case strings.TrimSpace(u.Reason) == "":
			fail("unrouted[%d]: no reason", i)
		}
		key := "site:" + u.Site
		if u.Producer != "" {
			key = "producer:" + u.Producer
		}
		if unrouted[key] {
			fail("unrouted[%d]: %s listed twice", i, key)
		}
		unrouted[key] = true
		if u.Site != "" {
			if _, ok := sites[u.Site]; !ok {
				fail("unrouted[%d]: unknown site %q", i, u.Site)
			}
			if siteKg[u.Site] > 0 {
				fail("unrouted site %q still receives %.3f kg", u.Site, siteKg[u.Site])
			}
		} else {
			if _, ok := producers[u.Producer]; !ok {
				fail("unrouted[%d]: unknown producer %q", i, u.Producer)
			}
			if producerKg[u.Producer] > 0 {
				fail("unrouted producer %q still sells %.3f kg", u.Producer, producerKg[u.Producer])
			}
		}
	}

	// Rule 7, round by round.
	delivered := map[op]float64{}
	collected := map[op]float64{}
	siteVisits, producerVisits := map[string]int{}, map[string]int{}
	type span struct {
		from, to int
		round    int
	}
	busy := map[string][]span{} // vehicle|date -> rounds
	totalKm := 0.0
	used := map[string]bool{}
	for ri, r := range p.Rounds {
		name := fmt.Sprintf("round %d (%s %s %s)", ri, r.Vehicle, r.Kind, r.Date)
		v, ok := vehicles[r.Vehicle]
		if !ok {
			fail("%s: unknown vehicle", name)
			continue
		}
		used[r.Vehicle] = true
		totalKm += r.DistanceKm
		switch {
		case r.Kind == planner.RoundDelivery && r.Date != s.DeliveryDate:
			fail("%s: a delivery round on %s, want the delivery date %s", name, r.Date, s.DeliveryDate)
		case r.Kind == planner.RoundCollection && r.Date != s.CollectionDate:
			fail("%s: a collection round on %s, want the collection date %s", name, r.Date, s.CollectionDate)
		case r.Kind != planner.RoundDelivery && r.Kind != planner.RoundCollection:
			fail("%s: unknown kind", name)
		}
		if len(r.Stops) == 0 {
			fail("%s: no stop", name)
			continue
		}
		shiftFrom, ok1 := rvMinutes(v.Shift[0])
		shiftTo, ok2 := rvMinutes(v.Shift[1])
		depart, ok3 := rvMinutes(r.Depart)
		ret, ok4 := rvMinutes(r.Return)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			fail("%s: unreadable times depart %q return %q shift %q", name, r.Depart, r.Return, v.Shift)
			continue
		}
		if depart < shiftFrom || ret > shiftTo || ret < depart {
			fail("%s: %s-%s outside the shift %s-%s", name, r.Depart, r.Return, v.Shift[0], v.Shift[1])
		}
		busy[r.Vehicle+"|"+r.Date] = append(busy[r.Vehicle+"|"+r.Date], span{depart, ret, ri})

		lat, lon := s.Hub.Lat, s.Hub.Lon
		km, t := 0.0, depart
		load := 0.0
		for si, st := range r.Stops {
			sname := fmt.Sprintf("%s stop %d", name, si)
			var w planner.Window
			var service float64
			var slat, slon float64
			switch {
			case r.Kind == planner.RoundDelivery && st.Site != "" && st.Producer == "":
				site, ok := sites[st.Site]
				if !ok {
					fail("%s: unknown site %q", sname, st.Site)
					continue
				}
				siteVisits[st.Site]++
				w, service, slat, slon = site.Window, site.ServiceMin, site.Lat, site.Lon
				if len(st.Collect) > 0 {
					fail("%s: a delivery stop collects", sname)
				}
				for _, d := range st.Deliver {
					if orderSite[d.Order] != st.Site {
						fail("%s: delivers order %q of site %q", sname, d.Order, orderSite[d.Order])
					}
					delivered[op{st.Site, d.Order + "|" + d.Product}] += d.Quantity
					load += weight(d.Product, d.Quantity)
				}
			case r.Kind == planner.RoundCollection && st.Producer != "" && st.Site == "":
				pr, ok := producers[st.Producer]
				if !ok {
					fail("%s: unknown producer %q", sname, st.Producer)
					continue
				}
				if !pr.Collect {
					fail("%s: producer %q brings its produce (collect false)", sname, st.Producer)
				}
				producerVisits[st.Producer]++
				w, service, slat, slon = pr.Window, pr.ServiceMin, pr.Lat, pr.Lon
				if len(st.Deliver) > 0 {
					fail("%s: a collection stop delivers", sname)
				}
				for _, c := range st.Collect {
					collected[op{st.Producer, c.Product}] += c.Quantity
					load += weight(c.Product, c.Quantity)
				}
			default:
				fail("%s: a %s stop naming site %q and producer %q", sname, r.Kind, st.Site, st.Producer)
				continue
			}
			arrive, ok1 := rvMinutes(st.Arrive)
			start, ok2 := rvMinutes(st.Start)
			leave, ok3 := rvMinutes(st.Leave)
			open, ok4 := rvMinutes(w[0])
			closes, ok5 := rvMinutes(w[1])
			if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
				fail("%s: unreadable times %q %q %q window %q", sname, st.Arrive, st.Start, st.Leave, w)
				continue
			}
			if arrive > closes {
				fail("%s: arrives %s after the window ends %s", sname, st.Arrive, w[1])
			}
			if start < open {
				fail("%s: starts %s before the window opens %s", sname, st.Start, w[0])
			}
			if start < arrive || leave < start {
				fail("%s: arrive %s, start %s, leave %s out of order", sname, st.Arrive, st.Start, st.Leave)
			}
			if math.Abs(float64(leave-start)-service) > 1 {
				fail("%s: stays %d min, service is %v min", sname, leave-start, service)
			}
			d, m := travel(lat, lon, slat, slon)
			km += d
			// Printed times are rounded: a leg may look up to a minute
			// shorter or longer than the exact travel time, never more.
			if math.Abs(float64(arrive-t)-m) > 1+1e-9 {
				fail("%s: arrives %s, %d min after the previous departure, travel takes %.2f min", sname, st.Arrive, arrive-t, m)
			}
			lat, lon, t = slat, slon, leave
		}
		d, m := travel(lat, lon, s.Hub.Lat, s.Hub.Lon)
		km += d
		if math.Abs(float64(ret-t)-m) > 1+1e-9 {
			fail("%s: returns %s, %d min after the last stop, travel takes %.2f min", name, r.Return, ret-t, m)
		}
		if math.Abs(km-r.DistanceKm) > 0.05+1e-9 {
			fail("%s: distance_km %v, the stops are %.3f km apart", name, r.DistanceKm, km)
		}
		// A delivery round leaves loaded with all it delivers; a collection
		// round ends loaded with all it collects: either way the total.
		if load > v.CapacityKg+1e-6 {
			fail("%s: carries %.3f kg, capacity %v", name, load, v.CapacityKg)
		}
	}
	for key, spans := range busy {
		sort.Slice(spans, func(i, j int) bool { return spans[i].from < spans[j].from })
		for i := 1; i < len(spans); i++ {
			if spans[i].from < spans[i-1].to {
				fail("vehicle %s: rounds %d and %d overlap", key, spans[i-1].round, spans[i].round)
			}
		}
	}

	// Every receiving site and every selling collected producer is visited,
	// once unless its load exceeds the largest vehicle; and nothing else is.
	for _, st := range s.Sites {
		n, kg := siteVisits[st.ID], siteKg[st.ID]
		switch {
		case kg > 0 && n == 0:
			fail("site %q receives %.3f kg but no round visits it", st.ID, kg)
		case kg == 0 && n > 0:
			fail("site %q receives nothing but is visited %d times", st.ID, n)
		case n > 1 && kg <= maxCap+1e-6:
			fail("site %q visited %d times with %.3f kg, which the largest vehicle (%v kg) carries at once", st.ID, n, kg, maxCap)
		}
	}
	for _, pr := range s.Producers {
		n, kg := producerVisits[pr.ID], producerKg[pr.ID]
		switch {
		case pr.Collect && kg > 0 && n == 0:
			fail("producer %q sells %.3f kg but no round collects it", pr.ID, kg)
		case kg == 0 && n > 0:
			fail("producer %q sells nothing but is visited %d times", pr.ID, n)
		case n > 1 && kg <= maxCap+1e-6:
			fail("producer %q visited %d times with %.3f kg, which the largest vehicle (%v kg) carries at once", pr.ID, n, kg, maxCap)
		}
	}
	// Delivered equals allocated per site, collected equals sold per
	// producer (for collected producers).
	for k, q := range allocated {
		if math.Abs(delivered[k]-q) > 1e-6 {
			fail("site %q, %s: delivered %v, allocated %v", k.who, k.what, delivered[k], q)
		}
	}
	for k, q := range delivered {
		if _, ok := allocated[k]; !ok {
			fail("site %q, %s: delivered %v, nothing allocated", k.who, k.what, q)
		}
	}
	for k, q := range sold {
		if producers[k.who].Collect && math.Abs(collected[k]-q) > 1e-6 {
			fail("producer %q, %s: collected %v, sold %v", k.who, k.what, collected[k], q)
		}
	}
	for k, q := range collected {
		if _, ok := sold[k]; !ok {
			fail("producer %q, %s: collected %v, sold nothing", k.who, k.what, q)
		}
	}
	// Summary figures.
	if math.Abs(p.Summary.DistanceKm-totalKm) > 1e-6 {
		fail("summary distance_km %v, rounds add up to %v", p.Summary.DistanceKm, totalKm)
	}
	if p.Summary.VehiclesUsed != len(used) {
		fail("summary vehicles_used %d, rounds use %d", p.Summary.VehiclesUsed, len(used))
	}
	sort.Strings(bad)
	return bad
}

package api

import (
	"net/http"
	"testing"
)

// TestDeliveries follows the ticks of a round through the week: none on a
// draft, a driver ticks and unticks its vehicle's stops, not another
// vehicle's; a tick names the version it was read from, and after a new
// publication a tick of the old version is refused, never moved to the new
// version's stop of the same number.
func TestDeliveries(t *testing.T) {
	e := newPlanEnv(t)
	addIdleCamion2(t, e)
	base := "/api/v1/weeks/" + openWeek + "/rounds/0"
	tick := base + "/stops/1/delivered?version=1"
	wantStatus(t, e.do(req{method: "GET", path: base + "/deliveries", token: tokDriver1}), 404)
	wantStatus(t, e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/plan", token: tokCoord}), http.StatusCreated)
	// A draft: nobody ticks it, nobody reads its ticks.
	for _, tok := range []string{tokDriver1, tokCoord} {
		wantStatus(t, e.do(req{method: "PUT", path: tick, token: tok}), 404)
		wantStatus(t, e.do(req{method: "GET", path: base + "/deliveries", token: tok}), 404)
	}
	wantStatus(t, e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/publish", token: tokCoord}), 200)

	got := e.do(req{method: "PUT", path: tick, token: tokDriver1}).expect(t, 200).json(t)
	if got["vehicle"] != "camion-1" || got["stop"] != float64(1) || got["place"] == "" || got["version"] != float64(1) || got["delivered_at"] == "" {
		t.Errorf("tick: %v", got)
	}
	list := e.do(req{method: "GET", path: base + "/deliveries", token: tokDriverAll}).expect(t, 200).json(t)
	items := list["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["stop"] != float64(1) || list["version"] != float64(1) || list["stops"].(float64) < 1 {
		t.Errorf("deliveries: %v", list)
	}
	wantStatus(t, e.do(req{method: "PUT", path: tick, token: tokDriver2}), 403)
	wantStatus(t, e.do(req{method: "GET", path: base + "/deliveries", token: tokDriver2}), 403)
	// Bad numbers are 400 naming the parameter; a stop or round the plan
	// lacks is 404; the version is required.
	for path, field := range map[string]string{
		base + "/stops/0/delivered?version=1":                                  "stop",
		base + "/stops/x/delivered?version=1":                                  "stop",
		base + "/stops/01/delivered?version=1":                                 "stop",
		"/api/v1/weeks/" + openWeek + "/rounds/-1/stops/1/delivered?version=1": "round",
		base + "/stops/1/delivered":                                            "version",
		base + "/stops/1/delivered?version=0":                                  "version",
	} {
		w := e.do(req{method: "PUT", path: path, token: tokDriver1})
		if w.Code != 400 || !contains(w.problemFields(t), field) {
			t.Errorf("PUT %s: %d %s, want 400 naming %s", path, w.Code, w.Body.String(), field)
		}
	}
	for _, path := range []string{base + "/stops/99/delivered?version=1", "/api/v1/weeks/" + openWeek + "/rounds/99/stops/1/delivered?version=1", base + "/stops/1/delivered?version=7"} {
		wantStatus(t, e.do(req{method: "PUT", path: path, token: tokDriver1}), 404)
	}
	// Undo, twice: no error.
	for range 2 {
		wantStatus(t, e.do(req{method: "DELETE", path: tick, token: tokDriver1}), 204)
	}
	e.do(req{method: "PUT", path: tick, token: tokCoord}).expect(t, 200)

	// Version 2 is published: version 1's ticks stay with it, version 2
	// starts with none, and a tick sent for version 1 is refused.
	wantStatus(t, e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/plan", token: tokCoord}), http.StatusCreated)
	wantStatus(t, e.do(req{method: "PUT", path: tick, token: tokDriver1}), 200) // a draft beside: version 1 is still the published one
	wantStatus(t, e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/publish", token: tokCoord}), 200)
	w := e.do(req{method: "PUT", path: tick, token: tokDriver1})
	if w.Code != 409 || !contains(w.problemFields(t), "version") {
		t.Errorf("tick of version 1 after version 2: %d %s", w.Code, w.Body.String())
	}
	wantStatus(t, e.do(req{method: "DELETE", path: tick, token: tokDriver1}), 409)
	if n := len(e.do(req{method: "GET", path: base + "/deliveries", token: tokDriver1}).expect(t, 200).json(t)["items"].([]any)); n != 0 {
		t.Errorf("version 2 starts with %d ticks", n)
	}
	if n := len(e.do(req{method: "GET", path: base + "/deliveries?version=1", token: tokDriver1}).expect(t, 200).json(t)["items"].([]any)); n != 1 {
		t.Errorf("version 1 keeps %d ticks, want 1", n)
	}
	e.do(req{method: "PUT", path: base + "/stops/1/delivered?version=2", token: tokDriver1}).expect(t, 200)
}

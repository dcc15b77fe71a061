package api

import (
	"net/http"
	"strings"
	"testing"
)

// TestDriverReadsPublishedRoundSheets follows a driver's token through the
// week: nothing before publication, the round sheets of its vehicle once
// published (the published version even after a re-plan), nothing of
// another vehicle, no other document and no other route.
func TestDriverReadsPublishedRoundSheets(t *testing.T) {
	e := newPlanEnv(t)
	addIdleCamion2(t, e)
	base := "/api/v1/weeks/" + openWeek
	sheet := base + "/documents/round-sheet/0.txt"

	wantStatus(t, e.do(req{method: "GET", path: base + "/documents", token: tokDriver1}), 404)
	wantStatus(t, e.do(req{method: "POST", path: base + "/plan", token: tokCoord}), http.StatusCreated)
	// A draft is invisible to drivers.
	for _, path := range []string{base + "/documents", sheet, sheet + "?version=1"} {
		wantStatus(t, e.do(req{method: "GET", path: path, token: tokDriver1}), 404)
	}
	wantStatus(t, e.do(req{method: "POST", path: base + "/publish", token: tokCoord}), 200)

	coord := decode[documentsBody](t, e.do(req{method: "GET", path: base + "/documents", token: tokCoord}))
	sheets := 0
	for _, d := range coord.Items {
		if d.Kind == "round-sheet" {
			sheets++
		}
	}
	if sheets == 0 {
		t.Fatal("the plan has no round sheet")
	}
	for _, tc := range []struct {
		token string
		want  int // round-sheet documents listed
	}{{tokDriver1, sheets}, {tokDriverAll, sheets}, {tokDriver2, 0}} {
		list := decode[documentsBody](t, e.do(req{method: "GET", path: base + "/documents", token: tc.token}))
		if len(list.Items) != tc.want || list.Version != 1 || !list.Published {
			t.Errorf("%s lists %d documents of version %d (published %v), want %d of version 1", tc.token, len(list.Items), list.Version, list.Published, tc.want)
		}
		for _, d := range list.Items {
			if d.Kind != "round-sheet" {
				t.Errorf("%s lists %s %s", tc.token, d.Kind, d.For)
			}
		}
	}
	r := e.do(req{method: "GET", path: sheet, token: tokDriver1})
	wantStatus(t, r, 200)
	if !strings.Contains(r.Body.String(), "camion-1") || r.Header().Get("X-Plan-Version") != "1" {
		t.Errorf("round sheet of version %q:\n%s", r.Header().Get("X-Plan-Version"), r.Body.String())
	}
	wantStatus(t, e.do(req{method: "GET", path: sheet, token: tokDriverAll}), 200)
	wantStatus(t, e.do(req{method: "GET", path: sheet, token: tokDriver2}), 403)
	wantStatus(t, e.do(req{method: "GET", path: base + "/documents/round-sheet/99.pdf", token: tokDriver1}), 404)

	// A re-plan after publication is a draft: drivers keep the published
	// version, and cannot ask for the draft.
	wantStatus(t, e.do(req{method: "POST", path: base + "/plan", token: tokCoord}), http.StatusCreated)
	r = e.do(req{method: "GET", path: sheet, token: tokDriver1})
	wantStatus(t, r, 200)
	if v := r.Header().Get("X-Plan-Version"); v != "1" {
		t.Errorf("after a re-plan the driver reads version %s, want the published 1", v)
	}
	wantStatus(t, e.do(req{method: "GET", path: sheet + "?version=2", token: tokDriver1}), 404)
	wantStatus(t, e.do(req{method: "GET", path: sheet + "?version=1", token: tokDriver1}), 200)

	// Nothing else: other documents, the plan, the reference data.
	for _, path := range []string{
		base + "/documents/pickup-list/relais-centre.pdf", base + "/documents/packing-list/hub.pdf",
		base + "/documents/delivery-note/cantine-b.txt", base + "/plan", base + "/rounds", "/api/v1/weeks", "/api/v1/sites", "/api/v1/vehicles",
	} {
		wantStatus(t, e.do(req{method: "GET", path: path, token: tokDriverAll}), 403)
	}
	me := e.do(req{method: "GET", path: "/api/v1/me", token: tokDriver1}).expect(t, 200).json(t)
	if me["role"] != "driver" || me["scope"] != "camion-1" || me["scope_kind"] != "vehicle" {
		t.Errorf("me: %v", me)
	}

	// The coordinator makes drivers' tokens: a vehicle that exists, or none.
	e.do(req{method: "POST", path: "/api/v1/tokens", token: tokCoord, body: `{"role": "driver", "name": "Tous les camions"}`}).expect(t, 201)
	e.do(req{method: "POST", path: "/api/v1/tokens", token: tokCoord, body: `{"role": "driver", "scope": "camion-1", "name": "Camion 1"}`}).expect(t, 201)
	bad := e.do(req{method: "POST", path: "/api/v1/tokens", token: tokCoord, body: `{"role": "driver", "scope": "camion-9", "name": "x"}`})
	if bad.Code < 400 || bad.Code >= 500 || !contains(bad.problemFields(t), "scope") {
		t.Errorf("driver token for an unknown vehicle: %d %s", bad.Code, bad.Body.String())
	}
}

package api

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"paniers/models"
)

// TestOtherRelayHouseholdLooksUnknown: a relay manager ordering for another
// relay point's household gets exactly the answer for a household id that
// does not exist, so household ids (personal data) cannot be probed.
func TestOtherRelayHouseholdLooksUnknown(t *testing.T) {
	e := newEnv(t)
	answer := func(household string) (int, string) {
		w := e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/orders", token: tokRelayCentre,
			body: `{"site": "relais-centre", "class": "extra", "product": "carotte", "quantity": 2, "household": "` + household + `"}`})
		return w.Code, strings.ReplaceAll(w.Body.String(), household, "ID")
	}
	otherCode, other := answer("famille-nord") // relais-nord's
	unknownCode, unknown := answer("famille-nulle")
	if otherCode != unknownCode || other != unknown {
		t.Errorf("another relay point's household: %d %s\nan unknown one: %d %s", otherCode, other, unknownCode, unknown)
	}
	if otherCode < 400 || otherCode >= 500 {
		t.Errorf("status %d, want a 4xx", otherCode)
	}
}

// TestOtherRelayHouseholdIDsLookUnknown: on every path that takes a
// household id (path, body or query), a relay manager naming another relay
// point's household gets exactly the answer for an id that does not exist
// (status and body, the id itself aside), and creating a household with an
// id of its choosing is refused the same way whether the id is free or
// taken: household ids (personal data) cannot be probed.
func TestOtherRelayHouseholdIDsLookUnknown(t *testing.T) {
	e := newEnv(t)
	// The other relay point's household has a history: an order, a
	// pick-up, a MANNE account.
	ctx := context.Background()
	if err := e.st.CreateOrder(ctx, &models.Order{ID: "nord-foyer", WeekID: openWeek, SiteID: "relais-nord", Class: "extra", ProductID: ptr("pomme"), Quantity: 1, HouseholdID: ptr("famille-nord")}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.SetCollected(ctx, openWeek, "relais-nord", "famille-nord", true); err != nil {
		t.Fatal(err)
	}
	e.do(req{method: "POST", path: "/api/v1/manne/transfers", token: tokCoord, header: map[string]string{"Idempotency-Key": "seed-nord"},
		body: `{"from": "collectif", "to": "famille-nord", "amount_cents": 500, "kind": "work"}`}).expect(t, 201)

	const other, unknown = "famille-nord", "famille-nulle"
	site := "/api/v1/sites/relais-centre"
	cases := []struct{ name, method, path, body string }{
		{"get", "GET", site + "/households/ID", ""},
		{"head", "HEAD", site + "/households/ID", ""},
		{"put", "PUT", site + "/households/ID", `{"name": "Famille X"}`},
		{"put with id", "PUT", site + "/households/ID", `{"id": "ID", "name": "Famille X"}`},
		{"export", "GET", site + "/households/ID/export", ""},
		{"erase", "POST", site + "/households/ID/erase", ""},
		{"tick", "PUT", site + "/pickups/" + openWeek + "/ID", ""},
		{"untick", "DELETE", site + "/pickups/" + openWeek + "/ID", ""},
		{"order", "POST", "/api/v1/weeks/" + openWeek + "/orders", `{"site": "relais-centre", "class": "extra", "product": "carotte", "quantity": 2, "household": "ID"}`},
		{"orders filtered", "GET", "/api/v1/weeks/" + openWeek + "/orders?household=ID", ""},
		{"account", "GET", "/api/v1/manne/accounts/ID", ""},
		{"statement csv", "GET", "/api/v1/manne/accounts/ID/statement.csv", ""},
		{"statement pdf", "GET", "/api/v1/manne/accounts/ID/statement.pdf", ""},
		{"statement bad file", "GET", "/api/v1/manne/accounts/ID/releve.txt", ""},
		{"pay from", "POST", "/api/v1/manne/transfers", `{"from": "ID", "to": "collectif", "amount_cents": 100, "kind": "basket"}`},
		{"pay to", "POST", "/api/v1/manne/transfers", `{"from": "famille-martin", "to": "ID", "amount_cents": 100, "kind": "basket"}`},
		{"create", "POST", site + "/households", `{"id": "ID", "name": "Famille X"}`},
	}
	for i, tc := range cases {
		answer := func(id string) (int, string) {
			r := req{method: tc.method, path: strings.ReplaceAll(tc.path, "ID", id), token: tokRelayCentre,
				header: map[string]string{"Idempotency-Key": fmt.Sprintf("probe-%d-%s", i, id)}}
			if tc.body != "" {
				r.body = strings.ReplaceAll(tc.body, "ID", id)
			}
			w := e.do(r)
			return w.Code, strings.ReplaceAll(w.Body.String(), id, "ID")
		}
		otherCode, otherBody := answer(other)
		unknownCode, unknownBody := answer(unknown)
		if otherCode != unknownCode || otherBody != unknownBody {
			t.Errorf("%s: another relay point's household: %d %s\nan unknown one: %d %s", tc.name, otherCode, otherBody, unknownCode, unknownBody)
		}
	}
	// Creating a household: an id chosen by a relay manager is refused,
	// free or taken, naming the field; without one the service assigns it.
	for _, id := range []string{other, unknown, "famille-martin", "x"} {
		w := e.do(req{method: "POST", path: site + "/households", token: tokRelayCentre, body: `{"id": "` + id + `", "name": "Famille X"}`})
		if w.Code != 422 || !contains(w.problemFields(t), "id") {
			t.Errorf("relay manager creating household %q: %d %s, want 422 naming id", id, w.Code, w.Body.String())
		}
	}
	if _, err := e.st.GetHousehold(ctx, unknown); err == nil {
		t.Errorf("a relay manager's chosen id was stored")
	}
	created := e.do(req{method: "POST", path: site + "/households", token: tokRelayCentre, body: `{"name": "Famille Y"}`}).expect(t, 201).json(t)
	if id, _ := created["id"].(string); !strings.HasPrefix(id, "h-") {
		t.Errorf("assigned id %q, want h-…", id)
	}
	// The coordinator still chooses ids, and learns a taken one (it sees
	// every household anyway).
	e.do(req{method: "POST", path: site + "/households", token: tokCoord, body: `{"id": "famille-choisie", "name": "Famille Z"}`}).expect(t, 201)
	e.do(req{method: "POST", path: site + "/households", token: tokCoord, body: `{"id": "famille-nord", "name": "Famille Z"}`}).expect(t, 409)
}

package api

import (
	"strings"
	"testing"
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

package web

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestOtherRelayHouseholdLooksUnknownOnPages: on every page that takes a
// household id, a relay manager naming another relay point's household
// gets exactly the answer for an id that does not exist (status and page,
// the id itself and the forms' one-time keys aside): household ids are
// personal data and cannot be probed through the pages either.
func TestOtherRelayHouseholdLooksUnknownOnPages(t *testing.T) {
	e := newEnv(t)
	b := e.signIn(t, "demo-relais-loos", pathRelay)
	const other, unknown = "relais-lens-f02", "relais-nul-f99"
	if _, err := e.st.GetHousehold(t.Context(), other); err != nil {
		t.Fatalf("the demo has no %s: %v", other, err)
	}
	keys := regexp.MustCompile(`(name="key" value=")[^"]+"|(name="_csrf" value=")[^"]+"`)
	cases := []struct {
		name, method, path string
		form               url.Values
	}{
		{"household page", "GET", pathRelay + "/foyers/ID", nil},
		{"change household", "POST", pathRelay + "/foyers/ID", url.Values{"name": {"Famille X"}}},
		{"pause household", "POST", pathRelay + "/foyers/ID/pause", url.Values{"paused": {"1"}}},
		{"tick", "POST", pathPickup, url.Values{"week": {weekPast}, "household": {"ID"}, "collected": {"1"}}},
		{"untick", "POST", pathPickup, url.Values{"week": {weekPast}, "household": {"ID"}}},
		{"pay", "POST", pathManne, url.Values{"week": {weekPast}, "household": {"ID"}, "amount": {"1"}, "key": {"web-probe"}}},
		{"extra", "POST", pathRelay + "/extras", url.Values{"week": {weekOpen}, "product": {"pomme"}, "quantity": {"1"}, "household": {"ID"}}},
	}
	for _, tc := range cases {
		answer := func(id string) (int, string) {
			var res response
			if tc.method == "GET" {
				res = b.get(strings.ReplaceAll(tc.path, "ID", id))
			} else {
				form := url.Values{}
				for k, v := range tc.form {
					form[k] = []string{strings.ReplaceAll(v[0], "ID", id)}
				}
				res = b.post(strings.ReplaceAll(tc.path, "ID", id), form)
			}
			body := keys.ReplaceAllString(strings.ReplaceAll(res.Body, id, "ID"), `${1}${2}K"`)
			return res.StatusCode, body
		}
		otherCode, otherBody := answer(other)
		unknownCode, unknownBody := answer(unknown)
		if otherCode != unknownCode || otherBody != unknownBody {
			t.Errorf("%s: another relay point's household: %d, an unknown one: %d\n%s\n----\n%s", tc.name, otherCode, unknownCode, excerpt(otherBody), excerpt(unknownBody))
		}
		if otherCode < 400 {
			t.Errorf("%s: %d, want a refusal", tc.name, otherCode)
		}
	}
}

package api

import (
	"slices"
	"testing"
)

// TestEgalimReferenceFields sets a canteen's SIRET and a product's EGalim
// labels and family through the API: refused values get a 422 naming the
// field, accepted ones come back normalized.
func TestEgalimReferenceFields(t *testing.T) {
	e := newEnv(t)
	site := func(siret string) map[string]any {
		return map[string]any{"name": "Maternelle A", "kind": "canteen", "lat": 50.46, "lon": 2.79, "window": []string{"07:00", "09:00"}, "service_min": 15, "siret": siret}
	}
	for _, bad := range []string{"2162099990001", "21620999900013", "2162099990001x", "21620999800012"} {
		w := e.do(req{method: "PUT", path: "/api/v1/sites/cantine-a", token: tokCoord, body: site(bad)}).expect(t, 422)
		if f := w.problemFields(t); !slices.Equal(f, []string{"siret"}) {
			t.Errorf("SIRET %s: fields %v", bad, f)
		}
	}
	relay := map[string]any{"name": "Relais nord", "kind": "relay", "lat": 50.46, "lon": 2.80, "window": []string{"09:00", "16:00"}, "siret": "21620999900012"}
	if f := e.do(req{method: "PUT", path: "/api/v1/sites/relais-nord", token: tokCoord, body: relay}).expect(t, 422).problemFields(t); !slices.Equal(f, []string{"siret"}) {
		t.Errorf("relay point with a SIRET: fields %v", f)
	}
	e.do(req{method: "PUT", path: "/api/v1/sites/cantine-a", token: tokCookA, body: site("21620999900012")}).expect(t, 403)
	if got := e.do(req{method: "PUT", path: "/api/v1/sites/cantine-a", token: tokCoord, body: site("21620999900012")}).expect(t, 200).json(t)["siret"]; got != "21620999900012" {
		t.Errorf("PUT answers siret %v", got)
	}
	if got := e.do(req{method: "GET", path: "/api/v1/sites/cantine-a", token: tokCookA}).expect(t, 200).json(t)["siret"]; got != "21620999900012" {
		t.Errorf("GET answers siret %v", got)
	}

	product := func(id string, organic bool, labels []string, family string) map[string]any {
		b := map[string]any{"id": id, "name": "Navets", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.1, "organic": organic, "egalim_labels": labels}
		if family != "" {
			b["family"] = family
		}
		return b
	}
	for _, tc := range []struct {
		body  map[string]any
		field string
	}{
		{product("navet", false, []string{"BIO"}, ""), "egalim_labels"},
		{product("navet", true, []string{"LABEL_VERT"}, ""), "egalim_labels"},
		{product("navet", true, nil, "LEGUMES"), "family"},
	} {
		if f := e.do(req{method: "POST", path: "/api/v1/products", token: tokCoord, body: tc.body}).expect(t, 422).problemFields(t); !slices.Equal(f, []string{tc.field}) {
			t.Errorf("%v: fields %v, want %s", tc.body, f, tc.field)
		}
	}
	got := e.do(req{method: "POST", path: "/api/v1/products", token: tokCoord, body: product("navet", true, []string{"HVE", "LABEL_ROUGE"}, "")}).expect(t, 201).json(t)
	if !slices.Equal(toStrings(got["egalim_labels"]), []string{"BIO", "LABEL_ROUGE", "HVE"}) || got["family"] != "FRUITS_ET_LEGUMES" {
		t.Errorf("created %v", got)
	}
	got = e.do(req{method: "GET", path: "/api/v1/products/poireau", token: tokCookA}).expect(t, 200).json(t)
	if labels := toStrings(got["egalim_labels"]); len(labels) != 0 || got["egalim_labels"] == nil || got["family"] != "FRUITS_ET_LEGUMES" {
		t.Errorf("poireau %v", got)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

package api

import (
	"errors"
	"testing"
)

// FuzzDecodeBodies checks the strict decoder alone, on every request type
// at once (fuzz_bodies_test.go sends bodies through the whole router). Run
// it with
//
//	go test ./api -run '^$' -fuzz '^FuzzDecodeBodies$' -fuzztime 60s
//
// The seeds below (and any failing input saved under testdata/fuzz) run with
// the ordinary tests.

// requestTypes makes a fresh value of each request body type.
var requestTypes = map[string]func() any{
	"producer":    func() any { return new(producerRequest) },
	"product":     func() any { return new(productRequest) },
	"site":        func() any { return new(siteRequest) },
	"vehicle":     func() any { return new(vehicleRequest) },
	"basket type": func() any { return new(basketTypeRequest) },
	"household":   func() any { return new(householdRequest) },
	"week":        func() any { return new(weekRequest) },
	"week patch":  func() any { return new(weekPatch) },
	"offer":       func() any { return new(offerRequest) },
	"order":       func() any { return new(orderRequest) },
	"meal order":  func() any { return new(mealOrderRequest) },
	"portion":     func() any { return new(portionRequest) },
	"token":       func() any { return new(tokenRequest) },
}

var fuzzSeeds = []string{
	`{"product": "carotte", "quantity": 120, "price_cents": 190}`,
	`{"producer": "ferme-a", "product": "carotte", "quantity": 1e3, "price_cents": 0}`,
	`{"class": "basket", "basket": "moyen", "count": 24}`,
	`{"class": "extra", "product": "pomme", "quantity": 6, "household": "famille-martin"}`,
	`{"date": "2026-12-01", "covers": [{"age_group": "maternelle", "covers": 120}], "dishes": [{"product": "carotte", "portion_g": 70}]}`,
	`{"id": "moyen", "name": "Panier", "contents": [{"category": "legume", "kg": 3, "min_products": 4}]}`,
	`{"id": "ferme-c", "name": "C", "lat": 50.4, "lon": 2.8, "window": ["08:00", "12:00"], "collect": true}`,
	`{"id": "2026-W50", "offer_cutoff": "2026-12-02T20:00:00+01:00"}`,
	`{"role": "farmer", "scope": "ferme-a", "name": "x"}`,
	`{"grams": 70}`, `{"status": "closed"}`,
	`{"quantity": 1e400}`, `{"count": 1.0}`, `{"count": -0}`, `{"window": ["08:00"]}`,
	`{"covers": {"maternelle": 3}}`, `{"contents": [null]}`, `{"a": {"b": [1, {"c": null}]}}`,
	`[]`, `null`, `"x"`, `{}{}`, `{"product": "carotte",`, "{\"product\": \"\xff\"}", ``,
}

// FuzzDecodeBodies decodes any bytes into every request type: each either
// succeeds or fails with a 4xx *Error naming a field, and never panics.
func FuzzDecodeBodies(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for name, make := range requestTypes {
			err := unmarshalStrict(body, make())
			if err == nil {
				continue
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%s: %q: not an API error: %v", name, body, err)
			}
			if s := e.Status(); s < 400 || s > 499 || len(e.Fields) == 0 || e.Fields[0].Field == "" {
				t.Fatalf("%s: %q: status %d, fields %v", name, body, s, e.Fields)
			}
		}
	})
}

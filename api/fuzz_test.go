package api

import (
	"bytes"
	"encoding/json"
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
	// Duplicate keys, tiny quantities, invisible and control characters.
	`{"product": "carotte", "quantity": 1, "quantity": 2}`, `{"covers": [{"covers": 1, "covers": 2}]}`,
	`{"quantity": 1e-7}`, `{"quantity": 5e-324}`, `{"dishes": [{"product": "carotte", "portion_g": 1e-300}]}`,
	`{"name": "Famille \u202eDurand"}`, `{"name": "a\u200bb", "contact": "\u0007"}`, `{"note": "\u2066x\u2069"}`,
}

// FuzzDecodeBodies decodes any bytes into every request type: each either
// succeeds or fails with a 4xx *Error naming a field, and never panics.
func FuzzDecodeBodies(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		dup := duplicateKey(body)
		for name, make := range requestTypes {
			err := unmarshalStrict(body, make())
			if err == nil {
				if dup != "" {
					t.Fatalf("%s: %q accepted with the key %q twice", name, body, dup)
				}
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

// duplicateKey returns a key found twice in one object of body, "" when
// none is (or body is not JSON): an oracle for the decoder's refusal, kept
// apart from it (a stack of key sets over the token stream).
func duplicateKey(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object, wantKey bool
		keys            map[string]bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		top := (*frame)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				if len(stack) > 0 {
					stack[len(stack)-1].wantKey = true
				}
				continue
			}
			k := tok.(string)
			if top.keys[k] {
				return k
			}
			top.keys[k] = true
			top.wantKey = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, wantKey: true, keys: map[string]bool{}})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: the enclosing object wants its next key.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].wantKey = true
		}
	}
}

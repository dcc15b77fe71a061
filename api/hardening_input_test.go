package api

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// refused checks a 4xx problem+json answer naming field.
func refused(t *testing.T, name string, r resp, field string) {
	t.Helper()
	if r.Code < 400 || r.Code >= 500 {
		t.Errorf("%s: status %d, want a 4xx\n%.300s", name, r.Code, r.Body.String())
		return
	}
	if fields := r.problemFields(t); !slices.Contains(fields, field) {
		t.Errorf("%s: problem names %v, want %q\n%.300s", name, fields, field, r.Body.String())
	}
}

const offersPath = "/api/v1/weeks/" + openWeek + "/offers"

// TestDuplicateKeysRefused: a key sent twice in one object is refused with
// a 400 naming it (I-JSON, RFC 7493), at any depth.
func TestDuplicateKeysRefused(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ name, path, token, body, field string }{
		{"offer", offersPath, tokFarmerA, `{"producer": "ferme-a", "product": "carotte", "quantity": 1, "price_cents": 150, "quantity": 2}`, "quantity"},
		{"escaped twin", offersPath, tokFarmerA, `{"producer": "ferme-a", "product": "carotte", "quantity": 1, "price_cents": 150, "qu\u0061ntity": 2}`, "quantity"},
		{"nested", "/api/v1/weeks/" + openWeek + "/meal-orders", tokCookA, `{"date": "2026-12-01", "covers": [{"age_group": "maternelle", "covers": 20, "covers": 30}], "dishes": [{"product": "carotte"}]}`, "covers[0].covers"},
	} {
		r := e.do(req{method: "POST", path: c.path, token: c.token, body: c.body})
		if r.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400\n%s", c.name, r.Code, r.Body.String())
			continue
		}
		refused(t, c.name, r, c.field)
	}
}

// TestQuantitiesOnTheStep: a quantity is a positive multiple of its
// product's step within a relative tolerance, so a speck far below the step
// is refused like any other quantity off the step; dishes' portion_g and
// portions' grams likewise (on a step of 0.1 g).
func TestQuantitiesOnTheStep(t *testing.T) {
	e := newEnv(t)
	offer := func(q string) resp {
		return e.do(req{method: "POST", path: offersPath, token: tokFarmerA, body: `{"producer": "ferme-a", "product": "carotte", "quantity": ` + q + `, "price_cents": 150}`})
	}
	for _, q := range []string{"1e-7", "5e-324", "0.05", "1e-300", "0.1000001"} {
		refused(t, "offer of "+q, offer(q), "quantity")
	}
	for _, q := range []string{"0.3", "0.1", "99999.9", "12"} {
		if r := offer(q); r.Code != 200 && r.Code != 201 {
			t.Errorf("offer of %s: %d %s", q, r.Code, r.Body.String())
		}
	}
	order := func(q string) resp {
		return e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/orders", token: tokRelayCentre,
			body: `{"site": "relais-centre", "class": "extra", "product": "pomme", "quantity": ` + q + `}`})
	}
	refused(t, "order of 1e-7", order("1e-7"), "quantity")
	refused(t, "order of 5e-324", order("5e-324"), "quantity")
	meal := func(g string) resp {
		return e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/meal-orders", token: tokCookA,
			body: `{"date": "2026-12-01", "covers": [{"age_group": "maternelle", "covers": 20}], "dishes": [{"product": "carotte", "portion_g": ` + g + `}]}`})
	}
	refused(t, "portion of 1e-7 g", meal("1e-7"), "dishes[0].portion_g")
	refused(t, "portion of 5e-324 g", meal("5e-324"), "dishes[0].portion_g")
	if r := meal("12.5"); r.Code != 201 {
		t.Errorf("portion of 12.5 g: %d %s", r.Code, r.Body.String())
	}
	refused(t, "portions grams 1e-9", e.do(req{method: "PUT", path: "/api/v1/portions/maternelle/carotte", token: tokCoord, body: `{"grams": 1e-9}`}), "grams")
}

// TestLengthsCountCharacters: limits are in characters, as their messages
// say, not in bytes.
func TestLengthsCountCharacters(t *testing.T) {
	e := newEnv(t)
	name := func(n int) resp {
		return e.do(req{method: "POST", path: "/api/v1/sites/relais-centre/households", token: tokRelayCentre,
			body: fmt.Sprintf(`{"name": %q}`, strings.Repeat("é", n))})
	}
	if r := name(150); r.Code != 201 {
		t.Errorf("a name of 150 é under a 200-character limit: %d %s", r.Code, r.Body.String())
	}
	refused(t, "a name of 201 é", name(201), "name")
}

// TestInvisibleCharactersRefused: bidirectional overrides and isolates,
// zero-width characters and control characters in names and notes would
// reach the printed lists: they are refused, naming the field.
func TestInvisibleCharactersRefused(t *testing.T) {
	e := newEnv(t)
	for _, r := range []rune{'\u202e', '\u202a', '\u2066', '\u2069', '\u200b', '\u200d', '\u2060', '\ufeff', '\u0007', '\u001b', '\u0085', '\u00ad', '\n'} {
		bad := "Famille " + string(r) + "Martin"
		refused(t, fmt.Sprintf("household name with %U", r), e.do(req{method: "POST", path: "/api/v1/sites/relais-centre/households", token: tokRelayCentre,
			body: map[string]any{"name": bad}}), "name")
		refused(t, fmt.Sprintf("household contact with %U", r), e.do(req{method: "POST", path: "/api/v1/sites/relais-centre/households", token: tokRelayCentre,
			body: map[string]any{"name": "Famille Neuve", "contact": bad}}), "contact")
		refused(t, fmt.Sprintf("meal note with %U", r), e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/meal-orders", token: tokCookA,
			body: map[string]any{"date": "2026-12-01", "note": bad, "covers": []any{map[string]any{"age_group": "maternelle", "covers": 20}}, "dishes": []any{map[string]any{"product": "carotte"}}}}), "note")
		refused(t, fmt.Sprintf("producer name with %U", r), e.do(req{method: "PUT", path: "/api/v1/producers/ferme-a", token: tokCoord,
			body: map[string]any{"name": bad, "lat": 50.47, "lon": 2.75, "window": []string{"13:00", "18:00"}}}), "name")
	}
	// Letters of every script, accents, apostrophes and emoji are names.
	for _, ok := range []string{"Famille N'Diaye-Lefèvre", "Ферма", "مزرعة", "Ōtsuka 🥕"} {
		if r := e.do(req{method: "POST", path: "/api/v1/sites/relais-centre/households", token: tokRelayCentre, body: map[string]any{"name": ok}}); r.Code != 201 {
			t.Errorf("name %q: %d %s", ok, r.Code, r.Body.String())
		}
	}
}

// TestContentEncodingRefused: an encoded body is not read as plain JSON:
// 415 problem+json naming Content-Encoding.
func TestContentEncodingRefused(t *testing.T) {
	e := newEnv(t)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(`{"producer": "ferme-a", "product": "carotte", "quantity": 1, "price_cents": 150}`))
	w.Close()
	for _, enc := range []string{"gzip", "deflate", "br", "x-anything"} {
		r := e.do(req{method: "POST", path: offersPath, token: tokFarmerA, body: gz.Bytes(), header: map[string]string{"Content-Encoding": enc}})
		if r.Code != http.StatusUnsupportedMediaType {
			t.Errorf("Content-Encoding %s: status %d, want 415\n%.300s", enc, r.Code, r.Body.String())
			continue
		}
		refused(t, "Content-Encoding "+enc, r, "Content-Encoding")
	}
	if r := e.do(req{method: "POST", path: offersPath, token: tokFarmerA, body: `{"producer": "ferme-a", "product": "carotte", "quantity": 1, "price_cents": 150}`,
		header: map[string]string{"Content-Encoding": "identity"}}); r.Code != 201 {
		t.Errorf("Content-Encoding identity: %d %s", r.Code, r.Body.String())
	}
}

// TestArraysBounded: an array over its documented maximum is refused at
// once, in a few hundred bytes, whatever its length.
func TestArraysBounded(t *testing.T) {
	e := newEnv(t)
	covers := make([]any, 5000)
	for i := range covers {
		covers[i] = map[string]any{"age_group": "nope", "covers": -1}
	}
	dishes := make([]any, 5000)
	for i := range dishes {
		dishes[i] = map[string]any{"product": "x!"}
	}
	contents := make([]any, 5000)
	for i := range contents {
		contents[i] = map[string]any{"category": "?", "kg": -1}
	}
	labels := make([]string, 5000)
	for i := range labels {
		labels[i] = "nope"
	}
	for _, c := range []struct {
		name, method, path, token string
		body                      any
		field                     string
	}{
		{"covers", "POST", "/api/v1/weeks/" + openWeek + "/meal-orders", tokCookA, map[string]any{"date": "2026-12-01", "covers": covers, "dishes": []any{map[string]any{"product": "carotte"}}}, "covers"},
		{"dishes", "POST", "/api/v1/weeks/" + openWeek + "/meal-orders", tokCookA, map[string]any{"date": "2026-12-01", "covers": []any{map[string]any{"age_group": "maternelle", "covers": 20}}, "dishes": dishes}, "dishes"},
		{"contents", "POST", "/api/v1/basket-types", tokCoord, map[string]any{"id": "grand", "name": "Grand", "contents": contents}, "contents"},
		{"egalim_labels", "POST", "/api/v1/products", tokCoord, map[string]any{"id": "navet", "name": "Navets", "unit": "kg", "kg_per_unit": 1, "category": "legume", "step": 0.5, "egalim_labels": labels}, "egalim_labels"},
	} {
		r := e.do(req{method: c.method, path: c.path, token: c.token, body: c.body})
		refused(t, c.name, r, c.field)
		if r.Body.Len() > 600 {
			t.Errorf("%s: a %d-byte error body, want a few hundred bytes", c.name, r.Body.Len())
		}
	}
}

// TestHeadAnswersAsGet: HEAD on a GET route answers what GET answers, with
// no body.
func TestHeadAnswersAsGet(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/me", "/api/v1/weeks", "/api/v1/products/carotte", "/api/v1/openapi.json", "/api/v1/products/inconnu"} {
		get := e.do(req{method: "GET", path: path, token: tokCoord})
		head := e.do(req{method: "HEAD", path: path, token: tokCoord})
		if head.Code != get.Code || head.Body.Len() != 0 || head.Header().Get("Content-Type") != get.Header().Get("Content-Type") {
			t.Errorf("HEAD %s: %d, %d bytes, %q; GET: %d, %q", path, head.Code, head.Body.Len(), head.Header().Get("Content-Type"), get.Code, get.Header().Get("Content-Type"))
		}
	}
	if r := e.do(req{method: "HEAD", path: "/api/v1/me"}); r.Code != 401 || r.Body.Len() != 0 {
		t.Errorf("HEAD without a token: %d, %d bytes", r.Code, r.Body.Len())
	}
}

// TestEveryBodyArrayDocumentsItsMaximum walks the schema of every request
// body in the OpenAPI document: each array states its maxItems, the bound
// the decoder enforces (a maxItems tag, else defaultMaxItems).
func TestEveryBodyArrayDocumentsItsMaximum(t *testing.T) {
	e := newEnv(t)
	doc := e.do(req{method: "GET", path: "/api/v1/openapi.json"}).expect(t, 200).json(t)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	var walk func(where string, s any, seen map[string]bool)
	walk = func(where string, s any, seen map[string]bool) {
		m, ok := s.(map[string]any)
		if !ok {
			return
		}
		if r, ok := m["$ref"].(string); ok {
			name := strings.TrimPrefix(r, "#/components/schemas/")
			if !seen[name] {
				seen[name] = true
				walk(name, schemas[name], seen)
			}
			return
		}
		if m["type"] == "array" {
			if n, ok := m["maxItems"].(float64); !ok || n < 1 || n > defaultMaxItems {
				t.Errorf("%s: an array without a maxItems of 1 to %d: %v", where, defaultMaxItems, m)
			}
		}
		for k, v := range m {
			switch k {
			case "properties":
				for name, p := range v.(map[string]any) {
					walk(where+"."+name, p, seen)
				}
			case "items", "additionalProperties":
				walk(where+"[]", v, seen)
			case "allOf", "oneOf", "anyOf":
				for _, x := range v.([]any) {
					walk(where, x, seen)
				}
			}
		}
	}
	bodies := 0
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			rb, ok := op.(map[string]any)["requestBody"].(map[string]any)
			if !ok {
				continue
			}
			bodies++
			for _, media := range rb["content"].(map[string]any) {
				walk(method+" "+path, media.(map[string]any)["schema"], map[string]bool{})
			}
		}
	}
	if bodies == 0 {
		t.Fatal("no request body in the document")
	}
}

// TestNumbersBeyondTheDatabase: a transfer or token number past the
// largest signed 64-bit integer (which the database cannot hold) is refused
// as a malformed number, naming the parameter, not a 500.
func TestNumbersBeyondTheDatabase(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ method, path, field string }{
		{"GET", "/api/v1/manne/transfers/9223372036854775808", "transfer"},
		{"GET", "/api/v1/manne/transfers/18446744073709551615", "transfer"},
		{"DELETE", "/api/v1/tokens/9223372036854775808", "token"},
		{"POST", "/api/v1/tokens/9223372036854775808/sign-in-links", "token"},
	} {
		w := e.do(req{method: tc.method, path: tc.path, token: tokCoord})
		if w.Code != 400 || !contains(w.problemFields(t), tc.field) {
			t.Errorf("%s %s: %d %s, want 400 naming %s", tc.method, tc.path, w.Code, w.Body.String(), tc.field)
		}
	}
	// The largest one the database holds is merely unknown.
	e.do(req{method: "GET", path: "/api/v1/manne/transfers/9223372036854775807", token: tokCoord}).expect(t, 404)
	e.do(req{method: "DELETE", path: "/api/v1/tokens/9223372036854775807", token: tokCoord}).expect(t, 404)
}

// TestInstantsWellFormed: a cutoff is read in the exact shape the OpenAPI
// document gives (two-digit hours: Go's parser alone takes "T0:00") and
// within the years 2000 to 2999; anything else is refused naming the field.
func TestInstantsWellFormed(t *testing.T) {
	e := newEnv(t)
	for i, bad := range []string{"2027-03-03T0:00", "2027-03-03T9:00:00+01:00", "0000-01-10T00:00", "1999-12-31T20:00:00Z", "3000-01-01T00:00", "2027-03-03 20:00", "2027-03-03T20:00+0100"} {
		id := fmt.Sprintf("2027-W%02d", 20+i)
		w := e.do(req{method: "POST", path: "/api/v1/weeks", token: tokCoord, body: map[string]any{"id": id, "offer_cutoff": bad}})
		if w.Code != 422 || !contains(w.problemFields(t), "offer_cutoff") {
			t.Errorf("offer_cutoff %q: %d %s, want 422 naming it", bad, w.Code, w.Body.String())
		}
	}
	for i, good := range []string{"2027-03-03T20:00", "2027-03-03T20:00:00", "2027-03-03T20:00:00+01:00", "2027-03-03T19:00:00Z", "2027-03-03T20:00:00.5+01:00"} {
		id := fmt.Sprintf("2027-W%02d", 10+i)
		if w := e.do(req{method: "POST", path: "/api/v1/weeks", token: tokCoord, body: map[string]any{"id": id, "offer_cutoff": good}}); w.Code != 201 {
			t.Errorf("offer_cutoff %q: %d %s, want 201", good, w.Code, w.Body.String())
		}
	}
}

package api

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// decodeEmbedded is promoted into decodeTarget, as encoding/json flattens it.
type decodeEmbedded struct {
	Shift string `json:"shift"`
	Rank  int    `json:"rank"`
}

type decodeItem struct {
	Product string   `json:"product"`
	Kg      float64  `json:"kg"`
	Note    *string  `json:"note,omitempty"`
	Tags    []string `json:"tags"`
}

type decodeTarget struct {
	decodeEmbedded
	Name     string             `json:"name"`
	Quantity *int               `json:"quantity"`
	Small    int8               `json:"small"`
	Ratio    float32            `json:"ratio"`
	Open     bool               `json:"open"`
	Window   [2]string          `json:"window"`
	Items    []decodeItem       `json:"items"`
	Prices   map[string]int     `json:"prices"`
	Nested   *decodeItem        `json:"nested"`
	Grid     [][]int            `json:"grid"`
	ByDay    map[string][]int64 `json:"by_day"`
	Untagged string
}

// withTime has a field that decodes itself: the token walk sees only its
// kind and leaves the rest to encoding/json.
type withTime struct {
	At time.Time `json:"at"`
}

// TestUnmarshalStrictMatchesEncodingJSON checks that unmarshalStrict stores
// exactly what encoding/json stores for every body it accepts: encoding/json
// is the oracle.
func TestUnmarshalStrictMatchesEncodingJSON(t *testing.T) {
	bodies := []string{
		`{}`,
		`{"name": "Ferme du Marais", "quantity": 12, "small": -128, "ratio": 0.1, "open": true}`,
		`{"quantity": null, "items": null, "prices": null, "nested": null, "grid": null}`,
		`{"items": [], "prices": {}, "grid": [[], [1, 2], null]}`,
		`{"window": ["08:00", "12:00"], "shift": "matin", "rank": 3, "Untagged": "x"}`,
		`{"items": [{"product": "carotte", "kg": 1.5, "note": "bio", "tags": ["a", "b"]}, {"product": "poireau", "kg": 2e1, "note": null, "tags": []}]}`,
		`{"nested": {"product": "pomme", "kg": 0}, "by_day": {"lundi": [1, -2, 9007199254740993], "mardi": null}}`,
		`{"name": "\u00e9t\u00e9 \"quoted\" \\ \n", "prices": {"": 1, "caf\u00e9": 2}}`,
		`{"ratio": 3.4028234663852886e38, "small": 127}`,
	}
	for _, body := range bodies {
		t.Run(body, func(t *testing.T) {
			var got, want decodeTarget
			if err := unmarshalStrict([]byte(body), &got); err != nil {
				t.Fatalf("unmarshalStrict: %v", err)
			}
			if err := json.Unmarshal([]byte(body), &want); err != nil {
				t.Fatalf("encoding/json: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestUnmarshalStrictSelfDecodingType checks the fallback to encoding/json
// for a type that decodes itself, which the token walk sees only by its kind.
func TestUnmarshalStrictSelfDecodingType(t *testing.T) {
	var v withTime
	err := unmarshalStrict([]byte(`{"at": {}}`), &v)
	if err == nil {
		t.Fatal("an object for a time.Time was accepted")
	}
	if v != (withTime{}) {
		t.Errorf("dst changed by a rejected body: %+v", v)
	}
}

// TestUnmarshalStrictReportsFirstKey checks that the problem reported does
// not depend on the order of an object's members, and that a syntax error
// anywhere wins over a type error before it.
func TestUnmarshalStrictReportsFirstKey(t *testing.T) {
	for _, tc := range []struct{ body, field string }{
		{`{"zeta": 1, "alpha": 2}`, "alpha"},
		{`{"alpha": 2, "zeta": 1}`, "alpha"},
		{`{"name": 3, "items": [{"kg": "x"}], "open": 1}`, "items[0].kg"},
		{`{"open": 1, "items": [{"kg": "x"}], "name": 3}`, "items[0].kg"},
		{`{"name": 3, "items": [1, }`, "body"},
	} {
		var v decodeTarget
		err := unmarshalStrict([]byte(tc.body), &v)
		e, ok := err.(*Error)
		if !ok || len(e.Fields) != 1 || e.Fields[0].Field != tc.field {
			t.Errorf("%s: got %v, want a problem on %s", tc.body, err, tc.field)
		}
	}
}

package api

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// fillEmbedded is promoted into fillTarget, as encoding/json flattens it.
type fillEmbedded struct {
	Shift string `json:"shift"`
	Rank  int    `json:"rank"`
}

type fillItem struct {
	Product string   `json:"product"`
	Kg      float64  `json:"kg"`
	Note    *string  `json:"note,omitempty"`
	Tags    []string `json:"tags"`
}

type fillTarget struct {
	fillEmbedded
	Name     string             `json:"name"`
	Quantity *int               `json:"quantity"`
	Small    int8               `json:"small"`
	Ratio    float32            `json:"ratio"`
	Open     bool               `json:"open"`
	Window   [2]string          `json:"window"`
	Items    []fillItem         `json:"items"`
	Prices   map[string]int     `json:"prices"`
	Nested   *fillItem          `json:"nested"`
	Grid     [][]int            `json:"grid"`
	ByDay    map[string][]int64 `json:"by_day"`
	Untagged string
}

// withTime has a field that decodes itself: unmarshalStrict leaves it to
// encoding/json.
type withTime struct {
	At time.Time `json:"at"`
}

// TestFillFromTreeMatchesEncodingJSON checks that the single-parse path of
// unmarshalStrict stores exactly what encoding/json stores for every body it
// accepts: encoding/json is the oracle.
func TestFillFromTreeMatchesEncodingJSON(t *testing.T) {
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
			var got, want fillTarget
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
// for a type that decodes itself, which checkTree sees only by its kind.
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

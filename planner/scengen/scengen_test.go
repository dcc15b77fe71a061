package scengen_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"paniers/planner"
	"paniers/planner/scengen"
)

// TestGenerateIsValidAndShaped checks that every family, at several sizes,
// gives a valid scenario with the family's shape, the same for the same seed.
func TestGenerateIsValidAndShaped(t *testing.T) {
	sizes := []scengen.Config{
		{Producers: 1, Products: 1, Sites: 1, Orders: 1},
		{Producers: 3, Products: 6, Sites: 4, Orders: 12},
		{Producers: 20, Products: 30, Sites: 40, Orders: 300, BasketTypes: 4, Vehicles: 3},
	}
	for _, f := range scengen.Families {
		for i, c := range sizes {
			c.Family, c.Seed = f, int64(i+1)
			name := fmt.Sprintf("%s/%d", f, i)
			s := scengen.Generate(c)
			if err := planner.Validate(s); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if again := scengen.Generate(c); !reflect.DeepEqual(s, again) {
				t.Errorf("%s: the same seed gives another scenario", name)
			}
			offered := map[string]bool{}
			for _, of := range s.Offers {
				offered[of.Product] = true
			}
			ordered := map[string]bool{}
			for _, o := range s.Orders {
				ordered[o.Product] = ordered[o.Product] || o.Product != ""
			}
			switch f {
			case scengen.ZeroSupply:
				if len(s.Offers) != 0 {
					t.Errorf("%s: %d offers", name, len(s.Offers))
				}
			case scengen.SingleProducer:
				if len(s.Producers) != 1 {
					t.Errorf("%s: %d producers", name, len(s.Producers))
				}
			case scengen.Unservable:
				if i == 2 && !someOrderedNotOffered(ordered, offered) {
					t.Errorf("%s: every ordered product is offered", name)
				}
			case scengen.Unordered:
				if i == 2 && len(offered) <= len(ordered) {
					t.Errorf("%s: no offered product is left unordered (%d offered, %d ordered)", name, len(offered), len(ordered))
				}
			}
		}
	}
}

func someOrderedNotOffered(ordered, offered map[string]bool) bool {
	for p := range ordered {
		if !offered[p] {
			return true
		}
	}
	return false
}

// TestRegionalSize checks the regional week's counts and that it is valid.
func TestRegionalSize(t *testing.T) {
	s := scengen.Regional(1, scengen.MildShortage)
	if len(s.Producers) != 300 || len(s.Products) != 120 || len(s.Sites) != 600 || len(s.Orders) != 5000 {
		t.Errorf("regional week has %d producers, %d products, %d sites, %d orders",
			len(s.Producers), len(s.Products), len(s.Sites), len(s.Orders))
	}
	if err := planner.Validate(s); err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(s); err != nil {
		t.Fatal(err)
	}
	for _, st := range s.Sites {
		if st.Lat < 50.2 || st.Lat > 50.7 || st.Lon < 2.5 || st.Lon > 3.1 {
			t.Errorf("site %s at %g,%g is far from Lens", st.ID, st.Lat, st.Lon)
		}
	}
}

package api

import (
	"testing"
)

// TestPatchWeekCalendar moves a week's cutoffs and dates through PATCH:
// a time without offset is in the collective's time zone, an impossible
// calendar is a 422 naming the field, a planned week refuses with a 409
// (the stored plan was made with its dates) until it is reopened.
func TestPatchWeekCalendar(t *testing.T) {
	e := newEnv(t)
	const week = "/api/v1/weeks/2026-W49"
	m := e.do(req{method: "PATCH", path: week, token: tokCoord,
		body: `{"offer_cutoff": "2026-11-24T18:30", "delivery_date": "2026-12-02"}`}).expect(t, 200).json(t)
	if m["offer_cutoff"] != "2026-11-24T18:30:00+01:00" || m["delivery_date"] != "2026-12-02" || m["status"] != "open" || m["order_cutoff"] != "2026-11-26T12:00:00+01:00" {
		t.Errorf("after PATCH: %v", m)
	}
	for _, tc := range []struct{ body, field string }{
		{`{"order_cutoff": "2026-11-23T12:00:00+01:00"}`, "order_cutoff"},
		{`{"order_cutoff": "demain"}`, "order_cutoff"},
		{`{"offer_cutoff": ""}`, "offer_cutoff"},
		{`{"collection_date": "2026-02-30"}`, "collection_date"},
		{`{"delivery_date": "2026-11-01"}`, "delivery_date"},
		{`{}`, "status"},
	} {
		if f := e.do(req{method: "PATCH", path: week, token: tokCoord, body: tc.body}).expect(t, 422).problemFields(t); !contains(f, tc.field) {
			t.Errorf("PATCH %s: fields %v, want %s", tc.body, f, tc.field)
		}
	}
	e.do(req{method: "PATCH", path: week, token: tokCoord, body: `{"status": "planned"}`}).expect(t, 200)
	p := e.do(req{method: "PATCH", path: week, token: tokCoord, body: `{"offer_cutoff": "2026-11-24T19:00"}`}).expect(t, 409).json(t)
	if p["type"] != "urn:paniers:problem:week-closed" || p["week_status"] != "planned" {
		t.Errorf("calendar of a planned week: %v", p)
	}
	e.do(req{method: "PATCH", path: week, token: tokCoord, body: `{"status": "open", "offer_cutoff": "2026-11-24T19:00"}`}).expect(t, 200)
	e.do(req{method: "PATCH", path: week, token: tokRelayCentre, body: `{"offer_cutoff": "2026-11-24T19:00"}`}).expect(t, 403)
}

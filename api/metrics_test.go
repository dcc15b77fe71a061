package api

import (
	"net/http"
	"strings"
	"testing"
)

// TestMetrics: GET /metrics answers the coordinator in Prometheus' text
// format, with requests by route and status and their latency, the job
// runs by job, outcome and trigger, and the plans' durations and sizes;
// other roles get 403, no token 401.
func TestMetrics(t *testing.T) {
	e := newPlanEnv(t)
	e.do(req{method: "GET", path: "/api/v1/me", token: tokFarmerA}).expect(t, 200)
	e.do(req{method: "GET", path: "/api/v1/products/inconnu", token: tokFarmerA}).expect(t, 404)
	wantStatus(t, e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/plan", token: tokCoord}), http.StatusCreated)

	r := e.do(req{method: "GET", path: "/metrics", token: tokCoord})
	wantStatus(t, r, 200)
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("content type %q", ct)
	}
	body := r.Body.String()
	for _, want := range []string{
		`http_request_duration_seconds_bucket{method="GET",route="/api/v1/me",status="200",le=`,
		`http_request_duration_seconds_count{method="GET",route="/api/v1/products/:product",status="404"} 1`,
		`http_requests_in_flight`,
		`paniers_job_runs_total{job="plan",outcome="ok",trigger="api"} 1`,
		`paniers_job_duration_seconds_count{job="plan",trigger="api"} 1`,
		`paniers_plan_duration_seconds_count 1`,
		`paniers_plan_size{what="allocations"}`,
		`paniers_plan_size{what="orders"}`,
		`paniers_plan_size{what="rounds"}`,
		`paniers_store_writer_wait_seconds_total`,
		`paniers_store_writer_waits_total`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "inconnu") {
		t.Error("a raw path (with user input) is a label: routes only")
	}
	e.do(req{method: "GET", path: "/metrics", token: tokFarmerA}).expect(t, 403)
	e.do(req{method: "GET", path: "/metrics"}).expect(t, 401)
}

package cli

import (
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"paniers/models"
)

// TestServeMetrics: the coordinator's token reads GET /metrics on the
// service's address (others get 401), and with --metrics-addr the same
// metrics are served there without a token.
func TestServeMetrics(t *testing.T) {
	db := filepath.Join(t.TempDir(), "paniers.db")
	s := startServe(t, "--db", db, "--out", t.TempDir(), "--demo", "--metrics-addr", "127.0.0.1:0")
	defer s.stop(t)
	if code := getStatus(t, "http://"+s.addr+"/metrics", ""); code != http.StatusUnauthorized {
		t.Errorf("GET /metrics without a token = %d, want 401", code)
	}
	if code := getStatus(t, "http://"+s.addr+"/metrics", models.DemoCoordinatorToken); code != http.StatusOK {
		t.Errorf("GET /metrics as the coordinator = %d, want 200", code)
	}
	re := regexp.MustCompile(`"msg":"metrics listening","addr":"([^"]+)"`)
	var maddr string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && maddr == ""; time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(s.stderr.String()); m != nil {
			maddr = m[1]
		}
	}
	if maddr == "" {
		t.Fatalf("no metrics address logged:\n%s", s.stderr.String())
	}
	resp, err := http.Get("http://" + maddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /metrics on the metrics address = %d", resp.StatusCode)
	}
	for _, want := range []string{"http_request_duration_seconds_count{method=\"GET\",route=\"/metrics\",status=\"200\"}", "paniers_store_writer_wait_seconds_total", "go_goroutines"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if code := getStatus(t, "http://"+maddr+"/api/v1/weeks", ""); code != http.StatusNotFound {
		t.Errorf("the metrics address serves the API: %d", code)
	}
}

package api

import (
	"database/sql"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"paniers/models"
)

// metricsStore is what the metrics read from the store; *models.Store
// satisfies it.
type metricsStore interface {
	WriterStats() sql.DBStats
}

var _ metricsStore = (*models.Store)(nil)

// httpMetrics are the API's own metrics:
//   - http_request_duration_seconds{method, route, status}: latency
//     histograms (their _count is the number of requests), by route
//     pattern, never by raw path, so no user input becomes a label;
//   - http_requests_in_flight: requests being served;
//   - paniers_store_writer_waits_total, paniers_store_writer_wait_seconds_total:
//     how often and how long writes waited for the store's writer.
type httpMetrics struct {
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

// newHTTPMetrics registers the API's metrics with reg.
func newHTTPMetrics(reg prometheus.Registerer, st metricsStore) *httpMetrics {
	m := &httpMetrics{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "http_request_duration_seconds",
			Help:    "Latency of HTTP requests by method, route and status.",
			Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}},
			[]string{"method", "route", "status"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "http_requests_in_flight", Help: "HTTP requests being served."}),
	}
	reg.MustRegister(m.duration, m.inFlight)
	if st != nil {
		reg.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "paniers_store_writer_waits_total",
				Help: "Writes that waited for the store's writer connection (SQLite's one writer)."},
				func() float64 { return float64(st.WriterStats().WaitCount) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "paniers_store_writer_wait_seconds_total",
				Help: "Total time writes waited for the store's writer connection."},
				func() float64 { return st.WriterStats().WaitDuration.Seconds() }),
		)
	}
	return m
}

// observe is the middleware measuring every request.
func (m *httpMetrics) observe(c *gin.Context) {
	start := time.Now()
	m.inFlight.Inc()
	defer m.inFlight.Dec()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	m.duration.WithLabelValues(requestMethod(c.Request), route, strconv.Itoa(c.Writer.Status())).Observe(time.Since(start).Seconds())
}

// metricsHandler serves the registry in Prometheus' text format.
func metricsHandler(g prometheus.Gatherer) gin.HandlerFunc {
	return gin.WrapH(promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
}

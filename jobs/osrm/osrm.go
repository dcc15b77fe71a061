// Package osrm asks an OSRM server's table service for road distances and
// travel times, so that rounds follow real roads instead of the contract's
// great-circle estimate (PANIERS_OSRM_URL). It speaks the documented HTTP API
// of osrm-routed (v5):
//
//	GET {base}/table/v1/{profile}/{lon},{lat};{lon},{lat}...?annotations=duration,distance
//
// whose answer gives "durations" in seconds and "distances" in metres, one
// row per source. When the server cannot answer, Matrix falls back to the
// great-circle estimate and logs a warning, so a week is still planned.
package osrm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"paniers/planner"
)

// DefaultMaxTableSize is osrm-routed's default --max-table-size: a request may
// ask for at most this many sources times this many destinations.
const DefaultMaxTableSize = 100

// maxBody bounds the size of an answer the client reads.
const maxBody = 64 << 20

// Client asks one OSRM server. Its zero value is not usable: call New.
type Client struct {
	base    string // without a trailing slash
	profile string
	http    *http.Client
	log     *slog.Logger
	block   int
	timeout time.Duration
}

// Option sets an optional part of a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (default: http.DefaultClient's
// transport with the client's timeout).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithLogger sets where fallback warnings go (default: slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// WithProfile sets the routing profile in the URL (default "driving"; the
// server answers with the profile it was prepared for whatever the name).
func WithProfile(p string) Option { return func(c *Client) { c.profile = p } }

// WithMaxTableSize sets the server's --max-table-size, so that bigger tables
// are asked block by block (default DefaultMaxTableSize).
func WithMaxTableSize(n int) Option { return func(c *Client) { c.block = n } }

// WithTimeout bounds the whole table (all its requests) when Matrix calls the
// server (default 30 s).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// New returns a client of the OSRM server at baseURL (such as
// "http://localhost:5000"; a path prefix is kept).
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("osrm: base URL %q: want http:// or https:// with a host", baseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("osrm: base URL %q: no query or fragment allowed", baseURL)
	}
	c := &Client{
		base:    strings.TrimRight(u.String(), "/"),
		profile: "driving",
		http:    &http.Client{},
		log:     slog.Default(),
		block:   DefaultMaxTableSize,
		timeout: 30 * time.Second,
	}
	for _, o := range opts {
		o(c)
	}
	switch {
	case c.block < 2:
		return nil, fmt.Errorf("osrm: max table size %d: want at least 2", c.block)
	case c.profile == "" || strings.ContainsAny(c.profile, "/?#;, "):
		return nil, fmt.Errorf("osrm: profile %q is not a URL path segment", c.profile)
	case c.timeout <= 0:
		return nil, fmt.Errorf("osrm: timeout %v: want a positive duration", c.timeout)
	case c.http == nil || c.log == nil:
		return nil, errors.New("osrm: nil HTTP client or logger")
	}
	return c, nil
}

// Matrix returns the planner's travel source: road distances and times
// from the server, or, when it fails (unreachable, an error answer, a pair
// with no route, a malformed answer), the great-circle estimate of the
// scenario's travel settings with a warning in the log.
func (c *Client) Matrix() planner.TravelMatrix {
	return func(points []planner.LatLon, t planner.Travel) ([][]float64, [][]float64, error) {
		ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
		defer cancel()
		dist, minutes, err := c.Table(ctx, points)
		if err == nil {
			return dist, minutes, nil
		}
		c.log.Warn("osrm: road distances unavailable, using great-circle estimates",
			"err", err.Error(), "points", len(points), "server", c.base)
		return planner.GreatCircleMatrix(points, t)
	}
}

// Table returns the road distance (km) and travel time (minutes) from every
// point to every other. Tables larger than the server's limit are asked in
// blocks. Any failure is an error naming what went wrong.
func (c *Client) Table(ctx context.Context, points []planner.LatLon) (distKm, minutes [][]float64, err error) {
	n := len(points)
	for i, p := range points {
		if !(p.Lat >= -90 && p.Lat <= 90) || !(p.Lon >= -180 && p.Lon <= 180) {
			return nil, nil, fmt.Errorf("osrm: point %d (%v, %v) is not a latitude and longitude", i, p.Lat, p.Lon)
		}
	}
	distKm, minutes = make([][]float64, n), make([][]float64, n)
	for i := range n {
		distKm[i], minutes[i] = make([]float64, n), make([]float64, n)
	}
	if n <= 1 {
		return distKm, minutes, nil
	}
	if n <= c.block {
		return distKm, minutes, c.fill(ctx, points, identity(n), identity(n), distKm, minutes)
	}
	// Blocks of sources and destinations: each request carries only the
	// coordinates of its two blocks.
	for from := 0; from < n; from += c.block {
		for to := 0; to < n; to += c.block {
			src := span(from, min(from+c.block, n))
			dst := span(to, min(to+c.block, n))
			if err := c.fill(ctx, points, src, dst, distKm, minutes); err != nil {
				return nil, nil, err
			}
		}
	}
	return distKm, minutes, nil
}

func identity(n int) []int { return span(0, n) }

func span(a, b int) []int {
	s := make([]int, 0, b-a)
	for i := a; i < b; i++ {
		s = append(s, i)
	}
	return s
}

// tableAnswer is the part of OSRM's table answer the client reads.
type tableAnswer struct {
	Code      string       `json:"code"`
	Message   string       `json:"message"`
	Durations [][]*float64 `json:"durations"`
	Distances [][]*float64 `json:"distances"`
}

// fill asks for the table from the points src to the points dst (indexes
// into points) and writes it into distKm and minutes.
func (c *Client) fill(ctx context.Context, points []planner.LatLon, src, dst []int, distKm, minutes [][]float64) error {
	// The request's coordinates: the sources, then the destinations that
	// are not sources already.
	var coords []int
	pos := map[int]int{}
	for _, lists := range [][]int{src, dst} {
		for _, i := range lists {
			if _, ok := pos[i]; !ok {
				pos[i] = len(coords)
				coords = append(coords, i)
			}
		}
	}
	var b strings.Builder
	b.WriteString(c.base + "/table/v1/" + c.profile + "/")
	for k, i := range coords {
		if k > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.FormatFloat(points[i].Lon, 'f', 6, 64) + "," + strconv.FormatFloat(points[i].Lat, 'f', 6, 64))
	}
	b.WriteString("?annotations=duration,distance")
	if len(coords) != len(src) || len(coords) != len(dst) {
		b.WriteString("&sources=" + indexList(src, pos) + "&destinations=" + indexList(dst, pos))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.String(), nil)
	if err != nil {
		return fmt.Errorf("osrm: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("osrm: table: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return fmt.Errorf("osrm: table: reading the answer: %w", err)
	}
	if len(body) > maxBody {
		return fmt.Errorf("osrm: table: answer larger than %d MiB", maxBody>>20)
	}
	var ans tableAnswer
	jsonErr := json.Unmarshal(body, &ans)
	if resp.StatusCode != http.StatusOK || jsonErr == nil && ans.Code != "Ok" {
		if jsonErr == nil && ans.Code != "" {
			return fmt.Errorf("osrm: table: HTTP %d: %s: %s", resp.StatusCode, ans.Code, ans.Message)
		}
		return fmt.Errorf("osrm: table: HTTP %d", resp.StatusCode)
	}
	if jsonErr != nil {
		return fmt.Errorf("osrm: table: malformed answer: %w", jsonErr)
	}
	read := func(name string, m [][]*float64, scale float64, into [][]float64) error {
		if len(m) != len(src) {
			return fmt.Errorf("osrm: table: %d rows of %s, want %d", len(m), name, len(src))
		}
		for r, row := range m {
			if len(row) != len(dst) {
				return fmt.Errorf("osrm: table: %s row %d has %d values, want %d", name, r, len(row), len(dst))
			}
			for k, v := range row {
				i, j := src[r], dst[k]
				switch {
				case v == nil:
					return fmt.Errorf("osrm: table: no route from point %d to point %d", i, j)
				case math.IsNaN(*v) || math.IsInf(*v, 0) || *v < 0:
					return fmt.Errorf("osrm: table: %s from point %d to point %d is %v", name, i, j, *v)
				}
				if i != j {
					into[i][j] = *v * scale
				}
			}
		}
		return nil
	}
	if err := read("durations", ans.Durations, 1.0/60, minutes); err != nil {
		return err
	}
	return read("distances", ans.Distances, 1.0/1000, distKm)
}

// indexList prints the request positions of points as "0;1;2".
func indexList(list []int, pos map[int]int) string {
	s := make([]string, len(list))
	for k, i := range list {
		s[k] = strconv.Itoa(pos[i])
	}
	return strings.Join(s, ";")
}

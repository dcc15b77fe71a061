package web

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Slow 3G as Chromium's DevTools define it: 2 s of latency per request,
// 50 kB/s down and up (400 kbit/s after DevTools' 80 % factor). A farmer
// with one bar of signal is on such a line.
const (
	slow3GLatency    = 2 * time.Second
	slow3GThroughput = 50_000 // bytes per second
)

// pageBudget is what one page may cost on the wire, its stylesheet and
// script included: with the latency of one round trip for the page and
// one for its files, it loads in about four seconds on slow 3G.
const (
	pageBudgetBytes    = 60_000
	pageBudgetRequests = 3
)

// netLog records what the tab fetches: requests by id, bytes received.
type netLog struct {
	mu    sync.Mutex
	urls  map[network.RequestID]string
	bytes map[network.RequestID]float64
}

func (l *netLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.urls = map[network.RequestID]string{}
	l.bytes = map[network.RequestID]float64{}
}

// totals returns the requests made and the bytes received since reset.
func (l *netLog) totals() (urls []string, bytes float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, u := range l.urls {
		urls = append(urls, u)
		bytes += l.bytes[id]
	}
	return urls, bytes
}

// throttle puts the tab on slow 3G and starts recording its traffic,
// cache disabled so that every page pays for its files.
func (b *tab) throttle() *netLog {
	b.t.Helper()
	l := &netLog{}
	l.reset()
	if err := chromedp.Listen(b.ctx, func(ev any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			// data: URLs (Chromium's own date-picker icon) never
			// reach the network.
			if !strings.HasPrefix(ev.Request.URL, "data:") {
				l.urls[ev.RequestID] = ev.Request.URL
			}
		case *network.EventLoadingFinished:
			l.bytes[ev.RequestID] = ev.EncodedDataLength
		}
	}); err != nil {
		b.t.Fatal(err)
	}
	b.do("slow 3G", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{
				Latency:            float64(slow3GLatency.Milliseconds()),
				DownloadThroughput: slow3GThroughput,
				UploadThroughput:   slow3GThroughput,
				ConnectionType:     network.ConnectionTypeCellular3g,
			}},
		})
		return err
	}))
	return l
}

// weigh checks what the page in view cost: at most pageBudgetRequests
// requests, all to paniers itself, and pageBudgetBytes on the wire. It
// returns the bytes, for the log.
func (l *netLog) weigh(t *testing.T, name, origin string) float64 {
	t.Helper()
	urls, bytes := l.totals()
	for _, u := range urls {
		if !strings.HasPrefix(u, origin+"/") && u != origin {
			t.Errorf("%s fetched %s, outside paniers", name, u)
		}
	}
	if len(urls) > pageBudgetRequests {
		t.Errorf("%s made %d requests on slow 3G, budget %d: %v", name, len(urls), pageBudgetRequests, urls)
	}
	if bytes > pageBudgetBytes {
		t.Errorf("%s received %.0f bytes, budget %d (%.1f s at 50 kB/s)", name, bytes, pageBudgetBytes, bytes/slow3GThroughput)
	}
	// What the line alone costs: a round trip for the page, one for its
	// files, and the bytes at the line's speed.
	t.Logf("%s: %d requests, %.1f kB: about %.1f s on slow 3G", name, len(urls), bytes/1000,
		2*slow3GLatency.Seconds()+bytes/slow3GThroughput)
	return bytes
}

// TestBrowserSlow3G: each person's main page, and a form posted from it,
// work over slow 3G within a small weight budget; nothing comes from
// another site. The budget is in bytes and requests, not seconds, so the
// test does not depend on the machine's load.
func TestBrowserSlow3G(t *testing.T) {
	e := newEnv(t)
	origin := strings.TrimSuffix(e.srv.URL, "/")
	pages := []struct {
		name, token, path string
		// then is an action taken on the page under slow 3G, and what
		// the page says after it.
		then func(b *tab)
		says string
	}{
		{"farmer's page", "demo-ferme-bois-loos", pathFarmer, func(b *tab) {
			b.set(`#f-quantity-carotte`, "125")
			b.submit(`form.offer button.primary`)
		}, "Offre enregistrée : 125 kg de carottes"},
		{"pick-up checklist", "demo-relais-loos", pathPickup + "?semaine=" + weekPast, func(b *tab) {
			b.submit(`#h-relais-loos-f01 button.tick`)
		}, "Reste à venir : 17 / 18"},
		{"cook's page", "demo-cantine-ferry", pathCook, nil, "Commander les repas"},
		{"driver's round", "demo-camion-1", pathDriverRound + weekPast + "/2", func(b *tab) {
			b.submit(`#arret-1 button.deliver`)
		}, " : livré à "},
		{"coordinator's week", "demo-coordinateur", pathCoordWeek + weekOpen, nil, "Offre et demande"},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			b := newTab(t)
			b.open(e.link(t, p.token)) // signing in is not what is weighed
			l := b.throttle()
			l.reset()
			b.open(e.srv.URL + p.path)
			if u, _ := url.Parse(e.srv.URL + p.path); b.url() != u.RequestURI() {
				t.Fatalf("opened %s, landed on %s", p.path, b.url())
			}
			l.weigh(t, p.name, origin)
			if p.then != nil {
				l.reset()
				p.then(b)
				l.weigh(t, p.name+" after posting", origin)
			}
			b.mustSee(p.says)
		})
	}
}

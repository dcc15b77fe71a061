package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// payKey reads the idempotency key of a household's payment form.
func payKey(t *testing.T, body, household string) string {
	t.Helper()
	i := strings.Index(body, `id="h-`+household+`"`)
	if i < 0 {
		t.Fatalf("no row for %s:\n%s", household, excerpt(body))
	}
	m := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(body[i:])
	if m == nil {
		t.Fatalf("no payment form for %s:\n%s", household, excerpt(body[i:]))
	}
	return m[1]
}

// TestPayInManneAtTheCounter pays a basket in MANNE from the pick-up
// checklist: the balance shows on the household's row, the payment is
// stored once however often the form is sent, an amount beyond the balance
// or that does not read comes back beside the field with what was typed,
// and the API reads the same balance.
func TestPayInManneAtTheCounter(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	h, err := e.st.GetHousehold(ctx, "relais-loos-f01")
	if err != nil {
		t.Fatal(err)
	}
	b := e.signIn(t, "demo-relais-loos", pathRelay)
	list := b.get(pathPickup + "?semaine=" + weekPast)
	if list.StatusCode != 200 {
		t.Fatalf("checklist: %d", list.StatusCode)
	}
	mustShow(t, list.Body, "Solde MANNE : 15,00 MANNE", "Payer en MANNE")
	key := payKey(t, list.Body, h.ID)
	form := url.Values{"week": {weekPast}, "household": {h.ID}, "amount": {"12,5"}, "key": {key}, "q": {""}}
	res := b.follow(pathManne, form)
	mustShow(t, res.Body, "Payé en MANNE : 12,50 MANNE par "+h.Name+" ; solde 2,50 MANNE.", "Solde MANNE : 2,50 MANNE")
	// The same form sent again (a double tap, a reload) pays nothing more.
	b.follow(pathManne, form)
	if a, err := e.st.GetAccount(ctx, h.ID); err != nil || a.BalanceCents != 250 || a.Entries != 2 {
		t.Fatalf("account after the form sent twice: %+v, %v", a, err)
	}
	// More than the balance: refused beside the field, the amount kept.
	list = b.get(pathPickup + "?semaine=" + weekPast)
	form.Set("key", payKey(t, list.Body, h.ID))
	form.Set("amount", "3")
	res = b.post(pathManne, form)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("overdraft: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	mustShow(t, res.Body, "Solde insuffisant : "+h.Name+" a 2,50 MANNE", `value="3"`, `aria-invalid="true"`)
	// An amount that does not read.
	for _, bad := range []string{"1,234", "-2", "deux", ""} {
		form.Set("amount", bad)
		res = b.post(pathManne, form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "field-error") {
			t.Errorf("amount %q: %d\n%s", bad, res.StatusCode, excerpt(res.Body))
		}
	}
	// Another relay point's household is not found here.
	if res := b.post(pathManne, url.Values{"week": {weekPast}, "household": {"relais-lens-f02"}, "amount": {"1"}, "key": {"web-x"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("paying for another relay's household: %d", res.StatusCode)
	}
	// The API's answer is the page's.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/manne/accounts/"+h.ID, nil)
	req.Header.Set("Authorization", "Bearer demo-relais-loos")
	api, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(api.Body)
	api.Body.Close()
	if api.StatusCode != 200 || !strings.Contains(string(raw), `"balance_cents":250`) {
		t.Errorf("API account: %d %s", api.StatusCode, raw)
	}
	if rep, err := e.st.ManneReport(ctx, time.Time{}, time.Time{}); err != nil || !rep.Balanced() {
		t.Errorf("ledger: %+v, %v", rep, err)
	}
}

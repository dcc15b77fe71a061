package api

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"paniers/models"
)

// transfer posts a transfer with an Idempotency-Key.
func (e *env) transfer(token, key string, body any) resp {
	e.t.Helper()
	return e.do(req{method: "POST", path: "/api/v1/manne/transfers", token: token, body: body, header: map[string]string{"Idempotency-Key": key}})
}

func TestManneTransfersAPI(t *testing.T) {
	e := newEnv(t)
	work := map[string]any{"from": "collectif", "to": "famille-martin", "amount_cents": 2500, "kind": "work", "memo": "Chantier du verger"}
	w := e.transfer(tokCoord, "k1", work).expect(t, 201)
	first := w.json(t)
	if first["amount_cents"] != 2500.0 || first["from"] != "collectif" || first["kind"] != "work" || w.Header().Get("Location") != "/api/v1/manne/transfers/"+first["id"].(string) {
		t.Fatalf("transfer answer %v, Location %q", first, w.Header().Get("Location"))
	}
	// A retry gets the first answer and pays nothing more.
	again := e.transfer(tokCoord, "k1", work).expect(t, 201)
	if again.Header().Get("Idempotent-Replayed") != "true" || again.Body.String() != w.Body.String() {
		t.Errorf("retry: %s %s", again.Header(), again.Body.String())
	}
	// The same key with another body is refused.
	other := map[string]any{"from": "collectif", "to": "famille-martin", "amount_cents": 2600, "kind": "work"}
	if f := e.transfer(tokCoord, "k1", other).expect(t, 422).problemFields(t); !slices.Equal(f, []string{"Idempotency-Key"}) {
		t.Errorf("key reused: fields %v", f)
	}
	// Without a key: refused, nothing posted.
	if f := e.do(req{method: "POST", path: "/api/v1/manne/transfers", token: tokCoord, body: work}).expect(t, 400).problemFields(t); !slices.Equal(f, []string{"Idempotency-Key"}) {
		t.Errorf("no key: fields %v", f)
	}
	acct := e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-martin", token: tokCoord}).expect(t, 200).json(t)
	if acct["balance_cents"] != 2500.0 || len(acct["items"].([]any)) != 1 {
		t.Fatalf("account after retries: %v", acct)
	}

	// Amounts: every wrong one names amount_cents, none is posted.
	for i, raw := range []string{"1.5", "1e3", `"10"`, "0", "-1", "10000001", "92233720368547758070", "1e400", "null", "true", "[1]"} {
		body := `{"from": "collectif", "to": "famille-martin", "amount_cents": ` + raw + `, "kind": "work"}`
		r := e.transfer(tokCoord, fmt.Sprintf("bad-%d", i), body)
		if r.Code != 400 && r.Code != 422 {
			t.Errorf("amount %s: status %d", raw, r.Code)
			continue
		}
		if f := r.problemFields(t); !slices.Contains(f, "amount_cents") {
			t.Errorf("amount %s: fields %v", raw, f)
		}
	}

	// A basket payment beyond the balance: 409 naming it.
	pay := map[string]any{"from": "famille-martin", "to": "collectif", "amount_cents": 2501, "kind": "basket"}
	r := e.transfer(tokRelayCentre, "p1", pay).expect(t, 409)
	p := r.json(t)
	if p["type"] != problemTypeBase+kindInsufficientFunds || p["balance_cents"] != 2500.0 || !strings.Contains(p["detail"].(string), "25,00 MANNE") {
		t.Errorf("insufficient funds problem: %v", p)
	}
	// English too.
	en := e.do(req{method: "POST", path: "/api/v1/manne/transfers?lang=en", token: tokRelayCentre, body: pay, header: map[string]string{"Idempotency-Key": "p1"}}).expect(t, 409).json(t)
	if !strings.Contains(en["detail"].(string), "holds 25.00 MANNE (2500 cents)") || en["title"] != "Insufficient funds" {
		t.Errorf("English problem: %v", en)
	}
	// The refusal was not remembered: the same key pays once the amount fits.
	pay["amount_cents"] = 1200
	e.transfer(tokRelayCentre, "p2", pay).expect(t, 201)

	// Who may post what.
	for i, c := range []struct {
		token  string
		body   map[string]any
		status int
		field  string
	}{
		{tokRelayNord, map[string]any{"from": "famille-martin", "to": "collectif", "amount_cents": 100, "kind": "basket"}, 403, "from"},
		{tokRelayCentre, map[string]any{"from": "collectif", "to": "famille-martin", "amount_cents": 100, "kind": "work"}, 403, "kind"},
		{tokRelayCentre, map[string]any{"from": "famille-martin", "to": "famille-nord", "amount_cents": 100, "kind": "correction"}, 403, "kind"},
		{tokCoord, map[string]any{"from": "collectif", "to": "famille-martin", "amount_cents": 100, "kind": "garden"}, 403, "kind"},
		{tokCoord, map[string]any{"from": "collectif", "to": "famille-martin", "amount_cents": 100, "kind": "basket"}, 422, "kind"},
		{tokCoord, map[string]any{"from": "collectif", "to": "personne", "amount_cents": 100, "kind": "work"}, 422, "to"},
		{tokCoord, map[string]any{"from": "collectif", "to": "famille-martin", "amount_cents": 100, "kind": "gift"}, 422, "kind"},
		{tokCoord, map[string]any{"to": "famille-martin", "amount_cents": 100, "kind": "work"}, 422, "from"},
	} {
		r := e.transfer(c.token, fmt.Sprintf("who-%d", i), c.body).expect(t, c.status)
		if f := r.problemFields(t); !slices.Contains(f, c.field) {
			t.Errorf("%s %v: fields %v, want %s", c.token, c.body, f, c.field)
		}
	}
	e.do(req{method: "POST", path: "/api/v1/manne/transfers", token: tokFarmerA, body: pay, header: map[string]string{"Idempotency-Key": "f"}}).expect(t, 403)

	// Reading: the relay manager its own households' accounts only.
	e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-martin", token: tokRelayCentre}).expect(t, 200)
	// Another relay point's household: as unknown (404), not 403.
	e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-martin", token: tokRelayNord}).expect(t, 404)
	e.do(req{method: "GET", path: "/api/v1/manne/accounts/collectif", token: tokRelayCentre}).expect(t, 403)
	e.do(req{method: "GET", path: "/api/v1/manne/accounts/personne", token: tokCoord}).expect(t, 404)
	nord := e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-nord", token: tokRelayNord}).expect(t, 200).json(t)
	if nord["balance_cents"] != 0.0 || len(nord["items"].([]any)) != 0 {
		t.Errorf("account without transfers: %v", nord)
	}
	list := e.do(req{method: "GET", path: "/api/v1/manne/accounts?limit=1", token: tokCoord}).expect(t, 200).json(t)
	if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != "collectif" || list["next"] == nil {
		t.Errorf("accounts page: %v", list)
	}
	if f := e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-martin?from=2026-13-01", token: tokCoord}).expect(t, 400).problemFields(t); !slices.Equal(f, []string{"from"}) {
		t.Errorf("bad from: %v", f)
	}
	tr := e.do(req{method: "GET", path: w.Header().Get("Location"), token: tokRelayCentre}).expect(t, 200)
	if tr.Body.String() != w.Body.String() {
		t.Errorf("transfer read back %s, posted %s", tr.Body.String(), w.Body.String())
	}
	e.do(req{method: "GET", path: w.Header().Get("Location"), token: tokRelayNord}).expect(t, 403)

	// The report sums to zero.
	rep := e.do(req{method: "GET", path: "/api/v1/manne/report", token: tokCoord}).expect(t, 200).json(t)
	if rep["issued_cents"] != 2500.0 || rep["spent_cents"] != 1200.0 || rep["circulation_cents"] != 1300.0 || rep["sum_of_balances_cents"] != 0.0 ||
		rep["check"].(map[string]any)["ok"] != true {
		t.Errorf("report: %v", rep)
	}
	e.do(req{method: "GET", path: "/api/v1/manne/report?month=2026-13", token: tokCoord}).expect(t, 400)
	month := e.do(req{method: "GET", path: "/api/v1/manne/report?month=2020-01", token: tokCoord}).expect(t, 200).json(t)
	if month["issued_cents"] != 0.0 || month["month"] != "2020-01" {
		t.Errorf("report of an empty month: %v", month)
	}
	csv := e.do(req{method: "GET", path: "/api/v1/manne/report.csv", token: tokCoord}).expect(t, 200)
	if body := csv.Body.String(); !strings.Contains(body, "travail coopératif,25.00,0.00") || !strings.Contains(body, "Somme des soldes,0.00") {
		t.Errorf("report CSV:\n%s", body)
	}
}

func TestManneStatements(t *testing.T) {
	e := newEnv(t)
	e.transfer(tokCoord, "w1", map[string]any{"from": "collectif", "to": "famille-martin", "amount_cents": 1999, "kind": "work", "memo": "=cmd|' /C calc'!A0"}).expect(t, 201)
	e.transfer(tokRelayCentre, "b1", map[string]any{"from": "famille-martin", "to": "collectif", "amount_cents": 1250, "kind": "basket", "memo": "Panier moyen, Łukasz"}).expect(t, 201)

	w := e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-martin/statement.csv", token: tokRelayCentre}).expect(t, 200)
	body := w.Body.String()
	for _, want := range []string{"travail coopératif", "'=cmd", "19.99", "-12.50", "7.49", "Solde à la fin"} {
		if !strings.Contains(body, want) {
			t.Errorf("statement CSV lacks %q:\n%s", want, body)
		}
	}
	if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, "releve-manne_famille-martin.csv") {
		t.Errorf("Content-Disposition %q", cd)
	}
	e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-martin/statement.csv", token: tokRelayNord}).expect(t, 404)
	e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-martin/statement.txt", token: tokCoord}).expect(t, 404)
	e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-martin/statement.csv?from=2026-12-02&to=2026-12-01", token: tokCoord}).expect(t, 400)
	// A period before everything has nothing but a zero balance.
	empty := e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-martin/statement.csv?to=2020-01-01&lang=en", token: tokCoord}).expect(t, 200).Body.String()
	if strings.Contains(empty, "cooperative work") || !strings.Contains(empty, "Closing balance") {
		t.Errorf("empty period statement:\n%s", empty)
	}

	// The household's export (GDPR right of access) holds its account.
	x := e.do(req{method: "GET", path: "/api/v1/sites/relais-centre/households/famille-martin/export", token: tokCoord}).expect(t, 200).json(t)
	if m := x["manne"].(map[string]any); m["balance_cents"] != 749.0 || len(m["entries"].([]any)) != 2 {
		t.Errorf("export's MANNE: %v", m)
	}

	pdf := e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-martin/statement.pdf", token: tokCoord}).expect(t, 200)
	if pdf.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("content type %q", pdf.Header().Get("Content-Type"))
	}
	text := pdfText(t, pdf.Body.Bytes())
	for _, want := range []string{"Relevé de compte MANNE", "Famille Martin", "Relais du centre", "+19,99 MANNE", "-12,50 MANNE", "7,49 MANNE", "Łukasz"} {
		if !strings.Contains(text, want) {
			t.Errorf("statement PDF lacks %q:\n%s", want, text)
		}
	}
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils), or skips.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestManneGardenLender sets a garden's lender through the API, publishes
// the week and finds the credit on the lender's account.
func TestManneGardenLender(t *testing.T) {
	e := newPlanEnv(t)
	ctx := context.Background()
	garden := `{"id": "jardin-martin", "name": "Jardin des Martin", "kind": "garden", "lat": 50.44, "lon": 2.82, "window": ["09:00", "12:00"], "lender": "famille-martin"}`
	g := e.do(req{method: "POST", path: "/api/v1/producers", token: tokCoord, body: garden}).expect(t, 201).json(t)
	if g["lender"] != "famille-martin" {
		t.Fatalf("garden %v", g)
	}
	// The lender is personal: other roles do not see it.
	if got := e.do(req{method: "GET", path: "/api/v1/producers/jardin-martin", token: tokFarmerA}).expect(t, 200).json(t); got["lender"] != nil {
		t.Errorf("a farmer sees the lender: %v", got)
	}
	farm := `{"name": "Ferme A", "lat": 50.47, "lon": 2.75, "window": ["13:00", "18:00"], "lender": "famille-martin"}`
	if f := e.do(req{method: "PUT", path: "/api/v1/producers/ferme-a", token: tokCoord, body: farm}).expect(t, 422).problemFields(t); !slices.Equal(f, []string{"lender"}) {
		t.Errorf("farm with a lender: %v", f)
	}
	bad := strings.Replace(garden, `"famille-martin"`, `"personne"`, 1)
	bad = strings.Replace(bad, `"id": "jardin-martin", `, "", 1)
	if f := e.do(req{method: "PUT", path: "/api/v1/producers/jardin-martin", token: tokCoord, body: bad}).expect(t, 422).problemFields(t); !slices.Equal(f, []string{"lender"}) {
		t.Errorf("unknown lender: %v", f)
	}
	if _, err := e.st.PutOffer(ctx, &models.Offer{WeekID: openWeek, ProducerID: "jardin-martin", ProductID: "pomme", Quantity: 30, PriceCents: 220}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.CreateOrder(ctx, &models.Order{ID: "centre-pommes", WeekID: openWeek, SiteID: "relais-centre", Class: "extra", ProductID: ptr("pomme"), Quantity: 500}); err != nil {
		t.Fatal(err)
	}
	e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/plan", token: tokCoord}).expect(t, 201)
	e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/publish", token: tokCoord}).expect(t, 200)
	acct := e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-martin", token: tokRelayCentre}).expect(t, 200).json(t)
	items := acct["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["kind"] != "garden" || acct["balance_cents"] != 30.0*220 {
		t.Fatalf("lender's account after publication: %v", acct)
	}
	// Publishing again credits nothing.
	e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/publish", token: tokCoord}).expect(t, 200)
	if again := e.do(req{method: "GET", path: "/api/v1/manne/accounts/famille-martin", token: tokCoord}).expect(t, 200).json(t); again["entry_count"] != 1.0 {
		t.Errorf("after publishing again: %v", again)
	}
}

package models_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"sync"
	"testing"
	"time"

	"paniers/models"
	"paniers/planner"
)

// zeroTime does not bound a period.
var zeroTime time.Time

// manneWorld is the test world with two households at relais-a and one at
// relais-b.
func manneWorld(t testing.TB, backend string) (*models.Store, *testClock) {
	t.Helper()
	st, clock := world(t, backend)
	ctx := context.Background()
	for _, h := range []models.Household{
		{ID: "martin", SiteID: "relais-a", Name: "Famille Martin"},
		{ID: "nowak", SiteID: "relais-a", Name: "Famille Nowak"},
		{ID: "dupont", SiteID: "relais-b", Name: "Famille Dupont"},
	} {
		must(t, st.CreateHousehold(ctx, &h))
	}
	return st, clock
}

// post posts a transfer or fails.
func post(t testing.TB, st *models.Store, from, to string, cents int64, kind string) models.Transfer {
	t.Helper()
	tr, err := st.PostTransfer(context.Background(), models.TransferInput{From: from, To: to, AmountCents: cents, Kind: kind, Memo: "test"})
	if err != nil {
		t.Fatalf("transfer %s -> %s %d %s: %v", from, to, cents, kind, err)
	}
	return tr
}

// checkLedger fails unless the report's checks pass.
func checkLedger(t testing.TB, st *models.Store) models.ManneReport {
	t.Helper()
	rep, err := st.ManneReport(context.Background(), zeroTime, zeroTime)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Balanced() {
		t.Fatalf("ledger not balanced: %+v", rep)
	}
	return rep
}

func balance(t testing.TB, st *models.Store, id string) int64 {
	t.Helper()
	a, err := st.GetAccount(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a.BalanceCents
}

func TestManneTransfers(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := manneWorld(t, b)
			if got := balance(t, st, "martin"); got != 0 {
				t.Fatalf("new household balance %d", got)
			}
			post(t, st, models.AccountCollectif, "martin", 1500, models.TransferWork)
			pay := post(t, st, "martin", models.AccountCollectif, 400, models.TransferBasket)
			if pay.FromBalanceCents != 1100 || pay.ToBalanceCents != -1100 {
				t.Errorf("balances after payment = %d, %d; want 1100, -1100", pay.FromBalanceCents, pay.ToBalanceCents)
			}
			post(t, st, "martin", "nowak", 100, models.TransferCorrection)

			_, err := st.PostTransfer(ctx, models.TransferInput{From: "martin", To: models.AccountCollectif, AmountCents: 1001, Kind: models.TransferBasket})
			var short *models.InsufficientFundsError
			if !errors.As(err, &short) || short.BalanceCents != 1000 || short.AmountCents != 1001 || !errors.Is(err, models.ErrInsufficientFunds) {
				t.Fatalf("overdraft: err = %v, want insufficient funds with balance 1000", err)
			}
			// A household with nothing cannot pay, nor can one with no
			// account yet.
			if _, err := st.PostTransfer(ctx, models.TransferInput{From: "dupont", To: models.AccountCollectif, AmountCents: 1, Kind: models.TransferBasket}); !errors.Is(err, models.ErrInsufficientFunds) {
				t.Fatalf("payment from an empty account: %v", err)
			}

			for _, c := range []struct {
				in     models.TransferInput
				fields []string
			}{
				{models.TransferInput{From: "collectif", To: "martin", AmountCents: 0, Kind: "work"}, []string{"amount_cents"}},
				{models.TransferInput{From: "collectif", To: "martin", AmountCents: -5, Kind: "work"}, []string{"amount_cents"}},
				{models.TransferInput{From: "collectif", To: "martin", AmountCents: models.MaxTransferCents + 1, Kind: "work"}, []string{"amount_cents"}},
				{models.TransferInput{From: "collectif", To: "martin", AmountCents: 5, Kind: "gift"}, []string{"kind"}},
				{models.TransferInput{From: "martin", To: "collectif", AmountCents: 5, Kind: "work"}, []string{"kind"}},
				{models.TransferInput{From: "collectif", To: "martin", AmountCents: 5, Kind: "basket"}, []string{"kind"}},
				{models.TransferInput{From: "martin", To: "martin", AmountCents: 5, Kind: "correction"}, []string{"to"}},
				{models.TransferInput{From: "collectif", To: "Bad Id", AmountCents: 5, Kind: "work"}, []string{"to"}},
				{models.TransferInput{From: "collectif", To: "personne", AmountCents: 5, Kind: "work"}, []string{"to"}},
				{models.TransferInput{From: "personne", To: "collectif", AmountCents: 5, Kind: "basket"}, []string{"from"}},
				{models.TransferInput{From: "collectif", To: "martin", AmountCents: 5, Kind: "work", Memo: "a\x00b"}, []string{"memo"}},
			} {
				_, err := st.PostTransfer(ctx, c.in)
				if got := fieldsOf(t, err); !slices.Equal(got, c.fields) {
					t.Errorf("%+v: fields %v, want %v", c.in, got, c.fields)
				}
			}

			rep := checkLedger(t, st)
			if rep.IssuedCents != 1500 || rep.SpentCents != 400 || rep.CirculationCents != 1100 {
				t.Errorf("report issued %d spent %d circulation %d; want 1500 400 1100", rep.IssuedCents, rep.SpentCents, rep.CirculationCents)
			}
			for _, k := range rep.ByKind {
				if k.Kind == models.TransferCorrection && (k.BetweenCents != 100 || k.TransferCount != 1) {
					t.Errorf("corrections %+v, want 100 between households", k)
				}
			}
			if got := []int64{balance(t, st, "martin"), balance(t, st, "nowak"), balance(t, st, models.AccountCollectif)}; !slices.Equal(got, []int64{1000, 100, -1100}) {
				t.Errorf("balances %v", got)
			}
			entries, err := st.ListEntries(ctx, "martin", models.EntryFilter{}, models.Page{Limit: 2})
			if err != nil || len(entries) != 2 || entries[0].AmountCents != -100 || entries[0].Counterparty != "nowak" || entries[0].BalanceCents != 1000 {
				t.Errorf("latest entries = %+v, %v", entries, err)
			}
			if _, err := st.ListEntries(ctx, "personne", models.EntryFilter{}, models.Page{}); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("entries of no account: %v", err)
			}
			accts, err := st.ListAccounts(ctx, "", models.Page{})
			if err != nil || len(accts) != 3 || accts[0].ID != "collectif" || accts[1].ID != "martin" || accts[1].Entries != 3 {
				t.Errorf("accounts = %+v, %v", accts, err)
			}
			if accts, _ := st.ListAccounts(ctx, "relais-b", models.Page{}); len(accts) != 0 {
				t.Errorf("relais-b accounts = %+v", accts)
			}
			stmt, err := st.AccountStatement(ctx, "martin", zeroTime, zeroTime)
			if err != nil || stmt.OpeningCents != 0 || stmt.ClosingCents != 1000 || stmt.CreditsCents != 1500 || stmt.DebitsCents != 500 || len(stmt.Entries) != 3 {
				t.Errorf("statement = %+v, %v", stmt, err)
			}
			// No household may take the collectif's id.
			err = st.CreateHousehold(ctx, &models.Household{ID: models.AccountCollectif, SiteID: "relais-a", Name: "X"})
			if got := fieldsOf(t, err); !slices.Equal(got, []string{"id"}) {
				t.Errorf("household collectif: %v", got)
			}
		})
	}
}

// TestMannePaymentsConcurrent spends from one account with 30 payments at
// once: exactly what the balance allows goes through, whatever the backend.
func TestMannePaymentsConcurrent(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := manneWorld(t, b)
			post(t, st, models.AccountCollectif, "martin", 1000, models.TransferWork)
			const n = 30
			var wg sync.WaitGroup
			var mu sync.Mutex
			ok, short := 0, 0
			var other []error
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					// Payments of 70 cents from martin, and moves between
					// households both ways, so locks are taken in every order.
					in := models.TransferInput{From: "martin", To: models.AccountCollectif, AmountCents: 70, Kind: models.TransferBasket}
					if i%5 == 4 {
						in = models.TransferInput{From: "nowak", To: "martin", AmountCents: 1, Kind: models.TransferCorrection}
					}
					_, err := st.PostTransfer(ctx, in)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil && in.Kind == models.TransferBasket:
						ok++
					case errors.Is(err, models.ErrInsufficientFunds):
						if in.Kind == models.TransferBasket {
							short++
						}
					case err != nil:
						other = append(other, err)
					}
				}()
			}
			close(start)
			wg.Wait()
			if len(other) > 0 {
				t.Fatalf("unexpected errors: %v", other)
			}
			// 24 payments of 70 against 1000 cents (nowak has nothing to give):
			// 14 pass (980), 10 are refused.
			if ok != 14 || short != 10 {
				t.Errorf("%d payments passed, %d refused; want 14 and 10", ok, short)
			}
			if got := balance(t, st, "martin"); got != 20 {
				t.Errorf("balance %d, want 20", got)
			}
			checkLedger(t, st)
		})
	}
}

// gardenWorld adds a garden lent by martin with offers in testWeek, and
// returns a plan selling some of them.
func gardenWorld(t testing.TB, backend string) (*models.Store, planner.Plan) {
	t.Helper()
	ctx := context.Background()
	st, _ := manneWorld(t, backend)
	g := models.Producer{ID: "jardin-martin", Name: "Jardin des Martin", Kind: models.ProducerGarden, Lat: 50.46, Lon: 2.79,
		WindowStart: "09:00", WindowEnd: "12:00", LenderID: str("martin")}
	must(t, st.CreateProducer(ctx, &g))
	for _, o := range []models.Offer{
		{WeekID: testWeek, ProducerID: "jardin-martin", ProductID: "carotte", Quantity: 20, PriceCents: 250},
		{WeekID: testWeek, ProducerID: "jardin-martin", ProductID: "potimarron", Quantity: 5, PriceCents: 300},
		{WeekID: testWeek, ProducerID: "ferme-a", ProductID: "carotte", Quantity: 50, PriceCents: 200},
	} {
		if _, err := st.PutOffer(ctx, &o); err != nil {
			t.Fatal(err)
		}
	}
	plan := planner.Plan{Week: testWeek, Allocations: []planner.Allocation{
		{Order: "o1", Producer: "jardin-martin", Product: "carotte", Quantity: 2.3},
		{Order: "o2", Producer: "jardin-martin", Product: "carotte", Quantity: 1.001},
		{Order: "o1", Producer: "jardin-martin", Product: "potimarron", Quantity: 2},
		{Order: "o1", Producer: "ferme-a", Product: "carotte", Quantity: 10},
	}}
	return st, plan
}

// publish saves plan as a new version and publishes it at rate.
func publish(t testing.TB, st *models.Store, plan planner.Plan, rate models.ManneRate) []models.GardenCredit {
	t.Helper()
	ctx := context.Background()
	sp, err := st.SavePlanVersion(ctx, testWeek, plan, models.PlanInput{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, credits, err := st.PublishVersion(ctx, testWeek, sp.Version, rate)
	if err != nil {
		t.Fatal(err)
	}
	return credits
}

func TestManneGardenCredits(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, plan := gardenWorld(t, b)
			// 3.301 kg × 2.50 € = 8.2525 € -> 825 cents (half up), plus
			// 2 × 3.00 €: 1425 cents; at 1.5 MANNE per euro, 2137.5 -> 2138.
			credits := publish(t, st, plan, 1_500_000)
			if len(credits) != 1 || credits[0].ValueCents != 1425 || credits[0].Transfer.AmountCents != 2138 ||
				credits[0].Transfer.Kind != models.TransferGarden || credits[0].Lender != "martin" {
				t.Fatalf("credits = %+v", credits)
			}
			if got := balance(t, st, "martin"); got != 2138 {
				t.Fatalf("lender balance %d", got)
			}
			// The same plan published again credits nothing.
			sp, _ := st.CurrentPlan(ctx, testWeek)
			if _, again, err := st.PublishVersion(ctx, testWeek, sp.Version, 1_500_000); err != nil || len(again) != 0 {
				t.Fatalf("publishing again: %+v, %v", again, err)
			}
			// A re-plan selling fewer carrots takes the difference back.
			plan.Allocations = plan.Allocations[2:]
			credits = publish(t, st, plan, 1_500_000)
			if len(credits) != 1 || credits[0].Transfer.Kind != models.TransferCorrection || credits[0].Transfer.From != "martin" || credits[0].Transfer.AmountCents != 2138-900 {
				t.Fatalf("re-plan credits = %+v", credits)
			}
			if got := balance(t, st, "martin"); got != 900 {
				t.Fatalf("lender balance after re-plan %d", got)
			}
			// martin spends it all; a re-plan selling nothing cannot take
			// back what is gone, and the rest is taken when it can be.
			post(t, st, "martin", models.AccountCollectif, 700, models.TransferBasket)
			credits = publish(t, st, planner.Plan{Week: testWeek}, 1_500_000)
			if len(credits) != 1 || credits[0].Transfer.AmountCents != 200 || balance(t, st, "martin") != 0 {
				t.Fatalf("re-plan selling nothing: %+v, balance %d", credits, balance(t, st, "martin"))
			}
			post(t, st, models.AccountCollectif, "martin", 1000, models.TransferWork)
			credits = publish(t, st, planner.Plan{Week: testWeek}, 1_500_000)
			if len(credits) != 1 || credits[0].Transfer.AmountCents != 700 || balance(t, st, "martin") != 300 {
				t.Fatalf("taking the rest back: %+v, balance %d", credits, balance(t, st, "martin"))
			}
			// A new lender gets the garden's credit; nothing more is taken
			// from the old one, who owes nothing now.
			g, _ := st.GetProducer(ctx, "jardin-martin")
			g.LenderID = str("nowak")
			must(t, st.UpdateProducer(ctx, &g))
			credits = publish(t, st, plan, 1_000_000)
			if len(credits) != 1 || credits[0].Lender != "nowak" || credits[0].Transfer.AmountCents != 600 || credits[0].Transfer.Kind != models.TransferGarden {
				t.Fatalf("new lender: %+v", credits)
			}
			checkLedger(t, st)

			// A lender must be a household, and only gardens have one.
			g.LenderID = str("personne")
			if got := fieldsOf(t, st.UpdateProducer(ctx, &g)); !slices.Equal(got, []string{"lender"}) {
				t.Errorf("unknown lender: %v", got)
			}
			f, _ := st.GetProducer(ctx, "ferme-a")
			f.LenderID = str("martin")
			if got := fieldsOf(t, st.UpdateProducer(ctx, &f)); !slices.Equal(got, []string{"lender"}) {
				t.Errorf("farm lender: %v", got)
			}
		})
	}
}

func TestManneErasureKeepsLedger(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, plan := gardenWorld(t, b)
			publish(t, st, plan, 0)
			post(t, st, "martin", models.AccountCollectif, 300, models.TransferBasket)
			before := checkLedger(t, st)
			anon, err := st.EraseHousehold(ctx, "martin")
			if err != nil {
				t.Fatal(err)
			}
			after := checkLedger(t, st)
			if after.IssuedCents != before.IssuedCents || after.SpentCents != before.SpentCents || after.AccountsChecked != before.AccountsChecked {
				t.Errorf("report changed by the erasure: %+v -> %+v", before, after)
			}
			if _, err := st.GetAccount(ctx, "martin"); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("old account id still answers: %v", err)
			}
			a, err := st.GetAccount(ctx, anon.ID)
			if err != nil || !a.Anonymised || a.BalanceCents != 1425-300 || a.Entries != 2 {
				t.Errorf("anonymised account = %+v, %v", a, err)
			}
			entries, _ := st.ListEntries(ctx, anon.ID, models.EntryFilter{}, models.Page{})
			for _, e := range entries {
				if e.Memo != "" {
					t.Errorf("memo kept after erasure: %q", e.Memo)
				}
			}
			g, _ := st.GetProducer(ctx, "jardin-martin")
			if g.LenderID == nil || *g.LenderID != anon.ID {
				t.Errorf("garden lender after erasure = %v", g.LenderID)
			}
			// The anonymised household still pays and earns.
			post(t, st, anon.ID, models.AccountCollectif, 5, models.TransferBasket)
			publish(t, st, plan, 2_000_000)
			if got := balance(t, st, anon.ID); got != 1425*2-305 {
				t.Errorf("balance after a new rate %d", got)
			}
			checkLedger(t, st)
		})
	}
}

func TestManneStatementPeriods(t *testing.T) {
	ctx := context.Background()
	st, clock := manneWorld(t, "sqlite")
	start := clock.t
	for i := range 5 {
		clock.t = start.AddDate(0, 0, i*10)
		post(t, st, models.AccountCollectif, "martin", int64(100*(i+1)), models.TransferWork)
	}
	from, to := start.AddDate(0, 0, 10), start.AddDate(0, 0, 30)
	stmt, err := st.AccountStatement(ctx, "martin", from, to)
	if err != nil || stmt.OpeningCents != 100 || stmt.ClosingCents != 600 || len(stmt.Entries) != 2 {
		t.Fatalf("statement = %+v, %v", stmt, err)
	}
	rep, err := st.ManneReport(ctx, from, to)
	if err != nil || rep.IssuedCents != 500 || rep.CirculationCents != 600 || rep.SumOfBalancesCents != 0 {
		t.Fatalf("report = %+v, %v", rep, err)
	}
	for i := range 3 {
		if _, err := st.GetTransfer(ctx, uint64(i+1)); err != nil {
			t.Error(err)
		}
	}
	if _, err := st.GetTransfer(ctx, 99); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("transfer 99: %v", err)
	}
}

// TestManneRandomSequences posts random sequences of transfers (credits,
// payments that may exceed the balance, corrections between households,
// invalid amounts) and checks each answer against a model of the ledger
// kept in memory: a transfer is accepted exactly when the model allows it,
// and after every step the balances are the model's, sum to zero and none is
// negative.
func TestManneRandomSequences(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := manneWorld(t, b)
			seed := time.Now().UnixNano()
			rng := rand.New(rand.NewSource(seed))
			t.Logf("seed %d", seed)
			homes := []string{"martin", "nowak", "dupont"}
			model := map[string]int64{models.AccountCollectif: 0}
			steps := 300
			if b == "postgres" {
				steps = 120
			}
			for step := range steps {
				from, to := homes[rng.Intn(3)], homes[rng.Intn(3)]
				in := models.TransferInput{AmountCents: int64(1 + rng.Intn(3000)), Memo: fmt.Sprint(step)}
				switch p := rng.Intn(10); {
				case p < 3:
					in.From, in.To, in.Kind = models.AccountCollectif, to, models.TransferWork
				case p < 7:
					in.From, in.To, in.Kind = from, models.AccountCollectif, models.TransferBasket
				case p < 9:
					in.From, in.To, in.Kind = from, to, models.TransferCorrection
				default:
					in.From, in.To, in.Kind = from, models.AccountCollectif, models.TransferBasket
					in.AmountCents = []int64{0, -1, models.MaxTransferCents + 1}[rng.Intn(3)]
				}
				valid := in.AmountCents >= 1 && in.AmountCents <= models.MaxTransferCents && in.From != in.To
				allowed := valid && (in.From == models.AccountCollectif || model[in.From] >= in.AmountCents)
				tr, err := st.PostTransfer(ctx, in)
				switch {
				case allowed && err != nil:
					t.Fatalf("step %d: %+v refused: %v (model balance %d)", step, in, err, model[in.From])
				case !allowed && err == nil:
					t.Fatalf("step %d: %+v accepted (model balance %d)", step, in, model[in.From])
				case !valid && !errors.Is(err, models.ErrInvalid):
					t.Fatalf("step %d: %+v: err %v, want invalid", step, in, err)
				case valid && !allowed && !errors.Is(err, models.ErrInsufficientFunds):
					t.Fatalf("step %d: %+v: err %v, want insufficient funds", step, in, err)
				}
				if allowed {
					model[in.From] -= in.AmountCents
					model[in.To] += in.AmountCents
					if tr.FromBalanceCents != model[in.From] || tr.ToBalanceCents != model[in.To] {
						t.Fatalf("step %d: balances after %d, %d; model %d, %d", step, tr.FromBalanceCents, tr.ToBalanceCents, model[in.From], model[in.To])
					}
				}
				if step%50 == 0 || step == steps-1 {
					var sum int64
					for id, want := range model {
						if got := balance(t, st, id); got != want {
							t.Fatalf("step %d: %s balance %d, model %d", step, id, got, want)
						}
						sum += want
					}
					if sum != 0 {
						t.Fatalf("model sum %d", sum)
					}
					checkLedger(t, st)
				}
			}
		})
	}
}

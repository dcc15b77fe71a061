package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"paniers/models"
)

// manneSent is one transfer a client of TestManneKillWhileTransferring
// sent, with its Idempotency-Key (also its memo, so the stored transfer is
// found again) and what the service answered.
type manneSent struct {
	key  string
	body map[string]any
	// state: "acked" (201), "refused" (409 insufficient funds), or
	// "unknown" (no answer: the service was killed).
	state string
	id    string // the acknowledged transfer's id
}

// manneLedger is what the clients sent, by key.
type manneLedger struct {
	mu   sync.Mutex
	sent map[string]*manneSent
	// odd is the first answer that was neither 201, 409 nor a failure of
	// the killed service.
	odd string
	// retried counts the transfers sent again after a kill, replayed those
	// whose retry got the first (committed) answer back.
	retried, replayed int
}

// TestManneKillWhileTransferring posts random sequences of MANNE transfers
// (work credits, basket payments that may exceed the balance, corrections
// between households) from concurrent clients to `paniers serve`, a real
// child process, and kills it (SIGKILL) at random moments. After each kill
// it checks the database: every acknowledged transfer is there as sent,
// once; no refused one is; nothing is there that was never sent; the
// balances sum to zero, each equals the sum of its entries, none is
// negative. Then the service restarts on the same database and every
// transfer left without an answer is sent again with its key: it is either
// replayed (it had committed) or judged afresh, never posted twice.
//
// Under PANIERS_TEST_PG the same runs on PostgreSQL (a schema of its own).
func TestManneKillWhileTransferring(t *testing.T) {
	f := newBinaryFixture(t, "kills it")
	db, rng := f.db, f.rng

	homes := []string{"relais-loos-f01", "relais-loos-f02", "relais-loos-f03", "relais-loos-f04", "relais-loos-f05"}
	l := &manneLedger{sent: map[string]*manneSent{}}
	c := f.start()
	const rounds = 4
	for round := 1; round <= rounds; round++ {
		// Retry, with the same key and body, what the last kill left
		// without an answer.
		l.retry(c.addr)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for client := range 6 {
			crng := rand.New(rand.NewSource(rng.Int63()))
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; ; n++ {
					s := &manneSent{key: fmt.Sprintf("r%d-c%d-t%d", round, client, n), state: "unknown"}
					from, to := homes[crng.Intn(len(homes))], homes[crng.Intn(len(homes))]
					amount := 1 + crng.Intn(2500)
					switch p := crng.Intn(10); {
					case p < 4:
						s.body = map[string]any{"from": "collectif", "to": to, "amount_cents": amount, "kind": "work"}
					case p < 8:
						s.body = map[string]any{"from": from, "to": "collectif", "amount_cents": amount, "kind": "basket"}
					default:
						if from == to {
							to = homes[(crng.Intn(len(homes)-1)+1+indexOf(homes, from))%len(homes)]
						}
						s.body = map[string]any{"from": from, "to": to, "amount_cents": amount, "kind": "correction"}
					}
					s.body["memo"] = s.key
					l.mu.Lock()
					l.sent[s.key] = s
					l.mu.Unlock()
					if !l.send(c.addr, s) {
						return
					}
					select {
					case <-stop:
						return
					default:
					}
				}
			}()
		}
		time.Sleep(time.Duration(200+rng.Intn(800)) * time.Millisecond)
		c.kill()
		close(stop)
		wg.Wait()
		checkLedgerAfterKill(t, db, l)
		c = f.start()
	}
	l.retry(c.addr)
	c.kill()
	checkLedgerAfterKill(t, db, l)
	acked, refused := 0, 0
	for _, s := range l.sent {
		switch s.state {
		case "acked":
			acked++
		case "refused":
			refused++
		}
	}
	if acked < 50 || refused == 0 {
		t.Errorf("%d transfers acknowledged, %d refused over %d rounds: the test proves little", acked, refused, rounds)
	}
	t.Logf("%d transfers sent, %d acknowledged, %d refused for insufficient funds; %d unanswered sent again after a kill; %d answers replayed (acknowledged ones sent again after a restart, or unanswered ones that had committed)",
		len(l.sent), acked, refused, l.retried, l.replayed)
}

// sentKey matches the keys (and memos) of the test's transfers.
var sentKey = regexp.MustCompile(`^r[0-9]+-c[0-9]+-t[0-9]+$`)

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// unanswered returns the transfers left without an answer.
func (l *manneLedger) unanswered() []*manneSent {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []*manneSent
	for _, s := range l.sent {
		if s.state == "unknown" {
			out = append(out, s)
		}
	}
	return out
}

// retry sends again, with the same key and body, what the last kill left
// without an answer, and a few acknowledged transfers, which must come back
// replayed with the same id.
func (l *manneLedger) retry(addr string) {
	for _, s := range l.unanswered() {
		l.mu.Lock()
		l.retried++
		l.mu.Unlock()
		l.send(addr, s)
	}
	l.mu.Lock()
	var acked []*manneSent
	for _, s := range l.sent {
		if s.state == "acked" && len(acked) < 10 {
			acked = append(acked, s)
		}
	}
	l.mu.Unlock()
	for _, s := range acked {
		id := s.id
		l.mu.Lock()
		before := l.replayed
		l.mu.Unlock()
		l.send(addr, s)
		l.mu.Lock()
		if s.id != id || l.replayed != before+1 {
			l.oddAnswer(fmt.Sprintf("%s: sent again after a restart: id %s (first %s), replayed %v", s.key, s.id, id, l.replayed != before))
		}
		l.mu.Unlock()
	}
}

// send posts one transfer as the coordinator (basket payments of relais-loos
// households as its relay manager) and records the answer; false when the
// service did not answer.
func (l *manneLedger) send(addr string, s *manneSent) bool {
	b, _ := json.Marshal(s.body)
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/manne/transfers", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	token := models.DemoCoordinatorToken
	if s.body["kind"] == "basket" {
		token = "demo-relais-loos"
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", s.key)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch resp.StatusCode {
	case http.StatusCreated:
		var tr struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(raw, &tr); err != nil || tr.ID == "" {
			l.oddAnswer(fmt.Sprintf("%s: 201 without an id: %s", s.key, raw))
		}
		s.state, s.id = "acked", tr.ID
		if resp.Header.Get("Idempotent-Replayed") == "true" {
			l.replayed++
		}
	case http.StatusConflict:
		s.state = "refused"
	default:
		l.oddAnswer(fmt.Sprintf("%s: %d %s", s.key, resp.StatusCode, raw))
	}
	return true
}

func (l *manneLedger) oddAnswer(msg string) {
	if l.odd == "" {
		l.odd = msg
	}
}

// checkLedgerAfterKill opens the database a killed service left and checks
// the ledger against what was sent.
func checkLedgerAfterKill(t *testing.T, db string, l *manneLedger) {
	t.Helper()
	ctx := context.Background()
	st, err := models.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rep, err := st.ManneReport(ctx, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Balanced() {
		t.Fatalf("ledger check failed after a kill: sum %d, mismatches %+v, unbalanced %d, negative %d",
			rep.SumOfBalancesCents, rep.Mismatches, rep.UnbalancedTransfers, rep.NegativeHouseholds)
	}
	// Every transfer stored, by memo (the key), read through the
	// collectif's and the households' entries.
	stored := map[string]models.Transfer{}
	accounts, err := st.ListAccounts(ctx, "", models.Page{Limit: models.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		for off := 0; ; off += models.MaxLimit {
			page, err := st.ListEntries(ctx, a.ID, models.EntryFilter{Oldest: true}, models.Page{Limit: models.MaxLimit, Offset: off})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				if e.AmountCents > 0 || !sentKey.MatchString(e.Memo) {
					continue // each transfer once, by its debit; not the demo's own
				}
				if prev, dup := stored[e.Memo]; dup && prev.Seq != e.TransferSeq {
					t.Errorf("transfer %s stored twice (%d and %d)", e.Memo, prev.Seq, e.TransferSeq)
				}
				stored[e.Memo] = models.Transfer{Seq: e.TransferSeq, From: a.ID, To: e.Counterparty, AmountCents: -e.AmountCents, Kind: e.Kind}
			}
			if len(page) < models.MaxLimit {
				break
			}
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.odd != "" {
		t.Errorf("unexpected answer: %s", l.odd)
	}
	for key, s := range l.sent {
		tr, ok := stored[key]
		switch {
		case !ok && s.state == "acked":
			t.Errorf("acknowledged transfer %s (id %s) is lost", key, s.id)
		case ok && s.state == "refused":
			t.Errorf("transfer %s was refused (409) but is stored", key)
		case ok && (tr.From != s.body["from"] || tr.To != s.body["to"] || tr.AmountCents != int64(s.body["amount_cents"].(int)) || tr.Kind != s.body["kind"]):
			t.Errorf("transfer %s stored as %+v, sent %v", key, tr, s.body)
		case ok && s.state == "acked" && fmt.Sprint(tr.Seq) != s.id:
			t.Errorf("transfer %s acknowledged as %s, stored as %d", key, s.id, tr.Seq)
		}
	}
	for key := range stored {
		if _, ok := l.sent[key]; !ok {
			t.Errorf("transfer %q stored but never sent", key)
		}
	}
}

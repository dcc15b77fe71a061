package sheets

import (
	"fmt"
	"strconv"
	"time"

	"paniers/planner"
)

// The MANNE documents: a household's statement (PDF or CSV) and the
// ledger's report (CSV). They go through the same renderer as the week's
// documents (languages, CSV conventions, PDF layout and fonts); amounts are
// MANNE cents printed as MANNE, "12,50 MANNE".

// KindManneStatement and KindManneReport name the MANNE documents.
const (
	KindManneStatement = "manne-statement"
	KindManneReport    = "manne-report"
)

// Statement is an account's statement over a period, as the ledger gives
// it. Times are shown as they are given: pass them in the collective's time
// zone. AsOf stamps the document (its PDF dates too, so the same statement
// gives the same bytes).
type Statement struct {
	Account string
	Holder  string // the household's name, "" for the collectif
	Site    string // its relay point's name
	// From and To bound the period, To excluded; zero means unbounded.
	From, To                  time.Time
	AsOf                      time.Time
	OpeningCents              int64
	ClosingCents              int64
	CreditsCents, DebitsCents int64
	Entries                   []StatementEntry
	Lang                      string
	Sep                       rune
}

// StatementEntry is one line of a statement.
type StatementEntry struct {
	Transfer     uint64
	At           time.Time
	Kind         string // garden, work, basket, correction
	Counterparty string
	Memo         string
	Week         string
	AmountCents  int64 // signed: positive credits the account
	BalanceCents int64 // the account's balance after it
}

// ManneReport is the ledger's report, as the store computes it.
type ManneReport struct {
	Period             string // "2026-11", or "" for everything
	Kinds              []ManneKindTotals
	IssuedCents        int64
	SpentCents         int64
	CirculationCents   int64
	SumOfBalancesCents int64
	AccountsChecked    int64
	Mismatches         int
	Balanced           bool
	Lang               string
	Sep                rune
}

// ManneKindTotals is one kind's line of the report.
type ManneKindTotals struct {
	Kind                             string
	IssuedCents, SpentCents, Between int64
	Transfers                        int64
}

// manneWords holds the MANNE documents' text per language.
type manneWords struct {
	Statement, Report, Account, Holder, Site, Period, From, To, Since, Until, Everything string
	Opening, Closing, Credits, Debits, Date, Kind, Counterparty, Memo, Amount, Balance   string
	Issued, Spent, Between, Transfers, Circulation, SumOfBalances, Checked, Mismatches   string
	Check, OK, Failed, Collectif, NoEntries, Transfer, Week, File, ReportFile            string
	Kinds                                                                                map[string]string
}

var manneFrench = manneWords{
	Statement: "Relevé de compte MANNE", Report: "Rapport de la MANNE", Account: "Compte", Holder: "Titulaire", Site: "Point relais",
	Period: "Période", From: "du", To: "au", Since: "depuis le", Until: "jusqu'au", Everything: "depuis l'ouverture",
	Opening: "Solde au début", Closing: "Solde à la fin", Credits: "Crédits", Debits: "Débits",
	Date: "Date", Kind: "Type", Counterparty: "Contrepartie", Memo: "Libellé", Amount: "Montant", Balance: "Solde",
	Issued: "Émis", Spent: "Dépensé", Between: "Entre foyers", Transfers: "Virements", Circulation: "En circulation",
	SumOfBalances: "Somme des soldes", Checked: "Comptes vérifiés", Mismatches: "Écarts", Check: "Contrôle",
	OK: "équilibré", Failed: "ÉCART", Collectif: "collectif", NoEntries: "Aucune opération sur la période.",
	Transfer: "Virement", Week: "Semaine", File: "releve-manne", ReportFile: "rapport-manne",
	Kinds: map[string]string{"garden": "jardin prêté", "work": "travail coopératif", "basket": "paniers", "correction": "correction"},
}

var manneEnglish = manneWords{
	Statement: "MANNE account statement", Report: "MANNE report", Account: "Account", Holder: "Holder", Site: "Relay point",
	Period: "Period", From: "from", To: "to", Since: "since", Until: "until", Everything: "since the opening",
	Opening: "Opening balance", Closing: "Closing balance", Credits: "Credits", Debits: "Debits",
	Date: "Date", Kind: "Kind", Counterparty: "Counterparty", Memo: "Memo", Amount: "Amount", Balance: "Balance",
	Issued: "Issued", Spent: "Spent", Between: "Between households", Transfers: "Transfers", Circulation: "In circulation",
	SumOfBalances: "Sum of balances", Checked: "Accounts checked", Mismatches: "Mismatches", Check: "Check",
	OK: "balanced", Failed: "MISMATCH", Collectif: "collectif", NoEntries: "No entries in the period.",
	Transfer: "Transfer", Week: "Week", File: "manne-statement", ReportFile: "manne-report",
	Kinds: map[string]string{"garden": "garden lent", "work": "cooperative work", "basket": "baskets", "correction": "correction"},
}

// manneRenderer is a renderer for the MANNE documents, with their words.
func manneRenderer(lang string, sep rune, asOf time.Time) (*renderer, *manneWords, error) {
	date := ""
	if !asOf.IsZero() {
		date = asOf.Format("2006-01-02")
	}
	r, err := newRenderer(Input{Lang: lang, Sep: sep, Scenario: scenarioDated(date)})
	if err != nil {
		return nil, nil, err
	}
	mw := &manneFrench
	if r.lang == "en" {
		mw = &manneEnglish
	}
	return r, mw, nil
}

// scenarioDated is an empty scenario dated date, which stamps a document.
func scenarioDated(date string) planner.Scenario { return planner.Scenario{DeliveryDate: date} }

// manneAmount prints MANNE cents as "1 234,56 MANNE" or "1,234.56 MANNE".
func (r *renderer) manneAmount(cents int64) string { return r.amount(cents) + " MANNE" }

// Manne prints MANNE cents as "1 234,56 MANNE" or "1,234.56 MANNE".
func (w Words) Manne(cents int64) string { return w.r.manneAmount(cents) }

// signed prints an entry's amount with its sign.
func (r *renderer) signed(cents int64) string {
	if cents > 0 {
		return "+" + r.manneAmount(cents)
	}
	return r.manneAmount(cents)
}

// period describes a statement's period in words.
func (r *renderer) period(mw *manneWords, from, to time.Time) string {
	day := func(t time.Time) string { return r.longDate(t.Format("2006-01-02")) }
	switch {
	case from.IsZero() && to.IsZero():
		return mw.Everything
	case to.IsZero():
		return mw.Since + " " + day(from)
	case from.IsZero():
		return mw.Until + " " + day(to.Add(-time.Nanosecond))
	}
	return mw.From + " " + day(from) + " " + mw.To + " " + day(to.Add(-time.Nanosecond))
}

// periodStem names a period in a file name.
func periodStem(from, to time.Time) string {
	s := ""
	if !from.IsZero() {
		s += "_" + from.Format("2006-01-02")
	}
	if !to.IsZero() {
		s += "_" + to.Add(-time.Nanosecond).Format("2006-01-02")
	}
	return s
}

// RenderStatement renders a statement as PDF or CSV. ErrFormat for another
// format, ErrInvalid for a bad Lang or Sep.
func RenderStatement(st Statement, format string) (Doc, error) {
	r, mw, err := manneRenderer(st.Lang, st.Sep, st.AsOf)
	if err != nil {
		return Doc{}, err
	}
	doc := Doc{Kind: KindManneStatement, For: st.Account, Format: format, ContentType: contentType(format),
		FileName: mw.File + "_" + slug(st.Account) + periodStem(st.From, st.To) + "." + format}
	kind := func(k string) string {
		if w, ok := mw.Kinds[k]; ok {
			return w
		}
		return k
	}
	party := func(id string) string {
		if id == "collectif" {
			return mw.Collectif
		}
		return id
	}
	when := func(t time.Time) string { return t.Format("2006-01-02 15:04") }
	switch format {
	case FormatCSV:
		c := r.newCSV(mw.Date, mw.Transfer, mw.Kind, mw.Counterparty, mw.Week, mw.Memo, mw.Amount, mw.Balance)
		c.row(when(st.From), "", cell(mw.Opening), "", "", "", "", r.csvMoney(st.OpeningCents))
		for _, e := range st.Entries {
			c.row(when(e.At), strconv.FormatUint(e.Transfer, 10), cell(kind(e.Kind)), cell(party(e.Counterparty)), cell(e.Week), cell(e.Memo),
				r.csvMoney(e.AmountCents), r.csvMoney(e.BalanceCents))
		}
		c.row("", "", cell(mw.Closing), "", "", "", "", r.csvMoney(st.ClosingCents))
		doc.Body, err = c.bytes()
	case FormatPDF:
		title := mw.Statement + " — " + st.Account
		doc.Body, err = r.pdf(title, func(d *pdfDoc) {
			var lines []string
			if st.Holder != "" {
				lines = append(lines, r.kv(mw.Holder, st.Holder))
			}
			if st.Site != "" {
				lines = append(lines, r.kv(mw.Site, st.Site))
			}
			lines = append(lines, r.kv(mw.Period, r.period(mw, st.From, st.To)),
				r.kv(mw.Opening, r.manneAmount(st.OpeningCents)),
				fmt.Sprintf("%s   %s", r.kv(mw.Credits, r.manneAmount(st.CreditsCents)), r.kv(mw.Debits, r.manneAmount(st.DebitsCents))),
				r.kv(mw.Closing, r.manneAmount(st.ClosingCents)))
			d.title(title, lines...)
			var rows []row
			for _, e := range st.Entries {
				memo := e.Memo
				if e.Week != "" && memo == "" {
					memo = mw.Week + " " + e.Week
				}
				rows = append(rows, row{Cells: []string{when(e.At), kind(e.Kind), party(e.Counterparty), memo, r.signed(e.AmountCents), r.manneAmount(e.BalanceCents)}})
			}
			if len(rows) == 0 {
				rows = append(rows, row{Cells: []string{mw.NoEntries}})
			}
			rows = append(rows, row{Cells: []string{"", mw.Closing, "", "", "", r.manneAmount(st.ClosingCents)}, Strong: true})
			d.table([]column{
				{Head: mw.Date, W: 24, Align: "L"}, {Head: mw.Kind, W: 24, Align: "L"}, {Head: mw.Counterparty, W: 22, Align: "L"},
				{Head: mw.Memo, W: 46, Align: "L"}, {Head: mw.Amount, W: 22, Align: "R"}, {Head: mw.Balance, W: 22, Align: "R"},
			}, rows)
		})
	default:
		return Doc{}, fmt.Errorf("sheets: %s in format %q: %w", KindManneStatement, format, ErrFormat)
	}
	if err != nil {
		return Doc{}, err
	}
	return doc, nil
}

// RenderManneReport renders the ledger's report as CSV: one line per kind
// of transfer, then the totals and the checks. ErrFormat for another format.
func RenderManneReport(rep ManneReport, format string) (Doc, error) {
	if format != FormatCSV {
		return Doc{}, fmt.Errorf("sheets: %s in format %q: %w", KindManneReport, format, ErrFormat)
	}
	r, mw, err := manneRenderer(rep.Lang, rep.Sep, time.Time{})
	if err != nil {
		return Doc{}, err
	}
	stem := rep.Period
	if stem == "" {
		stem = "tout"
		if r.lang == "en" {
			stem = "all"
		}
	}
	c := r.newCSV(mw.Period, mw.Kind, mw.Issued, mw.Spent, mw.Between, mw.Transfers)
	for _, k := range rep.Kinds {
		name := k.Kind
		if w, ok := mw.Kinds[k.Kind]; ok {
			name = w
		}
		c.row(cell(stem), cell(name), r.csvMoney(k.IssuedCents), r.csvMoney(k.SpentCents), r.csvMoney(k.Between), strconv.FormatInt(k.Transfers, 10))
	}
	c.row(cell(stem), cell(mw.Issued), r.csvMoney(rep.IssuedCents), "", "", "")
	c.row(cell(stem), cell(mw.Spent), "", r.csvMoney(rep.SpentCents), "", "")
	c.row(cell(stem), cell(mw.Circulation), r.csvMoney(rep.CirculationCents), "", "", "")
	c.row(cell(stem), cell(mw.SumOfBalances), r.csvMoney(rep.SumOfBalancesCents), "", "", "")
	check := mw.OK
	if !rep.Balanced {
		check = mw.Failed
	}
	c.row(cell(stem), cell(mw.Check), cell(check), "", "", "")
	c.row(cell(stem), cell(mw.Checked), strconv.FormatInt(rep.AccountsChecked, 10), "", "", "")
	c.row(cell(stem), cell(mw.Mismatches), strconv.Itoa(rep.Mismatches), "", "", "")
	body, err := c.bytes()
	if err != nil {
		return Doc{}, err
	}
	return Doc{Kind: KindManneReport, For: stem, Format: FormatCSV, ContentType: contentType(FormatCSV),
		FileName: mw.ReportFile + "_" + slug(stem) + ".csv", Body: body}, nil
}

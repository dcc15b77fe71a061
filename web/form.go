package web

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/models"
	"paniers/planner/sheets"
)

// formErrors are the problems of one posted form, in the GOV.UK way: a
// summary at the top linking to each field, the message beside the field,
// and every value as it was typed, so that nothing is lost.
type formErrors struct {
	lang string
	List []fieldProblem
	form url.Values
	kept map[string]string
}

// fieldProblem is one field's message; Label names the field in the
// summary ("Prix des carottes").
type fieldProblem struct {
	Field, Label, Message string
}

// newFormErrors starts the errors of the request's posted form.
func newFormErrors(c *gin.Context) *formErrors {
	_ = c.Request.ParseForm()
	return &formErrors{lang: language(c), form: c.Request.PostForm}
}

// Add records a field's problem (the first one per field is shown).
func (e *formErrors) Add(field string, msg text) { e.AddLabelled(field, "", msg) }

// AddLabelled records a problem with the field's name for the summary.
func (e *formErrors) AddLabelled(field, label string, msg text) {
	if e.Get(field) != "" {
		return
	}
	e.List = append(e.List, fieldProblem{Field: field, Label: label, Message: msg.In(e.lang)})
}

// Any says whether a problem was found.
func (e *formErrors) Any() bool { return e != nil && len(e.List) > 0 }

// Get is a field's message.
func (e *formErrors) Get(field string) string {
	if e == nil {
		return ""
	}
	for _, p := range e.List {
		if p.Field == field {
			return p.Message
		}
	}
	return ""
}

func (e *formErrors) posted() bool { return e != nil && e.form != nil && e.Any() }

// typed is what was typed in a field, when the form came back.
func (e *formErrors) typed(field string) (string, bool) {
	if !e.posted() {
		return "", false
	}
	if v, ok := e.kept[field]; ok {
		return v, true
	}
	return e.form.Get(field), true
}

// keep overrides what a field shows when the form comes back.
func (e *formErrors) keep(field, v string) {
	if e.kept == nil {
		e.kept = map[string]string{}
	}
	e.kept[field] = v
}

func (e *formErrors) hasValue(field, value string) bool {
	for _, v := range e.form[field] {
		if v == value {
			return true
		}
	}
	return false
}

// fromStore records the store's refusal: each problem of a
// *models.ValidationError under the form field field maps it to (the same
// reasons as the API gives), a closed week or a missing week as a problem
// of the whole form. It returns err when it is none of these.
func (e *formErrors) fromStore(err error, field func(string) string, label func(string) string, loc *time.Location) error {
	var invalid *models.ValidationError
	var closed *models.ClosedError
	switch {
	case errors.As(err, &invalid):
		for _, p := range invalid.Problems {
			f := field(p.Field)
			e.AddLabelled(f, label(f), p.Reason)
		}
		return nil
	case errors.As(err, &closed):
		e.Add("week", closedText(closed, loc))
		return nil
	case errors.Is(err, models.ErrNotFound):
		e.Add("week", text{FR: "Cette semaine n'existe pas.", EN: "This week does not exist."})
		return nil
	}
	return err
}

// closedText says that a week no longer takes a kind of write, and since
// when.
func closedText(c *models.ClosedError, loc *time.Location) text {
	what := map[string]text{
		models.KindOffers:     {FR: "les offres", EN: "offers"},
		models.KindOrders:     {FR: "les commandes", EN: "orders"},
		models.KindMealOrders: {FR: "les commandes de repas", EN: "meal orders"},
		models.KindCalendar:   {FR: "de changement de dates ni d'heures limites (rouvrez-la d'abord)", EN: "changes to its dates and cutoffs (reopen it first)"},
	}[c.Kind]
	if what.FR == "" {
		what = text{FR: c.Kind, EN: c.Kind}
	}
	if c.Cutoff.IsZero() || c.Status != models.WeekOpen {
		return text{FR: fmt.Sprintf("La semaine %s n'accepte plus %s.", c.Week, what.FR), EN: fmt.Sprintf("Week %s no longer accepts %s.", c.Week, what.EN)}
	}
	t := c.Cutoff.In(loc)
	fr, en := sheets.WordsFor(langFR), sheets.WordsFor(langEN)
	return text{FR: fmt.Sprintf("La date limite pour %s de la semaine %s est passée : %s à %s.", what.FR, c.Week, fr.DayMonthOf(t), t.Format("15:04")), EN: fmt.Sprintf("The cutoff for %s of week %s has passed: %s at %s.", what.EN, c.Week, en.DayMonthOf(t), t.Format("15:04"))}
}

// parseDecimal reads a number as people type it: "12,5", "12.5", "1 200",
// with a unit after it or not. ok is false when it is not a number.
func parseDecimal(s string) (x float64, ok bool) {
	s = strings.TrimSpace(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'':
			return -1
		case ',':
			return '.'
		}
		return r
	}, s)
	s = strings.TrimRight(s, "abcdefghijklmnopqrstuvwxyzéè€/ ")
	if s == "" || strings.Count(s, ".") > 1 {
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

// parseEuros reads a price in euros ("1,90", "1.90", "1,90 €", "1,90 € / kg
// HT", "2") as cents, in integers (parseEurosCents) once the unit after it
// is cut; ok is false when it is not an amount or has more than two
// decimals. A negative price parses: the store refuses it, with the API's
// reason.
func parseEuros(s string) (cents int64, ok bool) {
	s = strings.TrimSpace(s)
	if cut, _, found := strings.Cut(s, "/"); found {
		s = cut
	}
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "HT"))
	return parseEurosCents(s)
}

// parseCount reads a whole number ("112"), empty meaning absent.
func parseCount(s string) (n int, present, ok bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, " ", ""))
	if s == "" {
		return 0, false, true
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, true, false
	}
	return v, true, true
}

// inputNum prints a stored number for a form field: "1,9" in French.
func inputNum(lang string, x float64) string { return sheets.WordsFor(lang).Num(x) }

// inputEuros prints cents for a price field: "1,90".
func inputEuros(lang string, cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	s := fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
	if lang == langFR {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// all reads every page of a list.
func all[T any](list func(models.Page) ([]T, error)) ([]T, error) {
	var out []T
	for off := 0; ; off += models.MaxLimit {
		rows, err := list(models.Page{Limit: models.MaxLimit, Offset: off})
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(rows) < models.MaxLimit {
			return out, nil
		}
	}
}

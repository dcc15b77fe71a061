package api

import (
	"strconv"
	"unicode/utf8"

	"paniers/models"
)

// The store validates every value it stores (ranges, formats, references)
// and answers a *models.ValidationError naming each field; the API checks
// only what the store cannot see: that required fields were sent at all
// (a missing quantity is not a zero quantity), and the shape of path and
// query parameters.

// checker collects field errors while validating one request, so the caller
// learns every problem at once.
type checker struct {
	fields []FieldError
}

func (v *checker) add(field string, reason text) {
	v.fields = append(v.fields, FieldError{Field: field, Reason: reason})
}

// err returns nil when nothing was collected, else a 422 *Error.
func (v *checker) err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{
		Kind:   kindValidation,
		Detail: text{FR: "La requête contient des valeurs refusées.", EN: "The request contains rejected values."},
		Fields: v.fields,
	}
}

// queryErr is err for problems of query parameters: a 400 rather than a
// 422, since what is wrong is the request's address, not a body.
func (v *checker) queryErr() error {
	err := v.err()
	if e, ok := err.(*Error); ok {
		e.Kind = kindBadRequest
	}
	return err
}

var reasonRequired = models.ReasonRequired

// required adds a "required" problem for the field name when p is nil: the
// request left the field out, which is not the same as sending its zero.
func required[T any](v *checker, name string, p *T) {
	if p == nil {
		v.add(name, reasonRequired)
	}
}

// weekParam returns the {week} path parameter, or a 400 naming it when it is
// not an ISO week id.
func weekParam(c interface{ Param(string) string }) (string, error) {
	id := c.Param("week")
	if _, _, err := models.ParseWeekID(id); err != nil {
		return "", errKind(kindBadRequest, text{FR: "Identifiant de semaine invalide.", EN: "Invalid week id."},
			FieldError{Field: "week", Reason: textf("semaine ISO AAAA-Wss attendue, comme 2026-W49 (reçu %q)",
				"ISO week YYYY-Www expected, such as 2026-W49 (got %q)", truncate(id, 40))})
	}
	return id, nil
}

// idParam returns a path parameter holding a short text id, or a 400 naming
// it when it cannot be an id (so no lookup is made with garbage).
func idParam(c interface{ Param(string) string }, name string) (string, error) {
	id := c.Param(name)
	if !models.ValidID(id) {
		return "", errKind(kindBadRequest, text{FR: "Identifiant invalide.", EN: "Invalid id."},
			FieldError{Field: name, Reason: textf("identifiant invalide %q : 1 à 64 caractères parmi a-z, 0-9, - et _",
				"invalid id %q: 1 to 64 characters among a-z, 0-9, - and _", truncate(id, 80))})
	}
	return id, nil
}

// optionalID checks an optional id given in a query parameter.
func optionalID(q func(string) string, name string) (string, error) {
	id := q(name)
	if id != "" && !models.ValidID(id) {
		return "", errKind(kindBadRequest, text{FR: "Paramètre invalide.", EN: "Invalid parameter."},
			FieldError{Field: name, Reason: textf("identifiant invalide %q", "invalid id %q", truncate(id, 80))})
	}
	return id, nil
}

// fmtNum prints a number without needless digits.
func fmtNum(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// truncate shortens s to at most n runes, for echoing user input in reasons.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

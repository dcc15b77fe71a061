package web

import (
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/models"
)

// pageField is one field of the coordinator's catalogue and calendar
// forms, drawn by the template "ffield" (partials.html): its label above,
// a hint, the message beside it when the form came back, what was typed
// kept (page.Input), the unit after it.
type pageField struct {
	Name, Label, Hint, Value, Error string
	// Kind is "" (a text field), "select", "checkbox" or "checks" (a
	// group of boxes, one value each).
	Kind string
	// Type is the input's type ("date", "datetime-local"); Mode its
	// inputmode ("decimal", "numeric").
	Type, Mode string
	Unit       string
	Options    []fieldOption
	Checked    bool
	// ErrWord says "Erreur :" to screen readers before the message.
	ErrWord string
}

type fieldOption struct {
	Value, Label string
	Selected     bool
}

// Described is the field's aria-describedby: its hint and its message.
func (f pageField) Described() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, "hint-"+FieldID(f.Name))
	}
	if f.Error != "" {
		ids = append(ids, ErrID(f.Name))
	}
	return strings.Join(ids, " ")
}

// fieldGroup is a set of fields under a legend ("" for none).
type fieldGroup struct {
	Legend string
	Fields []pageField
}

// field starts a text field showing stored, or what was typed.
func (p *page) field(name, label, stored string) pageField {
	return pageField{Name: name, Label: label, Value: p.Input(name, stored), Error: p.Err(name), ErrWord: p.T("Erreur :", "Error:")}
}

// number is a decimal field with its unit.
func (p *page) number(name, label, stored, unit string) pageField {
	f := p.field(name, label, stored)
	f.Mode, f.Unit = "decimal", unit
	return f
}

// choice is a select; its options' Selected follows what was typed.
func (p *page) choice(name, label, stored string, opts []fieldOption) pageField {
	f := p.field(name, label, stored)
	f.Kind = "select"
	for i := range opts {
		opts[i].Selected = opts[i].Value == f.Value
	}
	f.Options = opts
	return f
}

// box is one checkbox (value "1").
func (p *page) box(name, label string, stored bool) pageField {
	f := p.field(name, label, "")
	f.Kind, f.Checked = "checkbox", p.Checked(name, "1", stored)
	return f
}

// boxes is a group of checkboxes, those in stored ticked.
func (p *page) boxes(name, label string, opts []fieldOption, stored []string) pageField {
	f := p.field(name, label, "")
	f.Kind = "checks"
	for i := range opts {
		v := opts[i].Value
		opts[i].Selected = p.Checked(name, v, slices.Contains(stored, v))
	}
	f.Options = opts
	return f
}

// withHint adds a hint under the label.
func (f pageField) withHint(h string) pageField { f.Hint = h; return f }

// decimalField reads a decimal field; present is false when it was left
// empty (a required one then gets the API's "required field" reason), and
// a field that does not read gets a message asking for a number.
func decimalField(c *gin.Context, errs *formErrors, name, label string, required bool) (x float64, present bool) {
	s := strings.TrimSpace(c.PostForm(name))
	if s == "" {
		if required {
			errs.AddLabelled(name, label, models.ReasonRequired)
		}
		return 0, false
	}
	x, ok := parseDecimal(s)
	if !ok {
		errs.AddLabelled(name, label, text{FR: "Indiquez un nombre, par exemple 0,5", EN: "Enter a number, for example 0.5"})
		return 0, true
	}
	return x, true
}

// countField reads a whole number field, empty meaning 0.
func countField(c *gin.Context, errs *formErrors, name, label string) int {
	n, _, ok := parseCount(c.PostForm(name))
	if !ok {
		errs.AddLabelled(name, label, text{FR: "Indiquez un nombre entier, par exemple 3", EN: "Enter a whole number, for example 3"})
	}
	return n
}

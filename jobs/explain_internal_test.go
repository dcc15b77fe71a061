package jobs

import (
	"errors"
	"fmt"
	"testing"

	"paniers/internal/i18n"
	"paniers/models"
	"paniers/planner"
)

// TestExplain: the failures people can act on get their words, the
// technical error unchanged beneath; the others are left as they are.
func TestExplain(t *testing.T) {
	invalid := &planner.ValidationError{Problems: []planner.Problem{
		{Field: "vehicles", Reason: i18n.Text{FR: "au moins un véhicule", EN: "at least one vehicle"}},
		{Field: "hub.lat", Reason: i18n.Text{FR: "hors bornes", EN: "out of range"}},
	}}
	cases := []struct {
		job string
		err error
		fr  string // "" when left technical
	}{
		{JobPlan, fmt.Errorf("plan: %w", invalid), "les données de la semaine ne peuvent pas être planifiées : vehicles : au moins un véhicule ; hub.lat : hors bornes"},
		{JobPublish, fmt.Errorf("models: plan: %w", models.ErrConflict), "la semaine 2026-W49 a été replanifiée pendant la publication ; publiez à nouveau"},
		{JobPlan, fmt.Errorf("models: week 2026-W49: %w", models.ErrNotFound), "introuvable (semaine 2026-W49 ou son plan) : models: week 2026-W49: not found"},
		{JobPlan, fmt.Errorf("models: plan: %w", models.ErrConflict), ""},
		{JobPlan, errors.New("disk full"), ""},
	}
	for _, c := range cases {
		got := explain(c.job, "2026-W49", c.err)
		if got.Error() != c.err.Error() || !errors.Is(got, c.err) {
			t.Errorf("%v: the technical error became %q", c.err, got)
		}
		var w interface{ Words() i18n.Text }
		worded := errors.As(got, &w)
		switch {
		case c.fr == "" && worded:
			t.Errorf("%v: worded %q, want left technical", c.err, w.Words().FR)
		case c.fr != "" && (!worded || w.Words().FR != c.fr):
			t.Errorf("%v: words %v, want %q", c.err, worded, c.fr)
		}
	}
	// A run keeps the French words beside the technical error.
	r := models.JobRun{Error: cases[0].err.Error(), ErrorFR: cases[0].fr}
	if fr, ok := RunMessage(r, "fr"); fr != cases[0].fr || !ok {
		t.Errorf("in French: %q %v", fr, ok)
	}
	if en, ok := RunMessage(r, "en"); en != r.Error || !ok {
		t.Errorf("in English: %q %v", en, ok)
	}
	if fr, ok := RunMessage(models.JobRun{Error: "disk full"}, "fr"); fr != "disk full" || ok {
		t.Errorf("technical in French: %q %v, want it as written, untranslated", fr, ok)
	}
}

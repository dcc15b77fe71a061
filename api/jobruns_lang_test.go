package api

import (
	"context"
	"errors"
	"strings"
	"testing"

	"paniers/jobs"
	"paniers/models"
)

// TestJobRunsInTheReadersLanguage reads a skipped scheduled run: its reason
// is French by default and English under Accept-Language: en, with no
// French left in the English answer.
func TestJobRunsInTheReadersLanguage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	run, err := e.st.StartJobRun(ctx, jobs.JobPlan, "", jobs.TriggerSchedule)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.FinishJobRun(ctx, run.ID, models.JobSkipped, errors.New(jobs.SkipNoWeek)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, want, not string }{
		{"", "aucune semaine à traiter", "no week due"},
		{"en", "no week due", "aucune"},
	} {
		r := e.do(req{method: "GET", path: "/api/v1/jobs", token: tokCoord, header: map[string]string{"Accept-Language": tc.lang}}).expect(t, 200)
		if body := r.Body.String(); !strings.Contains(body, tc.want) || strings.Contains(body, tc.not) {
			t.Errorf("Accept-Language %q: %s", tc.lang, body)
		}
	}
}

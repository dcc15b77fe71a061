package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/jobs"
	"paniers/models"
)

// The job history (/coordination/travaux, coordinator only): the runs of
// the weekly jobs that GET /api/v1/jobs lists, the latest first, a page
// at a time, each with its outcome, duration, week, what started it and
// its message in the reader's language; filtered by week, job and
// outcome (?semaine=, ?travail=, ?issue=, validated as the API's
// ?week=, ?job=, ?outcome=).

const pathCoordJobs = "/coordination/travaux"

// jobRunsShown is how many runs a page of the history lists.
const jobRunsShown = 30

func (s *Site) registerCoordJobs() {
	s.engine.GET(pathCoordJobs, s.signedIn(s.coordOnly(s.jobsPage)))
}

// jobsData is the history page's data.
type jobsData struct {
	*page
	Weeks               []models.Week
	Week, Job, Outcome  string
	Jobs, Outcomes      []choice
	Runs                []jobRunRow
	Problems            []string
	PageNum             int
	PrevURL, NextURL    string
	Filtered, WeekKnown bool
}

// choice is one option of a filter.
type choice struct{ Value, Label string }

// jobRunRow is one run laid out for the page.
type jobRunRow struct {
	ID                   uint64
	Job, Week            string
	Started, Duration    string
	Outcome, OutcomeName string
	Trigger              string
	// Message is the run's reason or error; Technical marks an error as
	// the code wrote it (in English), not translated.
	Message   string
	Technical bool
}

var jobWords = map[string]text{
	jobs.JobCloseOffers: {FR: "Clôture des offres", EN: "Closing the offers"},
	jobs.JobPlan:        {FR: "Planification", EN: "Planning"},
	jobs.JobPublish:     {FR: "Publication", EN: "Publication"},
}

var outcomeWords = map[string]text{
	models.JobOK:      {FR: "réussi", EN: "succeeded"},
	models.JobFailed:  {FR: "échoué", EN: "failed"},
	models.JobSkipped: {FR: "rien à faire", EN: "nothing to do"},
	models.JobRunning: {FR: "en cours", EN: "running"},
}

func (s *Site) jobsPage(c *gin.Context, p access.Principal) error {
	ctx := c.Request.Context()
	pg := s.newPage(c, p, text{FR: "Historique des travaux", EN: "Job history"})
	d := &jobsData{page: pg, Week: c.Query("semaine"), Job: c.Query("travail"), Outcome: c.Query("issue"), PageNum: 1}
	for _, j := range []string{jobs.JobCloseOffers, jobs.JobPlan, jobs.JobPublish} {
		d.Jobs = append(d.Jobs, choice{j, jobWords[j].In(pg.Lang)})
	}
	for _, o := range []string{models.JobOK, models.JobFailed, models.JobSkipped, models.JobRunning} {
		d.Outcomes = append(d.Outcomes, choice{o, outcomeWords[o].In(pg.Lang)})
	}
	var err error
	if d.Weeks, err = all(func(pp models.Page) ([]models.Week, error) { return s.store.ListWeeks(ctx, pp) }); err != nil {
		return err
	}
	slices.Reverse(d.Weeks) // the latest first, in the filter
	// The filters are checked as the API checks ?week=, ?job=, ?outcome=;
	// a wrong one is said and left out.
	if d.Week != "" {
		if _, _, err := models.ParseWeekID(d.Week); err != nil {
			d.Problems = append(d.Problems, fmt.Sprintf(pg.T("Semaine : semaine ISO AAAA-Wss attendue (reçu %q).", "Week: ISO week YYYY-Www expected (got %q)."), clip(d.Week)))
			d.Week = ""
		}
	}
	if d.Job != "" && jobWords[d.Job].FR == "" {
		d.Problems = append(d.Problems, fmt.Sprintf(pg.T("Travail : close-offers, plan ou publish attendu (reçu %q).", "Job: close-offers, plan or publish expected (got %q)."), clip(d.Job)))
		d.Job = ""
	}
	if d.Outcome != "" && outcomeWords[d.Outcome].FR == "" {
		d.Problems = append(d.Problems, fmt.Sprintf(pg.T("Résultat : ok, failed, skipped ou running attendu (reçu %q).", "Outcome: ok, failed, skipped or running expected (got %q)."), clip(d.Outcome)))
		d.Outcome = ""
	}
	if raw := c.Query("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 100000 {
			d.Problems = append(d.Problems, fmt.Sprintf(pg.T("Page : numéro de page attendu (reçu %q).", "Page: page number expected (got %q)."), clip(raw)))
		} else {
			d.PageNum = n
		}
	}
	d.Filtered = d.Week != "" || d.Job != "" || d.Outcome != ""
	for _, w := range d.Weeks {
		d.WeekKnown = d.WeekKnown || w.ID == d.Week
	}
	runs, err := s.store.ListJobRuns(ctx, models.JobRunFilter{Job: d.Job, Week: d.Week, Outcome: d.Outcome},
		models.Page{Limit: jobRunsShown + 1, Offset: (d.PageNum - 1) * jobRunsShown})
	if err != nil {
		return err
	}
	if len(runs) > jobRunsShown {
		runs = runs[:jobRunsShown]
		d.NextURL = d.pageURL(d.PageNum + 1)
	}
	if d.PageNum > 1 {
		d.PrevURL = d.pageURL(d.PageNum - 1)
	}
	for _, r := range runs {
		d.Runs = append(d.Runs, s.jobRunRow(pg, r))
	}
	status := http.StatusOK
	if len(d.Problems) > 0 {
		status = http.StatusBadRequest
	}
	return s.render(c, status, "jobs", d)
}

// clip shortens what was typed for a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// pageURL is the history with the same filters, at page n.
func (d *jobsData) pageURL(n int) string {
	q := url.Values{}
	for k, v := range map[string]string{"semaine": d.Week, "travail": d.Job, "issue": d.Outcome} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return pathCoordJobs
	}
	return pathCoordJobs + "?" + q.Encode()
}

func (s *Site) jobRunRow(pg *page, r models.JobRun) jobRunRow {
	row := jobRunRow{ID: r.ID, Job: jobWords[r.Job].In(pg.Lang), Week: r.Week, Started: s.when(pg, r.StartedAt),
		Outcome: r.Outcome, OutcomeName: outcomeWords[r.Outcome].In(pg.Lang), Trigger: triggerIn(r.Trigger, pg.Lang)}
	if row.Job == "" {
		row.Job = r.Job
	}
	if row.OutcomeName == "" {
		row.OutcomeName = r.Outcome
	}
	if r.EndedAt != nil {
		row.Duration = duration(pg, r.EndedAt.Sub(r.StartedAt))
	} else {
		row.Duration = "–"
	}
	if r.Error != "" {
		var translated bool
		row.Message, translated = jobs.RunMessage(r, pg.Lang)
		row.Technical = !translated
	}
	return row
}

// duration prints how long a run took: "0,42 s", "12 s", "2 min 5 s".
func duration(pg *page, d time.Duration) string {
	switch {
	case d < 0:
		return "–"
	case d < 10*time.Second:
		return pg.Num(math.Round(float64(d.Milliseconds())/10)/100) + " s"
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + " s"
	}
	return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
}

package api

import (
	"context"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"paniers/jobs"
	"paniers/models"
	"paniers/planner"
	"paniers/planner/sheets"
)

// Jobs is what the plan and document routes need from the weekly jobs
// (*jobs.Service satisfies it): the one plan path, the publication, and the
// input the documents are rendered from. Options.Jobs holds it; without it
// those routes answer 503.
type Jobs interface {
	PlanWeek(ctx context.Context, week string, seed int64) (models.StoredPlan, error)
	PreviewWeek(ctx context.Context, week string, seed int64) (planner.Plan, error)
	Publish(ctx context.Context, week string) (models.StoredPlan, error)
	DocumentInput(ctx context.Context, week string, version int) (sheets.Input, models.StoredPlan, error)
}

// planStore is what the plan, document and job routes read from the store;
// *models.Store satisfies it.
type planStore interface {
	CurrentPlan(ctx context.Context, week string) (models.StoredPlan, error)
	GetPlanVersion(ctx context.Context, week string, version int) (models.StoredPlan, error)
	ListPlans(ctx context.Context, week string, page models.Page) ([]models.StoredPlan, error)
	GetPlanInput(ctx context.Context, week string, version int) (models.PlanInput, error)
	ListPlanInputs(ctx context.Context, week string, versions []int) (map[int]models.PlanInput, error)
	ChangedDocuments(ctx context.Context, week string, version int) (int, map[models.DocKey]bool, error)
	ListJobRuns(ctx context.Context, f models.JobRunFilter, page models.Page) ([]models.JobRun, error)
	VisibleVersion(ctx context.Context, week string, version int, drafts bool) (int, error)
}

var _ planStore = (*models.Store)(nil)

// registerJobs registers the routes of the weekly cycle's outputs: job runs,
// plans, rounds, publication and documents.
func (s *Server) registerJobs(v1 *gin.RouterGroup) {
	coord := s.requireRole()
	v1.GET("/jobs", coord, s.handle(s.listJobRuns))
	v1.POST("/weeks/:week/plan", coord, s.handle(s.postPlan))
	v1.GET("/weeks/:week/plan", s.handle(s.getPlan))
	v1.GET("/weeks/:week/plans", coord, s.handle(s.listPlanVersions))
	v1.GET("/weeks/:week/plans/:version/changes", coord, s.handle(s.getPlanChanges))
	v1.GET("/weeks/:week/rounds", coord, s.handle(s.getRounds))
	v1.POST("/weeks/:week/publish", coord, s.handle(s.postPublish))
	v1.GET("/weeks/:week/documents", s.handle(s.listDocuments))
	v1.GET("/weeks/:week/documents/:kind/:file", s.handle(s.getDocument))
}

var errNoJobs = errKind(kindUnavailable, text{
	FR: "La planification n'est pas disponible sur ce service.",
	EN: "Planning is not available on this service."})

// jobs returns the jobs, or a 503 when the service runs without them.
func (s *Server) jobs() (Jobs, error) {
	if s.opts.Jobs == nil {
		return nil, errNoJobs
	}
	return s.opts.Jobs, nil
}

// jobRunBody is one recorded run of a job.
type jobRunBody struct {
	ID        string `json:"id"`
	Job       string `json:"job"`
	Week      string `json:"week,omitempty"`
	StartedAt string `json:"started_at"`
	EndedAt   string `json:"ended_at,omitempty"`
	Outcome   string `json:"outcome"`
	Error     string `json:"error,omitempty"`
	Trigger   string `json:"trigger,omitempty"`
}

// toJobRun is a run in lang: its error in the reader's language when it
// has words (jobs.RunMessage), else as the code wrote it (in English).
func (s *Server) toJobRun(r models.JobRun, lang string) jobRunBody {
	b := jobRunBody{ID: strconv.FormatUint(r.ID, 10), Job: r.Job, Week: r.Week,
		StartedAt: s.formatInstant(r.StartedAt), Outcome: r.Outcome, Trigger: r.Trigger}
	b.Error, _ = jobs.RunMessage(r, lang)
	if r.EndedAt != nil {
		b.EndedAt = s.formatInstant(*r.EndedAt)
	}
	return b
}

// jobNames are the jobs a run may belong to, for ?job=; jobOutcomes how
// a run may have gone, for ?outcome=.
var (
	jobNames    = []string{jobs.JobCloseOffers, jobs.JobPlan, jobs.JobPublish}
	jobOutcomes = []string{models.JobRunning, models.JobOK, models.JobFailed, models.JobSkipped}
)

// listJobRuns answers a page of job runs, the latest first, optionally of one
// job (?job=), one week (?week=) or one outcome (?outcome=).
func (s *Server) listJobRuns(c *gin.Context) error {
	ps := s.store
	var v checker
	f := models.JobRunFilter{Job: c.Query("job"), Week: c.Query("week"), Outcome: c.Query("outcome")}
	if f.Job != "" && !slices.Contains(jobNames, f.Job) {
		v.add("job", textf("close-offers, plan ou publish attendu (reçu %q)", "close-offers, plan or publish expected (got %q)", truncate(f.Job, 40)))
	}
	if f.Outcome != "" && !slices.Contains(jobOutcomes, f.Outcome) {
		v.add("outcome", textf("running, ok, failed ou skipped attendu (reçu %q)", "running, ok, failed or skipped expected (got %q)", truncate(f.Outcome, 40)))
	}
	if f.Week != "" {
		if _, _, err := models.ParseWeekID(f.Week); err != nil {
			v.add("week", textf("semaine ISO AAAA-Wss attendue (reçu %q)", "ISO week YYYY-Www expected (got %q)", truncate(f.Week, 40)))
		}
	}
	if err := v.queryErr(); err != nil {
		return err
	}
	lang := language(c)
	return listOf(c, func(p models.Page) ([]models.JobRun, error) { return ps.ListJobRuns(c.Request.Context(), f, p) },
		func(r models.JobRun) jobRunBody { return s.toJobRun(r, lang) })
}

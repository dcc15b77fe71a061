// Package jobs runs paniers' week by itself: a cron scheduler (robfig/cron)
// in the configured time zone, and the three jobs it calls, each a plain
// function that tests, the API and the CLI call directly.
//
//	CloseOffers(ctx, deps, week)      offers of the week are final; the next week opens
//	PlanWeek(ctx, deps, week, seed)   close orders, plan, store the plan (versioned)
//	Publish(ctx, deps, week)          render every document, write them out, publish
//
// PlanWeek is the one plan path: the store builds the week's scenario,
// planner.PlanWeek allocates and routes it (road distances from Deps.Matrix,
// great-circle without), and the store saves the plan as a new version in one
// transaction, with the scenario it was made from and the content hash of
// every document. POST /api/v1/weeks/{week}/plan, `paniers plan --week` and
// the scheduled job all call it.
//
// # Which week a run acts on
//
// Cron does not say which week; the calendar does. A run scheduled at time T
// (a catch-up run uses the scheduled time it replaces) acts on every stored
// week whose delivery date is today or later and that:
//
//   - close-offers: is open, has its offer cutoff at or before T, and has no
//     successful close-offers run yet. With the default calendar (offers
//     close Wednesday 20:00 before the week) that is the week collected next
//     Monday. The job logs the week's offers and opens the following week
//     (creates it with the default calendar) so producers can post its offers.
//   - plan: is open with its order cutoff at or before T, or closed (by the
//     coordinator, or by an earlier run). With the default calendar (orders
//     close Thursday 12:00, the plan runs Thursday 14:00) that is the week
//     whose orders just closed. A week already planned is not planned again
//     by the schedule; a coordinator re-plans it on purpose.
//   - publish: is planned (its current plan is not published yet).
//
// A run with no such week is recorded as skipped ("nothing due").
//
// # Week status
//
//	open ──(plan: orders closed)──▶ closed ──(plan saved)──▶ planned ──(publish)──▶ published
//	                                                           ▲                        │
//	                                                           └──── re-plan (v+1) ─────┘
//
// Offers and orders are refused after their cutoffs while the week is open,
// and always once it is not. PlanWeek closes an open week before reading its
// scenario, so nothing is ordered while it plans. Saving a plan sets the week
// planned, in the same transaction. Publishing sets it published. Re-planning
// a published week makes a new version and sets it planned again; the next
// publication marks the documents whose content changed since the last
// published version ("changed": true). The coordinator may also move the
// status by hand (PATCH /api/v1/weeks/{week}), for instance to reopen orders.
//
// # Runs, catch-up and several instances
//
// Every run is recorded (job, week, start, end, outcome, error) and listed at
// GET /api/v1/jobs. At start-up, for each job, if its last scheduled time has
// no successful run since, the job runs once at once and the log says
// "catch-up: missed run started now". When several instances share one database, each
// scheduled time of a job is claimed in the database (a row keyed by job and
// scheduled time), so exactly one instance runs it; see models.ClaimJob.
package jobs

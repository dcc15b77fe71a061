// Package models is paniers' data: the gorm rows (the only structs with gorm
// tags), the Store that reads and writes them on SQLite or PostgreSQL, the
// week's scenario export for the planner, plan storage and the demo data.
//
// # Opening
//
//	st, err := models.Open(ctx, dsn, logger, models.WithClock(now), models.WithLocation(loc))
//
// A dsn starting with postgres:// selects PostgreSQL; anything else is an
// SQLite file, opened in WAL mode with foreign keys on, one writer connection
// and a pool of readers. Open migrates the schema. There is no package-level
// database: everything hangs off the *Store.
//
// # Methods
//
// Catalogue (lists are pages ordered by id; Create returns ErrConflict on a
// taken id):
//
//	ListProducers, GetProducer, CreateProducer, UpdateProducer
//	ListProducts, GetProduct, CreateProduct
//	ListSites(kind), GetSite, CreateSite, UpdateSite   relay points and canteens
//	ListVehicles, GetVehicle, CreateVehicle, UpdateVehicle
//	ListBasketTypes, GetBasketType, CreateBasketType (with contents)
//	ListHouseholds(site), GetHousehold, CreateHousehold, UpdateHousehold
//	GetHub, SetHub
//	ListPortions, SetPortion, DefaultPortionG       portions per age group
//
// Weeks and their writes (refused after the cutoff with *ClosedError):
//
//	ListWeeks, ListWeeksByStatus, GetWeek, CreateWeek, EnsureWeek, SetWeekStatus
//	ListOffers, GetOffer, PutOffer (insert or replace), DeleteOffer
//	ListOrders, GetOrder, CreateOrder, DeleteOrder  basket and extra orders
//	ListMealOrders, GetMealOrder, CreateMealOrder, DeleteMealOrder  canteen meals
//	Scenario(week)                                  the planner's input
//
// Access, idempotency, jobs, plans:
//
//	CreateToken (clear token returned once), EnsureToken, LookupToken,
//	ListTokens, DeleteToken
//	Idempotent(key, write)                          insert-or-replay, one transaction
//	StartJobRun, FinishJobRun, ListJobRuns
//	ClaimJob, ExtendJobClaim, FinishJobClaim       one run per scheduled time
//	SavePlanVersion (new current version with its input, one transaction),
//	CurrentPlan, GetPlanVersion, ListPlans, PublishVersion
//	GetPlanInput, ListPlanInputs, ListPlanDocuments, ChangedDocuments  what a version was made from
//	LoadDemo                                        the demo territory, when empty
//	Ping, Close
//
// # Errors
//
// Every method returns either a result or an error, never a zero result for
// a missing record. Callers test errors with errors.Is and errors.As:
//
//   - ErrNotFound: the record named by the call (the week in the path, the
//     id asked for) does not exist;
//   - ErrConflict: the id or unique key is taken, or an idempotency key is
//     reused for a different request;
//   - ErrClosed, as a *ClosedError with Week, Kind, Cutoff and Status: the
//     week's cutoff has passed or the week is not open;
//   - ErrInvalid, as a *ValidationError listing FieldError{Field, Reason
//     (an i18n.Text: French and English)}: bad input, including references
//     to records that do not exist (an offer's product, an order's basket
//     type), which are field problems rather than ErrNotFound.
//
// Anything else is a database failure, to be reported as an internal error.
// Error strings start with "models:" and name the record.
package models

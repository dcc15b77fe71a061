package models

import "time"

// The rows below are the database schema: the only structs in paniers with
// gorm tags. They carry no json tags on purpose: the API declares its own
// request and response bodies and converts, so the wire format and the
// schema can change apart.
//
// Ids of the things people name (producers, products, sites, vehicles, basket
// types, households, weeks, orders) are the short text ids of the planning
// contract ("ferme-a", "carotte", "2026-W49"); rows that nobody names (offers,
// tokens, plan versions) use an internal number. Windows and shifts are
// "HH:MM" local times in the configured time zone, dates are "YYYY-MM-DD",
// instants (cutoffs, creation times) are stored in UTC.

// Hub is the platform where every round starts and ends. There is one row,
// with id "hub"; a database without one uses DefaultHub.
type Hub struct {
	ID      string `gorm:"primaryKey;size:64"`
	Name    string `gorm:"size:200;not null"`
	Address string `gorm:"size:300"`
	Lat     float64
	Lon     float64
}

// Producer is a farm or a resident's garden. Collect says whether a van
// collects there on the collection date, within [WindowStart, WindowEnd];
// otherwise the producer brings the produce to the hub. LenderID, for a
// garden only, is the household that lends it: it earns the MANNE of the
// garden's sales when a week is published (see creditGardens).
type Producer struct {
	ID          string `gorm:"primaryKey;size:64"`
	Name        string `gorm:"size:200;not null"`
	Kind        string `gorm:"size:16;not null;default:farm"` // ProducerFarm or ProducerGarden
	Place       string `gorm:"size:100"`                      // town
	Address     string `gorm:"size:300"`
	Lat         float64
	Lon         float64
	Collect     bool
	WindowStart string `gorm:"size:5"`
	WindowEnd   string `gorm:"size:5"`
	ServiceMin  float64
	LenderID    *string    `gorm:"size:64;index"`
	Lender      *Household `gorm:"foreignKey:LenderID;constraint:OnUpdate:CASCADE,OnDelete:SET NULL"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Product is something producers offer and orders ask for. Quantities are in
// Unit ("kg", "piece", "botte"); Step is the smallest quantity it is split
// into (0.1 for loose kg, 1 for pieces). EgalimLabels are its EGalim quality
// and sustainability labels (egalim.Labels, comma separated in ma-cantine's
// order; BIO exactly when Organic) and Family its ma-cantine product family
// (egalim.Families), both for the canteens' EGalim reporting.
type Product struct {
	ID           string `gorm:"primaryKey;size:64"`
	Name         string `gorm:"size:200;not null"`
	Unit         string `gorm:"size:16;not null"`
	KgPerUnit    float64
	Category     string `gorm:"size:32;not null;index"`
	Step         float64
	Organic      bool
	EgalimLabels string `gorm:"size:200;not null;default:''"`
	Family       string `gorm:"size:32;not null;default:''"`
	// BasketMin and BasketMax bound the quantity of the product in one
	// basket that holds it (multiples of Step); BasketMin is filled with
	// planner.DefaultBasketMin when not given, BasketMax 0 means no bound.
	BasketMin float64
	BasketMax float64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Site is a relay point (households pick their baskets up there) or a
// canteen (a maternelle school or the seniors' residence), which receives
// deliveries within [WindowStart, WindowEnd] and keeps the van ServiceMin.
// A canteen's Siret (14 digits, see egalim.CheckSiret) names it in its
// EGalim purchase file; relay points have none.
type Site struct {
	ID          string `gorm:"primaryKey;size:64"`
	Name        string `gorm:"size:200;not null"`
	Kind        string `gorm:"size:16;not null;index"` // planner.KindRelay or planner.KindCanteen
	Place       string `gorm:"size:100"`
	Address     string `gorm:"size:300"`
	Lat         float64
	Lon         float64
	WindowStart string `gorm:"size:5"`
	WindowEnd   string `gorm:"size:5"`
	ServiceMin  float64
	Siret       string `gorm:"size:14;not null;default:''"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Vehicle is a van of the fleet, available within [ShiftStart, ShiftEnd] on
// both the collection and the delivery date.
type Vehicle struct {
	ID         string `gorm:"primaryKey;size:64"`
	Name       string `gorm:"size:200"`
	CapacityKg float64
	ShiftStart string `gorm:"size:5"`
	ShiftEnd   string `gorm:"size:5"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// BasketType describes a basket by the weight of each category it holds.
// PriceCents is what a household pays for one basket (documents only).
type BasketType struct {
	ID         string `gorm:"primaryKey;size:64"`
	Name       string `gorm:"size:200;not null"`
	PriceCents int64
	Contents   []BasketContent `gorm:"foreignKey:BasketTypeID;constraint:OnDelete:CASCADE"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// BasketContent is one category's share of a basket type; Position keeps the
// order in which the coordinator listed the categories.
type BasketContent struct {
	BasketTypeID string `gorm:"primaryKey;size:64"`
	Category     string `gorm:"primaryKey;size:32"`
	Kg           float64
	MinProducts  int
	MaxProducts  int // 0: no bound
	Position     int
}

// Household is a family that picks its basket up at a relay point. Its
// subscription (BasketTypeID, BasketCount) is its weekly basket order; a nil
// BasketTypeID or a zero count means no subscription (extras only). Name and
// Contact are personal data.
type Household struct {
	ID           string      `gorm:"primaryKey;size:64"`
	SiteID       string      `gorm:"size:64;not null;index"`
	Site         *Site       `gorm:"foreignKey:SiteID;constraint:OnUpdate:CASCADE,OnDelete:RESTRICT"`
	Name         string      `gorm:"size:200;not null"`
	Contact      string      `gorm:"size:300"`
	BasketTypeID *string     `gorm:"size:64"`
	BasketType   *BasketType `gorm:"foreignKey:BasketTypeID;constraint:OnUpdate:CASCADE,OnDelete:RESTRICT"`
	BasketCount  int
	// Paused suspends the subscription (holidays): the household keeps its
	// basket type and count but gets no basket until it is resumed.
	Paused    bool `gorm:"not null;default:false"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Week is one weekly cycle: offers are accepted until OfferCutoff, orders and
// meal orders until OrderCutoff, while Status is WeekOpen; the vans collect on
// CollectionDate and deliver on DeliveryDate.
type Week struct {
	ID             string `gorm:"primaryKey;size:10"` // ISO week, "2026-W49"
	OfferCutoff    time.Time
	OrderCutoff    time.Time
	CollectionDate string `gorm:"size:10;not null"`
	DeliveryDate   string `gorm:"size:10;not null"`
	Status         string `gorm:"size:16;not null;index"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Offer is what one producer can sell of one product in one week. There is
// at most one offer per week, producer and product: posting again replaces
// the quantity and price (see Store.PutOffer).
type Offer struct {
	Seq        uint64    `gorm:"primaryKey;autoIncrement"`
	WeekID     string    `gorm:"size:10;not null;uniqueIndex:ux_offer,priority:1"`
	Week       *Week     `gorm:"foreignKey:WeekID;constraint:OnDelete:CASCADE"`
	ProducerID string    `gorm:"size:64;not null;uniqueIndex:ux_offer,priority:2"`
	Producer   *Producer `gorm:"foreignKey:ProducerID;constraint:OnUpdate:CASCADE,OnDelete:RESTRICT"`
	ProductID  string    `gorm:"size:64;not null;uniqueIndex:ux_offer,priority:3"`
	Product    *Product  `gorm:"foreignKey:ProductID;constraint:OnUpdate:CASCADE,OnDelete:RESTRICT"`
	Quantity   float64
	PriceCents int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Order is a relay point's order for one week: a basket order (BasketTypeID
// and Count) or an extra order (ProductID and Quantity), possibly on behalf
// of one household. Its ID is unique within the week. Canteen orders are not
// stored as orders: they are derived from meal orders (see Store.Scenario).
type Order struct {
	Seq          uint64   `gorm:"primaryKey;autoIncrement"`
	WeekID       string   `gorm:"size:10;not null;uniqueIndex:ux_order,priority:1"`
	Week         *Week    `gorm:"foreignKey:WeekID;constraint:OnDelete:CASCADE"`
	ID           string   `gorm:"size:64;not null;uniqueIndex:ux_order,priority:2"`
	SiteID       string   `gorm:"size:64;not null;index"`
	Site         *Site    `gorm:"foreignKey:SiteID;constraint:OnUpdate:CASCADE,OnDelete:RESTRICT"`
	Class        string   `gorm:"size:16;not null"` // planner.ClassBasket or planner.ClassExtra
	ProductID    *string  `gorm:"size:64"`
	Product      *Product `gorm:"foreignKey:ProductID;constraint:OnUpdate:CASCADE,OnDelete:RESTRICT"`
	Quantity     float64
	BasketTypeID *string     `gorm:"size:64"`
	BasketType   *BasketType `gorm:"foreignKey:BasketTypeID;constraint:OnUpdate:CASCADE,OnDelete:RESTRICT"`
	Count        int
	HouseholdID  *string    `gorm:"size:64;index"`
	Household    *Household `gorm:"foreignKey:HouseholdID;constraint:OnUpdate:CASCADE,OnDelete:SET NULL"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// MealOrder is a canteen's order for the meals of one date of a week: covers
// per age group and the dishes' products. Its ID is unique within the week.
type MealOrder struct {
	Seq       uint64      `gorm:"primaryKey;autoIncrement"`
	WeekID    string      `gorm:"size:10;not null;uniqueIndex:ux_meal_order,priority:1"`
	Week      *Week       `gorm:"foreignKey:WeekID;constraint:OnDelete:CASCADE"`
	ID        string      `gorm:"size:64;not null;uniqueIndex:ux_meal_order,priority:2"`
	SiteID    string      `gorm:"size:64;not null;index"`
	Site      *Site       `gorm:"foreignKey:SiteID;constraint:OnUpdate:CASCADE,OnDelete:RESTRICT"`
	Date      string      `gorm:"size:10;not null"`
	Note      string      `gorm:"size:500"`
	Covers    []MealCover `gorm:"foreignKey:MealOrderSeq;constraint:OnDelete:CASCADE"`
	Dishes    []MealDish  `gorm:"foreignKey:MealOrderSeq;constraint:OnDelete:CASCADE"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MealCover is the number of covers of one age group in a meal order.
type MealCover struct {
	MealOrderSeq uint64 `gorm:"primaryKey"`
	AgeGroup     string `gorm:"primaryKey;size:16"`
	Covers       int
}

// MealDish is one product of a meal order. PortionG, when set, replaces the
// portion table for this dish: grams of the product per cover, whatever the
// age group (a soup, a dish cooked differently).
type MealDish struct {
	MealOrderSeq uint64   `gorm:"primaryKey"`
	Position     int      `gorm:"primaryKey"`
	ProductID    string   `gorm:"size:64;not null"`
	Product      *Product `gorm:"foreignKey:ProductID;constraint:OnUpdate:CASCADE,OnDelete:RESTRICT"`
	PortionG     *float64
}

// Portion is the coordinator's portion of one product for one age group, in
// grams of raw product per cover. It overrides DefaultPortionG.
type Portion struct {
	AgeGroup  string   `gorm:"primaryKey;size:16"`
	ProductID string   `gorm:"primaryKey;size:64"`
	Product   *Product `gorm:"foreignKey:ProductID;constraint:OnUpdate:CASCADE,OnDelete:CASCADE"`
	Grams     float64
	UpdatedAt time.Time
}

// Token is an access token. Only the SHA-256 of the clear token is stored
// (hex, in Hash); the clear token is shown once, when created. Scope is the
// producer id of a farmer, the relay point id of a relay manager, the canteen
// id of a cook, and empty for a coordinator.
type Token struct {
	ID        uint64 `gorm:"primaryKey;autoIncrement"`
	Hash      string `gorm:"size:64;not null;uniqueIndex"`
	Role      string `gorm:"size:16;not null"`
	Scope     string `gorm:"size:64"`
	Name      string `gorm:"size:200"`
	CreatedAt time.Time
}

// IdempotencyRecord remembers the response to a write made with an
// Idempotency-Key, so a retried request gets the same answer and creates
// nothing. Scope is who sent it (a token id), Route the method and route.
type IdempotencyRecord struct {
	Key         string `gorm:"column:idem_key;primaryKey;size:255"`
	Scope       string `gorm:"primaryKey;size:64"`
	Route       string `gorm:"primaryKey;size:255"`
	RequestHash string `gorm:"size:64;not null"`
	Status      int
	Body        string `gorm:"type:text"`
	CreatedAt   time.Time
}

// JobRun records one run of a scheduled job (closing offers, planning,
// publishing) for a week: when it started and ended, and how it went.
type JobRun struct {
	ID        uint64 `gorm:"primaryKey;autoIncrement"`
	Job       string `gorm:"size:64;not null;index:ix_job_run,priority:1"`
	Week      string `gorm:"size:10;index:ix_job_run,priority:2"`
	StartedAt time.Time
	EndedAt   *time.Time
	Outcome   string `gorm:"size:16;not null"` // JobRunning, JobOK, JobFailed, JobSkipped
	Error     string `gorm:"type:text"`
	// ErrorFR is the error in French when it has words for people (see
	// FinishJobRun); empty when Error is only the code's, in English.
	ErrorFR string `gorm:"type:text"`
	// Trigger is what started the run: the schedule, a catch-up at start,
	// the API, a page, a command (jobs.Trigger*); empty for runs recorded
	// before it was.
	Trigger string `gorm:"size:16"`
}

// StoredPlan is one version of a week's plan, as the contract's JSON. At
// most one version per week is Current: saving a new version makes it the
// current one in the same transaction.
type StoredPlan struct {
	ID          uint64 `gorm:"primaryKey;autoIncrement"`
	WeekID      string `gorm:"size:10;not null;uniqueIndex:ux_plan,priority:1"`
	Week        *Week  `gorm:"foreignKey:WeekID;constraint:OnDelete:CASCADE"`
	Version     int    `gorm:"not null;uniqueIndex:ux_plan,priority:2"`
	JSON        string `gorm:"type:text;not null"`
	Current     bool   `gorm:"column:is_current;not null;index"`
	Published   bool   `gorm:"not null"`
	CreatedAt   time.Time
	PublishedAt *time.Time
}

// PlanInput is what a plan version was made from, stored beside it so that
// its documents are rendered from the very scenario that was planned, even
// after the catalogue changes: the scenario JSON (no personal data: the
// households are summed per relay point), the seed, the postal addresses
// of the hub, producers and sites at planning time, and what started it.
type PlanInput struct {
	WeekID    string `gorm:"primaryKey;size:10"`
	Week      *Week  `gorm:"foreignKey:WeekID;constraint:OnDelete:CASCADE"`
	Version   int    `gorm:"primaryKey"`
	Seed      int64
	Scenario  string `gorm:"type:text;not null"`
	Addresses string `gorm:"type:text;not null"` // JSON object, id -> address
	// Households is what the version's pick-up lists name, frozen with it
	// so that a published list never changes (a household renamed, paused
	// or erased afterwards): JSON, relay point id -> lines (see
	// sheets.Household). "" for a version saved before lists were frozen.
	// Personal data: EraseHousehold rewrites it.
	Households string `gorm:"type:text;not null;default:''"`
	CreatedAt  time.Time
	// Trigger is what made the version, as JobRun.Trigger (the schedule, a
	// catch-up, the API, the week page, a command); empty for versions
	// stored before it was recorded.
	Trigger string `gorm:"size:16"`
}

// PlanDocument is the content hash (SHA-256, hex) of one document of one plan
// version, rendered in French with the default options: when the version is
// saved after a publication of its week (the only case where a change must
// be shown), or else when it is published. Comparing the hashes of two
// versions tells which documents a re-plan changed.
type PlanDocument struct {
	WeekID  string `gorm:"primaryKey;size:10"`
	Version int    `gorm:"primaryKey"`
	Kind    string `gorm:"primaryKey;size:32"`
	For     string `gorm:"column:doc_for;primaryKey;size:64"`
	Format  string `gorm:"primaryKey;size:8"`
	Hash    string `gorm:"size:64;not null"`
}

// JobClaim is one scheduled time of one job, claimed by the instance that
// runs it. Its primary key (job, due time) is what makes a scheduled job run
// on exactly one of several instances sharing a database: each instance
// tries to insert the claim and only one insert succeeds. Holder names the
// instance, ExpiresAt (Unix milliseconds) bounds how long a claim whose
// holder died keeps others away, Outcome is empty while running, then
// JobOK or JobFailed.
type JobClaim struct {
	Job       string `gorm:"primaryKey;size:64"`
	Due       int64  `gorm:"primaryKey;autoIncrement:false"` // Unix seconds of the scheduled time
	Holder    string `gorm:"size:128;not null"`
	ExpiresAt int64  `gorm:"not null"` // Unix milliseconds
	Outcome   string `gorm:"size:16;not null;default:''"`
	CatchUp   bool   `gorm:"not null"`
	CreatedAt time.Time
}

// allModels lists every row type, for migrations.
func allModels() []any {
	return append([]any{
		&Hub{}, &Producer{}, &Product{}, &Site{}, &Vehicle{},
		&BasketType{}, &BasketContent{}, &Household{}, &Week{},
		&Offer{}, &Order{}, &MealOrder{}, &MealCover{}, &MealDish{},
		&Portion{}, &Token{}, &IdempotencyRecord{}, &JobRun{}, &StoredPlan{},
		&PlanInput{}, &PlanDocument{}, &JobClaim{},
		&SignInLink{}, &Session{}, &Pickup{}, &StopDelivery{},
	}, manneModels()...)
}

package api

import (
	"context"

	"github.com/gin-gonic/gin"

	"paniers/models"
	"paniers/planner/egalim"
)

// referenceStore is what the reference data routes (producers, products,
// sites, vehicles, basket types) need; *models.Store satisfies it.
type referenceStore interface {
	ListProducers(ctx context.Context, page models.Page) ([]models.Producer, error)
	GetProducer(ctx context.Context, id string) (models.Producer, error)
	CreateProducer(ctx context.Context, p *models.Producer) error
	UpdateProducer(ctx context.Context, p *models.Producer) error
	ListProducts(ctx context.Context, page models.Page) ([]models.Product, error)
	GetProduct(ctx context.Context, id string) (models.Product, error)
	CreateProduct(ctx context.Context, p *models.Product) error
	UpdateProduct(ctx context.Context, p *models.Product) error
	ListSites(ctx context.Context, kind string, page models.Page) ([]models.Site, error)
	GetSite(ctx context.Context, id string) (models.Site, error)
	CreateSite(ctx context.Context, s *models.Site) error
	UpdateSite(ctx context.Context, s *models.Site) error
	ListVehicles(ctx context.Context, page models.Page) ([]models.Vehicle, error)
	GetVehicle(ctx context.Context, id string) (models.Vehicle, error)
	CreateVehicle(ctx context.Context, v *models.Vehicle) error
	UpdateVehicle(ctx context.Context, v *models.Vehicle) error
	ListBasketTypes(ctx context.Context, page models.Page) ([]models.BasketType, error)
	GetBasketType(ctx context.Context, id string) (models.BasketType, error)
	CreateBasketType(ctx context.Context, b *models.BasketType) error
	UpdateBasketType(ctx context.Context, b *models.BasketType) error
}

var _ referenceStore = (*models.Store)(nil)

// Reference data: producers, products, sites, vehicles and basket types.
// Any authenticated role reads producers, products, sites (which hold no
// personal data) and basket types; vehicles are the coordinator's business.
// Only the coordinator writes: POST creates, PUT replaces a producer's,
// product's, site's, vehicle's or basket type's fields (all but the id).
// Stored plans keep the scenario they were made from, so a change to a
// product's portions or a basket type counts from the next plan.

func (s *Server) registerReference(v1 *gin.RouterGroup) {
	coord := s.requireRole()
	v1.GET("/producers", s.handle(s.listProducers))
	v1.POST("/producers", coord, s.handle(s.createProducer))
	v1.GET("/producers/:producer", s.handle(s.getProducer))
	v1.PUT("/producers/:producer", coord, s.handle(s.putProducer))
	v1.GET("/products", s.handle(s.listProducts))
	v1.POST("/products", coord, s.handle(s.createProduct))
	v1.GET("/products/:product", s.handle(s.getProduct))
	v1.PUT("/products/:product", coord, s.handle(s.putProduct))
	v1.GET("/sites", s.handle(s.listSites))
	v1.POST("/sites", coord, s.handle(s.createSite))
	v1.GET("/sites/:site", s.handle(s.getSite))
	v1.PUT("/sites/:site", coord, s.handle(s.putSite))
	v1.GET("/vehicles", coord, s.handle(s.listVehicles))
	v1.POST("/vehicles", coord, s.handle(s.createVehicle))
	v1.GET("/vehicles/:vehicle", coord, s.handle(s.getVehicle))
	v1.PUT("/vehicles/:vehicle", coord, s.handle(s.putVehicle))
	v1.GET("/basket-types", s.handle(s.listBasketTypes))
	v1.POST("/basket-types", coord, s.handle(s.createBasketType))
	v1.GET("/basket-types/:basket", s.handle(s.getBasketType))
	v1.PUT("/basket-types/:basket", coord, s.handle(s.putBasketType))
}

// listOf serves a paginated list read by fetch and converted by conv.
func listOf[R, T any](c *gin.Context, fetch func(models.Page) ([]R, error), conv func(R) T) error {
	p, err := parsePage(c)
	if err != nil {
		return err
	}
	rows, err := fetch(p.store())
	if err != nil {
		return err
	}
	writeList(c, p, rows, conv)
	return nil
}

// oneOf serves one resource named by a path parameter.
func oneOf[R, T any](c *gin.Context, param string, what text, fetch func(string) (R, error), conv func(R) T) error {
	id, err := idParam(c, param)
	if err != nil {
		return err
	}
	row, err := fetch(id)
	if err != nil {
		return notFoundAs(err, param, what, id)
	}
	ok(c, conv(row))
	return nil
}

func (s *Server) listProducers(c *gin.Context) error {
	return listOf(c, func(p models.Page) ([]models.Producer, error) { return s.store.ListProducers(c.Request.Context(), p) }, producerFor(c))
}

func (s *Server) getProducer(c *gin.Context) error {
	return oneOf(c, "producer", nameProducer, func(id string) (models.Producer, error) { return s.store.GetProducer(c.Request.Context(), id) }, producerFor(c))
}

// producerRequest is the body of POST /producers.
type producerRequest struct {
	ID         *string    `json:"id"`
	Name       *string    `json:"name"`
	Kind       string     `json:"kind"`
	Place      string     `json:"place"`
	Address    string     `json:"address"`
	Lat        *float64   `json:"lat"`
	Lon        *float64   `json:"lon"`
	Collect    bool       `json:"collect"`
	Window     *[2]string `json:"window"`
	ServiceMin float64    `json:"service_min"`
	// Lender is the household lending a garden (kind garden only).
	Lender *string `json:"lender"`
}

// row checks the required fields and converts the body.
func (req producerRequest) row() (models.Producer, error) {
	var v checker
	required(&v, "id", req.ID)
	required(&v, "name", req.Name)
	required(&v, "lat", req.Lat)
	required(&v, "lon", req.Lon)
	required(&v, "window", req.Window)
	if err := v.err(); err != nil {
		return models.Producer{}, err
	}
	return models.Producer{ID: *req.ID, Name: *req.Name, Kind: req.Kind, Place: req.Place, Address: req.Address,
		Lat: *req.Lat, Lon: *req.Lon, Collect: req.Collect, WindowStart: req.Window[0], WindowEnd: req.Window[1],
		ServiceMin: req.ServiceMin, LenderID: req.Lender}, nil
}

func (s *Server) createProducer(c *gin.Context) error {
	var req producerRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	row, err := req.row()
	if err != nil {
		return err
	}
	if err := s.store.CreateProducer(c.Request.Context(), &row); err != nil {
		return conflictAs(err, "id", nameProducer, row.ID)
	}
	writeCreated(c, "/api/v1/producers/"+row.ID, toProducer(row))
	return nil
}

// putProducer replaces a producer's fields; its id stays.
func (s *Server) putProducer(c *gin.Context) error {
	var req producerRequest
	if err := decodePut(c, "producer", &req, &req.ID); err != nil {
		return err
	}
	row, err := req.row()
	if err != nil {
		return err
	}
	if err := s.store.UpdateProducer(c.Request.Context(), &row); err != nil {
		return notFoundAs(err, "producer", nameProducer, row.ID)
	}
	ok(c, toProducer(row))
	return nil
}

func (s *Server) listProducts(c *gin.Context) error {
	return listOf(c, func(p models.Page) ([]models.Product, error) { return s.store.ListProducts(c.Request.Context(), p) }, toProduct)
}

func (s *Server) getProduct(c *gin.Context) error {
	return oneOf(c, "product", nameProduct, func(id string) (models.Product, error) { return s.store.GetProduct(c.Request.Context(), id) }, toProduct)
}

// productRequest is the body of POST /products and PUT /products/{product}.
// basket_min left out takes the default portion (the smallest multiple of
// the step weighing 0.2 kg), basket_max left out means no bound.
type productRequest struct {
	ID        *string  `json:"id"`
	Name      *string  `json:"name"`
	Unit      *string  `json:"unit"`
	KgPerUnit *float64 `json:"kg_per_unit"`
	Category  *string  `json:"category"`
	Step      *float64 `json:"step"`
	Organic   bool     `json:"organic"`
	BasketMin *float64 `json:"basket_min"`
	BasketMax *float64 `json:"basket_max"`
	// EgalimLabels are ma-cantine's categories_egalim (BIO follows from
	// organic); Family its famille_produits, by default the category's.
	EgalimLabels []string `json:"egalim_labels" maxItems:"20"`
	Family       string   `json:"family"`
}

// row checks the required fields and converts the body.
func (req productRequest) row() (models.Product, error) {
	var v checker
	required(&v, "id", req.ID)
	required(&v, "name", req.Name)
	required(&v, "unit", req.Unit)
	required(&v, "kg_per_unit", req.KgPerUnit)
	required(&v, "category", req.Category)
	required(&v, "step", req.Step)
	for _, f := range []struct {
		name string
		v    *float64
	}{{"basket_min", req.BasketMin}, {"basket_max", req.BasketMax}} {
		if f.v != nil {
			if fe := models.GivenPortion(f.name, *f.v); fe != nil {
				v.add(fe.Field, fe.Reason)
			}
		}
	}
	if err := v.err(); err != nil {
		return models.Product{}, err
	}
	row := models.Product{ID: *req.ID, Name: *req.Name, Unit: *req.Unit, KgPerUnit: *req.KgPerUnit,
		Category: *req.Category, Step: *req.Step, Organic: req.Organic,
		EgalimLabels: egalim.JoinLabels(req.EgalimLabels), Family: req.Family}
	if req.BasketMin != nil {
		row.BasketMin = *req.BasketMin
	}
	if req.BasketMax != nil {
		row.BasketMax = *req.BasketMax
	}
	return row, nil
}

func (s *Server) createProduct(c *gin.Context) error {
	var req productRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	row, err := req.row()
	if err != nil {
		return err
	}
	if err := s.store.CreateProduct(c.Request.Context(), &row); err != nil {
		return conflictAs(err, "id", nameProduct, row.ID)
	}
	writeCreated(c, "/api/v1/products/"+row.ID, toProduct(row))
	return nil
}

// putProduct replaces a product's fields, portions included; its id stays.
func (s *Server) putProduct(c *gin.Context) error {
	var req productRequest
	if err := decodePut(c, "product", &req, &req.ID); err != nil {
		return err
	}
	row, err := req.row()
	if err != nil {
		return err
	}
	if err := s.store.UpdateProduct(c.Request.Context(), &row); err != nil {
		return notFoundAs(err, "product", nameProduct, row.ID)
	}
	ok(c, toProduct(row))
	return nil
}

func (s *Server) listSites(c *gin.Context) error {
	kind := c.Query("kind")
	if kind != "" && kind != "relay" && kind != "canteen" {
		return errKind(kindBadRequest, text{FR: "Paramètre invalide.", EN: "Invalid parameter."},
			FieldError{Field: "kind", Reason: text{FR: "relay ou canteen attendu", EN: "relay or canteen expected"}})
	}
	return listOf(c, func(p models.Page) ([]models.Site, error) { return s.store.ListSites(c.Request.Context(), kind, p) }, toSite)
}

func (s *Server) getSite(c *gin.Context) error {
	return oneOf(c, "site", nameSite, func(id string) (models.Site, error) { return s.store.GetSite(c.Request.Context(), id) }, toSite)
}

// siteRequest is the body of POST /sites.
type siteRequest struct {
	ID         *string    `json:"id"`
	Name       *string    `json:"name"`
	Kind       *string    `json:"kind"`
	Place      string     `json:"place"`
	Address    string     `json:"address"`
	Lat        *float64   `json:"lat"`
	Lon        *float64   `json:"lon"`
	Window     *[2]string `json:"window"`
	ServiceMin float64    `json:"service_min"`
	Siret      string     `json:"siret"`
}

// row checks the required fields and converts the body.
func (req siteRequest) row() (models.Site, error) {
	var v checker
	required(&v, "id", req.ID)
	required(&v, "name", req.Name)
	required(&v, "kind", req.Kind)
	required(&v, "lat", req.Lat)
	required(&v, "lon", req.Lon)
	required(&v, "window", req.Window)
	if err := v.err(); err != nil {
		return models.Site{}, err
	}
	return models.Site{ID: *req.ID, Name: *req.Name, Kind: *req.Kind, Place: req.Place, Address: req.Address,
		Lat: *req.Lat, Lon: *req.Lon, WindowStart: req.Window[0], WindowEnd: req.Window[1], ServiceMin: req.ServiceMin,
		Siret: req.Siret}, nil
}

// putSite replaces a site's fields; its id and kind stay.
func (s *Server) putSite(c *gin.Context) error {
	var req siteRequest
	if err := decodePut(c, "site", &req, &req.ID); err != nil {
		return err
	}
	row, err := req.row()
	if err != nil {
		return err
	}
	if err := s.store.UpdateSite(c.Request.Context(), &row); err != nil {
		return notFoundAs(err, "site", nameSite, row.ID)
	}
	ok(c, toSite(row))
	return nil
}

func (s *Server) createSite(c *gin.Context) error {
	var req siteRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	row, err := req.row()
	if err != nil {
		return err
	}
	if err := s.store.CreateSite(c.Request.Context(), &row); err != nil {
		return conflictAs(err, "id", nameSite, row.ID)
	}
	writeCreated(c, "/api/v1/sites/"+row.ID, toSite(row))
	return nil
}

func (s *Server) listVehicles(c *gin.Context) error {
	return listOf(c, func(p models.Page) ([]models.Vehicle, error) { return s.store.ListVehicles(c.Request.Context(), p) }, toVehicle)
}

func (s *Server) getVehicle(c *gin.Context) error {
	return oneOf(c, "vehicle", nameVehicle, func(id string) (models.Vehicle, error) { return s.store.GetVehicle(c.Request.Context(), id) }, toVehicle)
}

// vehicleRequest is the body of POST /vehicles.
type vehicleRequest struct {
	ID         *string    `json:"id"`
	Name       string     `json:"name"`
	CapacityKg *float64   `json:"capacity_kg"`
	Shift      *[2]string `json:"shift"`
}

// row checks the required fields and converts the body.
func (req vehicleRequest) row() (models.Vehicle, error) {
	var v checker
	required(&v, "id", req.ID)
	required(&v, "capacity_kg", req.CapacityKg)
	required(&v, "shift", req.Shift)
	if err := v.err(); err != nil {
		return models.Vehicle{}, err
	}
	return models.Vehicle{ID: *req.ID, Name: req.Name, CapacityKg: *req.CapacityKg, ShiftStart: req.Shift[0], ShiftEnd: req.Shift[1]}, nil
}

// putVehicle replaces a vehicle's fields; its id stays.
func (s *Server) putVehicle(c *gin.Context) error {
	var req vehicleRequest
	if err := decodePut(c, "vehicle", &req, &req.ID); err != nil {
		return err
	}
	row, err := req.row()
	if err != nil {
		return err
	}
	if err := s.store.UpdateVehicle(c.Request.Context(), &row); err != nil {
		return notFoundAs(err, "vehicle", nameVehicle, row.ID)
	}
	ok(c, toVehicle(row))
	return nil
}

func (s *Server) createVehicle(c *gin.Context) error {
	var req vehicleRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	row, err := req.row()
	if err != nil {
		return err
	}
	if err := s.store.CreateVehicle(c.Request.Context(), &row); err != nil {
		return conflictAs(err, "id", nameVehicle, row.ID)
	}
	writeCreated(c, "/api/v1/vehicles/"+row.ID, toVehicle(row))
	return nil
}

func (s *Server) listBasketTypes(c *gin.Context) error {
	return listOf(c, func(p models.Page) ([]models.BasketType, error) {
		return s.store.ListBasketTypes(c.Request.Context(), p)
	}, toBasketType)
}

func (s *Server) getBasketType(c *gin.Context) error {
	return oneOf(c, "basket", nameBasketType, func(id string) (models.BasketType, error) { return s.store.GetBasketType(c.Request.Context(), id) }, toBasketType)
}

// basketTypeRequest is the body of POST /basket-types and PUT
// /basket-types/{basket}.
type basketTypeRequest struct {
	ID         *string `json:"id"`
	Name       *string `json:"name"`
	PriceCents int64   `json:"price_cents"`
	Contents   []struct {
		Category    *string  `json:"category"`
		Kg          *float64 `json:"kg"`
		MinProducts int      `json:"min_products"`
		MaxProducts int      `json:"max_products"`
	} `json:"contents" maxItems:"20"`
}

// row checks the required fields and converts the body.
func (req basketTypeRequest) row() (models.BasketType, error) {
	var v checker
	required(&v, "id", req.ID)
	required(&v, "name", req.Name)
	if req.Contents == nil {
		v.add("contents", reasonRequired)
	}
	for i, ct := range req.Contents {
		f := "contents[" + itoa(i) + "]"
		required(&v, f+".category", ct.Category)
		required(&v, f+".kg", ct.Kg)
	}
	if err := v.err(); err != nil {
		return models.BasketType{}, err
	}
	row := models.BasketType{ID: *req.ID, Name: *req.Name, PriceCents: req.PriceCents}
	for _, ct := range req.Contents {
		row.Contents = append(row.Contents, models.BasketContent{Category: *ct.Category, Kg: *ct.Kg, MinProducts: ct.MinProducts, MaxProducts: ct.MaxProducts})
	}
	return row, nil
}

func (s *Server) createBasketType(c *gin.Context) error {
	var req basketTypeRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	row, err := req.row()
	if err != nil {
		return err
	}
	if err := s.store.CreateBasketType(c.Request.Context(), &row); err != nil {
		return conflictAs(err, "id", nameBasketType, row.ID)
	}
	writeCreated(c, "/api/v1/basket-types/"+row.ID, toBasketType(row))
	return nil
}

// putBasketType replaces a basket type's name, price and contents; its id
// stays.
func (s *Server) putBasketType(c *gin.Context) error {
	var req basketTypeRequest
	if err := decodePut(c, "basket", &req, &req.ID); err != nil {
		return err
	}
	row, err := req.row()
	if err != nil {
		return err
	}
	if err := s.store.UpdateBasketType(c.Request.Context(), &row); err != nil {
		return notFoundAs(err, "basket", nameBasketType, row.ID)
	}
	ok(c, toBasketType(row))
	return nil
}

package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"paniers/models"
)

// tokenStore is what the token routes need; *models.Store satisfies it.
type tokenStore interface {
	CreateToken(ctx context.Context, role, scope, name string) (string, models.Token, error)
	ListTokens(ctx context.Context, page models.Page) ([]models.Token, error)
	DeleteToken(ctx context.Context, id uint64) error
}

var _ tokenStore = (*models.Store)(nil)

// Access: who am I (/me), and the coordinator's management of tokens.

func (s *Server) registerMe(v1 *gin.RouterGroup) {
	v1.GET("/me", s.handle(s.me))
}

func (s *Server) registerTokens(v1 *gin.RouterGroup) {
	coord := s.requireRole()
	v1.GET("/tokens", coord, s.handle(s.listTokens))
	v1.POST("/tokens", coord, s.handle(s.createToken))
	v1.DELETE("/tokens/:token", coord, s.handle(s.deleteToken))
}

// meBody tells a client what its token allows.
type meBody struct {
	Role      string `json:"role"`
	Scope     string `json:"scope,omitempty"`
	ScopeKind string `json:"scope_kind,omitempty"`
	Name      string `json:"name,omitempty"`
	TokenID   string `json:"token_id"`
}

// scopeKinds says what a role's scope names.
var scopeKinds = map[string]string{
	models.RoleFarmer: "producer",
	models.RoleRelay:  "relay",
	models.RoleCook:   "canteen",
}

func (s *Server) me(c *gin.Context) error {
	p := mustPrincipal(c)
	ok(c, meBody{Role: p.Role, Scope: p.Scope, ScopeKind: scopeKinds[p.Role], Name: p.Name, TokenID: p.TokenID})
	return nil
}

// tokenBody describes a token; the clear token only appears in the answer
// to its creation.
type tokenBody struct {
	ID        string `json:"id"`
	Role      string `json:"role"`
	Scope     string `json:"scope,omitempty"`
	Name      string `json:"name,omitempty"`
	CreatedAt string `json:"created_at"`
	Token     string `json:"token,omitempty"`
}

func (s *Server) toToken(t models.Token) tokenBody {
	return tokenBody{ID: strconv.FormatUint(t.ID, 10), Role: t.Role, Scope: t.Scope, Name: t.Name,
		CreatedAt: s.formatInstant(t.CreatedAt)}
}

func (s *Server) listTokens(c *gin.Context) error {
	return listOf(c, func(p models.Page) ([]models.Token, error) { return s.store.ListTokens(c.Request.Context(), p) }, s.toToken)
}

// tokenRequest is the body of POST /tokens.
type tokenRequest struct {
	Role  *string `json:"role"`
	Scope string  `json:"scope"`
	Name  string  `json:"name"`
}

func (s *Server) createToken(c *gin.Context) error {
	var req tokenRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	var v checker
	required(&v, "role", req.Role)
	if _, scoped := scopeKinds[deref(req.Role)]; scoped && req.Scope == "" {
		v.add("scope", text{FR: "obligatoire pour ce rôle : l'identifiant du producteur, du point relais ou de la cantine",
			EN: "required for this role: the producer, relay point or canteen id"})
	}
	if err := v.err(); err != nil {
		return err
	}
	clear, tok, err := s.store.CreateToken(c.Request.Context(), *req.Role, req.Scope, req.Name)
	if err != nil {
		return err
	}
	body := s.toToken(tok)
	body.Token = clear
	writeCreated(c, "/api/v1/tokens/"+body.ID, body)
	return nil
}

func (s *Server) deleteToken(c *gin.Context) error {
	raw := c.Param("token")
	id, err := strconv.ParseUint(raw, 10, 64)
	if err != nil || id == 0 {
		return errKind(kindBadRequest, text{FR: "Identifiant invalide.", EN: "Invalid id."},
			FieldError{Field: "token", Reason: textf("numéro de jeton attendu (reçu %q)", "token number expected (got %q)", truncate(raw, 40))})
	}
	if err := s.store.DeleteToken(c.Request.Context(), id); err != nil {
		return notFoundAs(err, "token", nameToken, raw)
	}
	s.forgetTokens()
	c.Status(http.StatusNoContent)
	return nil
}

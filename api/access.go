package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
)

// tokenStore is what the token routes need; *models.Store satisfies it.
type tokenStore interface {
	Invite(ctx context.Context, role, scope, name string) (models.Invitation, error)
	ListTokens(ctx context.Context, page models.Page) ([]models.Token, error)
	DeleteToken(ctx context.Context, id uint64) error
	CreateSignInLink(ctx context.Context, tokenID uint64) (string, models.SignInLink, error)
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
	v1.POST("/tokens/:token/sign-in-links", coord, s.handle(s.createSignInLink))
}

// meBody tells a client what its token allows.
type meBody struct {
	Role      string `json:"role"`
	Scope     string `json:"scope,omitempty"`
	ScopeKind string `json:"scope_kind,omitempty"`
	Name      string `json:"name,omitempty"`
	TokenID   string `json:"token_id"`
}

func (s *Server) me(c *gin.Context) error {
	p := mustPrincipal(c)
	kind := access.ScopeKinds[p.Role]
	if p.Scope == "" {
		kind = "" // a driver of every vehicle
	}
	ok(c, meBody{Role: p.Role, Scope: p.Scope, ScopeKind: kind, Name: p.Name, TokenID: p.TokenID})
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
	// SignInURL is a one-time link opening a session on the pages for this
	// token, valid seven days (only in the answer to a creation).
	SignInURL       string `json:"sign_in_url,omitempty"`
	SignInExpiresAt string `json:"sign_in_expires_at,omitempty"`
}

// signInLinkBody is a fresh sign-in link for a token.
type signInLinkBody struct {
	Token     string `json:"token"`
	SignInURL string `json:"sign_in_url"`
	ExpiresAt string `json:"expires_at"`
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
	if err := v.err(); err != nil {
		return err
	}
	inv, err := s.store.Invite(c.Request.Context(), *req.Role, req.Scope, req.Name)
	if err != nil {
		return err
	}
	body := s.toToken(inv.Token)
	body.Token = inv.Clear
	body.SignInURL, body.SignInExpiresAt = signInURL(c, inv.LinkClear), s.formatInstant(inv.Link.ExpiresAt)
	writeCreated(c, "/api/v1/tokens/"+body.ID, body)
	return nil
}

// createSignInLink makes a fresh one-time sign-in link for a token (the
// first one expired, or was lost); earlier links stay valid until used or
// expired.
func (s *Server) createSignInLink(c *gin.Context) error {
	id, err := tokenParam(c)
	if err != nil {
		return err
	}
	link, l, err := s.store.CreateSignInLink(c.Request.Context(), id)
	if err != nil {
		return notFoundAs(err, "token", nameToken, c.Param("token"))
	}
	writeJSON(c, http.StatusCreated, "application/json", signInLinkBody{Token: c.Param("token"), SignInURL: signInURL(c, link), ExpiresAt: s.formatInstant(l.ExpiresAt)})
	return nil
}

// signInURL is the absolute address of a sign-in link, on the host the
// coordinator reached the API at (https when the request came over TLS or
// through a trusted proxy saying so).
func signInURL(c *gin.Context, code string) string {
	https := c.Request.TLS != nil || c.ClientIP() != c.RemoteIP() && strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https")
	return access.SignInURL(https, c.Request.Host, code)
}

// tokenParam reads the {token} path parameter: a token's number.
func tokenParam(c *gin.Context) (uint64, error) {
	raw := c.Param("token")
	id, err := strconv.ParseUint(raw, 10, 63) // the database holds signed 64-bit integers
	if err != nil || id == 0 {
		return 0, errKind(kindBadRequest, text{FR: "Identifiant invalide.", EN: "Invalid id."},
			FieldError{Field: "token", Reason: textf("numéro de jeton attendu (reçu %q)", "token number expected (got %q)", truncate(raw, 40))})
	}
	return id, nil
}

func (s *Server) deleteToken(c *gin.Context) error {
	raw := c.Param("token")
	id, err := tokenParam(c)
	if err != nil {
		return err
	}
	if err := s.store.DeleteToken(c.Request.Context(), id); err != nil {
		return notFoundAs(err, "token", nameToken, raw)
	}
	s.forgetTokens()
	c.Status(http.StatusNoContent)
	return nil
}

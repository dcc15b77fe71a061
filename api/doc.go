// Package api is paniers' HTTP service: a gin engine serving the weekly
// cycle's resources under /api/v1, with bearer-token roles and scopes,
// strict JSON decoding and one error path (writeError) that turns every error
// into an RFC 9457 application/problem+json body, in French by default and in
// English on request.
//
// Handlers depend on small interfaces declared here (see store.go), which
// *models.Store satisfies; nothing imports this package except main.
//
// Adding routes from another file: write a method
//
//	func (s *Server) registerXxx(v1 *gin.RouterGroup)
//
// in api/xxx.go, add it to the list in Server.routes, describe the routes in
// openapi.json (regenerate it with go test ./api -run TestOpenAPIDocument -update)
// and the route/document test will keep both in step.
package api

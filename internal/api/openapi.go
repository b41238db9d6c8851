package api

import (
	_ "embed"
	"net/http"
)

// openAPI is the hand-written OpenAPI 3 description of every API route; a
// test keeps it equal to the route table.
//
//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the OpenAPI document, for tests and tools.
func OpenAPI() []byte { return append([]byte(nil), openAPI...) }

// ServeOpenAPI answers GET /api/v1/openapi.json.
func (h *Handler) ServeOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPI)
	return nil
}

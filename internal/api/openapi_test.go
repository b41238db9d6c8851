package api_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/api"
	"hireloop/internal/hiringtest"
)

// TestOpenAPIDescribesEveryRoute keeps the OpenAPI document and the route
// table equal: each API route is described, and nothing else is.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	e := mustAPIEnv(t, hiringtest.MustOpenStore(t, "sqlite"))
	r := e.get("/api/v1/openapi.json")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != api.Prefix {
		t.Fatalf("servers = %+v, want one at %s", doc.Servers, api.Prefix)
	}

	var described []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			described = append(described, strings.ToUpper(method)+" "+api.Prefix+path)
		}
	}
	var routed []string
	for _, rt := range e.srv.Routes() {
		if rt.API {
			routed = append(routed, rt.Method+" "+rt.Path)
		}
	}
	sort.Strings(described)
	sort.Strings(routed)
	if diff := cmp.Diff(routed, described); diff != "" {
		t.Errorf("OpenAPI paths differ from the API routes (-routes +openapi):\n%s", diff)
	}

	// Every reference points at something defined.
	for _, ref := range refs(r.body) {
		name := ref[strings.LastIndex(ref, "/")+1:]
		if strings.HasPrefix(ref, "#/components/schemas/") {
			if _, ok := doc.Components.Schemas[name]; !ok {
				t.Errorf("$ref %s is not defined", ref)
			}
		}
	}
	if _, ok := doc.Components.Schemas["Error"]; !ok {
		t.Error("the error shape is not described")
	}
}

func refs(doc []byte) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if s, ok := c.(string); ok && k == "$ref" {
					out = append(out, s)
				}
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	var v any
	_ = json.Unmarshal(doc, &v)
	walk(v)
	return out
}

package api_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// TestOpenAPISchemasDescribeEveryField keeps the schemas of the types the
// API answers with equal to what it sends: every JSON field of the domain
// type is described, and the description names no field the type lacks.
func TestOpenAPISchemasDescribeEveryField(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{
		"Candidate": hiring.Candidate{}, "User": hiring.User{}, "Application": hiring.Application{},
		"Message": hiring.Message{}, "Interview": hiring.Interview{}, "Interviewer": hiring.Interviewer{},
	} {
		schema, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("no schema %s", name)
			continue
		}
		fields := map[string]bool{}
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if tag == "" || tag == "-" {
				continue
			}
			fields[tag] = true
			if _, ok := schema.Properties[tag]; !ok {
				t.Errorf("schema %s does not describe %s", name, tag)
			}
		}
		for p := range schema.Properties {
			if !fields[p] {
				t.Errorf("schema %s describes %s, which %s does not have", name, p, typ)
			}
		}
	}
}

package web

import (
	"net/http/httptest"
	"testing"
)

// The candidate's messages follow the languages their browser asks for,
// among those hireloop writes in; anything else keeps the one on record.
func TestBrowserLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"de-DE,de;q=0.9,en;q=0.8":   "de",
		"es-MX":                     "es",
		"fr-FR,es;q=0.7,en;q=0.5":   "es",
		"en-GB,en;q=0.9":            "en",
		"ja-JP":                     "",
		"":                          "",
		"this is not a header ;;;=": "",
	} {
		r := httptest.NewRequest("POST", "/jobs/1/apply", nil)
		if header != "" {
			r.Header.Set("Accept-Language", header)
		}
		if got := browserLanguage(r); got != want {
			t.Errorf("Accept-Language %q: language %q, want %q", header, got, want)
		}
	}
}

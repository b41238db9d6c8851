package jobboard_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestCachedAnswersAreCompressed(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		b := mustNewBoard(t, db)
		b.h.CacheTTL = time.Minute
		// fetch sends the Accept-Encoding given and returns the raw answer;
		// Go's client would otherwise ask for gzip itself and hide it.
		fetch := func(t *testing.T, target, acceptEncoding string) (*http.Response, []byte) {
			t.Helper()
			req, err := http.NewRequest(http.MethodGet, b.srv.URL+target, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Accept-Encoding", acceptEncoding)
			res, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatalf("GET %s: %v", target, err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatalf("read %s: %v", target, err)
			}
			return res, body
		}

		for _, target := range []string{path("/jobs"), path("/jobs?content=true"), path("/departments")} {
			t.Run("GzipWhenAccepted"+strings.TrimPrefix(target, path("")), func(t *testing.T) {
				plainRes, plain := fetch(t, target, "identity")
				zipRes, zipped := fetch(t, target, "gzip, deflate, br")
				if plainRes.StatusCode != http.StatusOK || zipRes.StatusCode != http.StatusOK {
					t.Fatalf("status %d and %d, want 200", plainRes.StatusCode, zipRes.StatusCode)
				}
				if got := plainRes.Header.Get("Content-Encoding"); got != "" {
					t.Errorf("Content-Encoding without gzip accepted = %q, want none", got)
				}
				if got := zipRes.Header.Get("Content-Encoding"); got != "gzip" {
					t.Fatalf("Content-Encoding = %q, want gzip", got)
				}
				zr, err := gzip.NewReader(strings.NewReader(string(zipped)))
				if err != nil {
					t.Fatal(err)
				}
				unzipped, err := io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
				if string(unzipped) != string(plain) {
					t.Errorf("decompressed answer differs from the plain one:\n%s\n%s", unzipped, plain)
				}
				for _, res := range []*http.Response{plainRes, zipRes} {
					if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
						t.Errorf("Vary = %q, want Accept-Encoding", res.Header.Get("Vary"))
					}
					if res.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
						t.Errorf("headers %v, want JSON readable from any site", res.Header)
					}
				}
			})
		}

		t.Run("JSONPIsNeverCompressed", func(t *testing.T) {
			res, body := fetch(t, path("/jobs?callback=cb"), "gzip")
			if got := res.Header.Get("Content-Encoding"); got != "" {
				t.Errorf("Content-Encoding of a JSONP answer = %q, want none", got)
			}
			if !strings.HasPrefix(string(body), "/**/cb(") {
				t.Errorf("JSONP answer starts %.40q", body)
			}
		})
		t.Run("RefusedGzipIsNotSent", func(t *testing.T) {
			res, _ := fetch(t, path("/jobs"), "gzip;q=0")
			if got := res.Header.Get("Content-Encoding"); got != "" {
				t.Errorf("Content-Encoding for gzip;q=0 = %q, want none", got)
			}
		})
	})
}

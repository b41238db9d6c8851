package web_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// photoPDF returns a one-page resume of about 200 KB: a page of text and a
// 256x256 photo of random pixels, as a resume with a picture would be.
func photoPDF(tb testing.TB) []byte {
	tb.Helper()
	var content strings.Builder
	content.WriteString("BT /F1 11 Tf 72 740 Td 14 TL\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&content, "(Bench Candidate. Data engineer, line %d: PostgreSQL, Go, stream processing.) Tj T*\n", i)
	}
	content.WriteString("ET\nq 160 0 0 160 380 560 cm /Im1 Do Q\n")
	image := make([]byte, 256*256*3)
	if _, err := rand.Read(image); err != nil {
		tb.Fatal(err)
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> /XObject << /Im1 6 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 256 /Height 256 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream",
			len(image), image),
	}
	return hiringtest.PDFObjects(objs...)
}

// BenchmarkApply sends the careers-site form with a 200 KB PDF through the
// real handler, store and blob folder, from 16 clients at once, each
// application from a new address. Every answer must be the redirect to the
// confirmation. Profile it with -cpuprofile to see where a request's CPU
// goes.
func BenchmarkApply(b *testing.B) {
	pdf := photoPDF(b)
	for _, engine := range hiringtest.EngineNames() {
		b.Run(engine, func(b *testing.B) {
			db := hiringtest.MustOpenStore(b, engine)
			blobs := hiringtest.MustNewBlobStore(b)
			e := mustEnv(b, db, func(d *web.Deps) {
				d.BaseURL = testBaseURL
				d.CompanyName = testCompany
				d.ApplyRatePerMinute = -1
				d.Applications = store.NewApplicationService(db, blobs, store.ApplyRules{})
				d.Files = store.NewFileService(db, blobs)
			})
			job := hiringtest.MustOpenOpening(b, db, hiring.NewOpening{Title: "Bench Engineer"})
			path := "/jobs/" + itoa(job.ID) + "/apply"

			// The body is built once around the email address, which
			// changes with every request.
			var head, tail bytes.Buffer
			mw := multipart.NewWriter(&head)
			for _, f := range [][2]string{{"name", "Bench Candidate"}, {"location", "Berlin"}, {"consent", "yes"}} {
				if err := mw.WriteField(f[0], f[1]); err != nil {
					b.Fatal(err)
				}
			}
			fmt.Fprintf(&head, "\r\n--%s\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n", mw.Boundary())
			fmt.Fprintf(&tail, "\r\n--%s\r\nContent-Disposition: form-data; name=\"resume\"; filename=\"resume.pdf\"\r\n"+
				"Content-Type: application/pdf\r\n\r\n%s\r\n--%s--\r\n", mw.Boundary(), pdf, mw.Boundary())
			contentType := mw.FormDataContentType()

			var sent atomic.Int64
			b.SetParallelism(8) // 16 clients on 2 cores
			b.SetBytes(int64(head.Len() + tail.Len()))
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					body := make([]byte, 0, head.Len()+tail.Len()+40)
					body = append(body, head.Bytes()...)
					body = fmt.Appendf(body, "bench-%d@example.com", sent.Add(1))
					body = append(body, tail.Bytes()...)
					req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
					req.Header.Set("Content-Type", contentType)
					rec := httptest.NewRecorder()
					e.srv.ServeHTTP(rec, req)
					if rec.Code != http.StatusSeeOther {
						b.Errorf("POST %s: status %d: %.300s", path, rec.Code, rec.Body.String())
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "applications/s")
		})
	}
}

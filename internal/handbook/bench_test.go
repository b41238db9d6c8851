package handbook

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkImportCorpus parses every page of handbook/job-families and the
// seeds, and reports pages per second.
func BenchmarkImportCorpus(b *testing.B) {
	files := corpusFiles(b)
	seeds, err := filepath.Glob(filepath.Join(sharedDir(b), "seeds", "*.txt"))
	if err != nil {
		b.Fatal(err)
	}
	files = append(files, seeds...)
	pages := make([][]byte, len(files))
	bytes := 0
	for i, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages[i] = data
		bytes += len(data)
	}
	b.SetBytes(int64(bytes))
	b.ResetTimer()
	for b.Loop() {
		for i, data := range pages {
			Parse(files[i], data)
		}
	}
	b.ReportMetric(float64(b.N*len(pages))/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkRender renders the largest family of the corpus.
func BenchmarkRender(b *testing.B) {
	f := mustFamily(b, corpusFile(b, "engineering__backend-engineer__index"))
	b.ResetTimer()
	for b.Loop() {
		Render(f)
	}
}

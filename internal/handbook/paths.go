package handbook

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"hireloop/internal/hiring"
)

// Result is what ImportPaths read: one page per file, in a stable order.
type Result struct {
	Pages []*Page
}

// Families returns the families found, in page order.
func (r *Result) Families() []*hiring.Family {
	var out []*hiring.Family
	for _, p := range r.Pages {
		if p.Family != nil {
			out = append(out, p.Family)
		}
	}
	return out
}

// Warnings returns every page's warnings, and for each file that is not a
// job-family page a note saying why it was skipped, so that nothing is
// skipped silently.
func (r *Result) Warnings() []Warning {
	out := []Warning{}
	for _, p := range r.Pages {
		out = append(out, p.Warnings...)
		if p.NotFamily {
			out = append(out, Warning{Source: p.Source, Line: 0, Message: "skipped, not a job-family page: " + p.Reason})
		}
	}
	return out
}

// ImportPaths reads files and folders (recursively, skipping hidden ones)
// and parses every file found. It fails only for a path given that does not
// exist or cannot be read at all; a file inside a folder that cannot be read
// becomes a skipped page with its reason. progress, when not nil, is called
// after each file.
func ImportPaths(paths []string, progress func(done, total int, path string)) (*Result, error) {
	var files []string
	seen := map[string]bool{}
	unreadable := map[string]error{}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", root, err)
		}
		if !info.IsDir() {
			f, err := os.Open(root)
			if err != nil {
				return nil, fmt.Errorf("cannot read %s: %w", root, err)
			}
			f.Close()
			root = filepath.Clean(root)
			if !seen[root] {
				seen[root] = true
				files = append(files, root)
			}
			continue
		}
		var found []string
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == root {
					return err
				}
				// An unreadable sub-folder is reported as a skipped page.
				if !seen[p] {
					unreadable[p] = err
					found = append(found, p)
				}
				return nil
			}
			if p != root && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", root, err)
		}
		sort.Strings(found)
		for _, p := range found {
			if !seen[p] {
				seen[p] = true
				files = append(files, p)
			}
		}
	}
	res := &Result{Pages: make([]*Page, 0, len(files))}
	for i, p := range files {
		if err, ok := unreadable[p]; ok {
			res.Pages = append(res.Pages, &Page{Source: filepath.ToSlash(p), NotFamily: true, Reason: "cannot be read: " + describeErr(err)})
		} else {
			res.Pages = append(res.Pages, readPage(p))
		}
		if progress != nil {
			progress(i+1, len(files), p)
		}
	}
	return res, nil
}

// readPage reads and parses one file. Files over MaxFileSize are judged by
// their size alone and never read into memory.
func readPage(p string) (page *Page) {
	source := filepath.ToSlash(p)
	f, err := os.Open(p)
	if err != nil {
		return &Page{Source: source, NotFamily: true, Reason: "cannot be read: " + describeErr(err)}
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return &Page{Source: source, NotFamily: true, Reason: "cannot be read: " + describeErr(err)}
	}
	if !info.Mode().IsRegular() {
		return &Page{Source: source, NotFamily: true, Reason: "not a regular file"}
	}
	if info.Size() > MaxFileSize {
		return &Page{Source: source, NotFamily: true, Reason: fmt.Sprintf("file is larger than %d MB, far larger than any page; it was not read", MaxFileSize>>20)}
	}
	// Read at most one byte past the cap, in case the file grew.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return &Page{Source: source, NotFamily: true, Reason: "cannot be read: " + describeErr(err)}
	}
	defer func() {
		// Parse is written not to panic, and fuzzed to check it. Should a
		// page still find a way, the other pages of the import go on.
		if v := recover(); v != nil {
			page = &Page{Source: source, NotFamily: true, Reason: "this page could not be read (an internal error in the importer)"}
		}
	}()
	return Parse(source, data)
}

// describeErr keeps the part of a file error that helps a person.
func describeErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ExportPath is where `families export DIR` writes a family: its
// department's folders, then the family's slug, as in
// "engineering/infrastructure/site-reliability-engineer.md".
func ExportPath(f *hiring.Family) string {
	var parts []string
	for _, d := range f.DepartmentPath {
		if s := slugify(d); s != "" {
			parts = append(parts, s)
		}
	}
	name := slugify(f.Slug)
	if name == "" {
		name = slugify(f.Title)
	}
	if name == "" {
		name = "family"
	}
	return strings.Join(append(parts, name+".md"), "/")
}

// Package blob stores uploaded files by key. The one implementation here
// keeps them on local disk; the interface is small so that object storage
// can stand in at scale.
//
// Put is durable when it returns: the bytes are written to a temporary file
// in the target folder, the file is synced, renamed over the key's name and
// the folder is synced, so after a crash a key holds either all of its
// bytes or nothing, never a part. The standard library does this in a few
// dozen lines, so no module is added for it; an object-storage Store can
// be written against the same interface when one is needed.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrNotFound is returned by Open for a key that holds nothing.
var ErrNotFound = errors.New("blob not found")

// Info describes a stored blob.
type Info struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// Store keeps blobs by key. Keys are relative paths of letters, digits,
// dots, dashes and underscores separated by "/".
type Store interface {
	// Put stores everything r yields under key, replacing what was there,
	// and returns the number of bytes. The blob is durable when Put returns
	// nil; on error nothing is left under key.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	// Open returns the blob's bytes, or ErrNotFound.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the blob; a missing blob is not an error.
	Delete(ctx context.Context, key string) error
	// Walk calls fn for every blob, in no particular order, until fn returns
	// an error.
	Walk(ctx context.Context, fn func(Info) error) error
}

// Disk is a Store in a folder of the local file system.
type Disk struct {
	dir string
	// folders are the folders known to exist, and their shared syncs.
	folders sync.Map // string -> *folderSync
}

// folderSync lets Puts into one folder share a sync of it: one that starts
// after a Put's rename makes that rename durable, so each Put waits for the
// first sync to start after its rename rather than running its own.
type folderSync struct {
	// renamed numbers the renames done; synced is the number of renames
	// done before the latest successful sync started.
	renamed atomic.Uint64
	mu      sync.Mutex
	synced  uint64
}

// syncAfter makes the renames done so far in dir durable.
func (s *folderSync) syncAfter(dir string) error {
	mine := s.renamed.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.synced >= mine {
		return nil
	}
	upTo := s.renamed.Load()
	if err := syncDir(dir); err != nil {
		return err
	}
	s.synced = upTo
	return nil
}

// copyBuffers are the buffers Put copies through: large enough for a
// typical resume to reach the file in one write.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// plainWriter hides the file's ReadFrom, which would copy through a small
// buffer of its own, so that Put's buffer is used.
type plainWriter struct{ w io.Writer }

func (p plainWriter) Write(b []byte) (int, error) { return p.w.Write(b) }

var _ Store = (*Disk)(nil)

// tempPrefix marks a Put in progress; Walk reports such files too, so a
// sweeper removes those a crash left behind.
const tempPrefix = ".put-"

// NewDisk returns a Store in dir, which is created (0700) when missing.
func NewDisk(dir string) (*Disk, error) {
	if dir == "" {
		return nil, errors.New("blob folder is required")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create blob folder: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob folder: %w", err)
	}
	return &Disk{dir: abs}, nil
}

// ValidKey reports whether key may name a blob.
func ValidKey(key string) bool {
	if key == "" || len(key) > 512 {
		return false
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

func (d *Disk) path(key string) (string, error) {
	if !ValidKey(key) {
		return "", fmt.Errorf("blob key %q is not valid", key)
	}
	return filepath.Join(d.dir, filepath.FromSlash(key)), nil
}

// Put writes r to a temporary file beside the key's file, syncs it, renames
// it into place and syncs the folder.
func (d *Disk) Put(ctx context.Context, key string, r io.Reader) (n int64, err error) {
	p, err := d.path(key)
	if err != nil {
		return 0, err
	}
	dir := filepath.Dir(p)
	fs, err := d.folder(dir)
	if err != nil {
		return 0, err
	}
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return 0, fmt.Errorf("put %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	buf := copyBuffers.Get().(*[]byte)
	n, err = io.CopyBuffer(plainWriter{f}, contextReader{ctx, r}, *buf)
	copyBuffers.Put(buf)
	if err != nil {
		return n, fmt.Errorf("put %s: %w", key, err)
	}
	if err = f.Sync(); err != nil {
		return n, fmt.Errorf("put %s: sync: %w", key, err)
	}
	if err = f.Close(); err != nil {
		return n, fmt.Errorf("put %s: %w", key, err)
	}
	if err = os.Rename(f.Name(), p); err != nil {
		return n, fmt.Errorf("put %s: %w", key, err)
	}
	if err = fs.syncAfter(dir); err != nil {
		// The name may not survive a crash; the caller is told the Put
		// failed, so the blob must go too.
		os.Remove(p)
		return n, fmt.Errorf("put %s: sync folder: %w", key, err)
	}
	return n, nil
}

// folder returns the shared sync of dir, creating dir (durably) the first
// time it is needed.
func (d *Disk) folder(dir string) (*folderSync, error) {
	if fs, ok := d.folders.Load(dir); ok {
		return fs.(*folderSync), nil
	}
	if err := d.mkdirs(dir); err != nil {
		return nil, err
	}
	fs, _ := d.folders.LoadOrStore(dir, &folderSync{})
	return fs.(*folderSync), nil
}

// mkdirs creates the folders of a key and syncs each parent that gained an
// entry, so that the folder of a new blob survives a crash too.
func (d *Disk) mkdirs(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir && len(parent) >= len(d.dir) {
		if err := d.mkdirs(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create blob folder: %w", err)
	}
	return syncDir(parent)
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Open returns the blob's bytes.
func (d *Disk) Open(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", key, err)
	}
	return f, nil
}

// Delete removes the blob and syncs its folder, so that a deletion that was
// reported stays done.
func (d *Disk) Delete(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("delete blob %s: %w", key, err)
	}
	return syncDir(filepath.Dir(p))
}

// Walk visits every file under the folder, temporary files of unfinished
// Puts included.
func (d *Disk) Walk(ctx context.Context, fn func(Info) error) error {
	return filepath.WalkDir(d.dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.IsDir() {
			return nil
		}
		fi, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed since the folder was read
		} else if err != nil {
			return err
		}
		rel, err := filepath.Rel(d.dir, p)
		if err != nil {
			return err
		}
		return fn(Info{Key: filepath.ToSlash(rel), Size: fi.Size(), ModTime: fi.ModTime()})
	})
}

// contextReader stops a long copy when the context ends.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

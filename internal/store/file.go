package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"hireloop/internal/blob"
	"hireloop/internal/hiring"
)

// FileService reads uploaded files, records their extracted text and sweeps
// blobs that no file record points to.
//
// Crash safety: an upload's bytes are written to blob storage, durably,
// before the transaction that records the file is opened, under a random
// key that no other upload can share. So a committed file record always
// finds its bytes. If the transaction fails the blob is deleted at once; if
// the process dies first, the blob is an orphan that nothing refers to and
// nobody was told about, and SweepOrphanFiles removes it later. Random keys
// rather than content hashes are used on purpose: with shared keys, deleting
// the blob of a failed upload could remove the bytes of another upload of
// the same file that did commit.
type FileService struct {
	db    *DB
	blobs blob.Store
}

var _ hiring.FileService = (*FileService)(nil)

// NewFileService returns a FileService on db and blobs.
func NewFileService(db *DB, blobs blob.Store) *FileService {
	return &FileService{db: db, blobs: blobs}
}

// OrphanAge is how old a blob without a file record must be before
// SweepOrphanFiles removes it; no upload takes this long to commit.
const OrphanAge = time.Hour

// Limits on what extraction may store.
const maxFileNoteLen = 2000

const fileColumns = "f.id, f.key, f.name, f.content_type, f.size, f.sha256, f.text_status, f.text, f.note, f.created_at"

func scanFile(sc interface{ Scan(...any) error }) (*hiring.File, error) {
	f := &hiring.File{}
	err := sc.Scan(&f.ID, &f.Key, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.TextStatus,
		&f.Text, &f.Note, timeColumn{&f.CreatedAt})
	return f, err
}

// FindFileByID returns a file's record with its text.
func (s *FileService) FindFileByID(ctx context.Context, id int64) (*hiring.File, error) {
	f, err := scanFile(s.db.reader().queryRow(ctx, "SELECT "+fileColumns+" FROM files f WHERE f.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("File")
	} else if err != nil {
		return nil, fmt.Errorf("find file %d: %w", id, err)
	}
	return f, nil
}

// OpenFile returns a file's record and bytes.
func (s *FileService) OpenFile(ctx context.Context, id int64) (*hiring.File, io.ReadCloser, error) {
	f, err := s.FindFileByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	rc, err := s.blobs.Open(ctx, f.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("open file %d: %w", id, err)
	}
	return f, rc, nil
}

// FindFilesPendingText returns up to limit files waiting for extraction,
// oldest first, without their (empty) text.
func (s *FileService) FindFilesPendingText(ctx context.Context, limit int) ([]*hiring.File, error) {
	_, limit, err := pageBounds(0, limit)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.reader().query(ctx, "SELECT "+fileColumns+" FROM files f WHERE f.text_status = ? ORDER BY f.id LIMIT ?",
		string(hiring.TextPending), limit)
	if err != nil {
		return nil, fmt.Errorf("find pending files: %w", err)
	}
	defer rows.Close()
	files := []*hiring.File{}
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, fmt.Errorf("read file: %w", err)
		}
		files = append(files, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find pending files: %w", err)
	}
	return files, nil
}

// SetFileText records what extraction found. The text is made storable
// rather than refused, because it comes from files candidates sent: bytes
// that are not UTF-8 become U+FFFD, NUL characters go, and text beyond
// hiring.MaxFileTextLen is cut. The candidates whose resume this is are
// indexed again in the same transaction.
func (s *FileService) SetFileText(ctx context.Context, fileID int64, text string, status hiring.TextStatus, note string) error {
	if !status.Valid() {
		return fieldError(hiring.EINVALID, "status", "Choose one of: pending, done, failed.")
	}
	text = cleanText(text, hiring.MaxFileTextLen)
	note = cleanText(note, maxFileNoteLen)
	return s.db.transact(ctx, func(t *tx) error {
		res, err := t.exec(ctx, "UPDATE files SET text = ?, text_status = ?, note = ? WHERE id = ?",
			text, string(status), note, fileID)
		if err != nil {
			return fmt.Errorf("set text of file %d: %w", fileID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("set text of file %d: %w", fileID, err)
		} else if n == 0 {
			return notFound("File")
		}
		rows, err := t.query(ctx, "SELECT DISTINCT candidate_id FROM applications WHERE resume_file_id = ?", fileID)
		if err != nil {
			return fmt.Errorf("find candidates of file %d: %w", fileID, err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("read candidate of file %d: %w", fileID, err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find candidates of file %d: %w", fileID, err)
		}
		for _, id := range ids {
			if err := indexCandidate(ctx, t.runner, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// cleanText makes text from outside storable on both engines.
func cleanText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	if len(s) > max {
		s = truncateUTF8(s, max)
	}
	return s
}

// SweepOrphanFiles removes blobs older than OrphanAge that no file record
// names, such as those of an upload whose process died before it committed,
// and returns how many it removed. Younger blobs may belong to an upload
// still committing, so they stay.
func (s *FileService) SweepOrphanFiles(ctx context.Context) (int, error) {
	cutoff := s.db.now().Add(-OrphanAge)
	var batch []string
	removed := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		known, err := knownKeys(ctx, s.db.reader(), batch)
		if err != nil {
			return err
		}
		for _, k := range batch {
			if known[k] {
				continue
			}
			if err := s.blobs.Delete(ctx, k); err != nil {
				return fmt.Errorf("sweep %s: %w", k, err)
			}
			removed++
		}
		batch = batch[:0]
		return nil
	}
	err := s.blobs.Walk(ctx, func(i blob.Info) error {
		if !i.ModTime.Before(cutoff) {
			return nil
		}
		batch = append(batch, i.Key)
		if len(batch) == 200 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return removed, fmt.Errorf("sweep orphan files: %w", err)
	}
	return removed, nil
}

// knownKeys returns which of keys a file record names.
func knownKeys(ctx context.Context, r runner, keys []string) (map[string]bool, error) {
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	rows, err := r.query(ctx, "SELECT key FROM files WHERE key IN ("+placeholders(len(keys))+")", args...)
	if err != nil {
		return nil, fmt.Errorf("look up file keys: %w", err)
	}
	defer rows.Close()
	known := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("read file key: %w", err)
		}
		known[k] = true
	}
	return known, rows.Err()
}

// storedBlob is an upload written to blob storage and not yet recorded.
type storedBlob struct {
	key, name, contentType, sha256 string
	size                           int64
}

// errTooLarge stops a Put that goes past hiring.MaxUploadBytes.
var errTooLarge = errors.New("upload too large")

// limitReader fails once more than n bytes have been read.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, errTooLarge
	}
	return n, err
}

// putUpload writes an upload durably to blob storage under a new random
// key, measuring and hashing it on the way. It refuses empty and oversize
// files, naming field, and leaves nothing behind when it fails.
func putUpload(ctx context.Context, blobs blob.Store, now time.Time, u *hiring.Upload, field string) (*storedBlob, error) {
	var rnd [16]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return nil, fmt.Errorf("blob key: %w", err)
	}
	key := fmt.Sprintf("files/%s/%s", now.UTC().Format("2006/01"), hex.EncodeToString(rnd[:]))
	var h hash.Hash = sha256.New()
	n, err := blobs.Put(ctx, key, io.TeeReader(&limitReader{r: u.Content, n: hiring.MaxUploadBytes}, h))
	if errors.Is(err, errTooLarge) {
		msg := fmt.Sprintf("The file is larger than %d MB.", hiring.MaxUploadBytes>>20)
		return nil, &hiring.Error{Code: hiring.ETOOLARGE, Message: msg, Fields: map[string]string{field: msg}}
	} else if err != nil {
		return nil, fmt.Errorf("store upload: %w", err)
	}
	if n == 0 {
		if err := blobs.Delete(context.WithoutCancel(ctx), key); err != nil {
			return nil, fmt.Errorf("remove empty upload: %w", err)
		}
		return nil, fieldError(hiring.EINVALID, field, "The file is empty.")
	}
	name := u.Name
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	return &storedBlob{key: key, name: name, contentType: u.ContentType, size: n,
		sha256: hex.EncodeToString(h.Sum(nil))}, nil
}

// insertFile records a stored blob, its text still to be extracted.
func insertFile(ctx context.Context, t *tx, b *storedBlob) (int64, error) {
	id, err := t.insert(ctx, `INSERT INTO files (key, name, content_type, size, sha256, text_status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, b.key, b.name, b.contentType, b.size, b.sha256, string(hiring.TextPending), t.now)
	if err != nil {
		return 0, fmt.Errorf("record file: %w", err)
	}
	return id, nil
}

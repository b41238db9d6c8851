package blob_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/iotest"

	"hireloop/internal/blob"
)

func mustDisk(t *testing.T) (*blob.Disk, string) {
	t.Helper()
	dir := t.TempDir()
	d, err := blob.NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d, dir
}

func read(t *testing.T, d *blob.Disk, key string) string {
	t.Helper()
	rc, err := d.Open(t.Context(), key)
	if err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func keys(t *testing.T, d *blob.Disk) []string {
	t.Helper()
	var got []string
	err := d.Walk(t.Context(), func(i blob.Info) error {
		got = append(got, i.Key)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	return got
}

func TestDisk(t *testing.T) {
	t.Run("PutThenOpenGivesTheBytes", func(t *testing.T) {
		d, _ := mustDisk(t)
		n, err := d.Put(t.Context(), "files/2026/a.pdf", strings.NewReader("resume bytes"))
		if err != nil {
			t.Fatal(err)
		}
		if n != 12 {
			t.Errorf("n = %d, want 12", n)
		}
		if got := read(t, d, "files/2026/a.pdf"); got != "resume bytes" {
			t.Errorf("read %q", got)
		}
	})
	t.Run("PutReplaces", func(t *testing.T) {
		d, _ := mustDisk(t)
		d.Put(t.Context(), "k", strings.NewReader("one"))
		d.Put(t.Context(), "k", strings.NewReader("two"))
		if got := read(t, d, "k"); got != "two" {
			t.Errorf("read %q, want two", got)
		}
	})
	t.Run("FailedPutLeavesNothing", func(t *testing.T) {
		d, _ := mustDisk(t)
		r := io.MultiReader(strings.NewReader("half"), iotest.ErrReader(errors.New("connection reset")))
		if _, err := d.Put(t.Context(), "dir/broken", r); err == nil {
			t.Fatal("Put succeeded on a failing reader")
		}
		if got := keys(t, d); len(got) != 0 {
			t.Errorf("blobs after failed Put = %v, want none", got)
		}
		if _, err := d.Open(t.Context(), "dir/broken"); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Open = %v, want ErrNotFound", err)
		}
	})
	t.Run("CancelledPutLeavesNothing", func(t *testing.T) {
		d, _ := mustDisk(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := d.Put(ctx, "k", strings.NewReader("x")); err == nil {
			t.Fatal("Put succeeded with a cancelled context")
		}
		if got := keys(t, d); len(got) != 0 {
			t.Errorf("blobs = %v, want none", got)
		}
	})
	t.Run("DeleteRemovesAndIgnoresMissing", func(t *testing.T) {
		d, _ := mustDisk(t)
		d.Put(t.Context(), "a/b", strings.NewReader("x"))
		if err := d.Delete(t.Context(), "a/b"); err != nil {
			t.Fatal(err)
		}
		if err := d.Delete(t.Context(), "a/b"); err != nil {
			t.Errorf("second Delete = %v, want nil", err)
		}
		if _, err := d.Open(t.Context(), "a/b"); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Open = %v, want ErrNotFound", err)
		}
	})
	t.Run("WalkListsEveryBlobAndLeftoverTemporaryFiles", func(t *testing.T) {
		d, dir := mustDisk(t)
		d.Put(t.Context(), "x/1", strings.NewReader("1"))
		d.Put(t.Context(), "y/z/2", strings.NewReader("22"))
		// What a crash in the middle of a Put leaves behind.
		if err := os.WriteFile(filepath.Join(dir, "x", ".put-123"), []byte("part"), 0o600); err != nil {
			t.Fatal(err)
		}
		got := keys(t, d)
		want := []string{"x/.put-123", "x/1", "y/z/2"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("keys = %v, want %v", got, want)
		}
		if err := d.Delete(t.Context(), "x/.put-123"); err != nil {
			t.Errorf("delete leftover: %v", err)
		}
	})
	t.Run("RefusesKeysOutsideTheFolder", func(t *testing.T) {
		d, _ := mustDisk(t)
		for _, key := range []string{"", "../escape", "a/../../b", "/abs", "a//b", "sp ace", "a\\b"} {
			if _, err := d.Put(t.Context(), key, strings.NewReader("x")); err == nil {
				t.Errorf("Put(%q) succeeded", key)
			}
			if _, err := d.Open(t.Context(), key); err == nil || errors.Is(err, blob.ErrNotFound) {
				t.Errorf("Open(%q) = %v, want a key error", key, err)
			}
		}
	})
}

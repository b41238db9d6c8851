package uploadbuf_test

import (
	"bytes"
	"strings"
	"testing"

	"hireloop/internal/uploadbuf"
)

func TestReadKeepsEachFileUntilRelease(t *testing.T) {
	var s uploadbuf.Set
	a, err := s.Read(strings.NewReader("first file"), 100)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Read(strings.NewReader("second file"), 100)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != "first file" || string(b) != "second file" {
		t.Errorf("read %q and %q", a, b)
	}
	s.Release()
}

func TestReadStopsAtTheLimit(t *testing.T) {
	var s uploadbuf.Set
	defer s.Release()
	got, err := s.Read(bytes.NewReader(make([]byte, 5000)), 4097)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4097 {
		t.Errorf("read %d bytes, want the limit of 4097", len(got))
	}
}

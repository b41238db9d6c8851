package worker_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/resume"
	"hireloop/internal/store"
	"hireloop/internal/worker"
)

func TestWorkerExtractsResumeText(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		blobs := hiringtest.MustNewBlobStore(t)
		files := store.NewFileService(db, blobs)
		apps := store.NewApplicationService(db, blobs, store.ApplyRules{})
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		pdf := MustApplyWithResume(t, db, apps, o, "ada@example.com", "ada.pdf",
			hiringtest.PDF("Ada Quillfeather", "Built a zanzibar scheduler in Go"))
		docx := MustApplyWithResume(t, db, apps, o, "bo@example.com", "bo.docx",
			MustDOCX(t, "Bo Marlowe", "Ran quetzal clusters for five years"))
		w := newWorker(db, nil, files)

		if r := MustPass(t, w); r.Extracted != 2 || r.Unreadable != 0 {
			t.Fatalf("pass: %+v, want two files extracted", r)
		}
		for _, tc := range []struct {
			name string
			id   int64
			word string
		}{{"PDF", pdf, "zanzibar"}, {"DOCX", docx, "quetzal"}} {
			t.Run(tc.name, func(t *testing.T) {
				f, err := files.FindFileByID(t.Context(), tc.id)
				if err != nil {
					t.Fatal(err)
				}
				if f.TextStatus != hiring.TextDone || !strings.Contains(f.Text, tc.word) {
					t.Errorf("status %s, text %q; want done with %q", f.TextStatus, f.Text, tc.word)
				}
				found, n, err := store.NewCandidateService(db).SearchCandidates(t.Context(), hiring.CandidateSearch{Query: tc.word})
				if err != nil {
					t.Fatal(err)
				}
				if n != 1 || len(found) != 1 {
					t.Errorf("search for %q found %d candidates, want the one whose resume says it", tc.word, n)
				}
			})
		}
		t.Run("DoesNotReadTwice", func(t *testing.T) {
			if r := MustPass(t, w); r != (worker.Report{}) {
				t.Errorf("second pass: %+v, want nothing to do", r)
			}
		})
	})
}

func TestWorkerKeepsUnreadableFilesWithANote(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		blobs := hiringtest.MustNewBlobStore(t)
		files := store.NewFileService(db, blobs)
		apps := store.NewApplicationService(db, blobs, store.ApplyRules{})
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		good := hiringtest.PDF("A perfectly fine resume")
		broken := MustApplyWithResume(t, db, apps, o, "a@example.com", "cut.pdf", good[:len(good)/3])
		image := MustApplyWithResume(t, db, apps, o, "b@example.com", "photo.pdf", []byte("\x89PNG\r\n\x1a\n not a resume"))
		gone := MustApplyWithResume(t, db, apps, o, "c@example.com", "gone.pdf", good)
		f, err := files.FindFileByID(t.Context(), gone)
		if err != nil {
			t.Fatal(err)
		}
		if err := blobs.Delete(t.Context(), f.Key); err != nil {
			t.Fatal(err)
		}
		w := newWorker(db, nil, files)

		if r := MustPass(t, w); r.Unreadable != 3 || r.Extracted != 0 {
			t.Fatalf("pass: %+v, want three files kept with a note", r)
		}
		for name, id := range map[string]int64{"Truncated": broken, "NotADocument": image, "MissingBytes": gone} {
			t.Run(name, func(t *testing.T) {
				f, err := files.FindFileByID(t.Context(), id)
				if err != nil {
					t.Fatal(err)
				}
				if f.TextStatus != hiring.TextFailed {
					t.Errorf("status %s, want failed", f.TextStatus)
				}
				if f.Note == "" || strings.Contains(f.Note, "Internal error") || strings.Contains(f.Note, "resume:") {
					t.Errorf("note %q, want a sentence for people", f.Note)
				}
			})
		}
		t.Run("IsNotTriedAgain", func(t *testing.T) {
			if r := MustPass(t, w); r != (worker.Report{}) {
				t.Errorf("second pass: %+v, want nothing to do", r)
			}
		})
	})
}

func TestWorkerBoundsExtraction(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		blobs := hiringtest.MustNewBlobStore(t)
		files := store.NewFileService(db, blobs)
		apps := store.NewApplicationService(db, blobs, store.ApplyRules{})
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		stuck := MustApplyWithResume(t, db, apps, o, "a@example.com", "stuck.pdf", hiringtest.PDF("stuck"))
		panics := MustApplyWithResume(t, db, apps, o, "b@example.com", "panics.pdf", hiringtest.PDF("panics"))

		release := make(chan struct{})
		t.Cleanup(func() { close(release) })
		w := worker.New(worker.Config{
			Outbox:         store.NewOutboxService(db),
			Files:          files,
			ExtractTimeout: 50 * time.Millisecond,
			Extract: func(ctx context.Context, kind resume.Kind, data []byte) (string, error) {
				if strings.Contains(string(data), "panics") {
					panic("a reader bug")
				}
				<-release // ignores its context, as a buggy reader might
				return "", nil
			},
		})
		if r := MustPass(t, w); r.Unreadable != 2 {
			t.Fatalf("pass: %+v, want both files kept with a note", r)
		}
		for name, tc := range map[string]struct {
			id   int64
			want string
		}{"Timeout": {stuck, resume.ErrTimeout.Message}, "Panic": {panics, resume.ErrUnreadable.Message}} {
			t.Run(name, func(t *testing.T) {
				f, err := files.FindFileByID(t.Context(), tc.id)
				if err != nil {
					t.Fatal(err)
				}
				if f.TextStatus != hiring.TextFailed || f.Note != tc.want {
					t.Errorf("status %s, note %q; want failed with %q", f.TextStatus, f.Note, tc.want)
				}
			})
		}
	})
}

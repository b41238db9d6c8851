package hiringtest

import (
	"context"
	"strings"
	"testing"

	"hireloop/internal/blob"
	"hireloop/internal/hiring"
	"hireloop/internal/store"
)

// SampleQuestions returns a new copy of an application form with one
// question of most kinds; the first two are required.
func SampleQuestions() []hiring.Question {
	return []hiring.Question{
		{Label: "What would you like to build with us?", Type: hiring.LongText, Required: true},
		{Label: "Can you work from a country in the European Union?", Type: hiring.YesNo, Required: true},
		{Label: "Which databases have you run in production?", Type: hiring.MultiSelect,
			Options: []string{"PostgreSQL", "SQLite", "ClickHouse"}},
		{Label: "When could you start?", Type: hiring.SingleSelect, Options: []string{"Within a month", "Later"}},
	}
}

// MustSampleRole imports the sample family (once; importing it again
// changes nothing) and returns its first role.
func MustSampleRole(tb testing.TB, db *store.DB) *hiring.Role {
	tb.Helper()
	res, err := store.NewFamilyService(db).ImportFamily(context.Background(), SampleFamily())
	if err != nil {
		tb.Fatalf("import sample family: %v", err)
	}
	return res.Family.Roles[0]
}

// MustCreateOpening makes a draft opening. A zero RoleID means the sample
// role; other fields left empty take the store's defaults.
func MustCreateOpening(tb testing.TB, db *store.DB, n hiring.NewOpening) *hiring.Opening {
	tb.Helper()
	if n.RoleID == 0 {
		n.RoleID = MustSampleRole(tb, db).ID
	}
	o, err := store.NewOpeningService(db).CreateOpening(context.Background(), n)
	if err != nil {
		tb.Fatalf("create opening: %v", err)
	}
	return o
}

// MustOpenOpening makes an opening as MustCreateOpening does and opens it.
func MustOpenOpening(tb testing.TB, db *store.DB, n hiring.NewOpening) *hiring.Opening {
	tb.Helper()
	o := MustCreateOpening(tb, db, n)
	o, err := store.NewOpeningService(db).SetOpeningStatus(context.Background(), o.ID, hiring.OpeningOpen)
	if err != nil {
		tb.Fatalf("open opening %d: %v", o.ID, err)
	}
	return o
}

// MustNewBlobStore returns a blob store on local disk in a folder removed
// when the test ends.
func MustNewBlobStore(tb testing.TB) *blob.Disk {
	tb.Helper()
	d, err := blob.NewDisk(tb.TempDir())
	if err != nil {
		tb.Fatalf("blob store: %v", err)
	}
	return d
}

// SampleApplication returns an application to o from email, with consent, a
// small text resume and an answer to every required question.
func SampleApplication(o *hiring.Opening, email string) hiring.ApplyInput {
	in := hiring.ApplyInput{
		OpeningID:   o.ID,
		Email:       email,
		Name:        "Robin Example",
		Phone:       "+49 30 1234567",
		Location:    "Berlin",
		Links:       []string{"https://example.com/robin"},
		CoverLetter: "I have kept nightly loads on time for three years.",
		Resume: &hiring.Upload{
			Name:        "resume.txt",
			ContentType: "text/plain",
			Content:     strings.NewReader("Robin Example. Data engineer. PostgreSQL, Go, stream processing."),
		},
		Consent: true,
		Source:  hiring.SourceCareersSite,
	}
	for _, q := range o.Questions {
		if !q.Required {
			continue
		}
		a := hiring.AnswerInput{QuestionID: q.ID}
		switch q.Type {
		case hiring.YesNo:
			a.Value = "yes"
		case hiring.SingleSelect:
			a.Value = q.Options[0]
		case hiring.MultiSelect:
			a.Values = q.Options[:1]
		case hiring.FileQuestion:
			a.File = &hiring.Upload{Name: "answer.txt", ContentType: "text/plain", Content: strings.NewReader("an answer")}
		default:
			a.Value = "An answer written for the test."
		}
		in.Answers = append(in.Answers, a)
	}
	return in
}

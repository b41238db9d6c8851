package store_test

import (
	"fmt"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestSelfIDAggregate(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		apps := store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{})
		selfID := store.NewSelfIDService(db)
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{})
		apply := func(i int, s *hiring.SelfID) {
			t.Helper()
			in := hiringtest.SampleApplication(o, fmt.Sprintf("person%d@example.org", i))
			in.SelfID = s
			mustApply(t, apps, in)
		}
		for i := range 4 {
			apply(i, &hiring.SelfID{Gender: "woman", Veteran: "not_veteran"})
		}
		apply(99, nil) // no form: not counted

		t.Run("FewerThanFiveResponsesShowNothing", func(t *testing.T) {
			rep, err := selfID.SelfIDAggregate(t.Context(), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Hidden || rep.Responses != 0 || len(rep.Questions) != 0 {
				t.Errorf("report %+v, want hidden", rep)
			}
		})
		for i := 4; i < 9; i++ {
			gender := "woman"
			if i >= 6 {
				gender = "man" // 3 men, 6 women
			}
			apply(i, &hiring.SelfID{Gender: gender, Veteran: "not_veteran"})
		}
		t.Run("GroupsUnderFiveAreHidden", func(t *testing.T) {
			rep, err := selfID.SelfIDAggregate(t.Context(), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Hidden || rep.Responses != 9 {
				t.Fatalf("report hidden %v responses %d, want 9 shown", rep.Hidden, rep.Responses)
			}
			counts := map[string]hiring.SelfIDCount{}
			for _, q := range rep.Questions {
				for _, c := range q.Counts {
					counts[q.Key+"/"+c.Value] = c
				}
			}
			for key, want := range map[string]hiring.SelfIDCount{
				"gender/woman":                       {Value: "woman", Label: "Woman", Count: 6},
				"gender/man":                         {Value: "man", Label: "Man", Hidden: true},
				"veteran/not_veteran":                {Value: "not_veteran", Label: "I am not a veteran", Count: 9},
				"ethnicity/" + hiring.PreferNotToSay: {Value: hiring.PreferNotToSay, Label: "I prefer not to say", Count: 9},
			} {
				if got := counts[key]; got != want {
					t.Errorf("%s = %+v, want %+v", key, got, want)
				}
			}
		})
		t.Run("UnknownOpeningIsNotFound", func(t *testing.T) {
			_, err := selfID.SelfIDAggregate(t.Context(), 987654)
			wantCode(t, err, hiring.ENOTFOUND)
		})
	})
}

package hiring_test

import (
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
)

func counts(rep *hiring.SelfIDReport, key string) map[string]hiring.SelfIDCount {
	out := map[string]hiring.SelfIDCount{}
	for _, q := range rep.Questions {
		if q.Key == key {
			for _, c := range q.Counts {
				out[c.Value] = c
			}
		}
	}
	return out
}

func TestAggregateSelfID(t *testing.T) {
	t.Run("OneHiddenGroupHidesTheNextSmallest", func(t *testing.T) {
		// 5 + 6 + 7 + 8 shown and 2 hidden would give the 2 away from the total.
		raw := map[string]map[string]int{"gender": {"woman": 8, "man": 7, "non_binary": 6, "self_described": 5, hiring.PreferNotToSay: 2}}
		rep := hiring.AggregateSelfID(1, 28, raw)
		got := counts(rep, "gender")
		if !got[hiring.PreferNotToSay].Hidden || !got["self_described"].Hidden || got["self_described"].Count != 0 {
			t.Errorf("counts %+v: want the 2 and the 5 hidden", got)
		}
		if got["woman"].Count != 8 || got["woman"].Hidden {
			t.Errorf("woman = %+v, want 8 shown", got["woman"])
		}
	})
	t.Run("OneHiddenEmptyGroupGivesNothingAway", func(t *testing.T) {
		raw := map[string]map[string]int{"veteran": {"veteran": 5, "not_veteran": 6}}
		got := counts(hiring.AggregateSelfID(1, 11, raw), "veteran")
		if got["veteran"].Count != 5 || got["not_veteran"].Count != 6 || !got[hiring.PreferNotToSay].Hidden {
			t.Errorf("counts %+v", got)
		}
	})
	t.Run("FewerThanFiveResponsesHideEverything", func(t *testing.T) {
		rep := hiring.AggregateSelfID(1, 4, map[string]map[string]int{"gender": {"woman": 4}})
		if !rep.Hidden || len(rep.Questions) != 0 || rep.Responses != 0 {
			t.Errorf("report %+v", rep)
		}
	})
}

func TestValidateAnswers(t *testing.T) {
	qs := []hiring.Question{
		{ID: 1, Label: "Why", Type: hiring.LongText, Required: true},
		{ID: 2, Label: "EU", Type: hiring.YesNo},
		{ID: 3, Label: "DBs", Type: hiring.MultiSelect, Options: []string{"A", "B"}},
		{ID: 4, Label: "Start", Type: hiring.SingleSelect, Options: []string{"Now", "Later"}},
		{ID: 5, Label: "Work sample", Type: hiring.FileQuestion},
	}
	ok := hiring.AnswerInput{QuestionID: 1, Value: "Because."}
	for _, tc := range []struct {
		name    string
		answers []hiring.AnswerInput
		field   string
	}{
		{"RequiredMissing", nil, "question_1"},
		{"RequiredBlank", []hiring.AnswerInput{{QuestionID: 1, Value: "  "}}, "question_1"},
		{"YesNoOtherWord", []hiring.AnswerInput{ok, {QuestionID: 2, Value: "maybe"}}, "question_2"},
		{"MultiOutsideOptions", []hiring.AnswerInput{ok, {QuestionID: 3, Values: []string{"A", "Z"}}}, "question_3"},
		{"MultiTwice", []hiring.AnswerInput{ok, {QuestionID: 3, Values: []string{"A", "A"}}}, "question_3"},
		{"SingleOutsideOptions", []hiring.AnswerInput{ok, {QuestionID: 4, Value: "now"}}, "question_4"},
		{"UnknownQuestion", []hiring.AnswerInput{ok, {QuestionID: 9, Value: "x"}}, "question_9"},
		{"AnsweredTwice", []hiring.AnswerInput{ok, ok}, "question_1"},
		{"FileForText", []hiring.AnswerInput{{QuestionID: 1, Value: "x", File: &hiring.Upload{}}}, "question_1"},
	} {
		t.Run("Refuses"+tc.name, func(t *testing.T) {
			err := hiring.ValidateAnswers(qs, tc.answers)
			if _, found := hiring.ErrorFields(err)[tc.field]; !found {
				t.Errorf("fields = %v, want %s", hiring.ErrorFields(err), tc.field)
			}
		})
	}
	t.Run("AcceptsGoodAnswers", func(t *testing.T) {
		err := hiring.ValidateAnswers(qs, []hiring.AnswerInput{ok, {QuestionID: 2, Value: "no"},
			{QuestionID: 3, Values: []string{"B", "A"}}, {QuestionID: 4, Value: "Later"}})
		if err != nil {
			t.Errorf("err = %v", err)
		}
	})
}

func TestQuarters(t *testing.T) {
	for in, want := range map[time.Time]string{
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC):    "2026-Q1",
		time.Date(2026, 3, 31, 23, 59, 0, 0, time.UTC): "2026-Q1",
		time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC):   "2026-Q4",
	} {
		if got := hiring.QuarterOf(in); got != want {
			t.Errorf("QuarterOf(%v) = %s, want %s", in, got, want)
		}
	}
	start, ok := hiring.QuarterStart("2026-Q3")
	if !ok || !start.Equal(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("QuarterStart = %v %v", start, ok)
	}
	for _, bad := range []string{"2026-Q0", "2026-Q5", "26-Q1", "1999-Q1", "2026Q1", ""} {
		if hiring.ValidQuarter(bad) {
			t.Errorf("ValidQuarter(%q) = true", bad)
		}
	}
}

func TestComposeConfirmationEscapesHTML(t *testing.T) {
	c := hiring.Confirmation{
		Candidate:   &hiring.Candidate{Name: "<script>alert(1)</script>", Email: "a@example.org"},
		Opening:     &hiring.Opening{Title: "Engineer & <b>Lead</b>", RequisitionID: "1001"},
		Application: &hiring.Application{ID: 7, RetainUntil: time.Date(2028, 3, 2, 0, 0, 0, 0, time.UTC)},
	}
	d := hiring.ComposeConfirmation(c, "https://jobs.example.org/guide/abc?x=1&y=2")
	if strings.Contains(d.HTMLBody, "<script>") || strings.Contains(d.HTMLBody, "<b>") {
		t.Errorf("HTML body not escaped:\n%s", d.HTMLBody)
	}
	if !strings.Contains(d.HTMLBody, `<a href="https://jobs.example.org/guide/abc?x=1&amp;y=2">`) {
		t.Errorf("HTML body lacks the link:\n%s", d.HTMLBody)
	}
	if !strings.Contains(d.TextBody, "2 March 2028") || d.To != "a@example.org" || *d.ApplicationID != 7 {
		t.Errorf("draft %+v", d)
	}
	if err := d.Validate(); err != nil {
		t.Errorf("the composed draft does not validate: %v", err)
	}
}

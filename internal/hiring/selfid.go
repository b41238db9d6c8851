package hiring

import (
	"context"
	"slices"
)

// Voluntary self-identification.
//
// A candidate may answer four questions about themselves. The answers are
// stored apart from the application, with the opening and the day only: no
// candidate, no application, no time of day, and a random row key, so that
// nobody can work out whose answers a row holds. They are shown only as
// counts per opening, and only counts of at least SelfIDMinGroup people.

// SelfIDMinGroup is the smallest group a self-identification report shows.
const SelfIDMinGroup = 5

// PreferNotToSay is an answer to every self-identification question; an
// unanswered question is stored as this.
const PreferNotToSay = "prefer_not_to_say"

// SelfID holds one candidate's voluntary answers.
type SelfID struct {
	Gender     string `json:"gender"`
	Ethnicity  string `json:"ethnicity"`
	Veteran    string `json:"veteran"`
	Disability string `json:"disability"`
}

// SelfIDQuestion is one question of the form with its answers.
type SelfIDQuestion struct {
	// Key names the question: gender, ethnicity, veteran, disability.
	Key     string         `json:"key"`
	Label   string         `json:"label"`
	Answers []SelfIDAnswer `json:"answers"`
}

// SelfIDAnswer is one answer a question offers.
type SelfIDAnswer struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// SelfIDQuestions returns the form's questions and answers in the order the
// form shows them. Each ends with "prefer not to say".
func SelfIDQuestions() []SelfIDQuestion {
	pnts := SelfIDAnswer{PreferNotToSay, "I prefer not to say"}
	return []SelfIDQuestion{
		{"gender", "Gender", []SelfIDAnswer{
			{"woman", "Woman"}, {"man", "Man"}, {"non_binary", "Non-binary"},
			{"self_described", "I describe myself another way"}, pnts}},
		{"ethnicity", "Ethnicity", []SelfIDAnswer{
			{"asian", "Asian"}, {"black", "Black or African descent"},
			{"hispanic_latino", "Hispanic or Latino"}, {"indigenous", "Indigenous"},
			{"middle_eastern_north_african", "Middle Eastern or North African"},
			{"pacific_islander", "Pacific Islander"}, {"white", "White"},
			{"multiple", "More than one of these"}, {"other", "Another ethnicity"}, pnts}},
		{"veteran", "Veteran status", []SelfIDAnswer{
			{"veteran", "I am a veteran"}, {"not_veteran", "I am not a veteran"}, pnts}},
		{"disability", "Disability", []SelfIDAnswer{
			{"yes", "Yes, I have a disability (or had one)"}, {"no", "No, I do not have a disability"}, pnts}},
	}
}

// Values returns the answers in the order of SelfIDQuestions.
func (s *SelfID) Values() []string { return []string{s.Gender, s.Ethnicity, s.Veteran, s.Disability} }

// Validate checks the answers; an empty answer becomes PreferNotToSay.
func (s *SelfID) Validate() error { return s.validation().Err() }

func (s *SelfID) validation() Validation {
	v := Validation{}
	fields := []*string{&s.Gender, &s.Ethnicity, &s.Veteran, &s.Disability}
	for i, q := range SelfIDQuestions() {
		if *fields[i] == "" {
			*fields[i] = PreferNotToSay
		}
		ok := slices.ContainsFunc(q.Answers, func(a SelfIDAnswer) bool { return a.Value == *fields[i] })
		v.Check(ok, "self_id."+q.Key, "Choose one of the answers.")
	}
	return v
}

// SelfIDReport counts the answers given for one opening.
type SelfIDReport struct {
	OpeningID int64 `json:"opening_id"`
	// Responses is the number of forms, or 0 when Hidden.
	Responses int `json:"responses"`
	// Hidden is true when fewer than SelfIDMinGroup people answered: the
	// report then shows nothing at all.
	Hidden    bool                  `json:"hidden"`
	Questions []SelfIDQuestionCount `json:"questions"`
}

// SelfIDQuestionCount counts the answers to one question.
type SelfIDQuestionCount struct {
	Key    string        `json:"key"`
	Label  string        `json:"label"`
	Counts []SelfIDCount `json:"counts"`
}

// SelfIDCount is the number of people who gave one answer. A group under
// SelfIDMinGroup is Hidden with Count 0; so is the next smallest group when
// the only hidden group holds people whose number could otherwise be worked
// out from the total.
type SelfIDCount struct {
	Value  string `json:"value"`
	Label  string `json:"label"`
	Count  int    `json:"count"`
	Hidden bool   `json:"hidden"`
}

// SelfIDService reports on voluntary self-identification.
type SelfIDService interface {
	SelfIDAggregate(ctx context.Context, openingID int64) (*SelfIDReport, error)
}

// AggregateSelfID builds a report from raw counts per question key and
// answer, hiding what could single people out.
func AggregateSelfID(openingID int64, responses int, counts map[string]map[string]int) *SelfIDReport {
	rep := &SelfIDReport{OpeningID: openingID, Questions: []SelfIDQuestionCount{}}
	if responses < SelfIDMinGroup {
		rep.Hidden = true
		return rep
	}
	rep.Responses = responses
	for _, q := range SelfIDQuestions() {
		qc := SelfIDQuestionCount{Key: q.Key, Label: q.Label}
		hidden, hiddenPeople := 0, 0
		for _, a := range q.Answers {
			n := counts[q.Key][a.Value]
			c := SelfIDCount{Value: a.Value, Label: a.Label, Count: n}
			if n < SelfIDMinGroup {
				c.Count, c.Hidden = 0, true
				hidden++
				hiddenPeople += n
			}
			qc.Counts = append(qc.Counts, c)
		}
		if hidden == 1 && hiddenPeople > 0 {
			// One hidden count is the total minus the others: hide the
			// smallest shown count too. (A hidden zero gives no one away.)
			smallest := -1
			for i, c := range qc.Counts {
				if !c.Hidden && (smallest < 0 || c.Count < qc.Counts[smallest].Count) {
					smallest = i
				}
			}
			if smallest >= 0 {
				qc.Counts[smallest].Count, qc.Counts[smallest].Hidden = 0, true
			}
		}
		rep.Questions = append(rep.Questions, qc)
	}
	return rep
}

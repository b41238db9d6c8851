package hiring_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
)

func TestProgressUnfinished(t *testing.T) {
	stage := &hiring.PlanStage{ID: 1, Steps: []*hiring.PlanStep{
		{ID: 10, Name: "Behavioral"}, {ID: 11, Name: "Technical"}, {ID: 12, Name: "References"}, {ID: 13, Name: "Lunch", Optional: true},
	}}
	p := &hiring.Progress{Stage: stage, Steps: map[int64]hiring.StepProgress{
		10: {StepID: 10, Status: hiring.StepDone},
		11: {StepID: 11, Status: hiring.StepNoShow},
		12: {StepID: 12, Status: hiring.StepSkipped},
	}}
	if got := hiring.StepNames(p.Unfinished()); got != "Technical" {
		t.Errorf("unfinished = %q, want the no-show only (optional steps never block)", got)
	}
	p.Steps[11] = hiring.StepProgress{StepID: 11, Status: hiring.StepDone}
	if got := p.Unfinished(); len(got) != 0 {
		t.Errorf("unfinished = %v after every required step is done", hiring.StepNames(got))
	}
	if got := p.StepStatus(99); got != hiring.StepPending {
		t.Errorf("a step without a record is %q, want pending", got)
	}
}

func TestStepNames(t *testing.T) {
	steps := []*hiring.PlanStep{{Name: "A"}, {Name: "B"}, {Name: "C"}}
	for n, want := range []string{"", "A", "A and B", "A, B and C"} {
		if got := hiring.StepNames(steps[:n]); got != want {
			t.Errorf("StepNames of %d = %q, want %q", n, got, want)
		}
	}
}

func TestRejectInputValidate(t *testing.T) {
	msg := hiring.DefaultRejectMessage()
	for _, tc := range []struct {
		name  string
		in    hiring.RejectInput
		field string
	}{
		{"UnknownReason", hiring.RejectInput{Reason: "mood"}, "reason"},
		{"OtherWithoutNote", hiring.RejectInput{Reason: hiring.RejectOther}, "note"},
		{"SendTimeWithoutMessage", hiring.RejectInput{Reason: hiring.RejectExperience, SendAt: &time.Time{}}, "send_at"},
		{"MessageWithoutBody", hiring.RejectInput{Reason: hiring.RejectExperience, Message: &hiring.RejectMessage{Subject: "Hi"}}, "message"},
		{"SubjectOnTwoLines", hiring.RejectInput{Reason: hiring.RejectExperience, Message: &hiring.RejectMessage{Subject: "a\nb", Body: "x"}}, "subject"},
	} {
		t.Run("Refuses"+tc.name, func(t *testing.T) {
			err := tc.in.Validate()
			if _, ok := hiring.ErrorFields(err)[tc.field]; !ok || hiring.ErrorCode(err) != hiring.EINVALID {
				t.Errorf("Validate = %v (fields %v), want a message for %q", err, hiring.ErrorFields(err), tc.field)
			}
		})
	}
	t.Run("AcceptsTheDefaultMessage", func(t *testing.T) {
		in := hiring.RejectInput{Reason: hiring.RejectOtherCandidate, Note: "  chose another  ", Message: &msg}
		if err := in.Validate(); err != nil {
			t.Fatal(err)
		}
		if in.Note != "chose another" {
			t.Errorf("note = %q, want it trimmed", in.Note)
		}
	})
}

func TestCheckSendAt(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	for _, tc := range []struct {
		at *time.Time
		ok bool
	}{{nil, true}, {at(0), true}, {at(time.Hour), true}, {at(-time.Minute), false}, {at(31 * 24 * time.Hour), false}} {
		err := hiring.CheckSendAt(tc.at, now)
		if (err == nil) != tc.ok {
			t.Errorf("CheckSendAt(%v) = %v, want ok %v", tc.at, err, tc.ok)
		}
		if err != nil && hiring.ErrorFields(err)["send_at"] == "" {
			t.Errorf("CheckSendAt(%v) names no field: %v", tc.at, err)
		}
	}
}

func TestVersionConflictIsAConflict(t *testing.T) {
	current := &hiring.Progress{Version: 7}
	err := fmt.Errorf("move: %w", &hiring.VersionConflict{Current: current})
	if hiring.ErrorCode(err) != hiring.ECONFLICT || hiring.ErrorMessage(err) != hiring.StaleVersionMessage {
		t.Errorf("code %q message %q", hiring.ErrorCode(err), hiring.ErrorMessage(err))
	}
	var vc *hiring.VersionConflict
	if !errors.As(err, &vc) || vc.Current.Version != 7 {
		t.Error("the current state is not reachable from the error")
	}
}

func TestRejectMessageExpand(t *testing.T) {
	m := hiring.DefaultRejectMessage().Expand("Robin Example", "Backend Engineer")
	if m.Subject != "Your application for Backend Engineer" {
		t.Errorf("subject = %q", m.Subject)
	}
	if !strings.HasPrefix(m.Body, "Hello Robin Example,") || strings.Contains(m.Body, "{{") {
		t.Errorf("body = %q", m.Body)
	}
	if got := (hiring.RejectMessage{Subject: "{{candidate_name}}"}).Expand("A\r\nBcc: x", "T").Subject; strings.ContainsAny(got, "\r\n") {
		t.Errorf("a name broke the subject line: %q", got)
	}
}

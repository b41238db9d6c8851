package deadline_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"hireloop/internal/deadline"
	"hireloop/internal/hiring"
)

func ptr(t time.Time) *time.Time { return &t }

func TestHearBackBy(t *testing.T) {
	berlin := MustLoadLocation(t, "Europe/Berlin")
	tokyo := MustLoadLocation(t, "Asia/Tokyo")
	weekdays := deadline.Weekdays()
	germany := deadline.Company("DE")
	us := deadline.Company("US")
	tests := []struct {
		name    string
		facts   deadline.Facts
		rules   deadline.Rules
		company deadline.Calendar
		loc     *time.Location
		want    time.Time
	}{
		{
			name:    "ThreeBusinessDaysAfterAFridayInterview",
			facts:   deadline.Facts{AppliedAt: at(berlin, 2025, 6, 2, 9, 0), LastInterviewEnd: ptr(at(berlin, 2025, 6, 13, 16, 0))},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 6, 18),
		},
		{
			name:    "InterviewEndingOnSaturdayIsDueLikeFriday",
			facts:   deadline.Facts{AppliedAt: at(berlin, 2025, 6, 2, 9, 0), LastInterviewEnd: ptr(at(berlin, 2025, 6, 14, 11, 0))},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 6, 18),
		},
		{
			name:    "CandidateCountryHolidayCountsOverCompanyCalendar",
			facts:   deadline.Facts{AppliedAt: at(berlin, 2025, 9, 1, 9, 0), LastInterviewEnd: ptr(at(berlin, 2025, 10, 1, 16, 0)), Country: "DE"},
			company: us, loc: berlin,
			want: endOf(berlin, 2025, 10, 7),
		},
		{
			name:    "CompanyHolidayDoesNotCountForCandidateElsewhere",
			facts:   deadline.Facts{AppliedAt: at(berlin, 2025, 9, 1, 9, 0), LastInterviewEnd: ptr(at(berlin, 2025, 10, 1, 16, 0)), Country: "US"},
			company: germany, loc: berlin,
			want: endOf(berlin, 2025, 10, 6),
		},
		{
			name:    "UnknownCountryFallsBackToCompanyCalendar",
			facts:   deadline.Facts{AppliedAt: at(berlin, 2025, 9, 1, 9, 0), LastInterviewEnd: ptr(at(berlin, 2025, 10, 1, 16, 0)), Country: "IN"},
			company: germany, loc: berlin,
			want: endOf(berlin, 2025, 10, 7),
		},
		{
			name:    "NoCountryUsesCompanyCalendar",
			facts:   deadline.Facts{AppliedAt: at(berlin, 2025, 9, 1, 9, 0), LastInterviewEnd: ptr(at(berlin, 2025, 10, 1, 16, 0))},
			company: germany, loc: berlin,
			want: endOf(berlin, 2025, 10, 7),
		},
		{
			name:    "FiveBusinessDaysAfterApplyingSkipHolidays",
			facts:   deadline.Facts{AppliedAt: at(berlin, 2025, 6, 2, 10, 0), Country: "DE"},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 6, 10), // Whit Monday, 9 June, is off.
		},
		{
			name:    "DaysAfterApplyingAreConfigurable",
			facts:   deadline.Facts{AppliedAt: at(berlin, 2025, 6, 2, 10, 0)},
			rules:   deadline.Rules{AfterApplyDays: 2},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 6, 4),
		},
		{
			name:    "DaysAfterInterviewAreConfigurable",
			facts:   deadline.Facts{AppliedAt: at(berlin, 2025, 6, 2, 10, 0), LastInterviewEnd: ptr(at(berlin, 2025, 6, 13, 16, 0))},
			rules:   deadline.Rules{AfterInterviewDays: 1},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 6, 16),
		},
		{
			name:    "OutOfRangeRulesMeanTheDefaults",
			facts:   deadline.Facts{AppliedAt: at(berlin, 2025, 6, 2, 10, 0), LastInterviewEnd: ptr(at(berlin, 2025, 6, 13, 16, 0))},
			rules:   deadline.Rules{AfterInterviewDays: -4, AfterApplyDays: 1000},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 6, 18),
		},
		{
			name: "UpdateAfterApplyingMeetsTheDeadline",
			facts: deadline.Facts{AppliedAt: at(berlin, 2025, 6, 2, 10, 0),
				LastUpdateAt: ptr(at(berlin, 2025, 6, 3, 10, 0))},
			company: weekdays, loc: berlin,
			want: time.Time{},
		},
		{
			name: "UpdateAfterTheInterviewMeetsTheDeadline",
			facts: deadline.Facts{AppliedAt: at(berlin, 2025, 6, 2, 10, 0),
				LastInterviewEnd: ptr(at(berlin, 2025, 6, 13, 16, 0)), LastUpdateAt: ptr(at(berlin, 2025, 6, 13, 17, 0))},
			company: weekdays, loc: berlin,
			want: time.Time{},
		},
		{
			name: "UpdateBeforeTheInterviewDoesNot",
			facts: deadline.Facts{AppliedAt: at(berlin, 2025, 6, 2, 10, 0),
				LastInterviewEnd: ptr(at(berlin, 2025, 6, 13, 16, 0)), LastUpdateAt: ptr(at(berlin, 2025, 6, 12, 17, 0))},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 6, 18),
		},
		{
			name: "ReferenceChecksWantAnUpdateAWeekAfterTheLast",
			facts: deadline.Facts{AppliedAt: at(berlin, 2025, 5, 2, 10, 0), InReferenceChecks: true,
				LastInterviewEnd: ptr(at(berlin, 2025, 6, 10, 16, 0)), LastUpdateAt: ptr(at(berlin, 2025, 6, 17, 15, 0))},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 6, 24),
		},
		{
			name: "ReferenceWeekEndingOnSaturdayIsDueMonday",
			facts: deadline.Facts{AppliedAt: at(berlin, 2025, 5, 2, 10, 0), InReferenceChecks: true,
				LastUpdateAt: ptr(at(berlin, 2025, 6, 14, 10, 0))},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 6, 23),
		},
		{
			name: "ReferenceWeekEndingOnAHolidayMovesOn",
			facts: deadline.Facts{AppliedAt: at(berlin, 2025, 5, 2, 10, 0), InReferenceChecks: true,
				LastUpdateAt: ptr(at(berlin, 2025, 9, 26, 10, 0)), Country: "DE"},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 10, 6),
		},
		{
			name: "ReferenceWeekIgnoresTheDaylightSavingHour",
			facts: deadline.Facts{AppliedAt: at(berlin, 2025, 3, 2, 10, 0), InReferenceChecks: true,
				LastUpdateAt: ptr(at(berlin, 2025, 3, 24, 23, 30))},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 3, 31),
		},
		{
			name: "OpenInterviewReplyDuringReferenceChecksComesFirst",
			facts: deadline.Facts{AppliedAt: at(berlin, 2025, 5, 2, 10, 0), InReferenceChecks: true,
				LastUpdateAt: ptr(at(berlin, 2025, 6, 16, 10, 0)), LastInterviewEnd: ptr(at(berlin, 2025, 6, 17, 11, 0))},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 6, 20),
		},
		{
			name: "WeeklyUpdateComesFirstWhenEarlierThanTheInterviewReply",
			facts: deadline.Facts{AppliedAt: at(berlin, 2025, 5, 2, 10, 0), InReferenceChecks: true,
				LastUpdateAt: ptr(at(berlin, 2025, 6, 10, 10, 0)), LastInterviewEnd: ptr(at(berlin, 2025, 6, 16, 11, 0))},
			rules:   deadline.Rules{AfterInterviewDays: 10},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 6, 23),
		},
		{
			name: "InterviewCountsAsContactDuringReferenceChecks",
			facts: deadline.Facts{AppliedAt: at(berlin, 2025, 5, 2, 10, 0), InReferenceChecks: true,
				LastInterviewEnd: ptr(at(berlin, 2025, 6, 16, 11, 0)), LastUpdateAt: ptr(at(berlin, 2025, 6, 16, 12, 0))},
			company: weekdays, loc: berlin,
			want: endOf(berlin, 2025, 6, 23),
		},
		{
			name:    "InterviewLateThursdayUTCIsFridayInTokyo",
			facts:   deadline.Facts{AppliedAt: at(time.UTC, 2025, 6, 2, 10, 0), LastInterviewEnd: ptr(at(time.UTC, 2025, 6, 12, 23, 30))},
			company: weekdays, loc: tokyo,
			want: endOf(tokyo, 2025, 6, 18),
		},
		{
			name:    "SameInterviewReadInUTCIsDueADayEarlier",
			facts:   deadline.Facts{AppliedAt: at(time.UTC, 2025, 6, 2, 10, 0), LastInterviewEnd: ptr(at(time.UTC, 2025, 6, 12, 23, 30))},
			company: weekdays, loc: time.UTC,
			want: endOf(time.UTC, 2025, 6, 17),
		},
		{
			name:    "InterviewEndingMondayMorningInTokyoWasSundayInUTC",
			facts:   deadline.Facts{AppliedAt: at(tokyo, 2025, 6, 2, 10, 0), LastInterviewEnd: ptr(at(tokyo, 2025, 6, 16, 7, 30))},
			company: weekdays, loc: time.UTC,
			want: endOf(time.UTC, 2025, 6, 18),
		},
		{
			name:    "NilCompanyAndZoneMeanWeekdaysInUTC",
			facts:   deadline.Facts{AppliedAt: at(time.UTC, 2025, 6, 2, 10, 0), LastInterviewEnd: ptr(at(time.UTC, 2025, 6, 13, 16, 0))},
			company: nil, loc: nil,
			want: endOf(time.UTC, 2025, 6, 18),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := deadline.HearBackBy(tt.facts, tt.rules, tt.company, tt.loc)
			if !got.Equal(tt.want) {
				t.Errorf("HearBackBy = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRulesValidate(t *testing.T) {
	t.Run("AcceptsZeroAndSensibleValues", func(t *testing.T) {
		for _, r := range []deadline.Rules{{}, {AfterApplyDays: 10, AfterInterviewDays: 2, ReferenceUpdateEvery: 3 * 24 * time.Hour}} {
			if err := r.Validate(); err != nil {
				t.Errorf("Validate(%+v) = %v", r, err)
			}
		}
	})
	t.Run("NamesEveryWrongField", func(t *testing.T) {
		r := deadline.Rules{AfterApplyDays: -1, AfterInterviewDays: 31, ReferenceUpdateEvery: time.Hour}
		err := r.Validate()
		if hiring.ErrorCode(err) != hiring.EINVALID {
			t.Fatalf("Validate = %v, want an invalid-input error", err)
		}
		fields := hiring.ErrorFields(err)
		for _, f := range []string{"after_apply_days", "after_interview_days", "reference_update_every"} {
			if fields[f] == "" {
				t.Errorf("no message for %s; got %v", f, fields)
			}
		}
	})
}

func TestHearBackByProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		cal, loc, applied := randomCase(t, r)
		f := deadline.Facts{AppliedAt: applied, InReferenceChecks: r.IntN(3) == 0}
		if r.IntN(2) == 0 {
			f.LastInterviewEnd = ptr(applied.Add(time.Duration(r.IntN(60*24)) * time.Hour))
		}
		if r.IntN(2) == 0 {
			f.LastUpdateAt = ptr(applied.Add(time.Duration(r.IntN(60*24)) * time.Hour))
		}
		rules := deadline.Rules{AfterApplyDays: r.IntN(8), AfterInterviewDays: r.IntN(5)}
		due := deadline.HearBackBy(f, rules, cal, loc)
		if due.IsZero() {
			if f.InReferenceChecks {
				t.Fatalf("%+v: no reply owed during reference checks", f)
			}
			continue
		}
		if !due.After(f.AppliedAt) {
			t.Fatalf("%+v: due %s, not after applying", f, due)
		}
		if f.LastInterviewEnd != nil && (f.LastUpdateAt == nil || f.LastUpdateAt.Before(*f.LastInterviewEnd)) && !due.After(*f.LastInterviewEnd) {
			t.Fatalf("%+v: due %s, not after the unanswered interview", f, due)
		}
		if f.LastUpdateAt != nil && !due.After(*f.LastUpdateAt) && !(f.LastInterviewEnd != nil && f.LastUpdateAt.Before(*f.LastInterviewEnd)) {
			t.Fatalf("%+v: due %s, not after the last update", f, due)
		}
		if !cal.IsBusinessDay(due) {
			t.Fatalf("%+v: due %s, not a business day of %s", f, due, cal.Name())
		}
	}
}

func BenchmarkHearBackBy(b *testing.B) {
	berlin := MustLoadLocation(b, "Europe/Berlin")
	f := deadline.Facts{AppliedAt: at(berlin, 2025, 12, 1, 9, 0), LastInterviewEnd: ptr(at(berlin, 2025, 12, 22, 16, 0)), Country: "DE"}
	company := deadline.Company("US")
	for b.Loop() {
		deadline.HearBackBy(f, deadline.Rules{}, company, berlin)
	}
}

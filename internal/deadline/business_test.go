package deadline_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"hireloop/internal/deadline"
)

func MustLoadLocation(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load time zone %s: %v", name, err)
	}
	return loc
}

func MustCountry(tb testing.TB, code string) deadline.Calendar {
	tb.Helper()
	c, ok := deadline.ForCountry(code)
	if !ok {
		tb.Fatalf("ForCountry(%q) not known", code)
	}
	return c
}

// at builds a local time; endOf builds the last second of a local date.
func at(loc *time.Location, y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, loc)
}

func endOf(loc *time.Location, y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 23, 59, 59, 0, loc)
}

func TestAddBusinessDays(t *testing.T) {
	berlin := MustLoadLocation(t, "Europe/Berlin")
	weekdays := deadline.Weekdays()
	tests := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"FridayAfternoonPlusThreeIsWednesday", at(berlin, 2025, 6, 13, 16, 0), 3, endOf(berlin, 2025, 6, 18)},
		{"SaturdayCountsLikeFriday", at(berlin, 2025, 6, 14, 11, 0), 3, endOf(berlin, 2025, 6, 18)},
		{"SundayPlusOneIsMonday", at(berlin, 2025, 6, 15, 9, 0), 1, endOf(berlin, 2025, 6, 16)},
		{"MondayPlusOneIsTuesday", at(berlin, 2025, 6, 16, 0, 0), 1, endOf(berlin, 2025, 6, 17)},
		{"PlusFiveSpansOneWeekend", at(berlin, 2025, 6, 11, 8, 0), 5, endOf(berlin, 2025, 6, 18)},
		{"PlusTenSpansTwoWeekends", at(berlin, 2025, 6, 11, 8, 0), 10, endOf(berlin, 2025, 6, 25)},
		{"ZeroOnABusinessDayIsThatDay", at(berlin, 2025, 6, 13, 16, 0), 0, endOf(berlin, 2025, 6, 13)},
		{"ZeroOnASaturdayIsMonday", at(berlin, 2025, 6, 14, 16, 0), 0, endOf(berlin, 2025, 6, 16)},
		{"MinusOneOnMondayIsFriday", at(berlin, 2025, 6, 16, 10, 0), -1, endOf(berlin, 2025, 6, 13)},
		{"MinusOneOnSundayIsFriday", at(berlin, 2025, 6, 15, 10, 0), -1, endOf(berlin, 2025, 6, 13)},
		{"EndOfDayKeepsWinterOffsetAfterDaylightSavingEnds", at(berlin, 2025, 10, 23, 15, 0), 3, endOf(berlin, 2025, 10, 28)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := deadline.AddBusinessDays(weekdays, tt.from, tt.n, berlin)
			if !got.Equal(tt.want) {
				t.Errorf("AddBusinessDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
	t.Run("EndOfDayInWinterIsTwentyTwoFiftyNineUTC", func(t *testing.T) {
		got := deadline.AddBusinessDays(weekdays, at(berlin, 2025, 10, 23, 15, 0), 3, berlin).UTC()
		want := time.Date(2025, 10, 28, 22, 59, 59, 0, time.UTC)
		if !got.Equal(want) {
			t.Errorf("got %s, want %s", got, want)
		}
	})
	t.Run("NilCalendarAndLocationMeanWeekdaysInUTC", func(t *testing.T) {
		got := deadline.AddBusinessDays(nil, at(time.UTC, 2025, 6, 13, 16, 0), 3, nil)
		if want := endOf(time.UTC, 2025, 6, 18); !got.Equal(want) {
			t.Errorf("got %s, want %s", got, want)
		}
	})
}

func TestCountryHolidays(t *testing.T) {
	berlin := MustLoadLocation(t, "Europe/Berlin")
	london := MustLoadLocation(t, "Europe/London")
	newYork := MustLoadLocation(t, "America/New_York")
	tests := []struct {
		name    string
		country string
		from    time.Time
		n       int
		want    time.Time
	}{
		// 3 October 2025 is a Friday and German Unity Day.
		{"GermanUnityDayIsSkippedInGermany", "DE", at(berlin, 2025, 10, 1, 16, 0), 3, endOf(berlin, 2025, 10, 7)},
		{"GermanUnityDayIsWorkedInTheUS", "US", at(berlin, 2025, 10, 1, 16, 0), 3, endOf(berlin, 2025, 10, 6)},
		// 25 and 26 December 2025 are Thursday and Friday.
		{"ChristmasTakesTwoDaysInGermany", "DE", at(berlin, 2025, 12, 22, 15, 0), 3, endOf(berlin, 2025, 12, 29)},
		{"ChristmasTakesOneDayInTheUS", "US", at(newYork, 2025, 12, 22, 15, 0), 3, endOf(newYork, 2025, 12, 26)},
		{"NewYearSpansTheYearEnd", "DE", at(berlin, 2025, 12, 30, 15, 0), 3, endOf(berlin, 2026, 1, 5)},
		// Whit Monday, 9 June 2025, is a German holiday.
		{"WhitMondayIsSkippedInGermany", "DE", at(berlin, 2025, 6, 6, 12, 0), 1, endOf(berlin, 2025, 6, 10)},
		// Christmas 2027 falls on a weekend; the UK takes 27 and 28 December off instead.
		{"UKSubstituteDaysAfterAWeekendChristmas", "GB", at(london, 2027, 12, 24, 12, 0), 1, endOf(london, 2027, 12, 29)},
		// 4 July 2026 is a Saturday, observed on Friday 3 July.
		{"USHolidayOnSaturdayIsObservedFriday", "US", at(newYork, 2026, 7, 2, 12, 0), 1, endOf(newYork, 2026, 7, 6)},
		{"USNewYearOnSaturdayIsObservedTheFridayBefore", "US", at(newYork, 2021, 12, 30, 12, 0), 1, endOf(newYork, 2022, 1, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := deadline.AddBusinessDays(MustCountry(t, tt.country), tt.from, tt.n, tt.want.Location())
			if !got.Equal(tt.want) {
				t.Errorf("%s: AddBusinessDays(%s, %d) = %s, want %s", tt.country, tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestForCountry(t *testing.T) {
	t.Run("AcceptsAnyCaseAndSpaces", func(t *testing.T) {
		for _, code := range []string{"DE", "de", " De "} {
			c, ok := deadline.ForCountry(code)
			if !ok || c.Name() != "Germany" {
				t.Errorf("ForCountry(%q) = %v, %v; want Germany", code, c, ok)
			}
		}
	})
	t.Run("ReadsUKAsGB", func(t *testing.T) {
		c, ok := deadline.ForCountry("uk")
		if !ok || c.Name() != "United Kingdom" {
			t.Errorf("ForCountry(uk) = %v, %v; want United Kingdom", c, ok)
		}
	})
	t.Run("RefusesUnknownCodes", func(t *testing.T) {
		for _, code := range []string{"", "IN", "XX", "ECB", "DEU", "D", "aa"} {
			if c, ok := deadline.ForCountry(code); ok {
				t.Errorf("ForCountry(%q) = %v, want not known", code, c.Name())
			}
		}
	})
	t.Run("AustraliaKeepsOnlyNationwideHolidays", func(t *testing.T) {
		au := MustCountry(t, "AU")
		sydney := MustLoadLocation(t, "Australia/Sydney")
		// Anzac Day (Friday 25 April 2025) is kept everywhere; Melbourne Cup
		// day (Tuesday 4 November 2025) only in Victoria.
		if au.IsBusinessDay(at(sydney, 2025, 4, 25, 12, 0)) {
			t.Error("Anzac Day 2025 is a business day, want a holiday")
		}
		if !au.IsBusinessDay(at(sydney, 2025, 11, 4, 12, 0)) {
			t.Error("Melbourne Cup day 2025 is a holiday, want a business day outside Victoria")
		}
	})
	t.Run("JudgesTheDateInTheDaysOwnLocation", func(t *testing.T) {
		de := MustCountry(t, "DE")
		tokyo := MustLoadLocation(t, "Asia/Tokyo")
		// 2 October 2025 at 23:00 UTC is already 3 October in Tokyo.
		instant := time.Date(2025, 10, 2, 23, 0, 0, 0, time.UTC)
		if !de.IsBusinessDay(instant) {
			t.Error("2 October in UTC is a holiday, want a business day")
		}
		if de.IsBusinessDay(instant.In(tokyo)) {
			t.Error("3 October in Tokyo is a business day, want German Unity Day")
		}
	})
}

func TestCompany(t *testing.T) {
	unity := time.Date(2025, 10, 3, 12, 0, 0, 0, time.UTC)
	if c := deadline.Company("DE"); c.IsBusinessDay(unity) || c.Name() != "Germany" {
		t.Errorf("Company(DE) = %s, business day on 3 October %v; want Germany with a holiday", c.Name(), c.IsBusinessDay(unity))
	}
	for _, code := range []string{"", "IN", "??"} {
		c := deadline.Company(code)
		if c == nil {
			t.Fatalf("Company(%q) = nil", code)
		}
		if !c.IsBusinessDay(unity) || c.IsBusinessDay(unity.AddDate(0, 0, 1)) || c.Name() != "Monday to Friday" {
			t.Errorf("Company(%q) = %s; want plain Monday to Friday", code, c.Name())
		}
	}
}

func TestBusinessDaysBetween(t *testing.T) {
	berlin := MustLoadLocation(t, "Europe/Berlin")
	de := MustCountry(t, "DE")
	due := endOf(berlin, 2025, 10, 1)
	tests := []struct {
		name string
		now  time.Time
		want int
	}{
		{"OnTheDueDayIsZero", at(berlin, 2025, 10, 1, 9, 0), 0},
		{"NextDayIsOneLate", at(berlin, 2025, 10, 2, 9, 0), 1},
		{"HolidayAndWeekendDoNotCount", at(berlin, 2025, 10, 5, 9, 0), 1},
		{"FollowingMondayIsTwoLate", at(berlin, 2025, 10, 6, 9, 0), 2},
		{"BeforeTheDueDayIsNegative", at(berlin, 2025, 9, 29, 9, 0), -2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := deadline.BusinessDaysBetween(de, due, tt.now, berlin); got != tt.want {
				t.Errorf("BusinessDaysBetween(%s, %s) = %d, want %d", due, tt.now, got, tt.want)
			}
		})
	}
}

// neverOpen is a broken calendar with no business day at all.
type neverOpen struct{}

func (neverOpen) IsBusinessDay(time.Time) bool { return false }
func (neverOpen) Name() string                 { return "never" }

func TestCalendarWithoutBusinessDaysStillEnds(t *testing.T) {
	from := time.Date(2025, 6, 13, 16, 0, 0, 0, time.UTC)
	for _, n := range []int{-2, 0, 1, 3} {
		got := deadline.AddBusinessDays(neverOpen{}, from, n, time.UTC)
		if n >= 0 && got.Before(from) || n < 0 && got.After(from) {
			t.Errorf("AddBusinessDays(never, %d) = %s, on the wrong side of %s", n, got, from)
		}
	}
}

// randomCase draws a calendar, a zone and an instant between 2000 and 2040.
func randomCase(tb testing.TB, r *rand.Rand) (deadline.Calendar, *time.Location, time.Time) {
	tb.Helper()
	countries := []string{"DE", "US", "GB", "JP", "AU", "SE", "BR", "XX"}
	zones := []string{"UTC", "Europe/Berlin", "Asia/Tokyo", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe"}
	cal := deadline.Company(countries[r.IntN(len(countries))])
	loc := MustLoadLocation(tb, zones[r.IntN(len(zones))])
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	from := time.Unix(start+r.Int64N(40*365*24*3600), 0)
	return cal, loc, from
}

func TestBusinessDayProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		cal, loc, from := randomCase(t, r)
		n, m := 1+r.IntN(15), 1+r.IntN(15)
		got := deadline.AddBusinessDays(cal, from, n, loc)
		if !got.After(from) {
			t.Fatalf("%s %s: AddBusinessDays(%s, %d) = %s, not after it", cal.Name(), loc, from, n, got)
		}
		if !cal.IsBusinessDay(got) {
			t.Fatalf("%s %s: AddBusinessDays(%s, %d) = %s, not a business day", cal.Name(), loc, from, n, got)
		}
		if h, mi, s := got.In(loc).Clock(); h != 23 || mi != 59 || s != 59 || got.Location() != loc {
			t.Fatalf("%s %s: AddBusinessDays(%s, %d) = %s, not the end of a day in the zone", cal.Name(), loc, from, n, got)
		}
		if both, apart := deadline.AddBusinessDays(cal, from, n+m, loc), deadline.AddBusinessDays(cal, got, m, loc); !both.Equal(apart) {
			t.Fatalf("%s %s from %s: adding %d+%d gives %s, adding %d then %d gives %s", cal.Name(), loc, from, n, m, both, n, m, apart)
		}
		if between := deadline.BusinessDaysBetween(cal, from, got, loc); between != n {
			t.Fatalf("%s %s: BusinessDaysBetween(%s, %s) = %d, want %d", cal.Name(), loc, from, got, between, n)
		}
		if back := deadline.AddBusinessDays(cal, got, -n, loc); cal.IsBusinessDay(from.In(loc)) && !back.Equal(deadline.EndOfDay(from, loc)) {
			t.Fatalf("%s %s: %d business days back from %s = %s, want the end of %s", cal.Name(), loc, n, got, back, from)
		}
	}
}

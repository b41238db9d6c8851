package deadline

import "testing"

func TestCountryFromLocation(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ location, want string }{
		{"Berlin, Germany", "DE"},
		{"Remote - Japan", "JP"},
		{"remote (japan)", "JP"},
		{"London, UK", "GB"},
		{"Edinburgh, Scotland", "GB"},
		{"Austin, Texas, USA", "US"},
		{"Albuquerque, New Mexico, U.S.A.", "US"},
		{"Mexico City, Mexico", "MX"},
		{"Amsterdam, The Netherlands", "NL"},
		{"Wien, Österreich", "AT"},
		{"Cape Town, South Africa", "ZA"},
		{"Belfast, Northern Ireland", "GB"},
		{"Dublin, Ireland", "IE"},
		{"San Jose, CA", ""},
		{"Portland, OR", ""},
		{"Berlin", ""},
		{"Atlantis", ""},
		{"", ""},
		{"  ,, - ", ""},
	} {
		if got := CountryFromLocation(c.location); got != c.want {
			t.Errorf("CountryFromLocation(%q) = %q, want %q", c.location, got, c.want)
		}
	}
}

func TestEveryCountryIsFoundByItsName(t *testing.T) {
	t.Parallel()
	for code, c := range countries {
		if got := CountryFromLocation("Somewhere, " + c.name); got != code {
			t.Errorf("%s: got %q, want %q", c.name, got, code)
		}
	}
}

package deadline

import (
	"strings"
	"unicode"
)

// aliases are other names people write for the countries hireloop knows,
// lower case. Two-letter codes are not read in general, as they clash with
// the states and provinces written beside cities ("Portland, OR", "San
// Jose, CA"); only "US" and "UK", which do not, are.
var aliases = map[string]string{
	"us": "US", "usa": "US", "u s a": "US", "united states of america": "US",
	"uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
	"wales": "GB", "northern ireland": "GB",
	"deutschland": "DE", "españa": "ES", "espana": "ES", "italia": "IT", "the netherlands": "NL",
	"holland": "NL", "czech republic": "CZ", "schweiz": "CH", "suisse": "CH", "svizzera": "CH",
	"österreich": "AT", "osterreich": "AT", "brasil": "BR", "méxico": "MX", "nippon": "JP", "nihon": "JP",
	"sverige": "SE", "norge": "NO", "danmark": "DK", "suomi": "FI", "polska": "PL", "éire": "IE",
	"eire": "IE", "belgië": "BE", "belgique": "BE", "россия": "RU", "україна": "UA", "日本": "JP",
}

// placeNames maps every name a location may give a known country by, lower
// case, to its code.
var placeNames = func() map[string]string {
	m := map[string]string{}
	for code, c := range countries {
		m[strings.ToLower(c.name)] = code
	}
	for name, code := range aliases {
		m[name] = code
	}
	return m
}()

// CountryFromLocation returns the ISO 3166-1 alpha-2 code of the country a
// free-text location names, when it is one whose public holidays hireloop
// knows: "Berlin, Germany" is DE and "Remote - Japan" is JP. It returns ""
// when no known country is named. When several are, the last one wins, as
// people write the country after the city ("New Mexico, USA" is US).
func CountryFromLocation(location string) string {
	words := " " + strings.Join(strings.FieldsFunc(strings.ToLower(location), func(r rune) bool {
		return !unicode.IsLetter(r)
	}), " ") + " "
	if strings.TrimSpace(words) == "" {
		return ""
	}
	best, bestEnd, bestLen := "", -1, 0
	for name, code := range placeNames {
		i := strings.LastIndex(words, " "+name+" ")
		if i < 0 {
			continue
		}
		end := i + len(name)
		if end > bestEnd || end == bestEnd && len(name) > bestLen {
			best, bestEnd, bestLen = code, end, len(name)
		}
	}
	return best
}

// CheckCountry returns what is wrong with a company's country code as an
// administrator typed it ("" for nothing): it must be empty or name a
// country whose public holidays hireloop knows.
func CheckCountry(code string) string {
	if code = strings.TrimSpace(code); code == "" {
		return ""
	}
	if _, ok := ForCountry(code); ok && len(code) == 2 {
		return ""
	}
	return "Enter a two-letter country code whose public holidays hireloop knows, such as DE or JP, " +
		"or leave it empty for Monday to Friday."
}

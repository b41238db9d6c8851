package store

import (
	"strconv"
	"strings"
	"unicode"
)

// maxSlugLen keeps slugs, and so URLs, a sane length.
const maxSlugLen = 200

// slugify turns a title into a URL-safe slug: lower-case letters and digits
// separated by single hyphens. Letters beyond ASCII are kept, since browsers
// show them as typed. fallback is used when nothing is left.
func slugify(s, fallback string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			if b.Len() >= maxSlugLen {
				break
			}
			continue
		}
		hyphen = true
	}
	if b.Len() == 0 {
		return fallback
	}
	return b.String()
}

// uniqueSlugs gives each wanted slug a suffix -2, -3... when an earlier one
// already took it.
type uniqueSlugs map[string]bool

func (u uniqueSlugs) take(slug string) string {
	s := slug
	for n := 2; u[s]; n++ {
		s = slug + "-" + strconv.Itoa(n)
	}
	u[s] = true
	return s
}

package handbook

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlain(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		links          []link
	}{
		{"LinkKeepsItsWords", "Live our [values](/handbook/values/)", "Live our values", []link{{"values", "/handbook/values/"}}},
		{"LinkWithTitle", `[a](http://x.test "t")`, "a", []link{{"a", "http://x.test"}}},
		{"LinkWithParensInURL", "[Uptime](https://w.test/Up_(x)) ok", "Uptime ok", []link{{"Uptime", "https://w.test/Up_(x)"}}},
		{"AngleLink", "[a](<https://x.test/a b>)", "a", []link{{"a", "https://x.test/a b"}}},
		{"ReferenceLink", "see [the guide][guide]", "see the guide", nil},
		{"BrokenLinkStaysText", "[Education](/a b] and [Open][/x)", "[Education](/a b] and [Open][/x)", nil},
		{"Image", "![logo](/logo.png) Team", "logo Team", nil},
		{"Emphasis", "**Note:** be *quick* and __tidy__", "Note: be quick and tidy", nil},
		{"IntrawordUnderscore", "snake_case stays", "snake_case stays", nil},
		{"LoneStar", "5 * 3", "5 * 3", nil},
		{"CodeSpan", "run `go test` now", "run go test now", nil},
		{"HTMLTagsAndBreaks", "a<br>b <a name=\"x\"></a><em>c</em>", "a b c", nil},
		{"PlaceholderIsText", "<Speciality> Evangelist", "<Speciality> Evangelist", nil},
		{"Entities", "Sew &amp; mend&nbsp;now &bogus; AT&T", "Sew & mend now &bogus; AT&T", nil},
		{"Escapes", `1\. not \*bold\*`, "1. not *bold*", nil},
		{"ERB", "the <%= roleName %> role", "the role", nil},
		{"HugoShortcode", "a {{< ref \"x\" >}} b {{% note %}}c{{% /note %}}", "a b c", nil},
		{"KramdownAttributes", "Title {: .class} {:toc}", "Title", nil},
		{"Autolink", "<https://x.test/a>", "https://x.test/a", nil},
		{"Whitespace", "  a \n\t b  ", "a b", nil},
		{"ControlCharacters", "a\x00b\x07c", "abc", nil},
		{"Strikethrough", "~~old~~ new ~5", "old new ~5", nil},
		{"ManyOpenBrackets", "[[[[[[", "[[[[[[", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, links := plainLinks(tc.in)
			if got != tc.want {
				t.Errorf("plain(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if diff := cmp.Diff(tc.links, links); diff != "" {
				t.Errorf("links (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzEscapeInline checks that whatever plain text the importer stores,
// Render's escaping reads back to the same text.
func FuzzEscapeInline(f *testing.F) {
	for _, s := range []string{
		"plain words", "# not a heading", "- not an item", "1. not a list", "2) nor this",
		"*stars* and _underscores_ and snake_case", "[brackets](and parens)", "`code`",
		"<b>tag</b> <%= erb %> {{< hugo >}} {:toc} {#id}", "&amp; &nbsp; AT&T", `back\slash \*`,
		"~~strike~~", "| table | row |", "> quote", "+ plus", "=== rule", "---",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text := plain(s)
		for _, lineStart := range []bool{true, false} {
			if got := plain(escapeInline(text, lineStart)); got != text {
				t.Errorf("plain(escapeInline(%q, %v)) = %q", text, lineStart, got)
			}
		}
	})
}

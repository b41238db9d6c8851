package handbook

import "strings"

// textLines collects free text (summaries, specialty descriptions, career
// ladders) as paragraphs and list items, in the light Markdown form the
// catalog stores: one line per paragraph or "- item", a blank line between
// blocks, items of one list on consecutive lines.
type textLines []textLine

type textLine struct {
	text string
	item bool
}

func (t *textLines) para(s string) {
	if s != "" {
		*t = append(*t, textLine{text: s})
	}
}

func (t *textLines) add(s string, item bool) {
	if s != "" {
		*t = append(*t, textLine{text: s, item: item})
	}
}

func (t textLines) String() string {
	var b strings.Builder
	for i, l := range t {
		if i > 0 {
			if l.item && t[i-1].item {
				b.WriteByte('\n')
			} else {
				b.WriteString("\n\n")
			}
		}
		if l.item {
			b.WriteString("- ")
		}
		b.WriteString(l.text)
	}
	return b.String()
}

// splitText reads stored light Markdown back into paragraphs and items, for
// rendering. Any line starting with "- " is an item; other lines are
// paragraphs.
func splitText(s string) textLines {
	var out textLines
	for _, line := range strings.Split(s, "\n") {
		line = collapseSpace(line)
		if line == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "- "); ok {
			out.add(rest, true)
		} else if line == "-" {
			continue
		} else {
			out.add(line, false)
		}
	}
	return out
}

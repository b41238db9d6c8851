package resume

import (
	"bytes"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decodePlain returns the text of a plain-text file, or ok=false when the
// bytes do not look like text. UTF-8 (with or without a byte order mark) and
// UTF-16 with a byte order mark are read as such; other bytes are read as
// Windows-1252, the usual encoding of older Western text files and a
// superset of Latin-1's printable characters.
func decodePlain(data []byte) (string, bool) {
	var text string
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		if !utf8.Valid(data[3:]) {
			return "", false
		}
		text = string(data[3:])
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		if len(data)%2 != 0 {
			return "", false
		}
		le := data[0] == 0xFF
		units := make([]uint16, 0, len(data)/2-1)
		for i := 2; i+1 < len(data); i += 2 {
			if le {
				units = append(units, uint16(data[i])|uint16(data[i+1])<<8)
			} else {
				units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
			}
		}
		text = string(utf16.Decode(units))
	case bytes.IndexByte(data, 0) >= 0:
		return "", false
	case utf8.Valid(data):
		text = string(data)
	default:
		b, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return "", false
		}
		text = string(b)
	}
	return text, looksLikeText(text)
}

// looksLikeText refuses binary data that happens to decode: text has almost
// no control characters besides line breaks and tabs.
func looksLikeText(s string) bool {
	controls, total := 0, 0
	for _, r := range s {
		total++
		switch {
		case r == 0:
			return false
		case r == '\n' || r == '\r' || r == '\t' || r == '\f':
		case unicode.IsControl(r) || r == utf8.RuneError:
			controls++
		}
	}
	return total > 0 && controls*100 <= total
}

package importer

import "strings"

// cleanText makes tracker text safe to lay out: it turns \r\n and lone \r
// into \n, removes C0 control characters other than \n and \t (and DEL),
// and trims surrounding white space. It never shortens the text otherwise.
func cleanText(s string) string {
	dirty := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			dirty = true
			break
		}
	}
	if dirty {
		var b strings.Builder
		b.Grow(len(s))
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '\r':
				if i+1 < len(s) && s[i+1] == '\n' {
					continue
				}
				b.WriteByte('\n')
			case c < 0x20 && c != '\n' && c != '\t' || c == 0x7f:
				// dropped
			default:
				b.WriteByte(c)
			}
		}
		s = b.String()
	}
	return strings.TrimSpace(s)
}

// cleanList cleans each element and drops empty ones, keeping order.
func cleanList(in []string) []string {
	var out []string
	for _, s := range in {
		if s = cleanText(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

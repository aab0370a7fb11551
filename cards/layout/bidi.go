package layout

import "unicode"

// Right-to-left text support: Arabic contextual shaping with the
// presentation forms DejaVu Sans has, and a simplified bidirectional
// reordering of each line (strong right-to-left runs are reversed, numbers
// and left-to-right words keep their order, neutrals take the direction
// of their neighbours). It covers card titles in Arabic and Hebrew, mixed
// with Latin words and numbers; it is not the full Unicode Bidirectional
// Algorithm (no explicit embeddings or isolates).

// arabicForms gives, for U+0621..U+064A, the isolated presentation form
// (Arabic Presentation Forms-B) and the number of forms: 1 (no joining),
// 2 (isolated, final: joins to the previous letter only) or 4 (isolated,
// final, initial, medial). Zero means no forms (not a letter).
var arabicForms = [...]struct {
	iso rune
	n   int
}{
	{0xFE80, 1}, {0xFE81, 2}, {0xFE83, 2}, {0xFE85, 2}, {0xFE87, 2}, {0xFE89, 4}, {0xFE8D, 2}, {0xFE8F, 4}, // 0621-0628
	{0xFE93, 2}, {0xFE95, 4}, {0xFE99, 4}, {0xFE9D, 4}, {0xFEA1, 4}, {0xFEA5, 4}, {0xFEA9, 2}, {0xFEAB, 2}, // 0629-0630
	{0xFEAD, 2}, {0xFEAF, 2}, {0xFEB1, 4}, {0xFEB5, 4}, {0xFEB9, 4}, {0xFEBD, 4}, {0xFEC1, 4}, {0xFEC5, 4}, // 0631-0638
	{0xFEC9, 4}, {0xFECD, 4}, {}, {}, {}, {}, {}, {}, // 0639-0640 (063B-063F unused, 0640 tatweel)
	{0xFED1, 4}, {0xFED5, 4}, {0xFED9, 4}, {0xFEDD, 4}, {0xFEE1, 4}, {0xFEE5, 4}, {0xFEE9, 4}, {0xFEED, 2}, // 0641-0648
	{0xFEEF, 2}, {0xFEF1, 4}, // 0649-064A
}

const (
	tatweel = 0x0640
	lam     = 0x0644
)

// lamAlef maps an alef after lam to the isolated lam-alef ligature; the
// final form is the next code point.
var lamAlef = map[rune]rune{0x0622: 0xFEF5, 0x0623: 0xFEF7, 0x0625: 0xFEF9, 0x0627: 0xFEFB}

// joining returns how many forms r has (see arabicForms); tatweel joins on
// both sides and has no forms of its own.
func joining(r rune) int {
	if r == tatweel {
		return 4
	}
	if r >= 0x0621 && r <= 0x064A {
		return arabicForms[r-0x0621].n
	}
	return 0
}

// transparent marks (harakat) do not break joining.
func transparent(r rune) bool {
	return r >= 0x064B && r <= 0x065F || r == 0x0670 || unicode.Is(unicode.Mn, r)
}

// shapeArabic replaces Arabic letters by their contextual forms and lam +
// alef by the ligature. Text without Arabic letters is returned as is.
func shapeArabic(s string) string {
	rs := []rune(s)
	has := false
	for _, r := range rs {
		if r >= 0x0621 && r <= 0x064A {
			has = true
			break
		}
	}
	if !has {
		return s
	}
	// neighbour finds the nearest non-transparent rune from i in step dir.
	neighbour := func(i, dir int) rune {
		for j := i + dir; j >= 0 && j < len(rs); j += dir {
			if !transparent(rs[j]) {
				return rs[j]
			}
		}
		return 0
	}
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		n := joining(r)
		if n == 0 || r == tatweel {
			out = append(out, r)
			continue
		}
		prev, next := neighbour(i, -1), neighbour(i, 1)
		joinsPrev := n >= 2 && joining(prev) == 4
		if r == lam {
			if lig, ok := lamAlef[next]; ok {
				// Skip the alef (and marks between lam and alef stay after it).
				j := i + 1
				for transparent(rs[j]) {
					j++
				}
				if joinsPrev {
					lig++
				}
				out = append(out, lig)
				out = append(out, rs[i+1:j]...)
				i = j
				continue
			}
		}
		joinsNext := n == 4 && joining(next) >= 2
		f := arabicForms[r-0x0621]
		form := 0 // isolated
		switch {
		case joinsPrev && joinsNext:
			form = 3
		case joinsPrev:
			form = 1
		case joinsNext:
			form = 2
		}
		out = append(out, f.iso+rune(form))
	}
	return string(out)
}

// direction classes for reordering.
const (
	dirNeutral = iota
	dirLTR
	dirRTL
)

func direction(r rune) int {
	switch {
	case r >= 0x0660 && r <= 0x0669 || r >= 0x06F0 && r <= 0x06F9:
		return dirLTR // Arabic-Indic digits read left to right
	case r >= 0x0590 && r <= 0x08FF || r >= 0xFB1D && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF:
		if unicode.IsLetter(r) {
			return dirRTL
		}
		return dirNeutral
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return dirLTR
	}
	return dirNeutral
}

// baseRTL reports whether the first strong character is right-to-left.
func baseRTL(gs []glyph) bool {
	for _, g := range gs {
		if d := direction(g.r); d != dirNeutral {
			return d == dirRTL
		}
	}
	return false
}

var mirror = map[rune]rune{'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«'}

// visualOrder returns a line's glyphs in display order. Lines without
// right-to-left characters are returned unchanged.
func visualOrder(line []glyph, rtl bool) []glyph {
	dirs := make([]int, len(line))
	hasRTL := false
	for i, g := range line {
		dirs[i] = direction(g.r)
		hasRTL = hasRTL || dirs[i] == dirRTL
	}
	if !hasRTL {
		return line
	}
	base := dirLTR
	if rtl {
		base = dirRTL
	}
	// Neutrals between two strongs of one direction take it; others the base.
	eachRun(dirs, dirNeutral, func(i, j int) {
		before, after := base, base
		if i > 0 {
			before = dirs[i-1]
		}
		if j < len(dirs) {
			after = dirs[j]
		}
		d := base
		if before == after {
			d = before
		}
		for k := i; k < j; k++ {
			dirs[k] = d
		}
	})
	out := append([]glyph(nil), line...)
	for i, d := range dirs {
		if m, ok := mirror[out[i].r]; ok && d == dirRTL {
			out[i].r = m
		}
	}
	// Reverse the runs against the base direction; for an RTL base,
	// reverse the whole line first.
	against := dirRTL
	if base == dirRTL {
		reverse(out, 0, len(out))
		reverseInts(dirs)
		against = dirLTR
	}
	eachRun(dirs, against, func(i, j int) { reverse(out, i, j) })
	return out
}

// eachRun calls f(i, j) for every maximal run dirs[i:j] equal to d.
// f may change the elements of the run.
func eachRun(dirs []int, d int, f func(i, j int)) {
	for i := 0; i < len(dirs); {
		if dirs[i] != d {
			i++
			continue
		}
		j := i
		for j < len(dirs) && dirs[j] == d {
			j++
		}
		f(i, j)
		i = j
	}
}

func reverse(gs []glyph, i, j int) {
	for j--; i < j; i, j = i+1, j-1 {
		gs[i], gs[j] = gs[j], gs[i]
	}
}

func reverseInts(a []int) {
	for i, j := 0, len(a)-1; i < j; i, j = i+1, j-1 {
		a[i], a[j] = a[j], a[i]
	}
}

package layout

import (
	"math"
	"unicode"

	"github.com/cardwall/cardwall/cards/fonts"
	"github.com/cardwall/cardwall/cards/template"
)

// Style says how text is set in a box.
type Style struct {
	Size     float64 // starting font size, pt
	MinSize  float64 // shrink down to this size; 0 = no shrinking
	Bold     bool
	MaxLines int    // 0 = as many lines as the box holds
	Align    string // "left" (default), "center" or "right"
	Color    Color
	VCenter  bool // centre the lines vertically (default: from the top)
}

// sizeStep is how much Fit shrinks text per attempt, in pt.
const sizeStep = 0.5

// glyph is one character of text with its font and advance.
type glyph struct {
	r     rune
	font  fonts.ID
	adv   float64 // advance in em
	space bool
	brk   bool // a line may break before this glyph
}

// span is a line: glyphs [start, end).
type span struct{ start, end int }

// Fit sets text in box: it wraps on word boundaries (breaking words too
// long for a line, and CJK text, anywhere), shrinks from Size down to
// MinSize in 0.5 pt steps until all lines fit, and otherwise cuts the last
// line that fits with an ellipsis. Every returned run lies inside box.
// Whitespace and control characters are cleaned first (fonts.Clean).
func Fit(text string, box Box, field string, st Style) []Text {
	primary := fonts.Sans
	if st.Bold {
		primary = fonts.SansBold
	}
	gs := shape(shapeArabic(fonts.Clean(text)), primary)
	if len(gs) == 0 || box.W <= 0 || box.H <= 0 || st.Size <= 0 {
		return nil
	}
	rtl := baseRTL(gs)
	if rtl && (st.Align == "" || st.Align == "left") {
		st.Align = "right" // right-to-left paragraphs start at the right
	}
	minSize := st.MinSize
	if minSize <= 0 || minSize > st.Size {
		minSize = st.Size
	}
	for size := st.Size; ; size = math.Max(size-sizeStep, minSize) {
		last := size <= minSize+1e-9
		limit := box.W / (size * template.PtToMM) // line width in em
		maxLines := linesIn(box.H, size, st.MaxLines)
		if maxLines > 0 {
			lines, ok := wrap(gs, limit, maxLines+1)
			if ok && len(lines) <= maxLines {
				return emit(gs, lines, nil, box, field, size, st, rtl)
			}
			if last {
				lines, ell := ellipsize(gs, lines, maxLines, limit, primary)
				return emit(gs, lines, ell, box, field, size, st, rtl)
			}
		} else if last {
			return nil // not even one line fits; Validate prevents this
		}
	}
}

// linesIn returns how many lines of size pt fit in height h, capped by
// maxLines when it is > 0.
func linesIn(h, size float64, maxLines int) int {
	n := int((h + 1e-6) / template.LineHeight(size))
	if maxLines > 0 && maxLines < n {
		n = maxLines
	}
	return n
}

// shape resolves fonts and advances and marks break opportunities.
func shape(s string, primary fonts.ID) []glyph {
	gs := make([]glyph, 0, len(s))
	for _, r := range s {
		id, g := fonts.Pick(primary, r)
		gs = append(gs, glyph{r: g, font: id, adv: fonts.Advance(id, g), space: g == ' '})
	}
	for i := 1; i < len(gs); i++ {
		prev, cur := gs[i-1].r, gs[i].r
		gs[i].brk = gs[i-1].space && !gs[i].space ||
			(prev == '-' || prev == '/' || prev == '\u2013' || prev == '\u2014') && !gs[i].space ||
			cjk(cur) && !closing(cur) || cjk(prev) && !gs[i].space && !closing(cur)
	}
	return gs
}

// cjk reports whether a line may break before or after r in CJK text.
func cjk(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF
}

// closing marks punctuation that must not start a line.
func closing(r rune) bool {
	switch r {
	case '、', '。', '，', '．', '）', '」', '』', '！', '？', '：', '；', ')', ']', '}', ',', '.', '!', '?', ':', ';', 'ー':
		return true
	}
	return false
}

// wrap breaks glyphs into lines no wider than limit em, stopping after
// stop lines. ok is false if a single glyph is wider than a line.
func wrap(gs []glyph, limit float64, stop int) (lines []span, ok bool) {
	n := len(gs)
	start := skipSpaces(gs, 0)
	for start < n && len(lines) < stop {
		w, lastBreak, i := 0.0, -1, start
		for ; i < n; i++ {
			if i > start && gs[i].brk {
				lastBreak = i
			}
			if !gs[i].space && w+gs[i].adv > limit+1e-9 {
				break
			}
			w += gs[i].adv
		}
		end := i
		if i < n && lastBreak > start {
			end = lastBreak
		}
		if end == start { // one glyph wider than the line
			return lines, false
		}
		lines = append(lines, span{start, trimSpaces(gs, start, end)})
		start = skipSpaces(gs, end)
	}
	return lines, true
}

func skipSpaces(gs []glyph, i int) int {
	for i < len(gs) && gs[i].space {
		i++
	}
	return i
}

func trimSpaces(gs []glyph, start, end int) int {
	for end > start && gs[end-1].space {
		end--
	}
	return end
}

func width(gs []glyph, l span) float64 {
	var w float64
	for _, g := range gs[l.start:l.end] {
		w += g.adv
	}
	return w
}

// ellipsize keeps the first maxLines lines and cuts the last one so that
// an ellipsis fits after it. It returns the ellipsis glyph, or nil if not
// even the ellipsis fits (the line is then dropped).
func ellipsize(gs []glyph, lines []span, maxLines int, limit float64, primary fonts.ID) ([]span, *glyph) {
	if len(lines) > maxLines {
		lines = lines[:maxLines]
	}
	ell := glyph{r: fonts.Ellipsis, font: primary, adv: fonts.Advance(primary, fonts.Ellipsis)}
	if len(lines) == 0 {
		return nil, nil
	}
	k := len(lines) - 1
	s := lines[k].start
	w, e := ell.adv, s
	for e < len(gs) && w+gs[e].adv <= limit+1e-9 {
		w += gs[e].adv
		e++
	}
	if w > limit+1e-9 {
		return lines[:k], nil
	}
	lines[k].end = trimSpaces(gs, s, e)
	return lines, &ell
}

// emit positions the lines in box and splits them into runs by font.
func emit(gs []glyph, lines []span, ell *glyph, box Box, field string, size float64, st Style, rtl bool) []Text {
	sz := size * template.PtToMM
	lh := template.LineHeight(size)
	y0 := box.Y + (lh-(fonts.Ascent+fonts.Descent)*sz)/2 + fonts.Ascent*sz
	if st.VCenter {
		y0 += (box.H - float64(len(lines))*lh) / 2
	}
	var out []Text
	for i, l := range lines {
		line := gs[l.start:l.end]
		if ell != nil && i == len(lines)-1 {
			line = append(append([]glyph(nil), line...), *ell)
		}
		line = visualOrder(line, rtl)
		var w float64
		for _, g := range line {
			w += g.adv
		}
		x := box.X
		switch st.Align {
		case "center":
			x += (box.W - w*sz) / 2
		case "right":
			x += box.W - w*sz
		}
		y := y0 + float64(i)*lh
		for j := 0; j < len(line); {
			k := j
			var rw float64
			rs := make([]rune, 0, len(line)-j)
			for k < len(line) && line[k].font == line[j].font {
				rs = append(rs, line[k].r)
				rw += line[k].adv
				k++
			}
			out = append(out, Text{X: x, Y: y, Size: size, Font: line[j].font, Color: st.Color, Text: string(rs),
				Width: rw * sz, Field: field, Box: box})
			x += rw * sz
			j = k
		}
	}
	return out
}

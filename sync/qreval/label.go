package qreval

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// LabelKind says what a label file describes.
type LabelKind int

const (
	// TextLabel is a ZXing blackbox label: the exact expected text.
	TextLabel LabelKind = iota
	// CornerLabel is a BoofCV label: the hand-labelled corners of every code.
	CornerLabel
)

// String returns the name the peer script uses for the kind: "text" or "quads".
func (k LabelKind) String() string {
	if k == CornerLabel {
		return "quads"
	}
	return "text"
}

// Point is a position in image pixel coordinates (x right, y down, origin
// at the top-left corner of the top-left pixel).
type Point struct{ X, Y float64 }

// Quad is the four labelled corners of one code, in the order clicked.
type Quad [4]Point

// Label is the ground truth for one image.
type Label struct {
	Kind  LabelKind
	Text  string // TextLabel: the file's bytes, unchanged (CRLF kept)
	Codes []Quad // CornerLabel: one quad per code
}

// labelLine is one non-blank, non-comment line of a label file.
type labelLine struct {
	n    int // 1-based line number in the file
	text string
}

// ParseLabel reads the label file data; name (usually its path) is used in
// error messages. A file whose first non-blank text is '#' or "SETS" and
// whose other non-comment lines all hold only numbers is a CornerLabel;
// anything else is a TextLabel holding data unchanged. A CornerLabel whose
// numbers do not make whole codes (8 per SETS line, or 8 in all in the old
// form without SETS) is an error naming the file and line.
//
// The peer script silently drops SETS lines of fewer than 8 numbers and
// ignores numbers past the 8th; ParseLabel reports both as errors instead,
// and reads a file of comments and a SETS line without codes as a label
// with no codes (the peer script takes it for text). The shared datasets
// contain none of these cases.
func ParseLabel(name string, data []byte) (Label, error) {
	text := Label{Kind: TextLabel, Text: string(data)}
	s := string(data)
	start := strings.TrimLeftFunc(s, isPySpace)
	if !strings.HasPrefix(start, "#") && !strings.HasPrefix(start, "SETS") {
		return text, nil
	}
	lines := contentLines(s)
	if len(lines) == 0 {
		return text, nil
	}
	body, sets := lines, lines[0].text == "SETS"
	if sets {
		body = lines[1:]
	}
	for _, l := range body {
		for _, f := range strings.FieldsFunc(l.text, isPySpace) {
			if !isLabelNumber(f) {
				return text, nil
			}
		}
	}
	if len(body) == 0 && !sets {
		return text, nil
	}
	lab := Label{Kind: CornerLabel, Codes: []Quad{}}
	if sets {
		for _, l := range body {
			q, err := parseQuad(strings.FieldsFunc(l.text, isPySpace))
			if err != nil {
				return Label{}, fmt.Errorf("%s:%d: %w", name, l.n, err)
			}
			lab.Codes = append(lab.Codes, q)
		}
		return lab, nil
	}
	var nums []string
	for _, l := range body {
		nums = append(nums, strings.FieldsFunc(l.text, isPySpace)...)
	}
	q, err := parseQuad(nums)
	if err != nil {
		return Label{}, fmt.Errorf("%s:%d: old-form label (4 lines of \"x y\", no SETS line): %w", name, body[0].n, err)
	}
	lab.Codes = append(lab.Codes, q)
	return lab, nil
}

// contentLines splits s into trimmed lines, dropping blank lines and '#'
// comments. Like Python's str.splitlines it also breaks at \r, \v, \f,
// \x1c–\x1e, U+0085, U+2028 and U+2029; line numbers count '\n' only.
func contentLines(s string) []labelLine {
	var out []labelLine
	for i, phys := range strings.Split(s, "\n") {
		for _, l := range strings.FieldsFunc(phys, isPyLineBreak) {
			l = strings.TrimFunc(l, isPySpace)
			if l != "" && !strings.HasPrefix(l, "#") {
				out = append(out, labelLine{n: i + 1, text: l})
			}
		}
	}
	return out
}

// isPyLineBreak reports the characters other than '\n' at which Python's
// str.splitlines breaks.
func isPyLineBreak(r rune) bool {
	switch r {
	case '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// isPySpace reports whitespace as Python's str.isspace sees it.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// isLabelNumber reports whether f matches -?\d+(\.\d+)?([eE][-+]?\d+)? with
// ASCII digits: the number syntax the peer script accepts in label files.
func isLabelNumber(f string) bool {
	i := 0
	digits := func() bool {
		j := i
		for i < len(f) && f[i] >= '0' && f[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(f) && f[i] == '-' {
		i++
	}
	if !digits() {
		return false
	}
	if i < len(f) && f[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(f) && (f[i] == 'e' || f[i] == 'E') {
		i++
		if i < len(f) && (f[i] == '-' || f[i] == '+') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(f)
}

// parseQuad turns exactly eight number strings into a Quad.
func parseQuad(nums []string) (Quad, error) {
	var q Quad
	if len(nums) != 8 {
		return q, fmt.Errorf("a code needs 8 numbers (x0 y0 x1 y1 x2 y2 x3 y3), found %d", len(nums))
	}
	for i, f := range nums {
		// f has the syntax checked by isLabelNumber, so the only possible
		// error is a value beyond float64's range (±Inf).
		v, _ := strconv.ParseFloat(f, 64)
		if math.IsInf(v, 0) {
			return q, fmt.Errorf("number %d %q is out of range", i+1, f)
		}
		if i%2 == 0 {
			q[i/2].X = v
		} else {
			q[i/2].Y = v
		}
	}
	return q, nil
}

// Package board reads a photographed card wall: it decides which column
// each card is in from the QR codes found in the photo, and turns the
// result into status updates for the issues on the cards.
//
// The board contract (see cards/qrcode): a card's code holds its issue key
// (PROJ-123, a browse URL …/browse/PROJ-123, or a GitHub owner/repo#12); a
// column header's code holds "COL:" and the column name in upper case.
// Header cards are pinned at the top of their column.
//
// Locate takes the codes a detector found (text and four corners, in the
// photo's displayed orientation) and places the cards in the columns the
// headers define, robustly under perspective and in-plane rotation: it
// estimates the board's own axes from the codes' orientations (see
// geometry.go) rather than trusting the image axes. LocateWithDividers
// does the same with column boundaries drawn by hand. ProposeUpdates
// compares the placement with the issues' statuses.
package board

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Point is a position in photo pixels (x right, y down).
type Point struct{ X, Y float64 }

// MarshalJSON writes the point as [x, y], rounded to 0.1 pixel.
func (p Point) MarshalJSON() ([]byte, error) {
	r := func(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
	return []byte("[" + r(p.X) + "," + r(p.Y) + "]"), nil
}

// UnmarshalJSON reads a point written as [x, y].
func (p *Point) UnmarshalJSON(b []byte) error {
	var xy [2]float64
	if err := json.Unmarshal(b, &xy); err != nil {
		return fmt.Errorf("point: want [x, y]: %w", err)
	}
	p.X, p.Y = xy[0], xy[1]
	return nil
}

// Detection is one QR code found in a photo.
type Detection struct {
	Text    string // decoded text; ignored unless Decoded
	Decoded bool   // false for a code that was located but could not be read
	// Corners are the code's top-left, top-right, bottom-right and
	// bottom-left corners in its own frame (as printed), in photo pixels of
	// the displayed orientation.
	Corners [4]Point
}

// Column is one column of the board.
type Column struct {
	Name string // as printed after "COL:" (upper case), or as given with dividers
	// Corners are the header code's corners; for a column drawn with
	// dividers and without a header, the region between its dividers.
	Corners [4]Point
}

// Card is a card placed in a column.
type Card struct {
	Key     string
	Column  string
	Corners [4]Point // of the card's code
}

// Unassigned is a card seen in the photo but in no column.
type Unassigned struct {
	Key     string
	Reason  string
	Corners [4]Point
}

// Result is what a photo shows: columns, the cards in them, and what could
// not be placed or read.
type Result struct {
	Width, Height int // photo size in the displayed orientation
	Columns       []Column
	Cards         []Card
	Unassigned    []Unassigned
	// Unreadable holds the corners of codes located but not decoded.
	Unreadable [][4]Point
	// Duplicates lists the keys seen on more than one card (sorted). Such
	// cards are placed, but ProposeUpdates proposes nothing for them.
	Duplicates []string
	// Problems are messages for the user: foreign codes, duplicate
	// headers and cards, missing columns.
	Problems []string
}

// Divider is a column boundary drawn by hand on the photo: a line segment
// in photo pixels (displayed orientation) running down the board.
type Divider struct{ A, B Point }

// code is a detection read by the board contract.
type code struct {
	kind    Kind
	value   string // key or column name
	corners [4]Point
	pose    pose
	posed   bool
	at      Point // centre in board coordinates
}

// Locate places the cards found in a photo of size width×height in the
// columns defined by the header codes.
func Locate(dets []Detection, width, height int) *Result {
	r, codes, f := prepare(dets, width, height)
	var headers []code
	for _, c := range codes {
		if c.kind == HeaderCode {
			headers = append(headers, c)
		}
	}
	cols := headerColumns(headers, codes, f)
	for _, c := range cols.cols {
		r.Columns = append(r.Columns, Column{Name: c.name, Corners: c.corners})
	}
	reportDuplicateHeaders(r, headers)
	r.Problems = append(r.Problems, cols.gaps...)
	for _, c := range codes {
		if c.kind != CardCode {
			continue
		}
		if len(cols.cols) == 0 {
			r.Unassigned = append(r.Unassigned, Unassigned{c.value, "no column headers found in the photo", c.corners})
			continue
		}
		i, reason := cols.assign(c.at)
		if reason != "" {
			r.Unassigned = append(r.Unassigned, Unassigned{c.value, reason, c.corners})
			continue
		}
		r.Cards = append(r.Cards, Card{c.value, cols.cols[i].name, c.corners})
	}
	if len(headers) == 0 && len(r.Unassigned) > 0 {
		r.Problems = append(r.Problems, "no column headers (COL:…) found: cards cannot be placed; draw column dividers instead")
	}
	finish(r)
	return r
}

// LocateWithDividers places the cards between column dividers drawn by
// hand instead of by header positions. n dividers make n+1 columns, left
// to right on the board. names, when given, must hold n+1 column names;
// otherwise each column takes the name of the header inside it, or
// "COLUMN k" when it has none.
func LocateWithDividers(dets []Detection, width, height int, dividers []Divider, names []string) (*Result, error) {
	if len(names) > 0 && len(names) != len(dividers)+1 {
		return nil, fmt.Errorf("board: %d dividers make %d columns, but %d column names were given", len(dividers), len(dividers)+1, len(names))
	}
	r, codes, f := prepare(dets, width, height)
	divs, err := boardDividers(dividers, f, codes)
	if err != nil {
		return nil, err
	}
	n := len(divs) + 1
	regionOf := func(p Point) int {
		k := 0
		for _, d := range divs {
			if d.uAt(p.Y) < p.X {
				k++
			}
		}
		return k
	}
	// Name each column.
	headerIn := make([][]code, n)
	var headers []code
	for _, c := range codes {
		if c.kind == HeaderCode {
			headers = append(headers, c)
			k := regionOf(c.at)
			headerIn[k] = append(headerIn[k], c)
		}
	}
	reportDuplicateHeaders(r, headers)
	colName := make([]string, n)
	for k := 0; k < n; k++ {
		col := Column{Corners: regionCorners(divs, k, width, height)}
		switch {
		case len(names) > 0:
			col.Name = NormalizeColumn(names[k])
		case len(headerIn[k]) > 0:
			col.Name = headerIn[k][0].value
			for _, h := range headerIn[k][1:] {
				if h.value != col.Name {
					r.Problems = append(r.Problems, fmt.Sprintf("headers %q and %q are both between the same dividers; the column is named %q", col.Name, h.value, col.Name))
				}
			}
		default:
			col.Name = "COLUMN " + strconv.Itoa(k+1)
		}
		if len(headerIn[k]) > 0 && len(names) == 0 {
			col.Corners = headerIn[k][0].corners
		}
		colName[k] = col.Name
		r.Columns = append(r.Columns, col)
	}
	for _, c := range codes {
		if c.kind == CardCode {
			r.Cards = append(r.Cards, Card{c.value, colName[regionOf(c.at)], c.corners})
		}
	}
	finish(r)
	return r, nil
}

// prepare reads the detections: unreadable and foreign codes go straight
// into the result, repeated detections of one code are merged, and the
// board frame is estimated from the rest.
func prepare(dets []Detection, width, height int) (*Result, []code, frame) {
	r := &Result{Width: width, Height: height}
	var codes []code
	for _, d := range dets {
		if !d.Decoded {
			r.Unreadable = append(r.Unreadable, d.Corners)
			continue
		}
		kind, value := ParseText(d.Text)
		c := code{kind: kind, value: value, corners: d.Corners}
		c.pose, c.posed = poseOf(d.Corners)
		if kind == Foreign {
			ctr := center(d.Corners)
			r.Problems = append(r.Problems, fmt.Sprintf("ignored a QR code that is neither a card nor a column header at (%.0f, %.0f): %q", ctr.X, ctr.Y, d.Text))
			continue
		}
		if sameCode(codes, c) {
			continue
		}
		codes = append(codes, c)
	}
	var poses []pose
	for _, c := range codes {
		if c.posed {
			poses = append(poses, c.pose)
		}
	}
	f := estimateFrame(poses, width, height)
	for i := range codes {
		codes[i].at = f.at(center(codes[i].corners))
	}
	return r, codes, f
}

// sameCode reports whether c is a second detection of a code already in
// codes: same text, centre inside the other's outline.
func sameCode(codes []code, c code) bool {
	ctr := center(c.corners)
	for _, o := range codes {
		if o.kind == c.kind && o.value == c.value && length(sub(center(o.corners), ctr)) < 0.5*math.Max(o.pose.size, 1) {
			return true
		}
	}
	return false
}

// finish sorts the result's lists and reports cards seen twice.
func finish(r *Result) {
	count := map[string]int{}
	for _, c := range r.Cards {
		count[c.Key]++
	}
	for _, u := range r.Unassigned {
		count[u.Key]++
	}
	for k, n := range count {
		if n > 1 {
			r.Duplicates = append(r.Duplicates, k)
		}
	}
	sort.Slice(r.Duplicates, func(i, j int) bool { return KeyLess(r.Duplicates[i], r.Duplicates[j]) })
	for _, k := range r.Duplicates {
		r.Problems = append(r.Problems, fmt.Sprintf("card %s is on the board %d times; no update is proposed for it", k, count[k]))
	}
	sort.SliceStable(r.Cards, func(i, j int) bool { return KeyLess(r.Cards[i].Key, r.Cards[j].Key) })
	sort.SliceStable(r.Unassigned, func(i, j int) bool { return KeyLess(r.Unassigned[i].Key, r.Unassigned[j].Key) })
}

// reportDuplicateHeaders adds a problem for each column name that has more
// than one header. Such headers still bound columns (both keep the name),
// so a wide column with two headers works as one.
func reportDuplicateHeaders(r *Result, headers []code) {
	count := map[string]int{}
	var order []string
	for _, h := range headers {
		if count[h.value] == 0 {
			order = append(order, h.value)
		}
		count[h.value]++
	}
	for _, name := range order {
		if n := count[name]; n > 1 {
			r.Problems = append(r.Problems, fmt.Sprintf("column header %q appears %d times; cards under each are placed in %q", name, n, name))
		}
	}
}

// MissingColumns returns the names in want (normalised, in the given
// order, without repeats) that are not among the result's columns.
func (r *Result) MissingColumns(want []string) []string {
	have := map[string]bool{}
	for _, c := range r.Columns {
		have[c.Name] = true
	}
	var missing []string
	for _, w := range want {
		n := NormalizeColumn(w)
		if n != "" && !have[n] {
			missing = append(missing, n)
			have[n] = true
		}
	}
	return missing
}

// KeyLess orders issue keys by project, then by number: CW-9 < CW-10.
func KeyLess(a, b string) bool {
	pa, na := splitKey(a)
	pb, nb := splitKey(b)
	if pa != pb {
		return pa < pb
	}
	if na != nb {
		return na < nb
	}
	return a < b
}

// splitKey splits PROJ-12 or owner/repo#12 into its prefix and number.
func splitKey(k string) (string, int) {
	for i := len(k) - 1; i >= 0; i-- {
		if k[i] == '-' || k[i] == '#' {
			n, err := strconv.Atoi(k[i+1:])
			if err != nil {
				return k, -1
			}
			return k[:i], n
		}
	}
	return k, -1
}

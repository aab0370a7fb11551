package board

import (
	"fmt"
	"math"
	"sort"
)

// column is a column in board coordinates.
type column struct {
	name    string
	corners [4]Point // header code, photo pixels
	at      Point    // header centre, board coordinates
}

// columns are the header-defined columns, left to right on the board, with
// their extents in board u.
type columns struct {
	cols []column
	// left[i] and right[i] bound column i. Normally right[i] == left[i+1];
	// where a header seems to be missing, a gap lies between them.
	left, right []float64
	// gaps are messages about wide gaps between headers.
	gaps []string
}

// Edge columns reach this many column widths beyond their header (a card
// further out is "left of the first column"); with a single header, a
// column is this many code widths wide on each side. Two neighbouring
// headers further apart than wideGap median spacings leave room for a
// column whose header is missing: cards in the middle of that space are
// not given to either neighbour.
const (
	edgeReach      = 0.6
	singleColReach = 4.0
	wideGap        = 1.8
)

// headerColumns builds columns from header codes. Between neighbouring
// headers the boundary lies in the widest empty band between the cards
// standing between them (see boundary), halfway when there are none; the
// frame keeps distances along the board's horizontal, so these are
// measured as on the board.
func headerColumns(headers, all []code, f frame) columns {
	var cs columns
	headers = append([]code(nil), headers...)
	sort.SliceStable(headers, func(i, j int) bool { return headers[i].at.X < headers[j].at.X })
	for _, h := range headers {
		cs.cols = append(cs.cols, column{h.value, h.corners, h.at})
	}
	n := len(cs.cols)
	if n == 0 {
		return cs
	}
	cs.left, cs.right = make([]float64, n), make([]float64, n)
	// relSpacing is the typical distance between neighbouring headers (the
	// lower median, so that one wide gap among three headers stands out),
	// measured in header code widths at the spot: all header codes are
	// printed the same size, so this cancels most of the error in the
	// estimated perspective.
	var relSpacing float64
	rel := make([]float64, n)
	if n > 1 {
		rels := make([]float64, n-1)
		for i := range rels {
			w := (codeWidth(headers[i:i+1], f) + codeWidth(headers[i+1:i+2], f)) / 2
			rel[i] = (cs.cols[i+1].at.X - cs.cols[i].at.X) / w
			rels[i] = rel[i]
		}
		sort.Float64s(rels)
		relSpacing = rels[(len(rels)-1)/2]
	}
	// The edge columns reach out in units of their own header's width,
	// like the gaps above.
	reach := func(i int) float64 {
		if n == 1 {
			return singleColReach * codeWidth(all, f)
		}
		return edgeReach * relSpacing * codeWidth(headers[i:i+1], f)
	}
	cs.left[0] = cs.cols[0].at.X - reach(0)
	cs.right[n-1] = cs.cols[n-1].at.X + reach(n-1)
	for i := 1; i < n; i++ {
		a, b := cs.cols[i-1], cs.cols[i]
		if n >= 3 && rel[i-1] > wideGap*relSpacing {
			cs.right[i-1] = a.at.X + (b.at.X-a.at.X)*relSpacing/rel[i-1]/2
			cs.left[i] = b.at.X - (b.at.X-a.at.X)*relSpacing/rel[i-1]/2
			cs.gaps = append(cs.gaps, fmt.Sprintf("columns %s and %s are unusually far apart: a column header between them may be missing; cards there are not placed (draw column dividers to place them)", a.name, b.name))
			continue
		}
		cs.right[i-1] = boundary(a.at.X, b.at.X, all)
		cs.left[i] = cs.right[i-1]
	}
	return cs
}

// boundary returns where the column of the header at u = a ends and the
// one of the header at b > a begins: in the widest empty band between
// the cards standing between the two headers (columns are separated by
// space, and a wide column's cards can reach past the halfway point),
// with a slight preference for bands near halfway; halfway when no card
// stands between them.
func boundary(a, b float64, all []code) float64 {
	us := []float64{a, b}
	for _, c := range all {
		if c.kind == CardCode && c.at.X > a && c.at.X < b {
			us = append(us, c.at.X)
		}
	}
	if len(us) == 2 {
		return (a + b) / 2
	}
	sort.Float64s(us)
	half, span := (a+b)/2, b-a
	best, bestScore := half, math.Inf(-1)
	for i := 1; i < len(us); i++ {
		mid := (us[i-1] + us[i]) / 2
		score := (us[i] - us[i-1]) * (1 - 0.5*math.Abs(mid-half)/span)
		if score > bestScore {
			best, bestScore = mid, score
		}
	}
	return best
}

// codeWidth is the median width of the codes in board units.
func codeWidth(codes []code, f frame) float64 {
	var ws []float64
	for _, c := range codes {
		q := c.corners
		w := (f.at(q[1]).X - f.at(q[0]).X + f.at(q[2]).X - f.at(q[3]).X) / 2
		if w > 0 && !math.IsInf(w, 0) {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		return 1
	}
	sort.Float64s(ws)
	return ws[len(ws)/2]
}

// assign returns the column a board point is in, or a reason why it is in
// none.
func (cs columns) assign(p Point) (int, string) {
	n := len(cs.cols)
	if p.X < cs.left[0] {
		return -1, fmt.Sprintf("left of the first column (%s)", cs.cols[0].name)
	}
	if p.X > cs.right[n-1] {
		return -1, fmt.Sprintf("right of the last column (%s)", cs.cols[n-1].name)
	}
	i := sort.SearchFloat64s(cs.left[1:], p.X) // the column whose extent starts left of p
	if p.X > cs.right[i] {
		return -1, fmt.Sprintf("between columns %s and %s, where a header may be missing", cs.cols[i].name, cs.cols[i+1].name)
	}
	if p.Y < cs.cols[i].at.Y {
		return -1, fmt.Sprintf("above the header row (over column %s)", cs.cols[i].name)
	}
	return i, ""
}

// boardDivider is a divider in board coordinates.
type boardDivider struct {
	a, b  Point // board coordinates
	photo Divider
}

// uAt returns the divider's u at board height v (the line through it).
func (d boardDivider) uAt(v float64) float64 {
	return d.a.X + (v-d.a.Y)*(d.b.X-d.a.X)/(d.b.Y-d.a.Y)
}

// boardDividers maps hand-drawn dividers into board coordinates, checks
// that each runs down the board, and sorts them left to right.
func boardDividers(ds []Divider, f frame, codes []code) ([]boardDivider, error) {
	vRef := 0.0
	for _, c := range codes {
		vRef += c.at.Y / float64(len(codes))
	}
	out := make([]boardDivider, len(ds))
	for i, d := range ds {
		a, b := f.at(d.A), f.at(d.B)
		if length(sub(d.A, d.B)) < 1 {
			return nil, fmt.Errorf("board: divider %d from (%.0f, %.0f) to (%.0f, %.0f) has no length", i+1, d.A.X, d.A.Y, d.B.X, d.B.Y)
		}
		// Require the divider to be closer to vertical than to
		// horizontal on the board.
		if !(math.Abs(b.Y-a.Y) > math.Abs(b.X-a.X)) {
			return nil, fmt.Errorf("board: divider %d from (%.0f, %.0f) to (%.0f, %.0f) does not run down the board", i+1, d.A.X, d.A.Y, d.B.X, d.B.Y)
		}
		if a.Y > b.Y {
			a, b = b, a
			d.A, d.B = d.B, d.A
		}
		out[i] = boardDivider{a, b, d}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].uAt(vRef) < out[j].uAt(vRef) })
	return out, nil
}

// regionCorners returns the photo quadrilateral of column k between
// dividers: its dividers' end points, or the photo's side for the first
// and last column.
func regionCorners(divs []boardDivider, k, width, height int) [4]Point {
	w, h := float64(width), float64(height)
	left := Divider{Point{0, 0}, Point{0, h}}
	right := Divider{Point{w, 0}, Point{w, h}}
	if k > 0 {
		left = divs[k-1].photo
	}
	if k < len(divs) {
		right = divs[k].photo
	}
	return [4]Point{left.A, right.A, right.B, left.B}
}

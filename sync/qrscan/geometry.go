package qrscan

import (
	"math"
	"sort"
	"sync"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// quad is the four outer corners of a finder pattern in the code's frame:
// top-left, top-right, bottom-right, bottom-left.
type quad [4]Point

// finderCorners traces the outer dark ring of finder f on bm by a flood
// fill and returns its four corners, taken as the ring's extreme pixels
// along the diagonals of the code's axes u and v (unit vectors from the
// top-left finder towards the top-right and bottom-left ones). ok is false
// when the ring is not closed (it leaks into the data) or is implausible.
// The fills are kept in rs (nil for none): a finder shared by several
// triples is traced once per ring.
func finderCorners(bm *bitmap, f *finder, rs *ringSet, ux, uy, vx, vy float64) (q quad, ok bool) {
	// Walk from the centre along +u to the ring: core, gap, ring.
	cx, cy := f.x, f.y
	start := -1
	state := 0
	lim := int(6*f.msMax) + 2
	for i := 0; i <= lim; i++ {
		x := int(math.Floor(cx + ux*float64(i)))
		y := int(math.Floor(cy + uy*float64(i)))
		d := bm.dark(x, y)
		switch {
		case state == 0 && !d:
			state = 1
		case state == 1 && d:
			start = y*bm.w + x
		}
		if start >= 0 {
			break
		}
	}
	if start < 0 {
		return q, false
	}
	r := rs.trace(bm, f, start)
	if r == nil || r.leaked {
		return q, false
	}
	// The ring holds 24 modules²; require a plausible area and that the
	// corners surround the centre.
	area := float64(r.area)
	if area < 8*f.ms*f.ms || area > 50*f.msMax*f.msMax {
		return q, false
	}
	// Extremes along the four diagonals: along a row each diagonal
	// coordinate is monotonic, so a run's extremes are at its ends.
	d1, d2 := ux+vx, uy+vy // towards bottom-right (7,7)
	e1, e2 := ux-vx, uy-vy // towards top-right (7,0)
	best := [4]float64{math.Inf(1), math.Inf(-1), math.Inf(-1), math.Inf(1)}
	var bestP [4]uint64
	for _, rn := range r.runs {
		// Pixel centres relative to the finder's centre.
		py := float64(rn.y) + 0.5 - cy
		for _, x := range [2]int32{rn.a, rn.b - 1} {
			px := float64(x) + 0.5 - cx
			s := px*d1 + py*d2
			t := px*e1 + py*e2
			// Ties go to the first pixel in row order, whatever the
			// order of the fill (within a run of equal values, its
			// first pixel).
			p := uint64(rn.y)<<32 | uint64(x)
			if s < best[0] || s == best[0] && p < bestP[0] {
				best[0], bestP[0] = s, p
			}
			if t > best[1] || t == best[1] && p < bestP[1] {
				best[1], bestP[1] = t, p
			}
			if s > best[2] || s == best[2] && p < bestP[2] {
				best[2], bestP[2] = s, p
			}
			if t < best[3] || t == best[3] && p < bestP[3] {
				best[3], bestP[3] = t, p
			}
		}
	}
	if best[0] > -2*f.ms || best[2] < 2*f.ms || best[1] < 2*f.ms || best[3] > -2*f.ms {
		return q, false
	}
	for k, p := range bestP {
		x, y := int(p&0xffffffff), int(p>>32)
		// The outer corner of the extreme pixel in the diagonal's direction.
		var dx, dy float64
		switch k {
		case 0:
			dx, dy = -d1, -d2
		case 1:
			dx, dy = e1, e2
		case 2:
			dx, dy = d1, d2
		case 3:
			dx, dy = -e1, -e2
		}
		q[k] = Point{float64(x) + 0.5 + 0.5*sign(dx), float64(y) + 0.5 + 0.5*sign(dy)}
	}
	return q, true
}

// ringTrace is the dark component around a finder, flood-filled
// (4-connected) from one pixel within the finder's box: its runs of dark
// pixels along the rows and its area. When the component leaks out of
// the box or grows past a ring's area, leaked is set and runs holds those
// found until then.
type ringTrace struct {
	runs   []ringRun
	area   int
	leaked bool
}

// ringRun is the dark pixels a ≤ x < b of row y.
type ringRun struct{ y, a, b int32 }

// traceRing flood-fills the component of bitmap pixel start (y·w+x, dark)
// around finder f, a run at a time: the dark runs of the rows above and
// below a run that overlap it belong to the component. It returns nil
// when start lies outside f's box.
func traceRing(bm *bitmap, f *finder, start int) *ringTrace {
	x0, y0, x1, y1, maxArea := ringBounds(bm, f)
	sx, sy := start%bm.w, start/bm.w
	if sx < x0 || sx > x1 || sy < y0 || sy > y1 {
		return nil
	}
	r := &ringTrace{}
	// seen marks the runs found, at their first pixel in the box; the
	// bitmap is only read (workers share it).
	bw := x1 - x0 + 1
	seen := make([]uint64, (bw*(y1-y0+1)+63)/64)
	// add takes the run of row y holding dark pixel x and returns its
	// end; ok is false when the fill leaks.
	add := func(x, y int) (end int, ok bool) {
		row := bm.bits[y*bm.bstride : (y+1)*bm.bstride]
		a, b := x-runUp(row, x, 0, x+1)+1, x+runDown(row, x, 0, bm.w-x)
		if y < y0 || y > y1 || a < x0 || b-1 > x1 {
			return b, false
		}
		k := (y-y0)*bw + a - x0
		if seen[k/64]>>(k%64)&1 == 0 {
			seen[k/64] |= 1 << (k % 64)
			r.area += b - a
			r.runs = append(r.runs, ringRun{int32(y), int32(a), int32(b)})
		}
		return b, r.area <= maxArea
	}
	if _, ok := add(sx, sy); !ok {
		r.leaked = true
		return r
	}
	for i := 0; i < len(r.runs); i++ {
		rn := r.runs[i]
		a, b := int(rn.a), int(rn.b)
		for _, y := range [2]int{int(rn.y) - 1, int(rn.y) + 1} {
			if y < 0 || y >= bm.h {
				continue
			}
			row := bm.bits[y*bm.bstride : (y+1)*bm.bstride]
			// The dark runs of row y over pixels a..b−1: from the first
			// dark pixel, and from the first after each run's end.
			for x := a + runDown(row, a, ^uint64(0), b-a); x < b; {
				end, ok := add(x, y)
				if !ok {
					r.leaked = true
					return r
				}
				x = end + runDown(row, end, ^uint64(0), max(b-end, 0))
			}
		}
	}
	return r
}

// ringBounds returns the box (x0..x1, y0..y1, inside bm) a fill around
// finder f must stay within, and the largest area it may reach: the
// ring's outer edge is 3.5 modules from the centre.
func ringBounds(bm *bitmap, f *finder) (x0, y0, x1, y1, maxArea int) {
	reach := 5.5*f.msMax + 2
	x0 = clampInt(int(f.x-reach), 0, bm.w-1)
	x1 = clampInt(int(f.x+reach), 0, bm.w-1)
	y0 = clampInt(int(f.y-reach), 0, bm.h-1)
	y1 = clampInt(int(f.y+reach), 0, bm.h-1)
	return x0, y0, x1, y1, int(60*f.msMax*f.msMax) + 16
}

// reached reports whether the fill reached pixel (x, y).
func (r *ringTrace) reached(x, y int) bool {
	for _, rn := range r.runs {
		if int(rn.y) == y && int(rn.a) <= x && x < int(rn.b) {
			return true
		}
	}
	return false
}

// ringSet holds the ring traces of one finder during one pass. Triples
// sharing the finder reach its ring from different sides, most often on
// pixels of a component already filled. Safe for concurrent use; the nil
// *ringSet traces every time.
type ringSet struct {
	mu     sync.Mutex
	traces []*ringTrace
}

// trace returns the trace of the component of pixel start around f,
// filling it unless a kept trace reached start.
func (rs *ringSet) trace(bm *bitmap, f *finder, start int) *ringTrace {
	if rs == nil {
		return traceRing(bm, f, start)
	}
	x, y := start%bm.w, start/bm.w
	rs.mu.Lock()
	for _, r := range rs.traces {
		if r.reached(x, y) {
			rs.mu.Unlock()
			return r
		}
	}
	rs.mu.Unlock()
	r := traceRing(bm, f, start)
	if r != nil {
		rs.mu.Lock()
		rs.traces = append(rs.traces, r)
		rs.mu.Unlock()
	}
	return r
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	if v > 0 {
		return 1
	}
	return 0
}

// geometry holds the located parts of one candidate symbol.
type geometry struct {
	corners  [3]quad // finder corners: top-left, top-right, bottom-left finder
	hasQuad  [3]bool
	centres  [3]Point
	ms       float64 // module size from the finders
	contrast float64 // light − dark grey level near the top-left finder
}

// locate traces the finder corners of triple t. rings (nil, or one
// ringSet per finder of fs) keeps the finders' ring traces across triples.
func locate(bm *bitmap, p *plane, fs []finder, rings []ringSet, t *triple) *geometry {
	g := &geometry{}
	idx := [3]int{t.tl, t.tr, t.bl}
	F := [3]*finder{&fs[t.tl], &fs[t.tr], &fs[t.bl]}
	ux, uy := F[1].x-F[0].x, F[1].y-F[0].y
	vx, vy := F[2].x-F[0].x, F[2].y-F[0].y
	lu, lv := math.Hypot(ux, uy), math.Hypot(vx, vy)
	ux, uy, vx, vy = ux/lu, uy/lu, vx/lv, vy/lv
	for i, f := range F {
		g.centres[i] = Point{f.x, f.y}
		var rs *ringSet
		if rings != nil {
			rs = &rings[idx[i]]
		}
		g.corners[i], g.hasQuad[i] = finderCorners(bm, f, rs, ux, uy, vx, vy)
		g.ms += f.ms / 3
	}
	// Contrast: the core (dark) against the gap ring (light) of the
	// top-left finder.
	f := F[0]
	dark := p.bilinear(f.x, f.y)
	light := (p.bilinear(f.x+2*f.ms*ux, f.y+2*f.ms*uy) + p.bilinear(f.x-2*f.ms*ux, f.y-2*f.ms*uy) +
		p.bilinear(f.x+2*f.ms*vx, f.y+2*f.ms*vy) + p.bilinear(f.x-2*f.ms*vx, f.y-2*f.ms*vy)) / 4
	g.contrast = light - dark
	return g
}

// finderOrigins are the module coordinates of the top-left corners of the
// three finders for dimension dim.
func finderOrigins(dim int) [3]Point {
	n := float64(dim - 7)
	return [3]Point{{0, 0}, {n, 0}, {0, n}}
}

// fitCorners fits a homography for dimension dim to the finder corners
// (and centres). useCorners false uses only the centres and the
// parallelogram's fourth point.
func (g *geometry) fit(dim int, useCorners bool, extra []correspondence) (homography, bool) {
	cs := make([]correspondence, 0, 20)
	org := finderOrigins(dim)
	nq := 0
	for i := 0; i < 3; i++ {
		cs = append(cs, correspondence{org[i].X + 3.5, org[i].Y + 3.5, g.centres[i].X, g.centres[i].Y, 1})
		if useCorners && g.hasQuad[i] {
			nq++
			q := g.corners[i]
			mod := [4]Point{{0, 0}, {7, 0}, {7, 7}, {0, 7}}
			for k := 0; k < 4; k++ {
				cs = append(cs, correspondence{org[i].X + mod[k].X, org[i].Y + mod[k].Y, q[k].X, q[k].Y, 1})
			}
		}
	}
	if nq == 0 && len(extra) == 0 {
		// Affine: the fourth point of the parallelogram.
		c := g.centres
		n := float64(dim) - 3.5
		cs = append(cs, correspondence{n, n, c[1].X + c[2].X - c[0].X, c[1].Y + c[2].Y - c[0].Y, 1})
	}
	cs = append(cs, extra...)
	return fitHomography(cs)
}

// findAlignment searches around module position (u, v) under h for an
// alignment pattern (a dark module in a light ring in a dark ring) on p and
// returns its centre in image coordinates. The search radius is in modules.
func findAlignment(p *plane, h homography, u, v, radius, contrast float64) (Point, bool) {
	px, py := h.apply(u, v)
	ax, ay := h.apply(u+1, v)
	bx, by := h.apply(u, v+1)
	ax, ay, bx, by = ax-px, ay-py, bx-px, by-py
	ms := math.Sqrt(math.Abs(ax*by - ay*bx))
	if !(ms > 0.5) || ms > 1000 {
		return Point{}, false
	}
	r := radius * ms
	step := math.Max(0.5, ms/4)
	bestS, bx0, by0 := math.Inf(-1), 0.0, 0.0
	for dy := -r; dy <= r; dy += step {
		for dx := -r; dx <= r; dx += step {
			cx, cy := px+dx, py+dy
			centre := p.bilinear(cx, cy)
			var ring1, ring2 float64
			for _, o := range [8][2]float64{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}} {
				ox, oy := o[0]*ax+o[1]*bx, o[0]*ay+o[1]*by
				ring1 += p.bilinear(cx+ox, cy+oy)
				ring2 += p.bilinear(cx+2*ox, cy+2*oy)
			}
			ring1 /= 8
			ring2 /= 8
			s := 2*ring1 - centre - ring2
			// Small preference for the prediction.
			s -= 0.05 * contrast * math.Hypot(dx, dy) / ms
			if s > bestS {
				bestS, bx0, by0 = s, cx, cy
			}
		}
	}
	if bestS < 0.5*contrast {
		return Point{}, false
	}
	return Point{bx0, by0}, true
}

// alignmentCentres returns the module coordinates of the alignment
// pattern centres of dimension dim, excluding those overlapping finders.
func alignmentCentres(dim int) []Point {
	v, err := decoder.Version_GetVersionForNumber((dim - 17) / 4)
	if err != nil {
		return nil
	}
	cs := v.GetAlignmentPatternCenters()
	if len(cs) == 0 {
		return nil
	}
	last := cs[len(cs)-1]
	out := []Point{{float64(last) + 0.5, float64(last) + 0.5}}
	for _, y := range cs {
		for _, x := range cs {
			if x == last && y == last {
				continue
			}
			if (x < 10 && y < 10) || (x < 10 && y > dim-10) || (x > dim-10 && y < 10) {
				continue
			}
			out = append(out, Point{float64(x) + 0.5, float64(y) + 0.5})
		}
	}
	return out
}

// refine adds located alignment patterns to the fit, nearest to a finder
// first: their predicted positions are the most reliable, and each one
// found corrects the prediction of the next, so large symbols under
// perspective converge from the finders outwards. It returns the refined
// homography and the located patterns (module and image coordinates).
func (g *geometry) refine(p *plane, h homography, dim int, useCorners bool) (homography, []correspondence) {
	ac := alignmentCentres(dim)
	if len(ac) == 0 {
		return h, nil
	}
	org := finderOrigins(dim)
	near := func(a Point) float64 {
		d := math.Inf(1)
		for _, o := range org {
			d = math.Min(d, math.Hypot(a.X-o.X-3.5, a.Y-o.Y-3.5))
		}
		return d
	}
	sort.Slice(ac, func(i, j int) bool { return near(ac[i]) < near(ac[j]) })
	radius := 2.0
	if len(ac) == 1 {
		radius = 3
	}
	var extra []correspondence
	for _, a := range ac {
		pt, ok := findAlignment(p, h, a.X, a.Y, radius, g.contrast)
		if !ok {
			continue
		}
		extra = append(extra, correspondence{a.X, a.Y, pt.X, pt.Y, 2})
		if h2, ok := g.fit(dim, useCorners, extra); ok {
			h = h2
		}
	}
	return h, extra
}

// warpField corrects a homography locally: the residuals of known points
// (where the homography puts them against where they were found),
// interpolated by inverse squared distance in module coordinates. It
// follows paper that is curved or a lens that bends lines, which a single
// homography cannot.
type warpField struct {
	u, v, dx, dy []float64
}

// newWarpField builds the field from the finder centres (in g) and the
// located alignment patterns; nil when there is nothing to correct.
func newWarpField(h homography, dim int, g *geometry, pts []correspondence) *warpField {
	if len(pts) < 2 {
		return nil
	}
	w := &warpField{}
	add := func(u, v, x, y float64) {
		px, py := h.apply(u, v)
		w.u = append(w.u, u)
		w.v = append(w.v, v)
		w.dx = append(w.dx, x-px)
		w.dy = append(w.dy, y-py)
	}
	org := finderOrigins(dim)
	for i, c := range g.centres {
		add(org[i].X+3.5, org[i].Y+3.5, c.X, c.Y)
	}
	for _, c := range pts {
		add(c.u, c.v, c.x, c.y)
	}
	return w
}

// at returns the correction at module coordinates (u, v).
func (w *warpField) at(u, v float64) (dx, dy float64) {
	var sw float64
	for i := range w.u {
		d2 := (u-w.u[i])*(u-w.u[i]) + (v-w.v[i])*(v-w.v[i])
		if d2 < 1e-9 {
			return w.dx[i], w.dy[i]
		}
		k := 1 / d2
		dx += k * w.dx[i]
		dy += k * w.dy[i]
		sw += k
	}
	return dx / sw, dy / sw
}

// cornerSearchDim is the largest dimension whose finderless corner is
// searched (small symbols have no alignment pattern to place it).
const cornerSearchDim = 25

// cornerSearchMethods are the grid binarizations tried at each searched
// corner position (the blurred small symbols this search is for).
var cornerSearchMethods = []int{gridSharp, gridGlobal}

// searchCorner moves the bottom-right corner of h (the one without a
// finder, placed by extrapolation) over a grid of ±1 module in half-module
// steps and returns the first geometry that decodes.
func searchCorner(p *plane, h homography, dim int, vals []float32) (string, homography, bool) {
	c := cornersOf(h, dim)
	d := float64(dim)
	// Module steps along the symbol's own axes at that corner.
	ux, uy := h.apply(d-1, d)
	vx, vy := h.apply(d, d-1)
	ax, ay := c[2].X-ux, c[2].Y-uy
	bx, by := c[2].X-vx, c[2].Y-vy
	br := c[2]
	for _, i := range [5]float64{0, -0.5, 0.5, -1, 1} {
		for _, j := range [5]float64{0, -0.5, 0.5, -1, 1} {
			if i == 0 && j == 0 {
				continue
			}
			c[2] = Point{br.X + i*ax + j*bx, br.Y + i*ay + j*by}
			h2, ok := fromCorners(c, dim)
			if !ok {
				continue
			}
			if text, ok, _, _ := readGrid(p, h2, dim, cornerSearchMethods, vals); ok {
				return text, h2, true
			}
		}
	}
	return "", h, false
}

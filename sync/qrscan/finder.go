package qrscan

import (
	"context"
	"encoding/binary"
	"math"
	"math/bits"
)

// finder is a finder-pattern candidate: the centre of three concentric
// squares (7, 5 and 3 modules) in the coordinates of one pyramid level.
type finder struct {
	x, y  float64 // centre, continuous coordinates
	ms    float64 // module size in pixels (smallest over four directions)
	msMax float64 // largest over the four directions (perspective, rotation)
	hits  int     // number of row scans that confirmed it
}

// finderRatio reports whether five run lengths (dark, light, dark, light,
// dark) are in the proportion 1:1:3:1:1 within a tolerance of tol modules
// (plus half a pixel for quantisation).
func finderRatio(r0, r1, r2, r3, r4 int, tol float64) bool {
	total := r0 + r1 + r2 + r3 + r4
	if total < 7 {
		return false
	}
	m := float64(total) / 7
	d := tol*m + 0.5
	if math.Abs(float64(r0)-m) > d || math.Abs(float64(r1)-m) > d ||
		math.Abs(float64(r3)-m) > d || math.Abs(float64(r4)-m) > d {
		return false
	}
	return math.Abs(float64(r2)-3*m) <= 2*tol*m+1
}

// roughRatio is a cheap integer necessary condition of finderRatio with
// finderTol on five runs: each outer run within finderTol modules (plus
// half a pixel and a little slack for rounding) of a seventh of the total.
// Most runs of a noisy row fail it before any float arithmetic.
func roughRatio(r []int32) bool {
	r = r[:5]
	t := r[0] + r[1] + r[2] + r[3] + r[4]
	// |r − t/7| > 0.6·t/7 + 0.5  ⇔  10·|7r − t| > 6t + 35.
	lim := 6*t + 35 + 10
	return roughNear(r[0], t, lim) && roughNear(r[1], t, lim) &&
		roughNear(r[3], t, lim) && roughNear(r[4], t, lim)
}

// roughNear reports whether 10·|7r − t| ≤ lim.
func roughNear(r, t, lim int32) bool {
	d := 7*r - t
	return 10*d <= lim && -10*d <= lim
}

// runsAlong counts the five runs (dark core, light ring, dark ring on each
// side) of a finder centred near (x, y) along the direction (dx, dy), which
// is a unit step (±1, 0, or diagonal). It returns the run lengths in the
// order before-outer .. after-outer and the offset of the core's centre
// from (x, y) in steps. ok is false when the pattern is not there or a run
// exceeds maxRun.
func runsAlong(bm *bitmap, x, y, dx, dy, maxRun int) (runs [5]int, centre float64, ok bool) {
	if !bm.dark(x, y) {
		return runs, 0, false
	}
	pos, step := y*bm.w+x, dy*bm.w+dx
	// Backwards from (x, y) itself: core, light, dark; each at least one
	// pixel.
	var back [3]int
	if !walkRuns(bm.pix, pos, -step, 0, stepsInside(x, y, -dx, -dy, bm.w, bm.h), maxRun, &back) ||
		back[0] == 0 || back[1] == 0 || back[2] == 0 {
		return runs, 0, false
	}
	// Forwards from the next pixel: the core may end at (x, y).
	var fwd [3]int
	if !walkRuns(bm.pix, pos, step, 1, stepsInside(x, y, dx, dy, bm.w, bm.h), maxRun, &fwd) ||
		fwd[1] == 0 || fwd[2] == 0 {
		return runs, 0, false
	}
	runs = [5]int{back[2], back[1], back[0] + fwd[0], fwd[1], fwd[2]}
	// The core spans steps -(back[0]-1) .. fwd[0]; its centre (in
	// continuous step units relative to the pixel centre of (x, y)):
	centre = (float64(fwd[0]) - float64(back[0]-1)) / 2
	return runs, centre, true
}

// walkRuns measures three runs (dark, light, dark) on pix from index
// pos+i0·step onwards in steps of step; steps i ≥ n are outside the bitmap
// and read light. It returns false when a run exceeds maxRun.
func walkRuns(pix []byte, pos, step, i0, n, maxRun int, out *[3]int) bool {
	i := i0
	for st := 0; st < 3; st++ {
		want := st != 1 // dark, light, dark
		c := 0
		for (i < n && pix[pos+step*i] != 0) == want {
			c++
			i++
			if c > maxRun {
				return false
			}
		}
		out[st] = c
	}
	return true
}

// stepsInside is the number of steps i ≥ 0 for which (x+dx·i, y+dy·i)
// lies inside a w×h bitmap, for (x, y) inside and dx, dy in {-1, 0, 1}.
func stepsInside(x, y, dx, dy, w, h int) int {
	n := w + h
	switch dx {
	case 1:
		n = min(n, w-x)
	case -1:
		n = min(n, x+1)
	}
	switch dy {
	case 1:
		n = min(n, h-y)
	case -1:
		n = min(n, y+1)
	}
	return n
}

// finderScan holds the state of a finder search over one bitmap.
type finderScan struct {
	bm    *bitmap
	tol   float64
	cells map[int][]int32 // spatial hash of cluster indices
	cl    []finderCluster
	limit int
	full  bool // the cluster limit was reached
	hits  []finderHit
}

type finderCluster struct {
	sx, sy, sm, smx float64
	n               int
}

const finderCell = 32

// findFinders scans every row of bm for 1:1:3:1:1 runs, confirms them
// vertically, horizontally and diagonally, and merges confirmations of the
// same pattern. At most limit finders are kept; full reports whether the
// limit was reached (the photo is noise or holds more codes than budgeted).
func findFinders(bm *bitmap, limit int) (fs []finder, full bool) {
	// Bands of rows are scanned in parallel (natively); their confirmed
	// hits are then merged into clusters in row order.
	const bandRows = 64
	nb := (bm.h + bandRows - 1) / bandRows
	hits := make([][]finderHit, nb)
	forEach(context.Background(), nb, func(b int) {
		sc := &finderScan{bm: bm, tol: finderTol}
		var runs []int32
		for y := b * bandRows; y < min(bm.h, (b+1)*bandRows); y++ {
			runs = sc.scanRow(y, runs)
		}
		hits[b] = sc.hits
	})
	s := &finderScan{bm: bm, tol: finderTol, cells: map[int][]int32{}, limit: limit}
	for _, hs := range hits {
		for _, h := range hs {
			s.add(h.x, h.y, h.ms, h.msMax)
			if s.full {
				return s.finders(), true
			}
		}
	}
	return s.finders(), false
}

// finderHit is one confirmed crossing of a finder by a row scan.
type finderHit struct{ x, y, ms, msMax float64 }

// finderTol is the run-length tolerance of the 1:1:3:1:1 test, in modules.
const finderTol = 0.6

// scanRow looks for 1:1:3:1:1 runs in row y and confirms them.
func (s *finderScan) scanRow(y int, runs []int32) []int32 {
	bm := s.bm
	row := bm.pix[y*bm.w : (y+1)*bm.w]
	runs = rowRuns(row, runs[:0])
	first := row[0]
	// Index of the first dark run.
	i0, x := 0, 0
	if first == 0 {
		i0, x = 1, int(runs[0])
	}
	for i := i0; i+4 < len(runs); i += 2 {
		r := runs[i : i+5]
		if roughRatio(r) && finderRatio(int(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), s.tol) {
			cx := x + int(r[0]) + int(r[1]) + int(r[2])/2
			if s.rowContrast(y, x, r) {
				s.confirm(cx, y, int(r[0]+r[1]+r[2]+r[3]+r[4]))
			}
		}
		x += int(runs[i]) + int(runs[i+1])
	}
	return runs
}

// rowRuns appends the lengths of the runs of equal values in row (0/1
// bytes) to runs. Eight pixels are compared with their left neighbours at
// a time: each transition is a non-zero byte of the XOR of two loads.
func rowRuns(row []byte, runs []int32) []int32 {
	last := 0 // start of the current run
	x := 1
	for ; x+8 <= len(row); x += 8 {
		t := binary.LittleEndian.Uint64(row[x:]) ^ binary.LittleEndian.Uint64(row[x-1:])
		for t != 0 {
			p := x + bits.TrailingZeros64(t)/8
			runs = append(runs, int32(p-last))
			last = p
			t &= t - 1 // bytes are 0 or 1: one bit per transition
		}
	}
	for ; x < len(row); x++ {
		if row[x] != row[x-1] {
			runs = append(runs, int32(x-last))
			last = x
		}
	}
	return append(runs, int32(len(row)-last))
}

// rowContrast is a cheap test before the cross-checks: on the grey row the
// core's centre must be darker than the middles of the two gap runs (noise
// in flat areas makes many 1:1:3:1:1 runs without it).
func (s *finderScan) rowContrast(y, x int, r []int32) bool {
	g := s.bm.src
	if g == nil {
		return true
	}
	row := g.pix[y*g.stride : y*g.stride+g.w]
	gap1 := x + int(r[0]) + int(r[1])/2
	core := x + int(r[0]) + int(r[1]) + int(r[2])/2
	gap2 := x + int(r[0]) + int(r[1]) + int(r[2]) + int(r[3])/2
	return (int(row[gap1])+int(row[gap2]))/2-int(row[core]) >= minFinderContrast/2
}

// confirm cross-checks a horizontal hit at (cx, y) with run total total.
func (s *finderScan) confirm(cx, y, total int) {
	maxRun := total * 2
	v, vc, ok := runsAlong(s.bm, cx, y, 0, 1, maxRun)
	if !ok || !finderRatio(v[0], v[1], v[2], v[3], v[4], s.tol) {
		return
	}
	vt := v[0] + v[1] + v[2] + v[3] + v[4]
	if vt*3 < total || vt > total*3 {
		return
	}
	cyf := float64(y) + 0.5 + vc
	cy := int(cyf)
	h, hc, ok := runsAlong(s.bm, cx, cy, 1, 0, maxRun)
	if !ok || !finderRatio(h[0], h[1], h[2], h[3], h[4], s.tol) {
		return
	}
	ht := h[0] + h[1] + h[2] + h[3] + h[4]
	cxf := float64(cx) + 0.5 + hc
	// Diagonals, from the refined centre.
	ix, iy := int(cxf), int(cyf)
	d1, _, ok := runsAlong(s.bm, ix, iy, 1, 1, maxRun)
	if !ok || !finderRatio(d1[0], d1[1], d1[2], d1[3], d1[4], s.tol*1.5) {
		return
	}
	d2, _, ok := runsAlong(s.bm, ix, iy, 1, -1, maxRun)
	if !ok || !finderRatio(d2[0], d2[1], d2[2], d2[3], d2[4], s.tol*1.5) {
		return
	}
	t1 := float64(d1[0]+d1[1]+d1[2]+d1[3]+d1[4]) * math.Sqrt2
	t2 := float64(d2[0]+d2[1]+d2[2]+d2[3]+d2[4]) * math.Sqrt2
	// A square's width through its centre is smallest along its own axes;
	// the smallest of the four directions is within 8% of the true width.
	m := math.Min(math.Min(float64(ht), float64(vt)), math.Min(t1, t2))
	mx := math.Max(math.Max(float64(ht), float64(vt)), math.Max(t1, t2))
	s.hits = append(s.hits, finderHit{cxf, cyf, m / 7, mx / 7})
}

func (s *finderScan) add(x, y, ms, msMax float64) {
	kx, ky := int(x)/finderCell, int(y)/finderCell
	best, bestD := -1, math.Inf(1)
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			for _, ci := range s.cells[(ky+dy)<<16^(kx+dx)] {
				c := &s.cl[ci]
				n := float64(c.n)
				cx, cy, cm := c.sx/n, c.sy/n, c.sm/n
				d := math.Hypot(cx-x, cy-y)
				if d < 1.5*math.Max(cm, ms) && ms < 1.6*cm && cm < 1.6*ms && d < bestD {
					best, bestD = int(ci), d
				}
			}
		}
	}
	if best >= 0 {
		c := &s.cl[best]
		c.sx += x
		c.sy += y
		c.sm += ms
		c.smx += msMax
		c.n++
		return
	}
	if len(s.cl) >= s.limit {
		s.full = true
		return
	}
	k := ky<<16 ^ kx
	s.cells[k] = append(s.cells[k], int32(len(s.cl)))
	s.cl = append(s.cl, finderCluster{sx: x, sy: y, sm: ms, smx: msMax, n: 1})
}

func (s *finderScan) finders() []finder {
	fs := make([]finder, len(s.cl))
	for i, c := range s.cl {
		n := float64(c.n)
		fs[i] = finder{x: c.sx / n, y: c.sy / n, ms: c.sm / n, msMax: c.smx / n, hits: c.n}
	}
	return fs
}

// minFinderContrast is the grey-level difference a finder's light gap ring
// must show against its dark core.
const minFinderContrast = 10

// minFinderModule is the smallest module size (pixels) a finder may have:
// smaller ones are noise or too small to decode at this level.
const minFinderModule = 1.5

// finderContrast is the grey-level difference between finder f's gap ring
// and its core. At radius 2.3 modules a point lies in the gap ring (1.5 to
// 2.5 modules from the centre along the finder's axes) whatever the
// finder's rotation.
func finderContrast(p *plane, f *finder) float64 {
	var gap float64
	for k := 0; k < 8; k++ {
		a := float64(k) * math.Pi / 4
		gap += p.bilinear(f.x+2.3*f.ms*math.Cos(a), f.y+2.3*f.ms*math.Sin(a))
	}
	return gap/8 - p.bilinear(f.x, f.y)
}

// verifyFinders keeps the finders that were confirmed on enough rows
// and whose grey levels on p show a light gap ring around a dark core (sampled in eight
// directions), which removes most candidates made of noise.
func verifyFinders(fs []finder, p *plane, minModule float64) []finder {
	out := fs[:0]
	for _, f := range fs {
		if f.ms < minModule {
			continue
		}
		// A finder's core is 3 modules tall, so it is crossed by about
		// 3·ms rows; noise makes small candidates seen on few rows.
		if f.hits < 2 || f.ms < 0.9 {
			continue
		}
		c := finderContrast(p, &f)
		// Small candidates seen on few rows are mostly noise unless their
		// contrast is strong (sharp renderings of tiny codes).
		small := f.ms < minFinderModule || float64(f.hits) < 1.5*f.ms
		if c >= minFinderContrast && (!small || c >= 4*minFinderContrast) {
			out = append(out, f)
		}
	}
	return out
}

// finderWidth measures finder f's outer width along the unit direction
// (dx, dy) on bm: from the centre, through the dark core, the light gap and
// the dark ring on both sides. Under perspective the width differs by
// direction, so module sizes along a line are taken from it. It returns 0
// when the runs do not look like a finder.
func finderWidth(bm *bitmap, f *finder, dx, dy float64) float64 {
	limit := 6*f.msMax + 3
	var side [2]float64
	for k, sgn := range [2]float64{1, -1} {
		state := 0 // 0 core, 1 gap, 2 ring
		var coreEnd float64
		t := 0.0
		for ; t <= limit; t += 0.5 {
			d := bm.dark(int(math.Floor(f.x+sgn*dx*t)), int(math.Floor(f.y+sgn*dy*t)))
			switch {
			case state == 0 && !d:
				state, coreEnd = 1, t
			case state == 1 && d:
				state = 2
			case state == 2 && !d:
				state = 3
			}
			if state == 3 {
				break
			}
		}
		if state != 3 {
			return 0
		}
		// The core's half-width is 1.5 of the 3.5 modules to the edge.
		if r := coreEnd / t; r < 0.2 || r > 0.65 {
			return 0
		}
		side[k] = t
	}
	return side[0] + side[1]
}

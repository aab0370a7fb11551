package qrscan

import (
	"context"
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
	rows  int     // rows it spans, as far as the scans tell (hits × row step)
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

// ratioMargin measures five runs against the 1:1:3:1:1 bounds of
// finderRatio with tol = tol10/10, in integers. With t the total,
// finderRatio accepts an outer run r when |r − t/7| ≤ tol·t/7 + 0.5, i.e.
// (10−tol10)·t − 35 ≤ 70·r ≤ (10+tol10)·t + 35, and the core c when
// |c − 3t/7| ≤ 2·tol·t/7 + 1, i.e. (30−2·tol10)·t − 70 ≤ 70·c ≤
// (30+2·tol10)·t + 70; and it needs t ≥ 7. ratioMargin returns the
// smallest slack of these bounds: positive when all hold strictly,
// negative when one is broken. finderRatio's float arithmetic can only
// disagree with the integers where a run is on its bound, so only a
// margin of 0 needs finderRatio itself; most runs of a noisy row are
// decided without float arithmetic.
func ratioMargin(r0, r1, r2, r3, r4, tol10 int) int {
	t := r0 + r1 + r2 + r3 + r4
	return min(70*min(r0, r1, r3, r4)-((10-tol10)*t-35), (10+tol10)*t+35-70*max(r0, r1, r3, r4),
		70*r2-((30-2*tol10)*t-70), (30+2*tol10)*t+70-70*r2, 2*t-13)
}

// isFinderRatio is finderRatio(r0, …, r4, tol) for tol = tol10/10 (tol is
// passed too, the exact float value finderRatio is given).
func isFinderRatio(r0, r1, r2, r3, r4, tol10 int, tol float64) bool {
	m := ratioMargin(r0, r1, r2, r3, r4, tol10)
	return m > 0 || m == 0 && finderRatio(r0, r1, r2, r3, r4, tol)
}

// finderTol10 is finderTol in tenths.
const finderTol10 = 6

// runsAlong counts the five runs (dark core, light ring, dark ring on each
// side) of a finder centred near (x, y) along the direction (dx, dy), which
// is a unit step (±1, 0, or diagonal). It returns the run lengths in the
// order before-outer .. after-outer and the offset of the core's centre
// from (x, y) in steps. ok is false when the pattern is not there or a run
// exceeds maxRun. (The runs are separate results, not an array: under
// WebAssembly Go zeroes and copies arrays above 32 bytes with bulk-memory
// instructions, which V8 runs as out-of-line calls.)
func runsAlong(bm *bitmap, x, y, dx, dy, maxRun int) (r0, r1, r2, r3, r4 int, centre float64, ok bool) {
	if !bm.dark(x, y) {
		return 0, 0, 0, 0, 0, 0, false
	}
	// Positions and steps are bit indices into bm.bits.
	pos, step := y*8*bm.bstride+x, dy*8*bm.bstride+dx
	nb := stepsInside(x, y, -dx, -dy, bm.w, bm.h) // pixels back from (x, y), itself included
	nf := stepsInside(x, y, dx, dy, bm.w, bm.h)   // pixels forward, itself included
	if nb >= 16 && nf > 16 {
		// Mostly the pattern lies within 16 pixels each way: gathered
		// into bits (straight-line code), the runs are counts of
		// trailing ones or zeros.
		u := gather16(bm.bits, pos, -step)     // bit k: pixel k steps back
		d := gather16(bm.bits, pos+step, step) // bit k: pixel k+1 steps forward
		if r0, r1, r2, r3, r4, centre, ok, exact := windowRuns(u, d, 16, maxRun); exact {
			return r0, r1, r2, r3, r4, centre, ok
		}
	}
	// Backwards from (x, y) itself: core, light, dark; each at least one
	// pixel.
	var back [3]int
	if !walkRuns(bm.bits, pos, -step, 0, nb, maxRun, &back) ||
		back[0] == 0 || back[1] == 0 || back[2] == 0 {
		return 0, 0, 0, 0, 0, 0, false
	}
	// Forwards from the next pixel: the core may end at (x, y).
	var fwd [3]int
	if !walkRuns(bm.bits, pos, step, 1, nf, maxRun, &fwd) ||
		fwd[1] == 0 || fwd[2] == 0 {
		return 0, 0, 0, 0, 0, 0, false
	}
	// The core spans steps -(back[0]-1) .. fwd[0]; its centre (in
	// continuous step units relative to the pixel centre of (x, y)):
	centre = (float64(fwd[0]) - float64(back[0]-1)) / 2
	return back[2], back[1], back[0] + fwd[0], fwd[1], fwd[2], centre, true
}

// gather16 packs the 16 bits p, p+step, …, p+15·step of the packed
// bitmap rows b (bit index i is bit i%8 of byte i/8) into bits 0..15.
func gather16(b []byte, p, step int) uint64 {
	bit := func(i int) uint64 { return uint64(b[i>>3] >> (i & 7) & 1) }
	return bit(p) | bit(p+step)<<1 | bit(p+2*step)<<2 | bit(p+3*step)<<3 |
		bit(p+4*step)<<4 | bit(p+5*step)<<5 | bit(p+6*step)<<6 | bit(p+7*step)<<7 |
		bit(p+8*step)<<8 | bit(p+9*step)<<9 | bit(p+10*step)<<10 | bit(p+11*step)<<11 |
		bit(p+12*step)<<12 | bit(p+13*step)<<13 | bit(p+14*step)<<14 | bit(p+15*step)<<15
}

// walkRuns measures three runs (dark, light, dark) on the packed bitmap
// rows b from bit index pos+i0·step onwards in steps of step; steps i ≥ n
// are outside the bitmap and read light. It returns false when a run
// exceeds maxRun.
func walkRuns(b []byte, pos, step, i0, n, maxRun int, out *[3]int) bool {
	i, p := i0, pos+step*i0
	for st := 0; st < 3; st++ {
		want := st != 1 // dark, light, dark
		c := 0
		for (i < n && b[p>>3]>>(p&7)&1 != 0) == want {
			c++
			i++
			p += step
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

// colBits is a bitmap transposed to columns of bits: bit y%64 of the
// little-endian word y/64 of column x (bytes x·stride onwards) is 1 where
// (x, y) is dark. Bits past the last row are 0 (light). Runs along a
// column are then found a word at a time instead of a pixel at a time.
type colBits struct {
	w, h   int
	stride int // bytes per column, a multiple of 8
	b      []byte
}

// transposeBits builds the column bits of bm: the bytes of eight packed
// rows at one byte offset form an 8×8 bit matrix, whose transpose holds
// the eight bits of each of its eight columns.
func transposeBits(bm *bitmap) *colBits {
	w, h := bm.w, bm.h
	stride := (h + 63) / 64 * 8
	cb := &colBits{w: w, h: h, stride: stride, b: make([]byte, w*stride)}
	groups := (h + 7) / 8 // of eight rows; byte g of each column
	bs := bm.bstride
	// Bands of 64 rows write distinct bytes of every column.
	forEach(context.Background(), (groups+7)/8, func(band int) {
		for g := 8 * band; g < min(groups, 8*band+8); g++ {
			y0, n := 8*g, min(8, h-8*g) // rows in this group
			xb := 0
			if n == 8 {
				// Whole groups of eight columns, unrolled.
				rows := bm.bits[y0*bs : (y0+8)*bs]
				for ; 8*xb+8 <= w; xb++ {
					r := rows[xb : 7*bs+xb+1]
					t := transpose8(uint64(r[0]) | uint64(r[bs])<<8 | uint64(r[2*bs])<<16 | uint64(r[3*bs])<<24 |
						uint64(r[4*bs])<<32 | uint64(r[5*bs])<<40 | uint64(r[6*bs])<<48 | uint64(r[7*bs])<<56)
					d := cb.b[8*xb*stride+g : (8*xb+7)*stride+g+1]
					d[0] = byte(t)
					d[stride] = byte(t >> 8)
					d[2*stride] = byte(t >> 16)
					d[3*stride] = byte(t >> 24)
					d[4*stride] = byte(t >> 32)
					d[5*stride] = byte(t >> 40)
					d[6*stride] = byte(t >> 48)
					d[7*stride] = byte(t >> 56)
				}
			}
			// The last rows and columns.
			for ; 8*xb < w; xb++ {
				// Byte k of t: row y0+k's pixels 8xb..8xb+7.
				var t uint64
				for k := 0; k < n; k++ {
					t |= uint64(bm.bits[(y0+k)*bs+xb]) << (8 * k)
				}
				t = transpose8(t)
				for j := 0; j < min(8, w-8*xb); j++ {
					cb.b[(8*xb+j)*stride+g] = byte(t >> (8 * j))
				}
			}
		}
	})
	return cb
}

// transpose8 transposes the 8×8 bit matrix t (row k is byte k, column j
// bit j of each byte): bit 8k+j moves to bit 8j+k.
func transpose8(t uint64) uint64 {
	u := (t ^ t>>7) & 0x00aa00aa00aa00aa
	t ^= u ^ u<<7
	u = (t ^ t>>14) & 0x0000cccc0000cccc
	t ^= u ^ u<<14
	u = (t ^ t>>28) & 0x00000000f0f0f0f0
	return t ^ u ^ u<<28
}

// dark reports whether (x, y), inside the bitmap, is dark.
func (cb *colBits) dark(x, y int) bool {
	return cb.b[x*cb.stride+y>>3]>>(y&7)&1 != 0
}

// vertical is runsAlong(bm, x, y, 0, 1, maxRun) on the column bits of bm.
func (cb *colBits) vertical(x, y, maxRun int) (r0, r1, r2, r3, r4 int, centre float64, ok bool) {
	col := cb.b[x*cb.stride : (x+1)*cb.stride]
	wi := y >> 6
	cur := le64(col, 8*wi)
	if cur>>(y&63)&1 == 0 {
		return 0, 0, 0, 0, 0, 0, false
	}
	if y >= 63 && y+64 < cb.h {
		// Mostly the pattern lies within the 64 bits above and the 64
		// below (all inside the bitmap): three runs each way by counting
		// leading or trailing bits.
		s := uint(63 - y&63)
		var prev uint64
		if wi > 0 {
			prev = le64(col, 8*(wi-1))
		}
		u := cur<<s | prev>>(64-s) // bit y at the top
		b0 := bits.LeadingZeros64(^u)
		u <<= b0
		b1 := bits.LeadingZeros64(u)
		u <<= b1
		b2 := bits.LeadingZeros64(^u)
		s = uint(y&63) + 1
		d := cur>>s | le64(col, 8*wi+8)<<(64-s) // bit y+1 at the bottom
		f0 := bits.TrailingZeros64(^d)
		d >>= f0
		f1 := bits.TrailingZeros64(d)
		d >>= f1
		f2 := bits.TrailingZeros64(^d)
		if b0+b1+b2 < 64 && f0+f1+f2 < 64 {
			if max(b0, b1, b2, f0, f1, f2) > maxRun || b1 == 0 || b2 == 0 || f1 == 0 || f2 == 0 {
				return 0, 0, 0, 0, 0, 0, false
			}
			return b2, b1, b0 + f0, f1, f2, (float64(f0) - float64(b0-1)) / 2, true
		}
	}
	const dark, light = 0, ^uint64(0) // flips: runs of ones, of zeros
	lim := maxRun + 1
	b0 := runUp(col, y, dark, lim)
	b1 := runUp(col, y-b0, light, lim)
	b2 := runUp(col, y-b0-b1, dark, lim)
	if b0 > maxRun || b1 > maxRun || b2 > maxRun || b1 == 0 || b2 == 0 {
		return 0, 0, 0, 0, 0, 0, false
	}
	f0 := runDown(col, y+1, dark, lim)
	f1 := runDown(col, y+1+f0, light, lim)
	f2 := runDown(col, y+1+f0+f1, dark, lim)
	if f0 > maxRun || f1 > maxRun || f2 > maxRun || f1 == 0 || f2 == 0 {
		return 0, 0, 0, 0, 0, 0, false
	}
	return b2, b1, b0 + f0, f1, f2, (float64(f0) - float64(b0-1)) / 2, true
}

// runDown returns the length of the run of bits equal to ^flip's (ones
// for flip 0, zeros for flip ^0) in col from bit p onwards, but at most
// lim. Past the end of col is light: a run of zeros reaching it is
// unbounded (lim), a run of ones ends there.
func runDown(col []byte, p int, flip uint64, lim int) int {
	c := 0
	for c < lim {
		i := p >> 6
		if 8*i+8 > len(col) {
			if flip == 0 {
				return c
			}
			return lim
		}
		s := p & 63
		// The top s bits of ^v are ones, so k ≤ 64 − s.
		v := (le64(col, 8*i) ^ flip) >> s
		k := bits.TrailingZeros64(^v)
		c += k
		if k < 64-s {
			break
		}
		p += k
	}
	return min(c, lim)
}

// runUp is runDown towards bit 0 from bit p; before bit 0 is light.
func runUp(col []byte, p int, flip uint64, lim int) int {
	c := 0
	for c < lim {
		if p < 0 {
			if flip == 0 {
				return c
			}
			return lim
		}
		s := 63 - p&63
		// Bit p at the top; the low s bits of ^v are ones, so k ≤ 64 − s.
		v := (le64(col, 8*(p>>6)) ^ flip) << s
		k := bits.LeadingZeros64(^v)
		c += k
		if k < 64-s {
			break
		}
		p -= k
	}
	return min(c, lim)
}

// windowRuns is runsAlong on two bit windows of n pixels (bits n and up
// 0) around a dark pixel: u holds the pixel (bit 0) and those before it,
// bit k k steps back; d those after it, bit k k+1 steps forward. The runs
// are counts of trailing ones or zeros. exact is false when a third run
// reaches the end of its window, so that the counts may be short.
func windowRuns(u, d uint64, n, maxRun int) (r0, r1, r2, r3, r4 int, centre float64, ok, exact bool) {
	b0 := bits.TrailingZeros64(^u)
	b1 := bits.TrailingZeros64(u >> b0)
	b2 := bits.TrailingZeros64(^(u >> (b0 + b1)))
	f0 := bits.TrailingZeros64(^d)
	f1 := bits.TrailingZeros64(d >> f0)
	f2 := bits.TrailingZeros64(^(d >> (f0 + f1)))
	if b0+b1+b2 >= n || f0+f1+f2 >= n {
		return 0, 0, 0, 0, 0, 0, false, false
	}
	if max(b0, b1, b2, f0, f1, f2) > maxRun || b1 == 0 || b2 == 0 || f1 == 0 || f2 == 0 {
		return 0, 0, 0, 0, 0, 0, false, true
	}
	return b2, b1, b0 + f0, f1, f2, (float64(f0) - float64(b0-1)) / 2, true, true
}

// horizontal is runsAlong(bm, x, y, 1, 0, maxRun). Away from the row's
// ends it reads the 56 pixels each way from the packed row, one word each.
func horizontal(bm *bitmap, x, y, maxRun int) (r0, r1, r2, r3, r4 int, centre float64, ok bool) {
	if x >= 55 && x+57 <= bm.w && bm.bits != nil {
		const n = 56 // pixels each way; a word read at a pixel's byte holds 57
		row := bm.bits[y*bm.bstride : (y+1)*bm.bstride]
		a := x - n + 1
		// Bit k: pixel x−k, k < n; reversed, the bits above n−1 drop out.
		u := bits.Reverse64(le64(row, a>>3)>>(a&7)) >> (64 - n)
		a = x + 1
		d := le64(row, a>>3) >> (a & 7) & (1<<n - 1) // bit k: pixel x+1+k
		if u&1 != 0 {
			if r0, r1, r2, r3, r4, centre, ok, exact := windowRuns(u, d, n, maxRun); exact {
				return r0, r1, r2, r3, r4, centre, ok
			}
		}
	}
	return runsAlong(bm, x, y, 1, 0, maxRun)
}

// finderScan holds the state of a finder search over one bitmap.
type finderScan struct {
	bm    *bitmap
	cols  *colBits // bm by columns for the vertical checks, if built
	cands []finderCand
	tol   float64
	cells map[int][]int32 // spatial hash of cluster indices
	cl    []finderCluster
	limit int
	full  bool // the cluster limit was reached
	hits  []finderHit
}

// finderCand is a row's 1:1:3:1:1 run to confirm: the core's centre
// pixel and the run total.
type finderCand struct{ x, y, total int32 }

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
	return findFindersCols(bm, limit, autoColumns, 1)
}

// findFindersStep is findFinders scanning every step-th row only. A
// finder's core is 3 modules tall, so passes looking for modules of
// minStepModule pixels or more still cross each core on three rows or
// more with step 2, at half the cost of the row scan and of the
// confirmations (which dominate the finder stage on textured surfaces).
func findFindersStep(bm *bitmap, limit, step int) (fs []finder, full bool) {
	return findFindersCols(bm, limit, autoColumns, step)
}

// minStepModule is the smallest module size (pixels) a pass must be
// looking for to scan every second row (see findFindersStep).
const minStepModule = 2.5

// How findFindersCols makes its vertical checks.
const (
	autoColumns   = iota // with column bits when the candidates are many
	neverColumns         // walking the bitmap
	alwaysColumns        // with column bits
)

// columnsPerCandidate is the number of pixels per row candidate above
// which the column bits are built: transposing costs a few operations per
// pixel, a vertical check on them several hundred fewer than gathering
// 32 pixels (in WebAssembly, where the bounds-checked loads dominate).
const columnsPerCandidate = 160

// findFindersCols is findFindersStep with the choice of vertical checks
// (results are the same either way). Bands of rows are scanned in
// parallel (natively) for candidates; if they are dense (a noisy photo)
// the bitmap is transposed to column bits; then the candidates are
// confirmed, again by bands, and the confirmations merged into clusters
// in row order.
func findFindersCols(bm *bitmap, limit, columns, step int) (fs []finder, full bool) {
	const bandRows = 64
	nb := (bm.h + bandRows - 1) / bandRows
	cands := make([][]finderCand, nb)
	packed, bstride := bm.bits, bm.bstride
	forEach(context.Background(), nb, func(b int) {
		sc := &finderScan{bm: bm, tol: finderTol}
		// Rows on the step's grid: bandRows is a multiple of the steps
		// in use (1 and 2), so every band starts on it.
		for y := b * bandRows; y < min(bm.h, (b+1)*bandRows); y += step {
			sc.scanRow(y, packed, bstride)
		}
		cands[b] = sc.cands
	})
	n := 0
	for _, cs := range cands {
		n += len(cs)
	}
	var cols *colBits
	if columns == alwaysColumns || columns == autoColumns && n*columnsPerCandidate > bm.w*bm.h {
		cols = transposeBits(bm)
	}
	hits := make([][]finderHit, nb)
	forEach(context.Background(), nb, func(b int) {
		sc := &finderScan{bm: bm, cols: cols, tol: finderTol}
		for _, c := range cands[b] {
			sc.confirm(int(c.x), int(c.y), int(c.total))
		}
		hits[b] = sc.hits
	})
	s := &finderScan{bm: bm, tol: finderTol, cells: map[int][]int32{}, limit: limit}
	for _, hs := range hits {
		for _, h := range hs {
			s.add(h.x, h.y, h.ms, h.msMax)
			if s.full {
				return s.finders(step), true
			}
		}
	}
	return s.finders(step), false
}

// finderHit is one confirmed crossing of a finder by a row scan.
type finderHit struct{ x, y, ms, msMax float64 }

// finderTol is the run-length tolerance of the 1:1:3:1:1 test, in modules.
const finderTol = 0.6

// scanRow looks for 1:1:3:1:1 runs in row y and adds them to s.cands.
// The runs come from the transitions of the packed row, 64 pixels
// at a time (each is a set bit of the row XOR itself shifted by one pixel;
// the end of the row is one more); the last five runs are kept in
// variables, and each window of five ending with a dark run (so starting
// with one) is tested as it completes: with ratioMargin and the grey-level
// contrast (both inlined: a call per window is costly in WebAssembly),
// finderRatio only at the bounds.
func (s *finderScan) scanRow(y int, packed []byte, bstride int) {
	bm := s.bm
	w := bm.w
	row := packed[y*bstride : (y+1)*bstride]
	var grey []byte
	if g := bm.src; g != nil {
		grey = g.pix[y*g.stride : y*g.stride+g.w]
	}
	// The last five runs, r4 the latest; before the first five, r0 is
	// negative enough to fail every test.
	r0, r1, r2, r3, r4 := -1<<40, 0, 0, 0, 0
	carry := uint64(row[0] & 1) // the pixel left of the word (none at 0)
	dark := carry != 0          // the colour of the current run
	last := 0                   // where the current run started
	for x := 0; ; x += 64 {
		t := uint64(1) // bit k: a transition at x+k; past the words, the end
		if x < w {
			cur := le64(row, x>>3)
			t = cur ^ (cur<<1 | carry)
			carry = cur >> 63
			if w-x < 64 {
				t |= 1 << (w - x) // the end of the row
			}
		}
		for t != 0 {
			p := x + bits.TrailingZeros64(t)
			t &= t - 1
			r0, r1, r2, r3, r4 = r1, r2, r3, r4, p-last
			last = p
			if dark {
				tot := r0 + r1 + r2 + r3 + r4
				m := ratioMargin(r0, r1, r2, r3, r4, finderTol10)
				if m >= 0 && (m > 0 || finderRatio(r0, r1, r2, r3, r4, s.tol)) {
					x0 := p - tot
					if grey == nil || coreContrast(grey, x0, r0, r1, r2, r3) {
						s.cands = append(s.cands, finderCand{int32(x0 + r0 + r1 + r2/2), int32(y), int32(tot)})
					}
				}
			}
			dark = !dark
		}
		if x+64 > w {
			return // the last transition was the end of the row
		}
	}
}

// coreContrast is a cheap test before the cross-checks: on the grey row
// the centre of the core run (runs r0..r3 from x) must be darker than the
// middles of the two gap runs by minFinderContrast, what verifyFinders
// asks of the whole finder. Noise in flat areas and textured surfaces
// (brushed metal, stucco, cork) make many 1:1:3:1:1 runs of lower
// contrast.
func coreContrast(grey []byte, x, r0, r1, r2, r3 int) bool {
	gap1 := x + r0 + r1/2
	core := x + r0 + r1 + r2/2
	gap2 := x + r0 + r1 + r2 + r3/2
	return (int(grey[gap1])+int(grey[gap2]))/2-int(grey[core]) >= minFinderContrast
}

// confirm cross-checks a horizontal hit at (cx, y) with run total total.
func (s *finderScan) confirm(cx, y, total int) {
	maxRun := total * 2
	var v0, v1, v2, v3, v4 int
	var vc float64
	var ok bool
	if s.cols != nil {
		v0, v1, v2, v3, v4, vc, ok = s.cols.vertical(cx, y, maxRun)
	} else {
		v0, v1, v2, v3, v4, vc, ok = runsAlong(s.bm, cx, y, 0, 1, maxRun)
	}
	if !ok || !isFinderRatio(v0, v1, v2, v3, v4, finderTol10, s.tol) {
		return
	}
	vt := v0 + v1 + v2 + v3 + v4
	if vt*3 < total || vt > total*3 {
		return
	}
	cyf := float64(y) + 0.5 + vc
	cy := int(cyf)
	h0, h1, h2, h3, h4, hc, ok := horizontal(s.bm, cx, cy, maxRun)
	if !ok || !isFinderRatio(h0, h1, h2, h3, h4, finderTol10, s.tol) {
		return
	}
	ht := h0 + h1 + h2 + h3 + h4
	cxf := float64(cx) + 0.5 + hc
	// Diagonals, from the refined centre.
	ix, iy := int(cxf), int(cyf)
	d0, d1, d2, d3, d4, _, ok := runsAlong(s.bm, ix, iy, 1, 1, maxRun)
	if !ok || !isFinderRatio(d0, d1, d2, d3, d4, finderTol10*3/2, s.tol*1.5) {
		return
	}
	t1 := float64(d0+d1+d2+d3+d4) * math.Sqrt2
	d0, d1, d2, d3, d4, _, ok = runsAlong(s.bm, ix, iy, 1, -1, maxRun)
	if !ok || !isFinderRatio(d0, d1, d2, d3, d4, finderTol10*3/2, s.tol*1.5) {
		return
	}
	t2 := float64(d0+d1+d2+d3+d4) * math.Sqrt2
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

// finders returns the clusters as finders, found by scanning every
// step-th row.
func (s *finderScan) finders(step int) []finder {
	fs := make([]finder, len(s.cl))
	for i, c := range s.cl {
		n := float64(c.n)
		fs[i] = finder{x: c.sx / n, y: c.sy / n, ms: c.sm / n, msMax: c.smx / n, hits: c.n, rows: c.n * step}
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
		// 3·ms rows; noise makes small candidates seen on few rows. (Two
		// row scans, whatever the step between rows.)
		if f.hits < 2 || f.ms < 0.9 {
			continue
		}
		c := finderContrast(p, &f)
		// Small candidates seen on few rows are mostly noise unless their
		// contrast is strong (sharp renderings of tiny codes).
		small := f.ms < minFinderModule || float64(f.rows) < 1.5*f.ms
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
	w, h := float64(bm.w), float64(bm.h)
	for k, sgn := range [2]float64{1, -1} {
		state := 0 // 0 core, 1 gap, 2 ring
		var coreEnd float64
		sx, sy := sgn*dx, sgn*dy
		t := 0.0
		for ; t <= limit; t += 0.5 {
			// bm.dark at the floor of the point, with the bits at hand
			// (inside the bitmap the floor is the truncation).
			x, y := f.x+sx*t, f.y+sy*t
			d := x >= 0 && y >= 0 && x < w && y < h && bm.bits[int(y)*bm.bstride+int(x)>>3]>>(int(x)&7)&1 != 0
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

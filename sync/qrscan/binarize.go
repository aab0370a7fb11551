package qrscan

import (
	"context"
	"encoding/binary"
	"image"
	"math"
	"math/bits"
	"sync"

	"github.com/cardwall/cardwall/imaging"
)

// plane is an 8-bit luminance image: pixel (x, y) is pix[y*stride+x].
type plane struct {
	w, h, stride int
	pix          []byte
}

// at returns the pixel at (x, y), clamped to the plane.
func (p *plane) at(x, y int) byte {
	if x < 0 {
		x = 0
	} else if x >= p.w {
		x = p.w - 1
	}
	if y < 0 {
		y = 0
	} else if y >= p.h {
		y = p.h - 1
	}
	return p.pix[y*p.stride+x]
}

// bilinear samples the plane at continuous coordinates (pixel centres at
// +0.5), clamped to the plane. It is the innermost call of the timing,
// finder and grid samplers: inside the plane it reads the four pixels with
// one bounds check; the clamped edges take the slow path.
func (p *plane) bilinear(x, y float64) float64 {
	x -= 0.5
	y -= 0.5
	if x >= 0 && y >= 0 && x < float64(p.w-1) && y < float64(p.h-1) {
		x0, y0 := int(x), int(y)
		fx, fy := x-float64(x0), y-float64(y0)
		i := y0*p.stride + x0
		pix := p.pix[i : i+p.stride+2]
		v00, v01 := float64(pix[0]), float64(pix[1])
		v10, v11 := float64(pix[p.stride]), float64(pix[p.stride+1])
		a := v00 + (v01-v00)*fx
		b := v10 + (v11-v10)*fx
		return a + (b-a)*fy
	}
	return p.bilinearEdge(x, y)
}

// bilinearAll sets out[i] to p.bilinear(xs[i], ys[i]) for every i (xs,
// ys and out of one length). The samplers that read hundreds of points per
// call (grid variance, module crosses, finder templates) use it: under
// WebAssembly a call per point costs about as much as the interpolation.
func (p *plane) bilinearAll(xs, ys, out []float64) {
	ys, out = ys[:len(xs)], out[:len(xs)]
	wl, hl := float64(p.w-1), float64(p.h-1)
	s := p.stride
	for i, x := range xs {
		x, y := x-0.5, ys[i]-0.5
		if !(x >= 0 && y >= 0 && x < wl && y < hl) {
			out[i] = p.bilinearEdge(x, y)
			continue
		}
		x0, y0 := int(x), int(y)
		fx, fy := x-float64(x0), y-float64(y0)
		j := y0*s + x0
		pix := p.pix[j : j+s+2]
		v00, v01 := float64(pix[0]), float64(pix[1])
		v10, v11 := float64(pix[s]), float64(pix[s+1])
		a := v00 + (v01-v00)*fx
		b := v10 + (v11-v10)*fx
		out[i] = a + (b-a)*fy
	}
}

// bilinearEdge is bilinear for shifted coordinates (x, y) (pixel centres at
// integers) on or outside the last row or column.
func (p *plane) bilinearEdge(x, y float64) float64 {
	if x < 0 {
		x = 0
	} else if x > float64(p.w-1) {
		x = float64(p.w - 1)
	}
	if y < 0 {
		y = 0
	} else if y > float64(p.h-1) {
		y = float64(p.h - 1)
	}
	x0, y0 := int(x), int(y)
	fx, fy := x-float64(x0), y-float64(y0)
	x1, y1 := x0+1, y0+1
	if x1 >= p.w {
		x1 = p.w - 1
	}
	if y1 >= p.h {
		y1 = p.h - 1
	}
	r0 := p.pix[y0*p.stride:]
	r1 := p.pix[y1*p.stride:]
	a := float64(r0[x0]) + (float64(r0[x1])-float64(r0[x0]))*fx
	b := float64(r1[x0]) + (float64(r1[x1])-float64(r1[x0]))*fx
	return a + (b-a)*fy
}

// downscale2 halves the plane by averaging 2×2 blocks (odd edges dropped),
// with imaging.Downscale2.
func downscale2(p *plane) *plane {
	g := imaging.Downscale2(&image.Gray{Pix: p.pix, Stride: p.stride, Rect: image.Rect(0, 0, p.w, p.h)})
	return &plane{w: g.Rect.Dx(), h: g.Rect.Dy(), stride: g.Stride, pix: g.Pix}
}

// bitmap is a binary image, one bit per pixel: bit x%8 of byte x/8 of row
// y (the bstride bytes from y·bstride) is 1 for dark, 0 for light. Rows end
// with at least eight padding bytes of 0 (light), so a word can be read
// from any pixel's byte.
type bitmap struct {
	w, h    int
	bits    []byte
	bstride int
	src     *plane // the grey image it was thresholded from, if any
	// minContrast is the flat-area setting binarize used (raised above
	// the noise with thresholdParams.aboveNoise).
	minContrast int
}

// newBitmap returns an all-light w×h bitmap.
func newBitmap(w, h int) *bitmap {
	bs := bitStride(w)
	return &bitmap{w: w, h: h, bits: make([]byte, h*bs), bstride: bs}
}

// bitStride is the bytes per packed row of w pixels: whole words and one
// more.
func bitStride(w int) int { return (w+63)/64*8 + 8 }

// packBits packs eight 0/1 bytes (little-endian) into the bits of a byte.
func packBits(v uint64) byte { return byte(v * 0x0102040810204080 >> 56) }

// dark reports whether (x, y) is dark; outside the bitmap is light.
func (b *bitmap) dark(x, y int) bool {
	return x >= 0 && y >= 0 && x < b.w && y < b.h && b.bits[y*b.bstride+x>>3]>>(x&7)&1 != 0
}

// set makes (x, y), inside the bitmap, dark.
func (b *bitmap) set(x, y int) { b.bits[y*b.bstride+x>>3] |= 1 << (x & 7) }

// clearQuad makes light every pixel of b whose centre lies inside the
// convex quadrilateral q (corners in either order around it): row by row,
// the span between the row centre's crossings of q's edges.
func (b *bitmap) clearQuad(q [4]Point) {
	y0, y1 := b.h, -1
	var slope [4]float64 // of each edge, x per row (0 for horizontal edges, never used)
	for k, c := range q {
		y0, y1 = min(y0, int(math.Floor(c.Y))), max(y1, int(math.Ceil(c.Y)))
		if d := q[(k+1)%4]; d.Y != c.Y {
			slope[k] = (d.X - c.X) / (d.Y - c.Y)
		}
	}
	for y := max(y0, 0); y <= min(y1, b.h-1); y++ {
		yc := float64(y) + 0.5
		lo, hi := math.Inf(1), math.Inf(-1)
		for k := range q {
			a, c := q[k], q[(k+1)%4]
			if (a.Y <= yc) == (c.Y <= yc) {
				continue // the edge does not cross the row centre
			}
			x := a.X + (yc-a.Y)*slope[k]
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		// Pixels x with lo ≤ x+0.5 ≤ hi.
		if lo > hi {
			continue
		}
		x0 := max(int(math.Ceil(lo-0.5)), 0)
		x1 := min(int(math.Floor(hi-0.5)), b.w-1)
		if x0 <= x1 {
			b.clearSpan(y, x0, x1+1)
		}
	}
}

// clearSpan makes pixels x0 ≤ x < x1 of row y light.
func (b *bitmap) clearSpan(y, x0, x1 int) {
	row := b.bits[y*b.bstride : (y+1)*b.bstride]
	for x0 < x1 && x0&7 != 0 {
		row[x0>>3] &^= 1 << (x0 & 7)
		x0++
	}
	for ; x0+8 <= x1; x0 += 8 {
		row[x0>>3] = 0
	}
	for ; x0 < x1; x0++ {
		row[x0>>3] &^= 1 << (x0 & 7)
	}
}

// thresholdParams are the settings of the local threshold.
type thresholdParams struct {
	block  int // side of the square blocks the statistics are gathered in
	radius int // the mean is taken over (2·radius+1)² blocks
	// minContrast is the smallest dark/light range in a block's 3×3
	// neighbourhood that counts as texture; flatter areas are all light
	// unless clearly darker than their surroundings.
	minContrast int
	// aboveNoise raises minContrast above the photo's noise (see
	// noiseContrast).
	aboveNoise bool
}

// binarize thresholds p against a local mean: a pixel is dark when it is
// below the mean of the (2·radius+1)² blocks around its own block. The mean
// is block-wise, so the cost is one pass over the pixels plus a small pass
// over the blocks.
//
// In flat areas (a block's 3×3 neighbourhood ranges less than minContrast
// grey levels) the threshold is lowered by half that range plus one, so
// that noise on a plain card stays light. With aboveNoise, minContrast is
// first raised above the noise of the whole plane (noiseContrast), so that
// in a grainy photo the plain areas count as flat too.
//
// Hot loops work on eight pixels at a time in a uint64 (SWAR): block sums
// in 16-bit lanes, minima and maxima bytewise, and the final comparison in
// 16-bit lanes, which also yields the packed rows. This is several times
// faster than a pixel loop under WebAssembly, where there is no SIMD and no
// threads. The statistics of block sizes other than 2, 4 and multiples of
// 8 up to 32, and the comparison for odd sizes, take plain loops with the
// same results. Blocks of 2×2 pixels, as many as the pixels of a
// quarter-resolution image, take binarizePairs, which keeps the block
// statistics in 16-bit lanes as well.
//
// Under WebAssembly every bounds check costs about 19 machine
// instructions, so the word loops slice each row once per iteration
// (s[i:i+n:i+n]) and take two to four words per iteration.
func binarize(p *plane, tp thresholdParams) *bitmap {
	return binarizeWith(p, tp, nil, nil)
}

// binarizeWith is binarize with the 2×2-block statistics of p at hand
// (ps, or nil): blocks of 4 and 8 pixels are gathered from them, and the
// 2×2 pass takes them over (see pairStats). The result is the same.
// Unless guide is nil, a 2×2 pass thresholds only near its dark pixels
// (see nearDark) and leaves the rest light; guide is a bitmap of p,
// binarized with 8×8 blocks. Other block sizes ignore it.
func binarizeWith(p *plane, tp thresholdParams, ps *pairStats, guide *bitmap) *bitmap {
	if pairLanesFit(tp) {
		var near *spanMask
		if guide != nil && guide.w == p.w && guide.h == p.h {
			near = nearDark(guide)
		}
		return binarizePairs(p, tp, ps, near)
	}
	w, h := p.w, p.h
	B := tp.block
	bw, bh := (w+B-1)/B, (h+B-1)/B
	// isum is the integral image of the block sums ((bw+1)×(bh+1), first
	// row and column zero) in wrapping uint32 arithmetic: a window's sum
	// is below 2³², so the difference of four entries is exact. hmin and
	// hmax hold each block's minimum and maximum over its row neighbours.
	iw := bw + 1
	st := statsPool.Get().(*blockStats)
	defer statsPool.Put(st)
	isum := grow(&st.isum, iw*(bh+1))
	clear(isum[:iw])
	hmin := grow(&st.hmin, bw*bh)
	hmax := grow(&st.hmax, bw*bh)
	shared := ps.serves(p, B)
	forEach(context.Background(), bh, func(by int) {
		mn, mx := hmin[by*bw:by*bw+bw], hmax[by*bw:by*bw+bw]
		if shared {
			ps.blockRow(B, by, isum[(by+1)*iw:(by+2)*iw], mn, mx)
		} else {
			blockRowStats(p, B, by, isum[(by+1)*iw:(by+2)*iw], mn, mx)
		}
		spread3(mn, mx)
	})
	// The rows of isum hold prefix sums along each block row; summing
	// them down the columns makes the integral image.
	for by := 1; by < bh; by++ {
		addRows(isum[(by+1)*iw:(by+1)*iw+iw], isum[by*iw:by*iw+iw])
	}
	if tp.aboveNoise {
		tp.minContrast = noiseContrast(bw, bh, tp.minContrast, func(rng []byte, by int) {
			a, b, c := (by-1)*bw, by*bw, (by+1)*bw
			blockRanges(rng, hmin[a:b], hmin[b:c], hmin[c:c+bw], hmax[a:b], hmax[b:c], hmax[c:c+bw])
		})
	}
	out := newBitmap(w, h)
	out.src, out.minContrast = p, tp.minContrast
	// Block rows in chunks, so that each chunk's scratch rows are
	// allocated once.
	chunk := max(1, 32/B)
	forEach(context.Background(), (bh+chunk-1)/chunk, func(c int) {
		sc := newRowScratch(B, bw, w)
		for by := c * chunk; by < min(bh, c*chunk+chunk); by++ {
			blockThresholds(isum, hmin, hmax, bw, bh, by, w, h, tp, sc)
			thresholdRows(p, out, B, by, sc.kb, sc.lanes)
		}
	})
	return out
}

// Noise: in a photo taken in dim light the 3×3-block ranges of plain
// areas (the wall, a card) exceed minContrast, and the threshold turns
// them into salt and pepper: tens of times more runs to scan and false
// finder candidates to check. Most of a photo is plain, so a low
// percentile of the ranges measures its noise; minContrast is raised to
// noiseMargin times that, but at most noiseMaxRaise times the setting, so
// that a photo full of texture (a close-up of a code) keeps its edges.
const (
	noisePercentile = 10  // of the 3×3-block ranges
	noiseMargin     = 2   // minContrast at least this times the noise range
	noiseMaxRaise   = 2   // and at most this times the setting
	noiseSampleRows = 128 // block rows sampled, at most
)

// noiseContrast returns minContrast mc raised above the noise of an
// image of bw×bh blocks: the noisePercentile-th percentile of the
// 3×3-block ranges of up to noiseSampleRows evenly spaced interior block
// rows, times noiseMargin, within mc..noiseMaxRaise·mc. ranges sets
// rng[bx] (bw bytes) to the 3×3 range of block (bx, by), for 0 < by <
// bh−1.
func noiseContrast(bw, bh, mc int, ranges func(rng []byte, by int)) int {
	if bh < 3 {
		return mc
	}
	// Four histograms, summed at the end: consecutive ranges (often
	// equal) go to different counters instead of waiting on one.
	var hist [4][256]int32
	rng := make([]byte, bw)
	n := 0
	for by := 1; by+1 < bh; by += noiseStep(bh) {
		ranges(rng, by)
		i := 0
		for ; i+4 <= len(rng); i += 4 {
			q := rng[i : i+4 : i+4]
			hist[0][q[0]]++
			hist[1][q[1]]++
			hist[2][q[2]]++
			hist[3][q[3]]++
		}
		for ; i < len(rng); i++ {
			hist[0][rng[i]]++
		}
		n += bw
	}
	c := 0
	for v := range hist[0] {
		c += int(hist[0][v] + hist[1][v] + hist[2][v] + hist[3][v])
		if 100*c >= noisePercentile*n {
			return min(noiseMaxRaise*mc, max(mc, noiseMargin*v))
		}
	}
	return mc
}

// noiseStep is the step between the block rows noiseContrast samples in
// an image of bh block rows (from row 1, up to row bh−2).
func noiseStep(bh int) int { return max(1, bh/noiseSampleRows) }

// blockStats holds binarize's block statistics between its passes; the
// buffers are reused across calls (a scan binarizes several times), every
// entry being written before it is read.
type blockStats struct {
	isum       []uint32
	hmin, hmax []byte
	// sums and ext are the block sums and extremes of the 2×2 path
	// (binarizePairs).
	sums, ext []byte
}

var statsPool = sync.Pool{New: func() any { return new(blockStats) }}

// grow returns (*buf)[:n], reallocating *buf when it is too short.
func grow[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	return (*buf)[:n]
}

// Masks of the word (SWAR) loops: the low byte of every 16-bit lane, the
// low bit of every 16-bit lane, the high bit of every byte, the low bit of
// every byte.
const (
	lane16Low  = 0x00ff00ff00ff00ff
	lane16Bit0 = 0x0001000100010001
	byteHigh   = 0x8080808080808080
	byteBit0   = 0x0101010101010101
)

// le64 loads eight bytes of b from i (little-endian: b[i] is the low byte).
func le64(b []byte, i int) uint64 {
	return binary.LittleEndian.Uint64(b[i:])
}

// geBytes returns 0xff in every byte where a's byte is at least b's
// (unsigned), 0 elsewhere.
func geBytes(a, b uint64) uint64 {
	// High bit of each byte of d: a's low seven bits ≥ b's (no borrow
	// crosses a byte). Where the high bits differ, a's decides.
	d := (a | byteHigh) - (b &^ byteHigh)
	ge := ((a &^ b) | (d &^ (a ^ b))) & byteHigh
	return (ge >> 7) * 0xff
}

// minBytes and maxBytes are the bytewise unsigned minimum and maximum.
func minBytes(a, b uint64) uint64 { return a ^ ((a ^ b) & geBytes(a, b)) }
func maxBytes(a, b uint64) uint64 { return b ^ ((a ^ b) & geBytes(a, b)) }

// minMaxBytes returns minBytes(a, b) and maxBytes(a, b) with one
// comparison.
func minMaxBytes(a, b uint64) (lo, hi uint64) {
	m := (a ^ b) & geBytes(a, b)
	return a ^ m, b ^ m
}

// pairSums adds the two bytes of every 16-bit lane of a.
func pairSums(a uint64) uint64 { return a&lane16Low + a>>8&lane16Low }

// prefix4 writes to q[0..3] the running sums, from acc, of four blocks
// whose sums are pairs of 16-bit lanes (lanes 0+1 and 2+3 of t0, then of
// t1), and returns the last.
func prefix4(q []uint32, acc uint32, t0, t1 uint64) uint32 {
	q = q[:4]
	acc += uint32(t0&0xffff + t0>>16&0xffff)
	q[0] = acc
	acc += uint32(t0>>32&0xffff + t0>>48)
	q[1] = acc
	acc += uint32(t1&0xffff + t1>>16&0xffff)
	q[2] = acc
	acc += uint32(t1>>32&0xffff + t1>>48)
	q[3] = acc
	return acc
}

// prefix2 writes to q[0..1] the running sums, from acc, of two blocks
// whose sums are the four 16-bit lanes of t0 and of t1, and returns the
// last.
func prefix2(q []uint32, acc uint32, t0, t1 uint64) uint32 {
	q = q[:2]
	acc += sumLanes16(t0)
	q[0] = acc
	acc += sumLanes16(t1)
	q[1] = acc
	return acc
}

// sumLanes16 is the sum of the four 16-bit lanes of t.
func sumLanes16(t uint64) uint32 {
	t = t&0x0000ffff0000ffff + t>>16&0x0000ffff0000ffff
	return uint32(t) + uint32(t>>32)
}

// colStats reduces the n ≥ 1 rows (stride s) of the eight columns from
// pix[i]: the sums of column pairs in 16-bit lanes (below 2¹⁶ for n ≤ 128)
// and the bytewise minimum and maximum. Rows are taken in pairs, one
// comparison giving both extremes.
func colStats(pix []byte, i, s, n int) (t, lo, hi uint64) {
	a := le64(pix, i)
	t, lo, hi = pairSums(a), a, a
	k := 1
	for ; k+1 < n; k += 2 {
		i += 2 * s
		a, b := le64(pix, i-s), le64(pix, i)
		t += pairSums(a) + pairSums(b)
		l, u := minMaxBytes(a, b)
		lo, hi = minBytes(lo, l), maxBytes(hi, u)
	}
	if k < n {
		a := le64(pix, i+s)
		t += pairSums(a)
		lo, hi = minBytes(lo, a), maxBytes(hi, a)
	}
	return t, lo, hi
}

// fold2 returns the minima of the byte pairs (2j, 2j+1) of lo in byte 2j
// and 255 minus the maxima of those of hi in byte 2j+1: one comparison for
// both.
func fold2(lo, hi uint64) uint64 {
	nh := ^hi
	return minBytes(lo&lane16Low|nh<<8&^lane16Low, lo>>8&lane16Low|nh&^lane16Low)
}

// blockRowStats gathers the statistics of block row by (B×B blocks, the
// last row and column possibly partial): in row[1+bx] the sum of blocks
// 0..bx (row[0] = 0), in mins and maxs each block's extremes.
//
// Whole blocks of 2, 4 and 8 rows are reduced eight columns at a time with
// the rows unrolled; other whole blocks of up to 32 columns with
// colStats; the rest pixel by pixel.
func blockRowStats(p *plane, B, by int, row []uint32, mins, maxs []byte) {
	w, s := p.w, p.stride
	y0 := by * B
	n := min(B, p.h-y0) // rows in this block row
	pix := p.pix[y0*s:]
	bw := len(mins)
	row = row[:bw+1]
	maxs = maxs[:bw]
	row[0] = 0
	var acc uint32
	bx := 0
	switch {
	case B == 2 && n == 2:
		// Four blocks per word: lane j of t is block j's sum, and
		// t·(1+2¹⁶+2³²+2⁴⁸) holds the running sums.
		nw := w / 8
		r0, r1 := pix[:8*nw], pix[s:s+8*nw]
		rs := row[1 : 1+4*nw]
		mn, mx := mins[:4*nw], maxs[:4*nw]
		for i := 0; i < nw; i++ {
			a, b := le64(r0, 8*i), le64(r1, 8*i)
			p := (pairSums(a) + pairSums(b)) * lane16Bit0
			q := rs[4*i : 4*i+4 : 4*i+4]
			q[0] = acc + uint32(p&0xffff)
			q[1] = acc + uint32(p>>16&0xffff)
			q[2] = acc + uint32(p>>32&0xffff)
			acc += uint32(p >> 48)
			q[3] = acc
			f := fold2(minMaxBytes(a, b))
			binary.LittleEndian.PutUint32(mn[4*i:4*i+4:4*i+4], evenBytes(f))
			binary.LittleEndian.PutUint32(mx[4*i:4*i+4:4*i+4], ^evenBytes(f>>8))
		}
		bx = 4 * nw
	case B == 4 && n == 4:
		// Four blocks per iteration, two per word (lanes 0–1 and 2–3),
		// one bounds check per row.
		nb := w / 16 * 4
		r0, r1, r2, r3 := pix[:4*nb:4*nb], pix[s:s+4*nb], pix[2*s:2*s+4*nb], pix[3*s:3*s+4*nb]
		rs, mn, mx := row[1:1+nb], mins[:nb], maxs[:nb]
		for i := 0; i+16 <= len(r0); i += 16 {
			p0, p1, p2, p3 := r0[i:i+16:i+16], r1[i:i+16:i+16], r2[i:i+16:i+16], r3[i:i+16:i+16]
			a0, a1, a2, a3 := le64(p0, 0), le64(p1, 0), le64(p2, 0), le64(p3, 0)
			b0, b1, b2, b3 := le64(p0, 8), le64(p1, 8), le64(p2, 8), le64(p3, 8)
			ta := pairSums(a0) + pairSums(a1) + pairSums(a2) + pairSums(a3)
			tb := pairSums(b0) + pairSums(b1) + pairSums(b2) + pairSums(b3)
			l0, u0 := minMaxBytes(a0, a1)
			l1, u1 := minMaxBytes(a2, a3)
			loA, hiA := minBytes(l0, l1), maxBytes(u0, u1)
			l0, u0 = minMaxBytes(b0, b1)
			l1, u1 = minMaxBytes(b2, b3)
			loB, hiB := minBytes(l0, l1), maxBytes(u0, u1)
			// Columns 0–1 of each block against its columns 2–3, the
			// blocks of word a in bytes 0–1 and 4–5, those of word b in
			// 2–3 and 6–7; then pairs (fold2): blocks 0, 2, 1, 3.
			const m = 0x0000ffff0000ffff
			lo := minBytes(loA&m|loB&m<<16, loA>>16&m|loB>>16&m<<16)
			hi := maxBytes(hiA&m|hiB&m<<16, hiA>>16&m|hiB>>16&m<<16)
			f := fold2(lo, hi)
			k := i / 4
			q, mm, u := rs[k:k+4:k+4], mn[k:k+4:k+4], mx[k:k+4:k+4]
			acc = prefix4(q, acc, ta, tb)
			mm[0], u[0] = byte(f), ^byte(f>>8)
			mm[1], u[1] = byte(f>>32), ^byte(f>>40)
			mm[2], u[2] = byte(f>>16), ^byte(f>>24)
			mm[3], u[3] = byte(f>>48), ^byte(f>>56)
		}
		bx = nb
	case B == 8 && n == 8:
		// Two blocks per iteration, one bounds check per row (the rows
		// sliced to whole pairs of blocks).
		nb := w / 16 * 2
		r0, r1, r2, r3 := pix[:8*nb:8*nb], pix[s:s+8*nb], pix[2*s:2*s+8*nb], pix[3*s:3*s+8*nb]
		r4, r5, r6, r7 := pix[4*s:4*s+8*nb], pix[5*s:5*s+8*nb], pix[6*s:6*s+8*nb], pix[7*s:7*s+8*nb]
		rs, mn, mx := row[1:1+nb], mins[:nb], maxs[:nb]
		for i := 0; i+16 <= len(r0); i += 16 {
			p0, p1, p2, p3 := r0[i:i+16:i+16], r1[i:i+16:i+16], r2[i:i+16:i+16], r3[i:i+16:i+16]
			p4, p5, p6, p7 := r4[i:i+16:i+16], r5[i:i+16:i+16], r6[i:i+16:i+16], r7[i:i+16:i+16]
			a0, a1, a2, a3 := le64(p0, 0), le64(p1, 0), le64(p2, 0), le64(p3, 0)
			a4, a5, a6, a7 := le64(p4, 0), le64(p5, 0), le64(p6, 0), le64(p7, 0)
			b0, b1, b2, b3 := le64(p0, 8), le64(p1, 8), le64(p2, 8), le64(p3, 8)
			b4, b5, b6, b7 := le64(p4, 8), le64(p5, 8), le64(p6, 8), le64(p7, 8)
			t0 := pairSums(a0) + pairSums(a1) + pairSums(a2) + pairSums(a3) +
				pairSums(a4) + pairSums(a5) + pairSums(a6) + pairSums(a7)
			t1 := pairSums(b0) + pairSums(b1) + pairSums(b2) + pairSums(b3) +
				pairSums(b4) + pairSums(b5) + pairSums(b6) + pairSums(b7)
			// Rows in pairs, one comparison for both extremes.
			l0, u0 := minMaxBytes(a0, a1)
			l1, u1 := minMaxBytes(a2, a3)
			l2, u2 := minMaxBytes(a4, a5)
			l3, u3 := minMaxBytes(a6, a7)
			lo0, hi0 := minBytes(minBytes(l0, l1), minBytes(l2, l3)), maxBytes(maxBytes(u0, u1), maxBytes(u2, u3))
			l0, u0 = minMaxBytes(b0, b1)
			l1, u1 = minMaxBytes(b2, b3)
			l2, u2 = minMaxBytes(b4, b5)
			l3, u3 = minMaxBytes(b6, b7)
			lo1, hi1 := minBytes(minBytes(l0, l1), minBytes(l2, l3)), maxBytes(maxBytes(u0, u1), maxBytes(u2, u3))
			// Both blocks' extremes folded together (foldBlock does one):
			// halves, then 16-bit quarters, then bytes, the minima and
			// 255 minus the maxima side by side.
			nh0, nh1 := ^hi0, ^hi1
			c1 := minBytes(lo0&0xffffffff|lo1<<32, lo0>>32|lo1&^0xffffffff)
			c2 := minBytes(nh0&0xffffffff|nh1<<32, nh0>>32|nh1&^0xffffffff)
			d := minBytes(c1&0x0000ffff0000ffff|c2<<16&0xffff0000ffff0000, c1>>16&0x0000ffff0000ffff|c2&0xffff0000ffff0000)
			e := minBytes(d, d>>8)
			q, m, u := rs[i/8:i/8+2:i/8+2], mn[i/8:i/8+2:i/8+2], mx[i/8:i/8+2:i/8+2]
			acc = prefix2(q, acc, t0, t1)
			m[0], u[0] = byte(e), ^byte(e>>16)
			m[1], u[1] = byte(e>>32), ^byte(e>>48)
		}
		bx = nb
		fallthrough // a last whole block
	case B%8 == 0 && B <= 32:
		for ; (bx+1)*B <= w; bx++ {
			t, lo, hi := colStats(pix, bx*B, s, n)
			for x := bx*B + 8; x < bx*B+B; x += 8 {
				t1, l, u := colStats(pix, x, s, n)
				t += t1
				lo, hi = minBytes(lo, l), maxBytes(hi, u)
			}
			acc += sumLanes16(t)
			row[bx+1] = acc
			mins[bx], maxs[bx] = foldBlock(lo, hi)
		}
	}
	// The rest (partial blocks, block sizes without a word path) pixel
	// by pixel.
	for ; bx < bw; bx++ {
		x0, x1 := bx*B, min(bx*B+B, w)
		var sum uint32
		mn, mx := byte(255), byte(0)
		for y := 0; y < n; y++ {
			for _, v := range pix[y*s+x0 : y*s+x1] {
				sum += uint32(v)
				mn = min(mn, v)
				mx = max(mx, v)
			}
		}
		acc += sum
		row[bx+1] = acc
		mins[bx], maxs[bx] = mn, mx
	}
}

// evenBytes packs bytes 0, 2, 4 and 6 of f into a uint32.
func evenBytes(f uint64) uint32 {
	f &= lane16Low
	f = (f | f>>8) & 0x0000ffff0000ffff
	return uint32(f | f>>16)
}

// foldBlock returns the smallest byte of lo and the largest of hi.
func foldBlock(lo, hi uint64) (byte, byte) {
	// Halves side by side: lo's low four bytes with 255 minus hi's.
	lo = minBytes(lo, lo>>32)
	nh := ^maxBytes(hi, hi>>32)
	c := lo&0xffffffff | nh<<32
	c = minBytes(c, c>>16)
	c = minBytes(c, c>>8)
	return byte(c), ^byte(c >> 32)
}

// spread3 replaces every byte of mins by the minimum of it and its left
// and right neighbours (clipped at the ends), and every byte of maxs by
// their maximum, in place.
func spread3(mins, maxs []byte) {
	n := len(mins)
	if n == 0 {
		return
	}
	maxs = maxs[:n]
	// The original values left of the current byte.
	lmin, lmax := mins[0], maxs[0]
	i := 0
	for ; i+9 <= n; i += 8 {
		v, u := le64(mins, i), le64(maxs, i)
		l := v<<8 | uint64(lmin)
		r := v>>8 | uint64(mins[i+8])<<56
		lmin = byte(v >> 56)
		binary.LittleEndian.PutUint64(mins[i:], minBytes(minBytes(v, l), r))
		l = u<<8 | uint64(lmax)
		r = u>>8 | uint64(maxs[i+8])<<56
		lmax = byte(u >> 56)
		binary.LittleEndian.PutUint64(maxs[i:], maxBytes(maxBytes(u, l), r))
	}
	for ; i < n; i++ {
		v, u := mins[i], maxs[i]
		rv, ru := v, u
		if i+1 < n {
			rv, ru = mins[i+1], maxs[i+1]
		}
		mins[i], maxs[i] = min(v, lmin, rv), max(u, lmax, ru)
		lmin, lmax = v, u
	}
}

// rowScratch is the scratch of one block row's thresholds: the pixel
// sums of the window columns (bw+1), the blocks' 3×3 ranges (bw, rounded
// up to words), 256 − threshold per block as 16-bit lanes (kb) and per
// pixel pair (lanes; kb itself for block size 2).
type rowScratch struct {
	cs        []uint32
	rng       []byte
	kb, lanes []byte
}

func newRowScratch(B, bw, w int) *rowScratch {
	sc := &rowScratch{
		cs:  make([]uint32, bw+1),
		rng: make([]byte, (bw+7)/8*8),
		kb:  make([]byte, max(2*bw, (w+7)/8*8)),
	}
	sc.lanes = sc.kb
	if B != 2 && B%2 == 0 {
		sc.lanes = make([]byte, (w+7)/8*8)
	}
	return sc
}

// blockThresholds computes the thresholds t of block row by and stores
// 256 − t in sc.kb as 16-bit lanes (little-endian), one per block. t is
// the rounded mean of the (2·radius+1)² blocks around the block (clipped
// at the edges), lowered in flat neighbourhoods, and never below 0 (which
// keeps every pixel light just as a negative threshold would); so 256 − t
// is in 1..256. The work is split in plain passes along the row, which
// suits WebAssembly: few live values and no branches in the loops.
func blockThresholds(isum []uint32, hmin, hmax []byte, bw, bh, by, w, h int, tp thresholdParams, sc *rowScratch) {
	B, r := tp.block, tp.radius
	iw := bw + 1
	// Column sums of the window rows, from the integral image.
	y0, y1 := clampInt(by-r, 0, bh), clampInt(by+r+1, 0, bh)
	ph := min(y1*B, h) - y0*B
	top, bot := isum[y0*iw:y0*iw+iw], isum[y1*iw:y1*iw+iw]
	cs := sc.cs[:iw]
	subRows(cs, bot, top)
	// The 3×3 ranges: the row extremes of the block rows above and below.
	a, c := max(by-1, 0), min(by+1, bh-1)
	blockRanges(sc.rng[:bw], hmin[a*bw:a*bw+bw], hmin[by*bw:by*bw+bw], hmin[c*bw:c*bw+bw],
		hmax[a*bw:a*bw+bw], hmax[by*bw:by*bw+bw], hmax[c*bw:c*bw+bw])
	rng := sc.rng[:bw]
	kb := sc.kb[:2*bw]
	mc := int32(tp.minContrast)
	// Windows of whole blocks (x0 = bx−r ≥ 0, x1 = bx+r+1 ≤ w/B) all hold
	// the same pixel count; their division is a multiplication.
	n := max(w/B-2*r, 0)
	cnt := uint64((2*r + 1) * B * ph)
	div, ok := newDivider(cnt)
	if !ok {
		n = 0 // too large for the multiplication: divide one by one
	}
	if n > 0 {
		half := cnt / 2
		csL, csR := cs[:n], cs[2*r+1:2*r+1+n]
		rg := rng[r : r+n]
		out := kb[2*r : 2*r+2*n]
		// mean is the window sum (wrapping uint32 difference) over cnt.
		lane := func(sr, sl uint32, rg byte) uint64 {
			mean := int32(div.div(uint64(sr-sl) + half))
			return uint64(256 - flatThreshold(mean, int32(rg), mc))
		}
		// Four blocks per iteration: one bounds check per slice.
		i := 0
		for ; i+4 <= n; i += 4 {
			l, q, g := csL[i:i+4:i+4], csR[i:i+4:i+4], rg[i:i+4:i+4]
			binary.LittleEndian.PutUint64(out[2*i:2*i+8:2*i+8], lane(q[0], l[0], g[0])|lane(q[1], l[1], g[1])<<16|
				lane(q[2], l[2], g[2])<<32|lane(q[3], l[3], g[3])<<48)
		}
		for ; i < n; i++ {
			binary.LittleEndian.PutUint16(out[2*i:], uint16(lane(csR[i], csL[i], rg[i])))
		}
	}
	// The rest (windows clipped left or right) one by one.
	for bx := 0; bx < bw; bx++ {
		if bx == r && n > 0 {
			bx += n - 1
			continue
		}
		x0, x1 := clampInt(bx-r, 0, bw), clampInt(bx+r+1, 0, bw)
		cnt := uint32((min(x1*B, w) - x0*B) * ph)
		t := flatThreshold(int32((cs[x1]-cs[x0]+cnt/2)/cnt), int32(rng[bx]), mc)
		binary.LittleEndian.PutUint16(kb[2*bx:], uint16(256-t))
	}
}

// subRows sets d[i] = a[i] − b[i] (wrapping), four at a time.
func subRows(d, a, b []uint32) {
	a, b = a[:len(d)], b[:len(d)]
	i := 0
	for ; i+4 <= len(d); i += 4 {
		dd, aa, bb := d[i:i+4:i+4], a[i:i+4:i+4], b[i:i+4:i+4]
		dd[0], dd[1], dd[2], dd[3] = aa[0]-bb[0], aa[1]-bb[1], aa[2]-bb[2], aa[3]-bb[3]
	}
	for ; i < len(d); i++ {
		d[i] = a[i] - b[i]
	}
}

// addRows adds a to d, four at a time.
func addRows(d, a []uint32) {
	a = a[:len(d)]
	i := 0
	for ; i+4 <= len(d); i += 4 {
		dd, aa := d[i:i+4:i+4], a[i:i+4:i+4]
		dd[0], dd[1], dd[2], dd[3] = dd[0]+aa[0], dd[1]+aa[1], dd[2]+aa[2], dd[3]+aa[3]
	}
	for ; i < len(d); i++ {
		d[i] += a[i]
	}
}

// blockRanges sets rng[i] to the largest of mx0[i], mx1[i], mx2[i] minus
// the smallest of mn0[i], mn1[i], mn2[i], eight at a time.
func blockRanges(rng, mn0, mn1, mn2, mx0, mx1, mx2 []byte) {
	n := len(rng)
	i := 0
	for ; i+8 <= n; i += 8 {
		lo := minBytes(minBytes(le64(mn0, i), le64(mn1, i)), le64(mn2, i))
		hi := maxBytes(maxBytes(le64(mx0, i), le64(mx1, i)), le64(mx2, i))
		// No byte borrows: hi ≥ lo in every byte.
		binary.LittleEndian.PutUint64(rng[i:], hi-lo)
	}
	for ; i < n; i++ {
		rng[i] = max(mx0[i], mx1[i], mx2[i]) - min(mn0[i], mn1[i], mn2[i])
	}
}

// flatThreshold is the threshold of a block with window mean mean and
// 3×3 range rng: the mean, or where the range is below minContrast the
// mean lowered by rng/2+1 and clamped at 0. Branch-free: noise makes the
// flat test unpredictable.
func flatThreshold(mean, rng, minContrast int32) int32 {
	flat := (rng - minContrast) >> 31 // all ones when rng < minContrast
	t := mean - (rng>>1+1)&flat
	return t &^ (t >> 31)
}

// divider divides numbers below 256·c by a constant c with a
// multiplication: q = n·m >> k, exact when n·(m·c − 2^k) < 2^k, which
// holds for n < 256·c with 2^k ≥ 256·c².
type divider struct {
	m uint64
	k uint
}

// newDivider returns the divider by c, or ok false when c is 0 or too
// large for n·m to fit in 64 bits.
func newDivider(c uint64) (d divider, ok bool) {
	if c == 0 || c >= 1<<23 {
		return d, false
	}
	k := uint(bits.Len64(256 * c * c))
	return divider{m: (1<<k + c - 1) / c, k: k}, true
}

func (d divider) div(n uint64) uint64 { return n * d.m >> d.k }

// thresholdRows writes the bitmap rows of block row by: dark where the
// pixel is below its block's threshold t (kb holds 256 − t per block as
// 16-bit lanes). For even block sizes lanes (scratch of (w+7)/8·8 bytes,
// kb itself for block size 2) gets 256 − t per pixel pair, so that eight
// pixels are compared at once: a lane of v + 256 − t carries into bit 8
// exactly when v ≥ t.
func thresholdRows(p *plane, out *bitmap, B, by int, kb, lanes []byte) {
	w := p.w
	y0, y1 := by*B, min(p.h, by*B+B)
	bw := (w + B - 1) / B
	if B%2 != 0 {
		for y := y0; y < y1; y++ {
			row := p.pix[y*p.stride : y*p.stride+w]
			ob := out.bits[y*out.bstride : (y+1)*out.bstride]
			for bx := 0; bx < bw; bx++ {
				t := 256 - int32(binary.LittleEndian.Uint16(kb[2*bx:]))
				for x := bx * B; x < min(w, bx*B+B); x++ {
					ob[x>>3] |= byte(uint32(int32(row[x])-t)>>31) << (x & 7)
				}
			}
		}
		return
	}
	if B != 2 {
		fillLanes(lanes, kb[:2*bw], B)
	}
	thresholdSpan(p, out, y0, y1, 0, w, lanes)
}

// thresholdSpan is thresholdRows' comparison for pixels x0 ≤ x < x1 of
// rows y0 ≤ y < y1, with lanes holding 256 − t for each pixel pair; x0
// is a multiple of 32 and x1 one too or p.w. The bits outside are left
// as they are.
func thresholdSpan(p *plane, out *bitmap, y0, y1, x0, x1 int, lanes []byte) {
	wx := min(x1, p.w&^7) // end of the whole words
	xp := min(x1, p.w&^31)
	// Rows in pairs first, up to a multiple of 32 pixels; then the rest
	// of each row (all of an odd last row).
	for y := y0; y+1 < y1; y += 2 {
		thresholdRowPair(p, out, y, lanes, x0, xp)
	}
	for y := y0; y < y1; y++ {
		row := p.pix[y*p.stride : y*p.stride+x1]
		ob := out.bits[y*out.bstride : (y+1)*out.bstride]
		x := max(x0, xp)
		if (y1-y0)%2 == 1 && y == y1-1 {
			x = x0
		}
		// Two words per iteration: one bounds check for each slice.
		for ; x+16 <= wx; x += 16 {
			r, k := row[x:x+16:x+16], lanes[x:x+16:x+16]
			d0 := darkWord(le64(r, 0), le64(k, 0))
			d1 := darkWord(le64(r, 8), le64(k, 8))
			binary.LittleEndian.PutUint16(ob[x>>3:], uint16(packBits(d0))|uint16(packBits(d1))<<8)
		}
		for ; x < wx; x += 8 {
			ob[x>>3] = packBits(darkWord(le64(row, x), le64(lanes, x)))
		}
		for ; x < x1; x++ {
			t := 256 - int32(binary.LittleEndian.Uint16(lanes[x&^1:]))
			ob[x>>3] |= byte(uint32(int32(row[x])-t)>>31) << (x & 7)
		}
	}
}

// thresholdRowPair is thresholdRows' word loop for rows y and y+1 with
// the same lanes, 32 pixels of both rows per iteration: the lanes are
// loaded once and there is one bounds check per slice. It does pixels
// x0 to n, multiples of 32 up to p.w&^31.
func thresholdRowPair(p *plane, out *bitmap, y int, lanes []byte, x0, n int) {
	s, bs := p.stride, out.bstride
	r0, r1 := p.pix[y*s:y*s+n], p.pix[(y+1)*s:(y+1)*s+n]
	o0, o1 := out.bits[y*bs:y*bs+n/8], out.bits[(y+1)*bs:(y+1)*bs+n/8]
	lanes = lanes[:n]
	for x := x0; x+32 <= len(lanes); x += 32 {
		k := lanes[x : x+32 : x+32]
		a, b := r0[x:x+32:x+32], r1[x:x+32:x+32]
		k0, k1, k2, k3 := le64(k, 0), le64(k, 8), le64(k, 16), le64(k, 24)
		// Light bits packed, then inverted 32 at a time.
		binary.LittleEndian.PutUint32(o0[x/8:x/8+4:x/8+4], ^(uint32(packBits(lightWord(le64(a, 0), k0))) |
			uint32(packBits(lightWord(le64(a, 8), k1)))<<8 | uint32(packBits(lightWord(le64(a, 16), k2)))<<16 |
			uint32(packBits(lightWord(le64(a, 24), k3)))<<24))
		binary.LittleEndian.PutUint32(o1[x/8:x/8+4:x/8+4], ^(uint32(packBits(lightWord(le64(b, 0), k0))) |
			uint32(packBits(lightWord(le64(b, 8), k1)))<<8 | uint32(packBits(lightWord(le64(b, 16), k2)))<<16 |
			uint32(packBits(lightWord(le64(b, 24), k3)))<<24))
	}
}

// fillLanes copies each block's lane of kb to the lanes of its pixel
// pairs (B/2 lanes per block, B even and above 2).
func fillLanes(lanes, kb []byte, B int) {
	nb := len(kb) / 2
	switch {
	case B == 4:
		lanes = lanes[:min(len(lanes), 4*nb)]
		// Four blocks per iteration: the lanes k0..k3 of a word spread
		// to 32-bit lanes (k0 at bit 0, k1 at bit 32) and doubled.
		bx := 0
		for ; 4*bx+16 <= len(lanes); bx += 4 {
			k := le64(kb[2*bx:2*bx+8:2*bx+8], 0)
			lo := k&0xffff | k&0xffff0000<<16
			hi := k>>32&0xffff | k>>48<<32
			o := lanes[4*bx : 4*bx+16 : 4*bx+16]
			binary.LittleEndian.PutUint64(o, lo|lo<<16)
			binary.LittleEndian.PutUint64(o[8:], hi|hi<<16)
		}
		for ; 4*bx < len(lanes); bx++ {
			binary.LittleEndian.PutUint32(lanes[4*bx:], uint32(binary.LittleEndian.Uint16(kb[2*bx:]))*0x00010001)
		}
	case B%8 == 0:
		// Whole words per block; the last block may hang over the lanes.
		bx := 0
		if B == 8 {
			// Four blocks per iteration: each lane of a word of kb
			// broadcast to a word.
			for ; 8*bx+32 <= len(lanes) && 2*bx+8 <= len(kb); bx += 4 {
				k := le64(kb[2*bx:2*bx+8:2*bx+8], 0)
				o := lanes[8*bx : 8*bx+32 : 8*bx+32]
				binary.LittleEndian.PutUint64(o, k&0xffff*lane16Bit0)
				binary.LittleEndian.PutUint64(o[8:], k>>16&0xffff*lane16Bit0)
				binary.LittleEndian.PutUint64(o[16:], k>>32&0xffff*lane16Bit0)
				binary.LittleEndian.PutUint64(o[24:], k>>48*lane16Bit0)
			}
		}
		for ; bx < nb; bx++ {
			k := uint64(binary.LittleEndian.Uint16(kb[2*bx:])) * lane16Bit0
			for x := bx * B; x < min(bx*B+B, len(lanes)); x += 8 {
				binary.LittleEndian.PutUint64(lanes[x:], k)
			}
		}
	default:
		for bx := 0; bx < nb; bx++ {
			k := binary.LittleEndian.Uint16(kb[2*bx:])
			for j := bx * B / 2; j < min(bx*B+B, len(lanes))/2; j++ {
				binary.LittleEndian.PutUint16(lanes[2*j:], k)
			}
		}
	}
}

// darkWord compares eight pixels v with the 16-bit lanes k of 256 − t
// (one per pixel pair): byte 1 where the pixel is below t, else 0.
func darkWord(v, k uint64) uint64 { return lightWord(v, k) ^ byteBit0 }

// lightWord is darkWord inverted: byte 1 where the pixel is at least t.
func lightWord(v, k uint64) uint64 {
	return (v&lane16Low+k)>>8&lane16Bit0 | (v>>8&lane16Low+k)&(lane16Bit0<<8)
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// The 2×2 path. With blocks of 2×2 pixels there are as many blocks as a
// quarter-resolution image, so the block passes cost as much as the pixel
// passes; binarizePairs keeps every per-block quantity in 16-bit lanes,
// four blocks to a word:
//
//   - block sums (at most 4·255) and the window sums built from them (at
//     most (2·radius+1)²·4·255, below 2¹⁶ for radius ≤ 3);
//   - block extremes as a pair of bytes, the minimum low and 255 minus
//     the maximum high, so that one bytewise minimum spreads both (the
//     layout fold2 produces) and the range is 255 minus the two bytes;
//   - the thresholds, as the 16-bit lanes of 256 − t that thresholdRows
//     compares pixel pairs with.
//
// Instead of an integral image, each chunk of block rows keeps the column
// sums of its window rows (2·radius+1 block rows) and slides them down by
// adding the entering row and subtracting the leaving one; no lane ever
// leaves 0..2¹⁶−1, so whole words are added and subtracted.

// pairLanesFit reports whether binarize takes the 2×2 path for tp: block
// size 2 and window sums below 2¹⁶.
func pairLanesFit(tp thresholdParams) bool {
	d := 2*tp.radius + 1
	return tp.block == 2 && tp.radius >= 0 && tp.radius < 64 && d*d*4*255 < 1<<16
}

// lane16High is the high bit of every 16-bit lane.
const lane16High = 0x8000800080008000

// laneStride is the bytes per row of n 16-bit lanes: whole pairs of words
// and one word more, so that a word can be loaded from any lane.
func laneStride(n int) int { return (2*n+15)/16*16 + 8 }

// binarizePairs is binarize for 2×2 blocks (pairLanesFit), with the
// statistics of ps when they are p's and unspent (they are spent then).
// Unless near is nil, only its spans are thresholded.
func binarizePairs(p *plane, tp thresholdParams, ps *pairStats, near *spanMask) *bitmap {
	w, h, r := p.w, p.h, tp.radius
	bw, bh := (w+1)/2, (h+1)/2
	ls := laneStride(bw)
	row := func(b []byte, by int) []byte { return b[by*ls : by*ls+ls] }
	var sums, ext []byte
	shared := ps.holds(p)
	if shared {
		sums, ext = ps.sums, ps.ext
		ps.spent = true
	} else {
		st := statsPool.Get().(*blockStats)
		defer statsPool.Put(st)
		sums = grow(&st.sums, ls*bh)
		ext = grow(&st.ext, ls*bh)
	}
	// The extremes spread along the rows, where they are read: everywhere
	// on the rows noiseContrast samples (and their neighbours), elsewhere
	// in the spans of near of the row and its neighbours.
	var sampled []bool
	var spread *spanMask
	if near != nil {
		spread = near.widened()
	}
	if tp.aboveNoise && near != nil && bh >= 3 {
		sampled = make([]bool, bh)
		for by := 1; by+1 < bh; by += noiseStep(bh) {
			sampled[by-1], sampled[by], sampled[by+1] = true, true, true
		}
	}
	forEach(context.Background(), bh, func(by int) {
		if !shared {
			pairRowStats(p, by, row(sums, by), row(ext, by), nil)
		}
		if near == nil || sampled != nil && sampled[by] {
			spreadLanes(row(ext, by), 0, bw, bw)
			return
		}
		for s0, s1 := spread.run(by, 0); s0 < spread.spans; s0, s1 = spread.run(by, s1) {
			spreadLanes(row(ext, by), s0*spanWidth/2, min(s1*spanWidth/2, bw), bw)
		}
	})
	if tp.aboveNoise {
		tp.minContrast = noiseContrast(bw, bh, tp.minContrast, func(rng []byte, by int) {
			pairRanges(rng, row(ext, by-1), row(ext, by), row(ext, by+1))
		})
	}
	out := newBitmap(w, h)
	out.src, out.minContrast = p, tp.minContrast
	const chunk = 64
	forEach(context.Background(), (bh+chunk-1)/chunk, func(c int) {
		// v: the window column sums, with r zero lanes either side.
		v := make([]byte, 4*r+ls)
		kb := make([]byte, max(2*bw, (w+7)/8*8))
		by0 := c * chunk
		zero := make([]byte, ls)
		for y := max(by0-r, 0); y <= min(by0+r, bh-1); y++ {
			slideLanes(v[2*r:], row(sums, y), zero)
		}
		for by := by0; by < min(bh, by0+chunk); by++ {
			y0, y1 := max(by-r, 0), min(by+r+1, bh)
			ph := min(2*y1, h) - 2*y0
			e0, e1, e2 := row(ext, max(by-1, 0)), row(ext, by), row(ext, min(by+1, bh-1))
			if near == nil {
				pairThresholds(kb, v, e0, e1, e2, w, ph, r, tp.minContrast, 0, bw)
				thresholdRows(p, out, 2, by, kb, kb)
			} else {
				y0, y1 := 2*by, min(2*by+2, h)
				for s0, s1 := near.run(by, 0); s0 < near.spans; s0, s1 = near.run(by, s1) {
					x0, x1 := s0*spanWidth, min(s1*spanWidth, w)
					pairThresholds(kb, v, e0, e1, e2, w, ph, r, tp.minContrast, x0/2, (x1+1)/2)
					thresholdSpan(p, out, y0, y1, x0, x1, kb)
				}
			}
			enter, leave := zero, zero
			if by+r+1 < bh {
				enter = row(sums, by+r+1)
			}
			if by-r >= 0 {
				leave = row(sums, by-r)
			}
			slideLanes(v[2*r:], enter, leave)
		}
	})
	return out
}

// pairRowStats writes the statistics of block row by of 2×2 blocks (the
// last row and column possibly partial) as 16-bit lanes: in sums each
// block's pixel sum, in ext its minimum (low byte) and 255 minus its
// maximum (high byte). The lanes after the last block (up to
// len(sums)) are set to 0. Unless half is nil, it is also given the row
// of the half-size plane, the rounded means of the whole blocks: the same
// pixels as downscale2's, at almost no cost while the sums are at hand.
func pairRowStats(p *plane, by int, sums, ext, half []byte) {
	w, s := p.w, p.stride
	bw := (w + 1) / 2
	y0 := 2 * by
	pix := p.pix[y0*s:]
	bx := 0
	if p.h-y0 >= 2 {
		// Four blocks per word: pairSums adds the columns of a block
		// and fold2 folds its extremes into the lane layout. Two words
		// per iteration: one bounds check per slice.
		nw := w / 8
		r0, r1 := pix[:8*nw], pix[s:s+8*nw]
		sm, ex := sums[:8*nw], ext[:8*nw]
		i := 0
		for ; i+16 <= len(r0); i += 16 {
			p, q := r0[i:i+16:i+16], r1[i:i+16:i+16]
			a0, b0, a1, b1 := le64(p, 0), le64(q, 0), le64(p, 8), le64(q, 8)
			o, e := sm[i:i+16:i+16], ex[i:i+16:i+16]
			s0, s1 := pairSums(a0)+pairSums(b0), pairSums(a1)+pairSums(b1)
			binary.LittleEndian.PutUint64(o, s0)
			binary.LittleEndian.PutUint64(o[8:], s1)
			binary.LittleEndian.PutUint64(e, fold2(minMaxBytes(a0, b0)))
			binary.LittleEndian.PutUint64(e[8:], fold2(minMaxBytes(a1, b1)))
			if half != nil {
				binary.LittleEndian.PutUint64(half[i/2:], meanBytes(s0)|meanBytes(s1)<<32)
			}
		}
		if i < len(r0) {
			a, b := le64(r0, i), le64(r1, i)
			s0 := pairSums(a) + pairSums(b)
			binary.LittleEndian.PutUint64(sm[i:], s0)
			binary.LittleEndian.PutUint64(ex[i:], fold2(minMaxBytes(a, b)))
			if half != nil {
				binary.LittleEndian.PutUint32(half[i/2:], uint32(meanBytes(s0)))
			}
		}
		bx = 4 * nw
	}
	n := min(2, p.h-y0)
	for ; bx < bw; bx++ {
		var sum uint16
		mn, mx := byte(255), byte(0)
		for y := 0; y < n; y++ {
			for _, v := range pix[y*s+2*bx : y*s+min(2*bx+2, w)] {
				sum += uint16(v)
				mn = min(mn, v)
				mx = max(mx, v)
			}
		}
		binary.LittleEndian.PutUint16(sums[2*bx:], sum)
		ext[2*bx], ext[2*bx+1] = mn, ^mx
		if half != nil && bx < w/2 {
			half[bx] = byte((sum + 2) >> 2)
		}
	}
	clear(sums[2*bw:])
}

// meanBytes packs the rounded quarters of the four 16-bit lane sums of s
// (each at most 4·255) into the low four bytes.
func meanBytes(s uint64) uint64 {
	s = (s + 0x0002000200020002) >> 2 & lane16Low
	s = (s | s>>8) & 0x0000ffff0000ffff
	return (s | s>>16) & 0xffffffff
}

// spreadLanes replaces each of the 16-bit lanes a ≤ i < b of e, a row of
// n lanes, by the bytewise minimum of it and its left and right
// neighbours (clipped at the ends of the row), in place; lanes a−1 and b
// are read as they are.
func spreadLanes(e []byte, a, b, n int) {
	if a >= b {
		return
	}
	e = e[:2*n]
	// The original lane left of the current one.
	prev := uint64(binary.LittleEndian.Uint16(e[2*max(a-1, 0):]))
	j := a
	// Eight lanes per iteration (one bounds check), then four; the lane
	// after them is read, and must be in the row.
	for ; j+8 <= b && j+8 < n; j += 8 {
		q := e[2*j : 2*j+18 : 2*j+18]
		v0, v1 := le64(q, 0), le64(q, 8)
		l0, r0 := v0<<16|prev, v0>>16|v1<<48
		l1, r1 := v1<<16|v0>>48, v1>>16|uint64(binary.LittleEndian.Uint16(q[16:]))<<48
		prev = v1 >> 48
		binary.LittleEndian.PutUint64(q, minBytes(minBytes(v0, l0), r0))
		binary.LittleEndian.PutUint64(q[8:], minBytes(minBytes(v1, l1), r1))
	}
	for ; j+4 <= b && j+4 < n; j += 4 {
		q := e[2*j : 2*j+10 : 2*j+10]
		v := le64(q, 0)
		l := v<<16 | prev
		r := v>>16 | uint64(binary.LittleEndian.Uint16(q[8:]))<<48
		prev = v >> 48
		binary.LittleEndian.PutUint64(q, minBytes(minBytes(v, l), r))
	}
	for ; j < b; j++ {
		v := uint64(binary.LittleEndian.Uint16(e[2*j:]))
		r := v
		if j+1 < n {
			r = uint64(binary.LittleEndian.Uint16(e[2*j+2:]))
		}
		binary.LittleEndian.PutUint16(e[2*j:], uint16(minBytes(minBytes(v, prev), r)))
		prev = v
	}
}

// laneRanges returns the 16-bit lanes of max − min for four blocks whose
// extremes e hold the minimum in the low byte of a lane and 255 minus the
// maximum in the high byte: 255 minus both bytes, never negative.
func laneRanges(e uint64) uint64 {
	return 0x00ff00ff00ff00ff - e&lane16Low - e>>8&lane16Low
}

// pairRanges sets rng[i] to the range of the blocks i of the three rows
// of extremes e0, e1, e2 (16-bit lanes as pairRowStats writes them,
// spread along the rows), four at a time; e0, e1 and e2 hold a word
// beyond the len(rng) lanes.
func pairRanges(rng, e0, e1, e2 []byte) {
	n := len(rng)
	i := 0
	for ; i+4 <= n; i += 4 {
		e := minBytes(minBytes(le64(e0, 2*i), le64(e1, 2*i)), le64(e2, 2*i))
		binary.LittleEndian.PutUint32(rng[i:], evenBytes(laneRanges(e)))
	}
	for ; i < n; i++ {
		rng[i] = 255 - min(e0[2*i], e1[2*i], e2[2*i]) - min(e0[2*i+1], e1[2*i+1], e2[2*i+1])
	}
}

// slideLanes adds the words of a to those of d and subtracts those of b
// (len(a) a multiple of 16, d and b at least as long), two words per
// iteration. It slides window column sums down a block row: a lanewise
// sum, as no lane leaves 0..2¹⁶−1 (b's lanes are part of d's).
func slideLanes(d, a, b []byte) {
	d, b = d[:len(a)], b[:len(a)]
	for i := 0; i+16 <= len(a); i += 16 {
		dd, aa, bb := d[i:i+16:i+16], a[i:i+16:i+16], b[i:i+16:i+16]
		binary.LittleEndian.PutUint64(dd, le64(dd, 0)+le64(aa, 0)-le64(bb, 0))
		binary.LittleEndian.PutUint64(dd[8:], le64(dd, 8)+le64(aa, 8)-le64(bb, 8))
	}
}

// pairDivider divides two numbers below 256·c, held in the 32-bit halves
// of a word, by c with one multiplication: both products n·m stay below
// 2³², so neither reaches the other half, and k ≤ 24 leaves the quotient
// of the low half (below 256) clear of the fraction bits of the high one.
type pairDivider struct{ divider }

// newPairDivider returns the pair divider by c, or ok false when c is 0
// or so large that n·m may reach 2³².
func newPairDivider(c uint64) (d pairDivider, ok bool) {
	dv, ok := newDivider(c)
	if !ok || 256*c*dv.m >= 1<<32 {
		return d, false
	}
	return pairDivider{dv}, true
}

// div2 returns the quotients of the two halves of n.
func (d pairDivider) div2(n uint64) uint64 { return n * d.m >> d.k & 0x000000ff000000ff }

// pairThresholds computes the thresholds of a block row of 2×2 blocks and
// stores 256 − t in kb as 16-bit lanes, as blockThresholds does. v holds
// the window column sums as 16-bit lanes with r zero lanes before the
// first block and after the last; e0, e1 and e2 the spread extremes of
// the block rows above, at and below; ph is the window's pixel rows. It
// does blocks b0 ≤ bx < b1 (b1 at most (w+1)/2).
func pairThresholds(kb, v, e0, e1, e2 []byte, w, ph, r, minContrast, b0, b1 int) {
	bw := (w + 1) / 2
	kb = kb[:2*bw]
	mc := int32(minContrast)
	cnt := uint64((2*r + 1) * 2 * ph)
	// Blocks r..r+n−1 have whole windows (see blockThresholds); the word
	// loop does those of m0..m1−1.
	n := max(w/2-2*r, 0)
	div, ok := newPairDivider(cnt)
	if !ok {
		n = 0
	}
	m0 := max(b0, r)
	m1 := m0 + max(min(b1, r+n)-m0, 0)&^7
	if m1 > m0 {
		// Per 16-bit lane: the rounding half (in the 32-bit halves),
		// 256, and minContrast clipped to 0..256 (ranges are below 256).
		half := cnt / 2 * (1 | 1<<32)
		mcl := uint64(clampInt(minContrast, 0, 256)) * lane16Bit0
		w2 := 4 * r // bytes from a window's first column to its last
		// Eight blocks (two words) per iteration: one bounds check per
		// slice.
		for b := m0; b < m1; b += 8 {
			j := 2 * b
			var win0, win1 uint64
			if r == 2 { // the scanner's radius, unrolled
				q := v[j : j+24 : j+24]
				m := le64(q, 8)
				win0 = le64(q, 0) + le64(q, 2) + le64(q, 4) + le64(q, 6) + m
				win1 = m + le64(q, 10) + le64(q, 12) + le64(q, 14) + le64(q, 16)
			} else {
				q := v[j : j+16+w2 : j+16+w2]
				win0, win1 = le64(q, 0), le64(q, 8)
				for k := 2; k <= w2; k += 2 {
					win0 += le64(q, k)
					win1 += le64(q, k+8)
				}
			}
			a, b, c := e0[j:j+16:j+16], e1[j:j+16:j+16], e2[j:j+16:j+16]
			rng0 := laneRanges(minBytes(minBytes(le64(a, 0), le64(b, 0)), le64(c, 0)))
			rng1 := laneRanges(minBytes(minBytes(le64(a, 8), le64(b, 8)), le64(c, 8)))
			o := kb[j : j+16 : j+16]
			binary.LittleEndian.PutUint64(o, flatLanes(pairMeans(win0, half, div), rng0, mcl))
			binary.LittleEndian.PutUint64(o[8:], flatLanes(pairMeans(win1, half, div), rng1, mcl))
		}
	}
	// The rest (windows clipped left or right, and the last whole ones
	// short of eight) one by one.
	for bx := b0; bx < b1; bx++ {
		if bx == m0 && m1 > m0 {
			bx = m1 - 1
			continue
		}
		x0, x1 := clampInt(bx-r, 0, bw), clampInt(bx+r+1, 0, bw)
		var s uint32
		for x := x0; x < x1; x++ {
			s += uint32(binary.LittleEndian.Uint16(v[2*(x+r):]))
		}
		cnt := uint32((min(2*x1, w) - 2*x0) * ph)
		rng := 255 - int32(min(e0[2*bx], e1[2*bx], e2[2*bx])) - int32(min(e0[2*bx+1], e1[2*bx+1], e2[2*bx+1]))
		t := flatThreshold(int32((s+cnt/2)/cnt), rng, mc)
		binary.LittleEndian.PutUint16(kb[2*bx:], uint16(256-t))
	}
}

// pairMeans returns the rounded means of four window sums win (16-bit
// lanes): the even and odd lanes go to the 32-bit halves of two words,
// with the rounding half (in both halves) added, and are divided two at a
// time.
func pairMeans(win, half uint64, div pairDivider) uint64 {
	even := div.div2(win&0x0000ffff0000ffff + half)
	odd := div.div2(win>>16&0x0000ffff0000ffff + half)
	return even | odd<<16
}

// flatLanes is 256 − flatThreshold for four blocks in 16-bit lanes, from
// their means (0..255), ranges rng (0..255) and minContrast mcl (0..256,
// in every lane).
func flatLanes(mean, rng, mcl uint64) uint64 {
	// flat is 1 in the lanes whose range is below minContrast: setting
	// bit 15 before subtracting keeps the borrow in the lane.
	flat := ^((rng | lane16High) - mcl) >> 15 & lane16Bit0
	adj := (rng>>1&0x007f007f007f007f + lane16Bit0) & (flat * 0xffff)
	// 256 − t = 256 − mean + adj, 1..385 (no lane borrows); t < 0
	// (above 256) becomes 256.
	u := 0x0100010001000100 + adj - mean
	big := u >> 8 & lane16Bit0
	return u&^(big*0x1ff) | big<<8
}

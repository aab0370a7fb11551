package qrscan

import (
	"context"
	"encoding/binary"
)

// pairStats is the 2×2-block statistics of one plane (see binarizePairs:
// block sums in 16-bit lanes; minimum and 255 minus maximum in the low
// and high byte of 16-bit lanes), kept between the threshold passes of a
// pyramid level. At full resolution a large photo is binarized with
// 8×8 blocks and then with 2×2 blocks (a small one with 8×8, 4×4 and
// 2×2), upper levels with 8×8 and 4×4 blocks: the passes of 4×4 and 8×8
// blocks sum and fold these statistics instead of reading every pixel
// again, one pass over the pixels serves them all, and it writes the next
// level as well. A 2×2 pass needs the statistics themselves and comes
// last: it spreads the extremes in place, after which they are spent.
type pairStats struct {
	p          *plane
	bw, bh, ls int    // blocks per row and column, bytes per lane row
	sums, ext  []byte // bh rows of ls bytes
	spent      bool   // ext spread by the 2×2 pass
}

// newPairStats gathers the 2×2-block statistics of p, in the buffers of
// st (reallocated when too short). Unless half is nil, it also fills
// half, of p.w/2 × p.h/2 pixels, with downscale2(p).
func newPairStats(p *plane, st *blockStats, half *plane) *pairStats {
	bw, bh := (p.w+1)/2, (p.h+1)/2
	ls := laneStride(bw)
	ps := &pairStats{p: p, bw: bw, bh: bh, ls: ls, sums: grow(&st.sums, ls*bh), ext: grow(&st.ext, ls*bh)}
	forEach(context.Background(), bh, func(by int) {
		var hr []byte
		if half != nil && by < half.h {
			hr = half.pix[by*half.stride : by*half.stride+half.w]
		}
		pairRowStats(p, by, ps.row(ps.sums, by), ps.row(ps.ext, by), hr)
	})
	return ps
}

// row returns block row by of b (sums or ext).
func (ps *pairStats) row(b []byte, by int) []byte { return b[by*ps.ls : by*ps.ls+ps.ls] }

// holds reports whether ps (possibly nil) holds unspread statistics of p.
func (ps *pairStats) holds(p *plane) bool {
	return ps != nil && ps.p == p && !ps.spent
}

// serves reports whether blocks of B pixels can be gathered from ps for p
// (ps holds p's statistics and B is 4 or 8).
func (ps *pairStats) serves(p *plane, B int) bool {
	return ps.holds(p) && (B == 4 || B == 8)
}

// blockRow is blockRowStats for block row by of B×B blocks (B of 4 or 8),
// gathered from the 2×2 blocks: each block's sum is the sum of its
// (B/2)² pair sums, its extremes those of their extremes. The results are
// the same; partial blocks at the right and bottom edges cover fewer (or
// partial) pairs, and lanes past the last pair are skipped.
func (ps *pairStats) blockRow(B, by int, row []uint32, mins, maxs []byte) {
	k := B / 2 // pairs per block side
	bw := len(mins)
	row = row[:bw+1]
	maxs = maxs[:bw]
	y0, y1 := by*k, min(by*k+k, ps.bh)
	row[0] = 0
	var acc uint32
	bx := 0
	if B == 8 && y1-y0 == 4 {
		// One word per pair row holds the four pairs of a block; two
		// blocks per iteration, the rows sliced once.
		nb := min(ps.bw/4, bw) &^ 1
		s0, s1, s2, s3 := ps.row(ps.sums, y0)[:8*nb], ps.row(ps.sums, y0+1)[:8*nb], ps.row(ps.sums, y0+2)[:8*nb], ps.row(ps.sums, y0+3)[:8*nb]
		e0, e1, e2, e3 := ps.row(ps.ext, y0)[:8*nb], ps.row(ps.ext, y0+1)[:8*nb], ps.row(ps.ext, y0+2)[:8*nb], ps.row(ps.ext, y0+3)[:8*nb]
		rs, mn, mx := row[1:1+nb], mins[:nb], maxs[:nb]
		for i := 0; i+16 <= len(s0); i += 16 {
			a0, a1, a2, a3 := s0[i:i+16:i+16], s1[i:i+16:i+16], s2[i:i+16:i+16], s3[i:i+16:i+16]
			c0, c1, c2, c3 := e0[i:i+16:i+16], e1[i:i+16:i+16], e2[i:i+16:i+16], e3[i:i+16:i+16]
			t0 := le64(a0, 0) + le64(a1, 0) + le64(a2, 0) + le64(a3, 0)
			t1 := le64(a0, 8) + le64(a1, 8) + le64(a2, 8) + le64(a3, 8)
			// Minima in the low bytes, 255 minus maxima in the high
			// ones; both blocks folded together.
			f0 := minBytes(minBytes(le64(c0, 0), le64(c1, 0)), minBytes(le64(c2, 0), le64(c3, 0)))
			f1 := minBytes(minBytes(le64(c0, 8), le64(c1, 8)), minBytes(le64(c2, 8), le64(c3, 8)))
			f := minBytes(f0&0xffffffff|f1<<32, f0>>32|f1&^0xffffffff)
			f = minBytes(f, f>>16)
			k := i / 8
			q, m, u := rs[k:k+2:k+2], mn[k:k+2:k+2], mx[k:k+2:k+2]
			acc = prefix2(q, acc, t0, t1)
			putExtremes(m, u, f)
		}
		bx = nb
	}
	if B == 4 && y1-y0 == 2 {
		// Two pairs of two pair rows make a block: four blocks (two
		// words of each row) per iteration, the rows sliced once.
		nb := min(ps.bw/2, bw) &^ 3
		s0, s1 := ps.row(ps.sums, y0)[:4*nb], ps.row(ps.sums, y0+1)[:4*nb]
		e0, e1 := ps.row(ps.ext, y0)[:4*nb], ps.row(ps.ext, y0+1)[:4*nb]
		rs, mn, mx := row[1:1+nb], mins[:nb], maxs[:nb]
		for i := 0; i+16 <= len(s0); i += 16 {
			a0, a1 := s0[i:i+16:i+16], s1[i:i+16:i+16]
			c0, c1 := e0[i:i+16:i+16], e1[i:i+16:i+16]
			t0 := le64(a0, 0) + le64(a1, 0) // blocks 0 and 1 in lanes 0–1, 2–3
			t1 := le64(a0, 8) + le64(a1, 8) // blocks 2 and 3
			// Each block's two lanes folded into the first: minima in
			// the low bytes, 255 minus maxima in the high ones.
			f0 := minBytes(le64(c0, 0), le64(c1, 0))
			f0 = minBytes(f0, f0>>16)
			f1 := minBytes(le64(c0, 8), le64(c1, 8))
			f1 = minBytes(f1, f1>>16)
			k := i / 4
			q, m, u := rs[k:k+4:k+4], mn[k:k+4:k+4], mx[k:k+4:k+4]
			acc = prefix4(q, acc, t0, t1)
			putExtremes(m, u, f0)
			putExtremes(m[2:], u[2:], f1)
		}
		bx = nb
	}
	// The rest lane by lane.
	for ; bx < bw; bx++ {
		var sum uint32
		mn, nmx := byte(255), byte(255)
		for y := y0; y < y1; y++ {
			s, e := ps.row(ps.sums, y), ps.row(ps.ext, y)
			for j := k * bx; j < min(k*bx+k, ps.bw); j++ {
				sum += uint32(binary.LittleEndian.Uint16(s[2*j:]))
				mn, nmx = min(mn, e[2*j]), min(nmx, e[2*j+1])
			}
		}
		acc += sum
		row[bx+1] = acc
		mins[bx], maxs[bx] = mn, ^nmx
	}
}

// putExtremes writes the extremes of two blocks folded into lanes 0 and 2
// of f (minimum in the low byte, 255 minus maximum in the high one) to
// mins[0..1] and maxs[0..1].
func putExtremes(mins, maxs []byte, f uint64) {
	mins, maxs = mins[:2], maxs[:2]
	mins[0], maxs[0] = byte(f), ^byte(f>>8)
	mins[1], maxs[1] = byte(f>>32), ^byte(f>>40)
}

package qrscan

import (
	"math/bits"
)

// Where the 2×2 pass looks. A level-0 photo is binarized with 8×8 blocks
// first and then with 2×2 blocks, for codes of about 2 pixels per module
// whose finders the wider window loses under blur and glare. The wide
// window still marks such a code: its finder cores (3×3 modules) and
// most of its dark modules are darker than the mean of the 40 pixels
// around them. Plain areas (the wall, the white of the cards, about half
// a board photo) have no dark pixel in the 8×8 bitmap; the 2×2 pass
// leaves them light instead of thresholding them. It thresholds every
// span of spanWidth pixels of a block row that lies within
// nearDarkMargin pixels of a dark pixel of the 8×8 bitmap, so a finder
// or a code cut by the edge of a span still reads whole.
//
// What is given up: a code whose contrast is below the 8×8 pass's
// minContrast but above the 2×2 pass's. Both settings are raised above
// the photo's noise (noiseContrast), the 8×8 one by at most 20 levels
// more; with a plain area anywhere in the photo they fall back to 20 and
// 16. On the BoofCV and ZXing photos and the board sets, and on boards
// with a strip dimmed to 15% of its contrast, the gated pass reads the
// same codes as the full one.
const (
	spanWidth      = 32 // pixels: a word loop of thresholdRowPair
	nearDarkMargin = 8  // pixels, in x and y
)

// nearDark's word loop takes two spans per 64-pixel word and widens by
// one byte (this does not compile with other values).
const _ = uint(spanWidth-32) + uint(32-spanWidth) + uint(nearDarkMargin-8) + uint(8-nearDarkMargin)

// spanMask marks, per block row of 2×2 blocks (pixel rows 2·by and
// 2·by+1), the spans of spanWidth pixels a 2×2 pass thresholds.
type spanMask struct {
	spans, rows int      // spans per row, block rows
	words       int      // words per block row
	bits        []uint64 // bit s%64 of word s/64 of row by: span s
}

// nearDark returns the spans of the 2×2 block rows of bm's size that lie
// within nearDarkMargin pixels of a dark pixel of bm.
func nearDark(bm *bitmap) *spanMask {
	w, h := bm.w, bm.h
	ns := (w + spanWidth - 1) / spanWidth
	m := &spanMask{spans: ns, rows: (h + 1) / 2, words: (ns + 63) / 64}
	// Spans along each block row (two pixel rows OR-ed): a word of the
	// bitmap holds two spans; OR-ing each byte with its neighbours widens
	// the dark pixels by 8 (nearDarkMargin) before the halves are tested.
	nw := (w + 63) / 64 // words of a row that hold pixels (see bitStride)
	line := make([]uint64, m.rows*m.words)
	for by := 0; by < m.rows; by++ {
		y := 2 * by
		r0 := bm.bits[y*bm.bstride : y*bm.bstride+8*nw]
		r1 := r0
		if y+1 < h {
			r1 = bm.bits[(y+1)*bm.bstride : (y+1)*bm.bstride+8*nw]
		}
		out := line[by*m.words : by*m.words+m.words]
		var prev, acc uint64
		v := le64(r0, 0) | le64(r1, 0)
		for k := 0; k < nw; k++ {
			var next uint64
			if k+1 < nw {
				next = le64(r0, 8*k+8) | le64(r1, 8*k+8)
			}
			d := v | v<<8 | v>>8 | prev>>56 | next<<56
			prev, v = v, next
			// Spans 2k and 2k+1 at bits 2k%64 and 2k%64+1 of acc: a half
			// plus 2³²−1 carries into bit 32 when it is not zero.
			lo, hi := (d&0xffffffff+0xffffffff)>>32, (d>>32+0xffffffff)>>32
			acc |= (lo | hi<<1) << (2 * uint(k) % 64)
			if k%32 == 31 || k+1 == nw {
				out[k/32] = acc
				acc = 0
			}
		}
	}
	// Down the columns: block row by spans pixel rows 2·by−margin to
	// 2·by+1+margin, block rows by−margin/2 to by+margin/2.
	const d = nearDarkMargin / 2
	m.bits = make([]uint64, m.rows*m.words)
	for by := 0; by < m.rows; by++ {
		out := m.bits[by*m.words : by*m.words+m.words]
		for y := max(by-d, 0); y < min(by+d+1, m.rows); y++ {
			for i, v := range line[y*m.words : y*m.words+m.words] {
				out[i] |= v
			}
		}
	}
	return m
}

// run returns the first run of marked spans [s0, s1) of block row by at
// or after span s; s0 is m.spans when there is none.
func (m *spanMask) run(by, s int) (s0, s1 int) {
	row := m.bits[by*m.words : by*m.words+m.words]
	s0 = m.nextBit(row, s, false)
	return s0, m.nextBit(row, s0, true)
}

// widened returns the mask whose block row by holds the spans of block
// rows by−1, by and by+1 of m.
func (m *spanMask) widened() *spanMask {
	u := &spanMask{spans: m.spans, rows: m.rows, words: m.words, bits: make([]uint64, len(m.bits))}
	for by := 0; by < m.rows; by++ {
		out := u.bits[by*m.words : by*m.words+m.words]
		for y := max(by-1, 0); y <= min(by+1, m.rows-1); y++ {
			for i, v := range m.bits[y*m.words : y*m.words+m.words] {
				out[i] |= v
			}
		}
	}
	return u
}

// nextBit returns the first span at or after s whose bit in row is
// clear (when clear) or set, or m.spans.
func (m *spanMask) nextBit(row []uint64, s int, clear bool) int {
	for s < m.spans {
		v := row[s/64]
		if clear {
			v = ^v
		}
		v >>= s % 64
		if v != 0 {
			return min(s+bits.TrailingZeros64(v), m.spans)
		}
		s = (s/64 + 1) * 64
	}
	return m.spans
}

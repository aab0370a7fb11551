package qrscan

import (
	"encoding/binary"
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
	// Spans along each pixel row: a word of the bitmap holds two spans;
	// OR-ing each byte with its neighbours widens the dark pixels by 8
	// (nearDarkMargin) before the halves are tested.
	nb := (w + 7) / 8  // bytes of the row that hold pixels
	nw := (nb + 7) / 8 // whole words, the last one padded (bstride)
	line := make([]uint64, h*m.words)
	for y := 0; y < h; y++ {
		row := bm.bits[y*bm.bstride : y*bm.bstride+8*nw]
		out := line[y*m.words : y*m.words+m.words]
		var prev uint64
		for k := 0; k < nw; k++ {
			v := binary.LittleEndian.Uint64(row[8*k:])
			var next uint64
			if k+1 < nw {
				next = uint64(row[8*k+8])
			}
			d := v | v<<8 | v>>8 | prev>>56 | next<<56
			prev = v
			s := 2 * k
			if d&0xffffffff != 0 {
				out[s/64] |= 1 << (s % 64)
			}
			if d>>32 != 0 && s+1 < ns {
				out[(s+1)/64] |= 1 << ((s + 1) % 64)
			}
		}
	}
	// Down the columns: block row by spans pixel rows 2·by−margin to
	// 2·by+1+margin.
	m.bits = make([]uint64, m.rows*m.words)
	for by := 0; by < m.rows; by++ {
		out := m.bits[by*m.words : by*m.words+m.words]
		for y := max(2*by-nearDarkMargin, 0); y <= min(2*by+1+nearDarkMargin, h-1); y++ {
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

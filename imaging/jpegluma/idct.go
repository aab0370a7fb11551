package jpegluma

import (
	"encoding/binary"
	"math"
)

// The inverse DCT is the scaled 1-D transform of Arai, Agui and Nakajima
// (Trans. IEICE E-71(11), 1988), applied to columns and then rows in
// 64-bit integers. Its per-coefficient scale factors are folded into the
// dequantization table (see prescale), which leaves 5 multiplications per
// 1-D transform. Intermediates keep many fractional bits, so results round
// like an exact IDCT in nearly every sample.
//
// Bounds: with quantizer entries ≤ maxQuant, AC coefficients below 2^15 in
// magnitude (their size field has 4 bits) and DC coefficients within
// dcLimit, prescaled inputs stay below 2^39 and every product below 2^61.
const (
	coefBits  = 12           // fractional bits of prescaled coefficients
	constBits = 13           // fractional bits of the multipliers
	outShift  = coefBits + 3 // the 2-D transform yields 8× the sample
	maxQuant  = 2048         // largest luminance quantizer accepted
	// Samples y outside [128-2^(farBits-1), 128+2^(farBits-1)) are far
	// from the 8-bit range: uint(y+farOffset) has bit farBits or above set.
	farBits   = 11
	farOffset = 1<<(farBits-1) - 128
	farLimit  = 1<<(farBits-1) - 128 // levels a sample may lie outside [0, 255]
	// dcBias, added to the DC coefficient, adds 128 (and ½ for rounding)
	// to every sample before the final shift, which then yields the
	// sample y. A row of samples all within 0–255 (one test of their OR)
	// is stored as one word; otherwise each sample is offset, u =
	// y+farOffset: one test of u checks the range, and clipTab[u] is y
	// clipped.
	dcBias = 128<<outShift + 1<<(outShift-1)
	// dcLimit bounds the prescaled DC coefficient: 8× a block's mean
	// sample, which lies inside the far window (with a margin for rounding).
	dcLimit = 8 * (1<<(farBits-1) + 16) << coefBits
)

// Multipliers of the AAN transform, scaled by 2^constBits.
const (
	mulSqrt2 = 11585 // √2
	mul1847  = 15137 // 2·cos(π/8)
	mul1082  = 8867  // 2·(cos(π/8) − cos(3π/8))
	mul2613  = 21407 // 2·(cos(π/8) + cos(3π/8))
)

// aanScale[n] is the AAN scale factor of natural-order coefficient n,
// times 2^coefBits: s(u)·s(v) with s(0) = 1 and s(k) = √2·cos(kπ/16).
var aanScale = func() (t [64]float64) {
	s := func(k int) float64 {
		if k == 0 {
			return 1
		}
		return math.Sqrt2 * math.Cos(float64(k)*math.Pi/16)
	}
	for n := range t {
		t[n] = s(n%8) * s(n/8) * (1 << coefBits)
	}
	return t
}()

// unzig maps zig-zag order to natural (row-major) order.
var unzig = [64]uint8{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
}

// prescale returns the dequantization table (in zig-zag order) that also
// applies the AAN scale factors: a coefficient times its entry is the
// transform's input.
func prescale(q *[64]uint16) (t [64]int) {
	for k, v := range q {
		t[k] = int(math.Round(float64(v) * aanScale[unzig[k]]))
	}
	return t
}

// idct transforms blk, prescaled coefficients in natural order with dcBias
// added to blk[0], into an 8×8 block of samples at dst (rows stride bytes
// apart), and clears blk. mask is the OR of the natural-order indices of
// the coefficients other than blk[0] that may be non-zero (all others must
// be zero); it selects a transform that skips the zero inputs (see
// maskRow0 and the other shapes) and gives the same samples as idctFull. ws is scratch
// space, passed in because zeroing a local array costs a runtime call per
// block under wasm. It reports false if a sample lies more than farLimit
// levels outside [0, 255]; such blocks come only from corrupt data, where
// decoders disagree, and the samples written are then meaningless.
func idct(blk, ws *[64]int, dst []byte, stride int, mask uint) bool {
	switch {
	case mask&^maskRow0 == 0:
		return idctRow0(blk, dst, stride)
	case mask&^maskCol0 == 0:
		return idctCol0(blk, dst, stride)
	case mask&^mask4x4 == 0:
		colsTop4(blk, ws, 4)
		return rowsLeft4(ws, dst, stride)
	case mask&^maskLeft4 == 0:
		colsFull(blk, ws, 4)
		return rowsLeft4(ws, dst, stride)
	case mask&^maskTop4 == 0:
		colsTop4(blk, ws, 8)
		return rowsFull(ws, dst, stride)
	}
	colsFull(blk, ws, 8) // idctFull, one call less
	return rowsFull(ws, dst, stride)
}

// Masks of the natural-order indices (row<<3 | column) a coefficient may
// have in each sparse shape: a coefficient is inside a shape when its
// index has no bit outside the shape's mask.
const (
	maskRow0  = 0b000_111 // first row only (horizontal frequencies)
	maskCol0  = 0b111_000 // first column only (vertical frequencies)
	mask4x4   = 0b011_011 // rows and columns 0–3
	maskLeft4 = 0b111_011 // columns 0–3
	maskTop4  = 0b011_111 // rows 0–3
)

// The 1-D transform is split in an even and an odd half, small enough to
// be inlined. The sparse transforms call them with constant zero inputs,
// which the compiler folds away: they do the same integer arithmetic as
// idctFull minus terms that are zero, so their results are identical.

// aanEven is the even half of the 1-D transform, on inputs 0, 2, 4 and 6.
// Output i is ei + o(7-i) and output 7-i is ei - o(7-i), i = 0…3.
func aanEven(x0, x2, x4, x6 int) (e0, e1, e2, e3 int) {
	t10, t11 := x0+x4, x0-x4
	t13 := x2 + x6
	t12 := (x2-x6)*mulSqrt2>>constBits - t13
	return t10 + t13, t11 + t12, t11 - t12, t10 - t13
}

// aanOdd is the odd half of the 1-D transform, on inputs 1, 3, 5 and 7.
func aanOdd(x1, x3, x5, x7 int) (o4, o5, o6, o7 int) {
	z13, z10, z11, z12 := x5+x3, x5-x3, x1+x7, x1-x7
	z5 := (z10 + z12) * mul1847 >> constBits
	o7 = z11 + z13
	o6 = z5 - z10*mul2613>>constBits - o7
	o5 = (z11-z13)*mulSqrt2>>constBits - o6
	return z5 - z12*mul1082>>constBits - o5, o5, o6, o7
}

// idctFull is idct for any block.
func idctFull(blk, ws *[64]int, dst []byte, stride int) bool {
	colsFull(blk, ws, 8)
	return rowsFull(ws, dst, stride)
}

// colsFull runs the column transform on columns 0…n-1 of blk into ws and
// clears them. A column without AC coefficients (common) is its DC value.
func colsFull(blk, ws *[64]int, n int) {
	n = min(n, 8) // lets the compiler drop the bounds checks below
	for c := 0; c < n; c++ {
		// Constant offsets from the column's start (cheaper addressing
		// under wasm than indexing with c).
		in, out := (*[57]int)(blk[c:c+57]), (*[57]int)(ws[c:c+57])
		if in[8]|in[16]|in[24]|in[32]|in[40]|in[48]|in[56] == 0 {
			dc := in[0]
			in[0] = 0
			out[0], out[8], out[16], out[24] = dc, dc, dc, dc
			out[32], out[40], out[48], out[56] = dc, dc, dc, dc
			continue
		}
		e0, e1, e2, e3 := aanEven(in[0], in[16], in[32], in[48])
		o4, o5, o6, o7 := aanOdd(in[8], in[24], in[40], in[56])
		out[0], out[56] = e0+o7, e0-o7
		out[8], out[48] = e1+o6, e1-o6
		out[16], out[40] = e2+o5, e2-o5
		out[24], out[32] = e3+o4, e3-o4
		in[0], in[8], in[16], in[24], in[32], in[40], in[48], in[56] = 0, 0, 0, 0, 0, 0, 0, 0
	}
}

// colsTop4 is colsFull for columns whose rows 4–7 are zero.
func colsTop4(blk, ws *[64]int, n int) {
	n = min(n, 8)
	for c := 0; c < n; c++ {
		in, out := (*[57]int)(blk[c:c+57]), (*[57]int)(ws[c:c+57])
		e0, e1, e2, e3 := aanEven(in[0], in[16], 0, 0)
		o4, o5, o6, o7 := aanOdd(in[8], in[24], 0, 0)
		out[0], out[56] = e0+o7, e0-o7
		out[8], out[48] = e1+o6, e1-o6
		out[16], out[40] = e2+o5, e2-o5
		out[24], out[32] = e3+o4, e3-o4
		in[0], in[8], in[16], in[24] = 0, 0, 0, 0
	}
}

// rowsFull runs the row transform on the rows of ws and writes them out as
// samples; it reports false like idct.
func rowsFull(ws *[64]int, dst []byte, stride int) bool {
	var far uint // OR of the offset samples of clipped rows: far ones set bit farBits or above
	for r := 0; r < 8; r++ {
		x := (*[8]int)(ws[8*r : 8*r+8])
		e0, e1, e2, e3 := aanEven(x[0], x[2], x[4], x[6])
		o4, o5, o6, o7 := aanOdd(x[1], x[3], x[5], x[7])
		y0, y1, y2, y3 := (e0+o7)>>outShift, (e1+o6)>>outShift, (e2+o5)>>outShift, (e3+o4)>>outShift
		y4, y5, y6, y7 := (e3-o4)>>outShift, (e2-o5)>>outShift, (e1-o6)>>outShift, (e0-o7)>>outShift
		out := dst[r*stride : r*stride+8]
		if uint(y0|y1|y2|y3|y4|y5|y6|y7) < 256 {
			binary.LittleEndian.PutUint64(out, packRow(y0, y1, y2, y3, y4, y5, y6, y7))
		} else {
			far |= clipRow((*[8]byte)(out), y0, y1, y2, y3, y4, y5, y6, y7)
		}
	}
	return far < 1<<farBits
}

// packRow packs eight samples within 0–255 into a word, y0 in the low
// byte.
func packRow(y0, y1, y2, y3, y4, y5, y6, y7 int) uint64 {
	return uint64(y0) | uint64(y1)<<8 | uint64(y2)<<16 | uint64(y3)<<24 |
		uint64(y4)<<32 | uint64(y5)<<40 | uint64(y6)<<48 | uint64(y7)<<56
}

// clipRow writes eight samples to out clipped to 0–255 and returns the
// OR of their offset samples u = y+farOffset (see far).
func clipRow(out *[8]byte, y0, y1, y2, y3, y4, y5, y6, y7 int) uint {
	u0, u1, u2, u3 := uint(y0+farOffset), uint(y1+farOffset), uint(y2+farOffset), uint(y3+farOffset)
	u4, u5, u6, u7 := uint(y4+farOffset), uint(y5+farOffset), uint(y6+farOffset), uint(y7+farOffset)
	const m = 1<<farBits - 1
	out[0], out[1], out[2], out[3] = clipTab[u0&m], clipTab[u1&m], clipTab[u2&m], clipTab[u3&m]
	out[4], out[5], out[6], out[7] = clipTab[u4&m], clipTab[u5&m], clipTab[u6&m], clipTab[u7&m]
	return u0 | u1 | u2 | u3 | u4 | u5 | u6 | u7
}

// rowsLeft4 is rowsFull for rows whose columns 4–7 are zero; it does not
// read them. Its store of a row is rowsFull's, written out: as a function
// (putRow) it is not inlined, and a call per row made the decode of a
// board photo slower in wasm.
func rowsLeft4(ws *[64]int, dst []byte, stride int) bool {
	var far uint
	for r := 0; r < 8; r++ {
		x := (*[4]int)(ws[8*r : 8*r+4])
		e0, e1, e2, e3 := aanEven(x[0], x[2], 0, 0)
		o4, o5, o6, o7 := aanOdd(x[1], x[3], 0, 0)
		y0, y1, y2, y3 := (e0+o7)>>outShift, (e1+o6)>>outShift, (e2+o5)>>outShift, (e3+o4)>>outShift
		y4, y5, y6, y7 := (e3-o4)>>outShift, (e2-o5)>>outShift, (e1-o6)>>outShift, (e0-o7)>>outShift
		out := dst[r*stride : r*stride+8]
		if uint(y0|y1|y2|y3|y4|y5|y6|y7) < 256 {
			binary.LittleEndian.PutUint64(out, packRow(y0, y1, y2, y3, y4, y5, y6, y7))
		} else {
			far |= clipRow((*[8]byte)(out), y0, y1, y2, y3, y4, y5, y6, y7)
		}
	}
	return far < 1<<farBits
}

// idctRow0 is idct for blocks with coefficients in the first row only.
// Every column holds its DC value alone, so all rows equal the transform
// of the first.
func idctRow0(blk *[64]int, dst []byte, stride int) bool {
	in := (*[8]int)(blk[:8])
	e0, e1, e2, e3 := aanEven(in[0], in[2], in[4], in[6])
	o4, o5, o6, o7 := aanOdd(in[1], in[3], in[5], in[7])
	in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7] = 0, 0, 0, 0, 0, 0, 0, 0
	y0, y1, y2, y3 := (e0+o7)>>outShift, (e1+o6)>>outShift, (e2+o5)>>outShift, (e3+o4)>>outShift
	y4, y5, y6, y7 := (e3-o4)>>outShift, (e2-o5)>>outShift, (e1-o6)>>outShift, (e0-o7)>>outShift
	far := clipRow((*[8]byte)(dst[:8]), y0, y1, y2, y3, y4, y5, y6, y7)
	v := binary.LittleEndian.Uint64(dst)
	for r := 1; r < 8; r++ {
		binary.LittleEndian.PutUint64(dst[r*stride:], v)
	}
	return far < 1<<farBits
}

// idctCol0 is idct for blocks with coefficients in the first column only.
// Each row then holds its DC value alone: all its samples are equal.
func idctCol0(blk *[64]int, dst []byte, stride int) bool {
	e0, e1, e2, e3 := aanEven(blk[0], blk[16], blk[32], blk[48])
	o4, o5, o6, o7 := aanOdd(blk[8], blk[24], blk[40], blk[56])
	blk[0], blk[8], blk[16], blk[24], blk[32], blk[40], blk[48], blk[56] = 0, 0, 0, 0, 0, 0, 0, 0
	far := fillRow(dst, e0+o7) | fillRow(dst[stride:], e1+o6) |
		fillRow(dst[2*stride:], e2+o5) | fillRow(dst[3*stride:], e3+o4) |
		fillRow(dst[4*stride:], e3-o4) | fillRow(dst[5*stride:], e2-o5) |
		fillRow(dst[6*stride:], e1-o6) | fillRow(dst[7*stride:], e0-o7)
	return far < 1<<farBits
}

// fillDC writes the block of a DC-only coefficient dc (prescaled, with
// dcBias added): all 64 samples are equal. It reports false like idct.
func fillDC(dc int, dst []byte, stride int) bool {
	u := uint(dc>>outShift + farOffset)
	v := uint64(clipTab[u%(1<<farBits)]) * 0x0101010101010101
	for r := 0; r < 8; r++ {
		binary.LittleEndian.PutUint64(dst[r*stride:], v)
	}
	return u < 1<<farBits
}

// fillRow writes the 8 samples of a row whose transform input is x alone:
// all of them x scaled down. It returns the offset sample u.
func fillRow(dst []byte, x int) uint {
	u := uint(x>>outShift + farOffset)
	binary.LittleEndian.PutUint64(dst, uint64(clipTab[u%(1<<farBits)])*0x0101010101010101)
	return u
}

// clipTab maps an offset sample u = y+farOffset inside the far window to
// y clipped to [0, 255].
var clipTab = func() (t [1 << farBits]byte) {
	for u := range t {
		t[u] = byte(min(max(u-farOffset, 0), 255))
	}
	return t
}()

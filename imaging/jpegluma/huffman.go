package jpegluma

import (
	"errors"
	"fmt"
)

// lutBits is the number of leading bits looked up at once when decoding a
// Huffman code; longer codes (rare) are decoded bit length by bit length.
const lutBits = 11

// huffTable is a Huffman decoding table (section C and F.2.2.3) arranged
// for table look-ups on the next lutBits bits of the stream.
type huffTable struct {
	defined bool
	// lut maps the next lutBits bits to symbol<<8 | code length when they
	// start with a code of at most lutBits bits, and to 0 otherwise.
	lut [1 << lutBits]uint16
	// fast maps the next lutBits bits to a whole decoding step when it fits
	// in them, and to 0 otherwise.
	// In an AC table, a step is a coefficient whose code and extra bits
	// fit, an EOB code or a ZRL code:
	//	value<<16 | step<<8 | code length<<4 | code length + extra bits
	// where step advances the zig-zag index by the zero run and the
	// coefficient (run+1; 16 for ZRL, whose "coefficient" is a zero) and
	// EOB has step eobStep and value 0. EOBn codes (n > 0) are not in it.
	// In a DC table, a step is a difference whose code and extra bits fit:
	//	difference<<8 | code length + extra bits
	fast [1 << lutBits]int32
	// maxCode[l] is the largest code of l bits, or one less than the
	// first code of l bits (in canonical order) when there is none.
	maxCode [17]int32
	// valOff[l] added to a code of l bits gives its index in vals.
	valOff [17]int32
	vals   [256]uint8
}

// undefinedTable stands for a table selector no DHT segment has defined;
// decoding with it fails at the first code, as with image/jpeg.
var undefinedTable huffTable

var (
	errBadCode      = errors.New("bad Huffman code")
	errNoTable      = errors.New("Huffman table not defined")
	errDCCategory   = errors.New("DC difference category above 16")
	errEndOfSegment = errors.New("entropy-coded segment ends before this MCU does")
)

// build fills t from a DHT table's code counts per length (16 bytes) and
// symbols. It refuses tables with more codes of some length than the
// shorter codes leave room for, which no encoder writes and whose meaning
// decoders disagree on.
func (t *huffTable) build(counts, vals []byte, ac bool) error {
	*t = huffTable{defined: true}
	copy(t.vals[:], vals)
	code, k := 0, 0 // next code, index of its symbol
	for l := 1; l <= 16; l++ {
		n := int(counts[l-1])
		t.valOff[l] = int32(k - code)
		if code+n > 1<<l {
			return fmt.Errorf("%d codes of %d bits do not fit after the shorter ones", n, l)
		}
		for ; n > 0; n-- {
			if l <= lutBits {
				t.fill(code, l, vals[k], ac)
			}
			code++
			k++
		}
		t.maxCode[l] = int32(code - 1)
		code <<= 1
	}
	return nil
}

// eobStep is the step of an EOB code in huffTable.fast: larger than any
// zig-zag index it may be added to, so that it ends the block.
const eobStep = 64

// fill sets the look-up entries of one code of l ≤ lutBits bits.
func (t *huffTable) fill(code, l int, sym byte, ac bool) {
	first := code << (lutBits - l)
	span := 1 << (lutBits - l)
	for i := first; i < first+span; i++ {
		t.lut[i] = uint16(sym)<<8 | uint16(l)
	}
	size := int(sym & 15)
	if !ac {
		size = int(sym) // the DC difference's category
	}
	if l+size > lutBits || ac && size == 0 && sym != 0x00 && sym != 0xF0 {
		return // too long for fast, or EOBn
	}
	step := int32(sym>>4) + 1
	switch sym {
	case 0x00:
		step = eobStep
	case 0xF0:
		step = 16
	}
	for i := first; i < first+span; i++ {
		v := 0
		if size > 0 {
			bits := uint64(i>>(lutBits-l-size)) & (1<<size - 1)
			v = extend(bits, uint(size))
		}
		if ac {
			t.fast[i] = int32(v)<<16 | step<<8 | int32(l)<<4 | int32(l+size)
		} else {
			t.fast[i] = int32(v)<<8 | int32(l+size)
		}
	}
}

// decode decodes a code from the top of acc, which holds at least 16
// bits, for the block decoders' slow paths. It returns the symbol and code
// length, or an error for a code the table does not have.
//
// It is kept out of line on purpose: a call marks its caller's branch as
// unlikely, so that the compiler lays out the fast path as straight-line
// code (under WebAssembly, every jump costs an indirect branch).
//
//go:noinline
func (t *huffTable) decode(acc uint64) (sym, length uint, err error) {
	if e := t.lut[acc>>(64-lutBits)]; e != 0 {
		return uint(e >> 8), uint(e & 0xFF), nil
	}
	return t.decodeSlow(acc)
}

// decodeDC decodes a DC difference (code and extra bits) from the top of
// acc, which holds at least 32 bits, in the format of the fast entries of
// a DC table: difference<<8 | bits taken, where bits taken ≤ 32. Like
// decode, it is kept out of line.
//
//go:noinline
func (t *huffTable) decodeDC(acc uint64) (int32, error) {
	sym, l, err := t.decode(acc)
	if err != nil {
		return 0, err
	}
	if sym > 16 {
		return 0, errDCCategory
	}
	v := 0
	if sym != 0 {
		v = extend(acc<<l>>((64-sym)&63), sym)
	}
	return int32(v)<<8 | int32(l+sym), nil
}

// decodeSlow decodes a code longer than lutBits bits from the top of acc,
// which holds at least 16 bits. It returns the symbol and code length, or
// an error for a code the table does not have.
func (t *huffTable) decodeSlow(acc uint64) (sym, length uint, err error) {
	if !t.defined {
		return 0, 0, errNoTable
	}
	for l := lutBits + 1; l <= 16; l++ {
		code := int32(acc >> (64 - l))
		if code <= t.maxCode[l] {
			return uint(t.vals[(t.valOff[l]+code)&255]), uint(l), nil
		}
	}
	return 0, 0, errBadCode
}

// extend turns the size-bit field bits into the signed value it codes
// (EXTEND, section F.2.2.1): fields with a leading 0 bit are negative.
// size is 1–16.
func extend(bits uint64, size uint) int {
	neg := int((bits>>((size-1)&63))&1) - 1 // -1 if the leading bit is 0
	return int(bits) + neg&(1-1<<(size&63))
}

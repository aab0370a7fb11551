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
	// fast (AC tables only) maps the next lutBits bits to a whole
	// coefficient when its code and its extra bits fit in them:
	// value<<16 | code length<<8 | zero run<<4 | code length + extra bits.
	// It is 0 otherwise, including for EOB and ZRL codes.
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

// fill sets the look-up entries of one code of l ≤ lutBits bits.
func (t *huffTable) fill(code, l int, sym byte, ac bool) {
	first := code << (lutBits - l)
	span := 1 << (lutBits - l)
	for i := first; i < first+span; i++ {
		t.lut[i] = uint16(sym)<<8 | uint16(l)
	}
	size := int(sym & 15)
	if !ac || size == 0 || l+size > lutBits {
		return
	}
	run := int32(sym >> 4)
	for i := first; i < first+span; i++ {
		bits := uint64(i>>(lutBits-l-size)) & (1<<size - 1)
		v := extend(bits, uint(size))
		t.fast[i] = int32(v)<<16 | int32(l)<<8 | run<<4 | int32(l+size)
	}
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

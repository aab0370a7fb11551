package jpegluma

import (
	"encoding/binary"
	"errors"
)

// errFar reports a block whose samples lie further than farLimit outside
// the 8-bit range, judged from its DC coefficient alone.
var errFar = errors.New("samples far outside the 8-bit range")

// bitReader reads the unstuffed entropy-coded data MSB first. The block
// decoders copy its fields into locals and store them back once per block.
type bitReader struct {
	buf []byte
	pos int    // the byte of buf after the last one counted in n
	acc uint64 // unread bits, the next one at the top (see load)
	n   uint   // number of unread bits counted in acc
}

// The block decoders keep 56–63 bits in the bit buffer: before each run
// of up to four table look-ups they top it up with
//
//	acc = load(buf, pos, acc, n)
//	pos += int((63 - n) >> 3)
//	n |= 56
//
// which adds the whole bytes that fit to the n counted bits (n < 64). All
// 64 bits of acc are loaded, so the bits below the counted ones are
// always the next bits of the stream (or zero), which the next top-up ORs
// in again. (A function doing all three does not fit Go's inlining budget
// under WebAssembly.)

// load returns acc, which holds n < 64 counted bits, with the 8 bytes of
// buf at pos ORed in below them. Past the end of buf it adds zero bits;
// overrun detects that. Since the last 8 bytes of buf are zeros (see
// ecsPad), it need not load fewer than 8 bytes.
func load(buf []byte, pos int, acc uint64, n uint) uint64 {
	if pos <= len(buf)-8 {
		acc |= binary.BigEndian.Uint64(buf[pos:]) >> (n & 63)
	}
	return acc
}

// seek returns the bit reader state (pos, acc, n) at bit p of buf, topped
// up. It serves the rare steps back in the stream.
func seek(buf []byte, p int) (int, uint64, uint) {
	pos, b := p>>3, uint(p&7)
	acc := load(buf, pos, 0, 0) << b
	return pos + 7, acc, 56 - b
}

// overrun reports whether br has consumed more bits than segment sg holds.
func (br *bitReader) overrun(sg segment) bool {
	return (br.pos-sg.start)*8-int(br.n) > (sg.end-sg.start)*8
}

// scanDecoder decodes the blocks of one scan.
type scanDecoder struct {
	br bitReader
	// blk holds the coefficients of the current luminance block, natural
	// order, prescaled, in blk[:64]; blk[64] takes the writes of decoding
	// steps that end the block (see zigAfter), and the rest pads it so
	// that indices from zigAfter need no bounds checks.
	blk    [128]int
	ws     [64]int // IDCT scratch
	qs     [64]int // prescaled dequantization table, zig-zag order
	mask   uint    // OR of the natural-order indices of the current block's AC coefficients (see idct)
	eobRun int     // see decoder.eobRun

	pix          []byte // luminance output
	stride, w, h int    // its stride and the size blocks are clipped to
}

// zigAfter maps k, one past the zig-zag index of an AC coefficient, to
// that coefficient's natural-order index, for k = 1…64. Larger k, reached
// by a decoding step that runs past the block's last coefficient or by an
// EOB code (see huffTable.fast), map to 64: a slot outside the block.
var zigAfter = func() (t [128]uint8) {
	for k := range t {
		t[k] = 64
		if k >= 1 && k <= 64 {
			t[k] = unzig[k-1]
		}
	}
	return t
}()

// lumaBlock decodes one luminance block (section F.2.2) into s.blk and
// s.mask, as image/jpeg does: a run past the last coefficient ends the
// block, and EOBn codes (progressive-mode end-of-band runs) are honoured.
//
// Under WebAssembly, every jump in a Go function that is not a fall-through
// costs an indirect branch through the function's dispatch table. So the
// common path is written to fall through: fast table hits in then-branches,
// slow paths behind calls (which the compiler lays out as unlikely), and
// up to four fast steps per loop iteration: a top-up leaves at least 56
// bits, and a fast step takes at most lutBits = 11.
func (s *scanDecoder) lumaBlock(c *scanComp) error {
	buf, pos, acc, n := s.br.buf, s.br.pos, s.br.acc, s.br.n
	acc = load(buf, pos, acc, n)
	pos += int((63 - n) >> 3)
	n |= 56
	e := c.dc.fast[acc>>(64-lutBits)]
	if e == 0 {
		var err error
		if e, err = c.dc.decodeDC(acc); err != nil {
			return err
		}
	}
	c.pred += int(e >> 8)
	l := uint(e) & 63
	acc <<= l
	n -= l
	dc := c.pred * s.qs[0]
	if uint(dc+dcLimit) > 2*dcLimit {
		return errFar
	}
	blk, qs := &s.blk, &s.qs
	blk[0] = dc + dcBias
	var mask uint
	if s.eobRun == 0 {
		// k is one past the zig-zag index of the last coefficient decoded.
		// A fast step that runs past index 63, or an EOB, leaves k > 64
		// and writes to blk[64]; e0, the entry of the last fast step, then
		// tells how many extra bits to give back (none for an EOB): a
		// run past index 63 takes its code alone, as in the slow path.
		fast := &c.ac.fast
		var e0 int
		k := 1
		for k < 64 {
			acc = load(buf, pos, acc, n)
			pos += int((63 - n) >> 3)
			n |= 56
			if e := int(fast[acc>>(64-lutBits)]); e != 0 {
				e0, acc, n = e, acc<<(uint(e)&15), n-uint(e)&15
				k += int(e>>8) & 127
				mask |= s.putCoef(e, k)
				if e := int(fast[acc>>(64-lutBits)]); k < 64 && e != 0 {
					e0, acc, n = e, acc<<(uint(e)&15), n-uint(e)&15
					k += int(e>>8) & 127
					mask |= s.putCoef(e, k)
					if e := int(fast[acc>>(64-lutBits)]); k < 64 && e != 0 {
						e0, acc, n = e, acc<<(uint(e)&15), n-uint(e)&15
						k += int(e>>8) & 127
						mask |= s.putCoef(e, k)
						if e := int(fast[acc>>(64-lutBits)]); k < 64 && e != 0 {
							e0, acc, n = e, acc<<(uint(e)&15), n-uint(e)&15
							k += int(e>>8) & 127
							mask |= s.putCoef(e, k)
						}
					}
				}
				continue
			}
			// Slow path: the whole code.
			sym, l, err := c.ac.decode(acc)
			if err != nil {
				return err
			}
			acc <<= l & 63
			n -= l
			r, size := sym>>4, sym&15
			if size == 0 {
				if r == 15 { // ZRL: 16 zeros
					k = min(k+16, 64)
					continue
				}
				s.eobRun = 1<<r - 1 // EOB, or EOBn: 2^r + r more bits
				if r > 0 {
					s.eobRun += int(acc >> ((64 - r) & 63))
					acc <<= r
					n -= r
				}
				break
			}
			k += int(r)
			if k > 63 {
				k = 64
				break
			}
			z := unzig[k&63] & 63
			blk[z] = extend(acc>>((64-size)&63), size) * qs[k&63]
			mask |= uint(z)
			acc <<= size
			n -= size
			k++
		}
		if k > 64 {
			if x := uint(e0)&15 - uint(e0>>4)&15; x != 0 {
				pos, acc, n = seek(buf, pos*8-int(n)-int(x))
			}
		}
	} else {
		s.eobRun--
	}
	s.br.pos, s.br.acc, s.br.n = pos, acc, n
	s.mask = mask & 63
	return nil
}

// putCoef stores the coefficient of the fast step e that has advanced the
// zig-zag index to k (see zigAfter) and returns its natural-order index.
// (Addressing s.blk and s.qs through s keeps one pointer fewer live in
// the decoding loop.)
func (s *scanDecoder) putCoef(e, k int) uint {
	z := zigAfter[k&127]
	s.blk[z&127] = e >> 16 * s.qs[(k-1)&63]
	return uint(z)
}

// skipBlock reads past one chroma block: the same codes as lumaBlock, no
// values kept.
func (s *scanDecoder) skipBlock(c *scanComp) error {
	buf, pos, acc, n := s.br.buf, s.br.pos, s.br.acc, s.br.n
	acc = load(buf, pos, acc, n)
	pos += int((63 - n) >> 3)
	n |= 56
	e := c.dc.fast[acc>>(64-lutBits)]
	if e == 0 {
		var err error
		if e, err = c.dc.decodeDC(acc); err != nil {
			return err
		}
	}
	l := uint(e) & 63
	acc <<= l
	n -= l
	if s.eobRun == 0 {
		// As in lumaBlock.
		fast := &c.ac.fast
		var e0 int
		k := 1
		for k < 64 {
			acc = load(buf, pos, acc, n)
			pos += int((63 - n) >> 3)
			n |= 56
			if e := int(fast[acc>>(64-lutBits)]); e != 0 {
				e0, acc, n = e, acc<<(uint(e)&15), n-uint(e)&15
				k += int(e>>8) & 127
				if e := int(fast[acc>>(64-lutBits)]); k < 64 && e != 0 {
					e0, acc, n = e, acc<<(uint(e)&15), n-uint(e)&15
					k += int(e>>8) & 127
					if e := int(fast[acc>>(64-lutBits)]); k < 64 && e != 0 {
						e0, acc, n = e, acc<<(uint(e)&15), n-uint(e)&15
						k += int(e>>8) & 127
						if e := int(fast[acc>>(64-lutBits)]); k < 64 && e != 0 {
							e0, acc, n = e, acc<<(uint(e)&15), n-uint(e)&15
							k += int(e>>8) & 127
						}
					}
				}
				continue
			}
			sym, l, err := c.ac.decode(acc)
			if err != nil {
				return err
			}
			acc <<= l & 63
			n -= l
			r, size := sym>>4, sym&15
			if size == 0 {
				if r == 15 {
					k = min(k+16, 64)
					continue
				}
				s.eobRun = 1<<r - 1
				if r > 0 {
					s.eobRun += int(acc >> ((64 - r) & 63))
					acc <<= r
					n -= r
				}
				break
			}
			k += int(r)
			if k > 63 {
				k = 64
				break
			}
			acc <<= size
			n -= size
			k++
		}
		if k > 64 {
			if x := uint(e0)&15 - uint(e0>>4)&15; x != 0 {
				pos, acc, n = seek(buf, pos*8-int(n)-int(x))
			}
		}
	} else {
		s.eobRun--
	}
	s.br.pos, s.br.acc, s.br.n = pos, acc, n
	return nil
}

// put writes the decoded block s.blk at block (bx, by) of the luminance
// output, clipped to it, and reports false if its samples lie far outside
// the 8-bit range (see idct).
func (s *scanDecoder) put(bx, by int) bool {
	x0, y0 := bx*8, by*8
	if x0+8 <= s.w && y0+8 <= s.h {
		off := y0*s.stride + x0
		dst := s.pix[off : off+7*s.stride+8]
		if s.mask != 0 {
			return idct((*[64]int)(s.blk[:64]), &s.ws, dst, s.stride, s.mask)
		}
		ok := fillDC(s.blk[0], dst, s.stride)
		s.blk[0] = 0
		return ok
	}
	// An edge block: transform into tmp and copy what is inside.
	var tmp [64]byte
	ok := true
	if s.mask != 0 {
		ok = idct((*[64]int)(s.blk[:64]), &s.ws, tmp[:], 8, s.mask)
	} else {
		ok = fillDC(s.blk[0], tmp[:], 8)
		s.blk[0] = 0
	}
	if x0 >= s.w || y0 >= s.h {
		return true // wholly outside: never seen
	}
	w, h := min(8, s.w-x0), min(8, s.h-y0)
	for r := 0; r < h; r++ {
		copy(s.pix[(y0+r)*s.stride+x0:][:w], tmp[r*8:r*8+w])
	}
	return ok
}

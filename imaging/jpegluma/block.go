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
	pos int    // next byte of buf to load
	acc uint64 // unread bits, the next one at the top
	n   uint   // number of unread bits in acc
}

// refill adds the next 32 bits of buf to acc, which holds n < 32 bits.
// Past the end of buf it adds zero bits; overrun detects that.
func refill(buf []byte, pos int, acc uint64, n uint) (int, uint64, uint) {
	if pos >= 0 && pos <= len(buf)-4 {
		b := (*[4]byte)(buf[pos:])
		acc |= uint64(binary.BigEndian.Uint32(b[:])) << ((32 - n) & 63)
	}
	return pos + 4, acc, n + 32
}

// overrun reports whether br has consumed more bits than segment sg holds.
func (br *bitReader) overrun(sg segment) bool {
	return (br.pos-sg.start)*8-int(br.n) > (sg.end-sg.start)*8
}

// scanDecoder decodes the blocks of one scan.
type scanDecoder struct {
	br     bitReader
	blk    [64]int // coefficients of the current luminance block, natural order, prescaled
	ws     [64]int // IDCT scratch
	qs     [64]int // prescaled dequantization table, zig-zag order
	mask   uint    // OR of the natural-order indices of the current block's AC coefficients (see idct)
	eobRun int     // see decoder.eobRun

	pix          []byte // luminance output
	stride, w, h int    // its stride and the size blocks are clipped to
}

// lumaBlock decodes one luminance block (section F.2.2) into s.blk and
// s.mask, as image/jpeg does: a run past the last coefficient ends the
// block, and EOBn codes (progressive-mode end-of-band runs) are honoured.
func (s *scanDecoder) lumaBlock(c *scanComp) error {
	buf, pos, acc, n := s.br.buf, s.br.pos, s.br.acc, s.br.n
	if n < 32 {
		pos, acc, n = refill(buf, pos, acc, n)
	}
	var sym, l uint
	if e := c.dc.lut[acc>>(64-lutBits)]; e != 0 {
		sym, l = uint(e>>8), uint(e&0xFF)
	} else {
		var err error
		if sym, l, err = c.dc.decodeSlow(acc); err != nil {
			return err
		}
	}
	acc <<= l & 63
	n -= l
	if sym > 16 {
		return errDCCategory
	}
	if sym != 0 {
		c.pred += extend(acc>>((64-sym)&63), sym)
		acc <<= sym & 63
		n -= sym
	}
	dc := c.pred * s.qs[0]
	if uint(dc+dcLimit) > 2*dcLimit {
		return errFar
	}
	blk, qs := &s.blk, &s.qs
	blk[0] = dc + dcBias
	var mask uint
	if s.eobRun > 0 {
		s.eobRun--
	} else {
		fast, lut := &c.ac.fast, &c.ac.lut
		for k := 1; k < 64; k++ {
			if n < 32 {
				pos, acc, n = refill(buf, pos, acc, n)
			}
			if e := fast[acc>>(64-lutBits)]; e != 0 {
				k += int(e>>4) & 15
				if k > 63 {
					l := uint(e>>8) & 15 // the code only
					acc <<= l
					n -= l
					break
				}
				l := uint(e) & 15
				acc <<= l
				n -= l
				z := unzig[k&63] & 63
				blk[z] = int(e>>16) * qs[k&63]
				mask |= uint(z)
				continue
			}
			if e := lut[acc>>(64-lutBits)]; e != 0 {
				sym, l = uint(e>>8), uint(e&0xFF)
			} else {
				var err error
				if sym, l, err = c.ac.decodeSlow(acc); err != nil {
					return err
				}
			}
			acc <<= l & 63
			n -= l
			r, size := sym>>4, sym&15
			if size == 0 {
				if r == 15 { // ZRL: 16 zeros
					k += 15
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
				break
			}
			z := unzig[k&63] & 63
			blk[z] = extend(acc>>((64-size)&63), size) * qs[k&63]
			mask |= uint(z)
			acc <<= size
			n -= size
		}
	}
	s.br.pos, s.br.acc, s.br.n = pos, acc, n
	s.mask = mask
	return nil
}

// skipBlock reads past one chroma block: the same codes as lumaBlock, no
// values kept.
func (s *scanDecoder) skipBlock(c *scanComp) error {
	buf, pos, acc, n := s.br.buf, s.br.pos, s.br.acc, s.br.n
	if n < 32 {
		pos, acc, n = refill(buf, pos, acc, n)
	}
	var sym, l uint
	if e := c.dc.lut[acc>>(64-lutBits)]; e != 0 {
		sym, l = uint(e>>8), uint(e&0xFF)
	} else {
		var err error
		if sym, l, err = c.dc.decodeSlow(acc); err != nil {
			return err
		}
	}
	if sym > 16 {
		return errDCCategory
	}
	l += sym
	acc <<= l & 63
	n -= l
	if s.eobRun > 0 {
		s.eobRun--
	} else {
		fast, lut := &c.ac.fast, &c.ac.lut
		for k := 1; k < 64; k++ {
			if n < 32 {
				pos, acc, n = refill(buf, pos, acc, n)
			}
			if e := fast[acc>>(64-lutBits)]; e != 0 {
				k += int(e>>4) & 15
				if k > 63 {
					l := uint(e>>8) & 15
					acc <<= l
					n -= l
					break
				}
				l := uint(e) & 15
				acc <<= l
				n -= l
				continue
			}
			if e := lut[acc>>(64-lutBits)]; e != 0 {
				sym, l = uint(e>>8), uint(e&0xFF)
			} else {
				var err error
				if sym, l, err = c.ac.decodeSlow(acc); err != nil {
					return err
				}
			}
			acc <<= l & 63
			n -= l
			r, size := sym>>4, sym&15
			if size == 0 {
				if r == 15 {
					k += 15
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
				break
			}
			acc <<= size
			n -= size
		}
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
			return idct(&s.blk, &s.ws, dst, s.stride, s.mask)
		}
		ok := fillDC(s.blk[0], dst, s.stride)
		s.blk[0] = 0
		return ok
	}
	// An edge block: transform into tmp and copy what is inside.
	var tmp [64]byte
	ok := true
	if s.mask != 0 {
		ok = idct(&s.blk, &s.ws, tmp[:], 8, s.mask)
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

package jpegluma

import (
	"errors"
	"fmt"
	"math/rand"
	"testing"
)

// refCode is a canonical Huffman code (section C) listed code by code.
type refCode struct {
	code, length []int // per symbol index in syms
	syms         []byte
}

func newRefCode(counts [16]byte, syms []byte) refCode {
	r := refCode{syms: syms}
	code := 0
	for l := 1; l <= 16; l++ {
		for i := 0; i < int(counts[l-1]); i++ {
			r.code = append(r.code, code)
			r.length = append(r.length, l)
			code++
		}
		code <<= 1
	}
	return r
}

// decode reads one code bit by bit from the top of bits (64 bits ahead).
func (r refCode) decode(bits uint64) (sym byte, length int, ok bool) {
	for i := range r.syms {
		if int(bits>>(64-r.length[i])) == r.code[i] {
			return r.syms[i], r.length[i], true
		}
	}
	return 0, 0, false
}

// index returns the index of sym in r.syms.
func (r refCode) index(sym byte) int {
	for i, s := range r.syms {
		if s == sym {
			return i
		}
	}
	panic(fmt.Sprintf("symbol %#x not in the table", sym))
}

// randomTable returns a random Huffman table: AC symbols (runs and sizes
// up to 10, EOB, ZRL, sometimes EOBn) or DC categories 0–11 (sometimes an
// invalid 17), with skewed frequencies so that code lengths span 1–16.
func randomTable(rng *rand.Rand, ac bool) (counts [16]byte, syms []byte) {
	freq := make([]int, 256)
	weight := func() int { return 1 + int(float64(1<<20)/float64(1+rng.Intn(1<<14))) }
	if ac {
		freq[0x00], freq[0xF0] = weight(), weight()
		for s := 0; s < 256; s++ {
			r, size := s>>4, s&15
			switch {
			case size >= 1 && size <= 10 && rng.Intn(3) > 0:
				freq[s] = weight()
			case size == 0 && r > 0 && r < 15 && rng.Intn(6) == 0:
				freq[s] = weight() // EOBn
			}
		}
	} else {
		for s := 0; s <= 11; s++ {
			freq[s] = weight()
		}
		if rng.Intn(3) == 0 {
			freq[17] = weight()
		}
	}
	return huffmanTable(freq)
}

// TestFastTable checks every entry of lut and fast of random tables
// against a bit-by-bit decode.
func TestFastTable(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 60; n++ {
		ac := n%2 == 0
		counts, syms := randomTable(rng, ac)
		var h huffTable
		if err := h.build(counts[:], syms, ac); err != nil {
			t.Fatal(err)
		}
		ref := newRefCode(counts, syms)
		for i := 0; i < 1<<lutBits; i++ {
			bits := uint64(i) << (64 - lutBits)
			sym, l, ok := ref.decode(bits)
			if !ok || l > lutBits {
				if h.lut[i] != 0 || h.fast[i] != 0 {
					t.Fatalf("table %d, entry %#x: lut %#x fast %#x for no code of ≤ %d bits", n, i, h.lut[i], h.fast[i], lutBits)
				}
				continue
			}
			if want := uint16(sym)<<8 | uint16(l); h.lut[i] != want {
				t.Fatalf("table %d, entry %#x: lut %#x, want %#x", n, i, h.lut[i], want)
			}
			size := int(sym)
			if ac {
				size = int(sym & 15)
			}
			var want int32
			switch {
			case l+size > lutBits, ac && size == 0 && sym != 0x00 && sym != 0xF0, !ac && sym > 16:
				// not in fast
			case !ac:
				v := 0
				if size > 0 {
					v = extend(bits<<l>>(64-size), uint(size))
				}
				want = int32(v)<<8 | int32(l+size)
			case sym == 0x00:
				want = eobStep<<8 | int32(l)<<4 | int32(l)
			case sym == 0xF0:
				want = 16<<8 | int32(l)<<4 | int32(l)
			default:
				v := extend(bits<<l>>(64-size), uint(size))
				want = int32(v)<<16 | int32(sym>>4+1)<<8 | int32(l)<<4 | int32(l+size)
			}
			if h.fast[i] != want {
				t.Fatalf("table %d (ac %v), entry %#x (symbol %#x, %d bits): fast %#x, want %#x", n, ac, i, sym, l, h.fast[i], want)
			}
		}
	}
}

// refBlock decodes one block bit by bit as image/jpeg does, from bit p of
// data (zeros past its end), into coefficients in natural order. It returns
// the bit position after the block and the end-of-band run it leaves.
func refBlock(data []byte, p int, dc, ac refCode, eobRun int, skip bool) (coef [64]int, end, run int, err error) {
	bits := func(p int) uint64 {
		var v uint64
		for i := 0; i < 64; i++ {
			q := p + i
			if q/8 < len(data) && data[q/8]>>(7-q%8)&1 != 0 {
				v |= 1 << (63 - i)
			}
		}
		return v
	}
	sym, l, ok := dc.decode(bits(p))
	if !ok {
		return coef, p, eobRun, errBadCode
	}
	p += l
	if sym > 16 {
		return coef, p, eobRun, errDCCategory
	}
	if sym > 0 {
		coef[0] = extend(bits(p)>>(64-sym), uint(sym))
		p += int(sym)
	}
	if eobRun > 0 {
		return coef, p, eobRun - 1, nil
	}
	for k := 1; k < 64; k++ {
		sym, l, ok := ac.decode(bits(p))
		if !ok {
			return coef, p, eobRun, errBadCode
		}
		p += l
		r, size := int(sym>>4), uint(sym&15)
		if size == 0 {
			if r == 15 {
				k += 15
				continue
			}
			eobRun = 1<<r - 1
			if r > 0 {
				eobRun += int(bits(p) >> (64 - r))
				p += r
			}
			break
		}
		k += r
		if k > 63 {
			break
		}
		if !skip {
			coef[unzig[k]] = extend(bits(p)>>(64-size), size)
		}
		p += int(size)
	}
	return coef, p, eobRun, nil
}

// randomScan writes random blocks coded with dc and ac: DC differences,
// coefficients with runs (some past the block's end), ZRL, EOB and EOBn
// codes. Half the time it appends random garbage.
func randomScan(rng *rand.Rand, dc, ac refCode) []byte {
	var w bitWriter
	put := func(c refCode, sym byte) bool {
		for _, s := range c.syms {
			if s == sym {
				i := c.index(sym)
				w.write(uint32(c.code[i]), uint(c.length[i]))
				return true
			}
		}
		return false
	}
	extra := func(size int) {
		w.write(rng.Uint32(), uint(size))
	}
	for b := 0; b < 40; b++ {
		s := dc.syms[rng.Intn(len(dc.syms))]
		put(dc, s)
		if s <= 16 {
			extra(int(s))
		}
		for k := 1; k < 64; {
			s := ac.syms[rng.Intn(len(ac.syms))]
			if rng.Intn(8) == 0 {
				s = 0x00
			}
			if !put(ac, s) {
				continue
			}
			r, size := int(s>>4), int(s&15)
			if size == 0 && r != 15 {
				extra(r)
				break
			}
			extra(size)
			k += r + 1
		}
	}
	out := w.flush()
	if rng.Intn(2) == 0 {
		for i := rng.Intn(64); i > 0; i-- {
			out = append(out, byte(rng.Intn(256)))
		}
	}
	return out
}

// TestBlockDecoders checks lumaBlock and skipBlock against refBlock on
// random tables and streams, valid and corrupt: the same coefficients,
// bits taken, end-of-band runs and errors.
func TestBlockDecoders(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for n := 0; n < 300; n++ {
		dcCounts, dcSyms := randomTable(rng, false)
		acCounts, acSyms := randomTable(rng, true)
		var dcT, acT huffTable
		if err := dcT.build(dcCounts[:], dcSyms, false); err != nil {
			t.Fatal(err)
		}
		if err := acT.build(acCounts[:], acSyms, true); err != nil {
			t.Fatal(err)
		}
		dcRef, acRef := newRefCode(dcCounts, dcSyms), newRefCode(acCounts, acSyms)
		data := randomScan(rng, dcRef, acRef)
		if n%10 == 0 {
			for i := range data {
				data[i] = byte(rng.Intn(256)) // garbage alone
			}
		}
		for _, skip := range []bool{false, true} {
			buf := append(append([]byte(nil), data...), make([]byte, ecsPad)...)
			s := &scanDecoder{br: bitReader{buf: buf}}
			for k := range s.qs {
				s.qs[k] = 1
			}
			c := &scanComp{dc: &dcT, ac: &acT, luma: true}
			p, eobRun := 0, 0
			for b := 0; b < 60; b++ {
				want, end, run, wantErr := refBlock(data, p, dcRef, acRef, eobRun, skip)
				s.blk = [128]int{}
				c.pred = 0
				var err error
				if skip {
					err = s.skipBlock(c)
				} else {
					err = s.lumaBlock(c)
				}
				where := fmt.Sprintf("table pair %d, skip %v, block %d", n, skip, b)
				if wantErr != nil || err != nil {
					if !errors.Is(err, wantErr) {
						t.Fatalf("%s: error %v, want %v", where, err, wantErr)
					}
					break
				}
				if got := s.br.pos*8 - int(s.br.n); got != end || s.eobRun != run {
					t.Fatalf("%s: at bit %d with end-of-band run %d, want bit %d, run %d", where, got, s.eobRun, end, run)
				}
				if !skip {
					got := [64]int(s.blk[:64])
					got[0] -= dcBias
					if got != want {
						t.Fatalf("%s: coefficients\n%v\nwant\n%v", where, got, want)
					}
					if acMask(&want)&^s.mask != 0 || s.mask > 63 {
						t.Fatalf("%s: mask %#o does not cover the coefficients (%#o)", where, s.mask, acMask(&want))
					}
				}
				p, eobRun = end, run
			}
		}
	}
}

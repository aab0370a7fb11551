package jpegluma

import (
	"bytes"
	"image"
	"math"
	"sort"
	"testing"
)

// This file holds a small baseline JPEG encoder for tests, written from
// ITU-T T.81: image/jpeg's encoder writes only 4:2:0 colour or greyscale,
// with no restart intervals, one scan and the standard Huffman tables.
// This one writes any sampling factors, restart intervals, one scan per
// component in any order, fill bytes and stray markers, 16-bit
// quantization tables (SOF1), and per-image optimal Huffman tables, whose
// codes run from 1 to 16 bits.

// encOptions describe a test JPEG.
type encOptions struct {
	sampling []byte // per component: H<<4 | V; one entry for greyscale
	quality  int    // 1–100; 100 gives all-1 quantizers
	restart  int    // restart interval in MCUs; 0 for none
	// scans lists the components of each scan by index; nil means one
	// interleaved scan of all components.
	scans [][]int
	fill  bool // fill bytes before markers, a stray RST after the last interval, extra APP/COM
	sof1  bool // 16-bit quantization tables under an SOF1 marker
	ids   []byte
	// eobRuns adds end-of-band-run symbols (0x10–0xE0), which only
	// progressive scans use, to the AC tables; corrupted data may then
	// decode to them.
	eobRuns bool
}

// testImage is a source image for the encoder: full-resolution planes.
type testImage struct {
	w, h   int
	planes [][]byte // Y, then Cb and Cr for colour
}

// newTestImage makes a w×h image with smooth gradients, sharp edges and
// noise, so that blocks hold many non-zero coefficients.
func newTestImage(w, h, comps int, seed uint32) *testImage {
	m := &testImage{w: w, h: h}
	r := seed*2654435761 + 1
	rnd := func() int {
		r ^= r << 13
		r ^= r >> 17
		r ^= r << 5
		return int(r % 41)
	}
	for c := 0; c < comps; c++ {
		p := make([]byte, w*h)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := 40 + 150*x/max(1, w-1) + 30*y/max(1, h-1)
				if (x/5+y/7+c)%3 == 0 {
					v = 255 - v
				}
				if (x-w/2)*(x-w/2)+(y-h/3)*(y-h/3) < w*h/16 {
					v = 10 + c*100
				}
				v += rnd() - 20
				p[y*w+x] = uint8(max(0, min(255, v)))
			}
		}
		m.planes = append(m.planes, p)
	}
	return m
}

// encComp is a component's plane at its own resolution.
type encComp struct {
	h, v   int
	cw, ch int    // component size (A.1.1)
	pix    []byte // cw×ch samples
	tq     int
}

// token is one Huffman symbol and its extra bits.
type token struct {
	sym   byte
	bits  uint32
	nbits uint
}

// encode writes m as a JPEG. It also returns the image an exact decoder
// gives for its luminance: the float inverse DCT of the quantized
// coefficients written, rounded, clipped and upsampled by repetition.
func encode(t testing.TB, m *testImage, o encOptions) ([]byte, *image.Gray) {
	t.Helper()
	nc := len(o.sampling)
	if len(m.planes) < nc {
		t.Fatalf("%d planes for %d components", len(m.planes), nc)
	}
	hmax, vmax := 1, 1
	for _, s := range o.sampling {
		hmax, vmax = max(hmax, int(s>>4)), max(vmax, int(s&15))
	}
	comps := make([]encComp, nc)
	for i := range comps {
		c := &comps[i]
		c.h, c.v = int(o.sampling[i]>>4), int(o.sampling[i]&15)
		if nc == 1 {
			c.h, c.v, hmax, vmax = 1, 1, 1, 1
		}
		c.cw, c.ch = ceilDiv(m.w*c.h, hmax), ceilDiv(m.h*c.v, vmax)
		c.pix = make([]byte, c.cw*c.ch)
		for y := 0; y < c.ch; y++ {
			for x := 0; x < c.cw; x++ {
				c.pix[y*c.cw+x] = m.planes[i][(y*vmax/c.v)*m.w+x*hmax/c.h]
			}
		}
		if i > 0 {
			c.tq = 1
		}
	}
	quant := [2][64]int{}
	for k := 0; k < 64; k++ {
		n := int(unzig[k])
		base := 2 + 3*(n%8+n/8) // grows with frequency
		for tq := range quant {
			q := 1
			if o.quality < 100 {
				scale := 5000 / max(1, o.quality)
				if o.quality >= 50 {
					scale = 200 - 2*o.quality
				}
				q = (base*(tq+2)*scale + 50) / 100
			}
			if o.sof1 {
				q = q*40 + 300 // needs 16 bits
			}
			limit := 255
			if o.sof1 {
				limit = maxQuant
			}
			quant[tq][k] = max(1, min(limit, q))
		}
	}
	y := &comps[0]
	recon := make([]byte, y.cw*y.ch)
	scans := o.scans
	if scans == nil {
		all := []int{}
		for i := range comps {
			all = append(all, i)
		}
		scans = [][]int{all}
	}
	ids := o.ids
	if ids == nil {
		ids = []byte{1, 2, 3}
	}

	var out bytes.Buffer
	marker := func(m byte, payload []byte) {
		if o.fill {
			out.Write([]byte{0xFF, 0xFF})
		}
		out.Write([]byte{0xFF, m})
		if payload != nil {
			n := len(payload) + 2
			out.Write([]byte{byte(n >> 8), byte(n)})
			out.Write(payload)
		}
	}
	out.Write([]byte{0xFF, markerSOI})
	if o.fill {
		marker(0xE1, []byte("Exif\x00\x00\xFF\xD9 not a marker"))
		marker(markerCOM, []byte("comment \xFF\xFF"))
	}
	// Quantization tables.
	for tq := 0; tq < min(2, nc); tq++ {
		var p []byte
		if o.sof1 {
			p = append(p, 0x10|byte(tq))
			for _, q := range quant[tq] {
				p = append(p, byte(q>>8), byte(q))
			}
		} else {
			p = append(p, byte(tq))
			for _, q := range quant[tq] {
				p = append(p, byte(q))
			}
		}
		marker(markerDQT, p)
	}
	// Frame header.
	sof := []byte{8, byte(m.h >> 8), byte(m.h), byte(m.w >> 8), byte(m.w), byte(nc)}
	for i := range comps {
		sof = append(sof, ids[i], o.sampling[i], byte(comps[i].tq))
	}
	if o.sof1 {
		marker(markerSOF1, sof)
	} else {
		marker(markerSOF0, sof)
	}
	if o.restart > 0 {
		marker(markerDRI, []byte{byte(o.restart >> 8), byte(o.restart)})
	}

	for _, scan := range scans {
		// MCU grid and block order (A.2).
		var mcusX, mcusY int
		if len(scan) == 1 {
			c := comps[scan[0]]
			mcusX, mcusY = ceilDiv(c.cw, 8), ceilDiv(c.ch, 8)
		} else {
			mcusX, mcusY = ceilDiv(m.w, 8*hmax), ceilDiv(m.h, 8*vmax)
		}
		// Tokens per restart interval, gathered first for the tables.
		type blockTokens struct {
			table int // 0 luminance, 1 chroma tables
			dc    token
			ac    []token
		}
		var intervals [][]blockTokens
		var cur []blockTokens
		pred := make([]int, nc)
		mcus := mcusX * mcusY
		for mcu := 0; mcu < mcus; mcu++ {
			if o.restart > 0 && mcu > 0 && mcu%o.restart == 0 {
				intervals = append(intervals, cur)
				cur = nil
				clear(pred)
			}
			mx, my := mcu%mcusX, mcu/mcusX
			for _, ci := range scan {
				c := &comps[ci]
				bh, bv := c.h, c.v
				if len(scan) == 1 {
					bh, bv = 1, 1
				}
				for by := 0; by < bv; by++ {
					for bx := 0; bx < bh; bx++ {
						coef := fdctBlock(c, (mx*bh+bx)*8, (my*bv+by)*8)
						var q [64]int
						for k := 0; k < 64; k++ {
							q[k] = int(math.Round(coef[unzig[k]] / float64(quant[c.tq][k])))
						}
						if ci == 0 {
							reconstruct(recon, y, (mx*bh+bx)*8, (my*bv+by)*8, &q, &quant[0])
						}
						bt := blockTokens{table: min(ci, 1)}
						bt.dc = valueToken(0, q[0]-pred[ci])
						pred[ci] = q[0]
						run := 0
						for k := 1; k < 64; k++ {
							if q[k] == 0 {
								run++
								continue
							}
							for ; run >= 16; run -= 16 {
								bt.ac = append(bt.ac, token{sym: 0xF0})
							}
							bt.ac = append(bt.ac, valueToken(run, q[k]))
							run = 0
						}
						if run > 0 {
							bt.ac = append(bt.ac, token{sym: 0x00})
						}
						cur = append(cur, bt)
					}
				}
			}
		}
		intervals = append(intervals, cur)

		// Optimal Huffman tables for this scan.
		var freq [2][2][257]int // [dc/ac][table][symbol]
		for _, iv := range intervals {
			for _, bt := range iv {
				freq[0][bt.table][bt.dc.sym]++
				for _, tk := range bt.ac {
					freq[1][bt.table][tk.sym]++
				}
			}
		}
		if o.eobRuns {
			for tbl := range freq[1] {
				for r := 1; r <= 14; r++ {
					freq[1][tbl][r<<4]++
				}
			}
		}
		var codes [2][2][256]token // code of each symbol
		for class := 0; class < 2; class++ {
			for tbl := 0; tbl < 2; tbl++ {
				counts, syms := huffmanTable(freq[class][tbl][:256])
				if len(syms) == 0 {
					continue
				}
				p := append([]byte{byte(class<<4 | tbl)}, counts[:]...)
				marker(markerDHT, append(p, syms...))
				code, k := uint32(0), 0
				for l := 1; l <= 16; l++ {
					for n := 0; n < int(counts[l-1]); n++ {
						codes[class][tbl][syms[k]] = token{bits: code, nbits: uint(l)}
						code++
						k++
					}
					code <<= 1
				}
			}
		}
		sos := []byte{byte(len(scan))}
		for _, ci := range scan {
			tbl := byte(min(ci, 1))
			sos = append(sos, ids[ci], tbl<<4|tbl)
		}
		marker(markerSOS, append(sos, 0, 63, 0))
		for k, iv := range intervals {
			var bw bitWriter
			for _, bt := range iv {
				c := codes[0][bt.table][bt.dc.sym]
				bw.write(c.bits, c.nbits)
				bw.write(bt.dc.bits, bt.dc.nbits)
				for _, tk := range bt.ac {
					c := codes[1][bt.table][tk.sym]
					bw.write(c.bits, c.nbits)
					bw.write(tk.bits, tk.nbits)
				}
			}
			out.Write(bw.flush())
			if k < len(intervals)-1 {
				if o.fill {
					out.WriteByte(0xFF)
				}
				out.Write([]byte{0xFF, byte(markerRST0 + k%8)})
			} else if o.fill {
				out.Write([]byte{0xFF, byte(markerRST0 + (k+3)%8)}) // stray, ignored
			}
		}
	}
	marker(markerEOI, nil)
	want := image.NewGray(image.Rect(0, 0, m.w, m.h))
	for yy := 0; yy < m.h; yy++ {
		for x := 0; x < m.w; x++ {
			want.Pix[yy*m.w+x] = recon[(yy*y.v/vmax)*y.cw+x*y.h/hmax]
		}
	}
	return out.Bytes(), want
}

// reconstruct writes the exact decoding of quantized block q (zig-zag
// order) at (x0, y0) of component c's plane pix, clipped to it.
func reconstruct(pix []byte, c *encComp, x0, y0 int, q *[64]int, quant *[64]int) {
	var in [64]float64
	for k := range q {
		in[unzig[k]] = float64(q[k] * quant[k])
	}
	f := refIDCT(&in)
	for y := 0; y < 8 && y0+y < c.ch; y++ {
		for x := 0; x < 8 && x0+x < c.cw; x++ {
			pix[(y0+y)*c.cw+x0+x] = uint8(max(0, min(255, math.Floor(f[y*8+x]+0.5+1e-9)+128))) // ties up, as fixed-point decoders round
		}
	}
}

// valueToken codes value v after run zeros: the symbol run<<4 | size and
// size extra bits (F.1.2.1).
func valueToken(run, v int) token {
	size, a := uint(0), v
	if a < 0 {
		a = -a
	}
	for a>>size != 0 {
		size++
	}
	bits := v
	if v < 0 {
		bits = v + (1 << size) - 1
	}
	return token{sym: byte(run<<4) | byte(size), bits: uint32(bits), nbits: size}
}

// fdctBlock returns the DCT (A.3.3) of the 8×8 block of c at (x0, y0),
// edge samples repeated past the component's size.
func fdctBlock(c *encComp, x0, y0 int) [64]float64 {
	var f [64]float64
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			sx, sy := min(x0+x, c.cw-1), min(y0+y, c.ch-1)
			f[y*8+x] = float64(c.pix[sy*c.cw+sx]) - 128
		}
	}
	return refFDCT(&f)
}

// refFDCT is the forward DCT of T.81 A.3.3, computed directly.
func refFDCT(f *[64]float64) (out [64]float64) {
	for v := 0; v < 8; v++ {
		for u := 0; u < 8; u++ {
			s := 0.0
			for y := 0; y < 8; y++ {
				for x := 0; x < 8; x++ {
					s += f[y*8+x] * cosTable[x][u] * cosTable[y][v]
				}
			}
			out[v*8+u] = s * alpha(u) * alpha(v) / 4
		}
	}
	return out
}

// refIDCT is the inverse DCT of T.81 A.3.3, computed directly.
func refIDCT(in *[64]float64) (out [64]float64) {
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			s := 0.0
			for v := 0; v < 8; v++ {
				for u := 0; u < 8; u++ {
					s += alpha(u) * alpha(v) * in[v*8+u] * cosTable[x][u] * cosTable[y][v]
				}
			}
			out[y*8+x] = s / 4
		}
	}
	return out
}

// cosTable[x][u] = cos((2x+1)uπ/16).
var cosTable = func() (t [8][8]float64) {
	for x := range t {
		for u := range t[x] {
			t[x][u] = math.Cos(float64((2*x+1)*u) * math.Pi / 16)
		}
	}
	return t
}()

func alpha(u int) float64 {
	if u == 0 {
		return 1 / math.Sqrt2
	}
	return 1
}

// huffmanTable builds a code of at most 16 bits for the symbols with
// non-zero frequency (K.2), keeping the all-ones code unused. It returns
// the count of codes per length and the symbols in code order.
func huffmanTable(freq []int) (counts [16]byte, syms []byte) {
	type node struct {
		weight int
		syms   []int // leaves under the node; 256 is the reserved dummy
	}
	var nodes []node
	depth := map[int]int{}
	for s, f := range freq {
		if f > 0 {
			nodes = append(nodes, node{f, []int{s}})
		}
	}
	if len(nodes) == 0 {
		return counts, nil
	}
	nodes = append(nodes, node{0, []int{256}}) // reserves the all-ones code
	for len(nodes) > 1 {
		sort.SliceStable(nodes, func(i, j int) bool { return nodes[i].weight < nodes[j].weight })
		a, b := nodes[0], nodes[1]
		for _, s := range append(append([]int{}, a.syms...), b.syms...) {
			depth[s]++
		}
		nodes = append(nodes[2:], node{a.weight + b.weight, append(append([]int{}, a.syms...), b.syms...)})
	}
	var bits [300]int
	order := []int{}
	for s, d := range depth {
		bits[d]++
		order = append(order, s)
	}
	sort.Slice(order, func(i, j int) bool {
		if depth[order[i]] != depth[order[j]] {
			return depth[order[i]] < depth[order[j]]
		}
		return order[i] < order[j]
	})
	// Limit lengths to 16 (K.3, figure K.3).
	for i := len(bits) - 1; i > 16; i-- {
		for bits[i] > 0 {
			j := i - 2
			for bits[j] == 0 {
				j--
			}
			bits[i] -= 2
			bits[i-1]++
			bits[j+1] += 2
			bits[j]--
		}
	}
	// Drop the dummy, which sorts last: the longest code.
	for i := 16; i > 0; i-- {
		if bits[i] > 0 {
			bits[i]--
			break
		}
	}
	for i := 1; i <= 16; i++ {
		counts[i-1] = byte(bits[i])
	}
	for _, s := range order {
		if s != 256 {
			syms = append(syms, byte(s))
		}
	}
	return counts, syms
}

// bitWriter packs codes MSB first with 0xFF bytes stuffed (F.1.2.3).
type bitWriter struct {
	out  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) write(bits uint32, n uint) {
	w.acc = w.acc<<n | uint64(bits)&(1<<n-1)
	w.nacc += n
	for w.nacc >= 8 {
		b := byte(w.acc >> (w.nacc - 8))
		w.out = append(w.out, b)
		if b == 0xFF {
			w.out = append(w.out, 0)
		}
		w.nacc -= 8
	}
}

// flush pads the last byte with 1 bits.
func (w *bitWriter) flush() []byte {
	if w.nacc > 0 {
		w.write(1<<(8-w.nacc)-1, 8-w.nacc)
	}
	return w.out
}

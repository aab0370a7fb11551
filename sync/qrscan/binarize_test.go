package qrscan

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cardwall/cardwall/imaging"
)

// directThreshold is the rule binarize implements, evaluated pixel by
// pixel: dark when below the rounded mean of the (2·radius+1)² blocks
// around the pixel's block, lowered by half the 3×3-block range plus one
// where that range is below minContrast.
func directThreshold(p *plane, tp thresholdParams) []byte {
	w, h, B, r := p.w, p.h, tp.block, tp.radius
	stats := func(bx0, bx1, by0, by1 int) (s, c, lo, hi int) {
		lo = 255
		for y := max(by0, 0) * B; y < min((by1+1)*B, h); y++ {
			for x := max(bx0, 0) * B; x < min((bx1+1)*B, w); x++ {
				v := int(p.pix[y*p.stride+x])
				s, c, lo, hi = s+v, c+1, min(lo, v), max(hi, v)
			}
		}
		return
	}
	out := make([]byte, w*h)
	for by := 0; by*B < h; by++ {
		for bx := 0; bx*B < w; bx++ {
			s, c, _, _ := stats(bx-r, bx+r, by-r, by+r)
			_, _, lo, hi := stats(bx-1, bx+1, by-1, by+1)
			thr := (s + c/2) / c
			if hi-lo < tp.minContrast {
				thr -= (hi-lo)/2 + 1
			}
			for y := by * B; y < min(by*B+B, h); y++ {
				for x := bx * B; x < min(bx*B+B, w); x++ {
					if int(p.pix[y*p.stride+x]) < thr {
						out[y*w+x] = 1
					}
				}
			}
		}
	}
	return out
}

// testPlanes returns small planes of awkward sizes (around multiples of 8
// and of the block sizes) with flat, textured and extreme content; the
// tallest spans several chunks of block rows of the 2×2 path.
func testPlanes() []*plane {
	rng := rand.New(rand.NewPCG(3, 4))
	var ps []*plane
	for _, size := range [][2]int{{1, 1}, {2, 3}, {7, 2}, {8, 8}, {9, 17}, {15, 16}, {16, 15}, {23, 9}, {31, 33}, {40, 40}, {65, 37}, {97, 70}, {66, 301}, {203, 12}} {
		for kind := 0; kind < 4; kind++ {
			w, h := size[0], size[1]
			p := &plane{w: w, h: h, stride: w + kind, pix: make([]byte, (w+kind)*h)}
			for i := range p.pix {
				x, y := i%p.stride, i/p.stride
				var v int
				switch kind {
				case 0: // flat left half, textured right half
					spread := 40
					if x < w/2 {
						spread = 8
					}
					v = 100 + rng.IntN(spread)
				case 1: // full range noise
					v = rng.IntN(256)
				case 2: // extremes: black and white patches with speckle
					v = 0
					if (x/5+y/3)%2 == 0 {
						v = 255
					}
					if rng.IntN(7) == 0 {
						v ^= rng.IntN(4)
					}
				case 3: // dark flat area (thresholds below zero) and a ramp
					v = rng.IntN(6)
					if x > w/2 {
						v = 128 + (x*y)%128
					}
				}
				p.pix[i] = byte(v)
			}
			ps = append(ps, p)
		}
	}
	return ps
}

// TestBinarizeWordPaths compares binarize with directThreshold for every
// block size in use, the word paths' neighbours (16, 24, 32) and sizes
// taking the plain loops (3, 5, 6, 40), on planes with padding (stride >
// width), extremes and all-dark flat areas; radius 3 is the largest the
// 2×2 path takes (its windows' pixel count too large for the pair
// division, so its thresholds are divided one by one).
func TestBinarizeWordPaths(t *testing.T) {
	var params []thresholdParams
	for _, B := range []int{2, 3, 4, 5, 6, 8, 16, 24, 32, 40} {
		for _, r := range []int{0, 1, 2, 3} {
			params = append(params, thresholdParams{block: B, radius: r, minContrast: 16}, thresholdParams{block: B, radius: r, minContrast: 300})
		}
	}
	for _, p := range testPlanes() {
		for _, tp := range params {
			got := binarize(p, tp)
			want := directThreshold(p, tp)
			gotPix := got.unpack()
			for i := range want {
				if gotPix[i] != want[i] {
					t.Fatalf("%d×%d stride %d %+v: pixel (%d,%d) = %d, want %d", p.w, p.h, p.stride, tp, i%p.w, i/p.w, gotPix[i], want[i])
				}
			}
			// The packed rows hold the same pixels, padding light.
			for y := 0; y < p.h; y++ {
				row := got.bits[y*got.bstride : (y+1)*got.bstride]
				for x := 0; x < 8*got.bstride; x++ {
					bit := row[x>>3] >> (x & 7) & 1
					if x < p.w && bit != want[y*p.w+x] || x >= p.w && bit != 0 {
						t.Fatalf("%d×%d %+v: packed bit (%d,%d) = %d", p.w, p.h, tp, x, y, bit)
					}
				}
			}
		}
	}
}

// TestDivider checks the multiplicative division against / for every
// numerator below 256·c (sampled for large c), for the window pixel counts
// in use and some awkward ones, and that the divisors it cannot take are
// refused.
func TestDivider(t *testing.T) {
	for _, c := range []uint64{0, 1 << 23, 1 << 40} {
		if _, ok := newDivider(c); ok {
			t.Errorf("newDivider(%d) ok, want refused", c)
		}
	}
	for _, c := range []uint64{1, 3, 7, 25, 36, 100, 400, 1600, 6400, 9 * 64, 25 * 576, 12345, 1<<23 - 1} {
		d, ok := newDivider(c)
		if !ok {
			t.Fatalf("newDivider(%d) refused", c)
		}
		for n := uint64(0); n < 256*c; n++ {
			if d.div(n) != n/c {
				t.Fatalf("c=%d: %d / %d = %d, want %d", c, n, c, d.div(n), n/c)
			}
			if n > 1<<16 {
				n += uint64(rand.IntN(97)) // sample large ranges
			}
		}
	}
}

func TestByteOps(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20000; i++ {
		a, b := rng.Uint64(), rng.Uint64()
		if i%3 == 0 {
			b = a ^ rng.Uint64()&0x0101010180808080
		}
		lo, hi := minMaxBytes(a, b)
		for k := 0; k < 64; k += 8 {
			x, y := byte(a>>k), byte(b>>k)
			if byte(minBytes(a, b)>>k) != min(x, y) || byte(lo>>k) != min(x, y) ||
				byte(maxBytes(a, b)>>k) != max(x, y) || byte(hi>>k) != max(x, y) {
				t.Fatalf("bytes %d, %d of %#x, %#x", x, y, a, b)
			}
		}
	}
}

// binarizePhoto is the board photo the per-block-size benchmarks use.
const binarizePhoto = "../../testdata/boards/large-60.jpg"

// BenchmarkBinarizeBlocks times binarize on a 8 MP board photo for each
// block size the scanner uses.
func BenchmarkBinarizeBlocks(b *testing.B) {
	ph, err := imaging.DecodeFile(binarizePhoto, nil)
	if err != nil {
		b.Skipf("photo missing: %v", err)
	}
	p := basePlane(ph.Gray)
	for _, tp := range []thresholdParams{defaultThreshold, {block: 4, radius: 2, minContrast: 16, aboveNoise: true}, smallModuleThreshold, {block: 16, radius: 2, minContrast: 20, aboveNoise: true}} {
		b.Run(fmt.Sprintf("block%d", tp.block), func(b *testing.B) {
			for b.Loop() {
				binarize(p, tp)
			}
		})
	}
}

// noisyPlane is a w×h plane of grey 160 with uniform noise of ±amp and,
// when square is set, a dark 24-pixel square (grey 40) with a light
// 8-pixel hole at (40, 40): a finder-sized target on a grainy wall.
func noisyPlane(w, h, amp int, square bool, seed uint64) *plane {
	rng := rand.New(rand.NewPCG(seed, 1))
	p := &plane{w: w, h: h, stride: w, pix: make([]byte, w*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 160
			if square && x >= 40 && x < 64 && y >= 40 && y < 64 && !(x >= 48 && x < 56 && y >= 48 && y < 56) {
				v = 40
			}
			if amp > 0 {
				v += rng.IntN(2*amp+1) - amp
			}
			p.pix[y*w+x] = byte(v)
		}
	}
	return p
}

// TestNoiseContrast checks the noise estimate: a clean plane keeps the
// setting, a grainy one raises it (at most noiseMaxRaise times), and the
// raised threshold clears the grain of the plain area while the dark
// square stays dark.
func TestNoiseContrast(t *testing.T) {
	for _, tc := range []struct {
		name     string
		amp      int
		min, max int // expected range of the raised minContrast
	}{
		{"clean", 0, 20, 20},
		{"faint grain", 2, 20, 20},
		{"grain", 12, 36, 40},
		{"heavy grain", 40, 40, 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := noisyPlane(400, 300, tc.amp, true, 5)
			plain := binarize(p, thresholdParams{block: 8, radius: 2, minContrast: 20})
			raised := binarize(p, thresholdParams{block: 8, radius: 2, minContrast: 20, aboveNoise: true})
			got := raised.minContrast
			if plain.minContrast != 20 {
				t.Fatalf("without aboveNoise minContrast %d, want 20", plain.minContrast)
			}
			fixed := binarize(p, thresholdParams{block: 8, radius: 2, minContrast: got})
			if !bytes.Equal(fixed.bits, raised.bits) {
				t.Fatalf("bitmap differs from the fixed setting %d", got)
			}
			if got < tc.min || got > tc.max {
				t.Fatalf("raised minContrast %d, want %d..%d", got, tc.min, tc.max)
			}
			// Dark pixels away from the square (the plain wall).
			wall := func(b *bitmap) int {
				n := 0
				for y := 0; y < p.h; y++ {
					for x := 0; x < p.w; x++ {
						if (x >= 100 || y >= 100) && b.dark(x, y) {
							n++
						}
					}
				}
				return n
			}
			if tc.amp == 12 {
				if n := wall(plain); n < p.w*p.h/10 {
					t.Errorf("fixed threshold: %d dark wall pixels, expected grain", n)
				}
				if n := wall(raised); n > p.w*p.h/1000 {
					t.Errorf("raised threshold: %d dark wall pixels, want almost none", n)
				}
			}
			// The square's ring stays dark, its hole light.
			for _, pt := range [][2]int{{44, 44}, {60, 52}, {52, 42}} {
				if !raised.dark(pt[0], pt[1]) {
					t.Errorf("ring pixel %v light", pt)
				}
			}
			if raised.dark(52, 52) {
				t.Errorf("hole pixel dark")
			}
		})
	}
}

// unpack returns b's pixels as 0/1 bytes, row by row.
func (b *bitmap) unpack() []byte {
	pix := make([]byte, b.w*b.h)
	for y := 0; y < b.h; y++ {
		for x := 0; x < b.w; x++ {
			if b.dark(x, y) {
				pix[y*b.w+x] = 1
			}
		}
	}
	return pix
}

// TestPairDivider checks the two-at-a-time division against / for every
// numerator below 256·c in the low half (with a random one in the high
// half, and the other way round), for every window pixel count of the
// 2×2 path, and that counts whose products could reach 2³² are refused.
func TestPairDivider(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for c := uint64(1); c < 1<<12; c++ {
		d, ok := newPairDivider(c)
		if !ok {
			if c <= 100 {
				t.Fatalf("newPairDivider(%d) refused", c)
			}
			continue
		}
		if 256*c*d.m >= 1<<32 {
			t.Fatalf("c=%d: accepted with m=%d", c, d.m)
		}
		for n := uint64(0); n < 256*c; n++ {
			o := rng.Uint64N(256 * c)
			if got := d.div2(n | o<<32); got != n/c|o/c<<32 {
				t.Fatalf("c=%d: div2(%d, %d) = %d, %d, want %d, %d", c, n, o, got&0xffffffff, got>>32, n/c, o/c)
			}
			if got := d.div2(o | n<<32); got != o/c|n/c<<32 {
				t.Fatalf("c=%d: div2(%d, %d) = %d, %d, want %d, %d", c, o, n, got&0xffffffff, got>>32, o/c, n/c)
			}
		}
	}
	if _, ok := newPairDivider(0); ok {
		t.Errorf("newPairDivider(0) ok, want refused")
	}
}

// lanes16 packs four values into 16-bit lanes.
func lanes16(v [4]uint64) uint64 { return v[0] | v[1]<<16 | v[2]<<32 | v[3]<<48 }

// TestFlatLanes compares pairMeans and flatLanes with the scalar rounded
// mean and flatThreshold for random window sums, ranges and contrasts,
// including minContrast beyond the ranges and the clamped (negative)
// thresholds.
func TestFlatLanes(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, cnt := range []uint64{6, 8, 10, 12, 18, 20, 24, 30, 36, 40, 60, 72, 80, 100} {
		div, ok := newPairDivider(cnt)
		if !ok {
			t.Fatalf("newPairDivider(%d) refused", cnt)
		}
		half := cnt / 2 * (1 | 1<<32)
		for i := 0; i < 20000; i++ {
			mc := rng.IntN(300)
			if i%5 == 0 {
				mc = 0
			}
			var win, rg, want [4]uint64
			for k := range win {
				win[k] = rng.Uint64N(255*cnt + 1)
				if i%3 == 0 {
					win[k] = rng.Uint64N(3*cnt + 1) // dark: t clamped at 0
				}
				rg[k] = rng.Uint64N(256)
				mean := (win[k] + cnt/2) / cnt
				want[k] = uint64(256 - flatThreshold(int32(mean), int32(rg[k]), int32(mc)))
			}
			mcl := uint64(clampInt(mc, 0, 256)) * lane16Bit0
			if got := flatLanes(pairMeans(lanes16(win), half, div), lanes16(rg), mcl); got != lanes16(want) {
				t.Fatalf("cnt %d mc %d win %v rng %v: %#x, want %#x", cnt, mc, win, rg, got, lanes16(want))
			}
		}
	}
}

// TestPairStats checks pairRowStats, spreadLanes (over whole rows and
// ranges of them) and pairRanges against the pixel-by-pixel statistics
// of 2×2 blocks on the test planes.
func TestPairStats(t *testing.T) {
	for _, p := range testPlanes() {
		bw, bh := (p.w+1)/2, (p.h+1)/2
		ls := laneStride(bw)
		sums, ext := make([]byte, ls*bh), make([]byte, ls*bh)
		for i := range sums {
			sums[i], ext[i] = 0xaa, 0x55 // garbage, as in a reused buffer
		}
		// lo and hi of block (bx, by) spread over the blocks dx, dy away.
		stats := func(bx, by, dx, dy int) (sum, lo, hi int) {
			lo = 255
			for y := max(by-dy, 0) * 2; y < min((by+dy+1)*2, p.h); y++ {
				for x := max(bx-dx, 0) * 2; x < min((bx+dx+1)*2, p.w); x++ {
					v := int(p.pix[y*p.stride+x])
					sum, lo, hi = sum+v, min(lo, v), max(hi, v)
				}
			}
			return
		}
		for by := 0; by < bh; by++ {
			row := func(b []byte) []byte { return b[by*ls : by*ls+ls] }
			pairRowStats(p, by, row(sums), row(ext), nil)
			for bx := 0; bx < bw; bx++ {
				s, lo, hi := stats(bx, by, 0, 0)
				if got := int(binary.LittleEndian.Uint16(row(sums)[2*bx:])); got != s {
					t.Fatalf("%d×%d block (%d,%d): sum %d, want %d", p.w, p.h, bx, by, got, s)
				}
				if e := row(ext); int(e[2*bx]) != lo || 255-int(e[2*bx+1]) != hi {
					t.Fatalf("%d×%d block (%d,%d): extremes %d, %d, want %d, %d", p.w, p.h, bx, by, e[2*bx], 255-int(e[2*bx+1]), lo, hi)
				}
			}
			for _, v := range row(sums)[2*bw:] {
				if v != 0 {
					t.Fatalf("%d×%d row %d: sums padding %v", p.w, p.h, by, row(sums)[2*bw:])
				}
			}
			// Spread over a range, the rest kept; then the whole row.
			orig := slices.Clone(row(ext))
			a, b := (by*7)%(bw+1), (by*7)%(bw+1)+(by*13)%(bw+1)
			b = min(b, bw)
			spreadLanes(row(ext), a, b, bw)
			part := slices.Clone(row(ext))
			copy(row(ext), orig)
			spreadLanes(row(ext), 0, bw, bw)
			for bx := 0; bx < bw; bx++ {
				want := orig[2*bx : 2*bx+2]
				if bx >= a && bx < b {
					want = row(ext)[2*bx : 2*bx+2]
				}
				if !bytes.Equal(part[2*bx:2*bx+2], want) {
					t.Fatalf("%d×%d row %d: lanes %d..%d spread, lane %d is %v, want %v", p.w, p.h, by, a, b, bx, part[2*bx:2*bx+2], want)
				}
			}
			for bx := 0; bx < bw; bx++ {
				_, lo, hi := stats(bx, by, 1, 0)
				if e := row(ext); int(e[2*bx]) != lo || 255-int(e[2*bx+1]) != hi {
					t.Fatalf("%d×%d block (%d,%d): spread extremes %d, %d, want %d, %d", p.w, p.h, bx, by, e[2*bx], 255-int(e[2*bx+1]), lo, hi)
				}
			}
		}
		rng := make([]byte, bw)
		for by := 1; by+1 < bh; by++ {
			pairRanges(rng, ext[(by-1)*ls:], ext[by*ls:], ext[(by+1)*ls:])
			for bx := 0; bx < bw; bx++ {
				if _, lo, hi := stats(bx, by, 1, 1); int(rng[bx]) != hi-lo {
					t.Fatalf("%d×%d block (%d,%d): range %d, want %d", p.w, p.h, bx, by, rng[bx], hi-lo)
				}
			}
		}
	}
}

// TestClearQuad checks that clearQuad makes light exactly the pixels whose
// centres insideQuad places in the quadrilateral, for random convex quads
// (rotated, under perspective, partly outside the bitmap, corners in
// either order) on bitmaps whose width is not a whole number of bytes.
func TestClearQuad(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for n := 0; n < 300; n++ {
		w, h := 1+rng.IntN(90), 1+rng.IntN(60)
		bm := newBitmap(w, h)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				bm.set(x, y)
			}
		}
		cx, cy := rng.Float64()*float64(w), rng.Float64()*float64(h)
		r, a := 2+rng.Float64()*40, rng.Float64()*2*math.Pi
		var q [4]Point
		for k := range q {
			s := r * (0.6 + 0.4*rng.Float64()) // keystone: corners at different radii
			ang := a + float64(k)*math.Pi/2
			if n%2 == 1 {
				ang = a - float64(k)*math.Pi/2 // the other order
			}
			q[k] = Point{cx + s*math.Cos(ang), cy + s*math.Sin(ang)}
		}
		bm.clearQuad(q)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if want := !insideQuad(q, float64(x)+0.5, float64(y)+0.5); bm.dark(x, y) != want {
					t.Fatalf("%d×%d quad %v: pixel (%d, %d) dark %v, want %v", w, h, q, x, y, bm.dark(x, y), want)
				}
			}
		}
		// Padding bytes stay light.
		for y := 0; y < h; y++ {
			for _, b := range bm.bits[y*bm.bstride+(w+7)/8 : (y+1)*bm.bstride] {
				if b != 0 {
					t.Fatalf("%d×%d: row %d padding written", w, h, y)
				}
			}
		}
	}
}

package qrscan

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// sparseBitmap is a w×h bitmap with about n dark pixels at random places,
// some of them in small clusters.
func sparseBitmap(w, h, n int, rng *rand.Rand) *bitmap {
	bm := newBitmap(w, h)
	for i := 0; i < n; i++ {
		x, y := rng.IntN(w), rng.IntN(h)
		for k := 0; k < 1+rng.IntN(4); k++ {
			bm.set(min(x+k, w-1), min(y+k/2, h-1))
		}
	}
	return bm
}

// TestNearDark compares nearDark with its definition, pixel by pixel: a
// span of a block row is marked exactly when a dark pixel lies within
// nearDarkMargin of it, on bitmaps narrower than a span, of one and of
// several words of spans, with odd heights, empty and full.
func TestNearDark(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, size := range [][2]int{{1, 1}, {7, 2}, {31, 3}, {32, 2}, {33, 5}, {64, 17}, {65, 9}, {200, 40}, {333, 21}, {4100, 5}, {2049, 31}} {
		w, h := size[0], size[1]
		for _, n := range []int{0, 1, 3, w * h / 200, w * h} {
			bm := sparseBitmap(w, h, n, rng)
			m := nearDark(bm)
			name := fmt.Sprintf("%d×%d with %d dark", w, h, n)
			if m.spans != (w+spanWidth-1)/spanWidth || m.rows != (h+1)/2 {
				t.Fatalf("%s: %d spans × %d rows", name, m.spans, m.rows)
			}
			for by := 0; by < m.rows; by++ {
				for s := 0; s < m.spans; s++ {
					want := false
					for y := max(2*by-nearDarkMargin, 0); y <= min(2*by+1+nearDarkMargin, h-1) && !want; y++ {
						for x := max(s*spanWidth-nearDarkMargin, 0); x < min((s+1)*spanWidth+nearDarkMargin, w); x++ {
							if bm.dark(x, y) {
								want = true
								break
							}
						}
					}
					if got := m.bits[by*m.words+s/64]>>(s%64)&1 == 1; got != want {
						t.Fatalf("%s: block row %d span %d marked %v, want %v", name, by, s, got, want)
					}
				}
				// The runs cover the marked spans, each run maximal.
				next := 0
				for s0, s1 := m.run(by, 0); s0 < m.spans; s0, s1 = m.run(by, s1) {
					if s0 >= s1 || s1 > m.spans || s0 < next {
						t.Fatalf("%s: block row %d: run %d..%d after %d", name, by, s0, s1, next)
					}
					for s := next; s < s1; s++ {
						if marked := m.bits[by*m.words+s/64]>>(s%64)&1 == 1; marked != (s >= s0) {
							t.Fatalf("%s: block row %d: span %d marked %v, run %d..%d", name, by, s, marked, s0, s1)
						}
					}
					next = s1 + 1
					if s1 < m.spans && m.bits[by*m.words+s1/64]>>(s1%64)&1 == 1 {
						t.Fatalf("%s: block row %d: run %d..%d stops at a marked span", name, by, s0, s1)
					}
				}
			}
		}
	}
}

// TestBinarizeNearDark checks that a 2×2 pass guided by a bitmap
// thresholds the spans near its dark pixels exactly as the full pass and
// leaves every other pixel light, with and without shared statistics, for
// the radii the 2×2 path takes (radius 3 divides one by one), on planes
// of awkward sizes with padding.
func TestBinarizeNearDark(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	planes := testPlanes()
	for _, size := range [][2]int{{100, 30}, {257, 41}, {320, 64}, {1111, 13}, {70, 900}} {
		planes = append(planes, noisyPlane(size[0], size[1], 30, true, uint64(size[0])))
	}
	// Grain that raises minContrast without reaching the cap, over more
	// block rows than noiseContrast samples.
	planes = append(planes, noisyPlane(90, 1000, 5, true, 3))
	for _, p := range planes {
		for _, r := range []int{1, 2, 3} {
			tp := thresholdParams{block: 2, radius: r, minContrast: 16, aboveNoise: r == 2}
			want := binarize(p, tp)
			for _, shared := range []bool{false, true} {
				guide := sparseBitmap(p.w, p.h, max(1, p.w*p.h/400), rng)
				var ps *pairStats
				if shared {
					ps = newPairStats(p, new(blockStats), nil)
				}
				got := binarizeWith(p, tp, ps, guide)
				m := nearDark(guide)
				for y := 0; y < p.h; y++ {
					for x := 0; x < 8*got.bstride; x++ {
						s := x / spanWidth
						marked := x < p.w && m.bits[(y/2)*m.words+s/64]>>(s%64)&1 == 1
						if g := got.dark(x, y); g != (marked && want.dark(x, y)) {
							t.Fatalf("%d×%d stride %d radius %d shared %v: pixel (%d, %d) dark %v, span marked %v, full pass %v",
								p.w, p.h, p.stride, r, shared, x, y, g, marked, want.dark(x, y))
						}
					}
				}
				if got.minContrast != want.minContrast {
					t.Errorf("%d×%d radius %d: minContrast %d, full pass %d", p.w, p.h, r, got.minContrast, want.minContrast)
				}
			}
		}
	}
}

// BenchmarkNearDark measures the span mask of a 12 MP bitmap with a
// dark pixel in about one 32×32 area in three.
func BenchmarkNearDark(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 10))
	bm := sparseBitmap(4000, 3000, 4000, rng)
	b.SetBytes(4000 * 3000)
	for b.Loop() {
		nearDark(bm)
	}
}

package qrscan

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSortLayouts checks the key sort of layouts against the order it
// stands for: by size, ties in their original order, on random sizes
// with many ties, up to the most layouts one finder can have.
func TestSortLayouts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 17, maxNeighbours * (maxNeighbours - 1) / 2} {
		ls := make([]layout, n)
		for i := range ls {
			// Sizes from a small set make ties; tr records the input
			// position.
			ls[i] = layout{tr: int32(i), size: 40 + float64(rng.IntN(12))*7.25}
		}
		got := sortLayouts(ls)
		if len(got) != n {
			t.Fatalf("n %d: %d layouts out", n, len(got))
		}
		seen := make([]bool, n)
		for i, l := range got {
			if seen[l.tr] {
				t.Fatalf("n %d: layout %d twice", n, l.tr)
			}
			seen[l.tr] = true
			if i == 0 {
				continue
			}
			p := got[i-1]
			if p.size > l.size || p.size == l.size && p.tr > l.tr {
				t.Fatalf("n %d: position %d: size %g (input %d) after %g (input %d)", n, i, l.size, l.tr, p.size, p.tr)
			}
		}
	}
}

// TestTimingPoints checks the batched timing-line positions against the
// module centres and sizes of centre (3 module sizes across the line from
// the finders' centres), for lines of uneven pitch.
func TestTimingPoints(t *testing.T) {
	A, B, C := &finder{x: 100, y: 80}, &finder{x: 400, y: 120}, &finder{x: 60, y: 380}
	for _, along := range [][2]float64{{4, 4}, {5, 3.5}, {3, 4.5}} {
		tl := newTimingLine(A, B, C, 45, along, 4.2)
		idx := []int{8, 9, 10, 20, 30, 37}
		xs, ys := make([]float64, len(idx)), make([]float64, len(idx))
		tl.points(0, idx, xs, ys)
		cx, cy := make([]float64, 5), make([]float64, 5)
		tl.points(7, nil, cx, cy)
		check := func(i int, x, y float64) {
			mx, my, ms := tl.centre(i)
			o := 3 * ms * tl.aspect
			if math.Abs(x-(mx+tl.vx*o)) > 1e-9 || math.Abs(y-(my+tl.vy*o)) > 1e-9 {
				t.Errorf("along %v, module %d: point (%v, %v), want (%v, %v)", along, i, x, y, mx+tl.vx*o, my+tl.vy*o)
			}
		}
		for k, i := range idx {
			check(i, xs[k], ys[k])
		}
		for k := range cx {
			check(7+k, cx[k], cy[k])
		}
	}
}

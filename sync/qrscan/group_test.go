package qrscan

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// refGeometricTriples is layoutIter as it was before the merge: every
// layout of finder a made, then all sorted by their layoutKey.
func refGeometricTriples(fs []finder, a int) []layout {
	it := newLayoutIter(fs, a)
	var ls []layout
	var keys []uint64
	for i := 0; i < it.n; i++ {
		for j := i + 1; j < it.n; j++ {
			if l, ok := it.layout(i, j); ok {
				keys = append(keys, math.Float64bits(l.size)&^(1<<indexBits-1)|uint64(len(ls)))
				ls = append(ls, l)
			}
		}
	}
	slices.Sort(keys)
	out := make([]layout, len(ls))
	for i, k := range keys {
		out[i] = ls[k&(1<<indexBits-1)]
	}
	return out
}

// TestLayoutIter checks the merged layouts against all of them sorted, on
// random finders: grids of codes (many equal distances, so ties) and
// scattered finders of mixed sizes, up to more partners than a finder
// keeps.
func TestLayoutIter(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	total := 0
	for trial := 0; trial < 60; trial++ {
		var fs []finder
		n := 1 + rng.IntN(60)
		for k := 0; k < n; k++ {
			ms := 2 + 3*rng.Float64()
			x, y := 1000*rng.Float64(), 1000*rng.Float64()
			if trial%2 == 0 { // on a grid, one module size
				ms = 3
				x, y = float64(k%8)*90, float64(k/8)*90
			}
			fs = append(fs, finder{x: x, y: y, ms: ms, msMax: ms * 1.2})
		}
		for a := range fs {
			want := refGeometricTriples(fs, a)
			it := newLayoutIter(fs, a)
			for i, w := range want {
				got, ok := it.next()
				if !ok || got != w {
					t.Fatalf("trial %d, finder %d: layout %d is %+v (%v), want %+v", trial, a, i, got, ok, w)
				}
			}
			if got, ok := it.next(); ok {
				t.Fatalf("trial %d, finder %d: layout %+v after the %d expected", trial, a, got, len(want))
			}
			total += len(want)
		}
	}
	if total < 10000 {
		t.Errorf("%d layouts compared, want 10000 at least", total)
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

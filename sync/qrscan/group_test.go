package qrscan

import (
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

package qrscan

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
)

// TestSharedPairStats checks the statistics gathered from 2×2 blocks against
// those read from the pixels, block row by block row, on the test planes
// (awkward sizes, partial last blocks, strides wider than the rows), and
// that passes sharing them binarize exactly as passes that do not,
// in the order a scan runs them; the 2×2 pass spends them.
func TestSharedPairStats(t *testing.T) {
	for _, p := range testPlanes() {
		w, h := p.w, p.h
		name := fmt.Sprintf("%d×%d stride %d", w, h, p.stride)
		ps := newPairStats(p, new(blockStats), nil)
		for _, B := range []int{4, 8} {
			if !ps.serves(p, B) {
				t.Fatalf("%s: fresh statistics do not serve block %d", name, B)
			}
			bw, bh := (w+B-1)/B, (h+B-1)/B
			for by := 0; by < bh; by++ {
				wantRow, gotRow := make([]uint32, bw+1), make([]uint32, bw+1)
				wantMin, gotMin := make([]byte, bw), make([]byte, bw)
				wantMax, gotMax := make([]byte, bw), make([]byte, bw)
				blockRowStats(p, B, by, wantRow, wantMin, wantMax)
				ps.blockRow(B, by, gotRow, gotMin, gotMax)
				if !slices.Equal(gotRow, wantRow) || !bytes.Equal(gotMin, wantMin) || !bytes.Equal(gotMax, wantMax) {
					t.Fatalf("%s, block %d, row %d: gathered sums %v min %v max %v, read %v %v %v", name, B, by, gotRow, gotMin, gotMax, wantRow, wantMin, wantMax)
				}
			}
		}
		same := func(what string, got, want *bitmap) {
			t.Helper()
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					if got.dark(x, y) != want.dark(x, y) {
						t.Fatalf("%s, %s: pixel (%d, %d) differs", name, what, x, y)
					}
				}
			}
		}
		for _, tp := range []thresholdParams{defaultThreshold, narrowThreshold, smallModuleThreshold, defaultThreshold} {
			what := fmt.Sprintf("block %d after %v", tp.block, ps.spent)
			same(what, binarizeWith(p, tp, ps, nil), binarize(p, tp))
		}
		if !ps.spent || ps.serves(p, 8) {
			t.Errorf("%s: the 2×2 pass did not spend the statistics", name)
		}
		if other := basePlane(scene(20, 20, nil)); ps.serves(other, 8) {
			t.Errorf("%s: statistics serve another plane", name)
		}
	}
}

// TestPairStatsHalf checks the half-size plane filled while the 2×2
// statistics are gathered against downscale2, pixel by pixel, on the test
// planes (odd sides, rows not a whole number of words, wide strides).
func TestPairStatsHalf(t *testing.T) {
	for _, p := range testPlanes() {
		want := downscale2(p)
		half := &plane{w: p.w / 2, h: p.h / 2, stride: p.w/2 + 3}
		half.pix = bytes.Repeat([]byte{0xa5}, half.h*half.stride)
		newPairStats(p, new(blockStats), half)
		for y := 0; y < want.h; y++ {
			got, exp := half.pix[y*half.stride:y*half.stride+half.w], want.pix[y*want.stride:y*want.stride+want.w]
			if i := slices.Compare(got, exp); i != 0 {
				t.Fatalf("%d×%d stride %d: half-size row %d is %v, want %v", p.w, p.h, p.stride, y, got, exp)
			}
			if pad := half.pix[y*half.stride+half.w : (y+1)*half.stride]; !bytes.Equal(pad, []byte{0xa5, 0xa5, 0xa5}) {
				t.Fatalf("%d×%d stride %d: row %d written past the plane's width: %v", p.w, p.h, p.stride, y, pad)
			}
		}
	}
}

// BenchmarkBlockStats compares the 8×8-block statistics of the board
// image read from its pixels with those gathered from its 2×2 blocks.
func BenchmarkBlockStats(b *testing.B) {
	p := basePlane(boardImage(b))
	const B = 8
	bw, bh := (p.w+B-1)/B, (p.h+B-1)/B
	row, mn, mx := make([]uint32, bw+1), make([]byte, bw), make([]byte, bw)
	b.Run("pixels", func(b *testing.B) {
		for b.Loop() {
			for by := 0; by < bh; by++ {
				blockRowStats(p, B, by, row, mn, mx)
			}
		}
	})
	ps := newPairStats(p, new(blockStats), nil)
	b.Run("pairs", func(b *testing.B) {
		for b.Loop() {
			for by := 0; by < bh; by++ {
				ps.blockRow(B, by, row, mn, mx)
			}
		}
	})
}

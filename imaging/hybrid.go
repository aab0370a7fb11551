package imaging

import "image"

// HybridOptions configure HybridThreshold. The zero value uses the defaults.
type HybridOptions struct {
	// BlockSize is the side of the square blocks in pixels; 0 means 8.
	BlockSize int
	// MinRange is the smallest max−min spread within a block for the block
	// to count as holding both dark and light; flatter blocks take their
	// black point from their neighbours. 0 means 24.
	MinRange int
}

// HybridThreshold binarizes g block by block, in the manner of ZXing's
// HybridBinarizer, and returns an image with g's bounds holding only Black
// and White. It is cheaper than Threshold and copes well with gradients,
// but its effective window is fixed at 5×5 blocks.
//
// The steps:
//  1. For each BlockSize×BlockSize block, find min, max and mean.
//  2. A block's black point is its mean; for a flat block (max−min ≤
//     MinRange) it is min/2 (all white), unless its already-computed upper
//     and left neighbours suggest a higher black point that min exceeds not.
//  3. Each pixel is black if it is ≤ the average black point of the 5×5
//     blocks around its own block (clipped at the border).
func HybridThreshold(g *image.Gray, opt HybridOptions) *image.Gray {
	bs := opt.BlockSize
	if bs <= 0 {
		bs = 8
	}
	minRange := opt.MinRange
	if minRange <= 0 {
		minRange = 24
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	bw, bh := (w+bs-1)/bs, (h+bs-1)/bs
	black := blockBlackPoints(g, bs, bw, bh, minRange)
	dst := image.NewGray(g.Rect)
	parallelRows(bh, func(by0, by1 int) {
		for by := by0; by < by1; by++ {
			for bx := 0; bx < bw; bx++ {
				t := neighbourhoodMean(black, bw, bh, bx, by)
				x0, x1 := bx*bs, min(w, bx*bs+bs)
				for y := by * bs; y < min(h, by*bs+bs); y++ {
					src := row(g, y)[x0:x1]
					d := dst.Pix[y*dst.Stride+x0 : y*dst.Stride+x1]
					for i, v := range src {
						if int(v) <= t {
							d[i] = Black
						} else {
							d[i] = White
						}
					}
				}
			}
		}
	})
	return dst
}

// blockBlackPoints does steps 1 and 2 of HybridThreshold: a bw×bh grid of
// black points, row-major.
func blockBlackPoints(g *image.Gray, bs, bw, bh, minRange int) []int {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	black := make([]int, bw*bh)
	lo := make([]uint8, bw*bh)
	flat := make([]bool, bw*bh)
	parallelRows(bh, func(by0, by1 int) {
		for by := by0; by < by1; by++ {
			for bx := 0; bx < bw; bx++ {
				x0, x1 := bx*bs, min(w, bx*bs+bs)
				y0, y1 := by*bs, min(h, by*bs+bs)
				mn, mx, sum := uint8(255), uint8(0), 0
				for y := y0; y < y1; y++ {
					for _, v := range row(g, y)[x0:x1] {
						mn, mx = min(mn, v), max(mx, v)
						sum += int(v)
					}
				}
				i := by*bw + bx
				black[i] = sum / ((x1 - x0) * (y1 - y0))
				lo[i] = mn
				flat[i] = int(mx)-int(mn) <= minRange
			}
		}
	})
	// Flat blocks depend on their upper and left neighbours: one sequential
	// pass over the (small) grid.
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			i := by*bw + bx
			if !flat[i] {
				continue
			}
			black[i] = int(lo[i]) / 2
			if bx > 0 && by > 0 {
				nb := (black[i-bw] + 2*black[i-1] + black[i-bw-1]) / 4
				if int(lo[i]) < nb {
					black[i] = nb
				}
			}
		}
	}
	return black
}

// neighbourhoodMean averages the black points of the 5×5 blocks centred on
// (bx, by), clipped to the grid.
func neighbourhoodMean(black []int, bw, bh, bx, by int) int {
	sum, n := 0, 0
	for y := max(0, by-2); y <= min(bh-1, by+2); y++ {
		for x := max(0, bx-2); x <= min(bw-1, bx+2); x++ {
			sum += black[y*bw+x]
			n++
		}
	}
	return sum / n
}

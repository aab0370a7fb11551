package imaging

import "image"

// HybridOptions configure HybridThreshold. The zero value uses the defaults.
type HybridOptions struct {
	// BlockSize is the side of the square blocks in pixels; 0 means 8;
	// at most 1024.
	BlockSize int
	// MinRange is the largest max−min spread at which a block counts as
	// flat (all one shade); 0 means 24.
	MinRange int
}

// HybridThreshold binarizes g block by block, in the manner of ZXing's
// HybridBinarizer, and returns an image with g's bounds holding only Black
// and White. Its effective window is fixed at 5×5 blocks (40 px by default).
//
// The steps:
//  1. For each BlockSize×BlockSize block, find min, max and mean.
//  2. A block's black point is its mean. A flat block (max−min ≤ MinRange)
//     gets min/2, which makes it white, unless its min is below the
//     average black point of its upper, left and upper-left neighbours
//     (weighted 1:2:1): then it takes that average, so a flat dark area
//     inside a code stays dark.
//  3. Each pixel is black if it is ≤ the mean black point of the 5×5
//     blocks centred on its own block (clipped at the border).
func HybridThreshold(g *image.Gray, opt HybridOptions) *image.Gray {
	bs := min(opt.BlockSize, 1024) // keeps block sums inside int32
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
	thresh := blockThresholds(black, bw, bh)
	return grayByRows(g.Rect, func(y int, dst []uint8) {
		binarizeRow(dst, row(g, y), thresh[y/bs*bw:][:bw], bs)
	})
}

// blockBlackPoints does steps 1 and 2 of HybridThreshold: a bw×bh grid of
// black points, row-major.
func blockBlackPoints(g *image.Gray, bs, bw, bh, minRange int) []int32 {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	black := make([]int32, bw*bh)
	lo := make([]uint8, bw*bh)
	flat := make([]bool, bw*bh)
	parallelRows(bh, func(by0, by1 int) {
		mn, mx := make([]uint8, bw), make([]uint8, bw)
		sum := make([]int32, bw)
		for by := by0; by < by1; by++ {
			for i := range mn {
				mn[i], mx[i], sum[i] = 255, 0, 0
			}
			y0, y1 := by*bs, min(h, by*bs+bs)
			for y := y0; y < y1; y++ {
				rowBlockStats(row(g, y), bs, mn, mx, sum)
			}
			for bx := range mn {
				i := by*bw + bx
				n := int32((min(w, bx*bs+bs) - bx*bs) * (y1 - y0))
				black[i] = sum[bx] / n
				lo[i] = mn[bx]
				flat[i] = int(mx[bx])-int(mn[bx]) <= minRange
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
			black[i] = int32(lo[i]) / 2
			if bx > 0 && by > 0 {
				nb := (black[i-bw] + 2*black[i-1] + black[i-bw-1]) / 4
				if int32(lo[i]) < nb {
					black[i] = nb
				}
			}
		}
	}
	return black
}

// blockThresholds does step 3's averaging: for each block the mean black
// point of the 5×5 blocks centred on it, clipped to the grid.
func blockThresholds(black []int32, bw, bh int) []int32 {
	t := make([]int32, len(black))
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			var sum, n int32
			for y := max(0, by-2); y <= min(bh-1, by+2); y++ {
				for _, b := range black[y*bw+max(0, bx-2) : y*bw+min(bw-1, bx+2)+1] {
					sum += b
					n++
				}
			}
			t[by*bw+bx] = sum / n
		}
	}
	return t
}

// rowBlockStats folds one image row into the running min, max and sum of
// each block it crosses. Noisy photos make a branching min/max mispredict,
// so it uses the branch-free lessOf/moreOf, unrolled for the default
// 8-pixel blocks; one call per row keeps call overhead (high under wasm)
// out of the block loop.
func rowBlockStats(src []uint8, bs int, mn, mx []uint8, sum []int32) {
	mx, sum = mx[:len(mn)], sum[:len(mn)]
	for bx := range mn {
		seg := src[bx*bs : min(len(src), bx*bs+bs)]
		l, m, s := int32(mn[bx]), int32(mx[bx]), sum[bx]
		if len(seg) == 8 {
			p := (*[8]uint8)(seg)
			a, b, c, d := int32(p[0]), int32(p[1]), int32(p[2]), int32(p[3])
			e, f, g, h := int32(p[4]), int32(p[5]), int32(p[6]), int32(p[7])
			l = lessOf(l, lessOf(lessOf(lessOf(a, b), lessOf(c, d)), lessOf(lessOf(e, f), lessOf(g, h))))
			m = moreOf(m, moreOf(moreOf(moreOf(a, b), moreOf(c, d)), moreOf(moreOf(e, f), moreOf(g, h))))
			s += a + b + c + d + e + f + g + h
		} else {
			for _, v := range seg {
				l, m = lessOf(l, int32(v)), moreOf(m, int32(v))
				s += int32(v)
			}
		}
		mn[bx], mx[bx], sum[bx] = uint8(l), uint8(m), s
	}
}

// lessOf and moreOf are min and max without branches, for values whose
// difference fits in an int32.
func lessOf(a, b int32) int32 { d := a - b; return b + d&(d>>31) }
func moreOf(a, b int32) int32 { d := a - b; return a - d&(d>>31) }

// binarizeRow writes Black where src ≤ the threshold of the pixel's block
// (thresh[x/bs]) and White elsewhere.
func binarizeRow(dst, src []uint8, thresh []int32, bs int) {
	dst = dst[:len(src)]
	for bx, t := range thresh {
		x0, x1 := bx*bs, min(len(src), bx*bs+bs)
		if x1-x0 == 8 {
			d, p := (*[8]uint8)(dst[x0:x1]), (*[8]uint8)(src[x0:x1])
			// t−v < 0 (v above the threshold) → −1 → White.
			d[0], d[1] = uint8((t-int32(p[0]))>>31), uint8((t-int32(p[1]))>>31)
			d[2], d[3] = uint8((t-int32(p[2]))>>31), uint8((t-int32(p[3]))>>31)
			d[4], d[5] = uint8((t-int32(p[4]))>>31), uint8((t-int32(p[5]))>>31)
			d[6], d[7] = uint8((t-int32(p[6]))>>31), uint8((t-int32(p[7]))>>31)
			continue
		}
		for x := x0; x < x1; x++ {
			dst[x] = uint8((t - int32(src[x])) >> 31)
		}
	}
}

package qrscan

import (
	"context"
	"image"

	"github.com/cardwall/cardwall/imaging"
)

// plane is an 8-bit luminance image: pixel (x, y) is pix[y*stride+x].
type plane struct {
	w, h, stride int
	pix          []byte
}

// at returns the pixel at (x, y), clamped to the plane.
func (p *plane) at(x, y int) byte {
	if x < 0 {
		x = 0
	} else if x >= p.w {
		x = p.w - 1
	}
	if y < 0 {
		y = 0
	} else if y >= p.h {
		y = p.h - 1
	}
	return p.pix[y*p.stride+x]
}

// bilinear samples the plane at continuous coordinates (pixel centres at
// +0.5), clamped to the plane. It is the innermost call of the timing,
// finder and grid samplers: inside the plane it reads the four pixels with
// one bounds check; the clamped edges take the slow path.
func (p *plane) bilinear(x, y float64) float64 {
	x -= 0.5
	y -= 0.5
	if x >= 0 && y >= 0 && x < float64(p.w-1) && y < float64(p.h-1) {
		x0, y0 := int(x), int(y)
		fx, fy := x-float64(x0), y-float64(y0)
		i := y0*p.stride + x0
		pix := p.pix[i : i+p.stride+2]
		v00, v01 := float64(pix[0]), float64(pix[1])
		v10, v11 := float64(pix[p.stride]), float64(pix[p.stride+1])
		a := v00 + (v01-v00)*fx
		b := v10 + (v11-v10)*fx
		return a + (b-a)*fy
	}
	return p.bilinearEdge(x, y)
}

// bilinearEdge is bilinear for shifted coordinates (x, y) (pixel centres at
// integers) on or outside the last row or column.
func (p *plane) bilinearEdge(x, y float64) float64 {
	if x < 0 {
		x = 0
	} else if x > float64(p.w-1) {
		x = float64(p.w - 1)
	}
	if y < 0 {
		y = 0
	} else if y > float64(p.h-1) {
		y = float64(p.h - 1)
	}
	x0, y0 := int(x), int(y)
	fx, fy := x-float64(x0), y-float64(y0)
	x1, y1 := x0+1, y0+1
	if x1 >= p.w {
		x1 = p.w - 1
	}
	if y1 >= p.h {
		y1 = p.h - 1
	}
	r0 := p.pix[y0*p.stride:]
	r1 := p.pix[y1*p.stride:]
	a := float64(r0[x0]) + (float64(r0[x1])-float64(r0[x0]))*fx
	b := float64(r1[x0]) + (float64(r1[x1])-float64(r1[x0]))*fx
	return a + (b-a)*fy
}

// downscale2 halves the plane by averaging 2×2 blocks (odd edges dropped),
// with imaging.Downscale2.
func downscale2(p *plane) *plane {
	g := imaging.Downscale2(&image.Gray{Pix: p.pix, Stride: p.stride, Rect: image.Rect(0, 0, p.w, p.h)})
	return &plane{w: g.Rect.Dx(), h: g.Rect.Dy(), stride: g.Stride, pix: g.Pix}
}

// bitmap is a binary image: pix[y*w+x] is 1 for dark, 0 for light.
type bitmap struct {
	w, h int
	pix  []byte
	src  *plane // the grey image it was thresholded from, if any
}

// dark reports whether (x, y) is dark; outside the bitmap is light.
func (b *bitmap) dark(x, y int) bool {
	return x >= 0 && y >= 0 && x < b.w && y < b.h && b.pix[y*b.w+x] != 0
}

// thresholdParams are the settings of the local threshold.
type thresholdParams struct {
	block  int // side of the square blocks the statistics are gathered in
	radius int // the mean is taken over (2·radius+1)² blocks
	// minContrast is the smallest dark/light range in a block's 3×3
	// neighbourhood that counts as texture; flatter areas are all light
	// unless clearly darker than their surroundings.
	minContrast int
}

// binarize thresholds p against a local mean: a pixel is dark when it is
// below the mean of the (2·radius+1)² blocks around its own block. The mean
// is block-wise, so the cost is one pass over the pixels plus a small pass
// over the blocks.
func binarize(p *plane, tp thresholdParams) *bitmap {
	w, h := p.w, p.h
	B := tp.block
	bw, bh := (w+B-1)/B, (h+B-1)/B
	sums, mins, maxs := blockStats(p, B, bw, bh)
	// Integral image of the block sums; pixel counts follow from the
	// geometry.
	iw := bw + 1
	isum := make([]int64, iw*(bh+1))
	for by := 0; by < bh; by++ {
		var rs int64
		up, cur := isum[by*iw:by*iw+iw], isum[(by+1)*iw:(by+1)*iw+iw]
		for bx, v := range sums[by*bw : by*bw+bw] {
			rs += int64(v)
			cur[bx+1] = up[bx+1] + rs
		}
	}
	// Dark/light range over each block's 3×3 neighbourhood, separably.
	rmin, rmax := neighbourRange(mins, maxs, bw, bh)
	thr := make([]int16, bw*bh)
	r := tp.radius
	forEach(context.Background(), bh, func(by int) {
		y0, y1 := clampInt(by-r, 0, bh), clampInt(by+r+1, 0, bh)
		ph := int64(min(y1*B, h) - y0*B)
		top, bot := isum[y0*iw:y0*iw+iw], isum[y1*iw:y1*iw+iw]
		tr := thr[by*bw : by*bw+bw]
		mn, mx := rmin[by*bw:by*bw+bw], rmax[by*bw:by*bw+bw]
		for bx := range tr {
			x0, x1 := clampInt(bx-r, 0, bw), clampInt(bx+r+1, 0, bw)
			s := bot[x1] - top[x1] - bot[x0] + top[x0]
			c := int64(min(x1*B, w)-x0*B) * ph
			mean := int((s + c/2) / c)
			t := mean
			if rng := int(mx[bx]) - int(mn[bx]); rng < tp.minContrast {
				t = mean - rng/2 - 1
			}
			tr[bx] = int16(t)
		}
	})
	out := &bitmap{w: w, h: h, pix: make([]byte, w*h), src: p}
	forEach(context.Background(), bh, func(by int) {
		tr := thr[by*bw : by*bw+bw]
		for y := by * B; y < min(h, by*B+B); y++ {
			row := p.pix[y*p.stride : y*p.stride+w]
			o := out.pix[y*w : y*w+w]
			for bx, t := range tr {
				x0, x1 := bx*B, min(w, bx*B+B)
				rs := row[x0:x1]
				os := o[x0:x1]
				os = os[:len(rs)]
				t32 := int32(t)
				// Branch-free: 1 when v < t (noise makes the branch
				// unpredictable).
				for i, v := range rs {
					os[i] = byte(uint32(int32(v)-t32) >> 31)
				}
			}
		}
	})
	return out
}

// blockStats returns the pixel sum, minimum and maximum of every B×B
// block (bw×bh blocks, the last row and column possibly partial).
func blockStats(p *plane, B, bw, bh int) (sums []int32, mins, maxs []byte) {
	w, h := p.w, p.h
	sums = make([]int32, bw*bh)
	mins = make([]byte, bw*bh)
	maxs = make([]byte, bw*bh)
	forEach(context.Background(), bh, func(by int) {
		y0, y1 := by*B, min(h, by*B+B)
		bx := 0
		if B == 2 && y1-y0 == 2 {
			// The finest threshold: whole 2×2 blocks read directly.
			r0 := p.pix[y0*p.stride : y0*p.stride+w]
			r1 := p.pix[(y0+1)*p.stride : (y0+1)*p.stride+w]
			r1 = r1[:len(r0)]
			st, mi, ma := sums[by*bw:by*bw+bw], mins[by*bw:by*bw+bw], maxs[by*bw:by*bw+bw]
			for ; bx < w/2; bx++ {
				x := 2 * bx
				a, b, c, d := r0[x], r0[x+1], r1[x], r1[x+1]
				st[bx] = int32(a) + int32(b) + int32(c) + int32(d)
				mi[bx] = min(a, b, c, d)
				ma[bx] = max(a, b, c, d)
			}
		}
		for ; bx < bw; bx++ {
			x0, x1 := bx*B, min(bx*B+B, w)
			var s int32
			mn, mx := byte(255), byte(0)
			for y := y0; y < y1; y++ {
				for _, v := range p.pix[y*p.stride+x0 : y*p.stride+x1] {
					s += int32(v)
					mn = min(mn, v)
					mx = max(mx, v)
				}
			}
			sums[by*bw+bx], mins[by*bw+bx], maxs[by*bw+bx] = s, mn, mx
		}
	})
	return sums, mins, maxs
}

// neighbourRange returns, for every block of a bw×bh grid, the smallest of
// mins and the largest of maxs over its 3×3 neighbourhood (clipped at the
// edges): first along rows, then along columns.
func neighbourRange(mins, maxs []byte, bw, bh int) (rmin, rmax []byte) {
	hmin, hmax := make([]byte, bw*bh), make([]byte, bw*bh)
	for by := 0; by < bh; by++ {
		mn, mx := mins[by*bw:by*bw+bw], maxs[by*bw:by*bw+bw]
		omn, omx := hmin[by*bw:by*bw+bw], hmax[by*bw:by*bw+bw]
		omn[0], omx[0] = mn[0], mx[0]
		if bw > 1 {
			omn[0], omx[0] = min(mn[0], mn[1]), max(mx[0], mx[1])
			omn[bw-1], omx[bw-1] = min(mn[bw-2], mn[bw-1]), max(mx[bw-2], mx[bw-1])
		}
		for bx := 1; bx+1 < bw; bx++ {
			omn[bx] = min(mn[bx-1], mn[bx], mn[bx+1])
			omx[bx] = max(mx[bx-1], mx[bx], mx[bx+1])
		}
	}
	// The inputs are no longer needed: the result goes in their place.
	rmin, rmax = mins, maxs
	for by := 0; by < bh; by++ {
		a, b := max(by-1, 0), min(by+2, bh)
		omn, omx := rmin[by*bw:by*bw+bw], rmax[by*bw:by*bw+bw]
		copy(omn, hmin[a*bw:a*bw+bw])
		copy(omx, hmax[a*bw:a*bw+bw])
		for k := a + 1; k < b; k++ {
			for bx, v := range hmin[k*bw : k*bw+bw] {
				omn[bx] = min(omn[bx], v)
			}
			for bx, v := range hmax[k*bw : k*bw+bw] {
				omx[bx] = max(omx[bx], v)
			}
		}
	}
	return rmin, rmax
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

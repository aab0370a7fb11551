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
	sums := make([]int64, bw*bh)
	mins := make([]byte, bw*bh)
	maxs := make([]byte, bw*bh)
	for i := range mins {
		mins[i] = 255
	}
	forEach(context.Background(), bh, func(by int) {
		base := by * bw
		for y := by * B; y < min(h, by*B+B); y++ {
			row := p.pix[y*p.stride : y*p.stride+w]
			for bx := 0; bx < bw; bx++ {
				x0, x1 := bx*B, min(bx*B+B, w)
				var s int64
				mn, mx := mins[base+bx], maxs[base+bx]
				for _, v := range row[x0:x1] {
					s += int64(v)
					mn = min(mn, v)
					mx = max(mx, v)
				}
				sums[base+bx] += s
				mins[base+bx], maxs[base+bx] = mn, mx
			}
		}
	})
	// Integral images of block sums and pixel counts.
	iw := bw + 1
	isum := make([]int64, iw*(bh+1))
	icnt := make([]int64, iw*(bh+1))
	for by := 0; by < bh; by++ {
		var rs, rc int64
		hh := int64(B)
		if (by+1)*B > h {
			hh = int64(h - by*B)
		}
		for bx := 0; bx < bw; bx++ {
			ww := int64(B)
			if (bx+1)*B > w {
				ww = int64(w - bx*B)
			}
			rs += sums[by*bw+bx]
			rc += ww * hh
			isum[(by+1)*iw+bx+1] = isum[by*iw+bx+1] + rs
			icnt[(by+1)*iw+bx+1] = icnt[by*iw+bx+1] + rc
		}
	}
	thr := make([]int16, bw*bh)
	r := tp.radius
	for by := 0; by < bh; by++ {
		y0, y1 := clampInt(by-r, 0, bh), clampInt(by+r+1, 0, bh)
		ny0, ny1 := clampInt(by-1, 0, bh), clampInt(by+2, 0, bh)
		for bx := 0; bx < bw; bx++ {
			x0, x1 := clampInt(bx-r, 0, bw), clampInt(bx+r+1, 0, bw)
			s := isum[y1*iw+x1] - isum[y0*iw+x1] - isum[y1*iw+x0] + isum[y0*iw+x0]
			c := icnt[y1*iw+x1] - icnt[y0*iw+x1] - icnt[y1*iw+x0] + icnt[y0*iw+x0]
			mean := int((s + c/2) / c)
			mn, mx := byte(255), byte(0)
			for ny := ny0; ny < ny1; ny++ {
				for nx := clampInt(bx-1, 0, bw); nx < clampInt(bx+2, 0, bw); nx++ {
					if mins[ny*bw+nx] < mn {
						mn = mins[ny*bw+nx]
					}
					if maxs[ny*bw+nx] > mx {
						mx = maxs[ny*bw+nx]
					}
				}
			}
			t := mean
			if rng := int(mx) - int(mn); rng < tp.minContrast {
				t = mean - rng/2 - 1
			}
			thr[by*bw+bx] = int16(t)
		}
	}
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

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

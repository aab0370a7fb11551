package imaging

import (
	"encoding/binary"
	"image"
	"image/color"
)

// Integer BT.601 luma weights scaled by 1<<16 (they sum to 65536), the same
// as image/color's GrayModel uses.
const (
	wR = 19595
	wG = 38470
	wB = 7471
)

// luma8 returns the BT.601 luma of an 8-bit RGB triple, rounded.
func luma8(r, g, b uint32) uint8 {
	return uint8((wR*r + wG*g + wB*b + 1<<15) >> 16)
}

// Luminance converts img to an 8-bit gray image with the same bounds.
//
// Fast paths work over the pixel slices of the standard image types:
// *image.YCbCr copies the Y plane rows; *image.Gray is returned as is (not
// copied); *image.NYCbCrA, *image.RGBA, *image.NRGBA, *image.RGBA64,
// *image.NRGBA64, *image.Gray16, *image.CMYK and *image.Paletted use integer
// BT.601 weights. Any other image goes through a generic (slower) path.
//
// Transparent pixels are composited onto white, so a dark code on a
// transparent background stays readable.
func Luminance(img image.Image) *image.Gray {
	switch m := img.(type) {
	case *image.Gray:
		return m
	case *image.YCbCr:
		return yPlane(m, true)
	case *image.NYCbCrA:
		return nycbcraLuma(m)
	case *image.RGBA:
		return rgbaLuma(m.Pix, m.Stride, m.Rect, 1, false)
	case *image.NRGBA:
		return rgbaLuma(m.Pix, m.Stride, m.Rect, 1, true)
	case *image.RGBA64:
		return rgbaLuma(m.Pix, m.Stride, m.Rect, 2, false)
	case *image.NRGBA64:
		return rgbaLuma(m.Pix, m.Stride, m.Rect, 2, true)
	case *image.Gray16:
		return gray16Luma(m)
	case *image.CMYK:
		return cmykLuma(m)
	case *image.Paletted:
		return palettedLuma(m)
	}
	return genericLuma(img)
}

// yPlane returns the luma (Y) plane of m as a Gray image. With copyRows it
// copies the rows; otherwise it shares m's memory when the rows are
// contiguous, which saves an allocation when m is about to be discarded.
func yPlane(m *image.YCbCr, copyRows bool) *image.Gray {
	r := m.Rect
	if w, h := r.Dx(), r.Dy(); !copyRows && m.YStride == w {
		start := m.YOffset(r.Min.X, r.Min.Y)
		n := w * h
		return &image.Gray{Pix: m.Y[start : start+n : start+n], Stride: w, Rect: r}
	}
	return grayByRows(r, func(y int, dst []uint8) {
		copy(dst, m.Y[m.YOffset(r.Min.X, r.Min.Y+y):])
	})
}

// nycbcraLuma takes the Y plane of m and composites it onto white by the
// alpha plane.
func nycbcraLuma(m *image.NYCbCrA) *image.Gray {
	r := m.Rect
	return grayByRows(r, func(y int, dst []uint8) {
		ys := m.Y[m.YOffset(r.Min.X, r.Min.Y+y):][:len(dst)]
		as := m.A[m.AOffset(r.Min.X, r.Min.Y+y):][:len(dst)]
		for x := range dst {
			dst[x] = composite(ys[x], as[x], true)
		}
	})
}

// rgbaLuma converts RGBA pixels with 1 or 2 bytes per sample (16-bit
// samples are big-endian; only their high byte is used), premultiplied or
// not (straight), to gray composited onto white.
func rgbaLuma(pix []uint8, stride int, r image.Rectangle, bytesPerSample int, straight bool) *image.Gray {
	c := bytesPerSample // byte step between samples
	return grayByRows(r, func(y int, dst []uint8) {
		src := pix[y*stride:][: 4*c*len(dst) : 4*c*len(dst)]
		if c == 1 { // 8-bit, the common case: one 32-bit load per pixel
			for x := range dst {
				v := binary.LittleEndian.Uint32(src[4*x:])
				dst[x] = composite(luma8(v&0xff, v>>8&0xff, v>>16&0xff), uint8(v>>24), straight)
			}
			return
		}
		for x := range dst {
			p := src[4*c*x:][: 4*c : 4*c]
			dst[x] = composite(luma8(uint32(p[0]), uint32(p[c]), uint32(p[2*c])), p[3*c], straight)
		}
	})
}

// composite lays luma l with alpha a onto white. If straight is false, l
// is premultiplied (already scaled by a).
func composite(l, a uint8, straight bool) uint8 {
	switch {
	case a == 255: // opaque: the common case
		return l
	case straight:
		return uint8(div255(uint32(l)*uint32(a) + 255*(255-uint32(a)) + 127))
	default:
		return uint8(min(uint32(l)+255-uint32(a), 255))
	}
}

// div255 returns v/255 for v < 65535 without a division.
func div255(v uint32) uint32 { return (v + 1 + v>>8) >> 8 }

// gray16Luma keeps the high byte of each 16-bit sample.
func gray16Luma(m *image.Gray16) *image.Gray {
	return grayByRows(m.Rect, func(y int, dst []uint8) {
		src := m.Pix[y*m.Stride:][: 2*len(dst) : 2*len(dst)]
		for x := range dst {
			dst[x] = src[2*x]
		}
	})
}

// cmykLuma converts CMYK to RGB as image/color does, then to luma.
func cmykLuma(m *image.CMYK) *image.Gray {
	return grayByRows(m.Rect, func(y int, dst []uint8) {
		src := m.Pix[y*m.Stride:][: 4*len(dst) : 4*len(dst)]
		for x := range dst {
			p := src[4*x : 4*x+4]
			k := 255 - uint32(p[3])
			rr := (255 - uint32(p[0])) * k / 255
			gg := (255 - uint32(p[1])) * k / 255
			bb := (255 - uint32(p[2])) * k / 255
			dst[x] = luma8(rr, gg, bb)
		}
	})
}

// palettedLuma maps indices through a 256-entry gray table built from the
// palette; indices beyond the palette read as black, as image.Paletted does.
func palettedLuma(m *image.Paletted) *image.Gray {
	var lut [256]uint8
	for i, c := range m.Palette {
		if i < len(lut) && c != nil {
			lut[i] = colorLuma(c)
		}
	}
	return grayByRows(m.Rect, func(y int, dst []uint8) {
		for x, i := range m.Pix[y*m.Stride:][:len(dst)] {
			dst[x] = lut[i]
		}
	})
}

// colorLuma is the luma of any color composited onto white.
func colorLuma(c color.Color) uint8 {
	r, gg, b, a := c.RGBA() // 16-bit, premultiplied
	l := (wR*r + wG*gg + wB*b + 1<<15) >> 16
	l += 0xffff - a
	if l > 0xffff {
		l = 0xffff
	}
	return uint8(l >> 8)
}

// genericLuma converts any image through its At method.
func genericLuma(img image.Image) *image.Gray {
	r := img.Bounds()
	g := image.NewGray(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		dst := g.Pix[(y-r.Min.Y)*g.Stride:]
		for x := r.Min.X; x < r.Max.X; x++ {
			dst[x-r.Min.X] = colorLuma(img.At(x, y))
		}
	}
	return g
}

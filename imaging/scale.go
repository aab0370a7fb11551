package imaging

import (
	"encoding/binary"
	"image"
)

// Downscale2 halves g in both directions by averaging each 2×2 block
// (rounded). The result has bounds (0, 0)–(w/2, h/2); an odd last column or
// row is dropped.
func Downscale2(g *image.Gray) *image.Gray {
	return grayByRows(image.Rect(0, 0, g.Rect.Dx()/2, g.Rect.Dy()/2), func(y int, dst []uint8) {
		a, b := row(g, 2*y), row(g, 2*y+1)
		average2x2(dst, a[:2*len(dst)], b[:2*len(dst)])
	})
}

// average2x2 sets dst[x] to the rounded mean of a[2x], a[2x+1], b[2x] and
// b[2x+1]. Eight outputs at a time are computed in 16-bit lanes of a
// uint64 (four pixel pairs per word, sums below 2¹⁶), which under
// WebAssembly is several times faster than a loop per pixel.
func average2x2(dst, a, b []uint8) {
	const low = 0x00ff00ff00ff00ff // the low byte of every 16-bit lane
	x := 0
	for ; x+8 <= len(dst); x += 8 {
		a0, a1 := binary.LittleEndian.Uint64(a[2*x:]), binary.LittleEndian.Uint64(a[2*x+8:])
		b0, b1 := binary.LittleEndian.Uint64(b[2*x:]), binary.LittleEndian.Uint64(b[2*x+8:])
		// Lane j: the sum of pair j, plus 2 for rounding, over 4.
		s0 := (a0&low + a0>>8&low + b0&low + b0>>8&low + 0x0002000200020002) >> 2 & low
		s1 := (a1&low + a1>>8&low + b1&low + b1>>8&low + 0x0002000200020002) >> 2 & low
		// Pack the low bytes of the eight lanes.
		s0 = (s0 | s0>>8) & 0x0000ffff0000ffff
		s1 = (s1 | s1>>8) & 0x0000ffff0000ffff
		binary.LittleEndian.PutUint64(dst[x:], (s0|s0>>16)&0xffffffff|(s1|s1>>16)<<32)
	}
	for ; x < len(dst); x++ {
		s := uint32(a[2*x]) + uint32(a[2*x+1]) + uint32(b[2*x]) + uint32(b[2*x+1])
		dst[x] = uint8((s + 2) >> 2)
	}
}

// Pyramid returns g followed by successive Downscale2 halvings: up to levels
// images in all, stopping early when a side would fall below 1 pixel.
// Pyramid(g, 1) is []*image.Gray{g}.
func Pyramid(g *image.Gray, levels int) []*image.Gray {
	if levels < 1 {
		return nil
	}
	out := []*image.Gray{g}
	for len(out) < levels {
		last := out[len(out)-1]
		if last.Rect.Dx() < 2 || last.Rect.Dy() < 2 {
			break
		}
		out = append(out, Downscale2(last))
	}
	return out
}

// Upscale2 doubles g in both directions by bilinear interpolation in
// integers, with pixel centres aligned (each output pixel mixes its four
// nearest input pixels 9:3:3:1; edges repeat). The result has bounds
// (0, 0)–(2w, 2h). It is meant for small regions (g.SubImage of a tile)
// where modules are too small to sample, not for whole photos.
func Upscale2(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	dst := image.NewGray(image.Rect(0, 0, 2*w, 2*h))
	if w == 0 || h == 0 {
		return dst
	}
	parallelRows(h, func(y0, y1 int) {
		mix := make([]uint16, w) // 3·row y + row y±1: four times the value
		for y := y0; y < y1; y++ {
			for half, other := range [2]int{max(0, y-1), min(h-1, y+1)} {
				mixRows(mix, row(g, y), row(g, other))
				upscaleRow(dst.Pix[(2*y+half)*dst.Stride:][:2*w], mix)
			}
		}
	})
	return dst
}

// mixRows sets mix = 3·near + far.
func mixRows(mix []uint16, near, far []uint8) {
	near, far = near[:len(mix)], far[:len(mix)]
	for x := range mix {
		mix[x] = 3*uint16(near[x]) + uint16(far[x])
	}
}

// upscaleRow writes two output pixels per mix value, each 3·itself plus
// its left or right neighbour (repeated at the edges), divided by 16.
func upscaleRow(dst []uint8, mix []uint16) {
	w := len(mix)
	dst = dst[:2*w]
	pair := func(x int, left, m, right uint16) {
		dst[2*x] = uint8((3*m + left + 8) >> 4)
		dst[2*x+1] = uint8((3*m + right + 8) >> 4)
	}
	pair(0, mix[0], mix[0], mix[min(1, w-1)])
	for x := 1; x < w-1; x++ {
		pair(x, mix[x-1], mix[x], mix[x+1])
	}
	if w > 1 {
		pair(w-1, mix[w-2], mix[w-1], mix[w-1])
	}
}

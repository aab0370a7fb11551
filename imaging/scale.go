package imaging

import "image"

// Downscale2 halves g in both directions by averaging each 2×2 block
// (rounded). The result has bounds (0, 0)–(w/2, h/2); an odd last column or
// row is dropped.
func Downscale2(g *image.Gray) *image.Gray {
	return grayByRows(image.Rect(0, 0, g.Rect.Dx()/2, g.Rect.Dy()/2), func(y int, dst []uint8) {
		a, b := row(g, 2*y), row(g, 2*y+1)
		a, b = a[:2*len(dst)], b[:2*len(dst)]
		for x := range dst {
			s := uint32(a[2*x]) + uint32(a[2*x+1]) + uint32(b[2*x]) + uint32(b[2*x+1])
			dst[x] = uint8((s + 2) >> 2)
		}
	})
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

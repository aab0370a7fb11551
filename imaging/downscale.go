package imaging

import "image"

// row returns the y-th row (0-based from g.Rect.Min.Y) of g, len = width.
func row(g *image.Gray, y int) []uint8 {
	i := g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y)
	return g.Pix[i : i+g.Rect.Dx() : i+g.Rect.Dx()]
}

// Downscale2 halves g in both directions by averaging each 2×2 block
// (rounded). The result has bounds (0, 0)–(w/2, h/2); an odd last column or
// row is dropped.
func Downscale2(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx()/2, g.Rect.Dy()/2
	dst := image.NewGray(image.Rect(0, 0, w, h))
	parallelRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			a, b := row(g, 2*y), row(g, 2*y+1)
			d := dst.Pix[y*dst.Stride:][:w]
			for x := range d {
				s := uint32(a[2*x]) + uint32(a[2*x+1]) + uint32(b[2*x]) + uint32(b[2*x+1])
				d[x] = uint8((s + 2) >> 2)
			}
		}
	})
	return dst
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

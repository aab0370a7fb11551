package imaging

import "image"

// row returns the y-th row (0-based from g.Rect.Min.Y) of g, len = width.
func row(g *image.Gray, y int) []uint8 {
	i := g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y)
	return g.Pix[i : i+g.Rect.Dx() : i+g.Rect.Dx()]
}

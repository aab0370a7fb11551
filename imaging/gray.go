package imaging

import "image"

// row returns the y-th row (0-based from g.Rect.Min.Y) of g, len = width.
func row(g *image.Gray, y int) []uint8 {
	i := g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y)
	return g.Pix[i : i+g.Rect.Dx() : i+g.Rect.Dx()]
}

// grayByRows returns a new Gray with bounds r whose rows are filled by
// fill(y, dst), y counted from r.Min.Y, on parallel bands of rows.
func grayByRows(r image.Rectangle, fill func(y int, dst []uint8)) *image.Gray {
	g := image.NewGray(r)
	w := r.Dx()
	parallelRows(r.Dy(), func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			fill(y, g.Pix[y*g.Stride:][:w:w])
		}
	})
	return g
}

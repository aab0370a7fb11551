package qrscan

// Grid refinement: a sampling grid that sits on module centres reads
// values close to pure dark or pure light, while one that is off by part of
// a module reads blends of neighbours. The variance of the module samples
// therefore peaks at the right geometry. refineGrid moves the symbol's four
// corners one coordinate at a time, in shrinking steps, while the variance
// grows.

// cornersOf returns the image positions of the symbol's outer corners.
func cornersOf(h homography, dim int) [4]Point {
	d := float64(dim)
	var c [4]Point
	for k, m := range [4]Point{{0, 0}, {d, 0}, {d, d}, {0, d}} {
		c[k].X, c[k].Y = h.apply(m.X, m.Y)
	}
	return c
}

// fromCorners is the homography mapping the symbol's corners to c.
func fromCorners(c [4]Point, dim int) (homography, bool) {
	d := float64(dim)
	mod := [4]Point{{0, 0}, {d, 0}, {d, d}, {0, d}}
	cs := make([]correspondence, 4)
	for k := range cs {
		cs[k] = correspondence{mod[k].X, mod[k].Y, c[k].X, c[k].Y, 1}
	}
	return fitHomography(cs)
}

// gridVariance is the variance of the grey levels at the module centres
// (of every other module and row from varianceSparseDim on).
func gridVariance(p *plane, h homography, dim int) float64 {
	var s, s2 float64
	step := 1
	if dim >= varianceSparseDim {
		step = 2
	}
	nx := (dim + step - 1) / step
	buf := make([]float64, 3*nx)
	xs, ys, vals := buf[:nx], buf[nx:2*nx], buf[2*nx:]
	n := 0
	for my := 0; my < dim; my += step {
		for k := range xs {
			xs[k], ys[k] = h.apply(float64(k*step)+0.5, float64(my)+0.5)
		}
		p.bilinearAll(xs, ys, vals)
		for _, v := range vals {
			s += v
			s2 += v * v
		}
		n += nx
	}
	m := s / float64(n)
	return s2/float64(n) - m*m
}

// varianceSparseDim is the dimension from which gridVariance samples every
// other module of every other row: a quarter of the cost, and still 17×17
// samples or more. (Sparser grids make the optimum noisy: sampled so from
// dimension 21, two codes of the ZXing sets are lost.)
const varianceSparseDim = 33

// refineGrid improves h by coordinate ascent of gridVariance over the four
// corners, starting with steps of half a module (ms pixels per module).
func refineGrid(p *plane, h homography, dim int, ms float64) homography {
	c := cornersOf(h, dim)
	best := gridVariance(p, h, dim)
	for _, step := range [3]float64{0.5 * ms, 0.25 * ms, 0.12 * ms} {
		for round := 0; round < 2; round++ {
			improved := false
			for k := 0; k < 4; k++ {
				for axis := 0; axis < 2; axis++ {
					for _, sgn := range [2]float64{1, -1} {
						t := c
						if axis == 0 {
							t[k].X += sgn * step
						} else {
							t[k].Y += sgn * step
						}
						th, ok := fromCorners(t, dim)
						if !ok {
							continue
						}
						if v := gridVariance(p, th, dim); v > best {
							best, c, h = v, t, th
							improved = true
							break
						}
					}
				}
			}
			if !improved {
				break
			}
		}
	}
	return h
}

package board

import "math"

// Homography is a projective map of the plane, a 3×3 matrix in row-major
// order acting on homogeneous points (x, y, 1).
type Homography [9]float64

// Identity is the homography that maps every point to itself.
var Identity = Homography{1, 0, 0, 0, 1, 0, 0, 0, 1}

// Apply maps p. A point on the map's vanishing line has no image; Apply
// then returns infinities.
func (h Homography) Apply(p Point) Point {
	x := h[0]*p.X + h[1]*p.Y + h[2]
	y := h[3]*p.X + h[4]*p.Y + h[5]
	w := h[6]*p.X + h[7]*p.Y + h[8]
	return Point{x / w, y / w}
}

// Mul returns the homography that applies o first, then h.
func (h Homography) Mul(o Homography) Homography {
	var r Homography
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			r[3*i+j] = h[3*i]*o[j] + h[3*i+1]*o[3+j] + h[3*i+2]*o[6+j]
		}
	}
	return r
}

// Det returns the determinant of the matrix.
func (h Homography) Det() float64 {
	return h[0]*(h[4]*h[8]-h[5]*h[7]) - h[1]*(h[3]*h[8]-h[5]*h[6]) + h[2]*(h[3]*h[7]-h[4]*h[6])
}

// Inverse returns the inverse map and false when h is singular.
func (h Homography) Inverse() (Homography, bool) {
	d := h.Det()
	scale := 0.0
	for _, v := range h {
		scale = math.Max(scale, math.Abs(v))
	}
	if d == 0 || math.Abs(d) < 1e-12*scale*scale*scale {
		return Homography{}, false
	}
	return Homography{
		(h[4]*h[8] - h[5]*h[7]) / d, (h[2]*h[7] - h[1]*h[8]) / d, (h[1]*h[5] - h[2]*h[4]) / d,
		(h[5]*h[6] - h[3]*h[8]) / d, (h[0]*h[8] - h[2]*h[6]) / d, (h[2]*h[3] - h[0]*h[5]) / d,
		(h[3]*h[7] - h[4]*h[6]) / d, (h[1]*h[6] - h[0]*h[7]) / d, (h[0]*h[4] - h[1]*h[3]) / d,
	}, true
}

// SquareToQuad returns the homography that maps the unit square's corners
// (0,0), (1,0), (1,1), (0,1) to q[0], q[1], q[2], q[3], and false when the
// quadrilateral is degenerate (three corners on a line).
func SquareToQuad(q [4]Point) (Homography, bool) {
	// Heckbert's closed form for the square-to-quadrilateral map.
	x0, y0, x1, y1 := q[0].X, q[0].Y, q[1].X, q[1].Y
	x2, y2, x3, y3 := q[2].X, q[2].Y, q[3].X, q[3].Y
	sx := x0 - x1 + x2 - x3
	sy := y0 - y1 + y2 - y3
	var h Homography
	if sx == 0 && sy == 0 {
		h = Homography{x1 - x0, x3 - x0, x0, y1 - y0, y3 - y0, y0, 0, 0, 1}
	} else {
		dx1, dx2 := x1-x2, x3-x2
		dy1, dy2 := y1-y2, y3-y2
		den := dx1*dy2 - dx2*dy1
		if den == 0 {
			return Homography{}, false
		}
		g := (sx*dy2 - dx2*sy) / den
		hh := (dx1*sy - sx*dy1) / den
		h = Homography{x1 - x0 + g*x1, x3 - x0 + hh*x3, x0, y1 - y0 + g*y1, y3 - y0 + hh*y3, y0, g, hh, 1}
	}
	if _, ok := h.Inverse(); !ok {
		return Homography{}, false
	}
	return h, true
}

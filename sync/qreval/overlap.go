package qreval

import "math"

// Overlap returns the area shared by polygons p and q divided by the area
// of the smaller of the two, in [0, 1] for convex polygons. It is the peer
// script's measure, computed the same way step by step: each polygon is put
// in counter-clockwise order by reversing it when its shoelace sum is not
// positive (corners are not re-sorted, so a self-intersecting "bow tie"
// gives the same answer the peer script gives), then p is clipped by q with
// Sutherland–Hodgman clipping, which is exact when q is convex. Polygons
// with fewer than three corners or zero area overlap nothing.
func Overlap(p, q []Point) float64 {
	if len(p) < 3 || len(q) < 3 {
		return 0
	}
	p, q = counterClockwise(p), counterClockwise(q)
	inter := clip(p, q)
	a := math.Min(polygonArea(p), polygonArea(q))
	if len(inter) < 3 || !(a > 0) {
		return 0
	}
	return polygonArea(inter) / a
}

// shoelace returns twice the signed area of p (positive when p turns
// counter-clockwise in x-right, y-up axes).
func shoelace(p []Point) float64 {
	s := 0.0
	for i := range p {
		j := (i + 1) % len(p)
		s += p[i].X*p[j].Y - p[j].X*p[i].Y
	}
	return s
}

// polygonArea returns the absolute area of p by the shoelace formula.
func polygonArea(p []Point) float64 {
	return math.Abs(shoelace(p)) / 2
}

// counterClockwise returns p if its shoelace sum is positive, else a
// reversed copy of p.
func counterClockwise(p []Point) []Point {
	if shoelace(p) > 0 {
		return p
	}
	r := make([]Point, len(p))
	for i, v := range p {
		r[len(p)-1-i] = v
	}
	return r
}

// clip returns subject clipped by the convex polygon clipper
// (Sutherland–Hodgman): for each edge a→b of the clipper, in
// counter-clockwise order, keep the part of the polygon on its left.
func clip(subject, clipper []Point) []Point {
	out := subject
	c := counterClockwise(clipper)
	for i := range c {
		a, b := c[i], c[(i+1)%len(c)]
		in := out
		out = nil
		if len(in) == 0 {
			break
		}
		for j := range in {
			p, q := in[j], in[(j+1)%len(in)]
			switch {
			case leftOf(a, b, q):
				if !leftOf(a, b, p) {
					out = append(out, crossing(p, q, a, b))
				}
				out = append(out, q)
			case leftOf(a, b, p):
				out = append(out, crossing(p, q, a, b))
			}
		}
	}
	return out
}

// leftOf reports whether v lies on or left of the directed line a→b.
func leftOf(a, b, v Point) bool {
	return (b.X-a.X)*(v.Y-a.Y)-(b.Y-a.Y)*(v.X-a.X) >= 0
}

// crossing returns where the line through p and q meets the line through a
// and b; for parallel lines it returns q.
func crossing(p, q, a, b Point) Point {
	d := (p.X-q.X)*(a.Y-b.Y) - (p.Y-q.Y)*(a.X-b.X)
	if d == 0 {
		return q
	}
	t := ((p.X-a.X)*(a.Y-b.Y) - (p.Y-a.Y)*(a.X-b.X)) / d
	return Point{p.X + t*(q.X-p.X), p.Y + t*(q.Y-p.Y)}
}

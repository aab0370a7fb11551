package board

import (
	"math"
	"sort"
)

// This file estimates the board's own axes from the QR codes on it.
//
// Every code printed on a card or header is upright on the board, so the
// edge from its top-left to its bottom-left corner points "down the board"
// at that spot, and the edge from top-left to top-right points "right".
// Under perspective, the board's vertical lines meet in a vanishing point
// (at infinity for a frontal photo), and so do its horizontal lines. Both
// points are estimated by robust least squares from the codes' edges. The
// homography that sends the two vanishing points to the directions of the
// u and v axes maps the photo into board coordinates: board verticals
// become lines u = const and board horizontals lines v = const, and
// midpoints along them are preserved (the map is affine on the board).

// pose is a code's position and its local board directions in the photo.
type pose struct {
	center      Point
	down, right Point   // unit vectors
	size        float64 // mean edge length in photo pixels
}

func sub(a, b Point) Point           { return Point{a.X - b.X, a.Y - b.Y} }
func add(a, b Point) Point           { return Point{a.X + b.X, a.Y + b.Y} }
func scale(a Point, s float64) Point { return Point{a.X * s, a.Y * s} }
func length(a Point) float64         { return math.Hypot(a.X, a.Y) }
func unit(a Point) Point             { return scale(a, 1/length(a)) }
func angleOf(a Point) float64        { return math.Atan2(a.Y, a.X) }
func center(q [4]Point) Point        { return scale(add(add(q[0], q[1]), add(q[2], q[3])), 0.25) }
func angleDiff(a, b float64) float64 { return math.Abs(math.Remainder(a-b, 2*math.Pi)) }

// poseOf reads a code's pose from its corners (TL, TR, BR, BL of the code's
// own frame). It reports false for a degenerate quadrilateral.
func poseOf(q [4]Point) (pose, bool) {
	down := add(sub(q[3], q[0]), sub(q[2], q[1]))
	right := add(sub(q[1], q[0]), sub(q[2], q[3]))
	ld, lr := length(down), length(right)
	if !(ld > 1e-6 && lr > 1e-6) {
		return pose{}, false
	}
	return pose{center: center(q), down: scale(down, 1/ld), right: scale(right, 1/lr), size: (ld + lr) / 4}, true
}

// medoidAngle returns the angle with the least total angular distance to
// all others: a robust mean direction.
func medoidAngle(angles []float64) float64 {
	best, bestSum := 0.0, math.Inf(1)
	for _, a := range angles {
		s := 0.0
		for _, b := range angles {
			s += angleDiff(a, b)
		}
		if s < bestSum {
			best, bestSum = a, s
		}
	}
	return best
}

// maxTilt is how far (in radians) a code's own down direction may stray
// from the board's before the code is left out of the estimate (a card
// pinned askew, or a code on the wall next to the board).
const maxTilt = 25 * math.Pi / 180

// frame maps photo coordinates to board coordinates.
type frame struct {
	toBoard Homography
}

// toBoardPoint maps a photo point to board coordinates (u to the right, v down).
func (f frame) at(p Point) Point { return f.toBoard.Apply(p) }

// estimateFrame finds board axes from the poses of upright codes in a
// photo of size w×h. With no usable pose it returns the photo's own axes.
func estimateFrame(poses []pose, w, h int) frame {
	if len(poses) == 0 {
		return frame{Identity}
	}
	// Normalise coordinates: image centre at 0, half the longer side = 1.
	s := math.Max(float64(w), float64(h)) / 2
	if s <= 0 {
		s = 1
	}
	norm := Homography{1 / s, 0, -float64(w) / 2 / s, 0, 1 / s, -float64(h) / 2 / s, 0, 0, 1}

	downs := make([]float64, len(poses))
	for i, p := range poses {
		downs[i] = angleOf(p.down)
	}
	mainDown := medoidAngle(downs)
	var cs, ds, rs []Point
	for _, p := range poses {
		if angleDiff(angleOf(p.down), mainDown) > maxTilt {
			continue
		}
		cs = append(cs, norm.Apply(p.center))
		ds = append(ds, p.down)
		rs = append(rs, p.right)
	}
	v := vanishingPoint(cs, ds)
	hz := vanishingPoint(cs, rs)
	// Columns [H V O]: send the horizontal vanishing point to the u
	// direction, the vertical one to v, the image centre to the origin.
	m := Homography{hz[0], v[0], 0, hz[1], v[1], 0, hz[2], v[2], 1}
	inv, ok := m.Inverse()
	if !ok {
		// Vanishing points in line with the centre: fall back to a
		// rotation by the main down direction.
		c, sn := math.Cos(mainDown-math.Pi/2), math.Sin(mainDown-math.Pi/2)
		inv = Homography{c, sn, 0, -sn, c, 0, 0, 0, 1}
	}
	t := inv.Mul(norm)
	// Orient the axes: u grows to the right of the codes, v downwards.
	var du, dv float64
	for _, p := range poses {
		c0 := t.Apply(p.center)
		du += math.Copysign(1, t.Apply(add(p.center, scale(p.right, p.size/2))).X-c0.X)
		dv += math.Copysign(1, t.Apply(add(p.center, scale(p.down, p.size/2))).Y-c0.Y)
	}
	if du < 0 {
		t[0], t[1], t[2] = -t[0], -t[1], -t[2]
	}
	if dv < 0 {
		t[3], t[4], t[5] = -t[3], -t[4], -t[5]
	}
	return frame{t}
}

// nearVanish is the distance from the image centre (in units of half the
// longer image side) inside which a vanishing point is not believed: a
// real board photo, even at a 40° tilt with a wide lens, puts its vanishing
// points well outside the frame; one inside comes from noisy code edges.
const nearVanish = 1.25

// vanishingPoint returns, in homogeneous coordinates, the point where the
// lines through cs[i] with directions ds[i] meet (a direction when they
// are parallel). It is the weighted least-squares solution, refined by
// iterative reweighting so a few wrong directions do not pull it away.
func vanishingPoint(cs, ds []Point) [3]float64 {
	if len(cs) == 0 {
		return [3]float64{0, 1, 0}
	}
	lines := make([][3]float64, len(cs))
	var mean Point
	for i := range cs {
		d := unit(ds[i])
		// Line through c with direction d: normal (-dy, dx).
		lines[i] = [3]float64{-d.Y, d.X, d.Y*cs[i].X - d.X*cs[i].Y}
		mean = add(mean, d)
	}
	parallel := [3]float64{mean.X, mean.Y, 0}
	if len(cs) < 3 {
		return parallel
	}
	w := make([]float64, len(cs))
	for i := range w {
		w[i] = 1
	}
	const sigma = 0.03 // about 1.7°: the typical error of a small code's edge direction
	var v [3]float64
	for iter := 0; iter < 6; iter++ {
		var a [3][3]float64
		for i, l := range lines {
			for r := 0; r < 3; r++ {
				for c := 0; c < 3; c++ {
					a[r][c] += w[i] * l[r] * l[c]
				}
			}
		}
		v = smallestEigenvector(a)
		for i := range lines {
			// Sine of the angle between the code's direction and the
			// direction from its centre to v.
			dir := Point{v[0] - cs[i].X*v[2], v[1] - cs[i].Y*v[2]}
			d := unit(ds[i])
			r := 1.0
			if l := length(dir); l > 0 {
				r = math.Abs(d.X*dir.Y-d.Y*dir.X) / l
			}
			w[i] = 1 / (1 + (r/sigma)*(r/sigma))
		}
	}
	if math.Abs(v[2]) > 1e-12 && math.Hypot(v[0]/v[2], v[1]/v[2]) < nearVanish {
		return parallel
	}
	return v
}

// smallestEigenvector returns a unit eigenvector of the symmetric matrix a
// for its smallest eigenvalue, by cyclic Jacobi rotations.
func smallestEigenvector(a [3][3]float64) [3]float64 {
	vec := [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	for sweep := 0; sweep < 50; sweep++ {
		off := a[0][1]*a[0][1] + a[0][2]*a[0][2] + a[1][2]*a[1][2]
		if off < 1e-30 {
			break
		}
		for p := 0; p < 2; p++ {
			for q := p + 1; q < 3; q++ {
				if a[p][q] == 0 {
					continue
				}
				theta := (a[q][q] - a[p][p]) / (2 * a[p][q])
				t := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := 0; k < 3; k++ { // a = a·J
					akp, akq := a[k][p], a[k][q]
					a[k][p], a[k][q] = c*akp-s*akq, s*akp+c*akq
				}
				for k := 0; k < 3; k++ { // a = Jᵀ·a
					apk, aqk := a[p][k], a[q][k]
					a[p][k], a[q][k] = c*apk-s*aqk, s*apk+c*aqk
				}
				for k := 0; k < 3; k++ {
					vkp, vkq := vec[k][p], vec[k][q]
					vec[k][p], vec[k][q] = c*vkp-s*vkq, s*vkp+c*vkq
				}
			}
		}
	}
	idx := []int{0, 1, 2}
	sort.Slice(idx, func(i, j int) bool { return a[idx[i]][idx[i]] < a[idx[j]][idx[j]] })
	k := idx[0]
	return [3]float64{vec[0][k], vec[1][k], vec[2][k]}
}

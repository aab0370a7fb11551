package qrscan

import "math"

// homography maps module coordinates (u, v) of a symbol to image
// coordinates: x = (h0·u + h1·v + h2) / (h6·u + h7·v + 1), y likewise with
// h3, h4, h5.
type homography [8]float64

// apply maps (u, v) to image coordinates.
func (h *homography) apply(u, v float64) (x, y float64) {
	d := h[6]*u + h[7]*v + 1
	return (h[0]*u + h[1]*v + h[2]) / d, (h[3]*u + h[4]*v + h[5]) / d
}

// correspondence is one point pair for fitting a homography, with a weight.
type correspondence struct {
	u, v, x, y, w float64
}

// fitHomography finds the homography that best maps (u, v) to (x, y) in
// the weighted least-squares sense of the linearised equations. The points
// are normalised first for conditioning. It needs at least four points not
// all on a line; ok is false otherwise.
func fitHomography(cs []correspondence) (homography, bool) {
	if len(cs) < 4 {
		return homography{}, false
	}
	// Normalisation: centroid to the origin, mean distance √2.
	var mu, mv, mx, my, sw float64
	for _, c := range cs {
		mu += c.w * c.u
		mv += c.w * c.v
		mx += c.w * c.x
		my += c.w * c.y
		sw += c.w
	}
	if sw <= 0 {
		return homography{}, false
	}
	mu, mv, mx, my = mu/sw, mv/sw, mx/sw, my/sw
	var du, dx float64
	for _, c := range cs {
		du += c.w * math.Hypot(c.u-mu, c.v-mv)
		dx += c.w * math.Hypot(c.x-mx, c.y-my)
	}
	if du == 0 || dx == 0 {
		return homography{}, false
	}
	su, sx := math.Sqrt2*sw/du, math.Sqrt2*sw/dx
	var ata [8][8]float64
	var atb [8]float64
	for _, c := range cs {
		u, v := (c.u-mu)*su, (c.v-mv)*su
		x, y := (c.x-mx)*sx, (c.y-my)*sx
		r1 := [8]float64{u, v, 1, 0, 0, 0, -u * x, -v * x}
		r2 := [8]float64{0, 0, 0, u, v, 1, -u * y, -v * y}
		for i := 0; i < 8; i++ {
			for j := 0; j < 8; j++ {
				ata[i][j] += c.w * (r1[i]*r1[j] + r2[i]*r2[j])
			}
			atb[i] += c.w * (r1[i]*x + r2[i]*y)
		}
	}
	n, ok := solve8(ata, atb)
	if !ok {
		return homography{}, false
	}
	// Undo the normalisation: H = Tx⁻¹ · N · Tu.
	N := [3][3]float64{{n[0], n[1], n[2]}, {n[3], n[4], n[5]}, {n[6], n[7], 1}}
	Tu := [3][3]float64{{su, 0, -su * mu}, {0, su, -su * mv}, {0, 0, 1}}
	Txi := [3][3]float64{{1 / sx, 0, mx}, {0, 1 / sx, my}, {0, 0, 1}}
	M := mul3(Txi, mul3(N, Tu))
	if math.Abs(M[2][2]) < 1e-12 {
		return homography{}, false
	}
	k := 1 / M[2][2]
	return homography{M[0][0] * k, M[0][1] * k, M[0][2] * k, M[1][0] * k, M[1][1] * k, M[1][2] * k, M[2][0] * k, M[2][1] * k}, true
}

func mul3(a, b [3][3]float64) (c [3][3]float64) {
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			c[i][j] = a[i][0]*b[0][j] + a[i][1]*b[1][j] + a[i][2]*b[2][j]
		}
	}
	return c
}

// solve8 solves a·x = b by Gaussian elimination with partial pivoting.
func solve8(a [8][8]float64, b [8]float64) ([8]float64, bool) {
	const n = 8
	for col := 0; col < n; col++ {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		if math.Abs(a[p][col]) < 1e-12 {
			return b, false
		}
		a[col], a[p] = a[p], a[col]
		b[col], b[p] = b[p], b[col]
		for r := col + 1; r < n; r++ {
			f := a[r][col] / a[col][col]
			if f == 0 {
				continue
			}
			for c := col; c < n; c++ {
				a[r][c] -= f * a[col][c]
			}
			b[r] -= f * b[col]
		}
	}
	var x [8]float64
	for r := n - 1; r >= 0; r-- {
		s := b[r]
		for c := r + 1; c < n; c++ {
			s -= a[r][c] * x[c]
		}
		x[r] = s / a[r][r]
	}
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return x, false
		}
	}
	return x, true
}

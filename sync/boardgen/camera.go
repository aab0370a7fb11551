package boardgen

import (
	"math"

	"github.com/cardwall/cardwall/sync/board"
)

// Camera is a pinhole camera photographing the board. Board coordinates
// are millimetres (x right, y down, on the board's plane); the camera aims
// at the board point Aim from Distance millimetres away.
type Camera struct {
	Width, Height int     // photo size in pixels
	Focal         float64 // focal length in pixels
	// Tilt turns the camera about the board's horizontal axis (the top of
	// the board recedes for a positive tilt), Pan about its vertical axis,
	// Roll about the optical axis. Degrees.
	Tilt, Pan, Roll float64
	Distance        float64     // from the camera to Aim, mm
	Aim             board.Point // board point at the photo's centre, mm
}

// Homography returns the map from board millimetres to photo pixels.
func (c Camera) Homography() board.Homography {
	r := matMul(rotZ(c.Roll), matMul(rotX(c.Tilt), rotY(c.Pan)))
	// A board point (X, Y, 0) relative to Aim lands at R·(X, Y, 0) + (0, 0, D)
	// in camera space; the camera maps (x, y, z) to (f x/z + cx, f y/z + cy).
	k := [3][3]float64{{c.Focal, 0, float64(c.Width) / 2}, {0, c.Focal, float64(c.Height) / 2}, {0, 0, 1}}
	rt := [3][3]float64{
		{r[0][0], r[0][1], 0},
		{r[1][0], r[1][1], 0},
		{r[2][0], r[2][1], c.Distance},
	}
	m := matMul(k, rt)
	h := board.Homography{m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1], m[2][2]}
	shift := board.Homography{1, 0, -c.Aim.X, 0, 1, -c.Aim.Y, 0, 0, 1}
	return h.Mul(shift)
}

func rotX(deg float64) [3][3]float64 {
	s, c := math.Sincos(deg * math.Pi / 180)
	return [3][3]float64{{1, 0, 0}, {0, c, -s}, {0, s, c}}
}

func rotY(deg float64) [3][3]float64 {
	s, c := math.Sincos(deg * math.Pi / 180)
	return [3][3]float64{{c, 0, s}, {0, 1, 0}, {-s, 0, c}}
}

func rotZ(deg float64) [3][3]float64 {
	s, c := math.Sincos(deg * math.Pi / 180)
	return [3][3]float64{{c, -s, 0}, {s, c, 0}, {0, 0, 1}}
}

func matMul(a, b [3][3]float64) [3][3]float64 {
	var r [3][3]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			r[i][j] = a[i][0]*b[0][j] + a[i][1]*b[1][j] + a[i][2]*b[2][j]
		}
	}
	return r
}

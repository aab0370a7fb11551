package qrscan

import (
	"math"
	"math/rand/v2"
	"testing"
)

// finderPlane draws one finder pattern of module size ms, centred at
// (cx, cy) with its axes turned by angle (radians), antialiased, on a
// 200×200 plane of light grey with noise; with draw false the plane is
// blank.
func finderPlane(cx, cy, ms, angle float64, draw bool) *plane {
	const w, h = 200, 200
	p := &plane{w: w, h: h, stride: w, pix: make([]byte, w*h)}
	rng := rand.New(rand.NewPCG(11, 12))
	ca, sa := math.Cos(angle), math.Sin(angle)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// 4×4 subsamples per pixel, each light (200) or dark (40)
			// by the module it falls in.
			v := 0
			for s := 0; s < 16; s++ {
				dx, dy := float64(x)+(float64(s%4)+0.5)/4-cx, float64(y)+(float64(s/4)+0.5)/4-cy
				u, t := (dx*ca+dy*sa)/ms+3.5, (-dx*sa+dy*ca)/ms+3.5
				if draw && u >= 0 && t >= 0 && u < 7 && t < 7 && finderTemplate[int(t)*7+int(u)] {
					v += 40
				} else {
					v += 200
				}
			}
			p.pix[y*w+x] = byte(v/16 + rng.IntN(11) - 5)
		}
	}
	return p
}

// TestFindFinderNear checks the template search that completes symbols
// with a missing finder: from a prediction about a module and a half off,
// in several orientations and module sizes, it finds the finder within a
// third of a module; on a blank plane it finds none.
func TestFindFinderNear(t *testing.T) {
	const cx, cy = 97.3, 103.8
	for _, ms := range []float64{2, 3.5, 6} {
		for _, deg := range []float64{0, 17, 45, 120} {
			a := deg * math.Pi / 180
			ux, uy := math.Cos(a), math.Sin(a)
			// The prediction: 1.2 modules along the axis, -0.9 across.
			gx, gy := cx+ms*(1.2*ux+0.9*uy), cy+ms*(1.2*uy-0.9*ux)
			x, y, ok := findFinderNear(finderPlane(cx, cy, ms, a, true), gx, gy, ux, uy, ms, 160)
			if d := math.Hypot(x-cx, y-cy); !ok || d > ms/3 {
				t.Errorf("ms %.1f, %v°: found %v at (%.1f, %.1f), %.2f modules from the finder", ms, deg, ok, x, y, d/ms)
			}
			if _, _, ok := findFinderNear(finderPlane(cx, cy, ms, a, false), gx, gy, ux, uy, ms, 160); ok {
				t.Errorf("ms %.1f, %v°: found a finder on a blank plane", ms, deg)
			}
		}
	}
}

// TestFlatAround checks the cheap test findFinderNear starts with: a
// finder centred anywhere within the search radius of the prediction
// (and 15% smaller or larger than predicted) is never taken for a flat
// place; a blank plane and a place far from the finder are.
func TestFlatAround(t *testing.T) {
	const cx, cy, contrast = 97.3, 103.8, 160.0
	spread := coarseShare * contrast
	for _, ms := range []float64{2, 3.5, 6} {
		for _, deg := range []float64{0, 17, 45, 120} {
			a := deg * math.Pi / 180
			ux, uy := math.Cos(a), math.Sin(a)
			for _, scale := range []float64{0.85, 1, 1.15} {
				p := finderPlane(cx, cy, ms*scale, a, true)
				for j := -completeRadius; j <= completeRadius; j += 0.5 {
					for i := -completeRadius; i <= completeRadius; i += 0.5 {
						gx, gy := cx+ms*(i*ux-j*uy), cy+ms*(i*uy+j*ux)
						if flatAround(p, gx, gy, ux, uy, ms, spread) {
							t.Errorf("ms %.1f×%.2f, %v°: finder %.1f, %.1f modules off taken for flat", ms, scale, deg, i, j)
						}
					}
				}
			}
			if !flatAround(finderPlane(cx, cy, ms, a, false), cx, cy, ux, uy, ms, spread) {
				t.Errorf("ms %.1f, %v°: blank plane not flat", ms, deg)
			}
			far := finderPlane(cx, cy, 2, a, true)
			if !flatAround(far, cx+45*ux, cy+45*uy, ux, uy, 2, spread) {
				t.Errorf("%v°: 22 modules from the finder not flat", deg)
			}
		}
	}
}

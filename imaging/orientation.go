package imaging

import (
	"fmt"
	"image"
)

// Orientation is an EXIF orientation (tag 0x0112): how the stored (raw)
// pixels must be transformed for display. Values 1..8 follow the EXIF/TIFF
// specification; any other value behaves as 1 (no change).
type Orientation int

// The eight EXIF orientations, named for the transform that turns the raw
// image into the displayed one.
const (
	OrientNormal     Orientation = 1 // as stored
	OrientFlipH      Orientation = 2 // mirrored left–right
	OrientRotate180  Orientation = 3 // rotated 180°
	OrientFlipV      Orientation = 4 // mirrored top–bottom
	OrientTranspose  Orientation = 5 // mirrored across the main diagonal
	OrientRotate90   Orientation = 6 // rotated 90° clockwise
	OrientTransverse Orientation = 7 // mirrored across the anti-diagonal
	OrientRotate270  Orientation = 8 // rotated 90° counter-clockwise
)

// Valid reports whether o is one of the eight EXIF orientations.
func (o Orientation) Valid() bool { return o >= 1 && o <= 8 }

// normal returns o, or OrientNormal if o is not valid.
func (o Orientation) normal() Orientation {
	if o.Valid() {
		return o
	}
	return OrientNormal
}

// SwapsAxes reports whether the displayed image is the raw image turned on
// its side, so that displayed width = raw height (orientations 5..8).
func (o Orientation) SwapsAxes() bool { return o.normal() >= OrientTranspose }

// DisplaySize returns the displayed width and height of a rawW×rawH image.
func (o Orientation) DisplaySize(rawW, rawH int) (w, h int) {
	if o.SwapsAxes() {
		return rawH, rawW
	}
	return rawW, rawH
}

// String names the orientation, e.g. "6 (rotate 90° clockwise)".
func (o Orientation) String() string {
	names := [...]string{"", "normal", "flip horizontal", "rotate 180°", "flip vertical",
		"transpose", "rotate 90° clockwise", "transverse", "rotate 90° counter-clockwise"}
	if o.Valid() {
		return fmt.Sprintf("%d (%s)", int(o), names[o])
	}
	return fmt.Sprintf("%d (invalid, treated as normal)", int(o))
}

// ToDisplay maps the point (x, y) of a rawW×rawH raw image to the displayed
// image. Coordinates are continuous: pixel (i, j) covers [i, i+1) × [j, j+1).
func (o Orientation) ToDisplay(x, y float64, rawW, rawH int) (float64, float64) {
	w, h := float64(rawW), float64(rawH)
	switch o.normal() {
	case OrientFlipH:
		return w - x, y
	case OrientRotate180:
		return w - x, h - y
	case OrientFlipV:
		return x, h - y
	case OrientTranspose:
		return y, x
	case OrientRotate90:
		return h - y, x
	case OrientTransverse:
		return h - y, w - x
	case OrientRotate270:
		return y, w - x
	}
	return x, y
}

// Inverse returns the orientation that undoes o: rotations by 90° swap
// (6 ↔ 8); the other orientations undo themselves.
func (o Orientation) Inverse() Orientation {
	switch o = o.normal(); o {
	case OrientRotate90:
		return OrientRotate270
	case OrientRotate270:
		return OrientRotate90
	}
	return o
}

// ToRaw maps the point (x, y) of the displayed image back to the raw
// rawW×rawH image; it is the inverse of ToDisplay.
func (o Orientation) ToRaw(x, y float64, rawW, rawH int) (float64, float64) {
	dw, dh := o.DisplaySize(rawW, rawH)
	return o.Inverse().ToDisplay(x, y, dw, dh)
}

// applyTile is the side of the square tiles Apply copies at a time, so that
// both the reads and the strided writes stay in cache.
const applyTile = 64

// Apply returns g as it should be displayed: a new image with bounds
// starting at (0, 0) (g itself for OrientNormal or an invalid value).
func (o Orientation) Apply(g *image.Gray) *image.Gray {
	o = o.normal()
	if o == OrientNormal {
		return g
	}
	rw, rh := g.Rect.Dx(), g.Rect.Dy()
	dw, dh := o.DisplaySize(rw, rh)
	dst := image.NewGray(image.Rect(0, 0, dw, dh))
	if rw == 0 || rh == 0 {
		return dst
	}
	// Raw pixel (x, y) goes to dst.Pix[base + x*sx + y*sy]. The mapping is
	// affine, so three pixel centres fix it.
	index := func(x, y int) int {
		dx, dy := o.ToDisplay(float64(x)+0.5, float64(y)+0.5, rw, rh)
		return int(dy-0.5)*dw + int(dx-0.5)
	}
	base := index(0, 0)
	sx := index(1, 0) - base
	sy := index(0, 1) - base
	parallelRows(rh, func(y0, y1 int) {
		for ty := y0; ty < y1; ty += applyTile {
			yEnd := min(ty+applyTile, y1)
			for tx := 0; tx < rw; tx += applyTile {
				xEnd := min(tx+applyTile, rw)
				for y := ty; y < yEnd; y++ {
					src := g.Pix[y*g.Stride+tx : y*g.Stride+xEnd]
					d := base + tx*sx + y*sy
					for _, v := range src {
						dst.Pix[d] = v
						d += sx
					}
				}
			}
		}
	})
	return dst
}

package imaging

import (
	"image"
	"testing"
)

// The raw 3×2 image
//
//	1 2 3
//	4 5 6
//
// as displayed under each orientation, worked out by hand from the EXIF
// definitions ("the 0th row is the visual …, the 0th column the visual …").
var orientationCases = []struct {
	o    Orientation
	w, h int
	want []uint8
}{
	{1, 3, 2, []uint8{1, 2, 3, 4, 5, 6}},
	{2, 3, 2, []uint8{3, 2, 1, 6, 5, 4}},
	{3, 3, 2, []uint8{6, 5, 4, 3, 2, 1}},
	{4, 3, 2, []uint8{4, 5, 6, 1, 2, 3}},
	{5, 2, 3, []uint8{1, 4, 2, 5, 3, 6}},
	{6, 2, 3, []uint8{4, 1, 5, 2, 6, 3}},
	{7, 2, 3, []uint8{6, 3, 5, 2, 4, 1}},
	{8, 2, 3, []uint8{3, 6, 2, 5, 1, 4}},
}

func rawSixPixels() *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 3, 2))
	copy(g.Pix, []uint8{1, 2, 3, 4, 5, 6})
	return g
}

func TestOrientationApply(t *testing.T) {
	for _, tc := range orientationCases {
		got := tc.o.Apply(rawSixPixels())
		if got.Rect != image.Rect(0, 0, tc.w, tc.h) {
			t.Errorf("%v: bounds %v, want %dx%d", tc.o, got.Rect, tc.w, tc.h)
			continue
		}
		if string(got.Pix) != string(tc.want) {
			t.Errorf("%v: pixels %v, want %v", tc.o, got.Pix, tc.want)
		}
	}
}

func TestOrientationPointsMatchApply(t *testing.T) {
	// On an image larger than a tile, every raw pixel centre mapped by
	// ToDisplay must land on the pixel Apply put it in, and ToRaw must map
	// it back exactly. A sub-image checks offsets and strides.
	full := grayRamp(150, 90)
	raw := full.SubImage(image.Rect(3, 5, 140, 77)).(*image.Gray)
	rw, rh := raw.Rect.Dx(), raw.Rect.Dy()
	for o := Orientation(1); o <= 8; o++ {
		disp := o.Apply(raw)
		dw, dh := o.DisplaySize(rw, rh)
		if disp.Rect.Dx() != dw || disp.Rect.Dy() != dh {
			t.Fatalf("%v: bounds %v, want %dx%d", o, disp.Rect, dw, dh)
		}
		if o != OrientNormal && disp.Rect.Min != (image.Point{}) {
			t.Fatalf("%v: bounds %v do not start at (0,0)", o, disp.Rect)
		}
		origin := disp.Rect.Min // OrientNormal returns raw itself
		for y := 0; y < rh; y++ {
			for x := 0; x < rw; x++ {
				fx, fy := float64(x)+0.5, float64(y)+0.5
				dx, dy := o.ToDisplay(fx, fy, rw, rh)
				v := disp.GrayAt(origin.X+int(dx), origin.Y+int(dy)).Y
				if want := raw.GrayAt(raw.Rect.Min.X+x, raw.Rect.Min.Y+y).Y; v != want {
					t.Fatalf("%v: raw (%d,%d)=%d shown at (%v,%v)=%d", o, x, y, want, dx, dy, v)
				}
				if bx, by := o.ToRaw(dx, dy, rw, rh); bx != fx || by != fy {
					t.Fatalf("%v: ToRaw(ToDisplay(%v,%v)) = (%v,%v)", o, fx, fy, bx, by)
				}
			}
		}
		// Corners of the frame map to corners of the displayed frame.
		for _, p := range [][2]float64{{0, 0}, {float64(rw), 0}, {0, float64(rh)}, {float64(rw), float64(rh)}} {
			dx, dy := o.ToDisplay(p[0], p[1], rw, rh)
			if (dx != 0 && dx != float64(dw)) || (dy != 0 && dy != float64(dh)) {
				t.Errorf("%v: corner %v maps to (%v,%v), not a corner of %dx%d", o, p, dx, dy, dw, dh)
			}
		}
	}
}

func TestOrientationInvalidIsNormal(t *testing.T) {
	g := rawSixPixels()
	for _, o := range []Orientation{0, -1, 9, 1000} {
		if o.Valid() {
			t.Errorf("%d reported valid", o)
		}
		if o.Apply(g) != g {
			t.Errorf("%v: Apply changed the image", o)
		}
		if x, y := o.ToDisplay(1, 2, 3, 2); x != 1 || y != 2 {
			t.Errorf("%v: ToDisplay moved the point to (%v,%v)", o, x, y)
		}
	}
}

func TestOrientationApplyEmpty(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 0, 5))
	if got := OrientRotate90.Apply(g); got.Rect != image.Rect(0, 0, 5, 0) {
		t.Errorf("bounds %v, want 5x0", got.Rect)
	}
}

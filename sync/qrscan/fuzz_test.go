package qrscan

import (
	"context"
	"image"
	"testing"
)

// FuzzScan feeds small arbitrary grey images to Scan: it must not panic,
// and every code it returns must have finite corners and a valid version.
func FuzzScan(f *testing.F) {
	f.Add(uint8(16), []byte{0, 255, 0, 255})
	f.Add(uint8(40), make([]byte, 1600))
	// A real code, drawn small.
	c := placeCode(f, "PROJ-1", 40, 40, 2, 0.1, 0)
	img := scene(80, 80, []placedCode{c})
	f.Add(uint8(80), img.Pix)
	f.Fuzz(func(t *testing.T, w uint8, pix []byte) {
		if w == 0 || len(pix) == 0 {
			return
		}
		h := len(pix) / int(w)
		if h == 0 || h > 512 {
			return
		}
		g := &image.Gray{Pix: pix[:int(w)*h], Stride: int(w), Rect: image.Rect(0, 0, int(w), h)}
		codes, err := Scan(context.Background(), g, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range codes {
			if c.Version < 1 || c.Version > 40 {
				t.Errorf("version %d", c.Version)
			}
			for _, p := range c.Corners {
				if p.X != p.X || p.Y != p.Y {
					t.Errorf("NaN corner in %+v", c)
				}
			}
		}
	})
}

package imaging

import (
	"image"
	"image/color"
	"testing"
)

func TestLuminanceExact(t *testing.T) {
	// BT.601 with weights 19595, 38470, 7471 (sum 65536), rounded:
	// red 76, green 150, blue 29; transparency composites onto white.
	nrgba := image.NewNRGBA(image.Rect(0, 0, 5, 1))
	copy(nrgba.Pix, []uint8{
		255, 0, 0, 255,
		0, 255, 0, 255,
		0, 0, 255, 255,
		0, 0, 0, 0, // fully transparent → white
		0, 0, 0, 128, // half-transparent black → (255·127+127)/255 = 127
	})
	rgba := image.NewRGBA(image.Rect(0, 0, 3, 1))
	copy(rgba.Pix, []uint8{
		255, 0, 0, 255,
		0, 0, 0, 128, // premultiplied half-transparent black → 0 + 127
		100, 100, 100, 255,
	})
	rgba64 := image.NewRGBA64(image.Rect(0, 0, 2, 1))
	rgba64.SetRGBA64(0, 0, color.RGBA64{0xffff, 0, 0, 0xffff})
	rgba64.SetRGBA64(1, 0, color.RGBA64{0x1234, 0x1234, 0x1234, 0xffff})
	nrgba64 := image.NewNRGBA64(image.Rect(0, 0, 2, 1))
	nrgba64.SetNRGBA64(0, 0, color.NRGBA64{0, 0xffff, 0, 0xffff})
	nrgba64.SetNRGBA64(1, 0, color.NRGBA64{0, 0, 0, 0})
	gray16 := image.NewGray16(image.Rect(0, 0, 2, 1))
	gray16.SetGray16(0, 0, color.Gray16{0x1234})
	gray16.SetGray16(1, 0, color.Gray16{0xffff})
	cmyk := image.NewCMYK(image.Rect(0, 0, 3, 1))
	copy(cmyk.Pix, []uint8{0, 0, 0, 0, 0, 0, 0, 255, 0, 255, 255, 0}) // white, black, red
	pal := image.NewPaletted(image.Rect(0, 0, 4, 1),
		color.Palette{color.Black, color.White, color.RGBA{255, 0, 0, 255}})
	copy(pal.Pix, []uint8{0, 1, 2, 7}) // index 7 is beyond the palette: black
	ycc := image.NewYCbCr(image.Rect(0, 0, 3, 2), image.YCbCrSubsampleRatio420)
	copy(ycc.Y, []uint8{1, 2, 3, 4, 5, 6})
	nycca := image.NewNYCbCrA(image.Rect(0, 0, 2, 1), image.YCbCrSubsampleRatio444)
	copy(nycca.Y, []uint8{10, 10})
	copy(nycca.A, []uint8{255, 0})
	alpha := image.NewAlpha(image.Rect(0, 0, 2, 1)) // generic path: white with alpha is white
	copy(alpha.Pix, []uint8{0, 255})
	blue := image.NewUniform(color.NRGBA{0, 0, 255, 255}) // generic path, in a 2×1 view below

	tests := []struct {
		name string
		img  image.Image
		want []uint8
	}{
		{"NRGBA", nrgba, []uint8{76, 150, 29, 255, 127}},
		{"RGBA", rgba, []uint8{76, 127, 100}},
		{"RGBA64", rgba64, []uint8{76, 0x12}},
		{"NRGBA64", nrgba64, []uint8{150, 255}},
		{"Gray16", gray16, []uint8{0x12, 0xff}},
		{"CMYK", cmyk, []uint8{255, 0, 76}},
		{"Paletted", pal, []uint8{0, 255, 76, 0}},
		{"YCbCr", ycc, []uint8{1, 2, 3, 4, 5, 6}},
		{"NYCbCrA", nycca, []uint8{10, 255}},
		{"Alpha (generic)", alpha, []uint8{255, 255}},
		{"Uniform (generic)", boundedImage{blue, image.Rect(0, 0, 2, 1)}, []uint8{29, 29}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := Luminance(tc.img)
			if g.Rect != tc.img.Bounds() {
				t.Fatalf("bounds %v, want %v", g.Rect, tc.img.Bounds())
			}
			if got := g.Pix[:len(tc.want)]; string(got) != string(tc.want) {
				t.Errorf("pixels %v, want %v", got, tc.want)
			}
		})
	}
}

// boundedImage gives an image new bounds, forcing Luminance's generic path.
type boundedImage struct {
	image.Image
	r image.Rectangle
}

func (b boundedImage) Bounds() image.Rectangle { return b.r }

func TestLuminanceGrayIsShared(t *testing.T) {
	g := grayRamp(4, 4)
	if Luminance(g) != g {
		t.Error("Luminance(*image.Gray) should return its argument")
	}
}

// Sub-images have offsets and strides wider than their width; the fast
// paths must agree with the generic At-based path there (within 1 level,
// as the generic path rounds from 16-bit samples).
func TestLuminanceSubImagesMatchGeneric(t *testing.T) {
	r := image.Rect(0, 0, 70, 50)
	nrgba := image.NewNRGBA(r)
	rgba := image.NewRGBA(r)
	ycc := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	cmyk := image.NewCMYK(r)
	for i := range nrgba.Pix {
		v := uint8(i*31 + i/7)
		nrgba.Pix[i], cmyk.Pix[i] = v, v
		rgba.Pix[i] = v
		if i%4 == 3 {
			rgba.Pix[i] = 255
		}
	}
	for i := range ycc.Y {
		ycc.Y[i] = uint8(i * 17)
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 128, 128 // neutral chroma: RGB = (Y, Y, Y)
	}
	sub := image.Rect(9, 7, 61, 44)
	for _, img := range []image.Image{
		nrgba.SubImage(sub), rgba.SubImage(sub), ycc.SubImage(sub), cmyk.SubImage(sub),
	} {
		got, want := Luminance(img), genericLuma(img)
		if got.Rect != sub {
			t.Fatalf("%T: bounds %v, want %v", img, got.Rect, sub)
		}
		for y := sub.Min.Y; y < sub.Max.Y; y++ {
			for x := sub.Min.X; x < sub.Max.X; x++ {
				a, b := int(got.GrayAt(x, y).Y), int(want.GrayAt(x, y).Y)
				if a-b > 1 || b-a > 1 {
					t.Fatalf("%T at (%d,%d): fast %d, generic %d", img, x, y, a, b)
				}
			}
		}
	}
}

func TestDiv255(t *testing.T) {
	for v := uint32(0); v < 65535; v++ {
		if got := div255(v); got != v/255 {
			t.Fatalf("div255(%d) = %d, want %d", v, got, v/255)
		}
	}
}

package imaging

import (
	"encoding/binary"
	"image"
	"image/color"
	"testing"
)

// fuzzMaxPixels keeps each fuzz input's decode cheap.
const fuzzMaxPixels = 1 << 20

func FuzzDecode(f *testing.F) {
	nrgba := image.NewNRGBA(image.Rect(0, 0, 5, 4))
	for i := range nrgba.Pix {
		nrgba.Pix[i] = uint8(i * 37)
	}
	tiff := tiffWithOrientation(binary.BigEndian, 6)
	jpg := encodeJPEG(f, grayRamp(12, 9))
	seeds := [][]byte{
		jpg,
		encodeJPEG(f, nrgba),
		withJPEGEXIF(jpg, tiff),
		encodePNG(f, grayRamp(7, 3)),
		encodePNG(f, nrgba),
		withPNGEXIF(encodePNG(f, grayRamp(3, 3)), tiff),
		solidWebP(3, 2, color.NRGBA{10, 200, 30, 128}),
		solidWebP(2, 2, color.NRGBA{A: 255}, riffChunk("EXIF", tiff)),
		pngHeaderOnly(100000, 100000),
		pngHeaderOnly(3, 3),
		[]byte("GIF89a"),
		{},
	}
	for _, s := range seeds[:8] { // truncations of the valid images
		seeds = append(seeds, s[:len(s)/2], s[:len(s)-1], s[:min(len(s), 20)])
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodeBytes(data, &Options{MaxPixels: fuzzMaxPixels})
		if err != nil {
			if p != nil {
				t.Fatal("both a photo and an error")
			}
			return
		}
		r := p.Gray.Rect
		if r.Min != (image.Point{}) || r.Dx() <= 0 || r.Dy() <= 0 || r.Dx()*r.Dy() > fuzzMaxPixels {
			t.Fatalf("bounds %v", r)
		}
		if len(p.Gray.Pix) < (r.Dy()-1)*p.Gray.Stride+r.Dx() {
			t.Fatalf("Pix too short for %v", r)
		}
		if !p.Orientation.Valid() {
			t.Fatalf("orientation %d", p.Orientation)
		}
		if p.Format != "jpeg" && p.Format != "png" && p.Format != "webp" {
			t.Fatalf("format %q", p.Format)
		}
	})
}

func FuzzEXIF(f *testing.F) {
	jpg := encodeJPEG(f, grayRamp(8, 8))
	for o := uint16(1); o <= 8; o++ {
		for _, bo := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
			tiff := tiffWithOrientation(bo, o)
			f.Add(tiff)
			f.Add(withJPEGEXIF(jpg[:20], tiff))
		}
	}
	f.Add(withPNGEXIF(encodePNG(f, grayRamp(2, 2)), tiffWithOrientation(binary.LittleEndian, 3)))
	f.Add(solidWebP(1, 1, color.NRGBA{}, riffChunk("EXIF", tiffWithOrientation(binary.BigEndian, 8))))
	f.Add([]byte("II*\x00\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// The same bytes read as a bare TIFF block and through each
		// container walker: any outcome is fine but a panic or a value
		// outside 1..8.
		for _, o := range []Orientation{
			tiffOrientation(data),
			orientationOf("jpeg", data),
			orientationOf("png", data),
			orientationOf("webp", data),
		} {
			if !o.Valid() {
				t.Fatalf("orientation %d", o)
			}
		}
	})
}
